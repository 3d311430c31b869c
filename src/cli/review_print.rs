//! Rendering of `zhclean review`: one finding at a time, the change shown
//! in its sentence as a `-` line (old text struck through in red) and a `+`
//! line (new text in green). Without colors, caret lines under both mark
//! the changed text, aligned by display width (CJK = 2 columns). Very long
//! changes are shortened to their start and end.
use std::io::{self, Write};
use unicode_width::UnicodeWidthStr;
use zhclean::edit::Applicability;
use zhclean::report::visible;
use zhclean::review::session::{Item, Piece, Tally, HELP};

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const OLD: &str = "\x1b[9;31m";
const NEW: &str = "\x1b[1;32m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const CYAN: &str = "\x1b[36m";

/// Writes the review screens.
pub struct Printer {
    /// Use ANSI colors.
    pub color: bool,
}

impl Printer {
    fn paint(&self, style: &str, text: &str) -> String {
        if self.color && !text.is_empty() {
            format!("{style}{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    /// The opening line.
    pub fn start(
        &self,
        out: &mut dyn Write,
        files: usize,
        skipped: Option<String>,
        total: usize,
        decided: usize,
        log: &str,
    ) -> io::Result<()> {
        let left = total - decided;
        writeln!(
            out,
            "{} finding{} to review in {} file{}{}{}; decisions are saved to {log}",
            left,
            if left == 1 { "" } else { "s" },
            files,
            if files == 1 { "" } else { "s" },
            if decided > 0 {
                format!(" ({decided} already decided)")
            } else {
                String::new()
            },
            skipped.map(|s| format!("; {s}")).unwrap_or_default(),
        )
    }

    /// One item: where, what, the change, evidence, candidates.
    pub fn item(&self, out: &mut dyn Write, n: usize, total: usize, it: &Item) -> io::Result<()> {
        let f = &it.finding;
        let v = &it.view;
        let tier = f.tier();
        let tier_style = match tier {
            Applicability::Safe => GREEN,
            Applicability::Review => YELLOW,
            Applicability::Suggest => CYAN,
        };
        let name = zhclean::rules::registry::lookup(&f.rule)
            .map(|m| m.name)
            .unwrap_or("");
        writeln!(out)?;
        writeln!(
            out,
            "{} {}  {}  {} {}",
            self.paint(DIM, &format!("[{n}/{total}]")),
            self.paint(BOLD, &format!("{}:{}:{}", it.path, v.line, v.column)),
            self.paint(tier_style, tier.as_str()),
            self.paint(BOLD, &f.rule),
            name
        )?;
        writeln!(out, "  {}", f.message)?;

        let lead = if v.cut_before { "…" } else { "" };
        let tail = if v.cut_after { "…" } else { "" };
        let before = format!("{lead}{}", visible(&v.before));
        let after = format!("{}{tail}", visible(&v.after));
        let mut minus = before.clone();
        let mut plus = before.clone();
        let mut minus_marks = " ".repeat(before.width());
        let mut plus_marks = minus_marks.clone();
        for p in &v.pieces {
            match p {
                Piece::Same(s) => {
                    let s = shorten(&visible(s));
                    let pad = " ".repeat(s.width());
                    minus.push_str(&s);
                    plus.push_str(&s);
                    minus_marks.push_str(&pad);
                    plus_marks.push_str(&pad);
                }
                Piece::Changed { old, new } => {
                    let (old, new) = (shorten(&visible(old)), shorten(&visible(new)));
                    minus.push_str(&self.paint(OLD, &old));
                    plus.push_str(&self.paint(NEW, &new));
                    minus_marks.push_str(&"^".repeat(old.width().max(1)));
                    plus_marks.push_str(&"^".repeat(new.width().max(1)));
                }
            }
        }
        minus.push_str(&after);
        plus.push_str(&after);
        writeln!(out, "  {} {minus}", self.paint(RED, "-"))?;
        if !self.color {
            writeln!(out, "    {}", minus_marks.trim_end())?;
        }
        writeln!(out, "  {} {plus}", self.paint(GREEN, "+"))?;
        if !self.color {
            writeln!(out, "    {}", plus_marks.trim_end())?;
        }

        let ev = &f.evidence;
        // Plain language first; the rule's figures behind `i`.
        match plain_evidence(it) {
            Some(plain) => {
                writeln!(out, "  {} {plain}", self.paint(DIM, "why:"))?;
                writeln!(out, "  {}", self.paint(DIM, "(i: the figures behind this)"))?;
            }
            None => writeln!(out, "  {} {}", self.paint(DIM, "why:"), ev.reason)?,
        }
        if !ev.candidates.is_empty() {
            let cands: Vec<String> = ev
                .candidates
                .iter()
                .take(9)
                .enumerate()
                .map(|(i, c)| format!("{} {} ({})", i + 1, c.text, number(c.score)))
                .collect();
            writeln!(
                out,
                "  {} {}",
                self.paint(DIM, "candidates:"),
                cands.join("   ")
            )?;
        }
        Ok(())
    }

    /// The evidence's figures (`i`): score, the rule's own reason, terms.
    pub fn info(&self, out: &mut dyn Write, it: &Item) -> io::Result<()> {
        let ev = &it.finding.evidence;
        writeln!(
            out,
            "  {} score {:.2}; {}",
            self.paint(DIM, "evidence:"),
            ev.score,
            ev.reason
        )?;
        if !ev.terms.is_empty() {
            let terms: Vec<String> = ev
                .terms
                .iter()
                .map(|(k, x)| format!("{k}={}", number(*x)))
                .collect();
            writeln!(out, "  {} {}", self.paint(DIM, "terms:"), terms.join(" "))?;
        }
        Ok(())
    }

    /// The key prompt for an item.
    pub fn prompt(&self, out: &mut dyn Write, it: &Item) -> io::Result<()> {
        let n = it.finding.evidence.candidates.len().min(9);
        let picks = match n {
            0 => String::new(),
            1 => "1,".into(),
            _ => format!("1-{n},"),
        };
        write!(
            out,
            "{} ",
            self.paint(BOLD, &format!("[y,n,s,{picks}e,a,A,R,i,u,q,?]"))
        )?;
        out.flush()
    }

    /// The prompt at the end of the queue.
    pub fn end_prompt(&self, out: &mut dyn Write) -> io::Result<()> {
        writeln!(out)?;
        write!(
            out,
            "{} ",
            self.paint(
                BOLD,
                "end of the queue [u undo the last decision, Enter to finish]"
            )
        )?;
        out.flush()
    }

    /// The prompt for hand-edited text.
    pub fn ask_text(&self, out: &mut dyn Write, it: &Item) -> io::Result<()> {
        write!(
            out,
            "replace `{}` with (empty: cancel): ",
            visible(&it.finding.original)
        )?;
        out.flush()
    }

    /// The key help.
    pub fn help(&self, out: &mut dyn Write) -> io::Result<()> {
        for l in HELP.lines() {
            writeln!(out, "  {l}")?;
        }
        Ok(())
    }

    /// A short note (invalid key, undo, allow-list).
    pub fn note(&self, out: &mut dyn Write, msg: &str) -> io::Result<()> {
        writeln!(out, "  {}", self.paint(DIM, msg))
    }

    /// The closing summary; `paths` are the reviewed paths as given, for
    /// the `apply` hint.
    pub fn finish(&self, out: &mut dyn Write, t: &Tally, log: &str, paths: &str) -> io::Result<()> {
        writeln!(out)?;
        writeln!(
            out,
            "{} changed, {} rejected, {} allow-listed, {} left undecided (decisions in {log})",
            t.changed, t.rejected, t.allowed, t.undecided
        )?;
        if t.undecided > 0 {
            writeln!(out, "run `zhclean review` again to go on")?;
        }
        writeln!(
            out,
            "apply them with `zhclean apply --decisions {log} {paths} --write`"
        )
    }
}

/// The evidence of a word-model rule (C702, C705: `lm_gain` and
/// `channel_logp` terms) in plain words: how much likelier the text reads
/// with the change, and how often OCR makes this misreading. `None` for
/// other rules, whose reason is already plain.
pub fn plain_evidence(it: &Item) -> Option<String> {
    let f = &it.finding;
    let t = &f.evidence.terms;
    let gain = *t.get("lm_gain")?;
    let new = match &f.fix {
        Some(_) => it.proposal.clone(),
        None => f.evidence.candidates.first()?.text.clone(),
    };
    let old = &f.original;
    let mut s = if old.is_empty() {
        format!(
            "the sentence is about {}× more likely with `{new}` here than without it",
            times(gain)
        )
    } else {
        format!(
            "the sentence is about {}× more likely with `{new}` than with `{old}`",
            times(gain)
        )
    };
    if let Some(lp) = t.get("channel_logp").filter(|x| x.is_finite()) {
        let seen = t.get("channel_count").copied().unwrap_or(0.0);
        let one_in = times(-lp);
        if old.is_empty() {
            s += &format!("; OCR drops a char like this about once in {one_in}");
        } else if seen >= 1.0 {
            s += &format!(
                "; OCR often reads `{new}` as `{old}` (seen {}× in real OCR; about once in {one_in})",
                seen as u64
            );
        } else {
            s += &format!(
                "; `{new}` and `{old}` look alike (OCR confuses them about once in {one_in})"
            );
        }
    }
    Some(s)
}

/// 10^`log10`, rounded to two significant digits (a whole number), with
/// thousands separators: `40,000`, `3`.
fn times(log10: f64) -> String {
    let x = 10f64.powf(log10);
    if !x.is_finite() {
        return "many".into();
    }
    if x < 10.0 {
        return format!("{}", (x.round() as u64).max(1));
    }
    let digits = x.log10().floor() as i32;
    let unit = 10f64.powi(digits - 1);
    let rounded = ((x / unit).round() * unit) as u64;
    let raw = rounded.to_string();
    let mut out = String::new();
    for (i, c) in raw.chars().enumerate() {
        if i > 0 && (raw.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Pieces longer than this many chars are shown as their start, `…` and
/// their end (a deleted duplicate paragraph, say).
const MAX_PIECE_CHARS: usize = 60;

fn shorten(s: &str) -> String {
    let n = s.chars().count();
    if n <= MAX_PIECE_CHARS {
        return s.to_string();
    }
    let head: String = s.chars().take(MAX_PIECE_CHARS / 2).collect();
    let tail: String = s.chars().skip(n - MAX_PIECE_CHARS / 4).collect();
    format!("{head}…{tail}")
}

/// A score or term value: integers plain, others to 2 decimals.
fn number(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_pieces_keep_start_and_end() {
        let s: String = "甲".repeat(50) + &"乙".repeat(50);
        let short = shorten(&s);
        assert_eq!(short.chars().count(), 30 + 1 + 15);
        assert!(short.starts_with(&"甲".repeat(30)));
        assert!(short.ends_with(&format!("…{}", "乙".repeat(15))));
        assert_eq!(shorten("甲乙"), "甲乙");
    }

    #[test]
    fn times_are_plain() {
        assert_eq!(times(4.6), "40,000");
        assert_eq!(times(2.5), "320");
        assert_eq!(times(0.5), "3");
        assert_eq!(times(0.0), "1");
        assert_eq!(times(7.0), "10,000,000");
    }

    #[test]
    fn numbers_are_short() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(-1.2692), "-1.27");
    }
}
