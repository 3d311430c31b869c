//! Candidate generation and noisy-channel scoring.
//!
//! Detection is cheap and runs before any language-model work: each run of
//! Han characters is segmented with the lexicon ([`Lexicon::segment`], tens
//! of MB/s). A character can be suspicious only when it is a single-char
//! token of that segmentation (a char inside a multi-char lexicon word is
//! never changed), is not next to a place or person name, and some glyph or
//! channel candidate for it makes a two-char model word with a neighbour
//! (hash lookups). Only then is the word bigram model consulted, on a window
//! of [`WINDOW`] chars either side: candidates come from the glyph confusion
//! set, the learned channel, and the chars that make a two-char model word
//! with a neighbour and look similar enough ([`WORD_SIM_MIN`]); a candidate is
//! scored only when it creates a model word of two or more chars covering it
//! (exact lookups, no fuzzy search). Dropped characters are found through an
//! index of the model's four-char words by their one-deletion forms.
//!
//! Score of a candidate (log10): `lm_gain + channel_logp`, where `lm_gain`
//! is the best-path log probability of the window with the candidate minus
//! that of the original window, and `channel_logp` is log10 P(observed |
//! intended): the learned probability when the pair was seen in OCR output,
//! else a glyph prior from the similarity score. P(no error) is taken as 1.

use super::candidates::Sources;
use super::confusion::GlyphFeatures;
use super::lm::WordLm;
use super::shared_memo::SharedMemo;
use super::CharBuild;
use crate::lexicon::{Lexicon, WordFlags};
use crate::rules::ocr_punct::is_han;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::{Arc, LazyLock, OnceLock};
use xxhash_rust::xxh3::xxh3_64;

mod bound;
pub use bound::{is_bound, BoundSet, BOUND_MAX_SHARE, BOUND_MIN_COUNT};

/// Chars of context either side of a suspicious char.
pub const WINDOW: usize = 4;
/// Channel log10 probability of a Han char being dropped (training rows:
/// about 1 in 300 Han chars).
pub const DROP_LOG10: f64 = -2.5;

/// Words that end the proper names of places and organizations
/// (`X有限公司`, `X集团`, `X镇`, `X县`, `X大学`). The chars before them are
/// part of a name, which the word model cannot judge.
pub const NAME_SUFFIXES: &[&str] = &[
    "有限公司",
    "股份公司",
    "公司",
    "集团",
    "合作社",
    "大学",
    "学院",
    "中学",
    "小学",
    "医院",
    "银行",
    "研究院",
    "研究所",
    "协会",
    "委员会",
    "省",
    "市",
    "县",
    "区",
    "镇",
    "乡",
    "村",
    "街道",
    "社区",
    "路",
    "街",
];

/// How many chars before a name suffix are protected.
pub const NAME_SPAN: usize = 4;
/// Minimum glyph similarity of a word-completion candidate (a char that
/// makes a two-char word with a neighbour but is not in the top lists).
pub const WORD_SIM_MIN: f32 = 0.3;
/// The OCR prior line of unseen look-alike pairs (see [`super::candidates`]).
pub use super::candidates::{PRIOR_AT_PIVOT, PRIOR_PIVOT, PRIOR_SLOPE};
/// Candidates per suspicious char scored with the full window model (the
/// rest are dropped by a cheap pre-score: best covering word + channel).
pub const MAX_SCORED: usize = 8;

/// Entries of the per-thread glyph-similarity memo before it is cleared.
const SIM_MEMO_MAX: usize = 1 << 20;

/// What a proposal does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Replace one char by a look-alike.
    Substitute,
    /// Insert a dropped char.
    Insert,
}

/// A scored correction.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    /// What it does.
    pub kind: Kind,
    /// Byte range replaced in the text (empty for an insertion).
    pub start: usize,
    /// End byte.
    pub end: usize,
    /// Replacement text.
    pub replacement: String,
    /// LM gain (log10) of the window.
    pub lm_gain: f64,
    /// log10 P(observed | intended).
    pub channel_logp: f64,
    /// Times the pair was seen in the training OCR output (0 = glyph prior only).
    pub channel_count: u32,
    /// `lm_gain + channel_logp`.
    pub score: f64,
    /// Score of the best other candidate at the same place (−inf if none).
    pub runner_up: f64,
    /// Ranked candidates (replacement, score), best first.
    pub candidates: Vec<(String, f64)>,
    /// The original window and the corrected window (for explanations).
    pub window: (String, String),
    /// For an insertion: every char of the deletion form is a one-char
    /// token of the lexicon segmentation (no lexicon word explains them).
    pub unexplained: bool,
    /// For an insertion: the gap is inside the restored phrase, not at its
    /// first or last char.
    pub inside: bool,
}

impl Proposal {
    /// The proposal with its byte offsets moved by `delta`.
    fn shifted(&self, delta: isize) -> Proposal {
        let mut p = self.clone();
        p.start = (p.start as isize + delta) as usize;
        p.end = (p.end as isize + delta) as usize;
        p
    }
}

