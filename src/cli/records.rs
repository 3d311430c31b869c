//! JSON Lines record mode: `zhclean fix --format jsonl -`.
//!
//! Each input line `{"id": any, "text": string}` gives one output line, in
//! order, flushed at once: `{"id", "text": <cleaned>, "findings": [...]}`,
//! or `{"id": <id or null>, "line": N, "error": "..."}` for a line that is
//! not a JSON object with a string `text` (the stream goes on). A record
//! without `id` is answered without `id` and with its `line` instead. Empty
//! and whitespace-only lines are skipped; `line` counts every input line; a
//! UTF-8 byte-order mark before the first record is ignored.
//!
//! `--encoding` names the encoding of the input stream (a GB18030 or
//! UTF-16 export, say): it is decoded before lines are split, a BOM must
//! agree with it, and a malformed byte ends that input with an error naming
//! the byte (exit 2), as for a file. Without it the stream is UTF-8 (JSON
//! Lines is UTF-8 by definition; no detection). Output is always UTF-8.
//!
//! Parallelism without deadlock: a reader thread feeds lines into a bounded
//! channel; the main thread takes whatever is already there (at least one
//! line, at most [`BATCH`] records or [`BATCH_BYTES`] bytes), processes that
//! batch on the thread pool (`-j`), each result serialized to bytes inside
//! the worker, and writes the results in input order. A co-process that
//! writes one line and waits for its answer gets it at once. Memory is
//! bounded by [`QUEUE`] + [`BATCH`] records in flight, whatever the stream's
//! length; the lexicon and rules are loaded once. A record whose processing
//! panics is answered with an error object and the stream goes on.
//!
//! Exit status: 0 when every record was answered, whatever the findings
//! (a filter that produced every record has succeeded: Spark's `RDD.pipe`,
//! Hadoop streaming and `set -o pipefail` fail on anything else); per-record
//! problems are the error objects in the output. 2 when an input could not
//! be read (or the output written).
use super::{EXIT_CLEAN, EXIT_ERROR};
use rayon::prelude::*;
use serde_json::{json, Value};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver};
use zhclean::engine::Engine;
use zhclean::io::decode::{open_as, Body, TextEncoding};
use zhclean::report::jsonl::finding_json;

/// Most records processed together.
pub const BATCH: usize = 64;
/// Most input bytes processed together (a batch always takes one record).
pub const BATCH_BYTES: usize = 8 << 20;
/// Most records read ahead.
pub const QUEUE: usize = 64;

enum Item {
    Line(usize, Vec<u8>),
    Failed(io::Error),
}

/// Process records from each input (`-` = stdin), decoded from `encoding`
/// if given (else UTF-8); returns the exit code.
pub fn run(
    engine: &Engine<'_>,
    paths: &[PathBuf],
    threads: Option<usize>,
    encoding: Option<TextEncoding>,
) -> anyhow::Result<u8> {
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build()?;
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut fatal = false;
    let mut bad_records = 0usize;
    for p in paths {
        let rx = spawn_reader(p.clone(), encoding);
        match stream(engine, &pool, rx, &mut out) {
            Ok(bad) => bad_records += bad,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(EXIT_CLEAN),
            Err(e) => {
                eprintln!("zhclean: error: {}: {e}", p.display());
                fatal = true;
            }
        }
    }
    if bad_records > 0 {
        eprintln!("zhclean: {bad_records} record(s) answered with an error object");
    }
    Ok(if fatal { EXIT_ERROR } else { EXIT_CLEAN })
}

/// Read non-blank lines of `path` (`-` = stdin), decoded from `encoding`
/// if given, on a detached thread (it may block on stdin; it ends with the
/// input or the process).
fn spawn_reader(path: PathBuf, encoding: Option<TextEncoding>) -> Receiver<Item> {
    let (tx, rx) = sync_channel(QUEUE);
    std::thread::spawn(move || {
        let raw: Box<dyn BufRead> = if path.as_os_str() == "-" {
            Box::new(io::stdin().lock())
        } else {
            match File::open(&path) {
                Ok(f) => Box::new(BufReader::new(f)),
                Err(e) => {
                    let _ = tx.send(Item::Failed(e));
                    return;
                }
            }
        };
        let mut reader: Box<dyn BufRead> = match encoding {
            None => raw,
            Some(enc) => match open_as(raw, Some(enc)) {
                Ok(o) => match o.body {
                    Body::Stream(s) => Box::new(BufReader::new(s)),
                    Body::Text(t) => Box::new(io::Cursor::new(t.into_bytes())),
                },
                Err(e) => {
                    let _ = tx.send(Item::Failed(io::Error::new(
                        io::ErrorKind::InvalidData,
                        e.to_string(),
                    )));
                    return;
                }
            },
        };
        let mut line_no = 0usize;
        loop {
            let mut buf = Vec::new();
            match reader.read_until(b'\n', &mut buf) {
                Ok(0) => return,
                Ok(_) => {}
                Err(e) => {
                    let _ = tx.send(Item::Failed(e));
                    return;
                }
            }
            line_no += 1;
            if line_no == 1 && buf.starts_with(b"\xEF\xBB\xBF") {
                // A UTF-8 byte-order mark before the first record.
                buf.drain(..3);
            }
            if buf.iter().all(|b| b.is_ascii_whitespace()) {
                continue;
            }
            if buf.ends_with(b"\n") {
                buf.pop();
            }
            if buf.ends_with(b"\r") {
                buf.pop();
            }
            if tx.send(Item::Line(line_no, buf)).is_err() {
                return;
            }
        }
    });
    rx
}

