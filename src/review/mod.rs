//! Review decisions: a crash-safe, append-only log of what a reviewer
//! decided about each finding, and replay of those decisions through the one
//! apply routine.
//!
//! A finding is identified by [`finding_id`], a hash of the document path,
//! rule code, original-text span, original text and proposed replacement,
//! so an id stays valid as long as the document and the proposal do. The log
//! is JSON Lines; the last record for an id wins, and a torn final line left
//! by a crash is ignored on reading. Rejecting everything (or deciding
//! nothing) replays to the original bytes.

use crate::apply::{apply_fixes, Applied};
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

pub mod session;

/// What a reviewer decided.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "verdict", content = "value")]
pub enum Verdict {
    /// Apply the finding's fix.
    Accept,
    /// Leave the text as it is.
    Reject,
    /// Apply ranked candidate N (0-based) of the finding's evidence.
    Pick(usize),
    /// Replace the finding's span with this text.
    Edit(String),
    /// Leave the text and add the original to the allow-list.
    Allow,
    /// Forget an earlier decision (undo).
    Undo,
}

/// One decision about one finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Decision {
    /// [`finding_id`] of the finding.
    pub id: String,
    /// Document path as given to the tool.
    pub path: String,
    /// Rule code.
    pub rule: String,
    /// Byte span in the original document.
    pub start: usize,
    /// End of the byte span.
    pub end: usize,
    /// Original text under the span.
    pub original: String,
    /// The verdict.
    #[serde(flatten)]
    pub verdict: Verdict,
}

impl Decision {
    /// The decision `verdict` about finding `f` of the document at `path`.
    pub fn new(path: &str, f: &Finding, verdict: Verdict) -> Decision {
        Decision {
            id: finding_id(path, f),
            path: path.into(),
            rule: f.rule.to_string(),
            start: f.span.start,
            end: f.span.end,
            original: f.original.clone(),
            verdict,
        }
    }
}

/// Errors reading or writing a decision log.
#[derive(Debug, thiserror::Error)]
pub enum ReviewError {
    /// I/O on the log failed.
    #[error("{path}: {source}")]
    Io {
        /// The log file.
        path: PathBuf,
        /// The cause.
        source: io::Error,
    },
    /// A complete line of the log is not a decision.
    #[error("{path}:{line}: not a decision record: {message}")]
    Malformed {
        /// The log file.
        path: PathBuf,
        /// 1-based line.
        line: usize,
        /// Parser message.
        message: String,
    },
}

