//! clap definitions: raw flags only. Subcommands that belong to one area
//! keep their own `Args` struct in their own file (`dict.rs`, `eval.rs`).
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Clean OCR errors and normalize Chinese text.
#[derive(Debug, Parser)]
#[command(name = "zhclean", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report findings; change nothing.
    ///
    /// Exit status: 0 no findings, 1 findings (of `--fail-on`'s tier or a
    /// surer one; never with `--exit-zero`), 2 an error (usage,
    /// configuration, I/O, decoding; a batch goes on and exits 2 at the end).
    Check(CheckArgs),
    /// Apply fixes of the chosen tier and output the cleaned text.
    ///
    /// Output: the cleaned text on stdout for a single input (report on
    /// stderr); `--write` rewrites files in place; `--out DIR` mirrors the
    /// inputs under DIR; `--diff` prints unified diffs and writes nothing.
    /// With `--input-format jsonl` (or `--records`, or the older `--format
    /// jsonl`) the inputs are JSON Lines records `{"id":..,"text":..}` and
    /// the output one record per input line (record mode).
    ///
    /// Exit status: 0 nothing pending (every finding was fixed, or there
    /// were none), 1 findings left unapplied (review or suggest tier, or
    /// fixes blocked by overlaps; see `--fail-on`, `--exit-zero`) or, with
    /// `--diff`, any change to show; 2 an error. Record mode: 0 when every
    /// record was answered (a bad record gets an error object in the
    /// output), 2 when the stream could not be read or written.
    Fix(FixArgs),
    /// Show a rule's documentation, or list all rules.
    Explain(ExplainArgs),
    /// Show the effective configuration.
    Config(ConfigArgs),
    /// Query and build the lexicon.
    Dict(super::dict::DictArgs),
    /// Measure correction quality on (gold, ocr) sentence pairs.
    Eval(super::eval::EvalArgs),
    /// Review pending fixes one at a time; decisions are saved as made.
    ///
    /// Safe-tier fixes are applied without asking (`--no-safe`: review them
    /// too). Already decided findings are not asked again, so a review
    /// resumes where it stopped. Keys: y accept, n reject, s skip, 1-9 pick
    /// a candidate, e edit, a allow-list, A/R accept/reject all identical
    /// changes, u undo, q quit, ? help.
    ///
    /// Exit status: 0 all decided, 1 findings left undecided, 2 an error
    /// (including no terminal on standard input without `--script`).
    Review(super::review::ReviewArgs),
    /// Apply the decisions of a review log without asking.
    ///
    /// Output: the text on stdout for a single input; `--write` rewrites
    /// files in place; `--out DIR` mirrors the inputs under DIR.
    ///
    /// Exit status: 0 all reviewable findings decided, 1 some undecided
    /// (left as they are), 2 an error.
    Apply(super::apply::ApplyArgs),
    /// Learn an OCR channel from (gold, ocr) pairs, for `--channel FILE`.
    ///
    /// Input: TSV files whose header names `gold` and `ocr` columns (as in
    /// `id font px blur noise gold ocr`, further columns ignored). Output:
    /// `kind intended observed count log10p` lines (sub, del, ins).
    TrainChannel(super::train_channel::TrainChannelArgs),
}

/// Output formats of `check` and `fix`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum Format {
    /// Findings with snippets and a summary.
    #[default]
    Human,
    /// Unified diff of the fixes (of the `--apply` tier).
    Diff,
    /// JSON Lines (one object per finding; record mode for `fix`).
    Jsonl,
    /// SARIF 2.1.0.
    Sarif,
    /// GitHub Actions annotations.
    Github,
}

/// When to use colors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorChoice {
    /// When writing to a terminal and NO_COLOR is unset.
    #[default]
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Tiers that can be applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ApplyArg {
    /// Meaning-preserving fixes only.
    Safe,
    /// Safe and review fixes.
    Review,
}

/// A tier named on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum TierArg {
    /// Safe.
    Safe,
    /// Review.
    Review,
    /// Suggest.
    Suggest,
}

