//! Build script: compiles `dictionaries/` into fst and binary tables in
//! OUT_DIR, embedded by the library. One module per data area.
#[path = "build/chars.rs"]
mod chars;
#[path = "build/confusion.rs"]
mod confusion;
#[path = "build/lexicon.rs"]
mod lexicon;
#[path = "build/lm.rs"]
mod lm;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build");
    lexicon::build();
    chars::build();
    lm::build();
    confusion::build();
}
