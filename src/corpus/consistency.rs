//! Corpus-level consistency (rule `X801`): the same name or term spelled in
//! visually similar variants across documents.
//!
//! 1. Every document contributes its *name-like* Han n-grams
//!    ([`Consistency::grams`]). Each Han run is segmented with the lexicon;
//!    only runs of single-char tokens (what no dictionary word covers) are
//!    looked at, so a candidate never cuts a word (`金额约` is not a name:
//!    `金额` is a word). Candidates are a surname (lexicon `SURNAME` flag)
//!    followed by two chars, when not a lexicon word (unless flagged
//!    `PERSON`); and whole runs of three or four single-char tokens
//!    (unknown terms, transliterations). Very frequent chars (function
//!    words such as `的`, `了`) never follow the surname or join a term.
//! 2. Counts (occurrences and documents) are kept in a map capped at
//!    [`Params::max_entries`]; past the cap, n-grams seen once are dropped
//!    (lossy counting), so memory stays bounded on any corpus.
//! 3. [`Consistency::finish`] groups n-grams of equal length that differ in
//!    exactly one position where the two chars look alike (listed in the
//!    confusion set, or glyph-feature similarity ≥ [`Params::min_sim`]). A
//!    form is *dominant* over a variant when it has at least
//!    [`Params::min_count`] occurrences in at least [`Params::min_docs`]
//!    documents and [`Params::ratio`] times the variant's count.
//! 4. [`Consistency::findings`] marks each variant occurrence in a
//!    document with a `review` fix that replaces the one differing char.

use crate::correct::confusion::{ConfusionSet, GlyphFeatures};
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::{Evidence, Finding};
use crate::lexicon::{Lexicon, WordFlags};
use crate::rules::han::is_han;
use crate::rules::RuleMeta;
use crate::span::{LineIndex, Span};
use std::collections::{BTreeMap, HashMap};

/// Length in chars of a name candidate: a surname and a two-char given
/// name.
const NAME_CHARS: usize = 3;

/// The rule code of corpus variant findings.
pub const CODE: &str = "X801";

/// X801 `corpus-variant` (not a block rule: it runs over a whole corpus).
pub static META: RuleMeta = RuleMeta {
    code: CODE,
    name: "corpus-variant",
    summary:
        "a name or term spelled in a rarer look-alike variant of its dominant form in the corpus",
    default_tier: Applicability::Review,
    doc: include_str!("../rules/docs/X801.md"),
};

/// Thresholds of the consistency pass.
#[derive(Debug, Clone)]
pub struct Params {
    /// Minimum occurrences of a dominant form.
    pub min_count: u32,
    /// Minimum documents a dominant form occurs in.
    pub min_docs: u32,
    /// Dominant count ≥ ratio × variant count.
    pub ratio: f64,
    /// Minimum glyph similarity of the two differing chars (when the
    /// confusion set does not list the pair).
    pub min_sim: f32,
    /// A char whose single-char log probability is above this is a
    /// function word and never part of a name or term.
    pub function_logp: f64,
    /// Cap on distinct n-grams held.
    pub max_entries: usize,
    /// Largest group of n-grams sharing all but one char that is compared
    /// pairwise (larger groups are common patterns, not names).
    pub max_group: usize,
}

impl Default for Params {
    fn default() -> Params {
        Params {
            min_count: 3,
            min_docs: 2,
            ratio: 2.0,
            min_sim: 0.45,
            function_logp: -7.0,
            max_entries: 2_000_000,
            max_group: 64,
        }
    }
}

#[derive(Debug, Clone, Copy, Default)]
struct Stat {
    count: u32,
    docs: u32,
    last_doc: u32,
}

/// A variant spelling and the dominant form proposed for it.
#[derive(Debug, Clone, PartialEq)]
pub struct Variant {
    /// The rarer spelling.
    pub variant: String,
    /// The dominant spelling.
    pub dominant: String,
    /// Char index where they differ.
    pub position: usize,
    /// Occurrences of the variant.
    pub variant_count: u32,
    /// Occurrences of the dominant form.
    pub dominant_count: u32,
    /// Documents the dominant form occurs in.
    pub dominant_docs: u32,
    /// Glyph similarity of the two differing chars.
    pub similarity: f32,
}

/// Collects n-gram counts over a corpus and finds variant spellings.
#[derive(Debug)]
pub struct Consistency<'l> {
    lexicon: &'l Lexicon,
    params: Params,
    counts: HashMap<Box<str>, Stat>,
    docs: u32,
    variants: BTreeMap<String, Variant>,
}

