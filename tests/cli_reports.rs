//! Reporters end to end on real engine output: a test rule (the binary has
//! no built-in rules yet) produces findings of every tier on a CRLF
//! document with CJK text, and each format is checked in detail.
use std::collections::BTreeMap;
use zhclean::edit::{Applicability, Edit, Fix};
use zhclean::engine::{Engine, Options};
use zhclean::finding::{Evidence, Finding};
use zhclean::lexicon::Lexicon;
use zhclean::report::{self, DocReport, Reporter, Summary};
use zhclean::rules::{Block, Context, Rule, RuleMeta};
use zhclean::span::Span;

static META: RuleMeta = RuleMeta {
    code: "T001",
    name: "test-marks",
    summary: "test rule",
    default_tier: Applicability::Safe,
    doc: "",
};

/// `,` → `，` (safe), `的的` → `的` (review), `X` reported (suggest, no fix).
struct Marks;
impl Rule for Marks {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, _: &Context<'_>, b: &Block<'_>, out: &mut Vec<Finding>) {
        let body = b.body();
        for (i, _) in body.match_indices(',') {
            let s = Span::new(i, i + 1);
            out.push(
                Finding::new(
                    "T001",
                    s,
                    "ASCII comma",
                    Evidence::new(0.99, "Han on both sides"),
                )
                .with_fix(Fix::single(Applicability::Safe, Edit::replace(s, "，"))),
            );
        }
        for (i, m) in body.match_indices("的的") {
            let s = Span::new(i, i + m.len());
            out.push(
                Finding::new("T001", s, "doubled 的", Evidence::new(0.7, "not a word")).with_fix(
                    Fix::single(Applicability::Review, Edit::delete(Span::new(i + 3, i + 6))),
                ),
            );
        }
        for (i, _) in body.match_indices('X') {
            out.push(Finding::new(
                "T001",
                Span::new(i, i + 1),
                "Latin letter in Han text",
                Evidence::new(0.2, "unclear"),
            ));
        }
    }
}

const DOC: &str = "第一行\r\n\r\n我们的的目标,是X\r\n";

fn run(apply: Option<Applicability>) -> (String, Vec<Finding>, BTreeMap<usize, String>) {
    let lex = Box::leak(Box::new(
        Lexicon::from_entries(Vec::<(String, zhclean::lexicon::Entry)>::new()).unwrap(),
    ));
    let e = Engine::with_rules(
        lex,
        vec![Box::new(Marks)],
        Options {
            apply,
            ..Options::default()
        },
    );
    let o = e.process_str(DOC);
    let mut lines = BTreeMap::new();
    for f in &o.findings {
        let l = f.location.unwrap().line;
        let text = DOC.split('\n').nth(l - 1).unwrap();
        lines.insert(l, text.trim_end_matches('\r').to_string());
    }
    (o.text, o.findings, lines)
}

