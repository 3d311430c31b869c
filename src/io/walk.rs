//! Turning command-line paths into a sorted list of inputs.
//!
//! A file named on the command line is always an input, whatever its name.
//! A directory is walked recursively in sorted order with the `ignore`
//! crate (ripgrep's walker): hidden entries (names starting with `.`) and
//! whatever `.gitignore`, `.ignore` and `.git/info/exclude` leave out are
//! skipped (a `.gitignore` counts outside git repositories too; the
//! directory's parents' ignore files count); [`Filter::no_ignore`] turns the
//! ignore files off; [`Filter::exclude`] globs (gitignore syntax)
//! leave out more. Symbolic links to directories are not followed (no
//! cycles), and a file is an input if its name passes the [`Filter`]. `-`
//! is standard input.

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
    /// Globs (gitignore syntax, relative to the walked directory) of files
    /// and directories left out of a walk.
    pub exclude: Vec<String>,
    /// Walk what ignore files leave out (hidden entries stay out).
    pub no_ignore: bool,
}

impl Default for Filter {
    /// `.txt` files and files without an extension.
    fn default() -> Filter {
        Filter {
            exts: vec!["txt".into(), String::new()],
            globs: Vec::new(),
            exclude: Vec::new(),
            no_ignore: false,
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
            Ok(m) if m.is_dir() => walk_dir(p, filter, &mut out),
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

fn walk_dir(root: &Path, filter: &Filter, out: &mut Vec<Result<InputPath, WalkError>>) {
    let mut over = ignore::overrides::OverrideBuilder::new(root);
    for g in &filter.exclude {
        // An override glob without `!` selects; with it, it leaves out.
        if let Err(e) = over.add(&format!("!{}", g.trim_start_matches('!'))) {
            out.push(Err(WalkError {
                path: PathBuf::from(g),
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()),
            }));
            return;
        }
    }
    let overrides = match over.build() {
        Ok(o) => o,
        Err(e) => {
            out.push(Err(WalkError {
                path: root.to_path_buf(),
                source: std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()),
            }));
            return;
        }
    };
    let walker = ignore::WalkBuilder::new(root)
        .hidden(true)
        .parents(!filter.no_ignore)
        .ignore(!filter.no_ignore)
        .git_ignore(!filter.no_ignore)
        .git_global(!filter.no_ignore)
        .git_exclude(!filter.no_ignore)
        .require_git(false)
        .follow_links(false)
        .overrides(overrides)
        .sort_by_file_name(|a, b| a.cmp(b))
        .build();
    for entry in walker {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                let path = match &e {
                    ignore::Error::WithPath { path, .. } => path.clone(),
                    _ => root.to_path_buf(),
                };
                let source = e
                    .into_io_error()
                    .unwrap_or_else(|| std::io::Error::other("cannot walk"));
                out.push(Err(WalkError { path, source }));
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let path = entry.path().to_path_buf();
        // The manifest and the temporary files of a run are never inputs,
        // even with `--no-ignore`.
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with(".zhclean-") {
            continue;
        }
        match fs::metadata(&path) {
            // Directories are entered by the walker (not through links).
            Ok(m) if m.is_dir() => {}
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
        // .gitignore (no git repository needed), .ignore, --exclude.
        fs::write(r.join(".gitignore"), "b/c/\n").unwrap();
        fs::write(r.join("b/.ignore"), "noext\n").unwrap();
        let rels = |f: &Filter| -> Vec<String> {
            collect(&[r.to_path_buf()], f)
                .into_iter()
                .map(|i| match i.unwrap() {
                    InputPath::File { rel, .. } => rel.to_string_lossy().replace('\\', "/"),
                    InputPath::Stdin => "-".into(),
                })
                .collect()
        };
        assert_eq!(rels(&Filter::default()), ["a.txt", "z.txt"]);
        let f = Filter {
            exclude: vec!["z.*".into()],
            ..Filter::default()
        };
        assert_eq!(rels(&f), ["a.txt"]);
        let f = Filter {
            no_ignore: true,
            ..Filter::default()
        };
        assert_eq!(rels(&f), ["a.txt", "b/c/x.txt", "b/noext", "z.txt"]);
        let missing = collect(&[r.join("missing")], &Filter::default());
        assert!(missing[0].is_err());
    }
}
