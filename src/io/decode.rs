//! Encoding detection, decoding and encoding back.
//!
//! What is recognised, in this order:
//! 1. a UTF-8 BOM (`EF BB BF`): UTF-8, the BOM kept for writing back;
//! 2. a UTF-16 BOM (`FF FE` / `FE FF`): UTF-16 LE / BE;
//! 3. a NUL byte in the first [`SNIFF_LEN`] bytes: binary, not text;
//! 4. valid UTF-8: UTF-8;
//! 5. otherwise GB18030 (a superset of GBK and GB2312), but only on
//!    positive evidence ([`gb18030_evidence`]): the input decodes as
//!    GB18030 without a single error and encodes back to the same bytes,
//!    looks like Chinese ([`looks_chinese`]), enough of its Han characters
//!    are common ones and they are frequent on average, and it is not UTF-8
//!    with a few corrupted bytes (most of its non-ASCII bytes do not form
//!    valid UTF-8);
//! 6. otherwise an error naming the byte offset of the first invalid UTF-8
//!    sequence.
//!
//! An encoding can also be forced ([`open_as`], `--encoding`): no detection
//! then, a BOM must agree with it, and UTF-16 may come without BOM.
//!
//! Offsets in findings always refer to the decoded UTF-8 text without BOM;
//! offsets in decode errors refer to the bytes of the input file.

use super::stream::{gb18030_complete_prefix, gb18030_decode_exact, DecodingReader, Gb18030Reader};
use std::borrow::Cow;
use std::io::{self, Read};

/// How many leading bytes are inspected for a BOM and NUL bytes.
pub const SNIFF_LEN: usize = 8192;

/// The encoding of an input, remembered so output can be written back in
/// the same encoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TextEncoding {
    /// UTF-8 without BOM.
    Utf8,
    /// UTF-8 with a byte-order mark.
    Utf8Bom,
    /// UTF-16 little endian, with BOM.
    Utf16Le,
    /// UTF-16 big endian, with BOM.
    Utf16Be,
    /// GB18030 (includes GBK and GB2312), no BOM.
    Gb18030,
    /// UTF-16 little endian without BOM (only when forced).
    Utf16LeNoBom,
    /// UTF-16 big endian without BOM (only when forced).
    Utf16BeNoBom,
}

impl TextEncoding {
    /// A name for notices: `UTF-8`, `UTF-8 (BOM)`, `UTF-16LE`, `UTF-16BE`, `GB18030`.
    pub fn name(&self) -> &'static str {
        match self {
            TextEncoding::Utf8 => "UTF-8",
            TextEncoding::Utf8Bom => "UTF-8 (BOM)",
            TextEncoding::Utf16Le => "UTF-16LE",
            TextEncoding::Utf16Be => "UTF-16BE",
            TextEncoding::Gb18030 => "GB18030",
            TextEncoding::Utf16LeNoBom => "UTF-16LE (no BOM)",
            TextEncoding::Utf16BeNoBom => "UTF-16BE (no BOM)",
        }
    }

    /// The byte-order mark written before the text (empty for none).
    pub fn bom(&self) -> &'static [u8] {
        match self {
            TextEncoding::Utf8Bom => b"\xEF\xBB\xBF",
            TextEncoding::Utf16Le => b"\xFF\xFE",
            TextEncoding::Utf16Be => b"\xFE\xFF",
            TextEncoding::Utf8
            | TextEncoding::Gb18030
            | TextEncoding::Utf16LeNoBom
            | TextEncoding::Utf16BeNoBom => b"",
        }
    }

    /// True for the two UTF-8 variants.
    pub fn is_utf8(&self) -> bool {
        matches!(self, TextEncoding::Utf8 | TextEncoding::Utf8Bom)
    }

    /// `text` encoded in this encoding, without BOM. Every Unicode text is
    /// encodable in all supported encodings (GB18030 covers all of Unicode).
    pub fn encode<'t>(&self, text: &'t str) -> Cow<'t, [u8]> {
        match self {
            TextEncoding::Utf8 | TextEncoding::Utf8Bom => Cow::Borrowed(text.as_bytes()),
            TextEncoding::Utf16Le | TextEncoding::Utf16LeNoBom => {
                Cow::Owned(text.encode_utf16().flat_map(|u| u.to_le_bytes()).collect())
            }
            TextEncoding::Utf16Be | TextEncoding::Utf16BeNoBom => {
                Cow::Owned(text.encode_utf16().flat_map(|u| u.to_be_bytes()).collect())
            }
            TextEncoding::Gb18030 => {
                let (bytes, _, _) = encoding_rs::GB18030.encode(text);
                bytes
            }
        }
    }
}

