//! Where to cut a line that is too long to be one block.
//!
//! A line longer than the engine's block limit ([`super::MAX_BLOCK_BYTES`]
//! by default) is processed as several blocks ("pieces"); this module picks
//! the cut. The best cut follows a sentence end and precedes a Han char, so
//! that no rule working within a sentence sees a difference; failing that,
//! a cut between two Han chars, after whitespace, or at any char boundary
//! that does not split a Latin word or a char from its combining marks.

use crate::rules::ocr_punct::is_han;

/// Marks that end a sentence (or a clause, for `；`): a cut may follow one.
/// Not the ASCII `;`: P201 decides its width from the chars on both sides.
const SENTENCE_END: &[char] = &['。', '！', '？', '；'];
/// Closing marks that may sit between a sentence end and the cut.
const CLOSING: &[char] = &['”', '’', '」', '』', '）'];
/// Opening marks a piece may start with (besides a Han char).
const OPENING: &[char] = &['“', '‘', '「', '『', '（'];

/// True for chars that attach to the char before them: combining marks,
/// variation selectors, joiners. A cut never goes before one.
fn joins_previous(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036f}'
        | '\u{1ab0}'..='\u{1aff}'
        | '\u{1dc0}'..='\u{1dff}'
        | '\u{200c}'..='\u{200d}'
        | '\u{20d0}'..='\u{20ff}'
        | '\u{3099}'..='\u{309a}'
        | '\u{fe00}'..='\u{fe0f}'
        | '\u{fe20}'..='\u{fe2f}'
        | '\u{e0100}'..='\u{e01ef}')
}

/// True when a sentence ends right before the char at `k` in `chars`
/// (possibly followed by up to two closing marks: `。”）`).
fn after_sentence_end(chars: &[(usize, char)], k: usize) -> bool {
    let mut j = k;
    for _ in 0..3 {
        let Some(c) = j.checked_sub(1).map(|i| chars[i].1) else {
            return false;
        };
        if SENTENCE_END.contains(&c) {
            return true;
        }
        if !CLOSING.contains(&c) {
            return false;
        }
        j -= 1;
    }
    false
}

/// The byte offset at which to cut `text`, a line of more than `limit`
/// bytes (or its first `limit` + a few bytes): `0 < cut <= limit`, on a
/// char boundary, with text after it. Candidates are searched from `limit`
/// back to `limit / 2`, best kind first; if none of the preferred kinds is
/// there, the last char boundary at or below `limit` that does not split a
/// char from its combining marks.
pub(crate) fn cut_point(text: &str, limit: usize) -> usize {
    let limit = limit.max(1);
    let lo = limit / 2;
    // the chars around the window, with one char of context on each side
    let mut from = lo.saturating_sub(8).min(text.len());
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let mut to = (limit + 8).min(text.len());
    while !text.is_char_boundary(to) {
        to -= 1;
    }
    let chars: Vec<(usize, char)> = text[from..to]
        .char_indices()
        .map(|(i, c)| (from + i, c))
        .collect();
    // candidate k: cut before chars[k]; needs chars[k-1] and chars[k]
    let cands = || {
        (1..chars.len())
            .rev()
            .filter(|&k| chars[k].0 <= limit && chars[k].0 >= lo.max(1))
    };
    let found = cands()
        .find(|&k| {
            after_sentence_end(&chars, k) && (is_han(chars[k].1) || OPENING.contains(&chars[k].1))
        })
        .or_else(|| cands().find(|&k| is_han(chars[k - 1].1) && is_han(chars[k].1)))
        .or_else(|| {
            cands().find(|&k| {
                chars[k - 1].1.is_whitespace()
                    && !chars[k].1.is_whitespace()
                    && !joins_previous(chars[k].1)
            })
        })
        .or_else(|| {
            cands().find(|&k| {
                let word = chars[k - 1].1.is_alphanumeric() && chars[k].1.is_alphanumeric();
                !word && !joins_previous(chars[k].1)
            })
        })
        .or_else(|| cands().find(|&k| !joins_previous(chars[k].1)));
    if let Some(k) = found {
        return chars[k].0;
    }
    // the window held nothing usable: the last boundary at or below limit
    let mut cut = limit.min(text.len());
    while cut > 0 && !text.is_char_boundary(cut) {
        cut -= 1;
    }
    if cut == 0 {
        // one char longer than the limit
        cut = text.chars().next().map_or(text.len(), char::len_utf8);
    }
    cut
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pieces(text: &str, limit: usize) -> Vec<&str> {
        let mut out = Vec::new();
        let mut rest = text;
        while rest.len() > limit {
            let c = cut_point(rest, limit);
            assert!(c > 0 && c <= rest.len() && rest.is_char_boundary(c));
            out.push(&rest[..c]);
            rest = &rest[c..];
        }
        out.push(rest);
        out
    }

    #[test]
    fn cuts_after_a_sentence_end() {
        let t = "甲乙丙丁。戊己庚辛壬癸，子丑寅卯辰巳。午未申酉戌亥";
        // 3 bytes a char; limit 24 = 8 chars, the sentence end in its
        // second half
        let p = pieces(t, 24);
        assert_eq!(p[0], "甲乙丙丁。");
        assert_eq!(p.concat(), t);
        // no sentence end in the second half: between two Han chars
        assert_eq!(p[1], "戊己庚辛壬癸，子");
        // a sentence end too early (before half the limit) is not used
        assert_eq!(&t[..cut_point(t, 40)], "甲乙丙丁。戊己庚辛壬癸，子");
    }

    #[test]
    fn closing_quote_stays_with_its_sentence() {
        let t = "他说：“好的。”我们走吧，一路向前走走走走";
        let c = cut_point(t, 40);
        assert_eq!(&t[..c], "他说：“好的。”");
    }

    #[test]
    fn han_run_without_sentence_end_cut_between_han() {
        let t = "汉".repeat(100);
        let p = pieces(&t, 31);
        assert!(p.iter().all(|x| !x.is_empty() && x.len() <= 31));
        assert_eq!(p.concat(), t);
    }

    #[test]
    fn latin_word_not_split_when_avoidable() {
        let t = "abcdefghij klmnopqrst uvwxyz0123";
        let c = cut_point(t, 16);
        assert_eq!(&t[..c], "abcdefghij ");
    }

    #[test]
    fn never_before_a_combining_mark() {
        let t = "e\u{301}".repeat(40);
        for limit in 4..20 {
            let c = cut_point(&t, limit);
            assert!(c <= limit && t.is_char_boundary(c));
            assert!(!t[c..].starts_with('\u{301}'), "limit {limit}");
        }
    }

    #[test]
    fn one_char_longer_than_the_limit() {
        assert_eq!(cut_point("汉字", 2), 3);
    }
}
