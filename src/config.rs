//! The `zhclean.toml` configuration file.
//!
//! ```toml
//! apply = "safe"                 # or "review": the tiers `fix` applies
//! allow = ["孙雄", "新华社"]        # protected terms: no finding may touch them
//! allow_files = ["allow.txt"]    # more protected terms, one per line
//! dictionaries = ["words.txt"]   # user words: `word [freq]` per line
//! corrections = ["fix.tsv"]      # user corrections: `wrong<TAB>right`
//! ignore_re = ['https?://\S+']   # regex matches are protected like allow terms
//! profile = "ocr"                # or "typing": which errors the correction looks for
//! channel = "my-ocr.tsv"         # an OCR channel from `zhclean train-channel`
//! exclude = ["drafts/", "*.bak.txt"]  # left out of directory walks (gitignore syntax)
//!
//! [rules]
//! disable = ["W301"]             # rule codes, names or prefixes (`R4`) not to run
//! only = []                      # if non-empty, only these rules run (`ALL`: every rule)
//!
//! [rules.per_file_ignores]
//! "letters/*.txt" = ["W302"]     # rules not run on files matching the glob
//!
//! [rules.downgrade]
//! C702 = "suggest"               # lower a rule's tier (never raise it)
//! ```
//!
//! Layers, later winning: the first `zhclean.toml` found from the working
//! directory upward ([`discover`]), then `--config FILE`, then command-line
//! flags. `apply`, `profile`, `channel` and a non-empty `only` replace
//! earlier values; lists (`allow`, files, `ignore_re`, `exclude`,
//! `disable`) accumulate;
//! `per_file_ignores` entries accumulate per glob; `downgrade` entries
//! replace earlier entries for the same code. Relative paths in a file are
//! relative to that file's directory. Unknown keys are errors naming the key
//! and the file.

use crate::correct::Profile;
use crate::edit::Applicability;
use crate::rules;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// The name looked for by [`discover`].
pub const FILE_NAME: &str = "zhclean.toml";

/// One configuration layer (a file, or the flags).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// The tiers `fix` applies: `safe` or `review`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub apply: Option<Applicability>,
    /// Protected terms.
    #[serde(default)]
    pub allow: Vec<String>,
    /// Files of protected terms (one per line).
    #[serde(default)]
    pub allow_files: Vec<PathBuf>,
    /// User word lists.
    #[serde(default)]
    pub dictionaries: Vec<PathBuf>,
    /// User correction files (`wrong<TAB>right`).
    #[serde(default)]
    pub corrections: Vec<PathBuf>,
    /// Regular expressions whose matches are protected (matched per line).
    #[serde(default)]
    pub ignore_re: Vec<String>,
    /// The correction profile: `ocr` (default) or `typing`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profile: Option<Profile>,
    /// An OCR channel file (from `zhclean train-channel`) replacing the
    /// embedded one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub channel: Option<PathBuf>,
    /// Globs (gitignore syntax) of files and directories left out when
    /// walking directories.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// Rule selection and tiers.
    #[serde(default)]
    pub rules: RulesConfig,
}

/// The `[rules]` table.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulesConfig {
    /// Rule codes or names not to run.
    #[serde(default)]
    pub disable: Vec<String>,
    /// If non-empty, only these rules run.
    #[serde(default)]
    pub only: Vec<String>,
    /// Per-rule tier ceilings; lowering only.
    #[serde(default)]
    pub downgrade: BTreeMap<String, Applicability>,
    /// Rules not run on the files whose path matches a glob (`*` does not
    /// cross `/`; `**` does). A glob matches the path as given on the
    /// command line or walked, or any tail of it (`letters/*.txt` matches
    /// `docs/letters/a.txt`).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub per_file_ignores: BTreeMap<String, Vec<String>>,
}

/// A configuration problem; always names where it comes from.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read. (The cause is the error's source, so
    /// a chain-printing caller shows it once.)
    #[error("cannot read {path}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// Not valid TOML, an unknown key, or a value of the wrong type.
    #[error("{path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// The parser's message (names the key, line and column).
        message: String,
    },
    /// A value that parses but is not allowed.
    #[error("{origin}: {message}")]
    Invalid {
        /// The file, or `command line`.
        origin: String,
        /// What is wrong.
        message: String,
    },
}

/// The first `zhclean.toml` in `start` or one of its ancestors.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|d| d.join(FILE_NAME))
        .find(|p| p.is_file())
}

