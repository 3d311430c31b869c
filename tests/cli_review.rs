//! `zhclean review --script` and `zhclean apply --decisions` on a real OCR'd
//! page: decide some, quit, resume, finish, replay; reject-all gives the
//! original bytes; undo, accept-all, allow-list, errors.
//!
//! Most tests run only rule P201 (ASCII parentheses around Chinese text,
//! review tier), whose findings on the page are known exactly: eight
//! parenthesized groups, three of them the identical `(社区)`.
use assert_cmd::Command;
use std::fs;
use std::path::{Path, PathBuf};

const SEED: &str = "seeds/002_84f8b6ad00173f0f.txt";

fn zh(dir: &Path) -> Command {
    let mut c = Command::cargo_bin("zhclean").unwrap();
    c.current_dir(dir).env_remove("NO_COLOR");
    c
}

/// A tempdir holding the seed page as `page.txt`, and the page's text.
fn page() -> (tempfile::TempDir, String) {
    let d = tempfile::tempdir().unwrap();
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(SEED);
    let text = fs::read_to_string(src).unwrap();
    fs::write(d.path().join("page.txt"), &text).unwrap();
    (d, text)
}

/// What a run gave.
struct Ran {
    code: i32,
    out: String,
    err: String,
}

/// Run `zhclean ARGS…` in `dir` with `stdin` on standard input.
fn run(dir: &Path, args: &[&str], stdin: &str) -> Ran {
    let o = zh(dir).args(args).write_stdin(stdin).output().unwrap();
    Ran {
        code: o.status.code().unwrap(),
        out: String::from_utf8(o.stdout).unwrap(),
        err: String::from_utf8(o.stderr).unwrap(),
    }
}

/// `zhclean review --no-config --script ARGS…` with these keys, which
/// prints nothing on stderr; (exit code, stdout).
fn review_script(dir: &Path, keys: &str, args: &[&str]) -> (i32, String) {
    let r = run(
        dir,
        &[&["review", "--no-config", "--script"][..], args].concat(),
        keys,
    );
    assert!(r.err.is_empty(), "stderr: {}", r.err);
    (r.code, r.out)
}

/// Run `review --script --only P201 page.txt` with these keys; returns
/// (exit code, stdout).
fn review(dir: &Path, keys: &str, extra: &[&str]) -> (i32, String) {
    review_script(
        dir,
        keys,
        &[&["--only", "P201"][..], extra, &["page.txt"]].concat(),
    )
}

/// `apply --only P201 --decisions` of the default log to stdout; (exit
/// code, text).
fn apply(dir: &Path, extra: &[&str]) -> (i32, String) {
    let r = run(
        dir,
        &[
            &["apply", "--no-config", "--only", "P201"][..],
            &["--decisions", "zhclean-decisions.jsonl"],
            extra,
            &["page.txt"],
        ]
        .concat(),
        "",
    );
    (r.code, r.out)
}

fn log_lines(dir: &Path) -> Vec<String> {
    fs::read_to_string(dir.join("zhclean-decisions.jsonl"))
        .unwrap()
        .lines()
        .map(String::from)
        .collect()
}

