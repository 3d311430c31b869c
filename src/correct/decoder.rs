//! Sentence decoding with the character model: every char and every mark of
//! a line is scored by [`CharLm`]; where the model finds a char or a
//! transition improbable, the candidate sources propose what may have been
//! meant (a substituted char or mark, an extra one to delete, a dropped one
//! to insert), and the edits of nearby positions are chosen **jointly**: a
//! cluster of suspicious positions closer than the model's order is
//! decoded as one, over every combination of their best options, so that
//! two adjacent misreads, or a misread next to a dropped mark, are fixed
//! together.
//!
//! The choice is a noisy channel: `log10 P(text') + log10 P(observed |
//! text')`, against keeping the observed text (whose channel cost is ~0).
//! [`Decision::gain`] is that difference; [`Decision::margin`] is the gap to
//! the best other combination (keeping the text included). Tiers come from
//! both (see the `C706` rule).
//!
//! Candidates at a Han position: the profile's sources (look-alikes, the
//! learned channel, visual neighbours; pinyin when typing) and, for OCR,
//! the chars that fit both neighbours ([`CONTEXT_TOP`]).
//!
//! Cost: the model is asked about every position once (its own
//! probability); only positions next to a char pair the model never saw get
//! candidates ([`CharLm::has_pair`]).

use super::candidates::Sources;
use super::char_lm::{symbol, CharLm, BOS, EOS};
use super::char_pairs::CharPairs;
use super::homophones;
use super::lm::WordLm;
use super::model::Profile;
use super::pairing;
use super::shared_memo::SharedMemo;
use crate::lexicon::Lexicon;
use crate::rules::han::is_han;

/// Chars on each side of a cluster whose words the word evidence reads
/// ([`Decoder::with_words`]).
pub const WORD_REACH: usize = 6;

/// Options kept per position (besides keeping it), best local gain first.
pub const OPTIONS_PER_POSITION: usize = 3;
/// An option enters the joint decoding when its own local gain is above
/// this (log10); slightly negative, so that two errors that only make sense
/// together can still be chosen together.
pub const LOCAL_MIN: f32 = -1.0;
/// Entries of the memo of options (shared by all threads, bounded).
const OPTIONS_MEMO_MAX: usize = 1 << 16;

/// (sources, model, the window of symbols j-3..=j+3, unseen pair before j)
/// -> the options at j.
type OptionsKey = (u64, usize, [char; 7], bool);

/// Chars whose scored candidates the memo keeps (shared by all threads, bounded).
const SUBS_MEMO_MAX: usize = 1 << 14;

/// A char's candidates with their channel cost and count.
type Scored = std::sync::Arc<[(char, f32, u32)]>;

static SUBS_MEMO: std::sync::LazyLock<SharedMemo<(u64, char), Scored>> =
    std::sync::LazyLock::new(|| SharedMemo::new(SUBS_MEMO_MAX));
static OPTIONS_MEMO: std::sync::LazyLock<SharedMemo<OptionsKey, std::sync::Arc<[Opt]>>> =
    std::sync::LazyLock::new(|| SharedMemo::new(OPTIONS_MEMO_MAX));

/// Context candidates per Han position (OCR profile): the chars the
/// model's training text puts between the two neighbours, best by their
/// two bigram probabilities ([`CharPairs::fitting`]). A misread whose
/// intended char looks nothing like it is found only this way; its channel
/// cost is the prior of an unrelated pair, so only strong evidence makes it
/// an edit.
pub const CONTEXT_TOP: usize = 8;
/// Han substitutions per position scored over the whole window, the best
/// by their first bound.
pub const FULL_TOP: usize = 6;
/// Most combinations of options scored for one cluster.
pub const COMBINATIONS_MAX: usize = 32;
/// Most suspicious positions decoded jointly (a longer run is split).
pub const CLUSTER_MAX: usize = 4;
/// log10 P(observed mark | intended mark) for two marks the channel never
/// saw confused (both in [`MARKS`]).
pub const MARK_SUB_PRIOR: f32 = -4.5;
/// Han chars the channel has seen dropped at least this often are offered
/// as insertions.
pub const HAN_DROP_MIN: u32 = 15;

/// The Chinese marks the decoder may put in place of another mark.
pub const MARKS: &[char] = &[
    '，', '、', '。', '：', '；', '“', '”', '！', '？', '（', '）', '「', '」', '《', '》',
];
/// The marks of [`MARKS`] that may start a segment (a line, or the text
/// after a space or a sentence end): the others end or close what comes
/// before them.
const OPENING_MARKS: &[char] = &['“', '（', '「', '《'];

/// The marks the decoder may insert where the channel dropped one: the
/// marks of the sentence's own structure. Brackets and title marks are a
/// house style (`「关闭」` in one manual, `关闭` in another), not evidence.
pub const INSERT_MARKS: &[char] = &['，', '、', '。', '：', '；', '“', '”', '！', '？'];

/// The full-width form of an ASCII mark that has one among [`MARKS`]
/// (`.` has none here: `。` for `.` is a reading, not a width).
fn width_form(c: char) -> Option<char> {
    Some(match c {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '!' => '！',
        '?' => '？',
        '(' => '（',
        ')' => '）',
        _ => return None,
    })
}

