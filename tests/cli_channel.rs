//! Command-line tests of the correction model settings: `--profile`,
//! `zhclean train-channel`, `--channel`, and the errors-by-class table of
//! `zhclean eval`.
use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::path::Path;

fn zh(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("zhclean").unwrap();
    c.current_dir(dir);
    c
}

fn fixture(p: &str) -> String {
    format!("{}/tests/fixtures/{p}", env!("CARGO_MANIFEST_DIR"))
}

fn stdout(c: &mut Command, code: i32) -> String {
    String::from_utf8(c.assert().code(code).get_output().stdout.clone()).unwrap()
}

#[test]
fn profile_from_flag_and_file() {
    let d = tempfile::tempdir().unwrap();
    let dump = |args: &[&str]| stdout(zh(d.path()).args(["config", "--dump"]).args(args), 0);
    // the default is shown
    assert!(dump(&[]).contains("profile = \"ocr\""), "{}", dump(&[]));
    assert!(dump(&["--profile", "typing"]).contains("profile = \"typing\""));
    fs::write(d.path().join("zhclean.toml"), "profile = \"typing\"\n").unwrap();
    assert!(dump(&[]).contains("profile = \"typing\""));
    // the flag wins over the file
    assert!(dump(&["--profile", "ocr"]).contains("profile = \"ocr\""));
    for cmd in ["check", "fix"] {
        zh(d.path())
            .args([cmd, "--profile", "typing", "-"])
            .write_stdin("第一段文字，内容完整。")
            .assert()
            .code(0);
    }
    zh(d.path())
        .args(["check", "--profile", "pinyin", "-"])
        .write_stdin("甲")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("pinyin"));
    fs::write(d.path().join("zhclean.toml"), "profile = \"wubi\"\n").unwrap();
    zh(d.path())
        .args(["config", "--dump"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("zhclean.toml").and(predicate::str::contains("wubi")));
    // review, apply and eval take the flag too
    fs::remove_file(d.path().join("zhclean.toml")).unwrap();
    zh(d.path())
        .args(["eval", "--profile", "typing", "--split", "all"])
        .arg(fixture("eval/tiny.tsv"))
        .assert()
        .code(0);
    for cmd in ["review", "apply"] {
        zh(d.path()).args([cmd, "--help"]).assert().code(0).stdout(
            predicate::str::contains("--profile").and(predicate::str::contains("--channel")),
        );
    }
}

#[test]
fn train_channel_matches_build_channel_py() {
    // `pairs_small.expected.tsv` is what scripts/build_channel.py writes for
    // the same rows (its comment line left out).
    let d = tempfile::tempdir().unwrap();
    let out = d.path().join("ch.tsv");
    zh(d.path())
        .args(["train-channel", "-o"])
        .arg(&out)
        .arg(fixture("channel/pairs_small.tsv"))
        .assert()
        .code(0)
        .stderr(predicate::str::contains("45 pairs"));
    let got: String = fs::read_to_string(&out)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    let want = fs::read_to_string(fixture("channel/pairs_small.expected.tsv")).unwrap();
    assert_eq!(got, want);
}

