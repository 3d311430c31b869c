//! Unicode normalization rules (N1xx): NFC, compatibility ideographs and
//! radicals, full-width ASCII letters and digits, odd spaces, zero-width
//! characters. All targeted; never NFKC (it would turn `，：（）` into ASCII).

use super::han::{replace_finding, tier_score};
use super::{Block, Context, Rule, RuleMeta};
use crate::edit::Applicability;
use crate::finding::{Evidence, Finding};
use crate::span::Span;
use unicode_normalization::{char::decompose_canonical, char::decompose_compatible};
use unicode_normalization::{is_nfc, UnicodeNormalization};

/// True when `s` is in NFC. A fast path for text made only of chars that
/// are NFC whatever surrounds them (no canonical decomposition, combining
/// class 0, never the second of a composition pair): ASCII and Latin-1,
/// general punctuation (but the two singletons U+2000/U+2001), enclosed
/// numbers, box drawing and shapes, CJK punctuation (but the combining
/// tone marks U+302A–302F and kana voicing marks), CJK unified ideographs,
/// full-width ASCII. Anything else takes the full check.
pub(crate) fn is_nfc_fast(s: &str) -> bool {
    all_nfc_stable(s.as_bytes()) || is_nfc(s)
}

/// True when every char of the UTF-8 `b` is in the stable ranges listed at
/// [`is_nfc_fast`], decided on the encoded bytes.
fn all_nfc_stable(b: &[u8]) -> bool {
    let mut i = 0;
    while i < b.len() {
        let c0 = b[i];
        let ok = match c0 {
            0x00..=0x7F => {
                i += 1;
                continue;
            }
            // U+0080..U+02FF
            0xC2..=0xCB => {
                i += 2;
                continue;
            }
            0xE2..=0xEF if i + 2 < b.len() => {
                let (c1, c2) = (b[i + 1], b[i + 2]);
                match c0 {
                    // U+2002..U+206F, U+2460..U+25FF
                    0xE2 => matches!(
                        (c1, c2),
                        (0x80, 0x82..) | (0x81, ..=0xAF) | (0x91, 0xA0..) | (0x92..=0x97, _)
                    ),
                    // U+3000..U+3029, U+3030..U+3098
                    0xE3 => matches!(
                        (c1, c2),
                        (0x80, ..=0xA9) | (0x80, 0xB0..) | (0x81, _) | (0x82, ..=0x98)
                    ),
                    // U+4E00..U+9FFF
                    0xE4 => c1 >= 0xB8,
                    0xE5..=0xE9 => true,
                    // U+FF01..U+FF65
                    0xEF => matches!((c1, c2), (0xBC, 0x81..) | (0xBD, ..=0xA5)),
                    _ => false,
                }
            }
            _ => false,
        };
        if !ok {
            return false;
        }
        i += 3;
    }
    true
}

/// N101 `unicode-nfc`.
pub static N101: RuleMeta = RuleMeta {
    code: "N101",
    name: "unicode-nfc",
    summary: "text not in Unicode NFC is composed to NFC",
    default_tier: Applicability::Safe,
    doc: include_str!("docs/N101.md"),
};

/// N102 `compat-ideograph`.
pub static N102: RuleMeta = RuleMeta {
    code: "N102",
    name: "compat-ideograph",
    summary: "Kangxi radicals, radical supplements and CJK compatibility ideographs become unified ideographs",
    default_tier: Applicability::Safe,
    doc: include_str!("docs/N102.md"),
};

/// N103 `fullwidth-alnum`.
pub static N103: RuleMeta = RuleMeta {
    code: "N103",
    name: "fullwidth-alnum",
    summary: "full-width ASCII letters and digits become ASCII",
    default_tier: Applicability::Safe,
    doc: include_str!("docs/N103.md"),
};

/// N104 `odd-space`.
pub static N104: RuleMeta = RuleMeta {
    code: "N104",
    name: "odd-space",
    summary: "no-break and typographic spaces become an ASCII space (U+3000 is kept)",
    default_tier: Applicability::Safe,
    doc: include_str!("docs/N104.md"),
};

/// N105 `zero-width`.
pub static N105: RuleMeta = RuleMeta {
    code: "N105",
    name: "zero-width",
    summary: "zero-width space, BOM/ZWNBSP, soft hyphen and word joiner are removed",
    default_tier: Applicability::Safe,
    doc: include_str!("docs/N105.md"),
};

