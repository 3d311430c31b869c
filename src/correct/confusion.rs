//! The visual confusion set (glyph similarity, `dictionaries/confusion_glyph.tsv`),
//! the glyph features (`dictionaries/confusion_features.tsv`) and the OCR
//! channel statistics (`dictionaries/channel_ocr.tsv`): compiled by build.rs
//! into tables read in place (`correct/packed.rs`), so nothing is parsed or
//! built at start-up.

use super::glyph_lines::parse_lines;
use super::packed::{self, char_at, u32_at, TableAt};
use std::borrow::Cow;
use std::marker::PhantomData;
use std::sync::OnceLock;

static GLYPH_TABLES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/confusion_glyph.bin"));
static FEATURES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/confusion_features.bin"));
static CHANNEL: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/channel_ocr.bin"));

/// The value of a packed `(char, value)` record, read from the bytes after
/// the char.
pub trait ListValue: Copy {
    /// The value of these bytes.
    fn read(b: &[u8]) -> Self;
}

impl ListValue for f32 {
    /// A score in hundredths (one byte) or its `f32` bits (four).
    fn read(b: &[u8]) -> f32 {
        match b {
            [k] => *k as f32 / 100.0,
            _ => f32::from_bits(u32_at(b, 0)),
        }
    }
}

impl ListValue for u32 {
    fn read(b: &[u8]) -> u32 {
        u32_at(b, 0)
    }
}

/// A list of `(char, value)` read in place (a look-alike list with scores,
/// a channel's readings with counts).
#[derive(Clone, Copy)]
pub struct CharList<'a, V> {
    raw: &'a [u8],
    /// Bytes a record (a char in three, then the value).
    width: usize,
    _v: PhantomData<V>,
}

impl<V> std::fmt::Debug for CharList<'_, V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "CharList({} items)", self.raw.len() / self.width)
    }
}

impl<'a, V: ListValue + 'a> CharList<'a, V> {
    fn new(raw: Option<&'a [u8]>, width: usize) -> CharList<'a, V> {
        CharList {
            raw: raw.unwrap_or(&[]),
            width,
            _v: PhantomData,
        }
    }

    fn record(r: &[u8]) -> (char, V) {
        (
            char::from_u32(char_at(r, 0)).unwrap_or('\0'),
            V::read(&r[3..]),
        )
    }

    /// Items.
    pub fn len(&self) -> usize {
        self.raw.len() / self.width
    }

    /// No item.
    pub fn is_empty(&self) -> bool {
        self.raw.is_empty()
    }

    /// The first item.
    pub fn first(&self) -> Option<(char, V)> {
        self.raw.get(..self.width).map(Self::record)
    }

    /// The items in order.
    pub fn iter(&self) -> impl Iterator<Item = (char, V)> + 'a {
        self.raw.chunks_exact(self.width).map(Self::record)
    }

    /// The value of the first item for `c` (its record found by its bytes,
    /// nothing else decoded).
    pub fn value_of(&self, c: char) -> Option<V> {
        let key = (c as u32).to_le_bytes();
        self.raw
            .chunks_exact(self.width)
            .find(|r| r[..3] == key[..3])
            .map(|r| V::read(&r[3..]))
    }

    /// The items, collected.
    pub fn to_vec(&self) -> Vec<(char, V)> {
        self.iter().collect()
    }
}

/// Characters that look alike, with a similarity score in `[0, 1]`.
#[derive(Debug)]
pub struct ConfusionSet {
    bytes: Cow<'static, [u8]>,
    /// Bytes a record.
    width: usize,
    similar: TableAt,
    reverse: TableAt,
}

impl Default for ConfusionSet {
    fn default() -> Self {
        ConfusionSet::from_bytes(Cow::Owned(packed::glyph_tables(std::iter::empty())))
    }
}

