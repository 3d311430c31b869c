//! OCR punctuation errors at the end of a sentence, learned from the channel
//! statistics (`dictionaries/channel_ocr.tsv`): the full stop `。` is the mark
//! OCR most often misreads (as `*`, `.`, `“`, `-`, `>`, `"`) or drops.
//!
//! - P210 `ocr-final-stop`: a junk mark after a Han char at the end of a
//!   paragraph → `。`.
//! - P211 `dropped-final-stop`: a prose paragraph (15+ chars with an inner
//!   `，`, or one 25+-char clause) that ends in a complete word → insert `。` (review).
//! - P212 `ocr-junk-mark`: a stray `.` `-` `:` `*` `>` `_` `~` `'` (or a `：`
//!   `；` `;`) glued to a full-width `，。、？！` → deleted.

use crate::correct::lm::WordLm;
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::{Evidence, Finding};
use crate::rules::{Block, Context, Rule, RuleMeta};
use crate::span::Span;

/// Metadata of P210.
pub static META_P210: RuleMeta = RuleMeta {
    code: "P210",
    name: "ocr-final-stop",
    summary:
        "A mark OCR reads for `。` (`*` `.` `-` `“` `>` `\"` `”`) ends a paragraph after a Han char",
    default_tier: Applicability::Safe,
    doc: include_str!("docs/P210.md"),
};

/// Metadata of P211.
pub static META_P211: RuleMeta = RuleMeta {
    code: "P211",
    name: "dropped-final-stop",
    summary: "A prose paragraph ends in a Han char: OCR probably dropped its `。`",
    default_tier: Applicability::Review,
    doc: include_str!("docs/P211.md"),
};

/// Metadata of P212.
pub static META_P212: RuleMeta = RuleMeta {
    code: "P212",
    name: "ocr-junk-mark",
    summary: "A stray mark glued to a full-width `，。、？！` (OCR noise)",
    default_tier: Applicability::Safe,
    doc: include_str!("docs/P212.md"),
};

/// True for CJK unified ideographs (basic block and extension A).
pub fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}')
}

/// True when the paragraph ends here: no next line, or a blank line follows.
fn paragraph_ends(block: &Block<'_>) -> bool {
    block.next.is_none() || block.separator().matches('\n').count() >= 2
}

/// True when the body has more `“` than `”` (a quote left open).
fn open_quote(body: &str) -> bool {
    // (most bodies have no opening mark: a byte scan says so)
    super::han::has_char(body, '“') && body.matches('“').count() > body.matches('”').count()
}

/// The body without trailing spaces, and its last two chars.
fn tail(body: &str) -> Option<(&str, char, char)> {
    let t = body.trim_end_matches([' ', '\t', '\u{3000}']);
    let mut it = t.chars().rev();
    let last = it.next()?;
    let before = it.next()?;
    Some((t, before, last))
}

/// P210 `ocr-final-stop`.
pub struct OcrFinalStop;

impl Rule for OcrFinalStop {
    fn meta(&self) -> &'static RuleMeta {
        &META_P210
    }

    fn check(&self, _ctx: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        // a piece of a cut line: its end is not the paragraph's, and a
        // quote may have opened in an earlier piece
        if block.is_piece() {
            return;
        }
        let body = block.body();
        let Some((t, before, last)) = tail(body) else {
            return;
        };
        if !is_han(before) {
            return;
        }
        let quote_open = || open_quote(&t[..t.len() - last.len_utf8()]);
        // a Markdown emphasis marker (`这是*重点*`) or an ASCII quote that
        // closes a pair is not a misread `。`
        let at = t.len() - last.len_utf8();
        if (last == '*' && super::protect::inside(&super::protect::emphasis_markers(t), at))
            || (last == '"' && t.matches('"').count() % 2 == 0)
            || super::protect::inside(&super::protect::code_spans(t), at)
        {
            return;
        }
        let tier = match last {
            '*' | '.' | '-' | '“' => Applicability::Safe,
            '>' => Applicability::Review,
            '"' | '”' if !quote_open() => Applicability::Review,
            // a paragraph may be cut by the layout after a comma: only at
            // the end of the text
            '，' | '、' if block.next.is_none() => Applicability::Review,
            _ => return,
        };
        let tier = if paragraph_ends(block) {
            tier
        } else {
            Applicability::Review.min(tier)
        };
        let span = Span::new(t.len() - last.len_utf8(), t.len());
        out.push(
            Finding::new(
                META_P210.code,
                span,
                format!("`{last}` ending a sentence after a Han char: OCR misread of `。`"),
                Evidence::new(
                    0.95,
                    format!("`{last}` after `{before}` at the end of the paragraph; OCR reads `。` as `{last}`"),
                )
                .candidate("。", 1.0),
            )
            .with_fix(Fix::single(tier, Edit::replace(span, "。"))),
        );
    }
}

