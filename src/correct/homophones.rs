//! Whole-word homophones for `--profile typing`: a pinyin IME offers every
//! word of the typed syllables, and a wrong pick puts a whole word of the
//! same toneless pinyin in place of the meant one (`仁和` for `任何`,
//! `事件` for `时间`). The decoder's positions change one char at a time,
//! so such a word, whose chars each make sense with the observed
//! neighbour, is seldom reached by combining them; this source offers the
//! lexicon's words of the same syllables as one reading of the window.
//!
//! Candidates: every word of the embedded lexicon with 2–4 Han chars and a
//! frequency of at least [`WORD_FREQ_MIN`], indexed by the toneless
//! syllables of its chars (each reading of a polyphonic char; at most
//! [`KEYS_MAX`] keys per word). The index is built on first use, so the OCR
//! profile never pays for it.
//!
//! Score: a reading's gain is the character model's log10 over the
//! positions whose history it changes, plus the word evidence of the
//! decoder ([`super::decoder::Decoder::with_words`]), plus the cost of one
//! wrong pick ([`WORD_PICK_LOG10`], whatever the number of chars). The
//! margin is over the best other reading of the same window, keeping the
//! text included.

use super::char_lm::{symbol, CharLm, BOS, EOS};
use super::decoder::{han_runs_log10, CharEdit, Decision, DecisionKind, Op, WORD_REACH};
use super::pinyin::PinyinIndex;
use crate::lexicon::Lexicon;
use crate::rules::han::is_han;
use std::sync::OnceLock;

/// Words shorter or longer than this are not offered.
pub const WORD_CHARS: std::ops::RangeInclusive<usize> = 2..=4;
/// Lexicon frequency below which a word is not offered (the lexicon's
/// rarest entries are names and terms an IME ranks last).
pub const WORD_FREQ_MIN: u64 = 20;
/// Syllable keys per word or window (polyphonic chars multiply them).
pub const KEYS_MAX: usize = 8;
/// log10 P(typed word | meant word) for a wrong pick among the IME's words
/// of the same syllables: one event (the flat cost a char of the same
/// syllable had before it followed the char's frequency,
/// [`super::candidates::SAME_SYLLABLE_LOG10`]).
pub const WORD_PICK_LOG10: f32 = -2.0;
/// Candidate words scored per window, most frequent first.
pub const WORDS_PER_WINDOW: usize = 16;

/// Tier thresholds (gain, margin) of a word pick, log10.
#[derive(Debug, Clone, Copy)]
pub struct Thresholds {
    /// Review (applied on request): it also replaces the decoder's
    /// decisions it overlaps when its gain is above theirs.
    pub review: (f32, f32),
    /// Shown only; a suggestion never replaces another decision.
    pub suggest: (f32, f32),
}

/// The calibrated thresholds, set on `eval/typing/tune.tsv` only
/// (BENCHMARKS.md, issue 14 session 11).
pub const THRESHOLDS: Thresholds = Thresholds {
    review: (5.0, 1.0),
    suggest: (3.0, 0.5),
};

/// [`THRESHOLDS`], or for calibration only
/// `ZHCLEAN_HOMOPHONE=review_gain,review_margin,suggest_gain,suggest_margin`.
pub fn thresholds() -> Thresholds {
    if let Ok(v) = std::env::var("ZHCLEAN_HOMOPHONE") {
        let f: Vec<f32> = v.split(',').filter_map(|x| x.parse().ok()).collect();
        if f.len() == 4 {
            return Thresholds {
                review: (f[0], f[1]),
                suggest: (f[2], f[3]),
            };
        }
    }
    THRESHOLDS
}

/// Words by the toneless syllables of their chars: `(key, word)` sorted by
/// key, then by frequency (most frequent first); a key packs the
/// syllable ids of the chars, 16 bits each.
#[derive(Debug, Default)]
pub struct HomophoneIndex {
    entries: Vec<(u64, u32, u16)>,
    /// The words' text, one after another (`entries` hold offset and length).
    arena: String,
}

