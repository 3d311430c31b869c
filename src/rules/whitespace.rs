//! Whitespace and layout rules (W3xx): trailing spaces, spaces inside a
//! Han word or name, runs of blank lines.

use super::han::{char_len, is_han, tier_score};
use super::{Block, Context, Rule, RuleMeta};
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::{Evidence, Finding};
use crate::lexicon::{Lexicon, WordFlags};
use crate::span::Span;

/// W301 `trailing-space`.
pub static W301: RuleMeta = RuleMeta {
    code: "W301",
    name: "trailing-space",
    summary: "spaces at the end of a line, and whitespace on blank lines, are removed",
    default_tier: Applicability::Safe,
    doc: include_str!("docs/W301.md"),
};

/// W302 `space-in-word`.
pub static W302: RuleMeta = RuleMeta {
    code: "W302",
    name: "space-in-word",
    summary: "a space between two Han characters inside a word or a name is removed",
    default_tier: Applicability::Review,
    doc: include_str!("docs/W302.md"),
};

/// W303 `blank-lines`.
pub static W303: RuleMeta = RuleMeta {
    code: "W303",
    name: "blank-lines",
    summary: "runs of blank lines are collapsed to one blank line",
    default_tier: Applicability::Safe,
    doc: include_str!("docs/W303.md"),
};

/// Whitespace that W301 removes (everything but line endings).
fn is_strippable(c: char) -> bool {
    c.is_whitespace() && c != '\n' && c != '\r'
}

/// Rule W301.
pub struct TrailingSpace;

impl Rule for TrailingSpace {
    fn meta(&self) -> &'static RuleMeta {
        &W301
    }

    fn check(&self, _: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let text = block.text;
        let body = block.body();
        let trimmed = body.trim_end_matches(is_strippable);
        // a piece that continues its line has no line end
        if trimmed.len() < body.len() && !block.continues {
            let span = Span::new(trimmed.len(), body.len());
            out.push(
                Finding::new(
                    "W301",
                    span,
                    "trailing whitespace",
                    Evidence::new(
                        tier_score(Applicability::Safe),
                        "whitespace at a line end is invisible",
                    ),
                )
                .with_fix(Fix::single(Applicability::Safe, Edit::delete(span))),
            );
        }
        // Whitespace on the blank lines of the separator.
        let mut edits = Vec::new();
        let mut line_start = block.body_len;
        for (i, c) in text[block.body_len..].char_indices() {
            let at = block.body_len + i;
            if c == '\n' {
                line_start = at + 1;
                continue;
            }
            if is_strippable(c) {
                // Extend an edit that ends here, else start one.
                match edits.last_mut() {
                    Some(Edit { span, .. }) if span.end == at && span.start >= line_start => {
                        *span = Span::new(span.start, at + c.len_utf8());
                    }
                    _ => edits.push(Edit::delete(Span::new(at, at + c.len_utf8()))),
                }
            }
        }
        if !edits.is_empty() {
            let span = Span::new(edits[0].span.start, edits[edits.len() - 1].span.end);
            out.push(
                Finding::new(
                    "W301",
                    span,
                    "whitespace on blank lines",
                    Evidence::new(
                        tier_score(Applicability::Safe),
                        "whitespace-only lines are emptied",
                    ),
                )
                .with_fix(Fix::many(Applicability::Safe, edits)),
            );
        }
    }
}

/// Rule W303.
pub struct BlankLines;

