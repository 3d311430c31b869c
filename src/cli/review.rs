//! `zhclean review`: walk through pending findings one at a time and record
//! each decision to the decision log as it is made.
//!
//! On a terminal each key acts at once (raw mode through crossterm, only
//! while a key is awaited; the key is echoed); `e` then reads the new text
//! as a line. With `--script` keys come from standard input, one per line,
//! and are echoed after the prompt so the output reads as a transcript.
//! End of input (or Ctrl-C, Ctrl-D on a terminal) quits, like `q`.
//!
//! `--tier` and `--rule` narrow the queue (`--tier review`, `--rule 'C7*'`).
//!
//! Exit status: 0 every finding decided, 1 findings left undecided (quit or
//! skipped), 2 an error (no terminal without `--script`, unreadable input,
//! a malformed decision log).
use super::args::{ColorChoice, SettingsArgs, TierArg};
use super::review_docs::{self, DEFAULT_DECISIONS};
use super::review_print::Printer;
use super::run::use_color;
use super::{EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use anyhow::Context as _;
use clap::Args;
use std::fs::OpenOptions;
use std::io::{self, BufRead, IsTerminal, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use zhclean::review::session::{parse_key, Item, Key, Reply, Session};
use zhclean::review::DecisionLog;

/// Arguments of `zhclean review`.
#[derive(Debug, Clone, Args)]
pub struct ReviewArgs {
    /// Files or directories (walked, sorted) to review.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// Decision log (JSON Lines, appended to as you decide; resumed from
    /// when it exists).
    #[arg(long, value_name = "FILE", default_value = DEFAULT_DECISIONS)]
    pub decisions: PathBuf,
    /// Read keys from standard input, one per line, without a terminal
    /// (for scripts and tests).
    #[arg(long, alias = "keys-from-stdin")]
    pub script: bool,
    /// Review safe-tier fixes too (by default they are applied without
    /// asking, like `zhclean fix` does).
    #[arg(long)]
    pub no_safe: bool,
    /// Allow-list file that `a` appends terms to (also loaded, so its terms
    /// are protected) [default: the last configured allow-list file].
    #[arg(long, value_name = "FILE")]
    pub allow_file: Option<PathBuf>,
    /// Review only findings of these tiers (repeatable or comma-separated).
    #[arg(long, value_enum, value_name = "TIER", value_delimiter = ',')]
    pub tier: Vec<TierArg>,
    /// Review only findings of these rules: codes, names, prefixes (`C7`)
    /// or globs (`C7*`); repeatable or comma-separated.
    #[arg(long, value_name = "RULE", value_delimiter = ',')]
    pub rule: Vec<String>,
    /// Colors.
    #[arg(long, value_enum, default_value_t)]
    pub color: ColorChoice,
    /// Also list the files skipped as binary (they are counted).
    #[arg(short, long)]
    pub verbose: bool,
    /// Rule and configuration settings.
    #[command(flatten)]
    pub settings: SettingsArgs,
}

/// Run `zhclean review`.
pub fn run(args: ReviewArgs) -> anyhow::Result<u8> {
    if !args.script && !io::stdin().is_terminal() {
        eprintln!(
            "zhclean: review needs a terminal on standard input to read keys; \
             use --script to read them from standard input, one per line"
        );
        return Ok(EXIT_ERROR);
    }
    let (engine, allow_files) =
        review_docs::engine(&args.settings, args.no_safe, args.allow_file.as_deref())?;
    let allow_target = args.allow_file.clone().or(allow_files.last().cloned());

    let tiers: Vec<_> = args.tier.iter().map(|t| t.tier()).collect();
    let mut rule_codes: Vec<String> = Vec::new();
    let mut rule_globs: Vec<String> = Vec::new();
    for r in &args.rule {
        if r.contains(['*', '?']) {
            rule_globs.push(r.to_ascii_uppercase());
        } else {
            rule_codes.extend(
                zhclean::config::expand_selectors(std::slice::from_ref(r))
                    .map_err(|m| anyhow::anyhow!("--rule: {m}"))?,
            );
        }
    }
    let wanted = |f: &zhclean::finding::Finding| {
        (tiers.is_empty() || tiers.contains(&f.tier()))
            && (args.rule.is_empty()
                || rule_codes.iter().any(|c| *c == f.rule)
                || rule_globs
                    .iter()
                    .any(|g| zhclean::io::walk::glob_match(g, &f.rule)))
    };
    let mut items: Vec<Item> = Vec::new();
    let files = review_docs::inputs(&args.paths)?;
    let mut binary = review_docs::BinarySkips {
        verbose: args.verbose,
        ..Default::default()
    };
    for (file, rel) in &files {
        let Some(doc) = review_docs::load(&engine, file, rel)? else {
            binary.skip(file);
            continue;
        };
        items.extend(
            doc.findings
                .into_iter()
                .filter(|f| wanted(f))
                .filter_map(|f| Item::new(&doc.path, &doc.text, f)),
        );
    }
    // Review errors name the file; their cause is already in the message.
    let mut log = DecisionLog::open(&args.decisions).map_err(flat)?;
    let log_name = args.decisions.display().to_string();
    let mut session = Session::new(items, log.decisions());

    let printer = Printer {
        color: use_color(args.color, io::stdout().is_terminal()),
    };
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let total = session.items().len();
    let decided = total - session.tally().undecided;
    printer.start(
        &mut out,
        files.len() - binary.count,
        binary.summary(),
        total,
        decided,
        &log_name,
    )?;

    let script = args.script;
    // A line of input (edit text; every key with --script).
    let read_line = |out: &mut dyn Write| -> anyhow::Result<Option<String>> {
        let mut line = String::new();
        if io::stdin().lock().read_line(&mut line)? == 0 {
            // End of input (Ctrl-D): end the prompt line.
            writeln!(out)?;
            return Ok(None);
        }
        let line = line.trim_end_matches(['\n', '\r']).to_string();
        if script {
            writeln!(out, "{line}")?;
        }
        Ok(Some(line))
    };
    // One key: a line with --script, else a single key press.
    let read = |out: &mut dyn Write| -> anyhow::Result<Option<String>> {
        if script {
            read_line(out)
        } else {
            read_key(out)
        }
    };

    let mut quit = false;
    loop {
        'items: while let Some((i, item)) = session.current() {
            let item = item.clone();
            printer.item(&mut out, i + 1, total, &item)?;
            loop {
                printer.prompt(&mut out, &item)?;
                let Some(line) = read(&mut out)? else {
                    quit = true;
                    break 'items;
                };
                let mut key = match parse_key(&line) {
                    Ok(k) => k,
                    Err(msg) => {
                        printer.note(&mut out, &msg)?;
                        continue;
                    }
                };
                let mut reply = session.handle(key.clone());
                if reply == Reply::AskText {
                    printer.ask_text(&mut out, &item)?;
                    let text = match read_line(&mut out)? {
                        None => {
                            quit = true;
                            break 'items;
                        }
                        Some(t) if t.is_empty() => {
                            printer.note(&mut out, "edit cancelled")?;
                            continue;
                        }
                        Some(t) => t,
                    };
                    key = Key::Edit(Some(text));
                    reply = session.handle(key.clone());
                }
                match reply {
                    Reply::Record { decisions, allow } => {
                        let n = decisions.len();
                        for d in decisions {
                            log.record(d).map_err(flat)?;
                        }
                        if key == Key::Undo {
                            printer.note(&mut out, &format!("undone: {n} decision(s)"))?;
                        } else if n > 1 {
                            printer.note(&mut out, &format!("recorded for {n} findings"))?;
                        }
                        if let Some(term) = allow {
                            match &allow_target {
                            Some(p) => {
                                append_term(p, &term)?;
                                printer.note(
                                    &mut out,
                                    &format!("`{term}` added to {}", p.display()),
                                )?;
                            }
                            None => printer.note(
                                &mut out,
                                "no allow-list file: pass --allow-file FILE to keep the term for later runs",
                            )?,
                        }
                        }
                        continue 'items;
                    }
                    Reply::Skipped => continue 'items,
                    Reply::Help => printer.help(&mut out)?,
                    Reply::Info => printer.info(&mut out, &item)?,
                    Reply::Invalid(msg) => printer.note(&mut out, &msg)?,
                    Reply::Quit => {
                        quit = true;
                        break 'items;
                    }
                    Reply::AskText => unreachable!("text was given"),
                }
            }
        }
        if quit || !session.can_undo() {
            break;
        }
        // The end of the queue: a last chance to undo.
        printer.end_prompt(&mut out)?;
        match read(&mut out)?.as_deref().map(str::trim) {
            Some("u") => {
                if let Reply::Record { decisions, .. } = session.handle(Key::Undo) {
                    let n = decisions.len();
                    for d in decisions {
                        log.record(d).map_err(flat)?;
                    }
                    printer.note(&mut out, &format!("undone: {n} decision(s)"))?;
                }
            }
            _ => break,
        }
    }
    let tally = session.tally();
    let paths: Vec<String> = args.paths.iter().map(|p| shell_word(p)).collect();
    printer.finish(&mut out, &tally, &log_name, &paths.join(" "))?;
    out.flush()?;
    Ok(if tally.undecided > 0 {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

/// Wait for one key press in raw mode (left at once, so output keeps its
/// line breaks) and echo it. `None` on Ctrl-C or Ctrl-D. Enter gives an
/// empty key; other non-character keys too.
fn read_key(out: &mut dyn Write) -> anyhow::Result<Option<String>> {
    use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};
    crossterm::terminal::enable_raw_mode().context("cannot read keys from the terminal")?;
    let key = loop {
        match event::read() {
            Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => break Ok(k),
            Ok(_) => continue,
            Err(e) => break Err(e),
        }
    };
    let _ = crossterm::terminal::disable_raw_mode();
    let key = key.context("cannot read keys from the terminal")?;
    Ok(match key.code {
        KeyCode::Char('c' | 'd') if key.modifiers.contains(KeyModifiers::CONTROL) => {
            writeln!(out)?;
            None
        }
        KeyCode::Char(c) => {
            writeln!(out, "{c}")?;
            Some(c.to_string())
        }
        _ => {
            writeln!(out)?;
            Some(String::new())
        }
    })
}

/// A path as a shell word: quoted when it holds anything but plain chars.
fn shell_word(p: &Path) -> String {
    let s = p.display().to_string();
    let plain = !s.is_empty()
        && s.chars()
            .all(|c| c.is_alphanumeric() || "-_./,+=:@%".contains(c));
    if plain {
        s
    } else {
        format!("'{}'", s.replace('\'', "'\\''"))
    }
}

/// A decision-log error as one message (its cause is part of it).
fn flat(e: zhclean::review::ReviewError) -> anyhow::Error {
    anyhow::anyhow!("{e}")
}

/// Append `term` as a line of the allow-list file at `path` (created if
/// missing; a missing final newline is added first), synced.
fn append_term(path: &Path, term: &str) -> anyhow::Result<()> {
    let mut f = OpenOptions::new()
        .create(true)
        .append(true)
        .read(true)
        .open(path)
        .with_context(|| format!("{}: cannot open the allow-list", path.display()))?;
    let len = f.metadata()?.len();
    let mut line = String::new();
    if len > 0 {
        let mut last = [0u8; 1];
        f.seek(SeekFrom::Start(len - 1))?;
        f.read_exact(&mut last)?;
        if last[0] != b'\n' {
            line.push('\n');
        }
    }
    line.push_str(term);
    line.push('\n');
    f.write_all(line.as_bytes())
        .and_then(|()| f.sync_data())
        .with_context(|| format!("{}: cannot write the allow-list", path.display()))?;
    Ok(())
}
