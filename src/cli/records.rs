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
//! batch on the thread pool (`-j`), each answer written inside the worker
//! into a [`Spool`] (memory up to a limit, then a temporary file), and
//! writes the answers in input order. A co-process that writes one line and
//! waits for its answer gets it at once. Memory is bounded by [`QUEUE`] +
//! [`BATCH`] records in flight, whatever the stream's length; the lexicon
//! and rules are loaded once. A record costs its input line and one block
//! of the engine, whatever it holds: its text is unescaped as it streams
//! into the engine, never held decoded, and its findings are written as the
//! blocks finish. A record whose processing
//! panics is answered with an error object and the stream goes on.
//!
//! Exit status: 0 when every record was answered, whatever the findings
//! (a filter that produced every record has succeeded: Spark's `RDD.pipe`,
//! Hadoop streaming and `set -o pipefail` fail on anything else); per-record
//! problems are the error objects in the output. 2 when an input could not
//! be read (or the output written).
use super::{EXIT_CLEAN, EXIT_ERROR};
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{json, Value};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::PathBuf;
use std::sync::mpsc::{sync_channel, Receiver};
use zhclean::engine::{Engine, EngineError};
use zhclean::io::decode::{open_as, Body, TextEncoding};
use zhclean::io::Spool;
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

/// One output line (JSON, no newline) for one input line, in a spool
/// (memory up to a limit, then a temporary file), with whether it is an
/// error and whether findings were left unapplied. A panic inside the
/// engine becomes an error object for this record only.
pub fn record_line(engine: &Engine<'_>, line: Vec<u8>, line_no: usize) -> (Spool, bool, bool) {
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let mut out = Spool::new();
        match record_to(engine, &line, line_no, &mut out) {
            Ok((is_err, pending)) => Ok((out, is_err, pending)),
            Err(e) => Err(format!("cannot hold the answer: {e}")),
        }
    }));
    let msg = match run {
        Ok(Ok(done)) => return done,
        Ok(Err(msg)) => msg,
        Err(_) => "internal error: processing this record panicked; please report it".into(),
    };
    let mut out = Spool::new();
    serde_json::to_writer(
        &mut out,
        &json!({"id": Value::Null, "line": line_no, "error": msg}),
    )
    .expect("a small JSON value goes to memory");
    (out, true, false)
}

/// A record as the fast path reads it: its `id` and `text` as written in
/// the line (the text is unescaped as it streams into the engine, never
/// held decoded). Anything else (no object, no string `text`, a key given
/// twice) goes the way of [`record`].
#[derive(Deserialize)]
struct RawRecord<'a> {
    /// Present (even `null`) or not.
    #[serde(default, borrow, deserialize_with = "present")]
    id: Option<&'a RawValue>,
    #[serde(borrow)]
    text: &'a RawValue,
}

fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<&'de RawValue>, D::Error> {
    <&RawValue>::deserialize(d).map(Some)
}

/// Write the answer to one input line to `out`; returns whether it is an
/// error and whether findings were left unapplied. Memory: the line, plus
/// what the engine holds for a block; the answer goes to `out` as the
/// blocks finish (findings), or to a spool (the cleaned text, which comes
/// after the findings).
fn record_to(
    engine: &Engine<'_>,
    line: &[u8],
    line_no: usize,
    out: &mut Spool,
) -> io::Result<(bool, bool)> {
    if let Ok(rec) = serde_json::from_slice::<RawRecord<'_>>(line) {
        let raw = rec.text.get().as_bytes();
        if raw.len() >= 2 && raw[0] == b'"' {
            let id = match rec.id {
                Some(id) => Some(serde_json::from_str::<Value>(id.get())?),
                None => None,
            };
            let text = JsonStr::new(&raw[1..raw.len() - 1]);
            match record_stream(engine, id, line_no, text, out) {
                Ok(pending) => return Ok((false, pending)),
                // a `\u` escape the engine cannot take (a lone surrogate):
                // the slow path says what is wrong
                Err(e) if e.kind() == io::ErrorKind::InvalidData => *out = Spool::new(),
                Err(e) => return Err(e),
            }
        }
    }
    let (v, is_err, pending) = record(engine, line, line_no);
    serde_json::to_writer(&mut *out, &v)?;
    Ok((is_err, pending))
}

/// `{"findings":[...],"id":...,"text":"..."}` (`"line":N` instead of an
/// absent id), keys in the order a JSON object of them is written, for a
/// record whose text `text` reads; returns whether findings were left
/// unapplied.
fn record_stream(
    engine: &Engine<'_>,
    id: Option<Value>,
    line_no: usize,
    text: JsonStr<'_>,
    out: &mut Spool,
) -> io::Result<bool> {
    let mut cleaned = Spool::new();
    let mut pending = false;
    let mut first = true;
    out.write_all(b"{\"findings\":[")?;
    let done = engine.process_reader(io::BufReader::with_capacity(64 * 1024, text), |b| {
        for f in &b.findings {
            pending |= !f.applied;
            if !std::mem::take(&mut first) {
                out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *out, &finding_json(None, f))?;
        }
        let quoted = serde_json::to_vec(&b.cleaned)?;
        cleaned.write_all(&quoted[1..quoted.len() - 1])
    });
    match done {
        Ok(()) => {}
        Err(EngineError::Io(e)) => return Err(e),
        Err(EngineError::InvalidUtf8 { .. }) => {
            return Err(io::Error::new(io::ErrorKind::InvalidData, "invalid UTF-8"))
        }
    }
    out.write_all(b"],")?;
    match id {
        Some(id) => {
            out.write_all(b"\"id\":")?;
            serde_json::to_writer(&mut *out, &id)?;
        }
        None => write!(out, "\"line\":{line_no}")?,
    }
    out.write_all(b",\"text\":\"")?;
    cleaned.copy_to(out)?;
    out.write_all(b"\"}")?;
    Ok(pending)
}

