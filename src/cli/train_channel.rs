//! `zhclean train-channel`: learn an OCR channel from (gold, ocr) pairs.
use anyhow::Context as _;
use clap::Args;
use std::path::PathBuf;
use zhclean::correct::channel_train::{read_pairs, ChannelCounts};

/// Arguments of `zhclean train-channel`.
#[derive(Debug, Args)]
pub struct TrainChannelArgs {
    /// Pair files: TSV with a header naming `gold` and `ocr` (e.g. `id font
    /// px blur noise gold ocr`, optionally `engine`, `damage`); every row
    /// is used.
    #[arg(required = true, value_name = "PAIRS.tsv")]
    pub pairs: Vec<PathBuf>,
    /// Where to write the channel table.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: PathBuf,
}

/// Run `zhclean train-channel`; returns the exit code.
pub fn run(args: TrainChannelArgs) -> anyhow::Result<u8> {
    let mut counts = ChannelCounts::default();
    for p in &args.pairs {
        let text =
            std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
        let rows = read_pairs(&text).with_context(|| p.display().to_string())?;
        for r in rows {
            counts.add(&r.gold, &r.ocr);
        }
    }
    if counts.pairs == 0 {
        anyhow::bail!("no pairs in the input files");
    }
    let sources: Vec<String> = args.pairs.iter().map(|p| p.display().to_string()).collect();
    let comment = vec![
        "kind\tintended\tobserved\tcount\tlog10 P(observed|intended)".to_string(),
        format!(
            "learned by `zhclean train-channel` from {} pairs ({} gold chars) of {}",
            counts.pairs,
            counts.gold_chars,
            sources.join(", ")
        ),
    ];
    std::fs::write(&args.output, counts.to_tsv(&comment))
        .with_context(|| format!("writing {}", args.output.display()))?;
    eprintln!(
        "zhclean: {} pairs, {} gold chars: {} substitution, {} deletion, {} insertion kinds written to {}",
        counts.pairs,
        counts.gold_chars,
        counts.sub.len(),
        counts.del.len(),
        counts.ins.len(),
        args.output.display()
    );
    Ok(super::EXIT_CLEAN)
}