#[test]
fn review_quit_resume_finish_then_apply() {
    let (d, original) = page();
    for (s, n) in [
        ("(资料照片)", 1),
        ("(记者 邢智轩)", 1),
        ("(社区)", 3),
        ("(记者 曹欣怡)", 1),
        ("(记者 乔植)", 1),
        ("(沈琦)", 1),
    ] {
        assert_eq!(original.matches(s).count(), n, "{s}");
    }

    // Session 1: accept the first, reject the second, quit.
    let (code, out) = review(d.path(), "y\nn\nq\n", &[]);
    assert_eq!(code, 1, "{out}");
    assert!(out.starts_with("8 findings to review in 1 file;"), "{out}");
    assert!(out.contains("[1/8] page.txt:13:19  review  P201"), "{out}");
    assert!(out.contains("[2/8] page.txt:83:4"), "{out}");
    assert!(out.contains("[3/8] page.txt:83:75"), "{out}");
    assert!(!out.contains("[4/8]"), "{out}");
    // The change in its sentence, old and new, and the key echoed.
    assert!(
        out.contains("  - 夏县城西社区组织辖区内儿童开展活动。(资料照片)\n"),
        "{out}"
    );
    assert!(
        out.contains("  + 夏县城西社区组织辖区内儿童开展活动。（资料照片）\n"),
        "{out}"
    );
    assert!(out.contains("[y,n,s,e,a,A,R,i,u,q,?] y\n"), "{out}");
    // Without colors, carets mark the changed parentheses, aligned by
    // display width: the 18 chars before them are CJK (2 columns each).
    let pad = " ".repeat(4 + 36);
    assert!(
        out.contains(&format!("(资料照片)\n{pad}^        ^\n")),
        "{out}"
    );
    assert!(
        out.contains(&format!("（资料照片）\n{pad}^^        ^^\n")),
        "{out}"
    );
    assert!(
        out.contains("1 changed, 1 rejected, 0 allow-listed, 6 left undecided"),
        "{out}"
    );
    assert_eq!(log_lines(d.path()).len(), 2);

    // Partial replay: one accepted, the rest undecided (exit 1).
    let (code, text) = apply(d.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(text, original.replace("(资料照片)", "（资料照片）"));

    // Session 2 resumes at the third finding. `A` accepts the three
    // identical `(社区)`; `e` then a line edits by hand; `n`, undo it, `y`;
    // `n` on the last.
    let keys = "A\ne\n（记者曹欣怡）\nn\nu\ny\nn\n";
    let (code, out) = review(d.path(), keys, &[]);
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("6 findings to review in 1 file (2 already decided);"),
        "{out}"
    );
    assert!(!out.contains("[1/8]") && !out.contains("[2/8]"), "{out}");
    assert!(out.contains("[3/8] page.txt:83:75"), "{out}");
    assert!(out.contains("recorded for 3 findings"), "{out}");
    assert!(!out.contains("[4/8]") && !out.contains("[5/8]"), "{out}");
    assert!(out.contains("replace `(记者 曹欣怡)` with"), "{out}");
    assert_eq!(out.matches("[7/8] page.txt:111:4").count(), 2, "{out}");
    assert!(out.contains("undone: 1 decision(s)"), "{out}");
    assert!(
        out.contains("6 changed, 2 rejected, 0 allow-listed, 0 left undecided"),
        "{out}"
    );

    // Nothing left: a third session asks nothing and exits 0.
    let (code, out) = review(d.path(), "", &[]);
    assert_eq!(code, 0);
    assert!(out.starts_with("0 findings to review"), "{out}");
    assert!(!out.contains("[1/8]"), "{out}");

    let expected = original
        .replace("(资料照片)", "（资料照片）")
        .replace("(社区)", "（社区）")
        .replace("(记者 曹欣怡)", "（记者曹欣怡）")
        .replace("(记者 乔植)", "（记者 乔植）");
    assert!(expected.contains("本报讯(记者 邢智轩)去年以来"));
    assert!(expected.contains("高质量发展。(沈琦)"));
    let (code, text) = apply(d.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(text, expected);

    // --write rewrites the file with the same text.
    assert_eq!(apply(d.path(), &["--write"]).0, 0);
    assert_eq!(
        fs::read_to_string(d.path().join("page.txt")).unwrap(),
        expected
    );
}

#[test]
fn reject_everything_gives_the_original_bytes() {
    let (d, original) = page();
    // Every rule, safe tier included (--no-safe): reject all.
    let keys = "n\n".repeat(300);
    let (code, stdout) = review_script(d.path(), &keys, &["--no-safe", "page.txt"]);
    assert_eq!(code, 0, "{stdout}");
    let n: usize = stdout.split_whitespace().next().unwrap().parse().unwrap();
    assert!(n > 10, "{stdout}");
    assert!(
        stdout.contains(&format!("0 changed, {n} rejected")),
        "{stdout}"
    );
    assert_eq!(log_lines(d.path()).len(), n);
    // By default safe-tier fixes are applied, not asked.
    fs::remove_file(d.path().join("zhclean-decisions.jsonl")).unwrap();
    let (_, stdout) = review_script(d.path(), "q\n", &["page.txt"]);
    let m: usize = stdout.split_whitespace().next().unwrap().parse().unwrap();
    assert!(m < n, "{stdout}");
    assert!(!stdout.contains("  safe  "), "{stdout}");
    let (code, _) = review_script(d.path(), &keys, &["--no-safe", "page.txt"]);
    assert_eq!(code, 0);

    // The safe fixes were rejected explicitly, so even without --no-safe
    // the replay changes nothing.
    for extra in [&[][..], &["--no-safe"][..]] {
        let r = run(
            d.path(),
            &[
                &["apply", "--no-config", "--decisions"][..],
                &["zhclean-decisions.jsonl"],
                extra,
                &["page.txt"],
            ]
            .concat(),
            "",
        );
        assert_eq!(r.code, 0);
        assert!(r.out == original, "{extra:?}");
    }
}

/// With an empty log, `apply` replays the safe tier only and gives what
/// `fix` gives (on every seed page); `--no-safe` gives the original.
#[test]
fn without_decisions_apply_makes_the_safe_fixes_only() {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("none.jsonl"), "").unwrap();
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let mut pages: Vec<PathBuf> = fs::read_dir(seeds)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    assert!(pages.len() >= 5);
    for p in pages {
        let original = fs::read_to_string(&p).unwrap();
        fs::write(d.path().join("page.txt"), &original).unwrap();
        let fixed = run(d.path(), &["fix", "--no-config", "page.txt"], "").out;
        assert_ne!(fixed, original, "{}", p.display());
        let apply = ["apply", "--no-config", "--decisions", "none.jsonl"];
        let r = run(d.path(), &[&apply[..], &["page.txt"]].concat(), "");
        // Review findings are left undecided.
        assert_eq!(r.code, 1, "{}", p.display());
        assert!(r.out == fixed, "{}", p.display());
        let r = run(
            d.path(),
            &[&apply[..], &["--no-safe", "page.txt"]].concat(),
            "",
        );
        assert!(r.out == original, "{}", p.display());
    }
}

