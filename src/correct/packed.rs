//! Tables laid out in bytes and read in place: build.rs compiles the glyph
//! look-alikes, the glyph features and the OCR channel into this form, and
//! the library looks keys up in the embedded bytes without building maps
//! at start-up (text given at run time is encoded the same way first). No
//! crate dependencies: build.rs includes this file.
//!
//! A table is `u32 n`, `n × u32` keys ascending, `(n + 1) × u32` byte
//! offsets of each key's value in the data, then the data; all integers
//! little-endian. Values are runs of fixed-size records (chars in three
//! bytes) or, for the glyph features, one record of its own layout
//! ([`features_record`]).

use std::collections::BTreeMap;

/// The little-endian `u32` at byte `at`.
#[inline]
pub fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// The char code (three little-endian bytes) at byte `at`.
#[inline]
pub fn char_at(b: &[u8], at: usize) -> u32 {
    u32::from_le_bytes([b[at], b[at + 1], b[at + 2], 0])
}

/// Append a char code in three bytes.
fn push_char(out: &mut Vec<u8>, c: u32) {
    debug_assert!(c < 1 << 24);
    out.extend_from_slice(&c.to_le_bytes()[..3]);
}

/// A look-alike score in one byte: hundredths, when that is exact (as the
/// table's `d.dd` scores are: `k as f32 / 100.0` gives the same bits).
pub fn centi(score: f32) -> Option<u8> {
    let k = (score * 100.0).round();
    (0.0..=255.0)
        .contains(&k)
        .then_some(k as u8)
        .filter(|&k| (k as f32 / 100.0).to_bits() == score.to_bits())
}

/// Append a table of `entries` (keys ascending, each once).
pub fn write_table(out: &mut Vec<u8>, entries: &[(u32, Vec<u8>)]) {
    debug_assert!(entries.windows(2).all(|w| w[0].0 < w[1].0));
    out.extend_from_slice(&(entries.len() as u32).to_le_bytes());
    for (k, _) in entries {
        out.extend_from_slice(&k.to_le_bytes());
    }
    let mut at = 0u32;
    out.extend_from_slice(&at.to_le_bytes());
    for (_, v) in entries {
        at += v.len() as u32;
        out.extend_from_slice(&at.to_le_bytes());
    }
    for (_, v) in entries {
        out.extend_from_slice(v);
    }
}

/// The first key of the range [`TableAt::index_dense`] indexes directly
/// (CJK Extension A, then the Unified Ideographs).
const DENSE_FROM: u32 = 0x3400;
/// The end of that range.
const DENSE_TO: u32 = 0xA000;

/// Where a table lies in its bytes.
#[derive(Debug, Clone, Default)]
pub struct TableAt {
    n: usize,
    keys: usize,
    starts: usize,
    data: usize,
    /// For keys in `DENSE_FROM..DENSE_TO`: index + 1 of the key, 0 when
    /// absent (empty: not built).
    dense: Vec<u16>,
}

impl TableAt {
    /// The table at byte `at` of `b`, and the byte after its end (None when
    /// `b` is too short for it).
    pub fn read(b: &[u8], at: usize) -> Option<(TableAt, usize)> {
        if b.len() < at + 4 {
            return None;
        }
        let n = u32_at(b, at) as usize;
        let keys = at + 4;
        let starts = keys + 4 * n;
        let data = starts + 4 * (n + 1);
        if b.len() < data {
            return None;
        }
        let end = data + u32_at(b, starts + 4 * n) as usize;
        (b.len() >= end).then_some((
            TableAt {
                n,
                keys,
                starts,
                data,
                dense: Vec::new(),
            },
            end,
        ))
    }

    /// Keys in the table.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.n
    }

    /// The key at index `i` and its value.
    pub fn entry<'a>(&self, b: &'a [u8], i: usize) -> (u32, &'a [u8]) {
        let s = u32_at(b, self.starts + 4 * i) as usize;
        let e = u32_at(b, self.starts + 4 * (i + 1)) as usize;
        (
            u32_at(b, self.keys + 4 * i),
            &b[self.data + s..self.data + e],
        )
    }

    /// Index the keys of the Han blocks directly (a table looked up in hot
    /// loops: a binary search costs there; building this costs ~55 kB and
    /// some microseconds).
    pub fn index_dense(mut self, b: &[u8]) -> TableAt {
        if self.n >= u16::MAX as usize {
            return self;
        }
        let mut dense = vec![0u16; (DENSE_TO - DENSE_FROM) as usize];
        for i in 0..self.n {
            let k = u32_at(b, self.keys + 4 * i);
            if (DENSE_FROM..DENSE_TO).contains(&k) {
                dense[(k - DENSE_FROM) as usize] = i as u16 + 1;
            }
        }
        self.dense = dense;
        self
    }

    /// The value of `key` (binary search, or the dense index).
    pub fn get<'a>(&self, b: &'a [u8], key: u32) -> Option<&'a [u8]> {
        if !self.dense.is_empty() && (DENSE_FROM..DENSE_TO).contains(&key) {
            return match self.dense[(key - DENSE_FROM) as usize] {
                0 => None,
                i => Some(self.entry(b, i as usize - 1).1),
            };
        }
        let keys = &b[self.keys..self.keys + 4 * self.n];
        let (mut lo, mut hi) = (0usize, self.n);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let k = u32::from_le_bytes([
                keys[4 * mid],
                keys[4 * mid + 1],
                keys[4 * mid + 2],
                keys[4 * mid + 3],
            ]);
            match k.cmp(&key) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(self.entry(b, mid).1),
            }
        }
        None
    }
}

