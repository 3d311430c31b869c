//! A line longer than the engine's block limit (256 KiB) through the command
//! line: cut into pieces, written back whole, locations of the whole line.
use assert_cmd::Command;

/// A 1.3 MB single line: sentences with an ASCII comma between Han chars.
fn long_line() -> String {
    "我们今天上午去了公园,天气非常好。".repeat(27_000)
}

fn zh(dir: &std::path::Path) -> Command {
    let mut c = Command::cargo_bin("zhclean").unwrap();
    c.current_dir(dir);
    c
}

#[test]
fn long_line_is_fixed_whole_with_right_locations() {
    let d = tempfile::tempdir().unwrap();
    let line = long_line();
    assert!(line.len() > zhclean::engine::MAX_BLOCK_BYTES);
    std::fs::write(d.path().join("a.txt"), format!("标题\n{line}\n")).unwrap();
    let out = zh(d.path())
        .args(["fix", "--no-config", "--only", "P201", "-q", "a.txt"])
        .output()
        .unwrap();
    let fixed = String::from_utf8(out.stdout).unwrap();
    let want = format!("标题\n{}\n", line.replace(',', "，"));
    // (not assert_eq: the texts are 1.3 MB)
    assert!(
        fixed == want,
        "fixed text differs ({} vs {} bytes)",
        fixed.len(),
        want.len()
    );

    // every comma reported, on line 2, at its column in the whole line
    let out = zh(d.path())
        .args([
            "check",
            "--no-config",
            "--only",
            "P201",
            "--format",
            "jsonl",
            "a.txt",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let records: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .filter(|v: &serde_json::Value| v.get("rule").is_some())
        .collect();
    assert_eq!(records.len(), 27_000);
    let last = records.last().unwrap();
    let per = "我们今天上午去了公园,天气非常好。".chars().count() as u64;
    assert_eq!(last["line"], 2);
    assert_eq!(last["column"], 26_999 * per + 11);
    assert_eq!(last["span"]["char_start"], 3 + 26_999 * per + 10);

    // the human report works without copying the line
    zh(d.path())
        .args(["check", "--no-config", "--only", "P201", "a.txt"])
        .assert()
        .code(1)
        .stdout(predicates::str::contains("a.txt:2:"));
}
