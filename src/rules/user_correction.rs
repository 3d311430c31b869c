//! C701 `user-correction`: the user's `wrong → right` pairs, applied
//! everywhere they match (segmentation-free, leftmost-longest).

use super::{Block, Context, Rule, RuleMeta};
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::{Evidence, Finding};
use crate::lexicon::user::StrBuild;
use crate::span::Span;
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::hash_map::Entry;
use std::collections::HashMap;

/// Metadata of C701.
pub static META: RuleMeta = RuleMeta {
    code: "C701",
    name: "user-correction",
    summary: "replace a string from the user's corrections file with its correction",
    default_tier: Applicability::Safe,
    doc: include_str!("docs/C701.md"),
};

/// The user-correction rule over a fixed list of pairs.
///
/// Costs: construction is one hash map over the wrong sides (duplicates,
/// and the wrong sides that are also right sides) and one Aho-Corasick
/// automaton over them, linear in their total length; the right sides are
/// kept in one buffer. A check is one linear scan of the block body,
/// independent of the number of pairs.
#[derive(Debug)]
pub struct UserCorrection {
    ac: AhoCorasick,
    /// The pair of each automaton pattern.
    order: Vec<usize>,
    /// The right sides, one after another; pattern `p`'s is
    /// `right_text[right_ends[p - 1]..right_ends[p]]`.
    right_text: String,
    right_ends: Vec<usize>,
    /// Byte offsets in its right side where pattern `p`'s wrong side occurs
    /// (`北京 → 北京市`: 0), only for the patterns that have any.
    inside: HashMap<usize, Vec<usize>, StrBuild>,
    /// Per pattern: its wrong side is also some pair's right side, so on a
    /// re-check it may be the product of a correction (no chains, no cycles).
    produced: Vec<bool>,
}

impl UserCorrection {
    /// A rule for `pairs` (`wrong`, `right`). Pairs with an empty wrong side
    /// or `wrong == right` are ignored; for a repeated wrong side the first
    /// pair wins. None if no usable pair remains.
    pub fn new(pairs: &[(String, String)]) -> Option<UserCorrection> {
        // One sized hash map, not list scans: 500k pairs load in linear time.
        let mut index: HashMap<&str, usize, StrBuild> =
            HashMap::with_capacity_and_hasher(pairs.len(), StrBuild::default());
        let mut wrongs: Vec<&str> = Vec::with_capacity(pairs.len());
        let mut right_ends = Vec::with_capacity(pairs.len());
        let mut right_text = String::new();
        let mut inside = HashMap::default();
        for (w, r) in pairs {
            if w.is_empty() || w == r {
                continue;
            }
            let Entry::Vacant(e) = index.entry(w.as_str()) else {
                continue;
            };
            let p = wrongs.len();
            e.insert(p);
            wrongs.push(w);
            right_text.push_str(r);
            right_ends.push(right_text.len());
            // A right side no longer than the wrong one (and different)
            // cannot contain it: no substring search for the usual pair.
            if r.len() > w.len() {
                let at: Vec<usize> = r.match_indices(w.as_str()).map(|(i, _)| i).collect();
                if !at.is_empty() {
                    inside.insert(p, at);
                }
            }
        }
        if wrongs.is_empty() {
            return None;
        }
        let mut produced = vec![false; wrongs.len()];
        let mut start = 0;
        for &end in &right_ends {
            if let Some(&p) = index.get(&right_text[start..end]) {
                produced[p] = true;
            }
            start = end;
        }
        drop(index);
        // The automaton's patterns in descending byte order: each new
        // pattern then walks the trie where the previous one left it (the
        // build touches memory in order: 500k pairs build ~30% faster).
        // The order changes no match: the wrong sides are distinct, and
        // leftmost-longest has no ties between distinct patterns.
        let mut order: Vec<usize> = (0..wrongs.len()).collect();
        order.sort_unstable_by(|&a, &b| wrongs[b].cmp(wrongs[a]));
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(order.iter().map(|&p| wrongs[p]))
            .ok()?;
        Some(UserCorrection {
            ac,
            order,
            right_text,
            right_ends,
            inside,
            produced,
        })
    }

