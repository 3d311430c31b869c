//! Command-line front end: argument parsing, settings, output. Declared from
//! `main.rs` only, so the library does not depend on clap.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

pub mod args;
pub mod dict;
pub mod eval;

/// Exit code: nothing to report at the chosen level.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings (or changes) at the chosen level.
#[allow(dead_code)]
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage, configuration, input or output error.
pub const EXIT_ERROR: u8 = 2;

/// Parse arguments, run, and map the result to an exit code.
pub fn main() -> ExitCode {
    use clap::Parser;
    let args = match args::Cli::try_parse() {
        Ok(a) => a,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_CLEAN
            });
        }
    };
    match run(args) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("zhclean: error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn run(args: args::Cli) -> anyhow::Result<u8> {
    match args.command {
        args::Command::Check => Ok(EXIT_CLEAN),
        args::Command::Dict(a) => dict::run(a),
        args::Command::Eval(a) => eval::run(a),
    }
}
