//! C701 `user-correction`: the user's `wrong → right` pairs, applied
//! everywhere they match (segmentation-free, leftmost-longest).

use super::{Block, Context, Rule, RuleMeta};
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::{Evidence, Finding};
use crate::lexicon::user::StrBuild;
use crate::span::Span;
use aho_corasick::{AhoCorasick, MatchKind};
use std::collections::HashSet;

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
/// Costs: construction builds one Aho-Corasick automaton over the wrong
/// sides (linear in their total length; duplicates and chains are found
/// with hash sets); a check is one linear scan of the
/// block body, independent of the number of pairs.
#[derive(Debug)]
pub struct UserCorrection {
    ac: AhoCorasick,
    /// (right side, byte offsets in `right` where the wrong side occurs),
    /// indexed like the automaton's patterns.
    rights: Vec<(String, Vec<usize>)>,
    /// Per pattern: its wrong side is also some pair's right side, so on a
    /// re-check it may be the product of a correction (no chains, no cycles).
    produced: Vec<bool>,
}

impl UserCorrection {
    /// A rule for `pairs` (`wrong`, `right`). Pairs with an empty wrong side
    /// or `wrong == right` are ignored; for a repeated wrong side the first
    /// pair wins. None if no usable pair remains.
    pub fn new(pairs: &[(String, String)]) -> Option<UserCorrection> {
        // Hash sets, not list scans: 500k pairs load in linear time.
        let mut wrongs: Vec<&str> = Vec::new();
        let mut seen: HashSet<&str, StrBuild> = HashSet::default();
        let mut rights = Vec::new();
        for (w, r) in pairs {
            if w.is_empty() || w == r || !seen.insert(w.as_str()) {
                continue;
            }
            let inside: Vec<usize> = r.match_indices(w.as_str()).map(|(i, _)| i).collect();
            wrongs.push(w);
            rights.push((r.clone(), inside));
        }
        if wrongs.is_empty() {
            return None;
        }
        let right_set: HashSet<&str, StrBuild> = rights.iter().map(|(r, _)| r.as_str()).collect();
        let produced = wrongs.iter().map(|w| right_set.contains(w)).collect();
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::LeftmostLongest)
            .build(&wrongs)
            .ok()?;
        Some(UserCorrection {
            ac,
            rights,
            produced,
        })
    }
}

impl Rule for UserCorrection {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, _ctx: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let body = block.body();
        for m in self.ac.find_iter(body) {
            let p = m.pattern().as_usize();
            if block.pass > 0 && self.produced[p] {
                continue;
            }
            let (right, inside) = &self.rights[p];
            // Already corrected: the match is part of an occurrence of `right`.
            let done = inside.iter().any(|&k| {
                m.start() >= k
                    && body
                        .get(m.start() - k..)
                        .is_some_and(|t| t.starts_with(right.as_str()))
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
                        .candidate(right.clone(), 1.0),
                )
                .with_fix(Fix::single(
                    Applicability::Safe,
                    Edit::replace(span, right.clone()),
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
    fn useless_pairs_are_ignored() {
        assert!(UserCorrection::new(&pairs(&[("", "x"), ("同", "同")])).is_none());
        assert!(UserCorrection::new(&[]).is_none());
    }
}
