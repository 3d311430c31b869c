//! The one routine that applies fixes to a text, and the [`SourceMap`] it
//! keeps from the result back to the input.
//!
//! Policy (tested below and by property tests):
//! - fixes are considered in order of tier (safe first), then position, then
//!   the order given; a fix is applied whole or not at all;
//! - a fix is skipped if any of its edits overlaps an edit already accepted
//!   (spans that only touch do not overlap; two insertions at the same point
//!   do);
//! - edits that would change nothing are dropped, so applying the output of a
//!   run again finds nothing to do;
//! - applying no fixes returns the input unchanged.

use crate::edit::{Edit, Fix};
use crate::span::Span;

/// One changed region: `orig` bytes of the input became `new` bytes of the
/// output.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Region {
    /// Span in the input.
    pub orig: Span,
    /// Span in the output.
    pub new: Span,
}

/// Maps offsets in an output text back to its input.
///
/// Holds only the changed regions (sorted), so its size is proportional to the
/// number of edits, not to the text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    regions: Vec<Region>,
}

impl SourceMap {
    /// The changed regions, in order.
    pub fn regions(&self) -> &[Region] {
        &self.regions
    }

    /// True if nothing changed.
    pub fn is_identity(&self) -> bool {
        self.regions.is_empty()
    }

    /// Map an output offset to the input.
    ///
    /// An offset strictly inside a changed region maps to the region's input
    /// start (`round_up == false`) or end (`round_up == true`). At a point
    /// where text was deleted, a start offset maps past the deletion and an
    /// end offset before it, so a span of kept text maps to exactly that text.
    pub fn to_original(&self, pos: usize, round_up: bool) -> usize {
        let mut k = self.regions.partition_point(|r| r.new.end <= pos);
        if let Some(r) = self.regions.get(k) {
            if r.new.start < pos {
                return if round_up { r.orig.end } else { r.orig.start };
            }
        }
        if round_up {
            while k > 0
                && self.regions[k - 1].new.is_empty()
                && self.regions[k - 1].new.start == pos
            {
                k -= 1;
            }
        }
        match k.checked_sub(1).map(|i| &self.regions[i]) {
            Some(prev) => prev.orig.end + (pos - prev.new.end),
            None => pos,
        }
    }

    /// Map an output span to the smallest input span that covers it.
    pub fn span_to_original(&self, span: Span) -> Span {
        let start = self.to_original(span.start, false);
        let end = self.to_original(span.end, true).max(start);
        Span::new(start, end)
    }
}

/// The result of [`apply_fixes`].
#[derive(Debug, Clone)]
pub struct Applied {
    /// The new text.
    pub text: String,
    /// Maps `text` offsets back to the input.
    pub map: SourceMap,
    /// For each fix given, whether it was applied.
    pub applied: Vec<bool>,
}

