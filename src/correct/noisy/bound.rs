//! Completions around a lone bound char (rule C705): a char that almost
//! only occurs inside words (`措`: 2% of its uses are the one-char word),
//! standing alone next to a char it makes no word with, points at a misread
//! neighbour even when no look-alike of that neighbour makes a word (the
//! glyph similarity of the intended char can be too low for the confusion
//! set). The candidates are the chars that complete a two-char model word
//! with the bound char; they are ranked by the word model's gain on the
//! window plus the glyph prior line extended below
//! [`WORD_SIM_MIN`](super::WORD_SIM_MIN), and proposed as suggestions only.

use super::super::candidates::Sources;
use super::{Corrector, Kind, Proposal, MAX_SCORED, PRIOR_AT_PIVOT, PRIOR_PIVOT, PRIOR_SLOPE};
use super::{NAME_SPAN, NAME_SUFFIXES, WINDOW};
use crate::lexicon::chars::CharTable;
use crate::lexicon::{Lexicon, WordFlags};
use crate::rules::ocr_punct::is_han;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

/// A char is bound when its one-char word makes at most this share of its
/// uses in the lexicon (its word frequency over its char count, both from
/// `words.tsv`).
pub const BOUND_MAX_SHARE: f64 = 0.03;
/// Minimum char count (from `chars.tsv`) of a bound char: rarer chars have
/// too few words to judge.
pub const BOUND_MIN_COUNT: u64 = 2000;

/// The bound chars of a lexicon, as a bitmap over the Basic Multilingual
/// Plane plus a sorted list of the others.
#[derive(Debug, Default)]
pub struct BoundSet {
    bmp: Vec<u64>,
    astral: Vec<char>,
}

impl BoundSet {
    fn new(chars: Vec<char>) -> BoundSet {
        let mut bmp = vec![0u64; 0x10000 / 64];
        let mut astral = Vec::new();
        for c in chars {
            let u = c as usize;
            if u < 0x10000 {
                bmp[u / 64] |= 1 << (u % 64);
            } else {
                astral.push(c);
            }
        }
        astral.sort_unstable();
        BoundSet { bmp, astral }
    }

    /// True when `c` is in the set.
    #[inline]
    pub fn contains(&self, c: char) -> bool {
        let u = c as usize;
        if u < 0x10000 {
            self.bmp[u / 64] & (1 << (u % 64)) != 0
        } else {
            self.astral.binary_search(&c).is_ok()
        }
    }

    /// The bound chars of `lex` (see [`BOUND_MAX_SHARE`]): for the embedded
    /// lexicon computed once, for another once per thread for the last
    /// lexicon asked about.
    pub fn of(lex: &Lexicon) -> Arc<BoundSet> {
        static EMBEDDED: OnceLock<Arc<BoundSet>> = OnceLock::new();
        thread_local! {
            static OTHER: RefCell<((usize, usize), Arc<BoundSet>)> =
                RefCell::new(((0, 0), Arc::default()));
        }
        if std::ptr::eq(lex, Lexicon::embedded()) {
            return EMBEDDED
                .get_or_init(|| Arc::new(BoundSet::new(bound_chars(lex))))
                .clone();
        }
        OTHER.with(|b| {
            let mut b = b.borrow_mut();
            // (a lexicon dropped and another made at the same address
            // differ in size, unless built from the same words)
            let key = (lex as *const Lexicon as usize, lex.len());
            if b.0 != key {
                *b = (key, Arc::new(BoundSet::new(bound_chars(lex))));
            }
            b.1.clone()
        })
    }
}

/// True when `c` is a bound char of `lex` (see [`BOUND_MAX_SHARE`]).
pub fn is_bound(lex: &Lexicon, c: char) -> bool {
    BoundSet::of(lex).contains(c)
}

/// Every bound char of `lex`, sorted. A char's count is the frequency of
/// the words holding it times its occurrences: for the embedded lexicon the
/// character table holds it (same derivation, `dictionaries/README.md`);
/// another lexicon (user words, a replacement list) is counted here, once
/// per thread.
fn bound_chars(lex: &Lexicon) -> Vec<char> {
    let mut buf = [0u8; 4];
    let share = |word: u64, count: u64| {
        count >= BOUND_MIN_COUNT && (word as f64) < BOUND_MAX_SHARE * count as f64
    };
    if std::ptr::eq(lex, Lexicon::embedded()) {
        return CharTable::embedded()
            .iter()
            .filter(|info| info.freq >= BOUND_MIN_COUNT)
            .filter(|info| {
                let word = lex.get(info.ch.encode_utf8(&mut buf)).map_or(0, |e| e.freq);
                share(word, info.freq)
            })
            .map(|info| info.ch)
            .collect();
    }
    let mut count: HashMap<char, (u64, u64)> = HashMap::new();
    lex.for_each(|w, e| {
        let mut it = w.chars();
        let single = it.next().is_some() && it.next().is_none();
        for c in w.chars() {
            let n = count.entry(c).or_default();
            n.1 += e.freq;
            if single {
                n.0 += e.freq;
            }
        }
    });
    let mut v: Vec<char> = count
        .into_iter()
        .filter(|&(_, (word, all))| share(word, all))
        .map(|(c, _)| c)
        .collect();
    v.sort_unstable();
    v
}

