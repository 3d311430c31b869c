//! A compact word bigram language model: the sunpinyin open-gram model
//! (CC-BY-SA 3.0), pruned to 600k bigrams by `scripts/build_lm.py`,
//! compiled into two fsts by `build/lm.rs` and embedded.
//!
//! All scores are log10 probabilities. Words are found by a walk of a
//! character trie (one per text position gives every model word starting
//! there, with its id, probability and back-off); a bigram is a probe of an
//! open-addressing hash table keyed by the two word ids (`bigram_table.rs`).
//! [`WordLm::best_path`] over a window of n chars does n trie walks plus one
//! probe per pair of adjacent lattice edges. It, [`WordLm::path_score`] and
//! [`WordLm::variant_scores`] build the same char lattice and run the same
//! Viterbi recurrence (`best_path` keeps back pointers; `variant_scores`
//! reuses the original window's edges and scores before the changed char).

use super::bigram_table::{bigram_slot, BI_SLOTS, EMPTY};
use crate::lexicon::trie::Trie;
use fst::{Map, Streamer};
use std::borrow::Cow;
use std::sync::OnceLock;

static UNI: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lm_uni.fst"));
static TRIE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lm_trie.bin"));
static TRIE_FILTER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lm_trie_filter.bin"));
static BI_KEYS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lm_bi_keys.bin"));
static BI_VALS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lm_bi_vals.bin"));
static BI_LEN: &str = include_str!(concat!(env!("OUT_DIR"), "/lm_bi_len.txt"));

/// log10 probability charged per char of a token the model does not know.
pub const OOV_LOG10: f64 = -8.0;
/// Longest word (in chars) the lattice considers.
pub const MAX_WORD_CHARS: usize = 8;

/// (word id, log10 P, log10 back-off) from a trie value (see build/lm.rs).
#[inline]
fn unpack_trie(v: u64) -> (u32, f64, f64) {
    let lp = -(((v >> 16) & 0xFFFF) as f64) / 1000.0;
    let bow = ((v & 0xFFFF) as f64 - (1u64 << 15) as f64) / 1000.0;
    ((v >> 32) as u32, lp, bow)
}

/// A lattice edge of [`WordLm::variant_scores`]: a model word (`id` set)
/// or one unknown char, by char positions.
#[derive(Clone, Copy)]
struct CharEdge {
    id: u32,
    lp: f64,
    bow: f64,
    /// Char index after the edge.
    end: usize,
    /// Index of the same edge in the original lattice when its best score
    /// carries over to a variant (it ends at or before the changed char).
    orig: usize,
}

/// Where the covering-word walks of [`WordLm::best_covering`] resume.
#[derive(Debug, Clone, Copy)]
pub struct CoverStarts {
    at: usize,
    from: usize,
    nodes: [usize; 4],
}

/// Reusable buffers of [`WordLm::variant_scores`]: the original window's
/// lattice and scores, and one variant's.
#[derive(Default)]
struct VarScratch {
    edges: Vec<CharEdge>,
    first: Vec<usize>,
    best: Vec<f64>,
    /// Trie node after the chars from a start up to the changed char
    /// (`NO_NODE` when no model word continues that far).
    nodes: Vec<usize>,
    chars: Vec<char>,
    vedges: Vec<CharEdge>,
    vfirst: Vec<usize>,
    vbest: Vec<f64>,
    /// Viterbi steps out of the edges starting after the changed char (the
    /// same in every variant): those of edge `first[at + 1] + k` start at
    /// `gstep_at[k]`.
    gsteps: Vec<f64>,
    gstep_at: Vec<usize>,
}

/// The Viterbi steps out of the edges after the changed char of
/// [`WordLm::variant_scores`] (see `VarScratch::gsteps`), for a lattice
/// whose first such edge is `from`.
#[derive(Clone, Copy)]
struct Steps<'a> {
    from: usize,
    at: &'a [usize],
    steps: &'a [f64],
}

const NO_NODE: usize = usize::MAX;
const UNKNOWN_ID: u32 = u32::MAX;