/// True for a CJK compatibility ideograph (which NFC also maps; N102 owns it).
fn is_compat_ideograph(c: char) -> bool {
    matches!(c as u32, 0xF900..=0xFAFF | 0x2F800..=0x2FA1F)
}

/// CJK Radicals Supplement code points whose glyph is a whole character
/// with a unified equivalent (names checked against the Unicode names list:
/// e.g. U+2ED4 CJK RADICAL C-SIMPLIFIED GATE = 门). Radicals that are only
/// components (⺅, ⺡, …) are left alone: they do not occur as running text.
static RADICAL_SUPPLEMENT: &[(char, char)] = &[
    ('\u{2E9F}', '母'),
    ('\u{2EA0}', '民'),
    ('\u{2EA9}', '王'),
    ('\u{2EC1}', '虎'),
    ('\u{2EC4}', '西'),
    ('\u{2EC5}', '见'),
    ('\u{2EC6}', '角'),
    ('\u{2EC9}', '贝'),
    ('\u{2ECB}', '车'),
    ('\u{2ED3}', '长'),
    ('\u{2ED4}', '门'),
    ('\u{2ED7}', '雨'),
    ('\u{2ED8}', '青'),
    ('\u{2ED9}', '韦'),
    ('\u{2EDA}', '页'),
    ('\u{2EDB}', '风'),
    ('\u{2EDC}', '飞'),
    ('\u{2EDD}', '食'),
    ('\u{2EE2}', '马'),
    ('\u{2EE3}', '骨'),
    ('\u{2EE4}', '鬼'),
    ('\u{2EE5}', '鱼'),
    ('\u{2EE6}', '鸟'),
    ('\u{2EE7}', '卤'),
    ('\u{2EE8}', '麦'),
    ('\u{2EE9}', '黄'),
    ('\u{2EEA}', '黾'),
    ('\u{2EEC}', '齐'),
    ('\u{2EEE}', '齿'),
    ('\u{2EF0}', '龙'),
    ('\u{2EF3}', '龟'),
];

/// The unified ideograph for a Kangxi radical, radical supplement or
/// compatibility ideograph, if there is one.
pub fn unified_ideograph(c: char) -> Option<char> {
    match c as u32 {
        0x2F00..=0x2FD5 => single_decomposition(c, true),
        0x2E80..=0x2EFF => RADICAL_SUPPLEMENT
            .binary_search_by_key(&c, |&(r, _)| r)
            .ok()
            .map(|i| RADICAL_SUPPLEMENT[i].1),
        _ if is_compat_ideograph(c) => single_decomposition(c, false),
        _ => None,
    }
}

/// The one-char (compatibility or canonical) decomposition of `c`, if it
/// differs from `c`.
fn single_decomposition(c: char, compatible: bool) -> Option<char> {
    let mut out = Vec::new();
    if compatible {
        decompose_compatible(c, |d| out.push(d));
    } else {
        decompose_canonical(c, |d| out.push(d));
    }
    (out.len() == 1 && out[0] != c).then(|| out[0])
}

/// Rule N101.
pub struct Nfc;

impl Rule for Nfc {
    fn meta(&self) -> &'static RuleMeta {
        &N101
    }

    fn check(&self, _: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let body = block.body();
        if is_nfc_fast(body) {
            return;
        }
        // Chunks between compatibility ideographs (those are N102's).
        let mut start = 0;
        let mut bounds: Vec<(usize, usize)> = Vec::new();
        for (i, c) in body.char_indices() {
            if is_compat_ideograph(c) {
                bounds.push((start, i));
                start = i + c.len_utf8();
            }
        }
        bounds.push((start, body.len()));
        for (s, e) in bounds {
            let chunk = &body[s..e];
            if is_nfc(chunk) {
                continue;
            }
            let norm: String = chunk.nfc().collect();
            let (a, b) = differing_middle(chunk, &norm);
            let span = Span::new(s + a, e - b);
            let repl = &norm[a..norm.len() - b];
            out.push(replace_finding(
                "N101",
                span,
                "text is not in Unicode NFC",
                Evidence::new(
                    tier_score(Applicability::Safe),
                    "canonical composition (NFC)",
                ),
                Applicability::Safe,
                repl,
            ));
        }
    }
}

