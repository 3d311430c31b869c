//! The visual confusion set (glyph similarity, `dictionaries/confusion_glyph.tsv`)
//! and the OCR channel statistics (`dictionaries/channel_ocr.tsv`), both
//! embedded and parsed once on first use.

use super::glyph_lines::parse_lines;
use super::CharBuild;
use std::collections::HashMap;
use std::sync::OnceLock;

static GLYPH_TABLES: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/confusion_glyph.bin"));
static FEATURES: &str = include_str!(concat!(env!("OUT_DIR"), "/confusion_features.tsv"));
static CHANNEL: &str = include_str!(concat!(env!("OUT_DIR"), "/channel_ocr.tsv"));

/// Characters that look alike, with a similarity score in `[0, 1]`.
#[derive(Debug, Default)]
pub struct ConfusionSet {
    similar: HashMap<char, Vec<(char, f32)>, CharBuild>,
    reverse: HashMap<char, Vec<(char, f32)>, CharBuild>,
}

impl ConfusionSet {
    /// The embedded set (about 7,800 characters, up to 24 look-alikes each).
    pub fn embedded() -> &'static ConfusionSet {
        static SET: OnceLock<ConfusionSet> = OnceLock::new();
        SET.get_or_init(|| ConfusionSet::from_tables(GLYPH_TABLES))
    }

    /// Load the tables build.rs compiles from the glyph table (format in
    /// `build/confusion.rs`): what [`ConfusionSet::parse`] makes, without
    /// parsing text.
    fn from_tables(bytes: &[u8]) -> ConfusionSet {
        let mut at = 0usize;
        let u32_at = |at: &mut usize| {
            let b = &bytes[*at..*at + 4];
            *at += 4;
            u32::from_le_bytes([b[0], b[1], b[2], b[3]])
        };
        let table = |at: &mut usize| {
            let n = u32_at(at) as usize;
            let mut map: HashMap<char, Vec<(char, f32)>, CharBuild> = HashMap::default();
            map.reserve(n);
            for _ in 0..n {
                let k = char::from_u32(u32_at(at)).unwrap_or('\0');
                let len = u32_at(at) as usize;
                let mut v = Vec::with_capacity(len);
                for _ in 0..len {
                    let c = char::from_u32(u32_at(at)).unwrap_or('\0');
                    v.push((c, f32::from_bits(u32_at(at))));
                }
                map.insert(k, v);
            }
            map
        };
        let similar = table(&mut at);
        let reverse = table(&mut at);
        ConfusionSet { similar, reverse }
    }

    /// Parse lines `char<TAB>c:0.72 c:0.65 …` (a later line for the same
    /// char replaces an earlier one; reverse lists keep file order).
    pub fn parse(text: &str) -> ConfusionSet {
        let mut set = ConfusionSet::default();
        for (c, mut v) in parse_lines(text) {
            for &(s, score) in &v {
                set.reverse.entry(s).or_default().push((c, score));
            }
            v.sort_by(|a, b| b.1.total_cmp(&a.1));
            set.similar.insert(c, v);
        }
        set
    }

    /// Characters similar to `ch`, most similar first (empty if unknown).
    pub fn similar(&self, ch: char) -> &[(char, f32)] {
        self.similar.get(&ch).map(|v| v.as_slice()).unwrap_or(&[])
    }

    /// Characters that list `ch` among their look-alikes: the candidates for
    /// what an observed `ch` was meant to be.
    pub fn similar_to(&self, ch: char) -> &[(char, f32)] {
        self.reverse.get(&ch).map(|v| v.as_slice()).unwrap_or(&[])
    }

    /// Similarity of `a` and `b` in either direction (0 when not listed).
    pub fn score(&self, a: char, b: char) -> f32 {
        let f = |x: char, y: char| {
            self.similar(x)
                .iter()
                .find(|(c, _)| *c == y)
                .map(|p| p.1)
                .unwrap_or(0.0)
        };
        f(a, b).max(f(b, a))
    }
}

/// Glyph features of one char.
#[derive(Debug, Clone, Default)]
struct Features {
    four_corner: Vec<u8>,
    order: Vec<u8>,
    structure: String,
    components: Vec<char>,
}

/// Glyph features (four-corner code, stroke order, structure, components) of
/// the 8,105 general-standard characters, to score any pair with the formula
/// of `scripts/build_confusion.py`.
#[derive(Debug, Default)]
pub struct GlyphFeatures {
    map: HashMap<char, Features, CharBuild>,
}

