//! Encoding detection under corruption (issue 19, item 3): real Chinese
//! text in UTF-8, GBK or UTF-16 (with BOM), with a few bytes of its body
//! corrupted (changed, inserted or deleted), is either rejected or read in
//! its own encoding; it is never taken for another encoding's text (which
//! `--write` would then rewrite). Both detection paths are checked: whole
//! input ([`decode`]) and streamed ([`open`]).
//!
//! Valid UTF-8 is always read as UTF-8: pure ASCII is the same text in
//! both, and a short damaged GBK text whose bytes happen to form valid UTF-8
//! is read as UTF-8 (a known limit; proptest found one with 4 chars). Not
//! covered: a corrupted byte-order mark. A BOM is trusted, so `FF FE`
//! damaged into `FE FF` reads UTF-16LE as UTF-16BE.
//!
//! The same property is fuzzed by `fuzz/fuzz_targets/encoding.rs`.

use proptest::prelude::*;
use std::io::Read;
use zhclean::io::decode::{decode, open, Body, DecodeError, TextEncoding};

const CORPUS: [&str; 3] = [
    include_str!("../seeds/000_19cd2ff9b0646e08.txt"),
    include_str!("../seeds/001_e6682c06a6012347.txt"),
    include_str!("../seeds/002_84f8b6ad00173f0f.txt"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Family {
    Utf8,
    Gbk,
    Utf16Le,
    Utf16Be,
}

fn family(e: TextEncoding) -> Family {
    match e {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => Family::Utf8,
        TextEncoding::Gb18030 => Family::Gbk,
        TextEncoding::Utf16Le | TextEncoding::Utf16LeNoBom => Family::Utf16Le,
        TextEncoding::Utf16Be | TextEncoding::Utf16BeNoBom => Family::Utf16Be,
    }
}

fn encode(text: &str, f: Family) -> (Vec<u8>, usize) {
    match f {
        Family::Utf8 => (text.as_bytes().to_vec(), 0),
        Family::Gbk => (encoding_rs::GBK.encode(text).0.into_owned(), 0),
        Family::Utf16Le => {
            let mut b = vec![0xFF, 0xFE];
            b.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
            (b, 2)
        }
        Family::Utf16Be => {
            let mut b = vec![0xFE, 0xFF];
            b.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
            (b, 2)
        }
    }
}

/// A slice of the corpus on char boundaries, with at least a few Han
/// characters.
fn text_of(doc: usize, start: usize, len: usize) -> String {
    let chars: Vec<char> = CORPUS[doc % CORPUS.len()].chars().collect();
    let start = start % chars.len().saturating_sub(len).max(1);
    chars[start..(start + len).min(chars.len())]
        .iter()
        .collect()
}

#[derive(Debug, Clone)]
enum Damage {
    Set(usize, u8),
    Insert(usize, u8),
    Delete(usize),
}

fn damage(bytes: &mut Vec<u8>, body: usize, d: &Damage) {
    let n = bytes.len() - body;
    if n == 0 {
        return;
    }
    match *d {
        Damage::Set(i, b) => bytes[body + i % n] = b,
        Damage::Insert(i, b) => bytes.insert(body + i % (n + 1), b),
        Damage::Delete(i) => {
            bytes.remove(body + i % n);
        }
    }
}

fn damage_strategy() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Damage::Set(i, b)),
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Damage::Insert(i, b)),
        any::<usize>().prop_map(Damage::Delete),
    ]
}

/// The encoding the streamed path settles on, if it reads to the end.
fn streamed(bytes: &[u8]) -> Option<TextEncoding> {
    let o = open(bytes).ok()?;
    let enc = o.encoding;
    match o.body {
        Body::Stream(mut s) => {
            let mut v = Vec::new();
            s.read_to_end(&mut v).ok()?;
            // The engine rejects invalid UTF-8 in a UTF-8 stream.
            if enc.is_utf8() && std::str::from_utf8(&v).is_err() {
                return None;
            }
        }
        Body::Text(_) => {}
    }
    Some(enc)
}