/// The records `(char, count)`: the char in three bytes, the count a
/// little-endian `u32`.
fn char_counts(v: &[(u32, u32)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(7 * v.len());
    for &(c, n) in v {
        push_char(&mut out, c);
        out.extend_from_slice(&n.to_le_bytes());
    }
    out
}

/// Append the records `(a, b)` as two little-endian `u32`s each.
fn pairs(v: &[(u32, u32)]) -> Vec<u8> {
    let mut out = Vec::with_capacity(8 * v.len());
    for (a, b) in v {
        out.extend_from_slice(&a.to_le_bytes());
        out.extend_from_slice(&b.to_le_bytes());
    }
    out
}

/// The look-alike lists of the glyph table as `(char, look-alikes in file
/// order)` lines (`glyph_lines::parse_lines`): a `u32` record width, then
/// two tables, per char its list most similar first (a later line for the
/// same char replaces an earlier one), then the reverse lists (the chars
/// listing it, in file order). Records are the char in three bytes and the
/// score in hundredths in one ([`centi`]; width 4) when every score allows,
/// else its `f32` bits (width 7).
pub fn glyph_tables(lines: impl Iterator<Item = (char, Vec<(char, f32)>)>) -> Vec<u8> {
    let mut similar: BTreeMap<u32, Vec<(u32, f32)>> = BTreeMap::new();
    let mut reverse: BTreeMap<u32, Vec<(u32, f32)>> = BTreeMap::new();
    for (c, mut v) in lines {
        for &(s, score) in &v {
            reverse.entry(s as u32).or_default().push((c as u32, score));
        }
        v.sort_by(|a, b| b.1.total_cmp(&a.1));
        similar.insert(c as u32, v.iter().map(|&(s, x)| (s as u32, x)).collect());
    }
    let compact = similar.values().flatten().all(|&(_, x)| centi(x).is_some());
    let mut out = Vec::new();
    out.extend_from_slice(&(if compact { 4u32 } else { 7 }).to_le_bytes());
    for table in [similar, reverse] {
        let entries: Vec<(u32, Vec<u8>)> = table
            .into_iter()
            .map(|(k, v)| {
                let mut rec = Vec::new();
                for (c, x) in v {
                    push_char(&mut rec, c);
                    match centi(x) {
                        Some(k) if compact => rec.push(k),
                        _ => rec.extend_from_slice(&x.to_bits().to_le_bytes()),
                    }
                }
                (k, rec)
            })
            .collect();
        write_table(&mut out, &entries);
    }
    out
}

/// The glyph features of lines `char<TAB>four-corner<TAB>stroke
/// order<TAB>structure<TAB>components` (space-separated; lines with fewer
/// fields are skipped, a later line for a char replaces an earlier one):
/// one table, each value a [`features_record`].
pub fn features_table(text: &str) -> Vec<u8> {
    let mut map: BTreeMap<u32, Vec<u8>> = BTreeMap::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 {
            continue;
        }
        let Some(c) = f[0].chars().next() else {
            continue;
        };
        let mut components: Vec<char> = f[4].split(' ').filter_map(|x| x.chars().next()).collect();
        components.sort_unstable();
        components.dedup();
        map.insert(
            c as u32,
            features_record(
                f[1].as_bytes(),
                f[2].as_bytes(),
                f[3].as_bytes(),
                &components,
            ),
        );
    }
    let entries: Vec<(u32, Vec<u8>)> = map.into_iter().collect();
    let mut out = Vec::new();
    write_table(&mut out, &entries);
    out
}

