//! Compiles `dictionaries/lm_unigram.tsv` and `dictionaries/lm_bigram.tsv`
//! (the pruned sunpinyin word bigram model) into:
//!
//! - `$OUT_DIR/lm_uni.fst`: word → packed unigram (for string lookups and
//!   iteration): `(-log10 P * 1000) << 24 | (log10 bow * 1000 + 2^23)`;
//! - `$OUT_DIR/lm_trie.bin`: a character trie (layout in
//!   `src/lexicon/trie_build.rs`) over the same words, value
//!   `id << 32 | (-log10 P * 1000) << 16 | (log10 bow * 1000 + 2^15)`, where
//!   `id` is the word's rank in byte order, for the lattice's prefix walk;
//! - `$OUT_DIR/lm_bi_keys.bin`, `lm_bi_vals.bin`: the bigrams as a hash
//!   table keyed by word ids (layout in `src/correct/bigram_table.rs`): one
//!   probe or two per lookup.
use crate::bigram_table::{bigram_slot, BI_SLOTS, EMPTY};
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
    assert!(bi.len() * 10 < BI_SLOTS * 7, "bigram table too full");
    let mut keys = vec![EMPTY; BI_SLOTS];
    let mut vals = vec![0u16; BI_SLOTS];
    for &(a, c, v) in &bi {
        let key = (a as u64) << 32 | c as u64;
        let mut i = bigram_slot(key);
        while keys[i] != EMPTY {
            i = (i + 1) & (BI_SLOTS - 1);
        }
        keys[i] = key;
        vals[i] = v;
    }
    let keys: Vec<u8> = keys.iter().flat_map(|k| k.to_le_bytes()).collect();
    let vals: Vec<u8> = vals.iter().flat_map(|v| v.to_le_bytes()).collect();
    fs::write(out.join("lm_bi_keys.bin"), keys).unwrap();
    fs::write(out.join("lm_bi_vals.bin"), vals).unwrap();
    fs::write(out.join("lm_bi_len.txt"), bi.len().to_string()).unwrap();
}
