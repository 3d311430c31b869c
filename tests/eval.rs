//! `zhclean eval` metrics on tiny fixtures with hand-computed figures.
use zhclean::eval::{atomic_edits, evaluate, is_heldout, parse_pairs, AtomicEdit, Split};

fn tiny() -> Vec<zhclean::eval::Pair> {
    parse_pairs(include_str!("fixtures/eval/tiny.tsv")).unwrap()
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn parses_tsv_and_jsonl() {
    let p = tiny();
    assert_eq!(p.len(), 4);
    assert_eq!(p[0].id, "t-001");
    assert_eq!(p[2].ocr, "我们走了");
    let j = parse_pairs(include_str!("fixtures/eval/tiny.jsonl")).unwrap();
    assert_eq!(j.len(), 2);
    assert_eq!(j[0].id, "j-1");
    assert_eq!(j[1].id, "line-2");
    assert!(parse_pairs("a\tb\nx\ty\n").is_err());
}

#[test]
fn hand_computed_figures() {
    let pairs = tiny();
    // t-001: 太→大 fixed, *→。 missed; t-002 untouched; t-003: 。 restored;
    // t-004: 干 changed, but to the wrong char 于.
    let outputs: Vec<String> = ["大家好*", "今天下雨", "我们走了。", "于万"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    // on the gold side, one false change (雨→两) in t-002.
    let gold_out: Vec<String> = ["大家好。", "今天下两", "我们走了。", "千万"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let m = evaluate(&pairs, &outputs, &gold_out);
    assert_eq!(m.gold_chars, 15);
    assert_eq!(m.errors_before, 4);
    assert_eq!(m.errors_after, 2);
    assert!(close(m.cer_before, 4.0 / 15.0));
    assert!(close(m.error_reduction, 0.5));
    // gold edits: Sub(0,大) Sub(3,。) | Ins(4,。) | Sub(0,千) = 4
    // system edits: Sub(0,大) | Ins(4,。) | Sub(0,于) = 3, all at gold positions
    assert_eq!((m.detection.tp, m.detection.predicted), (3, 3));
    assert_eq!((m.detection.tp_recall, m.detection.actual), (3, 4));
    assert!(close(m.detection.f1, 2.0 * 1.0 * 0.75 / 1.75));
    assert_eq!((m.correction.tp, m.correction.predicted), (2, 3));
    assert!(close(m.correction.recall, 0.5));
    // sentences: positive t1 t3 t4, flagged t1 t3 t4, output == gold only t3
    assert_eq!(
        (m.sentence.tp, m.sentence.predicted, m.sentence.actual),
        (1, 3, 3)
    );
    assert!(close(m.sentence.precision, 1.0 / 3.0));
    assert_eq!(m.false_changes, 1);
    assert!(close(m.false_changes_per_1k, 1000.0 / 15.0));
}

#[test]
fn identity_output_scores_zero_reduction() {
    let pairs = tiny();
    let same: Vec<String> = pairs.iter().map(|p| p.ocr.clone()).collect();
    let gold: Vec<String> = pairs.iter().map(|p| p.gold.clone()).collect();
    let m = evaluate(&pairs, &same, &gold);
    assert_eq!(m.errors_after, m.errors_before);
    assert!(close(m.error_reduction, 0.0));
    assert_eq!(m.detection.predicted, 0);
    assert!(close(m.detection.recall, 0.0));
    assert_eq!(m.false_changes, 0);
}

#[test]
fn edits_and_split() {
    assert_eq!(
        atomic_edits("我们走了", "我们走了。"),
        vec![AtomicEdit::Ins(4, "。".into())]
    );
    assert!(is_heldout("dev-012") && !is_heldout("dev-013"));
    assert!(Split::Heldout.keeps("gnome-400") && !Split::Heldout.keeps("gnome-401"));
    assert!("train".parse::<Split>().is_ok() && "x".parse::<Split>().is_err());
}

#[test]
fn cli_reports_figures_as_json() {
    let out = assert_cmd::Command::cargo_bin("zhclean")
        .unwrap()
        .args([
            "eval",
            "tests/fixtures/eval/tiny.tsv",
            "--split",
            "all",
            "--json",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let tiers: Vec<&str> = v
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["tier"].as_str().unwrap())
        .collect();
    assert_eq!(tiers, ["safe", "review"]);
    assert_eq!(v[0]["errors_before"], 4);
    assert_eq!(v[0]["gold_chars"], 15);
    // P210 turns the final `*` of t-001 into `。` at the safe tier
    assert!(v[0]["errors_after"].as_u64().unwrap() < 4);
}
