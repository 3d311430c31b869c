//! Processing one input document: open and decode, stream through the
//! engine, write the cleaned text where it goes (stdout, in place, under
//! `--out`), and collect what the reporters need.
//!
//! With a reporter to fork ([`Job::report`]), a document's findings are
//! reported block by block as the engine finishes them, into a [`Spool`],
//! and only counted: memory does not grow with the findings. Without one
//! (corpus runs, whose manifest side file keeps every document's findings
//! for resume), they are kept in [`DocResult::findings`].
use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use zhclean::corpus::manifest::{hash_file, HashingReader};
use zhclean::edit::Applicability;
use zhclean::engine::{BlockOutput, Engine, EngineError};
use zhclean::finding::Finding;
use zhclean::io::{AtomicFile, Body, DecodeError, InputPath, Spool, TextEncoding, WriteError};
use zhclean::report::{DocReport, Reporter};

/// Where the cleaned text goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dest {
    /// Nowhere (check, diff).
    Discard,
    /// Standard output (a single input).
    Stdout,
    /// Back into the input file, atomically, only if it changed.
    InPlace,
    /// Under this directory, at the input's relative path.
    OutDir(PathBuf),
}

/// What to do with each document.
pub struct Job<'e> {
    /// The engine.
    pub engine: &'e Engine<'static>,
    /// Where the cleaned text goes.
    pub dest: Dest,
    /// Keep original and cleaned text (for diffs).
    pub keep_texts: bool,
    /// Write UTF-8 whatever the input encoding.
    pub to_utf8: bool,
    /// Keep findings whose fix was applied. When false they are only
    /// counted (into [`DocResult::applied_counts`]), so memory holds only
    /// what is left to report, not every change of a large file.
    pub keep_applied: bool,
    /// `--encoding`: read inputs in this encoding (None: detect).
    pub encoding: Option<TextEncoding>,
    /// The run's reporter, forked for each document to report its findings
    /// as its blocks finish ([`Reporter::fork`]); None, or a reporter
    /// without forks: findings are kept in [`DocResult::findings`].
    pub report: Option<Box<dyn Reporter>>,
}

/// A document's report, written while it was processed: the fork of the
/// run's reporter and what it wrote, for [`Reporter::join`].
pub struct Rendered {
    /// The fork.
    pub fork: Box<dyn Reporter>,
    /// What it wrote.
    pub written: Spool,
}

impl std::fmt::Debug for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rendered")
            .field("written", &self.written.len())
            .finish_non_exhaustive()
    }
}

/// What an input file was when it was first read (hashed before
/// processing), to check right before its rewrite replaces it that nobody
/// changed it meanwhile.
#[derive(Debug, Clone)]
pub struct Snapshot {
    /// Hash of the content.
    pub hash: String,
    /// Length of the content.
    pub len: u64,
    /// Metadata of the opened file.
    pub meta: std::fs::Metadata,
}

/// The outcome of one document.
#[derive(Debug, Default)]
pub struct DocResult {
    /// Name shown to users.
    pub display: String,
    /// Findings kept (empty on error, and when reported as they came:
    /// [`DocResult::report`]).
    pub findings: Vec<Finding>,
    /// Counts of the findings not kept in `findings`: applied ones (see
    /// [`Job::keep_applied`]), or all of them when they were reported as
    /// they came.
    pub applied_counts: zhclean::report::Summary,
    /// The report written while the document was processed (see
    /// [`Job::report`]).
    pub report: Option<Rendered>,
    /// The surest tier of the findings left unapplied that are not kept in
    /// `findings`.
    pub pending: Option<Applicability>,
    /// Text of the lines that have findings.
    pub lines: BTreeMap<usize, String>,
    /// Original and cleaned text, if asked for.
    pub texts: Option<(String, String)>,
    /// The cleaned text differs from the original.
    pub changed: bool,
    /// Notices for stderr (encoding, skipped).
    pub notices: Vec<String>,
    /// An error that failed this document.
    pub error: Option<String>,
    /// Skipped (binary).
    pub skipped: bool,
    /// Standard output was closed by the reader.
    pub broken_pipe: bool,
    /// Findings by rule code, applied or not.
    pub rules: BTreeMap<String, usize>,
    /// Corpus-run bookkeeping (hashes, resume), for `--out` and `--write`.
    pub meta: Option<super::corpus::FileMeta>,
}

