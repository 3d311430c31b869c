//! Punctuation in context: the candidate source and scorer for Chinese
//! marks that OCR misread, added or dropped.
//!
//! The word model (`lm`) has the Chinese marks as words, so the sentence
//! around a mark can be scored with each reading of it: the mark as it is,
//! another Chinese mark ([`CN_MARKS`]), no mark (an extra one OCR added),
//! and, between two Han chars, a dropped mark put back. The channel
//! (`channel_ocr.tsv`) gives log P(observed | intended) for each reading:
//! learned substitutions of marks (`；` read for `，`), insertions (a mark
//! that was not printed) and deletions (a printed mark OCR lost). A reading
//! scores `LM(window with it) + channel`; the mark as it is scores
//! `LM(window)` (P(no error) taken as 1).
//!
//! Cost: one model path per reading over at most [`CONTEXT`] chars each
//! side; marks are a few percent of the chars of a text, and insertion
//! points are tested first with three bigram lookups ([`insertion_hint`]).

use super::confusion::Channel;
use super::lm::WordLm;
use crate::rules::ocr_punct::is_han;

/// The Chinese marks a reading may take, and that are read in context.
pub const CN_MARKS: [char; 5] = ['，', '。', '、', '；', '：'];
/// Marks that may be put back where OCR dropped them (between Han chars).
pub const INSERTABLE: [char; 2] = ['，', '、'];
/// Chars of context on each side (Han chars and Chinese marks).
pub const CONTEXT: usize = 6;
/// log10 P(observed | intended) for a substitution of marks the channel
/// never saw.
pub const UNSEEN_SUB_LOG10: f64 = -4.0;
/// log10 P of an inserted mark the channel never saw.
pub const UNSEEN_INS_LOG10: f64 = -4.5;
/// log10 P of a dropped mark the channel never saw.
pub const UNSEEN_DEL_LOG10: f64 = -3.5;
/// Minimum bigram estimate of the gain of an insertion (log10) before the
/// window is scored (see [`insertion_hint`]).
pub const INSERT_HINT_MIN: f64 = 1.0;

/// What a reading does to the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkEdit {
    /// Replace the mark by another one.
    Replace,
    /// Delete the mark (OCR added it).
    Delete,
    /// Insert a mark (OCR dropped it).
    Insert,
}

/// One reading of a place, scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    /// The text put at the place (empty for a deletion).
    pub text: String,
    /// log10 probability of the window with this reading.
    pub lm: f64,
    /// log10 P(observed | this reading) (0 for the text as it is).
    pub channel: f64,
    /// Times the channel saw this error (0 = unseen, or the text as it is).
    pub count: u32,
}

impl Reading {
    /// `lm + channel`.
    pub fn score(&self) -> f64 {
        self.lm + self.channel
    }
}

/// The scored readings of one place in the text, best first; one of them
/// is the text as it is.
#[derive(Debug, Clone)]
pub struct Place {
    /// Byte range of the observed mark (empty for an insertion point).
    pub start: usize,
    /// End byte.
    pub end: usize,
    /// What the best reading does, when it is not the text as it is.
    pub edit: MarkEdit,
    /// Readings, best first.
    pub readings: Vec<Reading>,
    /// Index of the text as it is in `readings`.
    pub keep: usize,
    /// The window around the place, as observed.
    pub window: String,
}

impl Place {
    /// log10 gain of the best reading over the text as it is.
    pub fn gain(&self) -> f64 {
        self.readings[0].score() - self.readings[self.keep].score()
    }

    /// log10 margin of the best reading over the runner-up.
    pub fn margin(&self) -> f64 {
        match self.readings.get(1) {
            Some(r) => self.readings[0].score() - r.score(),
            None => f64::INFINITY,
        }
    }

    /// True when the best reading changes the text.
    pub fn changes(&self) -> bool {
        self.keep != 0
    }
}

/// True for a char the context windows take: Han chars and Chinese marks.
fn in_window(c: char) -> bool {
    is_han(c) || CN_MARKS.contains(&c) || "！？“”‘’《》（）".contains(c)
}

/// The scorer of marks in context.
pub struct MarkScorer<'a> {
    lm: &'a WordLm,
    channel: &'a Channel,
}

