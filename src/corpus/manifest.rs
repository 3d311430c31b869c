//! The manifest of a corpus run: a JSON Lines file with one [`Record`] per
//! file, appended (one `write` per line) as each file is finished and
//! synced to disk by [`ManifestWriter::sync`] (a corpus run syncs once per
//! batch of documents), so an interrupted run loses at most the files in
//! flight.
//!
//! Reading tolerates a torn last line (a crash during an append): any line
//! that does not parse is counted and ignored. When a path has several
//! records (a re-run after a settings change, or a corpus-pass rewrite),
//! the last one wins.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// File name of the manifest inside an output (or input) directory. Hidden,
/// so a directory walk never takes it as an input.
pub const FILE_NAME: &str = ".zhclean-manifest.jsonl";

/// A stable 128-bit hash of bytes (xxh3), as 32 hex digits.
pub fn hash_bytes(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// Hash of a file's content, `None` if it cannot be read. Streams the
/// file (bounded memory).
pub fn hash_file(path: &Path) -> Option<String> {
    File::open(path).and_then(hash_reader).ok().map(|(h, _)| h)
}

/// Hash of everything `r` yields (the same value as [`hash_bytes`] on those
/// bytes) and its length, read in 64 KiB pieces.
pub fn hash_reader(r: impl io::Read) -> io::Result<(String, u64)> {
    let mut h = HashingReader::new(r);
    io::copy(&mut h, &mut io::sink())?;
    Ok(h.finish())
}

/// A reader that hashes what passes through it (as [`hash_bytes`] would
/// hash all of it), so an input is hashed in the same pass that processes
/// it.
pub struct HashingReader<R> {
    inner: R,
    hasher: xxhash_rust::xxh3::Xxh3,
    len: u64,
}

impl<R> HashingReader<R> {
    /// Hash what is read from `inner`.
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: xxhash_rust::xxh3::Xxh3::new(),
            len: 0,
        }
    }

    /// The hash (32 hex digits) and length of what was read so far.
    pub fn digest(&self) -> (String, u64) {
        (format!("{:032x}", self.hasher.digest128()), self.len)
    }

    /// [`HashingReader::digest`], consuming the reader.
    pub fn finish(self) -> (String, u64) {
        self.digest()
    }
}

impl<R: io::Read> io::Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.len += n as u64;
        Ok(n)
    }
}

/// Builds a settings fingerprint: a hash over everything that changes what
/// a run writes (version, effective configuration, the content of the
/// files it names, the lexicon, the rule set).
#[derive(Default)]
pub struct Fingerprint {
    hasher: xxhash_rust::xxh3::Xxh3,
}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fingerprint")
    }
}

impl Fingerprint {
    /// Start with the zhclean version.
    pub fn new() -> Fingerprint {
        let mut f = Fingerprint::default();
        f.add("version", env!("CARGO_PKG_VERSION").as_bytes());
        f
    }

    /// Add a named item (the name keeps items from running together).
    pub fn add(&mut self, name: &str, bytes: &[u8]) -> &mut Fingerprint {
        self.hasher.update(&(name.len() as u64).to_le_bytes());
        self.hasher.update(name.as_bytes());
        self.hasher.update(&(bytes.len() as u64).to_le_bytes());
        self.hasher.update(bytes);
        self
    }

    /// The fingerprint, as 32 hex digits.
    pub fn finish(&self) -> String {
        format!("{:032x}", self.hasher.digest128())
    }
}

/// What happened to a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Processed; the output differs from the input.
    Done,
    /// Processed; nothing changed.
    Unchanged,
    /// Failed (I/O, decoding, writing); retried on resume.
    Error,
    /// Not text (a NUL byte); retried on resume (cheap).
    SkippedBinary,
    /// Rewritten by the corpus pass (`X801` fixes applied); updates the
    /// output hash of the file's earlier record.
    Corpus,
}

/// Findings of one file by tier.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TierCounts {
    /// Safe-tier findings.
    pub safe: usize,
    /// Review-tier findings.
    pub review: usize,
    /// Suggest-tier findings.
    pub suggest: usize,
    /// Findings whose fix was applied.
    pub applied: usize,
}

impl TierCounts {
    /// Findings left unapplied.
    pub fn pending(&self) -> usize {
        (self.safe + self.review + self.suggest).saturating_sub(self.applied)
    }
}

