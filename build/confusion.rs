//! Checks and copies `dictionaries/confusion_glyph.tsv`,
//! `dictionaries/confusion_features.tsv` and `dictionaries/channel_ocr.tsv` (comments stripped) into `$OUT_DIR`, where
//! `correct::confusion` embeds them.
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

pub fn build() {
    strip("dictionaries/confusion_glyph.tsv", "confusion_glyph.tsv", 2);
    strip("dictionaries/channel_ocr.tsv", "channel_ocr.tsv", 5);
    strip(
        "dictionaries/confusion_features.tsv",
        "confusion_features.tsv",
        5,
    );
}
