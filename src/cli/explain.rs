//! `zhclean explain CODE`, `zhclean explain --list`, `zhclean config --dump`.
use super::args::{ConfigArgs, ExplainArgs};
use super::{settings, EXIT_CLEAN, EXIT_ERROR};
use std::io::{self, Write};
use zhclean::rules;

/// Run `explain`; returns the exit code.
pub fn run(args: ExplainArgs) -> anyhow::Result<u8> {
    let stdout = io::stdout();
    let mut out = stdout.lock();
    if args.list {
        let all = rules::all_rules();
        let w = all.iter().map(|m| m.name.len()).max().unwrap_or(0);
        for m in all {
            writeln!(
                out,
                "{}  {:w$}  {:7}  {}",
                m.code,
                m.name,
                m.default_tier.as_str(),
                m.summary
            )?;
        }
        out.flush()?;
        return Ok(EXIT_CLEAN);
    }
    let code = args.code.unwrap_or_default();
    match rules::lookup(&code) {
        Some(m) => {
            writeln!(out, "{} {}", m.code, m.name)?;
            writeln!(out, "default tier: {}", m.default_tier)?;
            writeln!(out, "{}", m.summary)?;
            writeln!(out)?;
            writeln!(out, "{}", m.doc.trim_end())?;
            out.flush()?;
            Ok(EXIT_CLEAN)
        }
        None => {
            eprintln!("zhclean: error: unknown rule `{code}` (see `zhclean explain --list`)");
            Ok(EXIT_ERROR)
        }
    }
}

/// Run `config --dump`; returns the exit code.
pub fn dump(args: ConfigArgs) -> anyhow::Result<u8> {
    let resolved = settings::resolve(&args.settings, args.apply)?;
    let stdout = io::stdout();
    let mut out = stdout.lock();
    writeln!(out, "# zhclean effective configuration")?;
    if resolved.sources.is_empty() {
        writeln!(out, "# sources: defaults and flags only")?;
    }
    for s in &resolved.sources {
        writeln!(out, "# source: {}", s.display())?;
    }
    write!(out, "{}", resolved.config.to_toml())?;
    out.flush()?;
    Ok(EXIT_CLEAN)
}