impl ConfusionSet {
    /// The embedded set (about 7,800 characters, up to 24 look-alikes each).
    pub fn embedded() -> &'static ConfusionSet {
        static SET: OnceLock<ConfusionSet> = OnceLock::new();
        SET.get_or_init(|| ConfusionSet::from_bytes(Cow::Borrowed(GLYPH_TABLES)))
    }

    /// The tables build.rs compiles from the glyph table
    /// (`packed::glyph_tables`), read in place.
    fn from_bytes(bytes: Cow<'static, [u8]>) -> ConfusionSet {
        let width = u32_at(&bytes, 0) as usize;
        let (similar, end) = TableAt::read(&bytes, 4).expect("glyph look-alike table");
        let (reverse, _) = TableAt::read(&bytes, end).expect("glyph reverse table");
        let (similar, reverse) = (similar.index_dense(&bytes), reverse.index_dense(&bytes));
        ConfusionSet {
            bytes,
            width,
            similar,
            reverse,
        }
    }

    /// Parse lines `char<TAB>c:0.72 c:0.65 …` (a later line for the same
    /// char replaces an earlier one; reverse lists keep file order).
    pub fn parse(text: &str) -> ConfusionSet {
        ConfusionSet::from_bytes(Cow::Owned(packed::glyph_tables(parse_lines(text))))
    }

    /// Characters similar to `ch`, most similar first (empty if unknown).
    pub fn similar(&self, ch: char) -> CharList<'_, f32> {
        CharList::new(self.similar.get(&self.bytes, ch as u32), self.width)
    }

    /// Characters that list `ch` among their look-alikes: the candidates for
    /// what an observed `ch` was meant to be.
    pub fn similar_to(&self, ch: char) -> CharList<'_, f32> {
        CharList::new(self.reverse.get(&self.bytes, ch as u32), self.width)
    }

    /// Similarity of `a` and `b` in either direction (0 when not listed).
    pub fn score(&self, a: char, b: char) -> f32 {
        let f = |x: char, y: char| self.similar(x).value_of(y).unwrap_or(0.0);
        f(a, b).max(f(b, a))
    }
}

/// Glyph features of one char, read in place (`packed::features_record`).
#[derive(Debug, Clone, Copy)]
struct Features<'a> {
    four_corner: &'a [u8],
    order: &'a [u8],
    structure: &'a [u8],
    /// Sorted, distinct.
    components: &'a str,
}

impl<'a> Features<'a> {
    fn read(rec: &'a [u8]) -> Features<'a> {
        let mut at = 0usize;
        let mut field = || {
            let n = rec[at] as usize;
            let s = &rec[at + 1..at + 1 + n];
            at += 1 + n;
            s
        };
        let (four_corner, order, structure) = (field(), field(), field());
        Features {
            four_corner,
            order,
            structure,
            components: std::str::from_utf8(&rec[at..]).unwrap_or(""),
        }
    }

    /// Components.
    fn components_len(&self) -> usize {
        self.components.chars().count()
    }

    /// Whether `c` is a component.
    fn has_component(&self, c: char) -> bool {
        self.components.chars().any(|x| x == c)
    }
}

/// Glyph features (four-corner code, stroke order, structure, components) of
/// the 8,105 general-standard characters, to score any pair with the formula
/// of `scripts/build_confusion.py`.
#[derive(Debug)]
pub struct GlyphFeatures {
    bytes: Cow<'static, [u8]>,
    table: TableAt,
}

impl Default for GlyphFeatures {
    fn default() -> Self {
        GlyphFeatures::parse("")
    }
}

impl GlyphFeatures {
    /// The embedded features.
    pub fn embedded() -> &'static GlyphFeatures {
        static F: OnceLock<GlyphFeatures> = OnceLock::new();
        F.get_or_init(|| GlyphFeatures::from_bytes(Cow::Borrowed(FEATURES)))
    }

    fn from_bytes(bytes: Cow<'static, [u8]>) -> GlyphFeatures {
        let (table, _) = TableAt::read(&bytes, 0).expect("glyph feature table");
        let table = table.index_dense(&bytes);
        GlyphFeatures { bytes, table }
    }

