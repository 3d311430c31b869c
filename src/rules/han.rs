//! Character classes shared by the text-level rules (Han ideographs, CJK
//! punctuation, Latin letters), the helpers that look at a char's
//! neighbours, and a builder for one-edit findings.

use crate::edit::{Applicability, Edit, Fix};
use crate::finding::{Evidence, Finding};
use crate::span::Span;

/// True for a Han ideograph (unified ideographs, extensions, compatibility
/// ideographs, and 〇).
pub fn is_han(c: char) -> bool {
    is_han_code(c as u32)
}

/// The chars of `s` as (byte offset, code point), decoded from the lead
/// byte (`s` is valid UTF-8), for the scans that only classify chars: a
/// leaner loop than `char_indices`.
#[inline]
pub(crate) fn code_points(s: &str) -> CodePoints<'_> {
    CodePoints {
        b: s.as_bytes(),
        i: 0,
    }
}

/// The iterator of [`code_points`] (its `next` is always inlined: the
/// scans using it are loops of a few instructions per char).
pub(crate) struct CodePoints<'a> {
    b: &'a [u8],
    i: usize,
}

impl Iterator for CodePoints<'_> {
    type Item = (usize, u32);

    #[inline(always)]
    fn next(&mut self) -> Option<(usize, u32)> {
        let b = self.b;
        let at = self.i;
        let b0 = *b.get(at)?;
        let cont = |k: usize| (b[at + k] & 0x3F) as u32;
        let c = if b0 < 0x80 {
            self.i += 1;
            b0 as u32
        } else if b0 < 0xE0 {
            self.i += 2;
            ((b0 & 0x1F) as u32) << 6 | cont(1)
        } else if b0 < 0xF0 {
            self.i += 3;
            ((b0 & 0x0F) as u32) << 12 | cont(1) << 6 | cont(2)
        } else {
            self.i += 4;
            ((b0 & 0x07) as u32) << 18 | cont(1) << 12 | cont(2) << 6 | cont(3)
        };
        Some((at, c))
    }
}

/// The offset of the first byte of `b` at or after `from` that is one of
/// `set` (a few byte values) or, with `ascii`, below 0x80; eight bytes per
/// step (a word-at-a-time test). For the scans that skip bodies without a
/// rare char: a lead byte of its UTF-8 form is never a continuation byte,
/// so each hit starts a char.
#[inline]
pub(crate) fn find_byte(b: &[u8], mut from: usize, set: &[u8], ascii: bool) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    while from + 8 <= b.len() {
        let mut w = [0u8; 8];
        w.copy_from_slice(&b[from..from + 8]);
        let v = u64::from_le_bytes(w);
        // a byte equal to x leaves a zero byte in v ^ x·LO; the lowest byte
        // flagged by (t − LO) & !t & HI is always a true zero
        let mut hit = if ascii { !v & HI } else { 0 };
        for &x in set {
            let t = v ^ (LO * x as u64);
            hit |= t.wrapping_sub(LO) & !t & HI;
        }
        if hit != 0 {
            return Some(from + (hit.trailing_zeros() / 8) as usize);
        }
        from += 8;
    }
    b.get(from..)?
        .iter()
        .position(|x| set.contains(x) || (ascii && *x < 0x80))
        .map(|p| from + p)
}

/// True when `b` holds one of the ASCII bytes `set`: a word-at-a-time
/// skip over non-ASCII bytes ([`find_byte`]), then a test of each ASCII
/// byte.
#[inline]
pub(crate) fn has_ascii_of(b: &[u8], set: &[u8]) -> bool {
    let mut at = 0;
    while let Some(i) = find_byte(b, at, &[], true) {
        if set.contains(&b[i]) {
            return true;
        }
        at = i + 1;
    }
    false
}

/// True when `s` holds `c`: for a char of three or more bytes, a
/// word-at-a-time scan for its first byte ([`find_byte`]) and a comparison
/// at each hit (in CJK text the last byte, which a `memchr` search looks
/// for, is a common continuation byte); else `str::contains`.
#[inline]
pub(crate) fn has_char(s: &str, c: char) -> bool {
    let mut buf = [0u8; 4];
    let enc = c.encode_utf8(&mut buf).as_bytes();
    if enc.len() < 3 {
        return s.contains(c);
    }
    let b = s.as_bytes();
    let mut at = 0;
    while let Some(i) = find_byte(b, at, &enc[..1], false) {
        if b[i..].starts_with(enc) {
            return true;
        }
        at = i + 1;
    }
    false
}

