//! Punctuation/space normalization, side by side: `autocorrect::format` vs
//! zhclean's normalization rules (N10x, P201–P203, W30x), same text, same
//! thread. Prints human-readable results and `RESULT` lines for run.sh.
//!
//! Usage: autocorrect_vs_zhclean CORPUS.txt DEV_OCR_DIR [ROUNDS]
use std::collections::HashSet;
use std::time::Instant;

use zhclean::edit::Applicability;
use zhclean::engine::{Engine, Options};
use zhclean::lexicon::Lexicon;

/// zhclean's normalization rules: every N, P20x and W rule (`zhclean explain --list`).
const NORMALIZATION: &[&str] = &[
    "N101", "N102", "N103", "N104", "N105", "P201", "P202", "P203", "W301", "W302", "W303",
];

fn engine(apply: Applicability) -> Engine<'static> {
    let opts = Options {
        apply: Some(apply),
        only: NORMALIZATION
            .iter()
            .map(|s| s.to_string())
            .collect::<HashSet<_>>(),
        ..Options::default()
    };
    Engine::new(Lexicon::embedded(), opts)
}

/// (gold, ocr) pairs of every `*.tsv` under `dir` (columns id font px blur noise gold ocr).
fn dev_ocr_pairs(dir: &std::path::Path) -> Vec<(String, String)> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("readable dev-ocr dir")
        .map(|e| e.expect("dir entry").path())
        .filter(|p| p.extension().is_some_and(|x| x == "tsv"))
        .collect();
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable tsv");
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
        let col = |name: &str| header.iter().position(|h| *h == name).expect("column");
        let (g, o) = (col("gold"), col("ocr"));
        for l in lines {
            let cells: Vec<&str> = l.split('\t').collect();
            if let (Some(gold), Some(ocr)) = (cells.get(g), cells.get(o)) {
                out.push((gold.to_string(), ocr.to_string()));
            }
        }
    }
    out
}

/// Character-level Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let up = row[j + 1];
            row[j + 1] = (diag + usize::from(ca != cb)).min(up + 1).min(row[j] + 1);
            diag = up;
        }
    }
    row[b.len()]
}

/// Fastest of `rounds` timed calls, in seconds.
fn fastest(rounds: usize, mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut best = f64::INFINITY;
    let mut out = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        out = std::hint::black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, out)
}

type Tool<'a> = (&'a str, Box<dyn Fn(&str) -> String + 'a>);

