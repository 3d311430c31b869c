//! A [`Spool`]: bytes written now and read back once later, held in memory
//! up to a limit and in an anonymous temporary file past it. A report
//! rendered while a document is processed (on another thread, before the
//! documents ahead of it are written out), or the results of a SARIF log
//! written at the end of the run, go through one: memory stays bounded
//! whatever the number of findings.

use std::fs::File;
use std::io::{self, BufWriter, Read, Seek, Write};

/// Bytes held in memory before a spool moves to a temporary file.
pub const SPOOL_MEMORY: usize = 256 * 1024;

/// Write-then-read-once bytes: in memory up to a limit, then in an
/// anonymous temporary file (gone when the spool is dropped).
#[derive(Debug)]
pub struct Spool {
    mem: Vec<u8>,
    file: Option<BufWriter<File>>,
    limit: usize,
    len: u64,
}

impl Default for Spool {
    fn default() -> Self {
        Spool::with_limit(SPOOL_MEMORY)
    }
}

impl Spool {
    /// An empty spool holding at most [`SPOOL_MEMORY`] bytes in memory.
    pub fn new() -> Spool {
        Spool::default()
    }

    /// An empty spool holding at most `limit` bytes in memory.
    pub fn with_limit(limit: usize) -> Spool {
        Spool {
            mem: Vec::new(),
            file: None,
            limit,
            len: 0,
        }
    }

    /// Bytes written.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// Nothing written.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes moved to a temporary file.
    pub fn spilled(&self) -> bool {
        self.file.is_some()
    }

    /// Read back what was written, from the start.
    pub fn into_reader(self) -> io::Result<Box<dyn Read + Send>> {
        match self.file {
            None => Ok(Box::new(io::Cursor::new(self.mem))),
            Some(w) => {
                let mut f = w.into_inner().map_err(|e| e.into_error())?;
                f.rewind()?;
                Ok(Box::new(io::BufReader::with_capacity(64 * 1024, f)))
            }
        }
    }

    /// Copy what was written to `out`.
    pub fn copy_to(self, out: &mut dyn Write) -> io::Result<u64> {
        if self.file.is_none() {
            out.write_all(&self.mem)?;
            return Ok(self.mem.len() as u64);
        }
        io::copy(&mut self.into_reader()?, out)
    }
}

impl Write for Spool {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.file.is_none() && self.mem.len() + buf.len() > self.limit {
            let mut f = BufWriter::with_capacity(64 * 1024, tempfile::tempfile()?);
            f.write_all(&self.mem)?;
            self.mem = Vec::new();
            self.file = Some(f);
        }
        match &mut self.file {
            Some(f) => f.write_all(buf)?,
            None => self.mem.extend_from_slice(buf),
        }
        self.len += buf.len() as u64;
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        match &mut self.file {
            Some(f) => f.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_what_was_written_in_memory_and_past_the_limit() {
        for limit in [0, 5, 1 << 20] {
            let mut s = Spool::with_limit(limit);
            for i in 0..1000u32 {
                write!(s, "{i},").unwrap();
            }
            let want: String = (0..1000u32).map(|i| format!("{i},")).collect();
            assert_eq!(s.len(), want.len() as u64);
            assert_eq!(s.spilled(), limit < want.len(), "{limit}");
            let mut got = Vec::new();
            s.copy_to(&mut got).unwrap();
            assert_eq!(String::from_utf8(got).unwrap(), want);
        }
    }

    #[test]
    fn memory_is_bounded_by_the_limit() {
        let mut s = Spool::with_limit(1000);
        for _ in 0..100 {
            s.write_all(&[b'x'; 100]).unwrap();
            assert!(s.mem.capacity() <= 2000, "{}", s.mem.capacity());
        }
        assert!(s.spilled());
        let mut r = s.into_reader().unwrap();
        let mut got = Vec::new();
        r.read_to_end(&mut got).unwrap();
        assert_eq!(got.len(), 10_000);
    }
}