/// The marks the decoder may delete as added by the channel.
pub const DELETABLE: &[char] = &[
    '，', '、', '。', '：', '；', '！', '？', '“', '”', '‘', '’', '.', ',', ':', ';', '·', '-', '…',
];

/// True for the model's classes of Latin letters and digits: the model
/// knows little about their neighbourhood, so no char is added or removed
/// beside them.
fn is_class(c: char) -> bool {
    c == 'a' || c == '0'
}

/// What an edit does at a position.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    /// Replace the char by another.
    Sub(char),
    /// Delete the char (it was added by the channel).
    Del,
    /// Insert a char before this one (the channel dropped it).
    InsBefore(char),
}

/// One edit of a decision, in byte offsets of the line.
#[derive(Debug, Clone, PartialEq)]
pub struct CharEdit {
    /// Byte range replaced (empty for an insertion).
    pub start: usize,
    /// End byte.
    pub end: usize,
    /// What it does.
    pub op: Op,
    /// log10 P(observed | intended) of the edit.
    pub channel: f32,
    /// Times the channel saw this pair (0 = a prior).
    pub seen: u32,
}

/// The decoder's choice for one cluster of suspicious positions.
#[derive(Debug, Clone)]
pub struct Decision {
    /// The edits, in text order.
    pub edits: Vec<CharEdit>,
    /// log10 of P(corrected)·P(observed | corrected) over P(observed)·P(observed | observed).
    pub gain: f32,
    /// The language model's part of [`Decision::gain`].
    pub lm_gain: f32,
    /// The word evidence's part of [`Decision::gain`] (weighted; 0 without
    /// [`Decoder::with_words`]).
    pub word_gain: f32,
    /// Gain over the best other combination (keeping the text included).
    pub margin: f32,
    /// [`Decision::gain`] and [`Decision::margin`] of the same edits with
    /// the word evidence left out (equal to them without
    /// [`Decoder::with_words`]).
    pub without_words: (f32, f32),
    /// Other combinations, best first: (corrected window, gain).
    pub alternatives: Vec<(String, f32)>,
    /// The observed window and the corrected one, for explanations.
    pub window: (String, String),
    /// Where the decision comes from.
    pub kind: DecisionKind,
}

/// The source of a [`Decision`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DecisionKind {
    /// A cluster of suspicious positions, decoded jointly.
    Cluster,
    /// A lone paired mark's partner put back ([`super::pairing`]).
    Pairing,
    /// A whole word of the same syllables (`--profile typing`,
    /// [`super::homophones`]).
    Homophone,
}

#[derive(Debug, Clone, Copy)]
struct Opt {
    op: Op,
    /// The full-width form of an ASCII mark: competes as a reading, but is
    /// width normalization (P201), never an edit of this rule.
    width: bool,
    channel: f32,
    seen: u32,
    local: f32,
}

/// The decoder over a model and the candidate sources of a profile.
pub struct Decoder<'a> {
    lm: &'a CharLm,
    src: Sources<'a>,
    words: Option<(&'a Lexicon, f32)>,
    /// Weight of the word bigram model's score in the word evidence (0: off).
    word_lm: f32,
}

fn is_mark(c: char) -> bool {
    MARKS.contains(&c)
}

