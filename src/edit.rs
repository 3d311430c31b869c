//! Edits, fixes and the applicability tier that decides whether a fix is
//! applied.

use crate::span::Span;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// How much evidence stands behind a fix, and so when it is applied.
///
/// Ordered `Suggest < Review < Safe`. Configuration may lower a rule's tier,
/// never raise it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Applicability {
    /// Shown with its candidates, never applied automatically.
    Suggest,
    /// A single best candidate with clear evidence; applied with
    /// `--apply review` or when accepted in review.
    Review,
    /// Meaning-preserving, overwhelming evidence; applied by default.
    Safe,
}

impl Applicability {
    /// Lower-case name as used on the command line and in reports.
    pub fn as_str(&self) -> &'static str {
        match self {
            Applicability::Suggest => "suggest",
            Applicability::Review => "review",
            Applicability::Safe => "safe",
        }
    }
}

impl fmt::Display for Applicability {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Applicability {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "suggest" => Ok(Applicability::Suggest),
            "review" => Ok(Applicability::Review),
            "safe" => Ok(Applicability::Safe),
            _ => Err(format!(
                "unknown tier `{s}` (expected safe, review or suggest)"
            )),
        }
    }
}

/// Replace the bytes of `span` with `replacement` (empty span: insertion;
/// empty replacement: deletion).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Edit {
    /// Bytes replaced, in the text the edit was made against.
    pub span: Span,
    /// Replacement text.
    pub replacement: String,
}

impl Edit {
    /// Replace `span` with `replacement`.
    pub fn replace(span: Span, replacement: impl Into<String>) -> Edit {
        Edit {
            span,
            replacement: replacement.into(),
        }
    }

    /// Delete `span`.
    pub fn delete(span: Span) -> Edit {
        Edit {
            span,
            replacement: String::new(),
        }
    }

    /// Insert `text` at byte offset `at`.
    pub fn insert(at: usize, text: impl Into<String>) -> Edit {
        Edit {
            span: Span::empty(at),
            replacement: text.into(),
        }
    }

    /// The edit moved right by `by` bytes.
    pub fn shifted(&self, by: usize) -> Edit {
        Edit {
            span: self.span.shift(by),
            replacement: self.replacement.clone(),
        }
    }

    /// True if applying this edit to `text` would change nothing.
    pub fn is_noop(&self, text: &str) -> bool {
        text.get(self.span.start..self.span.end) == Some(self.replacement.as_str())
    }
}

/// A set of edits applied all together or not at all, with its tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Fix {
    /// When this fix is applied.
    pub applicability: Applicability,
    /// Non-overlapping edits, sorted by position.
    pub edits: Vec<Edit>,
}

impl Fix {
    /// A fix made of one edit.
    pub fn single(applicability: Applicability, edit: Edit) -> Fix {
        Fix {
            applicability,
            edits: vec![edit],
        }
    }

    /// A fix made of several edits (sorted here).
    pub fn many(applicability: Applicability, mut edits: Vec<Edit>) -> Fix {
        edits.sort_by_key(|e| (e.span.start, e.span.end));
        Fix {
            applicability,
            edits,
        }
    }

    /// The smallest span covering all edits (None for no edits).
    pub fn span(&self) -> Option<Span> {
        let start = self.edits.iter().map(|e| e.span.start).min()?;
        let end = self.edits.iter().map(|e| e.span.end).max()?;
        Some(Span::new(start, end))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiers_are_ordered() {
        assert!(Applicability::Safe > Applicability::Review);
        assert!(Applicability::Review > Applicability::Suggest);
        assert_eq!("review".parse::<Applicability>(), Ok(Applicability::Review));
        assert!("unsafe".parse::<Applicability>().is_err());
    }

    #[test]
    fn noop_detection() {
        let t = "你好";
        assert!(Edit::replace(Span::new(0, 3), "你").is_noop(t));
        assert!(!Edit::replace(Span::new(0, 3), "您").is_noop(t));
    }
}