#[test]
fn reject_all_identical_changes_and_skipped_ones_come_back() {
    let (d, original) = page();
    // Skip two, reject the three `(社区)` at once, quit.
    let (code, out) = review(d.path(), "s\ns\nR\nq\n", &[]);
    assert_eq!(code, 1);
    assert!(out.contains("recorded for 3 findings"), "{out}");
    assert!(out.contains("[6/8] page.txt:97:4"), "{out}");
    let log = log_lines(d.path());
    assert_eq!(log.len(), 3);
    assert!(log
        .iter()
        .all(|l| l.contains("\"original\":\"(社区)\"") && l.contains("\"verdict\":\"reject\"")));
    // The skipped ones are asked again.
    let (_, out) = review(d.path(), "q\n", &[]);
    assert!(out.contains("[1/8] page.txt:13:19"), "{out}");
    let (_, text) = apply(d.path(), &[]);
    assert_eq!(text, original);
}

#[test]
fn allow_list_records_and_appends_the_term() {
    let (d, _) = page();
    fs::write(d.path().join("allow.txt"), "# protected\n甲乙").unwrap();
    let (code, out) = review(d.path(), "a\nq\n", &["--allow-file", "allow.txt"]);
    assert_eq!(code, 1);
    assert!(out.contains("`(资料照片)` added to allow.txt"), "{out}");
    assert_eq!(
        fs::read_to_string(d.path().join("allow.txt")).unwrap(),
        "# protected\n甲乙\n(资料照片)\n"
    );
    let log = log_lines(d.path());
    assert_eq!(log.len(), 1);
    assert!(log[0].contains("\"verdict\":\"allow\""), "{}", log[0]);
    // Next time the allow-list protects the term: the finding is gone.
    let (_, out) = review(d.path(), "q\n", &["--allow-file", "allow.txt"]);
    assert!(out.starts_with("7 findings to review"), "{out}");
}

#[test]
fn invalid_keys_are_explained_and_asked_again() {
    let (d, _) = page();
    let (code, out) = review(d.path(), "x\n3\n\n?\ne\n\nq\n", &[]);
    assert_eq!(code, 1);
    assert!(out.contains("unknown key `x`"), "{out}");
    assert!(out.contains("this finding has no candidates"), "{out}");
    assert!(out.contains("u  undo the last decision"), "{out}");
    assert!(out.contains("edit cancelled"), "{out}");
    assert_eq!(out.matches("[1/8]").count(), 1, "{out}");
    assert!(log_lines(d.path()).is_empty());
}

