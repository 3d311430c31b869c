//! Command-line front end: argument parsing, settings, output. Declared from
//! `main.rs` only, so the library does not depend on clap.
//!
//! Exit codes, the same in every output format:
//! - 0: nothing to report at the chosen level (check: no findings; fix:
//!   nothing left pending);
//! - 1: check: findings; fix: findings left unapplied (review or suggest
//!   tier, or blocked fixes), or with `--diff` any change to show. Only
//!   findings of `--fail-on`'s tier or a surer one count; `--exit-zero`
//!   never exits 1;
//! - 2: any error: usage, configuration, I/O, decoding, writing. A batch
//!   goes on after a per-file error and exits 2 at the end.
//!
//! Record mode (`fix --input-format jsonl`) exits 0 when every record was
//! answered (a bad record's error object is in the output) and 2 when the
//! stream could not be read or written.
//!
//! A closed standard output (broken pipe) ends the run quietly with 0.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::process::ExitCode;

pub mod apply;
pub mod args;
pub mod corpus;
pub mod dict;
pub mod document;
pub mod eval;
pub mod explain;
pub mod records;
pub mod review;
pub mod review_docs;
pub mod review_print;
pub mod run;
pub mod settings;
pub mod train_channel;

/// Exit code: nothing to report at the chosen level.
pub const EXIT_CLEAN: u8 = 0;
/// Exit code: findings (or changes) at the chosen level.
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
        Err(e) if is_broken_pipe(&e) => ExitCode::from(EXIT_CLEAN),
        Err(e) => {
            eprintln!("zhclean: error: {e:#}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn run(args: args::Cli) -> anyhow::Result<u8> {
    match args.command {
        args::Command::Check(a) => run::run(a.run, None),
        args::Command::Fix(a) => run::run(
            a.run,
            Some(run::FixOpts {
                diff: a.diff,
                write: a.write,
                out: a.out,
                to_utf8: a.to_utf8,
                manifest: a.manifest,
                no_resume: a.no_resume,
                records: a.records || a.input_format == Some(args::InputFormat::Jsonl),
            }),
        ),
        args::Command::Explain(a) => explain::run(a),
        args::Command::Config(a) => explain::dump(a),
        args::Command::Dict(a) => dict::run(a),
        args::Command::Eval(a) => eval::run(a),
        args::Command::Review(a) => review::run(a),
        args::Command::Apply(a) => apply::run(a),
        args::Command::TrainChannel(a) => train_channel::run(a),
    }
}
