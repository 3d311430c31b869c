//! User words over the embedded lexicon without rebuilding it: a small
//! lexicon of the user's words (entries already merged with the embedded
//! ones) consulted before the embedded fst and trie.
//!
//! Costs: building the layer sorts the user's words and looks each up in
//! the embedded list (microseconds per word). Lookups try the layer first
//! (one small fst lookup more); a prefix walk also walks the layer's trie.
//! [`Lexicon::fst`] of a layered lexicon builds the merged fst on first use
//! (the cost of a full rebuild, paid only by callers that need the raw fst).

use super::{Entry, Lexicon, LexiconError, WordFlags};
use fst::{Map, MapBuilder, Streamer};
use std::borrow::Cow;
use std::sync::OnceLock;

/// See the module docs.
pub(super) struct Layer {
    /// The user's words with entries merged with the embedded ones.
    pub(super) words: Lexicon,
    /// How many of them the embedded list lacks.
    pub(super) added: usize,
    /// Embedded + user words in one fst, built on first use.
    pub(super) merged: OnceLock<Map<Cow<'static, [u8]>>>,
}

/// Sort, drop empty words, merge duplicates (max frequency, union of flags).
pub(super) fn normalize(mut words: Vec<(String, Entry)>) -> Vec<(String, Entry)> {
    words.retain(|(w, _)| !w.is_empty());
    words.sort_by(|a, b| a.0.cmp(&b.0));
    words.dedup_by(|later, kept| {
        let same = later.0 == kept.0;
        if same {
            kept.1.freq = kept.1.freq.max(later.1.freq);
            kept.1.flags = kept.1.flags.union(later.1.flags);
        }
        same
    });
    words
}

impl Lexicon {
    /// The embedded lexicon with `user` words (already flagged USER) layered
    /// on top, keeping the words of an existing layer of `self`.
    pub(super) fn layered(&self, user: Vec<(String, Entry)>) -> Result<Lexicon, LexiconError> {
        let base = Lexicon::embedded();
        let mut all = user;
        if let Some(l) = &self.layer {
            let mut s = l.words.map.stream();
            while let Some((k, v)) = s.next() {
                all.push((String::from_utf8_lossy(k).into_owned(), Entry::unpack(v)));
            }
        }
        let mut all = normalize(all);
        let mut total = base.total_freq();
        let mut added = 0;
        let mut new_idiom = false;
        for (w, e) in &mut all {
            match base.get(w) {
                Some(b) => {
                    e.freq = e.freq.max(b.freq);
                    e.flags = e.flags.union(b.flags);
                    total += e.freq - b.freq;
                    new_idiom |=
                        e.flags.contains(WordFlags::IDIOM) && !b.flags.contains(WordFlags::IDIOM);
                }
                None => {
                    added += 1;
                    total += e.freq;
                    new_idiom |= e.flags.contains(WordFlags::IDIOM);
                }
            }
        }
        let words = Lexicon::from_entries(all)?;
        let mut lex = Lexicon::load_embedded();
        lex.total = total.max(1);
        lex.log_total = (lex.total as f64).ln();
        if new_idiom {
            // The embedded idiom index lacks the user's idioms: rebuild lazily.
            lex.idioms = OnceLock::new();
        }
        lex.layer = Some(Box::new(Layer {
            words,
            added,
            merged: OnceLock::new(),
        }));
        Ok(lex)
    }

    /// Visit (word, entry) of the embedded fst and the layer, merged in byte
    /// order (the layer's entry wins for a word both have).
    pub(super) fn for_each_layered(&self, layer: &Layer, mut f: impl FnMut(&str, Entry)) {
        // (The layer's own lexicon never has a layer: stream its fst.)
        let mut user: Vec<(String, Entry)> = Vec::with_capacity(layer.words.len());
        let mut us = layer.words.map.stream();
        while let Some((k, v)) = us.next() {
            user.push((String::from_utf8_lossy(k).into_owned(), Entry::unpack(v)));
        }
        let mut u = user.into_iter().peekable();
        let mut s = self.map.stream();
        while let Some((k, v)) = s.next() {
            while let Some((w, e)) = u.next_if(|(w, _)| w.as_bytes() < k) {
                f(&w, e);
            }
            let layered = u.next_if(|(w, _)| w.as_bytes() == k);
            if let Ok(w) = std::str::from_utf8(k) {
                f(w, layered.map_or_else(|| Entry::unpack(v), |(_, e)| e));
            }
        }
        for (w, e) in u {
            f(&w, e);
        }
    }

    /// The merged fst of a layered lexicon.
    pub(super) fn merged_map<'a>(&self, layer: &'a Layer) -> &'a Map<Cow<'static, [u8]>> {
        layer.merged.get_or_init(|| {
            let mut b = MapBuilder::memory();
            self.for_each_layered(layer, |w, e| {
                b.insert(w.as_bytes(), e.pack())
                    .expect("merged stream is sorted and unique");
            });
            let bytes = b.into_inner().expect("in-memory fst");
            Map::new(Cow::Owned(bytes)).expect("fst just built")
        })
    }
}