#[test]
fn colors_strike_the_old_text() {
    let (d, _) = page();
    let (_, out) = review(d.path(), "q\n", &["--color", "always"]);
    assert!(out.contains("\x1b[9;31m(\x1b[0m资料照片"), "{out:?}");
    assert!(out.contains("\x1b[1;32m（\x1b[0m资料照片"), "{out:?}");
}

#[test]
fn without_a_terminal_review_says_so_and_exits_2() {
    let (d, _) = page();
    let r = run(d.path(), &["review", "--no-config", "page.txt"], "y\n");
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains("needs a terminal") && r.err.contains("--script"),
        "{}",
        r.err
    );
    assert!(r.out.is_empty());
    assert!(!d.path().join("zhclean-decisions.jsonl").exists());
}

#[test]
fn malformed_decisions_name_file_and_line() {
    let (d, _) = page();
    fs::write(
        d.path().join("bad.jsonl"),
        "{\"id\":\"1\",\"path\":\"page.txt\",\"rule\":\"P201\",\"start\":0,\"end\":1,\"original\":\"x\",\"verdict\":\"reject\"}\nnot json\n",
    )
    .unwrap();
    let apply = |log: &str| {
        run(
            d.path(),
            &["apply", "--no-config", "--decisions", log, "page.txt"],
            "",
        )
    };
    let r = apply("bad.jsonl");
    assert_eq!(r.code, 2);
    assert!(r.err.contains("bad.jsonl:2"), "{}", r.err);
    assert!(r.out.is_empty());
    assert_eq!(apply("missing.jsonl").code, 2);
}

#[test]
fn apply_takes_no_apply_flag_and_needs_a_destination_for_many() {
    let (d, _) = page();
    fs::write(d.path().join("d.jsonl"), "").unwrap();
    fs::write(d.path().join("b.txt"), "甲乙\n").unwrap();
    let apply = |args: &[&str]| {
        let args = [
            &["apply", "--no-config", "--decisions", "d.jsonl"][..],
            args,
        ]
        .concat();
        run(d.path(), &args, "").code
    };
    assert_eq!(apply(&["page.txt", "b.txt"]), 2);
    assert_eq!(apply(&["--apply", "review", "b.txt"]), 2);
    // --out mirrors the inputs.
    assert_eq!(
        apply(&["--no-safe", "--out", "out", "page.txt", "b.txt"]),
        1
    );
    assert_eq!(
        fs::read_to_string(d.path().join("out/b.txt")).unwrap(),
        "甲乙\n"
    );
    assert!(d.path().join("out/page.txt").exists());
}

/// True if tmux runs; else a loud skip message (scripts/test.sh installs
/// tmux where it can).
#[allow(clippy::print_stderr)] // the skip must be seen in the test log
fn have_tmux() -> bool {
    if std::process::Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok()
    {
        return true;
    }
    eprintln!("SKIPPED: tmux is not installed: the terminal review test did not run (apt-get install tmux)");
    false
}

/// A tmux server running `zhclean review ARGS` in a 200-column terminal,
/// then `EXIT=<status>`. Its socket lives in the test's tempdir, so nothing
/// is left behind; the server is killed when this is dropped.
struct Tmux {
    socket: PathBuf,
}

impl Tmux {
    fn review(dir: &Path, args: &str, rows: u16) -> Tmux {
        let t = Tmux {
            socket: dir.join("tmux.sock"),
        };
        let script = format!(
            "cd '{}' && '{}' review {args}; echo EXIT=$?; sleep 60",
            dir.display(),
            env!("CARGO_BIN_EXE_zhclean")
        );
        let rows = rows.to_string();
        t.run(&[
            "new-session",
            "-d",
            "-s",
            "t",
            "-x",
            "200",
            "-y",
            &rows,
            &script,
        ]);
        t
    }

    fn run(&self, args: &[&str]) -> std::process::Output {
        std::process::Command::new("tmux")
            .arg("-S")
            .arg(&self.socket)
            .args(args)
            .output()
            .unwrap()
    }

    /// The screen, with up to 200 lines scrolled off.
    fn screen(&self) -> String {
        String::from_utf8_lossy(
            &self
                .run(&["capture-pane", "-p", "-S", "-200", "-t", "t"])
                .stdout,
        )
        .into_owned()
    }

