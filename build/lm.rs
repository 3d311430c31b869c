//! Compiles `dictionaries/lm_unigram.tsv` and `dictionaries/lm_bigram.tsv`
//! (the pruned sunpinyin word bigram model) into `$OUT_DIR/lm_uni.fst` and
//! `$OUT_DIR/lm_bi.fst`.
//!
//! Values: unigram = `(-log10 P * 1000) << 24 | (log10 bow * 1000 + 2^23)`;
//! bigram key `w1 \x1F w2`, value `-log10 P(w2|w1) * 100`.
use std::env;
use std::fs;
use std::path::PathBuf;

fn milli(x: &str) -> i64 {
    (x.parse::<f64>().unwrap_or(0.0) * 1000.0).round() as i64
}

pub fn build() {
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=dictionaries/lm_unigram.tsv");
    println!("cargo:rerun-if-changed=dictionaries/lm_bigram.tsv");
    let mut uni: Vec<(String, u64)> = Vec::new();
    if let Ok(text) = fs::read_to_string("dictionaries/lm_unigram.tsv") {
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let f: Vec<&str> = line.split('\t').collect();
            let lp = (-milli(f[1])).clamp(0, (1 << 24) - 1) as u64;
            let bow = (milli(f[2]) + (1 << 23)).clamp(0, (1 << 24) - 1) as u64;
            uni.push((f[0].to_string(), lp << 24 | bow));
        }
    }
    uni.sort();
    uni.dedup_by(|a, b| a.0 == b.0);
    let mut b = fst::MapBuilder::memory();
    for (k, v) in &uni {
        b.insert(k, *v).unwrap();
    }
    fs::write(out.join("lm_uni.fst"), b.into_inner().unwrap()).unwrap();

    let mut bi: Vec<(String, u64)> = Vec::new();
    if let Ok(text) = fs::read_to_string("dictionaries/lm_bigram.tsv") {
        for line in text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let f: Vec<&str> = line.split('\t').collect();
            let lp = (-milli(f[2]) / 10).max(0) as u64;
            bi.push((format!("{}\x1f{}", f[0], f[1]), lp));
        }
    }
    bi.sort();
    bi.dedup_by(|a, b| a.0 == b.0);
    let mut b = fst::MapBuilder::memory();
    for (k, v) in &bi {
        b.insert(k, *v).unwrap();
    }
    fs::write(out.join("lm_bi.fst"), b.into_inner().unwrap()).unwrap();
}
