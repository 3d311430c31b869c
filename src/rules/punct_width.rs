//! P201 `halfwidth-punctuation`: ASCII `, ; : ? ! ( )` in Chinese context
//! become full-width `，；：？！（）`.
//!
//! Context gate (the idea autocorrect uses, written for this engine): a
//! punctuation mark (or a run of them, `?!`) converts when a Han char or CJK
//! punctuation touches it on at least one side and no ASCII letter or digit
//! touches it on both sides (`1,000`, `8:1:1`, `10:30`, `Hello,world` stay).
//! Marks inside URL and e-mail tokens never convert. Parentheses convert as
//! a pair, decided by what they enclose.

use super::han::{char_at, char_before, is_cjk, is_han, tier_score};
use super::{Block, Context, Rule, RuleMeta};
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::{Evidence, Finding};
use crate::span::Span;
use std::borrow::Cow;

/// P201 `halfwidth-punctuation`.
pub static P201: RuleMeta = RuleMeta {
    code: "P201",
    name: "halfwidth-punctuation",
    summary: "ASCII , ; : ? ! ( ) in Chinese context become full-width",
    default_tier: Applicability::Safe,
    doc: include_str!("docs/P201.md"),
};

/// Rule P201.
pub struct HalfwidthPunctuation;

fn full_width(c: char) -> Option<&'static str> {
    Some(match c {
        ',' => "，",
        ';' => "；",
        ':' => "：",
        '?' => "？",
        '!' => "！",
        '(' => "（",
        ')' => "）",
        _ => return None,
    })
}

/// Byte ranges of URL and e-mail tokens (runs of non-space, non-CJK chars
/// containing `://`, `@` or starting with `www.`).
fn protected_tokens(body: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let flush = |s: usize, e: usize, out: &mut Vec<(usize, usize)>| {
        let t = &body[s..e];
        if t.contains("://") || t.contains('@') || t.to_ascii_lowercase().starts_with("www.") {
            out.push((s, e));
        }
    };
    for (i, c) in body.char_indices() {
        let part = !c.is_whitespace() && !is_cjk(c);
        match (part, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                flush(s, i, &mut out);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        flush(s, body.len(), &mut out);
    }
    out
}

fn in_any(ranges: &[(usize, usize)], i: usize) -> bool {
    ranges.iter().any(|&(s, e)| s <= i && i < e)
}

/// How a neighbour of a punctuation mark reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    /// Han or CJK punctuation (or a parenthesis that converts).
    Cjk,
    /// ASCII letter or digit.
    Alnum,
    /// Start or end of the line.
    Edge,
    /// Anything else (space, other symbols).
    Other,
}

fn side(c: Option<char>, converted_paren: bool) -> Side {
    match c {
        None => Side::Edge,
        Some(_) if converted_paren => Side::Cjk,
        Some(c) if is_cjk(c) => Side::Cjk,
        Some(c) if c.is_ascii_alphanumeric() => Side::Alnum,
        _ => Side::Other,
    }
}

/// Tier for a mark between `l` and `r`, or None when it must stay.
fn mark_tier(l: Side, r: Side) -> Option<Applicability> {
    use Side::*;
    match (l, r) {
        (Alnum, Alnum) => None,
        (Cjk, Cjk) | (Cjk, Edge) => Some(Applicability::Safe),
        (Cjk, _) | (_, Cjk) => Some(Applicability::Review),
        _ => None,
    }
}