    /// Wait (up to 30 s) for the screen to show `want`; the screen.
    fn wait_for(&self, want: &str) -> String {
        for _ in 0..300 {
            let screen = self.screen();
            if screen.contains(want) {
                return screen;
            }
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        panic!("never saw {want:?}; screen:\n{}", self.screen());
    }

    /// Type one key (no Enter).
    fn key(&self, key: &str) {
        self.run(&["send-keys", "-t", "t", key]);
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        self.run(&["kill-server"]);
    }
}

/// The interactive mode in a real terminal, driven through tmux; skipped
/// (loudly) when tmux is not installed.
#[test]
fn interactive_review_in_tmux() {
    if !have_tmux() {
        return;
    }
    let (d, original) = page();
    let tmux = Tmux::review(d.path(), "--no-config --only P201 page.txt", 50);
    // One key each, no Enter: the terminal is read key by key.
    tmux.wait_for("[1/8] page.txt:13:19");
    tmux.key("y");
    tmux.wait_for("[2/8] page.txt:83:4");
    tmux.key("q");
    let screen = tmux.wait_for("EXIT=");
    drop(tmux);
    assert!(screen.contains("EXIT=1"), "{screen}");
    assert!(screen.contains("1 changed, 0 rejected"), "{screen}");
    let (code, text) = apply(d.path(), &[]);
    assert_eq!(code, 1);
    assert_eq!(text, original.replace("(资料照片)", "（资料照片）"));
}

#[test]
fn decisions_about_changed_text_are_reported_stale() {
    let (d, original) = page();
    review(d.path(), "y\nq\n", &[]);
    let edited = original.replace("(资料照片)", "（资料照片）");
    fs::write(d.path().join("page.txt"), &edited).unwrap();
    let r = run(
        d.path(),
        &[
            "apply",
            "--no-config",
            "--only",
            "P201",
            "--decisions",
            "zhclean-decisions.jsonl",
            "page.txt",
        ],
        "",
    );
    assert_eq!(r.code, 1);
    assert!(r.out == edited);
    assert!(
        r.err.contains("1 decision(s) match no current finding"),
        "{}",
        r.err
    );
}

#[test]
fn gb18030_files_are_written_back_in_gb18030() {
    let d = tempfile::tempdir().unwrap();
    let text = "第一段(资料)文字。\n第二段(说明)文字。\n";
    let (bytes, _, bad) = encoding_rs::GB18030.encode(text);
    assert!(!bad);
    fs::write(d.path().join("page.txt"), &bytes).unwrap();
    let (code, out) = review(d.path(), "n\ny\n", &[]);
    assert_eq!(code, 0, "{out}");
    let (code, _) = apply(d.path(), &["--write"]);
    assert_eq!(code, 0);
    let written = fs::read(d.path().join("page.txt")).unwrap();
    let (back, _, bad) = encoding_rs::GB18030.decode(&written);
    assert!(!bad);
    assert_eq!(back, "第一段(资料)文字。\n第二段（说明）文字。\n");
}

#[test]
fn the_last_decision_can_be_undone_at_the_end_of_the_queue() {
    let (d, original) = page();
    let (code, out) = review(d.path(), "R\nR\nA\nn\nn\nn\nu\ny\n\n", &[]);
    assert_eq!(code, 0, "{out}");
    assert_eq!(out.matches("end of the queue").count(), 2, "{out}");
    assert_eq!(out.matches("[8/8] page.txt:127:70").count(), 2, "{out}");
    assert!(out.contains("undone: 1 decision(s)"), "{out}");
    assert!(
        out.contains("4 changed, 4 rejected, 0 allow-listed, 0 left undecided"),
        "{out}"
    );
    let (code, text) = apply(d.path(), &[]);
    assert_eq!(code, 0);
    assert_eq!(
        text,
        original
            .replace("(社区)", "（社区）")
            .replace("(沈琦)", "（沈琦）")
    );
}

/// A page with a spaced name (W302), a look-alike misreading (C702, and
/// the suggest-tier C705 on the same char), parentheses (P201), `and`
/// (F601) and a doubled word (R401).
const SMALL: &str = "本报讯(记者 孙 雄)22家责任单位 and 任务完成时限。\n他们使用这种远辑进行推理。\n孙 雄说，经济经济发展很好。\n";

fn small_page() -> tempfile::TempDir {
    let d = tempfile::tempdir().unwrap();
    fs::write(d.path().join("p.txt"), SMALL).unwrap();
    d
}

/// `review --script --color never ARGS…` with these keys.
fn script(dir: &Path, keys: &str, args: &[&str]) -> (i32, String) {
    review_script(dir, keys, &[&["--color", "never"][..], args].concat())
}

#[test]
fn the_queue_filters_by_tier_and_rule() {
    let d = small_page();
    // `远辑` → `逻辑` is C706's at safe (applied, never queued); C702 and
    // C705 see the same misread at review and suggest
    let (_, out) = script(d.path(), "q\n", &["p.txt"]);
    assert!(out.starts_with("6 findings to review"), "{out}");
    let (_, out) = script(d.path(), "q\n", &["--tier", "review", "p.txt"]);
    assert!(out.starts_with("5 findings to review"), "{out}");
    assert!(!out.contains("C705"), "{out}");
    let (_, out) = script(d.path(), "q\n", &["--tier", "suggest", "p.txt"]);
    assert!(
        out.starts_with("1 finding to review") && out.contains("C705"),
        "{out}"
    );
    let (_, out) = script(d.path(), "q\n", &["--rule", "C7*", "p.txt"]);
    assert!(out.starts_with("2 findings to review"), "{out}");
    let (_, out) = script(d.path(), "q\n", &["--rule", "W302,doubled-word", "p.txt"]);
    assert!(out.starts_with("2 findings to review"), "{out}");
    let (_, out) = script(
        d.path(),
        "q\n",
        &["--rule", "C7", "--tier", "review", "p.txt"],
    );
    assert!(
        out.starts_with("1 finding to review") && out.contains("[1/1] p.txt:2:7  review  C702"),
        "{out}"
    );
}

#[test]
fn a_spaced_name_is_allow_listed_by_the_name_around_the_space() {
    let d = small_page();
    let (code, out) = script(
        d.path(),
        "a\nq\n",
        &["--rule", "W302", "--allow-file", "allow.txt", "p.txt"],
    );
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("`孙 雄` added to allow.txt"), "{out}");
    assert_eq!(
        fs::read_to_string(d.path().join("allow.txt")).unwrap(),
        "孙 雄\n"
    );
    assert!(
        out.contains("0 changed, 0 rejected, 1 allow-listed"),
        "{out}"
    );
    // The allow-list protects the name from now on.
    let check = ["check", "--no-config", "--select", "W302"];
    assert_eq!(
        run(d.path(), &[&check[..], &["p.txt"]].concat(), "").code,
        1
    );
    let protected = [&check[..], &["--allow", "allow.txt", "p.txt"]].concat();
    assert_eq!(run(d.path(), &protected, "").code, 0);
}