/// Proposals per Han run text, for callers that score the same runs again:
/// the engine re-runs every rule on a block after applying fixes, and a fix
/// elsewhere in the block (a comma, a space) leaves most runs as they were.
/// A run's proposals depend only on its text and the lexicon, so one memo
/// must serve one lexicon and one kind of proposal; it holds at most
/// [`RunMemo::CAPACITY`] runs and is emptied when full.
#[derive(Debug, Default)]
pub struct RunMemo {
    /// xxh3 of the run text → its proposals. Runs without proposals (most)
    /// keep no text: a hash collision there can only hide a proposal, never
    /// invent one; runs with proposals keep their text and are compared.
    runs: HashMap<u64, MemoEntry, CharBuild>,
}

#[derive(Debug)]
enum MemoEntry {
    Empty,
    Found(String, Vec<Proposal>),
}

impl RunMemo {
    /// Runs kept before the memo is emptied.
    pub const CAPACITY: usize = 4096;

    /// Forget every run.
    pub fn clear(&mut self) {
        self.runs.clear();
    }

    fn get(&self, run: &str) -> Option<&[Proposal]> {
        match self.runs.get(&xxh3_64(run.as_bytes()))? {
            MemoEntry::Empty => Some(&[]),
            MemoEntry::Found(text, v) => (text == run).then_some(v.as_slice()),
        }
    }

    fn put(&mut self, run: &str, proposals: Vec<Proposal>) {
        if self.runs.len() >= Self::CAPACITY {
            self.runs.clear();
        }
        let entry = if proposals.is_empty() {
            MemoEntry::Empty
        } else {
            MemoEntry::Found(run.to_string(), proposals)
        };
        self.runs.insert(xxh3_64(run.as_bytes()), entry);
    }
}

/// True when the sorted lists `a` and `b` share an element (a merge, or
/// binary searches of the shorter list's elements in a much longer one).
fn sorted_intersect(a: &[char], b: &[char]) -> bool {
    let (a, b) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    if a.is_empty() {
        return false;
    }
    if b.len() > 8 * a.len() {
        return a.iter().any(|c| b.binary_search(c).is_ok());
    }
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => return true,
        }
    }
    false
}

/// Filtered completion lists by (neighbour on the right, neighbour, observed).
type CompletionMemo = HashMap<(bool, char, char), Vec<char>, CharBuild>;

/// Candidate generator and scorer over the embedded data.
pub struct Corrector {
    lm: &'static WordLm,
    features: &'static GlyphFeatures,
    /// first char → second chars of the model's two-char Han words (sorted)
    left: HashMap<char, Vec<char>, CharBuild>,
    /// second char → first chars of the model's two-char Han words (sorted)
    right: HashMap<char, Vec<char>, CharBuild>,
    /// one-deletion form of a four-char word → (word, deleted char index),
    /// built on first use (substitution alone never needs it)
    deletions: OnceLock<HashMap<String, Vec<(String, usize)>>>,
}

impl std::fmt::Debug for Corrector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Corrector")
            .field("pairs", &self.left.values().map(Vec::len).sum::<usize>())
            .finish()
    }
}

/// Slots of the per-thread memo of [`Corrector::pairs_with`].
const PAIRS_SLOTS: usize = 1 << 15;

thread_local! {
    // the memo of `pairs_with`: (key << 1 | hit) per slot, `u64::MAX` when
    // empty (shared by C702's detector and C705's orphan test)
    static PAIRS_MEMO: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
    // the candidate list of an observed char (`candidate_set`)
    static CANDS_MEMO: RefCell<HashMap<char, Arc<[char]>, CharBuild>> =
        RefCell::new(HashMap::default());
    // (neighbour on the right, neighbour, observed) -> the candidates of
    // `observed` making a two-char model word with that neighbour
    static PAIR_CANDS: RefCell<CompletionMemo> = RefCell::new(HashMap::default());
    // `channel_sub(intended, observed)` by a direct-mapped slot of the pair:
    // (intended << 21 | observed, log10 P, count); key u64::MAX = empty (the
    // same pairs recur all through a text)
    static CHANNEL_MEMO: RefCell<Vec<(u64, f64, u32)>> = const { RefCell::new(Vec::new()) };
    // the key of the sources the memos above were filled with
    static MEMO_SOURCES: std::cell::Cell<u64> = const { std::cell::Cell::new(u64::MAX) };
}

// Behind the per-thread memos (cheap to read, but filled by each thread of
// `-j N` anew), memos shared by all threads: a thread's miss is computed
// only if no thread has computed it (see [`super::shared_memo`]). Keys
// carry the sources' key where the per-thread memo relies on `sync_memos`.
/// A shared memo of char lists.
type SharedLists<K> = LazyLock<SharedMemo<K, Arc<[char]>>>;