/// One line of the manifest.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    /// The file's key: its path relative to the output directory (`--out`)
    /// or its path as given (`--write`).
    pub path: String,
    /// What happened.
    pub status: Status,
    /// Hash of the input bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input_hash: Option<String>,
    /// Hash of the output bytes as written (for `--write`, of the file
    /// after the run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_hash: Option<String>,
    /// Settings fingerprint of the run that wrote the record.
    pub settings: String,
    /// Input size in bytes.
    #[serde(default)]
    pub bytes: u64,
    /// Findings by tier.
    #[serde(default)]
    pub findings: TierCounts,
    /// Findings by rule code.
    #[serde(default)]
    pub rules: BTreeMap<String, usize>,
    /// The error, for [`Status::Error`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Milliseconds spent on the file (the only field that varies between
    /// identical runs).
    #[serde(default)]
    pub ms: u64,
}

impl Record {
    /// The record with its timing field zeroed, to compare runs.
    pub fn without_timing(&self) -> Record {
        Record {
            ms: 0,
            ..self.clone()
        }
    }

    /// One JSON line, with its `\n`.
    pub fn to_line(&self) -> String {
        let mut s = serde_json::to_string(self).expect("a record always serializes");
        s.push('\n');
        s
    }
}

/// A manifest read back: the last record of each path, with the output hash
/// of any later corpus-pass record folded in.
#[derive(Debug, Default)]
pub struct Manifest {
    /// Records by path.
    pub records: HashMap<String, Record>,
    /// Lines that did not parse (a torn last line after a crash).
    pub bad_lines: usize,
}

impl Manifest {
    /// Parse manifest text.
    pub fn parse(text: &str) -> Manifest {
        let mut m = Manifest::default();
        for line in text.lines() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Record>(line) {
                Ok(r) => m.add(r),
                Err(_) => m.bad_lines += 1,
            }
        }
        m
    }

    /// Read a manifest file; a missing file is an empty manifest.
    pub fn read(path: &Path) -> io::Result<Manifest> {
        match std::fs::read(path) {
            Ok(b) => Ok(Manifest::parse(&String::from_utf8_lossy(&b))),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(Manifest::default()),
            Err(e) => Err(e),
        }
    }

    fn add(&mut self, r: Record) {
        if r.status == Status::Corpus {
            if let Some(prev) = self.records.get_mut(&r.path) {
                prev.output_hash = r.output_hash;
                for (code, n) in r.rules {
                    *prev.rules.entry(code).or_default() += n;
                }
                prev.findings.review += r.findings.review;
                prev.findings.applied += r.findings.applied;
            }
            return;
        }
        self.records.insert(r.path.clone(), r);
    }

    /// The record of `path` if it lets the file be skipped: finished
    /// (done or unchanged) under the same settings, and `current_hash` (the
    /// hash of the file now) is its recorded input, or for an in-place run
    /// its recorded output.
    pub fn resumable(
        &self,
        path: &str,
        settings: &str,
        current_hash: &str,
        in_place: bool,
    ) -> Option<&Record> {
        self.records.get(path).filter(|r| {
            let seen = if in_place {
                &r.output_hash
            } else {
                &r.input_hash
            };
            matches!(r.status, Status::Done | Status::Unchanged)
                && r.settings == settings
                && seen.as_deref() == Some(current_hash)
                && r.output_hash.is_some()
        })
    }
}

/// Open a JSON Lines file for appending (`truncate`: start it anew),
/// creating it if need be. A torn last line left by a crash is ended first,
/// so the next line starts on a line of its own.
pub fn open_lines(path: &Path, truncate: bool) -> io::Result<File> {
    let torn = !truncate
        && std::fs::read(path)
            .map(|b| !b.is_empty() && !b.ends_with(b"\n"))
            .unwrap_or(false);
    let mut opts = OpenOptions::new();
    opts.create(true);
    if truncate {
        opts.write(true).truncate(true);
    } else {
        opts.append(true);
    }
    let mut file = opts.open(path)?;
    if torn {
        file.write_all(b"\n")?;
    }
    Ok(file)
}

/// Appends records to a manifest file.
#[derive(Debug)]
pub struct ManifestWriter {
    file: File,
    path: PathBuf,
}

impl ManifestWriter {
    /// Open `path` for appending (`truncate`: start a new manifest). A torn
    /// last line left by a crash is ended first, so the next record starts
    /// on a line of its own.
    pub fn open(path: &Path, truncate: bool) -> io::Result<ManifestWriter> {
        if let Some(parent) = path.parent() {
            if !parent.as_os_str().is_empty() {
                std::fs::create_dir_all(parent)?;
            }
        }
        Ok(ManifestWriter {
            file: open_lines(path, truncate)?,
            path: path.to_path_buf(),
        })
    }

