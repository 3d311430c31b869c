//! Corpus runs: the manifest and resume of `fix --out`/`--write`, the
//! corpus pass after the per-document pass (`X801` variants, `X802`
//! cross-document duplicates), and the closing summary table.
//!
//! Manifest: `OUT_DIR/.zhclean-manifest.jsonl` for `--out`; for `--write`
//! over a single directory, `DIR/.zhclean-manifest.jsonl`; `--manifest FILE`
//! anywhere. Records are written in input order (whatever `-j`) and synced
//! once per batch of documents. A run with `--out` first removes the
//! temporary files a killed run left in the output directory.
//!
//! The corpus pass itself is in [`pass`].
use super::document::{self, Dest, DocResult, Job};
use anyhow::Context as _;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;
use zhclean::config::Config;
use zhclean::corpus::consistency;
use zhclean::corpus::manifest::{
    self, hash_bytes, hash_file, hash_reader, Fingerprint, Manifest, ManifestWriter, Record,
    Status, TierCounts,
};
use zhclean::corpus::minhash;
use zhclean::edit::Applicability;
use zhclean::engine::Engine;
use zhclean::finding::Finding;
use zhclean::io::InputPath;
use zhclean::report::Summary;

mod pass;

/// Documents read in parallel per step of the corpus pass.
const BATCH: usize = 64;

/// Per-file bookkeeping of a corpus run.
#[derive(Debug, Clone, Default)]
pub struct FileMeta {
    /// Manifest key.
    pub key: String,
    /// Hash of the input bytes.
    pub input_hash: Option<String>,
    /// Hash of the output bytes.
    pub output_hash: Option<String>,
    /// Input size.
    pub bytes: u64,
    /// Time spent, in milliseconds.
    pub ms: u64,
    /// The manifest record that let this file be skipped.
    pub resumed: Option<Record>,
    /// Where the cleaned text is (the output; the input for `check`).
    pub text_path: PathBuf,
    /// The findings include applied ones ([`Job::keep_applied`]).
    pub kept_applied: bool,
}

/// What a resumed file reports: its findings as the run that processed it
/// found them, kept in a side file beside the manifest
/// ([`findings_path`]), one JSON line per processed file, the last line of
/// a path winning. A file is resumed only when its line is there, for the
/// same input and settings, and holds what this run's report needs
/// (applied findings, for formats that list them); otherwise it is
/// processed again. So a resumed run reports, and exits, as the run that
/// processed the files did.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct FindingsRecord {
    /// Manifest key.
    path: String,
    /// Hash of the input bytes.
    input_hash: Option<String>,
    /// Settings fingerprint.
    settings: String,
    /// Whether `findings` includes applied findings (else they are only
    /// counted in `applied_counts`).
    kept_applied: bool,
    /// The findings kept.
    findings: Vec<Finding>,
    /// Counts of applied findings not kept.
    applied_counts: Summary,
    /// Snippet lines.
    lines: BTreeMap<usize, String>,
    /// Findings by rule code.
    rules: BTreeMap<String, usize>,
    /// Whether the text changed.
    changed: bool,
    /// Notices (encoding).
    notices: Vec<String>,
}

/// How to get back, from an output the corpus pass rewrote, the text the
/// per-document pass wrote (what the corpus pass read): its `X801` edits
/// undone. A line of the findings side file, written with the rewrite; the
/// last one of a path wins, and a later findings line of the path (the file
/// processed again) drops it. A resumed run's corpus pass reads the text
/// this gives back, so it finds what the first run's found, whatever the
/// first run rewrote.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CorpusUndo {
    /// Manifest key.
    path: String,
    /// Hash of the output bytes the corpus pass wrote.
    rewritten: String,
    /// Hash of the text (as UTF-8) the corpus pass read.
    read: String,
    /// Edits on the rewritten text, in order: byte range and the text it
    /// replaced.
    undo: Vec<(usize, usize, String)>,
}

impl CorpusUndo {
    /// The text the corpus pass read, from the text it wrote; `None` if
    /// the edits do not fit or give back another text.
    fn apply(&self, rewritten: &str) -> Option<String> {
        let mut out = String::with_capacity(rewritten.len());
        let mut at = 0;
        for (start, end, orig) in &self.undo {
            out.push_str(rewritten.get(at..*start)?);
            rewritten.get(*start..*end)?;
            out.push_str(orig);
            at = *end;
        }
        out.push_str(rewritten.get(at..)?);
        (hash_bytes(out.as_bytes()) == self.read).then_some(out)
    }
}