/// One output line (JSON, no newline) for one input line, with whether it
/// is an error and whether findings were left unapplied. A panic inside the
/// engine becomes an error object for this record only.
pub fn record_line(engine: &Engine<'_>, line: &[u8], line_no: usize) -> (Vec<u8>, bool, bool) {
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        record(engine, line, line_no)
    }));
    let (v, is_err, pending) = run.unwrap_or_else(|_| {
        (
            json!({"id": Value::Null, "line": line_no, "error": "internal error: processing this record panicked; please report it"}),
            true,
            false,
        )
    });
    let bytes = serde_json::to_vec(&v).expect("JSON values serialize");
    (bytes, is_err, pending)
}

/// One output value for one input line.
pub fn record(engine: &Engine<'_>, line: &[u8], line_no: usize) -> (Value, bool, bool) {
    let err = |id: Value, msg: String| {
        (
            json!({"id": id, "line": line_no, "error": msg}),
            true,
            false,
        )
    };
    let v: Value = match serde_json::from_slice(line) {
        Ok(v) => v,
        Err(e) => return err(Value::Null, format!("invalid JSON: {e}")),
    };
    let Value::Object(obj) = v else {
        return err(Value::Null, "expected a JSON object".into());
    };
    let Some(id) = obj.get("id").cloned() else {
        // No id to join by: answer with the line number instead (no `id`).
        let Some(text) = obj.get("text").and_then(|t| t.as_str()) else {
            return (
                json!({"line": line_no, "error": "missing string field `text`"}),
                true,
                false,
            );
        };
        let (mut v, is_err, pending) = record_text(engine, Value::Null, text);
        if let Value::Object(o) = &mut v {
            o.remove("id");
            o.insert("line".into(), json!(line_no));
        }
        return (v, is_err, pending);
    };
    let Some(text) = obj.get("text").and_then(|t| t.as_str()) else {
        return err(id, "missing string field `text`".into());
    };
    record_text(engine, id, text)
}

/// The output value for a record's `text`.
fn record_text(engine: &Engine<'_>, id: Value, text: &str) -> (Value, bool, bool) {
    let outcome = engine.process_str(text);
    let pending = outcome.findings.iter().any(|f| !f.applied);
    let findings: Vec<Value> = outcome
        .findings
        .iter()
        .map(|f| finding_json(None, f))
        .collect();
    (
        json!({"id": id, "text": outcome.text, "findings": findings}),
        false,
        pending,
    )
}

/// Stream one input; returns the number of records answered with an error
/// object.
fn stream(
    engine: &Engine<'_>,
    pool: &rayon::ThreadPool,
    rx: Receiver<Item>,
    out: &mut dyn Write,
) -> io::Result<usize> {
    let mut errors = 0;
    while let Ok(first) = rx.recv() {
        let size = |i: &Item| match i {
            Item::Line(_, l) => l.len(),
            Item::Failed(_) => 0,
        };
        let mut bytes = size(&first);
        let mut batch = vec![first];
        while batch.len() < BATCH && bytes < BATCH_BYTES {
            match rx.try_recv() {
                Ok(item) => {
                    bytes += size(&item);
                    batch.push(item);
                }
                Err(_) => break,
            }
        }
        let failed = match batch.last() {
            Some(Item::Failed(_)) => batch.pop(),
            _ => None,
        };
        let lines: Vec<(usize, Vec<u8>)> = batch
            .into_iter()
            .filter_map(|i| match i {
                Item::Line(n, l) => Some((n, l)),
                Item::Failed(_) => None,
            })
            .collect();
        let results: Vec<(Vec<u8>, bool, bool)> = pool.install(|| {
            lines
                .par_iter()
                .map(|(n, l)| record_line(engine, l, *n))
                .collect()
        });
        drop(lines);
        for (v, is_err, _pending) in results {
            errors += is_err as usize;
            out.write_all(&v)?;
            out.write_all(b"\n")?;
            out.flush()?;
        }
        if let Some(Item::Failed(e)) = failed {
            return Err(e);
        }
    }
    Ok(errors)
}
