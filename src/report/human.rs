//! The human format:
//!
//! ```text
//! a.txt:3:2: P201 [safe] ASCII comma between Han characters
//!   |
//! 3 | 甲,乙
//!   |   ^ `,` → `，`
//! ```
//!
//! then one summary line, e.g. `3 findings (safe 2, review 1, suggest 0) in
//! 1 file; 1 review fix not applied (use --apply review)`. Columns count
//! chars; the caret line is aligned by display width (CJK = 2 columns).
//! Long lines are cut to a window around the span, long spans to their
//! start and end.

use super::{describe_fix, visible, DocReport, Reporter, Summary};
use crate::edit::Applicability;
use crate::finding::Finding;
use std::io::{self, Write};
use unicode_width::UnicodeWidthChar;

/// Chars of context shown on each side of a span in a long line.
const CONTEXT_CHARS: usize = 24;
/// Longer spans are shown as their start, `…`, and their end.
const MAX_SPAN_CHARS: usize = 40;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[1;31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";
const BLUE: &str = "\x1b[1;34m";

/// Human-readable findings with snippets and a summary.
#[derive(Debug, Default, Clone)]
pub struct Human {
    /// Emit ANSI colors.
    pub color: bool,
    /// Leave out the summary line when there is nothing to say (no
    /// findings, no errors, nothing skipped).
    pub no_summary: bool,
    /// Leave out findings whose fix was applied (they are counted in the
    /// summary; `--diff` shows them).
    pub hide_applied: bool,
}

impl Human {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.color {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    fn write_finding(
        &self,
        out: &mut dyn Write,
        path: &str,
        f: &Finding,
        line_chars: Option<&[char]>,
    ) -> io::Result<()> {
        let (line, col) = f.location.map(|l| (l.line, l.column)).unwrap_or((0, 0));
        let tier = f.tier();
        let tier_style = match tier {
            Applicability::Safe => GREEN,
            Applicability::Review => YELLOW,
            Applicability::Suggest => CYAN,
        };
        writeln!(
            out,
            "{}: {} {} {}",
            self.paint(BOLD, &format!("{path}:{line}:{col}")),
            self.paint(BOLD, &f.rule),
            self.paint(tier_style, &format!("[{tier}]")),
            f.message
        )?;
        let fix = describe_fix(f).map(|d| {
            if f.applied {
                format!("{d} (applied)")
            } else {
                d
            }
        });
        let gutter = line.to_string();
        let pad = " ".repeat(gutter.len());
        let bar = self.paint(BLUE, "|");
        let Some(chars) = line_chars else {
            if let Some(d) = fix {
                writeln!(out, "{pad} = {d}")?;
            }
            return Ok(());
        };
        let span_chars = f.location.map(|l| l.char_end - l.char_start).unwrap_or(0);
        let start = col.saturating_sub(1).min(chars.len());
        let end = (start + span_chars).min(chars.len());
        let from = if chars.len() > 2 * CONTEXT_CHARS + (end - start) {
            start.saturating_sub(CONTEXT_CHARS)
        } else {
            0
        };
        let to = if chars.len() > 2 * CONTEXT_CHARS + (end - start) {
            (end + CONTEXT_CHARS).min(chars.len())
        } else {
            chars.len()
        };
        let before: String = chars[from..start].iter().collect();
        let inside: String = if end - start > MAX_SPAN_CHARS {
            let head: String = chars[start..start + MAX_SPAN_CHARS / 2].iter().collect();
            let tail: String = chars[end - MAX_SPAN_CHARS / 4..end].iter().collect();
            format!("{head}…{tail}")
        } else {
            chars[start..end].iter().collect()
        };
        let after: String = chars[end..to].iter().collect();
        let lead = if from > 0 { "…" } else { "" };
        let tail = if to < chars.len() { "…" } else { "" };
        writeln!(out, "{pad} {bar}")?;
        writeln!(
            out,
            "{} {bar} {lead}{}{}{}{tail}",
            self.paint(BLUE, &gutter),
            visible(&before),
            self.paint(RED, &visible(&inside)),
            visible(&after)
        )?;
        let offset = width(lead) + width(&visible(&before));
        let carets = "^".repeat(width(&visible(&inside)).max(1));
        let note = fix.map(|d| format!(" {d}")).unwrap_or_default();
        writeln!(
            out,
            "{pad} {bar} {}{}",
            " ".repeat(offset),
            self.paint(RED, &format!("{carets}{note}"))
        )?;
        Ok(())
    }
}

fn width(s: &str) -> usize {
    s.chars().map(|c| c.width().unwrap_or(0)).sum()
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The summary line (without color or newline).
pub fn summary_line(s: &Summary) -> String {
    let mut parts = Vec::new();
    let files = plural(s.files, "file", "files");
    if s.findings() == 0 {
        parts.push(format!("no findings in {files}"));
    } else {
        parts.push(format!(
            "{} (safe {}, review {}, suggest {}) in {files}",
            plural(s.findings(), "finding", "findings"),
            s.safe,
            s.review,
            s.suggest
        ));
    }
    if s.applying.is_some() {
        parts.push(format!("{} applied", plural(s.applied, "fix", "fixes")));
        if s.changed_files > 0 {
            parts.push(format!(
                "{} changed",
                plural(s.changed_files, "file", "files")
            ));
        }
    }
    if s.review_pending > 0 && s.applying != Some(Applicability::Review) {
        parts.push(format!(
            "{} not applied (use --apply review)",
            plural(s.review_pending, "review fix", "review fixes")
        ));
    }
    if s.skipped > 0 {
        parts.push(format!(
            "{} skipped",
            plural(s.skipped, "binary file", "binary files")
        ));
    }
    if s.errors > 0 {
        parts.push(plural(s.errors, "error", "errors"));
    }
    parts.join("; ")
}

impl Reporter for Human {
    fn document(&mut self, out: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()> {
        let mut cached: Option<(usize, Option<Vec<char>>)> = None;
        for f in doc
            .findings
            .iter()
            .filter(|f| !(self.hide_applied && f.applied))
        {
            let line = f.location.map(|l| l.line).unwrap_or(0);
            // The line's chars once per line, not once per finding: a long
            // line with many findings stays linear.
            if !matches!(&cached, Some((n, _)) if *n == line) {
                cached = Some((
                    line,
                    doc.lines
                        .get(&line)
                        .map(|s| s.chars().collect::<Vec<char>>()),
                ));
            }
            let chars = cached.as_ref().and_then(|(_, c)| c.as_deref());
            self.write_finding(out, doc.path, f, chars)?;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let quiet = summary.findings() == 0 && summary.errors == 0 && summary.skipped == 0;
        if !(self.no_summary && quiet) {
            let line = summary_line(summary);
            writeln!(out, "{}", self.paint(DIM, &line))?;
        }
        out.flush()
    }

    fn fork(&self) -> Option<Box<dyn Reporter>> {
        Some(Box::new(self.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::span::Location;
    use std::collections::BTreeMap;

    fn finding() -> Finding {
        super::super::testutil::comma_finding(9, 7, 3, 2)
    }

    #[test]
    fn snippet_and_summary() {
        let f = finding();
        let mut lines = BTreeMap::new();
        lines.insert(3, "甲,乙".to_string());
        let mut h = Human::default();
        assert!(!h.hide_applied);
        let text = super::super::testutil::one_file_report(&mut h, &[f], &lines);
        assert_eq!(
            text,
            "a.txt:3:2: X001 [safe] comma\n  |\n3 | 甲,乙\n  |   ^ `,` → `，`\n\
             1 finding (safe 1, review 0, suggest 0) in 1 file\n"
        );
    }

    #[test]
    fn long_lines_are_windowed() {
        let mut f = finding();
        let line = format!("{}甲,乙{}", "前".repeat(100), "后".repeat(100));
        f.location = Some(Location {
            byte_start: 0,
            byte_end: 1,
            char_start: 101,
            char_end: 102,
            line: 3,
            column: 102,
        });
        let mut out = Vec::new();
        Human::default()
            .write_finding(
                &mut out,
                "a",
                &f,
                Some(&line.chars().collect::<Vec<char>>()),
            )
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        let snippet = text.lines().nth(2).unwrap();
        assert!(
            snippet.starts_with("3 | …") && snippet.ends_with('…'),
            "{snippet}"
        );
        assert!(snippet.chars().count() < 70, "{snippet}");
    }

    #[test]
    fn long_spans_are_shortened() {
        let mut f = finding();
        let line = "长".repeat(100);
        f.location = Some(Location {
            byte_start: 0,
            byte_end: 300,
            char_start: 0,
            char_end: 100,
            line: 3,
            column: 1,
        });
        let mut out = Vec::new();
        Human::default()
            .write_finding(
                &mut out,
                "a",
                &f,
                Some(&line.chars().collect::<Vec<char>>()),
            )
            .unwrap();
        let text = String::from_utf8(out).unwrap();
        let snippet = text.lines().nth(2).unwrap();
        assert_eq!(
            snippet,
            format!("3 | {}…{}", "长".repeat(20), "长".repeat(10))
        );
        let carets = text.lines().nth(3).unwrap();
        assert!(
            carets.starts_with(&format!("  | {} ", "^".repeat(61))),
            "{carets}"
        );
    }

    #[test]
    fn pending_review_hint() {
        let s = Summary {
            files: 2,
            review: 1,
            review_pending: 1,
            applying: Some(Applicability::Safe),
            ..Summary::default()
        };
        assert_eq!(
            summary_line(&s),
            "1 finding (safe 0, review 1, suggest 0) in 2 files; 0 fixes applied; \
             1 review fix not applied (use --apply review)"
        );
    }
}
