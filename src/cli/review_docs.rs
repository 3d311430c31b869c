//! Documents for `review` and `apply --decisions`: read whole, decoded,
//! run through the engine with the same settings, so both commands see the
//! same findings (and so the same finding ids).
use super::args::SettingsArgs;
use super::settings;
use anyhow::bail;
use std::path::{Path, PathBuf};
use zhclean::edit::Applicability;
use zhclean::engine::Engine;
use zhclean::finding::Finding;
use zhclean::io::{walk, Filter, InputPath, TextEncoding};

/// Default decision log, in the working directory.
pub const DEFAULT_DECISIONS: &str = "zhclean-decisions.jsonl";

/// One document, read and checked.
pub struct Doc {
    /// The path as shown and as hashed into finding ids.
    pub path: String,
    /// The file to read and rewrite.
    pub file: PathBuf,
    /// Where it goes under `--out DIR`.
    pub rel: PathBuf,
    /// The decoded text.
    pub text: String,
    /// Its encoding (output is written back in it).
    pub encoding: TextEncoding,
    /// All findings, original-text offsets; safe-tier ones applied unless
    /// `--no-safe`.
    pub findings: Vec<Finding>,
}

/// The engine for `review` and `apply`: safe-tier fixes applied (so only
/// review and suggest findings are pending) unless `no_safe`, in which case
/// nothing is applied and every finding is pending. `extra_allow` is an
/// allow-list file to load too, if it exists.
pub fn engine(
    args: &SettingsArgs,
    no_safe: bool,
    extra_allow: Option<&Path>,
) -> anyhow::Result<(Engine<'static>, Vec<PathBuf>)> {
    // (No `--apply` here: safe fixes are applied unless --no-safe, the
    // others only when decided.)
    let mut resolved = settings::resolve(args, None)?;
    if let Some(p) = extra_allow {
        if p.exists() && !resolved.config.allow_files.iter().any(|a| a == p) {
            resolved.config.allow_files.push(p.to_path_buf());
        }
    }
    let apply = (!no_safe).then_some(Applicability::Safe);
    let (lexicon, opts) = settings::engine_parts(&resolved.config, apply)?;
    Ok((Engine::new(lexicon, opts), resolved.config.allow_files))
}

/// The files under `paths` (directories walked, sorted; each file once).
/// Standard input is refused: a decision names its file.
pub fn inputs(paths: &[PathBuf]) -> anyhow::Result<Vec<(PathBuf, PathBuf)>> {
    let mut out: Vec<(PathBuf, PathBuf)> = Vec::new();
    for w in walk::collect(paths, &Filter::default()) {
        match w? {
            InputPath::Stdin => {
                bail!("standard input (`-`) cannot be reviewed: decisions name their file")
            }
            InputPath::File { path, rel } => {
                if !out.iter().any(|(p, _)| *p == path) {
                    out.push((path, rel));
                }
            }
        }
    }
    Ok(out)
}

/// A path as decisions name it: `.` components dropped, so `./page.txt`
/// and `page.txt` are one file.
pub fn decision_path(file: &Path) -> String {
    let p: PathBuf = file
        .components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect();
    if p.as_os_str().is_empty() {
        file.display().to_string()
    } else {
        p.display().to_string()
    }
}

/// Binary files a walk met: counted, and named one by one only when asked
/// (`-v`), as `check` and `fix` do.
#[derive(Debug, Default)]
pub struct BinarySkips {
    /// List each skipped file on stderr.
    pub verbose: bool,
    /// Files skipped so far.
    pub count: usize,
}

impl BinarySkips {
    /// Count one skipped file (and name it, with `-v`).
    pub fn skip(&mut self, file: &Path) {
        self.count += 1;
        if self.verbose {
            eprintln!("zhclean: note: {}: skipped: binary file", file.display());
        }
    }

    /// `N binary file(s) skipped`, if any were.
    pub fn summary(&self) -> Option<String> {
        match self.count {
            0 => None,
            1 => Some("1 binary file skipped".into()),
            n => Some(format!("{n} binary files skipped")),
        }
    }
}

/// Read, decode and check one file. `Ok(None)`: a binary file, skipped.
pub fn load(engine: &Engine<'_>, file: &Path, rel: &Path) -> anyhow::Result<Option<Doc>> {
    let path = decision_path(file);
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("{path}: {e}"))?;
    let (text, encoding) = match zhclean::io::decode(&bytes) {
        Ok(d) => d,
        Err(zhclean::io::DecodeError::Binary { .. }) => return Ok(None),
        Err(e) => bail!("{path}: {e}"),
    };
    let findings = engine.process_str(&text).findings;
    Ok(Some(Doc {
        path,
        file: file.to_path_buf(),
        rel: rel.to_path_buf(),
        text,
        encoding,
        findings,
    }))
}
