//! Measures the text-level rules (N1xx P2xx W3xx R4xx S5xx F6xx).
//!
//! ```text
//! cargo run --example rules_measure -- gold  ../shared/dev-ocr/*.tsv
//! cargo run --example rules_measure -- seeds ../shared/seeds/*.txt
//! ```
//!
//! `ocr` runs them at the tier in `ZHCLEAN_TIER` (default review) over the
//! ocr column and reports the char edit distance to gold before and after.
//! `gold` runs the rules at the safe tier over the gold column of dev-ocr
//! TSV files (id font px blur noise gold ocr) and lists every change with
//! the changed chars per 1,000. `seeds` runs them at the review tier and
//! lists every finding.
//!
//! The lexicon is the embedded one, or the TSV named by `ZHCLEAN_WORDS`
//! (`word<TAB>freq<TAB>flags`) when set.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::collections::{BTreeMap, HashSet};
use zhclean::edit::Applicability;
use zhclean::engine::{Engine, Options};
use zhclean::lexicon::{Entry, Lexicon, WordFlags};

const FAMILIES: &[char] = &['N', 'P', 'W', 'R', 'S', 'F'];

fn lexicon() -> &'static Lexicon {
    match std::env::var("ZHCLEAN_WORDS") {
        Ok(path) => {
            let text = std::fs::read_to_string(&path).expect("read ZHCLEAN_WORDS");
            let entries = text.lines().filter_map(|l| {
                let mut f = l.split('\t');
                let w = f.next()?.to_string();
                let freq = f.next()?.parse().ok()?;
                let flags = f.next().and_then(|x| x.parse().ok()).unwrap_or(0);
                Some((
                    w,
                    Entry {
                        freq,
                        flags: WordFlags(flags),
                    },
                ))
            });
            Box::leak(Box::new(Lexicon::from_entries(entries).expect("lexicon")))
        }
        Err(_) => Lexicon::embedded(),
    }
}

fn my_codes() -> HashSet<String> {
    zhclean::rules::all_rules()
        .iter()
        .map(|m| m.code)
        .filter(|c| c.starts_with(FAMILIES))
        .map(String::from)
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((mode, files)) = args.split_first() else {
        eprintln!("usage: rules_measure gold|seeds FILES...");
        std::process::exit(2);
    };
    let lex = lexicon();
    eprintln!("lexicon: {} words", lex.len());
    match mode.as_str() {
        "gold" => gold(lex, files),
        "seeds" => seeds(lex, files),
        "ocr" => ocr(lex, files),
        _ => {
            eprintln!("unknown mode {mode}");
            std::process::exit(2);
        }
    }
}

fn gold(lex: &Lexicon, files: &[String]) {
    // ZHCLEAN_TIER=review measures the review tier instead.
    let tier = std::env::var("ZHCLEAN_TIER")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(Applicability::Safe);
    let engine = Engine::new(
        lex,
        Options {
            apply: Some(tier),
            only: my_codes(),
            ..Options::default()
        },
    );
    let (mut chars, mut changed, mut sentences) = (0usize, 0usize, 0usize);
    let mut by_rule: BTreeMap<String, usize> = BTreeMap::new();
    for path in files {
        let text = std::fs::read_to_string(path).expect("read tsv");
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 7 {
                continue;
            }
            let (id, g) = (cols[0], cols[5]);
            sentences += 1;
            chars += g.chars().count();
            let out = engine.process_str(g);
            for f in out.findings.iter().filter(|f| f.applied) {
                let repl: String = f
                    .fix
                    .as_ref()
                    .map(|x| x.edits.iter().map(|e| e.replacement.as_str()).collect())
                    .unwrap_or_default();
                let n: usize = f
                    .fix
                    .iter()
                    .flat_map(|x| x.edits.iter())
                    .map(|e| {
                        let o = g[e.span.start..e.span.end].chars().count();
                        o.max(e.replacement.chars().count()).max(1)
                    })
                    .sum();
                changed += n;
                *by_rule.entry(f.rule.to_string()).or_default() += n;
                let s = f.span.start.saturating_sub(15);
                let ctx_start = (0..=s).rev().find(|&i| g.is_char_boundary(i)).unwrap_or(0);
                let e = (f.span.end + 15).min(g.len());
                let ctx_end = (e..=g.len())
                    .find(|&i| g.is_char_boundary(i))
                    .unwrap_or(g.len());
                println!(
                    "{id}\t{}\t{:?} -> {:?}\t…{}…\t{}",
                    f.rule,
                    f.original,
                    repl,
                    &g[ctx_start..ctx_end],
                    f.evidence.reason
                );
            }
        }
    }
    println!(
        "sentences {sentences}, chars {chars}, changed chars {changed}, per 1000: {:.3}",
        changed as f64 * 1000.0 / chars.max(1) as f64
    );
    for (r, n) in by_rule {
        println!("  {r}: {n}");
    }
}

