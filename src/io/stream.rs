//! A reader that decodes UTF-16 or GB18030 into UTF-8 as it goes, so
//! inputs in those encodings are processed with bounded memory like UTF-8.
//! A malformed sequence is an [`io::ErrorKind::InvalidData`] error whose
//! message names the encoding and the byte offset in the input.

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
        let text = "中文报纸，第二版。\r\n".repeat(5000);
        let (bytes, _, _) = encoding_rs::GB18030.encode(&text);
        let r = DecodingReader::new(&bytes[..], encoding_rs::GB18030, "GB18030", 0);
        assert_eq!(read_all(r).unwrap(), text);
    }

    #[test]
    fn malformed_offset() {
        // `中` in GB18030 is D6 D0; then a lone lead byte before ASCII.
        let bytes = b"\xD6\xD0ab\x81 cd";
        let r = DecodingReader::new(&bytes[..], encoding_rs::GB18030, "GB18030", 0);
        let e = read_all(r).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::InvalidData);
        assert_eq!(e.to_string(), "invalid GB18030 at byte 4");
        // UTF-16LE with an unpaired low surrogate at unit 1, after a BOM.
        let bytes = b"a\x00\x00\xDCb\x00";
        let r = DecodingReader::new(&bytes[..], encoding_rs::UTF_16LE, "UTF-16LE", 2);
        assert_eq!(
            read_all(r).unwrap_err().to_string(),
            "invalid UTF-16LE at byte 4"
        );
    }
}
