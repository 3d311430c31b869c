//! Reporters: turn findings into text for people ([`human`]), programs
//! ([`jsonl`]), code-scanning services ([`sarif`]) and CI logs
//! ([`github`]), plus unified diffs ([`diff`]). Reporters write to a
//! `&mut dyn Write` they are given and never print.
//!
//! A run calls [`Reporter::document`] for each document, in input order,
//! then [`Reporter::finish`] once with the run's [`Summary`]. A document's
//! findings may come in several calls (block by block, as the engine
//! finishes them): the output is the same as for one call with them all.
//!
//! Memory does not grow with the findings: a reporter writes each finding
//! as it comes (or spools it, [`Spool`], as SARIF does), and keeps only
//! counts. To report a document while it is processed on another thread,
//! before the documents ahead of it are written, a run [`Reporter::fork`]s
//! the reporter for it, feeds the fork block by block into a [`Spool`], and
//! hands both back to [`Reporter::join`] in document order.

use crate::edit::Applicability;
use crate::finding::Finding;
use crate::io::Spool;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{self, Write};

pub mod diff;
pub mod github;
pub mod human;
pub mod jsonl;
pub mod sarif;
pub mod statistics;

/// What a reporter gets for one document.
#[derive(Debug, Clone, Copy)]
pub struct DocReport<'a> {
    /// The document's name as shown to the user (`-` for stdin).
    pub path: &'a str,
    /// Its findings, in document order, with locations filled.
    pub findings: &'a [Finding],
    /// The text of every line that has a finding (1-based line number →
    /// line without its line ending), for snippets.
    pub lines: &'a BTreeMap<usize, String>,
}

/// Counts over a whole run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Documents processed (including those with errors).
    pub files: usize,
    /// Documents whose text changed.
    pub changed_files: usize,
    /// Documents that failed (I/O, decoding, writing).
    pub errors: usize,
    /// Documents skipped (binary).
    pub skipped: usize,
    /// Findings whose tier is safe.
    pub safe: usize,
    /// Findings whose tier is review.
    pub review: usize,
    /// Findings whose tier is suggest.
    pub suggest: usize,
    /// Findings whose fix was applied.
    pub applied: usize,
    /// Review-tier fixes that were not applied.
    pub review_pending: usize,
    /// The tier applied in this run (`None` when only checking).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applying: Option<Applicability>,
}

impl Summary {
    /// Count a document's findings.
    pub fn add_findings(&mut self, findings: &[Finding]) {
        for f in findings {
            match f.tier() {
                Applicability::Safe => self.safe += 1,
                Applicability::Review => self.review += 1,
                Applicability::Suggest => self.suggest += 1,
            }
            if f.applied {
                self.applied += 1;
            } else if f.tier() == Applicability::Review && f.fix.is_some() {
                self.review_pending += 1;
            }
        }
    }

    /// Add another summary's finding counts (safe, review, suggest,
    /// applied, review_pending) to this one.
    pub fn add_counts(&mut self, other: &Summary) {
        self.safe += other.safe;
        self.review += other.review;
        self.suggest += other.suggest;
        self.applied += other.applied;
        self.review_pending += other.review_pending;
    }

    /// All findings.
    pub fn findings(&self) -> usize {
        self.safe + self.review + self.suggest
    }
}

/// A sink for findings in one output format.
pub trait Reporter: Send + Sync {
    /// Report findings of one document: all of them, or the next part of
    /// them in document order (the snippet `lines` then cover that part).
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()>;
    /// A document failed (I/O, decoding, writing); `message` already names
    /// the path. Most formats leave errors to stderr; CI formats record
    /// them.
    fn error(&mut self, out: &mut dyn Write, path: &str, message: &str) -> io::Result<()> {
        let _ = (out, path, message);
        Ok(())
    }
    /// End of the run.
    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()>;
    /// A reporter for one document, to be fed its findings block by block
    /// on the thread that processes it, writing into a [`Spool`]; the fork
    /// and what it wrote go back to [`Reporter::join`] in document order.
    /// `None` (the default): the document's findings are to be kept and
    /// given to [`Reporter::document`] whole. A fork forks like the
    /// reporter it came from (a run forks once per engine, then once per
    /// document).
    fn fork(&self) -> Option<Box<dyn Reporter>> {
        None
    }
    /// Take back a fork of this reporter after its document, in document
    /// order, with what it wrote. The default copies that to `out`.
    fn join(
        &mut self,
        out: &mut dyn Write,
        fork: Box<dyn Reporter>,
        written: Spool,
    ) -> io::Result<()> {
        drop(fork);
        written.copy_to(out).map(drop)
    }
    /// Findings counted per (rule, tier), for reporters that count rather
    /// than list ([`statistics`]): what a fork hands back to `join`.
    fn tally(&self) -> Option<&Tally> {
        None
    }
}