thread_local! {
    static VAR_SCRATCH: std::cell::RefCell<VarScratch> =
        std::cell::RefCell::new(VarScratch::default());
}

/// A back-off word bigram model.
pub struct WordLm {
    uni: Map<&'static [u8]>,
    trie: Trie,
    bigrams: usize,
}

impl std::fmt::Debug for WordLm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordLm")
            .field("unigrams", &self.uni.len())
            .field("bigrams", &self.bigrams)
            .finish()
    }
}

/// One token of a best path: byte range in the scored text and whether the
/// model knows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PathToken {
    /// Start byte.
    pub start: usize,
    /// End byte.
    pub end: usize,
    /// True when the token is a model word (not an out-of-vocabulary char).
    pub known: bool,
}

impl WordLm {
    /// The embedded model (parsed once).
    pub fn embedded() -> &'static WordLm {
        static LM: OnceLock<WordLm> = OnceLock::new();
        LM.get_or_init(|| WordLm {
            uni: Map::new(UNI).expect("embedded unigram fst is valid"),
            trie: Trie::from_parts(Cow::Borrowed(TRIE), Cow::Borrowed(TRIE_FILTER)),
            bigrams: BI_LEN.trim().parse().unwrap_or(0),
        })
    }

    /// Number of (unigram, bigram) entries.
    pub fn len(&self) -> (usize, usize) {
        (self.uni.len(), self.bigrams)
    }

    /// True when the model is empty (data not built).
    pub fn is_empty(&self) -> bool {
        self.uni.is_empty()
    }

    /// (log10 P(w), log10 back-off(w)) when `w` is a model word.
    pub fn unigram(&self, w: &str) -> Option<(f64, f64)> {
        self.trie.get_raw(w).map(|v| {
            let (_, lp, bow) = unpack_trie(v);
            (lp, bow)
        })
    }

    /// The model's id of `w` (its rank in byte order) when it is a model word.
    pub fn id(&self, w: &str) -> Option<u32> {
        self.trie.get_raw(w).map(|v| unpack_trie(v).0)
    }

    /// log10 P(w2 | w1) when the pruned model keeps this bigram.
    pub fn bigram(&self, w1: &str, w2: &str) -> Option<f64> {
        self.bigram_ids(self.id(w1)?, self.id(w2)?)
    }

    /// log10 P(w2 | w1) by model ids: a probe of the bigram hash table.
    #[inline]
    pub fn bigram_ids(&self, w1: u32, w2: u32) -> Option<f64> {
        if BI_KEYS.len() != 8 * BI_SLOTS {
            return None;
        }
        let key = (w1 as u64) << 32 | w2 as u64;
        let mut i = bigram_slot(key);
        loop {
            let b = &BI_KEYS[8 * i..8 * i + 8];
            let k = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
            if k == key {
                let v = u16::from_le_bytes([BI_VALS[2 * i], BI_VALS[2 * i + 1]]);
                return Some(-(v as f64) / 100.0);
            }
            if k == EMPTY {
                return None;
            }
            i = (i + 1) & (BI_SLOTS - 1);
        }
    }

    /// log10 P(w | prev) with back-off; an unknown `w` costs
    /// [`OOV_LOG10`] per char.
    pub fn cond(&self, prev: Option<&str>, w: &str) -> f64 {
        let Some((lp, _)) = self.unigram(w) else {
            return OOV_LOG10 * w.chars().count() as f64;
        };
        match prev {
            None => lp,
            Some(p) => match self.bigram(p, w) {
                Some(b) => b,
                None => lp + self.unigram(p).map(|u| u.1).unwrap_or(0.0),
            },
        }
    }

    /// log10 probability of a token sequence (the first token unconditioned).
    pub fn score(&self, tokens: &[&str]) -> f64 {
        let mut s = 0.0;
        let mut prev: Option<&str> = None;
        for t in tokens {
            s += self.cond(prev, t);
            prev = Some(t);
        }
        s
    }

    /// Model words that are prefixes of `text` (byte lengths, shortest
    /// first), up to [`MAX_WORD_CHARS`] chars.
    pub fn prefixes(&self, text: &str) -> Vec<usize> {
        self.prefix_entries(text).into_iter().map(|p| p.0).collect()
    }

    /// Like [`WordLm::prefixes`], with each word's (log10 P, log10 back-off),
    /// read during the same trie walk.
    pub fn prefix_entries(&self, text: &str) -> Vec<(usize, f64, f64)> {
        let mut res = Vec::new();
        self.trie.walk_raw(text, MAX_WORD_CHARS, |end, _, v| {
            let (_, lp, bow) = unpack_trie(v);
            res.push((end, lp, bow));
        });
        res
    }

    /// The most probable segmentation of `text` under the bigram model
    /// (Viterbi over the lattice of model words; each char is also an edge,
    /// unknown chars cost [`OOV_LOG10`]). `prev` is the word before `text`.
    /// Returns the log10 probability and the tokens.
    ///
    /// Cost: one prefix walk per char, one unigram lookup per lattice edge,
    /// one bigram lookup per pair of adjacent edges.
    pub fn best_path(&self, text: &str, prev: Option<&str>) -> (f64, Vec<PathToken>) {
        let mut sc = VAR_SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        let VarScratch {
            edges,
            first,
            best,
            nodes: back,
            chars,
            vfirst: starts,
            ..
        } = &mut sc;
        chars.clear();
        starts.clear();
        for (i, c) in text.char_indices() {
            starts.push(i);
            chars.push(c);
        }
        starts.push(text.len());
        let n = chars.len();
        let mut path = Vec::new();
        let mut score = 0.0;
        if n > 0 {
            self.lattice(chars, edges, first);
            let prev = prev.and_then(|p| self.trie.get_raw(p)).map(unpack_trie);
            let (s, mut j) =
                self.viterbi_back(edges, first, best, n, prev.map(|p| (p.0, p.2)), back);
            score = s;
            while j != NO_NODE {
                let e = &edges[j];
                // the edge's start char: the range of `first` holding j
                let st = first.partition_point(|&f| f <= j) - 1;
                path.push(PathToken {
                    start: starts[st],
                    end: starts[e.end],
                    known: e.id != UNKNOWN_ID,
                });
                j = back[j];
            }
            path.reverse();
        }
        VAR_SCRATCH.with(|s| *s.borrow_mut() = sc);
        (score, path)
    }

    /// The lattice of `chars`: model words from each start (walked from the
    /// trie root) and an unknown one-char edge where no one-char word
    /// starts; edges starting at char `s` are `first[s]..first[s + 1]`.
    fn lattice(&self, chars: &[char], edges: &mut Vec<CharEdge>, first: &mut Vec<usize>) {
        edges.clear();
        first.clear();
        let n = chars.len();
        for s in 0..n {
            first.push(edges.len());
            self.walk_edges(chars, s, 0, 0, n, edges);
            Self::push_unknown(s, first[s], edges);
        }
        first.push(edges.len());
    }

    /// [`WordLm::viterbi`] with back pointers (`back[j]` = the edge before
    /// edge `j` on its best path, `NO_NODE` at the start) and the previous
    /// word's (model id, log10 back-off), if any, scoring the first edges.
    /// Returns the best score and the last edge of its path (`NO_NODE` when
    /// there is no edge).
    fn viterbi_back(
        &self,
        edges: &[CharEdge],
        first: &[usize],
        best: &mut Vec<f64>,
        n: usize,
        prev: Option<(u32, f64)>,
        back: &mut Vec<usize>,
    ) -> (f64, usize) {
        best.clear();
        best.resize(edges.len(), f64::NEG_INFINITY);
        back.clear();
        back.resize(edges.len(), NO_NODE);
        for (j, e) in edges.iter().enumerate().take(first[1]) {
            best[j] = match (e.id, prev) {
                (UNKNOWN_ID, _) | (_, None) => e.lp,
                (id, Some((pid, pbow))) => self.bigram_ids(pid, id).unwrap_or(e.lp + pbow),
            };
        }
        for i in 0..edges.len() {
            let pi = &edges[i];
            let bi = best[i];
            if bi == f64::NEG_INFINITY || pi.end >= n {
                continue;
            }
            for j in first[pi.end]..first[pi.end + 1] {
                let e = &edges[j];
                let step = if e.id == UNKNOWN_ID || pi.id == UNKNOWN_ID {
                    e.lp
                } else {
                    self.bigram_ids(pi.id, e.id).unwrap_or(e.lp + pi.bow)
                };
                let s = bi + step;
                if s > best[j] {
                    best[j] = s;
                    back[j] = i;
                }
            }
        }
        let mut end_best = (f64::NEG_INFINITY, NO_NODE);
        for (j, e) in edges.iter().enumerate() {
            if e.end == n && best[j] > end_best.0 {
                end_best = (best[j], j);
            }
        }
        end_best
    }

    /// Best-path scores of a window and of its one-char substitution
    /// variants: returns [`WordLm::best_path`]`(chars, None).0` and pushes
    /// to `out`, for each `c` of `cands`, the score of `chars` with
    /// `chars[at]` replaced by `c` (bit-identical to `best_path` on that
    /// text).
    ///
    /// A variant shares the original's lattice edges that end at or before
    /// `at` (and their Viterbi scores) and the edges that start after it;
    /// only the words through `at` are walked again and only the edges
    /// ending after `at` are rescored, in the same order as `best_path`.
    pub fn variant_scores(
        &self,
        chars: &[char],
        at: usize,
        cands: &[char],
        out: &mut Vec<f64>,
    ) -> f64 {
        let n = chars.len();
        if n == 0 {
            out.extend(cands.iter().map(|_| 0.0));
            return 0.0;
        }
        assert!(at < n, "changed char inside the window");
        let mut sc = VAR_SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        let VarScratch {
            edges,
            first,
            best,
            nodes,
            chars: vc,
            vedges,
            vfirst,
            vbest,
            gsteps,
            gstep_at,
        } = &mut sc;
        edges.clear();
        first.clear();
        nodes.clear();
        for s in 0..n {
            first.push(edges.len());
            let node = self.walk_edges(chars, s, 0, 0, at, edges);
            if s < at {
                nodes.push(node);
            }
            Self::push_unknown(s, first[s], edges);
        }
        first.push(edges.len());
        // the steps between edges after `at`, computed once for all variants
        gsteps.clear();
        gstep_at.clear();
        for pi in &edges[first[at + 1]..] {
            gstep_at.push(gsteps.len());
            if pi.end < n {
                for e in &edges[first[pi.end]..first[pi.end + 1]] {
                    gsteps.push(self.step(pi, e));
                }
            }
        }
        let after = Steps {
            from: first[at + 1],
            at: gstep_at,
            steps: gsteps,
        };
        let orig = self.viterbi_with(edges, first, best, n, None, &after);
        vc.clear();
        vc.extend_from_slice(chars);
        for &c in cands {
            vc[at] = c;
            vedges.clear();
            vfirst.clear();
            for s in 0..n {
                vfirst.push(vedges.len());
                let from = vedges.len();
                match s.cmp(&at) {
                    std::cmp::Ordering::Less => {
                        for (j, e) in edges.iter().enumerate().take(first[s + 1]).skip(first[s]) {
                            if e.id != UNKNOWN_ID && e.end <= at {
                                vedges.push(CharEdge { orig: j, ..*e });
                            }
                        }
                        if nodes[s] != NO_NODE {
                            self.walk_edges(vc, s, nodes[s], at - s, at, vedges);
                        }
                        if Self::push_unknown(s, from, vedges) {
                            // the original has the same unknown edge last
                            let last = vedges.len() - 1;
                            vedges[last].orig = first[s + 1] - 1;
                        }
                    }
                    std::cmp::Ordering::Equal => {
                        self.walk_edges(vc, s, 0, 0, at, vedges);
                        Self::push_unknown(s, from, vedges);
                    }
                    std::cmp::Ordering::Greater => {
                        // (edges of the original lattice carry no `orig`)
                        vedges.extend_from_slice(&edges[first[s]..first[s + 1]]);
                    }
                }
            }
            vfirst.push(vedges.len());
            let after = Steps {
                from: vfirst[at + 1],
                ..after
            };
            out.push(self.viterbi_with(vedges, vfirst, vbest, n, Some((at, best)), &after));
        }
        VAR_SCRATCH.with(|s| *s.borrow_mut() = sc);
        orig
    }

    /// The trie nodes after `w[s..at]` for each start `s` of a word of at
    /// most four chars covering `at`, for [`WordLm::best_covering`] on
    /// windows that differ from `w` only at `at`.
    pub fn cover_starts(&self, w: &[char], at: usize) -> CoverStarts {
        let from = at.saturating_sub(3);
        let mut nodes = [NO_NODE; 4];
        if !self.trie.is_empty() {
            'start: for s in from..=at {
                let mut n = 0usize;
                for &c in &w[s..at] {
                    match self.trie.step(n, c) {
                        Some(x) => n = x,
                        None => continue 'start,
                    }
                }
                nodes[s - from] = n;
            }
        }
        CoverStarts { at, from, nodes }
    }

    /// The best log10 unigram probability of a model word of 2–4 chars in
    /// `w` covering index `st.at` (None when there is none), where `w`
    /// equals the window of `st` except maybe at `st.at`: the walks resume
    /// from the nodes of [`WordLm::cover_starts`].
    pub fn best_covering(&self, w: &[char], st: &CoverStarts) -> Option<f64> {
        let mut best: Option<f64> = None;
        for s in st.from..=st.at {
            let mut n = st.nodes[s - st.from];
            if n == NO_NODE {
                continue;
            }
            let end = (s + 4).min(w.len());
            for (k, &c) in w.iter().enumerate().take(end).skip(st.at) {
                match self.trie.step(n, c) {
                    None => break,
                    Some(x) => n = x,
                }
                if let Some(v) = self.trie.word_at(n) {
                    if k + 1 - s >= 2 {
                        let lp = unpack_trie(v).1;
                        best = Some(best.map_or(lp, |b: f64| b.max(lp)));
                    }
                }
            }
        }
        best
    }

    /// [`WordLm::best_path`]`(text, None).0` for the text of `chars`,
    /// without building the path (bit-identical score).
    pub fn path_score(&self, chars: &[char]) -> f64 {
        if chars.is_empty() {
            return 0.0;
        }
        let mut sc = VAR_SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        let VarScratch {
            edges, first, best, ..
        } = &mut sc;
        self.lattice(chars, edges, first);
        let score = self.viterbi(edges, first, best, chars.len(), None);
        VAR_SCRATCH.with(|s| *s.borrow_mut() = sc);
        score
    }

    /// Push the model words of `v` starting at char `s` (at most
    /// [`MAX_WORD_CHARS`] chars), resuming from trie node `node` with
    /// `depth` chars already consumed. Returns the node after the chars
    /// `s..at` when the walk gets that far (`NO_NODE` otherwise).
    #[inline]
    fn walk_edges(
        &self,
        v: &[char],
        s: usize,
        node: usize,
        depth: usize,
        at: usize,
        edges: &mut Vec<CharEdge>,
    ) -> usize {
        let mut reached = if s + depth == at { node } else { NO_NODE };
        if self.trie.is_empty() {
            return NO_NODE;
        }
        let lim = (s + MAX_WORD_CHARS).min(v.len());
        let mut n = node;
        for (k, &c) in v.iter().enumerate().take(lim).skip(s + depth) {
            match self.trie.step(n, c) {
                None => return reached,
                Some(x) => n = x,
            }
            if let Some(val) = self.trie.word_at(n) {
                let (id, lp, bow) = unpack_trie(val);
                edges.push(CharEdge {
                    id,
                    lp,
                    bow,
                    end: k + 1,
                    orig: NO_NODE,
                });
            }
            if k + 1 == at {
                reached = n;
            }
        }
        reached
    }

    /// Push the unknown one-char edge at `s` when no model word of one char
    /// starts there (`edges[from..]` are the words starting at `s`).
    #[inline]
    fn push_unknown(s: usize, from: usize, edges: &mut Vec<CharEdge>) -> bool {
        if edges[from..].iter().any(|e| e.end == s + 1) {
            return false;
        }
        edges.push(CharEdge {
            id: UNKNOWN_ID,
            lp: OOV_LOG10,
            bow: 0.0,
            end: s + 1,
            orig: NO_NODE,
        });
        true
    }

    /// The Viterbi pass of [`WordLm::best_path`] (no previous word) over a
    /// char lattice of `n` chars: the best score of a path to the end.
    /// With `known = Some((at, orig_best))`, edges ending at or before `at`
    /// take their final score from `orig_best[edge.orig]`.
    fn viterbi(
        &self,
        edges: &[CharEdge],
        first: &[usize],
        best: &mut Vec<f64>,
        n: usize,
        known: Option<(usize, &[f64])>,
    ) -> f64 {
        let none = Steps {
            from: usize::MAX,
            at: &[],
            steps: &[],
        };
        self.viterbi_with(edges, first, best, n, known, &none)
    }

    /// The log10 probability of edge `e` after edge `pi` (the Viterbi step
    /// of [`WordLm::viterbi`]).
    #[inline]
    fn step(&self, pi: &CharEdge, e: &CharEdge) -> f64 {
        if e.id == UNKNOWN_ID || pi.id == UNKNOWN_ID {
            e.lp
        } else {
            self.bigram_ids(pi.id, e.id).unwrap_or(e.lp + pi.bow)
        }
    }

    /// [`WordLm::viterbi`], taking the steps out of the edges from
    /// `after.from` on from `after` (bit-identical: the same values, added
    /// in the same order).
    fn viterbi_with(
        &self,
        edges: &[CharEdge],
        first: &[usize],
        best: &mut Vec<f64>,
        n: usize,
        known: Option<(usize, &[f64])>,
        after: &Steps<'_>,
    ) -> f64 {
        best.clear();
        best.resize(edges.len(), f64::NEG_INFINITY);
        let done = known.map_or(0, |k| k.0);
        for (j, e) in edges.iter().enumerate() {
            if let Some((at, ob)) = known {
                if e.end <= at {
                    best[j] = ob[e.orig];
                    continue;
                }
            }
            if j < first[1] {
                best[j] = e.lp;
            }
        }
        for i in 0..edges.len() {
            let pi = &edges[i];
            let bi = best[i];
            if bi == f64::NEG_INFINITY || pi.end >= n {
                continue;
            }
            let succ = first[pi.end]..first[pi.end + 1];
            if i >= after.from {
                let k = after.at[i - after.from];
                let steps = &after.steps[k..k + succ.len()];
                for (j, &step) in succ.zip(steps) {
                    let s = bi + step;
                    if s > best[j] {
                        best[j] = s;
                    }
                }
                continue;
            }
            for j in succ {
                let e = &edges[j];
                if known.is_some() && e.end <= done {
                    continue;
                }
                let s = bi + self.step(pi, e);
                if s > best[j] {
                    best[j] = s;
                }
            }
        }
        let mut end_best = f64::NEG_INFINITY;
        for (j, e) in edges.iter().enumerate() {
            if e.end == n && best[j] > end_best {
                end_best = best[j];
            }
        }
        end_best
    }

    /// Call `f(n, log10 P)` for each model word that is a prefix of `chars`
    /// (n = its length in chars), shortest first.
    pub fn prefixes_of_chars(&self, chars: &[char], mut f: impl FnMut(usize, f64)) {
        self.trie.walk_chars(chars, |n, v| f(n, unpack_trie(v).1))
    }

    /// Call `f(a, b)` for every two-char model word `ab` (a walk of the
    /// first two trie levels: no string decoding).
    pub fn for_each_pair(&self, f: impl FnMut(char, char)) {
        self.trie.for_each_pair(f)
    }

    /// Iterate over unigram words (for tests and tools).
    pub fn for_each_word(&self, mut f: impl FnMut(&str)) {
        let mut s = self.uni.stream();
        while let Some((k, _)) = s.next() {
            if let Ok(w) = std::str::from_utf8(k) {
                f(w);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edge_filter_keeps_every_transition_of_the_model_trie() {
        let lm = WordLm::embedded();
        let (checked, passed, probed) = crate::lexicon::trie::tests::check_filter(&lm.trie);
        assert!(checked > 10_000, "{checked}");
        assert!(passed * 5 < probed, "{passed} of {probed}");
    }

    #[test]
    fn embedded_model_scores_words_over_noise() {
        let lm = WordLm::embedded();
        assert!(lm.len().0 > 50_000 && lm.len().1 > 100_000);
        assert!(lm.unigram("我们").is_some());
        let good = lm.best_path("我们今天去学校", None).0;
        let bad = lm.best_path("我们今太去学校", None).0;
        assert!(good > bad + 2.0, "{good} vs {bad}");
        assert!(lm.score(&["我们", "的"]) > lm.score(&["我们", "丌"]));
    }

    #[test]
    fn variant_scores_match_best_path_bit_for_bit() {
        let lm = WordLm::embedded();
        let texts = [
            "我们今天去学校上课",
            "中华人民共和国成立了",
            "这是一个很重耍的问题",
            "经济社会发展取得新成就",
            "丌丌丌我们",
            "中华人民共和国中央人民政府成立大会",
            "有",
        ];
        let cands: Vec<char> = "的了是我们国家人民大学中华重要学生耍丌x".chars().collect();
        for t in texts {
            let chars: Vec<char> = t.chars().collect();
            for at in 0..chars.len() {
                let mut out = Vec::new();
                let orig = lm.variant_scores(&chars, at, &cands, &mut out);
                assert_eq!(orig.to_bits(), lm.best_path(t, None).0.to_bits(), "{t}");
                assert_eq!(lm.path_score(&chars).to_bits(), orig.to_bits(), "{t}");
                assert_eq!(out.len(), cands.len());
                let cover = lm.cover_starts(&chars, at);
                for (&c, s) in cands.iter().zip(&out) {
                    let mut v = chars.clone();
                    v[at] = c;
                    // the covering-word walk as a walk from every start
                    let mut want: Option<f64> = None;
                    for st in at.saturating_sub(3)..=at {
                        let end = (st + 4).min(v.len());
                        lm.prefixes_of_chars(&v[st..end], |n, lp| {
                            if n >= 2 && st + n > at {
                                want = Some(want.map_or(lp, |b: f64| b.max(lp)));
                            }
                        });
                    }
                    assert_eq!(
                        lm.best_covering(&v, &cover).map(f64::to_bits),
                        want.map(f64::to_bits)
                    );
                    let v: String = v.iter().collect();
                    assert_eq!(s.to_bits(), lm.best_path(&v, None).0.to_bits(), "{v}");
                }
            }
        }
    }

    #[test]
    fn best_path_score_is_its_tokens_scored_after_prev() {
        let lm = WordLm::embedded();
        for (prev, t) in [
            ("我们", "今天去学校"),
            ("的", "数据类型"),
            ("计算机", "正气水药品"),
            ("学校", "ABC文件"),
        ] {
            let (score, path) = lm.best_path(t, Some(prev));
            let mut expected = 0.0;
            let mut last = prev.to_string();
            for tok in &path {
                let w = &t[tok.start..tok.end];
                expected += lm.cond(Some(&last), w);
                last = w.to_string();
            }
            assert_eq!(score.to_bits(), expected.to_bits(), "{prev} | {t}");
            assert_eq!(path.first().map(|p| p.start), Some(0));
            assert_eq!(path.last().map(|p| p.end), Some(t.len()));
        }
    }

    #[test]
    fn best_path_covers_text() {
        let lm = WordLm::embedded();
        let t = "中华人民共和国成立了";
        let (_, path) = lm.best_path(t, None);
        assert_eq!(path.first().unwrap().start, 0);
        assert_eq!(path.last().unwrap().end, t.len());
        for w in path.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
    }
}
