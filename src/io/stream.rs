//! Readers that decode UTF-16 ([`DecodingReader`]) or GB18030
//! ([`Gb18030Reader`]) into UTF-8 as they go, so inputs in those encodings
//! are processed with bounded memory like UTF-8. A malformed sequence is an
//! [`io::ErrorKind::InvalidData`] error whose message names the encoding and
//! the byte offset in the input.

use encoding_rs::{Decoder, DecoderResult, Encoding};
use std::io::{self, Read};

const IN_BUF: usize = 16 * 1024;
const OUT_BUF: usize = 64 * 1024;

/// Decodes `inner` (bytes in `encoding`, BOM already removed) into UTF-8.
pub struct DecodingReader<R> {
    inner: R,
    decoder: Decoder,
    name: &'static str,
    input: Vec<u8>,
    in_start: usize,
    in_end: usize,
    output: Vec<u8>,
    out_start: usize,
    out_end: usize,
    /// Input bytes handed to the decoder so far, plus the BOM length.
    consumed: u64,
    eof: bool,
    done: bool,
}

impl<R: Read> DecodingReader<R> {
    /// A decoding reader; `name` is used in errors, `base` (the BOM length)
    /// is added to error offsets.
    pub fn new(inner: R, encoding: &'static Encoding, name: &'static str, base: u64) -> Self {
        DecodingReader {
            inner,
            decoder: encoding.new_decoder_without_bom_handling(),
            name,
            input: vec![0; IN_BUF],
            in_start: 0,
            in_end: 0,
            output: vec![0; OUT_BUF],
            out_start: 0,
            out_end: 0,
            consumed: base,
            eof: false,
            done: false,
        }
    }

    /// Decode until some output is ready or the input is finished.
    fn fill(&mut self) -> io::Result<()> {
        while self.out_start == self.out_end && !self.done {
            if self.in_start == self.in_end && !self.eof {
                let n = loop {
                    match self.inner.read(&mut self.input) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) => return Err(e),
                    }
                };
                self.in_start = 0;
                self.in_end = n;
                self.eof = n == 0;
            }
            let last = self.eof;
            let (result, read, written) = self.decoder.decode_to_utf8_without_replacement(
                &self.input[self.in_start..self.in_end],
                &mut self.output,
                last,
            );
            self.in_start += read;
            self.consumed += read as u64;
            self.out_start = 0;
            self.out_end = written;
            match result {
                DecoderResult::InputEmpty => {
                    if last {
                        self.done = true;
                    }
                }
                DecoderResult::OutputFull => {}
                DecoderResult::Malformed(bad, after) => {
                    let offset = self.consumed - after as u64 - bad as u64;
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("invalid {} at byte {offset}", self.name),
                    ));
                }
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for DecodingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.fill()?;
        let n = (self.out_end - self.out_start).min(buf.len());
        buf[..n].copy_from_slice(&self.output[self.out_start..self.out_start + n]);
        self.out_start += n;
        Ok(n)
    }
}

/// The length of the longest prefix of `bytes` made of whole GB18030
/// sequences (1, 2 or 4 bytes, told apart by the lead and second byte).
/// Bytes that cannot start a sequence count as one byte (the decoder
/// rejects them).
pub fn gb18030_complete_prefix(bytes: &[u8]) -> usize {
    let mut i = 0;
    while i < bytes.len() {
        let n = match bytes[i] {
            0x81..=0xFE => match bytes.get(i + 1) {
                None => break,
                Some(0x30..=0x39) => 4,
                Some(_) => 2,
            },
            _ => 1,
        };
        if i + n > bytes.len() {
            break;
        }
        i += n;
    }
    i
}

