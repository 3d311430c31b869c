//! The line format of `dictionaries/confusion_glyph.tsv`, shared by build.rs
//! (which compiles the tables) and `confusion.rs` (which can parse the text
//! too). No crate dependencies.

/// A score `d.dd` (the table's format) without the general float parser;
/// other forms fall back to it.
pub fn parse_score(s: &str) -> Option<f32> {
    match s.as_bytes() {
        [a @ b'0'..=b'9', b'.', b @ b'0'..=b'9', c @ b'0'..=b'9'] => {
            let v = (a - b'0') as u32 * 100 + (b - b'0') as u32 * 10 + (c - b'0') as u32;
            Some(v as f32 / 100.0)
        }
        _ => s.parse().ok(),
    }
}

/// Each line `char<TAB>c:0.72 c:0.65 …` as (char, look-alikes in file
/// order); lines without a tab and malformed items are skipped.
pub fn parse_lines(text: &str) -> impl Iterator<Item = (char, Vec<(char, f32)>)> + '_ {
    text.lines().filter_map(|line| {
        let (c, rest) = line.split_once('\t')?;
        let c = c.chars().next()?;
        let items = rest
            .split(' ')
            .filter_map(|item| {
                let (s, score) = item.split_once(':')?;
                Some((s.chars().next()?, parse_score(score)?))
            })
            .collect();
        Some((c, items))
    })
}