/// Lengths in bytes of the common prefix and suffix of two texts, on char
/// boundaries, not overlapping.
fn differing_middle(a: &str, b: &str) -> (usize, usize) {
    let mut pre = 0;
    for ((i, ca), cb) in a.char_indices().zip(b.chars()) {
        if ca != cb {
            break;
        }
        pre = i + ca.len_utf8();
    }
    let max_suf = (a.len() - pre).min(b.len() - pre);
    let mut suf = 0;
    for (ca, cb) in a.chars().rev().zip(b.chars().rev()) {
        if ca != cb || suf + ca.len_utf8() > max_suf {
            break;
        }
        suf += ca.len_utf8();
    }
    (pre, suf)
}

/// The byte offset of the first char of `body` for which `hit` holds, where
/// `leads` holds the first UTF-8 byte of every such char (a word-at-a-time
/// scan for those bytes, then a check of the char at each).
fn first_mapped(body: &str, leads: &[u8], hit: impl Fn(char) -> bool) -> Option<usize> {
    let mut at = 0;
    loop {
        let i = super::han::find_byte(body.as_bytes(), at, leads, false)?;
        if body[i..].chars().next().is_some_and(&hit) {
            return Some(i);
        }
        at = i + 1;
    }
}

/// Push one safe single-char replacement finding for every char of the body
/// that `map` maps (`leads`: the first UTF-8 bytes of every char mapped).
#[allow(clippy::too_many_arguments)]
fn per_char(
    block: &Block<'_>,
    out: &mut Vec<Finding>,
    leads: &[u8],
    code: &'static str,
    message: &str,
    reason: &'static str,
    map: impl Fn(char) -> Option<&'static str>,
    map_char: impl Fn(char) -> Option<char>,
) {
    let body = block.body();
    // Most bodies have no such char: find the first one by its lead byte
    // (`leads`: the first UTF-8 bytes of every char mapped), and build
    // findings from there.
    let Some(from) = first_mapped(body, leads, |c| map(c).is_some() || map_char(c).is_some())
    else {
        return;
    };
    for (i, c) in body[from..].char_indices() {
        let i = from + i;
        let repl: Option<String> = map(c)
            .map(str::to_string)
            .or_else(|| map_char(c).map(String::from));
        if let Some(r) = repl {
            out.push(replace_finding(
                code,
                Span::new(i, i + c.len_utf8()),
                format!("{message}: U+{:04X}", c as u32),
                Evidence::new(tier_score(Applicability::Safe), reason),
                Applicability::Safe,
                r,
            ));
        }
    }
}

/// First UTF-8 bytes of the chars N102 maps (U+2E80–2FFF, U+F900–FAFF,
/// U+2F800–2FA1F).
const N102_LEADS: &[u8] = &[0xE2, 0xEF, 0xF0];
/// First UTF-8 byte of the chars N103 maps (U+FF10–FF5A).
const N103_LEADS: &[u8] = &[0xEF];
/// First UTF-8 bytes of the chars N104 maps (U+00A0, U+2000–205F).
const N104_LEADS: &[u8] = &[0xC2, 0xE2];
/// First UTF-8 bytes of the chars N105 removes (U+00AD, U+200B, U+2060,
/// U+FEFF).
const N105_LEADS: &[u8] = &[0xC2, 0xE2, 0xEF];

/// Rule N102.
pub struct CompatIdeograph;

impl Rule for CompatIdeograph {
    fn meta(&self) -> &'static RuleMeta {
        &N102
    }

    fn check(&self, _: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        per_char(
            block,
            out,
            N102_LEADS,
            "N102",
            "radical or compatibility ideograph instead of the unified ideograph",
            "Unicode decomposition / radical equivalence to a unified ideograph",
            |_| None,
            unified_ideograph,
        );
    }
}

/// Rule N103.
pub struct FullwidthAlnum;

/// The ASCII letter or digit for a full-width one.
pub fn fullwidth_alnum_to_ascii(c: char) -> Option<char> {
    match c as u32 {
        0xFF10..=0xFF19 | 0xFF21..=0xFF3A | 0xFF41..=0xFF5A => char::from_u32(c as u32 - 0xFEE0),
        _ => None,
    }
}