impl Rule for BlankLines {
    fn meta(&self) -> &'static RuleMeta {
        &W303
    }

    fn check(&self, _: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let text = block.text;
        // Line endings to keep: the body's own (if it has a body) and the
        // first blank line's.
        let keep = if block.body_len == 0 && block.continued {
            // the rest of a run of blank lines too long for one block: the
            // block before kept what is kept
            0
        } else if block.body_len == 0 && block.index == 0 {
            1
        } else {
            2
        };
        let mut seen = 0;
        let mut cut = (keep == 0).then_some(0);
        for (i, c) in text[block.body_len..].char_indices() {
            if c == '\n' {
                seen += 1;
                if seen == keep {
                    cut = Some(block.body_len + i + 1);
                    break;
                }
            }
        }
        let Some(cut) = cut else { return };
        if cut >= text.len() {
            return;
        }
        let extra = text[cut..].matches('\n').count() + usize::from(!text.ends_with('\n'));
        let span = Span::new(cut, text.len());
        out.push(
            Finding::new(
                "W303",
                span,
                format!("{} extra blank line(s)", extra.max(1)),
                Evidence::new(
                    tier_score(Applicability::Safe),
                    "one blank line separates paragraphs; more carries no meaning in plain text",
                )
                .term("extra_lines", extra as f64),
            )
            .with_fix(Fix::single(Applicability::Safe, Edit::delete(span))),
        );
    }
}

/// Rule W302.
pub struct SpaceInWord;

/// Words that mark a byline or credits line (checked with spaces removed).
const BYLINE_MARKERS: &[&str] = &[
    "记者",
    "通讯员",
    "摄影",
    "文字",
    "编辑",
    "责编",
    "校对",
    "策划",
    "美编",
    "编绘",
    "作者",
    "撰稿",
    "供稿",
    "制图",
    "本报讯",
];

/// A Han token of the line: a maximal run of Han chars.
#[derive(Debug, Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
}

/// A run of spaces between two Han tokens.
#[derive(Debug, Clone, Copy)]
struct Gap {
    left: usize,
    right: usize,
    span: Span,
}

fn is_gap_space(c: char) -> bool {
    matches!(c, ' ' | '\u{3000}')
}

