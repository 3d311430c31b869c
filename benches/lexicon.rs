//! Lexicon benchmarks: embedded load, exact lookup, prefix walk,
//! segmentation throughput, character table lookup.
//!
//! Text: the gold side of `../shared/dev-ocr/*.tsv` (GNOME help + Chinese
//! Wikipedia sentences, not reserved data), or the file named by
//! `ZHCLEAN_BENCH_TEXT`; a few built-in sentences if neither exists.
//!
//! Run briefly: `cargo bench --bench lexicon -- --warm-up-time 1 --measurement-time 2`
use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use std::path::Path;
use zhclean::lexicon::chars::CharTable;
use zhclean::lexicon::Lexicon;

const FALLBACK: &str = "国务院常务会议今天召开，研究部署进一步改善营商环境的举措。\
会议指出，要坚持稳中求进工作总基调，推动经济高质量发展。\
据气象部门预报，本周后期北方地区将迎来一次明显降温过程。";

fn bench_text() -> String {
    if let Ok(p) = std::env::var("ZHCLEAN_BENCH_TEXT") {
        return std::fs::read_to_string(p).expect("ZHCLEAN_BENCH_TEXT readable");
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/dev-ocr");
    let mut text = String::new();
    if let Ok(rd) = std::fs::read_dir(&dir) {
        let mut files: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        files.sort();
        for f in files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "tsv"))
        {
            let content = std::fs::read_to_string(f).unwrap_or_default();
            let mut lines = content.lines();
            let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
            let Some(gold) = header.iter().position(|h| *h == "gold") else {
                continue;
            };
            for l in lines {
                if let Some(g) = l.split('\t').nth(gold) {
                    text.push_str(g);
                    text.push('\n');
                }
            }
        }
    }
    if text.is_empty() {
        text = FALLBACK.repeat(50);
    }
    text
}

fn lexicon(c: &mut Criterion) {
    c.bench_function("lexicon/load_embedded", |b| {
        b.iter(|| black_box(Lexicon::load_embedded()))
    });
    let lex = Lexicon::embedded();
    let words = ["的", "改善", "中华人民共和国", "一举两得", "不存在的词语"];
    c.bench_function("lexicon/get_5_words", |b| {
        b.iter(|| {
            for w in words {
                black_box(lex.get(black_box(w)));
            }
        })
    });
    c.bench_function("lexicon/prefixes", |b| {
        b.iter(|| black_box(lex.prefixes(black_box("中华人民共和国成立了"), 16)))
    });
    c.bench_function("lexicon/idioms_with_deletion", |b| {
        b.iter(|| black_box(lex.idioms_with_deletion(black_box("一举得"))))
    });
    let table = CharTable::embedded();
    c.bench_function("chars/get_5_chars", |b| {
        b.iter(|| {
            for ch in ['的', '改', '善', '措', 'a'] {
                black_box(table.get(black_box(ch)));
            }
        })
    });

    let text = bench_text();
    let lines: Vec<&str> = text.lines().collect();
    let mut g = c.benchmark_group("lexicon/segment");
    g.throughput(Throughput::Bytes(text.len() as u64));
    g.bench_function("dev_ocr_gold", |b| {
        b.iter(|| {
            let mut n = 0;
            for l in &lines {
                n += lex.segment(black_box(l)).len();
            }
            black_box(n)
        })
    });
    g.finish();
}

criterion_group!(benches, lexicon);
criterion_main!(benches);