impl<'l> Consistency<'l> {
    /// An empty collector.
    pub fn new(lexicon: &'l Lexicon, params: Params) -> Consistency<'l> {
        Consistency {
            lexicon,
            params,
            counts: HashMap::new(),
            docs: 0,
            variants: BTreeMap::new(),
        }
    }

    fn is_function(&self, c: char) -> bool {
        let mut b = [0u8; 4];
        self.lexicon
            .log_prob(c.encode_utf8(&mut b))
            .is_some_and(|lp| lp > self.params.function_logp)
    }

    fn is_surname(&self, c: char) -> bool {
        let mut b = [0u8; 4];
        self.lexicon
            .get(c.encode_utf8(&mut b))
            .is_some_and(|e| e.flags.contains(WordFlags::SURNAME))
            && !self.is_function(c)
    }

    fn name_like(&self, g: &str) -> bool {
        if let Some(e) = self.lexicon.get(g) {
            if !e.flags.contains(WordFlags::PERSON) {
                return false;
            }
        }
        !g.chars().skip(1).any(|c| self.is_function(c))
    }

    /// The candidate n-grams of a text with their byte spans, in text
    /// order. Each Han run is segmented with the lexicon; candidates lie
    /// inside runs of single-char tokens (so they never cut a word).
    pub fn spans(&self, text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        for run in han_runs(text) {
            let s = &text[run.start..run.end];
            let toks = self.lexicon.segment(s);
            let single =
                |t: &crate::lexicon::Token| s[t.span.start..t.span.end].chars().count() == 1;
            let mut k = 0;
            while k < toks.len() {
                if !single(&toks[k]) {
                    k += 1;
                    continue;
                }
                let mut j = k;
                while j < toks.len() && single(&toks[j]) {
                    j += 1;
                }
                let at = |t: usize| run.start + toks[t].span.start;
                let end = |t: usize| run.start + toks[t].span.end;
                // Names: a surname and two more chars. (Two-char names
                // are too dense: `周俊` and `周骏` are both common names.)
                for i in k..j {
                    if i + NAME_CHARS > j || !self.is_surname(first_char(&text[at(i)..])) {
                        continue;
                    }
                    let g = &text[at(i)..end(i + NAME_CHARS - 1)];
                    if self.name_like(g) {
                        out.push(Span::new(at(i), end(i + NAME_CHARS - 1)));
                    }
                }
                // Terms: a whole run of three or four unknown chars.
                let g = &text[at(k)..end(j - 1)];
                if (3..=4).contains(&(j - k))
                    && !g.chars().any(|c| self.is_function(c))
                    && !self.is_surname(first_char(g))
                    && !self.lexicon.contains(g)
                {
                    out.push(Span::new(at(k), end(j - 1)));
                }
                k = j;
            }
        }
        out.sort_by_key(|s| (s.start, s.end));
        out.dedup();
        out
    }

    /// The candidate n-grams of a document (see [`Consistency::spans`]).
    /// Reads only the lexicon, so documents can be scanned in parallel and
    /// added in order with [`Consistency::add_grams`].
    pub fn grams(&self, text: &str) -> Vec<String> {
        self.spans(text)
            .into_iter()
            .map(|s| text[s.start..s.end].to_string())
            .collect()
    }

    /// Count one document's n-grams (from [`Consistency::grams`]).
    pub fn add_grams(&mut self, grams: Vec<String>) {
        let doc = self.docs;
        self.docs += 1;
        for g in grams {
            let st = self.counts.entry(g.into_boxed_str()).or_default();
            st.count += 1;
            if st.docs == 0 || st.last_doc != doc {
                st.docs += 1;
                st.last_doc = doc;
            }
        }
        if self.counts.len() > self.params.max_entries {
            let mut floor = 1;
            while self.counts.len() > self.params.max_entries / 2 {
                self.counts.retain(|_, s| s.count > floor);
                floor += 1;
            }
        }
    }

    /// Count one document.
    pub fn add_document(&mut self, text: &str) {
        let g = self.grams(text);
        self.add_grams(g);
    }

    /// Documents counted so far.
    pub fn documents(&self) -> u32 {
        self.docs
    }

    fn similarity(a: char, b: char, min: f32) -> Option<f32> {
        let listed = ConfusionSet::embedded().score(a, b);
        let glyph = GlyphFeatures::embedded().sim(a, b).unwrap_or(0.0);
        let s = listed.max(glyph);
        (s >= min).then_some(s)
    }

    /// Group the counted n-grams into variants and their dominant forms;
    /// frees the counts. Deterministic whatever the order of insertion
    /// into the map.
    pub fn finish(&mut self) -> &BTreeMap<String, Variant> {
        let counts = std::mem::take(&mut self.counts);
        let mut entries: Vec<(Vec<char>, Stat)> = counts
            .into_iter()
            .map(|(g, s)| (g.chars().collect(), s))
            .collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        let p = &self.params;
        let mut best: BTreeMap<String, Variant> = BTreeMap::new();
        for len in 2..=4usize {
            let ids: Vec<usize> = (0..entries.len())
                .filter(|&i| entries[i].0.len() == len)
                .collect();
            for pos in 0..len {
                let mut keyed: Vec<(Vec<char>, usize)> = ids
                    .iter()
                    .map(|&i| {
                        let mut k = entries[i].0.clone();
                        k[pos] = '\0';
                        (k, i)
                    })
                    .collect();
                keyed.sort();
                for group in keyed.chunk_by(|a, b| a.0 == b.0) {
                    if group.len() < 2 || group.len() > p.max_group {
                        continue;
                    }
                    for &(_, d) in group {
                        let (dg, ds) = &entries[d];
                        if ds.count < p.min_count || ds.docs < p.min_docs {
                            continue;
                        }
                        for &(_, v) in group {
                            let (vg, vs) = &entries[v];
                            if v == d || (ds.count as f64) < p.ratio * vs.count as f64 {
                                continue;
                            }
                            let Some(sim) = Self::similarity(dg[pos], vg[pos], p.min_sim) else {
                                continue;
                            };
                            let cand = Variant {
                                variant: vg.iter().collect(),
                                dominant: dg.iter().collect(),
                                position: pos,
                                variant_count: vs.count,
                                dominant_count: ds.count,
                                dominant_docs: ds.docs,
                                similarity: sim,
                            };
                            let better = match best.get(&cand.variant) {
                                None => true,
                                Some(b) => {
                                    (cand.dominant_count, std::cmp::Reverse(&cand.dominant))
                                        > (b.dominant_count, std::cmp::Reverse(&b.dominant))
                                }
                            };
                            if better {
                                best.insert(cand.variant.clone(), cand);
                            }
                        }
                    }
                }
            }
        }
        self.variants = best;
        &self.variants
    }

    /// The variants found by [`Consistency::finish`].
    pub fn variants(&self) -> &BTreeMap<String, Variant> {
        &self.variants
    }

    /// `X801` findings for one document: each variant occurrence, with a
    /// review fix replacing its differing char by the dominant form's. Spans
    /// and locations refer to `text`. When several n-grams propose the same
    /// edit, the longest one is reported.
    pub fn findings(&self, text: &str) -> Vec<Finding> {
        if self.variants.is_empty() {
            return Vec::new();
        }
        // Edit span → (n-gram span, variant).
        let mut by_edit: BTreeMap<(usize, usize), (Span, &Variant)> = BTreeMap::new();
        for span in self.spans(text) {
            let g = &text[span.start..span.end];
            let Some(v) = self.variants.get(g) else {
                continue;
            };
            let Some((off, ch)) = g.char_indices().nth(v.position) else {
                continue;
            };
            let at = span.start + off;
            let key = (at, at + ch.len_utf8());
            let longer = match by_edit.get(&key) {
                Some((s, _)) => span.len() > s.len(),
                None => true,
            };
            if longer {
                by_edit.insert(key, (span, v));
            }
        }
        let li = LineIndex::new(text);
        by_edit
            .into_iter()
            .map(|((a, b), (span, v))| {
                let right: String = v.dominant.chars().nth(v.position).into_iter().collect();
                let share = v.dominant_count as f64 / (v.dominant_count + v.variant_count) as f64;
                let ev = Evidence::new(
                    share * v.similarity.clamp(0.0, 1.0) as f64,
                    format!(
                        "`{}` occurs {}× in {} documents, `{}` {}×; `{}`/`{}` look alike ({:.2})",
                        v.dominant,
                        v.dominant_count,
                        v.dominant_docs,
                        v.variant,
                        v.variant_count,
                        &text[a..b],
                        right,
                        v.similarity
                    ),
                )
                .term("dominant_count", v.dominant_count as f64)
                .term("variant_count", v.variant_count as f64)
                .term("dominant_docs", v.dominant_docs as f64)
                .term("glyph_sim", v.similarity as f64)
                .candidate(v.dominant.clone(), share);
                let mut f = Finding::new(
                    CODE,
                    span,
                    format!(
                        "`{}` is spelled `{}` elsewhere in the corpus",
                        v.variant, v.dominant
                    ),
                    ev,
                )
                .with_fix(Fix::single(
                    Applicability::Review,
                    Edit::replace(Span::new(a, b), right),
                ));
                f.original = text[span.start..span.end].to_string();
                f.location = Some(li.locate(text, span));
                f
            })
            .collect()
    }
}

fn first_char(s: &str) -> char {
    s.chars().next().unwrap_or(' ')
}

/// Maximal runs of Han chars.
fn han_runs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_han(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(Span::new(s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(Span::new(s, text.len()));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Entry;

    fn w(word: &str, freq: u64, flags: u32) -> (String, Entry) {
        (
            word.to_string(),
            Entry {
                freq,
                flags: WordFlags(flags),
            },
        )
    }

    /// A lexicon with two surnames, a few words and frequent function chars.
    fn lexicon() -> Lexicon {
        Lexicon::from_entries(vec![
            w("的", 500_000, 0),
            w("了", 400_000, 0),
            w("是", 400_000, 0),
            w("今天", 20_000, 0),
            w("记者", 20_000, 0),
            w("报道", 20_000, 0),
            w("发表", 20_000, 0),
            w("文章", 20_000, 0),
            w("金额", 20_000, 0),
            w("高", 1_000, 2),
            w("林", 1_000, 2),
            w("王国", 20_000, 0),
            w("王", 1_000, 2),
        ])
        .unwrap()
    }

    /// Two chars that look alike according to the embedded data, found
    /// generally (not a fixed pair): the first general-standard char with a
    /// listed look-alike of similarity ≥ 0.6.
    fn alike_pair() -> (char, char) {
        let set = ConfusionSet::embedded();
        for c in ['木', '日', '月', '土', '王', '人', '大', '力', '口', '田'] {
            if let Some((d, s)) = set.similar(c).first() {
                if s >= 0.6 {
                    return (c, d);
                }
            }
        }
        panic!("no look-alike pair in the confusion set");
    }

    #[test]
    fn finds_dominant_form_across_documents() {
        let lex = lexicon();
        let (a, b) = alike_pair();
        let good = format!("林{a}文");
        let bad = format!("林{b}文");
        let mut c = Consistency::new(&lex, Params::default());
        for i in 0..4 {
            c.add_document(&format!("今天记者{good}报道了。第{i}篇"));
        }
        c.add_document(&format!("记者{bad}发表文章。"));
        let v = c.finish().get(&bad).cloned().expect("variant found");
        assert_eq!(v.dominant, good);
        assert_eq!((v.dominant_count, v.variant_count), (4, 1));
        let text = format!("甲\n记者{bad}发表文章。");
        let f = c.findings(&text);
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0].rule, CODE);
        assert_eq!(f[0].tier(), Applicability::Review);
        assert_eq!(f[0].original, bad);
        assert_eq!(f[0].location.unwrap().line, 2);
        let fix = f[0].fix.as_ref().unwrap();
        let out = crate::apply::apply_fixes(&text, &[fix]).text;
        assert_eq!(out, format!("甲\n记者{good}发表文章。"));
    }

    #[test]
    fn needs_clear_dominance_and_several_documents() {
        let lex = lexicon();
        let (a, b) = alike_pair();
        let good = format!("林{a}文");
        let bad = format!("林{b}文");
        // 3 vs 2: not twice as many.
        let mut c = Consistency::new(&lex, Params::default());
        for _ in 0..3 {
            c.add_document(&format!("记者{good}报道"));
        }
        for _ in 0..2 {
            c.add_document(&format!("记者{bad}报道"));
        }
        assert!(c.finish().is_empty());
        // Many occurrences, but all in one document.
        let mut c = Consistency::new(&lex, Params::default());
        c.add_document(&format!("{good}。{good}。{good}。{good}。"));
        c.add_document(&format!("记者{bad}报道"));
        assert!(c.finish().is_empty());
    }

    #[test]
    fn unrelated_chars_are_not_variants() {
        let lex = lexicon();
        let mut c = Consistency::new(&lex, Params::default());
        for _ in 0..5 {
            c.add_document("记者林一文报道");
        }
        c.add_document("记者林鑫文报道");
        assert!(c.finish().is_empty());
    }

    #[test]
    fn words_and_function_chars_are_not_names() {
        let lex = lexicon();
        let c = Consistency::new(&lex, Params::default());
        // `王国` is a word, `的` a function char, `金额` starts with a word.
        let g = c.grams("王国的金额约");
        assert!(!g.iter().any(|x| x.starts_with("王国")), "{g:?}");
        assert!(!g.iter().any(|x| x.contains('的')), "{g:?}");
        assert!(c.grams("高远山").contains(&"高远山".to_string()));
    }

    #[test]
    fn map_is_capped() {
        let lex = lexicon();
        let params = Params {
            max_entries: 10,
            ..Params::default()
        };
        let mut c = Consistency::new(&lex, params);
        for i in 0..200u32 {
            let ch = char::from_u32(0x4E00 + 300 + i).unwrap();
            c.add_document(&format!("林{ch}文"));
            assert!(c.counts.len() <= 10);
        }
    }
}
