//! Property tests of the apply routine: identity without edits, bytes
//! outside applied edits untouched, source map consistency, never a panic.

use proptest::prelude::*;
use zhclean::apply::apply_fixes;
use zhclean::edit::{Applicability, Edit, Fix};
use zhclean::span::Span;

fn text_strategy() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just('甲'),
            Just('乙'),
            Just('，'),
            Just(','),
            Just(' '),
            Just('\n'),
            Just('a'),
            Just('的'),
        ],
        0..40,
    )
    .prop_map(|v| v.into_iter().collect())
}

/// Fixes at char boundaries of `text`, drawn from raw numbers.
fn fixes_for(text: &str, raw: &[(usize, usize, u8, u8)]) -> Vec<Fix> {
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    raw.iter()
        .map(|&(a, len, r, tier)| {
            let s = bounds[a % bounds.len()];
            let e_idx = (a % bounds.len() + len % 3).min(bounds.len() - 1);
            let e = bounds[e_idx];
            let repl = ["", "丙", "xy", "，"][r as usize % 4];
            let t = [Applicability::Safe, Applicability::Review][tier as usize % 2];
            Fix::single(t, Edit::replace(Span::new(s, e), repl))
        })
        .collect()
}

proptest! {
    #[test]
    fn no_fixes_is_identity(text in text_strategy()) {
        let a = apply_fixes(&text, &[]);
        prop_assert_eq!(a.text, text);
        prop_assert!(a.map.is_identity());
    }

    #[test]
    fn outside_applied_edits_is_byte_identical(
        text in text_strategy(),
        raw in proptest::collection::vec((0usize..64, 0usize..3, 0u8..4, 0u8..2), 0..8),
    ) {
        let fixes = fixes_for(&text, &raw);
        let refs: Vec<&Fix> = fixes.iter().collect();
        let a = apply_fixes(&text, &refs);
        // Walk the regions: gaps between them must be copied verbatim.
        let mut orig_pos = 0;
        let mut new_pos = 0;
        for r in a.map.regions() {
            prop_assert_eq!(r.orig.start - orig_pos, r.new.start - new_pos);
            prop_assert_eq!(&text[orig_pos..r.orig.start], &a.text[new_pos..r.new.start]);
            orig_pos = r.orig.end;
            new_pos = r.new.end;
        }
        prop_assert_eq!(&text[orig_pos..], &a.text[new_pos..]);
        // Accepted edits never overlap one another.
        let regions = a.map.regions();
        for w in regions.windows(2) {
            prop_assert!(w[0].orig.end <= w[1].orig.start);
        }
        // The output of a region is its fix's replacement.
        for r in regions {
            let replacement = &a.text[r.new.start..r.new.end];
            prop_assert!(fixes.iter().zip(&a.applied).any(|(f, &ok)| ok
                && f.edits[0].span == r.orig
                && f.edits[0].replacement == replacement));
        }
    }

    #[test]
    fn source_map_roundtrips_unchanged_offsets(
        text in text_strategy(),
        raw in proptest::collection::vec((0usize..64, 0usize..3, 0u8..4, 0u8..2), 0..8),
    ) {
        let fixes = fixes_for(&text, &raw);
        let refs: Vec<&Fix> = fixes.iter().collect();
        let a = apply_fixes(&text, &refs);
        // Every char of the output outside changed regions maps back to the
        // same char in the input.
        for (i, c) in a.text.char_indices() {
            if a.map.regions().iter().any(|r| r.new.start <= i && i < r.new.end) {
                continue;
            }
            let o = a.map.to_original(i, false);
            prop_assert_eq!(text[o..].chars().next(), Some(c));
        }
    }

    #[test]
    fn safe_fixes_win_over_review(text in "[甲乙]{2,10}") {
        let f_review = Fix::single(Applicability::Review, Edit::replace(Span::new(0, 3), "R"));
        let f_safe = Fix::single(Applicability::Safe, Edit::replace(Span::new(0, 6), "S"));
        let a = apply_fixes(&text, &[&f_review, &f_safe]);
        prop_assert_eq!(a.applied, vec![false, true]);
        prop_assert!(a.text.starts_with('S'));
    }
}
