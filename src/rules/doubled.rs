//! R401 `doubled-word`: a char or word written twice (`的的`, `经济经济`),
//! unless the doubled form is a word or a legitimate reduplication (`谢谢`,
//! `常常`, `的的确确`, `一件件`) or the second copy belongs to the next word
//! (`他的的确很好` = 他/的/的确). Decided with the lexicon's segmentation.

use super::han::tier_score;
use super::{Block, Context, Rule, RuleMeta};
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::{Evidence, Finding};
use crate::lexicon::Lexicon;
use crate::span::Span;

/// R401 `doubled-word`.
pub static R401: RuleMeta = RuleMeta {
    code: "R401",
    name: "doubled-word",
    summary: "a character or word written twice in a row",
    default_tier: Applicability::Review,
    doc: include_str!("docs/R401.md"),
};

/// Function chars whose doubling is almost always a slip.
const FUNCTION_CHARS: &str = "的了是在和与及或也都就把被对从向将着过地得之其而并但所以为于";

/// Degree adverbs that start an emphatic repetition (`很远很远`).
const DEGREE: &str = "很太好真最多非挺极超";

/// Whether a position is inside `《…》`, for positions asked in increasing
/// order: the marks are counted once, from the last position asked (a
/// paragraph of any length is scanned once, not once per doubling).
#[derive(Default)]
struct TitleDepth {
    pos: usize,
    depth: isize,
}

impl TitleDepth {
    fn inside(&mut self, body: &str, at: usize) -> bool {
        if at < self.pos {
            *self = TitleDepth::default();
        }
        for c in body[self.pos..at].chars() {
            match c {
                '《' => self.depth += 1,
                '》' => self.depth -= 1,
                _ => {}
            }
        }
        self.pos = at;
        self.depth > 0
    }
}

/// True if `body[s..e]` is exactly the content of a quotation
/// (`‘咣当咣当’声`): a cited sound or form, written on purpose.
fn quoted_exactly(body: &str, s: usize, e: usize) -> bool {
    let before = body[..s].chars().next_back();
    let after = body[e..].chars().next();
    matches!(before, Some('“' | '‘' | '「' | '"' | '\''))
        && matches!(after, Some('”' | '’' | '」' | '"' | '\''))
}

/// Numerals and quantifiers after which a doubled classifier is normal
/// (`一件件`, `一个个`, `每每`).
const NUMERALS: &str = "一二两三四五六七八九十几每";

/// Maximal runs of Han chars in `body`, as byte ranges.
pub(crate) fn han_runs(body: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in super::han::code_points(body) {
        match (super::han::is_han_code(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, body.len()));
    }
    out
}

/// Token boundaries (byte offsets into `run`, including 0 and `run.len()`)
/// of the lexicon's segmentation of `run`.
pub(crate) fn boundaries(lex: &Lexicon, run: &str) -> Vec<usize> {
    let mut b = vec![0];
    b.extend(lex.segment(run).iter().map(|t| t.span.end));
    b
}

/// True if some lexicon word in `run` covers the byte range `s..e` (and is
/// longer than it).
fn covered_by_word(lex: &Lexicon, run: &str, s: usize, e: usize) -> bool {
    let from = run[..s]
        .char_indices()
        .rev()
        .nth(3)
        .map(|(i, _)| i)
        .unwrap_or(0);
    lex.words_in(&run[from..], 8)
        .iter()
        .any(|(sp, _)| from + sp.start <= s && from + sp.end >= e)
}

/// Rule R401.
pub struct DoubledWord;

impl Rule for DoubledWord {
    fn meta(&self) -> &'static RuleMeta {
        &R401
    }

    fn check(&self, ctx: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let body = block.body();
        let lex = ctx.lexicon;
        if lex.is_empty() {
            // Without a lexicon there is no telling 谢谢 from 的的.
            return;
        }
        let mut title = TitleDepth::default();
        // (one buffer for all runs)
        let mut chars: Vec<(usize, char)> = Vec::new();
        for &(rs, re) in block.han_runs() {
            let run = &body[rs..re];
            // a run of one char (three bytes) has no doubling
            if run.len() < 6 {
                continue;
            }
            chars.clear();
            chars.extend(run.char_indices());
            if chars.len() < 2 {
                continue;
            }
            let mut bounds: Option<Vec<usize>> = None;
            let off = |k: usize| chars.get(k).map(|x| x.0).unwrap_or(run.len());
            let mut p = 0;
            while p + 1 < chars.len() {
                let mut hit = None;
                let c0 = chars[p].1;
                for l in (1..=4).rev() {
                    if p + 2 * l > chars.len() || chars[p + l].1 != c0 {
                        continue;
                    }
                    let same = (1..l).all(|k| chars[p + k].1 == chars[p + l + k].1);
                    if same {
                        hit = Some(l);
                        break;
                    }
                }
                let Some(l) = hit else {
                    p += 1;
                    continue;
                };
                let (s, m, e) = (off(p), off(p + l), off(p + 2 * l));
                if title.inside(body, rs + s) || quoted_exactly(body, rs + s, rs + off(p + 2 * l)) {
                    // A title is a name, not prose (《快乐快乐月刊》).
                    p += 1;
                    continue;
                }
                let bounds = bounds.get_or_insert_with(|| boundaries(lex, run));
                if let Some((tier, reason)) = judge(lex, run, &chars, p, l, s, m, e, bounds) {
                    let span = Span::new(rs + s, rs + e);
                    let word = &run[s..m];
                    out.push(
                        Finding::new(
                            "R401",
                            span,
                            format!("`{word}` is written twice"),
                            Evidence::new(tier_score(tier), reason).candidate(word, 1.0),
                        )
                        .with_fix(Fix::single(tier, Edit::delete(Span::new(rs + m, rs + e)))),
                    );
                    p += 2 * l;
                } else {
                    p += 1;
                }
            }
        }
    }
}