impl GlyphFeatures {
    /// The embedded features.
    pub fn embedded() -> &'static GlyphFeatures {
        static F: OnceLock<GlyphFeatures> = OnceLock::new();
        F.get_or_init(|| GlyphFeatures::parse(FEATURES))
    }

    /// Parse lines `char<TAB>four-corner<TAB>stroke order<TAB>structure<TAB>components`.
    pub fn parse(text: &str) -> GlyphFeatures {
        let mut map: HashMap<char, Features, CharBuild> = HashMap::default();
        for line in text.lines() {
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 5 {
                continue;
            }
            let Some(c) = f[0].chars().next() else {
                continue;
            };
            let mut components: Vec<char> =
                f[4].split(' ').filter_map(|x| x.chars().next()).collect();
            components.sort_unstable();
            components.dedup();
            map.insert(
                c,
                Features {
                    four_corner: f[1].bytes().collect(),
                    order: f[2].bytes().collect(),
                    structure: f[3].to_string(),
                    components,
                },
            );
        }
        GlyphFeatures { map }
    }

    /// Similarity of two chars in about `[-0.1, 1]`: 0.35 × four-corner digit
    /// agreement + 0.35 × component overlap (Dice) + 0.30 × stroke-order
    /// similarity − 0.10 when the structures differ. None when either char
    /// has no features. Cost: a Levenshtein distance over two stroke strings
    /// (≈ 10 × 10 cells).
    pub fn sim(&self, a: char, b: char) -> Option<f32> {
        let (fa, fb) = (self.map.get(&a)?, self.map.get(&b)?);
        Some(Self::score(fa, fb, Self::order_sim(fa, fb)))
    }

    /// The formula: 0.35 four-corner + 0.35 components + 0.30 stroke order,
    /// −0.10 for different structures.
    fn score(fa: &Features, fb: &Features, order: f32) -> f32 {
        let (fc_comp, _) = Self::base(fa, fb);
        Self::combine(fa, fb, fc_comp, order)
    }

    /// The score from its four-corner and component terms and the
    /// stroke-order similarity (always in this order of operations).
    #[inline]
    fn combine(fa: &Features, fb: &Features, fc_comp: f32, order: f32) -> f32 {
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
        let (Some(fa), Some(fb)) = (self.map.get(&a), self.map.get(&b)) else {
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
        let Some(fb) = self.map.get(&b) else {
            return if 0.0 >= min {
                list.to_vec()
            } else {
                Vec::new()
            };
        };
        list.iter()
            .copied()
            .filter(|a| {
                let Some(fa) = self.map.get(a) else {
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
    fn base(fa: &Features, fb: &Features) -> (f32, f32) {
        let fc = if fa.four_corner.is_empty() || fb.four_corner.is_empty() {
            0.0
        } else {
            fa.four_corner
                .iter()
                .zip(&fb.four_corner)
                .filter(|(x, y)| x == y)
                .count() as f32
                / 5.0
        };
        let shared = fa
            .components
            .iter()
            .filter(|c| fb.components.binary_search(c).is_ok())
            .count();
        let total = fa.components.len() + fb.components.len();
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
    fn order_sim(fa: &Features, fb: &Features) -> f32 {
        if fa.order.is_empty() || fb.order.is_empty() {
            return 0.0;
        }
        let d = levenshtein(&fa.order, &fb.order);
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

/// OCR channel statistics learned from real OCR pairs.
#[derive(Debug, Default)]
pub struct Channel {
    sub: HashMap<(char, char), (u32, f32), CharBuild>,
    by_observed: HashMap<char, Vec<(char, u32)>, CharBuild>,
    del: HashMap<char, (u32, f32), CharBuild>,
    ins: HashMap<char, (u32, f32), CharBuild>,
}

impl Channel {
    /// The embedded table (learned on the training rows of the dev pairs).
    pub fn embedded() -> &'static Channel {
        static CH: OnceLock<Channel> = OnceLock::new();
        CH.get_or_init(|| Channel::parse(CHANNEL))
    }

    /// Parse lines `kind<TAB>intended<TAB>observed<TAB>count<TAB>log10p`.
    pub fn parse(text: &str) -> Channel {
        let mut ch = Channel::default();
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
                    ch.sub.insert((a, b), (n, lp));
                    ch.by_observed.entry(b).or_default().push((a, n));
                }
                ("del", Some(a), _) => {
                    ch.del.insert(a, (n, lp));
                }
                ("ins", _, Some(b)) => {
                    ch.ins.insert(b, (n, lp));
                }
                _ => {}
            }
        }
        // most frequent misreadings first: candidate lists take a prefix
        for v in ch.by_observed.values_mut() {
            v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        }
        ch
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
        self.sub.get(&(intended, observed)).copied()
    }

    /// Intended chars seen read as `observed`, with counts.
    pub fn intended_for(&self, observed: char) -> &[(char, u32)] {
        self.by_observed
            .get(&observed)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
    }

    /// (count, log10 P(dropped | intended)) when `intended` was seen dropped.
    pub fn deletion(&self, intended: char) -> Option<(u32, f32)> {
        self.del.get(&intended).copied()
    }

    /// (count, log10 P(inserted)) when `observed` was seen inserted.
    pub fn insertion(&self, observed: char) -> Option<(u32, f32)> {
        self.ins.get(&observed).copied()
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

    #[test]
    fn compiled_tables_equal_the_parsed_text() {
        let text = include_str!(concat!(env!("OUT_DIR"), "/confusion_glyph.tsv"));
        let parsed = ConfusionSet::parse(text);
        let loaded = ConfusionSet::embedded();
        assert!(parsed.similar.len() > 7000);
        assert_eq!(parsed.similar.len(), loaded.similar.len());
        assert_eq!(parsed.reverse.len(), loaded.reverse.len());
        for (k, v) in &parsed.similar {
            assert_eq!(Some(v), loaded.similar.get(k), "similar {k}");
        }
        for (k, v) in &parsed.reverse {
            assert_eq!(Some(v), loaded.reverse.get(k), "reverse {k}");
        }
    }

    #[test]
    fn glyph_set_has_classic_lookalikes() {
        let s = ConfusionSet::embedded();
        assert!(s.similar('末').iter().any(|(c, _)| *c == '未'));
        assert!(s.similar('大').iter().any(|(c, _)| *c == '太'));
        assert!(s.score('未', '末') > 0.5);
        assert!(s.similar('a').is_empty());
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
        assert!(Channel::from_tsv(CHANNEL).is_ok());
    }

    #[test]
    fn parse_channel() {
        let ch = Channel::parse("sub\t大\t太\t3\t-2.5\ndel\t。\t\t9\t-0.6\nins\t\t.\t4\t-3.0\n");
        assert_eq!(ch.sub('大', '太'), Some((3, -2.5)));
        assert_eq!(ch.intended_for('太'), &[('大', 3)]);
        assert_eq!(ch.deletion('。').unwrap().0, 9);
        assert!(ch.insertion('.').is_some());
    }
}
