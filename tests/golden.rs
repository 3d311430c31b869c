//! Golden tests: every `seeds/*.txt` is run through the library as
//! `zhclean fix --apply review` would, and the cleaned text and the findings
//! are compared with `golden/<name>.clean.txt` and `golden/<name>.findings.jsonl`.
//!
//! The golden files were read and verified by hand (see golden/README.md).
//! To regenerate them after a deliberate change: `ZHCLEAN_BLESS=1 cargo test
//! --test golden`, then read the diff before committing.

use std::fs;
use std::path::{Path, PathBuf};
use zhclean::edit::Applicability;
use zhclean::engine::{Engine, Options};
use zhclean::finding::Finding;
use zhclean::lexicon::Lexicon;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// One line per finding, stable and readable in a diff.
fn finding_line(f: &Finding) -> String {
    let loc = f.location.expect("engine fills locations");
    let replacement = f.fix.as_ref().map(|fix| {
        fix.edits
            .iter()
            .map(|e| e.replacement.as_str())
            .collect::<Vec<_>>()
            .join("|")
    });
    serde_json::json!({
        "rule": f.rule,
        "tier": f.tier(),
        "applied": f.applied,
        "line": loc.line,
        "column": loc.column,
        "byte": [f.span.start, f.span.end],
        "char": [loc.char_start, loc.char_end],
        "original": f.original,
        "replacement": replacement,
        "message": f.message,
    })
    .to_string()
}

fn check_or_bless(path: &Path, actual: &str, failures: &mut Vec<String>) {
    if std::env::var_os("ZHCLEAN_BLESS").is_some() {
        fs::write(path, actual).unwrap();
        return;
    }
    let expected = fs::read_to_string(path).unwrap_or_else(|_| {
        panic!(
            "missing {}; run ZHCLEAN_BLESS=1 cargo test --test golden",
            path.display()
        )
    });
    if expected != actual {
        let diff = similar::TextDiff::from_lines(expected.as_str(), actual)
            .unified_diff()
            .header("expected", "actual")
            .to_string();
        failures.push(format!("{} differs:\n{diff}", path.display()));
    }
}

#[test]
fn seeds_match_golden() {
    let engine = Engine::new(
        Lexicon::embedded(),
        Options {
            apply: Some(Applicability::Review),
            ..Options::default()
        },
    );
    let mut seeds: Vec<PathBuf> = fs::read_dir(root().join("seeds"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "txt"))
        .collect();
    seeds.sort();
    assert_eq!(seeds.len(), 5, "the five seed pages");
    let mut failures = Vec::new();
    for seed in &seeds {
        let name = seed.file_stem().unwrap().to_str().unwrap();
        let input = fs::read_to_string(seed).unwrap();
        let out = engine.process_str(&input);
        let findings: String = out
            .findings
            .iter()
            .map(|f| finding_line(f) + "\n")
            .collect();
        let golden = root().join("golden");
        check_or_bless(
            &golden.join(format!("{name}.clean.txt")),
            &out.text,
            &mut failures,
        );
        check_or_bless(
            &golden.join(format!("{name}.findings.jsonl")),
            &findings,
            &mut failures,
        );
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