/// Minimum chars of a paragraph for P211.
const PROSE_MIN_CHARS: usize = 15;
/// Minimum chars of a paragraph for P211 at the review tier: newspaper
/// headings and subheadings, which may hold a comma (`激发活力，培育新样本`),
/// are rarely longer; shorter paragraphs get a suggestion only.
const PROSE_REVIEW_CHARS: usize = 25;

/// Minimum chars of a paragraph without an inner `，` for P211 (90% Han).
const PROSE_CLAUSE_CHARS: usize = 25;

/// P211 `dropped-final-stop`.
pub struct DroppedFinalStop;

impl Rule for DroppedFinalStop {
    fn meta(&self) -> &'static RuleMeta {
        &META_P211
    }

    fn check(&self, ctx: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let body = block.body();
        let Some((t, _, last)) = tail(body) else {
            return;
        };
        if !is_han(last) || !paragraph_ends(block) || block.is_piece() {
            return;
        }
        // Layout cuts paragraphs: one followed by a photo caption was cut
        // (the caption sits between its parts), and one that S501 judges
        // broken continues in the next block. Neither ends a sentence.
        if block.next.is_some_and(super::broken_paragraph::is_caption) {
            return;
        }
        let mut broken = Vec::new();
        super::broken_paragraph::BrokenParagraph.check(ctx, block, &mut broken);
        if !broken.is_empty() {
            return;
        }
        // a Markdown list item (`- 当有大量数据时`) ends without a mark
        // as often as with one
        if super::protect::markdown_list_item(t) {
            return;
        }
        let n = t.chars().count();
        let han = t.chars().filter(|&c| is_han(c)).count();
        // prose: an inner comma, or a long run of almost only Han chars (a
        // one-clause sentence; headings and captions are short)
        let comma = t.contains('，');
        let long_clause = n >= PROSE_CLAUSE_CHARS && han * 10 >= n * 9;
        if n < PROSE_MIN_CHARS || han * 10 < n * 7 || !(comma || long_clause) || open_quote(t) {
            return;
        }
        // a paragraph cut by the layout ends in a broken word: the last
        // token must be a word of 2+ chars, and no word may run on into
        // the next block
        let lm = WordLm::embedded();
        let start = t.char_indices().rev().nth(7).map(|(i, _)| i).unwrap_or(0);
        let (_, path) = lm.best_path(&t[start..], None);
        let last_word = path.last().map(|p| &t[start + p.start..start + p.end]);
        if last_word.map_or(true, |w| w.chars().count() < 2) || runs_on(lm, t, block.next) {
            return;
        }
        let span = Span::empty(t.len());
        out.push(
            Finding::new(
                META_P211.code,
                span,
                "prose paragraph ends without a final mark: OCR probably dropped `。`",
                Evidence::new(
                    0.8,
                    format!(
                        "{n}-char paragraph {} ends in the word `{}`",
                        if comma {
                            "with an inner `，`"
                        } else {
                            "of one clause"
                        },
                        last_word.unwrap_or_default()
                    ),
                )
                .term("chars", n as f64)
                .candidate("。", 1.0),
            )
            .with_fix(Fix::single(
                if n >= PROSE_REVIEW_CHARS && (comma || !has_unmarked_headings(block)) {
                    Applicability::Review
                } else {
                    Applicability::Suggest
                },
                Edit::insert(t.len(), "。"),
            )),
        );
    }
}