enum Writer {
    None,
    Stdout(io::BufWriter<io::StdoutLock<'static>>),
    File(Result<AtomicFile, WriteError>),
}

impl Writer {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Writer::None => Ok(()),
            Writer::Stdout(w) => w.write_all(bytes),
            Writer::File(Ok(f)) => f.write_all(bytes),
            // Creation failed: the error is reported if the file needed
            // writing.
            Writer::File(Err(_)) => Ok(()),
        }
    }
}

/// Process one input.
pub fn process(job: &Job<'_>, input: &InputPath) -> DocResult {
    let reader: Box<dyn Read> = match input {
        InputPath::Stdin => Box::new(io::stdin().lock()),
        InputPath::File { path, .. } => match File::open(path) {
            Ok(f) => Box::new(f),
            Err(e) => {
                return DocResult {
                    error: Some(format!("{}: {e}", input.display())),
                    display: input.display(),
                    ..DocResult::default()
                };
            }
        },
    };
    process_from(job, input, reader, None)
}

/// Process one input read from `reader` (opened once by the caller). With
/// a `snapshot`, the content read is hashed as it streams and, before the
/// output replaces the input (`--write`), compared with the snapshot and
/// with the file as it is then: a file changed meanwhile is not written.
pub fn process_from(
    job: &Job<'_>,
    input: &InputPath,
    reader: Box<dyn Read + '_>,
    snapshot: Option<&Snapshot>,
) -> DocResult {
    let mut res = DocResult {
        display: input.display(),
        ..DocResult::default()
    };
    let hashing = std::cell::RefCell::new(HashingReader::new(reader));
    let opened = match zhclean::io::open_as(Shared(&hashing), job.encoding) {
        Ok(o) => o,
        Err(DecodeError::Binary { offset }) if *input == InputPath::Stdin => {
            // A filter must not swallow its input: refuse, do not skip.
            res.error = Some(format!(
                "-: binary input (NUL byte at {offset}); for UTF-16 without BOM use --encoding utf-16le or utf-16be"
            ));
            return res;
        }
        Err(DecodeError::Binary { offset }) => {
            res.skipped = true;
            res.notices.push(format!(
                "{}: skipped: binary file (NUL byte at {offset})",
                res.display
            ));
            return res;
        }
        Err(e) => {
            res.error = Some(format!("{}: {e}", res.display));
            return res;
        }
    };
    let zhclean::io::Opened {
        encoding: enc,
        body,
    } = opened;
    if !enc.is_utf8() {
        res.notices.push(format!(
            "{}: decoded as {}{}",
            res.display,
            enc.name(),
            if job.to_utf8 || job.dest == Dest::Discard {
                ""
            } else {
                "; written back in the same encoding"
            }
        ));
    }
    let out_enc = if job.to_utf8 { TextEncoding::Utf8 } else { enc };
    let target = match (&job.dest, input) {
        // Through a symbolic link: rewrite the file it points to, keep the link.
        (Dest::InPlace, InputPath::File { path, .. }) => Some(resolve_link(path)),
        (Dest::OutDir(dir), InputPath::File { rel, .. }) => Some(dir.join(rel)),
        _ => None,
    };
    let mut writer = match (&job.dest, &target) {
        (Dest::Stdout, _) => Writer::Stdout(io::BufWriter::new(io::stdout().lock())),
        (Dest::InPlace | Dest::OutDir(_), Some(t)) => Writer::File(create_target(t)),
        _ => Writer::None,
    };

    let mut sink_error: Option<io::Error> = None;
    let mut report_error: Option<io::Error> = None;
    let mut part = job.report.as_ref().and_then(|r| r.fork());
    let mut written = Spool::new();
    let mut line_no = 1usize;
    let mut original = String::new();
    let mut cleaned = String::new();
    let keep = job.keep_texts;
    if let Err(e) = writer.write_all(out_enc.bom()) {
        sink_error = Some(e);
    }
    let mut sink = |b: BlockOutput| -> io::Result<()> {
        if sink_error.is_some() {
            return Err(io::Error::other("output failed"));
        }
        let mut findings = b.findings;
        for f in &findings {
            match res.rules.get_mut(f.rule.as_ref()) {
                Some(n) => *n += 1,
                None => {
                    res.rules.insert(f.rule.to_string(), 1);
                }
            }
        }
        if part.is_some() {
            for f in findings.iter().filter(|f| !f.applied) {
                res.pending = res.pending.max(Some(f.tier()));
            }
        }
        if !job.keep_applied {
            findings.retain(|f| {
                if f.applied {
                    res.applied_counts.add_findings(std::slice::from_ref(f));
                }
                !f.applied
            });
        }
        // Streaming, the snippets of this block's lines only.
        let mut block_lines = BTreeMap::new();
        let lines = if part.is_some() {
            &mut block_lines
        } else {
            &mut res.lines
        };
        for f in &findings {
            if let Some(loc) = f.location {
                // (one split per line, not per finding: a long line can
                // hold many findings). A line longer than the block limit
                // comes in pieces: no snippet for it (the report would
                // otherwise hold the whole line).
                let mid_line = (b.continued || b.continues) && loc.line == line_no;
                if loc.line >= line_no && !mid_line && !lines.contains_key(&loc.line) {
                    if let Some(l) = b.original.split('\n').nth(loc.line - line_no) {
                        lines.insert(loc.line, l.strip_suffix('\r').unwrap_or(l).to_string());
                    }
                }
            }
        }
        line_no += b.original.matches('\n').count();
        if b.original != b.cleaned {
            res.changed = true;
        }
        if keep {
            original.push_str(&b.original);
            cleaned.push_str(&b.cleaned);
        }
        let encoded = match writer {
            Writer::None | Writer::File(Err(_)) => Default::default(),
            _ => out_enc.encode(&b.cleaned),
        };
        if let Err(e) = writer.write_all(&encoded) {
            sink_error = Some(e);
            return Err(io::Error::other("output failed"));
        }
        match &mut part {
            Some(fork) => {
                res.applied_counts.add_findings(&findings);
                let doc = DocReport {
                    path: &res.display,
                    findings: &findings,
                    lines: &block_lines,
                };
                if let Err(e) = fork.document(&mut written, &doc) {
                    report_error = Some(e);
                    return Err(io::Error::other("report failed"));
                }
            }
            None => res.findings.extend(findings),
        }
        Ok(())
    };
    let outcome = match body {
        Body::Stream(s) => job
            .engine
            .process_reader(BufReader::with_capacity(64 * 1024, s), &mut sink),
        Body::Text(t) => job.engine.process_reader(t.as_bytes(), &mut sink),
    };
    if let Some(e) = sink_error {
        if e.kind() == io::ErrorKind::BrokenPipe {
            res.broken_pipe = true;
        }
        let what = target
            .as_ref()
            .map(|t| t.display().to_string())
            .unwrap_or_else(|| "stdout".into());
        return fail(res, format!("{what}: write failed: {e}"));
    }
    if let Some(e) = report_error {
        let msg = format!("{}: cannot spool its report: {e}", res.display);
        return fail(res, msg);
    }
    if let Err(e) = outcome {
        let msg = match e {
            EngineError::InvalidUtf8 { offset } => format!(
                "{}: invalid UTF-8 at byte {}",
                res.display,
                offset + enc.bom().len() as u64
            ),
            EngineError::Io(e) if e.kind() == io::ErrorKind::InvalidData => {
                format!("{}: {e}", res.display)
            }
            EngineError::Io(e) => format!("{}: read error: {e}", res.display),
        };
        return fail(res, msg);
    }
    if keep {
        res.texts = Some((original, cleaned));
    }
    res.report = part.map(|fork| Rendered { fork, written });
    let finished = match writer {
        Writer::None => Ok(()),
        Writer::Stdout(mut w) => w.flush().map_err(|e| {
            if e.kind() == io::ErrorKind::BrokenPipe {
                res.broken_pipe = true;
            }
            format!("stdout: write failed: {e}")
        }),
        Writer::File(f) => {
            let needed = job.dest != Dest::InPlace || res.changed || out_enc != enc;
            let read = hashing.borrow().digest();
            let check = || unchanged(job, snapshot, &read, target.as_deref());
            match (needed, f) {
                (false, _) => Ok(()),
                (true, Ok(f)) => f.commit_checked(check).map_err(|e| e.to_string()),
                (true, Err(e)) => Err(e.to_string()),
            }
        }
    };
    match finished {
        Ok(()) => res,
        Err(msg) => fail(res, msg),
    }
}

