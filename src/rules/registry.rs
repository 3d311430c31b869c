//! The static table of rule metadata and documentation. `zhclean explain
//! CODE` prints an entry; reports carry the code.

use crate::edit::Applicability;

/// Metadata and documentation of one rule.
#[derive(Debug, Clone, Copy)]
pub struct RuleMeta {
    /// Stable code, e.g. `P201`.
    pub code: &'static str,
    /// Kebab-case name, e.g. `halfwidth-punctuation`.
    pub name: &'static str,
    /// One-line summary.
    pub summary: &'static str,
    /// The highest tier this rule's fixes get.
    pub default_tier: Applicability,
    /// Markdown documentation with sections What / Why / Example / Fix safety.
    pub doc: &'static str,
}

/// Every rule's metadata, sorted by code. Each rule module defines its own
/// `pub static META: RuleMeta` (docs in `src/rules/docs/CODE.md`) and adds
/// one line here.
pub static RULES: &[&RuleMeta] = &[
    &super::user_correction::META,
    &super::char_subst::META,
    &super::char_dropped::META,
    &super::bound_char::META,
    &super::in_context::META,
    &super::foreign_word::F601,
    &super::foreign_word::F602,
    &super::unicode::N101,
    &super::unicode::N102,
    &super::unicode::N103,
    &super::unicode::N104,
    &super::unicode::N105,
    &super::punct_width::P201,
    &super::quotes::P202,
    &super::quotes::P203,
    &super::ocr_punct::META_P210,
    &super::ocr_punct::META_P211,
    &super::ocr_punct::META_P212,
    &super::inner_mark::META,
    &super::doubled::R401,
    &super::repeated_phrase::R402,
    &super::duplicate_paragraph::R403,
    &super::duplicate_paragraph::R404,
    &super::broken_paragraph::S501,
    &super::whitespace::W301,
    &super::whitespace::W302,
    &super::whitespace::W303,
    &super::mark_space::W304,
    &crate::corpus::consistency::META,
    &crate::corpus::minhash::META,
];

/// All rule metadata, sorted by code.
pub fn all_rules() -> &'static [&'static RuleMeta] {
    RULES
}

/// Old codes that were renamed, mapped to their current code.
static REDIRECTS: &[(&str, &str)] = &[];

/// The current code for `code` (itself unless it was renamed).
pub fn redirect(code: &str) -> &str {
    REDIRECTS
        .iter()
        .find(|(old, _)| old.eq_ignore_ascii_case(code))
        .map(|(_, new)| *new)
        .unwrap_or(code)
}

/// Metadata for a code or a name (case-insensitive; follows redirects).
pub fn lookup(code_or_name: &str) -> Option<&'static RuleMeta> {
    let code = redirect(code_or_name);
    RULES
        .iter()
        .find(|m| m.code.eq_ignore_ascii_case(code) || m.name.eq_ignore_ascii_case(code))
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_unique_sorted_and_documented() {
        for w in RULES.windows(2) {
            assert!(w[0].code < w[1].code, "{} !< {}", w[0].code, w[1].code);
        }
        for m in RULES {
            for section in ["## What", "## Why", "## Example", "## Fix safety"] {
                assert!(m.doc.contains(section), "{} doc lacks {section}", m.code);
            }
        }
    }
}