impl Rule for SpaceInWord {
    fn meta(&self) -> &'static RuleMeta {
        &W302
    }

    fn check(&self, ctx: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let body = block.body();
        // (the gap test by word-at-a-time byte scans: most bodies have none)
        let has_gap = super::han::has_ascii_of(body.as_bytes(), b" ")
            || super::han::has_char(body, '\u{3000}');
        debug_assert_eq!(has_gap, body.chars().any(is_gap_space));
        if !has_gap || !body.chars().any(is_han) {
            return;
        }
        let (toks, gaps) = tokens_and_gaps(body);
        if gaps.is_empty() {
            return;
        }
        let lex = ctx.lexicon;
        let despaced: String = body.chars().filter(|&c| !is_gap_space(c)).collect();
        let byline = BYLINE_MARKERS.iter().any(|m| despaced.contains(m));
        let text = |t: usize| &body[toks[t].start..toks[t].end];
        let single = |t: usize| char_len(text(t)) == 1;
        // gap index by its left token
        let gap_after = |t: usize| gaps.iter().position(|g| g.left == t);
        let mut joined = vec![false; gaps.len()];
        let mut used = vec![false; toks.len()];
        let mut why: Vec<(usize, String, f64)> = Vec::new();

        // 1. Consecutive single-char tokens that together make a word.
        let mut t = 0;
        while t < toks.len() {
            let mut chain = vec![t];
            while chain.len() < 4 {
                let last = chain[chain.len() - 1];
                match gap_after(last) {
                    Some(g) if single(gaps[g].right) && single(last) => chain.push(gaps[g].right),
                    _ => break,
                }
            }
            let mut advanced = false;
            for n in (2..=chain.len()).rev() {
                let word: String = chain[..n].iter().map(|&x| text(x)).collect();
                if let Some(e) = lex.get(&word) {
                    for &x in &chain[..n - 1] {
                        if let Some(g) = gap_after(x) {
                            joined[g] = true;
                            why.push((g, format!("`{word}` is a word"), e.freq as f64));
                        }
                    }
                    for &x in &chain[..n] {
                        used[x] = true;
                    }
                    t = chain[n - 1] + 1;
                    advanced = true;
                    break;
                }
            }
            if !advanced {
                t += 1;
            }
        }

        // 2. In a byline, a surname followed by a one- or two-char given name.
        if byline {
            for (g, gap) in gaps.iter().enumerate() {
                let (l, r) = (gap.left, gap.right);
                if used[l] || used[r] || !single(l) {
                    continue;
                }
                let surname = lex
                    .get(text(l))
                    .is_some_and(|e| e.flags.contains(WordFlags::SURNAME));
                let given_len = char_len(text(r));
                let given_ok = given_len == 1 || (given_len == 2 && !lex.contains(text(r)));
                if surname && given_ok {
                    joined[g] = true;
                    used[l] = true;
                    used[r] = true;
                    why.push((
                        g,
                        format!(
                            "`{}` + `{}`: surname and given name in a byline",
                            text(l),
                            text(r)
                        ),
                        1.0,
                    ));
                }
            }
        }

        // 2b. In a byline, two lone chars left over next to each other (a
        //     role label such as `对 样` before a name).
        if byline {
            for (g, gap) in gaps.iter().enumerate() {
                let (l, r) = (gap.left, gap.right);
                if joined[g] || used[l] || used[r] || !single(l) || !single(r) {
                    continue;
                }
                // Not part of a longer run of unexplained single chars.
                let free = |t: usize| single(t) && !used[t];
                let left_nb = gaps.iter().find(|x| x.right == l).map(|x| x.left);
                let right_nb = gaps.iter().find(|x| x.left == r).map(|x| x.right);
                let isolated = !left_nb.is_some_and(free) && !right_nb.is_some_and(free);
                if isolated {
                    joined[g] = true;
                    used[l] = true;
                    used[r] = true;
                    why.push((
                        g,
                        format!("`{}{}`: two lone chars in a byline", text(l), text(r)),
                        0.0,
                    ));
                }
            }
        }

        // 3. A longer run broken inside a word: a lexicon word spans the gap
        //    and the pieces on both sides are not both words of 2+ chars.
        for (g, gap) in gaps.iter().enumerate() {
            if joined[g] || (single(gap.left) && single(gap.right)) {
                continue;
            }
            if let Some((w, f)) = spanning_word(lex, text(gap.left), text(gap.right)) {
                joined[g] = true;
                why.push((g, format!("`{w}` is a word across the space"), f));
            }
        }

        // 4. In prose, the whole run read by the word model: a word of the
        //    best reading spans the gap, and reading across it beats the
        //    two sides read apart (`计 算机上`: no lexicon word on one side
        //    vetoes it).
        // (a line spaced out on purpose has many gaps: left alone)
        if !byline && body.contains(PROSE_MARKS) && gaps.len() <= 2 {
            for (g, gap) in gaps.iter().enumerate() {
                if joined[g] || body[gap.span.start..gap.span.end] != *" " {
                    continue;
                }
                if let Some((w, gain)) = model_join(text(gap.left), text(gap.right)) {
                    joined[g] = true;
                    why.push((
                        g,
                        format!(
                            "the word model reads `{w}` across the space ({gain:.1} log10 better)"
                        ),
                        gain,
                    ));
                } else {
                    // the char model over the whole line: joined against a
                    // segment end before the space and a new start after it
                    let (before, after) = (&body[..gap.span.start], &body[gap.span.end..]);
                    let gain = crate::correct::char_lm::CharLm::embedded().join_gain(before, after);
                    if gain >= CHAR_GAIN {
                        joined[g] = true;
                        why.push((
                            g,
                            format!(
                                "the char model reads the line across the space ({gain:.1} log10 better than apart)"
                            ),
                            gain,
                        ));
                    }
                }
            }
        }

        for (g, reason, freq) in why {
            if !joined[g] {
                continue;
            }
            let span = gaps[g].span;
            out.push(
                Finding::new(
                    "W302",
                    span,
                    "space inside a word or name",
                    Evidence::new(tier_score(Applicability::Review), reason).term("freq", freq),
                )
                .with_fix(Fix::single(Applicability::Review, Edit::delete(span))),
            );
            joined[g] = false;
        }
    }
}