/// True when the document so far has headings without a final mark: a
/// line without clause marks, ending in a Han char, followed by a prose
/// paragraph. In such a document a long line without a comma is more
/// likely one more heading than a sentence that lost its `。`.
fn has_unmarked_headings(block: &Block<'_>) -> bool {
    block.prev.windows(2).any(|w| {
        let (h, after) = (w[0].body.trim(), w[1].body.trim());
        !w[0].is_piece()
            && h.chars().next_back().is_some_and(is_han)
            && !h.contains(['，', '。', '；', '：', '！', '？', '、'])
            && after.contains(['，', '。'])
            && after.chars().count() > h.chars().count()
    })
}

/// True when a model word spans the end of `body` and the start of `next`
/// (`难事有` + `人管` → `有人`): the paragraph was cut by the layout.
fn runs_on(lm: &WordLm, body: &str, next: Option<&str>) -> bool {
    let Some(next) = next else { return false };
    let tail: Vec<char> = body.chars().rev().take(3).collect();
    let head: Vec<char> = next.trim_start().chars().take(3).collect();
    let mut w = String::new();
    for i in 1..=tail.len() {
        for j in 1..=head.len() {
            w.clear();
            w.extend(tail[..i].iter().rev());
            w.extend(&head[..j]);
            if lm.unigram(&w).is_some() {
                return true;
            }
        }
    }
    false
}

/// Full-width marks that a stray mark sticks to.
const SENTENCE_MARKS: &[char] = &['，', '。', '、', '？', '！'];
/// Marks deleted when glued to a [`SENTENCE_MARKS`] char.
/// ASCII quotes (`'` `"`) are never junk: they pair up as quotation marks
/// (P202 turns the pairs into `‘ ’` `“ ”`) or belong to code.
const JUNK: &[char] = &['.', '-', ':', '*', '>', '_', '~', ';', '：', '；'];

/// True when `body` holds a [`JUNK`] mark: a word-at-a-time scan for ASCII
/// bytes and the first byte of `：` and `；` (its only other marks), then a
/// check of the char at each.
fn has_junk(body: &str) -> bool {
    let b = body.as_bytes();
    let mut at = 0;
    while let Some(i) = super::han::find_byte(b, at, &[0xEF], true) {
        if body[i..].chars().next().is_some_and(|c| JUNK.contains(&c)) {
            return true;
        }
        at = i + 1;
    }
    false
}

/// P212 `ocr-junk-mark`.
pub struct OcrJunkMark;

