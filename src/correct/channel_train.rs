//! Learning an OCR channel from (gold, ocr) sentence pairs: what
//! `zhclean train-channel` does, and the same counts and probabilities as
//! `scripts/build_channel.py` (which builds `dictionaries/channel_ocr.tsv`).
//!
//! - **Alignment**: gold and ocr are aligned per char by longest matching
//!   blocks, exactly as Python's `difflib.SequenceMatcher(None, gold, ocr,
//!   autojunk=False)`: the longest common block is matched first (earliest in
//!   gold, then in ocr, on ties), then the parts on each side of it. A
//!   non-matching block with as many gold as ocr chars gives 1:1
//!   substitutions; any other gives a deletion for each gold char and an
//!   insertion for each ocr char.
//! - **Probabilities** (log10): `sub` and `del`: `count / (max(occ, count) +
//!   20)`, where `occ` is how often the intended char occurs in the gold side
//!   (the 20 is a shrinkage: a char seen once and misread once must not get
//!   P = 1); `ins`: `count / gold chars`.
//! - **Output**: `kind<TAB>intended<TAB>observed<TAB>count<TAB>log10p`, kinds
//!   `sub`, `del` (observed empty), `ins` (intended empty), each kind sorted
//!   by its chars; what [`Channel::from_tsv`](super::confusion::Channel::from_tsv)
//!   reads.

use std::collections::{BTreeMap, HashMap};

/// Shrinkage added to a char's gold occurrences in `sub`/`del` probabilities.
pub const SHRINK: f64 = 20.0;

/// A non-matching block of an alignment: `gold[g.0..g.1]` against
/// `ocr[o.0..o.1]` (one side may be empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Block {
    /// Gold char range.
    pub gold: (usize, usize),
    /// OCR char range.
    pub ocr: (usize, usize),
}