/// Clause marks that make a line prose (not a headline or a list of names).
const PROSE_MARKS: &[char] = &['，', '。', '；', '：', '？', '！', '、'];

/// log10 gain the word model must find in reading across a space in prose
/// (the joined reading at least as probable as the two sides read apart).
const MODEL_GAIN: f64 = 0.0;

/// log10 gain the char model must find in reading a prose line across a
/// space rather than as a segment ending before it and one starting after
/// it, when the word model has no case ([`model_join`]). Tuned on the
/// stray spaces injected into the tuning rows against the spaces between
/// Han chars in the prose lines of the seed pages, the channel pairs and
/// the dev-pair sentences (at most 1.6 there).
const CHAR_GAIN: f64 = 3.0;

/// The word model's case for joining the Han runs `left` and `right`: the
/// word of its best reading of (up to) six chars each side at the gap (the
/// word that spans it, or the two words that meet there), and the gain over
/// reading the sides apart.
fn model_join(left: &str, right: &str) -> Option<(String, f64)> {
    let lm = crate::correct::lm::WordLm::embedded();
    if lm.is_empty() {
        return None;
    }
    let l: Vec<char> = {
        let v: Vec<char> = left.chars().collect();
        v[v.len().saturating_sub(6)..].to_vec()
    };
    let r: Vec<char> = right.chars().take(6).collect();
    let joined: String = l.iter().chain(&r).collect();
    let cut: usize = l.iter().map(|c| c.len_utf8()).sum();
    let (score, path) = lm.best_path(&joined, None);
    // the words of the best reading that touch the gap must be model words
    let near: Vec<_> = path
        .iter()
        .filter(|t| t.start <= cut && t.end >= cut && t.start < t.end)
        .filter(|t| !(t.end == cut && t.start == cut))
        .collect();
    if near.is_empty() || near.iter().any(|t| !t.known) {
        return None;
    }
    let a = near.iter().map(|t| t.start).min()?;
    let b = near.iter().map(|t| t.end).max()?;
    let gain = score - lm.path_score(&l) - lm.path_score(&r);
    (gain >= MODEL_GAIN).then(|| (joined[a..b].to_string(), gain))
}

/// Han tokens of `body` and the space runs (1–3 spaces) joining two of them.
fn tokens_and_gaps(body: &str) -> (Vec<Tok>, Vec<Gap>) {
    let mut toks: Vec<Tok> = Vec::new();
    let mut gaps = Vec::new();
    let chars: Vec<(usize, char)> = body.char_indices().collect();
    let mut i = 0;
    let mut pending_gap: Option<(usize, Span)> = None;
    while i < chars.len() {
        let (b, c) = chars[i];
        if is_han(c) {
            let s = b;
            while i < chars.len() && is_han(chars[i].1) {
                i += 1;
            }
            let e = chars.get(i).map(|x| x.0).unwrap_or(body.len());
            toks.push(Tok { start: s, end: e });
            if let Some((left, span)) = pending_gap.take() {
                if span.end == s {
                    gaps.push(Gap {
                        left,
                        right: toks.len() - 1,
                        span,
                    });
                }
            }
            // A following space run?
            let mut j = i;
            while j < chars.len() && is_gap_space(chars[j].1) {
                j += 1;
            }
            let n = j - i;
            if (1..=3).contains(&n) && j < chars.len() && is_han(chars[j].1) {
                let end = chars[j].0;
                pending_gap = Some((toks.len() - 1, Span::new(e, end)));
                i = j;
            }
        } else {
            pending_gap = None;
            i += 1;
        }
    }
    (toks, gaps)
}

