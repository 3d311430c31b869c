//! Unified diffs of original against cleaned text (via `similar`), one per
//! changed document, `patch -p0` compatible. Nothing is written for an
//! unchanged document.

use similar::TextDiff;
use std::io::{self, Write};

/// Lines of context around each change.
pub const CONTEXT: usize = 3;

/// Write the unified diff of `original` → `cleaned` for `path`; with
/// `color`, removed lines are red, added lines green, hunk headers cyan.
pub fn write_diff(
    out: &mut dyn Write,
    path: &str,
    original: &str,
    cleaned: &str,
    color: bool,
) -> io::Result<()> {
    if original == cleaned {
        return Ok(());
    }
    let diff = TextDiff::from_lines(original, cleaned);
    let text = diff
        .unified_diff()
        .context_radius(CONTEXT)
        .header(
            &format!("{path}\t(original)"),
            &format!("{path}\t(cleaned)"),
        )
        .to_string();
    if !color {
        return out.write_all(text.as_bytes());
    }
    for line in text.split_inclusive('\n') {
        let style = if line.starts_with("+++") || line.starts_with("---") {
            "\x1b[1m"
        } else if line.starts_with('+') {
            "\x1b[32m"
        } else if line.starts_with('-') {
            "\x1b[31m"
        } else if line.starts_with("@@") {
            "\x1b[36m"
        } else {
            ""
        };
        if style.is_empty() {
            out.write_all(line.as_bytes())?;
        } else {
            let body = line.strip_suffix('\n').unwrap_or(line);
            write!(out, "{style}{body}\x1b[0m")?;
            if line.ends_with('\n') {
                out.write_all(b"\n")?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unified() {
        let mut out = Vec::new();
        write_diff(
            &mut out,
            "a.txt",
            "甲\n乙,丙\n丁\n",
            "甲\n乙，丙\n丁\n",
            false,
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert_eq!(
            text,
            "--- a.txt\t(original)\n+++ a.txt\t(cleaned)\n@@ -1,3 +1,3 @@\n 甲\n-乙,丙\n+乙，丙\n 丁\n"
        );
        let mut out = Vec::new();
        write_diff(&mut out, "a", "x\n", "x\n", false).unwrap();
        assert!(out.is_empty());
    }
}
