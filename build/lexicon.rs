//! Compiles `dictionaries/words.tsv` (word<TAB>freq<TAB>flags) into
//! `$OUT_DIR/words.fst`.
use std::env;
use std::fs;
use std::path::PathBuf;

pub fn build() {
    let out = PathBuf::from(env::var("OUT_DIR").unwrap());
    let src = PathBuf::from("dictionaries/words.tsv");
    println!("cargo:rerun-if-changed=dictionaries/words.tsv");
    let mut b = fst::MapBuilder::memory();
    if let Ok(text) = fs::read_to_string(&src) {
        let mut prev = String::new();
        for (n, line) in text.lines().enumerate() {
            if line.starts_with('#') || line.is_empty() {
                continue;
            }
            let mut f = line.split('\t');
            let w = f.next().unwrap();
            let freq: u64 = f.next().and_then(|x| x.parse().ok()).unwrap_or(1);
            let flags: u64 = f.next().and_then(|x| x.parse().ok()).unwrap_or(0);
            assert!(
                w > prev.as_str(),
                "dictionaries/words.tsv:{}: not sorted or duplicate: {w}",
                n + 1
            );
            b.insert(w, freq.min((1 << 40) - 1) | (flags << 40))
                .unwrap();
            prev = w.to_string();
        }
    }
    fs::write(out.join("words.fst"), b.into_inner().unwrap()).unwrap();
}