    /// Pattern `p`'s right side.
    fn right(&self, p: usize) -> &str {
        let start = if p == 0 { 0 } else { self.right_ends[p - 1] };
        &self.right_text[start..self.right_ends[p]]
    }
}

impl Rule for UserCorrection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let body = block.body();
        for m in self.ac.find_iter(body) {
            let p = self.order[m.pattern().as_usize()];
            if block.pass > 0 && self.produced[p] {
                continue;
            }
            let right = self.right(p);
            // Already corrected: the match is part of an occurrence of `right`.
            let done = self.inside.get(&p).is_some_and(|inside| {
                inside.iter().any(|&k| {
                    m.start() >= k
                        && body
                            .get(m.start() - k..)
                            .is_some_and(|t| t.starts_with(right))
                })
            });
            if done {
                continue;
            }
            let span = Span::new(m.start(), m.end());
            let wrong = &body[m.start()..m.end()];
            out.push(
                Finding::new(
                    META.code,
                    span,
                    format!("user correction: `{wrong}` → `{right}`"),
                    Evidence::new(1.0, "pair listed in the user's corrections file")
                        .candidate(right.to_string(), 1.0),
                )
                .with_fix(Fix::single(
                    Applicability::Safe,
                    Edit::replace(span, right.to_string()),
                )),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    fn pairs(p: &[(&str, &str)]) -> Vec<(String, String)> {
        p.iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect()
    }

    fn run(rule: &UserCorrection, text: &str) -> Vec<(String, String)> {
        let lex = Lexicon::from_entries(Vec::<(String, crate::lexicon::Entry)>::new()).unwrap();
        let ctx = Context::new(&lex);
        let block = Block::new(text, text.trim_end_matches('\n').len(), 0, &[], None, 0);
        let mut out = Vec::new();
        rule.check(&ctx, &block, &mut out);
        out.iter()
            .map(|f| {
                let e = &f.fix.as_ref().unwrap().edits[0];
                (
                    text[f.span.start..f.span.end].to_string(),
                    e.replacement.clone(),
                )
            })
            .collect()
    }

    #[test]
    fn leftmost_longest_and_all_occurrences() {
        let r = UserCorrection::new(&pairs(&[("登陆", "登录"), ("登陆系统", "登录系统")])).unwrap();
        assert_eq!(
            run(&r, "请登陆系统后再登陆。\n"),
            vec![
                ("登陆系统".to_string(), "登录系统".to_string()),
                ("登陆".to_string(), "登录".to_string())
            ]
        );
    }

    #[test]
    fn already_corrected_text_is_left_alone() {
        let r = UserCorrection::new(&pairs(&[("北京", "北京市")])).unwrap();
        assert_eq!(
            run(&r, "北京市和北京\n"),
            vec![("北京".to_string(), "北京市".to_string())]
        );
        let r = UserCorrection::new(&pairs(&[("京市", "北京市")])).unwrap();
        assert!(run(&r, "北京市\n").is_empty());
    }

    #[test]
    fn first_pair_wins_and_right_sides_that_contain_the_wrong_one() {
        let r = UserCorrection::new(&pairs(&[
            ("甲", "乙"),
            ("丙", "甲丙甲丙"),
            ("甲", "丁"),
            ("乙", "戊"),
        ]))
        .unwrap();
        assert_eq!(
            run(&r, "甲丙\n"),
            vec![
                ("甲".to_string(), "乙".to_string()),
                ("丙".to_string(), "甲丙甲丙".to_string())
            ]
        );
        // Either occurrence of `丙` inside `甲丙甲丙` counts as corrected.
        assert_eq!(run(&r, "甲丙甲丙\n").len(), 2);
        // `乙` may be a product of the first pair.
        assert_eq!(r.produced, vec![false, false, true]);
    }

    #[test]
    fn useless_pairs_are_ignored() {
        assert!(UserCorrection::new(&pairs(&[("", "x"), ("同", "同")])).is_none());
        assert!(UserCorrection::new(&[]).is_none());
    }
}
