//! Checks on where outputs go, made before anything is written:
//!
//! - [`plan_outputs`]: two inputs that would write the same output file
//!   (`fix a/x.txt b/x.txt --out out`, or a file named twice under
//!   `--write`) are refused with both names (under `--write`, a symbolic
//!   link to another input is left out instead: one file, rewritten once);
//!   an output that would replace an
//!   input (`--out` equal to the input directory) is refused; inputs found
//!   under the output directory (`--out` inside the input tree: the outputs
//!   of an earlier run) are dropped from the inputs.
//! - [`escapes_root`]: a file reached through a symbolic link during a
//!   directory walk whose target lies outside the walked directory.
//!
//! Paths are compared after resolving symbolic links and `..`
//! ([`absolute`]), so two spellings of one file are one file. Hard links are
//! not detected: two names of one inode are two files here.

use super::walk::InputPath;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

/// Why a set of outputs cannot be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    /// Two inputs map to the same output file.
    #[error("{first} and {second} would both be written to {target}; nothing was written (rename one, or run them separately)")]
    Collision {
        /// The first input (in input order).
        first: String,
        /// The second input.
        second: String,
        /// The output both map to.
        target: String,
    },
    /// An output would replace an input file.
    #[error("--out would overwrite the input {input} (output {target}); choose an output directory outside the inputs")]
    OverwritesInput {
        /// The input.
        input: String,
        /// Its output.
        target: String,
    },
}

/// Where outputs go.
#[derive(Debug, Clone, Copy)]
pub enum OutputMode<'a> {
    /// `--write`: each input is rewritten in place (through a link: its target).
    InPlace,
    /// `--out DIR`: each input goes to `DIR/rel`.
    OutDir(&'a Path),
}

/// The outcome of [`plan_outputs`]: the inputs to process and those left out.
#[derive(Debug, Default)]
pub struct Plan {
    /// The inputs to process, in the given order.
    pub inputs: Vec<InputPath>,
    /// Inputs under the output directory, left out (earlier outputs).
    pub excluded: Vec<InputPath>,
    /// Under `--write`: a symbolic link to a file that is also an input,
    /// left out (the file is processed once), with the input it duplicates.
    pub same_file: Vec<(InputPath, String)>,
}

/// `path` made absolute with symbolic links and `.`/`..` resolved as far as
/// it exists; the part that does not exist yet is appended as written (with
/// `.` and `..` applied lexically).
pub fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let base = if path.is_absolute() {
        PathBuf::new()
    } else {
        std::env::current_dir().unwrap_or_default()
    };
    let full = base.join(path);
    // Find the longest prefix that exists.
    let comps: Vec<Component<'_>> = full.components().collect();
    for cut in (0..comps.len()).rev() {
        let head: PathBuf = comps[..cut].iter().collect();
        if let Ok(mut p) = std::fs::canonicalize(&head) {
            for c in &comps[cut..] {
                match c {
                    Component::CurDir => {}
                    Component::ParentDir => {
                        p.pop();
                    }
                    other => p.push(other.as_os_str()),
                }
            }
            return p;
        }
    }
    full
}

/// Check the outputs of `inputs` before anything is written (see the module
/// documentation). Standard input is passed through unchanged.
pub fn plan_outputs(inputs: Vec<InputPath>, mode: OutputMode<'_>) -> Result<Plan, PlanError> {
    let mut plan = Plan::default();
    let out_abs = match mode {
        OutputMode::OutDir(d) => Some(absolute(d)),
        OutputMode::InPlace => None,
    };
    // Drop earlier outputs found under the output directory by walking a
    // directory that contains it (not when the walk started inside it: then
    // the check below refuses outputs that replace inputs).
    for i in inputs {
        let earlier_output = match (&i, &out_abs) {
            (InputPath::File { path, rel }, Some(out)) => {
                absolute(path).starts_with(out)
                    && walk_root(path, rel).is_some_and(|root| !absolute(&root).starts_with(out))
            }
            _ => false,
        };
        if earlier_output {
            plan.excluded.push(i);
        } else {
            plan.inputs.push(i);
        }
    }
    let mut seen: HashMap<PathBuf, usize> = HashMap::new();
    let mut input_files: HashMap<PathBuf, usize> = HashMap::new();
    for (n, i) in plan.inputs.iter().enumerate() {
        if let InputPath::File { path, .. } = i {
            input_files.insert(absolute(path), n);
        }
    }
    let mut keep = vec![true; plan.inputs.len()];
    for (n, i) in plan.inputs.iter().enumerate() {
        let InputPath::File { path, rel } = i else {
            continue;
        };
        let target = match mode {
            OutputMode::InPlace => absolute(path),
            OutputMode::OutDir(d) => absolute(&d.join(rel)),
        };
        if let OutputMode::OutDir(d) = mode {
            if let Some(&k) = input_files.get(&target) {
                return Err(PlanError::OverwritesInput {
                    input: plan.inputs[k].display(),
                    target: d.join(rel).display().to_string(),
                });
            }
        }
        if let Some(&first) = seen.get(&target) {
            let is_link = |p: &InputPath| match p {
                InputPath::File { path, .. } => {
                    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
                }
                InputPath::Stdin => false,
            };
            if matches!(mode, OutputMode::InPlace) && (is_link(i) || is_link(&plan.inputs[first])) {
                // A link and its target: one file, rewritten once.
                keep[n] = false;
                plan.same_file
                    .push((i.clone(), plan.inputs[first].display()));
                continue;
            }
            return Err(PlanError::Collision {
                first: plan.inputs[first].display(),
                second: i.display(),
                target: match mode {
                    OutputMode::InPlace => target.display().to_string(),
                    OutputMode::OutDir(d) => d.join(rel).display().to_string(),
                },
            });
        }
        seen.insert(target, n);
    }
    let mut k = keep.into_iter();
    plan.inputs.retain(|_| k.next().unwrap_or(true));
    Ok(plan)
}