/// The longest block common to `a[alo..ahi]` and `b[blo..bhi]` as (i, j, k):
/// earliest in `a`, then in `b`, on ties (difflib's `find_longest_match`
/// without junk).
fn longest_match(
    a: &[char],
    b: &[char],
    (alo, ahi): (usize, usize),
    (blo, bhi): (usize, usize),
) -> (usize, usize, usize) {
    let (mut best_i, mut best_j, mut best_k) = (alo, blo, 0);
    let w = bhi - blo;
    // prev[x]: length of the match ending at a[i-1], b[blo + x]
    let mut prev = vec![0usize; w];
    let mut cur = vec![0usize; w];
    for (i, &ai) in a.iter().enumerate().take(ahi).skip(alo) {
        for (x, &bx) in b[blo..bhi].iter().enumerate() {
            cur[x] = if ai == bx {
                let k = if x > 0 { prev[x - 1] } else { 0 } + 1;
                if k > best_k {
                    (best_i, best_j, best_k) = (i + 1 - k, blo + x + 1 - k, k);
                }
                k
            } else {
                0
            };
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    (best_i, best_j, best_k)
}

/// The non-matching blocks of `gold` against `ocr`, in order (difflib's
/// `get_opcodes` without the `equal` ones).
pub fn align(gold: &[char], ocr: &[char]) -> Vec<Block> {
    let mut matches = Vec::new();
    let mut stack = vec![(0, gold.len(), 0, ocr.len())];
    while let Some((alo, ahi, blo, bhi)) = stack.pop() {
        let (i, j, k) = longest_match(gold, ocr, (alo, ahi), (blo, bhi));
        if k > 0 {
            matches.push((i, j, k));
            if alo < i && blo < j {
                stack.push((alo, i, blo, j));
            }
            if i + k < ahi && j + k < bhi {
                stack.push((i + k, ahi, j + k, bhi));
            }
        }
    }
    matches.sort_unstable();
    matches.push((gold.len(), ocr.len(), 0));
    let (mut i, mut j) = (0, 0);
    let mut out = Vec::new();
    for (ai, bj, k) in matches {
        if i < ai || j < bj {
            out.push(Block {
                gold: (i, ai),
                ocr: (j, bj),
            });
        }
        (i, j) = (ai + k, bj + k);
    }
    out
}

/// Counts of substitutions, deletions and insertions over a set of pairs.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ChannelCounts {
    /// (intended, observed) → count.
    pub sub: BTreeMap<(char, char), u32>,
    /// Intended char dropped → count.
    pub del: BTreeMap<char, u32>,
    /// Observed char inserted → count.
    pub ins: BTreeMap<char, u32>,
    /// Occurrences of each char on the gold side.
    pub occ: HashMap<char, u64>,
    /// Gold chars.
    pub gold_chars: u64,
    /// Pairs counted.
    pub pairs: usize,
}

impl ChannelCounts {
    /// Count one pair.
    pub fn add(&mut self, gold: &str, ocr: &str) {
        let g: Vec<char> = gold.chars().collect();
        let o: Vec<char> = ocr.chars().collect();
        self.pairs += 1;
        self.gold_chars += g.len() as u64;
        for &c in &g {
            *self.occ.entry(c).or_default() += 1;
        }
        for b in align(&g, &o) {
            let gs = &g[b.gold.0..b.gold.1];
            let os = &o[b.ocr.0..b.ocr.1];
            if gs.len() == os.len() {
                for (&x, &y) in gs.iter().zip(os) {
                    *self.sub.entry((x, y)).or_default() += 1;
                }
            } else {
                for &x in gs {
                    *self.del.entry(x).or_default() += 1;
                }
                for &y in os {
                    *self.ins.entry(y).or_default() += 1;
                }
            }
        }
    }

    /// log10 P of `count` events of a char occurring `occ` times in gold.
    fn log10p(&self, c: char, count: u32) -> f64 {
        let occ = self.occ.get(&c).copied().unwrap_or(0).max(u64::from(count));
        (f64::from(count) / (occ as f64 + SHRINK)).log10()
    }

    /// The channel table: `comment` lines (each written after `# `), then one
    /// line per learned event (see the module docs).
    pub fn to_tsv(&self, comment: &[String]) -> String {
        use std::fmt::Write as _;
        let mut s = String::new();
        for c in comment {
            let _ = writeln!(s, "# {c}");
        }
        for (&(a, b), &n) in &self.sub {
            let _ = writeln!(s, "sub\t{a}\t{b}\t{n}\t{:.3}", self.log10p(a, n));
        }
        for (&a, &n) in &self.del {
            let _ = writeln!(s, "del\t{a}\t\t{n}\t{:.3}", self.log10p(a, n));
        }
        let total = self.gold_chars.max(1) as f64;
        for (&b, &n) in &self.ins {
            let _ = writeln!(s, "ins\t\t{b}\t{n}\t{:.3}", (f64::from(n) / total).log10());
        }
        s
    }
}

/// A problem in a pairs file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PairsFileError {
    /// No header line naming `gold` and `ocr`.
    #[error("line {line}: the header must name `gold` and `ocr` columns")]
    Header {
        /// 1-based line of the header (or of the end of the file).
        line: usize,
    },
    /// A row without the `gold` or `ocr` field.
    #[error("line {line}: expected {expected} tab-separated fields, found {found}")]
    Row {
        /// 1-based line number.
        line: usize,
        /// Fields in the header.
        expected: usize,
        /// Fields in the row.
        found: usize,
    },
}

/// One row of a pairs file, read by header name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PairRow {
    /// 1-based line number.
    pub line: usize,
    /// `id` column (empty when there is none).
    pub id: String,
    /// `gold` column.
    pub gold: String,
    /// `ocr` column.
    pub ocr: String,
}

