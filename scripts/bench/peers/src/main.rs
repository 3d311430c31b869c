//! In-process throughput on one file, one thread: segmentation
//! (`Lexicon::segment` vs jieba-rs `cut(line, false)`) and normalization
//! (zhclean's N10x/P20x/W30x rules at the safe tier vs `autocorrect::format`),
//! line by line. Prints one `RESULT` line per measurement for run.py:
//! `RESULT<TAB>name<TAB>bytes<TAB>seconds` (the fastest of ROUNDS runs).
//!
//! usage: bench_peers FILE [ROUNDS]
use std::collections::HashSet;
use std::time::Instant;

use zhclean::edit::Applicability;
use zhclean::engine::{Engine, Options};
use zhclean::lexicon::Lexicon;

/// zhclean's normalization rules (the part autocorrect also does).
const NORMALIZATION: &[&str] = &[
    "N101", "N102", "N103", "N104", "N105", "P201", "P202", "P203", "W301", "W302", "W303",
];

/// Fastest of `rounds` timed calls, in seconds (the least disturbed by
/// other processes on a shared machine).
fn fastest(rounds: usize, mut f: impl FnMut() -> usize) -> f64 {
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let t = Instant::now();
        std::hint::black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
    }
    best
}

fn main() {
    let usage = "usage: bench_peers FILE [ROUNDS]";
    let path = std::env::args().nth(1).expect(usage);
    let rounds: usize = std::env::args()
        .nth(2)
        .map_or(3, |r| r.parse().expect(usage));
    let text = std::fs::read_to_string(&path).expect("a readable UTF-8 file");
    let lines: Vec<&str> = text.lines().collect();
    let bytes = text.len();

    let lex = Lexicon::embedded();
    let jieba = jieba_rs::Jieba::new();
    let norm = Engine::new(
        lex,
        Options {
            apply: Some(Applicability::Safe),
            only: NORMALIZATION
                .iter()
                .map(|s| s.to_string())
                .collect::<HashSet<_>>(),
            ..Options::default()
        },
    );
    // one thread, like the peers
    let one = rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a thread pool");

    let mut results: Vec<(&str, f64)> = Vec::new();
    // interleaved, so that all see the same machine load
    for _ in 0..rounds {
        let r = [
            (
                "zhclean Lexicon::segment",
                fastest(1, || lines.iter().map(|l| lex.segment(l).len()).sum()),
            ),
            (
                "jieba-rs cut (no HMM)",
                fastest(1, || lines.iter().map(|l| jieba.cut(l, false).len()).sum()),
            ),
            (
                "zhclean normalization rules",
                fastest(1, || {
                    one.install(|| {
                        lines
                            .iter()
                            .map(|l| norm.process_str(l).text.len())
                            .sum()
                    })
                }),
            ),
            (
                "autocorrect::format",
                fastest(1, || lines.iter().map(|l| autocorrect::format(l).len()).sum()),
            ),
        ];
        for (name, secs) in r {
            match results.iter_mut().find(|(n, _)| *n == name) {
                Some(e) => e.1 = e.1.min(secs),
                None => results.push((name, secs)),
            }
        }
    }
    for (name, secs) in results {
        println!("RESULT\t{name}\t{bytes}\t{secs:.6}");
    }
}