impl<'a> Decoder<'a> {
    /// A decoder over `lm` and `src`.
    pub fn new(lm: &'a CharLm, src: Sources<'a>) -> Decoder<'a> {
        Decoder {
            lm,
            src,
            words: None,
            word_lm: 0.0,
        }
    }

    /// Word evidence besides the character model: each reading of a cluster
    /// also scores `weight` × the fewest lexicon tokens the Han runs around
    /// it ([`WORD_REACH`] chars each side) segment into
    /// ([`Lexicon::segmentation_tokens`], negated). A char model of a few
    /// chars sees a broken word only through its n-grams; the lexicon sees
    /// the whole word (`输如法` has no word where `输入法` has one), so a
    /// misread that forms plausible n-grams but no word still loses. Word
    /// frequencies are left out on purpose: they would prefer a common word
    /// to a rare right one (`动能` → `功能`).
    pub fn with_words(mut self, lexicon: &'a Lexicon, weight: f32) -> Decoder<'a> {
        self.words = (weight > 0.0).then_some((lexicon, weight));
        self
    }

    /// The word bigram model ([`WordLm`], the open-gram words) in the word
    /// evidence too: each reading also scores `weight` × the log10 of its
    /// Han runs' best segmentation under the model (same window as
    /// [`Decoder::with_words`], which must be on). Fewest tokens say a word
    /// is there; the bigrams say which word goes with its neighbours
    /// (`他再家里` and `他在家里` split into as many words; only `在家` goes
    /// with `他`), which is what tells a wrong IME pick from the meant one.
    pub fn with_word_lm(mut self, weight: f32) -> Decoder<'a> {
        self.word_lm = weight.max(0.0);
        self
    }

    /// The word evidence of a reading's window (Han substitutions applied).
    fn word_score(&self, lex: &Lexicon, weight: f32, text: &str) -> f32 {
        let mut w = weight * han_runs_log10(lex, text);
        if self.word_lm > 0.0 {
            w += self.word_lm * word_lm_runs_log10(text);
        }
        w
    }

    /// Decisions for `line` (one paragraph body), in text order. Whitespace
    /// and sentence ends ([`segment_ends`]) split the line into segments
    /// decoded apart: a decision never reads across a sentence end, so a
    /// line cut after one decodes as the whole line does.
    pub fn decode(&self, line: &str) -> Vec<Decision> {
        let mut out = Vec::new();
        let mut seg: Vec<(usize, char)> = Vec::new();
        let ends = segment_ends(line);
        let mut e = ends.iter().peekable();
        for (i, c) in line.char_indices() {
            if c.is_whitespace() {
                if !seg.is_empty() {
                    self.decode_segment(line, &seg, &mut out);
                    seg.clear();
                }
            } else {
                seg.push((i, c));
            }
            let next = i + c.len_utf8();
            while e.peek().is_some_and(|&&x| x < next) {
                e.next();
            }
            if e.peek() == Some(&&next) && !seg.is_empty() {
                self.decode_segment(line, &seg, &mut out);
                seg.clear();
            }
        }
        if !seg.is_empty() {
            self.decode_segment(line, &seg, &mut out);
        }
        if self.src.profile == Profile::Ocr {
            // a lone paired mark's partner, where no decision of the
            // positions touches the same chars
            let pairs = pairing::repairs(self.lm, self.src.channel, line);
            if !pairs.is_empty() {
                for d in pairs {
                    let e = &d.edits[0];
                    let clash = out.iter().flat_map(|o| &o.edits).any(|o| {
                        o.start < e.end.max(e.start + 1) && e.start < o.end.max(o.start + 1)
                    });
                    if !clash {
                        out.push(d);
                    }
                }
                out.sort_by_key(|d| d.edits[0].start);
            }
        }
        out
    }

    fn decode_segment(&self, line: &str, seg: &[(usize, char)], out: &mut Vec<Decision>) {
        if !seg.iter().any(|&(_, c)| is_han(c)) {
            return;
        }
        let first = out.len();
        self.decode_positions(line, seg, out);
        if self.src.profile == Profile::Typing {
            // a whole word of the same syllables replaces the decisions it
            // overlaps when it explains the window better than they do
            let t = homophones::thresholds();
            let at = |d: &Decision, (g, m): (f32, f32)| d.gain >= g && d.margin >= m;
            for h in homophones::decisions(self.lm, self.words, line, seg) {
                if !at(&h, t.suggest) {
                    continue;
                }
                let (a, z) = homophones::span(&h);
                let clash = |d: &Decision| {
                    let (b, y) = homophones::span(d);
                    b < z && a < y.max(b + 1)
                };
                let theirs: Vec<f32> = out[first..]
                    .iter()
                    .filter(|d| clash(d))
                    .map(|d| d.gain)
                    .collect();
                if theirs.is_empty() || (at(&h, t.review) && h.gain > theirs.iter().sum()) {
                    let mut k = first;
                    while k < out.len() {
                        if clash(&out[k]) {
                            out.remove(k);
                        } else {
                            k += 1;
                        }
                    }
                    out.push(h);
                }
            }
            out[first..].sort_by_key(|d| d.edits[0].start);
        }
    }

    fn decode_positions(&self, line: &str, seg: &[(usize, char)], out: &mut Vec<Decision>) {
        let lm = self.lm;
        let mut syms = Vec::with_capacity(seg.len() + 2);
        syms.push(BOS);
        syms.extend(seg.iter().map(|&(_, c)| symbol(c)));
        syms.push(EOS);
        let n = syms.len();
        let balanced = balanced_marks(&syms);
        // each position's own log10 P, computed when a window needs it
        let mut lp: Vec<f32> = vec![f32::NAN; n];
        lp[0] = 0.0;
        // options at every suspicious position j (1..n; n-1 is EOS: insertions only)
        let mut at: Vec<(usize, std::sync::Arc<[Opt]>)> = Vec::new();
        for j in 1..n {
            // suspicious: a pair of neighbours the model never saw together
            let unseen_before = !lm.has_pair(syms[j - 1], syms[j]);
            let unseen_after = j + 1 < n && !lm.has_pair(syms[j], syms[j + 1]);
            // typing slips are real chars of real words: their pairs are
            // usually seen, so every Han char is a position (the profile is
            // asked for, and the candidates are few: its pinyin)
            let every = self.src.profile == Profile::Typing && is_han(syms[j]);
            if !unseen_before && !unseen_after && !every {
                continue;
            }
            for k in j..(j + lm.order()).min(n) {
                if lp[k].is_nan() {
                    lp[k] = lm.logp(&syms[..k], syms[k]);
                }
            }
            if balanced[j] {
                // one of a pair of marks whose partner is there: structure, not noise
                continue;
            }
            // the options depend only on the symbols j-3..=j+3 (their
            // probabilities read no further back): repeated text pays once
            let window: [char; 7] = std::array::from_fn(|k| {
                let i = j as isize + k as isize - 3;
                if i < 0 || i as usize >= n {
                    '\0'
                } else {
                    syms[i as usize]
                }
            });
            let key = (
                self.src.key(),
                lm as *const CharLm as usize,
                window,
                unseen_before,
            );
            let opts = OPTIONS_MEMO
                .get_or_insert_with(key, || self.options(&syms, &lp, j, unseen_before).into());
            if !opts.is_empty() {
                at.push((j, opts));
            }
        }
        // clusters of positions closer than the model's order
        let reach = lm.order() - 1;
        let mut i = 0;
        while i < at.len() {
            let mut k = i + 1;
            while k < at.len() && k - i < CLUSTER_MAX && at[k].0 - at[k - 1].0 <= reach {
                k += 1;
            }
            if let Some(d) = self.decide(line, seg, &syms, &at[i..k]) {
                out.push(d);
            }
            i = k;
        }
    }

    /// The best options at position `j`, by their own local gain.
    fn options(&self, syms: &[char], lp: &[f32], j: usize, low_here: bool) -> Vec<Opt> {
        let n = syms.len();
        let c = syms[j];
        let mut raw: Vec<(Op, f32, u32)> = Vec::new();
        let ch = self.src.channel;
        if c != EOS {
            if is_han(c) {
                // the sources' candidates and their channel costs depend on
                // the char alone: computed once per char (for all threads)
                let scored = SUBS_MEMO.get_or_insert_with((self.src.key(), c), || {
                    let mut cands = Vec::with_capacity(64);
                    self.src.push_candidates(c, &mut cands);
                    cands.sort_unstable();
                    cands.dedup();
                    cands
                        .into_iter()
                        .filter(|&x| x != c && is_han(x))
                        .map(|x| {
                            let (chan, seen) = self.src.channel_logp(x, c, 0.0);
                            (x, chan as f32, seen)
                        })
                        .collect::<Vec<_>>()
                        .into()
                });
                let mut fit = Vec::new();
                if self.src.profile == Profile::Ocr {
                    CharPairs::embedded().fitting(syms[j - 1], syms[j + 1], CONTEXT_TOP, &mut fit);
                    fit.retain(|&(x, _)| x != c && is_han(x) && !scored.iter().any(|s| s.0 == x));
                }
                let context = fit.iter().map(|&(x, _)| {
                    let (chan, seen) = self.src.channel_logp(x, c, 0.0);
                    (x, chan as f32, seen)
                });
                for (x, chan, seen) in scored.iter().copied().chain(context) {
                    // a char that forms no n-gram of the model with either
                    // neighbour cannot read better than the observed one
                    if !self.lm.has_pair(syms[j - 1], x) && !self.lm.has_pair(x, syms[j + 1]) {
                        continue;
                    }
                    raw.push((Op::Sub(x), chan, seen));
                }
            } else if (is_mark(c) || c.is_ascii_punctuation() || c == '·')
                && !matches!(c, '《' | '》')
                && (is_han(syms[j - 1]) || is_han(syms[j + 1]))
            {
                for &m in MARKS {
                    if m == c {
                        continue;
                    }
                    // nothing precedes the first char of a segment for a
                    // mark that ends or closes something to follow (`*`
                    // starting a paragraph is no dropped `。`)
                    if j == 1 && !OPENING_MARKS.contains(&m) {
                        continue;
                    }
                    // an ASCII mark's own full-width form is a reading as
                    // likely as the mark itself (P201 writes it)
                    if width_form(c) == Some(m) {
                        raw.push((Op::Sub(m), 0.0, 0));
                        continue;
                    }
                    // the OCR channel's mark misreads are no typist's slips
                    if self.src.profile != Profile::Ocr {
                        continue;
                    }
                    let (chan, seen) = match ch.sub(m, c) {
                        Some((k, p)) => (p, k),
                        None if is_mark(c) => (MARK_SUB_PRIOR, 0),
                        None => continue,
                    };
                    raw.push((Op::Sub(m), chan, seen));
                }
            }
            let plain = |x: char| !is_class(x);
            // only stray marks are deleted: a Han char the channel adds is
            // also a word of its own too often (`和`, `站会`), and brackets,
            // title marks and code marks are structure; nor does a typist
            // add marks the way an OCR engine reads specks as them
            if self.src.profile == Profile::Ocr
                && DELETABLE.contains(&c)
                && plain(syms[j - 1])
                && plain(syms[j + 1])
            {
                if let Some((k, p)) = ch.insertion(c) {
                    raw.push((Op::Del, p, k));
                }
            }
        }
        if low_here && self.src.profile == Profile::Ocr && !is_class(syms[j - 1]) && !is_class(c) {
            for &m in INSERT_MARKS {
                if let Some((k, p)) = ch.deletion(m) {
                    raw.push((Op::InsBefore(m), p, k));
                }
            }
        }
        if raw.is_empty() {
            return Vec::new();
        }
        // local gain of each option alone: the positions whose history it changes
        let hi = (j + self.lm.order()).min(n);
        let base: f32 = lp[j..hi].iter().sum();
        let mut buf: Vec<char> = Vec::with_capacity(16);
        let lo = j.saturating_sub(self.lm.order() - 1);
        // a first bound for each substitution: the new char's own term, the
        // others at best certain; only the best FULL_TOP by it are scored in
        // full (marks, deletions and insertions always are)
        let mut bounded: Vec<(f32, Op, f32, u32)> = raw
            .into_iter()
            .filter_map(|(op, channel, seen)| {
                let bound = match op {
                    Op::Sub(x) if is_han(x) => {
                        self.lm.logp(&syms[lo..j], symbol(x)) - base + channel
                    }
                    _ => f32::INFINITY,
                };
                (bound > LOCAL_MIN).then_some((bound, op, channel, seen))
            })
            .collect();
        bounded.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut han = 0;
        bounded.retain(|b| {
            if b.0.is_finite() {
                han += 1;
                han <= FULL_TOP
            } else {
                true
            }
        });
        let mut opts: Vec<Opt> = bounded
            .into_iter()
            .filter_map(|(_, op, channel, seen)| {
                buf.clear();
                buf.extend_from_slice(&syms[lo..j]);
                let from = buf.len();
                apply_op(&mut buf, syms[j], op);
                buf.extend_from_slice(&syms[j + 1..hi]);
                let s = self.lm.score_range(&buf, from, buf.len());
                let local = s - base + channel;
                let width = matches!(op, Op::Sub(m) if width_form(syms[j]) == Some(m));
                (local > LOCAL_MIN || width).then_some(Opt {
                    op,
                    width,
                    channel,
                    seen,
                    local,
                })
            })
            .collect();
        opts.sort_by(|a, b| b.local.total_cmp(&a.local));
        // the width form always competes
        if let Some(w) = opts.iter().position(|o| o.width) {
            if w >= OPTIONS_PER_POSITION {
                opts.swap(w, OPTIONS_PER_POSITION - 1);
            }
        }
        opts.truncate(OPTIONS_PER_POSITION);
        opts
    }

    /// Decode one cluster jointly: every combination of its options.
    fn decide(
        &self,
        line: &str,
        seg: &[(usize, char)],
        syms: &[char],
        cluster: &[(usize, std::sync::Arc<[Opt]>)],
    ) -> Option<Decision> {
        let order = self.lm.order();
        let n = syms.len();
        let first = cluster[0].0;
        let last = cluster[cluster.len() - 1].0;
        let lo = first.saturating_sub(order - 1);
        let hi = (last + order).min(n);
        let base = self.lm.score_range(&syms[lo..hi], first - lo, hi - lo);
        // enumerate combinations (index 0 = keep at each position)
        // at most COMBINATIONS_MAX combinations: larger clusters keep fewer
        // options per position (the best by local gain)
        let mut keep = OPTIONS_PER_POSITION;
        while keep > 1
            && cluster
                .iter()
                .map(|(_, o)| o.len().min(keep) + 1)
                .product::<usize>()
                > COMBINATIONS_MAX
        {
            keep -= 1;
        }
        let sizes: Vec<usize> = cluster.iter().map(|(_, o)| o.len().min(keep) + 1).collect();
        let total: usize = sizes.iter().product();
        // the word evidence's window, in indices of `seg`, and its score as observed
        let word_window = self.words.map(|(lex, weight)| {
            let ws = (first - 1).saturating_sub(WORD_REACH);
            let we = (last + WORD_REACH).min(seg.len());
            let keep_all = vec![0; cluster.len()];
            let r0 = reading(seg, cluster, &keep_all, ws, we, n, true);
            (ws, we, self.word_score(lex, weight, &r0))
        });
        let mut scored: Vec<(f32, f32, f32, Vec<usize>)> = Vec::with_capacity(total);
        let mut pick = vec![0usize; cluster.len()];
        let mut buf: Vec<char> = Vec::with_capacity(hi - lo + 8);
        for _ in 0..total {
            if pick.iter().any(|&p| p > 0) {
                buf.clear();
                buf.extend_from_slice(&syms[lo..first]);
                let from = buf.len();
                let mut chan = 0.0;
                let mut ci = 0;
                for (j, &sym) in syms.iter().enumerate().take(hi).skip(first) {
                    if ci < cluster.len() && cluster[ci].0 == j {
                        let p = pick[ci];
                        if p == 0 {
                            buf.push(sym);
                        } else {
                            let o = cluster[ci].1[p - 1];
                            chan += o.channel;
                            apply_op(&mut buf, sym, o.op);
                        }
                        ci += 1;
                    } else {
                        buf.push(sym);
                    }
                }
                let s = self.lm.score_range(&buf, from, buf.len());
                let word = match (self.words, word_window) {
                    (Some((lex, weight)), Some((ws, we, w0))) => {
                        let r = reading(seg, cluster, &pick, ws, we, n, true);
                        self.word_score(lex, weight, &r) - w0
                    }
                    _ => 0.0,
                };
                scored.push((s - base + chan + word, s - base, word, pick.clone()));
            } else {
                scored.push((0.0, 0.0, 0.0, pick.clone()));
            }
            // next combination
            for (p, &size) in pick.iter_mut().zip(&sizes) {
                *p += 1;
                if *p < size {
                    break;
                }
                *p = 0;
            }
        }
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        // a pick without its width-only options: what this rule would edit
        let real = |pick: &[usize]| -> Vec<usize> {
            pick.iter()
                .enumerate()
                .map(|(ci, &p)| {
                    if p > 0 && cluster[ci].1[p - 1].width {
                        0
                    } else {
                        p
                    }
                })
                .collect()
        };
        let (gain, lm_gain, word_gain, best) = scored[0].clone();
        let best_real = real(&best);
        if best_real.iter().all(|&p| p == 0) || gain <= 0.0 {
            return None;
        }
        // gains count from the best reading this rule would not edit (the
        // text itself, or its width-normalized form), and the margin from
        // the best reading that undoes or changes one of its edits: a
        // reading that makes the same edits and more besides (`神水的营响`
        // → `深水的影响` beside `神水的影响`) does not speak against them
        let against = |pick: &[usize]| {
            let r = real(pick);
            r != best_real && best_real.iter().zip(&r).any(|(&b, &x)| b > 0 && x != b)
        };
        let baseline = scored
            .iter()
            .filter(|s| real(&s.3).iter().all(|&p| p == 0))
            .map(|s| s.0)
            .fold(0.0f32, f32::max);
        let runner_up = scored
            .iter()
            .filter(|s| against(&s.3))
            .map(|s| s.0)
            .fold(f32::NEG_INFINITY, f32::max);
        let margin = gain - runner_up.max(baseline);
        // the same, the word evidence left out (each reading's total less its word part)
        let plain = |s: &(f32, f32, f32, Vec<usize>)| s.0 - s.2;
        let plain_baseline = scored
            .iter()
            .filter(|s| real(&s.3).iter().all(|&p| p == 0))
            .map(plain)
            .fold(0.0f32, f32::max);
        let plain_runner_up = scored
            .iter()
            .filter(|s| against(&s.3))
            .map(plain)
            .fold(f32::NEG_INFINITY, f32::max);
        let plain_best = gain - word_gain;
        let without_words = (
            plain_best - plain_baseline,
            plain_best - plain_runner_up.max(plain_baseline),
        );
        let gain = gain - baseline;
        let lm_gain = lm_gain - baseline;
        let mut edits = Vec::new();
        for (ci, &p) in best_real.iter().enumerate() {
            if p == 0 {
                continue;
            }
            let (j, opts) = &cluster[ci];
            let o = opts[p - 1];
            let (start, end) = match seg.get(j - 1) {
                Some(&(b, c)) => match o.op {
                    Op::InsBefore(_) => (b, b),
                    _ => (b, b + c.len_utf8()),
                },
                // EOS: an insertion at the end of the segment
                None => {
                    let (b, c) = seg[seg.len() - 1];
                    (b + c.len_utf8(), b + c.len_utf8())
                }
            };
            edits.push(CharEdit {
                start,
                end,
                op: o.op,
                channel: o.channel,
                seen: o.seen,
            });
        }
        // the window shown: the chars whose history the edits change
        let ws = lo.max(1) - 1;
        let we = (hi.min(n - 1) - 1).max(ws + 1).min(seg.len());
        let ws = ws.min(we - 1);
        let wstart = seg[ws].0;
        let wend = seg[we - 1].0 + seg[we - 1].1.len_utf8();
        let observed = line[wstart..wend].to_string();
        let corrected_of = |pick: &[usize]| reading(seg, cluster, pick, ws, we, n, false);
        let corrected = corrected_of(&best);
        let alternatives = scored
            .iter()
            .skip(1)
            .take(4)
            .map(|(g, _, _, p)| (corrected_of(p), *g))
            .collect();
        Some(Decision {
            edits,
            gain,
            lm_gain,
            word_gain,
            margin,
            without_words,
            alternatives,
            window: (observed, corrected),
            kind: DecisionKind::Cluster,
        })
    }
}