/// Why an input could not be decoded.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    /// Reading failed.
    #[error("{0}")]
    Io(#[from] io::Error),
    /// Not valid UTF-8 (and not recognisably GB18030).
    #[error("invalid UTF-8 at byte {offset}")]
    InvalidUtf8 {
        /// Byte offset in the input of the first invalid sequence.
        offset: u64,
    },
    /// Malformed UTF-16 (odd length or unpaired surrogate).
    #[error("invalid {encoding} at byte {offset}")]
    InvalidUtf16 {
        /// `UTF-16LE` or `UTF-16BE`.
        encoding: &'static str,
        /// Byte offset in the input.
        offset: u64,
    },
    /// A NUL byte in the first [`SNIFF_LEN`] bytes: a binary file.
    #[error("binary file (NUL byte at {offset})")]
    Binary {
        /// Byte offset of the first NUL byte.
        offset: u64,
    },
    /// A forced encoding contradicts the input's BOM.
    #[error("starts with a {bom} byte-order mark, not {forced}")]
    BomMismatch {
        /// The encoding the BOM names.
        bom: &'static str,
        /// The forced encoding.
        forced: &'static str,
    },
}

/// What the first bytes say about an input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniff {
    /// A BOM names the encoding.
    Bom(TextEncoding),
    /// A NUL byte at this offset: binary.
    Binary(u64),
    /// No BOM, no NUL: UTF-8 or GB18030, to be decided by the content.
    Plain,
}

/// Inspect the first bytes of an input (pass up to [`SNIFF_LEN`] bytes).
pub fn sniff(prefix: &[u8]) -> Sniff {
    if prefix.starts_with(b"\xEF\xBB\xBF") {
        return Sniff::Bom(TextEncoding::Utf8Bom);
    }
    if prefix.starts_with(b"\xFF\xFE") {
        return Sniff::Bom(TextEncoding::Utf16Le);
    }
    if prefix.starts_with(b"\xFE\xFF") {
        return Sniff::Bom(TextEncoding::Utf16Be);
    }
    let head = &prefix[..prefix.len().min(SNIFF_LEN)];
    match head.iter().position(|&b| b == 0) {
        Some(i) => Sniff::Binary(i as u64),
        None => Sniff::Plain,
    }
}

/// True if `text` looks like Chinese: at least two Han characters, or a
/// single one from GB2312's common hanzi (a one-character file; an accented
/// Latin letter before an ASCII one reads as a rarer GBK hanzi), and Han
/// characters make up at least half of the non-ASCII characters. Used to
/// accept a GB18030 reading of bytes that are not UTF-8 (random bytes
/// rarely decode as mostly Han).
pub fn looks_chinese(text: &str) -> bool {
    let mut non_ascii = 0usize;
    let mut han = 0usize;
    let mut first_han = None;
    for c in text.chars().filter(|c| !c.is_ascii()) {
        non_ascii += 1;
        if is_han(c) {
            han += 1;
            first_han.get_or_insert(c);
        }
    }
    let enough = han >= 2 || first_han.is_some_and(is_gb2312_hanzi);
    enough && han * 2 >= non_ascii
}

/// A hanzi of GB2312's two levels (lead byte B0–F7, trail A1–FE).
fn is_gb2312_hanzi(c: char) -> bool {
    let mut buf = [0u8; 4];
    let (bytes, _, bad) = encoding_rs::GB18030.encode(c.encode_utf8(&mut buf));
    !bad && bytes.len() == 2 && (0xB0..=0xF7).contains(&bytes[0]) && bytes[1] >= 0xA1
}

