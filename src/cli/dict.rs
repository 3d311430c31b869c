//! `zhclean dict`: lexicon queries and user-dictionary compilation.
use super::{EXIT_CLEAN, EXIT_FINDINGS};
use anyhow::Context as _;
use clap::{Args, Subcommand};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use zhclean::lexicon::chars::CharTable;
use zhclean::lexicon::{user, Entry, Lexicon, WordFlags};

/// Arguments of `zhclean dict`.
#[derive(Debug, Args)]
pub struct DictArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: DictCommand,
}

/// `zhclean dict` subcommands.
#[derive(Debug, Subcommand)]
pub enum DictCommand {
    /// Show frequency, flags and log probability of words (exit 1 if any is unknown).
    Lookup {
        /// Words to look up.
        #[arg(required = true)]
        words: Vec<String>,
        /// User word files (`word [freq [flags]]` lines, or `.fst` from `dict build`).
        #[arg(long = "words", value_name = "FILE")]
        user_words: Vec<PathBuf>,
    },
    /// Segment text (max-probability) and show each token's frequency.
    Segment {
        /// Text to segment; read from standard input when absent or `-`.
        text: Option<String>,
        /// User word files (`word [freq [flags]]` lines, or `.fst` from `dict build`).
        #[arg(long = "words", value_name = "FILE")]
        user_words: Vec<PathBuf>,
    },
    /// Compile a user word file into an fst lexicon (checks every line).
    Build {
        /// The word file (`word [freq [flags]]` per line).
        #[arg(long = "words", value_name = "FILE", required = true)]
        words: Vec<PathBuf>,
        /// Where to write the fst.
        #[arg(short = 'o', long = "output", value_name = "OUT.fst")]
        output: PathBuf,
    },
    /// Visually similar characters with their glyph similarity, their
    /// nearest neighbours by rendered bitmaps, and what real OCR output
    /// showed for them (the learned channel).
    Similar {
        /// The characters to look up.
        #[arg(required = true)]
        chars: Vec<String>,
        /// How many look-alikes to show per character.
        #[arg(short = 'n', long, default_value_t = 12)]
        limit: usize,
    },
}

/// Run `zhclean dict`; returns the exit code.
pub fn run(args: DictArgs) -> anyhow::Result<u8> {
    match args.command {
        DictCommand::Lookup { words, user_words } => lookup(&words, &user_words),
        DictCommand::Segment { text, user_words } => segment(text, &user_words),
        DictCommand::Build { words, output } => build(&words, &output),
        DictCommand::Similar { chars, limit } => similar(&chars, limit),
    }
}

