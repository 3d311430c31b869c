//! Compiles the word lists in `dictionaries/` into `$OUT_DIR/words.fst`
//! (word → packed frequency and flags) and `$OUT_DIR/words_meta.rs` (the
//! total frequency, so loading the embedded lexicon needs no scan).
//!
//! Inputs (all `#` comment lines and blank lines skipped):
//! - `dictionaries/words.tsv`: `word<TAB>freq<TAB>flags`, sorted by bytes;
//! - `dictionaries/idioms.cc-by-sa.tsv`: one word per line, adds IDIOM;
//! - `dictionaries/surnames.cc-by-sa.tsv`: one word per line, adds SURNAME.
//!
//! Words of the two extra lists missing from `words.tsv` are added with the
//! floor frequency [`ADDED_FREQ`].
use std::collections::BTreeMap;
use std::env;
use std::fs;
use std::path::PathBuf;

use crate::{idiom_heads, trie_build};

const WORDS: &str = "dictionaries/words.tsv";
/// (file, flag bit) lists merged on top of `words.tsv`.
const EXTRA: &[(&str, u64)] = &[
    ("dictionaries/idioms.cc-by-sa.tsv", 1),
    ("dictionaries/surnames.cc-by-sa.tsv", 1 << 1),
];
/// Frequency given to words that only an extra list has (jieba's floor).
const ADDED_FREQ: u64 = 3;
const FREQ_BITS: u32 = 40;

fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

/// Idioms shorter than this are not in the deletion index
/// (`src/lexicon/idioms.rs`, same key layout: form NUL index dropped-char).
const MIN_IDIOM_CHARS: usize = 4;

/// The deletion index fst and its head filter.
fn idiom_deletions(words: &BTreeMap<String, (u64, u64)>) -> (Vec<u8>, Vec<u8>) {
    let mut keys: Vec<Vec<u8>> = Vec::new();
    for (w, (_, flags)) in words {
        let chars: Vec<char> = w.chars().collect();
        if flags & 1 == 0 || chars.len() < MIN_IDIOM_CHARS || chars.len() > 255 {
            continue;
        }
        for i in 0..chars.len() {
            let mut k: String = chars
                .iter()
                .enumerate()
                .filter(|(j, _)| *j != i)
                .map(|(_, c)| *c)
                .collect::<String>();
            k.push('\0');
            let mut k = k.into_bytes();
            k.push(i as u8);
            k.extend_from_slice(chars[i].to_string().as_bytes());
            keys.push(k);
        }
    }
    keys.sort_unstable();
    keys.dedup();
    let mut b = fst::SetBuilder::memory();
    for k in &keys {
        b.insert(k).unwrap();
    }
    let heads = idiom_heads::heads_of(keys.iter().map(|k| k.as_slice()));
    (b.into_inner().unwrap(), heads)
}

pub fn build() {
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed={WORDS}");
    let mut words: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    if let Ok(text) = fs::read_to_string(WORDS) {
        let mut prev = "";
        for (n, line) in content_lines(&text) {
            let mut f = line.split('\t');
            let w = f.next().unwrap();
            let freq: u64 = f
                .next()
                .and_then(|x| x.parse().ok())
                .unwrap_or_else(|| panic!("{WORDS}:{n}: bad frequency"));
            let flags: u64 = f
                .next()
                .and_then(|x| x.parse().ok())
                .unwrap_or_else(|| panic!("{WORDS}:{n}: bad flags"));
            assert!(w > prev, "{WORDS}:{n}: not sorted or duplicate: {w}");
            words.insert(w.to_string(), (freq, flags));
            prev = w;
        }
    }
    for &(path, bit) in EXTRA {
        println!("cargo:rerun-if-changed={path}");
        let Ok(text) = fs::read_to_string(path) else {
            continue;
        };
        for (_, w) in content_lines(&text) {
            let e = words.entry(w.to_string()).or_insert((ADDED_FREQ, 0));
            e.1 |= bit;
        }
    }
    let mut b = fst::MapBuilder::memory();
    let mut total: u64 = 0;
    for (w, (freq, flags)) in &words {
        let freq = (*freq).min((1 << FREQ_BITS) - 1);
        total += freq;
        b.insert(w, freq | (flags << FREQ_BITS)).unwrap();
    }
    fs::write(out.join("words.fst"), b.into_inner().unwrap()).unwrap();
    let (deletions, heads) = idiom_deletions(&words);
    fs::write(out.join("idiom_deletions.fst"), deletions).unwrap();
    fs::write(out.join("idiom_heads.bin"), heads).unwrap();
    let trie = trie_build::build_trie(words.iter().map(|(w, (freq, flags))| {
        let freq = (*freq).min((1 << FREQ_BITS) - 1);
        (w.as_str(), freq | (flags << FREQ_BITS))
    }));
    fs::write(
        out.join("trie_filter.bin"),
        trie_build::build_edge_filter(&trie),
    )
    .unwrap();
    fs::write(out.join("trie.bin"), trie).unwrap();
    fs::write(
        out.join("words_meta.rs"),
        format!(
            "/// Sum of the frequencies in the embedded word fst.\n\
             pub(crate) const EMBEDDED_TOTAL: u64 = {total};\n\
             /// Number of words in the embedded word fst.\n\
             pub(crate) const EMBEDDED_WORDS_LEN: usize = {};\n",
            words.len()
        ),
    )
    .unwrap();
}
