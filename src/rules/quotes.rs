//! Quote rules: P202 `quote-balance` (unbalanced or wrong-direction curly
//! quotes, ASCII `"` pairs in Chinese text) and P203 `nested-double-quotes`
//! (`“…“…”…”` → `“…‘…’…”`). A paragraph (one block body) is the unit.

use super::han::{char_at, char_before, has_han, is_cjk, tier_score};
use super::{Block, Context, Rule, RuleMeta};
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::{Evidence, Finding};
use crate::span::Span;

/// P202 `quote-balance`.
pub static P202: RuleMeta = RuleMeta {
    code: "P202",
    name: "quote-balance",
    summary: "unbalanced or wrong-direction curly quotes; ASCII double quotes in Chinese text",
    default_tier: Applicability::Review,
    doc: include_str!("docs/P202.md"),
};

/// P203 `nested-double-quotes`.
pub static P203: RuleMeta = RuleMeta {
    code: "P203",
    name: "nested-double-quotes",
    summary: "double quotes nested inside double quotes become single quotes",
    default_tier: Applicability::Review,
    doc: include_str!("docs/P203.md"),
};

/// A curly quote mark: byte offset and direction.
#[derive(Debug, Clone, Copy)]
struct Mark {
    at: usize,
    open: bool,
}

fn marks(body: &str, open: char, close: char) -> Vec<Mark> {
    // Most paragraphs hold neither mark: a memchr-backed search says so.
    if !body.contains(open) && !body.contains(close) {
        return Vec::new();
    }
    // Each mark by a memchr-backed search, then merged by position (the
    // marks are few; decoding every char of the paragraph is not needed).
    let mut m: Vec<Mark> = body
        .match_indices(open)
        .map(|(i, _)| Mark { at: i, open: true })
        .collect();
    if close != open {
        m.extend(
            body.match_indices(close)
                .filter(|&(i, _)| {
                    if close == '’' {
                        // An apostrophe inside a Latin word is not a quote.
                        let l = char_before(body, i).is_some_and(|x| x.is_ascii_alphabetic());
                        let r = char_at(body, i + close.len_utf8())
                            .is_some_and(|x| x.is_ascii_alphabetic());
                        return !(l && r);
                    }
                    true
                })
                .map(|(i, _)| Mark { at: i, open: false }),
        );
        m.sort_unstable_by_key(|x| x.at);
    }
    m
}

/// Max nesting depth if the marks nest properly, else None.
fn nesting(m: &[Mark]) -> Option<usize> {
    let mut depth = 0usize;
    let mut max = 0;
    for x in m {
        if x.open {
            depth += 1;
            max = max.max(depth);
        } else {
            depth = depth.checked_sub(1)?;
        }
    }
    (depth == 0).then_some(max)
}

/// Rule P202.
pub struct QuoteBalance;

impl QuoteBalance {
    fn curly(&self, block: &Block<'_>, open: char, close: char, out: &mut Vec<Finding>) {
        let body = block.body();
        let m = marks(body, open, close);
        if m.is_empty() || nesting(&m).is_some() {
            return;
        }
        let (o, c) = (open.to_string(), close.to_string());
        if m.len() % 2 == 0 {
            let wrong: Vec<(usize, &Mark)> = m
                .iter()
                .enumerate()
                .filter(|(i, x)| x.open != (i % 2 == 0))
                .collect();
            if wrong.len() == 1 {
                let (i, x) = wrong[0];
                let repl = if i % 2 == 0 { &o } else { &c };
                let span = Span::new(x.at, x.at + open.len_utf8());
                out.push(
                    Finding::new(
                        "P202",
                        span,
                        format!("quote mark points the wrong way: `{repl}` expected"),
                        Evidence::new(
                            tier_score(Applicability::Review),
                            "flipping this one mark makes every quote in the paragraph pair up",
                        ),
                    )
                    .with_fix(Fix::single(
                        Applicability::Review,
                        Edit::replace(span, repl.as_str()),
                    )),
                );
                return;
            }
        }
        // A paragraph cut in two (S501's business): the open quote is closed
        // in the next paragraph, or this one closes the previous one's.
        let (unclosed, stray) = open_and_stray(&m);
        let next_closes = block
            .next
            .is_some_and(|n| first_mark_is(n, open, close) == Some(false));
        let prev_open = block
            .prev_body()
            .is_some_and(|p| open_and_stray(&marks(p, open, close)).0 > 0);
        if (stray == 0 && unclosed > 0 && next_closes) || (unclosed == 0 && stray > 0 && prev_open)
        {
            return;
        }
        // Multi-paragraph quotations open every paragraph and close only
        // the last: an opening mark at the start, with the next paragraph
        // opening again, is the convention, not an error.
        let unclosed_opens =
            m.iter().filter(|x| x.open).count() > m.iter().filter(|x| !x.open).count();
        if unclosed_opens
            && body.trim_start().starts_with(open)
            && block.next.is_some_and(|n| n.trim_start().starts_with(open))
        {
            return;
        }
        let first_bad = first_unbalanced(&m);
        let span = Span::new(first_bad.at, first_bad.at + open.len_utf8());
        out.push(Finding::new(
            "P202",
            span,
            format!("unbalanced `{o}…{c}` quotes in this paragraph"),
            Evidence::new(
                tier_score(Applicability::Suggest),
                "the quote marks do not pair up and no single change makes them",
            ),
        ));
    }

