//! `zhclean apply --decisions FILE`: replay review decisions without
//! asking, through the same apply routine as everything else
//! ([`zhclean::review::replay`]).
//!
//! Safe-tier fixes are applied too, as `zhclean fix` would (unless the log
//! decided otherwise about one of them); `--no-safe` applies only what the
//! log decided, so a log that rejects everything gives back the original
//! bytes.
//!
//! Exit status: 0 every reviewable finding was decided, 1 some were not
//! (their text is left as it is), 2 an error (a malformed log names its
//! file and line).
use super::args::SettingsArgs;
use super::review_docs::{self, Doc};
use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use anyhow::bail;
use clap::Args;
use std::collections::{HashMap, HashSet};
use std::io::{self, Write};
use std::path::PathBuf;
use zhclean::io::write_atomic;
use zhclean::review::session::{is_reviewable, Item};
use zhclean::review::{finding_id, read_decisions, replay, Decision, Verdict};

/// Arguments of `zhclean apply`.
#[derive(Debug, Clone, Args)]
pub struct ApplyArgs {
    /// Files or directories (walked, sorted), named as they were in review.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The decision log written by `zhclean review`.
    #[arg(long, value_name = "FILE", required = true)]
    pub decisions: PathBuf,
    /// Rewrite files in place (atomically; unchanged files are not touched).
    #[arg(long, conflicts_with = "out")]
    pub write: bool,
    /// Write the results under DIR, mirroring the inputs.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Apply only decided fixes, not the safe tier.
    #[arg(long)]
    pub no_safe: bool,
    /// No per-file report on standard error.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also list the files skipped as binary (they are counted).
    #[arg(short, long)]
    pub verbose: bool,
    /// Rule and configuration settings, as for the review.
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// Run `zhclean apply`.
pub fn run(args: ApplyArgs) -> anyhow::Result<u8> {
    if !args.decisions.exists() {
        bail!("{}: no such decision log", args.decisions.display());
    }
    // The error names the file (and line); its cause is already in it.
    let log = read_decisions(&args.decisions).map_err(|e| anyhow::anyhow!("{e}"))?;
    let (engine, _) = review_docs::engine(&args.settings, args.no_safe, None)?;
    let files = review_docs::inputs(&args.paths)?;
    if !args.write && args.out.is_none() && files.len() != 1 {
        bail!(
            "apply prints the text of a single input; for {} inputs use --write or --out DIR",
            files.len()
        );
    }
    let mut errors = 0;
    let mut undecided_total = 0;
    let given: HashSet<String> = files
        .iter()
        .map(|(f, _)| review_docs::decision_path(f))
        .collect();
    warn_unmatched(&args.decisions, &log, &given);
    let mut binary = review_docs::BinarySkips {
        verbose: args.verbose,
        ..Default::default()
    };
    for (file, rel) in &files {
        let doc = match review_docs::load(&engine, file, rel) {
            Ok(Some(d)) => d,
            Ok(None) => {
                binary.skip(file);
                continue;
            }
            Err(e) => {
                eprintln!("zhclean: error: {e:#}");
                errors += 1;
                continue;
            }
        };
        let r = replay_doc(&doc, &log, args.no_safe);
        undecided_total += r.undecided;
        if !args.quiet {
            let stale = if r.stale > 0 {
                format!(
                    "; {} decision(s) match no current finding (text or settings changed?)",
                    r.stale
                )
            } else {
                String::new()
            };
            eprintln!(
                "zhclean: {}: {} decided change(s), {} safe fix(es) applied; {} undecided{}{stale}",
                doc.path,
                r.decided,
                r.safe,
                r.undecided,
                if r.blocked > 0 {
                    format!("; {} blocked by an overlapping change", r.blocked)
                } else {
                    String::new()
                },
            );
        }
        let mut bytes = doc.encoding.bom().to_vec();
        bytes.extend_from_slice(&doc.encoding.encode(&r.text));
        let target = if args.write {
            if r.text == doc.text {
                continue;
            }
            Some(super::document::resolve_link(&doc.file))
        } else {
            args.out.as_ref().map(|d| d.join(&doc.rel))
        };
        match target {
            Some(t) => {
                let written = t
                    .parent()
                    .filter(|p| !p.as_os_str().is_empty())
                    .map_or(Ok(()), std::fs::create_dir_all)
                    .map_err(|e| e.to_string())
                    .and_then(|()| write_atomic(&t, &bytes).map_err(|e| e.to_string()));
                if let Err(e) = written {
                    eprintln!("zhclean: error: {}: {e}", t.display());
                    errors += 1;
                }
            }
            None => {
                let mut out = io::stdout().lock();
                out.write_all(&bytes)?;
                out.flush()?;
            }
        }
    }
    if let (Some(s), false) = (binary.summary(), args.quiet) {
        eprintln!("zhclean: {s}");
    }
    Ok(if errors > 0 {
        EXIT_ERROR
    } else if undecided_total > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

/// Warn about decisions about files not given: their path is spelled
/// differently (decisions name the path as given to `review`, relative to
/// its working directory) or the file was left out.
fn warn_unmatched(
    log_path: &std::path::Path,
    log: &HashMap<String, Decision>,
    given: &HashSet<String>,
) {
    let mut missing: Vec<(&str, usize)> = Vec::new();
    for d in log.values().filter(|d| d.verdict != Verdict::Undo) {
        if !given.contains(&d.path) {
            match missing.iter_mut().find(|(p, _)| *p == d.path) {
                Some((_, n)) => *n += 1,
                None => missing.push((&d.path, 1)),
            }
        }
    }
    if missing.is_empty() {
        return;
    }
    missing.sort();
    let total: usize = missing.iter().map(|(_, n)| n).sum();
    let list: Vec<String> = missing
        .iter()
        .take(5)
        .map(|(p, n)| format!("{p} ({n})"))
        .collect();
    eprintln!(
        "zhclean: warning: {total} decision(s) in {} are about files not given here: {}{}; \
         name the files as they were named to `zhclean review`, from the same directory",
        log_path.display(),
        list.join(", "),
        if missing.len() > 5 { ", …" } else { "" }
    );
}

/// The outcome of replaying one document.
struct Replayed {
    text: String,
    decided: usize,
    safe: usize,
    blocked: usize,
    undecided: usize,
    stale: usize,
}

/// Replay the log's decisions about `doc`, plus its applied safe fixes
/// (unless `no_safe` or the log decided about them).
fn replay_doc(doc: &Doc, log: &HashMap<String, Decision>, no_safe: bool) -> Replayed {
    let mut ds: HashMap<String, Decision> = HashMap::new();
    let (mut decided, mut safe, mut undecided) = (0, 0, 0);
    for f in &doc.findings {
        let id = finding_id(&doc.path, f);
        if let Some(d) = log.get(&id) {
            let changes = !matches!(d.verdict, Verdict::Reject | Verdict::Allow | Verdict::Undo);
            if changes {
                decided += 1;
            }
            ds.insert(id, d.clone());
        } else if f.applied && !no_safe {
            safe += 1;
            ds.insert(id, Decision::new(&doc.path, f, Verdict::Accept));
        } else if is_reviewable(f) && Item::new(&doc.path, &doc.text, f.clone()).is_some() {
            // Counted as review would ask it.
            undecided += 1;
        }
    }
    let ids: HashSet<String> = doc
        .findings
        .iter()
        .map(|f| finding_id(&doc.path, f))
        .collect();
    let stale = log
        .values()
        // An allow-listed finding disappears once the allow-list is loaded:
        // not stale.
        .filter(|d| d.path == doc.path && d.verdict != Verdict::Allow && !ids.contains(&d.id))
        .count();
    let applied = replay(&doc.path, &doc.text, &doc.findings, &ds);
    let blocked = applied.applied.iter().filter(|a| !**a).count();
    Replayed {
        text: applied.text,
        decided,
        safe,
        blocked,
        undecided,
        stale,
    }
}
