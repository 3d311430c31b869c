//! Foreign tokens in Chinese text: F601 `foreign-function-word` (an English
//! function word alone between Han chars, `单位 and 任务` → `单位和任务`)
//! and F602 `latin-in-han` (other lone lower-case Latin words inside Han
//! text, reported).

use super::han::{char_at, char_before, is_han, tier_score};
use super::{Block, Context, Rule, RuleMeta};
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::{Evidence, Finding};
use crate::span::Span;

/// F601 `foreign-function-word`.
pub static F601: RuleMeta = RuleMeta {
    code: "F601",
    name: "foreign-function-word",
    summary: "an English function word between Han chars becomes its Chinese equivalent",
    default_tier: Applicability::Review,
    doc: include_str!("docs/F601.md"),
};

/// F602 `latin-in-han`.
pub static F602: RuleMeta = RuleMeta {
    code: "F602",
    name: "latin-in-han",
    summary: "a lone lower-case Latin word inside Han text is reported",
    default_tier: Applicability::Suggest,
    doc: include_str!("docs/F602.md"),
};

/// English function words with one Chinese equivalent in a list or
/// coordination between Han words.
const FUNCTION_WORDS: &[(&str, &str)] = &[("and", "和"), ("or", "或"), ("with", "与")];

/// Lower-case tokens that are normal inside Chinese text: units and common
/// loanwords.
const ORDINARY_LATIN: &[&str] = &[
    "km", "kg", "cm", "mm", "ml", "mg", "kw", "kwh", "mw", "kv", "kb", "mb", "gb", "tb", "hz",
    "khz", "mhz", "ghz", "ppm", "am", "pm", "app", "wifi", "email", "vs", "ok", "pk", "pc", "cpu",
    "www", "com", "cn", "http", "https", "ip", "id",
];

/// A Latin word standing alone between Han chars (at most one space on each
/// side): byte span of the word, and the span including those spaces.
struct Lone {
    word: Span,
    with_spaces: Span,
}

fn lone_latin_words(body: &str) -> Vec<Lone> {
    let mut out = Vec::new();
    let bytes = body.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if !bytes[i].is_ascii_alphabetic() {
            // (letters are ASCII: skip to the next ASCII byte)
            i = if bytes[i] < 0x80 {
                i + 1
            } else {
                super::han::find_byte(bytes, i, &[], true).unwrap_or(bytes.len())
            };
            continue;
        }
        let s = i;
        while i < bytes.len() && bytes[i].is_ascii_alphabetic() {
            i += 1;
        }
        let e = i;
        let (ls, lc) = side_left(body, s);
        let (re, rc) = side_right(body, e);
        if lc.is_some_and(is_han) && rc.is_some_and(is_han) {
            out.push(Lone {
                word: Span::new(s, e),
                with_spaces: Span::new(ls, re),
            });
        }
    }
    out
}

fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\u{3000}')
}

/// Skip at most one space to the left of `s`: (new start, char beyond).
fn side_left(body: &str, s: usize) -> (usize, Option<char>) {
    match char_before(body, s) {
        Some(c) if is_space(c) => {
            let s2 = s - c.len_utf8();
            (s2, char_before(body, s2))
        }
        other => (s, other),
    }
}

/// Skip at most one space to the right of `e`: (new end, char beyond).
fn side_right(body: &str, e: usize) -> (usize, Option<char>) {
    match char_at(body, e) {
        Some(c) if is_space(c) => {
            let e2 = e + c.len_utf8();
            (e2, char_at(body, e2))
        }
        other => (e, other),
    }
}

/// Rule F601.
pub struct ForeignFunctionWord;

impl Rule for ForeignFunctionWord {
    fn meta(&self) -> &'static RuleMeta {
        &F601
    }

    fn check(&self, _: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let body = block.body();
        for lone in lone_latin_words(body) {
            let w = &body[lone.word.start..lone.word.end];
            let Some(&(_, zh)) = FUNCTION_WORDS.iter().find(|(en, _)| *en == w) else {
                continue;
            };
            out.push(
                Finding::new(
                    "F601",
                    lone.with_spaces,
                    format!("English `{w}` inside Chinese text"),
                    Evidence::new(
                        tier_score(Applicability::Review),
                        format!("`{w}` stands alone between Han chars; Chinese uses `{zh}`"),
                    )
                    .candidate(zh, 1.0),
                )
                .with_fix(Fix::single(
                    Applicability::Review,
                    Edit::replace(lone.with_spaces, zh),
                )),
            );
        }
    }
}

/// Rule F602.
pub struct LatinInHan;

impl Rule for LatinInHan {
    fn meta(&self) -> &'static RuleMeta {
        &F602
    }

    fn check(&self, _: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let body = block.body();
        for lone in lone_latin_words(body) {
            let w = &body[lone.word.start..lone.word.end];
            let lower = w.chars().all(|c| c.is_ascii_lowercase());
            if !lower
                || w.len() < 2
                || FUNCTION_WORDS.iter().any(|(en, _)| *en == w)
                || ORDINARY_LATIN.contains(&w)
            {
                continue;
            }
            out.push(Finding::new(
                "F602",
                lone.word,
                format!("Latin word `{w}` inside Chinese text"),
                Evidence::new(
                    tier_score(Applicability::Suggest),
                    "a lone lower-case Latin word between Han chars is often an OCR or input slip",
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::han::testutil::{findings, fixed_at};

    #[test]
    fn function_word_between_han() {
        assert_eq!(
            fixed_at(
                &ForeignFunctionWord,
                "22家责任单位 and 任务完成时限",
                Applicability::Review
            ),
            "22家责任单位和任务完成时限"
        );
        assert_eq!(
            fixed_at(&ForeignFunctionWord, "甲or乙", Applicability::Review),
            "甲或乙"
        );
    }

    #[test]
    fn latin_runs_untouched() {
        for t in [
            "Tom and Jerry",
            "他说 rock and roll 很好",
            "单位 AND 任务",
            "单位  and  任务",
        ] {
            assert!(findings(&ForeignFunctionWord, t).is_empty(), "{t}");
        }
    }

    #[test]
    fn other_latin_reported_not_fixed() {
        let f = findings(&LatinInHan, "这个 bug 很难");
        assert_eq!(f.len(), 1);
        assert!(f[0].fix.is_none());
        for t in [
            "使用AI监控",
            "5G网络",
            "重10kg的",
            "下载app后",
            "单位 and 任务",
            "用 Linux 系统",
        ] {
            assert!(findings(&LatinInHan, t).is_empty(), "{t}");
        }
    }
}