/// [`is_han`] of a code point.
#[inline]
pub(crate) fn is_han_code(c: u32) -> bool {
    // the common cases first: unified ideographs, and anything below 〇
    if (0x4E00..=0x9FFF).contains(&c) {
        return true;
    }
    if c < 0x3007 {
        return false;
    }
    matches!(c,
        0x3007
        | 0x3400..=0x4DBF
        | 0xF900..=0xFAFF
        | 0x20000..=0x2A6DF
        | 0x2A700..=0x2EBEF
        | 0x2F800..=0x2FA1F
        | 0x30000..=0x323AF)
}

/// True for full-width (CJK) punctuation used in Chinese running text.
pub fn is_cjk_punct(c: char) -> bool {
    matches!(
        c,
        '，' | '。'
            | '、'
            | '；'
            | '：'
            | '？'
            | '！'
            | '“'
            | '”'
            | '‘'
            | '’'
            | '（'
            | '）'
            | '《'
            | '》'
            | '〈'
            | '〉'
            | '【'
            | '】'
            | '「'
            | '」'
            | '『'
            | '』'
            | '〔'
            | '〕'
            | '…'
            | '—'
            | '·'
            | '～'
    )
}

/// True for a Han char or CJK punctuation: what makes a context Chinese.
pub fn is_cjk(c: char) -> bool {
    is_han(c) || is_cjk_punct(c)
}

/// True for an ASCII letter.
pub fn is_latin_letter(c: char) -> bool {
    c.is_ascii_alphabetic()
}

/// True for ASCII letters and digits.
pub fn is_ascii_alnum(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

/// True for spaces that separate tokens inside a line (ASCII space, tab,
/// ideographic space).
pub fn is_inline_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{3000}')
}

/// Sentence-final punctuation (what may end a paragraph), including closing
/// quotes and brackets that follow it.
pub fn is_sentence_final(c: char) -> bool {
    matches!(
        c,
        '。' | '！'
            | '？'
            | '…'
            | '.'
            | '!'
            | '?'
            | '”'
            | '’'
            | '）'
            | ')'
            | '》'
            | '」'
            | '』'
            | '；'
    )
}

/// The char just before byte offset `i` of `s`.
pub fn char_before(s: &str, i: usize) -> Option<char> {
    s[..i].chars().next_back()
}

/// The char starting at byte offset `i` of `s`.
pub fn char_at(s: &str, i: usize) -> Option<char> {
    s[i..].chars().next()
}

/// Number of chars in `s`.
pub fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// True if `s` contains at least one Han char.
pub fn has_han(s: &str) -> bool {
    s.chars().any(is_han)
}

/// A finding whose fix replaces `span` with `replacement` at `tier`.
pub fn replace_finding(
    code: &'static str,
    span: Span,
    message: impl Into<std::borrow::Cow<'static, str>>,
    evidence: Evidence,
    tier: Applicability,
    replacement: impl Into<String>,
) -> Finding {
    Finding::new(code, span, message, evidence)
        .with_fix(Fix::single(tier, Edit::replace(span, replacement)))
}

/// The default evidence score of a tier (ranks findings in review).
pub fn tier_score(tier: Applicability) -> f64 {
    match tier {
        Applicability::Safe => 0.99,
        Applicability::Review => 0.8,
        Applicability::Suggest => 0.5,
    }
}

/// Helpers for the rules' unit tests.
#[cfg(test)]
pub mod testutil {
    use crate::edit::{Applicability, Fix};
    use crate::finding::Finding;
    use crate::lexicon::{Entry, Lexicon, WordFlags};
    use crate::rules::{Block, Context, PrevBlock, Rule};

    /// A lexicon of `(word, freq, flags)`.
    pub fn lex(words: &[(&str, u64, WordFlags)]) -> Lexicon {
        Lexicon::from_entries(
            words
                .iter()
                .map(|&(w, freq, flags)| (w.to_string(), Entry { freq, flags })),
        )
        .unwrap()
    }

    /// Findings of `rule` on a one-line block `text` with an empty lexicon.
    pub fn findings(rule: &dyn Rule, text: &str) -> Vec<Finding> {
        findings_with(rule, &lex(&[]), text, &[], None)
    }

