//! Which chars the character model's training text puts between two
//! neighbours: adjacency lists of every char pair seen at least twice
//! (`dictionaries/char_pairs.bin`, built by `scripts/char_lm/build_pairs.py`
//! from the same text as [`CharLm`](super::char_lm::CharLm)).
//!
//! This is the decoder's **context** candidate source: a misread whose
//! intended char looks nothing like it (small print, ink loss, a second OCR
//! engine's guess) is not among the look-alikes, but the intended char
//! usually fits both neighbours. [`CharPairs::fitting`] intersects the
//! successors of the left neighbour with the predecessors of the right one
//! and ranks them by their two bigram probabilities; the decoder then
//! scores the best few with the full model and the channel's prior.

use std::sync::OnceLock;

const MAGIC: &[u8; 8] = b"ZHCPAIR1";

/// Errors reading a pair table.
#[derive(Debug, thiserror::Error)]
pub enum CharPairsError {
    /// The bytes are not a pair table or are cut short.
    #[error("not a zhclean char pair table ({0})")]
    Format(&'static str),
}

/// Adjacency lists of char pairs (symbols as [`super::char_lm::symbol`]
/// maps them; BOS and EOS included).
#[derive(Debug)]
pub struct CharPairs {
    /// Code points, sorted.
    syms: Vec<char>,
    succ_off: Vec<u32>,
    succ: Vec<u16>,
    /// −log10 P(next | this) × 16 of each successor.
    succ_cost: Vec<u8>,
    pred_off: Vec<u32>,
    pred: Vec<u16>,
    /// −log10 P(this | predecessor) × 16 of each predecessor.
    pred_cost: Vec<u8>,
}

impl CharPairs {
    /// The embedded table.
    pub fn embedded() -> &'static CharPairs {
        static PAIRS: OnceLock<CharPairs> = OnceLock::new();
        PAIRS.get_or_init(|| {
            CharPairs::from_bytes(include_bytes!("../../dictionaries/char_pairs.bin"))
                .expect("embedded char_pairs.bin is valid")
        })
    }

    /// A table from the bytes `build_pairs.py` writes.
    pub fn from_bytes(b: &[u8]) -> Result<CharPairs, CharPairsError> {
        if b.len() < 16 || &b[..8] != MAGIC {
            return Err(CharPairsError::Format("magic"));
        }
        let mut at = 8usize;
        let u32s = |n: usize, at: &mut usize| -> Result<Vec<u32>, CharPairsError> {
            let end = *at + 4 * n;
            let s = b.get(*at..end).ok_or(CharPairsError::Format("size"))?;
            *at = end;
            Ok(s.chunks_exact(4)
                .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
                .collect())
        };
        let head = u32s(2, &mut at)?;
        let (ns, np) = (head[0] as usize, head[1] as usize);
        let syms: Vec<char> = u32s(ns, &mut at)?
            .into_iter()
            .map(|u| char::from_u32(u).ok_or(CharPairsError::Format("symbol")))
            .collect::<Result<_, _>>()?;
        if syms.windows(2).any(|w| w[0] >= w[1]) {
            return Err(CharPairsError::Format("symbols not sorted"));
        }
        let succ_off = u32s(ns + 1, &mut at)?;
        let u16s = |n: usize, at: &mut usize| -> Result<Vec<u16>, CharPairsError> {
            let end = *at + 2 * n;
            let s = b.get(*at..end).ok_or(CharPairsError::Format("size"))?;
            *at = end;
            Ok(s.chunks_exact(2)
                .map(|c| u16::from_le_bytes(c.try_into().unwrap()))
                .collect())
        };
        let succ = u16s(np, &mut at)?;
        let succ_cost = b
            .get(at..at + np)
            .ok_or(CharPairsError::Format("size"))?
            .to_vec();
        at += np;
        let pred_off = u32s(ns + 1, &mut at)?;
        let pred = u16s(np, &mut at)?;
        let pred_cost = b
            .get(at..at + np)
            .ok_or(CharPairsError::Format("size"))?
            .to_vec();
        at += np;
        let offsets_ok = |off: &[u32]| {
            off.first() == Some(&0)
                && off.last() == Some(&(np as u32))
                && off.windows(2).all(|w| w[0] <= w[1])
        };
        if at != b.len() || !offsets_ok(&succ_off) || !offsets_ok(&pred_off) {
            return Err(CharPairsError::Format("size"));
        }
        if succ.iter().chain(&pred).any(|&i| i as usize >= ns) {
            return Err(CharPairsError::Format("index"));
        }
        Ok(CharPairs {
            syms,
            succ_off,
            succ,
            succ_cost,
            pred_off,
            pred,
            pred_cost,
        })
    }

    /// Pairs in the table.
    pub fn len(&self) -> usize {
        self.succ.len()
    }

    /// True when the table holds no pair.
    pub fn is_empty(&self) -> bool {
        self.succ.is_empty()
    }

    fn index(&self, c: char) -> Option<usize> {
        self.syms.binary_search(&c).ok()
    }

    fn successors(&self, i: usize) -> (&[u16], &[u8]) {
        let (a, b) = (self.succ_off[i] as usize, self.succ_off[i + 1] as usize);
        (&self.succ[a..b], &self.succ_cost[a..b])
    }

