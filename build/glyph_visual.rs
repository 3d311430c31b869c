//! Compiles `dictionaries/glyph_visual.tsv` (visual neighbours of the 8,105
//! general-standard chars, made by `scripts/build_glyph_visual.py`) into
//! `$OUT_DIR/glyph_visual.bin`, embedded by `src/correct/visual.rs`. The
//! layout and the encoder are in `src/correct/visual/encode.rs`, shared with
//! the library. A missing file gives an empty table.
use std::env;
use std::fs;
use std::path::PathBuf;

const SRC: &str = "dictionaries/glyph_visual.tsv";

pub fn build() {
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    println!("cargo:rerun-if-changed={SRC}");
    let text = fs::read_to_string(SRC).unwrap_or_default();
    let bin = crate::visual_encode::encode(&text).unwrap_or_else(|e| panic!("{SRC}: {e}"));
    fs::write(out.join("glyph_visual.bin"), bin).unwrap();
}
