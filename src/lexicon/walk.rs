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
        mut f: impl FnMut(usize, usize, Entry),
    ) {
        let Some(layer) = &self.layer else {
            return self.trie().walk(text, max_chars, f);
        };
        // User words first, then the embedded walk merged in by end; the
        // layer's entry wins where both have a word.
        let mut user: Vec<(usize, usize, Entry)> = Vec::new();
        // (The layer's own lexicon never has a layer: walk its trie directly.)
        layer
            .words
            .trie()
            .walk(text, max_chars, |end, chars, e| user.push((end, chars, e)));
        if user.is_empty() {
            return self.trie().walk(text, max_chars, f);
        }
        let mut i = 0;
        self.trie().walk(text, max_chars, |end, chars, e| {
            while i < user.len() && user[i].0 < end {
                f(user[i].0, user[i].1, user[i].2);
                i += 1;
            }
            if i < user.len() && user[i].0 == end {
                f(user[i].0, user[i].1, user[i].2);
                i += 1;
            } else {
                f(end, chars, e);
            }
        });
        for &(end, chars, e) in &user[i..] {
            f(end, chars, e);
        }
    }
}
