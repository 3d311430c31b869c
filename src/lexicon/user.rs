//! User data files: extra words, the allow-list, and `wrong → right`
//! corrections. Every malformed line is an error naming file and line.
//!
//! Formats (UTF-8, an optional BOM, `#` starts a comment line, blank lines
//! ignored, surrounding spaces trimmed; text is normalized to NFC):
//! - words: `word [freq [flags]]`, separated by a tab or spaces; `freq` is a
//!   whole number (default [`DEFAULT_USER_FREQ`]); `flags` is a number (the
//!   [`WordFlags`] bits) or names joined by `,` or `|`: `idiom`, `surname`,
//!   `place`, `person`, `redup`, `verb`, `adj`, `noun`;
//! - allow-list: one term per line (no tabs);
//! - corrections: `wrong<TAB>right` (or `wrong -> right`); both sides
//!   non-empty and different, one right side per wrong side.
//!
//! Costs: each loader reads the whole file once; O(file size).

use super::{Entry, Lexicon, LexiconError, WordFlags};
use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use unicode_normalization::UnicodeNormalization;

/// A fast hasher for string keys of user data (FxHash's multiply-rotate,
/// eight bytes at a time). SipHash was a fifth of the time of loading 500k
/// corrections; the keys come from the user's own files.
#[derive(Default, Clone, Copy)]
pub(crate) struct StrHasher(u64);

impl std::hash::Hasher for StrHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            let w = u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]);
            self.add(w);
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last) ^ ((rest.len() as u64) << 59));
    }
    fn write_u8(&mut self, i: u8) {
        self.add(i as u64);
    }
    fn write_usize(&mut self, i: usize) {
        self.add(i as u64);
    }
    fn finish(&self) -> u64 {
        // The multiply mixes into the high bits; the table indexes by the
        // low ones (as rustc-hash 2 does).
        self.0.rotate_left(26)
    }
}

impl StrHasher {
    fn add(&mut self, w: u64) {
        self.0 = (self.0.rotate_left(5) ^ w).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

/// Build hasher of [`StrHasher`].
pub(crate) type StrBuild = std::hash::BuildHasherDefault<StrHasher>;

/// Frequency of a user word given without one (a common word's order of
/// magnitude in the embedded list, so user words win segmentation ties).
pub const DEFAULT_USER_FREQ: u64 = 1000;
/// Largest frequency the lexicon can store.
pub const MAX_FREQ: u64 = (1 << 40) - 1;
/// Longest user word or term accepted, in chars.
pub const MAX_TERM_CHARS: usize = 64;

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
    /// The words could not be compiled into a lexicon.
    #[error("{path}: {source}")]
    Lexicon {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: LexiconError,
    },
}

impl UserDataError {
    /// A malformed-line error for `path`:`line`.
    fn malformed(path: &Path, line: usize, message: String) -> UserDataError {
        UserDataError::Malformed {
            path: path.to_path_buf(),
            line,
            message,
        }
    }
}

fn read(path: &Path) -> Result<String, UserDataError> {
    let bytes = std::fs::read(path).map_err(|source| UserDataError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    match String::from_utf8(bytes) {
        Ok(mut s) => {
            if s.starts_with('\u{feff}') {
                s.drain(..'\u{feff}'.len_utf8());
            }
            Ok(s)
        }
        Err(e) => {
            let at = e.utf8_error().valid_up_to();
            let line = 1 + e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count();
            Err(UserDataError::malformed(
                path,
                line,
                format!("not valid UTF-8 (byte {at}); save the file as UTF-8"),
            ))
        }
    }
}

fn content_lines(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty() && !l.starts_with('#'))
}

/// Checks shared by words, allow-list terms and both sides of corrections.
pub(crate) fn check_term(term: &str, what: &str) -> Result<String, String> {
    check_term_cow(term, what).map(Cow::into_owned)
}

/// Chars that are never control characters and are their own NFC form in
/// any context (NFC quick check `Yes`, canonical combining class 0):
/// printable ASCII, CJK Unified Ideographs and Extension A.
fn is_plain_nfc(c: char) -> bool {
    matches!(c, ' '..='~' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}')
}

/// [`check_term`] without a copy when `term` is already NFC.
fn check_term_cow<'t>(term: &'t str, what: &str) -> Result<Cow<'t, str>, String> {
    // Fast path for the usual term (Han and ASCII only): one pass and no
    // table lookups; the NFC quick check was most of the time of loading
    // 500k corrections.
    let mut n = 0;
    if term.chars().all(|c| {
        n += 1;
        is_plain_nfc(c)
    }) && n <= MAX_TERM_CHARS
    {
        return Ok(Cow::Borrowed(term));
    }
    if let Some(c) = term.chars().find(|c| c.is_control()) {
        return Err(format!(
            "{what} contains a control character U+{:04X}",
            c as u32
        ));
    }
    let n = term.chars().count();
    if n > MAX_TERM_CHARS {
        return Err(format!(
            "{what} is {n} chars long (at most {MAX_TERM_CHARS})"
        ));
    }
    if unicode_normalization::is_nfc_quick(term.chars()) == unicode_normalization::IsNormalized::Yes
    {
        return Ok(Cow::Borrowed(term));
    }
    Ok(Cow::Owned(term.nfc().collect()))
}

