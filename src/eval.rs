//! Correction quality on (gold, ocr) sentence pairs: the metrics behind
//! `zhclean eval`. No printing and no timing here; the caller runs the engine
//! and hands the outputs in.
//!
//! Definitions (all at the character level, on Unicode scalar values):
//! - **CER**: Levenshtein distance between a text and gold, summed over
//!   pairs, divided by the total number of gold characters. Error reduction
//!   is `(errors_before - errors_after) / errors_before`.
//! - **Atomic edits**: an alignment (Myers diff) of `ocr` to another text is
//!   cut into edits at positions of `ocr`: a substitution of one character, a
//!   deletion of one character, or an insertion of a string before a
//!   position. The *gold edits* align `ocr → gold`, the *system edits* align
//!   `ocr → output`.
//! - **Detection**: a system edit is a true positive when some gold edit sits
//!   at the same `ocr` position (whatever its kind); recall counts gold edits
//!   whose position got a system edit. **Correction**: a system edit is a
//!   true positive only when the identical edit is a gold edit.
//! - **Sentence level**: a pair is positive when `ocr != gold`; the system
//!   flags a pair when `output != ocr`; a true positive is a flagged pair
//!   whose output equals gold. Precision = TP / flagged, recall = TP /
//!   positive.
//! - **False changes**: the gold side is run as input; the Levenshtein
//!   distance between that output and gold, per 1,000 gold characters.
//!
//! Split: a row is **held out** when the numeric suffix of its id is divisible
//! by 4 (`dev-004`, `gnome-008`); tuning uses the other rows.

pub mod classes;

use serde::Serialize;
use similar::{capture_diff_slices, Algorithm, DiffOp};
use std::collections::HashSet;

/// One sentence pair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// Row id (e.g. `dev-004`), or `line-N` when the input has none.
    pub id: String,
    /// The correct sentence.
    pub gold: String,
    /// The noisy (OCR) sentence.
    pub ocr: String,
    /// The `engine` column (which OCR engine or simulation made `ocr`), when
    /// the input has one.
    pub engine: Option<String>,
    /// The `damage` column (the degradation of the rendered page), when the
    /// input has one.
    pub damage: Option<String>,
    /// The `font` column (the typeface the page was rendered in), when the
    /// input has one and it is not `-`.
    pub font: Option<String>,
}

/// Which rows to evaluate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Split {
    /// Rows whose id suffix is divisible by 4.
    Heldout,
    /// All other rows (used for learning and tuning).
    Train,
    /// Every row.
    All,
}

impl std::str::FromStr for Split {
    type Err = String;
    fn from_str(s: &str) -> Result<Split, String> {
        match s {
            "heldout" => Ok(Split::Heldout),
            "train" => Ok(Split::Train),
            "all" => Ok(Split::All),
            _ => Err(format!(
                "unknown split `{s}` (expected heldout, train or all)"
            )),
        }
    }
}

/// True when the numeric suffix of `id` is divisible by 4 (held out from
/// tuning). Ids without a numeric suffix count as held out.
pub fn is_heldout(id: &str) -> bool {
    let digits: String = id
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    match digits.parse::<u64>() {
        Ok(n) => n % 4 == 0,
        Err(_) => true,
    }
}

impl Split {
    /// Whether the row `id` belongs to this split.
    pub fn keeps(&self, id: &str) -> bool {
        match self {
            Split::All => true,
            Split::Heldout => is_heldout(id),
            Split::Train => !is_heldout(id),
        }
    }
}

/// Errors while reading pairs.
#[derive(Debug, thiserror::Error)]
pub enum PairsError {
    /// A TSV file without `gold` and `ocr` header columns.
    #[error("TSV header must name `gold` and `ocr` columns")]
    Header,
    /// A malformed line.
    #[error("line {line}: {msg}")]
    Line {
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        msg: String,
    },
}