impl HomophoneIndex {
    /// The index over the embedded lexicon and pinyin (built once, on first
    /// use: about 350,000 lexicon entries read, some 40 ms).
    pub fn embedded() -> &'static HomophoneIndex {
        static IX: OnceLock<HomophoneIndex> = OnceLock::new();
        IX.get_or_init(|| HomophoneIndex::build(Lexicon::embedded(), PinyinIndex::embedded()))
    }

    /// The index over `lex`'s words and `py`'s readings.
    pub fn build(lex: &Lexicon, py: &PinyinIndex) -> HomophoneIndex {
        let mut tmp: Vec<(u64, u64, u32, u16)> = Vec::new();
        let mut arena = String::new();
        let mut ks = Vec::new();
        lex.for_each(|w, e| {
            if e.freq < WORD_FREQ_MIN {
                return;
            }
            let n = w.chars().count();
            if !WORD_CHARS.contains(&n) || !w.chars().all(is_han) {
                return;
            }
            keys(py, w.chars(), &mut ks);
            if ks.is_empty() {
                return;
            }
            let at = arena.len() as u32;
            arena.push_str(w);
            for &k in &ks {
                tmp.push((k, e.freq, at, w.len() as u16));
            }
        });
        tmp.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        let entries = tmp
            .into_iter()
            .map(|(k, _, at, len)| (k, at, len))
            .collect();
        HomophoneIndex { entries, arena }
    }

    /// Words read like `chars` (any reading of each), most frequent first
    /// for each reading, `chars` itself left out.
    pub fn homophones(&self, py: &PinyinIndex, chars: &[char]) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        let mut ks = Vec::new();
        keys(py, chars.iter().copied(), &mut ks);
        for k in ks {
            let from = self.entries.partition_point(|e| e.0 < k);
            for &(_, at, len) in self.entries[from..].iter().take_while(|e| e.0 == k) {
                let w = &self.arena[at as usize..at as usize + len as usize];
                if !out.contains(&w) && !w.chars().eq(chars.iter().copied()) {
                    out.push(w);
                }
            }
        }
        out
    }
}

/// The syllable keys of `chars` into `out`: every combination of their
/// readings, at most [`KEYS_MAX`] (the most common readings first); none
/// when a char has no reading.
fn keys(py: &PinyinIndex, chars: impl Iterator<Item = char>, out: &mut Vec<u64>) {
    out.clear();
    out.push(0);
    let mut next = Vec::new();
    for c in chars {
        let ids = py.syllable_ids(c);
        if ids.is_empty() {
            out.clear();
            return;
        }
        next.clear();
        'all: for &a in out.iter() {
            for &id in ids {
                if next.len() >= KEYS_MAX {
                    break 'all;
                }
                next.push(a << 16 | (id as u64 + 1));
            }
        }
        std::mem::swap(out, &mut next);
    }
}