/// A reader shared with whoever asks for its hash afterwards.
struct Shared<'a, R>(&'a std::cell::RefCell<R>);

impl<R: Read> Read for Shared<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        self.0.borrow_mut().read(buf)
    }
}

/// The optimistic concurrency check, right before the rename: what was
/// processed is what was hashed first, and for `--write` the file is still
/// the same file, with the same size, modification time and content.
fn unchanged(
    job: &Job<'_>,
    snapshot: Option<&Snapshot>,
    read: &(String, u64),
    target: Option<&Path>,
) -> Result<(), WriteError> {
    let (Some(snap), Some(target)) = (snapshot, target) else {
        return Ok(());
    };
    test_barrier("ZHCLEAN_TEST_BARRIER");
    let changed = |what: &str| WriteError::Changed {
        path: target.to_path_buf(),
        what: what.to_string(),
    };
    if read.0 != snap.hash || read.1 != snap.len {
        return Err(changed("content differs between two reads"));
    }
    if job.dest != Dest::InPlace {
        return Ok(());
    }
    let now = std::fs::metadata(target).map_err(|source| WriteError::Io {
        path: target.to_path_buf(),
        source,
    })?;
    if identity(&now) != identity(&snap.meta) {
        return Err(changed("replaced by another file"));
    }
    if now.len() != snap.meta.len() {
        return Err(changed("size"));
    }
    if now.modified().ok() != snap.meta.modified().ok() {
        return Err(changed("modification time"));
    }
    if hash_file(target).as_deref() != Some(snap.hash.as_str()) {
        return Err(changed("content"));
    }
    Ok(())
}