/// Decode whole GB18030 sequences, accepting the result only if it encodes
/// back to exactly the same bytes (the WHATWG decoder maps the lone byte
/// 0x80 to `€`, which encodes as `A2 E3`: such a reading would rewrite
/// bytes nobody asked to change). `Err(i)`: the first bad sequence starts at
/// byte `i`.
pub fn gb18030_decode_exact(seg: &[u8]) -> Result<String, usize> {
    let exact = |s: &[u8]| -> Option<String> {
        let text = encoding_rs::GB18030
            .decode_without_bom_handling_and_without_replacement(s)?
            .into_owned();
        let (back, _, unmappable) = encoding_rs::GB18030.encode(&text);
        (!unmappable && back.as_ref() == s).then_some(text)
    };
    if let Some(t) = exact(seg) {
        return Ok(t);
    }
    // Find the culprit, one sequence at a time.
    let mut i = 0;
    while i < seg.len() {
        let n = match seg[i] {
            0x81..=0xFE => match seg.get(i + 1) {
                Some(0x30..=0x39) => 4,
                _ => 2,
            },
            _ => 1,
        };
        if i + n > seg.len() || exact(&seg[i..i + n]).is_none() {
            return Err(i);
        }
        i += n;
    }
    Err(seg.len())
}

/// Decodes GB18030 into UTF-8, checking that every piece round-trips.
pub struct Gb18030Reader<R> {
    inner: R,
    pending: Vec<u8>,
    /// Input offset of `pending[0]`.
    offset: u64,
    output: Vec<u8>,
    out_pos: usize,
    eof: bool,
}

impl<R: Read> Gb18030Reader<R> {
    /// A GB18030 reader over `inner` (no BOM).
    pub fn new(inner: R) -> Self {
        Gb18030Reader {
            inner,
            pending: Vec::with_capacity(IN_BUF + 4),
            offset: 0,
            output: Vec::new(),
            out_pos: 0,
            eof: false,
        }
    }

    fn fill(&mut self) -> io::Result<()> {
        let mut chunk = [0u8; IN_BUF];
        while self.out_pos == self.output.len() && !(self.eof && self.pending.is_empty()) {
            if !self.eof {
                let n = loop {
                    match self.inner.read(&mut chunk) {
                        Ok(n) => break n,
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                        Err(e) => return Err(e),
                    }
                };
                self.eof = n == 0;
                self.pending.extend_from_slice(&chunk[..n]);
            }
            let cut = if self.eof {
                self.pending.len()
            } else {
                gb18030_complete_prefix(&self.pending)
            };
            if cut == 0 {
                continue;
            }
            match gb18030_decode_exact(&self.pending[..cut]) {
                Ok(text) => {
                    self.output = text.into_bytes();
                    self.out_pos = 0;
                    self.pending.drain(..cut);
                    self.offset += cut as u64;
                }
                Err(i) => {
                    return Err(io::Error::new(
                        io::ErrorKind::InvalidData,
                        format!("invalid GB18030 at byte {}", self.offset + i as u64),
                    ))
                }
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for Gb18030Reader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.fill()?;
        let n = (self.output.len() - self.out_pos).min(buf.len());
        buf[..n].copy_from_slice(&self.output[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read_all(r: impl Read) -> io::Result<String> {
        let mut s = String::new();
        let mut r = r;
        r.read_to_string(&mut s)?;
        Ok(s)
    }

    #[test]
    fn gb18030_stream() {
        let text = "中文报纸，第二版。\r\n𠀀€ ".repeat(5000);
        let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
        assert_eq!(read_all(Gb18030Reader::new(&bytes[..])).unwrap(), text);
    }

    #[test]
    fn malformed_offset() {
        // `中` in GB18030 is D6 D0; then a lone lead byte before ASCII.
        let e = read_all(Gb18030Reader::new(&b"\xD6\xD0ab\x81 cd"[..])).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert_eq!(e.to_string(), "invalid GB18030 at byte 4");
        // A lone 0x80 decodes to `€` but would be written back as A2 E3.
        let e = read_all(Gb18030Reader::new(&b"\xD6\xD0\x80\xD6\xD0"[..])).unwrap_err();
        assert_eq!(e.to_string(), "invalid GB18030 at byte 2");
        // A sequence cut by the end of the input.
        let e = read_all(Gb18030Reader::new(&b"\xD6\xD0\xD6"[..])).unwrap_err();
        assert_eq!(e.to_string(), "invalid GB18030 at byte 2");
        // UTF-16LE with an unpaired low surrogate at unit 1, after a BOM.
        let bytes = b"a\x00\x00\xDCb\x00";
        let r = DecodingReader::new(&bytes[..], encoding_rs::UTF_16LE, "UTF-16LE", 2);
        assert_eq!(
            read_all(r).unwrap_err().to_string(),
            "invalid UTF-16LE at byte 4"
        );
    }
}