/// The text of `seg[ws..we]` with the options `pick` of `cluster` applied
/// (`pick[ci]` = 0 keeps position `cluster[ci].0`; positions are indices of
/// the segment's symbols, `seg[j - 1]` for `j`, and `eos` the end). With
/// `han_only`, only the substitutions of a Han char by a Han char are
/// applied: the reading the word evidence compares (marks added, deleted
/// or replaced are the character model's to judge; they would only split or
/// join the runs the words are read in).
fn reading(
    seg: &[(usize, char)],
    cluster: &[(usize, std::sync::Arc<[Opt]>)],
    pick: &[usize],
    ws: usize,
    we: usize,
    eos: usize,
    han_only: bool,
) -> String {
    let mut s = String::new();
    let op_at = |j: usize| {
        cluster
            .iter()
            .position(|(k, _)| *k == j)
            .and_then(|ci| (pick[ci] > 0).then(|| cluster[ci].1[pick[ci] - 1].op))
            .filter(|&op| {
                !han_only
                    || matches!(op, Op::Sub(x) if is_han(x) && seg.get(j - 1).is_some_and(|&(_, c)| is_han(c)))
            })
    };
    for (k, &(_, c)) in seg.iter().enumerate().take(we).skip(ws) {
        match op_at(k + 1) {
            Some(Op::Sub(x)) => s.push(x),
            Some(Op::Del) => {}
            Some(Op::InsBefore(x)) => {
                s.push(x);
                s.push(c);
            }
            None => s.push(c),
        }
    }
    if we == seg.len() {
        if let Some(Op::InsBefore(x)) = op_at(eos) {
            s.push(x);
        }
    }
    s
}

