//! The tool in other people's pipelines: exit statuses (record mode,
//! `--exit-zero`, `--fail-on`), resumed reports, directory walking
//! (`.gitignore`, `--exclude`), rule selection as ruff users type it,
//! `--statistics`, and the smaller habits (`--input-format`, a one-char GBK
//! file, `--config` errors, `eval`'s default split).
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

/// A suggest-tier finding (F602, never applied) and review-tier ones.
const SUGGEST: &str = "我们在 hello 工作中发现问题。\n";
const REVIEW: &str = "本报讯(记者 孙 雄)22家责任单位 and 任务完成时限,推动集体经济经济创收。\n";

fn stdout_of(c: &mut Command) -> (Option<i32>, String, String) {
    let o = c.output().unwrap();
    (
        o.status.code(),
        String::from_utf8(o.stdout).unwrap(),
        String::from_utf8(o.stderr).unwrap(),
    )
}

/// A string field of each JSON line of `out`.
fn field_of_lines(out: &str, key: &str) -> Vec<String> {
    out.lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v[key].as_str().unwrap().to_string()
        })
        .collect()
}

/// `zhclean fix --no-config ARGS…` in `dir`: (exit code, stdout, stderr).
fn fix(dir: &Path, args: &[&str]) -> (Option<i32>, String, String) {
    stdout_of(zh(dir).args(["fix", "--no-config"]).args(args))
}

