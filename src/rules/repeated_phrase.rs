//! R402 `repeated-phrase`: a phrase of three or more Han chars immediately
//! repeated, with or without a list separator (`凝聚群众、凝聚群众`). The
//! repeat (and its separator) is deleted.

use super::doubled::boundaries;
use super::han::tier_score;
use super::{Block, Context, Rule, RuleMeta};
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::{Evidence, Finding};
use crate::span::Span;

/// R402 `repeated-phrase`.
pub static R402: RuleMeta = RuleMeta {
    code: "R402",
    name: "repeated-phrase",
    summary: "a phrase of three or more chars immediately repeated",
    default_tier: Applicability::Review,
    doc: include_str!("docs/R402.md"),
};

/// Separators allowed between the two copies: list separators only. After
/// a comma a repeat is usually deliberate (顶真, `…的优胜队，优胜队队员…`).
const SEPARATORS: &[char] = &['、'];

/// Longest phrase considered, in chars.
const MAX_PHRASE: usize = 30;

/// Rule R402.
pub struct RepeatedPhrase;

impl Rule for RepeatedPhrase {
    fn meta(&self) -> &'static RuleMeta {
        &R402
    }

    fn check(&self, ctx: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let body = block.body();
        let lex = ctx.lexicon;
        let runs = block.han_runs();
        if runs.is_empty() {
            return;
        }
        // Token boundaries of the whole body (absolute byte offsets).
        // Word boundaries are needed only once a repeat is seen: computed
        // lazily, so lines without repeats cost one pass over their chars.
        let mut bounds: Option<Vec<usize>> = None;
        let mut chars: Vec<(usize, char)> = Vec::with_capacity(body.len() / 3 + 8);
        chars.extend(body.char_indices());
        let off = |k: usize| chars.get(k).map(|x| x.0).unwrap_or(body.len());
        // han_end[k] = index of the first non-Han char at or after k
        let mut han_end = vec![chars.len(); chars.len() + 1];
        for k in (0..chars.len()).rev() {
            han_end[k] = if super::han::is_han(chars[k].1) {
                han_end[k + 1]
            } else {
                k
            };
        }
        // next_same[k]: the next index holding the same char as k, from a
        // right-to-left pass with a small open-addressing table of the last
        // index seen per char (linear in the block).
        let mut next_same = vec![usize::MAX; chars.len()];
        let slots = (2 * chars.len()).next_power_of_two().max(16);
        let mut last: Vec<(u32, usize)> = vec![(u32::MAX, usize::MAX); slots];
        for (k, &(_, c)) in chars.iter().enumerate().rev() {
            // (only Han positions start a phrase, and the chain of a Han char
            // holds Han chars only)
            if han_end[k] == k {
                continue;
            }
            let key = c as u32;
            let mut i = (key.wrapping_mul(0x9E37_79B9) >> 8) as usize & (slots - 1);
            loop {
                let slot = &mut last[i];
                if slot.0 == key {
                    next_same[k] = slot.1;
                    slot.1 = k;
                    break;
                }
                if slot.0 == u32::MAX {
                    *slot = (key, k);
                    break;
                }
                i = (i + 1) & (slots - 1);
            }
        }
        let mut lengths: Vec<usize> = Vec::new();
        let mut p = 0;
        while p < chars.len() {
            let mut found = None;
            // (a phrase is Han chars only: lengths past the Han run fail the
            // `han_end` test below, so they are not gathered)
            let max_l = ((chars.len() - p) / 2).min(MAX_PHRASE).min(han_end[p] - p);
            if max_l < 3 {
                p += 1;
                continue;
            }
            // Cheap filter first: the repeat must start with the same char,
            // right after the phrase or after one separator.
            lengths.clear();
            let mut j = next_same[p];
            while j != usize::MAX && j <= p + max_l + 1 {
                for l in [j - p, j - p - 1] {
                    if (3..=max_l).contains(&l) {
                        lengths.push(l);
                    }
                }
                j = next_same[j];
            }
            lengths.sort_unstable_by(|a, b| b.cmp(a));
            lengths.dedup();
            for &l in &lengths {
                if han_end[p] < p + l {
                    continue;
                }
                let phrase = &chars[p..p + l];
                if phrase.iter().all(|x| x.1 == phrase[0].1) {
                    continue;
                }
                let sep = usize::from(chars.get(p + l).is_some_and(|x| SEPARATORS.contains(&x.1)));
                let q = p + l + sep;
                if q + l > chars.len() || !(0..l).all(|k| chars[q + k].1 == phrase[k].1) {
                    continue;
                }
                // Across a separator the repeat is a whole list item: the
                // item ends with it (`凝聚群众、凝聚群众，`). One that goes
                // on is a new item that starts with the same words
                // (`客户端连接服务端、服务端生成响应`).
                if sep == 1 && chars.get(q + l).is_some_and(|x| super::han::is_han(x.1)) {
                    continue;
                }
                let text: String = phrase.iter().map(|x| x.1).collect();
                // Without a separator, a single word repeated is R401's.
                if sep == 0 && l <= 4 && lex.contains(&text) {
                    continue;
                }
                // Whole phrases only: both copies start and end on token
                // boundaries.
                let (s1, e1, s2, e2) = (off(p), off(p + l), off(q), off(q + l));
                let bounds = bounds.get_or_insert_with(|| {
                    let mut b: Vec<usize> = Vec::new();
                    for &(s, e) in runs {
                        b.extend(boundaries(lex, &body[s..e]).into_iter().map(|x| s + x));
                    }
                    b.sort_unstable();
                    b.dedup();
                    b
                });
                let at = |b: usize| bounds.binary_search(&b).is_ok();
                if !(at(s1) && at(e1) && at(s2) && at(e2)) {
                    continue;
                }
                found = Some((l, text, e1, e2));
                break;
            }
            let Some((l, text, del_start, del_end)) = found else {
                p += 1;
                continue;
            };
            let span = Span::new(off(p), del_end);
            out.push(
                Finding::new(
                    "R402",
                    span,
                    format!("`{text}` is repeated"),
                    Evidence::new(
                        tier_score(Applicability::Review),
                        "the same phrase twice in a row, aligned on word boundaries",
                    )
                    .term("chars", l as f64),
                )
                .with_fix(Fix::single(
                    Applicability::Review,
                    Edit::delete(Span::new(del_start, del_end)),
                )),
            );
            p = chars.partition_point(|x| x.0 < del_end);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::{Lexicon, WordFlags};
    use crate::rules::han::testutil::{apply, findings_with, lex};

    fn lexicon() -> Lexicon {
        let n = WordFlags::default();
        lex(&[
            ("凝聚", 900, n),
            ("群众", 9000, n),
            ("服务", 9000, n),
            ("共建", 300, n),
            ("共治", 100, n),
            ("共享", 900, n),
            ("经济", 9000, n),
        ])
    }

    fn fix(t: &str) -> String {
        let l = lexicon();
        apply(
            t,
            &findings_with(&RepeatedPhrase, &l, t, &[], None),
            Applicability::Review,
        )
    }

    #[test]
    fn repeated_with_and_without_separator() {
        assert_eq!(fix("凝聚群众、凝聚群众、服务群众"), "凝聚群众、服务群众");
        assert_eq!(fix("要凝聚群众凝聚群众。"), "要凝聚群众。");
    }

    #[test]
    fn parallelism_and_short_repeats_stay() {
        for t in [
            "共建共治共享",
            "凝聚群众、服务群众",
            "经济、经济",
            "哈哈哈哈哈哈",
            // a new list item that starts with the last words of the one before
            "客户端连接服务端、服务端生成响应",
        ] {
            assert_eq!(fix(t), t, "{t}");
        }
    }
}