    /// Findings of `rule` on block `text` (body = up to the first newline).
    pub fn findings_with(
        rule: &dyn Rule,
        lexicon: &Lexicon,
        text: &str,
        prev: &[&str],
        next: Option<&str>,
    ) -> Vec<Finding> {
        let ctx = Context::new(lexicon);
        let prev: Vec<PrevBlock> = prev
            .iter()
            .enumerate()
            .map(|(index, b)| PrevBlock::new(index, *b))
            .collect();
        let block = Block::new(
            text,
            crate::engine::body_len_of(text),
            prev.len(),
            &prev,
            next,
            0,
        );
        let mut out = Vec::new();
        rule.check(&ctx, &block, &mut out);
        for f in &out {
            assert!(
                crate::span::Span::checked(text, f.span.start, f.span.end).is_some(),
                "span off boundary"
            );
        }
        out
    }

    /// `text` after applying the fixes of `findings` at `tier` and above.
    pub fn apply(text: &str, found: &[Finding], tier: Applicability) -> String {
        let fixes: Vec<&Fix> = found
            .iter()
            .filter_map(|f| f.fix.as_ref())
            .filter(|f| f.applicability >= tier)
            .collect();
        crate::apply::apply_fixes(text, &fixes).text
    }

    /// `text` after one round of `rule`'s fixes at `tier` and above (empty
    /// lexicon).
    pub fn fixed_at(rule: &dyn Rule, text: &str, tier: Applicability) -> String {
        apply(text, &findings(rule, text), tier)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn is_han_code_is_the_range_list() {
        for c in 0u32..0x11_0000 {
            let want = matches!(c,
                0x3007
                | 0x3400..=0x4DBF
                | 0x4E00..=0x9FFF
                | 0xF900..=0xFAFF
                | 0x20000..=0x2A6DF
                | 0x2A700..=0x2EBEF
                | 0x2F800..=0x2FA1F
                | 0x30000..=0x323AF);
            assert_eq!(is_han_code(c), want, "{c:X}");
        }
    }

    #[test]
    fn has_char_and_has_ascii_of_agree_with_std() {
        let texts = [
            "",
            "“引号”",
            "中文中文中文中文中文中文‘’",
            "ab,cd",
            "中文；中文中文中文中文中文中文(",
            "€£¥",
            "\u{1F600}中文中文中文中文",
        ];
        for t in texts {
            for c in [
                '“',
                '”',
                '‘',
                '’',
                '（',
                '€',
                '£',
                'a',
                '\u{1F600}',
                '中',
                '(',
            ] {
                assert_eq!(has_char(t, c), t.contains(c), "{t} {c}");
            }
            for set in [&b",;:?!()"[..], b"a", b""] {
                assert_eq!(
                    has_ascii_of(t.as_bytes(), set),
                    t.bytes().any(|x| set.contains(&x)),
                    "{t}"
                );
            }
        }
    }

    #[test]
    fn find_byte_agrees_with_a_scan() {
        let texts: Vec<Vec<u8>> = vec![
            vec![],
            b"abc".to_vec(),
            "中文，没有 ab\u{2003}中文中文中文中文中文\u{00A0}"
                .as_bytes()
                .to_vec(),
            (0u8..=255).collect(),
            (0u8..=255).rev().collect(),
            vec![0xE2; 20],
            [vec![0x80; 17], vec![0xC2]].concat(),
        ];
        for b in &texts {
            for (set, ascii) in [
                (&[0xE2u8][..], false),
                (&[0xC2, 0xE2, 0xEF][..], false),
                (&[0xEF][..], true),
                (&[][..], true),
                (&[0x00, 0x80, 0xFF][..], false),
            ] {
                for from in 0..=b.len() + 1 {
                    let want = b
                        .iter()
                        .enumerate()
                        .skip(from)
                        .find(|(_, x)| set.contains(x) || (ascii && **x < 0x80))
                        .map(|(i, _)| i);
                    assert_eq!(find_byte(b, from, set, ascii), want, "{b:?} {set:?} {from}");
                }
            }
        }
    }

    #[test]
    fn code_points_decode_like_char_indices() {
        let t = "a中，é〇𠀀 x\u{30000}”";
        let mine: Vec<(usize, u32)> = code_points(t).collect();
        let std: Vec<(usize, u32)> = t.char_indices().map(|(i, c)| (i, c as u32)).collect();
        assert_eq!(mine, std);
    }

    #[test]
    fn classes() {
        assert!(is_han('孙') && is_han('〇') && !is_han('a') && !is_han('，'));
        assert!(is_cjk_punct('，') && !is_cjk_punct(','));
        assert!(is_cjk('”') && !is_cjk('"'));
        assert_eq!(char_before("孙雄", 3), Some('孙'));
        assert_eq!(char_at("孙雄", 3), Some('雄'));
        assert!(has_han("ab孙") && !has_han("abc"));
    }
}