/// [`Corrector::sim`] of (a, b) (a quarter of a thread's memo: it serves
/// the threads' misses, and memory stays flat).
static SIM_SHARED: LazyLock<SharedMemo<(char, char), f32>> =
    LazyLock::new(|| SharedMemo::new(SIM_MEMO_MAX / 4));
/// [`Corrector::completions`] of its key.
static COMPLETIONS_SHARED: SharedLists<(bool, char, char)> =
    LazyLock::new(|| SharedMemo::new(SIM_MEMO_MAX / 16));
/// [`Corrector::candidate_set`] of (sources, observed).
static CANDS_SHARED: SharedLists<(u64, char)> =
    LazyLock::new(|| SharedMemo::new(SIM_MEMO_MAX / 16));
/// `PAIR_CANDS` of (sources, its key).
static PAIR_CANDS_SHARED: SharedLists<(u64, bool, char, char)> =
    LazyLock::new(|| SharedMemo::new(SIM_MEMO_MAX / 16));

/// Empty this thread's candidate memos when `src` is not the sources they
/// were filled with (another profile or channel).
fn sync_memos(src: &Sources) {
    let key = src.key();
    if MEMO_SOURCES.with(|k| k.replace(key)) != key {
        PAIRS_MEMO.with(|m| m.borrow_mut().clear());
        CANDS_MEMO.with(|m| m.borrow_mut().clear());
        PAIR_CANDS.with(|m| m.borrow_mut().clear());
        CHANNEL_MEMO.with(|m| m.borrow_mut().clear());
    }
}

/// Minimum log10 unigram probability of a four-char word in the deletion index.
const DELETION_MIN_LOG10: f64 = -6.5;

