//! Property tests of the I/O path: the result does not depend on how the
//! input is chunked, and every encoding round-trips.
use proptest::prelude::*;
use std::io::{BufReader, Read};
use zhclean::edit::{Applicability, Edit, Fix};
use zhclean::engine::{Engine, Options};
use zhclean::finding::{Evidence, Finding};
use zhclean::io::stream::{DecodingReader, Gb18030Reader};
use zhclean::io::{decode, open, Body, TextEncoding};
use zhclean::lexicon::Lexicon;
use zhclean::rules::{Block, Context, Rule, RuleMeta};
use zhclean::span::Span;

/// A reader that hands out the data in pieces of the given sizes (cycled).
struct Chunked {
    data: Vec<u8>,
    pos: usize,
    sizes: Vec<usize>,
    turn: usize,
}

impl Read for Chunked {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let want = self.sizes[self.turn % self.sizes.len()].max(1);
        self.turn += 1;
        let n = want.min(buf.len()).min(self.data.len() - self.pos);
        buf[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        Ok(n)
    }
}

static META: RuleMeta = RuleMeta {
    code: "T001",
    name: "test-comma",
    summary: "ASCII comma after a Han char (test rule)",
    default_tier: Applicability::Safe,
    doc: "",
};

/// Test rule: an ASCII comma right after a non-ASCII char becomes `，`.
struct Comma;
impl Rule for Comma {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }
    fn check(&self, _: &Context<'_>, b: &Block<'_>, out: &mut Vec<Finding>) {
        let body = b.body();
        for (i, _) in body.match_indices(',') {
            if body[..i].chars().next_back().is_some_and(|c| !c.is_ascii()) {
                let s = Span::new(i, i + 1);
                out.push(
                    Finding::new("T001", s, "comma", Evidence::default())
                        .with_fix(Fix::single(Applicability::Safe, Edit::replace(s, "，"))),
                );
            }
        }
    }
}

fn engine() -> Engine<'static> {
    let lex = Box::leak(Box::new(
        Lexicon::from_entries(Vec::<(String, zhclean::lexicon::Entry)>::new()).unwrap(),
    ));
    Engine::with_rules(
        lex,
        vec![Box::new(Comma)],
        Options {
            apply: Some(Applicability::Safe),
            ..Options::default()
        },
    )
}

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop::sample::select(vec![
            "甲", "乙", ",", "，", "\n", "\r\n", " ", "\t", "a", "1", "。", "\u{3000}", "𠀀",
        ]),
        0..80,
    )
    .prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn chunking_does_not_matter(
        text in text_strategy(),
        sizes in prop::collection::vec(1usize..7, 1..5),
        cap in 1usize..16,
    ) {
        let e = engine();
        let whole = e.process_str(&text);
        let reader = Chunked { data: text.clone().into_bytes(), pos: 0, sizes, turn: 0 };
        let mut cleaned = String::new();
        let mut findings = Vec::new();
        e.process_reader(BufReader::with_capacity(cap, reader), |b| {
            cleaned.push_str(&b.cleaned);
            findings.extend(b.findings);
            Ok(())
        }).unwrap();
        prop_assert_eq!(&cleaned, &whole.text);
        prop_assert_eq!(&findings, &whole.findings);
        // Bytes outside applied edits are unchanged: undoing the commas
        // gives back the input with every full-width comma kept.
        prop_assert_eq!(cleaned.matches('，').count(),
            text.matches('，').count() + findings.iter().filter(|f| f.applied).count());
    }

    #[test]
    fn open_then_stream_equals_whole(
        text in text_strategy(),
        bom in any::<bool>(),
        sizes in prop::collection::vec(1usize..9, 1..4),
    ) {
        let mut bytes = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
        bytes.extend_from_slice(text.as_bytes());
        let reader = Chunked { data: bytes, pos: 0, sizes, turn: 0 };
        let opened = open(reader).unwrap();
        prop_assert_eq!(opened.encoding,
            if bom { TextEncoding::Utf8Bom } else { TextEncoding::Utf8 });
        let mut got = String::new();
        match opened.body {
            Body::Stream(mut s) => { s.read_to_string(&mut got).unwrap(); }
            Body::Text(t) => got = t,
        }
        prop_assert_eq!(got, text);
    }

    #[test]
    fn decoding_readers_equal_whole_decode(
        text in "\\PC{0,200}",
        sizes in prop::collection::vec(1usize..9, 1..4),
        utf16 in any::<bool>(),
    ) {
        let te = if utf16 { TextEncoding::Utf16Be } else { TextEncoding::Gb18030 };
        let bytes = te.encode(&text).into_owned();
        let reader = BufReader::with_capacity(3, Chunked { data: bytes, pos: 0, sizes, turn: 0 });
        let mut got = String::new();
        if utf16 {
            DecodingReader::new(reader, encoding_rs::UTF_16BE, "UTF-16BE", 0)
                .read_to_string(&mut got)
                .unwrap();
        } else {
            Gb18030Reader::new(reader).read_to_string(&mut got).unwrap();
        }
        prop_assert_eq!(got, text);
    }

    /// Arbitrary bytes: the GB18030 reader either fails at the same offset
    /// however the input is chunked, or gives a text that encodes back to
    /// exactly the input.
    #[test]
    fn gb18030_reader_exact_and_chunk_independent(
        bytes in prop::collection::vec(prop::sample::select(vec![
            0x20u8, 0x41, 0x0A, 0x80, 0x81, 0x30, 0x39, 0xA1, 0xB0, 0xD6, 0xD0, 0xFE, 0xFF, 0x7F,
        ]), 0..40),
        sizes in prop::collection::vec(1usize..6, 1..4),
    ) {
        let mut whole = String::new();
        let a = Gb18030Reader::new(&bytes[..]).read_to_string(&mut whole).map_err(|e| e.to_string());
        let mut chunked = String::new();
        let b = Gb18030Reader::new(Chunked { data: bytes.clone(), pos: 0, sizes, turn: 0 })
            .read_to_string(&mut chunked)
            .map_err(|e| e.to_string());
        prop_assert_eq!(a.is_ok(), b.is_ok());
        match (a, b) {
            (Ok(_), Ok(_)) => {
                prop_assert_eq!(&whole, &chunked);
                let back = TextEncoding::Gb18030.encode(&whole).into_owned();
                prop_assert_eq!(back, bytes);
            }
            (Err(x), Err(y)) => prop_assert_eq!(x, y),
            _ => unreachable!(),
        }
    }

    #[test]
    fn encodings_roundtrip(text in "\\PC{0,60}") {
        for enc in [TextEncoding::Utf8Bom, TextEncoding::Utf16Le, TextEncoding::Utf16Be] {
            let mut bytes = enc.bom().to_vec();
            bytes.extend_from_slice(&enc.encode(&text));
            let (got, e) = decode(&bytes).unwrap();
            prop_assert_eq!(e, enc);
            prop_assert_eq!(&got, &text);
        }
    }
}

#[test]
fn gb18030_roundtrip_on_chinese() {
    let text = "全国人民代表大会常务委员会，今日在北京召开会议。\r\n第二段：ＡＢＣ、１２３。\n";
    let bytes = TextEncoding::Gb18030.encode(text).into_owned();
    let (got, e) = decode(&bytes).unwrap();
    assert_eq!((got.as_str(), e), (text, TextEncoding::Gb18030));
    assert_eq!(TextEncoding::Gb18030.encode(&got).as_ref(), &bytes[..]);
}
