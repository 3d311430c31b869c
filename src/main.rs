//! The `zhclean` command line. Thin: parse, run, map to an exit code.
use std::process::ExitCode;

mod cli;

fn main() -> ExitCode {
    cli::main()
}