/// [`Lexicon::segmentation_tokens`] of each run of Han chars in `text`,
/// summed (marks and other chars separate runs and score nothing).
pub(crate) fn han_runs_log10(lex: &Lexicon, text: &str) -> f32 {
    let mut sum = 0.0;
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_han(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                sum += lex.segmentation_tokens(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        sum += lex.segmentation_tokens(&text[s..]);
    }
    sum as f32
}

/// log10 of the best segmentation of `text`'s Han runs under the word
/// bigram model, summed over the runs.
fn word_lm_runs_log10(text: &str) -> f32 {
    let lm = WordLm::embedded();
    let mut sum = 0.0;
    let mut run: Vec<char> = Vec::new();
    for c in text.chars().chain(std::iter::once(' ')) {
        if is_han(c) {
            run.push(c);
        } else if !run.is_empty() {
            sum += lm.path_score(&run);
            run.clear();
        }
    }
    sum as f32
}

/// Marks that end a sentence.
const SENTENCE_END: &[char] = &['。', '！', '？'];
/// Closing marks that stay with the sentence end before them.
const CLOSING: &[char] = &['”', '’', '」', '』', '）', '》'];

/// Byte offsets at which a sentence ends in `text`: after a sentence-end
/// mark and the closing marks right after it.
pub fn segment_ends(text: &str) -> Vec<usize> {
    let mut out = Vec::new();
    let mut open = false;
    let mut it = text.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        if SENTENCE_END.contains(&c) {
            open = true;
        } else if !(open && CLOSING.contains(&c)) {
            open = false;
            continue;
        }
        if !it
            .peek()
            .is_some_and(|&(_, n)| CLOSING.contains(&n) || SENTENCE_END.contains(&n))
        {
            out.push(i + c.len_utf8());
            open = false;
        }
    }
    out
}