#[test]
fn train_channel_errors_name_file_and_line() {
    let d = tempfile::tempdir().unwrap();
    fs::write(
        d.path().join("bad.tsv"),
        "id\tgold\tocr\nx-1\t大家\t太家\nx-2\t只有金\n",
    )
    .unwrap();
    zh(d.path())
        .args(["train-channel", "bad.tsv", "-o", "ch.tsv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.tsv").and(predicate::str::contains("line 3")));
    fs::write(d.path().join("nohead.tsv"), "id\tgold\n").unwrap();
    zh(d.path())
        .args(["train-channel", "nohead.tsv", "-o", "ch.tsv"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nohead.tsv").and(predicate::str::contains("`ocr`")));
    // a malformed channel file given to --channel
    fs::write(
        d.path().join("ch.tsv"),
        "# c\nsub\t大\t太\t3\t-1.0\nsub\t大\t太\tmany\t-1.0\n",
    )
    .unwrap();
    zh(d.path())
        .args(["check", "--no-config", "--channel", "ch.tsv", "-"])
        .write_stdin("甲")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ch.tsv").and(predicate::str::contains("line 3")));
}

/// Pairs in which OCR read the enumeration comma `、` as `.`.
fn comma_pairs(dir: &Path) {
    let mut t = String::from("id\tfont\tpx\tblur\tnoise\tgold\tocr\n");
    for (i, (a, b)) in [
        ("文件", "目录"),
        ("苹果", "香蕉"),
        ("红色", "蓝色"),
        ("北京", "上海"),
        ("春天", "秋天"),
        ("老师", "学生"),
    ]
    .iter()
    .enumerate()
    {
        t.push_str(&format!("p-{i}\t-\t-\t-\t-\t{a}、{b}\t{a}.{b}\n"));
    }
    fs::write(dir.join("pairs.tsv"), t).unwrap();
}

#[test]
fn a_trained_channel_changes_the_fix() {
    let d = tempfile::tempdir().unwrap();
    comma_pairs(d.path());
    zh(d.path())
        .args(["train-channel", "pairs.tsv", "-o", "my.tsv"])
        .assert()
        .code(0);
    let learned = fs::read_to_string(d.path().join("my.tsv")).unwrap();
    assert!(learned.contains("sub\t、\t.\t6\t"), "{learned}");
    let text = "请打开文件.目录";
    let fix = |extra: &[&str]| {
        let out = zh(d.path())
            .args(["fix", "--no-config", "--apply", "review"])
            .args(extra)
            .arg("-")
            .write_stdin(text)
            .assert()
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    let embedded = fix(&[]);
    assert!(!embedded.contains('、'), "{embedded}");
    assert_eq!(fix(&["--channel", "my.tsv"]), "请打开文件、目录");
    // the same from zhclean.toml (a path relative to the file)
    let sub = d.path().join("sub");
    fs::create_dir(&sub).unwrap();
    fs::write(d.path().join("zhclean.toml"), "channel = \"my.tsv\"\n").unwrap();
    let out = zh(&sub)
        .args(["fix", "--apply", "review", "-"])
        .write_stdin(text)
        .assert()
        .get_output()
        .stdout
        .clone();
    assert_eq!(String::from_utf8(out).unwrap(), "请打开文件、目录");
    let dump = stdout(zh(&sub).args(["config", "--dump"]), 0);
    assert!(dump.contains("my.tsv"), "{dump}");
    // and in eval
    fs::write(
        d.path().join("eval.tsv"),
        format!("id\tgold\tocr\ne-4\t请打开文件、目录\t{text}\n"),
    )
    .unwrap();
    let e = stdout(
        zh(d.path()).args(["eval", "eval.tsv", "--channel", "my.tsv"]),
        0,
    );
    assert!(e.contains("CER 12.50% -> 0.00%"), "{e}");
}

#[test]
fn a_changed_channel_file_is_not_resumed() {
    let d = tempfile::tempdir().unwrap();
    let root = d.path();
    comma_pairs(root);
    zh(root)
        .args(["train-channel", "pairs.tsv", "-o", "my.tsv"])
        .assert()
        .code(0);
    fs::create_dir(root.join("in")).unwrap();
    fs::write(root.join("in/a.txt"), "请打开文件.目录\n").unwrap();
    let fix = || {
        let o = zh(root)
            .args([
                "fix",
                "--no-config",
                "--apply",
                "review",
                "--channel",
                "my.tsv",
            ])
            .args(["in", "--out", "out"])
            .assert()
            .get_output()
            .clone();
        String::from_utf8_lossy(&o.stderr).to_string()
    };
    assert!(fix().contains("resumed 0"));
    assert!(fix().contains("resumed 1"));
    // the same path, other content: the run starts anew
    let t = fs::read_to_string(root.join("my.tsv")).unwrap();
    fs::write(root.join("my.tsv"), t.replace("\t6\t", "\t7\t")).unwrap();
    assert!(fix().contains("resumed 0"));
}

#[test]
fn eval_reports_errors_by_class_and_engine() {
    let d = tempfile::tempdir().unwrap();
    let s = stdout(
        zh(d.path())
            .args(["eval", "--split", "all", "--only", "P201"])
            .arg(fixture("eval/tiny.tsv")),
        0,
    );
    // the existing lines are kept
    assert!(s.contains("4 pairs (all of the file)"), "{s}");
    assert!(s.contains("[review]") && s.contains("  CER "), "{s}");
    assert!(s.contains("errors by class"), "{s}");
    let row = |group: &str, class: &str| -> Vec<String> {
        s.lines()
            .find(|l| l.contains(group) && l.contains(&format!(" {class} ")))
            .unwrap_or_else(|| panic!("no {group} {class} row in\n{s}"))
            .split_whitespace()
            .map(str::to_string)
            .collect()
    };
    // t-001 太→大 and t-004 干→千 (Han sub), t-001 *→。 (punct sub), t-003
    // a dropped 。 (punct drop)
    let han = row("all (4 pairs)", "sub");
    assert_eq!(han[3..6], ["Han", "sub", "2"], "{han:?}");
    let total = row("all (4 pairs)", "total");
    assert_eq!(total[3..5], ["total", "4"], "{total:?}");
    // grouped by engine
    let s = stdout(
        zh(d.path())
            .args(["eval", "--split", "all", "--only", "P201"])
            .arg(fixture("eval/engines.tsv")),
        0,
    );
    assert!(s.contains("engine=tesseract (2 pairs)"), "{s}");
    assert!(s.contains("engine=rapidocr (1 pairs)"), "{s}");
    assert!(s.contains("damage=jpeg (2 pairs)"), "{s}");
    // JSON
    let j = stdout(
        zh(d.path())
            .args(["eval", "--split", "all", "--json"])
            .arg(fixture("eval/engines.tsv")),
        0,
    );
    let v: serde_json::Value = serde_json::from_str(&j).unwrap();
    let groups = &v[1]["by_class"];
    assert_eq!(groups[0]["group"], "all");
    assert_eq!(groups[0]["classes"][1]["class"], "han_drop");
    assert_eq!(groups[0]["classes"][1]["before"], 1);
}

#[test]
fn typing_profile_reads_a_wrong_word_pick_as_the_meant_word() {
    // `仁和` for `任何`: each char alone makes sense beside the other, so
    // only the whole word of the same syllables (ren he) fixes it
    let d = tempfile::tempdir().unwrap();
    let typed = "在仁和情况下都不要删除这个文件。";
    zh(d.path())
        .args(["fix", "--profile", "typing", "--apply", "review", "-"])
        .write_stdin(typed)
        .assert()
        .stdout("在任何情况下都不要删除这个文件。");
    // the OCR profile offers no such word: the chars look nothing alike
    zh(d.path())
        .args(["fix", "--apply", "review", "-"])
        .write_stdin(typed)
        .assert()
        .stdout(typed);
}