enum Lex {
    Embedded(&'static Lexicon),
    Owned(Box<Lexicon>),
}

impl Lex {
    fn get(&self) -> &Lexicon {
        match self {
            Lex::Embedded(l) => l,
            Lex::Owned(l) => l,
        }
    }
}

fn lexicon(user_words: &[PathBuf]) -> anyhow::Result<Lex> {
    let base = Lexicon::embedded();
    if user_words.is_empty() {
        return Ok(Lex::Embedded(base));
    }
    Ok(Lex::Owned(Box::new(user::load_user_lexicon(
        base, user_words,
    )?)))
}

/// Flag names, `-` for none.
fn flag_names(f: WordFlags) -> String {
    let names: Vec<&str> = [
        (WordFlags::IDIOM, "idiom"),
        (WordFlags::SURNAME, "surname"),
        (WordFlags::PLACE, "place"),
        (WordFlags::PERSON, "person"),
        (WordFlags::REDUP, "redup"),
        (WordFlags::USER, "user"),
        (WordFlags::VERB, "verb"),
        (WordFlags::ADJ, "adj"),
        (WordFlags::NOUN, "noun"),
    ]
    .iter()
    .filter(|(b, _)| f.contains(*b))
    .map(|(_, n)| *n)
    .collect();
    if names.is_empty() {
        "-".into()
    } else {
        names.join(",")
    }
}

fn lookup(words: &[String], user_words: &[PathBuf]) -> anyhow::Result<u8> {
    let lex = lexicon(user_words)?;
    let lex = lex.get();
    let chars = CharTable::embedded();
    let mut out = std::io::stdout().lock();
    let mut missing = false;
    writeln!(out, "word\tfreq\tflags\tlog_prob")?;
    for w in words {
        match lex.get(w) {
            Some(e) => writeln!(
                out,
                "{w}\t{}\t{}\t{:.3}",
                e.freq,
                flag_names(e.flags),
                lex.entry_log_prob(e)
            )?,
            None => {
                missing = true;
                writeln!(out, "{w}\t-\tnot in lexicon\t-")?
            }
        }
        let mut cs = w.chars();
        if let (Some(c), None) = (cs.next(), cs.next()) {
            if let Some(info) = chars.get(c) {
                let corner: String = info
                    .four_corner
                    .map(|d| d.iter().map(|x| char::from(b'0' + x)).collect())
                    .unwrap_or_else(|| "-".into());
                writeln!(
                    out,
                    "  char: count {} pinyin {} strokes {} four-corner {corner}",
                    info.freq,
                    if info.pinyin.is_empty() {
                        "-"
                    } else {
                        info.pinyin
                    },
                    info.strokes.map_or("-".into(), |s| s.to_string()),
                )?;
            }
        }
    }
    Ok(if missing { EXIT_FINDINGS } else { EXIT_CLEAN })
}

fn segment(text: Option<String>, user_words: &[PathBuf]) -> anyhow::Result<u8> {
    let lex = lexicon(user_words)?;
    let lex = lex.get();
    let texts: Vec<String> = match text {
        Some(t) if t != "-" => vec![t],
        _ => std::io::stdin()
            .lock()
            .lines()
            .collect::<Result<_, _>>()
            .context("reading standard input")?,
    };
    let mut out = std::io::stdout().lock();
    for t in texts {
        let toks = lex.segment(&t);
        let words: Vec<&str> = toks.iter().map(|k| &t[k.span.start..k.span.end]).collect();
        writeln!(out, "{}", words.join(" / "))?;
        for (w, k) in words.iter().zip(&toks) {
            if w.trim().is_empty() {
                continue;
            }
            match k.entry {
                Some(e) => writeln!(
                    out,
                    "  {w}\t{}\t{}\t{:.3}",
                    e.freq,
                    flag_names(e.flags),
                    lex.entry_log_prob(e)
                )?,
                None => writeln!(out, "  {w}\t-\tunknown\t-")?,
            }
        }
    }
    Ok(EXIT_CLEAN)
}

fn build(files: &[PathBuf], output: &PathBuf) -> anyhow::Result<u8> {
    let mut words: Vec<(String, Entry)> = Vec::new();
    for f in files {
        words.extend(user::load_words(f)?);
    }
    let n = words.len();
    let lex = Lexicon::from_entries(words).context("compiling the word list")?;
    std::fs::write(output, lex.fst().as_bytes())
        .with_context(|| format!("writing {}", output.display()))?;
    eprintln!(
        "zhclean dict build: {} words ({n} lines) -> {}",
        lex.len(),
        output.display()
    );
    Ok(EXIT_CLEAN)
}

/// `zhclean dict similar`: glyph look-alikes (confusion set), visual
/// neighbours (rendered bitmaps) and the OCR channel's observed readings.
/// Exit 1 if a character has neither look-alikes nor visual neighbours.
fn similar(chars: &[String], limit: usize) -> anyhow::Result<u8> {
    use zhclean::correct::confusion::{Channel, ConfusionSet};
    use zhclean::correct::visual::VisualSim;
    let set = ConfusionSet::embedded();
    let visual = VisualSim::embedded();
    let channel = Channel::embedded();
    let mut missing = false;
    let mut out = String::new();
    for c in chars.iter().flat_map(|s| s.chars()) {
        let alikes = set.similar(c);
        let neighbours = visual.neighbors(c);
        if alikes.is_empty() && neighbours.is_empty() {
            missing = true;
        }
        out.push_str(&format!("{c}\tlook-alikes:"));
        for (other, score) in alikes.iter().take(limit) {
            out.push_str(&format!(" {other}:{score:.2}"));
        }
        out.push('\n');
        if !neighbours.is_empty() {
            out.push_str(&format!("{c}\tvisual:"));
            for (other, score) in neighbours.iter().take(limit) {
                out.push_str(&format!(" {other}:{score:.2}"));
            }
            out.push('\n');
        }
        let mut seen: Vec<(char, u32)> = channel.intended_for(c).to_vec();
        seen.sort_by_key(|x| std::cmp::Reverse(x.1));
        if !seen.is_empty() {
            out.push_str(&format!("{c}\tOCR read `{c}` for:"));
            for (intended, n) in seen.iter().take(limit) {
                out.push_str(&format!(" {intended}×{n}"));
            }
            out.push('\n');
        }
    }
    print!("{out}");
    Ok(if missing { EXIT_FINDINGS } else { EXIT_CLEAN })
}