fn ocr(lex: &Lexicon, files: &[String]) {
    let tier = std::env::var("ZHCLEAN_TIER")
        .ok()
        .and_then(|t| t.parse().ok())
        .unwrap_or(Applicability::Review);
    let engine = Engine::new(
        lex,
        Options {
            apply: Some(tier),
            only: my_codes(),
            ..Options::default()
        },
    );
    let (mut before, mut after, mut gold_chars, mut better, mut worse) = (0, 0, 0, 0, 0);
    for path in files {
        let text = std::fs::read_to_string(path).expect("read tsv");
        for line in text.lines().skip(1) {
            let cols: Vec<&str> = line.split('\t').collect();
            if cols.len() < 7 {
                continue;
            }
            let (id, g, o) = (cols[0], cols[5], cols[6]);
            let cleaned = engine.process_str(o).text;
            let (b, a) = (strsim::levenshtein(o, g), strsim::levenshtein(&cleaned, g));
            gold_chars += g.chars().count();
            before += b;
            after += a;
            if a < b {
                better += 1;
            } else if a > b {
                worse += 1;
                println!("WORSE {id}\t{o}\t=> {cleaned}\t(gold {g})");
            }
        }
    }
    println!(
        "tier {tier}: edit distance to gold {before} -> {after} ({:.1}% fewer errors; CER {:.2}% -> {:.2}%), sentences better {better}, worse {worse}",
        (before as f64 - after as f64) * 100.0 / before.max(1) as f64,
        before as f64 * 100.0 / gold_chars.max(1) as f64,
        after as f64 * 100.0 / gold_chars.max(1) as f64,
    );
}

fn seeds(lex: &Lexicon, files: &[String]) {
    let engine = Engine::new(
        lex,
        Options {
            apply: Some(Applicability::Review),
            only: my_codes(),
            ..Options::default()
        },
    );
    for path in files {
        let text = std::fs::read_to_string(path).expect("read seed");
        let out = engine.process_str(&text);
        if let Ok(dir) = std::env::var("ZHCLEAN_OUT") {
            let name = std::path::Path::new(path).file_name().expect("file name");
            std::fs::write(std::path::Path::new(&dir).join(name), &out.text).expect("write output");
        }
        println!("=== {path}: {} findings", out.findings.len());
        for f in &out.findings {
            let repl: String = f
                .fix
                .as_ref()
                .map(|x| x.edits.iter().map(|e| e.replacement.as_str()).collect())
                .unwrap_or_default();
            let loc = f.location.map(|l| (l.line, l.column)).unwrap_or((0, 0));
            let orig: String = f.original.chars().take(30).collect();
            println!(
                "{}:{}\t{}\t{}\t{}\t{:?} -> {:?}\t{}",
                loc.0,
                loc.1,
                f.rule,
                f.tier(),
                if f.applied { "APPLIED" } else { "-" },
                orig,
                repl,
                f.evidence.reason
            );
        }
    }
}