    /// ASCII `q` quotes paired in Chinese text become `open`/`close`.
    /// Quotes inside a code span and apostrophes inside Latin words
    /// (`don't`) are not counted.
    fn ascii_pairs(
        &self,
        body: &str,
        (q, open, close): (char, &str, &str),
        out: &mut Vec<Finding>,
    ) {
        if !body.contains(q) || !has_han(body) {
            return;
        }
        let code = super::protect::code_spans(body);
        let pos: Vec<usize> = body
            .match_indices(q)
            .map(|(i, _)| i)
            .filter(|&i| !super::protect::inside(&code, i))
            .filter(|&i| {
                let l = char_before(body, i).is_some_and(|x| x.is_ascii_alphanumeric());
                let r = char_at(body, i + 1).is_some_and(|x| x.is_ascii_alphanumeric());
                !(l && r)
            })
            .collect();
        if pos.is_empty() || pos.len() % 2 != 0 {
            return;
        }
        for p in pos.chunks(2) {
            let (a, b) = (p[0], p[1]);
            let inner = &body[a + 1..b];
            let outside_cjk = char_before(body, a).is_some_and(is_cjk)
                || char_at(body, b + 1).is_some_and(is_cjk);
            if inner.is_empty()
                || !(has_han(inner) || outside_cjk)
                || inner.contains(['=', '{', '}', '\\'])
            {
                continue;
            }
            out.push(
                Finding::new(
                    "P202",
                    Span::new(a, b + 1),
                    format!("ASCII quotes `{q}…{q}` in Chinese text"),
                    Evidence::new(
                        tier_score(Applicability::Review),
                        "a pair of ASCII quotes in Chinese context",
                    ),
                )
                .with_fix(Fix::many(
                    Applicability::Review,
                    vec![
                        Edit::replace(Span::new(a, a + 1), open),
                        Edit::replace(Span::new(b, b + 1), close),
                    ],
                )),
            );
        }
    }
}

/// (opens never closed, closes with nothing open).
fn open_and_stray(m: &[Mark]) -> (usize, usize) {
    let (mut depth, mut stray) = (0usize, 0usize);
    for x in m {
        if x.open {
            depth += 1;
        } else if depth == 0 {
            stray += 1;
        } else {
            depth -= 1;
        }
    }
    (depth, stray)
}

/// Whether the first quote mark of `s` opens (Some(true)) or closes.
fn first_mark_is(s: &str, open: char, close: char) -> Option<bool> {
    s.chars()
        .find(|&c| c == open || c == close)
        .map(|c| c == open)
}

/// The first mark where nesting breaks (a close with nothing open, else the
/// first unclosed open).
fn first_unbalanced(m: &[Mark]) -> Mark {
    let mut open: Vec<Mark> = Vec::new();
    for x in m {
        if x.open {
            open.push(*x);
        } else if open.pop().is_none() {
            return *x;
        }
    }
    open.first().copied().unwrap_or(m[0])
}

impl Rule for QuoteBalance {
    fn meta(&self) -> &'static RuleMeta {
        &P202
    }

    fn check(&self, _: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        // a piece of a cut line: a quote may open or close in another piece
        if block.is_piece() {
            return;
        }
        self.curly(block, '“', '”', out);
        self.curly(block, '‘', '’', out);
        self.ascii_pairs(block.body(), ('"', "“", "”"), out);
        self.ascii_pairs(block.body(), ('\'', "‘", "’"), out);
    }
}

/// Rule P203.
pub struct NestedDoubleQuotes;

