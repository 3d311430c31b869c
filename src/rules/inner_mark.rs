//! P213 `ocr-inner-mark`: an ASCII mark between two Han chars read as the
//! Chinese mark OCR most likely misread, by the noisy channel: the word
//! model's probability of the sentence with each candidate mark times the
//! learned probability that OCR reads that mark as the ASCII one.

use super::han::tier_score;
use super::ocr_punct::is_han;
use super::{Block, Context, Rule, RuleMeta};
use crate::correct::confusion::Channel;
use crate::correct::lm::WordLm;
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::{Evidence, Finding};
use crate::span::Span;

/// Metadata of P213.
pub static META: RuleMeta = RuleMeta {
    code: "P213",
    name: "ocr-inner-mark",
    summary:
        "An ASCII mark between Han chars: the Chinese mark OCR misread, by channel and word model",
    default_tier: Applicability::Review,
    doc: include_str!("docs/P213.md"),
};

/// ASCII marks considered (between two Han chars).
const MARKS: &[char] = &['.', '*', '>', '`'];
/// Width marks read here only when they are sporadic (see
/// [`sporadic_width_mark`]); otherwise P201 widens them.
const WIDTH_MARKS: &[char] = &[';', ':'];

/// True when the `;` or `:` at byte `at` of `body`, between two Han chars,
/// stands alone in a paragraph that uses the full-width comma `，`
/// (`uses_comma`, computed once per paragraph by the caller): a
/// misread mark, not typesetting. Pages whose typesetting turned full-width
/// marks into ASCII ones have no `，` in such paragraphs and keep the mark's
/// identity (`;` is `；` there); in OCR output of full-width text, a `;`
/// between Han chars stood for `，` 32 times in 38 (training rows).
pub(crate) fn sporadic_width_mark(body: &str, at: usize, uses_comma: bool) -> bool {
    let Some(m) = body[at..].chars().next() else {
        return false;
    };
    uses_comma
        && WIDTH_MARKS.contains(&m)
        && body[..at].chars().next_back().is_some_and(is_han)
        && body[at + 1..].chars().next().is_some_and(is_han)
}
/// Han chars of context on each side scored by the word model.
const CONTEXT: usize = 6;
/// log10 margin of the best candidate over the next for the review tier.
const MARGIN: f64 = 0.5;
/// Channel observations of (intended, observed) needed for the review tier.
const MIN_COUNT: u32 = 5;

/// A scored reading of one ASCII mark.
#[derive(Debug, Clone)]
pub(crate) struct Reading {
    /// Candidates (mark, score = LM + channel, LM, channel, count), best first.
    pub candidates: Vec<(char, f64, f64, f64, u32)>,
}

impl Reading {
    /// The best candidate.
    pub fn best(&self) -> char {
        self.candidates[0].0
    }

    /// Tier of replacing the mark by the best candidate.
    pub fn tier(&self) -> Applicability {
        let best = &self.candidates[0];
        let margin = self
            .candidates
            .get(1)
            .map_or(f64::INFINITY, |r| best.1 - r.1);
        if margin >= MARGIN && best.4 >= MIN_COUNT {
            Applicability::Review
        } else {
            Applicability::Suggest
        }
    }
}

/// Read the ASCII mark at byte `at` of `body` (between two Han chars), or
/// None when it is not such a mark or nothing is known of it. `uses_comma`:
/// the paragraph holds a `，` (see [`sporadic_width_mark`]).
#[cfg(test)]
pub(crate) fn read_mark(body: &str, at: usize, uses_comma: bool) -> Option<Reading> {
    read_mark_with(body, at, uses_comma, Channel::embedded())
}

/// `read_mark` with the OCR `channel` in use (the rule context's).
pub(crate) fn read_mark_with(
    body: &str,
    at: usize,
    uses_comma: bool,
    channel: &Channel,
) -> Option<Reading> {
    let m = body[at..].chars().next()?;
    if !MARKS.contains(&m) && !sporadic_width_mark(body, at, uses_comma) {
        return None;
    }
    let left: Vec<char> = body[..at]
        .chars()
        .rev()
        .take_while(|&c| is_han(c))
        .take(CONTEXT)
        .collect();
    let right: Vec<char> = body[at + 1..]
        .chars()
        .take_while(|&c| is_han(c))
        .take(CONTEXT)
        .collect();
    if left.is_empty() || right.is_empty() {
        return None;
    }
    let cands: Vec<(char, f64, u32)> = channel
        .intended_for(m)
        .iter()
        .filter(|(c, _)| !c.is_alphanumeric() && !c.is_ascii() && !is_han(*c))
        .filter_map(|(c, n)| channel.sub(c, m).map(|(_, lp)| (c, lp as f64, n)))
        .collect();
    if cands.is_empty() {
        return None;
    }
    let lm = WordLm::embedded();
    let mut window = String::new();
    let mut candidates: Vec<(char, f64, f64, f64, u32)> = cands
        .into_iter()
        .map(|(c, ch, n)| {
            window.clear();
            window.extend(left.iter().rev());
            window.push(c);
            window.extend(&right);
            let l = lm.best_path(&window, None).0;
            (c, l + ch, l, ch, n)
        })
        .collect();
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    Some(Reading { candidates })
}

