//! Paired marks repaired as pairs: a line whose `「` has no `」` (or `」` no
//! `「`, and the same for `《》`, `（）`, `“”`) lost the partner to the OCR
//! channel, which drops these marks or reads them as look-alikes (`」` as
//! `J`, `]`, `1`). The decoder's positions are too short-sighted for this:
//! the partner may be anywhere within the clause, and a char model of a few
//! chars does not see the opening mark when it reads where the closing one
//! goes. So each lone mark gets its own small decision:
//!
//! - the readings: the partner written over a char the channel has seen it
//!   read as, or inserted before any char (or at the segment end), at every
//!   place of the stretch the partner can close (up to [`MAX_SPAN`] chars,
//!   inside the mark's sentence, never across another mark of the pair,
//!   never over a mark whose own partner is there).
//!   Deleting the lone mark is no reading here: on the OCR pairs the lone
//!   mark was nearly always right and its partner lost;
//! - each scored by the character model over the whole segment plus the
//!   channel's log10 P of the edit, against the segment as it is;
//! - the decision is the best reading, its gain over the text as it is and
//!   its margin over the next best reading ([`super::decoder::Decision`],
//!   `pairing` set: the C706 rule gives these their own thresholds, since
//!   the lone mark is itself evidence the model does not weigh).
//!
//! Lines with more than one lone mark of a kind are left alone (which one
//! pairs with which is a guess), and so are marks of the OCR profile only:
//! a typist's dropped quote is not this channel's.

use super::char_lm::{symbol, CharLm, BOS, EOS};
use super::confusion::Channel;
use super::decoder::{balanced_marks, segment_ends, CharEdit, Decision, DecisionKind, Op};

/// Longest stretch (chars) between a lone mark and the partner put in.
pub const MAX_SPAN: usize = 20;

/// The pairs repaired.
pub const PAIRS: &[(char, char)] = &[('「', '」'), ('《', '》'), ('（', '）'), ('“', '”')];

/// One candidate edit: char index in the line, the op, channel log10 P and count.
type Cand = (usize, Op, f32, u32);

/// The pairing decisions of `line`, in text order.
pub fn repairs(lm: &CharLm, ch: &Channel, line: &str) -> Vec<Decision> {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    if !chars
        .iter()
        .any(|&(_, c)| PAIRS.iter().any(|&(o, e)| c == o || c == e))
    {
        return Vec::new();
    }
    // segment index of each char: whitespace and sentence ends split, as the decoder does
    let ends = segment_ends(line);
    let mut seg_of = vec![usize::MAX; chars.len()];
    let mut bounds: Vec<(usize, usize)> = Vec::new(); // char ranges of segments
    let mut start: Option<usize> = None;
    for (i, &(b, c)) in chars.iter().enumerate() {
        if c.is_whitespace() {
            if let Some(s) = start.take() {
                bounds.push((s, i));
            }
            continue;
        }
        if start.is_none() {
            start = Some(i);
        }
        seg_of[i] = bounds.len();
        if ends.contains(&(b + c.len_utf8())) {
            bounds.push((start.take().unwrap_or(i), i + 1));
        }
    }
    if let Some(s) = start {
        bounds.push((s, chars.len()));
    }
    // marks whose partner is there (any pair, ASCII parentheses too): the
    // text's structure, never taken for a misread partner
    let line_chars: Vec<char> = chars.iter().map(|&(_, c)| c).collect();
    let balanced = balanced_marks(&line_chars);
    let mut out = Vec::new();
    for &(open, close) in PAIRS {
        let mut stack: Vec<usize> = Vec::new();
        let mut lone: Vec<usize> = Vec::new();
        for (i, &(_, c)) in chars.iter().enumerate() {
            if c == open {
                stack.push(i);
            } else if c == close && stack.pop().is_none() {
                lone.push(i);
            }
        }
        lone.extend(stack);
        if lone.len() != 1 {
            continue;
        }
        let p = lone[0];
        let (s, e) = bounds[seg_of[p]];
        let opening = chars[p].1 == open;
        let partner = if opening { close } else { open };
        let mut cands: Vec<Cand> = Vec::new();
        if opening {
            // the partner closes somewhere after the content's first char;
            // not after the last char of a line that ends mid-sentence:
            // the paragraph may go on in the next one (a cut), partner and all
            let open_end = e == chars.len() && !ends.contains(&line.len());
            let last = e.min(p + 1 + MAX_SPAN);
            for k in p + 2..=last {
                if k < e && (chars[k].1 == open || chars[k].1 == close) {
                    break;
                }
                if k == e && open_end {
                    break;
                }
                push_at(ch, &chars, &balanced, k, e, partner, &mut cands);
            }
        } else {
            let first = s.max(p.saturating_sub(MAX_SPAN + 1));
            for k in (first..p.saturating_sub(1)).rev() {
                if chars[k].1 == open || chars[k].1 == close {
                    break;
                }
                push_at(ch, &chars, &balanced, k, e, partner, &mut cands);
            }
        }
        if let Some(d) = decide(lm, line, &chars, (s, e), &cands) {
            out.push(d);
        }
    }
    out.sort_by_key(|d| d.edits[0].start);
    out
}