/// Apply `fixes` to `text` under the policy in the module docs.
///
/// Edits must lie on char boundaries of `text`; a fix with an edit out of
/// bounds or off a boundary is skipped (never a panic).
///
/// Cost: O(f log f + e log e + n) for f fixes, e edits, n bytes.
pub fn apply_fixes(text: &str, fixes: &[&Fix]) -> Applied {
    let mut order: Vec<usize> = (0..fixes.len()).collect();
    order.sort_by_key(|&i| {
        let f = fixes[i];
        (
            std::cmp::Reverse(f.applicability),
            f.span().map(|s| s.start).unwrap_or(usize::MAX),
            i,
        )
    });

    let mut applied = vec![false; fixes.len()];
    let mut accepted: Vec<Edit> = Vec::new();
    // accepted edits by (start, index), and the longest accepted span: an
    // edit can only overlap accepted spans starting within `max_len` before
    // it, so a clash is a range query, not a scan of every accepted edit
    // (a long line can carry many thousands of fixes)
    let mut by_start: std::collections::BTreeMap<(usize, usize), Span> =
        std::collections::BTreeMap::new();
    let mut max_len = 0usize;
    for i in order {
        let edits: Vec<&Edit> = fixes[i].edits.iter().filter(|e| !e.is_noop(text)).collect();
        if edits.is_empty() {
            continue;
        }
        let valid = edits
            .iter()
            .all(|e| Span::checked(text, e.span.start, e.span.end).is_some());
        let self_overlap = edits
            .iter()
            .enumerate()
            .any(|(a, ea)| edits[a + 1..].iter().any(|eb| ea.span.overlaps(&eb.span)));
        let clash = edits.iter().any(|e| {
            let lo = e.span.start.saturating_sub(max_len);
            by_start
                .range((lo, 0)..=(e.span.end, usize::MAX))
                .any(|(_, a)| a.overlaps(&e.span))
        });
        if valid && !self_overlap && !clash {
            for e in edits {
                by_start.insert((e.span.start, accepted.len()), e.span);
                max_len = max_len.max(e.span.end - e.span.start);
                accepted.push(e.clone());
            }
            applied[i] = true;
        }
    }
    accepted.sort_by_key(|e| (e.span.start, e.span.end));

    let mut out = String::with_capacity(text.len());
    let mut regions = Vec::with_capacity(accepted.len());
    let mut pos = 0;
    for e in &accepted {
        out.push_str(&text[pos..e.span.start]);
        let new_start = out.len();
        out.push_str(&e.replacement);
        regions.push(Region {
            orig: e.span,
            new: Span::new(new_start, out.len()),
        });
        pos = e.span.end;
    }
    out.push_str(&text[pos..]);
    Applied {
        text: out,
        map: SourceMap { regions },
        applied,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::Applicability::*;

    fn fix(t: crate::edit::Applicability, s: usize, e: usize, r: &str) -> Fix {
        Fix::single(t, Edit::replace(Span::new(s, e), r))
    }

    #[test]
    fn no_fixes_is_identity() {
        let a = apply_fixes("甲乙丙", &[]);
        assert_eq!(a.text, "甲乙丙");
        assert!(a.map.is_identity());
    }

    #[test]
    fn applies_sorted_and_skips_overlaps() {
        let t = "a,b;c";
        let f1 = fix(Review, 1, 2, "，");
        let f2 = fix(Safe, 3, 4, "；");
        let f3 = fix(Safe, 1, 3, "X"); // overlaps f1; safe goes first
        let a = apply_fixes(t, &[&f1, &f2, &f3]);
        assert_eq!(a.applied, vec![false, true, true]);
        assert_eq!(a.text, "aX；c");
    }

    #[test]
    fn touching_edits_both_apply() {
        let t = "abcd";
        let a = apply_fixes(t, &[&fix(Safe, 0, 2, "X"), &fix(Safe, 2, 4, "Y")]);
        assert_eq!(a.text, "XY");
    }

    #[test]
    fn two_insertions_at_same_point_conflict() {
        let t = "ab";
        let f1 = Fix::single(Safe, Edit::insert(1, "x"));
        let f2 = Fix::single(Safe, Edit::insert(1, "y"));
        let a = apply_fixes(t, &[&f1, &f2]);
        assert_eq!(a.text, "axb");
        assert_eq!(a.applied, vec![true, false]);
    }

    #[test]
    fn off_boundary_edit_is_skipped_not_panicking() {
        let t = "你好";
        let a = apply_fixes(t, &[&fix(Safe, 1, 3, "x"), &fix(Safe, 0, 99, "x")]);
        assert_eq!(a.text, t);
        assert_eq!(a.applied, vec![false, false]);
    }

    #[test]
    fn noop_edits_are_dropped() {
        let a = apply_fixes("ab", &[&fix(Safe, 0, 1, "a")]);
        assert_eq!(a.applied, vec![false]);
        assert!(a.map.is_identity());
    }

    #[test]
    fn source_map_maps_back() {
        // "的的确" -> delete the first 的 (bytes 0..3), replace 确 (6..9) with "确实"
        let t = "的的确x";
        let a = apply_fixes(
            t,
            &[
                &Fix::single(Safe, Edit::delete(Span::new(0, 3))),
                &fix(Safe, 6, 9, "确实"),
            ],
        );
        assert_eq!(a.text, "的确实x");
        // 'x' is at 9 in the output, 9 in the input
        assert_eq!(a.map.to_original(a.text.find('x').unwrap(), false), 9);
        // the output "确实" (3..9) maps to the input 确 (6..9)
        assert_eq!(a.map.span_to_original(Span::new(3, 9)), Span::new(6, 9));
        // the output's first 的 (0..3) is the input's second 的 (3..6)
        assert_eq!(a.map.span_to_original(Span::new(0, 3)), Span::new(3, 6));
        // inside a replaced region: rounds outward
        assert_eq!(a.map.to_original(6, false), 6);
        assert_eq!(a.map.to_original(6, true), 9);
    }
}