    /// Parse lines `char<TAB>four-corner<TAB>stroke order<TAB>structure<TAB>components`.
    pub fn parse(text: &str) -> GlyphFeatures {
        GlyphFeatures::from_bytes(Cow::Owned(packed::features_table(text)))
    }

    fn get(&self, c: char) -> Option<Features<'_>> {
        self.table.get(&self.bytes, c as u32).map(Features::read)
    }

    /// Similarity of two chars in about `[-0.1, 1]`: 0.35 × four-corner digit
    /// agreement + 0.35 × component overlap (Dice) + 0.30 × stroke-order
    /// similarity − 0.10 when the structures differ. None when either char
    /// has no features. Cost: a Levenshtein distance over two stroke strings
    /// (≈ 10 × 10 cells).
    pub fn sim(&self, a: char, b: char) -> Option<f32> {
        let (fa, fb) = (self.get(a)?, self.get(b)?);
        Some(Self::score(fa, fb, Self::order_sim(fa, fb)))
    }

    /// The formula: 0.35 four-corner + 0.35 components + 0.30 stroke order,
    /// −0.10 for different structures.
    fn score(fa: Features<'_>, fb: Features<'_>, order: f32) -> f32 {
        let (fc_comp, _) = Self::base(fa, fb);
        Self::combine(fa, fb, fc_comp, order)
    }

    /// The score from its four-corner and component terms and the
    /// stroke-order similarity (always in this order of operations).
    #[inline]
    fn combine(fa: Features<'_>, fb: Features<'_>, fc_comp: f32, order: f32) -> f32 {
        let mut s = fc_comp + 0.30 * order;
        if fa.structure != fb.structure {
            s -= 0.10;
        }
        s
    }

    /// True when [`GlyphFeatures::sim`] of `a` and `b` (0 without features)
    /// is at least `min`, without the stroke-order distance when the other
    /// features already rule it out (the distance is at least the length
    /// difference, so the score has a cheap upper bound).
    pub fn sim_at_least(&self, a: char, b: char, min: f32) -> bool {
        let (Some(fa), Some(fb)) = (self.get(a), self.get(b)) else {
            return 0.0 >= min;
        };
        let (fc_comp, order_bound) = Self::base(fa, fb);
        // the score is monotone in the stroke-order term
        if Self::combine(fa, fb, fc_comp, order_bound) < min {
            return false;
        }
        Self::combine(fa, fb, fc_comp, Self::order_sim(fa, fb)) >= min
    }

    /// The chars of `list` whose [`GlyphFeatures::sim`] with `b` is at
    /// least `min` (as [`GlyphFeatures::sim_at_least`] on each, with `b`'s
    /// features looked up once).
    pub fn filter_at_least(&self, list: &[char], b: char, min: f32) -> Vec<char> {
        let Some(fb) = self.get(b) else {
            return if 0.0 >= min {
                list.to_vec()
            } else {
                Vec::new()
            };
        };
        list.iter()
            .copied()
            .filter(|a| {
                let Some(fa) = self.get(*a) else {
                    return 0.0 >= min;
                };
                let (fc_comp, order_bound) = Self::base(fa, fb);
                Self::combine(fa, fb, fc_comp, order_bound) >= min
                    && Self::combine(fa, fb, fc_comp, Self::order_sim(fa, fb)) >= min
            })
            .collect()
    }

    /// The four-corner and component terms of the score, and an upper bound
    /// of the stroke-order similarity.
    fn base(fa: Features<'_>, fb: Features<'_>) -> (f32, f32) {
        let fc = if fa.four_corner.is_empty() || fb.four_corner.is_empty() {
            0.0
        } else {
            fa.four_corner
                .iter()
                .zip(fb.four_corner)
                .filter(|(x, y)| x == y)
                .count() as f32
                / 5.0
        };
        let shared = fa
            .components
            .chars()
            .filter(|&c| fb.has_component(c))
            .count();
        let total = fa.components_len() + fb.components_len();
        let comp = if total == 0 {
            0.0
        } else {
            2.0 * shared as f32 / total as f32
        };
        let s = 0.35 * fc + 0.35 * comp;
        let order_bound = if fa.order.is_empty() || fb.order.is_empty() {
            0.0
        } else {
            let (la, lb) = (fa.order.len(), fb.order.len());
            1.0 - la.abs_diff(lb) as f32 / la.max(lb) as f32
        };
        (s, order_bound)
    }

    /// 1 − (Levenshtein distance of the stroke orders) / (longer length).
    fn order_sim(fa: Features<'_>, fb: Features<'_>) -> f32 {
        if fa.order.is_empty() || fb.order.is_empty() {
            return 0.0;
        }
        let d = levenshtein(fa.order, fb.order);
        1.0 - d as f32 / fa.order.len().max(fb.order.len()) as f32
    }
}

