//! Cross-document duplicate paragraphs (rule `X802`): character n-gram
//! MinHash with LSH banding, verified by exact Jaccard.
//!
//! A paragraph is a line with at least [`MIN_CHARS`] non-space chars. Its
//! shingles are the [`SHINGLE`]-char windows of the line with white space
//! removed. Each paragraph keeps only its [`BANDS`] band keys (a hash of
//! [`ROWS`] MinHash values each) and where it is: about 40 bytes per band
//! key and paragraph, whatever the paragraph's length. Paragraphs that
//! share a band key in different documents are candidates
//! ([`DuplicateIndex::candidates`]); the caller re-reads both texts and
//! keeps the pairs whose exact shingle Jaccard ([`similarity`]) is at least
//! [`MIN_JACCARD`]. With 8 bands of 4 rows, pairs at Jaccard 0.8 are
//! candidates with probability 1 − (1 − 0.8⁴)⁸ ≈ 0.9996.

use crate::edit::Applicability;
use crate::finding::{Evidence, Finding};
use crate::rules::RuleMeta;
use crate::span::{LineIndex, Span};
use xxhash_rust::xxh3::xxh3_64;

/// The rule code of cross-document duplicate findings.
pub const CODE: &str = "X802";

/// X802 `cross-doc-duplicate` (not a block rule: it runs over a whole
/// corpus).
pub static META: RuleMeta = RuleMeta {
    code: CODE,
    name: "cross-doc-duplicate",
    summary: "a paragraph repeated (Jaccard ≥ 0.8) from another document of the corpus",
    default_tier: Applicability::Suggest,
    doc: include_str!("../rules/docs/X802.md"),
};
/// Shingle length in chars.
pub const SHINGLE: usize = 5;
/// LSH bands.
pub const BANDS: usize = 8;
/// MinHash rows per band.
pub const ROWS: usize = 4;
/// Minimum non-space chars of a paragraph.
pub const MIN_CHARS: usize = 20;
/// Minimum exact Jaccard of a reported pair.
pub const MIN_JACCARD: f64 = 0.8;
/// A paragraph is paired with at most this many paragraphs of each band
/// bucket, the earliest ones (boilerplate repeated in very many documents
/// would otherwise make the pairs quadratic).
pub const MAX_BUCKET: usize = 8;

/// Where a paragraph is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ParaRef {
    /// Document number, in corpus order.
    pub doc: u32,
    /// Byte span of the paragraph in its document.
    pub start: usize,
    /// End of the span.
    pub end: usize,
}

/// The paragraphs of a text: line bodies with at least [`MIN_CHARS`]
/// non-space chars.
pub fn paragraphs(text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let mut at = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        if body.chars().filter(|c| !c.is_whitespace()).count() >= MIN_CHARS {
            out.push(Span::new(at, at + body.len()));
        }
        at += line.len();
    }
    out
}

/// The sorted, distinct shingle hashes of a paragraph.
pub fn shingles(text: &str) -> Vec<u64> {
    let chars: Vec<char> = text.chars().filter(|c| !c.is_whitespace()).collect();
    let mut out: Vec<u64> = if chars.len() < SHINGLE {
        vec![xxh3_64(chars.iter().collect::<String>().as_bytes())]
    } else {
        let mut buf = String::new();
        chars
            .windows(SHINGLE)
            .map(|w| {
                buf.clear();
                buf.extend(w);
                xxh3_64(buf.as_bytes())
            })
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// Exact Jaccard similarity of two sorted, distinct hash sets.
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut inter) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    inter as f64 / (a.len() + b.len() - inter) as f64
}

/// Exact shingle Jaccard similarity of two paragraphs.
pub fn similarity(a: &str, b: &str) -> f64 {
    jaccard(&shingles(a), &shingles(b))
}

