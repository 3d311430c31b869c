//! "Nothing lost": the adversarial cases of issue 19, end to end through the
//! command line. Each test reproduces one way a run could lose or silently
//! change data, and checks that zhclean refuses, reports and leaves the
//! files as they were.

use assert_cmd::Command;
use std::fs;
use std::path::Path;

fn zh(dir: &Path, cmd: &str) -> Command {
    let mut c = Command::cargo_bin("zhclean").unwrap();
    c.current_dir(dir).args([cmd, "--no-config"]);
    c
}

fn zh_fix(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("zhclean").unwrap();
    c.current_dir(dir).args(["fix", "--no-config"]);
    c
}

/// A line zhclean changes (full-width letters and digits).
const FIXABLE: &str = "中文，测试ＡＢＣ１２３。\n";
const FIXED: &str = "中文，测试ABC123。\n";

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn tree(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    fn walk(root: &Path, d: &Path, out: &mut Vec<String>) {
        let Ok(rd) = fs::read_dir(d) else { return };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(root, &p, out);
            } else {
                out.push(p.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    walk(dir, dir, &mut out);
    out.sort();
    out
}

// 1. Two inputs mapping to one output.

#[test]
fn out_collision_of_two_files_is_refused_before_any_write() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    fs::create_dir_all(r.join("a")).unwrap();
    fs::create_dir_all(r.join("b")).unwrap();
    fs::write(r.join("a/x.txt"), FIXABLE).unwrap();
    fs::write(r.join("b/x.txt"), "另一个文件ＸＹ\n").unwrap();
    let o = zh_fix(r)
        .args(["a/x.txt", "b/x.txt", "--out", "out"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("a/x.txt") && e.contains("b/x.txt"), "{e}");
    assert!(
        tree(&r.join("out")).is_empty(),
        "{:?}",
        tree(&r.join("out"))
    );
}

#[test]
fn out_collision_of_two_directories_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    for top in ["d1", "d2"] {
        fs::create_dir_all(r.join(top).join("sub")).unwrap();
        fs::write(r.join(top).join("sub/p.txt"), FIXABLE).unwrap();
    }
    fs::write(r.join("d1/sub/only.txt"), FIXABLE).unwrap();
    let o = zh_fix(r)
        .args(["d1/sub", "d2/sub", "--out", "out"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(
        e.contains("d1/sub/p.txt") && e.contains("d2/sub/p.txt"),
        "{e}"
    );
    assert!(!r.join("out/only.txt").exists());
    assert!(!r.join("out").join(".zhclean-manifest.jsonl").exists());
}

#[test]
fn same_file_twice_under_write_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    fs::create_dir(r.join("a")).unwrap();
    fs::write(r.join("a/x.txt"), FIXABLE).unwrap();
    let o = zh_fix(r)
        .args(["--write", "a", "a/x.txt"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(r.join("a/x.txt")).unwrap(), FIXABLE);
}

// 3. Corrupted UTF-8 is not GB18030.

#[test]
fn corrupted_utf8_is_an_error_not_gb18030() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    let mut bytes = b"\x81\x40".to_vec();
    bytes.extend_from_slice("中文,测试\n".as_bytes());
    fs::write(r.join("g.txt"), &bytes).unwrap();
    let o = zh_fix(r).args(["--write", "g.txt"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("invalid UTF-8 at byte 0"),
        "{}",
        stderr(&o)
    );
    assert_eq!(fs::read(r.join("g.txt")).unwrap(), bytes);
    // The same through a stream, and with `check`.
    zh(r, "check")
        .arg("-")
        .write_stdin(bytes.clone())
        .assert()
        .code(2);
    // Forcing the encoding reads it as GB18030 all the same.
    let o = zh_fix(r)
        .args(["--encoding", "gb18030", "g.txt"])
        .output()
        .unwrap();
    assert!(o.status.code() != Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("GB18030"), "{}", stderr(&o));
}

/// The `encoding` fuzz target's open case: `办好群` in UTF-8 with 2 of its
/// 9 bytes damaged was read as GB18030 and rewritten. It is an error naming
/// the file and the byte, and the file is left as it is.
#[test]
fn short_utf8_with_two_damaged_bytes_is_an_error_not_gb18030() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    let mut bytes = "办好群".as_bytes().to_vec();
    bytes[0] = 0x03;
    bytes[3] = 0xFE;
    fs::write(r.join("d.txt"), &bytes).unwrap();
    for mode in [&["--write"][..], &["--out", "out"][..]] {
        let o = zh_fix(r).args(mode).arg("d.txt").output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(
            stderr(&o).contains("d.txt: invalid UTF-8 at byte 1"),
            "{}",
            stderr(&o)
        );
        assert_eq!(fs::read(r.join("d.txt")).unwrap(), bytes);
        assert!(!r.join("out/d.txt").exists());
    }
}

#[test]
fn real_gbk_is_still_detected() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    let (bytes, _, _) =
        encoding_rs::GBK.encode("中文报纸的文字识别结果，需要清理。第二行也是中文。\n");
    fs::write(r.join("g.txt"), &bytes).unwrap();
    let o = zh(r, "check").arg("g.txt").output().unwrap();
    assert!(o.status.code() != Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("decoded as GB18030"), "{}", stderr(&o));
}

#[test]
fn forced_encoding_must_agree_with_bom_and_reads_bomless_utf16() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    let utf16: Vec<u8> = FIXABLE
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    fs::write(r.join("u.txt"), &utf16).unwrap();
    // Detected: NUL bytes, a binary file: skipped, untouched.
    zh_fix(r).args(["--write", "u.txt"]).assert().code(0);
    assert_eq!(fs::read(r.join("u.txt")).unwrap(), utf16);
    // Forced: fixed and written back as UTF-16LE without BOM.
    zh_fix(r)
        .args(["--write", "--encoding", "utf-16le", "u.txt"])
        .assert()
        .code(0);
    let want: Vec<u8> = FIXED.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    assert_eq!(fs::read(r.join("u.txt")).unwrap(), want);
    // A UTF-8 BOM contradicts a forced GB18030.
    let mut bom = b"\xEF\xBB\xBF".to_vec();
    bom.extend_from_slice(FIXABLE.as_bytes());
    fs::write(r.join("b.txt"), &bom).unwrap();
    let o = zh_fix(r)
        .args(["--write", "--encoding", "gb18030", "b.txt"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("byte-order mark"), "{}", stderr(&o));
    assert_eq!(fs::read(r.join("b.txt")).unwrap(), bom);
}

// 2. Lost updates under --write.

/// Run `fix --write` with the test barrier, apply `change` to the file at
/// the last moment, and return the run's output.
#[cfg(debug_assertions)]
fn race(r: &Path, args: &[&str], change: impl FnOnce()) -> std::process::Output {
    let barrier = r.join("barrier");
    fs::create_dir(&barrier).unwrap();
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("zhclean"));
    cmd.current_dir(r)
        .args(["fix", "--no-config", "--write"])
        .args(args)
        .env("ZHCLEAN_TEST_BARRIER", &barrier)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let child = cmd.spawn().unwrap();
    let t0 = std::time::Instant::now();
    while !barrier.join("ready").exists() {
        assert!(
            t0.elapsed().as_secs() < 60,
            "the run never reached the barrier"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    change();
    fs::write(barrier.join("go"), b"").unwrap();
    child.wait_with_output().unwrap()
}

#[cfg(debug_assertions)]
#[test]
fn editor_save_during_write_is_kept() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path().to_path_buf();
    fs::write(r.join("f.txt"), FIXABLE).unwrap();
    let saved = "编辑器保存的新内容ＡＢ\n";
    // An editor saves: write a temporary file, rename it over.
    let o = race(&r, &["f.txt"], || {
        fs::write(r.join("f.txt.swp"), saved).unwrap();
        fs::rename(r.join("f.txt.swp"), r.join("f.txt")).unwrap();
    });
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("changed while"), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(r.join("f.txt")).unwrap(), saved);
    assert!(!tree(&r)
        .iter()
        .any(|f| f.contains(".zhclean-") && f.ends_with(".tmp")));
}