/// log10 P(observed | intended) from glyph similarity alone, on the prior
/// line without its floor (only for ranking suggestions).
fn prior_line(sim: f32) -> f64 {
    PRIOR_AT_PIVOT + PRIOR_SLOPE * (sim as f64 - PRIOR_PIVOT)
}

impl Corrector {
    /// Suggestions for the neighbour of each lone bound char in `text` (see
    /// the module docs), best per place, not overlapping; `lex` segments and
    /// decides boundness.
    pub fn propose_completions(&self, text: &str, lex: &Lexicon) -> Vec<Proposal> {
        let mut out = Vec::new();
        if self.lm.is_empty() {
            return out;
        }
        let bound = BoundSet::of(lex);
        // runs of Han chars holding a bound char: only those are decoded
        // into a char list
        let mut run: Vec<(usize, char)> = Vec::new();
        let (mut start, mut len, mut has_bound) = (0, 0, false);
        for (i, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            if is_han(c) {
                if len == 0 {
                    start = i;
                }
                len += 1;
                has_bound = has_bound || bound.contains(c);
                continue;
            }
            if has_bound && len >= 2 {
                run.clear();
                run.extend(text[start..i].char_indices().map(|(k, c)| (start + k, c)));
                self.completions_in_run(text, &run, lex, &bound, &mut out);
            }
            len = 0;
            has_bound = false;
        }
        out.sort_by_key(|p| p.start);
        out.dedup_by(|b, a| b.start < a.end);
        out
    }

    fn completions_in_run(
        &self,
        text: &str,
        run: &[(usize, char)],
        lex: &Lexicon,
        bound_set: &BoundSet,
        out: &mut Vec<Proposal>,
    ) {
        // a bound char that makes no two-char model word with either
        // neighbour: rare, so tested before segmenting
        // (and no look-alike of it makes one: then the bound char itself
        // may be the misread one, which is C702's to judge)
        // (C705 reads the OCR glyph look-alikes and channel whatever the
        // profile, as calibrated; not memoized: only lone bound chars get
        // this far)
        let src = Sources::embedded().without_visual();
        let bound: Vec<bool> = {
            let orphan = |y: usize| {
                let c = run[y].1;
                let left = (y > 0).then(|| run[y - 1].1);
                let right = run.get(y + 1).map(|r| r.1);
                // (the word tests first: most bound chars are inside one)
                bound_set.contains(c)
                    && !left.is_some_and(|l| self.is_pair(l, c))
                    && !right.is_some_and(|r| self.is_pair(c, r))
                    && !left.is_some_and(|l| self.pairs_with_uncached(&src, l, c, false))
                    && !right.is_some_and(|r| self.pairs_with_uncached(&src, r, c, true))
            };
            match (0..run.len()).find(|&y| orphan(y)) {
                None => Vec::new(),
                Some(first) => {
                    let mut bound = vec![false; run.len()];
                    for (y, b) in bound.iter_mut().enumerate().skip(first) {
                        *b = y == first || orphan(y);
                    }
                    bound
                }
            }
        };
        if bound.is_empty() {
            return;
        }
        let rs = run[0].0;
        let re = Self::byte_end(text, run, run.len());
        let run_text = &text[rs..re];
        let toks = lex.segment(run_text);
        let mut lone = vec![false; run.len()];
        let mut named = vec![false; run.len()];
        let name = WordFlags::PLACE.union(WordFlags::PERSON);
        let mut k = 0;
        for t in &toks {
            let word = &run_text[t.span.start..t.span.end];
            let n = word.chars().count();
            lone[k] = n == 1;
            let is_name = t.entry.is_some_and(|e| e.flags.0 & name.0 != 0);
            // a name and its neighbours, and the chars before a name
            // suffix: not judged (names are often out of vocabulary)
            let marked = if is_name {
                k.saturating_sub(1)..(k + n + 1).min(run.len())
            } else if k > 0 && NAME_SUFFIXES.contains(&word) {
                k.saturating_sub(NAME_SPAN)..k
            } else {
                0..0
            };
            for m in &mut named[marked] {
                *m = true;
            }
            k += n;
        }
        for y in 0..run.len() {
            if !(bound[y] && lone[y]) || named[y] {
                continue;
            }
            // either neighbour may be the misread one: the better reading
            // wins, and the other counts as its runner-up
            let mut best: Option<Proposal> = None;
            for x in [y.wrapping_sub(1), y + 1] {
                if x >= run.len() || !lone[x] || bound_set.contains(run[x].1) || named[x] {
                    continue;
                }
                let Some(mut p) = self.complete_at(text, run, x, y) else {
                    continue;
                };
                if let Some(q) = best.as_mut() {
                    if p.score > q.score {
                        p.runner_up = p.runner_up.max(q.score);
                        *q = p;
                    } else {
                        q.runner_up = q.runner_up.max(p.score);
                    }
                } else {
                    best = Some(p);
                }
            }
            out.extend(best);
        }
    }

