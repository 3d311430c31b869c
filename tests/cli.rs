//! Command-line tests: inputs and outputs, formats, exit codes, record
//! mode, explain, configuration, encodings, writes.
//!
//! Until the rule families land there are no built-in rules, so most runs
//! report nothing: these tests exercise the plumbing. Tests that need a
//! real rule are `#[ignore]`d with the reason.
use assert_cmd::Command;
use predicates::prelude::*;
use std::fs;
use std::path::Path;

fn zh(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("zhclean").unwrap();
    c.current_dir(dir);
    c
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

const TEXT: &str = "第一段文字，内容完整。\r\n\r\n第二段\n最后一行没有换行";

#[test]
fn stdin_to_stdout_keeps_every_byte() {
    let d = tmp();
    let out = zh(d.path())
        .args(["fix", "--no-config", "-"])
        .write_stdin(TEXT)
        .assert()
        .code(0)
        .get_output()
        .clone();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), TEXT);
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn check_a_file() {
    let d = tmp();
    fs::write(d.path().join("a.txt"), TEXT).unwrap();
    zh(d.path())
        .args(["check", "--no-config", "a.txt"])
        .assert()
        .code(0)
        .stdout("no findings in 1 file\n");
}

#[test]
fn missing_file_is_an_error_and_others_go_on() {
    let d = tmp();
    fs::write(d.path().join("a.txt"), TEXT).unwrap();
    zh(d.path())
        .args(["check", "--no-config", "missing.txt", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("missing.txt"))
        .stdout(predicate::str::contains("in 1 file"));
}

#[test]
fn usage_errors_exit_2() {
    let d = tmp();
    zh(d.path()).args(["check", "--bogus"]).assert().code(2);
    zh(d.path())
        .args(["fix", "--apply", "suggest", "-"])
        .assert()
        .code(2);
    zh(d.path())
        .args(["fix", "--write", "--out", "x", "-"])
        .assert()
        .code(2);
    // Several inputs to stdout.
    fs::write(d.path().join("a.txt"), "甲").unwrap();
    fs::write(d.path().join("b.txt"), "乙").unwrap();
    zh(d.path())
        .args(["fix", "--no-config", "a.txt", "b.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--write, --out DIR or --diff"));
    // stdin cannot be written in place.
    zh(d.path())
        .args(["fix", "--no-config", "--write", "-"])
        .write_stdin("甲")
        .assert()
        .code(2);
    // A bad regex.
    zh(d.path())
        .args(["check", "--no-config", "--ignore-re", "(", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ignore_re"));
}

fn tree(root: &Path) {
    fs::create_dir_all(root.join("sub/deeper")).unwrap();
    fs::create_dir_all(root.join(".git")).unwrap();
    fs::write(root.join("a.txt"), "甲乙丙\n").unwrap();
    fs::write(root.join("sub/b.txt"), "天地\r\n\r\n己").unwrap();
    fs::write(root.join("sub/deeper/NOTES"), "庚辛\n").unwrap();
    fs::write(root.join("sub/page.md"), "壬癸\n").unwrap();
    fs::write(root.join("image.png"), b"\x89PNG\r\n\x1a\n\x00\x00").unwrap();
    fs::write(root.join(".git/HEAD"), "ref\n").unwrap();
}

fn files_under(root: &Path) -> Vec<String> {
    let mut v = Vec::new();
    fn rec(base: &Path, d: &Path, v: &mut Vec<String>) {
        for e in fs::read_dir(d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                rec(base, &p, v);
            } else if p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".zhclean-manifest"))
            {
                // The corpus-run manifest and its findings (tests/corpus.rs
                // and tests/cli_pipeline.rs cover them).
            } else {
                v.push(
                    p.strip_prefix(base)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/"),
                );
            }
        }
    }
    rec(root, root, &mut v);
    v.sort();
    v
}