/// Decide a doubling of `run[s..m]` (`l` chars at char index `p`) repeated
/// as `run[m..e]`: None to leave it, else the tier and the reason.
#[allow(clippy::too_many_arguments)]
fn judge(
    lex: &Lexicon,
    run: &str,
    chars: &[(usize, char)],
    p: usize,
    l: usize,
    s: usize,
    m: usize,
    e: usize,
    bounds: &[usize],
) -> Option<(Applicability, String)> {
    let word = &run[s..m];
    let doubled = &run[s..e];
    // All one char repeated (哈哈哈哈) or a form the lexicon knows.
    if l > 1 && word.chars().all(|c| word.starts_with(c)) {
        return None;
    }
    if lex.contains(doubled) {
        return None;
    }
    if covered_by_word(lex, run, s, e) {
        return None;
    }
    // 一步一步, 一点一点: adverbial ABAB with a numeral; 很远很远, 好多好多:
    // emphatic repetition of a degree adverb and an adjective.
    if l > 1 && word.starts_with(|c: char| NUMERALS.contains(c) || DEGREE.contains(c)) {
        return None;
    }

    let at = |b: usize| bounds.binary_search(&b).is_ok();
    if l == 1 {
        if p > 0 && NUMERALS.contains(chars[p - 1].1) {
            return None;
        }
        // AABB reduplication (实实在在, 和和美美) even when the lexicon
        // lacks the form.
        let pair_at = |k: usize| k + 1 < chars.len() && chars[k].1 == chars[k + 1].1;
        if (p >= 2 && pair_at(p - 2)) || pair_at(p + 2) {
            return None;
        }
        // Both copies must stand alone in the segmentation: 的/的确 and
        // 目的/的 are not doublings.
        if !(at(s) && at(m) && at(e)) {
            return None;
        }
        if FUNCTION_CHARS.contains(chars[p].1) {
            return Some((
                Applicability::Review,
                format!("function char `{word}` doubled; `{doubled}` is not a word"),
            ));
        }
        return Some((
            Applicability::Suggest,
            format!("`{doubled}` is not a known word or reduplication"),
        ));
    }
    // A word of 2-4 chars: it must be a word, and the second copy must be a
    // token of its own (the first may end a longer word: 集体经济|经济).
    if !lex.contains(word) || !at(m) || !at(e) {
        return None;
    }
    Some((
        Applicability::Review,
        format!("the word `{word}` is repeated; `{doubled}` is not a known reduplication"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn title_depth_equals_counting_from_the_start() {
        let body = "看《快乐快乐月刊》和《读者》，再看看看";
        let naive = |at: usize| body[..at].matches('《').count() > body[..at].matches('》').count();
        let mut t = TitleDepth::default();
        for (at, _) in body.char_indices() {
            assert_eq!(t.inside(body, at), naive(at), "at {at}");
        }
        // asking behind the last position starts over
        assert!(!t.inside(body, 0));
        let at = body.find('快').unwrap();
        assert!(t.inside(body, at));
    }
    use crate::lexicon::WordFlags;
    use crate::rules::han::testutil::{apply, findings_with, lex};

    fn lexicon() -> Lexicon {
        let n = WordFlags::default();
        let r = WordFlags::REDUP;
        lex(&[
            ("的", 100000, n),
            ("的确", 2000, n),
            ("的的确确", 64, r),
            ("谢谢", 3000, r),
            ("常常", 5000, r),
            ("看看", 3000, r),
            ("一件件", 2, n),
            ("经济", 48000, n),
            ("集体经济", 189, n),
            ("集体", 9000, n),
            ("改革", 9000, n),
            ("基础", 9000, n),
            ("目的", 9000, n),
            ("创收", 200, n),
            ("他", 9000, n),
            ("很", 9000, n),
            ("好", 9000, n),
            ("治理", 9000, n),
            ("很远", 900, n),
            ("月刊", 900, n),
        ])
    }

    fn fix(t: &str) -> String {
        let l = lexicon();
        apply(
            t,
            &findings_with(&DoubledWord, &l, t, &[], None),
            Applicability::Review,
        )
    }

    #[test]
    fn doubled_function_char_and_word() {
        assert_eq!(fix("改革的的基础上"), "改革的基础上");
        assert_eq!(fix("推动集体经济经济创收"), "推动集体经济创收");
    }

    #[test]
    fn legitimate_forms_stay() {
        for t in [
            "谢谢你",
            "他常常来",
            "看看再说",
            "的的确确如此",
            "他的的确很好",
            "达到目的的手段",
            "一件件实事",
            "哈哈哈哈",
            "一步一步",
            "回到很远很远的王国",
            "连载于《经济经济月刊》",
            "发出‘经济经济’声",
            "和和美美",
        ] {
            assert_eq!(fix(t), t, "{t}");
        }
    }

    #[test]
    fn content_char_is_only_suggested() {
        let l = lexicon();
        let f = findings_with(&DoubledWord, &l, "很好好", &[], None);
        assert!(f.iter().all(|x| x.tier() == Applicability::Suggest));
    }
}