impl Rule for HalfwidthPunctuation {
    fn meta(&self) -> &'static RuleMeta {
        &P201
    }

    fn check(&self, _: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let body = block.body();
        if super::han::has_char(body, '.') {
            stops_before_quotes(body, &super::protect::code_spans(body), out);
        }
        if !super::han::has_ascii_of(body.as_bytes(), b",;:?!()") {
            return;
        }
        let mut protected = protected_tokens(body);
        protected.extend(super::protect::code_spans(body));
        protected.extend(super::protect::link_targets(body));
        let paren_fixes = parens(body, &protected);
        let converted: Vec<usize> = paren_fixes
            .iter()
            .filter(|p| p.tier.is_some())
            .flat_map(|p| p.positions.clone())
            .collect();
        for p in &paren_fixes {
            let Some(tier) = p.tier else { continue };
            let mut edits: Vec<Edit> = Vec::new();
            for &i in &p.positions {
                let c = char_at(body, i).unwrap_or('(');
                // a full-width parenthesis takes its own room: the spaces
                // outside it go (`框架 (如 React 等) 的` → `框架（如 React 等）的`)
                if c == '(' {
                    if let Some(s) = spaces_before(body, i) {
                        edits.push(Edit::delete(Span::new(s, i)));
                    }
                }
                edits.push(Edit::replace(
                    Span::new(i, i + 1),
                    full_width(c).unwrap_or("（"),
                ));
                if c == ')' {
                    if let Some(e) = spaces_after(body, i + 1) {
                        edits.push(Edit::delete(Span::new(i + 1, e)));
                    }
                }
            }
            let span = Span::new(edits[0].span.start, edits[edits.len() - 1].span.end);
            out.push(
                Finding::new(
                    "P201",
                    span,
                    "ASCII parentheses in Chinese text",
                    Evidence::new(tier_score(tier), p.reason),
                )
                .with_fix(Fix::many(tier, edits)),
            );
        }
        // Runs of , ; : ? !
        let uses_comma = body.contains('，');
        let bytes = body.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if !b",;:?!".contains(&bytes[i]) {
                i += 1;
                continue;
            }
            let s = i;
            while i < bytes.len() && b",;:?!".contains(&bytes[i]) {
                i += 1;
            }
            let e = i;
            if in_any(&protected, s) || super::protect::latin_name_mark(body, s) {
                continue;
            }
            // a lone `;` or `:` misread in full-width text is P213's
            if e == s + 1 && super::inner_mark::sporadic_width_mark(body, s, uses_comma) {
                continue;
            }
            let lb = char_before(body, s);
            let rb = char_at(body, e);
            let l_paren = s > 0 && converted.contains(&(s - 1));
            let r_paren = converted.contains(&e);
            let Some(mut tier) = mark_tier(side(lb, l_paren), side(rb, r_paren)) else {
                continue;
            };
            if l_paren || r_paren {
                // Only as sure as the parenthesis next to it.
                tier = tier.min(Applicability::Review);
            }
            let repl: String = body[s..e]
                .chars()
                .map(|c| full_width(c).unwrap_or(""))
                .collect();
            out.push(
                Finding::new(
                    "P201",
                    Span::new(s, e),
                    mark_message(&body[s..e]),
                    Evidence::new(
                        tier_score(tier),
                        if tier == Applicability::Safe {
                            "Chinese text on both sides"
                        } else {
                            "Chinese text on one side only"
                        },
                    ),
                )
                .with_fix(Fix::single(tier, Edit::replace(Span::new(s, e), repl))),
            );
        }
    }
}

/// The message of a run of half-width marks: fixed text for a lone mark
/// (no heap string for each of a dense text's findings).
fn mark_message(run: &str) -> Cow<'static, str> {
    match run {
        "," => Cow::Borrowed("half-width `,` in Chinese text"),
        ";" => Cow::Borrowed("half-width `;` in Chinese text"),
        ":" => Cow::Borrowed("half-width `:` in Chinese text"),
        "?" => Cow::Borrowed("half-width `?` in Chinese text"),
        "!" => Cow::Borrowed("half-width `!` in Chinese text"),
        _ => Cow::Owned(format!("half-width `{run}` in Chinese text")),
    }
}

/// Start of the inline spaces just before byte `i`, when there are some
/// and a visible char precedes them (not the line's indentation).
fn spaces_before(body: &str, i: usize) -> Option<usize> {
    let s = body[..i].trim_end_matches([' ', '\t', '\u{3000}']).len();
    (s < i && s > 0).then_some(s)
}

/// End of the inline spaces from byte `i`, when there are some and a
/// visible char follows them (not the line's trailing spaces).
fn spaces_after(body: &str, i: usize) -> Option<usize> {
    let e = body.len() - body[i..].trim_start_matches([' ', '\t', '\u{3000}']).len();
    (e > i && e < body.len()).then_some(e)
}

/// `.` between a Han char and a closing quote (`错误.”`): a full stop typed
/// half-width, to `。` (Safe).
fn stops_before_quotes(body: &str, protected: &[(usize, usize)], out: &mut Vec<Finding>) {
    for (i, _) in body.match_indices('.') {
        if in_any(protected, i)
            || !char_before(body, i).is_some_and(is_han)
            || !char_at(body, i + 1).is_some_and(|c| matches!(c, '”' | '’' | '」' | '』'))
        {
            continue;
        }
        let span = Span::new(i, i + 1);
        out.push(
            Finding::new(
                "P201",
                span,
                "half-width `.` ending a Chinese sentence before a closing quote",
                Evidence::new(
                    tier_score(Applicability::Safe),
                    "a Han char before it and a closing quote after it",
                ),
            )
            .with_fix(Fix::single(Applicability::Safe, Edit::replace(span, "。"))),
        );
    }
}

/// A parenthesis decision: the ASCII parens to convert (byte offsets) and
/// the tier (None = leave).
struct ParenFix {
    positions: Vec<usize>,
    tier: Option<Applicability>,
    reason: &'static str,
}

fn parens(body: &str, protected: &[(usize, usize)]) -> Vec<ParenFix> {
    let mut stack: Vec<(usize, char)> = Vec::new();
    let mut out = Vec::new();
    for (i, c) in body.char_indices() {
        if in_any(protected, i) {
            continue;
        }
        match c {
            '(' | '（' => stack.push((i, c)),
            ')' | '）' => {
                if let Some((o, oc)) = stack.pop() {
                    if oc == '(' || c == ')' {
                        out.push(pair(body, o, oc, i, c));
                    }
                } else if c == ')' {
                    out.push(single(body, i, c));
                }
            }
            _ => {}
        }
    }
    for (o, oc) in stack {
        if oc == '(' {
            out.push(single(body, o, oc));
        }
    }
    out.sort_by_key(|p| p.positions.first().copied());
    out
}