/// Edit distance of two stroke sequences (the same number as
/// `strsim::generic_levenshtein`): this runs for thousands of char pairs.
/// Bit-parallel (Myers, in Hyyrö's form) when one sequence fits a machine
/// word, else one dynamic-programming row on the stack.
fn levenshtein(a: &[u8], b: &[u8]) -> usize {
    let (a, b) = if a.len() < b.len() { (b, a) } else { (a, b) };
    if b.is_empty() {
        return a.len();
    }
    if b.len() <= 64 {
        return levenshtein_bits(a, b);
    }
    levenshtein_rows(a, b)
}

/// Myers' bit-vector edit distance; `b` (the pattern) has 1–64 symbols.
fn levenshtein_bits(a: &[u8], b: &[u8]) -> usize {
    let m = b.len();
    let mut peq = [0u64; 256];
    for (i, &c) in b.iter().enumerate() {
        peq[c as usize] |= 1 << i;
    }
    let top = 1u64 << (m - 1);
    let (mut pv, mut mv) = (u64::MAX, 0u64);
    let mut score = m;
    for &c in a {
        let eq = peq[c as usize];
        let xv = eq | mv;
        let xh = ((eq & pv).wrapping_add(pv) ^ pv) | eq;
        let mut ph = mv | !(xh | pv);
        let mut mh = pv & xh;
        if ph & top != 0 {
            score += 1;
        } else if mh & top != 0 {
            score -= 1;
        }
        ph = (ph << 1) | 1;
        mh <<= 1;
        pv = mh | !(xv | ph);
        mv = ph & xv;
    }
    score
}

/// The textbook dynamic program, one row on the stack when it fits.
fn levenshtein_rows(a: &[u8], b: &[u8]) -> usize {
    const STACK: usize = 96;
    let mut stack = [0usize; STACK];
    let mut heap = Vec::new();
    let row: &mut [usize] = if b.len() <= STACK {
        &mut stack[..b.len()]
    } else {
        heap.resize(b.len(), 0);
        &mut heap
    };
    for (j, r) in row.iter_mut().enumerate() {
        *r = j + 1;
    }
    let mut result = b.len();
    for (i, &ca) in a.iter().enumerate() {
        result = i + 1;
        let mut diag = i;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let up = row[j];
            result = (result + 1).min(up + 1).min(diag + cost);
            diag = up;
            row[j] = result;
        }
    }
    result
}

/// A malformed line of a channel file ([`Channel::from_tsv`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {msg}")]
pub struct ChannelError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub msg: String,
}

/// OCR channel statistics learned from real OCR pairs, read in place
/// (`packed::channel_tables`).
#[derive(Debug)]
pub struct Channel {
    bytes: Cow<'static, [u8]>,
    sub: TableAt,
    by_observed: TableAt,
    del: TableAt,
    ins: TableAt,
}

impl Default for Channel {
    fn default() -> Self {
        Channel::parse("")
    }
}

