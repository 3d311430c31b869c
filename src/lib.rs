//! # zhclean
//!
//! OCR-error cleanup and text normalization for Chinese text.
//!
//! A tour of the principal types:
//! - [`Lexicon`](lexicon::Lexicon): words, frequencies and flags in an `fst`,
//!   embedded in the binary.
//! - [`Rule`](rules::Rule): a detector with a stable code that turns a
//!   [`Block`](rules::Block) (a line plus the blank lines after it) into
//!   [`Finding`](finding::Finding)s. Detectors only produce data.
//! - [`Finding`](finding::Finding): rule code, span (byte and char offsets,
//!   line/column), message, [`Evidence`](finding::Evidence), and an optional
//!   [`Fix`](edit::Fix) of [`Edit`](edit::Edit)s with an
//!   [`Applicability`](edit::Applicability) tier: `safe`, `review` or
//!   `suggest`.
//! - [`apply_fixes`](apply::apply_fixes): the one routine that applies fixes
//!   (sorted, overlaps skipped, idempotent) and keeps a
//!   [`SourceMap`](apply::SourceMap).
//! - [`Engine`](engine::Engine): streams a document block by block, runs the
//!   rules, applies the chosen tier, rebases findings onto the original.
//! - [`api`]: settings (a configuration file, values given in code) to
//!   engine options, shared by the command line and the Python package.
//!
//! ```
//! use zhclean::{engine::{Engine, Options}, edit::Applicability, lexicon::Lexicon};
//! let engine = Engine::new(Lexicon::embedded(), Options {
//!     apply: Some(Applicability::Safe),
//!     ..Options::default()
//! });
//! let out = engine.process_str("今天天气很好\n");
//! assert_eq!(out.text, "今天天气很好\n");
//! ```
//!
//! The library never prints; the `zhclean` binary maps results to output and
//! exit codes.
#![deny(missing_docs)]

pub mod api;
pub mod apply;
pub mod config;
pub mod corpus;
pub mod correct;
pub mod edit;
pub mod engine;
pub mod eval;
pub mod finding;
pub mod io;
pub mod lexicon;
pub mod report;
pub mod review;
pub mod rules;
pub mod span;