impl TierArg {
    /// The library's tier.
    pub fn tier(self) -> zhclean::edit::Applicability {
        use zhclean::edit::Applicability;
        match self {
            TierArg::Safe => Applicability::Safe,
            TierArg::Review => Applicability::Review,
            TierArg::Suggest => Applicability::Suggest,
        }
    }
}

/// What the inputs of `fix` are.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Text documents.
    Text,
    /// JSON Lines records `{"id","text"}` (record mode).
    Jsonl,
}

/// Settings shared by every command that runs rules; they override the
/// configuration files.
#[derive(Debug, Clone, Default, Args)]
pub struct SettingsArgs {
    /// Configuration file, layered over the discovered `zhclean.toml`.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not look for `zhclean.toml` upward from the working directory.
    #[arg(long)]
    pub no_config: bool,
    /// Rules not to run: codes, names or code prefixes (`R4`); repeatable
    /// or comma-separated. `--disable` is the older name.
    #[arg(
        long = "ignore",
        visible_alias = "disable",
        value_name = "CODE",
        value_delimiter = ','
    )]
    pub disable: Vec<String>,
    /// Run only these rules: codes, names, code prefixes (`C7`) or `ALL`;
    /// repeatable or comma-separated. `--only` is the older name.
    #[arg(
        long = "select",
        visible_alias = "only",
        value_name = "CODE",
        value_delimiter = ','
    )]
    pub only: Vec<String>,
    /// Add rules to the selection (`--select` or the configuration's
    /// `only`), as codes, names or prefixes.
    #[arg(long, value_name = "CODE", value_delimiter = ',')]
    pub extend_select: Vec<String>,
    /// Allow-list file (protected terms, one per line).
    #[arg(long, value_name = "FILE")]
    pub allow: Vec<PathBuf>,
    /// A protected term.
    #[arg(long, value_name = "TERM")]
    pub allow_term: Vec<String>,
    /// User word list (`word [freq]` per line).
    #[arg(long = "dict", value_name = "FILE")]
    pub dictionaries: Vec<PathBuf>,
    /// User corrections file (`wrong<TAB>right` per line).
    #[arg(long, value_name = "FILE")]
    pub corrections: Vec<PathBuf>,
    /// A regex whose matches are protected (matched within one line).
    #[arg(long, value_name = "REGEX")]
    pub ignore_re: Vec<String>,
    /// Correction profile: `ocr` (OCR output; the default) or `typing`
    /// (text typed with a pinyin input method).
    #[arg(long, value_name = "PROFILE")]
    pub profile: Option<zhclean::correct::Profile>,
    /// OCR channel file (from `zhclean train-channel`) replacing the
    /// embedded one.
    #[arg(long, value_name = "FILE")]
    pub channel: Option<PathBuf>,
}

/// Options of `check` and `fix`.
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// Files, directories (walked, sorted) or `-` for stdin [default: `-`].
    pub paths: Vec<PathBuf>,
    /// Tiers to apply [default: safe].
    #[arg(long, value_enum)]
    pub apply: Option<ApplyArg>,
    /// Output format.
    #[arg(long, value_enum, default_value_t)]
    pub format: Format,
    /// Colors.
    #[arg(long, value_enum, default_value_t)]
    pub color: ColorChoice,
    /// Worker threads (default: one per core); output order never depends
    /// on it.
    #[arg(short = 'j', long = "threads", value_name = "N")]
    pub threads: Option<usize>,
    /// Extensions of files taken from directories [default: txt and no
    /// extension]; comma-separated, an empty item means no extension.
    #[arg(long, value_name = "EXT", value_delimiter = ',')]
    pub ext: Vec<String>,
    /// Also take files whose name matches this glob (`*`, `?`).
    #[arg(long, value_name = "GLOB")]
    pub glob: Vec<String>,
    /// Leave out files and directories matching this glob when walking
    /// directories (gitignore syntax: `drafts/`, `*.bak.txt`); repeatable.
    /// Files named on the command line are always taken.
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Walk files that `.gitignore`, `.ignore` and git's exclude files
    /// leave out (hidden files stay out).
    #[arg(long)]
    pub no_ignore: bool,
    /// Exit 0 even when findings are left (errors still exit 2).
    #[arg(long)]
    pub exit_zero: bool,
    /// Exit 1 only for findings of this tier or a surer one: `safe`,
    /// `review` (review and safe) or `suggest` (any finding) [default:
    /// suggest].
    #[arg(long, value_enum, value_name = "TIER")]
    pub fail_on: Option<TierArg>,
    /// Count findings per rule and tier instead of listing them (human
    /// format).
    #[arg(long)]
    pub statistics: bool,
    /// No report; only the exit status (and errors on stderr).
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also list the files skipped as binary.
    #[arg(short, long)]
    pub verbose: bool,
    /// Rule and configuration settings.
    #[command(flatten)]
    pub settings: SettingsArgs,
    /// Read inputs in this encoding instead of detecting it (a BOM must
    /// agree; GB18030 also reads GBK and GB2312).
    #[arg(long, value_enum, default_value_t)]
    pub encoding: EncodingArg,
    /// Follow symbolic links in walked directories even when they lead
    /// outside the directory (default: such files are skipped).
    #[arg(long)]
    pub follow: bool,
}

