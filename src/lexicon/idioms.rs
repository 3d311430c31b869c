//! Index of idioms by their one-deletion forms: which idioms (IDIOM words of
//! at least [`MIN_IDIOM_CHARS`] characters) become a given string when one
//! character is dropped (`一举两得` minus `两` = `一举得`).
//!
//! Stored as an [`fst::Set`] of keys `form NUL index dropped-char`: the
//! idiom is rebuilt by inserting the dropped character back, so the index
//! costs a few bytes per key beyond the shared prefixes. The embedded
//! lexicon's index is compiled by build.rs; other lexicons build theirs on
//! first use.

use super::idiom_heads::{heads_of, may_hold, HEAD_BITS};
use super::{Lexicon, WordFlags};
use crate::correct::CharBuild;
use fst::{Set, SetBuilder, Streamer};
use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

/// Idioms shorter than this are not indexed.
pub const MIN_IDIOM_CHARS: usize = 4;

/// The deletion index (see the module docs).
///
/// Costs: a query is one fst range scan, O(form length + matches);
/// building from a lexicon sorts about 4 keys per idiom (≈110,000 for the
/// embedded lexicon, tens of ms).
pub struct IdiomIndex {
    set: Set<Cow<'static, [u8]>>,
    /// The head filter (see `idiom_heads.rs`).
    heads: Cow<'static, [u8]>,
    /// A number no other index of this process has: names this index in
    /// the per-thread memo of [`IdiomIndex::idioms_with_deletion`].
    id: u64,
}

/// A fresh [`IdiomIndex::id`].
fn next_id() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Forms kept by the per-thread memo of [`IdiomIndex::idioms_with_deletion`]
/// before it is emptied.
const MEMO_MAX: usize = 1 << 13;

/// Per-thread memo of [`IdiomIndex::idioms_with_deletion`]: the index id
/// and, by form, the answer (forms rejected by the head filter are not
/// kept: that test is cheaper than a lookup).
type DeletionMemo = (u64, HashMap<Box<str>, Vec<(String, usize)>, CharBuild>);

impl std::fmt::Debug for IdiomIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IdiomIndex")
            .field("keys", &self.set.len())
            .finish()
    }
}

/// Key for `idiom` with char `i` dropped: the deletion form, a NUL, the
/// index as one byte, the dropped char.
fn key(chars: &[char], i: usize) -> Vec<u8> {
    let mut k = String::new();
    for (j, c) in chars.iter().enumerate() {
        if j != i {
            k.push(*c);
        }
    }
    let mut k = k.into_bytes();
    k.push(0);
    k.push(i as u8);
    let mut buf = [0u8; 4];
    k.extend_from_slice(chars[i].encode_utf8(&mut buf).as_bytes());
    k
}

impl IdiomIndex {
    /// Wrap fst bytes made by build.rs or [`IdiomIndex::from_lexicon`]
    /// (the head filter is rebuilt from the keys: a full scan).
    pub fn from_bytes(bytes: Cow<'static, [u8]>) -> Result<IdiomIndex, fst::Error> {
        let set = Set::new(bytes)?;
        let mut keys = Vec::new();
        let mut s = set.stream();
        while let Some(k) = s.next() {
            keys.push(k.to_vec());
        }
        let heads = heads_of(keys.iter().map(|k| k.as_slice()));
        Ok(IdiomIndex {
            set,
            heads: Cow::Owned(heads),
            id: next_id(),
        })
    }

    /// Wrap fst bytes and the head filter of the same keys, both made by
    /// build.rs.
    pub(crate) fn from_parts(
        bytes: Cow<'static, [u8]>,
        heads: Cow<'static, [u8]>,
    ) -> Result<IdiomIndex, fst::Error> {
        assert_eq!(heads.len(), HEAD_BITS / 8, "head filter size");
        Ok(IdiomIndex {
            set: Set::new(bytes)?,
            heads,
            id: next_id(),
        })
    }

    /// Index every IDIOM word of `lex` with at least [`MIN_IDIOM_CHARS`]
    /// characters (and at most 255).
    pub fn from_lexicon(lex: &Lexicon) -> IdiomIndex {
        let mut keys: Vec<Vec<u8>> = Vec::new();
        lex.for_each(|w, e| {
            if !e.flags.contains(WordFlags::IDIOM) {
                return;
            }
            let chars: Vec<char> = w.chars().collect();
            if chars.len() < MIN_IDIOM_CHARS || chars.len() > 255 {
                return;
            }
            keys.extend((0..chars.len()).map(|i| key(&chars, i)));
        });
        keys.sort_unstable();
        keys.dedup();
        let mut b = SetBuilder::memory();
        for k in &keys {
            b.insert(k).expect("sorted, deduplicated keys");
        }
        let bytes = b.into_inner().expect("in-memory fst");
        IdiomIndex {
            set: Set::new(Cow::Owned(bytes)).expect("fst just built"),
            heads: Cow::Owned(heads_of(keys.iter().map(|k| k.as_slice()))),
            id: next_id(),
        }
    }