/// Parse a flags field: a number or names joined by `,` or `|`.
pub fn parse_flags(s: &str) -> Result<WordFlags, String> {
    if let Ok(n) = s.parse::<u32>() {
        return if n < (1 << 6) {
            Ok(WordFlags(n))
        } else {
            Err(format!("flags `{s}` has unknown bits (at most 63)"))
        };
    }
    let mut f = WordFlags::default();
    for name in s.split([',', '|']) {
        f = f.union(match name.trim().to_ascii_lowercase().as_str() {
            "idiom" => WordFlags::IDIOM,
            "surname" => WordFlags::SURNAME,
            "place" => WordFlags::PLACE,
            "person" => WordFlags::PERSON,
            "redup" => WordFlags::REDUP,
            "user" => WordFlags::USER,
            "verb" => WordFlags::VERB,
            "adj" => WordFlags::ADJ,
            "noun" => WordFlags::NOUN,
            other => {
                return Err(format!(
                    "unknown flag `{other}` (expected idiom, surname, place, person, redup, verb, adj, noun or a number)"
                ))
            }
        });
    }
    Ok(f)
}

/// Load a user word list.
pub fn load_words(path: &Path) -> Result<Vec<(String, Entry)>, UserDataError> {
    let text = read(path)?;
    let mut out = Vec::new();
    for (line, l) in content_lines(&text) {
        let bad = |message: String| UserDataError::malformed(path, line, message);
        let fields: Vec<&str> = l.split_whitespace().collect();
        if fields.len() > 3 {
            return Err(bad(format!(
                "expected `word [freq [flags]]`, found {} fields",
                fields.len()
            )));
        }
        let word = check_term(fields[0], "word").map_err(bad)?;
        let freq = match fields.get(1) {
            None => DEFAULT_USER_FREQ,
            Some(x) => match x.parse::<u64>() {
                Ok(f) if f <= MAX_FREQ => f,
                Ok(_) => {
                    return Err(bad(format!(
                        "frequency `{x}` is too large (max {MAX_FREQ})"
                    )))
                }
                Err(_) => return Err(bad(format!("frequency `{x}` is not a whole number"))),
            },
        };
        let flags = match fields.get(2) {
            None => WordFlags::default(),
            Some(x) => parse_flags(x).map_err(bad)?,
        };
        out.push((word, Entry { freq, flags }));
    }
    Ok(out)
}

