//! From settings to a running engine: what the `zhclean` command line and
//! the language bindings (the Python package in `python/`) share, so both
//! clean a text the same way for the same settings.
//!
//! - [`resolve`]: built-in defaults < an optional configuration file <
//!   settings given in code, as `zhclean --no-config [--config FILE]
//!   [flags]` resolves them (the command line also discovers a
//!   `zhclean.toml` upward from the working directory; the bindings never
//!   do);
//! - [`user_lexicon`]: the embedded lexicon with the configuration's word
//!   lists added (`None` when it names none);
//! - [`engine_options`]: the engine [`Options`] of a configuration (allow
//!   files, corrections, `ignore_re`, rules, profile, channel);
//! - [`user_words`]: words given in code, checked and normalized like the
//!   lines of a word list file.
//!
//! ```
//! use zhclean::{api, config::Config, engine::Engine, lexicon::Lexicon};
//! let config = api::resolve(None, Config::default()).unwrap();
//! let opts = api::engine_options(&config, config.apply).unwrap();
//! let engine = Engine::new(Lexicon::embedded(), opts);
//! assert_eq!(engine.process_str("你好,世界\n").text, "你好，世界\n");
//! ```

use crate::config::{Config, ConfigError};
use crate::correct::confusion::{Channel, ChannelError};
use crate::edit::Applicability;
use crate::engine::Options;
use crate::lexicon::user::{self, UserDataError, DEFAULT_USER_FREQ, MAX_FREQ};
use crate::lexicon::{Entry, Lexicon, LexiconError, WordFlags};
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Why settings could not be turned into an engine. Each variant names
/// the file or the setting at fault; the cause, where there is one, is the
/// error's source (a chain-printing caller shows it once).
#[derive(Debug, thiserror::Error)]
pub enum SetupError {
    /// The configuration file could not be read or is invalid.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// A user data file (word list, allow-list, corrections) could not be
    /// read or has a malformed line.
    #[error(transparent)]
    UserData(#[from] UserDataError),
    /// An `ignore_re` pattern does not compile.
    #[error("ignore_re `{pattern}`")]
    Regex {
        /// The pattern.
        pattern: String,
        /// The cause.
        source: regex::Error,
    },
    /// The channel file could not be read.
    #[error("reading channel {}", path.display())]
    ChannelRead {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The channel file has a malformed line.
    #[error("channel {}", path.display())]
    Channel {
        /// The file.
        path: PathBuf,
        /// The cause (names the line).
        source: ChannelError,
    },
    /// A word given in code is not acceptable.
    #[error("word `{word}`: {message}")]
    Word {
        /// The word as given.
        word: String,
        /// What is wrong.
        message: String,
    },
    /// The words could not be added to the lexicon.
    #[error("user words")]
    Lexicon {
        /// The cause.
        source: LexiconError,
    },
}

/// The settings of `file` (if any) with `flags` on top, validated, `apply`
/// and `profile` filled with their defaults (`safe`, `ocr`). Errors in
/// `flags` name `arguments` as their origin.
pub fn resolve(file: Option<&Path>, mut flags: Config) -> Result<Config, ConfigError> {
    let mut merged = Config::default();
    if let Some(p) = file {
        merged = merged.merge(Config::load(p)?);
    }
    flags.validate("arguments")?;
    let mut config = merged.merge(flags);
    config.apply.get_or_insert(Applicability::Safe);
    config.profile.get_or_insert_with(Default::default);
    Ok(config)
}

/// The embedded lexicon with the words of `config.dictionaries` added
/// (word lists, or `.fst` files from `zhclean dict build`) and `extra`
/// words on top; `None` when there are neither (use
/// [`Lexicon::embedded`]). Cost: reading the files plus
/// [`Lexicon::with_user_words`].
pub fn user_lexicon(
    config: &Config,
    extra: Vec<(String, Entry)>,
) -> Result<Option<Lexicon>, SetupError> {
    if config.dictionaries.is_empty() && extra.is_empty() {
        return Ok(None);
    }
    let base = if config.dictionaries.is_empty() {
        None
    } else {
        Some(user::load_user_lexicon(
            Lexicon::embedded(),
            &config.dictionaries,
        )?)
    };
    if extra.is_empty() {
        return Ok(base);
    }
    let on = base.as_ref().unwrap_or(Lexicon::embedded());
    on.with_user_words(extra)
        .map(Some)
        .map_err(|source| SetupError::Lexicon { source })
}

/// Words given in code (`word` with an optional frequency), checked and
/// normalized (NFC) as the lines of a word list file are.
pub fn user_words(words: &[(String, Option<u64>)]) -> Result<Vec<(String, Entry)>, SetupError> {
    words
        .iter()
        .map(|(w, freq)| {
            let bad = |message: String| SetupError::Word {
                word: w.clone(),
                message,
            };
            if w.trim().is_empty() {
                return Err(bad("empty".into()));
            }
            let word = user::check_term(w.trim(), "word").map_err(bad)?;
            let freq = freq.unwrap_or(DEFAULT_USER_FREQ);
            if freq > MAX_FREQ {
                return Err(bad(format!(
                    "frequency {freq} is too large (max {MAX_FREQ})"
                )));
            }
            Ok((
                word,
                Entry {
                    freq,
                    flags: WordFlags::default(),
                },
            ))
        })
        .collect()
}

/// The engine options for `config`, applying `apply` (None: report
/// only). Reads the allow files, correction files and the channel file it
/// names.
pub fn engine_options(
    config: &Config,
    apply: Option<Applicability>,
) -> Result<Options, SetupError> {
    let mut allow = config.allow.clone();
    for p in &config.allow_files {
        allow.extend(user::load_allow(p)?);
    }
    let mut corrections = Vec::new();
    for p in &config.corrections {
        corrections.extend(user::load_corrections(p)?);
    }
    let ignore_re = config
        .ignore_re
        .iter()
        .map(|r| {
            regex::Regex::new(r).map_err(|source| SetupError::Regex {
                pattern: r.clone(),
                source,
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    // `..Options::default()` keeps this compiling when the engine gains
    // options.
    #[allow(clippy::needless_update)]
    let opts = Options {
        apply,
        disabled: config.rules.disable.iter().cloned().collect::<HashSet<_>>(),
        only: config.rules.only.iter().cloned().collect::<HashSet<_>>(),
        downgrade: config
            .rules
            .downgrade
            .iter()
            .map(|(k, v)| (k.clone(), *v))
            .collect::<HashMap<_, _>>(),
        allow,
        corrections,
        ignore_re,
        profile: config.profile.unwrap_or_default(),
        channel: config.channel.as_deref().map(load_channel).transpose()?,
        ..Options::default()
    };
    Ok(opts)
}

/// Read and validate an OCR channel file (`--channel FILE`); errors name
/// the file and the line.
pub fn load_channel(path: &Path) -> Result<Arc<Channel>, SetupError> {
    let text = std::fs::read_to_string(path).map_err(|source| SetupError::ChannelRead {
        path: path.to_path_buf(),
        source,
    })?;
    let ch = Channel::from_tsv(&text).map_err(|source| SetupError::Channel {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(Arc::new(ch))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_win_over_the_file_and_defaults_fill_in() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("z.toml");
        std::fs::write(&p, "apply = \"review\"\nprofile = \"typing\"\n").unwrap();
        let c = resolve(Some(&p), Config::default()).unwrap();
        assert_eq!(c.apply, Some(Applicability::Review));
        let flags = Config {
            apply: Some(Applicability::Safe),
            ..Config::default()
        };
        let c = resolve(Some(&p), flags).unwrap();
        assert_eq!(c.apply, Some(Applicability::Safe));
        assert_eq!(c.profile.map(|p| p.name()), Some("typing"));
        let c = resolve(None, Config::default()).unwrap();
        assert_eq!(c.apply, Some(Applicability::Safe));
        assert_eq!(c.profile.map(|p| p.name()), Some("ocr"));
    }

    #[test]
    fn bad_flags_name_arguments() {
        let flags = Config {
            ignore_re: vec!["(".into()],
            ..Config::default()
        };
        let e = resolve(None, flags).unwrap_err().to_string();
        assert!(e.starts_with("arguments: ignore_re"), "{e}");
    }

    #[test]
    fn words_are_checked_and_added() {
        let e = user_words(&[("a\u{7}b".into(), None)]).unwrap_err();
        assert!(e.to_string().contains("control character"), "{e}");
        assert!(user_words(&[("甲乙".into(), Some(MAX_FREQ + 1))]).is_err());
        let words = user_words(&[("藁城区丙".into(), Some(5))]).unwrap();
        assert!(Lexicon::embedded().get("藁城区丙").is_none());
        let lex = user_lexicon(&Config::default(), words).unwrap().unwrap();
        assert_eq!(lex.get("藁城区丙").map(|e| e.freq), Some(5));
        assert!(user_lexicon(&Config::default(), Vec::new())
            .unwrap()
            .is_none());
    }
}