fn mix(mut x: u64) -> u64 {
    // splitmix64 finalizer.
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// The MinHash signature of a shingle set: for each of `BANDS × ROWS`
/// hash functions, the minimum over the shingles.
pub fn signature(shingles: &[u64]) -> [u64; BANDS * ROWS] {
    let mut sig = [u64::MAX; BANDS * ROWS];
    for &s in shingles {
        for (k, m) in sig.iter_mut().enumerate() {
            let h = mix(s ^ mix(k as u64 + 1));
            if h < *m {
                *m = h;
            }
        }
    }
    sig
}

/// The band keys of a signature (band number mixed in).
pub fn band_keys(sig: &[u64; BANDS * ROWS]) -> [u64; BANDS] {
    let mut keys = [0u64; BANDS];
    for (b, key) in keys.iter_mut().enumerate() {
        let mut h = mix(b as u64 + 0x9e37_79b9);
        for r in 0..ROWS {
            h = mix(h ^ sig[b * ROWS + r]);
        }
        *key = h;
    }
    keys
}

/// The band keys of every paragraph of a document. Pure, so documents can
/// be hashed in parallel and added in order.
pub fn document_keys(doc: u32, text: &str) -> Vec<(ParaRef, [u64; BANDS])> {
    paragraphs(text)
        .into_iter()
        .map(|s| {
            let sig = signature(&shingles(&text[s.start..s.end]));
            (
                ParaRef {
                    doc,
                    start: s.start,
                    end: s.end,
                },
                band_keys(&sig),
            )
        })
        .collect()
}

/// Band keys of a corpus's paragraphs.
#[derive(Debug, Default)]
pub struct DuplicateIndex {
    paras: Vec<ParaRef>,
    keys: Vec<(u64, u32)>,
}

impl DuplicateIndex {
    /// An empty index.
    pub fn new() -> DuplicateIndex {
        DuplicateIndex::default()
    }

    /// Add one document's paragraphs (from [`document_keys`]).
    pub fn add(&mut self, keys: Vec<(ParaRef, [u64; BANDS])>) {
        for (p, ks) in keys {
            let id = self.paras.len() as u32;
            self.paras.push(p);
            self.keys.extend(ks.iter().map(|&k| (k, id)));
        }
    }

    /// Hash and add a document.
    pub fn add_document(&mut self, doc: u32, text: &str) {
        self.add(document_keys(doc, text));
    }

    /// Paragraphs indexed.
    pub fn len(&self) -> usize {
        self.paras.len()
    }

    /// True if no paragraph was indexed.
    pub fn is_empty(&self) -> bool {
        self.paras.is_empty()
    }

    /// Candidate pairs `(later, earlier)`: paragraphs of different
    /// documents that share a band key, the earlier one first in corpus
    /// order. Sorted by the later paragraph, then the earlier; distinct.
    /// Frees the index.
    pub fn candidates(&mut self) -> Vec<(ParaRef, ParaRef)> {
        let mut keys = std::mem::take(&mut self.keys);
        keys.sort_unstable();
        // Pairs of paragraph ids (8 bytes each) while the bands are
        // scanned; the same pair comes from up to BANDS bands.
        let mut ids: Vec<(u32, u32)> = Vec::new();
        for group in keys.chunk_by(|a, b| a.0 == b.0) {
            if group.len() < 2 {
                continue;
            }
            // Ids grow in corpus order.
            for (i, &(_, later)) in group.iter().enumerate().skip(1) {
                for &(_, earlier) in group[..i].iter().take(MAX_BUCKET) {
                    if self.paras[later as usize].doc != self.paras[earlier as usize].doc {
                        ids.push((later, earlier));
                    }
                }
            }
        }
        drop(keys);
        ids.sort_unstable();
        ids.dedup();
        let pairs = ids
            .into_iter()
            .map(|(l, e)| (self.paras[l as usize], self.paras[e as usize]))
            .collect();
        self.paras = Vec::new();
        pairs
    }
}

/// An `X802` finding on paragraph `span` of `text` (whose line index is
/// `lines`), a duplicate of a paragraph of `other` at line `other_line`.
pub fn finding(
    text: &str,
    lines: &LineIndex,
    span: Span,
    other: &str,
    other_line: usize,
    jaccard: f64,
) -> Finding {
    let what = if jaccard >= 1.0 {
        "repeats"
    } else {
        "nearly repeats"
    };
    let mut f = Finding::new(
        CODE,
        span,
        format!("paragraph {what} {other}:{other_line}"),
        Evidence::new(
            jaccard,
            format!(
                "{SHINGLE}-char shingle Jaccard {jaccard:.2} with the paragraph at {other}:{other_line}"
            ),
        )
        .term("jaccard", jaccard),
    );
    f.original = text[span.start..span.end].to_string();
    f.location = Some(lines.locate(text, span));
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A deterministic pseudo-random Han paragraph.
    fn para(seed: u64, len: usize) -> String {
        let mut x = seed;
        (0..len)
            .map(|_| {
                x = mix(x + 1);
                char::from_u32(0x4E00 + (x % 2000) as u32).unwrap()
            })
            .collect()
    }

    #[test]
    fn paragraphs_need_twenty_chars() {
        let long = para(1, 25);
        let text = format!("短行\n{long}\r\n\n{}\n", para(2, 19));
        let ps = paragraphs(&text);
        assert_eq!(ps.len(), 1);
        assert_eq!(&text[ps[0].start..ps[0].end], long);
    }

    #[test]
    fn jaccard_is_exact() {
        assert_eq!(jaccard(&[1, 2, 3], &[2, 3, 4]), 0.5);
        assert_eq!(similarity("甲乙丙丁戊己庚", "甲乙丙丁戊己庚"), 1.0);
        assert_eq!(jaccard(&[1], &[2]), 0.0);
    }

    #[test]
    fn finds_exact_and_near_duplicates_across_documents_only() {
        let shared = para(7, 60);
        let mut near: Vec<char> = shared.chars().collect();
        near[30] = '〇';
        let near: String = near.into_iter().collect();
        let docs = [
            format!("{}\n{shared}\n", para(1, 40)),
            format!("{}\n{}\n", para(2, 40), para(3, 40)),
            format!("{shared}\n{}\n{near}\n", para(4, 40)),
            // The same paragraph twice in one document is not cross-document.
            format!("{}\n{}\n", para(5, 40), para(5, 40)),
        ];
        let mut idx = DuplicateIndex::new();
        for (i, d) in docs.iter().enumerate() {
            idx.add_document(i as u32, d);
        }
        assert_eq!(idx.len(), 9);
        let pairs = idx.candidates();
        let verified: Vec<_> = pairs
            .iter()
            .filter(|(l, e)| {
                let a = &docs[l.doc as usize][l.start..l.end];
                let b = &docs[e.doc as usize][e.start..e.end];
                similarity(a, b) >= MIN_JACCARD
            })
            .map(|(l, e)| (l.doc, e.doc))
            .collect();
        // doc 2's `shared` and `near` both match doc 0's paragraph.
        assert_eq!(verified, [(2, 0), (2, 0)]);
        assert!(pairs.iter().all(|(l, e)| l.doc != e.doc && e < l));
    }

    #[test]
    fn unrelated_paragraphs_are_rarely_candidates() {
        let mut idx = DuplicateIndex::new();
        for i in 0..200u32 {
            idx.add_document(i, &para(1000 + i as u64, 50));
        }
        assert!(idx.candidates().len() <= 2);
    }
}
