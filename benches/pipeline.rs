//! End-to-end and per-stage throughput of the pipeline on news-like text
//! (the OCR'd newspaper pages in `seeds/`, concatenated to size).
//!
//! Run: `cargo bench --bench pipeline` (figures go in BENCHMARKS.md).
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use std::collections::HashSet;
use zhclean::apply::apply_fixes;
use zhclean::edit::{Applicability, Fix};
use zhclean::engine::{Engine, Options};
use zhclean::io::decode::decode;
use zhclean::lexicon::Lexicon;
use zhclean::rules::all_rules;

/// The seed pages concatenated, repeated to at least `size` bytes, cut at a
/// line end.
fn corpus(size: usize) -> String {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    paths.sort();
    let pages: Vec<String> = paths
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    let mut text = String::new();
    'fill: loop {
        for p in &pages {
            text.push_str(p);
            text.push('\n');
            if text.len() >= size {
                break 'fill;
            }
        }
    }
    let mut end = size.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let cut = text[..end].rfind('\n').map(|i| i + 1).unwrap_or(end);
    text.truncate(cut);
    text
}

fn family(prefixes: &[&str]) -> HashSet<String> {
    all_rules()
        .iter()
        .filter(|m| prefixes.iter().any(|p| m.code.starts_with(p)))
        .map(|m| m.code.to_string())
        .collect()
}

fn engine(apply: Applicability, only: HashSet<String>) -> Engine<'static> {
    Engine::new(
        Lexicon::embedded(),
        Options {
            apply: Some(apply),
            only,
            ..Options::default()
        },
    )
}

fn end_to_end(c: &mut Criterion) {
    let mut g = c.benchmark_group("end_to_end");
    g.sample_size(10);
    for size in [1_000usize, 100_000, 1_000_000] {
        let text = corpus(size);
        g.throughput(Throughput::Bytes(text.len() as u64));
        for (name, tier) in [
            ("safe", Applicability::Safe),
            ("review", Applicability::Review),
        ] {
            let e = engine(tier, HashSet::new());
            g.bench_with_input(BenchmarkId::new(name, size), &text, |b, t| {
                b.iter(|| e.process_str(t))
            });
        }
    }
    g.finish();
}

fn stages(c: &mut Criterion) {
    let text = corpus(200_000);
    let mut g = c.benchmark_group("stage");
    g.sample_size(10);
    g.throughput(Throughput::Bytes(text.len() as u64));
    let stage_sets: [(&str, &[&str]); 4] = [
        ("normalize", &["N", "P20", "W"]),
        ("repetition_structure", &["R", "S", "F"]),
        ("correct", &["C", "P21"]),
        ("all", &[""]),
    ];
    for (name, prefixes) in stage_sets {
        let only = family(prefixes);
        if only.is_empty() {
            continue;
        }
        let e = engine(Applicability::Review, only);
        g.bench_function(name, |b| b.iter(|| e.process_str(&text)));
    }
    let utf8 = text.as_bytes().to_vec();
    g.bench_function("decode_utf8", |b| b.iter(|| decode(&utf8)));
    let gbk = encoding_rs::GB18030.encode(&text).0.into_owned();
    g.bench_function("decode_gb18030", |b| b.iter(|| decode(&gbk)));
    let check = Engine::new(Lexicon::embedded(), Options::default());
    let findings = check.process_str(&text).findings;
    let fixes: Vec<&Fix> = findings.iter().filter_map(|f| f.fix.as_ref()).collect();
    g.bench_function("apply", |b| b.iter(|| apply_fixes(&text, &fixes)));
    let cleaned = engine(Applicability::Review, HashSet::new())
        .process_str(&text)
        .text;
    g.bench_function("diff", |b| {
        b.iter(|| {
            similar::TextDiff::from_lines(text.as_str(), cleaned.as_str())
                .unified_diff()
                .to_string()
        })
    });
    let sample = corpus(50_000);
    g.throughput(Throughput::Bytes(sample.len() as u64));
    g.bench_function("segment_50k", |b| {
        b.iter(|| Lexicon::embedded().segment(&sample))
    });
    g.finish();
}

fn startup(c: &mut Criterion) {
    c.bench_function("engine_new", |b| {
        b.iter(|| Engine::new(Lexicon::embedded(), Options::default()))
    });
}

criterion_group!(benches, end_to_end, stages, startup);
criterion_main!(benches);
