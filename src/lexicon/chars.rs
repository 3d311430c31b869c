//! The character table: per-character frequency, pinyin readings, total
//! stroke count and four-corner code, compiled by build.rs from
//! `dictionaries/chars.tsv` and embedded.
//!
//! Coverage: the 8,105 characters of the 通用规范汉字表 plus every character of
//! the word list (about 8,500). Traditional-only and rare characters are
//! absent: [`CharTable::get`] returns `None` for them; [`simplified_forms`]
//! maps a traditional-only character to its simplified forms.

/// 16-byte records sorted by code point (layout in `build/chars.rs`).
static CHAR_RECORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/chars.bin"));
/// The readings of all characters, concatenated.
static CHAR_PINYIN: &str = include_str!(concat!(env!("OUT_DIR"), "/chars_pinyin.txt"));
const RECORD: usize = 16;

/// What the table knows about one character.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CharInfo {
    /// The character.
    pub ch: char,
    /// Count in the word list (Σ word frequency × occurrences); 0 when the
    /// character only occurs in the general standard table.
    pub freq: u64,
    /// Pinyin readings with tone marks, comma-separated, most common first
    /// (`"de,dī,dí,dì"`); empty if unknown.
    pub pinyin: &'static str,
    /// Total stroke count (Unihan kTotalStrokes), if known.
    pub strokes: Option<u8>,
    /// Four-corner code as five digits 0–9, if known.
    pub four_corner: Option<[u8; 5]>,
}

impl CharInfo {
    /// The readings one by one (`de`, `dī`, …).
    pub fn readings(&self) -> impl Iterator<Item = &'static str> {
        self.pinyin.split(',').filter(|s| !s.is_empty())
    }

    /// The readings without tone marks, deduplicated, in order (`de`, `di`).
    pub fn toneless_readings(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in self.readings() {
            let t = strip_tones(r);
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out
    }
}

/// Remove pinyin tone marks (`lǜ` → `lü`, `dī` → `di`).
pub fn strip_tones(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            'ā' | 'á' | 'ǎ' | 'à' => 'a',
            'ē' | 'é' | 'ě' | 'è' | 'ế' | 'ề' => 'e',
            'ī' | 'í' | 'ǐ' | 'ì' => 'i',
            'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
            'ū' | 'ú' | 'ǔ' | 'ù' => 'u',
            'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'ü',
            'ń' | 'ň' | 'ǹ' => 'n',
            'ḿ' => 'm',
            c => c,
        })
        .collect()
}

/// The embedded character table.
///
/// Costs: [`CharTable::embedded`] is free (the records are static bytes, no
/// parsing, no allocation); [`CharTable::get`] is a binary search over about
/// 8,500 fixed-size records (≈13 probes, tens of ns). Memory: 16 bytes per
/// character plus the readings text (≈ 200 KB in the binary).
#[derive(Debug, Clone, Copy)]
pub struct CharTable {
    records: &'static [u8],
    pinyin: &'static str,
    total: u64,
}

fn u32_at(b: &[u8], i: usize) -> u32 {
    u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]])
}