impl Rule for NestedDoubleQuotes {
    fn meta(&self) -> &'static RuleMeta {
        &P203
    }

    fn check(&self, _: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        // a piece of a cut line: the outer quote may be in another piece
        if block.is_piece() {
            return;
        }
        let body = block.body();
        let m = marks(body, '“', '”');
        if nesting(&m) != Some(2) {
            return;
        }
        // Pair the depth-2 marks; skip outer pairs that already hold single
        // quotes (a third level would be ambiguous).
        let mut depth = 0;
        let mut outer_start = 0;
        let mut inner: Vec<Edit> = Vec::new();
        for x in &m {
            if x.open {
                depth += 1;
                if depth == 1 {
                    outer_start = x.at;
                    inner.clear();
                } else {
                    inner.push(Edit::replace(Span::new(x.at, x.at + 3), "‘"));
                }
            } else {
                depth -= 1;
                if depth == 1 {
                    inner.push(Edit::replace(Span::new(x.at, x.at + 3), "’"));
                } else if !inner.is_empty() {
                    let outer = &body[outer_start..x.at];
                    if !outer.contains(['‘', '’']) {
                        let span = Span::new(outer_start, x.at + 3);
                        out.push(
                            Finding::new(
                                "P203",
                                span,
                                "double quotes nested inside double quotes",
                                Evidence::new(
                                    tier_score(Applicability::Review),
                                    "Chinese style quotes inside a quotation with ‘ ’",
                                )
                                .term("inner_pairs", (inner.len() / 2) as f64),
                            )
                            .with_fix(Fix::many(Applicability::Review, std::mem::take(&mut inner))),
                        );
                    }
                    inner.clear();
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::han::testutil::{apply, findings, findings_with, lex};

    fn fix(rule: &dyn Rule, t: &str) -> String {
        apply(t, &findings(rule, t), Applicability::Review)
    }

    #[test]
    fn wrong_direction_flipped() {
        assert_eq!(
            fix(&QuoteBalance, "社区治理的”眼睛”和“耳朵”。"),
            "社区治理的“眼睛”和“耳朵”。"
        );
        assert_eq!(
            fix(&QuoteBalance, "‘保护’而忽视了’利用’"),
            "‘保护’而忽视了‘利用’"
        );
    }

    #[test]
    fn ambiguous_is_reported_without_fix() {
        let t = "坚持“党建引领，强化”三基”，践行";
        let f = findings(&QuoteBalance, t);
        assert_eq!(f.len(), 1);
        assert!(f[0].fix.is_none());
    }

    #[test]
    fn balanced_and_multi_paragraph_quotes_pass() {
        assert!(findings(&QuoteBalance, "“需求清单”“清单”").is_empty());
        assert!(findings(&QuoteBalance, "“以前的“眼睛”。”").is_empty());
        assert!(findings(&QuoteBalance, "don’t stop，好").is_empty());
        let l = lex(&[]);
        let f = findings_with(
            &QuoteBalance,
            &l,
            "“第一段话。\n",
            &[],
            Some("“第二段话。”"),
        );
        assert!(f.is_empty());
        let f = findings_with(&QuoteBalance, &l, "确保阵地“门\n", &[], Some("常开”"));
        assert!(f.is_empty(), "cut paragraph is S501's");
        let f = findings_with(&QuoteBalance, &l, "常开”，真正\n", &["确保阵地“门"], None);
        assert!(f.is_empty(), "cut paragraph is S501's");
        let f = findings_with(&QuoteBalance, &l, "确保阵地“门\n", &[], Some("常开。"));
        assert_eq!(f.len(), 1);
    }

    #[test]
    fn ascii_pairs_in_chinese() {
        assert_eq!(
            fix(&QuoteBalance, "称为\"红色引擎\"的机制"),
            "称为“红色引擎”的机制"
        );
        assert_eq!(fix(&QuoteBalance, "say \"hi\" now"), "say \"hi\" now");
        assert_eq!(fix(&QuoteBalance, "5\"屏幕"), "5\"屏幕");
        assert_eq!(
            fix(&QuoteBalance, "'你好，'他说，'我们走吧。'"),
            "‘你好，’他说，‘我们走吧。’"
        );
        // code and apostrophes are not quotes
        for t in ["用`join('，')`连接", "I don't 知道", "函数join('，')连接"] {
            assert_eq!(fix(&QuoteBalance, t), t, "{t}");
        }
    }

    #[test]
    fn nested_double_quotes() {
        assert_eq!(
            fix(
                &NestedDoubleQuotes,
                "“现在我们是社区治理的“眼睛”和“耳朵”。”张师傅说。"
            ),
            "“现在我们是社区治理的‘眼睛’和‘耳朵’。”张师傅说。"
        );
        assert!(findings(&NestedDoubleQuotes, "“甲”和“乙”").is_empty());
        assert!(findings(&NestedDoubleQuotes, "“甲‘乙“丙”’”").is_empty());
    }
}
