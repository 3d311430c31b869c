//! clap definitions: raw flags only.
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
}