impl<'a> MarkScorer<'a> {
    /// A scorer over `lm` and `channel`.
    pub fn new(lm: &'a WordLm, channel: &'a Channel) -> MarkScorer<'a> {
        MarkScorer { lm, channel }
    }

    /// log10 P(observed mark | intended mark).
    fn sub_logp(&self, intended: char, observed: char) -> (f64, u32) {
        match self.channel.sub(intended, observed) {
            Some((n, lp)) => (lp as f64, n),
            None => (UNSEEN_SUB_LOG10, 0),
        }
    }

    /// Score the readings of the place `chars[at]` (a mark of
    /// [`CN_MARKS`]) or, with `insert`, of the gap before `chars[at]`.
    /// `chars` are (byte offset, char) of the text; `text_len` its length.
    /// None when the place has no context on both sides.
    pub fn place(
        &self,
        chars: &[(usize, char)],
        at: usize,
        insert: bool,
        text_len: usize,
    ) -> Option<Place> {
        let left_end = at;
        let right_start = if insert { at } else { at + 1 };
        let mut ls = left_end;
        while ls > 0 && left_end - ls < CONTEXT && in_window(chars[ls - 1].1) {
            ls -= 1;
        }
        let mut re = right_start;
        while re < chars.len() && re - right_start < CONTEXT && in_window(chars[re].1) {
            re += 1;
        }
        // a Han char on each side, next to the place
        if ls == left_end
            || re == right_start
            || !is_han(chars[left_end - 1].1)
            || !is_han(chars[right_start].1)
        {
            return None;
        }
        let left: Vec<char> = chars[ls..left_end].iter().map(|c| c.1).collect();
        let right: Vec<char> = chars[right_start..re].iter().map(|c| c.1).collect();
        let mut buf: Vec<char> = Vec::with_capacity(left.len() + right.len() + 1);
        let mut score = |mid: Option<char>| {
            buf.clear();
            buf.extend_from_slice(&left);
            buf.extend(mid);
            buf.extend_from_slice(&right);
            self.lm.path_score(&buf)
        };
        let mut readings = Vec::with_capacity(CN_MARKS.len() + 1);
        let (start, end);
        if insert {
            start = chars[at].0;
            end = start;
            readings.push(Reading {
                text: String::new(),
                lm: score(None),
                channel: 0.0,
                count: 0,
            });
            for m in INSERTABLE {
                let (ch, n) = match self.channel.deletion(m) {
                    Some((n, lp)) => (lp as f64, n),
                    None => (UNSEEN_DEL_LOG10, 0),
                };
                readings.push(Reading {
                    text: m.to_string(),
                    lm: score(Some(m)),
                    channel: ch,
                    count: n,
                });
            }
        } else {
            let observed = chars[at].1;
            start = chars[at].0;
            end = chars.get(at + 1).map_or(text_len, |c| c.0);
            readings.push(Reading {
                text: observed.to_string(),
                lm: score(Some(observed)),
                channel: 0.0,
                count: 0,
            });
            for m in CN_MARKS {
                if m == observed {
                    continue;
                }
                // only misreadings the channel has seen: an unseen one
                // would need a gain no sentence gives (and costs a path)
                let (ch, n) = self.sub_logp(m, observed);
                if n == 0 {
                    continue;
                }
                readings.push(Reading {
                    text: m.to_string(),
                    lm: score(Some(m)),
                    channel: ch,
                    count: n,
                });
            }
            // no mark: only where a model word spans the gap (the model
            // prefers any Han pair to a mark between them, so a deletion
            // must rejoin a word that the mark splits)
            if self.word_spans(&left, &right) && self.splits_word(&left, &right) {
                let (ch, n) = match self.channel.insertion(observed) {
                    Some((n, lp)) => (lp as f64, n),
                    None => (UNSEEN_INS_LOG10, 0),
                };
                readings.push(Reading {
                    text: String::new(),
                    lm: score(None),
                    channel: ch,
                    count: n,
                });
            }
        }
        // the text as it is first among equals
        readings.sort_by(|a, b| b.score().total_cmp(&a.score()));
        let observed_text: String = if insert {
            String::new()
        } else {
            chars[at].1.to_string()
        };
        let keep = readings
            .iter()
            .position(|r| r.text == observed_text)
            .expect("the text as it is is a reading");
        let keep = if keep > 0 && readings[0].score() <= readings[keep].score() {
            readings.swap(0, keep);
            0
        } else {
            keep
        };
        let edit = if readings[0].text.is_empty() {
            MarkEdit::Delete
        } else if insert {
            MarkEdit::Insert
        } else {
            MarkEdit::Replace
        };
        let window: String = chars[ls..re].iter().map(|c| c.1).collect();
        Some(Place {
            start,
            end,
            edit,
            readings,
            keep,
            window,
        })
    }

    /// True when a model word of two to four chars is made of the last
    /// chars of `left` and the first chars of `right` (both non-empty).
    pub fn word_spans(&self, left: &[char], right: &[char]) -> bool {
        let mut w = String::with_capacity(12);
        for a in 1..=left.len().min(3) {
            for b in 1..=right.len().min(4 - a) {
                let l = &left[left.len() - a..];
                let r = &right[..b];
                if !l.iter().chain(r).all(|&c| is_han(c)) {
                    continue;
                }
                w.clear();
                w.extend(l);
                w.extend(r);
                if self.lm.unigram(&w).is_some() {
                    return true;
                }
            }
        }
        false
    }

    /// True when the char left of the gap and the char right of it are
    /// one-char tokens of their side's best model path: a mark inside a
    /// word leaves stray chars (`文，件`), a mark between words leaves a
    /// whole word on a side (`香港、澳门`, though `港澳` is a word;
    /// `矩形框，框中`, though `框框` is one).
    pub fn splits_word(&self, left: &[char], right: &[char]) -> bool {
        let l: String = left.iter().collect();
        let r: String = right.iter().collect();
        let (_, lp) = self.lm.best_path(&l, None);
        let (_, rp) = self.lm.best_path(&r, None);
        let one = |t: Option<&super::lm::PathToken>| t.is_some_and(|t| t.end - t.start <= 3);
        one(lp.last()) && one(rp.first())
    }

    /// A cheap estimate (three bigram lookups) of the log10 gain of putting
    /// `，` between the words `w1` and `w2`: `P(，|w1) P(w2|，) / P(w2|w1)`.
    pub fn insertion_hint(&self, w1: &str, w2: &str) -> f64 {
        let lm = self.lm;
        lm.cond(Some(w1), "，") + lm.cond(Some("，"), w2) - lm.cond(Some(w1), w2)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<(usize, char)> {
        s.char_indices().collect()
    }

    fn scorer() -> MarkScorer<'static> {
        MarkScorer::new(WordLm::embedded(), Channel::embedded())
    }

    #[test]
    fn extra_mark_inside_a_word_is_deleted() {
        let s = "您需要重命名文，件的正确权限";
        let c = chars(s);
        let at = c.iter().position(|x| x.1 == '，').unwrap();
        let p = scorer().place(&c, at, false, s.len()).unwrap();
        assert!(p.changes(), "{p:?}");
        assert_eq!(p.edit, MarkEdit::Delete);
        assert!(p.gain() > 1.0, "{p:?}");
    }

    #[test]
    fn a_right_mark_is_kept() {
        let s = "他说，我们明天再去北京。";
        let c = chars(s);
        let at = c.iter().position(|x| x.1 == '，').unwrap();
        let p = scorer().place(&c, at, false, s.len()).unwrap();
        assert!(!p.changes(), "{p:?}");
        assert_eq!(p.readings[0].text, "，");
    }

    #[test]
    fn a_mark_between_words_is_never_deleted() {
        // the model prefers `香港澳门` to `香港、澳门`, but no word spans the gap
        let s = "市场遍布香港、澳门、中国大陆";
        let c = chars(s);
        let at = c.iter().position(|x| x.1 == '、').unwrap();
        let p = scorer().place(&c, at, false, s.len()).unwrap();
        assert!(p.readings.iter().all(|r| !r.text.is_empty()), "{p:?}");
    }

    #[test]
    fn places_without_han_on_both_sides_are_skipped() {
        let s = "abc，def";
        let c = chars(s);
        assert!(scorer().place(&c, 3, false, s.len()).is_none());
        let s = "你好，";
        let c = chars(s);
        assert!(scorer().place(&c, 2, false, s.len()).is_none());
    }

    #[test]
    fn insertion_readings_include_the_gap_as_it_is() {
        let s = "我们明天去北京";
        let c = chars(s);
        let p = scorer().place(&c, 2, true, s.len()).unwrap();
        assert_eq!(p.start, p.end);
        assert!(p.readings.iter().any(|r| r.text.is_empty()));
        assert!(p.readings.iter().any(|r| r.text == "，"));
    }
}