#[test]
fn record_mode_succeeds_in_a_pipefail_pipeline_with_suggest_findings() {
    let d = tmp();
    let docs = d.path().join("docs");
    fs::create_dir(&docs).unwrap();
    fs::write(docs.join("a.txt"), SUGGEST).unwrap();
    fs::write(docs.join("b.txt"), REVIEW).unwrap();
    fs::write(docs.join("c.txt"), "干净的一句话。\n").unwrap();
    let mut recs = String::new();
    for n in ["a.txt", "b.txt", "c.txt"] {
        let text = fs::read_to_string(docs.join(n)).unwrap();
        recs += &serde_json::json!({"id": n, "text": text}).to_string();
        recs.push('\n');
    }
    fs::write(d.path().join("in.jsonl"), recs).unwrap();
    // Single process over the same documents.
    zh(d.path())
        .args(["fix", "--no-config", "-q", "docs", "--out", "single"])
        .assert()
        .code(1);
    let bin = env!("CARGO_BIN_EXE_zhclean");
    for mode in ["--input-format jsonl", "--records", "--format jsonl"] {
        let script = format!(
            "set -euo pipefail\ncat in.jsonl | '{bin}' fix --no-config {mode} - | cat > out.jsonl\necho finished"
        );
        let o = std::process::Command::new("bash")
            .arg("-c")
            .arg(&script)
            .current_dir(d.path())
            .output()
            .unwrap();
        assert_eq!(
            o.status.code(),
            Some(0),
            "{mode}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&o.stdout), "finished\n");
        let out = fs::read_to_string(d.path().join("out.jsonl")).unwrap();
        let outs: Vec<serde_json::Value> = out
            .split('\n')
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(outs.len(), 3);
        let tiers: Vec<&str> = outs[0]["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["tier"].as_str().unwrap())
            .collect();
        assert_eq!(tiers, ["suggest"]);
        for o in &outs {
            let name = o["id"].as_str().unwrap();
            let want = fs::read_to_string(d.path().join("single").join(name)).unwrap();
            assert_eq!(o["text"].as_str().unwrap(), want, "{mode} {name}");
        }
    }
    // A fatal error (an unreadable input) still exits 2.
    zh(d.path())
        .args(["fix", "--no-config", "--records", "missing.jsonl"])
        .assert()
        .code(2);
    // Record mode goes to stdout only.
    zh(d.path())
        .args(["fix", "--no-config", "--records", "--out", "x", "in.jsonl"])
        .assert()
        .code(2);
}

#[test]
fn exit_zero_and_fail_on() {
    let d = tmp();
    fs::write(d.path().join("s.txt"), SUGGEST).unwrap();
    fs::write(d.path().join("r.txt"), REVIEW).unwrap();
    let code = |args: &[&str]| -> Option<i32> {
        zh(d.path())
            .args(args)
            .args(["--no-config", "-q"])
            .output()
            .unwrap()
            .status
            .code()
    };
    // check: suggest findings fail by default, not with --fail-on review.
    assert_eq!(code(&["check", "s.txt"]), Some(1));
    assert_eq!(code(&["check", "s.txt", "--fail-on", "suggest"]), Some(1));
    assert_eq!(code(&["check", "s.txt", "--fail-on", "review"]), Some(0));
    assert_eq!(code(&["check", "r.txt", "--fail-on", "review"]), Some(1));
    // r.txt's only safe finding (`,`) counts for --fail-on safe.
    assert_eq!(code(&["check", "r.txt", "--fail-on", "safe"]), Some(1));
    assert_eq!(code(&["check", "s.txt", "--fail-on", "safe"]), Some(0));
    assert_eq!(code(&["check", "s.txt", "r.txt", "--exit-zero"]), Some(0));
    // check --format diff applies fixes to show them; they still count.
    assert_eq!(
        code(&["check", "--format", "diff", "r.txt", "--fail-on", "safe"]),
        Some(1)
    );
    // fix: applied findings never fail; pending ones by tier.
    assert_eq!(code(&["fix", "r.txt"]), Some(1));
    assert_eq!(code(&["fix", "r.txt", "--fail-on", "safe"]), Some(0));
    assert_eq!(code(&["fix", "r.txt", "--apply", "review"]), Some(0));
    assert_eq!(code(&["fix", "s.txt", "--apply", "review"]), Some(1));
    assert_eq!(code(&["fix", "s.txt", "--exit-zero"]), Some(0));
    assert_eq!(code(&["fix", "--diff", "r.txt", "--exit-zero"]), Some(0));
    assert_eq!(code(&["fix", "--diff", "r.txt"]), Some(1));
    // Errors still exit 2.
    assert_eq!(code(&["check", "missing.txt", "--exit-zero"]), Some(2));
    assert_eq!(code(&["check", "s.txt", "--fail-on", "sure"]), Some(2));
}

#[test]
fn a_fully_resumed_run_reports_as_the_first() {
    let d = tmp();
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let run_to = |format: &str, out: &str| -> (Option<i32>, String, String) {
        stdout_of(
            zh(d.path())
                .args(["fix", "--no-config", "--format", format, "--out", out])
                .arg(&seeds),
        )
    };
    let run = |format: &str| run_to(format, "out");
    let (c1, s1, e1) = run("sarif");
    let (c2, s2, e2) = run("sarif");
    assert!(e2.contains("resumed 5"), "{e2}");
    assert_eq!(c1, Some(1));
    assert_eq!(c1, c2);
    let results = |s: &str| -> usize {
        let v: serde_json::Value = serde_json::from_str(s).unwrap();
        v["runs"][0]["results"].as_array().unwrap().len()
    };
    assert!(results(&s1) > 100, "{}", results(&s1));
    assert_eq!(s1, s2);
    // The stderr table's totals are the report's, resumed or not.
    let total = |e: &str| -> String {
        e.lines()
            .find(|l| l.trim_start().starts_with("findings"))
            .unwrap()
            .split_whitespace()
            .nth(1)
            .unwrap()
            .to_string()
    };
    assert_eq!(total(&e1), results(&s1).to_string());
    assert_eq!(total(&e2), total(&e1));
    // Other formats too. A human run keeps fewer findings (applied ones
    // are only counted), so a later SARIF run processes the files again.
    let (h1, hs1, _) = run_to("human", "out2");
    let (h2, hs2, he2) = run_to("human", "out2");
    assert!(he2.contains("resumed 5"), "{he2}");
    assert_eq!((h1, hs1.clone()), (h2, hs2.clone()));
    assert!(hs1.contains("251 findings"), "{hs1}");
    let (c3, s3, e3) = run_to("sarif", "out2");
    assert!(e3.contains("resumed 0"), "{e3}");
    assert_eq!((c3, s3), (c1, s1.clone()));
    // In place: the second run finds the files as the first wrote them,
    // and reports what the first found.
    let inplace = d.path().join("inplace");
    fs::create_dir(&inplace).unwrap();
    for e in fs::read_dir(&seeds).unwrap() {
        let p = e.unwrap().path();
        fs::copy(&p, inplace.join(p.file_name().unwrap())).unwrap();
    }
    let write = || fix(d.path(), &["--format", "sarif", "--write", "inplace"]);
    let (w1, ws1, _) = write();
    let (w2, ws2, we2) = write();
    assert!(we2.contains("resumed 5"), "{we2}");
    assert_eq!(results(&ws1), results(&s1));
    assert_eq!((w1, ws1), (w2, ws2));
    // A SARIF run keeps everything: a human run resumes from it.
    let (h4, hs4, he4) = run("human");
    assert!(he4.contains("resumed 5"), "{he4}");
    assert_eq!((h4, hs4), (h1, hs1));
}

/// Inputs whose corpus pass finds an `X801` variant (`林栎文` once, in
/// d5, beside `林栋文` in d0-d4) and an `X802` duplicate (d6 repeats a
/// paragraph of d5); d6 also has safe and review findings of its own.
fn variant_corpus(dir: &Path) {
    const SENTENCES: [&str; 5] = [
        "今天天气很好，我们去公园散步。",
        "学校组织学生参加植树活动。",
        "市场上的蔬菜价格保持稳定。",
        "他在图书馆里读了一下午的书。",
        "新的公交线路下月开通。",
    ];
    const SHARED: &str = "图书馆新添了一批关于农业技术的书籍，欢迎读者前来借阅。";
    fs::create_dir_all(dir).unwrap();
    for (i, s) in SENTENCES.iter().enumerate() {
        fs::write(
            dir.join(format!("d{i}.txt")),
            format!("本报记者林栋文报道。\n{s}\n"),
        )
        .unwrap();
    }
    fs::write(dir.join("d5.txt"), format!("{SHARED}\n记者林栎文摄。\n")).unwrap();
    fs::write(dir.join("d6.txt"), format!("前言\n{SHARED}\n{REVIEW}")).unwrap();
}

/// The text files of a flat output directory (the manifest and its side
/// file left out: they hold timings).
fn outputs(dir: &Path) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

/// The stderr table's lines that count findings: the totals, the top
/// rules and the corpus pass's counts (without its rewrites, which a
/// resumed run finds done).
fn table_counts(e: &str) -> Vec<String> {
    e.lines()
        .filter(|l| {
            let t = l.trim_start();
            t.starts_with("findings") || t.starts_with("top rules") || t.starts_with("corpus ")
        })
        .map(|l| {
            l.split(" · ")
                .filter(|p| !p.ends_with("rewritten"))
                .collect::<Vec<_>>()
                .join(" · ")
        })
        .collect()
}

#[test]
fn a_fully_resumed_corpus_run_reports_the_corpus_pass_as_the_first() {
    let d = tmp();
    variant_corpus(&d.path().join("in"));
    let formats: [&[&str]; 4] = [
        &["--format", "human"],
        &["--format", "sarif"],
        &["--format", "github"],
        &["--statistics"],
    ];
    let mut n = 0;
    for apply in ["safe", "review"] {
        for format in formats {
            n += 1;
            let out = format!("out{n}");
            let args = [&["in", "--out", &out, "--apply", apply][..], format].concat();
            let run = || fix(d.path(), &args);
            let what = format!("--apply {apply} {format:?}");
            let (c1, s1, e1) = run();
            let tree1 = outputs(&d.path().join(&out));
            let (c2, s2, e2) = run();
            assert!(e1.contains("resumed 0"), "{what}: {e1}");
            assert!(e2.contains("resumed 7"), "{what}: {e2}");
            // The corpus pass found the variant and the duplicate, and with
            // --apply review fixed the variant in the output.
            assert!(e1.contains("X801 1 · X802 1"), "{what}: {e1}");
            let d5 = &tree1.iter().find(|(n, _)| n == "d5.txt").unwrap().1;
            assert_eq!(d5.contains("林栋文"), apply == "review", "{what}: {d5}");
            assert_eq!((c1, &s1), (c2, &s2), "{what}");
            assert_eq!(table_counts(&e1), table_counts(&e2), "{what}");
            assert_eq!(tree1, outputs(&d.path().join(&out)), "{what}");
        }
    }
    // In place, the corpus pass's rewrite is in the files a resumed run
    // reads.
    variant_corpus(&d.path().join("inplace"));
    let args = [
        "inplace", "--write", "--apply", "review", "--format", "sarif",
    ];
    let write = || fix(d.path(), &args);
    let (c1, s1, e1) = write();
    let (c2, s2, e2) = write();
    assert!(e1.contains("X801 1 · X802 1 · 1 file(s)"), "{e1}");
    assert!(e2.contains("resumed 7"), "{e2}");
    assert_eq!(c1, c2);
    assert!(s1 == s2, "in place: the resumed SARIF differs");
    assert_eq!(table_counts(&e1), table_counts(&e2));
}

#[test]
fn a_partly_resumed_corpus_run_reports_and_writes_as_a_fresh_one() {
    let d = tmp();
    let inp = d.path().join("in");
    variant_corpus(&inp);
    let run = |out: &str| {
        let args = ["in", "--out", out, "--apply", "review", "--format", "sarif"];
        fix(d.path(), &args)
    };
    let (_, _, e) = run("out");
    assert!(e.contains("X801 1"), "{e}");
    // d0 changes: d5, rewritten by the first run's corpus pass, is resumed,
    // and the variant is fixed as before.
    fs::write(inp.join("d0.txt"), "本报记者林栋文报道。\n今天下雨。\n").unwrap();
    let (c1, s1, e1) = run("out");
    assert!(e1.contains("resumed 6"), "{e1}");
    let (c2, s2, e2) = run("fresh1");
    assert!(e2.contains("X801 1"), "{e2}");
    assert_eq!((c1, s1), (c2, s2));
    assert_eq!(table_counts(&e1), table_counts(&e2));
    assert_eq!(
        outputs(&d.path().join("out")),
        outputs(&d.path().join("fresh1"))
    );
    // The dominant spelling leaves d0-d3: nothing is a variant any more,
    // and d5 (resumed) gets back the spelling of its input.
    for i in 0..4 {
        fs::write(inp.join(format!("d{i}.txt")), "本报讯。\n").unwrap();
    }
    let (c1, s1, e1) = run("out");
    assert!(e1.contains("resumed 3"), "{e1}");
    let (c2, s2, e2) = run("fresh2");
    assert!(e2.contains("X801 0"), "{e2}");
    assert_eq!((c1, s1), (c2, s2));
    assert_eq!(table_counts(&e1), table_counts(&e2));
    let tree = outputs(&d.path().join("out"));
    assert_eq!(tree, outputs(&d.path().join("fresh2")));
    assert!(tree.iter().any(|(_, t)| t.contains("林栎文")), "{tree:?}");
}

#[test]
fn walking_honours_gitignore_ignore_and_exclude() {
    let d = tmp();
    let r = d.path();
    for (p, t) in [
        ("docs/a.txt", SUGGEST),
        ("docs/drafts/b.txt", SUGGEST),
        ("docs/target/c.txt", SUGGEST),
        ("docs/d.bak.txt", SUGGEST),
        ("docs/e.txt", SUGGEST),
    ] {
        fs::create_dir_all(r.join(p).parent().unwrap()).unwrap();
        fs::write(r.join(p), t).unwrap();
    }
    fs::write(r.join("docs/.gitignore"), "target/\n").unwrap();
    fs::write(r.join("docs/.ignore"), "e.txt\n").unwrap();
    let files = |args: &[&str]| -> Vec<String> {
        let (_, out, err) = stdout_of(
            zh(r)
                .args(["check", "--format", "jsonl"])
                .args(args)
                .arg("docs"),
        );
        assert!(!err.contains("error"), "{err}");
        let mut v = field_of_lines(&out, "path");
        v.dedup();
        v
    };
    assert_eq!(
        files(&["--no-config"]),
        ["docs/a.txt", "docs/d.bak.txt", "docs/drafts/b.txt"]
    );
    assert_eq!(
        files(&[
            "--no-config",
            "--exclude",
            "drafts/",
            "--exclude",
            "*.bak.txt"
        ]),
        ["docs/a.txt"]
    );
    assert_eq!(
        files(&["--no-config", "--no-ignore"]),
        [
            "docs/a.txt",
            "docs/d.bak.txt",
            "docs/drafts/b.txt",
            "docs/e.txt",
            "docs/target/c.txt"
        ]
    );
    // `exclude` in the configuration.
    fs::write(r.join("zhclean.toml"), "exclude = [\"drafts/\"]\n").unwrap();
    assert_eq!(files(&[]), ["docs/a.txt", "docs/d.bak.txt"]);
    // A file named on the command line is always taken.
    let (_, out, _) = stdout_of(zh(r).args(["check", "--format", "jsonl", "docs/target/c.txt"]));
    assert!(out.contains("docs/target/c.txt"), "{out}");
}

#[test]
fn binary_files_are_counted_not_listed() {
    let d = tmp();
    fs::create_dir(d.path().join("docs")).unwrap();
    for i in 0..5 {
        fs::write(d.path().join(format!("docs/bin{i}.txt")), b"a\x00b").unwrap();
    }
    fs::write(d.path().join("docs/a.txt"), "干净。\n").unwrap();
    let (code, out, err) = stdout_of(zh(d.path()).args(["check", "--no-config", "docs"]));
    assert_eq!(code, Some(0));
    assert!(err.is_empty(), "{err}");
    assert!(out.contains("5 binary files skipped"), "{out}");
    let (_, _, err) = stdout_of(zh(d.path()).args(["check", "--no-config", "-v", "docs"]));
    assert_eq!(err.matches("skipped: binary").count(), 5, "{err}");
    // -q: nothing at all.
    let (code, out, err) = stdout_of(zh(d.path()).args(["check", "--no-config", "-q", "docs"]));
    assert_eq!(code, Some(0));
    assert!(out.is_empty() && err.is_empty(), "{out}{err}");
}

/// The Quick start's main job, run as the README shows it, puts its
/// streams where the README says: the findings left on stdout (exit 1, for
/// the suggest-tier ones), the corpus-run table on stderr, with the same
/// totals as the report's summary line.
#[test]
fn the_quick_start_job_reports_where_the_readme_says() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = fs::read_to_string(root.join("README.md")).unwrap();
    let quick = &readme[readme.find("## Quick start").unwrap()..];
    let quick = &quick[..quick[3..].find("\n## ").unwrap()];
    for said in [
        "cargo run --release -- fix --apply review seeds/ --out out/",
        "print on stdout the findings left for a person, suggest-tier ones, which is why it\nexits 1, and on stderr the corpus-run summary table",
        "cargo install --path .",
        "./scripts/test.sh",
    ] {
        assert!(quick.contains(said), "{said}");
    }
    let d = tmp();
    let (code, out, err) = stdout_of(
        zh(d.path())
            .args(["fix", "--apply", "review"])
            .arg(root.join("seeds"))
            .args(["--out", "out/"]),
    );
    assert_eq!(code, Some(1));
    assert!(out.contains("[suggest]"), "{out}");
    assert!(!err.contains("[suggest]"), "{err}");
    assert!(err.starts_with("corpus run summary\n"), "{err}");
    // `249 findings (safe 190, review 38, suggest 21) in 5 files; …` and
    // `findings  249   safe 190 · review 38 · suggest 21 · applied 228`.
    let numbers = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_ascii_digit())
            .filter(|n| !n.is_empty())
            .take(4)
            .map(String::from)
            .collect()
    };
    let summary = out.lines().last().unwrap();
    let table = err
        .lines()
        .find(|l| l.trim_start().starts_with("findings"))
        .unwrap();
    assert!(summary.contains("findings (safe"), "{summary}");
    assert_eq!(numbers(summary), numbers(table), "{summary}\n{table}");
}

