//! SARIF 2.1.0, for code-scanning services.
//!
//! One run; `tool.driver.rules` lists every rule of the registry (id = code,
//! name, short description = summary, help = the rule's documentation,
//! default level from its tier). Each result has `ruleId` (and `ruleIndex`
//! when the rule is registered), a `level` (`warning` for safe and review,
//! `note` for suggest), the message, and one physical location whose region
//! gives `startLine`/`startColumn`/`endLine`/`endColumn` in Unicode code
//! points (`run.columnKind = "unicodeCodePoints"`) plus `charOffset` /
//! `charLength`. A fix whose edits lie inside the finding's span is given as
//! a SARIF `fixes` entry. `properties` carry the tier, whether the fix was
//! applied and the evidence score. Documents that failed are listed as
//! error notifications of the run's invocation (`executionSuccessful` is
//! then false).
//!
//! The results are written as they come, into a [`Spool`] (memory up to a
//! limit, then a temporary file), and copied into the log at the end: the
//! invocation, which comes before them, is known only then. Memory does not
//! grow with the results. A document reported through a fork wrote its
//! results into a spool of its own: a small one is copied into the run's
//! spool, a large one ([`KEEP_SPOOL_BYTES`]) is kept as the next part of the
//! results and the documents after it are appended to it, so that the
//! results wait on disk once, not twice.

use super::{end_position, DocReport, Reporter, Summary};
use crate::edit::Applicability;
use crate::finding::Finding;
use crate::io::Spool;
use crate::rules;
use serde_json::{json, Value};
use std::io::{self, Write};

/// The SARIF schema URI written in `$schema`.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Spools results and writes one SARIF log at the end.
#[derive(Debug)]
pub struct Sarif {
    /// Each result as it appears in the log, after `,\n`, in parts (the
    /// log's results are the parts one after the other; never empty, the
    /// last part is the one written to).
    results: Vec<Spool>,
    notifications: Vec<Value>,
    /// A forked document's spool at least this large is kept as a part
    /// ([`KEEP_SPOOL_BYTES`]; lower in tests).
    keep_bytes: u64,
}

impl Default for Sarif {
    fn default() -> Self {
        Sarif {
            results: vec![Spool::new()],
            notifications: Vec::new(),
            keep_bytes: KEEP_SPOOL_BYTES,
        }
    }
}

/// A document's spool at least this large (in a temporary file) is kept as
/// a part of the run's results instead of being copied into them: copying
/// would need its size again in temporary space, while it is copied. Parts
/// are few (one per such document, and at most `MAX_KEPT_PARTS`): each
/// holds a file open.
pub const KEEP_SPOOL_BYTES: u64 = 64 << 20;
/// At most this many parts are kept; past it, documents are copied.
const MAX_KEPT_PARTS: usize = 256;

/// A fork of [`Sarif`] for one document: writes its results, as they
/// appear in the log, to the spool it is given.
#[derive(Debug, Default)]
struct SarifResults;

/// The indentation of a result in the log (`runs[0].results[i]`).
const RESULT_INDENT: &str = "        ";
/// How the log's empty results array is written before it is filled.
const EMPTY_RESULTS: &str = "\"results\": []";

/// Write `,\n` and the results of `doc`'s findings, pretty-printed and
/// indented as in the log.
fn write_results(out: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()> {
    for f in doc.findings {
        let text = serde_json::to_string_pretty(&result(doc.path, f))?;
        out.write_all(b",")?;
        for line in text.split('\n') {
            out.write_all(b"\n")?;
            out.write_all(RESULT_INDENT.as_bytes())?;
            out.write_all(line.as_bytes())?;
        }
    }
    Ok(())
}

fn level(tier: Applicability) -> &'static str {
    match tier {
        Applicability::Safe | Applicability::Review => "warning",
        Applicability::Suggest => "note",
    }
}

/// A relative URI reference for a path: `/` separators, and bytes outside
/// the unreserved set percent-encoded.
pub fn path_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut s = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s
}

fn result(path: &str, f: &Finding) -> Value {
    let meta_index = rules::all_rules().iter().position(|m| m.code == f.rule);
    let mut region = json!({});
    if let Some(l) = f.location {
        let (end_line, end_col) = end_position(l.line, l.column, &f.original);
        region = json!({
            "startLine": l.line,
            "startColumn": l.column,
            "endLine": end_line,
            "endColumn": end_col,
            "charOffset": l.char_start,
            "charLength": l.char_end - l.char_start,
        });
    }
    let uri = path_uri(path);
    let mut r = json!({
        "ruleId": f.rule,
        "level": level(f.tier()),
        "message": { "text": f.message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri },
                "region": region,
            }
        }],
        "properties": {
            "tier": f.tier(),
            "applied": f.applied,
            "score": f.evidence.score,
        },
    });
    if let Some(i) = meta_index {
        r["ruleIndex"] = json!(i);
    }
    if let Some(fix) = sarif_fix(&uri, f) {
        r["fixes"] = json!([fix]);
    }
    r
}