/// The findings side file of a manifest: `NAME.jsonl` → `NAME.findings.jsonl`
/// in the same directory.
pub fn findings_path(manifest: &Path) -> PathBuf {
    let name = manifest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let stem = name.strip_suffix(".jsonl").unwrap_or(&name);
    manifest.with_file_name(format!("{stem}.findings.jsonl"))
}

/// The findings side file read back: the findings and the corpus-pass
/// undo records in force, by manifest key.
type SideFile = (HashMap<String, FindingsRecord>, HashMap<String, CorpusUndo>);

fn read_findings(path: &Path) -> SideFile {
    let (mut out, mut undo) = (HashMap::new(), HashMap::new());
    let Ok(bytes) = std::fs::read(path) else {
        return (out, undo);
    };
    for line in bytes.split(|&b| b == b'\n') {
        // A torn or unreadable line only means that file is processed again.
        if let Ok(r) = serde_json::from_slice::<FindingsRecord>(line) {
            undo.remove(&r.path);
            out.insert(r.path.clone(), r);
        } else if let Ok(u) = serde_json::from_slice::<CorpusUndo>(line) {
            undo.insert(u.path.clone(), u);
        }
    }
    (out, undo)
}

/// Counts for the summary table.
#[derive(Debug, Default)]
pub struct Stats {
    /// Files seen.
    pub files: usize,
    /// Processed, changed.
    pub done: usize,
    /// Processed, unchanged.
    pub unchanged: usize,
    /// Skipped: done by an earlier run (manifest).
    pub resumed: usize,
    /// Failed.
    pub errors: usize,
    /// Skipped: binary.
    pub binary: usize,
    /// Input bytes of processed files.
    pub bytes: u64,
    /// Findings by tier: of processed files, of resumed files (as the
    /// findings side file keeps them) and of the corpus pass; the report's
    /// totals.
    pub tiers: TierCounts,
    /// Findings of processed and resumed files by rule.
    pub rules: BTreeMap<String, usize>,
    /// Variant spellings found by the corpus pass.
    pub variants: usize,
    /// Corpus-pass findings by rule.
    pub corpus: BTreeMap<String, usize>,
    /// Files rewritten by the corpus pass.
    pub rewritten: usize,
}

struct Doc {
    display: String,
    key: String,
    path: PathBuf,
    /// For a resumed output the corpus pass rewrote: how to read what it
    /// read then.
    undo: Option<CorpusUndo>,
}

/// A run over many documents.
pub struct CorpusRun {
    dest: Dest,
    settings: String,
    prev: Manifest,
    writer: Option<ManifestWriter>,
    /// Findings of the files the manifest records, by key.
    prev_findings: HashMap<String, FindingsRecord>,
    /// Corpus-pass rewrites of the files the manifest records, by key.
    prev_undo: HashMap<String, CorpusUndo>,
    /// The findings side file, appended to with the manifest.
    findings_writer: Option<(PathBuf, std::fs::File)>,
    docs: Vec<Doc>,
    /// Counts so far.
    pub stats: Stats,
    start: Instant,
}

/// Fingerprint of everything that changes what a run writes.
fn fingerprint(config: &Config, to_utf8: bool, engine: &Engine<'_>) -> String {
    let mut f = Fingerprint::new();
    f.add("config", config.to_toml().as_bytes());
    f.add("to_utf8", &[to_utf8 as u8]);
    f.add("lexicon", engine.lexicon().fst().as_bytes());
    for m in zhclean::rules::all_rules() {
        f.add("rule", m.code.as_bytes());
    }
    for p in config
        .allow_files
        .iter()
        .chain(&config.dictionaries)
        .chain(&config.corrections)
        .chain(&config.channel)
    {
        f.add("file", p.to_string_lossy().as_bytes());
        f.add("content", &std::fs::read(p).unwrap_or_default());
    }
    f.finish()
}

/// Where the manifest goes, if anywhere.
pub fn manifest_path(explicit: Option<&Path>, dest: &Dest, paths: &[PathBuf]) -> Option<PathBuf> {
    if let Some(p) = explicit {
        return Some(p.to_path_buf());
    }
    match dest {
        Dest::OutDir(d) => Some(d.join(manifest::FILE_NAME)),
        Dest::InPlace if paths.len() == 1 && paths[0].is_dir() => {
            Some(paths[0].join(manifest::FILE_NAME))
        }
        _ => None,
    }
}