/// Findings per (rule code, tier): (findings, of which applied).
pub type Tally = BTreeMap<(String, Applicability), (usize, usize)>;

/// The 1-based line and column (in chars) just after `text` when it starts
/// at (`line`, `column`).
pub fn end_position(line: usize, column: usize, text: &str) -> (usize, usize) {
    match text.rfind('\n') {
        None => (line, column + text.chars().count()),
        Some(i) => (
            line + text.matches('\n').count(),
            text[i + 1..].chars().count() + 1,
        ),
    }
}

/// Text with line breaks and tabs made visible, for one-line messages.
pub fn visible(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\n' => s.push_str("\\n"),
            '\r' => s.push_str("\\r"),
            '\t' => s.push_str("\\t"),
            c => s.push(c),
        }
    }
    s
}

/// A one-line description of a finding's fix: `` `a` → `b` ``, `` delete `a` ``,
/// `` insert `b` ``; several edits joined with `; `. `None` without a fix.
/// Only edits inside the finding's span can name the text they replace.
pub fn describe_fix(f: &Finding) -> Option<String> {
    let fix = f.fix.as_ref()?;
    let parts: Vec<String> = fix
        .edits
        .iter()
        .map(|e| {
            let old = (e.span.start >= f.span.start && e.span.end <= f.span.end)
                .then(|| {
                    f.original
                        .get(e.span.start - f.span.start..e.span.end - f.span.start)
                        .map(visible)
                })
                .flatten();
            match (old, e.replacement.is_empty(), e.span.is_empty()) {
                (_, false, true) => format!("insert `{}`", visible(&e.replacement)),
                (Some(o), true, _) => format!("delete `{o}`"),
                (None, true, _) => "delete".to_string(),
                (Some(o), false, _) => format!("`{o}` → `{}`", visible(&e.replacement)),
                (None, false, _) => format!("replace with `{}`", visible(&e.replacement)),
            }
        })
        .collect();
    Some(parts.join("; "))
}

/// Test fixtures shared by the reporters' tests.
#[cfg(test)]
pub(crate) mod testutil {
    use crate::edit::{Applicability, Edit, Fix};
    use crate::finding::{Evidence, Finding};
    use crate::span::{Location, Span};

    /// A one-char `,` → `，` safe finding at byte `byte`, char `chr`, on
    /// `line`:`column`.
    pub fn comma_finding(byte: usize, chr: usize, line: usize, column: usize) -> Finding {
        let span = Span::new(byte, byte + 1);
        let mut f = Finding::new("X001", span, "comma", Evidence::new(0.5, "why"))
            .with_fix(Fix::single(Applicability::Safe, Edit::replace(span, "，")));
        f.original = ",".into();
        f.location = Some(Location {
            byte_start: byte,
            byte_end: byte + 1,
            char_start: chr,
            char_end: chr + 1,
            line,
            column,
        });
        f
    }

    /// What `reporter` writes for a one-file run: the document `a.txt`
    /// with `findings` (snippet `lines`), then the run's summary.
    pub fn one_file_report(
        reporter: &mut dyn super::Reporter,
        findings: &[Finding],
        lines: &std::collections::BTreeMap<usize, String>,
    ) -> String {
        let mut out = Vec::new();
        reporter
            .document(
                &mut out,
                &super::DocReport {
                    path: "a.txt",
                    findings,
                    lines,
                },
            )
            .unwrap();
        let mut sum = super::Summary {
            files: 1,
            ..super::Summary::default()
        };
        sum.add_findings(findings);
        reporter.finish(&mut out, &sum).unwrap();
        String::from_utf8(out).unwrap()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::edit::{Edit, Fix};
    use crate::finding::Evidence;
    use crate::span::Span;

    #[test]
    fn end_positions() {
        assert_eq!(end_position(3, 2, "甲乙"), (3, 4));
        assert_eq!(end_position(3, 2, "甲\n乙丙"), (4, 3));
        assert_eq!(end_position(3, 2, ""), (3, 2));
    }

    #[test]
    fn fix_descriptions() {
        let mut f = Finding::new("X", Span::new(10, 11), "m", Evidence::default()).with_fix(
            Fix::single(Applicability::Safe, Edit::replace(Span::new(10, 11), "，")),
        );
        f.original = ",".into();
        assert_eq!(describe_fix(&f).unwrap(), "`,` → `，`");
        f.fix = Some(Fix::single(
            Applicability::Safe,
            Edit::delete(Span::new(10, 11)),
        ));
        assert_eq!(describe_fix(&f).unwrap(), "delete `,`");
        f.fix = Some(Fix::single(Applicability::Safe, Edit::insert(10, "\n")));
        assert_eq!(describe_fix(&f).unwrap(), "insert `\\n`");
    }
}