/// Opening and closing marks of the pairs a line keeps balanced.
const PAIRS: &[(char, char)] = &[
    ('“', '”'),
    ('‘', '’'),
    ('《', '》'),
    ('（', '）'),
    ('「', '」'),
    ('(', ')'),
];

/// For each symbol, true when it is a paired mark whose partner follows
/// (an opening one) or precedes (a closing one) in the segment: the pair
/// is the text's structure, so neither is changed or deleted.
pub(crate) fn balanced_marks(syms: &[char]) -> Vec<bool> {
    let mut out = vec![false; syms.len()];
    for &(open, close) in PAIRS {
        let mut stack: Vec<usize> = Vec::new();
        for (i, &c) in syms.iter().enumerate() {
            if c == open {
                stack.push(i);
            } else if c == close {
                if let Some(o) = stack.pop() {
                    out[o] = true;
                    out[i] = true;
                }
            }
        }
    }
    // Markdown links (`[文档](url)`, `[文档][ref]`): brackets whose `]` is
    // followed by `(` or `[` are syntax, not a misread `「」` (which OCR
    // also reads as `[` `]`, so plain `[关闭]` is left to the model)
    let mut stack: Vec<usize> = Vec::new();
    for (i, &c) in syms.iter().enumerate() {
        if c == '[' {
            stack.push(i);
        } else if c == ']' {
            if let Some(o) = stack.pop() {
                if matches!(syms.get(i + 1), Some('(' | '[')) {
                    out[o] = true;
                    out[i] = true;
                }
            }
        }
    }
    out
}

