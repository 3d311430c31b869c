//! Per-rule fixtures: `tests/fixtures/rules/CODE/*.txt`, each run with only
//! that rule enabled.
//!
//! A fixture file is the input, a line `=== expected`, then the expected
//! output (both keep their trailing newline). Optional header lines:
//! `# apply: safe|review` (default review) and `# findings: N` (the exact
//! number of findings). Files named `no_*` must not change the text. The
//! lexicon is `tests/fixtures/rules/lexicon.tsv`, so the fixtures do not
//! depend on the embedded dictionary.

use std::collections::HashSet;
use std::fs;
use std::path::{Path, PathBuf};
use zhclean::edit::Applicability;
use zhclean::engine::{Engine, Options};
use zhclean::lexicon::{Entry, Lexicon, WordFlags};

const FAMILIES: &[char] = &['N', 'P', 'W', 'R', 'S', 'F'];

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules")
}

fn lexicon() -> Lexicon {
    let text = fs::read_to_string(fixtures_dir().join("lexicon.tsv")).unwrap();
    let entries = text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (
                f[0].to_string(),
                Entry {
                    freq: f[1].parse().unwrap(),
                    flags: WordFlags(f[2].parse().unwrap()),
                },
            )
        });
    Lexicon::from_entries(entries).unwrap()
}

struct Fixture {
    path: PathBuf,
    apply: Applicability,
    findings: Option<usize>,
    input: String,
    expected: String,
}

fn parse(path: &Path) -> Fixture {
    let raw = fs::read_to_string(path).unwrap();
    let mut body = raw.as_str();
    let mut apply = Applicability::Review;
    let mut findings = None;
    while let Some(rest) = body.strip_prefix("# ") {
        let (line, after) = rest.split_once('\n').unwrap();
        if let Some(t) = line.strip_prefix("apply: ") {
            apply = t.parse().unwrap();
        } else if let Some(n) = line.strip_prefix("findings: ") {
            findings = Some(n.parse().unwrap());
        } else {
            panic!("{}: unknown header {line}", path.display());
        }
        body = after;
    }
    let (input, expected) = body
        .split_once("\n=== expected\n")
        .unwrap_or_else(|| panic!("{}: no `=== expected` line", path.display()));
    Fixture {
        path: path.to_path_buf(),
        apply,
        findings,
        input: format!("{input}\n"),
        expected: expected.to_string(),
    }
}

fn all_fixtures() -> Vec<(String, Fixture)> {
    let mut out = Vec::new();
    let mut dirs: Vec<_> = fs::read_dir(fixtures_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        let code = dir.file_name().unwrap().to_string_lossy().to_string();
        let mut files: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "txt"))
            .collect();
        files.sort();
        for f in files {
            out.push((code.clone(), parse(&f)));
        }
    }
    out
}

#[test]
fn rule_fixtures() {
    let lex = lexicon();
    let mut failures = Vec::new();
    for (code, fx) in all_fixtures() {
        let engine = Engine::new(
            &lex,
            Options {
                apply: Some(fx.apply),
                only: HashSet::from([code.clone()]),
                ..Options::default()
            },
        );
        let out = engine.process_str(&fx.input);
        let name = fx.path.file_name().unwrap().to_string_lossy().to_string();
        if out.text != fx.expected {
            failures.push(format!(
                "{code}/{name}: got\n{}\nexpected\n{}",
                out.text, fx.expected
            ));
        }
        if name.starts_with("no_") && out.text != fx.input {
            failures.push(format!("{code}/{name}: a no_ fixture changed the text"));
        }
        if !name.starts_with("no_") && fx.expected == fx.input && fx.findings.unwrap_or(0) == 0 {
            failures.push(format!(
                "{code}/{name}: a firing fixture must change the text or count findings"
            ));
        }
        if let Some(n) = fx.findings {
            if out.findings.len() != n {
                failures.push(format!(
                    "{code}/{name}: {} findings, expected {n}: {:?}",
                    out.findings.len(),
                    out.findings.iter().map(|f| &f.message).collect::<Vec<_>>()
                ));
            }
        }
        if out.findings.iter().any(|f| f.rule != code) {
            failures.push(format!("{code}/{name}: a finding of another rule"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
}

#[test]
fn every_text_rule_has_firing_and_quiet_fixtures() {
    let fixtures = all_fixtures();
    for meta in zhclean::rules::all_rules() {
        if !meta.code.starts_with(FAMILIES) {
            continue;
        }
        let mine: Vec<&Fixture> = fixtures
            .iter()
            .filter(|(c, _)| c == meta.code)
            .map(|(_, f)| f)
            .collect();
        let quiet = mine.iter().any(|f| {
            f.path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("no_")
        });
        let fires = mine
            .iter()
            .any(|f| f.expected != f.input || f.findings.unwrap_or(0) > 0);
        assert!(
            quiet && fires,
            "{} needs a firing and a no_ fixture",
            meta.code
        );
    }
}