/// Parse pairs from TSV (a header naming `gold` and `ocr`, optionally `id`,
/// `engine`, `damage`, `font`) or, when the first non-empty line starts with `{`, JSONL objects
/// with `gold` and `ocr` (and optionally those keys).
pub fn parse_pairs(text: &str) -> Result<Vec<Pair>, PairsError> {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first.trim_start().starts_with('{') {
        return parse_jsonl(text);
    }
    let mut lines = text.lines().enumerate();
    let header: Vec<&str> = match lines.next() {
        Some((_, h)) => h.trim_start_matches('\u{feff}').split('\t').collect(),
        None => return Ok(Vec::new()),
    };
    let col = |name: &str| header.iter().position(|h| h.trim() == name);
    let (gi, oi) = match (col("gold"), col("ocr")) {
        (Some(g), Some(o)) => (g, o),
        _ => return Err(PairsError::Header),
    };
    let ii = col("id");
    let (ei, di, fi) = (col("engine"), col("damage"), col("font"));
    let mut out = Vec::new();
    for (n, line) in lines {
        if line.is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        let get = |i: usize| {
            f.get(i).map(|s| s.to_string()).ok_or(PairsError::Line {
                line: n + 1,
                msg: format!("expected {} columns, found {}", header.len(), f.len()),
            })
        };
        let id = match ii {
            Some(i) => get(i)?,
            None => format!("line-{}", n + 1),
        };
        let opt = |i: Option<usize>| {
            i.and_then(|i| f.get(i))
                .filter(|v| !v.is_empty())
                .map(|v| v.to_string())
        };
        out.push(Pair {
            id,
            gold: get(gi)?,
            ocr: get(oi)?,
            engine: opt(ei),
            damage: opt(di),
            font: opt(fi).filter(|v| v != "-"),
        });
    }
    Ok(out)
}

fn parse_jsonl(text: &str) -> Result<Vec<Pair>, PairsError> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let err = |msg: String| PairsError::Line { line: n + 1, msg };
        let v: serde_json::Value = serde_json::from_str(line).map_err(|e| err(e.to_string()))?;
        let field = |k: &str| v.get(k).and_then(|x| x.as_str()).map(str::to_string);
        let gold = field("gold").ok_or_else(|| err("missing string `gold`".into()))?;
        let ocr = field("ocr").ok_or_else(|| err("missing string `ocr`".into()))?;
        let id = field("id").unwrap_or_else(|| format!("line-{}", n + 1));
        out.push(Pair {
            id,
            gold,
            ocr,
            engine: field("engine"),
            damage: field("damage"),
            font: field("font").filter(|v| v != "-"),
        });
    }
    Ok(out)
}

/// Levenshtein distance over chars.
pub fn char_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    strsim::generic_levenshtein(&a, &b)
}

fn ops(a: &[char], b: &[char]) -> Vec<DiffOp> {
    capture_diff_slices(Algorithm::Myers, a, b)
}

/// An atomic edit at a position of the noisy text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AtomicEdit {
    /// Char at this position replaced by another char.
    Sub(usize, char),
    /// Char at this position deleted.
    Del(usize),
    /// String inserted before this position.
    Ins(usize, String),
}

impl AtomicEdit {
    /// The position in the noisy text.
    pub fn pos(&self) -> usize {
        match self {
            AtomicEdit::Sub(p, _) | AtomicEdit::Del(p) | AtomicEdit::Ins(p, _) => *p,
        }
    }
}