fn sarif_fix(uri: &str, f: &Finding) -> Option<Value> {
    let fix = f.fix.as_ref()?;
    let loc = f.location?;
    let mut replacements = Vec::new();
    for e in &fix.edits {
        if e.span.start < f.span.start || e.span.end > f.span.end {
            return None;
        }
        let before = f.original.get(..e.span.start - f.span.start)?;
        let inside = f
            .original
            .get(e.span.start - f.span.start..e.span.end - f.span.start)?;
        replacements.push(json!({
            "deletedRegion": {
                "charOffset": loc.char_start + before.chars().count(),
                "charLength": inside.chars().count(),
            },
            "insertedContent": { "text": e.replacement },
        }));
    }
    Some(json!({
        "description": { "text": format!("{} fix", fix.applicability) },
        "artifactChanges": [{
            "artifactLocation": { "uri": uri },
            "replacements": replacements,
        }],
    }))
}

/// The `tool.driver` object: name, version and every registered rule.
pub fn driver() -> Value {
    let rules: Vec<Value> = rules::all_rules()
        .iter()
        .map(|m| {
            json!({
                "id": m.code,
                "name": m.name,
                "shortDescription": { "text": m.summary },
                "fullDescription": { "text": m.summary },
                "help": { "text": m.doc, "markdown": m.doc },
                "defaultConfiguration": { "level": level(m.default_tier) },
                "properties": { "tier": m.default_tier },
            })
        })
        .collect();
    json!({
        "name": "zhclean",
        "version": env!("CARGO_PKG_VERSION"),
        "informationUri": "https://crates.io/crates/zhclean",
        "rules": rules,
    })
}

impl Sarif {
    /// The part of the results written to.
    fn last_part(&mut self) -> &mut Spool {
        if self.results.is_empty() {
            self.results.push(Spool::new());
        }
        let last = self.results.len() - 1;
        &mut self.results[last]
    }

    /// The SARIF log without its results (an empty `results` array).
    fn log_without_results(&self) -> Value {
        json!({
            "$schema": SCHEMA,
            "version": "2.1.0",
            "runs": [{
                "tool": { "driver": driver() },
                "invocations": [{
                    "executionSuccessful": self.notifications.is_empty(),
                    "toolExecutionNotifications": self.notifications,
                }],
                "columnKind": "unicodeCodePoints",
                "results": [],
            }],
        })
    }
}

impl Reporter for SarifResults {
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()> {
        write_results(out, doc)
    }

    fn finish(&mut self, _: &mut dyn Write, _: &Summary) -> io::Result<()> {
        Ok(())
    }

    fn fork(&self) -> Option<Box<dyn Reporter>> {
        Some(Box::new(SarifResults))
    }
}