fn pair(body: &str, o: usize, oc: char, c: usize, cc: char) -> ParenFix {
    let inner = &body[o + oc.len_utf8()..c];
    let mut positions = Vec::new();
    if oc == '(' {
        positions.push(o);
    }
    if cc == ')' {
        positions.push(c);
    }
    let before = char_before(body, o);
    let after = char_at(body, c + cc.len_utf8());
    let out_cjk = before.is_some_and(is_cjk) || after.is_some_and(is_cjk);
    let out_alnum = before.is_some_and(|x| x.is_ascii_alphanumeric())
        || after.is_some_and(|x| x.is_ascii_alphanumeric());
    let han = inner.chars().filter(|&x| is_han(x)).count();
    let visible = inner.chars().filter(|x| !x.is_whitespace()).count().max(1);
    let codeish = inner.chars().any(|x| "=;{}\"'<>\\`".contains(x));
    // Parentheses are never safe: some corpora keep ASCII parentheses in
    // Chinese text as their house style (the GNOME translations do; see
    // docs/P201.md for the measurement).
    let (tier, reason) = if han > 0 && 2 * han >= visible && !codeish {
        (
            Some(Applicability::Review),
            "the parentheses enclose Chinese text",
        )
    } else if han > 0 {
        (
            Some(Applicability::Review),
            "the parentheses enclose some Chinese text",
        )
    } else if out_cjk && !out_alnum {
        (
            Some(Applicability::Review),
            "Latin or digits in parentheses inside Chinese text",
        )
    } else {
        (None, "")
    };
    ParenFix {
        positions,
        tier,
        reason,
    }
}

fn single(body: &str, i: usize, c: char) -> ParenFix {
    let before = char_before(body, i);
    let after = char_at(body, i + c.len_utf8());
    let cjk = before.is_some_and(is_cjk) || after.is_some_and(is_cjk);
    let alnum = before.is_some_and(|x| x.is_ascii_alphanumeric())
        || after.is_some_and(|x| x.is_ascii_alphanumeric());
    ParenFix {
        positions: vec![i],
        tier: (cjk && !alnum).then_some(Applicability::Review),
        reason: "unpaired ASCII parenthesis next to Chinese text",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::han::testutil::{findings, fixed_at};

    fn fix(t: &str, tier: Applicability) -> String {
        fixed_at(&HalfwidthPunctuation, t, tier)
    }

    #[test]
    fn fixed_mark_messages_read_as_the_formatted_ones() {
        for run in [",", ";", ":", "?", "!", "?!", ",,", "::"] {
            let m = mark_message(run);
            assert_eq!(m, format!("half-width `{run}` in Chinese text"));
            // a lone mark borrows its message; a run formats its own
            assert_eq!(matches!(m, Cow::Borrowed(_)), run.len() == 1, "{run}");
        }
    }

    #[test]
    fn converts_between_han() {
        assert_eq!(fix("内,联防;平台", Applicability::Safe), "内，联防；平台");
        assert_eq!(fix("是什么?", Applicability::Safe), "是什么？");
        assert_eq!(fix("真的?!", Applicability::Safe), "真的？！");
        assert_eq!(
            fix("“枫桥经验”,不断", Applicability::Safe),
            "“枫桥经验”，不断"
        );
    }

    #[test]
    fn numbers_times_urls_latin_untouched() {
        for t in [
            "收入1,000元",
            "按8:1:1分配",
            "上午10:30开会",
            "Hello, world",
            "见https://e.com/a?b=1,2页",
            "写信到a.b@example.com,谢谢",
            "比分3:2",
        ] {
            assert_eq!(fix(t, Applicability::Review), t);
        }
        assert!(findings(&HalfwidthPunctuation, "比分3:2").is_empty());
    }

    #[test]
    fn one_side_is_review() {
        assert_eq!(fix("平台,AI监控", Applicability::Safe), "平台,AI监控");
        assert_eq!(fix("平台,AI监控", Applicability::Review), "平台，AI监控");
    }

    #[test]
    fn parentheses_pairs() {
        assert_eq!(
            fix("在“人民之家”(政务服务中心)办事", Applicability::Review),
            "在“人民之家”（政务服务中心）办事"
        );
        assert_eq!(
            fix("在“人民之家”(政务服务中心)办事", Applicability::Safe),
            "在“人民之家”(政务服务中心)办事"
        );
        assert_eq!(
            fix("活动。(资料照片)", Applicability::Review),
            "活动。（资料照片）"
        );
        assert_eq!(
            fix("Windows(R)系统", Applicability::Review),
            "Windows(R)系统"
        );
        assert_eq!(fix("增长(5%)。", Applicability::Safe), "增长(5%)。");
        assert_eq!(fix("增长(5%)。", Applicability::Review), "增长（5%）。");
        assert_eq!(fix("f(x)", Applicability::Review), "f(x)");
        // Converted parenthesis counts as Chinese context for a comma.
        assert_eq!(
            fix("(资料照片),下同", Applicability::Review),
            "（资料照片），下同"
        );
    }
}
