//! Duplicate paragraphs inside a document: R403 `duplicate-paragraph`
//! (identical after light normalization to one in the look-back window:
//! delete this block) and R404 `near-duplicate-paragraph` (character
//! 3-gram Jaccard similarity ≥ 0.9: reported).

use super::han::tier_score;
use super::unicode::is_nfc_fast;
use super::{Block, Context, Rule, RuleMeta};
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::{Evidence, Finding};
use crate::span::Span;
use unicode_normalization::UnicodeNormalization;

/// R403 `duplicate-paragraph`.
pub static R403: RuleMeta = RuleMeta {
    code: "R403",
    name: "duplicate-paragraph",
    summary: "a paragraph identical to an earlier one is deleted",
    default_tier: Applicability::Review,
    doc: include_str!("docs/R403.md"),
};

/// R404 `near-duplicate-paragraph`.
pub static R404: RuleMeta = RuleMeta {
    code: "R404",
    name: "near-duplicate-paragraph",
    summary: "a paragraph nearly identical to an earlier one is reported",
    default_tier: Applicability::Suggest,
    doc: include_str!("docs/R404.md"),
};

/// Shortest normalized paragraph (in chars) compared at all: headings,
/// captions and bylines repeat legitimately.
pub const MIN_CHARS: usize = 20;

/// 3-gram Jaccard similarity at or above which R404 reports.
pub const NEAR_THRESHOLD: f64 = 0.9;

/// NFC, whitespace removed, full-width ASCII forms folded to ASCII.
pub fn normalize(body: &str) -> Vec<char> {
    let fold = |c: char| match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    };
    // Most text is already NFC; the quick check skips the composition pass.
    let mut out = Vec::with_capacity(body.len() / 3 + 8);
    if is_nfc_fast(body) {
        out.extend(body.chars().filter(|c| !c.is_whitespace()).map(fold));
    } else {
        out.extend(body.nfc().filter(|c| !c.is_whitespace()).map(fold));
    }
    out
}

/// Han chars in `s`: unchanged by [`normalize`] (compatibility ideographs
/// map to Han), so a cheap filter before normalizing a candidate.
pub(crate) fn han_count(s: &str) -> usize {
    super::han::code_points(s)
        .filter(|&(_, c)| super::han::is_han_code(c))
        .count()
}

/// Character 3-grams of a normalized paragraph, as sorted distinct 64-bit
/// keys (three 21-bit chars, mixed bijectively so that keys spread; a merge
/// computes the intersection).
pub type Trigrams = Vec<u64>;

/// What identifies a paragraph for duplicate detection, cheap to compare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    /// Chars of the normalized body.
    pub norm_len: usize,
    /// Han chars of the body.
    pub han: usize,
    /// FNV-1a hash of the normalized body.
    pub hash: u64,
}

/// The fingerprint of a paragraph body.
pub fn fingerprint(body: &str) -> Fingerprint {
    fingerprint_of(&normalize(body), han_count(body))
}

