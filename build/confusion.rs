//! Checks and copies `dictionaries/confusion_glyph.tsv`,
//! `dictionaries/confusion_features.tsv` and `dictionaries/channel_ocr.tsv` (comments stripped) into `$OUT_DIR`, where
//! `correct::confusion` embeds them; also compiles the glyph table into
//! `confusion_glyph.bin` (both directions, ready to load; format in
//! [`glyph_tables`]).
use std::env;
use std::fs;
use std::path::PathBuf;

fn strip(src: &str, dst: &str, cols: usize) {
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed={src}");
    let text = fs::read_to_string(src).unwrap_or_default();
    let mut body = String::with_capacity(text.len());
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.is_empty() {
            continue;
        }
        assert!(
            line.split('\t').count() >= cols,
            "{src}:{}: expected {cols} columns",
            n + 1
        );
        body.push_str(line);
        body.push('\n');
    }
    fs::write(out.join(dst), body).unwrap();
}

/// The look-alike lists of `confusion_glyph.tsv` as `ConfusionSet::parse`
/// reads them: per char its list, most similar first (a later line for the
/// same char replaces an earlier one), and the reverse lists in file order.
/// Written as two tables, each `u32 count` then per char `u32 char, u32 n,
/// n × (u32 char, f32 score)`, little-endian.
fn glyph_tables(text: &str) -> Vec<u8> {
    use std::collections::HashMap;
    let mut similar: HashMap<char, Vec<(char, f32)>> = HashMap::new();
    let mut reverse: HashMap<char, Vec<(char, f32)>> = HashMap::new();
    for (c, mut v) in crate::glyph_lines::parse_lines(text) {
        for &(s, score) in &v {
            reverse.entry(s).or_default().push((c, score));
        }
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        similar.insert(c, v);
    }
    let mut out = Vec::new();
    for table in [similar, reverse] {
        let mut keys: Vec<&char> = table.keys().collect();
        keys.sort();
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for k in keys {
            let v = &table[k];
            out.extend_from_slice(&(*k as u32).to_le_bytes());
            out.extend_from_slice(&(v.len() as u32).to_le_bytes());
            for (c, s) in v {
                out.extend_from_slice(&(*c as u32).to_le_bytes());
                out.extend_from_slice(&s.to_le_bytes());
            }
        }
    }
    out
}

pub fn build() {
    strip("dictionaries/confusion_glyph.tsv", "confusion_glyph.tsv", 2);
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let glyph = fs::read_to_string(out.join("confusion_glyph.tsv")).unwrap();
    fs::write(out.join("confusion_glyph.bin"), glyph_tables(&glyph)).unwrap();
    strip("dictionaries/channel_ocr.tsv", "channel_ocr.tsv", 5);
    strip(
        "dictionaries/confusion_features.tsv",
        "confusion_features.tsv",
        5,
    );
}