#[test]
fn select_ignore_extend_select_and_old_names() {
    let d = tmp();
    fs::write(d.path().join("r.txt"), REVIEW).unwrap();
    let rules = |args: &[&str]| -> Vec<String> {
        let (_, out, err) = stdout_of(
            zh(d.path())
                .args(["check", "--no-config", "--format", "jsonl", "r.txt"])
                .args(args),
        );
        assert!(err.is_empty(), "{err}");
        let mut v = field_of_lines(&out, "rule");
        v.sort();
        v.dedup();
        v
    };
    let all = rules(&[]);
    assert_eq!(all, ["F601", "P201", "R401", "W302"]);
    assert_eq!(rules(&["--ignore", "R401"]), ["F601", "P201", "W302"]);
    assert_eq!(rules(&["--disable", "R401"]), ["F601", "P201", "W302"]);
    assert_eq!(rules(&["--ignore", "R4,W"]), ["F601", "P201"]);
    assert_eq!(rules(&["--select", "P201"]), ["P201"]);
    assert_eq!(rules(&["--only", "P2"]), ["P201"]);
    assert_eq!(
        rules(&["--select", "P201", "--extend-select", "R401,doubled-word"]),
        ["P201", "R401"]
    );
    assert_eq!(
        rules(&["--select", "ALL", "--ignore", "P"]),
        ["F601", "R401", "W302"]
    );
    // --extend-select widens the configuration's `only`.
    fs::write(d.path().join("c.toml"), "[rules]\nonly = [\"W302\"]\n").unwrap();
    assert_eq!(
        rules(&["--config", "c.toml", "--extend-select", "F6"]),
        ["F601", "W302"]
    );
    // Unknown selectors are usage errors naming them.
    zh(d.path())
        .args(["check", "--no-config", "r.txt", "--ignore", "Q9"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("Q9"));
}

#[test]
fn per_file_ignores_in_the_configuration() {
    let d = tmp();
    fs::create_dir_all(d.path().join("docs/letters")).unwrap();
    fs::write(d.path().join("docs/a.txt"), REVIEW).unwrap();
    fs::write(d.path().join("docs/letters/b.txt"), REVIEW).unwrap();
    fs::write(
        d.path().join("zhclean.toml"),
        "[rules.per_file_ignores]\n\"letters/*.txt\" = [\"R401\", \"W3\"]\n\"docs/a.txt\" = [\"F601\"]\n",
    )
    .unwrap();
    // (X802, the cross-document duplicate, is left out: both hold the same.)
    let (_, out, err) =
        stdout_of(zh(d.path()).args(["check", "--format", "jsonl", "--ignore", "X802", "docs"]));
    assert!(err.is_empty(), "{err}");
    let mut got: Vec<(String, String)> = field_of_lines(&out, "path")
        .into_iter()
        .zip(field_of_lines(&out, "rule"))
        .collect();
    got.dedup();
    assert_eq!(
        got,
        [
            ("docs/a.txt".to_string(), "P201".to_string()),
            ("docs/a.txt".into(), "W302".into()),
            ("docs/a.txt".into(), "P201".into()),
            ("docs/a.txt".into(), "R401".into()),
            ("docs/letters/b.txt".into(), "P201".into()),
            ("docs/letters/b.txt".into(), "F601".into()),
            ("docs/letters/b.txt".into(), "P201".into()),
        ]
    );
    // Fixes of an ignored rule are not applied either.
    let (_, text, _) =
        stdout_of(zh(d.path()).args(["fix", "--apply", "review", "docs/letters/b.txt"]));
    assert!(
        text.contains("经济经济") && text.contains("孙 雄"),
        "{text}"
    );
}

#[test]
fn statistics_count_per_rule_and_tier() {
    let d = tmp();
    fs::write(d.path().join("r.txt"), REVIEW.repeat(2)).unwrap();
    fs::write(d.path().join("s.txt"), SUGGEST).unwrap();
    let (code, out, _) =
        stdout_of(zh(d.path()).args(["check", "--no-config", "--statistics", "r.txt", "s.txt"]));
    assert_eq!(code, Some(1));
    assert_eq!(
        out,
        "2  F601  review   foreign-function-word\n\
         2  P201  safe     halfwidth-punctuation\n\
         2  P201  review   halfwidth-punctuation\n\
         2  R401  review   doubled-word\n\
         2  W302  review   space-in-word\n\
         1  F602  suggest  latin-in-han\n\
         1  R403  review   duplicate-paragraph\n\
         12 findings (safe 2, review 9, suggest 1) in 2 files; \
         9 review fixes not applied (use --apply review)\n"
    );
    let (_, out, _) =
        stdout_of(zh(d.path()).args(["fix", "--no-config", "--statistics", "--out", "o", "r.txt"]));
    assert!(
        out.contains("2  P201  safe     halfwidth-punctuation  (2 applied)"),
        "{out}"
    );
    zh(d.path())
        .args([
            "check",
            "--no-config",
            "--statistics",
            "--format",
            "sarif",
            "r.txt",
        ])
        .assert()
        .code(2);
}

#[test]
fn pre_commit_hooks_run_the_installed_commands() {
    let text =
        fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(".pre-commit-hooks.yaml"))
            .unwrap();
    assert!(text.contains("id: zhclean\n"), "{text}");
    assert!(text.contains("entry: zhclean check"), "{text}");
    assert!(text.contains("entry: zhclean fix --write"), "{text}");
    assert!(text.contains("language: rust"), "{text}");
}

