//! `zhclean eval`: correction quality on sentence pairs.
use clap::Args;

/// Arguments of `zhclean eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {}

/// Run `zhclean eval`; returns the exit code.
pub fn run(_args: EvalArgs) -> anyhow::Result<u8> {
    Ok(super::EXIT_CLEAN)
}