/// The directory a walked input was found under: `path` without the
/// components of `rel`, if `rel` is a suffix of `path`.
pub fn walk_root(path: &Path, rel: &Path) -> Option<PathBuf> {
    let n = rel.components().count();
    if n == 0 || !path.ends_with(rel) {
        return None;
    }
    path.ancestors().nth(n).map(Path::to_path_buf)
}

/// For an input found by walking the directory `root`: the file it really
/// is, if a symbolic link on its way leads outside `root` (after resolving
/// links in `root` itself). `None` when it stays inside or cannot be
/// resolved (the read then reports the error).
pub fn escapes_root(root: &Path, path: &Path) -> Option<PathBuf> {
    let root = std::fs::canonicalize(root).ok()?;
    let real = std::fs::canonicalize(path).ok()?;
    (!real.starts_with(&root)).then_some(real)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: &Path, rel: &str) -> InputPath {
        InputPath::File {
            path: path.to_path_buf(),
            rel: PathBuf::from(rel),
        }
    }

    #[test]
    fn collisions_and_overwrites() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        std::fs::create_dir_all(r.join("a")).unwrap();
        std::fs::create_dir_all(r.join("b")).unwrap();
        std::fs::write(r.join("a/x.txt"), "1").unwrap();
        std::fs::write(r.join("b/x.txt"), "2").unwrap();
        let out = r.join("out");
        let ins = vec![
            file(&r.join("a/x.txt"), "x.txt"),
            file(&r.join("b/x.txt"), "x.txt"),
        ];
        let e = plan_outputs(ins, OutputMode::OutDir(&out)).unwrap_err();
        assert!(matches!(e, PlanError::Collision { .. }), "{e}");
        let msg = e.to_string();
        assert!(msg.contains("a/x.txt") && msg.contains("b/x.txt"), "{msg}");
        // The same file twice under --write, spelled differently.
        let ins = vec![
            file(&r.join("a/x.txt"), "x.txt"),
            file(&r.join("a/../a/x.txt"), "x.txt"),
        ];
        assert!(plan_outputs(ins, OutputMode::InPlace).is_err());
        // --out equal to the input directory.
        let ins = vec![file(&r.join("a/x.txt"), "x.txt")];
        let e = plan_outputs(ins, OutputMode::OutDir(&r.join("a"))).unwrap_err();
        assert!(matches!(e, PlanError::OverwritesInput { .. }), "{e}");
        // Earlier outputs under the input tree are left out.
        std::fs::create_dir_all(r.join("a/out")).unwrap();
        std::fs::write(r.join("a/out/x.txt"), "1").unwrap();
        let ins = vec![
            file(&r.join("a/out/x.txt"), "out/x.txt"),
            file(&r.join("a/x.txt"), "x.txt"),
        ];
        let p = plan_outputs(ins, OutputMode::OutDir(&r.join("a/out"))).unwrap();
        assert_eq!((p.inputs.len(), p.excluded.len()), (1, 1));
    }

    #[test]
    fn roots() {
        assert_eq!(
            walk_root(Path::new("d/sub/x.txt"), Path::new("sub/x.txt")),
            Some(PathBuf::from("d"))
        );
        assert_eq!(walk_root(Path::new("d/x.txt"), Path::new("y.txt")), None);
        let d = tempfile::tempdir().unwrap();
        let missing = d.path().join("new/deeper/../file");
        assert_eq!(
            absolute(&missing),
            std::fs::canonicalize(d.path()).unwrap().join("new/file")
        );
    }
}
