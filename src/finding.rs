//! A [`Finding`]: what a rule saw, where, why, and how to fix it.

use crate::edit::{Applicability, Fix};
use crate::span::{Location, Span};
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// A ranked alternative the user may pick in review.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// Replacement text for the finding's span.
    pub text: String,
    /// Score (higher is better; rule-specific scale, explained in `Evidence::reason`).
    pub score: f64,
}

/// Why a rule believes what it reports.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Confidence in `[0, 1]` used to rank findings in review.
    pub score: f64,
    /// One line a person can read: the decisive facts. (Most reasons are
    /// fixed text: borrowed, not a heap string per finding.)
    pub reason: Cow<'static, str>,
    /// Named numeric terms (e.g. `lm_gain`, `channel_logp`, `freq`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub terms: BTreeMap<String, f64>,
    /// Ranked alternatives, best first (may include the fix's own text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub candidates: Vec<Candidate>,
}

impl Evidence {
    /// Evidence with a score and a reason.
    pub fn new(score: f64, reason: impl Into<Cow<'static, str>>) -> Evidence {
        Evidence {
            score,
            reason: reason.into(),
            ..Evidence::default()
        }
    }

    /// Adds a named term (builder style).
    pub fn term(mut self, name: &str, value: f64) -> Evidence {
        self.terms.insert(name.to_string(), value);
        self
    }

    /// Adds a ranked candidate (builder style).
    pub fn candidate(mut self, text: impl Into<String>, score: f64) -> Evidence {
        self.candidates.push(Candidate {
            text: text.into(),
            score,
        });
        self
    }
}

/// One thing a rule reports.
///
/// Rules create findings with spans relative to the text they were given;
/// the engine rebases them onto the original document and fills
/// [`Finding::location`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable rule code, e.g. `P201`. (Borrowed from the rule's static
    /// code: a text dense with findings holds hundreds of thousands.)
    pub rule: Cow<'static, str>,
    /// Byte span in the original text.
    pub span: Span,
    /// Line, column and char offsets of `span` (filled by the engine).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The original text under `span` (filled by the engine).
    #[serde(default)]
    pub original: String,
    /// What is wrong, for people (borrowed when fixed text).
    pub message: Cow<'static, str>,
    /// Why the rule believes it.
    pub evidence: Evidence,
    /// How to fix it, if the rule knows; edits are in original-text offsets
    /// once the engine has rebased them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fix: Option<Fix>,
    /// Whether the fix was applied in this run (filled by the engine).
    #[serde(default)]
    pub applied: bool,
}

impl Finding {
    /// A finding with no fix.
    pub fn new(
        rule: impl Into<Cow<'static, str>>,
        span: Span,
        message: impl Into<Cow<'static, str>>,
        evidence: Evidence,
    ) -> Finding {
        Finding {
            rule: rule.into(),
            span,
            location: None,
            original: String::new(),
            message: message.into(),
            evidence,
            fix: None,
            applied: false,
        }
    }

    /// Attach a fix (builder style).
    pub fn with_fix(mut self, fix: Fix) -> Finding {
        self.fix = Some(fix);
        self
    }

    /// The tier of this finding: its fix's, or `Suggest` when it has none.
    pub fn tier(&self) -> Applicability {
        self.fix
            .as_ref()
            .map(|f| f.applicability)
            .unwrap_or(Applicability::Suggest)
    }

    /// Move the span and the fix's edits right by `by` bytes.
    pub fn rebase(&mut self, by: usize) {
        self.span = self.span.shift(by);
        if let Some(fix) = &mut self.fix {
            for e in &mut fix.edits {
                e.span = e.span.shift(by);
            }
        }
    }
}
