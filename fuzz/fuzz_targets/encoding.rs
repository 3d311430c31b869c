//! Encoding detection under corruption: a slice of a real Chinese page,
//! encoded as UTF-8, GBK, UTF-16LE or UTF-16BE (with BOM), has bytes of its
//! body changed, inserted or deleted as the fuzzer chooses. Detection (whole
//! input and streamed) must reject it or read it in its own encoding, never
//! as another encoding's text (which `--write` would then rewrite). The
//! byte-order mark itself is not damaged (a BOM is trusted); bytes that are
//! valid UTF-8 are read as UTF-8 by rule. At most a quarter of the body's
//! bytes are damaged (at least one): beyond that the bytes are noise, which
//! can spell plausible GBK (README "Nothing lost").
//!
//! Input layout: byte 0 the encoding, 1 the page, 2-3 the start, 4 the
//! length in characters, then 3-byte damage operations (kind, position,
//! value).
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::io::Read;
use zhclean::io::decode::{decode, open, Body, TextEncoding};

const CORPUS: [&str; 3] = [
    include_str!("../../seeds/000_19cd2ff9b0646e08.txt"),
    include_str!("../../seeds/001_e6682c06a6012347.txt"),
    include_str!("../../seeds/002_84f8b6ad00173f0f.txt"),
];

fn family(e: TextEncoding) -> u8 {
    match e {
        TextEncoding::Utf8 | TextEncoding::Utf8Bom => 0,
        TextEncoding::Gb18030 => 1,
        TextEncoding::Utf16Le | TextEncoding::Utf16LeNoBom => 2,
        TextEncoding::Utf16Be | TextEncoding::Utf16BeNoBom => 3,
    }
}

fn streamed(bytes: &[u8]) -> Option<TextEncoding> {
    let o = open(bytes).ok()?;
    let enc = o.encoding;
    if let Body::Stream(mut s) = o.body {
        let mut v = Vec::new();
        s.read_to_end(&mut v).ok()?;
        if enc.is_utf8() && std::str::from_utf8(&v).is_err() {
            return None;
        }
    }
    Some(enc)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 5 {
        return;
    }
    let fam = data[0] % 4;
    let chars: Vec<char> = CORPUS[data[1] as usize % CORPUS.len()].chars().collect();
    let start = u16::from_le_bytes([data[2], data[3]]) as usize % chars.len();
    let len = 1 + data[4] as usize;
    let text: String = chars[start..(start + len).min(chars.len())].iter().collect();
    let (mut bytes, body) = match fam {
        0 => (text.as_bytes().to_vec(), 0),
        1 => (encoding_rs::GBK.encode(&text).0.into_owned(), 0),
        2 => {
            let mut b = vec![0xFF, 0xFE];
            b.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
            (b, 2)
        }
        _ => {
            let mut b = vec![0xFE, 0xFF];
            b.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
            (b, 2)
        }
    };
    let max_ops = ((bytes.len() - body) / 4).max(1);
    for op in data[5..].chunks_exact(3).take(max_ops) {
        let n = bytes.len() - body;
        if n == 0 {
            break;
        }
        let at = body + op[1] as usize * 7 % n;
        match op[0] % 3 {
            0 => bytes[at] = op[2],
            1 => bytes.insert(at, op[2]),
            _ => {
                bytes.remove(at);
            }
        }
    }
    // Valid UTF-8 is read as UTF-8 by rule (pure ASCII is the same text in
    // both; a few damaged GBK chars can form valid UTF-8 by chance, a known
    // limit, README "Nothing lost").
    let utf8 = std::str::from_utf8(&bytes).is_ok();
    // A BOM is trusted: damage that writes one at the start (`FE FF` over
    // the first UTF-8 bytes) is read in the BOM's encoding, a known limit.
    let bom = [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"]
        .iter()
        .any(|m| body == 0 && bytes.starts_with(m));
    let same = |enc: TextEncoding| {
        family(enc) == fam || (fam == 1 && utf8 && enc.is_utf8()) || (bom && !enc.bom().is_empty())
    };
    if let Ok((_, enc)) = decode(&bytes) {
        assert!(same(enc), "decode read family {fam} as {}", enc.name());
    }
    if let Some(enc) = streamed(&bytes) {
        assert!(same(enc), "open read family {fam} as {}", enc.name());
    }
});