impl Config {
    /// Parse a configuration from TOML text; `path` is used in errors and
    /// to resolve relative paths.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut c: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: e.to_string().trim_end().to_string(),
        })?;
        let base = path.parent().unwrap_or(Path::new(""));
        for list in [&mut c.allow_files, &mut c.dictionaries, &mut c.corrections] {
            for p in list.iter_mut() {
                if p.is_relative() {
                    *p = base.join(&*p);
                }
            }
        }
        if let Some(p) = c.channel.as_mut() {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        }
        c.validate(&path.display().to_string())?;
        Ok(c)
    }

    /// Read and parse a configuration file.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Config::parse(&text, path)
    }

    /// Check values: `apply` is safe or review, rule codes exist, a
    /// downgrade never raises a rule's tier, regexes compile. Rule names
    /// are replaced by their codes. `origin` names the source in errors.
    pub fn validate(&mut self, origin: &str) -> Result<(), ConfigError> {
        let bad = |message: String| ConfigError::Invalid {
            origin: origin.to_string(),
            message,
        };
        if self.apply == Some(Applicability::Suggest) {
            return Err(bad(
                "`apply = \"suggest\"` is not allowed: suggestions are never applied (use safe or review)"
                    .into(),
            ));
        }
        for list in [&mut self.rules.disable, &mut self.rules.only] {
            *list = expand_selectors(list).map_err(&bad)?;
        }
        for (glob, list) in self.rules.per_file_ignores.iter_mut() {
            globset::Glob::new(glob)
                .map_err(|e| bad(format!("rules.per_file_ignores: `{glob}`: {e}")))?;
            *list = expand_selectors(list).map_err(&bad)?;
        }
        let mut downgrade = BTreeMap::new();
        for (code, tier) in &self.rules.downgrade {
            let meta = rules::lookup(code).ok_or_else(|| bad(unknown_rule(code)))?;
            if *tier > meta.default_tier {
                return Err(bad(format!(
                    "rules.downgrade: {} is `{}` by default; it can be lowered, never raised to `{}`",
                    meta.code, meta.default_tier, tier
                )));
            }
            downgrade.insert(meta.code.to_string(), *tier);
        }
        self.rules.downgrade = downgrade;
        for re in &self.ignore_re {
            regex::Regex::new(re).map_err(|e| bad(format!("ignore_re `{re}`: {e}")))?;
        }
        Ok(())
    }

    /// This layer with `later` on top (see the module docs for how each key
    /// combines).
    pub fn merge(mut self, later: Config) -> Config {
        if later.apply.is_some() {
            self.apply = later.apply;
        }
        if later.profile.is_some() {
            self.profile = later.profile;
        }
        if later.channel.is_some() {
            self.channel = later.channel;
        }
        extend_unique(&mut self.allow, later.allow);
        extend_unique(&mut self.allow_files, later.allow_files);
        extend_unique(&mut self.dictionaries, later.dictionaries);
        extend_unique(&mut self.corrections, later.corrections);
        extend_unique(&mut self.ignore_re, later.ignore_re);
        extend_unique(&mut self.exclude, later.exclude);
        extend_unique(&mut self.rules.disable, later.rules.disable);
        for (glob, list) in later.rules.per_file_ignores {
            extend_unique(self.rules.per_file_ignores.entry(glob).or_default(), list);
        }
        if !later.rules.only.is_empty() {
            self.rules.only = later.rules.only;
        }
        self.rules.downgrade.extend(later.rules.downgrade);
        self
    }

    /// The configuration as TOML (what `zhclean config --dump` prints).
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_else(|e| format!("# cannot serialize: {e}\n"))
    }
}

fn extend_unique<T: PartialEq>(into: &mut Vec<T>, from: Vec<T>) {
    for x in from {
        if !into.contains(&x) {
            into.push(x);
        }
    }
}

fn unknown_rule(code: &str) -> String {
    format!("unknown rule `{code}` (see `zhclean explain --list`)")
}

/// The codes a selector names: a rule code or name, a code prefix (`C7`,
/// `R`) or `ALL`; deduplicated, in order. An error for a selector that
/// names no rule.
pub fn expand_selectors(selectors: &[String]) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for s in selectors {
        let codes: Vec<String> = if let Ok(c) = canonical_code(s) {
            vec![c]
        } else if s.eq_ignore_ascii_case("ALL") {
            rules::all_rules()
                .iter()
                .map(|m| m.code.to_string())
                .collect()
        } else {
            let prefix = s.to_ascii_uppercase();
            let codes: Vec<String> = rules::all_rules()
                .iter()
                .filter(|m| !prefix.is_empty() && m.code.starts_with(&prefix))
                .map(|m| m.code.to_string())
                .collect();
            if codes.is_empty() {
                return Err(unknown_rule(s));
            }
            codes
        };
        extend_unique(&mut out, codes);
    }
    Ok(out)
}

