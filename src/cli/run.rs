//! `zhclean check` and `zhclean fix` over files, directories and stdin.
use super::args::{ColorChoice, EncodingArg, Format, RunArgs};
use super::corpus::{self, CorpusRun};
use super::document::{Dest, DocResult, Job};
use super::{records, settings, EXIT_CLEAN, EXIT_ERROR, EXIT_FINDINGS};
use anyhow::bail;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use rayon::prelude::*;
use std::io::{self, IsTerminal, Write};
use std::path::PathBuf;
use zhclean::edit::Applicability;
use zhclean::engine::Engine;
use zhclean::io::paths::{self, OutputMode};
use zhclean::io::{walk, Filter, InputPath, TextEncoding};
use zhclean::report::{self, DocReport, Reporter, Summary};

/// Documents processed in parallel before their results are reported in
/// order; bounds the memory held for results.
const BATCH: usize = 64;
/// Show a progress bar from this many inputs on.
const PROGRESS_MIN: usize = 20;

/// What `fix` adds to a run.
pub struct FixOpts {
    /// `--diff`.
    pub diff: bool,
    /// `--write`.
    pub write: bool,
    /// `--out DIR`.
    pub out: Option<PathBuf>,
    /// `--to-utf8`.
    pub to_utf8: bool,
    /// `--manifest FILE`.
    pub manifest: Option<PathBuf>,
    /// `--no-resume`.
    pub no_resume: bool,
    /// Record mode (`--input-format jsonl`, `--records`).
    pub records: bool,
}

/// Use colors on a stream?
pub fn use_color(choice: ColorChoice, is_terminal: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_terminal && std::env::var_os("NO_COLOR").is_none(),
    }
}

struct NoReport;
impl Reporter for NoReport {
    fn document(&mut self, _: &mut dyn Write, _: &DocReport<'_>) -> io::Result<()> {
        Ok(())
    }
    fn finish(&mut self, out: &mut dyn Write, _: &Summary) -> io::Result<()> {
        out.flush()
    }
    fn fork(&self) -> Option<Box<dyn Reporter>> {
        Some(Box::new(NoReport))
    }
}

fn inputs_of(run: &RunArgs) -> anyhow::Result<Vec<PathBuf>> {
    if !run.paths.is_empty() {
        return Ok(run.paths.clone());
    }
    if io::stdin().is_terminal() {
        bail!("no input: give files or directories, or `-` to read standard input");
    }
    Ok(vec![PathBuf::from("-")])
}

fn filter_of(run: &RunArgs, config: &zhclean::config::Config) -> Filter {
    let mut f = Filter {
        exclude: config.exclude.iter().chain(&run.exclude).cloned().collect(),
        no_ignore: run.no_ignore,
        ..Filter::default()
    };
    if !run.ext.is_empty() {
        f.exts = run
            .ext
            .iter()
            .map(|e| e.trim_start_matches('.').to_string())
            .collect();
    }
    f.globs = run.glob.clone();
    f
}

/// The encoding `--encoding` forces, if any.
fn forced_encoding(e: EncodingArg) -> Option<TextEncoding> {
    match e {
        EncodingArg::Auto => None,
        EncodingArg::Utf8 => Some(TextEncoding::Utf8),
        EncodingArg::Gb18030 => Some(TextEncoding::Gb18030),
        EncodingArg::Utf16le => Some(TextEncoding::Utf16LeNoBom),
        EncodingArg::Utf16be => Some(TextEncoding::Utf16BeNoBom),
    }
}

/// For an input found by walking one of the `args` directories: the file
/// it really is, if a symbolic link leads outside that directory (and
/// `--follow` was not given).
fn link_outside(input: &InputPath, args: &[PathBuf], follow: bool) -> Option<PathBuf> {
    let InputPath::File { path, rel } = input else {
        return None;
    };
    if follow {
        return None;
    }
    let root = paths::walk_root(path, rel)?;
    if !args.contains(&root) || !root.is_dir() {
        return None;
    }
    paths::escapes_root(&root, path)
}