/// One char's features: three byte strings with a one-byte length
/// (four-corner code, stroke order, structure), then the components
/// (sorted, distinct) in UTF-8 to the end.
pub fn features_record(
    four_corner: &[u8],
    order: &[u8],
    structure: &[u8],
    components: &[char],
) -> Vec<u8> {
    let mut out = Vec::new();
    for s in [four_corner, order, structure] {
        let n = u8::try_from(s.len()).expect("a glyph feature longer than 255 bytes");
        out.push(n);
        out.extend_from_slice(s);
    }
    for &c in components {
        let mut b = [0u8; 4];
        out.extend_from_slice(c.encode_utf8(&mut b).as_bytes());
    }
    out
}

/// The OCR channel of lines `kind<TAB>intended<TAB>observed<TAB>count<TAB>log10p`
/// (lines with fewer fields, or whose count or log10p does not parse, are
/// skipped; a later `sub`, `del` or `ins` line for the same key replaces an
/// earlier one): four tables.
/// 1. `sub`, by intended char: records `(observed, u32 count, f32
///    log10p)`, observed ascending (chars in three bytes);
/// 2. by observed char: `(intended, u32 count)` of every `sub` line,
///    most frequent first, ties by char;
/// 3. `del`, by intended char, and 4. `ins`, by observed char: one record
///    `(u32 count, f32 log10p)`.
pub fn channel_tables(text: &str) -> Vec<u8> {
    let mut sub: BTreeMap<u32, BTreeMap<u32, (u32, f32)>> = BTreeMap::new();
    let mut by_observed: BTreeMap<u32, Vec<(u32, u32)>> = BTreeMap::new();
    let mut del: BTreeMap<u32, (u32, f32)> = BTreeMap::new();
    let mut ins: BTreeMap<u32, (u32, f32)> = BTreeMap::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 5 {
            continue;
        }
        let (Ok(n), Ok(lp)) = (f[3].parse::<u32>(), f[4].parse::<f32>()) else {
            continue;
        };
        let a = f[1].chars().next();
        let b = f[2].chars().next();
        match (f[0], a, b) {
            ("sub", Some(a), Some(b)) => {
                sub.entry(a as u32).or_default().insert(b as u32, (n, lp));
                by_observed.entry(b as u32).or_default().push((a as u32, n));
            }
            ("del", Some(a), _) => {
                del.insert(a as u32, (n, lp));
            }
            ("ins", _, Some(b)) => {
                ins.insert(b as u32, (n, lp));
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    let entries: Vec<(u32, Vec<u8>)> = sub
        .into_iter()
        .map(|(k, m)| {
            let mut v = Vec::with_capacity(11 * m.len());
            for (o, (n, lp)) in m {
                push_char(&mut v, o);
                v.extend_from_slice(&n.to_le_bytes());
                v.extend_from_slice(&lp.to_bits().to_le_bytes());
            }
            (k, v)
        })
        .collect();
    write_table(&mut out, &entries);
    let entries: Vec<(u32, Vec<u8>)> = by_observed
        .into_iter()
        .map(|(k, mut v)| {
            // most frequent misreadings first: candidate lists take a prefix
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            (k, char_counts(&v))
        })
        .collect();
    write_table(&mut out, &entries);
    for m in [del, ins] {
        let entries: Vec<(u32, Vec<u8>)> = m
            .into_iter()
            .map(|(k, (n, lp))| (k, pairs(&[(n, lp.to_bits())])))
            .collect();
        write_table(&mut out, &entries);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lookups by binary search and by the dense index agree, for keys in
    /// and out of the indexed range, present and absent.
    #[test]
    fn get_by_search_and_by_dense_index() {
        let keys: Vec<u32> = vec![
            0x41, 0x33FF, 0x3400, 0x4E00, 0x4E01, 0x9FFF, 0xA000, 0x20000,
        ];
        let entries: Vec<(u32, Vec<u8>)> = keys
            .iter()
            .map(|&k| (k, k.to_le_bytes()[..(k % 3) as usize + 1].to_vec()))
            .collect();
        let mut b = vec![7u8; 5];
        write_table(&mut b, &entries);
        let (t, end) = TableAt::read(&b, 5).unwrap();
        assert_eq!(end, b.len());
        let dense = t.clone().index_dense(&b);
        assert!(!dense.dense.is_empty());
        for (k, v) in &entries {
            assert_eq!(t.get(&b, *k), Some(&v[..]), "{k:x}");
            assert_eq!(dense.get(&b, *k), Some(&v[..]), "{k:x}");
        }
        for k in [0, 0x42, 0x3401, 0x5000, 0x9FFE, 0xA001, 0x10FFFF] {
            assert_eq!(t.get(&b, k), None, "{k:x}");
            assert_eq!(dense.get(&b, k), None, "{k:x}");
        }
        assert!(TableAt::read(&b[..b.len() - 1], 5).is_none());
    }
}
