//! Segmentation throughput, zhclean vs jieba-rs, same text, same thread.
use std::time::Instant;

fn gold_lines(path: &std::path::Path) -> Vec<String> {
    let mut files = Vec::new();
    if path.is_dir() {
        for e in std::fs::read_dir(path).expect("readable dir") {
            let p = e.expect("dir entry").path();
            if p.extension().is_some_and(|x| x == "tsv") {
                files.push(p);
            }
        }
        files.sort();
    } else {
        files.push(path.to_path_buf());
    }
    let mut out = Vec::new();
    for f in files {
        let text = std::fs::read_to_string(&f).expect("readable file");
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or("").split('\t').collect();
        match header.iter().position(|h| *h == "gold") {
            Some(g) => out.extend(lines.filter_map(|l| l.split('\t').nth(g).map(String::from))),
            None => out.extend(text.lines().map(String::from)),
        }
    }
    out
}

/// Fastest of `rounds` timed runs, in seconds (the minimum is the least
/// disturbed by other processes on a shared machine).
fn best_secs(rounds: usize, mut f: impl FnMut() -> usize) -> (f64, usize) {
    let mut best = f64::INFINITY;
    let mut tokens = 0;
    for _ in 0..rounds {
        let t = Instant::now();
        tokens = std::hint::black_box(f());
        best = best.min(t.elapsed().as_secs_f64());
    }
    (best, tokens)
}

fn main() {
    let usage = "usage: dict_vs_jieba DEV_OCR_DIR|FILE [ROUNDS]";
    let arg = std::env::args().nth(1).expect(usage);
    let rounds: usize = std::env::args()
        .nth(2)
        .map_or(10, |r| r.parse().expect(usage));
    let lines = gold_lines(std::path::Path::new(&arg));
    let bytes: usize = lines.iter().map(|l| l.len()).sum();
    println!("{} lines, {} bytes", lines.len(), bytes);

    let t = Instant::now();
    let lex = zhclean::lexicon::Lexicon::embedded();
    println!(
        "zhclean embedded lexicon ready: {:.3} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let first = lex.segment("国务院常务会议今天召开，研究部署进一步改善营商环境的举措。");
    println!(
        "zhclean first segment call (cold pages): {:.3} ms, {} tokens",
        t.elapsed().as_secs_f64() * 1e3,
        first.len()
    );
    let t = Instant::now();
    let user = lex
        .with_user_words(vec![("夏都湖", zhclean::lexicon::Entry::default())])
        .expect("user words");
    println!(
        "zhclean with_user_words (1 word): {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    user.segment("夏都湖");
    println!(
        "  first segment call (builds its trie): {:.1} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let t = Instant::now();
    let jieba = jieba_rs::Jieba::new();
    println!(
        "jieba-rs Jieba::new(): {:.3} ms",
        t.elapsed().as_secs_f64() * 1e3
    );

    let mb = bytes as f64 / 1e6;
    let (mut z, mut j, mut w, mut h) = (f64::INFINITY, f64::INFINITY, f64::INFINITY, f64::INFINITY);
    let (mut zt, mut jt, mut ht) = (0, 0, 0);
    // Interleaved, so that both see the same machine load.
    for _ in 0..rounds {
        let (s, t) = best_secs(3, || lines.iter().map(|l| lex.segment(l).len()).sum());
        (z, zt) = (z.min(s), t);
        let (s, t) = best_secs(3, || lines.iter().map(|l| jieba.cut(l, false).len()).sum());
        (j, jt) = (j.min(s), t);
        let (s, _) = best_secs(3, || lines.iter().map(|l| lex.words_in(l, 16).len()).sum());
        w = w.min(s);
        let (s, t) = best_secs(3, || lines.iter().map(|l| jieba.cut(l, true).len()).sum());
        (h, ht) = (h.min(s), t);
    }
    println!(
        "zhclean Lexicon::segment      {:8.2} MB/s ({zt} tokens)",
        mb / z
    );
    println!(
        "jieba-rs cut (no HMM)         {:8.2} MB/s ({jt} tokens)",
        mb / j
    );
    println!("zhclean words_in (walk only)  {:8.2} MB/s", mb / w);
    println!(
        "jieba-rs cut (HMM)            {:8.2} MB/s ({ht} tokens)",
        mb / h
    );
    println!("ratio zhclean / jieba-rs: {:.2}", j / z);
    // Machine-readable lines for scripts/compare/run.sh: name, bytes, seconds.
    for (name, secs) in [
        ("zhclean Lexicon::segment", z),
        ("jieba-rs cut (no HMM)", j),
        ("jieba-rs cut (HMM)", h),
        ("zhclean Lexicon::words_in (walk only)", w),
    ] {
        println!("RESULT\t{name}\t{bytes}\t{secs:.6}");
    }

    // How often do the two segmentations agree token for token? Besides the
    // whole sentence, compare the tokens that hold a Han character only
    // (jieba-rs keeps Latin/digit runs whole, zhclean splits them per char).
    let han = |t: &&&str| t.chars().any(|c| ('\u{3400}'..='\u{9fff}').contains(&c));
    let mut same_han = 0;
    let mut same = 0;
    for l in &lines {
        let a: Vec<&str> = lex
            .segment(l)
            .iter()
            .map(|t| &l[t.span.start..t.span.end])
            .collect();
        let b: Vec<&str> = jieba.cut(l, false).iter().map(|t| t.word).collect();
        let ah: Vec<&str> = a.iter().filter(han).copied().collect();
        let bh: Vec<&str> = b.iter().filter(han).copied().collect();
        same_han += usize::from(ah == bh);
        if a == b {
            same += 1;
        } else if ah != bh && std::env::var_os("SHOW_DIFF").is_some() {
            println!("Z: {}\nJ: {}", a.join("/"), b.join("/"));
        }
    }
    println!("identical segmentations: {same} / {}", lines.len());
    println!("identical on Han tokens: {same_han} / {}", lines.len());
}