#[test]
fn evidence_reads_plainly_with_the_figures_behind_i() {
    let d = small_page();
    let (_, out) = script(d.path(), "i\nq\n", &["--rule", "C702", "p.txt"]);
    let why = out.find("why: the sentence is about").expect(&out);
    let figures = out.find("terms: channel_count=").expect(&out);
    assert!(why < figures, "{out}");
    assert!(
        out.contains("× more likely with `逻` than with `远`"),
        "{out}"
    );
    assert!(out.contains("OCR often reads `逻` as `远`"), "{out}");
    // The figures are shown only after `i`.
    let (_, out) = script(d.path(), "q\n", &["--rule", "C702", "p.txt"]);
    assert!(!out.contains("terms:") && !out.contains("LM gain"), "{out}");
}

#[test]
fn the_closing_hint_names_the_reviewed_paths() {
    let d = small_page();
    let (_, out) = script(d.path(), "q\n", &["./p.txt"]);
    assert!(
        out.contains("zhclean apply --decisions zhclean-decisions.jsonl ./p.txt --write"),
        "{out}"
    );
    assert!(!out.contains("PATHS"), "{out}");
}

#[test]
fn apply_matches_paths_however_spelled_and_warns_about_unmatched_decisions() {
    let d = small_page();
    script(d.path(), "y\nq\n", &["./p.txt"]);
    let apply = |file: &str| {
        run(
            d.path(),
            &[
                "apply",
                "--no-config",
                "--decisions",
                "zhclean-decisions.jsonl",
                file,
            ],
            "",
        )
    };
    let r = apply("p.txt");
    assert!(r.out.starts_with("本报讯（记者 孙 雄）"), "{}", r.out);
    assert!(!r.err.contains("warning"), "{}", r.err);
    fs::write(d.path().join("q.txt"), SMALL).unwrap();
    let err = apply("q.txt").err;
    assert!(
        err.contains("warning: 1 decision(s) in zhclean-decisions.jsonl are about files not given here: p.txt (1)"),
        "{err}"
    );
}