/// True if the GB18030 reading `text` of `bytes` (bytes that are not valid
/// UTF-8) is positive evidence of GB18030: it encodes back to exactly
/// `bytes`, [`looks_chinese`], holds no private-use character (the GBK
/// user-defined areas, where damaged UTF-8 often lands), has at least
/// [`MIN_COMMON_HAN`] common Han characters (GB2312 level 1, the 3,755 most
/// frequent), and the input is not mostly valid UTF-8.
///
/// The Han characters must also be frequent enough on average
/// ([`MIN_MEAN_LOG10_P`]).
///
/// The share of common characters among the Han ones must be at least 3/4
/// for a text with fewer than [`SHORT_HAN`] Han characters and at least 1/4
/// for a longer one: simplified text scores above 0.9, traditional text in
/// GBK about 0.35, and the GB18030 reading of damaged UTF-8 mostly below
/// 0.75 (its characters come from the GBK extension rows). So a short GBK
/// text must read as simplified Chinese, and traditional text needs
/// [`SHORT_HAN`] Han characters before it is detected; shorter ones are an
/// invalid-UTF-8 error (`--encoding gb18030` reads them), the safe side.
/// Measured with random damage to windows of the seed pages (1 to 40
/// chars, up to a third of their bytes damaged): the old rule (share 1/4,
/// one common char) read 0.8% of them as GB18030, this one 1 in 140,000,
/// all with a third or more of the bytes damaged; fuzzing found
/// `办好群` with 2 of its 9 bytes damaged.
///
/// "Not mostly valid UTF-8": UTF-8 text with a corrupted byte has nearly all
/// of its non-ASCII bytes in valid UTF-8 sequences, while GBK text has about
/// a third of them there by chance. When the bytes in valid UTF-8 sequences
/// are at least as many as the invalid ones, the input is taken for damaged
/// UTF-8 (one damaged lead byte makes up to three invalid bytes, so a
/// two-char text with one damaged char is still caught; found by fuzzing).
pub fn gb18030_evidence(text: &str, bytes: &[u8]) -> bool {
    if !looks_chinese(text) || utf8_share_says_utf8(bytes) || text.chars().any(is_private_use) {
        return false;
    }
    let (mut han, mut common) = (0usize, 0usize);
    let mut buf = [0u8; 4];
    for c in text.chars().filter(|&c| is_han(c)) {
        han += 1;
        let s: &str = c.encode_utf8(&mut buf);
        let (enc, _, _) = encoding_rs::GB18030.encode(s);
        if let [0xB0..=0xD7, 0xA1..=0xFE] = enc.as_ref() {
            common += 1;
        }
    }
    let share_needed = if han < SHORT_HAN { 3 } else { 1 };
    if common < MIN_COMMON_HAN || common * 4 < han * share_needed {
        return false;
    }
    if han_mean_log10_p(text).is_some_and(|lp| lp < MIN_MEAN_LOG10_P) {
        return false;
    }
    let (back, _, unmappable) = encoding_rs::GB18030.encode(text);
    !unmappable && back.as_ref() == bytes
}

/// The fewest common Han characters a GB18030 reading must hold
/// ([`gb18030_evidence`]): below that, a damaged UTF-8 text of a few
/// characters reads as plausible GB18030 too often.
pub const MIN_COMMON_HAN: usize = 4;

/// Below this many Han characters, a GB18030 reading must be mostly common
/// characters (3/4); from it on, a quarter is enough (traditional text).
pub const SHORT_HAN: usize = 16;

/// The lowest mean log10 unigram probability of the Han characters of a
/// GB18030 reading ([`han_mean_log10_p`]). Simplified text scores about
/// -3.5 (windows of 30 chars of the seed pages: -4.3 at the lowest),
/// traditional text about -4.5 (-5.2), the GB18030 reading of damaged UTF-8
/// -6 to -8: its characters are rare ones (`棰鐮锛尰鍗`), which the long-text
/// allowance for traditional text let through (found by fuzzing).
pub const MIN_MEAN_LOG10_P: f64 = -5.75;

