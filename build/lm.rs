//! Compiles `dictionaries/lm_unigram.tsv` and `dictionaries/lm_bigram.tsv`
//! (the pruned sunpinyin word bigram model) into:
//!
//! - `$OUT_DIR/lm_uni.fst`: word → packed unigram (for string lookups and
//!   iteration): `(-log10 P * 1000) << 24 | (log10 bow * 1000 + 2^23)`;
//! - `$OUT_DIR/lm_trie.bin`: a character trie (layout in
//!   `src/lexicon/trie_build.rs`) over the same words, value
//!   `id << 32 | (-log10 P * 1000) << 16 | (log10 bow * 1000 + 2^15)`, where
//!   `id` is the word's rank in byte order, for the lattice's prefix walk;
//! - `$OUT_DIR/lm_bi_off.bin`, `lm_bi_ids.bin`, `lm_bi_vals.bin`: the bigrams
//!   as compressed rows by history id (little-endian): `off` (u32, one per
//!   unigram id plus one) bounds the row of `w1` in `ids` (u32 id of `w2`,
//!   ascending) and `vals` (u16, `-log10 P(w2|w1) * 100`).
use crate::trie_build;
use std::collections::HashMap;
use std::env;
use std::fs;
use std::path::PathBuf;

fn milli(x: &str) -> i64 {
    (x.parse::<f64>().unwrap_or(0.0) * 1000.0).round() as i64
}

fn data_lines(path: &str) -> Vec<String> {
    fs::read_to_string(path)
        .map(|t| {
            t.lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

pub fn build() {
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed=dictionaries/lm_unigram.tsv");
    println!("cargo:rerun-if-changed=dictionaries/lm_bigram.tsv");
    // (word, -log10 P milli, log10 bow milli)
    let mut uni: Vec<(String, i64, i64)> = Vec::new();
    for line in data_lines("dictionaries/lm_unigram.tsv") {
        let f: Vec<&str> = line.split('\t').collect();
        uni.push((f[0].to_string(), (-milli(f[1])).max(0), milli(f[2])));
    }
    uni.sort();
    uni.dedup_by(|a, b| a.0 == b.0);
    let mut b = fst::MapBuilder::memory();
    for (w, lp, bow) in &uni {
        let lp = (*lp).clamp(0, (1 << 24) - 1) as u64;
        let bow = (bow + (1 << 23)).clamp(0, (1 << 24) - 1) as u64;
        b.insert(w, lp << 24 | bow).unwrap();
    }
    fs::write(out.join("lm_uni.fst"), b.into_inner().unwrap()).unwrap();
    let trie = trie_build::build_trie(uni.iter().enumerate().map(|(id, (w, lp, bow))| {
        let lp = (*lp).clamp(0, 0xFFFF) as u64;
        let bow = (bow + (1 << 15)).clamp(0, 0xFFFF) as u64;
        (w.as_str(), (id as u64) << 32 | lp << 16 | bow)
    }));
    fs::write(out.join("lm_trie.bin"), trie).unwrap();

    let ids: HashMap<&str, u32> = uni
        .iter()
        .enumerate()
        .map(|(i, u)| (u.0.as_str(), i as u32))
        .collect();
    let mut bi: Vec<(u32, u32, u16)> = Vec::new();
    for line in data_lines("dictionaries/lm_bigram.tsv") {
        let f: Vec<&str> = line.split('\t').collect();
        if let (Some(&a), Some(&c)) = (ids.get(f[0]), ids.get(f[1])) {
            let v = (-milli(f[2]) / 10).clamp(0, 0xFFFF) as u16;
            bi.push((a, c, v));
        }
    }
    bi.sort();
    bi.dedup_by(|a, b| (a.0, a.1) == (b.0, b.1));
    let mut off = Vec::with_capacity((uni.len() + 1) * 4);
    let mut row = 0usize;
    for id in 0..=uni.len() as u32 {
        while row < bi.len() && bi[row].0 < id {
            row += 1;
        }
        off.extend_from_slice(&(row as u32).to_le_bytes());
    }
    let ids_bytes: Vec<u8> = bi.iter().flat_map(|e| e.1.to_le_bytes()).collect();
    let vals: Vec<u8> = bi.iter().flat_map(|e| e.2.to_le_bytes()).collect();
    fs::write(out.join("lm_bi_off.bin"), off).unwrap();
    fs::write(out.join("lm_bi_ids.bin"), ids_bytes).unwrap();
    fs::write(out.join("lm_bi_vals.bin"), vals).unwrap();
}