fn main() {
    let mut args = std::env::args().skip(1);
    let usage = "usage: autocorrect_vs_zhclean CORPUS.txt DEV_OCR_DIR [ROUNDS]";
    let corpus_path = args.next().expect(usage);
    let dev_dir = args.next().expect(usage);
    let rounds: usize = args
        .next()
        .map_or(5, |r| r.parse().expect("ROUNDS is a number"));
    let corpus = std::fs::read_to_string(&corpus_path).expect("readable corpus");
    let lines: Vec<&str> = corpus.lines().collect();
    let mb = corpus.len() as f64 / 1e6;
    println!(
        "corpus {corpus_path}: {} bytes, {} chars, {} lines",
        corpus.len(),
        corpus.chars().count(),
        lines.len()
    );

    let t = Instant::now();
    let safe = engine(Applicability::Safe);
    let review = engine(Applicability::Review);
    safe.process_str("测试,");
    println!(
        "zhclean engine ready: {:.2} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    autocorrect::format("测试test,");
    println!(
        "autocorrect first call: {:.2} ms",
        t.elapsed().as_secs_f64() * 1e3
    );

    // Throughput: the whole corpus as one string, and line by line. Rounds
    // interleaved so that both tools see the same machine load.
    let mut best = [f64::INFINITY; 4];
    let mut outs = [0usize; 4];
    for _ in 0..rounds {
        let runs: [&dyn Fn() -> usize; 4] = [
            &|| autocorrect::format(&corpus).len(),
            &|| lines.iter().map(|l| autocorrect::format(l).len()).sum(),
            &|| safe.process_str(&corpus).text.len(),
            &|| lines.iter().map(|l| safe.process_str(l).text.len()).sum(),
        ];
        for (i, run) in runs.iter().enumerate() {
            let (s, o) = fastest(1, run);
            best[i] = best[i].min(s);
            outs[i] = o;
        }
    }
    let names = [
        "autocorrect::format, whole text",
        "autocorrect::format, line by line",
        "zhclean normalization (safe), whole text",
        "zhclean normalization (safe), line by line",
    ];
    for (i, name) in names.iter().enumerate() {
        println!(
            "{name:44} {:8.2} MB/s  ({:.1} ms, output {} bytes)",
            mb / best[i],
            best[i] * 1e3,
            outs[i]
        );
        println!("RESULT\t{name}\t{}\t{:.6}", corpus.len(), best[i]);
    }
    println!(
        "ratio zhclean / autocorrect (whole text): {:.2}",
        best[0] / best[2]
    );

    // What each changes, on the dev-ocr pairs: changes to the gold side are
    // false changes for an OCR cleaner; on the OCR side, does the output get
    // closer to gold?
    let pairs = dev_ocr_pairs(std::path::Path::new(&dev_dir));
    let gold_chars: usize = pairs.iter().map(|(g, _)| g.chars().count()).sum();
    let before: usize = pairs.iter().map(|(g, o)| distance(g, o)).sum();
    let no_space = |s: &str| s.chars().filter(|c| *c != ' ').collect::<String>();
    // Space-blind: spaces removed from both sides, so that what is left is
    // the effect on characters and punctuation.
    let before_ns: usize = pairs
        .iter()
        .map(|(g, o)| distance(&no_space(g), &no_space(o)))
        .sum();
    println!(
        "\ndev-ocr: {} pairs, {gold_chars} gold chars; OCR side CER {:.2}% ({before} edits)",
        pairs.len(),
        100.0 * before as f64 / gold_chars as f64
    );
    let tools: Vec<Tool> = vec![
        (
            "autocorrect::format",
            Box::new(|s: &str| autocorrect::format(s)),
        ),
        (
            "zhclean normalization, safe",
            Box::new(|s: &str| safe.process_str(s).text),
        ),
        (
            "zhclean normalization, review",
            Box::new(|s: &str| review.process_str(s).text),
        ),
    ];
    for (name, f) in &tools {
        let (mut lines_changed, mut edits, mut spacing_only) = (0, 0, 0);
        let mut examples = Vec::new();
        let (mut after, mut after_ns, mut ocr_changed) = (0, 0, 0);
        for (g, o) in &pairs {
            let fg = f(g);
            if fg != *g {
                lines_changed += 1;
                edits += distance(g, &fg);
                if no_space(&fg) == no_space(g) {
                    spacing_only += 1;
                }
                if examples.len() < 3 {
                    examples.push((g.clone(), fg));
                }
            }
            let fo = f(o);
            ocr_changed += usize::from(fo != *o);
            after += distance(&fo, g);
            after_ns += distance(&no_space(&fo), &no_space(g));
        }
        println!(
            "{name:32} gold side: {lines_changed} sentences changed ({spacing_only} only in spaces), \
             {edits} char edits = {:.2} false changes / 1,000 chars; \
             OCR side: {ocr_changed} sentences changed, CER {:.2}% -> {:.2}% ({before} -> {after} edits), \
             space-blind {before_ns} -> {after_ns} edits",
            1000.0 * edits as f64 / gold_chars as f64,
            100.0 * before as f64 / gold_chars as f64,
            100.0 * after as f64 / gold_chars as f64,
        );
        println!(
            "QUALITY\t{name}\t{lines_changed}\t{spacing_only}\t{edits}\t{gold_chars}\t{ocr_changed}\t{before}\t{after}\t{before_ns}\t{after_ns}"
        );
        for (g, fg) in examples {
            println!("    gold: {g}\n    out:  {fg}");
        }
    }

    // With SHOW=N: N OCR-side sentences where autocorrect and zhclean (safe)
    // differ once spaces are ignored, with the gold text.
    let show: usize = std::env::var("SHOW")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut shown = 0;
    for (g, o) in &pairs {
        if shown >= show {
            break;
        }
        let (a, z) = (autocorrect::format(o), safe.process_str(o).text);
        if no_space(&a) != no_space(&z) {
            shown += 1;
            println!(
                "\n  gold:        {g}\n  ocr:         {o}\n  autocorrect: {a}\n  zhclean:     {z}"
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_char_edits() {
        assert_eq!(distance("", ""), 0);
        assert_eq!(distance("按住5来", "按住 5 来"), 2);
        assert_eq!(distance("功能.帮助", "功能。帮助"), 1);
        assert_eq!(distance("abc", ""), 3);
        assert_eq!(distance("文件夹", "文件"), 1);
    }

    #[test]
    fn the_two_tools_differ_as_reported() {
        // autocorrect spaces Han from digits; zhclean's normalization does not.
        let s = "按住小键盘上的5来产生右击动作。";
        assert_eq!(autocorrect::format(s), "按住小键盘上的 5 来产生右击动作。");
        assert_eq!(engine(Applicability::Safe).process_str(s).text, s);
        // zhclean makes a half-width semicolon in Chinese text full-width.
        let s = "拦截连接;或要求您更改设置";
        assert_eq!(
            engine(Applicability::Safe).process_str(s).text,
            "拦截连接；或要求您更改设置"
        );
    }
}