fn check(text: &str, f: Family, damages: &[Damage]) -> Result<(), TestCaseError> {
    let (mut bytes, body) = encode(text, f);
    for d in damages {
        damage(&mut bytes, body, d);
    }
    // Valid UTF-8 is read as UTF-8 by rule (pure ASCII is the same text in
    // both; a few damaged GBK chars can form valid UTF-8 by chance, a known
    // limit, README "Nothing lost").
    let utf8 = std::str::from_utf8(&bytes).is_ok();
    let same = |enc: TextEncoding| family(enc) == f || (f == Family::Gbk && utf8 && enc.is_utf8());
    if let Ok((_, enc)) = decode(&bytes) {
        prop_assert!(same(enc), "decode: {:?} read as {}", f, enc.name());
    }
    if let Some(enc) = streamed(&bytes) {
        prop_assert!(same(enc), "open: {:?} read as {}", f, enc.name());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn corrupted_text_keeps_its_encoding_or_fails(
        doc in 0usize..3,
        start in any::<usize>(),
        len in 4usize..120,
        f in prop_oneof![Just(Family::Utf8), Just(Family::Gbk), Just(Family::Utf16Le), Just(Family::Utf16Be)],
        damages in proptest::collection::vec(damage_strategy(), 1..4),
    ) {
        let text = text_of(doc, start, len);
        check(&text, f, &damages)?;
    }
}

/// The measurement, made deterministic: 3,000 short windows of
/// real UTF-8 pages (6 to 40 characters, where a misreading is most
/// likely), each with one byte set to a pseudo-random value, are rejected
/// or read as UTF-8, never as GB18030. (The rule before issue 19 read
/// some of them as GB18030.)
#[test]
fn one_corrupted_byte_of_utf8_is_never_gb18030() {
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut misread = Vec::new();
    for _ in 0..3000 {
        let doc = next() as usize;
        let len = 6 + next() as usize % 35;
        let text = text_of(doc, next() as usize, len);
        let mut bad = text.into_bytes();
        let i = next() as usize % bad.len();
        bad[i] = next() as u8;
        let whole = decode(&bad).ok().map(|(_, e)| e);
        for enc in [whole, streamed(&bad)].into_iter().flatten() {
            if !enc.is_utf8() {
                misread.push((String::from_utf8_lossy(&bad).into_owned(), enc.name()));
            }
        }
    }
    assert!(
        misread.is_empty(),
        "{} misread: {:?}",
        misread.len(),
        &misread[..misread.len().min(5)]
    );
}

/// Found by the `encoding` fuzz target: `清淤` in UTF-8 with its first byte
/// set to 0x86 read as GB18030 `喐呮筏` (three invalid bytes, three valid
/// ones).
#[test]
fn fuzz_utf8_lead_byte_damage_is_not_gb18030() {
    let mut b = "清淤".as_bytes().to_vec();
    b[0] = 0x86;
    assert!(decode(&b).is_err());
    assert_eq!(streamed(&b), None);
}

/// GBK pages of the corpus are still read as GB18030 (the evidence check
/// does not reject real GBK text).
#[test]
fn gbk_pages_are_still_gb18030() {
    for doc in CORPUS {
        for len in [8usize, 40, 400, 4000] {
            let text: String = doc.chars().take(len).collect();
            if !text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)) {
                continue;
            }
            let (bytes, _, _) = encoding_rs::GBK.encode(&text);
            if std::str::from_utf8(&bytes).is_ok() {
                continue;
            }
            let (got, enc) = decode(&bytes).unwrap_or_else(|e| panic!("{len}: {e}"));
            assert_eq!((got.as_str(), enc), (text.as_str(), TextEncoding::Gb18030));
            assert_eq!(streamed(&bytes), Some(TextEncoding::Gb18030), "{len}");
        }
    }
}

/// Found by the `encoding` fuzz target (input `7FdV+AIA//4AAAAwPwN7Ww==`):
/// `办好群` in UTF-8 with 2 of its 9 bytes damaged (the lead bytes of `办`
/// and `好`, set to 0x03 and 0xFE) read as GB18030 `\x03姙<private use>界兢`
/// (five invalid bytes, three valid). The reading has two common Han chars
/// of three and a private-use char: not evidence of GB18030.
#[test]
fn fuzz_two_damaged_bytes_of_a_short_utf8_text_are_not_gb18030() {
    let mut b = "办好群".as_bytes().to_vec();
    b[0] = 0x03;
    b[3] = 0xFE;
    assert!(
        matches!(decode(&b), Err(DecodeError::InvalidUtf8 { offset: 1 })),
        "{:?}",
        decode(&b).map(|(_, e)| e.name())
    );
    assert_eq!(streamed(&b), None);
}

