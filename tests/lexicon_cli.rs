//! `zhclean dict` on the command line.
use assert_cmd::Command;
use predicates::prelude::*;

fn zhclean() -> Command {
    Command::cargo_bin("zhclean").unwrap()
}

#[test]
fn dict_lookup_shows_entries_and_fails_on_unknown_words() {
    zhclean()
        .args(["dict", "lookup", "一举两得"])
        .assert()
        .success()
        .stdout(predicate::str::contains("一举两得\t67\tidiom\t"));
    zhclean()
        .args(["dict", "lookup", "的", "不存在词"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("不存在词\t-\tnot in lexicon"))
        .stdout(predicate::str::contains("pinyin de,dī,dí,dì strokes 8"));
}

#[test]
fn dict_segment_prints_tokens() {
    zhclean()
        .args(["dict", "segment", "南京市长江大桥"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("南京市 / 长江大桥\n"));
    zhclean()
        .args(["dict", "segment"])
        .write_stdin("我们很好\n")
        .assert()
        .success()
        .stdout(predicate::str::starts_with("我们 / 很 / 好\n"));
}

#[test]
fn dict_build_checks_lines_and_writes_a_usable_fst() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.txt");
    std::fs::write(&bad, "夏都湖 5000\n甲乙 x\n").unwrap();
    let out = dir.path().join("user.fst");
    zhclean()
        .args(["dict", "build", "--words"])
        .arg(&bad)
        .arg("-o")
        .arg(&out)
        .assert()
        .code(2)
        .stderr(predicate::str::contains(format!(
            "{}:2: frequency `x` is not a whole number",
            bad.display()
        )));
    assert!(!out.exists());
    let good = dir.path().join("good.txt");
    std::fs::write(&good, "夏都湖 5000 place\n").unwrap();
    zhclean()
        .args(["dict", "build", "--words"])
        .arg(&good)
        .arg("-o")
        .arg(&out)
        .assert()
        .success();
    zhclean()
        .args(["dict", "lookup", "夏都湖", "--words"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("夏都湖\t5000\tplace,user\t"));
}

#[test]
fn dict_similar_shows_look_alikes_and_channel() {
    // 未 and 末 are the textbook look-alike pair; the listing is ranked.
    let out = zhclean()
        .args(["dict", "similar", "-n", "30", "未"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let first = out.lines().next().unwrap();
    assert!(first.starts_with("未\tlook-alikes:"), "{out}");
    assert!(first.contains("末:"), "{out}");
    // A character with no glyph data: reported, exit 1.
    zhclean().args(["dict", "similar", "a"]).assert().code(1);
}

#[test]
fn dict_similar_shows_visual_neighbours() {
    // The rendered-bitmap table: 末 is among 未's first visual neighbours,
    // and `-n` bounds the listing.
    let out = zhclean()
        .args(["dict", "similar", "-n", "5", "未"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    let line = out
        .lines()
        .find(|l| l.starts_with("未\tvisual:"))
        .unwrap_or_else(|| panic!("no visual line: {out}"));
    assert!(line.contains(" 末:"), "{out}");
    assert_eq!(line.matches(':').count(), 1 + 5, "{line}");
    // 㑇 (in the 8,105 table) has no glyph look-alikes, but visual
    // neighbours: listed, exit 0.
    let out = zhclean()
        .args(["dict", "similar", "㑇"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let out = String::from_utf8(out).unwrap();
    assert!(out.contains("㑇\tlook-alikes:\n"), "{out}");
    assert!(out.contains("㑇\tvisual: "), "{out}");
}
