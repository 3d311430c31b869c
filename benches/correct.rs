//! Throughput of the correction rules (C702, C703, P210, P211), of C706
//! and its character model (log10 P lookups per second), and of the
//! whole built-in rule set on OCR'd text. Input: the `ocr` column of the
//! eval fixture repeated to about 64 kB (real OCR pairs are not shipped in
//! the repository).
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use std::collections::HashSet;
use zhclean::edit::Applicability;
use zhclean::engine::{Engine, Options};
use zhclean::lexicon::Lexicon;

fn corpus() -> String {
    let pairs = zhclean::eval::parse_pairs(include_str!("../tests/fixtures/eval/sample.tsv"))
        .expect("fixture parses");
    let mut text = String::new();
    while text.len() < 64 * 1024 {
        for p in &pairs {
            text.push_str(&p.ocr);
            text.push('\n');
        }
    }
    text
}

fn bench(c: &mut Criterion) {
    let text = corpus();
    let lex = Lexicon::embedded();
    let mut g = c.benchmark_group("correct");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.sample_size(10);
    for (name, only) in [
        ("correction_rules", vec!["C702", "C703", "P210", "P211"]),
        ("char_in_context", vec!["C706"]),
        ("all_rules", vec![]),
    ] {
        let engine = Engine::new(
            lex,
            Options {
                apply: Some(Applicability::Review),
                only: only.into_iter().map(String::from).collect::<HashSet<_>>(),
                ..Options::default()
            },
        );
        g.bench_function(name, |b| b.iter(|| engine.process_str(&text)));
    }
    g.finish();
    // the character model alone: one log10 P per char of the text
    let lm = zhclean::correct::char_lm::CharLm::embedded();
    let syms: Vec<Vec<char>> = text
        .lines()
        .map(zhclean::correct::char_lm::segment_symbols)
        .collect();
    let lookups: usize = syms.iter().map(|s| s.len() - 1).sum();
    let mut g = c.benchmark_group("char_lm");
    g.throughput(Throughput::Elements(lookups as u64));
    g.sample_size(10);
    g.bench_function("logp_per_char", |b| {
        b.iter(|| {
            syms.iter()
                .map(|s| lm.score_range(s, 1, s.len()))
                .sum::<f32>()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