/// Remove the temporary files killed `--write` runs left beside the inputs.
fn sweep_input_dirs(inputs: &[InputPath]) {
    let mut dirs = std::collections::BTreeSet::new();
    for i in inputs {
        if let InputPath::File { path, .. } = i {
            let real = super::document::resolve_link(path);
            if let Some(d) = real.parent() {
                dirs.insert(if d.as_os_str().is_empty() {
                    PathBuf::from(".")
                } else {
                    d.to_path_buf()
                });
            }
        }
    }
    for d in dirs {
        zhclean::io::sweep_temps(&d);
    }
}

/// Run `check` (`fix` = None) or `fix`; returns the exit code.
pub fn run(run: RunArgs, fix: Option<FixOpts>) -> anyhow::Result<u8> {
    let is_fix = fix.is_some();
    let fix = fix.unwrap_or(FixOpts {
        diff: false,
        write: false,
        out: None,
        to_utf8: false,
        manifest: None,
        no_resume: false,
        records: false,
    });
    let format = if fix.diff { Format::Diff } else { run.format };
    let resolved = settings::resolve(&run.settings, run.apply)?;
    let tier = resolved.config.apply;
    // Check applies nothing, except to show the diff `fix` would make.
    let apply = if is_fix || format == Format::Diff {
        tier
    } else {
        None
    };
    let (lexicon, opts) = settings::engine_parts(&resolved.config, apply)?;
    let paths = inputs_of(&run)?;

    if is_fix && (format == Format::Jsonl || fix.records) {
        if fix.write || fix.out.is_some() {
            bail!(
                "record mode writes records to stdout; it cannot be combined with --write or --out"
            );
        }
        if fix.records && !matches!(format, Format::Human | Format::Jsonl) {
            bail!("record mode answers in JSON Lines; --format cannot be changed");
        }
        let engine = Engine::new(lexicon, opts);
        return records::run(&engine, &paths, run.threads, forced_encoding(run.encoding));
    }

    let walked = walk::collect(&paths, &filter_of(&run, &resolved.config));
    let n_inputs = walked.len();
    // One engine per distinct set of per-file ignores; engines[0] has none.
    let pfi = PerFileIgnores::new(&resolved.config)?
        .with_inputs(walked.iter().filter_map(|w| w.as_ref().ok()));
    // The last set takes `opts` itself: with 500k user corrections a copy
    // of the options is a million strings.
    let mut opts = Some(opts);
    let n_sets = pfi.sets.len();
    let engines: Vec<Engine<'static>> = pfi
        .sets
        .iter()
        .enumerate()
        .map(|(k, extra)| {
            let mut o = if k + 1 == n_sets {
                opts.take().expect("taken once, by the last set")
            } else {
                opts.clone().expect("not taken yet")
            };
            o.disabled.extend(extra.iter().cloned());
            Engine::new(lexicon, o)
        })
        .collect();
    let engine = &engines[0];
    let fail_on = run
        .fail_on
        .map(|t| t.tier())
        .unwrap_or(Applicability::Suggest);
    let dest = if !is_fix || format == Format::Diff {
        Dest::Discard
    } else if fix.write {
        Dest::InPlace
    } else if let Some(d) = &fix.out {
        Dest::OutDir(d.clone())
    } else {
        if n_inputs != 1 {
            bail!(
                "fix prints the cleaned text of a single input; for {n_inputs} inputs use --write, --out DIR or --diff"
            );
        }
        Dest::Stdout
    };
    if matches!(dest, Dest::InPlace | Dest::OutDir(_))
        && walked.iter().any(|w| matches!(w, Ok(InputPath::Stdin)))
    {
        bail!("standard input (`-`) cannot be combined with --write or --out");
    }
    // Links out of walked directories, and where outputs go: checked
    // before anything (the manifest included) is written.
    let mut early_notes = Vec::new();
    let mut links_skipped = 0;
    let mut inputs = Vec::with_capacity(n_inputs);
    let mut walk_errors = Vec::new();
    for w in walked {
        match w {
            Ok(i) => match link_outside(&i, &paths, run.follow) {
                Some(real) => {
                    early_notes.push(format!(
                        "note: {}: skipped: symbolic link to {}, outside the directory walked (use --follow to process it)",
                        i.display(),
                        real.display()
                    ));
                    links_skipped += 1;
                }
                None => inputs.push(i),
            },
            Err(e) => walk_errors.push(e),
        }
    }
    let mode = match &dest {
        Dest::InPlace => Some(OutputMode::InPlace),
        Dest::OutDir(d) => Some(OutputMode::OutDir(d)),
        _ => None,
    };
    if let Some(mode) = mode {
        let plan = paths::plan_outputs(inputs, mode)?;
        for i in &plan.excluded {
            early_notes.push(format!(
                "note: {}: left out: it is under the output directory",
                i.display()
            ));
        }
        for (i, other) in &plan.same_file {
            early_notes.push(format!(
                "note: {}: left out: the same file as {other}",
                i.display()
            ));
        }
        inputs = plan.inputs;
    }
    if dest == Dest::InPlace {
        sweep_input_dirs(&inputs);
    }
    // Manifest, resume and the corpus pass.
    let mut corpus = CorpusRun::new(
        &dest,
        corpus::manifest_path(fix.manifest.as_deref(), &dest, &paths),
        fix.no_resume,
        &resolved.config,
        fix.to_utf8,
        engine,
    )?;

    // The report goes to stdout, or to stderr when stdout carries the text.
    let report_to_stderr = dest == Dest::Stdout;
    let report_is_terminal = if report_to_stderr {
        io::stderr().is_terminal()
    } else {
        io::stdout().is_terminal()
    };
    let color = use_color(run.color, report_is_terminal);
    if run.statistics && !matches!(format, Format::Human) {
        bail!(
            "--statistics replaces the human report; it cannot be combined with --format or --diff"
        );
    }
    let mut reporter: Box<dyn Reporter> = if run.quiet {
        Box::new(NoReport)
    } else if run.statistics {
        Box::new(report::statistics::Statistics::default())
    } else {
        match format {
            // Beside cleaned text on stdout, a clean run says nothing; fix
            // lists what is left to do, and counts what it did.
            Format::Human => Box::new(report::human::Human {
                color,
                no_summary: report_to_stderr,
                hide_applied: is_fix,
            }),
            Format::Diff => Box::new(NoReport),
            Format::Jsonl => Box::new(report::jsonl::JsonLines),
            Format::Sarif => Box::new(report::sarif::Sarif::default()),
            Format::Github => Box::new(report::github::Github),
        }
    };
    let jobs: Vec<Job> = engines
        .iter()
        .map(|engine| Job {
            engine,
            dest: dest.clone(),
            keep_texts: format == Format::Diff,
            to_utf8: fix.to_utf8,
            // Human and diff output list only what is left; applied
            // findings are counted, not kept.
            keep_applied: (matches!(format, Format::Jsonl | Format::Sarif | Format::Github)
                || run.statistics)
                && !run.quiet,
            encoding: forced_encoding(run.encoding),
            // Findings reported as their blocks finish, and only counted,
            // unless the manifest's side file keeps them.
            report: if corpus.keeps_findings() {
                None
            } else {
                reporter.fork()
            },
        })
        .collect();
    let job_of = |i: &InputPath| &jobs[pfi.set_of(i)];

    let mut out: Box<dyn Write> = if report_to_stderr {
        Box::new(io::stderr().lock())
    } else {
        Box::new(io::BufWriter::new(io::stdout().lock()))
    };

    let progress = if n_inputs >= PROGRESS_MIN && io::stderr().is_terminal() && !run.quiet {
        let pb = ProgressBar::with_draw_target(Some(n_inputs as u64), ProgressDrawTarget::stderr());
        if let Ok(style) =
            ProgressStyle::with_template("{bar:30} {pos}/{len} files  {per_sec}  ETA {eta}")
        {
            pb.set_style(style);
        }
        Some(pb)
    } else {
        None
    };
    let say = |msg: &str| match &progress {
        Some(pb) => pb.suspend(|| eprintln!("zhclean: {msg}")),
        None => eprintln!("zhclean: {msg}"),
    };

    let mut summary = Summary {
        applying: apply,
        ..Summary::default()
    };
    // Findings that fail the run: left unapplied, of `--fail-on`'s tier or
    // a surer one.
    let mut pending = false;
    let fails = |f: &zhclean::finding::Finding| !f.applied && f.tier() >= fail_on;
    let mut changed_any = false;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(run.threads.unwrap_or(0))
        .build()?;

    for n in &early_notes {
        say(n);
    }
    summary.skipped += links_skipped;
    for e in walk_errors {
        say(&format!("error: {e}"));
        summary.errors += 1;
        reporter.error(&mut *out, &e.path.display().to_string(), &e.to_string())?;
    }
    let mut handle = |mut res: DocResult,
                      out: &mut dyn Write,
                      reporter: &mut dyn Reporter|
     -> anyhow::Result<bool> {
        // Binary files are counted in the summary; `-v` lists them.
        if !res.skipped || run.verbose {
            for n in &res.notices {
                say(&format!("note: {n}"));
            }
        }
        if res.broken_pipe {
            return Ok(false);
        }
        summary.files += 1;
        if let Some(e) = &res.error {
            say(&format!("error: {e}"));
            summary.errors += 1;
            reporter.error(out, &res.display, e)?;
            return Ok(true);
        }
        if res.skipped {
            summary.skipped += 1;
            return Ok(true);
        }
        summary.add_findings(&res.findings);
        summary.add_counts(&res.applied_counts);
        if res.changed {
            summary.changed_files += 1;
            changed_any = true;
        }
        if res.findings.iter().any(fails) || res.pending.is_some_and(|t| t >= fail_on) {
            pending = true;
        }
        // Applied findings only counted (not kept) never fail a run.
        match res.report.take() {
            Some(r) => reporter.join(out, r.fork, r.written)?,
            None => reporter.document(
                out,
                &DocReport {
                    path: &res.display,
                    findings: &res.findings,
                    lines: &res.lines,
                },
            )?,
        }
        if let (Some((a, b)), false) = (&res.texts, run.quiet) {
            report::diff::write_diff(out, &res.display, a, b, color)?;
        }
        Ok(true)
    };

    if corpus.torn_lines() > 0 {
        say(&format!(
            "note: ignored {} unreadable manifest line(s) (an interrupted run)",
            corpus.torn_lines()
        ));
    }
    let mut go_on = true;
    if dest == Dest::Stdout {
        for i in &inputs {
            // in the pool: the engine spreads one file over its threads
            let res = pool.install(|| corpus.process(job_of(i), i));
            corpus.record(&res)?;
            go_on = handle(res, &mut *out, &mut *reporter)?;
        }
    } else {
        for chunk in inputs.chunks(BATCH) {
            let results: Vec<DocResult> = pool.install(|| {
                chunk
                    .par_iter()
                    .map(|i| corpus.process(job_of(i), i))
                    .collect()
            });
            // The batch's report is written in pieces, with the progress
            // bar out of the way.
            let mut batch_out = Emitter {
                buf: Vec::new(),
                out: &mut *out,
                progress: progress.as_ref(),
            };
            for res in results {
                corpus.record(&res)?;
                go_on = handle(res, &mut batch_out, &mut *reporter)?;
                if !go_on {
                    break;
                }
            }
            corpus.sync()?;
            batch_out.emit()?;
            if let Some(pb) = &progress {
                pb.inc(chunk.len() as u64);
            }
            if !go_on {
                break;
            }
        }
    }
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    if !go_on {
        // Standard output was closed: stop quietly.
        return Ok(EXIT_CLEAN);
    }
    if corpus
        .corpus_pass(engine, &pool, &mut *reporter, &mut *out, &mut summary)?
        .is_some_and(|t| t >= fail_on)
    {
        pending = true;
    }
    reporter.finish(&mut *out, &summary)?;
    out.flush()?;
    if matches!(dest, Dest::OutDir(_) | Dest::InPlace) && !run.quiet {
        corpus.write_summary(&mut io::stderr().lock())?;
    }
    // Check reports every finding (applied ones only to show a diff), so
    // it counts them all, by tier.
    let check_fails = match fail_on {
        Applicability::Suggest => summary.findings() > 0,
        Applicability::Review => summary.safe + summary.review > 0,
        Applicability::Safe => summary.safe > 0,
    };
    Ok(if summary.errors > 0 {
        EXIT_ERROR
    } else if run.exit_zero {
        EXIT_CLEAN
    } else if !is_fix {
        if check_fails {
            EXIT_FINDINGS
        } else {
            EXIT_CLEAN
        }
    } else if pending || (format == Format::Diff && changed_any) {
        EXIT_FINDINGS
    } else {
        EXIT_CLEAN
    })
}