    fn predecessors(&self, i: usize) -> (&[u16], &[u8]) {
        let (a, b) = (self.pred_off[i] as usize, self.pred_off[i + 1] as usize);
        (&self.pred[a..b], &self.pred_cost[a..b])
    }

    /// log10 P(`b` | `a`) by the pair counts, if the pair was seen (twice).
    pub fn logp(&self, a: char, b: char) -> Option<f32> {
        let (ia, ib) = (self.index(a)?, self.index(b)?);
        let (s, cost) = self.successors(ia);
        let k = s.binary_search(&(ib as u16)).ok()?;
        Some(-(cost[k] as f32) / 16.0)
    }

    /// The chars seen after `left` and before `right`, best first by
    /// log10 P(x | left) + log10 P(right | x), at most `top` of them
    /// (`out` is cleared first).
    pub fn fitting(&self, left: char, right: char, top: usize, out: &mut Vec<(char, f32)>) {
        out.clear();
        let (Some(il), Some(ir)) = (self.index(left), self.index(right)) else {
            return;
        };
        let (s, s_cost) = self.successors(il);
        let (p, p_cost) = self.predecessors(ir);
        // walk the shorter list, gallop in the longer one
        let (short, short_cost, long, long_cost) = if s.len() <= p.len() {
            (s, s_cost, p, p_cost)
        } else {
            (p, p_cost, s, s_cost)
        };
        let mut from = 0;
        for (k, &x) in short.iter().enumerate() {
            let rest = &long[from..];
            // exponential then binary search from the last match
            let mut step = 1;
            while step < rest.len() && rest[step - 1] < x {
                step *= 2;
            }
            let window = &rest[..step.min(rest.len())];
            match window.binary_search(&x) {
                Ok(at) => {
                    let score = -(short_cost[k] as f32 + long_cost[from + at] as f32) / 16.0;
                    keep_top(out, top, (self.syms[x as usize], score));
                    from += at + 1;
                }
                Err(at) => from += at,
            }
            if from >= long.len() {
                break;
            }
        }
    }
}

/// Put `e` into `out`, the best `top` so far by score (highest first, ties
/// in the order they came): what a stable sort of all of them by score,
/// cut to `top`, gives, without sorting the thousands a common pair of
/// neighbours has.
#[inline]
fn keep_top(out: &mut Vec<(char, f32)>, top: usize, e: (char, f32)) {
    use std::cmp::Ordering::Less;
    if out.len() == top {
        match out.last() {
            Some(l) if l.1.total_cmp(&e.1) == Less => {}
            _ => return,
        }
    }
    // after every entry scoring at least as high
    let at = out.partition_point(|o| o.1.total_cmp(&e.1) != Less);
    if out.len() == top {
        out.pop();
    }
    out.insert(at, e);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keep_top_is_a_stable_sort_cut_to_top() {
        // scores with many ties, -0.0 and 0.0 among them
        let scores = [
            0.0f32, -1.0, -0.5, -1.0, 0.0, -0.0, -2.0, -0.5, -0.5, -3.0, -1.0, -0.0,
        ];
        let all: Vec<(char, f32)> = scores
            .iter()
            .enumerate()
            .map(|(i, &s)| (char::from(b'a' + i as u8), s))
            .collect();
        for top in 0..=all.len() + 1 {
            let mut want = all.clone();
            want.sort_by(|x, y| y.1.total_cmp(&x.1));
            want.truncate(top);
            let mut got = Vec::new();
            for &e in &all {
                keep_top(&mut got, top, e);
            }
            assert_eq!(got, want, "top {top}");
        }
    }

    #[test]
    fn fitting_is_the_best_of_all_fitting_chars() {
        let t = CharPairs::embedded();
        for (l, r) in [('的', '是'), ('中', '人'), ('我', '们'), ('。', '的')] {
            let mut all = Vec::new();
            t.fitting(l, r, usize::MAX, &mut all);
            let mut top = Vec::new();
            t.fitting(l, r, 8, &mut top);
            assert!(all.len() > 8, "{l}{r}: {}", all.len());
            assert_eq!(top, all[..8], "{l}{r}");
            assert!(all.windows(2).all(|w| w[0].1 >= w[1].1));
        }
    }

    #[test]
    fn embedded_table_reads_and_knows_common_pairs() {
        let t = CharPairs::embedded();
        assert!(t.len() > 100_000);
        assert!(t.logp('中', '国').is_some());
        assert!(t.logp('国', '中').unwrap_or(-9.0) < t.logp('中', '国').unwrap());
    }

    #[test]
    fn fitting_chars_fit_both_neighbours_best_first() {
        let t = CharPairs::embedded();
        let mut out = Vec::new();
        // 中?人: 国 fits (中国, 国人)
        t.fitting('中', '人', 20, &mut out);
        assert!(out.iter().any(|x| x.0 == '国'), "{out:?}");
        assert!(out.windows(2).all(|w| w[0].1 >= w[1].1));
        for &(x, _) in &out {
            assert!(t.logp('中', x).is_some() && t.logp(x, '人').is_some());
        }
        t.fitting('中', '人', 1, &mut out);
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn bad_bytes_are_errors() {
        assert!(CharPairs::from_bytes(b"nope").is_err());
        let good = include_bytes!("../../dictionaries/char_pairs.bin");
        assert!(CharPairs::from_bytes(&good[..good.len() - 1]).is_err());
    }
}