/// `--encoding`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ValueEnum)]
pub enum EncodingArg {
    /// Detect: BOM, else UTF-8, else GB18030 only on positive evidence.
    #[default]
    Auto,
    /// UTF-8 (a UTF-8 BOM is allowed).
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    /// GB18030 (also GBK, GB2312).
    #[value(name = "gb18030", alias = "gbk")]
    Gb18030,
    /// UTF-16 little endian (BOM optional).
    #[value(name = "utf-16le")]
    Utf16le,
    /// UTF-16 big endian (BOM optional).
    #[value(name = "utf-16be")]
    Utf16be,
}

/// Arguments of `zhclean check`.
#[derive(Debug, Clone, Args)]
pub struct CheckArgs {
    /// Inputs, format and settings.
    #[command(flatten)]
    pub run: RunArgs,
}

/// Arguments of `zhclean fix`.
#[derive(Debug, Clone, Args)]
pub struct FixArgs {
    /// Inputs, format and settings.
    #[command(flatten)]
    pub run: RunArgs,
    /// Print unified diffs instead of the cleaned text; write nothing.
    #[arg(long, conflicts_with_all = ["write", "out"])]
    pub diff: bool,
    /// Rewrite files in place (atomically; unchanged files are not touched).
    #[arg(long, conflicts_with = "out")]
    pub write: bool,
    /// Write cleaned files under DIR, mirroring the input tree.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Write UTF-8 (no BOM) whatever the input encoding.
    #[arg(long)]
    pub to_utf8: bool,
    /// What the inputs are: `text` documents, or `jsonl` records
    /// `{"id","text"}` answered one line per record on stdout (record
    /// mode; `--records` and the older `--format jsonl` say the same).
    #[arg(long, value_enum, value_name = "FORMAT")]
    pub input_format: Option<InputFormat>,
    /// Record mode: same as `--input-format jsonl`.
    #[arg(long, conflicts_with = "input_format")]
    pub records: bool,
    /// Manifest of a `--out`/`--write` run, used to resume it [default:
    /// OUT_DIR/.zhclean-manifest.jsonl; for `--write` over one directory,
    /// DIR/.zhclean-manifest.jsonl; otherwise none].
    #[arg(long, value_name = "FILE", conflicts_with = "diff")]
    pub manifest: Option<PathBuf>,
    /// Process every file again, even those the manifest records as done
    /// (the manifest is started anew).
    #[arg(long, conflicts_with = "diff")]
    pub no_resume: bool,
}

/// Arguments of `zhclean explain`.
#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// Rule code or name, e.g. `P201`.
    #[arg(required_unless_present = "list")]
    pub code: Option<String>,
    /// List every rule: code, name, tier, summary.
    #[arg(long, conflicts_with = "code")]
    pub list: bool,
}

/// Arguments of `zhclean config`.
#[derive(Debug, Clone, Args)]
pub struct ConfigArgs {
    /// Print the effective settings as TOML.
    #[arg(long, required = true)]
    pub dump: bool,
    /// Tiers to apply [default: safe].
    #[arg(long, value_enum)]
    pub apply: Option<ApplyArg>,
    /// Settings (as for check and fix).
    #[command(flatten)]
    pub settings: SettingsArgs,
}