#[cfg(debug_assertions)]
#[test]
fn in_place_edit_of_same_size_during_write_is_kept() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path().to_path_buf();
    fs::write(r.join("f.txt"), FIXABLE).unwrap();
    // Another run (or a program writing in place) changes the content
    // without changing the size.
    let other = FIXABLE.replace('中', "英");
    assert_eq!(other.len(), FIXABLE.len());
    let o = race(&r, &["f.txt"], || {
        use std::io::{Seek, Write};
        let mut f = fs::OpenOptions::new()
            .write(true)
            .open(r.join("f.txt"))
            .unwrap();
        f.seek(std::io::SeekFrom::Start(0)).unwrap();
        f.write_all(other.as_bytes()).unwrap();
    });
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(r.join("f.txt")).unwrap(), other);
}

// 4. Streams are read once, with bounded memory.

#[cfg(unix)]
#[test]
fn fifo_and_devices_are_refused_for_write_and_out() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    let st = std::process::Command::new("mkfifo")
        .arg(r.join("fifo"))
        .status()
        .unwrap();
    assert!(st.success());
    // Nobody writes into the FIFO: opening it for reading would block, so
    // the run must decide from the file type, without opening it.
    let mut c = zh_fix(r);
    c.args(["--write", "fifo"])
        .timeout(std::time::Duration::from_secs(60));
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
    // /dev/zero would never end: refused at once.
    let mut c = zh_fix(r);
    c.args(["--out", "out", "/dev/zero"])
        .timeout(std::time::Duration::from_secs(60));
    let o = c.output().unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