    /// Number of (idiom, dropped position) pairs indexed.
    pub fn len(&self) -> usize {
        self.set.len()
    }

    /// True if nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.set.is_empty()
    }

    /// Every (idiom, char index dropped) such that dropping that char of the
    /// idiom gives `form`, in byte order of idiom keys.
    ///
    /// Cost: one bit test for almost every form; the answers for forms past
    /// it are memoized per thread (the same forms recur all through a text).
    pub fn idioms_with_deletion(&self, form: &str) -> Vec<(String, usize)> {
        if !may_hold(&self.heads, form) {
            return Vec::new();
        }
        thread_local! {
            static MEMO: RefCell<DeletionMemo> = RefCell::new((0, HashMap::default()));
        }
        MEMO.with(|m| {
            let mut m = m.borrow_mut();
            if m.0 != self.id || m.1.len() >= MEMO_MAX {
                m.0 = self.id;
                m.1.clear();
            }
            if let Some(v) = m.1.get(form) {
                return v.clone();
            }
            let v = self.lookup(form);
            m.1.insert(form.into(), v.clone());
            v
        })
    }

    /// [`IdiomIndex::idioms_with_deletion`] past the head filter: a walk of
    /// the fst.
    fn lookup(&self, form: &str) -> Vec<(String, usize)> {
        // Fast reject without allocating: almost no form is a key prefix.
        let fst = self.set.as_fst();
        let mut node = fst.root();
        for &b in form.as_bytes().iter().chain(std::iter::once(&0u8)) {
            match node.find_input(b) {
                Some(i) => node = fst.node(node.transition(i).addr),
                None => return Vec::new(),
            }
        }
        // The keys `form NUL ...`, in byte order: a depth-first walk below
        // that node (a few bytes each; no range stream to set up).
        let mut rests: Vec<Vec<u8>> = Vec::new();
        let mut key = Vec::with_capacity(8);
        Self::keys_below(fst, node, &mut key, &mut rests);
        let mut out = Vec::new();
        for rest in &rests {
            let Some((&i, dropped)) = rest.split_first() else {
                continue;
            };
            let (Ok(dropped), i) = (std::str::from_utf8(dropped), i as usize) else {
                continue;
            };
            let mut idiom = String::with_capacity(form.len() + dropped.len());
            let mut inserted = false;
            for (j, c) in form.chars().enumerate() {
                if j == i {
                    idiom.push_str(dropped);
                    inserted = true;
                }
                idiom.push(c);
            }
            if !inserted {
                idiom.push_str(dropped);
            }
            out.push((idiom, i));
        }
        out
    }

    /// Push the rest of every key below `node` (`key` holds the bytes
    /// walked from it so far), in byte order.
    fn keys_below(
        fst: &fst::raw::Fst<Cow<'static, [u8]>>,
        node: fst::raw::Node<'_>,
        key: &mut Vec<u8>,
        out: &mut Vec<Vec<u8>>,
    ) {
        if node.is_final() {
            out.push(key.clone());
        }
        for t in node.transitions() {
            key.push(t.inp);
            Self::keys_below(fst, fst.node(t.addr), key, out);
            key.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Entry;

    fn lex(words: &[&str]) -> Lexicon {
        Lexicon::from_entries(words.iter().map(|&w| {
            (
                w,
                Entry {
                    freq: 10,
                    flags: WordFlags::IDIOM,
                },
            )
        }))
        .unwrap()
    }

    #[test]
    fn memoized_answers_follow_the_index_asked() {
        let a = lex(&["一举两得", "雄心勃勃", "野心勃勃"]);
        let b = lex(&["一举三得"]);
        for _ in 0..3 {
            assert_eq!(
                a.idioms_with_deletion("一举得"),
                vec![("一举两得".into(), 2)]
            );
            assert_eq!(
                b.idioms_with_deletion("一举得"),
                vec![("一举三得".into(), 2)]
            );
            let mut w = a.idioms_with_deletion("心勃勃");
            w.sort();
            assert_eq!(w, vec![("野心勃勃".into(), 0), ("雄心勃勃".into(), 0)]);
            assert!(b.idioms_with_deletion("心勃勃").is_empty());
            assert!(a.idioms_with_deletion("一二三").is_empty());
        }
        // the same as the walk itself
        let ix = a.idiom_index();
        for f in ["一举得", "心勃勃", "举两得", "一两得", "勃勃", ""] {
            assert_eq!(ix.idioms_with_deletion(f), ix.lookup(f), "{f}");
        }
    }
}
