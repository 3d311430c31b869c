//! Corpus runs: what a run over many documents adds to the per-document
//! pass.
//!
//! - [`manifest`]: one JSON Lines record per file (hashes, findings,
//!   status, settings fingerprint), appended and synced as files complete,
//!   read back to resume an interrupted run.
//! - [`consistency`]: the same name or term spelled in visually similar
//!   variants across documents (rule `X801`, review tier).
//! - [`minhash`]: paragraphs repeated across documents, found by character
//!   n-gram MinHash with LSH banding and verified by exact Jaccard (rule
//!   `X802`, reported only).
//!
//! These are not block rules: they need the whole corpus, so they run after
//! the per-document pass and produce [`Finding`](crate::finding::Finding)s
//! with document-level spans.

pub mod consistency;
pub mod manifest;
pub mod minhash;