impl Rule for OcrJunkMark {
    fn meta(&self) -> &'static RuleMeta {
        &META_P212
    }

    fn check(&self, _ctx: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let body = block.body();
        // every finding is at a junk mark: most bodies have none, told by
        // one lean pass
        if !has_junk(body) {
            return;
        }
        let chars: Vec<(usize, char)> = body.char_indices().collect();
        // code spans and emphasis markers are written on purpose
        let protected = super::protect::protected(body);
        let t = body.trim_end_matches([' ', '\t', '\u{3000}']);
        // a cluster of junk and sentence marks ending the paragraph after a
        // Han char (`很多.，`, `示例:、`) is one misread `。`
        let mut cs = chars.len();
        while cs > 0 && chars[cs - 1].0 >= t.len() {
            cs -= 1;
        }
        let tail_end = cs;
        while cs > 0
            && (JUNK.contains(&chars[cs - 1].1) || SENTENCE_MARKS.contains(&chars[cs - 1].1))
            && !super::protect::inside(&protected, chars[cs - 1].0)
        {
            cs -= 1;
        }
        let mut limit = body.len();
        let cluster = &chars[cs..tail_end];
        if !block.continues
            && cluster.len() >= 2
            && cluster.iter().any(|c| JUNK.contains(&c.1))
            && cs > 0
            && is_han(chars[cs - 1].1)
        {
            let span = Span::new(cluster[0].0, t.len());
            limit = span.start;
            let seen = &body[span.start..span.end];
            out.push(
                Finding::new(
                    META_P212.code,
                    span,
                    format!("`{seen}` ending the paragraph: OCR noise around a `。`"),
                    Evidence::new(
                        0.9,
                        format!("stray marks `{seen}` after a Han char at the paragraph end"),
                    )
                    .candidate("。", 1.0),
                )
                .with_fix(Fix::single(Applicability::Safe, Edit::replace(span, "。"))),
            );
        }
        let mut last_end = 0;
        for (k, &(at, c)) in chars.iter().enumerate() {
            if at >= limit {
                break;
            }
            if !JUNK.contains(&c) || at < last_end || super::protect::inside(&protected, at) {
                continue;
            }
            let prev = k.checked_sub(1).map(|i| chars[i].1);
            let next = chars.get(k + 1).filter(|x| x.0 < limit).map(|x| x.1);
            let glued_prev = prev.is_some_and(|p| SENTENCE_MARKS.contains(&p));
            let glued_next = next.is_some_and(|n| SENTENCE_MARKS.contains(&n));
            if !(glued_prev || glued_next) {
                continue;
            }
            // the other side must not be ASCII alphanumeric (`v1.` `-2`)
            let other = if glued_next { prev } else { next };
            if other.is_some_and(|o| o.is_ascii_alphanumeric()) {
                continue;
            }
            // The whole run of stray marks glued here goes in one edit, so a
            // run like `;;;;、` converges in one pass.
            let (mut a, mut b) = (k, k);
            if glued_next {
                while a > 0
                    && JUNK.contains(&chars[a - 1].1)
                    && chars[a - 1].0 >= last_end
                    && !super::protect::inside(&protected, chars[a - 1].0)
                {
                    a -= 1;
                }
            } else {
                while b + 1 < chars.len()
                    && chars[b + 1].0 < limit
                    && JUNK.contains(&chars[b + 1].1)
                    && !super::protect::inside(&protected, chars[b + 1].0)
                {
                    b += 1;
                }
            }
            let end = chars[b].0 + chars[b].1.len_utf8();
            let span = Span::new(chars[a].0, end);
            last_end = span.end;
            let mark = if glued_next { next } else { prev }.unwrap_or('。');
            out.push(
                Finding::new(
                    META_P212.code,
                    span,
                    format!(
                        "stray `{}` glued to `{mark}`: OCR noise",
                        &body[span.start..span.end]
                    ),
                    Evidence::new(
                        0.9,
                        format!("`{c}` next to `{mark}`; no sentence keeps both"),
                    )
                    .candidate("", 1.0),
                )
                .with_fix(Fix::single(Applicability::Safe, Edit::delete(span))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    #[test]
    fn junk_scan_finds_every_junk_mark() {
        for &j in JUNK {
            assert!(j.is_ascii() || j.to_string().as_bytes()[0] == 0xEF, "{j:?}");
            for t in [
                format!("{j}"),
                format!("中文中文中文中文{j}"),
                format!("中{j}文，"),
            ] {
                assert!(has_junk(&t), "{t}");
            }
        }
        for t in ["", "中文，中文。", "中文中文中文中文中文，？！", "ab c1 2"] {
            assert!(!has_junk(t), "{t}");
        }
    }

    fn run(rule: &dyn Rule, text: &str, next: Option<&str>) -> Vec<Finding> {
        let lex = Lexicon::from_entries(Vec::<(String, crate::lexicon::Entry)>::new()).unwrap();
        let ctx = Context::new(&lex);
        let body_len = text.trim_end_matches('\n').len();
        let block = Block::new(text, body_len, 0, &[], next, 0);
        let mut out = Vec::new();
        rule.check(&ctx, &block, &mut out);
        out
    }

    #[test]
    fn no_final_stop_where_layout_cut_the_paragraph() {
        let p = "我们继续推进各项工作，持续提升服务水平，总结推广经验做法\n";
        assert_eq!(run(&DroppedFinalStop, p, None).len(), 1);
        // followed by a photo caption: cut by layout
        assert!(run(&DroppedFinalStop, p, Some("▲图为活动现场。")).is_empty());
    }

    #[test]
    fn a_markdown_list_item_keeps_its_end() {
        let item = "- 当有大量数据的时候，并且希望在确保数据不被拷贝的情况下转移所有权的时候\n";
        assert!(run(&DroppedFinalStop, item, None).is_empty());
        assert!(run(&DroppedFinalStop, &item.replacen("- ", "2. ", 1), None).is_empty());
        // the same text as a paragraph of prose did lose its stop
        assert_eq!(run(&DroppedFinalStop, &item[2..], None).len(), 1);
    }

    #[test]
    fn final_junk_becomes_stop() {
        let f = run(&OcrFinalStop, "今天天气很好*\n", None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].tier(), Applicability::Safe);
        assert_eq!(f[0].fix.as_ref().unwrap().edits[0].replacement, "。");
        // a wrapped line (next line follows directly) only gets review
        let f = run(&OcrFinalStop, "今天天气很好.\n", Some("明天"));
        assert_eq!(f[0].tier(), Applicability::Review);
    }

    #[test]
    fn closing_quote_kept_when_open() {
        assert!(run(&OcrFinalStop, "他说：“今天很好”\n", None).is_empty());
        assert!(run(&OcrFinalStop, "version 1.\n", None).is_empty());
        assert_eq!(run(&OcrFinalStop, "今天很好”\n", None).len(), 1);
        // a comma ends a paragraph: review; a wrapped line: untouched
        assert_eq!(
            run(&OcrFinalStop, "今天很好，\n", None)[0].tier(),
            Applicability::Review
        );
        assert!(run(&OcrFinalStop, "今天很好，\n", Some("明天")).is_empty());
    }

    #[test]
    fn junk_next_to_full_width_mark_is_deleted() {
        let f = run(&OcrJunkMark, "打开文件，.以便查看\n", None);
        assert_eq!(f.len(), 1);
        assert_eq!(&"打开文件，.以便查看"[f[0].span.start..f[0].span.end], ".");
        assert_eq!(f[0].tier(), Applicability::Safe);
        assert_eq!(run(&OcrJunkMark, "打开文件-，以便查看\n", None).len(), 1);
        assert_eq!(run(&OcrJunkMark, "打开文件，：以便查看\n", None).len(), 1);
        // real marks and numbers stay
        assert!(run(&OcrJunkMark, "他说：“好。”\n", None).is_empty());
        assert!(run(&OcrJunkMark, "版本为v2.，以后\n", None).is_empty());
        assert!(run(&OcrJunkMark, "见第3-5页。\n", None).is_empty());
        // at the end of the paragraph the whole cluster is one `。`
        let f = run(&OcrJunkMark, "原因有很多.，\n", None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].fix.as_ref().unwrap().edits[0].replacement, "。");
        assert_eq!(&"原因有很多.，"[f[0].span.start..f[0].span.end], ".，");
    }

    #[test]
    fn dropped_stop_on_prose_only() {
        let f = run(
            &DroppedFinalStop,
            "如果您想要打印文档，请先连接打印机\n",
            None,
        );
        assert_eq!(f.len(), 1);
        // short (headline length): a suggestion only
        assert_eq!(f[0].tier(), Applicability::Suggest);
        let long = "如果您在使用鼠标键，你仍然可以按住小键盘上的数字键来产生右击动作\n";
        let f = run(&DroppedFinalStop, long, None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].tier(), Applicability::Review);
        // one long clause without a comma reads as prose too; a heading of
        // the same shape is short
        let clause = "火箭发动机直到二十世纪四十年代中期在许多国家都经常被称为喷射发动机\n";
        let f = run(&DroppedFinalStop, clause, None);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0].tier(), Applicability::Review);
        assert!(run(
            &DroppedFinalStop,
            "华尔街的公司反对政府的监督与管制\n",
            None
        )
        .is_empty());
        assert!(run(&DroppedFinalStop, "第一章 总则\n", None).is_empty());
        assert!(run(
            &DroppedFinalStop,
            "关于进一步加强安全生产工作的通知\n",
            None
        )
        .is_empty());
        // a wrapped line, a broken last word, a word running on: quiet
        let t = "如果您想要打印文档，请先连接打印机\n";
        assert!(run(&DroppedFinalStop, t, Some("下一行")).is_empty());
        let t = "这个选项可以让系统在每次启动时，确保大事有\n\n";
        assert!(run(&DroppedFinalStop, t, Some("人管")).is_empty());
    }
}