#[test]
fn directory_with_out_mirrors_the_tree() {
    let d = tmp();
    tree(&d.path().join("in"));
    zh(d.path())
        .args(["fix", "--no-config", "in", "--out", "out"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("in 3 files"));
    assert_eq!(
        files_under(&d.path().join("out")),
        ["a.txt", "sub/b.txt", "sub/deeper/NOTES"]
    );
    assert_eq!(
        fs::read(d.path().join("out/sub/b.txt")).unwrap(),
        "天地\r\n\r\n己".as_bytes()
    );
    // --ext and --glob choose other files.
    zh(d.path())
        .args(["fix", "--no-config", "in", "--out", "out2", "--ext", "md"])
        .args(["--glob", "N*"])
        .assert()
        .code(0);
    assert_eq!(
        files_under(&d.path().join("out2")),
        ["sub/deeper/NOTES", "sub/page.md"]
    );
}

#[test]
fn out_failure_is_reported_and_batch_goes_on() {
    let d = tmp();
    tree(&d.path().join("in"));
    // The target of a.txt is a directory: that file fails, others are written.
    fs::create_dir_all(d.path().join("out/a.txt")).unwrap();
    zh(d.path())
        .args(["fix", "--no-config", "in", "--out", "out"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("a.txt: is a directory"));
    assert!(d.path().join("out/sub/b.txt").is_file());
    assert!(d.path().join("out/a.txt").is_dir());
}

#[test]
fn write_in_place_is_atomic_and_failure_keeps_original() {
    let d = tmp();
    let gb = encoding_rs::GB18030
        .encode("中文报纸的内容。\r\n")
        .0
        .into_owned();
    fs::write(d.path().join("gb.txt"), &gb).unwrap();
    fs::write(d.path().join("ro.txt"), &gb).unwrap();
    let mut perms = fs::metadata(d.path().join("ro.txt")).unwrap().permissions();
    perms.set_readonly(true);
    fs::set_permissions(d.path().join("ro.txt"), perms).unwrap();
    // --to-utf8 forces a rewrite: gb.txt is converted, ro.txt refused.
    zh(d.path())
        .args([
            "fix",
            "--no-config",
            "--write",
            "--to-utf8",
            "gb.txt",
            "ro.txt",
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ro.txt: file is read-only"));
    assert_eq!(
        fs::read_to_string(d.path().join("gb.txt")).unwrap(),
        "中文报纸的内容。\r\n"
    );
    assert_eq!(fs::read(d.path().join("ro.txt")).unwrap(), gb);
    // No temporary files are left behind.
    assert_eq!(files_under(d.path()), ["gb.txt", "ro.txt"]);
    // Without changes, --write leaves files alone (a read-only one too).
    zh(d.path())
        .args(["fix", "--no-config", "--write", "ro.txt"])
        .assert()
        .code(0);
}

#[test]
fn every_format_on_clean_input() {
    let d = tmp();
    fs::write(d.path().join("a.txt"), TEXT).unwrap();
    for (fmt, expect) in [
        ("human", "no findings in 1 file\n"),
        ("jsonl", ""),
        ("github", ""),
    ] {
        zh(d.path())
            .args(["check", "--no-config", "--format", fmt, "a.txt"])
            .assert()
            .code(0)
            .stdout(expect);
    }
    zh(d.path())
        .args(["check", "--no-config", "--format", "diff", "a.txt"])
        .assert()
        .code(0)
        .stdout("");
    zh(d.path())
        .args(["fix", "--no-config", "--diff", "a.txt"])
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn sarif_has_required_fields() {
    let d = tmp();
    fs::write(d.path().join("a.txt"), TEXT).unwrap();
    let out = zh(d.path())
        .args(["check", "--no-config", "--format", "sarif", "a.txt"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["version"], "2.1.0");
    assert!(v["$schema"].as_str().unwrap().contains("sarif-2.1.0"));
    let run = &v["runs"][0];
    assert_eq!(run["tool"]["driver"]["name"], "zhclean");
    assert!(run["tool"]["driver"]["rules"].is_array());
    assert!(run["results"].as_array().unwrap().is_empty());
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    for r in run["tool"]["driver"]["rules"].as_array().unwrap() {
        assert!(r["id"].is_string() && r["shortDescription"]["text"].is_string());
    }
}

#[test]
fn jsonl_records_with_a_bad_line_in_the_middle() {
    let d = tmp();
    let input = concat!(
        "{\"id\": 1, \"text\": \"第一条\\r\\n第二行\"}\n",
        "this is not json\n",
        "\n",
        "{\"id\": \"b\", \"body\": \"no text\"}\n",
        "[1, 2]\n",
        "{\"text\": \"无编号\"}\n",
        "{\"id\": {\"k\": 5}, \"text\": \"\"}\n",
    );
    // Every record was answered (bad ones with error objects): exit 0.
    let out = zh(d.path())
        .args(["fix", "--no-config", "--format", "jsonl", "-"])
        .write_stdin(input)
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let lines: Vec<serde_json::Value> = String::from_utf8(out)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 6, "{lines:?}");
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(lines[0]["text"], "第一条\r\n第二行");
    assert!(lines[0]["findings"].as_array().unwrap().is_empty());
    assert_eq!(lines[1]["line"], 2);
    assert!(lines[1]["id"].is_null());
    assert!(lines[1]["error"].as_str().unwrap().contains("invalid JSON"));
    assert_eq!(lines[2]["id"], "b");
    assert_eq!(lines[2]["line"], 4);
    assert!(lines[2]["error"].as_str().unwrap().contains("text"));
    assert_eq!(lines[3]["line"], 5);
    assert!(lines[4]["id"].is_null());
    assert_eq!(lines[4]["text"], "无编号");
    assert_eq!(lines[5]["id"]["k"], 5);
    // All good lines: exit 0.
    zh(d.path())
        .args(["fix", "--no-config", "--format", "jsonl", "-"])
        .write_stdin("{\"id\":1,\"text\":\"甲\"}\n{\"id\":2,\"text\":\"乙\"}")
        .assert()
        .code(0)
        .stdout("{\"findings\":[],\"id\":1,\"text\":\"甲\"}\n{\"findings\":[],\"id\":2,\"text\":\"乙\"}\n");
}

#[test]
fn explain_list_and_unknown() {
    let d = tmp();
    let out = zh(d.path())
        .args(["explain", "--list"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let n = zhclean::rules::all_rules().len();
    assert_eq!(String::from_utf8(out).unwrap().lines().count(), n);
    zh(d.path())
        .args(["explain", "Q999"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown rule `Q999`"));
    zh(d.path()).args(["explain"]).assert().code(2);
}

#[test]
fn explain_prints_each_rule_doc() {
    let d = tmp();
    for m in zhclean::rules::all_rules() {
        zh(d.path())
            .args(["explain", m.code])
            .assert()
            .code(0)
            .stdout(
                predicate::str::contains(m.name).and(predicate::str::contains("## Fix safety")),
            );
        zh(d.path())
            .args(["explain", &m.code.to_lowercase()])
            .assert()
            .code(0);
    }
}

#[test]
fn config_precedence_and_errors() {
    let d = tmp();
    let sub = d.path().join("project/sub");
    fs::create_dir_all(&sub).unwrap();
    fs::write(
        d.path().join("project/zhclean.toml"),
        "apply = \"review\"\nallow = [\"孙雄\"]\nallow_files = [\"allow.txt\"]\n",
    )
    .unwrap();
    fs::write(d.path().join("project/allow.txt"), "新华社\n").unwrap();
    fs::write(
        d.path().join("other.toml"),
        "apply = \"safe\"\nallow = [\"摄影\"]\n",
    )
    .unwrap();

    let dump = |args: &[&str]| -> String {
        let out = zh(&sub)
            .args(["config", "--dump"])
            .args(args)
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        String::from_utf8(out).unwrap()
    };
    // Discovered upward.
    let s = dump(&[]);
    assert!(s.contains("apply = \"review\""), "{s}");
    assert!(s.contains("孙雄") && s.contains("allow.txt"), "{s}");
    // --config layers on top.
    let s = dump(&["--config", "../../other.toml"]);
    assert!(s.contains("apply = \"safe\""), "{s}");
    assert!(s.contains("孙雄") && s.contains("摄影"), "{s}");
    // Flags win.
    let s = dump(&["--config", "../../other.toml", "--apply", "review"]);
    assert!(s.contains("apply = \"review\""), "{s}");
    // --no-config skips discovery.
    let s = dump(&["--no-config"]);
    assert!(s.contains("apply = \"safe\"") && !s.contains("孙雄"), "{s}");

    // The allow-list file is loaded (a missing one is an error).
    fs::write(
        d.path().join("project/zhclean.toml"),
        "allow_files = [\"nope.txt\"]\n",
    )
    .unwrap();
    zh(&sub)
        .args(["check", "-"])
        .write_stdin("甲")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nope.txt"));

    // Unknown keys name the key and the file.
    fs::write(d.path().join("project/zhclean.toml"), "aply = \"safe\"\n").unwrap();
    zh(&sub)
        .args(["check", "-"])
        .write_stdin("甲")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("aply").and(predicate::str::contains("zhclean.toml")));
    fs::write(
        d.path().join("project/zhclean.toml"),
        "[rules]\nunknown_rule_key = 1\n",
    )
    .unwrap();
    zh(&sub)
        .args(["config", "--dump"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown_rule_key"));
    // Unknown rule codes are errors too.
    fs::write(
        d.path().join("project/zhclean.toml"),
        "[rules]\ndisable = [\"Q999\"]\n",
    )
    .unwrap();
    zh(&sub)
        .args(["config", "--dump"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Q999"));
}

#[test]
fn utf8_bom_is_kept() {
    let d = tmp();
    let mut b = b"\xEF\xBB\xBF".to_vec();
    b.extend_from_slice(TEXT.as_bytes());
    fs::write(d.path().join("bom.txt"), &b).unwrap();
    let out = zh(d.path())
        .args(["fix", "--no-config", "bom.txt"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(out, b);
    let out = zh(d.path())
        .args(["fix", "--no-config", "--to-utf8", "bom.txt"])
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    assert_eq!(out, TEXT.as_bytes());
    // A BOM-only file.
    fs::write(d.path().join("only.txt"), b"\xEF\xBB\xBF").unwrap();
    zh(d.path())
        .args(["fix", "--no-config", "only.txt"])
        .assert()
        .code(0)
        .stdout(predicate::eq(b"\xEF\xBB\xBF" as &[u8]));
}

#[test]
fn utf16_le_bom_roundtrips() {
    let d = tmp();
    let mut b = vec![0xFF, 0xFE];
    b.extend(TEXT.encode_utf16().flat_map(|u| u.to_le_bytes()));
    fs::write(d.path().join("u16.txt"), &b).unwrap();
    let out = zh(d.path())
        .args(["fix", "--no-config", "u16.txt"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("decoded as UTF-16LE"))
        .get_output()
        .stdout
        .clone();
    assert_eq!(out, b);
    zh(d.path())
        .args(["fix", "--no-config", "--to-utf8", "u16.txt"])
        .assert()
        .code(0)
        .stdout(TEXT);
}

#[test]
fn gb18030_detected_with_notice_and_written_back() {
    let d = tmp();
    let gb = encoding_rs::GB18030.encode(TEXT).0.into_owned();
    assert!(std::str::from_utf8(&gb).is_err());
    fs::write(d.path().join("gb.txt"), &gb).unwrap();
    let out = zh(d.path())
        .args(["fix", "--no-config", "gb.txt"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("gb.txt: decoded as GB18030"))
        .get_output()
        .stdout
        .clone();
    assert_eq!(out, gb);
    zh(d.path())
        .args(["fix", "--no-config", "--to-utf8", "gb.txt"])
        .assert()
        .code(0)
        .stdout(TEXT);
    // --out keeps the encoding too.
    zh(d.path())
        .args(["fix", "--no-config", "gb.txt", "--out", "o"])
        .assert()
        .code(0);
    assert_eq!(fs::read(d.path().join("o/gb.txt")).unwrap(), gb);
}

#[test]
fn invalid_bytes_error_with_offset_and_batch_goes_on() {
    let d = tmp();
    let dir = d.path().join("in");
    fs::create_dir(&dir).unwrap();
    fs::write(dir.join("a_bad.txt"), b"abc caf\xE9 au lait\n").unwrap();
    // Invalid byte after a valid 8 KiB prefix: found while streaming.
    let mut late = "x".repeat(9000).into_bytes();
    late.extend_from_slice(b"\n\xFF\n");
    fs::write(dir.join("b_late.txt"), &late).unwrap();
    fs::write(dir.join("c_good.txt"), TEXT).unwrap();
    zh(d.path())
        .args(["fix", "--no-config", "in", "--out", "out"])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("a_bad.txt: invalid UTF-8 at byte 7").and(
                predicate::str::contains("b_late.txt: invalid UTF-8 at byte 9001"),
            ),
        );
    assert_eq!(files_under(&d.path().join("out")), ["c_good.txt"]);
    // --write leaves the bad file untouched.
    zh(d.path())
        .args(["fix", "--no-config", "--write", "--to-utf8", "in"])
        .assert()
        .code(2);
    assert_eq!(fs::read(dir.join("b_late.txt")).unwrap(), late);
}

#[test]
fn binary_skipped_and_empty_fine() {
    let d = tmp();
    fs::write(d.path().join("bin.txt"), b"abc\x00def").unwrap();
    fs::write(d.path().join("empty.txt"), b"").unwrap();
    zh(d.path())
        .args(["check", "--no-config", "bin.txt", "empty.txt"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("bin.txt").not())
        .stdout(predicate::str::contains("1 binary file skipped"));
    // -v lists them.
    zh(d.path())
        .args(["check", "--no-config", "-v", "bin.txt", "empty.txt"])
        .assert()
        .code(0)
        .stderr(predicate::str::contains("bin.txt: skipped: binary"))
        .stdout(predicate::str::contains("1 binary file skipped"));
    zh(d.path())
        .args(["fix", "--no-config", "empty.txt"])
        .assert()
        .code(0)
        .stdout("");
    zh(d.path())
        .args(["fix", "--no-config", "-"])
        .write_stdin("")
        .assert()
        .code(0)
        .stdout("");
}

#[test]
fn output_independent_of_threads() {
    let d = tmp();
    let dir = d.path().join("in");
    fs::create_dir(&dir).unwrap();
    for i in 0..150 {
        fs::write(
            dir.join(format!("doc{i:03}.txt")),
            format!("第{i}篇，甲,乙\r\n\r\n内容 {i}\n"),
        )
        .unwrap();
    }
    let run = |cmd: &str, j: &str, fmt: &str, out: &str| {
        let mut c = zh(d.path());
        c.args([cmd, "--no-config", "in", "-j", j, "--format", fmt]);
        if cmd == "fix" {
            c.args(["--out", out]);
        }
        let o = c.output().unwrap();
        (o.status.code(), o.stdout)
    };
    for (cmd, fmt) in [("check", "jsonl"), ("check", "sarif"), ("check", "human")] {
        let one = run(cmd, "1", fmt, "");
        assert!(matches!(one.0, Some(0 | 1)), "{cmd} {fmt}: {:?}", one.0);
        assert_eq!(one, run(cmd, "2", fmt, ""), "{cmd} {fmt}");
    }
    assert_eq!(
        run("fix", "1", "human", "o1"),
        run("fix", "2", "human", "o2")
    );
    for i in [0, 77, 149] {
        let name = format!("doc{i:03}.txt");
        assert_eq!(
            fs::read(d.path().join("o1").join(&name)).unwrap(),
            fs::read(d.path().join("o2").join(&name)).unwrap()
        );
    }
    assert_eq!(files_under(&d.path().join("o2")).len(), 150);
}

#[test]
fn quiet_prints_nothing() {
    let d = tmp();
    zh(d.path())
        .args(["check", "--no-config", "-q", "-"])
        .write_stdin("甲")
        .assert()
        .code(0)
        .stdout("");
}

// Rule C701 (user corrections): findings driven entirely by user data.
#[test]
fn user_corrections_give_findings_and_exit_1() {
    let d = tmp();
    fs::write(d.path().join("fix.tsv"), "错字\t正字\n").unwrap();
    fs::write(d.path().join("a.txt"), "这里有错字。\n").unwrap();
    zh(d.path())
        .args(["check", "--no-config", "--corrections", "fix.tsv", "a.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("a.txt:1:4: C701"));
    for fmt in ["jsonl", "sarif", "github"] {
        zh(d.path())
            .args([
                "check",
                "--no-config",
                "--corrections",
                "fix.tsv",
                "--format",
                fmt,
            ])
            .arg("a.txt")
            .assert()
            .code(1)
            .stdout(predicate::str::contains("C701"));
    }
    // Allow-listed terms win over corrections.
    zh(d.path())
        .args(["check", "--no-config", "--corrections", "fix.tsv"])
        .args(["--allow-term", "有错字", "a.txt"])
        .assert()
        .code(0);
}

#[test]
fn jsonl_records_answer_each_line_at_once() {
    // A co-process writes one record and waits for the answer before the
    // next: the reply must not wait for more input.
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;
    let bin = assert_cmd::cargo::cargo_bin("zhclean");
    let mut child = std::process::Command::new(bin)
        .args(["fix", "--no-config", "--format", "jsonl", "-j", "2", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let stdout = child.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines() {
            if tx.send(line.unwrap()).is_err() {
                return;
            }
        }
    });
    for i in 0..3 {
        writeln!(stdin, "{{\"id\": {i}, \"text\": \"第{i}条\"}}").unwrap();
        stdin.flush().unwrap();
        let got = rx.recv_timeout(std::time::Duration::from_secs(20));
        let Ok(got) = got else {
            let _ = child.kill();
            panic!("no answer to record {i}");
        };
        let v: serde_json::Value = serde_json::from_str(&got).unwrap();
        assert_eq!(v["id"], i);
    }
    drop(stdin);
    assert_eq!(child.wait().unwrap().code(), Some(0));
}

#[test]
fn jsonl_records_from_a_file_in_order() {
    let d = tmp();
    let mut input = String::new();
    for i in 0..600 {
        input.push_str(&format!("{{\"id\": {i}, \"text\": \"第{i}条,内容\"}}\n"));
    }
    fs::write(d.path().join("r.jsonl"), &input).unwrap();
    for j in ["1", "2"] {
        let out = zh(d.path())
            .args([
                "fix",
                "--no-config",
                "--format",
                "jsonl",
                "-j",
                j,
                "r.jsonl",
            ])
            .assert()
            .code(0)
            .get_output()
            .stdout
            .clone();
        let ids: Vec<i64> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| {
                serde_json::from_str::<serde_json::Value>(l).unwrap()["id"]
                    .as_i64()
                    .unwrap()
            })
            .collect();
        assert_eq!(ids, (0..600).collect::<Vec<i64>>());
    }
}

#[test]
fn ci_formats_record_file_errors() {
    let d = tmp();
    fs::write(d.path().join("a.txt"), "甲").unwrap();
    fs::write(d.path().join("bad.txt"), b"caf\xE9 x").unwrap();
    zh(d.path())
        .args([
            "check",
            "--no-config",
            "--format",
            "github",
            "a.txt",
            "bad.txt",
        ])
        .assert()
        .code(2)
        .stdout("::error file=bad.txt,title=zhclean::bad.txt: invalid UTF-8 at byte 3\n");
    let out = zh(d.path())
        .args([
            "check",
            "--no-config",
            "--format",
            "sarif",
            "a.txt",
            "bad.txt",
            "nope.txt",
        ])
        .assert()
        .code(2)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let inv = &v["runs"][0]["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let notes = inv["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["level"], "error");
    assert!(notes[1]["message"]["text"]
        .as_str()
        .unwrap()
        .contains("invalid UTF-8"));
}

// The tests below use built-in rules through their most basic behaviour
// (P201: an ASCII comma between Han characters becomes `，`, tier safe;
// R401: a doubled character, tier review).

#[test]
fn findings_exit_1_in_every_format() {
    let d = tmp();
    fs::write(d.path().join("a.txt"), "今天天气很好,我们去公园。\n").unwrap();
    for fmt in ["human", "jsonl", "sarif", "github", "diff"] {
        zh(d.path())
            .args(["check", "--no-config", "--format", fmt, "a.txt"])
            .assert()
            .code(1)
            .stdout(predicate::str::is_empty().not());
    }
    zh(d.path())
        .args(["check", "--no-config", "a.txt"])
        .assert()
        .stdout(predicate::str::contains("a.txt:1:7: P201 [safe]"));
    // Disabled in the config: nothing to report.
    fs::write(
        d.path().join("zhclean.toml"),
        "[rules]\ndisable = [\"P201\"]\n",
    )
    .unwrap();
    zh(d.path()).args(["check", "a.txt"]).assert().code(0);
    // Only another rule: nothing either.
    zh(d.path())
        .args(["check", "--no-config", "--only", "R401", "a.txt"])
        .assert()
        .code(0);
}

#[test]
fn fix_applies_safe_tier_and_exit_reflects_pending() {
    let d = tmp();
    fs::write(d.path().join("a.txt"), "今天天气很好,我们去公园。\r\n").unwrap();
    // Everything fixed: exit 0, text on stdout, a summary on stderr.
    zh(d.path())
        .args(["fix", "--no-config", "a.txt"])
        .assert()
        .code(0)
        .stdout("今天天气很好，我们去公园。\r\n")
        .stderr(
            predicate::str::contains("1 fix applied").and(predicate::str::contains("P201").not()),
        );
    // --diff shows the change and exits 1; nothing written.
    zh(d.path())
        .args(["fix", "--no-config", "--diff", "a.txt"])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("+今天天气很好，我们去公园。"));
    // --write changes the file atomically and keeps its permissions.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(d.path().join("a.txt"), fs::Permissions::from_mode(0o600)).unwrap();
    }
    zh(d.path())
        .args(["fix", "--no-config", "--write", "a.txt"])
        .assert()
        .code(0)
        .stdout(predicate::str::contains("1 fix applied; 1 file changed"));
    assert_eq!(
        fs::read_to_string(d.path().join("a.txt")).unwrap(),
        "今天天气很好，我们去公园。\r\n"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = fs::metadata(d.path().join("a.txt"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(files_under(d.path()), ["a.txt"]);
    // A review-tier finding stays pending under --apply safe.
    fs::write(d.path().join("b.txt"), "这是的的一个问题。\n").unwrap();
    zh(d.path())
        .args(["fix", "--no-config", "b.txt"])
        .assert()
        .code(1)
        .stdout("这是的的一个问题。\n")
        .stderr(predicate::str::contains("use --apply review"));
    zh(d.path())
        .args(["fix", "--no-config", "--apply", "review", "b.txt"])
        .assert()
        .code(0)
        .stdout("这是的一个问题。\n");
}

#[test]
fn downgrade_lowers_and_never_raises() {
    let d = tmp();
    fs::write(d.path().join("a.txt"), "今天天气很好,我们去公园。\n").unwrap();
    fs::write(
        d.path().join("zhclean.toml"),
        "[rules.downgrade]\nP201 = \"review\"\n",
    )
    .unwrap();
    zh(d.path())
        .args(["fix", "a.txt"])
        .assert()
        .code(1)
        .stdout("今天天气很好,我们去公园。\n");
    zh(d.path())
        .args(["fix", "--apply", "review", "a.txt"])
        .assert()
        .code(0)
        .stdout("今天天气很好，我们去公园。\n");
    fs::write(
        d.path().join("zhclean.toml"),
        "[rules.downgrade]\nR401 = \"safe\"\n",
    )
    .unwrap();
    zh(d.path())
        .args(["check", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("never raised"));
}

#[test]
fn allow_and_ignore_re_protect_text() {
    let d = tmp();
    fs::write(d.path().join("a.txt"), "今天天气很好,我们去公园。\n").unwrap();
    zh(d.path())
        .args(["check", "--no-config", "--allow-term", "很好,我们", "a.txt"])
        .assert()
        .code(0);
    zh(d.path())
        .args(["check", "--no-config", "--ignore-re", "好.我", "a.txt"])
        .assert()
        .code(0);
    fs::write(d.path().join("allow.txt"), "# protected\n好,我\n").unwrap();
    zh(d.path())
        .args(["check", "--no-config", "--allow", "allow.txt", "a.txt"])
        .assert()
        .code(0);
}

#[test]
fn jsonl_records_carry_findings() {
    let d = tmp();
    let out = zh(d.path())
        .args(["fix", "--no-config", "--format", "jsonl", "-"])
        .write_stdin("{\"id\": \"a\", \"text\": \"今天天气很好,我们去公园。\"}\n")
        .assert()
        .code(0)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    assert_eq!(v["text"], "今天天气很好，我们去公园。");
    let f = &v["findings"][0];
    assert_eq!(f["rule"], "P201");
    assert_eq!(f["applied"], true);
    assert_eq!(f["span"]["char_start"], 6);
    assert_eq!(f["span"]["byte_start"], 18);
    assert_eq!(f["column"], 7);
}

#[test]
fn user_files_from_config_and_flags() {
    let d = tmp();
    fs::create_dir(d.path().join("cfg")).unwrap();
    fs::write(d.path().join("cfg/fix.tsv"), "错字\t正字\n").unwrap();
    fs::write(
        d.path().join("cfg/zhclean.toml"),
        "corrections = [\"fix.tsv\"]\n",
    )
    .unwrap();
    fs::write(d.path().join("a.txt"), "这里有错字。\n").unwrap();
    // Paths in a config file are relative to that file.
    zh(d.path())
        .args(["fix", "--config", "cfg/zhclean.toml", "a.txt"])
        .assert()
        .code(0)
        .stdout("这里有正字。\n");
    // A malformed user file: an error naming file and line.
    fs::write(d.path().join("bad.tsv"), "# comment\nno separator here\n").unwrap();
    zh(d.path())
        .args(["check", "--no-config", "--corrections", "bad.tsv", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("bad.tsv:2"));
    fs::write(d.path().join("words.txt"), "新词语 notanumber\n").unwrap();
    zh(d.path())
        .args(["check", "--no-config", "--dict", "words.txt", "a.txt"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("words.txt:1"));
    fs::write(d.path().join("words.txt"), "新词语 100\n").unwrap();
    zh(d.path())
        .args(["check", "--no-config", "--dict", "words.txt", "a.txt"])
        .assert()
        .code(0);
}

#[cfg(unix)]
#[test]
fn write_through_a_symlink_keeps_the_link() {
    let d = tmp();
    let gb = encoding_rs::GB18030
        .encode("中文报纸的内容。\n")
        .0
        .into_owned();
    fs::write(d.path().join("real.txt"), &gb).unwrap();
    std::os::unix::fs::symlink("real.txt", d.path().join("link.txt")).unwrap();
    zh(d.path())
        .args(["fix", "--no-config", "--write", "--to-utf8", "link.txt"])
        .assert()
        .code(0);
    let meta = fs::symlink_metadata(d.path().join("link.txt")).unwrap();
    assert!(meta.file_type().is_symlink());
    assert_eq!(
        fs::read_to_string(d.path().join("real.txt")).unwrap(),
        "中文报纸的内容。\n"
    );
}

#[test]
fn malformed_gb18030_and_utf16_later_in_the_stream() {
    let d = tmp();
    // GB18030 detected from the start; a lone lead byte far into the file.
    let mut gb = encoding_rs::GB18030
        .encode(&"中文报纸的内容。\n".repeat(1000))
        .0
        .into_owned();
    let at = gb.len();
    gb.extend_from_slice(b"\x81 tail\n");
    fs::write(d.path().join("gb.txt"), &gb).unwrap();
    // UTF-16LE with an unpaired surrogate after 5000 units.
    let mut u16 = vec![0xFF, 0xFE];
    u16.extend(
        "字"
            .repeat(5000)
            .encode_utf16()
            .flat_map(|u| u.to_le_bytes()),
    );
    u16.extend_from_slice(&[0x00, 0xDC, 0x41, 0x00]);
    fs::write(d.path().join("u16.txt"), &u16).unwrap();
    fs::write(d.path().join("ok.txt"), "好\n").unwrap();
    zh(d.path())
        .args([
            "fix",
            "--no-config",
            "gb.txt",
            "u16.txt",
            "ok.txt",
            "--out",
            "o",
        ])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains(format!("gb.txt: invalid GB18030 at byte {at}")).and(
                predicate::str::contains("u16.txt: invalid UTF-16LE at byte 10002"),
            ),
        );
    assert_eq!(files_under(&d.path().join("o")), ["ok.txt"]);
}

#[test]
fn stdin_check_colors_and_sarif_rule_index() {
    let d = tmp();
    let text = "今天天气很好,我们去公园。\n";
    zh(d.path())
        .args(["check", "--no-config", "--color", "never", "-"])
        .write_stdin(text)
        .assert()
        .code(1)
        .stdout(
            predicate::str::starts_with("-:1:7: P201 [safe]")
                .and(predicate::str::contains("\x1b[").not()),
        );
    zh(d.path())
        .args(["check", "--no-config", "--color", "always", "-"])
        .write_stdin(text)
        .assert()
        .code(1)
        .stdout(predicate::str::contains("\x1b["));
    let out = zh(d.path())
        .args(["check", "--no-config", "--format", "sarif", "-"])
        .write_stdin(text)
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let run = &v["runs"][0];
    let r = &run["results"][0];
    let i = r["ruleIndex"].as_u64().unwrap() as usize;
    assert_eq!(run["tool"]["driver"]["rules"][i]["id"], r["ruleId"]);
    assert_eq!(r["ruleId"], "P201");
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startColumn"], 7);
    assert_eq!(region["charOffset"], 6);
    assert_eq!(region["charLength"], 1);
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn broken_pipe_exits_quietly() {
    use std::io::{Read, Write};
    use std::process::Stdio;
    let bin = assert_cmd::cargo::cargo_bin("zhclean");
    for args in [
        vec!["fix", "--no-config", "-"],
        vec!["check", "--no-config", "--format", "jsonl", "-"],
    ] {
        let mut child = std::process::Command::new(&bin)
            .args(&args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Close our end of stdout before the child writes anything.
        drop(child.stdout.take());
        let mut stdin = child.stdin.take().unwrap();
        let feeder = std::thread::spawn(move || {
            let line = "今天天气很好,我们去公园。\n".repeat(100);
            for _ in 0..4 {
                if stdin.write_all(line.as_bytes()).is_err() {
                    return;
                }
            }
        });
        let mut err = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut err)
            .unwrap();
        let status = child.wait().unwrap();
        feeder.join().unwrap();
        assert_eq!(status.code(), Some(0), "{args:?}: {err}");
        assert!(err.is_empty(), "{args:?}: {err}");
    }
}

/// `fix` in human format counts applied findings without keeping them
/// (bounded memory on large files); the summary must still count them, the
/// same as a format that lists every finding.
#[test]
fn fix_summary_counts_applied_findings() {
    let d = tmp();
    fs::create_dir(d.path().join("in")).unwrap();
    fs::write(
        d.path().join("in/a.txt"),
        "他来了,我们走;她说:好的\n我们的的确很好\n",
    )
    .unwrap();
    let human = zh(d.path())
        .args(["fix", "--no-config", "in", "--out", "o1"])
        .assert()
        .get_output()
        .stdout
        .clone();
    let human = String::from_utf8(human).unwrap();
    assert!(
        human.contains("3 findings (safe 3, review 0, suggest 0) in 1 file; 3 fixes applied"),
        "{human}"
    );
    let sarif = zh(d.path())
        .args([
            "fix",
            "--no-config",
            "--format",
            "sarif",
            "in",
            "--out",
            "o2",
        ])
        .assert()
        .get_output()
        .stdout
        .clone();
    let v: serde_json::Value = serde_json::from_slice(&sarif).unwrap();
    assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), 3);
    assert_eq!(
        fs::read_to_string(d.path().join("o1/a.txt")).unwrap(),
        "他来了，我们走；她说：好的\n我们的的确很好\n"
    );
}