/// A one-character GBK file is too little evidence for GB18030 (damaged
/// UTF-8 of a few chars reads as plausible GBK as often; issue 19): it is an
/// invalid-UTF-8 error that leaves the file alone, and `--encoding gb18030`
/// reads it.
#[test]
fn a_one_character_gbk_file_needs_encoding_gb18030() {
    let d = tmp();
    // `中` in GBK, with and without a newline.
    fs::write(d.path().join("one.txt"), b"\xd6\xd0").unwrap();
    fs::write(d.path().join("two.txt"), b"\xd6\xd0\n").unwrap();
    for f in ["one.txt", "two.txt"] {
        zh(d.path())
            .args(["check", "--no-config", f])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("invalid UTF-8 at byte 0"));
        zh(d.path())
            .args(["check", "--no-config", "--encoding", "gb18030", f])
            .assert()
            .code(0);
    }
    zh(d.path())
        .args(["fix", "--no-config", "--encoding", "gb18030", "one.txt"])
        .assert()
        .code(0)
        .stdout(predicate::eq(&b"\xd6\xd0"[..]));
    assert_eq!(fs::read(d.path().join("one.txt")).unwrap(), b"\xd6\xd0");
}

#[test]
fn a_missing_config_file_is_named_once() {
    let d = tmp();
    let (code, _, err) = stdout_of(
        zh(d.path())
            .args(["check", "--config", "/missing.toml", "-"])
            .write_stdin("甲"),
    );
    assert_eq!(code, Some(2));
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(err.matches("os error 2").count(), 1, "{err}");
    assert!(err.contains("/missing.toml"), "{err}");
}

#[test]
fn eval_scores_the_whole_user_file_by_default() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/eval/tiny.tsv");
    let rows = fs::read_to_string(&fixture).unwrap().lines().count() - 1;
    let (code, out, _) = stdout_of(
        Command::cargo_bin("zhclean")
            .unwrap()
            .arg("eval")
            .arg(&fixture),
    );
    assert_eq!(code, Some(0));
    assert!(
        out.starts_with(&format!("{rows} pairs (all of the file)")),
        "{out}"
    );
}
