//! A compact word bigram language model: the sunpinyin open-gram model
//! (CC-BY-SA 3.0), pruned to 600k bigrams by `scripts/build_lm.py`,
//! compiled into two fsts by `build/lm.rs` and embedded.
//!
//! All scores are log10 probabilities. Costs: [`WordLm::cond`] is one fst
//! lookup for the bigram and, when it is absent, two for the back-off
//! (unigram of the history and of the word); [`WordLm::best_path`] over a
//! window of n chars does about n × 3 prefix walks plus one `cond` per pair of
//! adjacent lattice edges (tens of lookups for a 10-char window).

use fst::{Map, Streamer};
use std::sync::OnceLock;

static UNI: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lm_uni.fst"));
static BI: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/lm_bi.fst"));

/// log10 probability charged per char of a token the model does not know.
pub const OOV_LOG10: f64 = -8.0;
/// Longest word (in chars) the lattice considers.
pub const MAX_WORD_CHARS: usize = 8;

/// (log10 P, log10 back-off) from a unigram fst value.
fn unpack_uni(v: u64) -> (f64, f64) {
    let lp = -((v >> 24) as f64) / 1000.0;
    let bow = ((v & 0xFF_FFFF) as f64 - (1u64 << 23) as f64) / 1000.0;
    (lp, bow)
}

/// A back-off word bigram model.
pub struct WordLm {
    uni: Map<&'static [u8]>,
    bi: Map<&'static [u8]>,
}

impl std::fmt::Debug for WordLm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WordLm")
            .field("unigrams", &self.uni.len())
            .field("bigrams", &self.bi.len())
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
            bi: Map::new(BI).expect("embedded bigram fst is valid"),
        })
    }

    /// Number of (unigram, bigram) entries.
    pub fn len(&self) -> (usize, usize) {
        (self.uni.len(), self.bi.len())
    }

    /// True when the model is empty (data not built).
    pub fn is_empty(&self) -> bool {
        self.uni.is_empty()
    }

    /// (log10 P(w), log10 back-off(w)) when `w` is a model word.
    pub fn unigram(&self, w: &str) -> Option<(f64, f64)> {
        self.uni.get(w).map(unpack_uni)
    }

    /// log10 P(w2 | w1) when the pruned model keeps this bigram.
    pub fn bigram(&self, w1: &str, w2: &str) -> Option<f64> {
        let mut key = String::with_capacity(w1.len() + w2.len() + 1);
        key.push_str(w1);
        key.push('\x1f');
        key.push_str(w2);
        self.bi.get(key).map(|v| -(v as f64) / 100.0)
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
    /// read during the same fst walk.
    pub fn prefix_entries(&self, text: &str) -> Vec<(usize, f64, f64)> {
        let fst = self.uni.as_fst();
        let mut node = fst.root();
        let mut out = fst::raw::Output::zero();
        let mut res = Vec::new();
        let mut chars = 0;
        for (i, &b) in text.as_bytes().iter().enumerate() {
            match node.find_input(b) {
                None => break,
                Some(ti) => {
                    let t = node.transition(ti);
                    out = out.cat(t.out);
                    node = fst.node(t.addr);
                }
            }
            let end = i + 1;
            if text.is_char_boundary(end) {
                chars += 1;
                if node.is_final() {
                    let (lp, bow) = unpack_uni(out.cat(node.final_output()).value());
                    res.push((end, lp, bow));
                }
                if chars >= MAX_WORD_CHARS {
                    break;
                }
            }
        }
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
        struct Edge {
            tok: PathToken,
            lp: f64,
            bow: f64,
            end_char: usize,
        }
        let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let n = starts.len();
        if n == 0 {
            return (0.0, Vec::new());
        }
        let char_at = |byte: usize| starts.partition_point(|&s| s < byte);
        let mut edges: Vec<Edge> = Vec::with_capacity(n * 2);
        let mut by_start: Vec<Vec<usize>> = vec![Vec::new(); n];
        for (ci, &s) in starts.iter().enumerate() {
            let pre = self.prefix_entries(&text[s..]);
            let one = starts.get(ci + 1).copied().unwrap_or(text.len());
            if !pre.iter().any(|p| p.0 == one - s) {
                by_start[ci].push(edges.len());
                edges.push(Edge {
                    tok: PathToken {
                        start: s,
                        end: one,
                        known: false,
                    },
                    lp: OOV_LOG10,
                    bow: 0.0,
                    end_char: ci + 1,
                });
            }
            for (l, lp, bow) in pre {
                by_start[ci].push(edges.len());
                edges.push(Edge {
                    tok: PathToken {
                        start: s,
                        end: s + l,
                        known: true,
                    },
                    lp,
                    bow,
                    end_char: char_at(s + l),
                });
            }
        }
        // best[j] = (score, back pointer) of the best path ending with edge j
        let mut best: Vec<(f64, usize)> = vec![(f64::NEG_INFINITY, usize::MAX); edges.len()];
        for j in &by_start[0] {
            let e = &edges[*j];
            let w = &text[e.tok.start..e.tok.end];
            best[*j] = (
                if e.tok.known {
                    self.cond(prev, w)
                } else {
                    e.lp
                },
                usize::MAX,
            );
        }
        let mut key = String::new();
        for i in 0..edges.len() {
            if best[i].0 == f64::NEG_INFINITY || edges[i].end_char >= n {
                continue;
            }
            let (pi, pw) = (&edges[i], &text[edges[i].tok.start..edges[i].tok.end]);
            for &j in &by_start[pi.end_char] {
                let e = &edges[j];
                let step = if !e.tok.known {
                    e.lp
                } else {
                    key.clear();
                    key.push_str(pw);
                    key.push('\x1f');
                    key.push_str(&text[e.tok.start..e.tok.end]);
                    match self.bi.get(&key) {
                        Some(v) => -(v as f64) / 100.0,
                        None => e.lp + if pi.tok.known { pi.bow } else { 0.0 },
                    }
                };
                let s = best[i].0 + step;
                if s > best[j].0 {
                    best[j] = (s, i);
                }
            }
        }
        let mut end_best = (f64::NEG_INFINITY, usize::MAX);
        for (j, e) in edges.iter().enumerate() {
            if e.end_char == n && best[j].0 > end_best.0 {
                end_best = (best[j].0, j);
            }
        }
        let mut path = Vec::new();
        let mut j = end_best.1;
        while j != usize::MAX {
            path.push(edges[j].tok);
            j = best[j].1;
        }
        path.reverse();
        (end_best.0, path)
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