/// What a character the language model does not know counts for in
/// [`han_mean_log10_p`].
const UNKNOWN_LOG10_P: f64 = -9.0;

/// At most this many Han characters are scored by [`han_mean_log10_p`].
const SCORED_HAN: usize = 4096;

/// Mean log10 unigram probability, in the embedded language model, of the
/// first `SCORED_HAN` Han characters of `text` (a character the model
/// does not know counts as `UNKNOWN_LOG10_P`); None without Han
/// characters or without model data.
pub fn han_mean_log10_p(text: &str) -> Option<f64> {
    let lm = crate::correct::lm::WordLm::embedded();
    if lm.is_empty() {
        return None;
    }
    let mut buf = [0u8; 4];
    let (mut sum, mut n) = (0.0, 0usize);
    for c in text.chars().filter(|&c| is_han(c)).take(SCORED_HAN) {
        sum += lm
            .unigram(c.encode_utf8(&mut buf))
            .map_or(UNKNOWN_LOG10_P, |(lp, _)| lp);
        n += 1;
    }
    (n > 0).then(|| sum / n as f64)
}

/// A private-use code point (BMP area and planes 15-16).
fn is_private_use(c: char) -> bool {
    matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF)
}

/// True if the non-ASCII bytes of `bytes` are mostly valid UTF-8 (see
/// [`gb18030_evidence`]). A sequence cut at the very end counts as valid.
fn utf8_share_says_utf8(bytes: &[u8]) -> bool {
    let (mut valid, mut invalid) = (0usize, 0usize);
    let mut chunks = bytes.utf8_chunks().peekable();
    while let Some(chunk) = chunks.next() {
        valid += chunk.valid().bytes().filter(|b| !b.is_ascii()).count();
        let bad = chunk.invalid().len();
        if chunks.peek().is_none() && bad < 4 {
            // Possibly a sequence cut by the sniff window.
            continue;
        }
        invalid += bad;
    }
    valid >= invalid
}

fn is_han(c: char) -> bool {
    matches!(c as u32,
        0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x3FFFF)
}

/// Decode a whole input held in memory. Returns the text (without BOM) and
/// its encoding.
pub fn decode(bytes: &[u8]) -> Result<(String, TextEncoding), DecodeError> {
    match sniff(bytes) {
        Sniff::Bom(TextEncoding::Utf8Bom) => match std::str::from_utf8(&bytes[3..]) {
            Ok(s) => Ok((s.to_string(), TextEncoding::Utf8Bom)),
            Err(e) => Err(DecodeError::InvalidUtf8 {
                offset: 3 + e.valid_up_to() as u64,
            }),
        },
        Sniff::Bom(enc @ (TextEncoding::Utf16Le | TextEncoding::Utf16Be)) => {
            decode_utf16(&bytes[2..], enc).map(|s| (s, enc))
        }
        Sniff::Bom(_) => unreachable!("sniff only reports BOM encodings"),
        Sniff::Binary(offset) => Err(DecodeError::Binary { offset }),
        Sniff::Plain => match std::str::from_utf8(bytes) {
            Ok(s) => Ok((s.to_string(), TextEncoding::Utf8)),
            Err(e) => match decode_gb18030(bytes) {
                Some(s) => Ok((s, TextEncoding::Gb18030)),
                None => Err(DecodeError::InvalidUtf8 {
                    offset: e.valid_up_to() as u64,
                }),
            },
        },
    }
}

/// The GB18030 reading of `bytes`, if it has no error and is positive
/// evidence of GB18030 ([`gb18030_evidence`]), which includes encoding back
/// to exactly `bytes`.
///
/// The last check matters: the WHATWG GB18030 decoder maps the lone byte
/// `0x80` to `€`, which encodes back as `A2 E3`; accepting such a reading
/// would rewrite bytes the user never asked to change.
pub fn decode_gb18030(bytes: &[u8]) -> Option<String> {
    let text = encoding_rs::GB18030
        .decode_without_bom_handling_and_without_replacement(bytes)?
        .into_owned();
    gb18030_evidence(&text, bytes).then_some(text)
}