impl Channel {
    /// The embedded table (learned on the training rows of the dev pairs).
    pub fn embedded() -> &'static Channel {
        static CH: OnceLock<Channel> = OnceLock::new();
        CH.get_or_init(|| Channel::from_bytes(Cow::Borrowed(CHANNEL)))
    }

    fn from_bytes(bytes: Cow<'static, [u8]>) -> Channel {
        let mut at = 0;
        let mut next = || {
            let (t, end) = TableAt::read(&bytes, at).expect("channel table");
            at = end;
            t
        };
        let (sub, by_observed, del, ins) = (next(), next(), next(), next());
        let (sub, by_observed) = (sub.index_dense(&bytes), by_observed.index_dense(&bytes));
        Channel {
            bytes,
            sub,
            by_observed,
            del,
            ins,
        }
    }

    /// Parse lines `kind<TAB>intended<TAB>observed<TAB>count<TAB>log10p`.
    pub fn parse(text: &str) -> Channel {
        Channel::from_bytes(Cow::Owned(packed::channel_tables(text)))
    }

    /// Parse a channel file strictly (what `--channel FILE` reads): every
    /// line that is not empty or a `#` comment must be
    /// `kind<TAB>intended<TAB>observed<TAB>count<TAB>log10p` with kind
    /// `sub` (one intended and one observed char), `del` (one intended
    /// char, empty observed) or `ins` (empty intended, one observed char),
    /// a whole count and a log10 probability ≤ 0. Errors name the line.
    pub fn from_tsv(text: &str) -> Result<Channel, ChannelError> {
        for (n, line) in text.lines().enumerate() {
            let line = line.trim_end_matches('\r');
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let bad = |msg: String| ChannelError { line: n + 1, msg };
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() != 5 {
                return Err(bad(format!(
                    "expected 5 tab-separated fields (kind, intended, observed, count, log10p), found {}",
                    f.len()
                )));
            }
            let one = |s: &str| {
                let mut it = s.chars();
                matches!((it.next(), it.next()), (Some(_), None))
            };
            let ok = match f[0] {
                "sub" => one(f[1]) && one(f[2]),
                "del" => one(f[1]) && f[2].is_empty(),
                "ins" => f[1].is_empty() && one(f[2]),
                k => {
                    return Err(bad(format!(
                        "unknown kind `{k}` (expected sub, del or ins)"
                    )))
                }
            };
            if !ok {
                return Err(bad(format!(
                    "`{}` needs {}",
                    f[0],
                    match f[0] {
                        "sub" => "one intended and one observed char",
                        "del" => "one intended char and an empty observed field",
                        _ => "an empty intended field and one observed char",
                    }
                )));
            }
            f[3].parse::<u32>()
                .map_err(|_| bad(format!("count `{}` is not a whole number", f[3])))?;
            let lp = f[4]
                .parse::<f32>()
                .map_err(|_| bad(format!("log10p `{}` is not a number", f[4])))?;
            if lp.is_nan() || lp > 0.0 {
                return Err(bad(format!("log10p `{}` must be a number ≤ 0", f[4])));
            }
        }
        Ok(Channel::parse(text))
    }

    /// (count, log10 P(observed | intended)) of a learned substitution.
    pub fn sub(&self, intended: char, observed: char) -> Option<(u32, f32)> {
        let recs = self.sub.get(&self.bytes, intended as u32)?;
        let (mut lo, mut hi) = (0usize, recs.len() / 11);
        let key = observed as u32;
        while lo < hi {
            let mid = (lo + hi) / 2;
            let k = char_at(recs, 11 * mid);
            if k < key {
                lo = mid + 1;
            } else if k > key {
                hi = mid;
            } else {
                return Some((
                    u32_at(recs, 11 * mid + 3),
                    f32::from_bits(u32_at(recs, 11 * mid + 7)),
                ));
            }
        }
        None
    }

    /// Intended chars seen read as `observed`, with counts, most frequent
    /// first.
    pub fn intended_for(&self, observed: char) -> CharList<'_, u32> {
        CharList::new(self.by_observed.get(&self.bytes, observed as u32), 7)
    }

    /// (count, log10 P(dropped | intended)) when `intended` was seen dropped.
    pub fn deletion(&self, intended: char) -> Option<(u32, f32)> {
        Self::count_logp(self.del.get(&self.bytes, intended as u32))
    }

    /// (count, log10 P(inserted)) when `observed` was seen inserted.
    pub fn insertion(&self, observed: char) -> Option<(u32, f32)> {
        Self::count_logp(self.ins.get(&self.bytes, observed as u32))
    }

    fn count_logp(rec: Option<&[u8]>) -> Option<(u32, f32)> {
        rec.map(|r| (u32_at(r, 0), f32::from_bits(u32_at(r, 4))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn misreadings_are_listed_most_frequent_first() {
        let ch = Channel::parse("sub\t末\t未\t1\t-2\nsub\t木\t未\t5\t-1\nsub\t朱\t未\t3\t-1.5\n");
        let got: Vec<char> = ch.intended_for('未').iter().map(|x| x.0).collect();
        assert_eq!(got, ['木', '朱', '末']);
    }

    #[test]
    fn filter_at_least_agrees_with_sim_at_least() {
        let g = GlyphFeatures::embedded();
        let list: Vec<char> = "要耍委安女妥人入八大太犬天夫未末本木术体休作昨"
            .chars()
            .chain(['a', '\u{20000}'])
            .collect();
        for b in ['要', '大', '未', '体', 'a'] {
            for min in [0.0f32, 0.2, 0.3, 0.5, 0.8] {
                let want: Vec<char> = list
                    .iter()
                    .copied()
                    .filter(|&a| g.sim_at_least(a, b, min))
                    .collect();
                assert_eq!(g.filter_at_least(&list, b, min), want, "{b} {min}");
            }
        }
        // something passes and something fails
        assert!(!g.filter_at_least(&list, '大', 0.3).is_empty());
        assert!(g.filter_at_least(&list, '大', 0.3).len() < list.len());
    }

    #[test]
    fn levenshtein_matches_strsim() {
        let seqs: [&[u8]; 7] = [
            b"",
            b"1",
            b"12345",
            b"54321",
            b"1212121",
            b"2512",
            b"125125125125",
        ];
        for a in seqs {
            for b in seqs {
                assert_eq!(
                    levenshtein(a, b),
                    strsim::generic_levenshtein(&a.to_vec(), &b.to_vec()),
                    "{a:?} {b:?}"
                );
            }
        }
        // pseudo-random stroke strings over a small alphabet, across the
        // 64-symbol word size
        let mut x: u64 = 12345;
        let mut rnd = |n: u64| {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (x >> 33) % n
        };
        for _ in 0..3000 {
            let la = rnd(80) as usize;
            let lb = rnd(80) as usize;
            let a: Vec<u8> = (0..la).map(|_| b'1' + rnd(5) as u8).collect();
            let b: Vec<u8> = (0..lb).map(|_| b'1' + rnd(5) as u8).collect();
            assert_eq!(levenshtein(&a, &b), strsim::generic_levenshtein(&a, &b));
        }
        let long: Vec<u8> = (0..200).map(|i| (i % 5) as u8).collect();
        let other: Vec<u8> = (0..150).map(|i| (i % 3) as u8).collect();
        assert_eq!(
            levenshtein(&long, &other),
            strsim::generic_levenshtein(&long, &other)
        );
    }

    /// The shipped text without comments (build.rs copies it).
    const CHANNEL_TSV: &str = include_str!(concat!(env!("OUT_DIR"), "/channel_ocr.tsv"));
    const FEATURES_TSV: &str = include_str!(concat!(env!("OUT_DIR"), "/confusion_features.tsv"));

    #[test]
    fn compiled_tables_equal_the_parsed_text() {
        let text = include_str!(concat!(env!("OUT_DIR"), "/confusion_glyph.tsv"));
        let parsed = ConfusionSet::parse(text);
        let loaded = ConfusionSet::embedded();
        assert!(parsed.similar.len() > 7000);
        // every score of the shipped table in one byte
        assert_eq!(loaded.width, 4);
        assert!(parsed.bytes[..] == loaded.bytes[..]);
        assert!(
            GlyphFeatures::parse(FEATURES_TSV).bytes[..] == GlyphFeatures::embedded().bytes[..]
        );
        assert!(Channel::parse(CHANNEL_TSV).bytes[..] == Channel::embedded().bytes[..]);
    }

    /// The tables read in place answer what maps built from the text the
    /// plain way answer (as the tables were before they were packed), for
    /// every key of the shipped glyph list, features and channel.
    #[test]
    fn packed_tables_answer_as_maps_of_the_text() {
        use std::collections::HashMap;
        let text = include_str!(concat!(env!("OUT_DIR"), "/confusion_glyph.tsv"));
        let mut similar: HashMap<char, Vec<(char, f32)>> = HashMap::new();
        let mut reverse: HashMap<char, Vec<(char, f32)>> = HashMap::new();
        for (c, mut v) in parse_lines(text) {
            for &(s, score) in &v {
                reverse.entry(s).or_default().push((c, score));
            }
            v.sort_by(|a, b| b.1.total_cmp(&a.1));
            similar.insert(c, v);
        }
        let set = ConfusionSet::embedded();
        assert_eq!(
            (set.similar.len(), set.reverse.len()),
            (similar.len(), reverse.len())
        );
        for (c, v) in &similar {
            assert_eq!(&set.similar(*c).to_vec(), v, "similar {c}");
        }
        for (c, v) in &reverse {
            assert_eq!(&set.similar_to(*c).to_vec(), v, "similar_to {c}");
        }

        let features = GlyphFeatures::embedded();
        let mut n = 0;
        for line in FEATURES_TSV.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            let c = f[0].chars().next().unwrap();
            let mut comps: Vec<char> = f[4].split(' ').filter_map(|x| x.chars().next()).collect();
            comps.sort_unstable();
            comps.dedup();
            let got = features.get(c).unwrap();
            assert_eq!(got.four_corner, f[1].as_bytes(), "{c}");
            assert_eq!(got.order, f[2].as_bytes(), "{c}");
            assert_eq!(got.structure, f[3].as_bytes(), "{c}");
            let got_comps: Vec<char> = got.components.chars().collect();
            assert_eq!(got_comps, comps, "{c}");
            for &x in &comps {
                assert!(got.has_component(x));
            }
            assert!(!got.has_component('\0'));
            n += 1;
        }
        assert_eq!(n, features.table.len());

        let ch = Channel::embedded();
        let mut sub: HashMap<(char, char), (u32, f32)> = HashMap::new();
        let mut by_observed: HashMap<char, Vec<(char, u32)>> = HashMap::new();
        let (mut del, mut ins) = (HashMap::new(), HashMap::new());
        for line in CHANNEL_TSV.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            let (n, lp) = (f[3].parse::<u32>().unwrap(), f[4].parse::<f32>().unwrap());
            let (a, b) = (f[1].chars().next(), f[2].chars().next());
            match f[0] {
                "sub" => {
                    sub.insert((a.unwrap(), b.unwrap()), (n, lp));
                    by_observed
                        .entry(b.unwrap())
                        .or_default()
                        .push((a.unwrap(), n));
                }
                "del" => {
                    del.insert(a.unwrap(), (n, lp));
                }
                _ => {
                    ins.insert(b.unwrap(), (n, lp));
                }
            }
        }
        assert!(sub.len() > 8000 && del.len() > 600 && ins.len() > 700);
        for (&(a, b), &v) in &sub {
            assert_eq!(ch.sub(a, b), Some(v), "sub {a} {b}");
            assert_eq!(ch.sub(b, a), sub.get(&(b, a)).copied(), "sub {b} {a}");
        }
        for (c, v) in &mut by_observed {
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            assert_eq!(&ch.intended_for(*c).to_vec(), v, "intended_for {c}");
        }
        assert_eq!(ch.by_observed.len(), by_observed.len());
        for (c, v) in &del {
            assert_eq!(ch.deletion(*c), Some(*v));
        }
        for (c, v) in &ins {
            assert_eq!(ch.insertion(*c), Some(*v));
        }
        assert_eq!((ch.del.len(), ch.ins.len()), (del.len(), ins.len()));
        assert_eq!(ch.sub('\u{E000}', 'b'), None);
        assert!(ch.intended_for('\u{E000}').is_empty());
    }

    #[test]
    fn glyph_set_has_classic_lookalikes() {
        let s = ConfusionSet::embedded();
        assert!(s.similar('末').iter().any(|(c, _)| c == '未'));
        assert!(s.similar('大').iter().any(|(c, _)| c == '太'));
        assert!(s.score('未', '末') > 0.5);
        assert!(s.similar('a').is_empty());
        // scores that one byte cannot hold exactly: records keep the f32
        let wide = ConfusionSet::parse("未\t末:0.123 木:0.5\n木\t未:0.25\n");
        assert_eq!(wide.width, 7);
        assert_eq!(
            wide.similar('未').to_vec(),
            vec![('木', 0.5), ('末', 0.123)]
        );
        assert_eq!(wide.similar_to('未').to_vec(), vec![('木', 0.25)]);
        assert_eq!(wide.score('末', '未'), 0.123);
        let narrow = ConfusionSet::parse("未\t末:0.12 木:0.50\n");
        assert_eq!(narrow.width, 4);
        assert_eq!(
            narrow.similar('未').to_vec(),
            vec![('木', 0.5), ('末', 0.12)]
        );
    }

    #[test]
    fn features_agree_with_the_shipped_lists() {
        let f = GlyphFeatures::embedded();
        let s = f.sim('末', '未').unwrap();
        assert!((s - 0.88).abs() < 0.011, "{s}");
        assert!(f.sim('末', '未').unwrap() > f.sim('末', '鸭').unwrap());
        assert!(f.sim('a', '未').is_none());
    }

    #[test]
    fn from_tsv_validates_and_names_the_line() {
        let ok = "# comment\nsub\t大\t太\t3\t-2.5\n\ndel\t。\t\t9\t-0.6\nins\t\t.\t4\t-3.0\n";
        let ch = Channel::from_tsv(ok).unwrap();
        assert_eq!(ch.sub('大', '太'), Some((3, -2.5)));
        assert_eq!(ch.deletion('。').unwrap().0, 9);
        for (bad, line, what) in [
            ("sub\t大\t太\t3\n", 1, "5 tab-separated"),
            (
                "sub\t大\t太\t3\t-1\nsub\t大\t太太\t3\t-1\n",
                2,
                "one observed",
            ),
            ("# c\nswap\t大\t太\t3\t-1\n", 2, "unknown kind"),
            ("del\t大\t太\t3\t-1\n", 1, "empty observed"),
            ("ins\t大\t\t3\t-1\n", 1, "empty intended"),
            ("sub\t大\t太\tx\t-1\n", 1, "whole number"),
            ("sub\t大\t太\t3\tp\n", 1, "not a number"),
            ("sub\t大\t太\t3\t0.5\n", 1, "≤ 0"),
        ] {
            let e = Channel::from_tsv(bad).unwrap_err();
            assert_eq!(e.line, line, "{bad:?}: {e}");
            assert!(e.to_string().contains(what), "{bad:?}: {e}");
        }
        // the shipped table passes
        assert!(Channel::from_tsv(CHANNEL_TSV).is_ok());
    }

    #[test]
    fn parse_channel() {
        let ch = Channel::parse("sub\t大\t太\t3\t-2.5\ndel\t。\t\t9\t-0.6\nins\t\t.\t4\t-3.0\n");
        assert_eq!(ch.sub('大', '太'), Some((3, -2.5)));
        assert_eq!(ch.intended_for('太').to_vec(), vec![('大', 3)]);
        assert_eq!(ch.deletion('。').unwrap().0, 9);
        assert!(ch.insertion('.').is_some());
    }
}