/// Load an allow-list.
pub fn load_allow(path: &Path) -> Result<Vec<String>, UserDataError> {
    let text = read(path)?;
    let mut out = Vec::new();
    for (line, l) in content_lines(&text) {
        let bad = |message: String| UserDataError::malformed(path, line, message);
        if l.contains('\t') {
            return Err(bad(
                "one term per line; found a tab (is this a corrections file?)".into(),
            ));
        }
        out.push(check_term(l, "term").map_err(bad)?);
    }
    Ok(out)
}

/// The number of `needle` bytes in `hay`.
fn memchr_count(needle: u8, hay: &[u8]) -> usize {
    hay.iter().filter(|&&b| b == needle).count()
}

/// `s` without the leading and trailing chars that match `edge`; a look at
/// its first and last char when there are none (`str::trim_matches` costs
/// several times more on the usual line).
fn trim_edges(s: &str, edge: impl Fn(char) -> bool + Copy) -> &str {
    let mut cs = s.chars();
    let clean = |c: Option<char>| c.map_or(true, |c| !edge(c));
    if clean(cs.next()) && clean(cs.next_back()) {
        s
    } else {
        s.trim_matches(edge)
    }
}

/// Load user corrections. Cost: linear in the file (500k pairs: one
/// allocation per side, one hash lookup per line; BENCHMARKS.md "Issue 19").
pub fn load_corrections(path: &Path) -> Result<Vec<(String, String)>, UserDataError> {
    let text = read(path)?;
    // At most one pair per line: no regrowth of the list or the map.
    let lines_hint = memchr_count(b'\n', text.as_bytes()) + 1;
    let mut out: Vec<(String, String)> = Vec::with_capacity(lines_hint);
    // wrong side (borrowed from the file's text unless NFC changed it) ->
    // (its line, its index in `out`): one hash lookup and no extra copy
    // per line.
    let mut seen: HashMap<Cow<'_, str>, (usize, usize), StrBuild> =
        HashMap::with_capacity_and_hasher(lines_hint, StrBuild::default());
    // Trim spaces only: a leading or trailing tab is a field separator.
    let space = |c: char| c != '\t' && c.is_whitespace();
    let lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, trim_edges(l, space)))
        .filter(|(_, l)| {
            !(l.is_empty() || l.starts_with('#') || l.starts_with('\t') && l.trim().is_empty())
        });
    for (line, l) in lines {
        let bad = |message: String| UserDataError::malformed(path, line, message);
        let (w, r) = if let Some(t) = l.bytes().position(|b| b == b'\t') {
            let (w, r) = (&l[..t], &l[t + 1..]);
            if r.bytes().any(|b| b == b'\t') {
                return Err(bad(format!(
                    "expected `wrong<TAB>right`, found {} tab-separated fields",
                    l.matches('\t').count() + 1
                )));
            }
            (w, r)
        } else if let Some((w, r)) = l.split_once("->") {
            (w, r)
        } else {
            return Err(bad("expected `wrong<TAB>right` or `wrong -> right`".into()));
        };
        let (w, r) = (
            trim_edges(w, char::is_whitespace),
            trim_edges(r, char::is_whitespace),
        );
        if w.is_empty() {
            return Err(bad("the wrong side is empty".into()));
        }
        if r.is_empty() {
            return Err(bad(format!(
                "the right side of `{w}` is empty (deletions are not supported)"
            )));
        }
        let w = check_term_cow(w, "wrong side").map_err(bad)?;
        let r = check_term_cow(r, "right side").map_err(bad)?;
        if w == r {
            return Err(bad(format!("`{w}` is corrected to itself")));
        }
        match seen.entry(w) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let (first, k) = *e.get();
                let r0 = &out[k].1;
                if *r0 != r {
                    return Err(bad(format!(
                        "`{}` already corrected to `{r0}` on line {first}",
                        e.key()
                    )));
                }
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                let w = e.key().to_string();
                e.insert((line, out.len()));
                out.push((w, r.into_owned()));
            }
        }
    }
    Ok(out)
}

