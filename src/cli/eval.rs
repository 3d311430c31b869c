//! `zhclean eval`: correction quality on sentence pairs.
use anyhow::Context as _;
use clap::Args;
use std::collections::HashSet;
use std::io::Write;
use std::time::Instant;
use zhclean::edit::Applicability;
use zhclean::engine::{Engine, Options};
use zhclean::eval::classes::{by_class, GroupFigures};
use zhclean::eval::{evaluate, parse_pairs, Metrics, Split};
use zhclean::lexicon::Lexicon;

/// Arguments of `zhclean eval`.
#[derive(Debug, Args)]
pub struct EvalArgs {
    /// Pairs: TSV with `gold` and `ocr` columns (and `id`; `engine` and
    /// `damage` group the errors-by-class table), or JSONL objects with
    /// `gold` and `ocr` (and those keys).
    pub pairs: std::path::PathBuf,
    /// Rows to evaluate: `all` (every pair of the file), `heldout` (id
    /// suffix divisible by 4: the project's own held-out split), `train`.
    #[arg(long, default_value = "all")]
    pub split: Split,
    /// Emit the figures as JSON.
    #[arg(long)]
    pub json: bool,
    /// Run only these rule codes (comma-separated; `--select` says the
    /// same).
    #[arg(long, visible_alias = "select", value_delimiter = ',')]
    pub only: Vec<String>,
    /// Do not run these rule codes (comma-separated; `--ignore` says the
    /// same).
    #[arg(long, visible_alias = "ignore", value_delimiter = ',')]
    pub disable: Vec<String>,
    /// Write every finding on the noisy side (`{id, gold, ocr, finding}`)
    /// and every review-tier output (`{id, gold, ocr, output}`) as JSONL to
    /// this file, for error analysis.
    #[arg(long)]
    pub dump: Option<std::path::PathBuf>,
    /// Correction profile: `ocr` (default) or `typing`.
    #[arg(long, value_name = "PROFILE", default_value = "ocr")]
    pub profile: zhclean::correct::Profile,
    /// OCR channel file (from `zhclean train-channel`) replacing the
    /// embedded one.
    #[arg(long, value_name = "FILE")]
    pub channel: Option<std::path::PathBuf>,
}

#[derive(serde::Serialize)]
struct TierFigures {
    tier: &'static str,
    #[serde(flatten)]
    metrics: Metrics,
    seconds: f64,
    chars_per_sec: f64,
    mb_per_sec: f64,
    /// throughput on the gold (clean) side
    gold_mb_per_sec: f64,
    /// errors by class, per group (all, each engine, each damage)
    by_class: Vec<GroupFigures>,
}

