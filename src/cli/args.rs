//! clap definitions: raw flags only. Subcommands that belong to one area
//! keep their own `Args` struct in their own file (`dict.rs`, `eval.rs`).
use clap::{Parser, Subcommand};

/// Clean OCR errors and normalize Chinese text.
#[derive(Debug, Parser)]
#[command(name = "zhclean", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report findings; change nothing.
    Check,
    /// Query and build the lexicon.
    Dict(super::dict::DictArgs),
    /// Measure correction quality on (gold, ocr) sentence pairs.
    Eval(super::eval::EvalArgs),
}
