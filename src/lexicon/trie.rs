//! A character trie over the lexicon's words, for the prefix walk behind
//! [`Lexicon::prefixes`](super::Lexicon::prefixes), `words_in` and
//! `segment`: one binary search among a node's children per character (the
//! root's children below U+A000 through a direct table), instead of three
//! fst byte transitions. Layout in `trie_build.rs`. An edge filter (a
//! bitmap of every transition, hashed; `build_edge_filter`) answers most
//! failed steps without the search: on running text two thirds of the steps
//! below the root find no child.
//!
//! The embedded lexicon's trie is compiled by build.rs (16 bytes per node,
//! about 8 MB for 495,000 nodes); other lexicons build theirs on first use
//! (a fraction of a second for the full list in a release build).

use super::trie_build::{build_edge_filter, build_trie, edge_filter_key, NO_WORD, RECORD};
use super::Entry;
use std::borrow::Cow;

const TABLE_START: u32 = 0;
// (`children` reads the first-child fields of two records at 0 and 16)
const _: () = assert!(RECORD == 16);
const TABLE_END: u32 = 0xA000;

/// The trie (see the module docs).
pub(crate) struct Trie {
    /// Node records (with a trailing sentinel).
    nodes: Cow<'static, [u8]>,
    /// Root child node for chars below U+A000 (ASCII, punctuation, CJK);
    /// 0 = none.
    root_table: Vec<u32>,
    /// The edge filter (`build_edge_filter` in `trie_build.rs`), or empty.
    filter: Cow<'static, [u8]>,
    /// Words (u64) in `filter` minus one.
    filter_mask: usize,
}

impl Trie {
    #[inline]
    fn u32_field(&self, n: usize, off: usize) -> u32 {
        let b = &self.nodes[n * RECORD + off..n * RECORD + off + 4];
        u32::from_le_bytes([b[0], b[1], b[2], b[3]])
    }

    #[inline]
    fn label(&self, n: usize) -> u32 {
        self.u32_field(n, 4)
    }

    #[inline]
    fn value(&self, n: usize) -> u64 {
        let mut a = [0u8; 8];
        a.copy_from_slice(&self.nodes[n * RECORD + 8..n * RECORD + 16]);
        u64::from_le_bytes(a)
    }

    /// Wrap node records and their edge filter (empty: none), both made by
    /// `build_trie` and `build_edge_filter` (or build.rs).
    pub(crate) fn from_parts(nodes: Cow<'static, [u8]>, filter: Cow<'static, [u8]>) -> Trie {
        let words = filter.len() / 8;
        assert!(
            filter.len() % 8 == 0 && (words == 0 || words.is_power_of_two()),
            "edge filter size"
        );
        let mut t = Trie {
            nodes,
            root_table: Vec::new(),
            filter,
            filter_mask: words.saturating_sub(1),
        };
        let mut table = vec![0u32; (TABLE_END - TABLE_START) as usize];
        if t.nodes.len() >= 2 * RECORD {
            for k in t.children(0) {
                let c = t.label(k);
                if (TABLE_START..TABLE_END).contains(&c) {
                    table[(c - TABLE_START) as usize] = k as u32;
                }
            }
        }
        t.root_table = table;
        t
    }