fn render(r: &mut dyn Reporter, apply: Option<Applicability>) -> String {
    let (_, findings, lines) = run(apply);
    let mut out = Vec::new();
    r.document(
        &mut out,
        &DocReport {
            path: "报/a b.txt",
            findings: &findings,
            lines: &lines,
        },
    )
    .unwrap();
    let mut s = Summary {
        files: 1,
        applying: apply,
        ..Summary::default()
    };
    s.add_findings(&findings);
    r.finish(&mut out, &s).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn engine_output_as_expected() {
    let (text, findings, _) = run(Some(Applicability::Safe));
    assert_eq!(text, "第一行\r\n\r\n我们的的目标，是X\r\n");
    let locs: Vec<(usize, usize)> = findings
        .iter()
        .map(|f| {
            let l = f.location.unwrap();
            (l.line, l.column)
        })
        .collect();
    assert_eq!(locs, [(3, 3), (3, 7), (3, 9)]);
}

#[test]
fn human_check() {
    let got = render(
        &mut report::human::Human {
            color: false,
            no_summary: false,
            hide_applied: false,
        },
        None,
    );
    let expected = "\
报/a b.txt:3:3: T001 [review] doubled 的
  |
3 | 我们的的目标,是X
  |     ^^^^ delete `的`
报/a b.txt:3:7: T001 [safe] ASCII comma
  |
3 | 我们的的目标,是X
  |             ^ `,` → `，`
报/a b.txt:3:9: T001 [suggest] Latin letter in Han text
  |
3 | 我们的的目标,是X
  |                ^
3 findings (safe 1, review 1, suggest 1) in 1 file; 1 review fix not applied (use --apply review)
";
    assert_eq!(got, expected);
}

#[test]
fn human_fix_marks_applied() {
    let got = render(
        &mut report::human::Human {
            color: true,
            no_summary: false,
            hide_applied: false,
        },
        Some(Applicability::Review),
    );
    assert!(got.contains("delete `的` (applied)"), "{got}");
    assert!(got.contains("\x1b["), "colors requested");
    assert!(got.contains("2 fixes applied"), "{got}");
    assert!(!got.contains("use --apply review"), "{got}");
    let got = render(
        &mut report::human::Human {
            color: false,
            no_summary: false,
            hide_applied: true,
        },
        Some(Applicability::Safe),
    );
    assert!(!got.contains("ASCII comma"), "{got}");
    assert!(
        got.contains("doubled 的") && got.contains("1 fix applied"),
        "{got}"
    );
}

#[test]
fn jsonl_findings() {
    let got = render(&mut report::jsonl::JsonLines, Some(Applicability::Safe));
    let v: Vec<serde_json::Value> = got
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(v.len(), 3);
    let comma = &v[1];
    assert_eq!(comma["path"], "报/a b.txt");
    assert_eq!(comma["tier"], "safe");
    assert_eq!(comma["applied"], true);
    assert_eq!(comma["line"], 3);
    assert_eq!(comma["column"], 7);
    let b = DOC.find(',').unwrap();
    assert_eq!(comma["span"]["byte_start"], b);
    assert_eq!(comma["span"]["char_start"], DOC[..b].chars().count());
    assert_eq!(comma["original"], ",");
    assert_eq!(comma["fix"]["edits"][0]["replacement"], "，");
    assert_eq!(comma["evidence"]["reason"], "Han on both sides");
    assert_eq!(v[0]["applied"], false);
    assert!(v[2]["fix"].is_null());
}

#[test]
fn sarif_results() {
    let got = render(&mut report::sarif::Sarif::default(), None);
    let v: serde_json::Value = serde_json::from_str(&got).unwrap();
    let results = v["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    let levels: Vec<&str> = results
        .iter()
        .map(|r| r["level"].as_str().unwrap())
        .collect();
    assert_eq!(levels, ["warning", "warning", "note"]);
    let r = &results[0];
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "%E6%8A%A5/a%20b.txt"
    );
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 3);
    assert_eq!(region["startColumn"], 3);
    assert_eq!(region["endColumn"], 5);
    let b = DOC.find("的的").unwrap();
    assert_eq!(region["charOffset"], DOC[..b].chars().count());
    assert_eq!(region["charLength"], 2);
    // The deletion of the second 的 as a SARIF replacement.
    let rep = &r["fixes"][0]["artifactChanges"][0]["replacements"][0];
    assert_eq!(
        rep["deletedRegion"]["charOffset"],
        DOC[..b].chars().count() + 1
    );
    assert_eq!(rep["deletedRegion"]["charLength"], 1);
    assert_eq!(rep["insertedContent"]["text"], "");
    assert!(results[2].get("fixes").is_none());
    if let Some(path) = std::env::var_os("ZHCLEAN_SARIF_SAMPLE") {
        // For a manual schema validation of a log with results.
        std::fs::write(path, &got).unwrap();
    }
}

/// The log conforms to the SARIF 2.1.0 object model: serde-sarif's types are
/// generated from the OASIS schema (required properties, property types,
/// enumerations such as `level` and `kind`), so a log they reject does not
/// validate against the schema.
#[test]
fn sarif_validates_against_the_2_1_0_schema_model() {
    let got = render(&mut report::sarif::Sarif::default(), None);
    let log: serde_sarif::sarif::Sarif = serde_json::from_str(&got).expect("a SARIF 2.1.0 log");
    assert_eq!(log.runs.len(), 1);
    let results = log.runs[0].results.as_ref().expect("results");
    assert_eq!(results.len(), 3);
    // and an empty log too
    let v: serde_json::Value = serde_json::from_str(&got).unwrap();
    let mut empty = v.clone();
    empty["runs"][0]["results"] = serde_json::json!([]);
    let _: serde_sarif::sarif::Sarif = serde_json::from_value(empty).unwrap();
    // a log breaking the schema is rejected (the check can fail)
    let mut bad = v;
    bad["runs"][0]["results"][0]["level"] = serde_json::json!("severe");
    assert!(serde_json::from_value::<serde_sarif::sarif::Sarif>(bad).is_err());
}

#[test]
fn github_annotations() {
    let got = render(&mut report::github::Github, None);
    let lines: Vec<&str> = got.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[1],
        "::warning file=报/a b.txt,line=3,col=7,endLine=3,endColumn=8,title=T001 [safe]::ASCII comma (`,` → `，`)"
    );
    assert!(lines[2].starts_with("::notice "), "{}", lines[2]);
}
