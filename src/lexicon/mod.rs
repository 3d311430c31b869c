//! The lexicon: Chinese words with frequencies and flags, stored in an
//! [`fst::Map`], plus the queries every rule needs (exact lookup, prefix walk,
//! all words in a window, max-probability segmentation).
//!
//! The default lexicon is compiled from `dictionaries/` at build time and
//! embedded in the binary ([`Lexicon::embedded`]); user words are merged on
//! top ([`Lexicon::with_user_words`]).

use crate::span::Span;
use fst::raw::Fst;
use fst::{Map, MapBuilder, Streamer};
use std::borrow::Cow;
use std::sync::OnceLock;

pub mod chars;
mod idiom_heads;
pub mod idioms;
mod layer;
pub(crate) mod trie;
mod trie_build;
pub mod user;
mod walk;

use idioms::IdiomIndex;

/// Flags stored with a word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct WordFlags(pub u32);

impl WordFlags {
    /// Idiom or fixed phrase (成语, 惯用语).
    pub const IDIOM: WordFlags = WordFlags(1);
    /// Surname.
    pub const SURNAME: WordFlags = WordFlags(1 << 1);
    /// Place name.
    pub const PLACE: WordFlags = WordFlags(1 << 2);
    /// Person name.
    pub const PERSON: WordFlags = WordFlags(1 << 3);
    /// A legitimate reduplicated form (谢谢, 常常, 看看, 的的确确).
    pub const REDUP: WordFlags = WordFlags(1 << 4);
    /// Added by the user (user dictionary).
    pub const USER: WordFlags = WordFlags(1 << 5);
    /// A single char that jieba tags as a verb (`v`, `vg`; 跳, 查, 聊), common
    /// enough (count ≥ 500) and not one that never reduplicates (是, 有, 要):
    /// its AA form is a tentative verb (跳跳绳, 查查清楚).
    pub const VERB: WordFlags = WordFlags(1 << 6);
    /// A single char that jieba tags as an adjective (`a`; 快, 好, 慢), count
    /// ≥ 500: its AA form is an adverb or a vivid adjective (快快来).
    pub const ADJ: WordFlags = WordFlags(1 << 7);
    /// A single char that jieba tags as a noun or classifier (`n`, `ng`,
    /// `q`; 绳, 澡, 天), count ≥ 100: the object of a verb-object word
    /// (跳绳, 洗澡, 聊天).
    pub const NOUN: WordFlags = WordFlags(1 << 8);

    /// True if every flag in `other` is set.
    pub fn contains(self, other: WordFlags) -> bool {
        self.0 & other.0 == other.0
    }

    /// Union of flags.
    pub fn union(self, other: WordFlags) -> WordFlags {
        WordFlags(self.0 | other.0)
    }
}

/// What the lexicon stores for a word.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Entry {
    /// Corpus count (scaled; only ratios matter).
    pub freq: u64,
    /// Flags.
    pub flags: WordFlags,
}

const FREQ_BITS: u32 = 40;
const FREQ_MASK: u64 = (1 << FREQ_BITS) - 1;

impl Entry {
    /// Pack into the fst's u64 value: low 40 bits frequency, high bits flags.
    pub fn pack(&self) -> u64 {
        (self.freq.min(FREQ_MASK)) | ((self.flags.0 as u64) << FREQ_BITS)
    }

    /// Inverse of [`Entry::pack`].
    pub fn unpack(v: u64) -> Entry {
        Entry {
            freq: v & FREQ_MASK,
            flags: WordFlags((v >> FREQ_BITS) as u32),
        }
    }
}

/// Slots of the ln(frequency) cache of [`Lexicon::segment`] (a power of two;
/// the slot is the top 12 bits of a multiplicative hash).
const LN_SLOTS: usize = 1 << 12;

/// Work arrays of [`Lexicon::segment`].
#[derive(Default)]
struct SegmentScratch {
    /// Byte offset of each char (and the end).
    idx: Vec<usize>,
    chars: Vec<char>,
    /// (score, end, entry) per char (the walk over a user layer).
    best: Vec<(f64, usize, Option<Entry>)>,
    /// The best first token of the text from each char (the trie walk).
    best_trie: Vec<Best>,
    /// (frequency, its natural log) by hash slot.
    ln: Vec<(u64, f64)>,
}