/// Candidates putting `partner` at char `k` of a segment ending at `e`.
fn push_at(
    ch: &Channel,
    chars: &[(usize, char)],
    balanced: &[bool],
    k: usize,
    e: usize,
    partner: char,
    out: &mut Vec<Cand>,
) {
    if k < e && !balanced[k] {
        if let Some((n, lp)) = ch.sub(partner, chars[k].1) {
            out.push((k, Op::Sub(partner), lp, n));
        }
    }
    if let Some((n, lp)) = ch.deletion(partner) {
        out.push((k, Op::InsBefore(partner), lp, n));
    }
}

/// The best of `cands` over segment `seg` (char range of the line).
fn decide(
    lm: &CharLm,
    line: &str,
    chars: &[(usize, char)],
    (s, e): (usize, usize),
    cands: &[Cand],
) -> Option<Decision> {
    if cands.is_empty() {
        return None;
    }
    let syms = |edit: Option<&Cand>| -> Vec<char> {
        let mut v = Vec::with_capacity(e - s + 3);
        v.push(BOS);
        for (k, &(_, c)) in chars.iter().enumerate().take(e).skip(s) {
            match edit {
                Some(&(at, op, _, _)) if at == k => match op {
                    Op::Sub(x) => v.push(symbol(x)),
                    Op::Del => {}
                    Op::InsBefore(x) => {
                        v.push(symbol(x));
                        v.push(symbol(c));
                    }
                },
                _ => v.push(symbol(c)),
            }
        }
        if let Some(&(at, Op::InsBefore(x), _, _)) = edit {
            if at == e {
                v.push(symbol(x));
            }
        }
        v.push(EOS);
        v
    };
    let base_syms = syms(None);
    let base = lm.score_range(&base_syms, 1, base_syms.len());
    let mut scored: Vec<(f32, f32, &Cand)> = cands
        .iter()
        .map(|c| {
            let v = syms(Some(c));
            let lm_gain = lm.score_range(&v, 1, v.len()) - base;
            (lm_gain + c.2, lm_gain, c)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let (gain, lm_gain, &(k, op, channel, seen)) = scored[0];
    let runner_up = scored.get(1).map_or(f32::NEG_INFINITY, |x| x.0);
    let margin = gain - runner_up;
    let (start, end) = if k < chars.len() {
        let (b, c) = chars[k];
        match op {
            Op::InsBefore(_) => (b, b),
            _ => (b, b + c.len_utf8()),
        }
    } else {
        (line.len(), line.len())
    };
    let reading = |c: &Cand| -> String {
        syms(Some(c))
            .into_iter()
            .filter(|&x| x != BOS && x != EOS)
            .collect()
    };
    let observed: String = chars[s..e].iter().map(|&(_, c)| c).collect();
    let corrected = {
        // the corrected segment with the original chars (the model's symbols map letters and digits)
        let mut t = String::new();
        for (j, &(_, c)) in chars.iter().enumerate().take(e).skip(s) {
            match op {
                Op::Sub(x) if j == k => t.push(x),
                Op::Del if j == k => {}
                Op::InsBefore(x) if j == k => {
                    t.push(x);
                    t.push(c);
                }
                _ => t.push(c),
            }
        }
        if let Op::InsBefore(x) = op {
            if k == e {
                t.push(x);
            }
        }
        t
    };
    let alternatives = scored
        .iter()
        .skip(1)
        .take(4)
        .map(|(g, _, c)| (reading(c), *g))
        .collect();
    Some(Decision {
        edits: vec![CharEdit {
            start,
            end,
            op,
            channel,
            seen,
        }],
        gain,
        lm_gain,
        word_gain: 0.0,
        margin,
        without_words: (gain, margin),
        alternatives,
        window: (observed, corrected),
        kind: DecisionKind::Pairing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::correct::model::CorrectionModel;

    fn repair(line: &str) -> Vec<Decision> {
        repairs(
            CharLm::embedded(),
            CorrectionModel::embedded().channel(),
            line,
        )
    }

    #[test]
    fn a_closing_bracket_read_as_a_letter_is_put_back() {
        let d = repair("在「默认J区域中选择一种默认边框样式。");
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].edits[0].op, Op::Sub('」'));
        assert_eq!(d[0].window.1, "在「默认」区域中选择一种默认边框样式。");
    }

    fn apply(line: &str, d: &Decision) -> String {
        let e = &d.edits[0];
        let mut out = line.to_string();
        match e.op {
            Op::Sub(x) => out.replace_range(e.start..e.end, &x.to_string()),
            Op::Del => out.replace_range(e.start..e.end, ""),
            Op::InsBefore(x) => out.insert(e.start, x),
        }
        out
    }

    proptest::proptest! {
        /// Any mix of marks and chars: edits on char boundaries, one a
        /// lone mark, and a line repaired once has no lone mark of that
        /// kind left to repair.
        #[test]
        fn repairs_are_in_bounds_and_do_not_repeat(
            pieces in proptest::collection::vec(proptest::sample::select(vec![
                "「", "」", "《", "》", "（", "）", "“", "”", "(", ")", "J", "]", "1", "，",
                "。", " ", "默认", "区域", "选择", "格式", "菜单", "a",
            ]), 0..24)
        ) {
            let line: String = pieces.concat();
            for d in repair(&line) {
                let e = &d.edits[0];
                proptest::prop_assert!(e.start <= e.end && e.end <= line.len());
                proptest::prop_assert!(line.is_char_boundary(e.start) && line.is_char_boundary(e.end));
                let fixed = apply(&line, &d);
                let partner = match e.op { Op::Sub(x) | Op::InsBefore(x) => x, Op::Del => continue };
                let again = repair(&fixed);
                proptest::prop_assert!(
                    again.iter().all(|a| !matches!(a.edits[0].op, Op::Sub(x) | Op::InsBefore(x) if x == partner)),
                    "{line:?} -> {fixed:?} -> {again:?}"
                );
            }
        }
    }

    #[test]
    fn balanced_lines_and_two_lone_marks_are_left_alone() {
        assert!(repair("点击「确定」按钮。").is_empty());
        assert!(repair("“你好。我们走吧。”").is_empty());
        assert!(repair("在「默认区域中选择「边框样式。").is_empty());
        assert!(repair("没有成对的标记。").is_empty());
        // a line ending mid-sentence may go on in the next paragraph
        assert!(repair("着眼明年换届，抓实“选、育、管”，用“4").is_empty());
        assert_eq!(repair("着眼明年换届，用“4。").len(), 1);
        // a mark of another pair with its partner is never taken for the partner
        assert!(repair("在「默认（区域）中选择。")
            .iter()
            .all(|d| d.edits[0].op != Op::Sub('」')));
    }
}