impl CorpusRun {
    /// Set up a run: fingerprint the settings, read the manifest (unless
    /// `no_resume`) and open it for appending.
    pub fn new(
        dest: &Dest,
        manifest: Option<PathBuf>,
        no_resume: bool,
        config: &Config,
        to_utf8: bool,
        engine: &Engine<'_>,
    ) -> anyhow::Result<CorpusRun> {
        let writes = matches!(dest, Dest::OutDir(_) | Dest::InPlace);
        let (prev, writer, (prev_findings, prev_undo), findings_writer) =
            match manifest.filter(|_| writes) {
                Some(p) => {
                    let fp = findings_path(&p);
                    let (prev, side) = if no_resume {
                        (Manifest::default(), SideFile::default())
                    } else {
                        (
                            Manifest::read(&p)
                                .with_context(|| format!("cannot read manifest {}", p.display()))?,
                            read_findings(&fp),
                        )
                    };
                    let w = ManifestWriter::open(&p, no_resume)
                        .with_context(|| format!("cannot open manifest {}", p.display()))?;
                    let fw = manifest::open_lines(&fp, no_resume)
                        .with_context(|| format!("cannot open {}", fp.display()))?;
                    (prev, Some(w), side, Some((fp, fw)))
                }
                None => (Manifest::default(), None, SideFile::default(), None),
            };
        if let Dest::OutDir(d) = dest {
            remove_stale_temps(d);
        }
        Ok(CorpusRun {
            dest: dest.clone(),
            settings: fingerprint(config, to_utf8, engine),
            prev,
            writer,
            prev_findings,
            prev_undo,
            findings_writer,
            docs: Vec::new(),
            stats: Stats::default(),
            start: Instant::now(),
        })
    }

    /// Torn lines found in the manifest read back.
    pub fn torn_lines(&self) -> usize {
        self.prev.bad_lines
    }

    /// The run keeps every document's findings (in the side file beside
    /// the manifest, for resume): they cannot be reported as they come.
    pub fn keeps_findings(&self) -> bool {
        self.findings_writer.is_some()
    }

    fn in_place(&self) -> bool {
        self.dest == Dest::InPlace
    }

