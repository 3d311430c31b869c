//! Build script: compiles `dictionaries/` into fst and binary tables in
//! OUT_DIR, embedded by the library. One module per data area.
#[path = "src/correct/bigram_table.rs"]
mod bigram_table;
#[path = "build/chars.rs"]
mod chars;
#[path = "build/confusion.rs"]
mod confusion;
#[path = "src/correct/glyph_lines.rs"]
mod glyph_lines;
#[path = "build/glyph_visual.rs"]
mod glyph_visual;
#[path = "src/lexicon/idiom_heads.rs"]
#[allow(dead_code)]
mod idiom_heads;
#[path = "build/lexicon.rs"]
mod lexicon;
#[path = "build/lm.rs"]
mod lm;
#[path = "src/correct/packed.rs"]
#[allow(dead_code)]
mod packed;
#[path = "src/lexicon/trie_build.rs"]
#[allow(dead_code)]
mod trie_build;
#[path = "src/correct/visual/encode.rs"]
mod visual_encode;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build");
    println!("cargo:rerun-if-changed=src/lexicon/trie_build.rs");
    println!("cargo:rerun-if-changed=src/lexicon/idiom_heads.rs");
    println!("cargo:rerun-if-changed=src/correct/bigram_table.rs");
    println!("cargo:rerun-if-changed=src/correct/glyph_lines.rs");
    println!("cargo:rerun-if-changed=src/correct/packed.rs");
    println!("cargo:rerun-if-changed=src/correct/visual/encode.rs");
    lexicon::build();
    chars::build();
    lm::build();
    confusion::build();
    glyph_visual::build();
}