#[cfg(unix)]
fn identity(m: &std::fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn identity(_: &std::fs::Metadata) -> Option<(u64, u64)> {
    None
}

/// Test hook for the race tests (debug builds only): with `VAR=DIR` in the
/// environment, announce `DIR/ready` and wait (up to 60 s) for `DIR/go`
/// before the last check of a rewrite, so a test can change the file at
/// exactly that point. `ZHCLEAN_TEST_BARRIER` stops the per-document pass,
/// `ZHCLEAN_TEST_CORPUS_BARRIER` the corpus pass's `X801` rewrites.
pub(crate) fn test_barrier(var: &str) {
    #[cfg(not(debug_assertions))]
    let _ = var;
    #[cfg(debug_assertions)]
    if let Some(dir) = std::env::var_os(var) {
        let dir = PathBuf::from(dir);
        let _ = std::fs::write(dir.join("ready"), b"");
        for _ in 0..6000 {
            if dir.join("go").exists() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }
}

fn fail(mut res: DocResult, msg: String) -> DocResult {
    res.error = Some(msg);
    res.applied_counts = Default::default();
    res.changed = false;
    res.findings.clear();
    res.report = None;
    res.pending = None;
    res.rules.clear();
    res.lines.clear();
    res.texts = None;
    res
}

/// The file a path names: through a symbolic link, its target.
pub fn resolve_link(path: &Path) -> PathBuf {
    let is_link = std::fs::symlink_metadata(path)
        .map(|m| m.file_type().is_symlink())
        .unwrap_or(false);
    if is_link {
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    } else {
        path.to_path_buf()
    }
}

fn create_target(target: &Path) -> Result<AtomicFile, WriteError> {
    if let Some(parent) = target.parent() {
        if !parent.as_os_str().is_empty() {
            std::fs::create_dir_all(parent).map_err(|source| WriteError::Io {
                path: target.to_path_buf(),
                source,
            })?;
        }
    }
    AtomicFile::create(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};
    use zhclean::engine::Options;
    use zhclean::lexicon::Lexicon;
    use zhclean::report::{human::Human, jsonl::JsonLines, sarif::Sarif, Summary};

    /// Records how many findings each call hands it; writes nothing.
    struct Calls(Arc<Mutex<Vec<usize>>>);

    impl Reporter for Calls {
        fn document(&mut self, _: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()> {
            self.0.lock().unwrap().push(doc.findings.len());
            Ok(())
        }
        fn finish(&mut self, _: &mut dyn Write, _: &Summary) -> io::Result<()> {
            Ok(())
        }
        fn fork(&self) -> Option<Box<dyn Reporter>> {
            Some(Box::new(Calls(self.0.clone())))
        }
    }

    fn job(engine: &'static Engine<'static>, report: Option<Box<dyn Reporter>>) -> Job<'static> {
        Job {
            engine,
            dest: Dest::Discard,
            keep_texts: false,
            to_utf8: false,
            keep_applied: true,
            encoding: None,
            report,
        }
    }

    /// The default rules, lines longer than 4 KB cut into pieces.
    fn engine() -> &'static Engine<'static> {
        Box::leak(Box::new(
            Engine::new(Lexicon::embedded(), Options::default()).with_max_block_bytes(4096),
        ))
    }

    /// 300 lines with a half-width comma each, then a line of 3,000 cut
    /// into pieces by the block limit.
    fn text() -> String {
        let mut t = "中文,内容\n".repeat(300);
        t.push_str(&"测试,".repeat(3000));
        t.push('\n');
        t
    }

    fn run(job: &Job<'_>, text: &str) -> DocResult {
        process_from(
            job,
            &InputPath::Stdin,
            Box::new(io::Cursor::new(text.to_string())),
            None,
        )
    }

    /// With a reporter to fork, findings reach it block by block and none
    /// is kept: memory does not grow with them.
    #[test]
    fn findings_are_reported_as_blocks_finish_and_not_kept() {
        let e = engine();
        let n = run(&job(e, None), &text()).findings.len();
        assert!(n >= 3300, "{n}");
        let calls = Arc::new(Mutex::new(Vec::new()));
        let res = run(&job(e, Some(Box::new(Calls(calls.clone())))), &text());
        assert!(res.error.is_none(), "{:?}", res.error);
        assert!(
            res.findings.is_empty(),
            "{} findings kept",
            res.findings.len()
        );
        assert!(res.lines.is_empty());
        assert_eq!(res.applied_counts.findings(), n);
        let calls = calls.lock().unwrap();
        // one call per block: 300 lines, then the long line's pieces
        assert!(calls.len() > 300, "{} calls", calls.len());
        assert!(calls.iter().all(|&k| k <= 4096 / 4), "{calls:?}");
        assert_eq!(calls.iter().sum::<usize>(), n);
    }

    /// What forks write block by block, joined, is what the reporter
    /// writes for the findings kept whole, byte for byte.
    #[test]
    fn streamed_reports_are_the_reports_of_kept_findings() {
        let e = engine();
        let t = text();
        let kept = run(&job(e, None), &t);
        assert!(kept.findings.len() >= 3300);
        let reporters: [fn() -> Box<dyn Reporter>; 3] = [
            || Box::new(Human::default()),
            || Box::new(JsonLines),
            || Box::new(Sarif::default()),
        ];
        for make in reporters {
            let mut want = Vec::new();
            let mut r = make();
            r.document(
                &mut want,
                &DocReport {
                    path: "-",
                    findings: &kept.findings,
                    lines: &kept.lines,
                },
            )
            .unwrap();
            r.finish(&mut want, &Summary::default()).unwrap();

            let mut r = make();
            let streamed = run(&job(e, r.fork()), &t);
            assert!(streamed.findings.is_empty());
            let rendered = streamed.report.expect("a rendered report");
            let mut got = Vec::new();
            r.join(&mut got, rendered.fork, rendered.written).unwrap();
            r.finish(&mut got, &Summary::default()).unwrap();
            assert!(want.len() > 100_000, "{}", want.len());
            assert!(got == want, "{}", String::from_utf8_lossy(&got[..2000]));
        }
    }
}