/// Whole-word homophone decisions over one segment `seg` (the line's
/// chars with their byte offsets, no whitespace, one sentence): the best
/// reading of each window of 2–4 Han chars whose gain is positive, then
/// the best non-overlapping ones, highest gain first.
pub fn decisions(
    lm: &CharLm,
    words: Option<(&Lexicon, f32)>,
    line: &str,
    seg: &[(usize, char)],
) -> Vec<Decision> {
    let py = PinyinIndex::embedded();
    let ix = HomophoneIndex::embedded();
    let order = lm.order();
    let mut syms = Vec::with_capacity(seg.len() + 2);
    syms.push(BOS);
    syms.extend(seg.iter().map(|&(_, c)| symbol(c)));
    syms.push(EOS);
    let n = syms.len();
    let mut found: Vec<Decision> = Vec::new();
    let mut buf: Vec<char> = Vec::with_capacity(32);
    for len in WORD_CHARS {
        for s in 0..seg.len().saturating_sub(len - 1) {
            let chars: Vec<char> = seg[s..s + len].iter().map(|&(_, c)| c).collect();
            if !chars.iter().all(|&c| is_han(c)) {
                continue;
            }
            let cands = ix.homophones(py, &chars);
            if cands.is_empty() {
                continue;
            }
            let j = s + 1; // index of the window's first char in `syms`
            let lo = j.saturating_sub(order - 1);
            let hi = (j + len + order - 1).min(n);
            let base = lm.score_range(&syms[lo..hi], j - lo, hi - lo);
            // word evidence window, in indices of `seg`
            let ws = s.saturating_sub(WORD_REACH);
            let we = (s + len + WORD_REACH).min(seg.len());
            let text_of = |w: Option<&str>| -> String {
                let mut t = String::new();
                for (i, &(_, c)) in seg.iter().enumerate().take(we).skip(ws) {
                    if i == s {
                        if let Some(w) = w {
                            t.push_str(w);
                        }
                    }
                    if w.is_none() || i < s || i >= s + len {
                        t.push(c);
                    }
                }
                t
            };
            let w0 = words.map(|(lex, _)| han_runs_log10(lex, &text_of(None)));
            // (gain, lm gain, word gain, word)
            let mut scored: Vec<(f32, f32, f32, &str)> = Vec::new();
            for w in cands.into_iter().take(WORDS_PER_WINDOW) {
                buf.clear();
                buf.extend_from_slice(&syms[lo..j]);
                let from = buf.len();
                buf.extend(w.chars().map(symbol));
                buf.extend_from_slice(&syms[j + len..hi]);
                let lm_gain = lm.score_range(&buf, from, buf.len()) - base;
                let word_gain = match (words, w0) {
                    (Some((lex, weight)), Some(w0)) => {
                        weight * (han_runs_log10(lex, &text_of(Some(w))) - w0)
                    }
                    _ => 0.0,
                };
                scored.push((lm_gain + word_gain + WORD_PICK_LOG10, lm_gain, word_gain, w));
            }
            scored.sort_by(|a, b| b.0.total_cmp(&a.0));
            let Some(&(gain, lm_gain, word_gain, best)) = scored.first() else {
                continue;
            };
            if gain <= 0.0 {
                continue;
            }
            let runner_up = scored.get(1).map_or(0.0, |r| r.0.max(0.0));
            let plain = |r: &(f32, f32, f32, &str)| r.0 - r.2;
            let plain_best = plain(&scored[0]);
            let plain_runner = scored.get(1).map_or(0.0, |r| plain(r).max(0.0));
            let mut edits = Vec::new();
            for (k, (c, x)) in chars.iter().zip(best.chars()).enumerate() {
                if *c != x {
                    let (b, c) = seg[s + k];
                    edits.push(CharEdit {
                        start: b,
                        end: b + c.len_utf8(),
                        op: Op::Sub(x),
                        channel: if edits.is_empty() {
                            WORD_PICK_LOG10
                        } else {
                            0.0
                        },
                        seen: 0,
                    });
                }
            }
            let (a, z) = (seg[s].0, seg[s + len - 1].0 + seg[s + len - 1].1.len_utf8());
            found.push(Decision {
                edits,
                gain,
                lm_gain,
                word_gain,
                margin: gain - runner_up,
                without_words: (plain_best, plain_best - plain_runner),
                alternatives: scored
                    .iter()
                    .skip(1)
                    .take(4)
                    .map(|r| (r.3.to_string(), r.0))
                    .collect(),
                window: (line[a..z].to_string(), best.to_string()),
                kind: DecisionKind::Homophone,
            });
        }
    }
    // the best non-overlapping windows
    found.sort_by(|a, b| b.gain.total_cmp(&a.gain));
    let mut out: Vec<Decision> = Vec::new();
    for d in found {
        let (a, z) = span(&d);
        if out.iter().all(|o| {
            let (b, y) = span(o);
            z <= b || y <= a
        }) {
            out.push(d);
        }
    }
    out
}

/// Byte range of a decision's edits.
pub fn span(d: &Decision) -> (usize, usize) {
    let a = d.edits.iter().map(|e| e.start).min().unwrap_or(0);
    let z = d.edits.iter().map(|e| e.end).max().unwrap_or(a);
    (a, z)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_syllables_give_the_lexicon_words() {
        let py = PinyinIndex::embedded();
        let ix = HomophoneIndex::embedded();
        let hs = ix.homophones(py, &['仁', '和']);
        assert!(hs.contains(&"任何"), "{hs:?}");
        assert!(!hs.contains(&"仁和"));
        let hs = ix.homophones(py, &['事', '件']);
        assert!(hs.contains(&"时间"), "{hs:?}");
    }

    /// The word-pick decisions of one line, with the embedded model and lexicon.
    fn decide(line: &str) -> Vec<Decision> {
        let seg: Vec<(usize, char)> = line.char_indices().collect();
        decisions(
            CharLm::embedded(),
            Some((Lexicon::embedded(), 1.0)),
            line,
            &seg,
        )
    }

    #[test]
    fn a_wrong_pick_in_context_is_read_as_the_meant_word() {
        let ds = decide("您可以在仁和时候关闭这个窗口。");
        let d = ds
            .iter()
            .find(|d| d.window.0 == "仁和")
            .unwrap_or_else(|| panic!("{ds:?}"));
        assert_eq!(d.window.1, "任何");
        assert!(d.gain > 3.0, "{d:?}");
    }

    #[test]
    fn a_meant_word_is_left_alone() {
        let ds = decide("您可以在任何时候关闭这个窗口。");
        assert!(ds.iter().all(|d| d.gain < 3.0), "{ds:?}");
    }
}