// 5. Symbolic links out of a walked directory.

#[cfg(unix)]
#[test]
fn links_out_of_the_tree_are_not_followed_without_follow() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    fs::create_dir(r.join("tree")).unwrap();
    fs::write(r.join("outside.txt"), FIXABLE).unwrap();
    fs::write(r.join("tree/inside.txt"), FIXABLE).unwrap();
    std::os::unix::fs::symlink("../outside.txt", r.join("tree/link.txt")).unwrap();
    let o = zh_fix(r).args(["--write", "tree"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("--follow"), "{}", stderr(&o));
    assert_eq!(fs::read_to_string(r.join("outside.txt")).unwrap(), FIXABLE);
    assert_eq!(
        fs::read_to_string(r.join("tree/inside.txt")).unwrap(),
        FIXED
    );
    assert!(fs::symlink_metadata(r.join("tree/link.txt"))
        .unwrap()
        .file_type()
        .is_symlink());
    // With --follow, the target is rewritten (the link kept).
    zh_fix(r)
        .args(["--write", "--follow", "tree"])
        .assert()
        .code(0);
    assert_eq!(fs::read_to_string(r.join("outside.txt")).unwrap(), FIXED);
    // A link named on the command line is the user's choice: followed.
    fs::write(r.join("outside.txt"), FIXABLE).unwrap();
    zh_fix(r)
        .args(["--write", "tree/link.txt"])
        .assert()
        .code(0);
    assert_eq!(fs::read_to_string(r.join("outside.txt")).unwrap(), FIXED);
}

