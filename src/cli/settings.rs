//! Effective settings: built-in defaults < discovered `zhclean.toml` <
//! `--config FILE` < flags; and the engine built from them.
use super::args::{ApplyArg, SettingsArgs};
use anyhow::Context as _;
use std::path::PathBuf;
use std::sync::Arc;
use zhclean::api;
use zhclean::config::{self, Config};
use zhclean::correct::confusion::Channel;
use zhclean::correct::Profile;
use zhclean::edit::Applicability;
use zhclean::engine::Options;
use zhclean::lexicon::Lexicon;

/// The merged configuration and where it came from.
pub struct Resolved {
    /// Merged layers, with `apply` filled.
    pub config: Config,
    /// Configuration files read, in order.
    pub sources: Vec<PathBuf>,
}

/// Merge the layers (`apply`: the `--apply` flag, of the commands that
/// have it).
pub fn resolve(args: &SettingsArgs, apply: Option<ApplyArg>) -> anyhow::Result<Resolved> {
    let mut merged = Config::default();
    let mut sources = Vec::new();
    if !args.no_config {
        let cwd = std::env::current_dir().context("cannot read the working directory")?;
        if let Some(p) = config::discover(&cwd) {
            merged = merged.merge(Config::load(&p)?);
            sources.push(p);
        }
    }
    if let Some(p) = &args.config {
        let same = sources.iter().any(|s| same_file(s, p));
        if !same {
            merged = merged.merge(Config::load(p)?);
            sources.push(p.clone());
        }
    }
    let mut flags = Config {
        apply: apply.map(|a| match a {
            ApplyArg::Safe => Applicability::Safe,
            ApplyArg::Review => Applicability::Review,
        }),
        allow: args.allow_term.clone(),
        allow_files: args.allow.clone(),
        dictionaries: args.dictionaries.clone(),
        corrections: args.corrections.clone(),
        ignore_re: args.ignore_re.clone(),
        exclude: Vec::new(),
        rules: config::RulesConfig {
            disable: args.disable.clone(),
            only: args.only.clone(),
            downgrade: Default::default(),
            per_file_ignores: Default::default(),
        },
        profile: args.profile,
        channel: args.channel.clone(),
    };
    flags.validate("command line")?;
    let extend = config::expand_selectors(&args.extend_select)
        .map_err(|m| anyhow::anyhow!("command line: --extend-select: {m}"))?;
    let mut config = merged.merge(flags);
    // `--extend-select` widens a selection; with none, every rule runs
    // already.
    if !config.rules.only.is_empty() {
        for c in extend {
            if !config.rules.only.contains(&c) {
                config.rules.only.push(c);
            }
        }
    }
    config.apply.get_or_insert(Applicability::Safe);
    config.profile.get_or_insert(Profile::default());
    Ok(Resolved { config, sources })
}

fn same_file(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => false,
    }
}

/// The lexicon and engine options for a configuration
/// ([`zhclean::api`]). User files are loaded once here; the lexicon is
/// leaked so engines can borrow it for the whole run.
pub fn engine_parts(
    config: &Config,
    apply: Option<Applicability>,
) -> anyhow::Result<(&'static Lexicon, Options)> {
    // Word lists or `.fst` files from `zhclean dict build`.
    let lexicon: &'static Lexicon = match api::user_lexicon(config, Vec::new())? {
        None => Lexicon::embedded(),
        Some(l) => Box::leak(Box::new(l)),
    };
    Ok((lexicon, api::engine_options(config, apply)?))
}

/// Read and validate an OCR channel file (`--channel FILE`); errors name
/// the file and the line.
pub fn load_channel(path: &std::path::Path) -> anyhow::Result<Arc<Channel>> {
    Ok(api::load_channel(path)?)
}
