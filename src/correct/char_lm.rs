//! A character n-gram language model over every char of a line, marks
//! included: interpolated Kneser-Ney, stored in back-off form as a hashed,
//! quantized table (`dictionaries/char_lm.bin`, built by
//! `scripts/char_lm/` (`pack_char_lm.py`); provenance in `dictionaries/README.md`).
//!
//! The table is embedded and read in place: no parsing at start-up. Each
//! slot is one little-endian `u32`: the high 16 bits are a fingerprint of the
//! n-gram's FNV-1a hash (its top 16 bits, never 0), then the 8-bit codes of
//! `-log10 P(w | h)` and of `-log10 backoff(gram as a context)`, read through
//! two 256-entry codebooks stored after the header (code 0 of the back-off
//! book is 0: the gram is no context). Slots are found by linear probing from
//! the hash's low bits. Four bytes a slot hold twice the n-grams of the
//! earlier eight-byte slots in the same size; a 16-bit fingerprint lets about
//! one unseen n-gram in 10,000 read as seen.
//!
//! Chars are mapped before lookup ([`symbol`]): ASCII letters to `a`, ASCII
//! digits to `0` (the model knows "a Latin letter", "a digit", not which).
//! A line is scored between [`BOS`] and [`EOS`]; whitespace ends a segment.

use std::sync::OnceLock;

/// Begin-of-segment symbol.
pub const BOS: char = '\u{2}';
/// End-of-segment symbol.
pub const EOS: char = '\u{3}';
/// Fixed-point scale of the header's unknown-char cost.
pub const SCALE: f32 = 4096.0;

const MAGIC: &[u8; 8] = b"ZHCLM2\0\0";
/// Magic, four u32, two codebooks of 256 f32.
const HEADER: usize = 8 + 16 + 2 * 256 * 4;

/// The model symbol of `c`.
#[inline]
pub fn symbol(c: char) -> char {
    if c.is_ascii_alphabetic() {
        'a'
    } else if c.is_ascii_digit() {
        '0'
    } else {
        c
    }
}