/// Report bytes on their way to the output, written in pieces of about
/// [`EMIT_BYTES`], each with the progress bar out of the way: a large
/// report is never held whole.
struct Emitter<'a> {
    buf: Vec<u8>,
    out: &'a mut dyn Write,
    progress: Option<&'a ProgressBar>,
}

/// The size of the pieces an [`Emitter`] writes.
const EMIT_BYTES: usize = 64 * 1024;

impl Emitter<'_> {
    /// Write (and flush) what is buffered.
    fn emit(&mut self) -> io::Result<()> {
        let (buf, out) = (&mut self.buf, &mut self.out);
        let mut go = || -> io::Result<()> {
            out.write_all(buf)?;
            out.flush()
        };
        match self.progress {
            Some(pb) => pb.suspend(go)?,
            None => go()?,
        }
        self.buf.clear();
        Ok(())
    }
}

impl Write for Emitter<'_> {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= EMIT_BYTES {
            self.emit()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.emit()
    }
}

/// The configuration's `per_file_ignores`: the distinct sets of extra
/// rules to disable, and which set each input gets.
struct PerFileIgnores {
    /// Globs with the rules they disable.
    globs: Vec<(globset::GlobMatcher, Vec<String>)>,
    /// Distinct sets of extra disabled rules; `sets[0]` is empty.
    sets: Vec<Vec<String>>,
}

