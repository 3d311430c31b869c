//! Compiles `dictionaries/chars.tsv` into `$OUT_DIR/chars.bin` (fixed-size
//! records sorted by code point) and `$OUT_DIR/chars_pinyin.txt` (the
//! readings, concatenated), embedded by `src/lexicon/chars.rs`.
//!
//! Record layout (16 bytes, little-endian u32s):
//! 0: code point; 4: count; 8: four-corner code + 1 (0 = none) in bits 0–23,
//! total strokes (0 = unknown) in bits 24–31; 12: offset of the readings in
//! the pinyin text (bits 8–31) and their byte length (bits 0–7).
use std::env;
use std::fs;
use std::path::PathBuf;

const CHARS: &str = "dictionaries/chars.tsv";

pub fn build() {
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed={CHARS}");
    let text = fs::read_to_string(CHARS).unwrap_or_default();
    let mut rows: Vec<(u32, [u8; 16])> = Vec::new();
    let mut pinyin = String::new();
    for (i, line) in text.lines().enumerate() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let n = i + 1;
        // `-` marks an unknown field.
        let f: Vec<&str> = line
            .split('\t')
            .map(|x| if x == "-" { "" } else { x })
            .collect();
        assert_eq!(f.len(), 5, "{CHARS}:{n}: expected 5 fields");
        let mut cs = f[0].chars();
        let c = cs
            .next()
            .unwrap_or_else(|| panic!("{CHARS}:{n}: empty char"));
        assert!(cs.next().is_none(), "{CHARS}:{n}: more than one char");
        let count: u32 = f[1]
            .parse()
            .unwrap_or_else(|_| panic!("{CHARS}:{n}: bad count"));
        let strokes: u32 = if f[3].is_empty() {
            0
        } else {
            f[3].parse()
                .unwrap_or_else(|_| panic!("{CHARS}:{n}: bad strokes"))
        };
        assert!(strokes < 256, "{CHARS}:{n}: strokes out of range");
        let corner: u32 = if f[4].is_empty() {
            0
        } else {
            assert!(
                f[4].len() == 5 && f[4].bytes().all(|b| b.is_ascii_digit()),
                "{CHARS}:{n}: four-corner code must be 5 digits"
            );
            f[4].parse::<u32>().unwrap() + 1
        };
        assert!(f[2].len() < 256, "{CHARS}:{n}: readings too long");
        let off = pinyin.len() as u32;
        assert!(off < 1 << 24, "pinyin text too long");
        pinyin.push_str(f[2]);
        let mut rec = [0u8; 16];
        rec[0..4].copy_from_slice(&(c as u32).to_le_bytes());
        rec[4..8].copy_from_slice(&count.to_le_bytes());
        rec[8..12].copy_from_slice(&(corner | (strokes << 24)).to_le_bytes());
        rec[12..16].copy_from_slice(&((off << 8) | f[2].len() as u32).to_le_bytes());
        rows.push((c as u32, rec));
    }
    rows.sort_by_key(|r| r.0);
    for w in rows.windows(2) {
        assert!(w[0].0 != w[1].0, "{CHARS}: duplicate char U+{:04X}", w[0].0);
    }
    let bin: Vec<u8> = rows.iter().flat_map(|r| r.1).collect();
    fs::write(out.join("chars.bin"), bin).unwrap();
    fs::write(out.join("chars_pinyin.txt"), pinyin).unwrap();
}
