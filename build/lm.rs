//! Compiles `dictionaries/lm_unigram.tsv` and `dictionaries/lm_bigram.tsv`
//! (the pruned sunpinyin word bigram model) into:
//!
//! The lattice vocabulary is the model's words plus the lexicon's idioms
//! and fixed phrases (`dictionaries/words.tsv`, flag 1, four or more chars)
//! that the model lacks (it has 2,483 of the 35,036): each gets the unigram
//! log10 P of its lexicon frequency, shifted by the median offset between
//! the two scales over the idioms both know, and back-off 0 (no bigrams).
//! Without them an idiom reads as a string of rare single chars, and a
//! phrase missing a char gains little from being restored.
//!
//! - `$OUT_DIR/lm_uni.fst`: word → packed unigram (for string lookups and
//!   iteration): `(-log10 P * 1000) << 24 | (log10 bow * 1000 + 2^23)`;
//! - `$OUT_DIR/lm_trie.bin`: a character trie (layout in
//!   `src/lexicon/trie_build.rs`) over the same words, value
//!   `id << 32 | (-log10 P * 1000) << 16 | (log10 bow * 1000 + 2^15)`, where
//!   `id` is the word's rank in byte order, for the lattice's prefix walk;
//! - `$OUT_DIR/lm_trie_filter.bin`: that trie's edge filter
//!   (`build_edge_filter` in `src/lexicon/trie_build.rs`);
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

/// Minimum chars of a lexicon idiom added to the lattice vocabulary.
const IDIOM_MIN_CHARS: usize = 4;

/// Add the lexicon's idioms the model lacks (see the module docs) to `uni`
/// (word, -log10 P milli, log10 bow milli).
fn add_lexicon_idioms(uni: &mut Vec<(String, i64, i64)>) {
    println!("cargo:rerun-if-changed=dictionaries/words.tsv");
    let mut lex: Vec<(String, u64)> = Vec::new();
    let mut total = 0u64;
    for line in data_lines("dictionaries/words.tsv") {
        let f: Vec<&str> = line.split('\t').collect();
        let (Some(freq), Some(flags)) = (
            f.get(1).and_then(|x| x.parse::<u64>().ok()),
            f.get(2).and_then(|x| x.parse::<u64>().ok()),
        ) else {
            continue;
        };
        total += freq;
        if flags & 1 != 0 && freq > 0 && f[0].chars().count() >= IDIOM_MIN_CHARS {
            lex.push((f[0].to_string(), freq));
        }
    }
    if lex.is_empty() || total == 0 {
        return;
    }
    let known: HashMap<&str, i64> = uni.iter().map(|u| (u.0.as_str(), u.1)).collect();
    let lex_milli = |freq: u64| (-(freq as f64 / total as f64).log10() * 1000.0).round() as i64;
    // offset (milli) from the lexicon's scale to the model's, over shared idioms
    let mut offsets: Vec<i64> = lex
        .iter()
        .filter_map(|(w, f)| known.get(w.as_str()).map(|m| m - lex_milli(*f)))
        .collect();
    offsets.sort_unstable();
    let offset = offsets.get(offsets.len() / 2).copied().unwrap_or(0);
    let added: Vec<(String, i64, i64)> = lex
        .into_iter()
        .filter(|(w, _)| !known.contains_key(w.as_str()))
        .map(|(w, f)| {
            let lp = (lex_milli(f) + offset).max(0);
            (w, lp, 0)
        })
        .collect();
    uni.extend(added);
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
    add_lexicon_idioms(&mut uni);
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
    fs::write(
        out.join("lm_trie_filter.bin"),
        trie_build::build_edge_filter(&trie),
    )
    .unwrap();
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