/// Rows of a pairs file (`id font px blur noise gold ocr [engine damage …]`,
/// columns found by header name; only `gold` and `ocr` are required).
/// Leading `#` lines are comments; empty lines are skipped.
pub fn read_pairs(text: &str) -> Result<Vec<PairRow>, PairsFileError> {
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(n, l)| (n + 1, l.trim_end_matches('\r')));
    let mut last = 0;
    let header = loop {
        match lines.next() {
            Some((n, l)) if l.starts_with('#') || l.trim().is_empty() => last = n,
            Some((n, l)) => break (n, l.trim_start_matches('\u{feff}')),
            None => return Err(PairsFileError::Header { line: last + 1 }),
        }
    };
    let cols: Vec<&str> = header.1.split('\t').map(str::trim).collect();
    let col = |name: &str| cols.iter().position(|h| *h == name);
    let (Some(gi), Some(oi)) = (col("gold"), col("ocr")) else {
        return Err(PairsFileError::Header { line: header.0 });
    };
    let ii = col("id");
    let mut out = Vec::new();
    for (n, l) in lines {
        if l.is_empty() {
            continue;
        }
        let f: Vec<&str> = l.split('\t').collect();
        let (Some(g), Some(o)) = (f.get(gi), f.get(oi)) else {
            return Err(PairsFileError::Row {
                line: n,
                expected: cols.len(),
                found: f.len(),
            });
        };
        out.push(PairRow {
            line: n,
            id: ii.and_then(|i| f.get(i)).unwrap_or(&"").to_string(),
            gold: g.to_string(),
            ocr: o.to_string(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blocks(g: &str, o: &str) -> Vec<(String, String)> {
        let g: Vec<char> = g.chars().collect();
        let o: Vec<char> = o.chars().collect();
        align(&g, &o)
            .into_iter()
            .map(|b| {
                (
                    g[b.gold.0..b.gold.1].iter().collect(),
                    o[b.ocr.0..b.ocr.1].iter().collect(),
                )
            })
            .collect()
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn alignment_is_difflib_s() {
        // figures from Python: difflib.SequenceMatcher(None, g, o,
        // autojunk=False).get_opcodes()
        assert_eq!(
            blocks("大家好。", "太家好."),
            [pair("大", "太"), pair("。", ".")]
        );
        assert_eq!(blocks("我们走了。", "我们走了"), [pair("。", "")]);
        assert_eq!(blocks("设备创建后", "设备创建创后"), [pair("", "创")]);
        assert_eq!(blocks("可以像使用", "可以稀使用"), [pair("像", "稀")]);
        // a block of unequal length (counted as deletions and insertions)
        assert_eq!(blocks("一二三", "一四五六三"), [pair("二", "四五六")]);
        // ties and order of the recursion
        assert_eq!(
            blocks("甲乙甲乙丙", "乙甲丙甲"),
            [pair("甲", ""), pair("乙", ""), pair("", "甲")]
        );
        assert_eq!(
            blocks("的的了的", "了的的"),
            [pair("", "了"), pair("了的", "")]
        );
        assert_eq!(
            blocks("上下左右上下", "下上右左下"),
            [pair("", "下"), pair("", "右左"), pair("左右上下", "")]
        );
        // the longest block first: `abcab` vs `ab`: matched at 0
        assert_eq!(blocks("abcab", "ab"), [pair("cab", "")]);
        assert_eq!(blocks("", "xy"), [pair("", "xy")]);
        assert!(blocks("同", "同").is_empty());
    }

    #[test]
    fn counts_and_probabilities() {
        let mut c = ChannelCounts::default();
        c.add("大家好。", "太家好.");
        c.add("大家好", "大家好");
        c.add("一二三", "一四五三");
        assert_eq!(c.sub.get(&('大', '太')), Some(&1));
        assert_eq!(c.sub.get(&('。', '.')), Some(&1));
        assert_eq!(c.del.get(&'二'), Some(&1));
        assert_eq!(c.ins.get(&'四'), Some(&1));
        assert_eq!(c.gold_chars, 10);
        let t = c.to_tsv(&["test".into()]);
        // 大 occurs twice in gold: log10(1 / (2 + 20))
        assert!(t.contains("sub\t大\t太\t1\t-1.342\n"), "{t}");
        assert!(t.contains("del\t二\t\t1\t-1.322\n"), "{t}");
        // ins: 1 / 10 gold chars
        assert!(t.contains("ins\t\t四\t1\t-1.000\n"), "{t}");
        assert!(t.starts_with("# test\nsub\t"), "{t}");
        let ch = super::super::confusion::Channel::from_tsv(&t).unwrap();
        assert_eq!(ch.sub('大', '太').unwrap().0, 1);
    }

    #[test]
    fn pairs_by_header_name() {
        let text = "# comment\nid\tengine\tocr\tgold\tdamage\nx-1\ttess\t太\t大\tjpeg\n\nx-2\tpaddle\t乙\t甲\t\n";
        let r = read_pairs(text).unwrap();
        assert_eq!(r.len(), 2);
        assert_eq!(
            (r[0].gold.as_str(), r[0].ocr.as_str(), r[0].line),
            ("大", "太", 3)
        );
        assert_eq!(r[1].id, "x-2");
        assert_eq!(
            read_pairs("id\tgold\tocr\nx\t甲\n"),
            Err(PairsFileError::Row {
                line: 2,
                expected: 3,
                found: 2
            })
        );
        assert_eq!(
            read_pairs("# c\nid\tgold\n"),
            Err(PairsFileError::Header { line: 2 })
        );
    }
}
