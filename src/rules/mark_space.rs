//! W304 `space-beside-mark`: spaces next to a full-width punctuation mark
//! are removed (`测试 ，` → `测试，`, `变量， 转换` → `变量，转换`). A
//! full-width mark takes a whole character cell of its own; a space beside
//! it is a leftover of Latin typing habits or of OCR.

use super::han::{is_cjk_punct, is_han, tier_score};
use super::{Block, Context, Rule, RuleMeta};
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::{Evidence, Finding};
use crate::span::Span;

/// W304 `space-beside-mark`.
pub static W304: RuleMeta = RuleMeta {
    code: "W304",
    name: "space-beside-mark",
    summary: "spaces next to a full-width punctuation mark are removed",
    default_tier: Applicability::Safe,
    doc: include_str!("docs/W304.md"),
};

/// Rule W304.
pub struct SpaceBesideMark;

/// The full-width marks a space must not touch. Dashes, ellipses, the
/// middle dot and the wave dash are left out: texts space them by choice.
fn is_mark(c: char) -> bool {
    is_cjk_punct(c) && !matches!(c, '…' | '—' | '·' | '～')
}

/// Marks after which a space may stand for a label's separator
/// (`姓名： 张三`): reviewed, never safe.
fn is_label_mark(c: char) -> bool {
    matches!(c, '：')
}

impl Rule for SpaceBesideMark {
    fn meta(&self) -> &'static RuleMeta {
        &W304
    }

    fn check(&self, _: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let body = block.body();
        // most bodies have no inline space at all; in a headline without
        // clause marks (`“三无”变“六有” 破解老旧小区治理难题`) a space
        // separates two phrases on purpose
        if !body.contains([' ', '\t', '\u{3000}'])
            || !body.contains(['，', '。', '；', '：', '？', '！', '、'])
        {
            return;
        }
        let code = super::protect::code_spans(body);
        let chars: Vec<(usize, char)> = body.char_indices().collect();
        let space = |c: char| matches!(c, ' ' | '\t' | '\u{3000}');
        let mut k = 0;
        while k < chars.len() {
            if !space(chars[k].1) {
                k += 1;
                continue;
            }
            let a = k;
            while k < chars.len() && space(chars[k].1) {
                k += 1;
            }
            // indentation (line start) and trailing spaces (W301's) stay;
            // so do spaces in a piece's cut edges
            if a == 0 || k == chars.len() {
                continue;
            }
            let (l, r) = (chars[a - 1].1, chars[k].1);
            let (s, e) = (chars[a].0, chars.get(k).map_or(body.len(), |x| x.0));
            if super::protect::inside(&code, s) {
                continue;
            }
            let (mark, other) = if is_mark(l) {
                (l, r)
            } else if is_mark(r) {
                (r, l)
            } else {
                continue;
            };
            let plain = body[s..e].chars().all(|c| c == ' ');
            let tier = if is_han(other) || is_mark(other) {
                if plain && !is_label_mark(l) {
                    Applicability::Safe
                } else {
                    Applicability::Review
                }
            } else if other.is_ascii_alphanumeric() {
                Applicability::Review
            } else {
                // list markers (`- （1）`), symbols: leave
                continue;
            };
            let span = Span::new(s, e);
            out.push(
                Finding::new(
                    "W304",
                    span,
                    format!("space beside the full-width mark `{mark}`"),
                    Evidence::new(
                        tier_score(tier),
                        if tier == Applicability::Safe {
                            "a full-width mark between Chinese text takes its own cell"
                        } else {
                            "a full-width mark next to Latin text, a tab, an ideographic space or a label colon"
                        },
                    ),
                )
                .with_fix(Fix::single(tier, Edit::delete(span))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::han::testutil::fixed_at;

    fn fix(t: &str, tier: Applicability) -> String {
        fixed_at(&SpaceBesideMark, t, tier)
    }

    #[test]
    fn spaces_beside_marks_go() {
        assert_eq!(
            fix("测试 ，变量， 转换", Applicability::Safe),
            "测试，变量，转换"
        );
        assert_eq!(fix("快速、 跨平台", Applicability::Safe), "快速、跨平台");
        assert_eq!(
            fix("框架 （如 React 等） 的。", Applicability::Safe),
            "框架（如 React 等）的。"
        );
        assert_eq!(fix("完成。 Next", Applicability::Safe), "完成。 Next");
        assert_eq!(fix("完成。 Next", Applicability::Review), "完成。Next");
        assert_eq!(fix("姓名： 张三", Applicability::Safe), "姓名： 张三");
    }

    #[test]
    fn indentation_code_and_list_markers_stay() {
        for t in [
            "  （一）总体要求",
            "- （1）第一项",
            "用 `a ， b` 表示",
            "中文 English 混排",
            "结束， ",
        ] {
            assert_eq!(fix(t, Applicability::Review), t);
        }
    }
}