/// A lexicon word made of the end of `left` and the start of `right` that
/// covers whichever side's outer word is a single char, when the two sides
/// are not both words of two or more chars.
fn spanning_word(lex: &Lexicon, left: &str, right: &str) -> Option<(String, f64)> {
    let lt = lex.segment(left);
    let rt = lex.segment(right);
    let wl = &left[lt.last()?.span.start..];
    let wr = &right[..rt.first()?.span.end];
    let (nl, nr) = (char_len(wl), char_len(wr));
    if nl >= 2 && nr >= 2 {
        return None;
    }
    let lchars: Vec<char> = left.chars().collect();
    let rchars: Vec<char> = right.chars().collect();
    let mut best: Option<(String, f64)> = None;
    for k in 1..=lchars.len().min(4) {
        for m in 1..=rchars.len().min(4) {
            // Whole outer words on both sides: never split a word.
            if k < nl || m < nr {
                continue;
            }
            let w: String = lchars[lchars.len() - k..]
                .iter()
                .chain(rchars[..m].iter())
                .collect();
            if let Some(e) = lex.get(&w) {
                if best.as_ref().map_or(true, |b| e.freq as f64 > b.1) {
                    best = Some((w, e.freq as f64));
                }
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::han::testutil::{apply, findings, findings_with, lex};

    #[test]
    fn trailing_and_blank_line_whitespace() {
        let t = "顶层设计  \n \t\n\n";
        let f = findings(&TrailingSpace, t);
        assert_eq!(apply(t, &f, Applicability::Safe), "顶层设计\n\n\n");
        assert!(findings(&TrailingSpace, "正文\n\n").is_empty());
        let t = "甲\r\n \r\n";
        assert_eq!(
            apply(t, &findings(&TrailingSpace, t), Applicability::Safe),
            "甲\r\n\r\n"
        );
    }

    #[test]
    fn blank_line_runs() {
        let t = "甲\n\n\n\n";
        assert_eq!(
            apply(t, &findings(&BlankLines, t), Applicability::Safe),
            "甲\n\n"
        );
        assert!(findings(&BlankLines, "甲\n\n").is_empty());
        assert!(findings(&BlankLines, "甲\n").is_empty());
        let t = "甲\r\n\r\n \r\n";
        assert_eq!(
            apply(t, &findings(&BlankLines, t), Applicability::Safe),
            "甲\r\n\r\n"
        );
    }

    fn lexicon() -> Lexicon {
        let s = WordFlags::SURNAME;
        let n = WordFlags::default();
        lex(&[
            ("文字", 4631, n),
            ("摄影", 1279, n),
            ("孙", 4645, s),
            ("闫", 97, s),
            ("雄", 500, n),
            ("鑫", 100, n),
            ("骨科", 300, n),
            ("小区", 3000, n),
            ("家风", 100, n),
            ("传递", 2000, n),
            ("记者", 5000, n),
            ("勇", 500, n),
            ("创新", 5000, n),
            ("新院", 50, n),
            ("院", 500, n),
            ("企", 50, n),
            ("合作", 500, n),
        ])
    }

    fn fix(t: &str) -> String {
        let l = lexicon();
        apply(
            t,
            &findings_with(&SpaceInWord, &l, t, &[], None),
            Applicability::Review,
        )
    }

    #[test]
    fn spaced_byline() {
        assert_eq!(
            fix("本版策划 雷哲伟 文 字 孙 雄 摄 影 闫 鑫 姚中吉"),
            "本版策划 雷哲伟 文字 孙雄 摄影 闫鑫 姚中吉"
        );
        assert_eq!(fix("本报记者 孙 雄"), "本报记者 孙雄");
        assert_eq!(
            fix("本版责编 董战轩 对 样 孙 勇 李丹凤"),
            "本版责编 董战轩 对样 孙勇 李丹凤"
        );
        assert_eq!(fix("责编 春 夏 秋"), "责编 春 夏 秋");
    }

    #[test]
    fn word_broken_by_space() {
        assert_eq!(fix("城北社区的骨 科小区"), "城北社区的骨科小区");
    }

    #[test]
    fn phrases_keep_their_space() {
        for t in [
            "传承忠孝家风 传递文明新风",
            "本报记者 邢智轩 曹欣怡",
            "孙 雄来了",
            "我们 孙 雄",
            "产研结合促创新 院企合作共发展",
        ] {
            assert_eq!(fix(t), t, "{t}");
        }
    }
}
