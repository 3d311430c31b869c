//! JSON Lines record mode: `zhclean fix --format jsonl -`.
//!
//! Each input line `{"id": any, "text": string}` gives one output line, in
//! order, flushed at once: `{"id", "text": <cleaned>, "findings": [...]}`,
//! or `{"id": <id or null>, "line": N, "error": "..."}` for a line that is
//! not a JSON object with a string `text` (the stream goes on). Empty lines
//! are skipped. Memory: one record at a time; the lexicon and rules are
//! loaded once for the whole stream. Records are processed one after the
//! other (a co-process can write a line and wait for its answer).
use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use serde_json::{json, Value};
use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::PathBuf;
use zhclean::engine::Engine;
use zhclean::report::jsonl::finding_json;

/// Process records from each input (`-` = stdin); returns the exit code.
pub fn run(engine: &Engine<'_>, paths: &[PathBuf]) -> anyhow::Result<u8> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    let mut errors = false;
    let mut pending = false;
    for p in paths {
        let reader: Box<dyn BufRead> = if p.as_os_str() == "-" {
            Box::new(io::stdin().lock())
        } else {
            match File::open(p) {
                Ok(f) => Box::new(BufReader::new(f)),
                Err(e) => {
                    eprintln!("zhclean: error: {}: {e}", p.display());
                    errors = true;
                    continue;
                }
            }
        };
        match stream(engine, reader, &mut out, &mut pending) {
            Ok(had_errors) => errors |= had_errors,
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => return Ok(EXIT_CLEAN),
            Err(e) => {
                eprintln!("zhclean: error: {}: {e}", p.display());
                errors = true;
            }
        }
    }
    Ok(if errors {
        EXIT_ERROR
    } else if pending {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
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
    let id = obj.get("id").cloned().unwrap_or(Value::Null);
    let Some(text) = obj.get("text").and_then(|t| t.as_str()) else {
        return err(id, "missing string field `text`".into());
    };
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

/// Stream one input; returns whether any line was an error.
fn stream(
    engine: &Engine<'_>,
    mut reader: Box<dyn BufRead>,
    out: &mut dyn Write,
    pending: &mut bool,
) -> io::Result<bool> {
    let mut buf = Vec::new();
    let mut line_no = 0usize;
    let mut errors = false;
    loop {
        buf.clear();
        if reader.read_until(b'\n', &mut buf)? == 0 {
            return Ok(errors);
        }
        line_no += 1;
        let mut line = buf.as_slice();
        line = line.strip_suffix(b"\n").unwrap_or(line);
        line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        let (v, is_err, is_pending) = record(engine, line, line_no);
        errors |= is_err;
        *pending |= is_pending;
        serde_json::to_writer(&mut *out, &v)?;
        out.write_all(b"\n")?;
        out.flush()?;
    }
}
