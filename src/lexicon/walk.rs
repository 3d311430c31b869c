//! The prefix walk shared by [`Lexicon::prefixes`], [`Lexicon::words_in`]
//! and [`Lexicon::segment`], over the lexicon's character trie
//! ([`super::trie`]).

use super::trie::Trie;
use super::{Entry, Lexicon};

impl Lexicon {
    /// The character trie: the embedded one, or built from the fst on
    /// first use.
    pub(super) fn trie(&self) -> &Trie {
        self.trie.get_or_init(|| {
            let mut text = String::new();
            let mut words: Vec<(usize, usize, u64)> = Vec::with_capacity(self.len());
            self.for_each(|w, e| {
                words.push((text.len(), text.len() + w.len(), e.pack()));
                text.push_str(w);
            });
            Trie::build(words.iter().map(|&(a, b, v)| (&text[a..b], v)))
        })
    }

    /// Call `f(end_byte, chars_so_far, entry)` for every lexicon word that is
    /// a prefix of `text`, shortest first, up to `max_chars` characters.
    #[inline]
    pub(super) fn walk_prefixes(
        &self,
        text: &str,
        max_chars: usize,
        f: impl FnMut(usize, usize, Entry),
    ) {
        self.trie().walk(text, max_chars, f)
    }
}