/// A link and its target in one `--write` walk are one file, processed
/// once (before, both were rewritten concurrently from the same original,
/// and the winner of the two renames varied).
#[cfg(unix)]
#[test]
fn a_link_and_its_target_in_one_walk_are_one_file() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    fs::create_dir(r.join("tree")).unwrap();
    fs::write(r.join("tree/inside.txt"), FIXABLE).unwrap();
    std::os::unix::fs::symlink("inside.txt", r.join("tree/near.txt")).unwrap();
    let o = zh_fix(r).args(["--write", "tree"]).output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let e = stderr(&o);
    assert!(e.contains("near.txt: left out: the same file as"), "{e}");
    assert!(e.contains("done 1 "), "{e}");
    assert_eq!(
        fs::read_to_string(r.join("tree/inside.txt")).unwrap(),
        FIXED
    );
    assert!(fs::symlink_metadata(r.join("tree/near.txt"))
        .unwrap()
        .file_type()
        .is_symlink());
}

// 6. --out inside or equal to the inputs.

#[test]
fn out_inside_the_input_tree_does_not_nest() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    fs::create_dir(r.join("in")).unwrap();
    fs::write(r.join("in/a.txt"), FIXABLE).unwrap();
    for _ in 0..3 {
        let o = zh_fix(r)
            .args(["in", "--out", "in/cleaned"])
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    }
    assert_eq!(
        tree(&r.join("in")),
        [
            "a.txt",
            "cleaned/.zhclean-manifest.findings.jsonl",
            "cleaned/.zhclean-manifest.jsonl",
            "cleaned/a.txt"
        ]
    );
    assert_eq!(
        fs::read_to_string(r.join("in/cleaned/a.txt")).unwrap(),
        FIXED
    );
}

#[test]
fn out_equal_to_the_input_is_refused() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    fs::create_dir(r.join("in")).unwrap();
    fs::write(r.join("in/a.txt"), FIXABLE).unwrap();
    for args in [["in", "--out", "in"], ["in/a.txt", "--out", "in"]] {
        let o = zh_fix(r).args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("overwrite the input"), "{}", stderr(&o));
        assert_eq!(fs::read_to_string(r.join("in/a.txt")).unwrap(), FIXABLE);
    }
    let o = zh_fix(r)
        .args(["in", "--out", "./in/../in"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
}

// 8. Small items.

#[test]
fn stdin_binary_or_bomless_utf16_is_an_error() {
    let d = tempfile::tempdir().unwrap();
    let utf16: Vec<u8> = FIXABLE
        .encode_utf16()
        .flat_map(|u| u.to_le_bytes())
        .collect();
    for input in [utf16.clone(), b"PK\x03\x04\x00\x00".to_vec()] {
        let o = zh_fix(d.path())
            .arg("-")
            .write_stdin(input)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains("binary input"), "{}", stderr(&o));
    }
    // With the encoding named, UTF-16 without BOM is read and written back
    // the same way.
    let o = zh_fix(d.path())
        .args(["--encoding", "utf-16le", "-"])
        .write_stdin(utf16)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let want: Vec<u8> = FIXED.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
    assert_eq!(o.stdout, want);
}

#[test]
fn stray_temp_files_of_a_killed_write_are_swept() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    fs::create_dir(r.join("in")).unwrap();
    fs::write(r.join("in/a.txt"), FIXABLE).unwrap();
    fs::write(r.join("in/.zhclean-Xy12ab.tmp"), "half").unwrap();
    zh_fix(r).args(["--write", "in"]).assert().code(0);
    assert_eq!(
        tree(&r.join("in")),
        [
            ".zhclean-manifest.findings.jsonl",
            ".zhclean-manifest.jsonl",
            "a.txt"
        ]
    );
}

