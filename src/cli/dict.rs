//! `zhclean dict`: lexicon queries and user-dictionary compilation.
use clap::Args;

/// Arguments of `zhclean dict`.
#[derive(Debug, Args)]
pub struct DictArgs {}

/// Run `zhclean dict`; returns the exit code.
pub fn run(_args: DictArgs) -> anyhow::Result<u8> {
    Ok(super::EXIT_CLEAN)
}
