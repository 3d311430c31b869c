//! Turning command-line paths into a sorted list of inputs.
//!
//! A file named on the command line is always an input, whatever its name.
//! A directory is walked recursively in sorted order; hidden entries (names
//! starting with `.`) are skipped, symbolic links to directories are not
//! followed (no cycles), and a file is an input if its name passes the
//! [`Filter`]. `-` is standard input.

use std::fs;
use std::path::{Path, PathBuf};

/// Which files found in a directory walk are inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    /// Extensions (without dot, case-insensitive); `""` means "no
    /// extension".
    pub exts: Vec<String>,
    /// File-name globs (`*` any run, `?` one char); a match also makes an
    /// input.
    pub globs: Vec<String>,
}

impl Default for Filter {
    /// `.txt` files and files without an extension.
    fn default() -> Filter {
        Filter {
            exts: vec!["txt".into(), String::new()],
            globs: Vec::new(),
        }
    }
}

impl Filter {
    /// True if a file with this name is an input.
    pub fn accepts(&self, name: &str) -> bool {
        let ext = match name.rfind('.') {
            Some(i) if i > 0 => &name[i + 1..],
            _ => "",
        };
        self.exts.iter().any(|e| e.eq_ignore_ascii_case(ext))
            || self.globs.iter().any(|g| glob_match(g, name))
    }
}

/// Match `name` against a glob with `*` and `?`.
pub fn glob_match(glob: &str, name: &str) -> bool {
    let g: Vec<char> = glob.chars().collect();
    let n: Vec<char> = name.chars().collect();
    let (mut gi, mut ni) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ni < n.len() {
        if gi < g.len() && (g[gi] == '?' || g[gi] == n[ni]) {
            gi += 1;
            ni += 1;
        } else if gi < g.len() && g[gi] == '*' {
            star = Some((gi, ni));
            gi += 1;
        } else if let Some((sg, sn)) = star {
            gi = sg + 1;
            ni = sn + 1;
            star = Some((sg, sn + 1));
        } else {
            return false;
        }
    }
    g[gi..].iter().all(|&c| c == '*')
}

/// One input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InputPath {
    /// Standard input (`-`).
    Stdin,
    /// A file.
    File {
        /// The path to read.
        path: PathBuf,
        /// The path relative to the argument it came from (the file name
        /// for a file argument): where it goes under `--out DIR`.
        rel: PathBuf,
    },
}

impl InputPath {
    /// The name shown in reports: `-` for stdin, else the path.
    pub fn display(&self) -> String {
        match self {
            InputPath::Stdin => "-".into(),
            InputPath::File { path, .. } => path.display().to_string(),
        }
    }
}

/// A path that could not be walked.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {source}")]
pub struct WalkError {
    /// The path.
    pub path: PathBuf,
    /// The cause.
    pub source: std::io::Error,
}

/// Expand command-line paths into inputs, in argument order, each
/// directory's files sorted by path. Errors (a missing path, an unreadable
/// directory) are returned in place so the run can go on.
pub fn collect(paths: &[PathBuf], filter: &Filter) -> Vec<Result<InputPath, WalkError>> {
    let mut out = Vec::new();
    for p in paths {
        if p.as_os_str() == "-" {
            out.push(Ok(InputPath::Stdin));
            continue;
        }
        match fs::metadata(p) {
            Err(source) => out.push(Err(WalkError {
                path: p.clone(),
                source,
            })),
            Ok(m) if m.is_dir() => walk_dir(p, p, filter, &mut out),
            Ok(_) => out.push(Ok(InputPath::File {
                path: p.clone(),
                rel: p
                    .file_name()
                    .map(PathBuf::from)
                    .unwrap_or_else(|| p.clone()),
            })),
        }
    }
    out
}

fn walk_dir(root: &Path, dir: &Path, filter: &Filter, out: &mut Vec<Result<InputPath, WalkError>>) {
    let entries = match fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(source) => {
            out.push(Err(WalkError {
                path: dir.to_path_buf(),
                source,
            }));
            return;
        }
    };
    let mut items: Vec<(PathBuf, String)> = Vec::new();
    for e in entries {
        match e {
            Ok(e) => {
                let name = e.file_name().to_string_lossy().into_owned();
                if !name.starts_with('.') {
                    items.push((e.path(), name));
                }
            }
            Err(source) => out.push(Err(WalkError {
                path: dir.to_path_buf(),
                source,
            })),
        }
    }
    items.sort();
    for (path, name) in items {
        let link = fs::symlink_metadata(&path)
            .map(|m| m.file_type().is_symlink())
            .unwrap_or(false);
        match fs::metadata(&path) {
            Ok(m) if m.is_dir() => {
                if !link {
                    walk_dir(root, &path, filter, out);
                }
            }
            Ok(m) if m.is_file() => {
                if filter.accepts(&name) {
                    let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
                    out.push(Ok(InputPath::File { path, rel }));
                }
            }
            Ok(_) => {}
            Err(source) => out.push(Err(WalkError { path, source })),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("*.txt", "a.txt"));
        assert!(glob_match("page-??.md", "page-01.md"));
        assert!(!glob_match("page-??.md", "page-1.md"));
        assert!(glob_match("*", ""));
        assert!(glob_match("a*b*c", "aXXbYYc"));
        assert!(!glob_match("a*b*c", "aXXbYY"));
    }

    #[test]
    fn default_filter() {
        let f = Filter::default();
        assert!(f.accepts("a.txt") && f.accepts("A.TXT") && f.accepts("README"));
        assert!(!f.accepts("a.png") && !f.accepts("a.tar.gz"));
    }

    #[test]
    fn walks_sorted_and_filtered() {
        let d = tempfile::tempdir().unwrap();
        let r = d.path();
        fs::create_dir_all(r.join("b/c")).unwrap();
        fs::create_dir_all(r.join(".git")).unwrap();
        for f in [
            "z.txt",
            "a.txt",
            "b/c/x.txt",
            "b/y.png",
            "b/noext",
            ".git/HEAD",
            ".h.txt",
        ] {
            fs::write(r.join(f), "x").unwrap();
        }
        let got: Vec<String> = collect(&[r.to_path_buf()], &Filter::default())
            .into_iter()
            .map(|i| match i.unwrap() {
                InputPath::File { rel, .. } => rel.to_string_lossy().replace('\\', "/"),
                InputPath::Stdin => "-".into(),
            })
            .collect();
        assert_eq!(got, ["a.txt", "b/c/x.txt", "b/noext", "z.txt"]);
        let missing = collect(&[r.join("missing")], &Filter::default());
        assert!(missing[0].is_err());
    }
}