#[cfg(unix)]
#[test]
fn read_only_file_is_not_counted_as_applied() {
    use std::os::unix::fs::PermissionsExt;
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    fs::write(r.join("ro.txt"), FIXABLE).unwrap();
    fs::set_permissions(r.join("ro.txt"), fs::Permissions::from_mode(0o444)).unwrap();
    let o = zh_fix(r).args(["--write", "ro.txt"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("read-only"), "{e}");
    assert!(e.contains("applied 0"), "{e}");
    assert!(!e.contains("done 1"), "{e}");
    assert_eq!(fs::read_to_string(r.join("ro.txt")).unwrap(), FIXABLE);
}

#[test]
fn jsonl_bom_and_records_without_id() {
    let d = tempfile::tempdir().unwrap();
    let input = "\u{feff}{\"id\": 1, \"text\": \"第一条\"}\n{\"text\": \"无编号ＡＢ\"}\n";
    let o = zh_fix(d.path())
        .args(["--format", "jsonl", "-"])
        .write_stdin(input)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let lines: Vec<serde_json::Value> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["id"], 1);
    assert_eq!(lines[0]["text"], "第一条");
    assert!(lines[1].get("id").is_none(), "{}", lines[1]);
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["text"], "无编号AB");
}

/// Record mode honours `--encoding`: a GB18030 or UTF-16 record stream is
/// decoded before its lines are split (answers are UTF-8 JSON), a BOM must
/// agree, and a malformed byte is an error naming the input and the byte
/// (exit 2), not records silently turned into error objects.
#[test]
fn jsonl_records_honour_encoding() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path();
    let input = "{\"id\": 1, \"text\": \"第一条记录ＡＢ\"}\n{\"id\": 2, \"text\": \"第二条\"}\n";
    let answers = |o: std::process::Output| -> Vec<serde_json::Value> {
        assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
        String::from_utf8(o.stdout)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    };
    let gb = encoding_rs::GB18030.encode(input).0.into_owned();
    let mut utf16 = b"\xFF\xFE".to_vec();
    utf16.extend(input.encode_utf16().flat_map(|u| u.to_le_bytes()));
    for (enc, bytes) in [("gb18030", &gb), ("utf-16le", &utf16)] {
        fs::write(r.join("in.jsonl"), bytes).unwrap();
        for src in ["in.jsonl", "-"] {
            let o = zh_fix(r)
                .args(["--format", "jsonl", "--encoding", enc, src])
                .write_stdin(bytes.clone())
                .output()
                .unwrap();
            let lines = answers(o);
            assert_eq!(lines.len(), 2, "{enc} {src}: {lines:?}");
            assert_eq!(lines[0]["text"], "第一条记录AB", "{enc} {src}");
            assert_eq!(lines[1]["id"], 2, "{enc} {src}");
        }
    }
    // A BOM that contradicts the encoding, and a malformed GB18030 byte.
    let mut bad = gb.clone();
    bad.insert(10, 0xFF);
    for (enc, bytes, says) in [
        ("gb18030", &utf16, "byte-order mark"),
        ("gb18030", &bad, "byte 10"),
    ] {
        let o = zh_fix(r)
            .args(["--format", "jsonl", "--encoding", enc, "-"])
            .write_stdin(bytes.clone())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(stderr(&o).contains(says), "{}", stderr(&o));
    }
}

// 2b. The corpus pass's X801 rewrite meets a concurrent change.

/// Two name-like n-grams that differ in one look-alike char (as in
/// `tests/corpus.rs`).
#[cfg(debug_assertions)]
fn variant_pair() -> (String, String) {
    use zhclean::corpus::consistency::{Consistency, Params};
    let lex = zhclean::lexicon::Lexicon::embedded();
    let c = Consistency::new(lex, Params::default());
    let set = zhclean::correct::confusion::ConfusionSet::embedded();
    for s in ['林', '周', '陈', '吴', '郑', '孙', '胡'] {
        for base in ['森', '栋', '榕', '楠', '璋', '瑜', '琪', '琳'] {
            for (alike, score) in set.similar(base).iter() {
                if score < 0.5 || alike == s {
                    continue;
                }
                let good = format!("{s}{base}文");
                let bad = format!("{s}{alike}文");
                let ok = |g: &str, ctx: &str| c.grams(ctx).iter().any(|x| x == g);
                if ok(&good, &format!("本报记者{good}报道。"))
                    && ok(&bad, &format!("记者{bad}摄。"))
                {
                    return (good, bad);
                }
            }
        }
    }
    panic!("no name-like look-alike pair in the embedded data");
}

