//! JSON Lines: one JSON object per finding, one per line.
//!
//! Schema of a finding object (keys always present unless noted):
//!
//! | key | type | meaning |
//! |---|---|---|
//! | `path` | string | the document (`-` for stdin); absent in record mode |
//! | `rule` | string | rule code, e.g. `P201` |
//! | `name` | string or null | rule name from the registry |
//! | `tier` | `"safe"`, `"review"`, `"suggest"` | the fix's tier (`suggest` without a fix) |
//! | `applied` | bool | whether the fix was applied in this run |
//! | `span` | object | `byte_start`, `byte_end` (UTF-8 bytes), `char_start`, `char_end` (Unicode scalar values), half-open, in the original decoded text (no BOM) |
//! | `line`, `column` | number | 1-based; the column counts chars |
//! | `message` | string | for people |
//! | `original` | string | the original text under the span |
//! | `evidence` | object | `score` (0–1), `reason`, optional `terms` (name → number), optional `candidates` (`[{text, score}]`) |
//! | `fix` | object or null | `applicability` and `edits`: `[{span: {start, end}, replacement}]`, byte offsets in the original text |
//!
//! In record mode (`zhclean fix --format jsonl`), the input is one object per
//! line `{"id": any, "text": string}` and the output one object per input
//! line, in order: `{"id": ..., "text": <cleaned>, "findings": [finding...]}`
//! (findings without `path`, offsets relative to the record's text), or for
//! a bad line `{"id": <id or null>, "line": N, "error": "..."}`.

use super::{DocReport, Reporter, Summary};
use crate::finding::Finding;
use crate::rules;
use serde_json::{json, Value};
use std::io::{self, Write};

/// The JSON object for one finding (see the module docs for the schema).
pub fn finding_json(path: Option<&str>, f: &Finding) -> Value {
    let loc = f.location.unwrap_or(crate::span::Location {
        byte_start: f.span.start,
        byte_end: f.span.end,
        char_start: 0,
        char_end: 0,
        line: 0,
        column: 0,
    });
    let mut v = json!({
        "rule": f.rule,
        "name": rules::lookup(&f.rule).map(|m| m.name),
        "tier": f.tier(),
        "applied": f.applied,
        "span": {
            "byte_start": loc.byte_start,
            "byte_end": loc.byte_end,
            "char_start": loc.char_start,
            "char_end": loc.char_end,
        },
        "line": loc.line,
        "column": loc.column,
        "message": f.message,
        "original": f.original,
        "evidence": f.evidence,
        "fix": f.fix,
    });
    if let (Some(p), Some(obj)) = (path, v.as_object_mut()) {
        obj.insert("path".into(), Value::String(p.to_string()));
    }
    v
}

/// Writes one finding object per line (schema in the module docs).
#[derive(Debug, Default, Clone, Copy)]
pub struct JsonLines;

impl Reporter for JsonLines {
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()> {
        for f in doc.findings {
            serde_json::to_writer(&mut *out, &finding_json(Some(doc.path), f))?;
            out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        out.flush()
    }

    fn fork(&self) -> Option<Box<dyn Reporter>> {
        Some(Box::new(JsonLines))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_keys() {
        let f = super::super::testutil::comma_finding(3, 1, 1, 2);
        let v = finding_json(Some("a.txt"), &f);
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(|k| k.as_str()).collect();
        for k in [
            "path", "rule", "tier", "span", "line", "column", "message", "evidence", "fix",
        ] {
            assert!(keys.contains(&k), "{k}");
        }
        assert_eq!(v["span"]["char_end"], 2);
        assert_eq!(v["tier"], "safe");
        assert_eq!(v["fix"]["edits"][0]["replacement"], "，");
    }
}