/// FNV-1a over the code points of `gram` (the build script's hash).
#[inline]
fn fnv(gram: &[char]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in gram {
        h ^= c as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A character n-gram model read in place from its table bytes.
pub struct CharLm {
    order: usize,
    mask: usize,
    /// log10 P of a char the model never saw (negative).
    unk: f32,
    grams: usize,
    /// log10 P of each code (≤ 0).
    logp_book: [f32; 256],
    /// log10 back-off of each code (≤ 0; code 0 is 0).
    bow_book: [f32; 256],
    table: &'static [u8],
    /// Bloom filter of every char pair the model saw (`has_pair`): a few
    /// L2-resident bit tests instead of a probe of the large table.
    pairs: &'static [u8],
    pair_mask: u64,
    pair_k: u32,
}

/// Errors reading a model table.
#[derive(Debug, thiserror::Error)]
pub enum CharLmError {
    /// The bytes do not start with the table's magic or are cut short.
    #[error("not a zhclean character model table ({0})")]
    Format(&'static str),
}

impl CharLm {
    /// The embedded model.
    pub fn embedded() -> &'static CharLm {
        static LM: OnceLock<CharLm> = OnceLock::new();
        LM.get_or_init(|| {
            CharLm::from_bytes(include_bytes!("../../dictionaries/char_lm.bin"))
                .expect("embedded char_lm.bin is valid")
        })
    }

    /// A model over `bytes` (a table written by `scripts/char_lm/pack_char_lm.py`).
    pub fn from_bytes(bytes: &'static [u8]) -> Result<CharLm, CharLmError> {
        if bytes.len() < HEADER || &bytes[..8] != MAGIC {
            return Err(CharLmError::Format("magic"));
        }
        let u32_at = |i: usize| u32::from_le_bytes(bytes[i..i + 4].try_into().unwrap());
        let order = u32_at(8) as usize;
        let slots = u32_at(12) as usize;
        let unk = -(u32_at(16) as f32) / SCALE;
        let grams = u32_at(20) as usize;
        let end = HEADER + 4 * slots;
        if !slots.is_power_of_two() || bytes.len() < end + 8 || !(1..=8).contains(&order) {
            return Err(CharLmError::Format("size"));
        }
        let log2m = u32_at(end);
        let k = u32_at(end + 4);
        if !(3..=40).contains(&log2m) || !(1..=16).contains(&k) {
            return Err(CharLmError::Format("pair filter"));
        }
        let m = 1u64 << log2m;
        if bytes.len() as u64 != (end + 8) as u64 + m / 8 {
            return Err(CharLmError::Format("size"));
        }
        let book = |at: usize| -> [f32; 256] {
            std::array::from_fn(|i| {
                let i = at + 4 * i;
                -f32::from_le_bytes(bytes[i..i + 4].try_into().unwrap())
            })
        };
        Ok(CharLm {
            order,
            mask: slots - 1,
            unk,
            grams,
            logp_book: book(24),
            bow_book: book(24 + 256 * 4),
            table: &bytes[HEADER..end],
            pairs: &bytes[end + 8..],
            pair_mask: m - 1,
            pair_k: k,
        })
    }

    /// The model's order (longest n-gram).
    pub fn order(&self) -> usize {
        self.order
    }

    /// Number of n-grams stored.
    pub fn len(&self) -> usize {
        self.grams
    }

    /// True when the table holds no n-gram.
    pub fn is_empty(&self) -> bool {
        self.grams == 0
    }

    /// Table slot `i`.
    #[inline]
    fn slot_at(&self, i: usize) -> u32 {
        let at = i * 4;
        u32::from_le_bytes(self.table[at..at + 4].try_into().unwrap())
    }

    /// The first table slot of hash `h` (read ahead of the probe chain).
    #[inline]
    fn slot(&self, h: u64) -> u32 {
        self.slot_at((h as usize) & self.mask)
    }

    /// (log10 P, log10 backoff) of the n-gram of hash `h`, when stored,
    /// `first` being its first slot ([`CharLm::slot`]).
    #[inline]
    fn find_hashed(&self, h: u64, first: u32) -> Option<(f32, f32)> {
        let fp = ((h >> 48) as u32).max(1);
        let mut i = (h as usize) & self.mask;
        let mut e = first;
        loop {
            if e == 0 {
                return None;
            }
            if e >> 16 == fp {
                let lp = self.logp_book[((e >> 8) & 0xff) as usize];
                let bow = self.bow_book[(e & 0xff) as usize];
                return Some((lp, bow));
            }
            i = (i + 1) & self.mask;
            e = self.slot_at(i);
        }
    }

    /// (log10 P, log10 backoff) of `gram`, when stored.
    #[inline]
    fn find(&self, gram: &[char]) -> Option<(f32, f32)> {
        let h = fnv(gram);
        self.find_hashed(h, self.slot(h))
    }

    /// True when the model saw symbol `a` followed by `b` (a Bloom filter:
    /// about 1% false positives, no false negatives).
    #[inline]
    pub fn has_pair(&self, a: char, b: char) -> bool {
        let h = fnv(&[a, b]);
        let h1 = h & self.pair_mask;
        let h2 = (h >> 32) | 1;
        (0..self.pair_k as u64).all(|i| {
            let bit = h1.wrapping_add(i.wrapping_mul(h2)) & self.pair_mask;
            self.pairs[(bit >> 3) as usize] & (1 << (bit & 7)) != 0
        })
    }

    /// True when `gram` (symbols) is one of the model's n-grams.
    pub fn has(&self, gram: &[char]) -> bool {
        self.find(gram).is_some()
    }

    /// log10 P(`w` | `ctx`), `ctx` being the symbols before `w` (only the
    /// last `order - 1` are read; start a segment's context with [`BOS`]).
    pub fn logp(&self, ctx: &[char], w: char) -> f32 {
        let n = ctx.len().min(self.order - 1);
        let mut gram = [BOS; 8];
        gram[..n].copy_from_slice(&ctx[ctx.len() - n..]);
        gram[n] = w;
        // no n-gram ends with a pair the model never saw: only the back-off
        // weights of the contexts and the unigram are left to read
        let seen = n == 0 || self.has_pair(gram[n - 1], w);
        // the first slot of every n-gram the back-off may read, loaded
        // before any is needed: independent loads from a table far larger
        // than the caches are served together, not one miss after another
        let mut full = [(0u64, 0u32); 8];
        let mut ctxs = [(0u64, 0u32); 8];
        for k in 0..=n {
            if seen || k == n {
                let h = fnv(&gram[k..=n]);
                full[k] = (h, self.slot(h));
            }
            if k < n {
                let h = fnv(&gram[k..n]);
                ctxs[k] = (h, self.slot(h));
            }
        }
        let mut back = 0.0;
        for k in 0..=n {
            // gram[k..=n]: the longest remaining history first
            if seen || k == n {
                if let Some((lp, _)) = self.find_hashed(full[k].0, full[k].1) {
                    return back + lp;
                }
            }
            if k < n {
                if let Some((_, bow)) = self.find_hashed(ctxs[k].0, ctxs[k].1) {
                    back += bow;
                }
            }
        }
        back + self.unk
    }

    /// log10 P of `syms[from..to]`, each given the symbols before it in
    /// `syms` (which should start with [`BOS`] and may end with [`EOS`]).
    pub fn score_range(&self, syms: &[char], from: usize, to: usize) -> f32 {
        (from.max(1)..to.min(syms.len()))
            .map(|i| self.logp(&syms[..i], syms[i]))
            .sum()
    }

    /// log10 P of a whole segment of text (mapped, between BOS and EOS).
    pub fn score_text(&self, text: &str) -> f32 {
        let syms = segment_symbols(text);
        self.score_range(&syms, 1, syms.len())
    }

    /// log10 gain of reading `a` and `b` as one segment rather than as a
    /// segment ending after `a` and a new one starting with `b`:
    /// log10 P(a b) − log10 P(a, EOS) − log10 P(BOS, b). The layout rules
    /// ask it across a paragraph cut (S501) and a space (W302). −∞ for an
    /// empty model.
    pub fn join_gain(&self, a: &str, b: &str) -> f64 {
        if self.is_empty() {
            return f64::NEG_INFINITY;
        }
        let joined = format!("{a}{b}");
        f64::from(self.score_text(&joined) - self.score_text(a) - self.score_text(b))
    }
}

/// `text` as model symbols between [`BOS`] and [`EOS`].
pub fn segment_symbols(text: &str) -> Vec<char> {
    let mut v = Vec::with_capacity(text.len() / 2 + 2);
    v.push(BOS);
    v.extend(text.chars().map(symbol));
    v.push(EOS);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_embedded_table_reads() {
        let lm = CharLm::embedded();
        assert!(lm.order() >= 3);
        assert!(lm.len() > 100_000);
    }

    #[test]
    fn common_text_beats_its_scramble() {
        let lm = CharLm::embedded();
        let good = lm.score_text("我们今天在这里开会，讨论明年的工作计划。");
        let bad = lm.score_text("我们今天在这里开会，讨论明年的工作汁划。");
        let scrambled = lm.score_text("会开里这在天今们我，论讨年明的作工划计。");
        assert!(good > bad + 1.0, "{good} {bad}");
        assert!(good > scrambled + 10.0, "{good} {scrambled}");
    }

    #[test]
    fn a_mark_in_its_place_is_likely() {
        let lm = CharLm::embedded();
        let with = lm.score_text("他说，明天再来。");
        let without = lm.score_text("他说明天再来");
        assert!(with > without - 3.0, "{with} {without}");
        // full-width comma in Chinese text beats the ASCII one
        assert!(lm.score_text("他说，明天再来。") > lm.score_text("他说,明天再来。"));
    }

    #[test]
    fn latin_and_digits_are_classes() {
        assert_eq!(symbol('Q'), 'a');
        assert_eq!(symbol('7'), '0');
        assert_eq!(symbol('中'), '中');
        let lm = CharLm::embedded();
        assert_eq!(lm.score_text("2019年"), lm.score_text("1998年"));
    }

    #[test]
    fn the_pair_filter_agrees_with_the_table() {
        let lm = CharLm::embedded();
        let text: Vec<char> = "我们今天在这里开会，讨论明年的工作计划。".chars().collect();
        for w in text.windows(2) {
            assert_eq!(lm.has_pair(w[0], w[1]), lm.has(w), "{w:?}");
        }
        assert!(!lm.has_pair('们', '鬲'));
    }

    #[test]
    fn bad_bytes_are_refused() {
        assert!(CharLm::from_bytes(b"nope").is_err());
        assert!(CharLm::from_bytes(b"ZHCLM2\0\0\x04\0\0\0\x03\0\0\0\0\0\0\0\0\0\0\0").is_err());
        // the earlier eight-byte format is refused by its magic
        assert!(CharLm::from_bytes(b"ZHCLM1\0\0\x04\0\0\0\x04\0\0\0\0\0\0\0\0\0\0\0").is_err());
    }
}
