//! `--statistics`: findings counted per rule and tier instead of listed,
//! most frequent first, then the summary line.

use super::{human::summary_line, DocReport, Reporter, Summary, Tally};
use crate::io::Spool;
use std::io::{self, Write};

/// Counts findings per (rule, tier); prints the table at the end.
#[derive(Debug, Default)]
pub struct Statistics {
    /// (rule, tier) → (findings, of which applied).
    counts: Tally,
}

impl Reporter for Statistics {
    fn document(&mut self, _: &mut dyn Write, doc: &DocReport<'_>) -> io::Result<()> {
        for f in doc.findings {
            let c = self
                .counts
                .entry((f.rule.to_string(), f.tier()))
                .or_default();
            c.0 += 1;
            c.1 += f.applied as usize;
        }
        Ok(())
    }

    fn finish(&mut self, out: &mut dyn Write, summary: &Summary) -> io::Result<()> {
        let mut rows: Vec<_> = self.counts.iter().collect();
        // Most findings first; ties by code, then surest tier first.
        rows.sort_by(|a, b| {
            b.1 .0
                .cmp(&a.1 .0)
                .then(a.0 .0.cmp(&b.0 .0))
                .then(b.0 .1.cmp(&a.0 .1))
        });
        let width = rows
            .iter()
            .map(|(_, (n, _))| n.to_string().len())
            .max()
            .unwrap_or(1);
        for ((rule, tier), (n, applied)) in rows {
            let name = crate::rules::lookup(rule).map(|m| m.name).unwrap_or("");
            let mut line = format!("{n:>width$}  {rule}  {:<7}  {name}", tier.as_str());
            line.truncate(line.trim_end().len());
            if *applied > 0 {
                line += &format!("  ({applied} applied)");
            }
            writeln!(out, "{line}")?;
        }
        writeln!(out, "{}", summary_line(summary))?;
        out.flush()
    }

    fn fork(&self) -> Option<Box<dyn Reporter>> {
        Some(Box::new(Statistics::default()))
    }

    fn join(&mut self, _: &mut dyn Write, fork: Box<dyn Reporter>, _: Spool) -> io::Result<()> {
        for (k, (n, applied)) in fork.tally().into_iter().flatten() {
            let c = self.counts.entry(k.clone()).or_default();
            c.0 += n;
            c.1 += applied;
        }
        Ok(())
    }

    fn tally(&self) -> Option<&Tally> {
        Some(&self.counts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn counts_per_rule_and_tier() {
        let mut a = super::super::testutil::comma_finding(0, 0, 1, 1);
        a.applied = true;
        let b = super::super::testutil::comma_finding(2, 2, 1, 3);
        let text = super::super::testutil::one_file_report(
            &mut Statistics::default(),
            &[a, b],
            &BTreeMap::new(),
        );
        assert_eq!(
            text,
            "2  X001  safe  (1 applied)\n2 findings (safe 2, review 0, suggest 0) in 1 file\n"
        );
    }
}