/// A stable id for `finding` in the document at `path` (16 hex digits,
/// FNV-1a 64 over the identifying fields).
pub fn finding_id(path: &str, f: &Finding) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut eat = |bytes: &[u8]| {
        for &b in bytes.iter().chain(std::iter::once(&0xffu8)) {
            h ^= b as u64;
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    eat(path.as_bytes());
    eat(f.rule.as_bytes());
    eat(&f.span.start.to_le_bytes());
    eat(&f.span.end.to_le_bytes());
    eat(f.original.as_bytes());
    if let Some(fix) = &f.fix {
        for e in &fix.edits {
            eat(&e.span.start.to_le_bytes());
            eat(&e.span.end.to_le_bytes());
            eat(e.replacement.as_bytes());
        }
    }
    format!("{h:016x}")
}

/// An append-only decision log on disk.
#[derive(Debug)]
pub struct DecisionLog {
    path: PathBuf,
    file: File,
    latest: HashMap<String, Decision>,
}

impl DecisionLog {
    /// Open (or create) the log at `path` and read the decisions in it.
    pub fn open(path: &Path) -> Result<DecisionLog, ReviewError> {
        let latest = read_decisions(path)?;
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(path)
            .map_err(|source| ReviewError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        Ok(DecisionLog {
            path: path.to_path_buf(),
            file,
            latest,
        })
    }

    /// Record a decision: appended, flushed and synced before returning, so
    /// a crash right after loses nothing.
    pub fn record(&mut self, d: Decision) -> Result<(), ReviewError> {
        let mut line = serde_json::to_string(&d).expect("decisions serialize");
        line.push('\n');
        let io = |source| ReviewError::Io {
            path: self.path.clone(),
            source,
        };
        self.file.write_all(line.as_bytes()).map_err(io)?;
        self.file.sync_data().map_err(|source| ReviewError::Io {
            path: self.path.clone(),
            source,
        })?;
        if d.verdict == Verdict::Undo {
            self.latest.remove(&d.id);
        } else {
            self.latest.insert(d.id.clone(), d);
        }
        Ok(())
    }

    /// The decision in force for `id`.
    pub fn get(&self, id: &str) -> Option<&Decision> {
        self.latest.get(id)
    }

    /// All decisions in force, by id.
    pub fn decisions(&self) -> &HashMap<String, Decision> {
        &self.latest
    }
}

/// Read the decisions in force from a log file (missing file: none).
pub fn read_decisions(path: &Path) -> Result<HashMap<String, Decision>, ReviewError> {
    let mut latest = HashMap::new();
    let file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(latest),
        Err(source) => {
            return Err(ReviewError::Io {
                path: path.to_path_buf(),
                source,
            })
        }
    };
    let mut reader = BufReader::new(file);
    let mut buf = String::new();
    let mut line_no = 0;
    loop {
        buf.clear();
        let n = reader
            .read_line(&mut buf)
            .map_err(|source| ReviewError::Io {
                path: path.to_path_buf(),
                source,
            })?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let complete = buf.ends_with('\n');
        let line = buf.trim();
        if line.is_empty() {
            continue;
        }
        match serde_json::from_str::<Decision>(line) {
            Ok(d) if d.verdict == Verdict::Undo => {
                latest.remove(&d.id);
            }
            Ok(d) => {
                latest.insert(d.id.clone(), d);
            }
            // A torn last line is what a crash mid-write leaves: ignore it.
            Err(_) if !complete => break,
            Err(e) => {
                return Err(ReviewError::Malformed {
                    path: path.to_path_buf(),
                    line: line_no,
                    message: e.to_string(),
                })
            }
        }
    }
    Ok(latest)
}

/// The fix a decision asks for, in original-document offsets (None: leave
/// the text).
pub fn fix_for(f: &Finding, verdict: &Verdict) -> Option<Fix> {
    let manual = |text: &str| Fix::single(Applicability::Safe, Edit::replace(f.span, text));
    match verdict {
        Verdict::Accept => f.fix.clone().map(|mut fix| {
            fix.applicability = Applicability::Safe;
            fix
        }),
        Verdict::Pick(n) => f.evidence.candidates.get(*n).map(|c| manual(&c.text)),
        Verdict::Edit(text) => Some(manual(text)),
        Verdict::Reject | Verdict::Allow | Verdict::Undo => None,
    }
}

/// Apply the decided findings of the document at `path` to `text`.
///
/// `findings` must come from a report-only run over this same `text` (their
/// spans are original-text offsets). Findings without a decision are left
/// alone, so rejecting or skipping everything returns `text` unchanged.
pub fn replay(
    path: &str,
    text: &str,
    findings: &[Finding],
    decisions: &HashMap<String, Decision>,
) -> Applied {
    let fixes: Vec<Fix> = findings
        .iter()
        .filter_map(|f| {
            let d = decisions.get(&finding_id(path, f))?;
            fix_for(f, &d.verdict)
        })
        .collect();
    let refs: Vec<&Fix> = fixes.iter().collect();
    apply_fixes(text, &refs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Evidence;
    use crate::span::Span;

    fn finding(start: usize, end: usize, orig: &str, repl: &str) -> Finding {
        let mut f = Finding::new(
            "X001",
            Span::new(start, end),
            "m",
            Evidence::new(0.5, "r").candidate("乙", 1.0),
        )
        .with_fix(Fix::single(
            Applicability::Review,
            Edit::replace(Span::new(start, end), repl),
        ));
        f.original = orig.into();
        f
    }

    fn decision(path: &str, f: &Finding, verdict: Verdict) -> Decision {
        Decision::new(path, f, verdict)
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let a = finding(0, 1, ",", "，");
        assert_eq!(finding_id("p", &a), finding_id("p", &a.clone()));
        assert_ne!(finding_id("p", &a), finding_id("q", &a));
        assert_ne!(
            finding_id("p", &a),
            finding_id("p", &finding(0, 1, ",", "、"))
        );
    }

    #[test]
    fn replay_accept_reject_pick_edit() {
        let text = "甲,丙;丁:";
        let fs = vec![
            finding(3, 4, ",", "，"),
            finding(7, 8, ";", "；"),
            finding(11, 12, ":", "："),
        ];
        let mut ds = HashMap::new();
        for (f, v) in fs
            .iter()
            .zip([Verdict::Accept, Verdict::Reject, Verdict::Edit("。".into())])
        {
            let d = decision("p", f, v);
            ds.insert(d.id.clone(), d);
        }
        assert_eq!(replay("p", text, &fs, &ds).text, "甲，丙;丁。");
        let d = decision("p", &fs[1], Verdict::Pick(0));
        ds.insert(d.id.clone(), d);
        assert_eq!(replay("p", text, &fs, &ds).text, "甲，丙乙丁。");
    }

    #[test]
    fn reject_all_gives_original_bytes() {
        let text = "甲,丙;丁";
        let fs = vec![finding(3, 4, ",", "，"), finding(7, 8, ";", "；")];
        let ds: HashMap<_, _> = fs
            .iter()
            .map(|f| {
                let d = decision("p", f, Verdict::Reject);
                (d.id.clone(), d)
            })
            .collect();
        assert_eq!(replay("p", text, &fs, &ds).text, text);
        assert_eq!(replay("p", text, &fs, &HashMap::new()).text, text);
    }

    #[test]
    fn log_persists_resumes_and_survives_a_torn_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("decisions.jsonl");
        let f1 = finding(0, 1, ",", "，");
        let f2 = finding(1, 2, ";", "；");
        {
            let mut log = DecisionLog::open(&path).unwrap();
            log.record(decision("p", &f1, Verdict::Accept)).unwrap();
            log.record(decision("p", &f2, Verdict::Reject)).unwrap();
            log.record(decision("p", &f2, Verdict::Undo)).unwrap();
        }
        // A crash mid-write leaves half a line.
        let mut raw = std::fs::read_to_string(&path).unwrap();
        raw.push_str("{\"id\":\"dead");
        std::fs::write(&path, raw).unwrap();
        let log = DecisionLog::open(&path).unwrap();
        assert_eq!(log.decisions().len(), 1);
        assert_eq!(
            log.get(&finding_id("p", &f1)).unwrap().verdict,
            Verdict::Accept
        );
        assert!(log.get(&finding_id("p", &f2)).is_none());
    }

    #[test]
    fn malformed_complete_line_is_an_error_with_line_number() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("d.jsonl");
        std::fs::write(&path, "not json\n").unwrap();
        let err = read_decisions(&path).unwrap_err();
        assert!(err.to_string().contains("d.jsonl:1"), "{err}");
    }
}