    /// Score replacing `run[x]` by the chars making a two-char model word
    /// with the bound char `run[y]` (`y` = `x ± 1`).
    fn complete_at(
        &self,
        text: &str,
        run: &[(usize, char)],
        x: usize,
        y: usize,
    ) -> Option<Proposal> {
        let (observed, b) = (run[x].1, run[y].1);
        let left_of_bound = x < y;
        let (pair_ok, list) = if left_of_bound {
            (self.is_pair(observed, b), self.right.get(&b))
        } else {
            (self.is_pair(b, observed), self.left.get(&b))
        };
        let list = list.filter(|_| !pair_ok)?;
        let ws = x.saturating_sub(WINDOW);
        let we = (x + WINDOW + 1).min(run.len());
        let wb = (run[ws].0, Self::byte_end(text, run, we));
        let window = &text[wb.0..wb.1];
        let wchars: Vec<char> = window.chars().collect();
        let local = x - ws;
        let cover = self.lm.cover_starts(&wchars, local);
        let mut wc = wchars.clone();
        // cheap pre-score: the best covering word, then the channel for
        // the best few
        let mut pre: Vec<(f64, char, f64)> = Vec::new();
        for &c in list {
            if c == observed || !is_han(c) {
                continue;
            }
            wc[local] = c;
            if let Some(word_lp) = self.lm.best_covering(&wc, &cover) {
                pre.push((word_lp, c, 0.0));
            }
        }
        pre.sort_by(|a, b| b.0.total_cmp(&a.0));
        pre.truncate(2 * MAX_SCORED);
        for p in &mut pre {
            p.2 = prior_line(self.sim(p.1, observed)).max(self.channel_sub(p.1, observed).0);
            p.0 += p.2;
        }
        pre.sort_by(|a, b| b.0.total_cmp(&a.0));
        pre.truncate(MAX_SCORED);
        if pre.is_empty() {
            return None;
        }
        let cands: Vec<char> = pre.iter().map(|p| p.1).collect();
        let mut lm = Vec::with_capacity(cands.len());
        let orig = self.lm.variant_scores(&wchars, local, &cands, &mut lm);
        let mut scored: Vec<(char, f64, f64)> = pre
            .iter()
            .zip(&lm)
            .map(|(&(_, c, ch), &s)| (c, s - orig, ch))
            .collect();
        scored.sort_by(|a, b| (b.1 + b.2).total_cmp(&(a.1 + a.2)));
        let best = scored[0];
        let start = run[x].0;
        wc[local] = best.0;
        // channel_count: the number of two-char model words holding the
        // bound char, for the evidence (suggestions have no learned count)
        let partners =
            self.left.get(&b).map_or(0, Vec::len) + self.right.get(&b).map_or(0, Vec::len);
        Some(Proposal {
            kind: Kind::Substitute,
            start,
            end: start + observed.len_utf8(),
            replacement: best.0.to_string(),
            lm_gain: best.1,
            channel_logp: best.2,
            channel_count: partners as u32,
            score: best.1 + best.2,
            runner_up: scored.get(1).map_or(f64::NEG_INFINITY, |s| s.1 + s.2),
            candidates: scored
                .iter()
                .take(5)
                .map(|s| (s.0.to_string(), s.1 + s.2))
                .collect(),
            window: (window.to_string(), wc.iter().collect()),
            unexplained: true,
            inside: false,
        })
    }
}
