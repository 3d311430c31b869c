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

use super::{end_position, DocReport, Reporter, Summary};
use crate::edit::Applicability;
use crate::finding::Finding;
use crate::rules;
use serde_json::{json, Value};
use std::io::{self, Write};

/// The SARIF schema URI written in `$schema`.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// Collects results and writes one SARIF log at the end.
#[derive(Debug, Default)]
pub struct Sarif {
    results: Vec<Value>,
    notifications: Vec<Value>,
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
    /// The complete SARIF log for the results collected so far.
    pub fn log(&self) -> Value {
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
                "results": self.results,
            }],
        })
    }
}

impl Reporter for Sarif {
    fn document(&mut self, _: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()> {
        self.results
            .extend(doc.findings.iter().map(|f| result(doc.path, f)));
        Ok(())
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
        serde_json::to_writer_pretty(&mut *out, &self.log())?;
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

    #[test]
    fn result_shape() {
        let f = super::super::testutil::comma_finding(3, 1, 1, 2);
        let mut s = Sarif::default();
        let lines = BTreeMap::new();
        s.document(
            &mut Vec::new(),
            &DocReport {
                path: "a.txt",
                findings: &[f],
                lines: &lines,
            },
        )
        .unwrap();
        let log = s.log();
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
}