impl Rule for FullwidthAlnum {
    fn meta(&self) -> &'static RuleMeta {
        &N103
    }

    fn check(&self, _: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        per_char(
            block,
            out,
            N103_LEADS,
            "N103",
            "full-width letter or digit",
            "full-width ASCII letters and digits are width variants of ASCII",
            |_| None,
            fullwidth_alnum_to_ascii,
        );
        time_colons(block.body(), out);
    }
}

/// A full-width `：` between two digits, at least one of them full-width
/// (`１６：３２`): the colon of a time or ratio written in full-width forms,
/// narrowed with the digits (a time is written `16:32`). A `：` between
/// ASCII digits (`3：2`) is left: some texts write scores that way.
fn time_colons(body: &str, out: &mut Vec<Finding>) {
    if !body.contains('：') {
        return;
    }
    let digit = |c: Option<char>| {
        c.map(|c| {
            let n = fullwidth_alnum_to_ascii(c).unwrap_or(c);
            (n.is_ascii_digit(), n != c)
        })
    };
    for (i, _) in body.match_indices('：') {
        let end = i + '：'.len_utf8();
        let (Some((true, wide_l)), Some((true, wide_r))) = (
            digit(super::han::char_before(body, i)),
            digit(super::han::char_at(body, end)),
        ) else {
            continue;
        };
        if !(wide_l || wide_r) {
            continue;
        }
        out.push(replace_finding(
            "N103",
            Span::new(i, end),
            "full-width colon between full-width digits".to_string(),
            Evidence::new(
                tier_score(Applicability::Safe),
                "a time or ratio in full-width digits: its colon narrows with them",
            ),
            Applicability::Safe,
            ":".to_string(),
        ));
    }
}

/// Rule N104.
pub struct OddSpace;

/// True for the spaces N104 turns into an ASCII space.
pub fn is_odd_space(c: char) -> bool {
    matches!(
        c,
        '\u{00A0}' | '\u{2000}'..='\u{200A}' | '\u{202F}' | '\u{205F}'
    )
}

impl Rule for OddSpace {
    fn meta(&self) -> &'static RuleMeta {
        &N104
    }

    fn check(&self, _: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        per_char(
            block,
            out,
            N104_LEADS,
            "N104",
            "no-break or typographic space",
            "a space variant with no meaning in plain text",
            |c| is_odd_space(c).then_some(" "),
            |_| None,
        );
    }
}

/// Rule N105.
pub struct ZeroWidth;

/// True for the invisible characters N105 removes. ZWJ/ZWNJ (U+200D/U+200C)
/// are kept: they are meaningful in emoji sequences and some scripts.
pub fn is_zero_width(c: char) -> bool {
    matches!(c, '\u{200B}' | '\u{FEFF}' | '\u{00AD}' | '\u{2060}')
}