    /// Build from (word, packed value) pairs in byte order.
    /// (With an edge filter: the walks of [`Lexicon::segment`](super::Lexicon::segment)
    /// skip most searches.)
    pub(super) fn build<'a>(words: impl IntoIterator<Item = (&'a str, u64)>) -> Trie {
        let nodes = build_trie(words);
        let filter = build_edge_filter(&nodes);
        Trie::from_parts(nodes.into(), filter.into())
    }

    /// False when the edge filter proves that node `n` has no child by `c`
    /// (the filter must not be empty).
    #[inline]
    fn filter_passes(&self, n: usize, c: u32) -> bool {
        let (w, bits) = edge_filter_key(n, c, self.filter_mask);
        let b = &self.filter[w * 8..w * 8 + 8];
        let word = u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]]);
        word & bits == bits
    }

    #[inline]
    fn children(&self, n: usize) -> std::ops::Range<usize> {
        // the first-child fields of `n` and `n + 1`, by one bounds check
        let b = &self.nodes[n * RECORD..n * RECORD + RECORD + 4];
        let first = u32::from_le_bytes([b[0], b[1], b[2], b[3]]);
        let next = u32::from_le_bytes([b[16], b[17], b[18], b[19]]);
        first as usize..next as usize
    }

    #[inline]
    fn child(&self, n: usize, c: u32) -> Option<usize> {
        if n == 0 && (TABLE_START..TABLE_END).contains(&c) {
            let k = self.root_table[(c - TABLE_START) as usize];
            return (k != 0).then_some(k as usize);
        }
        if !self.filter.is_empty() && !self.filter_passes(n, c) {
            return None;
        }
        let r = self.children(n);
        let (mut lo, mut hi) = (r.start, r.end);
        // Narrow by binary search, then scan the last few records (they
        // share one or two cache lines).
        while hi - lo > 8 {
            let mid = (lo + hi) / 2;
            let l = self.label(mid);
            if l < c {
                lo = mid + 1;
            } else if l > c {
                hi = mid;
            } else {
                return Some(mid);
            }
        }
        // (one bounds check for the scanned records; labels are sorted, so
        // the scan stops at the first label not below `c`)
        for (k, rec) in self.nodes[lo * RECORD..hi * RECORD]
            .chunks_exact(RECORD)
            .enumerate()
        {
            let l = u32::from_le_bytes([rec[4], rec[5], rec[6], rec[7]]);
            if l >= c {
                return (l == c).then_some(lo + k);
            }
        }
        None
    }

    /// The root's child by `c` ([`Trie::is_empty`] must be false).
    #[inline]
    pub(crate) fn root_child(&self, c: u32) -> Option<u32> {
        if (TABLE_START..TABLE_END).contains(&c) {
            let k = self.root_table[(c - TABLE_START) as usize];
            return (k != 0).then_some(k);
        }
        self.child(0, c).map(|k| k as u32)
    }

    /// The raw value of node `n` ([`NO_WORD`] if no word ends there).
    #[inline]
    pub(crate) fn raw_value(&self, n: u32) -> u64 {
        self.value(n as usize)
    }

    /// Call `f(end_byte, chars, entry)` for each word that is a prefix of
    /// `text`, shortest first, up to `max_chars` chars.
    #[inline]
    pub(super) fn walk(
        &self,
        text: &str,
        max_chars: usize,
        mut f: impl FnMut(usize, usize, Entry),
    ) {
        self.walk_raw(text, max_chars, |end, chars, v| {
            f(end, chars, Entry::unpack(v))
        })
    }

    /// Like [`Trie::walk`], with the raw stored value of each word (for
    /// tries whose values are not lexicon entries, such as the language
    /// model's).
    #[inline]
    pub(crate) fn walk_raw(
        &self,
        text: &str,
        max_chars: usize,
        mut f: impl FnMut(usize, usize, u64),
    ) {
        if self.nodes.len() < 2 * RECORD {
            return;
        }
        let mut n = 0usize;
        for (chars, (i, c)) in text.char_indices().enumerate() {
            if chars >= max_chars {
                return;
            }
            match self.child(n, c as u32) {
                None => return,
                Some(k) => n = k,
            }
            let v = self.value(n);
            if v != NO_WORD {
                f(i + c.len_utf8(), chars + 1, v);
            }
        }
    }

    /// Call `f(a, b)` for every two-char word `ab` of the trie (in order).
    pub(crate) fn for_each_pair(&self, mut f: impl FnMut(char, char)) {
        if self.nodes.len() < 2 * RECORD {
            return;
        }
        for k in self.children(0) {
            for j in self.children(k) {
                if self.value(j) != NO_WORD {
                    if let (Some(a), Some(b)) =
                        (char::from_u32(self.label(k)), char::from_u32(self.label(j)))
                    {
                        f(a, b);
                    }
                }
            }
        }
    }

    /// Like [`Trie::walk_raw`] over a char slice: `f(chars, value)` for each
    /// word that is a prefix of `chars`.
    #[inline]
    pub(crate) fn walk_chars(&self, chars: &[char], mut f: impl FnMut(usize, u64)) {
        if self.nodes.len() < 2 * RECORD {
            return;
        }
        let mut n = 0usize;
        for (k, &c) in chars.iter().enumerate() {
            match self.child(n, c as u32) {
                None => return,
                Some(x) => n = x,
            }
            let v = self.value(n);
            if v != NO_WORD {
                f(k + 1, v);
            }
        }
    }

    /// True when the trie holds no word (no node below the root).
    #[inline]
    pub(crate) fn is_empty(&self) -> bool {
        self.nodes.len() < 2 * RECORD
    }

    /// The child of node `n` (0 = the root) by `c`, for walks that resume
    /// from a node ([`Trie::is_empty`] must be false).
    #[inline]
    pub(crate) fn step(&self, n: usize, c: char) -> Option<usize> {
        self.child(n, c as u32)
    }

    /// The raw value of the word ending at node `n`, if one does.
    #[inline]
    pub(crate) fn word_at(&self, n: usize) -> Option<u64> {
        let v = self.value(n);
        (v != NO_WORD).then_some(v)
    }

    /// The raw value stored for exactly `word`, if it is a word of the trie.
    #[inline]
    pub(crate) fn get_raw(&self, word: &str) -> Option<u64> {
        if self.nodes.len() < 2 * RECORD || word.is_empty() {
            return None;
        }
        let mut n = 0usize;
        for c in word.chars() {
            n = self.child(n, c as u32)?;
        }
        let v = self.value(n);
        (v != NO_WORD).then_some(v)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Every transition of `t` passes its edge filter: `child` finds each
    /// child by its label (the filter has no false negatives). Returns the
    /// number of transitions checked and how many absent ones the filter
    /// let through out of the number probed.
    pub(crate) fn check_filter(t: &Trie) -> (usize, usize, usize) {
        let count = t.nodes.len() / RECORD - 1;
        let (mut checked, mut passed, mut probed) = (0, 0, 0);
        for n in 0..count {
            let r = t.children(n);
            for k in r.clone() {
                let c = t.label(k);
                assert_eq!(t.child(n, c), Some(k), "node {n} char {c:#x}");
                checked += 1;
                if c + 1 < 0x11_0000 && !r.clone().any(|j| t.label(j) == c + 1) {
                    probed += 1;
                    passed += usize::from(t.filter_passes(n, c + 1));
                }
            }
        }
        (checked, passed, probed)
    }

    #[test]
    fn edge_filter_keeps_every_transition_of_the_embedded_trie() {
        let lex = crate::lexicon::Lexicon::embedded();
        let t = lex.trie();
        assert!(!t.filter.is_empty());
        let (checked, passed, probed) = check_filter(t);
        assert!(checked > 400_000, "{checked}");
        // about one absent transition in twenty gets through
        assert!(passed * 12 < probed, "{passed} of {probed}");
    }

    #[test]
    fn edge_filter_of_a_built_trie() {
        let mut words = [
            "中",
            "中国",
            "中国人",
            "中华",
            "\u{2A6D0}",
            "\u{2A6D0}中",
            "a",
            "ab",
        ];
        words.sort();
        let t = Trie::build(words.iter().enumerate().map(|(i, w)| (*w, i as u64)));
        assert!(!t.filter.is_empty());
        assert_eq!(check_filter(&t).0, words.len());
        for (i, w) in words.iter().enumerate() {
            assert_eq!(t.get_raw(w), Some(i as u64), "{w}");
        }
        assert_eq!(t.get_raw("中人"), None);
        assert_eq!(t.get_raw("\u{2A6D1}"), None);
        // no words: no filter, no walk
        let e = Trie::build(std::iter::empty());
        assert!(e.filter.is_empty());
        assert_eq!(e.get_raw("中"), None);
    }

    #[test]
    fn child_lookup_finds_every_label_in_long_and_skewed_lists() {
        // second chars: a dense block, a sparse spread and a far outlier,
        // so that interpolation probes land both near and far
        let mut seconds: Vec<char> = (0x4E00u32..0x4E60).filter_map(char::from_u32).collect();
        seconds.extend((0x5000u32..0x9F00).step_by(97).filter_map(char::from_u32));
        seconds.push('\u{2A6D0}');
        let mut words: Vec<String> = seconds.iter().map(|&c| format!("中{c}")).collect();
        words.push("中".to_string());
        words.sort();
        let t = Trie::build(
            words
                .iter()
                .enumerate()
                .map(|(i, w)| (w.as_str(), i as u64)),
        );
        for (i, w) in words.iter().enumerate() {
            assert_eq!(t.get_raw(w), Some(i as u64), "{w}");
        }
        for c in (0x4D00u32..0xA000).step_by(13).filter_map(char::from_u32) {
            let w = format!("中{c}");
            assert_eq!(t.get_raw(&w).is_some(), words.contains(&w), "{w}");
        }
        assert_eq!(t.get_raw("中\u{2A6D1}"), None);
        assert_eq!(t.get_raw("中\u{3000}"), None);
    }
}