/// Push `c` with `op` applied.
fn apply_op(buf: &mut Vec<char>, c: char, op: Op) {
    match op {
        Op::Sub(x) => buf.push(symbol(x)),
        Op::Del => {}
        Op::InsBefore(x) => {
            buf.push(symbol(x));
            buf.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(s: &str) -> Vec<Decision> {
        Decoder::new(CharLm::embedded(), Sources::embedded()).decode(s)
    }

    #[test]
    fn a_misread_that_still_forms_words_is_found() {
        let d = decode("我们要加强管理，提高工作效率。");
        assert!(d.is_empty(), "{d:?}");
        let d = decode("我们要加强管埋，提高工作效率。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].edits[0].op, Op::Sub('理'));
    }

    #[test]
    fn a_misread_unlike_its_intended_char_is_found_by_its_context() {
        // `甲` and `和` share nothing visually: only the chars that fit
        // between `共` and `国` propose `和`
        let mut look_alikes = Vec::new();
        Sources::embedded().push_candidates('甲', &mut look_alikes);
        assert!(!look_alikes.contains(&'和'));
        let d = decode("中华人民共甲国成立了。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].edits[0].op, Op::Sub('和'));
        assert_eq!(d[0].edits[0].seen, 0, "an unrelated pair: the prior");
        // and the right char wins over a look-alike that reads worse
        let d = decode("我们要加强管理，提高工作效半。");
        assert_eq!(d[0].edits[0].op, Op::Sub('率'), "{d:?}");
    }

    #[test]
    fn a_typing_slip_that_forms_seen_pairs_is_found_with_the_typing_profile() {
        use crate::correct::CorrectionModel;
        // `大笑` is a word: every pair of `字体的大笑` is seen, so the OCR
        // profile never looks there; an IME slip (da xiao) is exactly that
        let s = "您可以通过修改设置来改变字体的大笑。";
        assert!(decode(s).is_empty());
        let typing = CorrectionModel::new(Profile::Typing, None);
        let d = Decoder::new(CharLm::embedded(), Sources::of(&typing)).decode(s);
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].edits[0].op, Op::Sub('小'));
    }

    #[test]
    fn the_word_bigrams_tell_a_wrong_pick_from_the_meant_word() {
        use crate::correct::CorrectionModel;
        // `他再家里` and `他在家里` split into as many lexicon words; the
        // character model barely prefers `在` (`再家` is seen in `再加`-like
        // text); the word bigrams know `在家` goes with `他`
        let s = "他再家里看书。";
        let typing = CorrectionModel::new(Profile::Typing, None);
        let lex = Lexicon::embedded();
        let gain = |wlm: f32| {
            let dec = Decoder::new(CharLm::embedded(), Sources::of(&typing))
                .with_words(lex, 1.0)
                .with_word_lm(wlm);
            dec.decode(s)
                .iter()
                .find(|d| d.edits.iter().any(|e| e.op == Op::Sub('在')))
                .map(|d| (d.gain, d.word_gain, d.without_words.0))
        };
        let (g0, w0, _) = gain(0.0).expect("found without the bigrams");
        let (g1, w1, plain1) = gain(0.3).expect("found with them");
        assert!(w1 > w0 + 0.5, "{w0} {w1}");
        assert!(g1 > g0 + 0.5, "{g0} {g1}");
        // the word part stays out of what safe rests on
        assert!((plain1 - (g1 - w1)).abs() < 1e-3, "{plain1} {g1} {w1}");
    }

    #[test]
    fn a_reading_with_the_same_edits_and_more_is_no_runner_up() {
        use crate::correct::CorrectionModel;
        // `营响` is a slip for `影响`; `神水` → `深水` beside it is a second,
        // weaker guess: the reading with both edits is second best, but it
        // makes the chosen edit too, so the margin is over the text as it is
        let s = "费欧娜也受到神水的营响晕了过去。";
        let typing = CorrectionModel::new(Profile::Typing, None);
        let d = Decoder::new(CharLm::embedded(), Sources::of(&typing)).decode(s);
        let d = d
            .iter()
            .find(|d| d.edits.iter().any(|e| e.op == Op::Sub('影')))
            .expect("the slip is found");
        assert_eq!(d.edits.len(), 1, "{d:?}");
        let (superset, score) = &d.alternatives[0];
        assert!(superset.contains("深水的影响"), "{d:?}");
        assert!(
            d.gain - score < 1.0,
            "the superset reads nearly as well: {d:?}"
        );
        assert!((d.margin - d.gain).abs() < 1e-4, "{d:?}");
    }

    #[test]
    fn a_balanced_pair_of_marks_is_left_alone() {
        let b = balanced_marks(&['“', 'a', '”', '《', 'b']);
        assert_eq!(b, vec![true, false, true, false, false]);
    }

    #[test]
    fn markdown_link_brackets_are_structure_plain_ones_are_not() {
        let syms = |s: &str| s.chars().collect::<Vec<char>>();
        // `[文档][ref]` and `[文档](url)`: the first pair is link syntax
        let b = balanced_marks(&syms("见[文档][a]"));
        assert_eq!(b[1..5], [true, false, false, true]);
        assert!(balanced_marks(&syms("见[文档](a)"))[4]);
        // `[关闭]` may be a misread `「关闭」`: left to the model
        assert!(balanced_marks(&syms("点[关闭]键")).iter().all(|&x| !x));
        // and the decoder leaves a link's bracket alone
        assert!(decode("集合类型，请参阅[文档][collections]。").is_empty());
    }

    #[test]
    fn sentences_end_after_their_closing_marks() {
        let t = "他说：“好。”我们走吧！然后";
        let ends = segment_ends(t);
        assert_eq!(ends.len(), 2);
        assert_eq!(&t[..ends[0]], "他说：“好。”");
        assert_eq!(&t[ends[0]..ends[1]], "我们走吧！");
    }

    #[test]
    fn byte_offsets_point_at_the_char() {
        let s = "我们要加强管埋，提高工作效率。";
        let d = decode(s);
        let e = &d[0].edits[0];
        assert_eq!(&s[e.start..e.end], "埋");
    }

    #[test]
    fn no_closing_mark_is_read_at_the_start_of_a_segment() {
        // the OCR channel reads `。` as `*` often, but a paragraph cannot
        // start with one
        let d = decode("*可以匹配任何数量的任何字符，甚至没有字符。");
        assert!(
            d.iter().all(|x| x.edits.iter().all(|e| e.start > 0)),
            "{d:?}"
        );
        // after a Han char the same `*` is still read as a mark
        let d = decode("这个功能可以匹配任何字符*然后点击确定。");
        assert!(
            d.iter()
                .any(|x| x.edits.iter().any(|e| e.op == Op::Sub('，'))),
            "{d:?}"
        );
    }
}