/// The code of a rule given by code or name; an error for an unknown one.
pub fn canonical_code(code_or_name: &str) -> Result<String, String> {
    rules::lookup(code_or_name)
        .map(|m| m.code.to_string())
        .ok_or_else(|| unknown_rule(code_or_name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_resolves_paths() {
        let c = Config::parse(
            "apply = \"review\"\nallow = [\"孙雄\"]\ndictionaries = [\"w.txt\"]\nignore_re = ['\\d+']\n",
            Path::new("/p/q/zhclean.toml"),
        )
        .unwrap();
        assert_eq!(c.apply, Some(Applicability::Review));
        assert_eq!(c.dictionaries, vec![PathBuf::from("/p/q/w.txt")]);
        assert_eq!(c.allow, vec!["孙雄".to_string()]);
    }

    #[test]
    fn unknown_key_names_key_and_file() {
        let e = Config::parse("aply = \"safe\"\n", Path::new("x/zhclean.toml")).unwrap_err();
        let msg = e.to_string();
        assert!(
            msg.contains("x/zhclean.toml") && msg.contains("aply"),
            "{msg}"
        );
        let e = Config::parse("[rules]\ndisabled = []\n", Path::new("z.toml")).unwrap_err();
        assert!(e.to_string().contains("disabled"), "{e}");
    }

    #[test]
    fn rejects_bad_values() {
        for bad in [
            "apply = \"suggest\"",
            "apply = \"always\"",
            "ignore_re = ['(']",
            "[rules]\ndisable = [\"Q999\"]",
            "[rules.downgrade]\nQ999 = \"suggest\"",
        ] {
            assert!(Config::parse(bad, Path::new("c.toml")).is_err(), "{bad}");
        }
    }

    #[test]
    fn selectors_expand_prefixes_and_all() {
        let got = expand_selectors(&["R40".into(), "doubled-word".into()]).unwrap();
        assert_eq!(got, ["R401", "R402", "R403", "R404"]);
        assert!(expand_selectors(&["ALL".into()]).unwrap().len() > 20);
        assert!(expand_selectors(&["Q9".into()]).is_err());
        assert!(expand_selectors(&["".into()]).is_err());
        let c = Config::parse(
            "[rules.per_file_ignores]\n\"a/*.txt\" = [\"W3\"]\n",
            Path::new("c.toml"),
        )
        .unwrap();
        assert_eq!(
            c.rules.per_file_ignores["a/*.txt"],
            ["W301", "W302", "W303", "W304"]
        );
    }

    #[test]
    fn merge_layers() {
        let a = Config {
            apply: Some(Applicability::Review),
            allow: vec!["甲".into()],
            ..Config::default()
        };
        let b = Config {
            apply: Some(Applicability::Safe),
            allow: vec!["乙".into(), "甲".into()],
            ..Config::default()
        };
        let m = a.clone().merge(b);
        assert_eq!(m.apply, Some(Applicability::Safe));
        assert_eq!(m.allow, vec!["甲".to_string(), "乙".to_string()]);
        let m = a.merge(Config::default());
        assert_eq!(m.apply, Some(Applicability::Review));
    }

    #[test]
    fn dump_roundtrips() {
        let c = Config {
            apply: Some(Applicability::Safe),
            allow: vec!["孙雄".into()],
            ignore_re: vec![r"https?://\S+".into()],
            ..Config::default()
        };
        let text = c.to_toml();
        assert_eq!(Config::parse(&text, Path::new("d.toml")).unwrap(), c);
    }

    #[test]
    fn profile_and_channel() {
        let c = Config::parse(
            "profile = \"typing\"\nchannel = \"ch.tsv\"\n",
            Path::new("/p/zhclean.toml"),
        )
        .unwrap();
        assert_eq!(c.profile, Some(Profile::Typing));
        assert_eq!(c.channel, Some(PathBuf::from("/p/ch.tsv")));
        assert!(Config::parse("profile = \"pinyin\"", Path::new("c.toml")).is_err());
        let later = Config {
            profile: Some(Profile::Ocr),
            ..Config::default()
        };
        let m = c.clone().merge(later);
        assert_eq!(m.profile, Some(Profile::Ocr));
        assert_eq!(m.channel, c.channel);
        let text = m.to_toml();
        assert!(text.contains("profile = \"ocr\""), "{text}");
        assert_eq!(Config::parse(&text, Path::new("/p/d.toml")).unwrap(), m);
    }

    #[test]
    fn discover_walks_up() {
        let d = tempfile::tempdir().unwrap();
        let deep = d.path().join("a/b");
        std::fs::create_dir_all(&deep).unwrap();
        std::fs::write(d.path().join(FILE_NAME), "").unwrap();
        assert_eq!(discover(&deep), Some(d.path().join(FILE_NAME)));
    }
}