    /// Process one input (in a worker thread): skip it if the manifest
    /// says it is done, else run the document job and hash what it wrote.
    pub fn process(&self, job: &Job<'_>, input: &InputPath) -> DocResult {
        let InputPath::File { path, rel } = input else {
            return document::process(job, input);
        };
        let t0 = Instant::now();
        let target = match &self.dest {
            Dest::OutDir(d) => d.join(rel),
            Dest::InPlace => document::resolve_link(path),
            _ => {
                let mut res = document::process(job, input);
                res.meta = Some(FileMeta {
                    key: res.display.clone(),
                    text_path: path.clone(),
                    ..FileMeta::default()
                });
                return res;
            }
        };
        let key = match &self.dest {
            Dest::OutDir(_) => rel.to_string_lossy().replace('\\', "/"),
            _ => path.to_string_lossy().into_owned(),
        };
        // One open: hash the file (streaming, bounded memory), check the
        // manifest, then process it from the start of the same handle.
        let fail = |e: String| DocResult {
            display: input.display(),
            error: Some(format!("{}: {e}", input.display())),
            ..DocResult::default()
        };
        // A FIFO or device would block or never end: refused before it is
        // opened.
        match std::fs::metadata(path) {
            Ok(m) if !m.is_file() => {
                return fail(
                    "not a regular file (a FIFO, socket or device); --write and --out read regular files only"
                        .into(),
                )
            }
            _ => {}
        }
        let mut file = match std::fs::File::open(path) {
            Ok(f) => f,
            Err(e) => return fail(e.to_string()),
        };
        let meta = match file.metadata() {
            Ok(m) if m.is_file() => m,
            Ok(_) => {
                return fail(
                    "not a regular file (a FIFO, socket or device); --write and --out read regular files only"
                        .into(),
                )
            }
            Err(e) => return fail(e.to_string()),
        };
        let (ih, bytes) = match hash_reader(&mut file) {
            Ok(h) => h,
            Err(e) => return fail(format!("read error: {e}")),
        };
        let input_hash = Some(ih.clone());
        if self.writer.is_some() {
            let ih = &ih;
            if let Some(r) = self
                .prev
                .resumable(&key, &self.settings, ih, self.in_place())
            {
                let output_ok =
                    self.in_place() || hash_file(&target).as_deref() == r.output_hash.as_deref();
                // The findings of the processing the manifest record
                // describes (for --write the file now is its output).
                let found = self.prev_findings.get(&key).filter(|f| {
                    f.input_hash == r.input_hash
                        && f.settings == self.settings
                        && (f.kept_applied || !job.keep_applied)
                });
                if let (true, Some(found)) = (output_ok, found) {
                    let mut findings = found.findings.clone();
                    let mut applied_counts = found.applied_counts.clone();
                    if !job.keep_applied {
                        findings.retain(|f| {
                            if f.applied {
                                applied_counts.add_findings(std::slice::from_ref(f));
                            }
                            !f.applied
                        });
                    }
                    return DocResult {
                        display: input.display(),
                        findings,
                        applied_counts,
                        lines: found.lines.clone(),
                        rules: found.rules.clone(),
                        changed: found.changed,
                        notices: found.notices.clone(),
                        meta: Some(FileMeta {
                            key,
                            input_hash,
                            output_hash: r.output_hash.clone(),
                            bytes,
                            ms: 0,
                            resumed: Some(r.clone()),
                            text_path: target,
                            kept_applied: found.kept_applied,
                        }),
                        ..DocResult::default()
                    };
                }
            }
        }
        if let Err(e) = std::io::Seek::rewind(&mut file) {
            return fail(format!("read error: {e}"));
        }
        let snapshot = document::Snapshot {
            hash: ih,
            len: bytes,
            meta,
        };
        let mut res = document::process_from(job, input, Box::new(file), Some(&snapshot));
        let output_hash = if res.error.is_none() && !res.skipped {
            hash_file(&target)
        } else {
            None
        };
        res.meta = Some(FileMeta {
            key,
            input_hash,
            output_hash,
            bytes,
            ms: t0.elapsed().as_millis() as u64,
            resumed: None,
            text_path: target,
            kept_applied: job.keep_applied,
        });
        res
    }

    /// Record one finished document (in input order): count it and append
    /// its manifest record.
    pub fn record(&mut self, res: &DocResult) -> anyhow::Result<()> {
        let Some(meta) = &res.meta else {
            return Ok(());
        };
        let st = &mut self.stats;
        st.files += 1;
        let ok_doc = Doc {
            display: res.display.clone(),
            key: meta.key.clone(),
            path: meta.text_path.clone(),
            undo: meta
                .resumed
                .as_ref()
                .and_then(|_| self.prev_undo.get(&meta.key))
                .filter(|u| meta.output_hash.as_deref() == Some(u.rewritten.as_str()))
                .cloned(),
        };
        let resumed = meta.resumed.is_some();
        if let (Some((fp, fw)), None, false, false) =
            (&mut self.findings_writer, &res.error, res.skipped, resumed)
        {
            let rec = FindingsRecord {
                path: meta.key.clone(),
                input_hash: meta.input_hash.clone(),
                settings: self.settings.clone(),
                kept_applied: meta.kept_applied,
                findings: res.findings.clone(),
                applied_counts: res.applied_counts.clone(),
                lines: res.lines.clone(),
                rules: res.rules.clone(),
                changed: res.changed,
                notices: res.notices.clone(),
            };
            let mut line = serde_json::to_vec(&rec).context("cannot serialize findings")?;
            line.push(b'\n');
            fw.write_all(&line)
                .with_context(|| format!("cannot write {}", fp.display()))?;
        }
        // A resumed file has no new manifest record.
        let status = if resumed {
            st.resumed += 1;
            None
        } else {
            st.bytes += meta.bytes;
            Some(if res.error.is_some() {
                st.errors += 1;
                Status::Error
            } else if res.skipped {
                st.binary += 1;
                Status::SkippedBinary
            } else if res.changed {
                st.done += 1;
                Status::Done
            } else {
                st.unchanged += 1;
                Status::Unchanged
            })
        };
        // The table counts what the report does, resumed or not: the
        // findings as the side file keeps them (not the manifest's, which
        // include the corpus pass's rewrites: the corpus pass counts its
        // own findings).
        let mut tiers = TierCounts {
            safe: res.applied_counts.safe,
            review: res.applied_counts.review,
            suggest: res.applied_counts.suggest,
            applied: res.applied_counts.applied,
        };
        for f in &res.findings {
            match f.tier() {
                Applicability::Safe => tiers.safe += 1,
                Applicability::Review => tiers.review += 1,
                Applicability::Suggest => tiers.suggest += 1,
            }
            tiers.applied += f.applied as usize;
        }
        st.tiers.safe += tiers.safe;
        st.tiers.review += tiers.review;
        st.tiers.suggest += tiers.suggest;
        st.tiers.applied += tiers.applied;
        for (r, n) in &res.rules {
            *st.rules.entry(r.clone()).or_default() += n;
        }
        if matches!(status, None | Some(Status::Done | Status::Unchanged)) {
            self.docs.push(ok_doc);
        }
        if let (Some(w), Some(status)) = (&mut self.writer, status) {
            let rec = Record {
                path: meta.key.clone(),
                status,
                input_hash: meta.input_hash.clone(),
                output_hash: meta.output_hash.clone(),
                settings: self.settings.clone(),
                bytes: meta.bytes,
                findings: tiers,
                rules: res.rules.clone(),
                error: res.error.clone(),
                ms: meta.ms,
            };
            w.append(&rec)
                .with_context(|| format!("cannot write manifest {}", w.path().display()))?;
        }
        Ok(())
    }