impl Corrector {
    /// The corrector over the embedded model, confusion set and channel.
    pub fn embedded() -> &'static Corrector {
        static C: OnceLock<Corrector> = OnceLock::new();
        C.get_or_init(|| {
            let lm = WordLm::embedded();
            let mut left: HashMap<char, Vec<char>, CharBuild> = HashMap::default();
            let mut right: HashMap<char, Vec<char>, CharBuild> = HashMap::default();
            lm.for_each_pair(|a, b| {
                if is_han(a) && is_han(b) {
                    left.entry(a).or_default().push(b);
                    right.entry(b).or_default().push(a);
                }
            });
            // (already in order: the trie lists pairs sorted; this keeps
            // `sorted_intersect` right whatever the source)
            for v in left.values_mut().chain(right.values_mut()) {
                if v.windows(2).any(|w| w[0] > w[1]) {
                    v.sort_unstable();
                }
            }
            Corrector {
                lm,
                features: GlyphFeatures::embedded(),
                left,
                right,
                deletions: OnceLock::new(),
            }
        })
    }

    /// Four-char model words that `form` is a one-deletion form of, with the
    /// index of the deleted char.
    pub fn deletion_sources(&self, form: &str) -> &[(String, usize)] {
        self.deletions
            .get_or_init(|| Self::deletion_index(self.lm))
            .get(form)
            .map(|v| v.as_slice())
            .unwrap_or(&[])
    }

    /// Glyph similarity of two chars ([`GlyphFeatures::sim`], 0 when either
    /// has no features), memoized per thread and for all threads: the same pairs recur all
    /// through a text and each costs a Levenshtein distance.
    fn sim(&self, a: char, b: char) -> f32 {
        thread_local! {
            static MEMO: RefCell<HashMap<(char, char), f32, CharBuild>> =
                RefCell::new(HashMap::default());
        }
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            if let Some(&s) = m.get(&(a, b)) {
                return s;
            }
            if m.len() >= SIM_MEMO_MAX {
                m.clear();
            }
            let s =
                SIM_SHARED.get_or_insert_with((a, b), || self.features.sim(a, b).unwrap_or(0.0));
            m.insert((a, b), s);
            s
        })
    }

    /// Push the chars of `list` (the chars making a two-char model word with
    /// a neighbour) that look like the observed char ([`WORD_SIM_MIN`]).
    /// `key` = (neighbour on the right, neighbour, observed) names the list;
    /// the filtered list is memoized per thread and for all threads, since the same neighbour and
    /// observed char recur all through a text.
    fn completions(&self, list: &[char], key: (bool, char, char), out: &mut Vec<char>) {
        thread_local! {
            static MEMO: RefCell<CompletionMemo> = RefCell::new(HashMap::default());
        }
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            if let Some(v) = m.get(&key) {
                out.extend_from_slice(v);
                return;
            }
            if m.len() >= SIM_MEMO_MAX / 16 {
                m.clear();
            }
            let v = COMPLETIONS_SHARED.get_or_insert_with(key, || {
                self.features
                    .filter_at_least(list, key.2, WORD_SIM_MIN)
                    .into()
            });
            out.extend_from_slice(&v);
            m.insert(key, v.to_vec());
        })
    }

    /// The one-deletion forms of the model's frequent four-char Han words.
    fn deletion_index(lm: &WordLm) -> HashMap<String, Vec<(String, usize)>> {
        let mut deletions: HashMap<String, Vec<(String, usize)>> = HashMap::new();
        lm.for_each_word(|w| {
            let chars: Vec<char> = w.chars().collect();
            if chars.len() != 4 || !chars.iter().all(|&c| is_han(c)) {
                return;
            }
            if lm.unigram(w).map(|u| u.0).unwrap_or(-99.0) < DELETION_MIN_LOG10 {
                return;
            }
            for k in 0..4 {
                let form: String = chars
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| *i != k)
                    .map(|(_, c)| c)
                    .collect();
                deletions.entry(form).or_default().push((w.to_string(), k));
            }
        });
        deletions
    }

    /// log10 P(observed | intended) for a substitution, and the learned
    /// count, with the default (OCR, embedded) sources.
    pub fn channel_sub(&self, intended: char, observed: char) -> (f64, u32) {
        self.channel_sub_in(&Sources::embedded(), intended, observed)
    }

    /// log10 P(observed | intended) for a substitution under `src`, and the
    /// count the channel saw (see [`Sources::channel_logp`]).
    pub fn channel_sub_in(&self, src: &Sources, intended: char, observed: char) -> (f64, u32) {
        src.channel_logp(intended, observed, self.sim(intended, observed) as f64)
    }

    /// Proposals of `kind` for `text` (byte offsets into `text`), best per
    /// place, not overlapping. Insertions use the model's four-char words as
    /// the fixed phrases (see [`Corrector::propose_with`] for another index);
    /// substitutions are pre-filtered with the embedded lexicon (see
    /// [`Corrector::propose_substitutions`] for another lexicon).
    pub fn propose(&self, text: &str, kind: Kind) -> Vec<Proposal> {
        match kind {
            Kind::Substitute => self.propose_substitutions(text, Lexicon::embedded()),
            Kind::Insert => self.propose_with(text, kind, &|form: &str| {
                self.deletion_sources(form).to_vec()
            }),
        }
    }

    /// Substitution proposals for `text`, best per place, not overlapping.
    /// `lex` is the pre-filter: chars inside its multi-char words of the
    /// max-probability segmentation, and chars next to its place or person
    /// names, are never changed (see the module doc).
    pub fn propose_substitutions(&self, text: &str, lex: &Lexicon) -> Vec<Proposal> {
        self.propose_inner(text, Kind::Substitute, lex, &|_: &str| Vec::new())
    }

    /// Like [`Corrector::propose_substitutions`], with the candidates and
    /// channel of `src` (profile, user channel), reusing the proposals of
    /// Han runs already seen by `memo` (see [`RunMemo`]).
    pub fn propose_substitutions_in(
        &self,
        text: &str,
        lex: &Lexicon,
        memo: &mut RunMemo,
        src: &Sources,
    ) -> Vec<Proposal> {
        self.propose_memo(
            text,
            Kind::Substitute,
            lex,
            &|_: &str| Vec::new(),
            Some(memo),
            src,
        )
    }

    /// Like [`Corrector::propose_with`], reusing the proposals of Han runs
    /// already seen by `memo` (see [`RunMemo`]).
    pub fn propose_with_memo(
        &self,
        text: &str,
        kind: Kind,
        sources: &dyn Fn(&str) -> Vec<(String, usize)>,
        memo: &mut RunMemo,
    ) -> Vec<Proposal> {
        self.propose_memo(
            text,
            kind,
            Lexicon::embedded(),
            sources,
            Some(memo),
            &Sources::embedded(),
        )
    }

    /// Like [`Corrector::propose`], with `sources(form)` giving the fixed
    /// phrases (and deleted char index) that `form` is a one-deletion form of.
    pub fn propose_with(
        &self,
        text: &str,
        kind: Kind,
        sources: &dyn Fn(&str) -> Vec<(String, usize)>,
    ) -> Vec<Proposal> {
        self.propose_inner(text, kind, Lexicon::embedded(), sources)
    }

    fn propose_inner(
        &self,
        text: &str,
        kind: Kind,
        lex: &Lexicon,
        sources: &dyn Fn(&str) -> Vec<(String, usize)>,
    ) -> Vec<Proposal> {
        self.propose_memo(text, kind, lex, sources, None, &Sources::embedded())
    }

    fn propose_memo(
        &self,
        text: &str,
        kind: Kind,
        lex: &Lexicon,
        sources: &dyn Fn(&str) -> Vec<(String, usize)>,
        mut memo: Option<&mut RunMemo>,
        src: &Sources,
    ) -> Vec<Proposal> {
        let mut out = Vec::new();
        if self.lm.is_empty() {
            return out;
        }
        sync_memos(src);
        let mut chars: Vec<(usize, char)> = Vec::with_capacity(text.len() / 3 + 8);
        chars.extend(text.char_indices());
        let mut i = 0;
        while i < chars.len() {
            if !is_han(chars[i].1) {
                i += 1;
                continue;
            }
            let s = i;
            while i < chars.len() && is_han(chars[i].1) {
                i += 1;
            }
            if i - s >= 2 {
                let run = &chars[s..i];
                let (rs, re) = (run[0].0, Self::byte_end(text, run, run.len()));
                if let Some(hit) = memo.as_deref().and_then(|m| m.get(&text[rs..re])) {
                    out.extend(hit.iter().map(|p| p.shifted(rs as isize)));
                    continue;
                }
                let from = out.len();
                match kind {
                    Kind::Substitute => self.substitutions(text, run, lex, src, &mut out),
                    Kind::Insert => self.insertions(text, run, lex, sources, &mut out),
                }
                if let Some(m) = memo.as_deref_mut() {
                    let rel = out[from..].iter().map(|p| p.shifted(-(rs as isize)));
                    m.put(&text[rs..re], rel.collect());
                }
            }
        }
        // keep the best of overlapping proposals
        out.sort_by(|a, b| b.score.total_cmp(&a.score));
        let mut kept: Vec<Proposal> = Vec::new();
        for p in out {
            if kept.iter().all(|k| {
                p.end < k.start
                    || p.start > k.end
                    || (p.start == p.end && k.start == k.end && p.start != k.start)
            }) {
                kept.push(p);
            }
        }
        kept.sort_by_key(|p| p.start);
        kept
    }

    fn byte_end(text: &str, run: &[(usize, char)], k: usize) -> usize {
        run.get(k).map(|c| c.0).unwrap_or_else(|| {
            let (b, c) = run[run.len() - 1];
            (b + c.len_utf8()).min(text.len())
        })
    }

    /// Positions of `run` that may be misread chars: single-char tokens of
    /// the lexicon segmentation, not within [`NAME_SPAN`] chars before a
    /// [`NAME_SUFFIXES`] word, and otherwise as follows:
    /// the lexicon segmentation, not next to a place or person name, for
    /// which a glyph or channel candidate makes a two-char model word with
    /// a neighbour that is a single-char token too.
    ///
    /// Returns (position, left neighbour is a single-char token, right
    /// neighbour is a single-char token).
    fn suspicious(
        &self,
        run_text: &str,
        run: &[(usize, char)],
        lex: &Lexicon,
        src: &Sources,
    ) -> Vec<(usize, bool, bool)> {
        const SINGLE: u8 = 1;
        const LONE: u8 = 2;
        let toks = lex.segment(run_text);
        // per char: SINGLE (a candidate position so far), LONE (a one-char
        // token); a stack buffer for the usual short run
        let mut stack = [0u8; 64];
        let mut heap = Vec::new();
        let flags: &mut [u8] = if run.len() <= stack.len() {
            &mut stack[..run.len()]
        } else {
            heap.resize(run.len(), 0u8);
            &mut heap
        };
        let mut k = 0;
        let name = WordFlags::PLACE.union(WordFlags::PERSON);
        let is_name = |t: &crate::lexicon::Token| t.entry.is_some_and(|e| e.flags.0 & name.0 != 0);
        for (i, t) in toks.iter().enumerate() {
            let word = &run_text[t.span.start..t.span.end];
            // every char of a Han run takes three bytes in UTF-8
            let n = word.len() / 3;
            debug_assert_eq!(n, word.chars().count());
            if n == 1 {
                let near_name =
                    (i > 0 && is_name(&toks[i - 1])) || toks.get(i + 1).is_some_and(is_name);
                flags[k] = if near_name { LONE } else { LONE | SINGLE };
            }
            // The chars just before a name suffix belong to a proper name
            // (often out of vocabulary, where the model would prefer any
            // frequent word): never candidates.
            if k > 0 && n <= 4 && NAME_SUFFIXES.contains(&word) {
                for s in flags[k.saturating_sub(NAME_SPAN)..k].iter_mut() {
                    *s &= !SINGLE;
                }
            }
            k += n;
        }
        // a look-alike must make a two-char model word with a neighbour that
        // is itself a single-char token (no lexicon word is broken up)
        let lone = |p: usize| flags.get(p).is_some_and(|&f| f & LONE != 0);
        let mut out = Vec::new();
        PAIRS_MEMO.with(|m| {
            let mut m = m.borrow_mut();
            if m.is_empty() {
                m.resize(PAIRS_SLOTS, u64::MAX);
            }
            for pos in 0..run.len() {
                if flags[pos] & SINGLE == 0 {
                    continue;
                }
                let observed = run[pos].1;
                let lone_left = pos > 0 && lone(pos - 1);
                let lone_right = lone(pos + 1);
                if (lone_left && self.pairs_with(&mut m, src, run[pos - 1].1, observed, false))
                    || (lone_right && self.pairs_with(&mut m, src, run[pos + 1].1, observed, true))
                {
                    out.push((pos, lone_left, lone_right));
                }
            }
        });
        out
    }

    /// True when some candidate `c` for `observed` makes a two-char model
    /// word with the neighbour `nb`: `nb c` (`right` false: `nb` on the
    /// left) or `c nb`. A sorted-list intersection, memoized per thread in
    /// a direct-mapped table by (neighbour, observed, side), `memo` (2^15
    /// slots, `u64::MAX` when empty; the caller's per-thread table, borrowed
    /// once per run): text repeats its char pairs, so most positions cost
    /// one table read.
    fn pairs_with(
        &self,
        memo: &mut [u64],
        src: &Sources,
        nb: char,
        observed: char,
        right: bool,
    ) -> bool {
        debug_assert_eq!(memo.len(), 1 << 15);
        // chars are below 2^21: the key fits 43 bits, the slot 44
        let key = (nb as u64) << 22 | (observed as u64) << 1 | right as u64;
        let i = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 49) as usize & (memo.len() - 1);
        if memo[i] != u64::MAX && memo[i] >> 1 == key {
            return memo[i] & 1 == 1;
        }
        let cands = self.candidate_set(src, observed);
        let list = if right { &self.right } else { &self.left };
        let hit = list
            .get(&nb)
            .is_some_and(|v| sorted_intersect(&cands, v.as_slice()));
        memo[i] = key << 1 | hit as u64;
        hit
    }

    /// [`Corrector::pairs_with`] without the memo (for sources other than
    /// the ones the memos serve).
    fn pairs_with_uncached(&self, src: &Sources, nb: char, observed: char, right: bool) -> bool {
        let mut v: Vec<char> = Vec::new();
        src.push_candidates(observed, &mut v);
        v.retain(|&c| c != observed);
        v.sort_unstable();
        v.dedup();
        let list = if right { &self.right } else { &self.left };
        list.get(&nb)
            .is_some_and(|l| sorted_intersect(&v, l.as_slice()))
    }

    /// The candidates of `src` for an observed char, without repeats and
    /// without the observed char, as one list (memoized per thread and for all threads; callers
    /// only test membership or sort, so the order is immaterial).
    fn candidate_set(&self, src: &Sources, observed: char) -> Arc<[char]> {
        CANDS_MEMO.with(|m| {
            if let Some(v) = m.borrow().get(&observed) {
                return v.clone();
            }
            let v = CANDS_SHARED.get_or_insert_with((src.key(), observed), || {
                let mut v: Vec<char> = Vec::new();
                src.push_candidates(observed, &mut v);
                v.retain(|&c| c != observed);
                v.sort_unstable();
                v.dedup();
                v.into()
            });
            let mut m = m.borrow_mut();
            if m.len() >= SIM_MEMO_MAX / 16 {
                m.clear();
            }
            m.insert(observed, v.clone());
            v
        })
    }

    /// True when `ab` is a two-char Han word of the model (a binary search
    /// in `a`'s sorted list: a few cache lines that stay hot while the
    /// candidates of one position are tested).
    #[inline]
    fn is_pair(&self, a: char, b: char) -> bool {
        self.left
            .get(&a)
            .is_some_and(|v| v.binary_search(&b).is_ok())
    }

    /// True when `c` put at `pos` of `run` makes a two-char model word with
    /// a neighbour.
    fn makes_pair(&self, run: &[(usize, char)], pos: usize, c: char) -> bool {
        c != run[pos].1
            && (pos
                .checked_sub(1)
                .is_some_and(|p| self.is_pair(run[p].1, c))
                || run.get(pos + 1).is_some_and(|n| self.is_pair(c, n.1)))
    }

    fn substitutions(
        &self,
        text: &str,
        run: &[(usize, char)],
        lex: &Lexicon,
        src: &Sources,
        out: &mut Vec<Proposal>,
    ) {
        let rs = run[0].0;
        let re = Self::byte_end(text, run, run.len());
        let run_text = &text[rs..re];
        // work lists, reused across the run's positions
        let mut cands: Vec<char> = Vec::new();
        let mut wchars: Vec<char> = Vec::new();
        let mut wc: Vec<char> = Vec::new();
        let mut pre: Vec<(f64, char, f64, u32)> = Vec::new();
        let mut pre_chars: Vec<char> = Vec::new();
        let mut lm_scores: Vec<f64> = Vec::new();
        let mut scored: Vec<(char, f64, f64, u32)> = Vec::new();
        const CHANNEL_SLOTS: usize = 1 << 16;
        let channel_memo = &CHANNEL_MEMO;
        for (pos, lone_left, lone_right) in self.suspicious(run_text, run, lex, src) {
            let observed = run[pos].1;
            let ws = pos.saturating_sub(WINDOW);
            let we = (pos + WINDOW + 1).min(run.len());
            // the chars making a two-char model word after the left
            // neighbour, and before the right one (`ab` is a pair exactly
            // when `b` is in `left[a]` and when `a` is in `right[b]`)
            let after_left = pos
                .checked_sub(1)
                .and_then(|p| self.left.get(&run[p].1))
                .map(|v| v.as_slice())
                .unwrap_or(&[]);
            let before_right = run
                .get(pos + 1)
                .and_then(|n| self.right.get(&n.1))
                .map(|v| v.as_slice())
                .unwrap_or(&[]);
            // the glyph and channel candidates making such a pair (in any
            // order and maybe twice: the list is sorted and deduplicated
            // below), memoized per thread (and for all threads) by (side, neighbour, observed)
            cands.clear();
            if !after_left.is_empty() || !before_right.is_empty() {
                PAIR_CANDS.with(|m| {
                    let mut m = m.borrow_mut();
                    if m.len() >= SIM_MEMO_MAX / 16 {
                        m.clear();
                    }
                    for (right, list) in [(false, after_left), (true, before_right)] {
                        if list.is_empty() {
                            continue;
                        }
                        let nb = if right {
                            run[pos + 1].1
                        } else {
                            run[pos - 1].1
                        };
                        let hits = m.entry((right, nb, observed)).or_insert_with(|| {
                            PAIR_CANDS_SHARED
                                .get_or_insert_with((src.key(), right, nb, observed), || {
                                    self.candidate_set(src, observed)
                                        .iter()
                                        .copied()
                                        .filter(|c| list.binary_search(c).is_ok())
                                        .collect()
                                })
                                .to_vec()
                        });
                        cands.extend_from_slice(hits);
                    }
                });
            }
            debug_assert!({
                let mut want: Vec<char> = self
                    .candidate_set(src, observed)
                    .iter()
                    .copied()
                    .filter(|&c| self.makes_pair(run, pos, c))
                    .collect();
                let mut got = cands.clone();
                got.sort_unstable();
                got.dedup();
                want.sort_unstable();
                want == got
            });
            // word completions: chars making a two-char word with a neighbour
            // that is a single-char token
            if lone_left && !after_left.is_empty() {
                self.completions(after_left, (false, run[pos - 1].1, observed), &mut cands);
            }
            if lone_right && !before_right.is_empty() {
                self.completions(before_right, (true, run[pos + 1].1, observed), &mut cands);
            }
            cands.sort_unstable();
            cands.dedup();
            let local = pos - ws;
            wchars.clear();
            wchars.extend(run[ws..we].iter().map(|x| x.1));
            // cheap pre-score: best covering word + channel; keep the top few
            pre.clear();
            wc.clear();
            wc.extend_from_slice(&wchars);
            let cover = self.lm.cover_starts(&wchars, local);
            channel_memo.with(|m| {
                let mut m = m.borrow_mut();
                if m.is_empty() {
                    m.resize(CHANNEL_SLOTS, (u64::MAX, 0.0, 0));
                }
                for &c in &cands {
                    if c == observed || !is_han(c) {
                        continue;
                    }
                    wc[local] = c;
                    let Some(word_lp) = self.lm.best_covering(&wc, &cover) else {
                        continue;
                    };
                    let key = (c as u64) << 21 | observed as u64;
                    let i = (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 48) as usize
                        & (CHANNEL_SLOTS - 1);
                    let (ch, n) = if m[i].0 == key {
                        (m[i].1, m[i].2)
                    } else {
                        let (ch, n) = self.channel_sub_in(src, c, observed);
                        m[i] = (key, ch, n);
                        (ch, n)
                    };
                    pre.push((word_lp + ch, c, ch, n));
                }
            });
            pre.sort_by(|a, b| b.0.total_cmp(&a.0));
            pre.truncate(MAX_SCORED);
            if pre.is_empty() {
                continue;
            }
            pre_chars.clear();
            pre_chars.extend(pre.iter().map(|p| p.1));
            lm_scores.clear();
            let orig = self
                .lm
                .variant_scores(&wchars, local, &pre_chars, &mut lm_scores);
            scored.clear();
            for (&(_, c, ch, n), &s) in pre.iter().zip(&lm_scores) {
                scored.push((c, s - orig, ch, n));
            }
            scored.sort_by(|a, b| (b.1 + b.2).total_cmp(&(a.1 + a.2)));
            let best = &scored[0];
            let score = best.1 + best.2;
            if score <= 0.0 {
                continue;
            }
            let runner_up = scored
                .get(1)
                .map(|s| s.1 + s.2)
                .unwrap_or(f64::NEG_INFINITY);
            let start = run[pos].0;
            let window = &text[run[ws].0..Self::byte_end(text, run, we)];
            out.push(Proposal {
                kind: Kind::Substitute,
                start,
                end: start + observed.len_utf8(),
                replacement: best.0.to_string(),
                lm_gain: best.1,
                channel_logp: best.2,
                channel_count: best.3,
                score,
                runner_up,
                candidates: scored
                    .iter()
                    .take(5)
                    .map(|s| (s.0.to_string(), s.1 + s.2))
                    .collect(),
                window: (window.to_string(), {
                    wc[local] = best.0;
                    wc.iter().collect()
                }),
                unexplained: false,
                inside: false,
            });
        }
    }

    fn insertions(
        &self,
        text: &str,
        run: &[(usize, char)],
        lex: &Lexicon,
        sources: &dyn Fn(&str) -> Vec<(String, usize)>,
        out: &mut Vec<Proposal>,
    ) {
        if run.len() < 3 {
            return;
        }
        let chars: Vec<char> = run.iter().map(|c| c.1).collect();
        let mut single: Option<Vec<bool>> = None;
        for s in 0..=chars.len() - 3 {
            // the run's chars are contiguous in `text`
            let form = &text[run[s].0..Self::byte_end(text, run, s + 3)];
            let found = sources(form);
            if found.is_empty() || self.lm.unigram(form).is_some() {
                continue;
            }
            // skip when the full word is already there
            let ws = s.saturating_sub(WINDOW);
            let we = (s + 3 + WINDOW).min(chars.len());
            let wb = (run[ws].0, Self::byte_end(text, run, we));
            let window = &text[wb.0..wb.1];
            let orig = self.lm.path_score(&chars[ws..we]);
            let mut scored: Vec<(usize, char, f64, String)> = Vec::new();
            for (word, k) in &found {
                if window.contains(word.as_str()) {
                    scored.clear();
                    break;
                }
                let ins = word.chars().nth(*k).expect("4-char word");
                // insertion index in run chars
                let at = s + k;
                let mut wc: Vec<char> = chars[ws..we].to_vec();
                wc.insert(at - ws, ins);
                let cand: String = wc.iter().collect();
                let gain = self.lm.path_score(&wc) - orig;
                scored.push((at, ins, gain, cand));
            }
            if scored.is_empty() {
                continue;
            }
            scored.sort_by(|a, b| b.2.total_cmp(&a.2));
            // two deletion sources can give the same text (井井有条)
            let mut seen = std::collections::HashSet::new();
            scored.retain(|x| seen.insert(x.3.clone()));
            let best = &scored[0];
            let score = best.2 + DROP_LOG10;
            if best.2 <= 0.0 {
                continue;
            }
            let at = Self::byte_end(text, run, best.0);
            let single = single.get_or_insert_with(|| {
                let rt = &text[run[0].0..Self::byte_end(text, run, run.len())];
                let mut v = Vec::with_capacity(run.len());
                for t in lex.segment(rt) {
                    let n = rt[t.span.start..t.span.end].chars().count();
                    v.resize(v.len() + n, n == 1);
                }
                v
            });
            let unexplained = single.len() == run.len() && single[s..s + 3].iter().all(|&b| b);
            out.push(Proposal {
                unexplained,
                inside: best.0 > s && best.0 < s + 3,
                kind: Kind::Insert,
                start: at,
                end: at,
                replacement: best.1.to_string(),
                lm_gain: best.2,
                channel_logp: DROP_LOG10,
                channel_count: 0,
                score,
                runner_up: scored
                    .get(1)
                    .map(|x| x.2 + DROP_LOG10)
                    .unwrap_or(f64::NEG_INFINITY),
                candidates: scored
                    .iter()
                    .take(5)
                    .map(|x| (x.1.to_string(), x.2 + DROP_LOG10))
                    .collect(),
                window: (window.to_string(), best.3.clone()),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_intersect_agrees_with_a_scan() {
        let lists: Vec<Vec<char>> = vec![
            vec![],
            vec!['一'],
            vec!['一', '丁', '七'],
            ('一'..='龥').step_by(7).collect(),
            ('一'..='龥').step_by(11).collect(),
            ('乙'..='乙').collect(),
        ];
        for a in &lists {
            for b in &lists {
                let scan = a.iter().any(|c| b.contains(c));
                assert_eq!(sorted_intersect(a, b), scan, "{} vs {}", a.len(), b.len());
            }
        }
    }

    #[test]
    fn substitution_found_by_glyph_and_lm() {
        let c = Corrector::embedded();
        // 耍 → 要: 重要 (a look-alike that makes a word)
        let p = c.propose("这是一个很重耍的问题", Kind::Substitute);
        assert!(p.iter().any(|p| p.replacement == "要"), "{p:?}");
        assert!(c
            .propose("这是一个很重要的问题", Kind::Substitute)
            .is_empty());
    }

    #[test]
    fn deletion_index_restores_fixed_phrase() {
        let c = Corrector::embedded();
        assert!(c
            .deletion_sources("心勃勃")
            .iter()
            .any(|(w, k)| w == "雄心勃勃" && *k == 0));
    }
}