/// Decode UTF-16 code units (BOM already removed). Offsets in errors count
/// the 2-byte BOM.
fn decode_utf16(bytes: &[u8], enc: TextEncoding) -> Result<String, DecodeError> {
    let name = if enc == TextEncoding::Utf16Le {
        "UTF-16LE"
    } else {
        "UTF-16BE"
    };
    if bytes.len() % 2 == 1 {
        return Err(DecodeError::InvalidUtf16 {
            encoding: name,
            offset: 2 + bytes.len() as u64 - 1,
        });
    }
    let units = bytes.chunks_exact(2).map(|p| {
        if enc == TextEncoding::Utf16Le {
            u16::from_le_bytes([p[0], p[1]])
        } else {
            u16::from_be_bytes([p[0], p[1]])
        }
    });
    let mut out = String::with_capacity(bytes.len());
    let mut unit_pos = 0u64;
    for r in char::decode_utf16(units) {
        match r {
            Ok(c) => {
                out.push(c);
                unit_pos += c.len_utf16() as u64;
            }
            Err(_) => {
                return Err(DecodeError::InvalidUtf16 {
                    encoding: name,
                    offset: 2 + unit_pos * 2,
                })
            }
        }
    }
    Ok(out)
}

/// An opened input: its encoding and its content as a UTF-8 byte stream.
pub struct Opened<'r> {
    /// The detected encoding.
    pub encoding: TextEncoding,
    /// The content.
    pub body: Body<'r>,
}

/// The content of an [`Opened`] input.
pub enum Body<'r> {
    /// UTF-8 bytes (BOM removed), read and, for UTF-16 and GB18030, decoded
    /// as they are consumed. For UTF-8 input, invalid UTF-8 later in the
    /// stream surfaces as an engine error with an offset relative to the
    /// start of this stream (add the BOM length for a file offset); for
    /// decoded input, a malformed sequence is an
    /// [`io::ErrorKind::InvalidData`] read error whose message names the
    /// encoding and the file offset.
    Stream(Box<dyn Read + 'r>),
    /// Decoded text held in memory.
    Text(String),
}

/// Open an input for processing.
///
/// Detection looks at the first [`SNIFF_LEN`] bytes: a BOM; a NUL byte
/// (binary); valid UTF-8 (an incomplete sequence cut at the end is fine);
/// otherwise a clean GB18030 reading that [`looks_chinese`]. Everything is
/// streamed, so memory stays bounded (the engine holds a line plus its
/// look-back window) whatever the encoding. A GB18030 file whose first
/// 8 KiB are pure ASCII is taken for UTF-8 and fails at its first non-UTF-8
/// byte; decode such a file whole with [`decode`] instead.
pub fn open<'r, R: Read + 'r>(reader: R) -> Result<Opened<'r>, DecodeError> {
    open_as(reader, None)
}