impl Rule for ZeroWidth {
    fn meta(&self) -> &'static RuleMeta {
        &N105
    }

    fn check(&self, _: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        // (nothing to do without an invisible char: the usual case, told by
        // one lean pass)
        if first_mapped(block.body(), N105_LEADS, is_zero_width).is_none() {
            return;
        }
        // A line of nothing but invisible chars is left alone: emptying it
        // would leave a blank line inside the block structure that W303
        // could only merge on a second run (safe fixes must be idempotent).
        if block
            .body()
            .chars()
            .all(|c| is_zero_width(c) || c.is_whitespace())
        {
            return;
        }
        per_char(
            block,
            out,
            N105_LEADS,
            "N105",
            "invisible character",
            "zero-width characters carry nothing in plain text and break matching",
            |c| is_zero_width(c).then_some(""),
            |_| None,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_bytes_cover_every_mapped_char() {
        let lead = |c: char| c.to_string().as_bytes()[0];
        for c in (0u32..0x11_0000).filter_map(char::from_u32) {
            if unified_ideograph(c).is_some() {
                assert!(N102_LEADS.contains(&lead(c)), "{c:?}");
            }
            if fullwidth_alnum_to_ascii(c).is_some() {
                assert!(N103_LEADS.contains(&lead(c)), "{c:?}");
            }
            if is_odd_space(c) {
                assert!(N104_LEADS.contains(&lead(c)), "{c:?}");
            }
            if is_zero_width(c) {
                assert!(N105_LEADS.contains(&lead(c)), "{c:?}");
            }
        }
    }

    #[test]
    fn first_mapped_finds_the_first_char_like_a_scan() {
        let texts = [
            "",
            "abc",
            "中文，没有",
            "中文\u{00A0}有",
            "一二三四五六七八九十\u{2003}",
            "\u{200B}",
            "１２３ａ",
            "早⺟字豈",
            "ab\u{2F800}cd",
        ];
        for t in texts {
            for (leads, f) in [
                (
                    N102_LEADS,
                    &(|c| unified_ideograph(c).is_some()) as &dyn Fn(char) -> bool,
                ),
                (N103_LEADS, &|c| fullwidth_alnum_to_ascii(c).is_some()),
                (N104_LEADS, &is_odd_space),
                (N105_LEADS, &is_zero_width),
            ] {
                let want = t.char_indices().find(|&(_, c)| f(c)).map(|x| x.0);
                assert_eq!(first_mapped(t, leads, f), want, "{t}");
            }
        }
    }

    #[test]
    fn byte_fast_path_matches_the_stable_ranges() {
        let stable = |c: char| {
            matches!(c as u32,
                0..=0x2FF
                | 0x2002..=0x206F
                | 0x2460..=0x25FF
                | 0x3000..=0x3029
                | 0x3030..=0x3098
                | 0x4E00..=0x9FFF
                | 0xFF01..=0xFF65)
        };
        let mut buf = [0u8; 4];
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let b = c.encode_utf8(&mut buf).as_bytes();
            assert_eq!(all_nfc_stable(b), stable(c), "U+{:04X}", c as u32);
            if stable(c) {
                assert!(unicode_normalization::is_nfc(c.encode_utf8(&mut [0; 4])));
            }
        }
        assert!(all_nfc_stable("中文，“测试”——ABC１２３…".as_bytes()));
        assert!(!all_nfc_stable("e\u{301}".as_bytes()));
    }
    use crate::rules::han::testutil::{findings as run, fixed_at};

    fn fixed(rule: &dyn Rule, text: &str) -> String {
        fixed_at(rule, text, Applicability::Safe)
    }

    #[test]
    fn nfc_composes_and_keeps_compat() {
        assert_eq!(fixed(&Nfc, "cafe\u{301}好"), "café好");
        assert!(run(&Nfc, "汉字，（）").is_empty());
        // A compatibility ideograph alone is N102's.
        assert!(run(&Nfc, "\u{F900}").is_empty());
    }

    #[test]
    fn compat_ideographs_and_radicals() {
        assert_eq!(fixed(&CompatIdeograph, "\u{2F08}们"), "人们");
        assert_eq!(fixed(&CompatIdeograph, "\u{F900}"), "豈");
        assert_eq!(fixed(&CompatIdeograph, "\u{2ED4}口"), "门口");
        // U+FA0E is a unified ideograph despite its block.
        assert!(run(&CompatIdeograph, "\u{FA0E}").is_empty());
        assert!(run(&CompatIdeograph, "\u{2E85}").is_empty());
    }

    #[test]
    fn fullwidth_alnum() {
        assert_eq!(
            fixed(&FullwidthAlnum, "ＣＢＤ中心１６号，"),
            "CBD中心16号，"
        );
        assert!(run(&FullwidthAlnum, "（）：").is_empty());
    }

    #[test]
    fn odd_space_keeps_ideographic_space() {
        assert_eq!(fixed(&OddSpace, "a\u{A0}b\u{2009}c"), "a b c");
        assert!(run(&OddSpace, "\u{3000}\u{3000}正文").is_empty());
    }

    #[test]
    fn zero_width_keeps_zwj() {
        assert_eq!(fixed(&ZeroWidth, "孙\u{200B}雄\u{AD}"), "孙雄");
        assert!(run(&ZeroWidth, "👨\u{200D}👩").is_empty());
        assert!(run(&ZeroWidth, "\u{200B}\n").is_empty());
    }

    #[test]
    fn radical_table_sorted() {
        for w in RADICAL_SUPPLEMENT.windows(2) {
            assert!(w[0].0 < w[1].0);
        }
    }
}