impl Reporter for Sarif {
    fn document(&mut self, _: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()> {
        write_results(self.last_part(), doc)
    }

    fn fork(&self) -> Option<Box<dyn Reporter>> {
        Some(Box::new(SarifResults))
    }

    fn join(&mut self, _: &mut dyn Write, _: Box<dyn Reporter>, written: Spool) -> io::Result<()> {
        if written.spilled()
            && written.len() >= self.keep_bytes
            && self.results.len() < MAX_KEPT_PARTS
        {
            // appended to from here on: the run's part before it stays as
            // it is
            self.results.push(written);
            return Ok(());
        }
        written.copy_to(self.last_part()).map(drop)
    }

    fn error(&mut self, _: &mut dyn Write, path: &str, message: &str) -> io::Result<()> {
        self.notifications.push(json!({
            "level": "error",
            "message": { "text": message },
            "locations": [{
                "physicalLocation": { "artifactLocation": { "uri": path_uri(path) } }
            }],
        }));
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        let log = serde_json::to_string_pretty(&self.log_without_results())?;
        // (keys and strings are escaped: only the key itself matches)
        let at = log
            .find(EMPTY_RESULTS)
            .ok_or_else(|| io::Error::other("SARIF log without results"))?;
        let (head, tail) = (&log[..at], &log[at + EMPTY_RESULTS.len()..]);
        out.write_all(head.as_bytes())?;
        out.write_all(b"\"results\": ")?;
        let results = std::mem::take(&mut self.results);
        if results.iter().all(Spool::is_empty) {
            out.write_all(b"[]")?;
        } else {
            out.write_all(b"[")?;
            let mut first = true;
            for part in results.into_iter().filter(|p| !p.is_empty()) {
                let mut r = part.into_reader()?;
                if first {
                    // the first result's leading `,`
                    io::Read::read_exact(&mut r, &mut [0u8])?;
                    first = false;
                }
                io::copy(&mut r, out)?;
            }
            out.write_all(b"\n")?;
            out.write_all(&RESULT_INDENT.as_bytes()[2..])?;
            out.write_all(b"]")?;
        }
        out.write_all(tail.as_bytes())?;
        out.write_all(b"\n")?;
        out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::collections::BTreeMap;

    #[test]
    fn uri_escaping() {
        assert_eq!(path_uri("dir/a b.txt"), "dir/a%20b.txt");
        assert_eq!(path_uri("报纸.txt"), "%E6%8A%A5%E7%BA%B8.txt");
    }

    fn doc<'a>(findings: &'a [Finding], lines: &'a BTreeMap<usize, String>) -> DocReport<'a> {
        DocReport {
            path: "a.txt",
            findings,
            lines,
        }
    }

    fn finished(s: &mut Sarif) -> String {
        let mut out = Vec::new();
        s.finish(&mut out, &Summary::default()).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn result_shape() {
        let f = super::super::testutil::comma_finding(3, 1, 1, 2);
        let mut s = Sarif::default();
        let lines = BTreeMap::new();
        s.document(&mut Vec::new(), &doc(&[f], &lines)).unwrap();
        let log: Value = serde_json::from_str(&finished(&mut s)).unwrap();
        assert_eq!(log["version"], "2.1.0");
        let r = &log["runs"][0]["results"][0];
        assert_eq!(r["ruleId"], "X001");
        let region = &r["locations"][0]["physicalLocation"]["region"];
        assert_eq!(region["startColumn"], 2);
        assert_eq!(region["endColumn"], 3);
        assert_eq!(region["charOffset"], 1);
        assert_eq!(region["charLength"], 1);
        let rep = &r["fixes"][0]["artifactChanges"][0]["replacements"][0];
        assert_eq!(rep["deletedRegion"]["charOffset"], 1);
        assert_eq!(rep["insertedContent"]["text"], "，");
    }

    /// The log written from spooled results is the log serialized whole
    /// (as it was when results were kept in memory), byte for byte: with
    /// no result, one, and thousands (past the spool's memory), given whole
    /// or through forks block by block, with an error notification.
    #[test]
    fn spooled_log_is_the_whole_log_byte_for_byte() {
        let lines = BTreeMap::new();
        for n in [0usize, 1, 3, 3000] {
            let findings: Vec<Finding> = (0..n)
                .map(|i| super::super::testutil::comma_finding(3 * i, i, 1 + i / 7, 1 + i % 7))
                .collect();
            let mut whole = Sarif::default();
            whole
                .error(&mut Vec::new(), "b.txt", "b.txt: failed")
                .unwrap();
            let mut want = whole.log_without_results();
            want["runs"][0]["results"] =
                Value::Array(findings.iter().map(|f| result("a.txt", f)).collect());
            let want = serde_json::to_string_pretty(&want).unwrap() + "\n";

            whole
                .document(&mut Vec::new(), &doc(&findings, &lines))
                .unwrap();
            assert_eq!(finished(&mut whole), want, "{n} results given whole");

            let mut forked = Sarif::default();
            forked
                .error(&mut Vec::new(), "b.txt", "b.txt: failed")
                .unwrap();
            for part in [&findings[..n / 2], &findings[n / 2..]] {
                let mut fork = forked.fork().unwrap();
                let mut spool = Spool::new();
                for block in part.chunks(2) {
                    fork.document(&mut spool, &doc(block, &lines)).unwrap();
                }
                forked.join(&mut Vec::new(), fork, spool).unwrap();
            }
            assert_eq!(finished(&mut forked), want, "{n} results through forks");

            // Documents whose spools went to temporary files, large enough
            // to be kept as parts (the threshold lowered), between documents
            // copied: the same log.
            let mut kept = Sarif {
                keep_bytes: 1,
                ..Sarif::default()
            };
            kept.error(&mut Vec::new(), "b.txt", "b.txt: failed")
                .unwrap();
            let step = (n / 5).max(1);
            let mut parts_kept = 0;
            for (i, part) in findings.chunks(step).enumerate() {
                let mut fork = kept.fork().unwrap();
                // every other document in memory (copied), the others in files
                let mut spool = Spool::with_limit(if i % 2 == 0 { 0 } else { 1 << 30 });
                for block in part.chunks(2) {
                    fork.document(&mut spool, &doc(block, &lines)).unwrap();
                }
                parts_kept += usize::from(spool.spilled());
                kept.join(&mut Vec::new(), fork, spool).unwrap();
            }
            assert_eq!(kept.results.len(), 1 + parts_kept, "{n}");
            assert_eq!(
                finished(&mut kept),
                want,
                "{n} results through forks, {parts_kept} spools kept as parts"
            );
        }
    }
}