/// The best segmentation of a text's tail: its score, the end (char index)
/// of its first token and the trie node where that token ends (0: an
/// out-of-vocabulary char).
#[derive(Clone, Copy)]
struct Best {
    score: f64,
    end: u32,
    node: u32,
}

/// Errors building a lexicon.
#[derive(Debug, thiserror::Error)]
pub enum LexiconError {
    /// The fst library refused the data.
    #[error("lexicon fst: {0}")]
    Fst(#[from] fst::Error),
}

/// A token of a segmentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte span in the segmented text.
    pub span: Span,
    /// The lexicon entry, or None for an out-of-vocabulary single char.
    pub entry: Option<Entry>,
}

/// A word list: an fst (word → packed [`Entry`]) for exact lookups, plus a
/// character trie for prefix walks.
///
/// Costs (release build; figures in BENCHMARKS.md, "Lexicon"):
/// - [`Lexicon::embedded`]: tens of µs once (nothing is parsed or copied);
/// - [`Lexicon::get`], [`Lexicon::contains`], [`Lexicon::log_prob`]: one fst
///   lookup, O(word length), about 200–250 ns;
/// - [`Lexicon::prefixes`]: one trie walk, ~100 ns for a 10-char text;
/// - [`Lexicon::words_in`], [`Lexicon::segment`]: one walk per character,
///   tens of MB/s;
/// - [`Lexicon::idioms_with_deletion`]: one fst range scan, ~1.5 µs.
///
/// Memory: the embedded lexicon borrows its static bytes (fst 3.7 MB, trie
/// 7.9 MB, idiom index 1.5 MB); user words added to it with
/// [`Lexicon::with_user_words`] form a small layer on top (nothing copied).
/// A lexicon built at run time ([`Lexicon::from_entries`],
/// [`Lexicon::from_fst_bytes`]) owns its fst and builds its trie and idiom
/// index on first use (a fraction of a second for a full-size list).
pub struct Lexicon {
    map: Map<Cow<'static, [u8]>>,
    total: u64,
    log_total: f64,
    idioms: OnceLock<IdiomIndex>,
    trie: OnceLock<trie::Trie>,
    /// True for the embedded lexicon and lexicons layered on it.
    embedded_base: bool,
    /// User words layered over the embedded lexicon.
    layer: Option<Box<layer::Layer>>,
}

impl std::fmt::Debug for Lexicon {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Lexicon")
            .field("words", &self.len())
            .field("total", &self.total)
            .finish()
    }
}

/// The fst compiled by build.rs from `dictionaries/`.
static EMBEDDED_WORDS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/words.fst"));
/// The idiom deletion index of the embedded words, compiled by build.rs.
static EMBEDDED_IDIOM_DELETIONS: &[u8] =
    include_bytes!(concat!(env!("OUT_DIR"), "/idiom_deletions.fst"));
/// The head filter of that index (see `idiom_heads.rs`).
static EMBEDDED_IDIOM_HEADS: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/idiom_heads.bin"));
/// The character trie of the embedded words (layout in `trie_build.rs`).
static EMBEDDED_TRIE: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/trie.bin"));
/// The edge filter of that trie (`build_edge_filter` in `trie_build.rs`).
static EMBEDDED_TRIE_FILTER: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/trie_filter.bin"));
mod meta {
    include!(concat!(env!("OUT_DIR"), "/words_meta.rs"));
}