impl CharTable {
    /// The table compiled from `dictionaries/chars.tsv`.
    pub fn embedded() -> &'static CharTable {
        static TABLE: std::sync::OnceLock<CharTable> = std::sync::OnceLock::new();
        TABLE.get_or_init(|| {
            let mut t = CharTable {
                records: CHAR_RECORDS,
                pinyin: CHAR_PINYIN,
                total: 0,
            };
            t.total = (0..t.len()).map(|i| t.record(i).freq).sum::<u64>().max(1);
            t
        })
    }

    /// Number of characters.
    pub fn len(&self) -> usize {
        self.records.len() / RECORD
    }

    /// True if the table is empty (no `dictionaries/chars.tsv` at build time).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sum of all character counts.
    pub fn total_freq(&self) -> u64 {
        self.total
    }

    fn record(&self, i: usize) -> CharInfo {
        let b = &self.records[i * RECORD..(i + 1) * RECORD];
        let cp = u32_at(b, 0);
        let glyph = u32_at(b, 8);
        let py = u32_at(b, 12);
        let (off, len) = ((py >> 8) as usize, (py & 0xff) as usize);
        let corner = glyph & 0xff_ffff;
        let strokes = (glyph >> 24) as u8;
        CharInfo {
            ch: char::from_u32(cp).unwrap_or(char::REPLACEMENT_CHARACTER),
            freq: u64::from(u32_at(b, 4)),
            pinyin: self.pinyin.get(off..off + len).unwrap_or(""),
            strokes: (strokes > 0).then_some(strokes),
            four_corner: (corner > 0).then(|| {
                let mut v = corner - 1;
                let mut d = [0u8; 5];
                for x in d.iter_mut().rev() {
                    *x = (v % 10) as u8;
                    v /= 10;
                }
                d
            }),
        }
    }

    /// Everything known about `c`, or None if `c` is not in the table.
    pub fn get(&self, c: char) -> Option<CharInfo> {
        let key = c as u32;
        let (mut lo, mut hi) = (0, self.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            let cp = u32_at(self.records, mid * RECORD);
            match cp.cmp(&key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(self.record(mid)),
            }
        }
        None
    }

    /// True if `c` is in the table (a simplified character in common use).
    pub fn contains(&self, c: char) -> bool {
        self.get(c).is_some()
    }

    /// Natural log of the character's unigram probability (None if unknown
    /// or never seen in a word).
    pub fn log_prob(&self, c: char) -> Option<f64> {
        let f = self.get(c)?.freq;
        (f > 0).then(|| (f as f64).ln() - (self.total as f64).ln())
    }

    /// All characters in code-point order.
    pub fn iter(&self) -> impl Iterator<Item = CharInfo> + '_ {
        (0..self.len()).map(|i| self.record(i))
    }
}

/// `dictionaries/t2s_chars.tsv`: traditional-only char, tab, its simplified
/// forms separated by spaces.
static T2S: &str = include_str!("../../dictionaries/t2s_chars.tsv");

fn t2s_table() -> &'static [(char, &'static str)] {
    static TABLE: std::sync::OnceLock<Vec<(char, &'static str)>> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut v: Vec<(char, &'static str)> = T2S
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let (t, s) = l.split_once('\t')?;
                let mut cs = t.chars();
                match (cs.next(), cs.next()) {
                    (Some(c), None) => Some((c, s)),
                    _ => None,
                }
            })
            .collect();
        v.sort_by_key(|e| e.0);
        v
    })
}

/// The simplified forms of a traditional-only character (OpenCC
/// `TSCharacters`, without the characters of the 8105 general standard
/// table), most common first: `simplified_forms('後')` yields `后`;
/// `simplified_forms('發')` yields `发`. Empty for any other character.
///
/// Cost: a binary search over about 3,200 entries (the table is parsed on
/// first use, ~0.1 ms).
pub fn simplified_forms(c: char) -> impl Iterator<Item = char> {
    let t = t2s_table();
    let forms = t
        .binary_search_by_key(&c, |e| e.0)
        .map(|i| t[i].1)
        .unwrap_or("");
    forms.split(' ').filter_map(|f| {
        let mut cs = f.chars();
        match (cs.next(), cs.next()) {
            (Some(c), None) => Some(c),
            _ => None,
        }
    })
}

/// True if `c` is a traditional-only character (see [`simplified_forms`]).
pub fn is_traditional_only(c: char) -> bool {
    simplified_forms(c).next().is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traditional_forms_map_to_simplified() {
        assert_eq!(simplified_forms('後').collect::<String>(), "后");
        assert_eq!(simplified_forms('發').next(), Some('发'));
        assert!(is_traditional_only('亂'));
        assert!(!is_traditional_only('乱'));
        assert!(!is_traditional_only('苧'), "in the 8105 table");
        assert!(!is_traditional_only('a'));
    }

    #[test]
    fn tones_are_stripped() {
        assert_eq!(strip_tones("lǜ"), "lü");
        assert_eq!(strip_tones("xíng"), "xing");
    }
}