/// The atomic edits turning `from` into `to`.
pub fn atomic_edits(from: &str, to: &str) -> Vec<AtomicEdit> {
    let a: Vec<char> = from.chars().collect();
    let b: Vec<char> = to.chars().collect();
    let mut out = Vec::new();
    for op in ops(&a, &b) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } => out.extend((old_index..old_index + old_len).map(AtomicEdit::Del)),
            DiffOp::Insert {
                old_index,
                new_index,
                new_len,
            } => out.push(AtomicEdit::Ins(
                old_index,
                b[new_index..new_index + new_len].iter().collect(),
            )),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let k = old_len.min(new_len);
                for i in 0..k {
                    out.push(AtomicEdit::Sub(old_index + i, b[new_index + i]));
                }
                for i in k..old_len {
                    out.push(AtomicEdit::Del(old_index + i));
                }
                if new_len > k {
                    out.push(AtomicEdit::Ins(
                        old_index + old_len,
                        b[new_index + k..new_index + new_len].iter().collect(),
                    ));
                }
            }
        }
    }
    out
}

/// Precision, recall and F1 from counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    /// True positives counted for precision.
    pub tp: usize,
    /// Predicted positives.
    pub predicted: usize,
    /// True positives counted for recall.
    pub tp_recall: usize,
    /// Actual positives.
    pub actual: usize,
    /// tp / predicted (1 when nothing was predicted).
    pub precision: f64,
    /// tp_recall / actual (1 when there is nothing to find).
    pub recall: f64,
    /// Harmonic mean of precision and recall.
    pub f1: f64,
}

impl Prf {
    /// Compute the ratios from counts.
    pub fn new(tp: usize, predicted: usize, tp_recall: usize, actual: usize) -> Prf {
        let precision = if predicted == 0 {
            1.0
        } else {
            tp as f64 / predicted as f64
        };
        let recall = if actual == 0 {
            1.0
        } else {
            tp_recall as f64 / actual as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            tp,
            predicted,
            tp_recall,
            actual,
            precision,
            recall,
            f1,
        }
    }
}

/// All figures for one tier.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Metrics {
    /// Number of pairs.
    pub pairs: usize,
    /// Total gold characters.
    pub gold_chars: usize,
    /// Char errors of the noisy side against gold.
    pub errors_before: usize,
    /// Char errors of the output against gold.
    pub errors_after: usize,
    /// errors_before / gold_chars.
    pub cer_before: f64,
    /// errors_after / gold_chars.
    pub cer_after: f64,
    /// (errors_before - errors_after) / errors_before (0 when no errors).
    pub error_reduction: f64,
    /// Edit-level detection.
    pub detection: Prf,
    /// Edit-level correction.
    pub correction: Prf,
    /// Sentence-level correction.
    pub sentence: Prf,
    /// Chars changed when the gold side is the input.
    pub false_changes: usize,
    /// false_changes per 1,000 gold chars.
    pub false_changes_per_1k: f64,
    /// Of [`Metrics::false_changes`], the gold's own ASCII marks made
    /// full-width ([`classes::is_widened_mark`]): typography the source did
    /// not follow, counted apart so that the changes of wording and of the
    /// other marks can be read on their own.
    pub false_changes_widened: usize,
    /// The other false changes per 1,000 gold chars.
    pub false_changes_other_per_1k: f64,
}