/// Open an input, detecting its encoding ([`open`]) or, with `forced`, in
/// that encoding: no detection then (no binary check for UTF-16, no
/// GB18030 fallback for UTF-8), a BOM must agree with it, and UTF-16 without
/// BOM is read as [`TextEncoding::Utf16LeNoBom`] / [`TextEncoding::Utf16BeNoBom`]
/// (written back without BOM).
pub fn open_as<'r, R: Read + 'r>(
    mut reader: R,
    forced: Option<TextEncoding>,
) -> Result<Opened<'r>, DecodeError> {
    let mut prefix = Vec::with_capacity(SNIFF_LEN);
    (&mut reader)
        .take(SNIFF_LEN as u64)
        .read_to_end(&mut prefix)?;
    let stream = |skip: usize, prefix: Vec<u8>, reader: R| {
        let mut c = io::Cursor::new(prefix);
        c.set_position(skip as u64);
        c.chain(reader)
    };
    let decoding = |encoding: TextEncoding, skip: usize, prefix: Vec<u8>, reader: R| {
        let input = stream(skip, prefix, reader);
        let body: Box<dyn Read + 'r> =
            match encoding {
                TextEncoding::Utf16Le | TextEncoding::Utf16LeNoBom => Box::new(
                    DecodingReader::new(input, encoding_rs::UTF_16LE, "UTF-16LE", skip as u64),
                ),
                TextEncoding::Utf16Be | TextEncoding::Utf16BeNoBom => Box::new(
                    DecodingReader::new(input, encoding_rs::UTF_16BE, "UTF-16BE", skip as u64),
                ),
                _ => Box::new(Gb18030Reader::new(input)),
            };
        Opened {
            encoding,
            body: Body::Stream(body),
        }
    };
    let utf8 = |encoding: TextEncoding, skip: usize, prefix: Vec<u8>, reader: R| Opened {
        encoding,
        body: Body::Stream(Box::new(stream(skip, prefix, reader))),
    };
    if let Some(forced) = forced {
        let sniffed = sniff(&prefix);
        let bom_mismatch = |bom: TextEncoding| DecodeError::BomMismatch {
            bom: bom.name(),
            forced: forced.name(),
        };
        return match (forced, sniffed) {
            (TextEncoding::Utf8 | TextEncoding::Utf8Bom, Sniff::Bom(TextEncoding::Utf8Bom)) => {
                Ok(utf8(TextEncoding::Utf8Bom, 3, prefix, reader))
            }
            (
                TextEncoding::Utf16Le | TextEncoding::Utf16LeNoBom,
                Sniff::Bom(TextEncoding::Utf16Le),
            ) => Ok(decoding(TextEncoding::Utf16Le, 2, prefix, reader)),
            (
                TextEncoding::Utf16Be | TextEncoding::Utf16BeNoBom,
                Sniff::Bom(TextEncoding::Utf16Be),
            ) => Ok(decoding(TextEncoding::Utf16Be, 2, prefix, reader)),
            (_, Sniff::Bom(bom)) => Err(bom_mismatch(bom)),
            (TextEncoding::Utf16Le | TextEncoding::Utf16LeNoBom, _) => {
                Ok(decoding(TextEncoding::Utf16LeNoBom, 0, prefix, reader))
            }
            (TextEncoding::Utf16Be | TextEncoding::Utf16BeNoBom, _) => {
                Ok(decoding(TextEncoding::Utf16BeNoBom, 0, prefix, reader))
            }
            (_, Sniff::Binary(offset)) => Err(DecodeError::Binary { offset }),
            (TextEncoding::Gb18030, _) => Ok(decoding(TextEncoding::Gb18030, 0, prefix, reader)),
            (TextEncoding::Utf8 | TextEncoding::Utf8Bom, _) => {
                Ok(utf8(TextEncoding::Utf8, 0, prefix, reader))
            }
        };
    }
    match sniff(&prefix) {
        Sniff::Bom(TextEncoding::Utf8Bom) => Ok(Opened {
            encoding: TextEncoding::Utf8Bom,
            body: Body::Stream(Box::new(stream(3, prefix, reader))),
        }),
        Sniff::Bom(enc) => Ok(decoding(enc, 2, prefix, reader)),
        Sniff::Binary(offset) => Err(DecodeError::Binary { offset }),
        Sniff::Plain => match std::str::from_utf8(&prefix) {
            // An incomplete sequence cut by the prefix boundary is fine.
            Err(e) if e.error_len().is_some() => {
                if prefix_is_gb18030(&prefix) {
                    Ok(decoding(TextEncoding::Gb18030, 0, prefix, reader))
                } else {
                    Err(DecodeError::InvalidUtf8 {
                        offset: e.valid_up_to() as u64,
                    })
                }
            }
            _ => Ok(Opened {
                encoding: TextEncoding::Utf8,
                body: Body::Stream(Box::new(stream(0, prefix, reader))),
            }),
        },
    }
}