    /// Sync the manifest records appended so far to disk (once per batch
    /// of documents: a crash loses at most one batch's records, whose
    /// files are then processed again, with the same result).
    pub fn sync(&mut self) -> anyhow::Result<()> {
        // Findings first: a manifest record whose findings were lost in a
        // crash only means the file is processed again.
        if let Some((fp, fw)) = &mut self.findings_writer {
            fw.sync_data()
                .with_context(|| format!("cannot write {}", fp.display()))?;
        }
        if let Some(w) = &mut self.writer {
            w.sync()
                .with_context(|| format!("cannot write manifest {}", w.path().display()))?;
        }
        Ok(())
    }

    /// The summary table.
    pub fn write_summary(&self, out: &mut dyn Write) -> std::io::Result<()> {
        let s = &self.stats;
        let secs = self.start.elapsed().as_secs_f64();
        let mb = s.bytes as f64 / 1e6;
        writeln!(out, "corpus run summary")?;
        writeln!(
            out,
            "  files      {:>7}   done {} · unchanged {} · resumed {} · errors {} · binary {}",
            s.files, s.done, s.unchanged, s.resumed, s.errors, s.binary
        )?;
        writeln!(
            out,
            "  findings   {:>7}   safe {} · review {} · suggest {} · applied {}",
            s.tiers.safe + s.tiers.review + s.tiers.suggest,
            s.tiers.safe,
            s.tiers.review,
            s.tiers.suggest,
            s.tiers.applied
        )?;
        let mut top: Vec<(&String, &usize)> = s.rules.iter().collect();
        top.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        if !top.is_empty() {
            let list: Vec<String> = top
                .iter()
                .take(5)
                .map(|(r, n)| format!("{r} {n}"))
                .collect();
            writeln!(out, "  top rules            {}", list.join(" · "))?;
        }
        if s.variants > 0 || !s.corpus.is_empty() {
            writeln!(
                out,
                "  corpus               {} variant spelling(s) · X801 {} · X802 {} · {} file(s) rewritten",
                s.variants,
                s.corpus.get(consistency::CODE).unwrap_or(&0),
                s.corpus.get(minhash::CODE).unwrap_or(&0),
                s.rewritten
            )?;
        }
        writeln!(
            out,
            "  throughput {:>7.2} MB in {:.2} s ({:.2} MB/s)",
            mb,
            secs,
            if secs > 0.0 { mb / secs } else { 0.0 }
        )?;
        if let Some(w) = &self.writer {
            writeln!(out, "  manifest   {}", w.path().display())?;
        }
        Ok(())
    }
}

/// Remove the temporary files (`.zhclean-*.tmp`) a killed run left under
/// an output directory, so a resumed run leaves the same tree as an
/// uninterrupted one.
fn remove_stale_temps(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let Ok(ft) = e.file_type() else { continue };
        let name = e.file_name();
        let name = name.to_string_lossy();
        if ft.is_dir() {
            remove_stale_temps(&e.path());
        } else if ft.is_file() && name.starts_with(".zhclean-") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}