/// Short texts with a large share of damaged bytes, deterministic: 3,000
/// windows of 2 to 12 characters with up to a quarter of their bytes
/// changed, inserted or deleted are never read as GB18030 (the rule before
/// this test read 3 of them as GB18030).
#[test]
fn heavily_damaged_short_utf8_is_never_gb18030() {
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut misread = Vec::new();
    for _ in 0..3000 {
        let doc = next() as usize;
        let len = 2 + next() as usize % 11;
        let text = text_of(doc, next() as usize, len);
        let mut bad = text.into_bytes();
        let ops = 1 + next() as usize % (bad.len() / 4).max(1);
        for _ in 0..ops {
            if bad.is_empty() {
                break;
            }
            let at = next() as usize % bad.len();
            match next() % 3 {
                0 => bad[at] = next() as u8,
                1 => bad.insert(at, next() as u8),
                _ => {
                    bad.remove(at);
                }
            }
        }
        let whole = decode(&bad).ok().map(|(_, e)| e);
        for enc in [whole, streamed(&bad)].into_iter().flatten() {
            if enc == TextEncoding::Gb18030 {
                misread.push(String::from_utf8_lossy(&bad).into_owned());
            }
        }
    }
    assert!(
        misread.is_empty(),
        "{} misread: {:?}",
        misread.len(),
        &misread[..misread.len().min(5)]
    );
}

/// Found by the `encoding` fuzz target (input
/// `AAAODg4ODg4ODg4ODgEAT1wODg4Ojw4sAA4ODg4ODg4ODg4ODg4ODg4ODg4sAAAA`): 15
/// chars of UTF-8 (`党建引领破题，以居民素质提升工`) with 11 of their 45
/// bytes damaged read as GB18030 `厷寤哄\棰鐮棰锛尰ュ辨扮磋存彁鍗囧伐`: 18 Han
/// chars, 5 of them common, which passed the quarter share allowed to long
/// (traditional) text. Its chars are rare ones (mean log10 unigram
/// probability -6.4; traditional text scores about -4.5).
#[test]
fn fuzz_quarter_damaged_utf8_with_rare_chars_is_not_gb18030() {
    let b: Vec<u8> = [
        0x85, 0x9a, 0xe5, 0xbb, 0xba, 0xe5, 0x5c, 0xe9, 0xa2, 0xe7, 0xa0, 0xe9, 0xa2, 0xef, 0xbc,
        0x8c, 0xbb, 0xa5, 0xe5, 0xb1, 0xe6, 0xb0, 0xe7, 0xb4, 0xe8, 0xb4, 0xe6, 0x8f, 0x90, 0xe5,
        0x8d, 0x87, 0xe5, 0xb7, 0xa5,
    ]
    .to_vec();
    assert!(decode(&b).is_err(), "{:?}", decode(&b).map(|(t, _)| t));
    assert_eq!(streamed(&b), None);
}

/// Traditional Chinese in GBK is still detected once it has 16 Han chars:
/// the seed pages with every char that has a traditional-only form
/// converted (`dictionaries/t2s_chars.tsv`, about a third of the chars).
#[test]
fn traditional_gbk_pages_are_still_gb18030() {
    let t2s = include_str!("../dictionaries/t2s_chars.tsv");
    let mut s2t = std::collections::HashMap::new();
    for l in t2s.lines().filter(|l| !l.starts_with('#')) {
        let mut f = l.split('\t');
        let (Some(t), Some(s)) = (f.next(), f.next()) else {
            continue;
        };
        if let Some(first) = s.split(' ').next() {
            s2t.entry(first.to_string())
                .or_insert_with(|| t.to_string());
        }
    }
    for doc in CORPUS {
        let trad: String = doc
            .chars()
            .map(|c| {
                s2t.get(&c.to_string())
                    .cloned()
                    .unwrap_or_else(|| c.to_string())
            })
            .collect();
        for len in [60usize, 400, 4000] {
            let text: String = trad.chars().take(len).collect();
            let (bytes, _, bad) = encoding_rs::GBK.encode(&text);
            if bad || std::str::from_utf8(&bytes).is_ok() {
                continue;
            }
            let (got, enc) = decode(&bytes).unwrap_or_else(|e| panic!("{len}: {e}"));
            assert_eq!((got.as_str(), enc), (text.as_str(), TextEncoding::Gb18030));
        }
    }
}