/// Rule P213.
pub struct InnerMark;

impl Rule for InnerMark {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let body = block.body();
        if !body.bytes().any(|b| b".*>`;:".contains(&b)) {
            return;
        }
        let uses_comma = body.contains('，');
        // Markdown emphasis (`以*同步*方式`), code spans and HTML comments
        // are the source's syntax, not misread marks
        let protected = super::protect::protected(body);
        for (at, m) in body.char_indices() {
            if !MARKS.contains(&m) && !WIDTH_MARKS.contains(&m) {
                continue;
            }
            if super::protect::inside(&protected, at) {
                continue;
            }
            let Some(r) = read_mark_with(body, at, uses_comma, ctx.model.channel()) else {
                continue;
            };
            let best = r.best();
            let tier = r.tier();
            let span = Span::new(at, at + 1);
            let b = &r.candidates[0];
            let mut ev = Evidence::new(
                tier_score(tier),
                format!("OCR reads `{best}` as `{m}` ({} times in training); the word model prefers it here", b.4),
            )
            .term("lm_log10", b.2)
            .term("channel_log10", b.3);
            for c in &r.candidates {
                ev = ev.candidate(c.0.to_string(), c.1);
            }
            out.push(
                Finding::new(
                    META.code,
                    span,
                    format!("`{m}` between Han chars: OCR misread of `{best}`"),
                    ev,
                )
                .with_fix(Fix::single(tier, Edit::replace(span, best.to_string()))),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn period_between_clauses_reads_as_comma() {
        let body = "顾名思义.发育性口吃是一种发育性的疾病";
        let r = read_mark(body, body.find('.').unwrap(), body.contains('，')).unwrap();
        assert_eq!(r.best(), '，', "{r:?}");
        assert_eq!(r.tier(), Applicability::Review);
        // `，` and `。` both fit here: ranked candidates, no fix applied
        let body = "包括内置搜索功能.帮助浏览器顶部有一个搜索栏";
        let r = read_mark(body, body.find('.').unwrap(), body.contains('，')).unwrap();
        assert_eq!(r.tier(), Applicability::Suggest, "{r:?}");
        assert!(r.candidates.iter().take(2).all(|c| "，。".contains(c.0)));
    }

    #[test]
    fn markdown_emphasis_stars_are_not_misread_marks() {
        use crate::engine::{Engine, Options};
        use crate::lexicon::Lexicon;
        let engine = Engine::new(
            Lexicon::embedded(),
            Options {
                apply: Some(Applicability::Review),
                only: ["P213".to_string()].into_iter().collect(),
                ..Options::default()
            },
        );
        let t = "也就是说它会以*同步*方式执行导出，那么在这个任务运行期间你就什么都做不了。\n";
        assert_eq!(engine.process_str(t).text, t);
        // a lone star between clauses is still read
        let t = "也就是说它会以同步方式执行导出*那么在这个任务运行期间你就什么都做不了，对吧\n";
        assert_ne!(engine.process_str(t).text, t);
    }

    #[test]
    fn marks_not_between_han_or_width_marks_are_left() {
        assert!(read_mark("版本3.5发布", 7, false).is_none());
        assert!(read_mark("Hello.世界", 5, false).is_none());
        assert!(read_mark("文档;可用", 6, false).is_none());
    }

    #[test]
    fn sporadic_semicolon_is_read_typeset_one_is_left() {
        // a lone `;` in a paragraph that uses `，`: a misread, read here
        let body = "如果您需要帮助;请参阅手册，或者联系管理员";
        let at = body.find(';').unwrap();
        assert!(sporadic_width_mark(body, at, body.contains('，')));
        let r = read_mark(body, at, true).expect("a reading");
        assert_ne!(r.best(), ';');
        // no `，` in the paragraph: typesetting, left to P201
        let body = "跃升至三百万元;永乐镇创新推出新举措";
        let at = body.find(';').unwrap();
        assert!(!sporadic_width_mark(body, at, body.contains('，')));
        assert!(read_mark(body, at, body.contains('，')).is_none());
    }
}