/// A file the corpus pass is about to rewrite (`X801`, `--apply review
/// --write`) is saved by someone else at that moment: it keeps that
/// change, the run names it in an error, rewrites the other file with the
/// variant all the same, and exits 2; its manifest record makes a resumed
/// run process it again.
#[cfg(debug_assertions)]
#[test]
fn corpus_rewrite_of_a_file_changed_meanwhile_is_skipped_and_the_pass_goes_on() {
    let d = tempfile::tempdir().unwrap();
    let r = d.path().to_path_buf();
    let (good, bad) = variant_pair();
    let sentences = [
        "春天来了，田野里的油菜花开得正好。",
        "这座城市的地铁线路正在不断延伸。",
        "老师把作业本整整齐齐地放在讲台上。",
        "研究人员花了三年时间整理这批资料。",
        "傍晚的河边总有许多散步的居民。",
        "图书馆新添了一批关于农业技术的书籍。",
    ];
    fs::create_dir_all(r.join("in")).unwrap();
    for (i, s) in sentences.iter().enumerate() {
        fs::write(
            r.join(format!("in/d{i}.txt")),
            format!("本报记者{good}报道。\n{s}\n"),
        )
        .unwrap();
    }
    fs::write(
        r.join("in/v1.txt"),
        format!("记者{bad}摄。\n展览吸引了来自各地的参观者。\n"),
    )
    .unwrap();
    fs::write(
        r.join("in/v2.txt"),
        format!("记者{bad}摄。\n孩子们在操场上练习接力赛跑。\n"),
    )
    .unwrap();
    let barrier = r.join("barrier");
    fs::create_dir(&barrier).unwrap();
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("zhclean"))
        .current_dir(&r)
        .args([
            "fix",
            "--no-config",
            "--write",
            "--apply",
            "review",
            "-j",
            "1",
            "in",
        ])
        .env("ZHCLEAN_TEST_CORPUS_BARRIER", &barrier)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let t0 = std::time::Instant::now();
    while !barrier.join("ready").exists() {
        assert!(
            t0.elapsed().as_secs() < 60,
            "the run never reached the barrier"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    // The first rewrite is v1's (corpus order); an editor saves v1 now.
    let saved = format!("编辑器保存的新内容，记者{bad}摄。\n");
    fs::write(r.join("in/v1.txt.swp"), &saved).unwrap();
    fs::rename(r.join("in/v1.txt.swp"), r.join("in/v1.txt")).unwrap();
    fs::write(barrier.join("go"), b"").unwrap();
    let o = child.wait_with_output().unwrap();
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("v1.txt: changed while zhclean was processing it"),
        "{err}"
    );
    assert_eq!(fs::read_to_string(r.join("in/v1.txt")).unwrap(), saved);
    let v2 = fs::read_to_string(r.join("in/v2.txt")).unwrap();
    assert!(v2.contains(&format!("记者{good}摄")), "{v2}\n{err}");
    assert!(err.contains("1 file(s) rewritten"), "{err}");
    assert!(err.contains("errors 1"), "{err}");
    assert!(!tree(&r)
        .iter()
        .any(|f| f.contains(".zhclean-") && f.ends_with(".tmp")));
    // Run again: v1 is processed anew (the others are resumed) and gets
    // its variant fixed.
    let o = zh_fix(&r)
        .args(["--write", "--apply", "review", "-j", "1", "in"])
        .output()
        .unwrap();
    let err = stderr(&o);
    assert!(err.contains("resumed 7"), "{err}");
    let v1 = fs::read_to_string(r.join("in/v1.txt")).unwrap();
    assert!(v1.contains(&format!("记者{good}摄")), "{v1}\n{err}");
}