/// The contents of a JSON string (between its quotes, already checked by
/// the parser), read unescaped.
struct JsonStr<'a> {
    raw: &'a [u8],
}

impl<'a> JsonStr<'a> {
    fn new(raw: &'a [u8]) -> JsonStr<'a> {
        JsonStr { raw }
    }

    fn hex4(&self, at: usize) -> io::Result<u32> {
        let bad = || io::Error::new(io::ErrorKind::InvalidData, "bad \\u escape");
        let digits = self.raw.get(at..at + 4).ok_or_else(bad)?;
        let s = std::str::from_utf8(digits).map_err(|_| bad())?;
        u32::from_str_radix(s, 16).map_err(|_| bad())
    }

    /// The char of the escape at the start of `raw` and its length.
    fn escape(&self) -> io::Result<(char, usize)> {
        let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
        let c = match self.raw.get(1) {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                let hi = self.hex4(2)?;
                if (0xD800..0xDC00).contains(&hi) {
                    if self.raw.get(6..8) != Some(b"\\u") {
                        return Err(bad("lone leading surrogate"));
                    }
                    let lo = self.hex4(8)?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return Err(bad("lone leading surrogate"));
                    }
                    let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                    return Ok((char::from_u32(c).ok_or_else(|| bad("bad escape"))?, 12));
                }
                return Ok((char::from_u32(hi).ok_or_else(|| bad("lone surrogate"))?, 6));
            }
            _ => return Err(bad("bad escape")),
        };
        Ok((c, 2))
    }
}

impl io::Read for JsonStr<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let mut n = 0;
        while !self.raw.is_empty() && buf.len() - n >= 4 {
            if self.raw[0] == b'\\' {
                let (c, len) = self.escape()?;
                n += c.encode_utf8(&mut buf[n..]).len();
                self.raw = &self.raw[len..];
            } else {
                let run = self
                    .raw
                    .iter()
                    .position(|&b| b == b'\\')
                    .unwrap_or(self.raw.len())
                    .min(buf.len() - n);
                buf[n..n + run].copy_from_slice(&self.raw[..run]);
                n += run;
                self.raw = &self.raw[run..];
            }
        }
        Ok(n)
    }
}

/// One output value for one input line: the slow path, for the lines
/// [`record_to`] does not read itself (errors, odd records); the text is
/// held decoded and every finding as a JSON value.
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
        let results: Vec<(Spool, bool, bool)> = pool.install(|| {
            lines
                .into_par_iter()
                .map(|(n, l)| record_line(engine, l, n))
                .collect()
        });
        for (v, is_err, _pending) in results {
            errors += is_err as usize;
            v.copy_to(out)?;
            out.write_all(b"\n")?;
            out.flush()?;
        }
        if let Some(Item::Failed(e)) = failed {
            return Err(e);
        }
    }
    Ok(errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;
    use zhclean::engine::Options;
    use zhclean::lexicon::Lexicon;

    fn answer(engine: &Engine<'_>, line: &str) -> String {
        let (spool, _, _) = record_line(engine, line.as_bytes().to_vec(), 7);
        let mut s = String::new();
        spool.into_reader().unwrap().read_to_string(&mut s).unwrap();
        s
    }

    /// The streamed answer (text unescaped as it is read, findings written
    /// as blocks finish) is the answer built whole as a JSON value, byte
    /// for byte, whatever the record holds.
    #[test]
    fn streamed_answers_are_the_answers_built_whole() {
        let e = Engine::new(Lexicon::embedded(), Options::default()).with_max_block_bytes(64);
        let long = "中文,内容\\n测试,".repeat(200);
        let lines = [
            r#"{"id": 1, "text": "中文,内容"}"#.to_string(),
            r#"{"text": "没有编号,只有行号"}"#.to_string(),
            r#"{"id": null, "text": "编号为空,照样回答"}"#.to_string(),
            r#"{"id": {"b": [1, 2.50], "a": "x"}, "text": "第１２３页\r\n\t“引号”\"\\\/"}"#
                .to_string(),
            r#"{"id": "e", "text": "\u4e2d\u6587,\ud83d\ude00表情,\u0041"}"#.to_string(),
            r#"{"meta": {"k": 1}, "id": 2, "text": "多余的键,不影响"}"#.to_string(),
            format!(r#"{{"id": "long", "text": "{long}"}}"#),
            r#"{"id": 3, "text": "重复的键", "text": "后一个为准,"}"#.to_string(),
            r#"{"id": 4, "text": 5}"#.to_string(),
            r#"{"id": 5, "text": "孤立的代理\ud800项"}"#.to_string(),
            r#"{"id": 6}"#.to_string(),
            r#"[1, 2]"#.to_string(),
            r#"{"id": 7, "text": "未完"#.to_string(),
            r#"{"id": 8, "text": ""}"#.to_string(),
        ];
        for line in &lines {
            let want = serde_json::to_string(&record(&e, line.as_bytes(), 7).0).unwrap();
            assert_eq!(answer(&e, line), want, "{line}");
        }
        // the long record's pieces carry findings
        assert!(answer(&e, &lines[6]).matches("\"rule\"").count() >= 400);
    }
}