/// True if `prefix` (the start of an input) reads as GB18030 without error
/// and is positive evidence of it ([`gb18030_evidence`]; a sequence cut at
/// the end is fine).
fn prefix_is_gb18030(prefix: &[u8]) -> bool {
    let whole = gb18030_complete_prefix(prefix);
    let head = &prefix[..whole];
    gb18030_decode_exact(head).is_ok_and(|t| gb18030_evidence(&t, head))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ZH: &str = "中文报纸的文字识别结果，需要清理。\r\n第二行\n";

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(
            decode(ZH.as_bytes()).unwrap(),
            (ZH.into(), TextEncoding::Utf8)
        );
        let mut b = b"\xEF\xBB\xBF".to_vec();
        b.extend_from_slice(ZH.as_bytes());
        assert_eq!(decode(&b).unwrap(), (ZH.into(), TextEncoding::Utf8Bom));
    }

    #[test]
    fn utf16_roundtrip() {
        for enc in [TextEncoding::Utf16Le, TextEncoding::Utf16Be] {
            let mut b = enc.bom().to_vec();
            b.extend_from_slice(&enc.encode(ZH));
            assert_eq!(decode(&b).unwrap(), (ZH.into(), enc));
        }
        // Odd length.
        assert!(matches!(
            decode(b"\xFF\xFEa\x00b"),
            Err(DecodeError::InvalidUtf16 { offset: 4, .. })
        ));
        // Unpaired high surrogate followed by 'a'.
        assert!(matches!(
            decode(b"\xFF\xFEa\x00\x00\xD8a\x00"),
            Err(DecodeError::InvalidUtf16 { offset: 4, .. })
        ));
    }

    #[test]
    fn gb18030_detected_and_roundtrips() {
        let enc = TextEncoding::Gb18030.encode(ZH).into_owned();
        assert!(std::str::from_utf8(&enc).is_err());
        let (text, e) = decode(&enc).unwrap();
        assert_eq!((text.as_str(), e), (ZH, TextEncoding::Gb18030));
        assert_eq!(TextEncoding::Gb18030.encode(&text).as_ref(), &enc[..]);
    }

    #[test]
    fn invalid_bytes_report_offset() {
        // Latin-1 "café au lait": not UTF-8, not GB18030-looking.
        let b = b"abc caf\xE9 au lait";
        assert!(matches!(
            decode(b),
            Err(DecodeError::InvalidUtf8 { offset: 7 })
        ));
        assert!(!looks_chinese("caf\u{e9}"));
        // One common hanzi is enough; one rare GBK one is not.
        assert!(looks_chinese("中") && looks_chinese("中\n"));
        let naive = encoding_rs::GB18030.decode(b"na\xefve").0;
        assert!(!looks_chinese(&naive), "{naive}");
    }

    #[test]
    fn binary_and_empty() {
        assert!(matches!(
            decode(b"PK\x03\x04\x00\x00"),
            Err(DecodeError::Binary { offset: 4 })
        ));
        assert_eq!(decode(b"").unwrap(), (String::new(), TextEncoding::Utf8));
    }

    #[test]
    fn open_streams_utf8_and_decodes_gb18030() {
        let o = open(ZH.as_bytes()).unwrap();
        assert_eq!(o.encoding, TextEncoding::Utf8);
        let Body::Stream(mut s) = o.body else {
            panic!("expected a stream")
        };
        let mut got = String::new();
        s.read_to_string(&mut got).unwrap();
        assert_eq!(got, ZH);

        let enc = TextEncoding::Gb18030.encode(ZH).into_owned();
        let o = open(&enc[..]).unwrap();
        assert_eq!(o.encoding, TextEncoding::Gb18030);
        let Body::Stream(mut s) = o.body else {
            panic!("expected a stream")
        };
        let mut got = String::new();
        s.read_to_string(&mut got).unwrap();
        assert_eq!(got, ZH);
    }

    #[test]
    fn open_rejects_non_chinese_non_utf8() {
        assert!(matches!(
            open(&b"abc caf\xE9 au lait"[..]),
            Err(DecodeError::InvalidUtf8 { offset: 7 })
        ));
    }

    #[test]
    fn open_accepts_char_cut_by_prefix() {
        // A 3-byte char straddling the SNIFF_LEN boundary.
        let mut s = "a".repeat(SNIFF_LEN - 1);
        s.push('中');
        let o = open(s.as_bytes()).unwrap();
        assert!(matches!(o.body, Body::Stream(_)));
    }
}
