//! One large file on several threads (`-j`): the blocks of the file are
//! processed on all of them, and the output is byte for byte the output of
//! `-j 1`, text and report.
use assert_cmd::Command;

/// Sentences with errors of most rule families.
const SENTENCES: &[&str] = &[
    "我们今天上午去了公园,天气非常好。",
    "大家一起讨论了工作中的的问题。",
    "会议在３号楼举行，共有十二人参加。",
    "他认真地完成了老师布置的作业,受到了表扬。",
    "发展壮大村级集体经济是一项重要举措，要坚持不懈地抓好落实。",
    "这本书介绍了许多有趣的历史故事！",
    "“你好，”他说。“今天天气不错",
    "张三丰说:这件事情已经办好了",
];

/// About 2.2 MB: numbered paragraphs of several sentences (every 50th
/// repeats an earlier one: a duplicate paragraph), blank lines, and one line
/// of 1.3 MB (cut into pieces by the engine).
fn document() -> String {
    let mut text = String::new();
    let mut k = 0usize;
    let mut para = |text: &mut String, n: usize| {
        for _ in 0..n {
            text.push_str(SENTENCES[k % SENTENCES.len()]);
            k = (k * 7 + 3) % 1009;
        }
    };
    for i in 0..3000 {
        if i % 50 == 49 {
            text.push_str("第10段");
        } else {
            text.push_str(&format!("第{i}段"));
        }
        para(&mut text, 1 + i % 5);
        text.push_str(if i % 9 == 0 { "\n\n" } else { "\n" });
        if i == 1500 {
            para(&mut text, 30_000);
            text.push('\n');
        }
    }
    text
}

fn zh(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("zhclean").unwrap();
    c.current_dir(dir);
    c
}

#[test]
fn two_threads_give_the_output_of_one() {
    let d = tempfile::tempdir().unwrap();
    let text = document();
    assert!(text.len() > 2_000_000, "{} bytes", text.len());
    std::fs::write(d.path().join("big.txt"), &text).unwrap();
    let run = |args: &[&str], j: &str| {
        let o = zh(d.path())
            .args(args)
            .args(["--no-config", "-j", j, "big.txt"])
            .output()
            .unwrap();
        (o.status.code(), o.stdout, o.stderr)
    };
    for args in [
        &["fix", "--apply", "review"][..],
        &["check", "--format", "jsonl"][..],
    ] {
        let one = run(args, "1");
        assert!(matches!(one.0, Some(0 | 1)), "{args:?}: {:?}", one.0);
        assert!(one.1.len() > 2_000_000, "{args:?}: {} bytes", one.1.len());
        let two = run(args, "2");
        // (not assert_eq: megabytes)
        assert!(one == two, "{args:?}: -j 2 differs from -j 1");
    }
}