/// `base` with the words of every file in `paths` added
/// ([`Lexicon::with_user_words`]). A file ending in `.fst` is read as a
/// lexicon compiled by `zhclean dict build`; any other file as a word list
/// ([`load_words`]). Cost: reading the files plus
/// [`Lexicon::with_user_words`] (on the embedded lexicon: a small layer,
/// under a millisecond for a few thousand words). Callers without user
/// word files can keep using `base`.
pub fn load_user_lexicon(base: &Lexicon, paths: &[PathBuf]) -> Result<Lexicon, UserDataError> {
    let mut words: Vec<(String, Entry)> = Vec::new();
    for p in paths {
        if p.extension().is_some_and(|e| e == "fst") {
            let bytes = std::fs::read(p).map_err(|source| UserDataError::Io {
                path: p.clone(),
                source,
            })?;
            let lex =
                Lexicon::from_fst_bytes(bytes.into()).map_err(|source| UserDataError::Lexicon {
                    path: p.clone(),
                    source,
                })?;
            lex.for_each(|w, e| words.push((w.to_string(), e)));
        } else {
            words.extend(load_words(p)?);
        }
    }
    base.with_user_words(words)
        .map_err(|source| UserDataError::Lexicon {
            path: paths.first().cloned().unwrap_or_default(),
            source,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_path_chars_need_no_normalization_and_are_not_controls() {
        let plain = (' '..='~')
            .chain('\u{3400}'..='\u{4DBF}')
            .chain('\u{4E00}'..='\u{9FFF}');
        for c in plain {
            assert!(is_plain_nfc(c));
            assert!(!c.is_control(), "{c:?}");
            assert_eq!(
                unicode_normalization::is_nfc_quick(std::iter::once(c)),
                unicode_normalization::IsNormalized::Yes,
                "{c:?}"
            );
            assert_eq!(unicode_normalization::char::canonical_combining_class(c), 0);
        }
        for c in [
            '\t', '\u{7f}', '\u{301}', '\u{3000}', '\u{F900}', '\u{FF0C}',
        ] {
            assert!(!is_plain_nfc(c), "{c:?}");
        }
    }

    #[test]
    fn the_fast_path_keeps_the_checks() {
        let long = "中".repeat(MAX_TERM_CHARS + 1);
        assert!(check_term(&long, "term").unwrap_err().contains("65 chars"));
        assert_eq!(
            check_term(&"中".repeat(MAX_TERM_CHARS), "term")
                .unwrap()
                .chars()
                .count(),
            64
        );
        // A compatibility ideograph is changed by NFC; a decomposed é is composed.
        assert_eq!(check_term("\u{F900}x", "term").unwrap(), "\u{8C48}x");
        assert_eq!(check_term("cafe\u{301}", "term").unwrap(), "caf\u{e9}");
        assert!(check_term("甲\u{7}", "term")
            .unwrap_err()
            .contains("U+0007"));
    }

    #[test]
    fn correction_lines_are_trimmed_of_any_space_but_tabs() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("c.tsv");
        std::fs::write(
            &p,
            "\u{3000}甲 \t 乙\u{3000}\n\t\t\n \u{a0}\n丙 -> 丁 \n戊\u{3000}->\u{3000}己\n",
        )
        .unwrap();
        let pairs = load_corrections(&p).unwrap();
        let want = [("甲", "乙"), ("丙", "丁"), ("戊", "己")];
        assert_eq!(
            pairs,
            want.map(|(a, b)| (a.to_string(), b.to_string())).to_vec()
        );
        // A tab at the edge of a line is a separator, not space.
        std::fs::write(&p, "甲\t乙\t\n").unwrap();
        assert!(load_corrections(&p)
            .unwrap_err()
            .to_string()
            .contains("3 tab-separated fields"));
    }
}
