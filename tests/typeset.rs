//! Correctly typeset Chinese text (`tests/fixtures/typeset/*.txt|md`: three
//! files written for this test, prose with quotes of every kind,
//! parentheses, times, Latin names, Markdown emphasis and code spans; and
//! `rust_book_zh.md`, 213 paragraphs of a real Markdown book translation
//! with links, `*` and `_` emphasis, code spans, list items and HTML
//! comments, MIT, see `rust_book_zh.LICENSE`) must come out of the full
//! default pipeline unchanged: at the safe tier, and at the review tier
//! (the count of review changes is printed by the assertion when not 0).

use std::fs;
use std::path::Path;
use zhclean::edit::Applicability;
use zhclean::engine::{Engine, Options};
use zhclean::lexicon::Lexicon;

fn texts() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/typeset");
    let mut out: Vec<(String, String)> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt" || x == "md"))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().to_string(),
                fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    assert!(out.iter().map(|(_, t)| t.lines().count()).sum::<usize>() >= 300);
    out
}

fn changes_at(tier: Applicability) -> Vec<String> {
    let lex = Lexicon::embedded();
    let engine = Engine::new(
        lex,
        Options {
            apply: Some(tier),
            ..Options::default()
        },
    );
    let mut changed = Vec::new();
    for (name, text) in texts() {
        let out = engine.process_str(&text);
        for f in out.findings.iter().filter(|f| f.applied) {
            changed.push(format!(
                "{name}: {} {:?} ({})",
                f.rule, f.original, f.message
            ));
        }
    }
    changed
}

#[test]
fn safe_tier_changes_nothing() {
    let changed = changes_at(Applicability::Safe);
    assert!(
        changed.is_empty(),
        "{} changes: {changed:#?}",
        changed.len()
    );
}

#[test]
fn review_tier_changes_nothing() {
    let changed = changes_at(Applicability::Review);
    assert!(
        changed.is_empty(),
        "{} changes: {changed:#?}",
        changed.len()
    );
}