impl Lexicon {
    /// The embedded default lexicon (parsed once, then shared).
    ///
    /// Cost: the first call checks the fst headers over the embedded bytes
    /// and fills a 160 KB table for the trie root (about 10 µs; no copy, no
    /// scan: the total frequency is a build-time constant); later calls are
    /// a pointer load.
    pub fn embedded() -> &'static Lexicon {
        static LEX: OnceLock<Lexicon> = OnceLock::new();
        LEX.get_or_init(Lexicon::load_embedded)
    }

    /// A fresh, uncached handle on the embedded lexicon: what
    /// [`Lexicon::embedded`] does once. Use `embedded()`; this exists for
    /// benchmarks. Cost: see [`Lexicon::embedded`].
    pub fn load_embedded() -> Lexicon {
        let map = Map::new(Cow::Borrowed(EMBEDDED_WORDS))
            .expect("embedded lexicon is valid (built by build.rs)");
        debug_assert_eq!(map.len(), meta::EMBEDDED_WORDS_LEN);
        let mut lex = Lexicon::with_total(map, meta::EMBEDDED_TOTAL);
        lex.embedded_base = true;
        let index = IdiomIndex::from_parts(
            Cow::Borrowed(EMBEDDED_IDIOM_DELETIONS),
            Cow::Borrowed(EMBEDDED_IDIOM_HEADS),
        )
        .expect("embedded idiom index is valid (built by build.rs)");
        let _ = lex.idioms.set(index);
        let _ = lex.trie.set(trie::Trie::from_parts(
            Cow::Borrowed(EMBEDDED_TRIE),
            Cow::Borrowed(EMBEDDED_TRIE_FILTER),
        ));
        lex
    }

    /// A lexicon over fst bytes made by [`Lexicon::from_entries`] or build.rs.
    ///
    /// Cost: one pass over all entries to sum the frequencies (tens of ms
    /// for the full word list).
    pub fn from_fst_bytes(bytes: Cow<'static, [u8]>) -> Result<Lexicon, LexiconError> {
        let map = Map::new(bytes)?;
        let mut total = 0u64;
        let mut s = map.stream();
        while let Some((_, v)) = s.next() {
            total += Entry::unpack(v).freq;
        }
        Ok(Lexicon::with_total(map, total))
    }

    fn with_total(map: Map<Cow<'static, [u8]>>, total: u64) -> Lexicon {
        let total = total.max(1);
        Lexicon {
            map,
            total,
            log_total: (total as f64).ln(),
            idioms: OnceLock::new(),
            trie: OnceLock::new(),
            embedded_base: false,
            layer: None,
        }
    }

    /// Build from entries in any order; duplicates are merged (max
    /// frequency, union of flags).
    pub fn from_entries<I, S>(entries: I) -> Result<Lexicon, LexiconError>
    where
        I: IntoIterator<Item = (S, Entry)>,
        S: Into<String>,
    {
        let mut v: Vec<(String, Entry)> = entries.into_iter().map(|(w, e)| (w.into(), e)).collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        let mut merged: Vec<(String, Entry)> = Vec::with_capacity(v.len());
        for (w, e) in v {
            match merged.last_mut() {
                Some((lw, le)) if *lw == w => {
                    le.freq = le.freq.max(e.freq);
                    le.flags = le.flags.union(e.flags);
                }
                _ => merged.push((w, e)),
            }
        }
        let mut b = MapBuilder::memory();
        let mut total = 0;
        for (w, e) in &merged {
            if w.is_empty() {
                continue;
            }
            total += e.freq;
            b.insert(w.as_bytes(), e.pack())?;
        }
        let bytes = b.into_inner()?;
        Ok(Lexicon::with_total(Map::new(Cow::Owned(bytes))?, total))
    }

    /// This lexicon with `words` added (user dictionary). Existing entries
    /// keep their frequency unless the user's is higher; flags are merged and
    /// [`WordFlags::USER`] is set.
    ///
    /// Cost: on the embedded lexicon (or one already derived from it this
    /// way), the user's words form a small layer consulted first: building
    /// it costs microseconds per user word and nothing is copied. On any
    /// other lexicon the whole fst is rebuilt (this lexicon's sorted stream
    /// merged with the sorted user words; about 0.25 s for a full-size list)
    /// and the new lexicon builds its trie on the first walk (about 0.1 s).
    pub fn with_user_words<I, S>(&self, words: I) -> Result<Lexicon, LexiconError>
    where
        I: IntoIterator<Item = (S, Entry)>,
        S: Into<String>,
    {
        let user: Vec<(String, Entry)> = words
            .into_iter()
            .map(|(w, mut e)| {
                e.flags = e.flags.union(WordFlags::USER);
                (w.into(), e)
            })
            .collect();
        if self.embedded_base {
            return self.layered(user);
        }
        // Merge-join the sorted user words with this lexicon's (already
        // sorted) stream straight into the builder.
        let user = layer::normalize(user);
        let mut b = MapBuilder::memory();
        let mut total = 0u64;
        let mut u = user.into_iter().peekable();
        let mut s = self.map.stream();
        while let Some((k, v)) = s.next() {
            let base = Entry::unpack(v);
            while let Some((w, e)) = u.next_if(|(w, _)| w.as_bytes() < k) {
                total += e.freq;
                b.insert(w.as_bytes(), e.pack())?;
            }
            let e = match u.next_if(|(w, _)| w.as_bytes() == k) {
                Some((_, e)) => Entry {
                    freq: base.freq.max(e.freq),
                    flags: base.flags.union(e.flags),
                },
                None => base,
            };
            total += e.freq;
            b.insert(k, e.pack())?;
        }
        for (w, e) in u {
            total += e.freq;
            b.insert(w.as_bytes(), e.pack())?;
        }
        let bytes = b.into_inner()?;
        Ok(Lexicon::with_total(Map::new(Cow::Owned(bytes))?, total))
    }

    /// Number of words.
    pub fn len(&self) -> usize {
        self.map.len() + self.layer.as_ref().map_or(0, |l| l.added)
    }

    /// True if the lexicon has no words.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Sum of all frequencies.
    pub fn total_freq(&self) -> u64 {
        self.total
    }

    /// Exact lookup.
    pub fn get(&self, word: &str) -> Option<Entry> {
        if let Some(e) = self.layer.as_ref().and_then(|l| l.words.get(word)) {
            return Some(e);
        }
        self.map.get(word.as_bytes()).map(Entry::unpack)
    }

    /// True if `word` is in the lexicon.
    pub fn contains(&self, word: &str) -> bool {
        self.layer.as_ref().is_some_and(|l| l.words.contains(word))
            || self.map.contains_key(word.as_bytes())
    }

    /// True if `word` is an idiom or fixed phrase ([`WordFlags::IDIOM`]).
    pub fn is_idiom(&self, word: &str) -> bool {
        self.get(word)
            .is_some_and(|e| e.flags.contains(WordFlags::IDIOM))
    }

    /// The idiom deletion index of this lexicon (embedded: compiled at build
    /// time; otherwise built on first use, tens of ms for a full list).
    pub fn idiom_index(&self) -> &IdiomIndex {
        self.idioms.get_or_init(|| IdiomIndex::from_lexicon(self))
    }

    /// Every idiom (IDIOM word of ≥ 4 chars) that becomes `form` when one
    /// character is dropped, with the index of the dropped character:
    /// `idioms_with_deletion("一举得")` contains `("一举两得", 2)`.
    /// Cost: one fst range scan (see [`IdiomIndex`]).
    pub fn idioms_with_deletion(&self, form: &str) -> Vec<(String, usize)> {
        self.idiom_index().idioms_with_deletion(form)
    }

    /// Natural log of the word's unigram probability (None if unknown).
    pub fn log_prob(&self, word: &str) -> Option<f64> {
        self.get(word).map(|e| self.entry_log_prob(e))
    }

    /// Natural log probability of an entry's frequency.
    pub fn entry_log_prob(&self, e: Entry) -> f64 {
        ((e.freq.max(1)) as f64).ln() - self.log_total
    }

    /// The fst, for callers that stream or search it directly.
    ///
    /// Cost: free, except on a lexicon with user words layered over the
    /// embedded one, where the first call builds the merged fst (a full
    /// rebuild, about 0.25 s).
    pub fn fst(&self) -> &Fst<Cow<'static, [u8]>> {
        match &self.layer {
            Some(l) => self.merged_map(l).as_fst(),
            None => self.map.as_fst(),
        }
    }

    /// Every lexicon word that is a prefix of `text`, as (byte length, entry),
    /// shortest first. Stops after `max_chars` characters.
    ///
    /// Cost: one trie walk, one binary search among a node's children per
    /// character, stopping where no word continues.
    pub fn prefixes(&self, text: &str, max_chars: usize) -> Vec<(usize, Entry)> {
        let mut res = Vec::new();
        self.walk_prefixes(text, max_chars, |end, _, e| res.push((end, e)));
        res
    }

    /// All lexicon words of at least two chars occurring anywhere in `text`
    /// (segmentation-free matching), with their spans, by start then length.
    ///
    /// Cost: one prefix walk per character of `text`.
    pub fn words_in(&self, text: &str, max_chars: usize) -> Vec<(Span, Entry)> {
        let mut out = Vec::new();
        for (i, _) in text.char_indices() {
            self.walk_prefixes(&text[i..], max_chars, |len, chars, e| {
                if chars >= 2 {
                    out.push((Span::new(i, i + len), e));
                }
            });
        }
        out
    }

    /// Max-probability segmentation (jieba-style DAG over lexicon words;
    /// unknown chars are single-char tokens with a small floor probability).
    ///
    /// Cost: one prefix walk per character (words up to 16 chars) and a
    /// right-to-left dynamic program; allocates O(n) for the result and
    /// two work arrays.
    pub fn segment(&self, text: &str) -> Vec<Token> {
        thread_local! {
            // work arrays reused across calls: rules segment thousands of
            // short runs
            static SCRATCH: std::cell::RefCell<SegmentScratch> =
                std::cell::RefCell::new(SegmentScratch::default());
        }
        let mut sc = SCRATCH.with(|s| std::mem::take(&mut *s.borrow_mut()));
        sc.chars.clear();
        let out = if self.layer.is_none() && text.len() < u32::MAX as usize {
            sc.chars.extend(text.chars());
            self.segment_trie(self.trie(), &mut sc)
        } else {
            sc.idx.clear();
            for (i, c) in text.char_indices() {
                sc.idx.push(i);
                sc.chars.push(c);
            }
            sc.idx.push(text.len());
            self.segment_with(text, &mut sc)
        };
        SCRATCH.with(|s| *s.borrow_mut() = sc);
        out
    }

    /// [`Lexicon::segment_with`] for a lexicon without a user layer (and a
    /// text of fewer than 2^32 bytes), with only the chars of the text in
    /// `sc`: the walk steps through the trie
    /// itself and the table keeps a token's end node instead of its entry. Same
    /// scores, same order of candidates, same ties: the same tokens.
    fn segment_trie(&self, t: &trie::Trie, sc: &mut SegmentScratch) -> Vec<Token> {
        const MAX_WORD_CHARS: usize = 16;
        let SegmentScratch {
            chars,
            best_trie: best,
            ln,
            ..
        } = sc;
        let n = chars.len();
        if n == 0 {
            return Vec::new();
        }
        if ln.is_empty() {
            ln.resize(LN_SLOTS, (0, 0.0));
        }
        let log_total = self.log_total;
        let floor = -log_total - 2.0;
        best.clear();
        best.resize(
            n + 1,
            Best {
                score: 0.0,
                end: 0,
                node: 0,
            },
        );
        let walk = !t.is_empty();
        for k in (0..n).rev() {
            let mut b = Best {
                score: f64::NEG_INFINITY,
                end: k as u32 + 1,
                node: 0,
            };
            let mut single = false;
            let lim = n.min(k + MAX_WORD_CHARS);
            let mut node = if walk {
                t.root_child(chars[k] as u32)
            } else {
                None
            };
            let mut end = k;
            while let Some(nd) = node {
                end += 1;
                let v = t.raw_value(nd);
                if v != trie_build::NO_WORD {
                    single |= end == k + 1;
                    // = entry_log_prob, with ln(freq) from a small cache (the
                    // same frequent words recur all through a text)
                    let f = Entry::unpack(v).freq.max(1);
                    let slot = &mut ln[(f.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 52) as usize];
                    if slot.0 != f {
                        *slot = (f, (f as f64).ln());
                    }
                    let score = (slot.1 - log_total) + best[end].score;
                    if score > b.score {
                        b = Best {
                            score,
                            end: end as u32,
                            node: nd,
                        };
                    }
                }
                if end >= lim {
                    break;
                }
                node = t.step(nd as usize, chars[end]).map(|x| x as u32);
            }
            if !single {
                let score = floor + best[k + 1].score;
                if score > b.score {
                    b = Best {
                        score,
                        end: k as u32 + 1,
                        node: 0,
                    };
                }
            }
            best[k] = b;
        }
        let mut out = Vec::with_capacity(n);
        let (mut k, mut at) = (0, 0);
        while k < n {
            let Best { end, node, .. } = best[k];
            let end = end as usize;
            let start = at;
            at += chars[k..end].iter().map(|c| c.len_utf8()).sum::<usize>();
            out.push(Token {
                span: Span::new(start, at),
                entry: (node != 0).then(|| Entry::unpack(t.raw_value(node))),
            });
            k = end;
        }
        out
    }

    /// [`Lexicon::segment`] with the char offsets and chars of `text` in
    /// `sc`.
    fn segment_with(&self, text: &str, sc: &mut SegmentScratch) -> Vec<Token> {
        const MAX_WORD_CHARS: usize = 16;
        let SegmentScratch {
            idx,
            chars,
            best,
            ln,
            ..
        } = sc;
        let n = chars.len();
        if n == 0 {
            return Vec::new();
        }
        if ln.is_empty() {
            ln.resize(LN_SLOTS, (0, 0.0));
        }
        // = entry_log_prob, with ln(freq) from a small cache (the same
        // frequent words recur all through a text)
        let mut log_prob = |e: Entry| {
            let f = e.freq.max(1);
            let slot = &mut ln[(f.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 52) as usize];
            if slot.0 != f {
                *slot = (f, (f as f64).ln());
            }
            slot.1 - self.log_total
        };
        let floor = -(self.log_total) - 2.0;
        // best[k] = (score of text[k..], end char index of the first token, entry)
        best.clear();
        best.resize(n + 1, (0.0f64, 0usize, None::<Entry>));
        let trie = self.layer.is_none().then(|| self.trie());
        for k in (0..n).rev() {
            let mut b = (f64::NEG_INFINITY, k + 1, None);
            let mut single = false;
            let mut visit = |chars: usize, e: Entry| {
                let end = k + chars;
                single |= chars == 1;
                let score = log_prob(e) + best[end].0;
                if score > b.0 {
                    b = (score, end, Some(e));
                }
            };
            match trie {
                // no user layer: walk the chars already decoded
                Some(t) => t.walk_chars(&chars[k..n.min(k + MAX_WORD_CHARS)], |c, v| {
                    visit(c, Entry::unpack(v))
                }),
                None => self.walk_prefixes(&text[idx[k]..], MAX_WORD_CHARS, |_, c, e| visit(c, e)),
            }
            if !single {
                let score = floor + best[k + 1].0;
                if score > b.0 {
                    b = (score, k + 1, None);
                }
            }
            best[k] = b;
        }
        let mut out = Vec::with_capacity(n);
        let mut k = 0;
        while k < n {
            let (_, end, e) = best[k];
            out.push(Token {
                span: Span::new(idx[k], idx[end]),
                entry: e,
            });
            k = end;
        }
        out
    }

    /// The fewest tokens `text` segments into, as a negative score: every
    /// lexicon word is one token whatever its frequency, a char the lexicon
    /// does not have costs two. Unlike the frequencies [`Lexicon::segment`]
    /// weighs, it prefers no common word over a rare one (`动能` and `功能`
    /// score the same): it says only whether text forms words. The correction decoder
    /// compares it between readings of a window: a misread or mistyped char
    /// usually breaks the words around it.
    ///
    /// Cost: one prefix walk per character (words up to 16 chars).
    pub fn segmentation_tokens(&self, text: &str) -> f64 {
        const MAX_WORD_CHARS: usize = 16;
        let idx: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        let n = idx.len();
        let mut best = vec![0.0f64; n + 1];
        for k in (0..n).rev() {
            let mut b = f64::NEG_INFINITY;
            let mut single = false;
            self.walk_prefixes(&text[idx[k]..], MAX_WORD_CHARS, |_, chars, _| {
                single |= chars == 1;
                b = b.max(best[k + chars] - 1.0);
            });
            if !single {
                b = b.max(best[k + 1] - 2.0);
            }
            best[k] = b;
        }
        best[0]
    }

    /// Iterate over all (word, entry) pairs in byte order.
    pub fn for_each(&self, mut f: impl FnMut(&str, Entry)) {
        if let Some(l) = &self.layer {
            return self.for_each_layered(l, f);
        }
        let mut s = self.map.stream();
        while let Some((k, v)) = s.next() {
            if let Ok(w) = std::str::from_utf8(k) {
                f(w, Entry::unpack(v));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lex() -> Lexicon {
        let e = |f| Entry {
            freq: f,
            flags: WordFlags::default(),
        };
        Lexicon::from_entries(vec![
            ("举措", e(500)),
            ("硬", e(300)),
            ("举", e(200)),
            ("措", e(50)),
            ("改善", e(800)),
            ("改", e(300)),
            ("善", e(300)),
            ("的", e(10000)),
            ("的确", e(900)),
        ])
        .unwrap()
    }

    #[test]
    fn lookup_and_prefixes() {
        let l = lex();
        assert!(l.contains("举措"));
        assert!(!l.contains("歪措"));
        assert_eq!(l.get("改善").unwrap().freq, 800);
        let p = l.prefixes("的确是", 8);
        assert_eq!(p.iter().map(|x| x.0).collect::<Vec<_>>(), vec![3, 6]);
    }

    #[test]
    fn segmentation_prefers_words() {
        let l = lex();
        let t = "硬举措改善";
        let toks: Vec<&str> = l
            .segment(t)
            .iter()
            .map(|t2| &t[t2.span.start..t2.span.end])
            .collect();
        assert_eq!(toks, vec!["硬", "举措", "改善"]);
        let t = "歪措";
        let toks = l.segment(t);
        assert_eq!(toks.len(), 2);
        assert!(toks[0].entry.is_none());
    }

    /// `segment` by the generic walk ([`Lexicon::segment_with`]), the
    /// reference for the trie fast path.
    fn segment_generic(l: &Lexicon, text: &str) -> Vec<Token> {
        let mut sc = SegmentScratch::default();
        for (i, c) in text.char_indices() {
            sc.idx.push(i);
            sc.chars.push(c);
        }
        sc.idx.push(text.len());
        l.segment_with(text, &mut sc)
    }

    #[test]
    fn embedded_segmentation_of_a_fixed_text() {
        // Tokens as segmented before the trie fast path and the edge filter
        // (main 4313b39); Latin letters, digits, full-width forms and a char
        // beyond the BMP included.
        let l = Lexicon::embedded();
        let cases = [
            (
                "国务院常务会议今天召开，研究部署进一步改善营商环境的举措。",
                "国务院/常务会议/今天/召开/，/研究部署/进一步/改善/营商/环境/的/举措/。",
            ),
            (
                "他说：“这本书的的确确值得一读！”Rust 1.80 版本于2024年发布，\
                 ＡＢＣ公司的研究生命科学实验室在北京市海淀区。",
                "他/说/：/“/这/本书/的的确确/值得/一/读/！/”/R/u/s/t/ /1/./8/0/ /版本/于/2/0/2/4/年/\
                 发布/，/Ａ/Ｂ/Ｃ/公司/的/研究/生命科学/实验室/在/北京市/海淀区/。",
            ),
            (
                "中华人民共和国成立了，一举两得，引颈就戮的大饭店里有𠮷野家。",
                "中华人民共和国/成立/了/，/一举两得/，/引颈就戮/的/大/饭店/里/有/𠮷/野/家/。",
            ),
        ];
        for (text, want) in cases {
            let toks = l.segment(text);
            let got: Vec<&str> = toks
                .iter()
                .map(|t| &text[t.span.start..t.span.end])
                .collect();
            assert_eq!(got.join("/"), want);
            assert_eq!(toks, segment_generic(l, text), "{text}");
            for t in &toks {
                assert_eq!(t.entry, l.get(&text[t.span.start..t.span.end]));
            }
        }
    }

    #[test]
    fn trie_fast_path_matches_the_generic_walk_on_the_seeds() {
        let l = Lexicon::embedded();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
        let mut lines = 0;
        for f in std::fs::read_dir(dir).expect("seeds/") {
            let text = std::fs::read_to_string(f.expect("entry").path()).expect("seed text");
            for line in text.lines().chain([text.as_str()]) {
                assert_eq!(l.segment(line), segment_generic(l, line), "{line}");
                lines += 1;
            }
        }
        assert!(lines > 100, "{lines}");
        // and on a small lexicon (a trie built at run time)
        let s = lex();
        for t in ["硬举措改善", "歪措", "的确的的确", "", "改"] {
            assert_eq!(s.segment(t), segment_generic(&s, t), "{t}");
        }
    }

    #[test]
    fn pack_roundtrip() {
        let e = Entry {
            freq: 123456,
            flags: WordFlags::IDIOM.union(WordFlags::PLACE),
        };
        assert_eq!(Entry::unpack(e.pack()), e);
    }

    #[test]
    fn user_words_merge() {
        let l = lex()
            .with_user_words(vec![(
                "夏都",
                Entry {
                    freq: 5,
                    flags: WordFlags::PLACE,
                },
            )])
            .unwrap();
        let e = l.get("夏都").unwrap();
        assert!(e.flags.contains(WordFlags::USER) && e.flags.contains(WordFlags::PLACE));
        assert!(l.contains("举措"));
    }
}