    /// Append one record with a single `write` (a crash leaves at worst a
    /// torn last line, which reading ignores).
    pub fn append(&mut self, record: &Record) -> io::Result<()> {
        self.file.write_all(record.to_line().as_bytes())
    }

    /// Sync what was appended to disk.
    pub fn sync(&mut self) -> io::Result<()> {
        self.file.sync_data()
    }

    /// The manifest's path.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(path: &str, status: Status, input: &str, output: &str) -> Record {
        Record {
            path: path.into(),
            status,
            input_hash: Some(input.into()),
            output_hash: Some(output.into()),
            settings: "s1".into(),
            bytes: 10,
            findings: TierCounts::default(),
            rules: BTreeMap::new(),
            error: None,
            ms: 3,
        }
    }

    #[test]
    fn torn_last_line_is_ignored() {
        let a = rec("a.txt", Status::Done, "i1", "o1").to_line();
        let b = rec("b.txt", Status::Unchanged, "i2", "i2").to_line();
        let torn = &b[..b.len() / 2];
        let m = Manifest::parse(&format!("{a}{torn}"));
        assert_eq!(m.records.len(), 1);
        assert_eq!(m.bad_lines, 1);
        assert!(m.records.contains_key("a.txt"));
    }

    #[test]
    fn read_file_and_append_after_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(FILE_NAME);
        let a = rec("a.txt", Status::Done, "i1", "o1").to_line();
        std::fs::write(&p, format!("{a}{{\"path\":\"b.t")).unwrap();
        let mut w = ManifestWriter::open(&p, false).unwrap();
        w.append(&rec("c.txt", Status::Done, "i3", "o3")).unwrap();
        drop(w);
        let m = Manifest::read(&p).unwrap();
        assert_eq!(m.bad_lines, 1);
        let mut keys: Vec<_> = m.records.keys().cloned().collect();
        keys.sort();
        assert_eq!(keys, ["a.txt", "c.txt"]);
        // Truncating starts over.
        let w = ManifestWriter::open(&p, true).unwrap();
        drop(w);
        assert!(Manifest::read(&p).unwrap().records.is_empty());
    }

    #[test]
    fn last_record_wins_and_corpus_updates_output() {
        let mut text = rec("a.txt", Status::Done, "i1", "o1").to_line();
        text += &rec("a.txt", Status::Done, "i1", "o2").to_line();
        let mut c = rec("a.txt", Status::Corpus, "i1", "o3");
        c.rules.insert("X801".into(), 2);
        text += &c.to_line();
        let m = Manifest::parse(&text);
        let r = &m.records["a.txt"];
        assert_eq!(r.output_hash.as_deref(), Some("o3"));
        assert_eq!(r.status, Status::Done);
        assert_eq!(r.rules["X801"], 2);
    }

    #[test]
    fn resumable_needs_same_settings_and_input() {
        let mut text = rec("a.txt", Status::Done, "i1", "o1").to_line();
        text += &rec("e.txt", Status::Error, "i2", "o2").to_line();
        let m = Manifest::parse(&text);
        assert!(m.resumable("a.txt", "s1", "i1", false).is_some());
        assert!(m.resumable("a.txt", "s1", "o1", true).is_some());
        assert!(m.resumable("a.txt", "s1", "i1", true).is_none());
        assert!(m.resumable("a.txt", "s2", "i1", false).is_none());
        assert!(m.resumable("a.txt", "s1", "i9", false).is_none());
        assert!(m.resumable("e.txt", "s1", "i2", false).is_none());
        assert!(m.resumable("zz.txt", "s1", "i2", false).is_none());
    }

    #[test]
    fn hashes_and_fingerprints_are_stable() {
        assert_eq!(hash_bytes(b"abc"), hash_bytes(b"abc"));
        assert_ne!(hash_bytes(b"abc"), hash_bytes(b"abd"));
        assert_eq!(hash_bytes(b"").len(), 32);
        let big = vec![7u8; 300_000];
        assert_eq!(
            hash_reader(&big[..]).unwrap(),
            (hash_bytes(&big), big.len() as u64)
        );
        let mut a = Fingerprint::new();
        a.add("x", b"ab").add("y", b"c");
        let mut b = Fingerprint::new();
        b.add("x", b"a").add("y", b"bc");
        assert_ne!(a.finish(), b.finish());
    }
}