pub(crate) fn fingerprint_of(norm: &[char], han: usize) -> Fingerprint {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &c in norm {
        hash ^= c as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    Fingerprint {
        norm_len: norm.len(),
        han,
        hash,
    }
}

/// The 3-gram set of a normalized paragraph.
pub fn trigrams(s: &[char]) -> Trigrams {
    let mut v: Vec<u64> = s
        .windows(3)
        .map(|w| {
            let k = (w[0] as u64) << 42 | (w[1] as u64) << 21 | w[2] as u64;
            // a bijective mix, so distinct trigrams stay distinct
            let k = (k ^ (k >> 31)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
            k ^ (k >> 29)
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Jaccard similarity of two trigram sets when it is at least `min`
/// (None below). The merge stops as soon as more elements are found outside
/// the intersection than a similarity of `min` allows, so dissimilar
/// paragraphs cost a few steps.
fn jaccard_at_least(a: &Trigrams, b: &Trigrams, min: f64) -> Option<f64> {
    let total = a.len() + b.len();
    if total == 0 {
        return None;
    }
    // |A Δ B| = total − 2·inter ≤ total·(1 − min)/(1 + min) when J ≥ min
    let budget = (total as f64 * (1.0 - min) / (1.0 + min)).floor() as usize;
    let (mut i, mut j, mut inter, mut outside) = (0, 0, 0usize, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                i += 1;
                outside += 1;
            }
            std::cmp::Ordering::Greater => {
                j += 1;
                outside += 1;
            }
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
        if outside > budget {
            return None;
        }
    }
    let union = total - inter;
    let jac = inter as f64 / union as f64;
    (jac >= min).then_some(jac)
}

/// Rule R403.
pub struct DuplicateParagraph;

/// The most recent previous block identical (normalized) to this body:
/// (its document index, how many blocks back).
fn exact_match(block: &Block<'_>, norm: &[char], han: usize) -> Option<(usize, usize)> {
    let mine = fingerprint_of(norm, han);
    block
        .prev
        .iter()
        .rev()
        .enumerate()
        .find(|(_, p)| !p.is_piece() && *p.fingerprint() == mine && p.normalized() == norm)
        .map(|(k, p)| (p.index, k + 1))
}

/// True when the next body `next` is this body again after normalization
/// (`norm` is this body's; the next is normalized only when its length is
/// close).
fn same_paragraph(body: &str, next: &str, norm: &[char]) -> bool {
    if next.trim() == body.trim() {
        return true;
    }
    let (a, b) = (body.len(), next.len());
    if a.min(b) * 4 < a.max(b) * 3 {
        return false;
    }
    normalize(next) == norm
}

impl Rule for DuplicateParagraph {
    fn meta(&self) -> &'static RuleMeta {
        &R403
    }

    fn check(&self, _: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        // a piece of a cut line is not a paragraph: never deleted
        if block.is_piece() {
            return;
        }
        let (norm, han) = block.normalized();
        if norm.len() < MIN_CHARS {
            return;
        }
        let span = Span::new(0, block.text.len());
        // In a run of identical paragraphs every copy but the last goes: the
        // last keeps its own separator, so a run at the end of a document
        // keeps the document's final-newline convention.
        if !block.next_is_piece
            && block
                .next
                .is_some_and(|n| same_paragraph(block.body(), n, norm))
        {
            out.push(
                Finding::new(
                    "R403",
                    Span::new(0, block.body_len),
                    "paragraph is repeated by the next paragraph",
                    Evidence::new(
                        tier_score(Applicability::Review),
                        "identical to the next paragraph after normalization",
                    )
                    .term("blocks_back", 0.0)
                    .term("chars", norm.len() as f64),
                )
                .with_fix(Fix::single(Applicability::Review, Edit::delete(span))),
            );
            return;
        }
        let Some((index, back)) = exact_match(block, norm, han) else {
            return;
        };
        if back == 1 && !block.after_blank_run {
            // the previous copy, identical and adjacent, deleted itself
            return;
        }
        out.push(
            Finding::new(
                "R403",
                Span::new(0, block.body_len),
                format!("paragraph repeats paragraph {} of this document", index + 1),
                Evidence::new(
                    tier_score(Applicability::Review),
                    format!("identical after normalization, {back} block(s) earlier"),
                )
                .term("blocks_back", back as f64)
                .term("chars", norm.len() as f64),
            )
            .with_fix(Fix::single(Applicability::Review, Edit::delete(span))),
        );
    }
}

/// Rule R404.
pub struct NearDuplicateParagraph;

impl Rule for NearDuplicateParagraph {
    fn meta(&self) -> &'static RuleMeta {
        &R404
    }

    fn check(&self, _: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        if block.is_piece() {
            return;
        }
        let (norm, han) = block.normalized();
        if norm.len() < MIN_CHARS {
            return;
        }
        if exact_match(block, norm, han).is_some() {
            return;
        }
        let han = han as f64;
        // Built only once a candidate of similar length is found.
        let mut mine: Option<Trigrams> = None;
        let mut best: Option<(f64, usize)> = None;
        for p in block.prev {
            // Similar paragraphs have similar numbers of Han chars.
            if p.is_piece() {
                continue;
            }
            let fp = p.fingerprint();
            let other_han = fp.han as f64;
            if han.min(other_han) < NEAR_THRESHOLD * han.max(other_han) {
                continue;
            }
            let (a, b) = (norm.len() as f64, fp.norm_len as f64);
            if fp.norm_len < MIN_CHARS || a.min(b) / a.max(b) < NEAR_THRESHOLD {
                continue;
            }
            let mine = mine.get_or_insert_with(|| trigrams(norm));
            let Some(j) = jaccard_at_least(mine, p.trigrams(), NEAR_THRESHOLD) else {
                continue;
            };
            if best.map_or(true, |(bj, _)| j > bj) {
                best = Some((j, p.index));
            }
        }
        if let Some((j, index)) = best {
            out.push(Finding::new(
                "R404",
                Span::new(0, block.body_len),
                format!(
                    "paragraph nearly repeats paragraph {} of this document",
                    index + 1
                ),
                Evidence::new(j, format!("character 3-gram Jaccard similarity {j:.2}"))
                    .term("jaccard", j),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::han::testutil::{apply, findings_with, lex};

    const P: &str = "发展壮大村级集体经济，是强农业、美农村、富农民的重要举措，更是夯实基层治理根基的关键所在。";

    #[test]
    fn exact_duplicate_deleted() {
        let l = lex(&[]);
        let t = format!("{P}\n\n");
        let f = findings_with(&DuplicateParagraph, &l, &t, &[P, "别的段落"], None);
        assert_eq!(apply(&t, &f, Applicability::Review), "");
        // Width and spaces do not matter.
        let variant = P.replace('，', ",").replacen('是', "是 ", 1);
        let f = findings_with(
            &DuplicateParagraph,
            &l,
            &format!("{variant}\n"),
            &[P, "别的段落"],
            None,
        );
        assert_eq!(f.len(), 1);
        // In a run, the earlier copy goes and the last one stays, with its
        // separator (a run at the end keeps the final newline).
        let f = findings_with(&DuplicateParagraph, &l, &t, &[], Some(P));
        assert_eq!(apply(&t, &f, Applicability::Review), "");
        let f = findings_with(&DuplicateParagraph, &l, &format!("{P}\n"), &[P], None);
        assert!(f.is_empty());
    }

    #[test]
    fn short_lines_and_first_occurrence_stay() {
        let l = lex(&[]);
        assert!(findings_with(
            &DuplicateParagraph,
            &l,
            "本版责编 付炎\n",
            &["本版责编 付炎"],
            None
        )
        .is_empty());
        assert!(findings_with(&DuplicateParagraph, &l, P, &["别的段落"], None).is_empty());
    }

    #[test]
    fn near_duplicate_reported() {
        let l = lex(&[]);
        let long = format!("{P}产业发展是民生改善的压舱石，也是基层治理提质增效的动力源。");
        let near = long.replacen("举措", "举动", 1);
        let f = findings_with(&NearDuplicateParagraph, &l, &near, &[long.as_str()], None);
        assert_eq!(f.len(), 1);
        assert!(f[0].fix.is_none());
        assert!(findings_with(&NearDuplicateParagraph, &l, P, &[P], None).is_empty());
        let other = "城西社区火神庙后巷小区建于上世纪80年代，去年10月小区居民向社区反映了问题。";
        assert!(findings_with(&NearDuplicateParagraph, &l, other, &[P], None).is_empty());
    }
}