/// Run `zhclean eval`; returns the exit code.
pub fn run(args: EvalArgs) -> anyhow::Result<u8> {
    let text = std::fs::read_to_string(&args.pairs)
        .with_context(|| format!("reading {}", args.pairs.display()))?;
    let pairs: Vec<_> = parse_pairs(&text)?
        .into_iter()
        .filter(|p| args.split.keeps(&p.id))
        .collect();
    let lex = Lexicon::embedded();
    let channel = args
        .channel
        .as_deref()
        .map(super::settings::load_channel)
        .transpose()?;
    let mut report = Vec::new();
    let mut dump = match &args.dump {
        Some(p) => Some(std::io::BufWriter::new(std::fs::File::create(p)?)),
        None => None,
    };
    let mut tier_outputs = Vec::new();
    for tier in [Applicability::Safe, Applicability::Review] {
        let opts = Options {
            apply: Some(tier),
            only: args.only.iter().cloned().collect::<HashSet<_>>(),
            disabled: args.disable.iter().cloned().collect::<HashSet<_>>(),
            profile: args.profile,
            channel: channel.clone(),
            ..Options::default()
        };
        let engine = Engine::new(lex, opts);
        let t0 = Instant::now();
        let mut outputs = Vec::with_capacity(pairs.len());
        let mut bytes = 0usize;
        let mut chars = 0usize;
        for p in &pairs {
            let out = engine.process_str(&p.ocr);
            bytes += p.ocr.len();
            chars += p.ocr.chars().count();
            if let (Some(d), Applicability::Review) = (dump.as_mut(), tier) {
                for f in &out.findings {
                    let line =
                        serde_json::json!({"id": p.id, "gold": p.gold, "ocr": p.ocr, "finding": f});
                    writeln!(d, "{line}")?;
                }
                let line = serde_json::json!({"id": p.id, "gold": p.gold, "ocr": p.ocr, "output": out.text});
                writeln!(d, "{line}")?;
            }
            outputs.push(out.text);
        }
        let secs = t0.elapsed().as_secs_f64().max(1e-9);
        let t1 = Instant::now();
        let gold_outputs: Vec<String> = pairs
            .iter()
            .map(|p| engine.process_str(&p.gold).text)
            .collect();
        let gold_secs = t1.elapsed().as_secs_f64().max(1e-9);
        let gold_bytes: usize = pairs.iter().map(|p| p.gold.len()).sum();
        report.push(TierFigures {
            tier: tier.as_str(),
            metrics: evaluate(&pairs, &outputs, &gold_outputs),
            seconds: secs,
            chars_per_sec: chars as f64 / secs,
            mb_per_sec: bytes as f64 / secs / 1e6,
            gold_mb_per_sec: gold_bytes as f64 / gold_secs / 1e6,
            by_class: if args.json {
                by_class(&pairs, std::slice::from_ref(&outputs))
            } else {
                Vec::new()
            },
        });
        tier_outputs.push(outputs);
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(super::EXIT_CLEAN);
    }
    match args.split {
        Split::All => println!("{} pairs (all of the file)", pairs.len()),
        s => println!(
            "{} pairs ({s:?} split: held out = id suffix divisible by 4)",
            pairs.len()
        ),
    }
    for r in &report {
        let m = &r.metrics;
        println!("[{}]", r.tier);
        println!(
            "  CER {:.2}% -> {:.2}%  error reduction {:.1}%  ({} -> {} errors in {} chars)",
            m.cer_before * 100.0,
            m.cer_after * 100.0,
            m.error_reduction * 100.0,
            m.errors_before,
            m.errors_after,
            m.gold_chars
        );
        for (name, p) in [
            ("detection ", &m.detection),
            ("correction", &m.correction),
            ("sentence  ", &m.sentence),
        ] {
            println!(
                "  {name} P {:.3} ({}/{})  R {:.3} ({}/{})  F1 {:.3}",
                p.precision, p.tp, p.predicted, p.recall, p.tp_recall, p.actual, p.f1
            );
        }
        println!(
            "  false changes on gold: {} ({:.2} per 1,000 chars): {} the gold's own ASCII marks made full-width, {} other ({:.2} per 1,000)",
            m.false_changes,
            m.false_changes_per_1k,
            m.false_changes_widened,
            m.false_changes - m.false_changes_widened,
            m.false_changes_other_per_1k
        );
        println!(
            "  throughput {:.0} chars/s ({:.3} MB/s) on the noisy side, {:.3} MB/s on gold (debug builds are slower)",
            r.chars_per_sec, r.mb_per_sec, r.gold_mb_per_sec
        );
    }
    print_classes(&by_class(&pairs, &tier_outputs));
    Ok(super::EXIT_CLEAN)
}

/// The errors-by-class table (after the per-tier figures).
fn print_classes(groups: &[GroupFigures]) {
    println!("errors by class: before -> after (reduction), per tier; char alignment to gold (Levenshtein)");
    let names: Vec<String> = groups
        .iter()
        .map(|g| format!("{} ({} pairs)", g.group, g.pairs))
        .collect();
    let w = names
        .iter()
        .map(|n| n.chars().count())
        .max()
        .unwrap_or(0)
        .max(30);
    println!(
        "  {:<w$} {:<12} {:>7}  {:>16}  {:>16}",
        "group", "class", "before", "safe", "review"
    );
    for (g, name) in groups.iter().zip(&names) {
        for r in &g.classes {
            let class = r.class.map_or("total", |c| c.label());
            let cell = |t: usize| {
                let after = r.after.get(t).copied().unwrap_or(0);
                if r.before == 0 {
                    format!("{after} (-)")
                } else {
                    format!(
                        "{after} ({:.1}%)",
                        r.reduction.get(t).copied().unwrap_or(0.0) * 100.0
                    )
                }
            };
            println!(
                "  {:<w$} {:<12} {:>7}  {:>16}  {:>16}",
                name,
                class,
                r.before,
                cell(0),
                cell(1)
            );
        }
    }
}
