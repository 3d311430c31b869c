//! User data files: extra words, the allow-list, and `wrong → right`
//! corrections. Every malformed line is an error naming file and line.
//!
//! Formats (UTF-8, `#` starts a comment line, blank lines ignored):
//! - words: `word [freq [flags]]`, separated by a tab or spaces;
//! - allow-list: one term per line;
//! - corrections: `wrong<TAB>right` (or `wrong -> right`).

use super::Entry;
use std::path::{Path, PathBuf};

/// A problem in a user data file.
#[derive(Debug, thiserror::Error)]
pub enum UserDataError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// A line is malformed.
    #[error("{path}:{line}: {message}")]
    Malformed {
        /// The file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

fn read(path: &Path) -> Result<String, UserDataError> {
    std::fs::read_to_string(path).map_err(|source| UserDataError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

/// Load a user word list.
pub fn load_words(path: &Path) -> Result<Vec<(String, Entry)>, UserDataError> {
    let text = read(path)?;
    let mut out = Vec::new();
    for (line, l) in content_lines(&text) {
        let mut f = l.split_whitespace();
        let word = f.next().unwrap_or_default().to_string();
        let bad = |message: String| UserDataError::Malformed {
            path: path.to_path_buf(),
            line,
            message,
        };
        let freq = match f.next() {
            None => 1000,
            Some(x) => x
                .parse()
                .map_err(|_| bad(format!("frequency `{x}` is not a whole number")))?,
        };
        out.push((
            word,
            Entry {
                freq,
                flags: Default::default(),
            },
        ));
    }
    Ok(out)
}

/// Load an allow-list.
pub fn load_allow(path: &Path) -> Result<Vec<String>, UserDataError> {
    let text = read(path)?;
    Ok(content_lines(&text).map(|(_, l)| l.to_string()).collect())
}

/// Load user corrections.
pub fn load_corrections(path: &Path) -> Result<Vec<(String, String)>, UserDataError> {
    let text = read(path)?;
    let mut out = Vec::new();
    for (line, l) in content_lines(&text) {
        let pair = l.split_once('\t').or_else(|| l.split_once("->"));
        match pair {
            Some((w, r)) if !w.trim().is_empty() => {
                out.push((w.trim().to_string(), r.trim().to_string()))
            }
            _ => {
                return Err(UserDataError::Malformed {
                    path: path.to_path_buf(),
                    line,
                    message: "expected `wrong<TAB>right`".into(),
                })
            }
        }
    }
    Ok(out)
}