/// The figures for `pairs` given the engine's `outputs` (one per pair, run on
/// `ocr`) and `gold_outputs` (one per pair, run on `gold`).
pub fn evaluate(pairs: &[Pair], outputs: &[String], gold_outputs: &[String]) -> Metrics {
    assert_eq!(pairs.len(), outputs.len());
    assert_eq!(pairs.len(), gold_outputs.len());
    let mut m = Metrics {
        pairs: pairs.len(),
        ..Metrics::default()
    };
    let (mut d_tp, mut d_tp_r, mut c_tp, mut sys_n, mut gold_n) = (0, 0, 0, 0, 0);
    let (mut s_tp, mut s_flag, mut s_pos) = (0, 0, 0);
    for ((p, out), gout) in pairs.iter().zip(outputs).zip(gold_outputs) {
        m.gold_chars += p.gold.chars().count();
        m.errors_before += char_distance(&p.ocr, &p.gold);
        m.errors_after += char_distance(out, &p.gold);
        m.false_changes += char_distance(gout, &p.gold);
        if gout != &p.gold {
            m.false_changes_widened += classes::char_errors(&p.gold, gout)
                .into_iter()
                .filter(|e| matches!(*e, classes::CharError::Sub(g, c) if classes::is_widened_mark(g, c)))
                .count();
        }
        let gold_e = atomic_edits(&p.ocr, &p.gold);
        let sys_e = atomic_edits(&p.ocr, out);
        let gold_set: HashSet<&AtomicEdit> = gold_e.iter().collect();
        let gold_pos: HashSet<usize> = gold_e.iter().map(AtomicEdit::pos).collect();
        let sys_pos: HashSet<usize> = sys_e.iter().map(AtomicEdit::pos).collect();
        sys_n += sys_e.len();
        gold_n += gold_e.len();
        d_tp += sys_e.iter().filter(|e| gold_pos.contains(&e.pos())).count();
        d_tp_r += gold_e.iter().filter(|e| sys_pos.contains(&e.pos())).count();
        c_tp += sys_e.iter().filter(|e| gold_set.contains(e)).count();
        let positive = p.ocr != p.gold;
        let flagged = *out != p.ocr;
        s_pos += positive as usize;
        s_flag += flagged as usize;
        s_tp += (flagged && *out == p.gold) as usize;
    }
    let g = m.gold_chars.max(1) as f64;
    m.cer_before = m.errors_before as f64 / g;
    m.cer_after = m.errors_after as f64 / g;
    m.error_reduction = if m.errors_before == 0 {
        0.0
    } else {
        (m.errors_before as f64 - m.errors_after as f64) / m.errors_before as f64
    };
    m.detection = Prf::new(d_tp, sys_n, d_tp_r, gold_n);
    m.correction = Prf::new(c_tp, sys_n, c_tp, gold_n);
    m.sentence = Prf::new(s_tp, s_flag, s_tp, s_pos);
    m.false_changes_per_1k = m.false_changes as f64 * 1000.0 / g;
    m.false_changes_other_per_1k = (m.false_changes - m.false_changes_widened) as f64 * 1000.0 / g;
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn heldout_rule() {
        assert!(is_heldout("dev-004"));
        assert!(is_heldout("gnome-008"));
        assert!(!is_heldout("dev-001"));
        assert!(!is_heldout("gnome-010"));
        assert!(Split::Train.keeps("dev-003"));
    }

    #[test]
    fn atomic_edits_split_replacements() {
        let e = atomic_edits("abcd", "axd");
        assert_eq!(e, vec![AtomicEdit::Sub(1, 'x'), AtomicEdit::Del(2)]);
        let e = atomic_edits("ad", "abcd");
        assert_eq!(e, vec![AtomicEdit::Ins(1, "bc".into())]);
    }

    #[test]
    fn widened_marks_of_the_gold_are_counted_apart() {
        let pair = |gold: &str| Pair {
            id: "x-1".into(),
            gold: gold.into(),
            ocr: gold.into(),
            engine: None,
            damage: None,
            font: None,
        };
        let pairs = [pair("虚部等于零,因此(见下)它不显示。"), pair("他说：好。")];
        let same: Vec<String> = pairs.iter().map(|p| p.gold.clone()).collect();
        // three marks widened and one char changed on the first; `：` → `:` narrows
        let gold_out = vec![
            "虚部等于零，因此（见下）它不现示。".to_string(),
            "他说:好。".to_string(),
        ];
        let m = evaluate(&pairs, &same, &gold_out);
        assert_eq!(m.false_changes, 5);
        assert_eq!(m.false_changes_widened, 3);
        let chars = m.gold_chars as f64;
        assert!((m.false_changes_other_per_1k - 2000.0 / chars).abs() < 1e-9);
    }

    #[test]
    fn distance() {
        assert_eq!(char_distance("大家好", "太家好"), 1);
        assert_eq!(char_distance("", "你好"), 2);
    }
}