impl PerFileIgnores {
    fn new(config: &zhclean::config::Config) -> anyhow::Result<PerFileIgnores> {
        let mut globs = Vec::new();
        for (g, rules) in &config.rules.per_file_ignores {
            let m = globset::GlobBuilder::new(g)
                .literal_separator(true)
                .build()
                .map_err(|e| anyhow::anyhow!("rules.per_file_ignores: `{g}`: {e}"))?
                .compile_matcher();
            globs.push((m, rules.clone()));
        }
        // The sets are those the inputs need (`with_inputs`), not every
        // subset of the globs.
        Ok(PerFileIgnores {
            globs,
            sets: vec![Vec::new()],
        })
    }

    /// The extra rules disabled for an input.
    fn extra_for(&self, input: &InputPath) -> Vec<String> {
        let InputPath::File { path, rel } = input else {
            return Vec::new();
        };
        // The path as given, and each of its tails (`docs/letters/b.txt`,
        // `letters/b.txt`, `b.txt`), so a glob written relative to any
        // directory above the file matches.
        let given = path.strip_prefix(".").unwrap_or(path);
        let comps: Vec<_> = given.components().collect();
        let tails: Vec<PathBuf> = (0..comps.len())
            .map(|i| comps[i..].iter().collect())
            .chain(std::iter::once(rel.clone()))
            .collect();
        let mut out: Vec<String> = Vec::new();
        for (m, rules) in &self.globs {
            if tails.iter().any(|t| m.is_match(t)) {
                for r in rules {
                    if !out.contains(r) {
                        out.push(r.clone());
                    }
                }
            }
        }
        out.sort();
        out
    }

    /// Register the sets the inputs need.
    fn with_inputs<'a>(mut self, inputs: impl Iterator<Item = &'a InputPath>) -> PerFileIgnores {
        if !self.globs.is_empty() {
            for i in inputs {
                let extra = self.extra_for(i);
                if !self.sets.contains(&extra) {
                    self.sets.push(extra);
                }
            }
        }
        self
    }

    /// The index in `sets` of an input's set.
    fn set_of(&self, input: &InputPath) -> usize {
        if self.globs.is_empty() {
            return 0;
        }
        let extra = self.extra_for(input);
        self.sets.iter().position(|s| *s == extra).unwrap_or(0)
    }
}
