//! Checks and copies `dictionaries/confusion_glyph.tsv`,
//! `dictionaries/confusion_features.tsv` and `dictionaries/channel_ocr.tsv` (comments stripped) into `$OUT_DIR`, where
//! the tests read them; compiles them into `confusion_glyph.bin`,
//! `channel_ocr.bin` and `confusion_features.bin`, which `correct::confusion`
//! embeds and reads in place (formats in `src/correct/packed.rs`).
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
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let glyph = fs::read_to_string(out.join("confusion_glyph.tsv")).unwrap();
    let glyph = crate::packed::glyph_tables(crate::glyph_lines::parse_lines(&glyph));
    fs::write(out.join("confusion_glyph.bin"), glyph).unwrap();
    strip("dictionaries/channel_ocr.tsv", "channel_ocr.tsv", 5);
    let channel = fs::read_to_string(out.join("channel_ocr.tsv")).unwrap();
    fs::write(
        out.join("channel_ocr.bin"),
        crate::packed::channel_tables(&channel),
    )
    .unwrap();
    strip(
        "dictionaries/confusion_features.tsv",
        "confusion_features.tsv",
        5,
    );
    let features = fs::read_to_string(out.join("confusion_features.tsv")).unwrap();
    fs::write(
        out.join("confusion_features.bin"),
        crate::packed::features_table(&features),
    )
    .unwrap();
}