#[test]
fn review_and_apply_help_do_not_offer_apply() {
    let help = |cmd: &str| run(Path::new("."), &[cmd, "--help"], "").out;
    for cmd in ["review", "apply"] {
        let help = help(cmd);
        assert!(help.contains("--no-config"), "{help}");
        assert!(!help.contains("--apply"), "{cmd}: {help}");
    }
    assert!(help("fix").contains("--apply"));
}

/// Single keys in a real terminal (tmux): no Enter after a key, a spaced
/// name allow-listed with `a`, and `--tier review` keeping the suggest-tier
/// finding out of the queue.
#[test]
fn single_key_review_in_tmux_allow_lists_a_spaced_name_and_filters_by_tier() {
    if !have_tmux() {
        return;
    }
    let d = small_page();
    let tmux = Tmux::review(
        d.path(),
        "--no-config --color never --tier review --allow-file allow.txt p.txt",
        60,
    );
    let first = tmux.wait_for("[1/5] p.txt:1:4");
    assert!(first.starts_with("5 findings to review"), "{first}");
    tmux.key("y");
    tmux.wait_for("[2/5] p.txt:1:9");
    tmux.key("a");
    tmux.wait_for("`孙 雄` added to allow.txt");
    tmux.wait_for("[3/5] p.txt:1:19");
    tmux.key("q");
    let screen = tmux.wait_for("EXIT=");
    drop(tmux);
    assert!(screen.contains("EXIT=1"), "{screen}");
    assert!(
        screen.contains("1 changed, 0 rejected, 1 allow-listed, 3 left undecided"),
        "{screen}"
    );
    assert!(!screen.contains("C705"), "{screen}");
    assert_eq!(
        fs::read_to_string(d.path().join("allow.txt")).unwrap(),
        "孙 雄\n"
    );
}

#[test]
fn review_and_apply_count_binary_files_instead_of_listing_them() {
    let d = tempfile::tempdir().unwrap();
    let docs = d.path().join("docs");
    fs::create_dir(&docs).unwrap();
    fs::write(docs.join("p.txt"), SMALL).unwrap();
    for i in 0..3 {
        fs::write(docs.join(format!("bin{i}.txt")), b"a\x00b").unwrap();
    }
    fs::write(d.path().join("none.jsonl"), "").unwrap();
    let run = |args: &[&str]| {
        let r = run(d.path(), args, "q\n");
        (r.out, r.err)
    };
    let review = ["review", "--no-config", "--script", "--color", "never"];
    let (out, err) = run(&[&review[..], &["docs"]].concat());
    assert!(err.is_empty(), "{err}");
    assert!(
        out.starts_with("6 findings to review in 1 file; 3 binary files skipped; decisions"),
        "{out}"
    );
    let (_, err) = run(&[&review[..], &["-v", "docs"]].concat());
    assert_eq!(err.matches("skipped: binary file").count(), 3, "{err}");
    let apply = ["apply", "--no-config", "--decisions", "none.jsonl"];
    let (_, err) = run(&[&apply[..], &["--out", "out", "docs"]].concat());
    assert!(!err.contains("skipped: binary"), "{err}");
    assert_eq!(
        err.matches("zhclean: 3 binary files skipped\n").count(),
        1,
        "{err}"
    );
    let (_, err) = run(&[&apply[..], &["-v", "--out", "out", "docs"]].concat());
    assert_eq!(err.matches("skipped: binary file").count(), 3, "{err}");
    let (_, err) = run(&[&apply[..], &["-q", "--out", "out", "docs"]].concat());
    assert!(err.is_empty(), "{err}");
}
