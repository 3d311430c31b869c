//! Errors by class: which kinds of character errors a text has against
//! gold, and how many of each the correction removed.
//!
//! A text is aligned to gold per char by a Levenshtein alignment (common
//! prefix and suffix first; on equal cost a substitution is preferred to a
//! drop, a drop to an extra char), so the errors of all classes add up to
//! the char distance that CER counts. Each error has a class:
//! - a **substitution** is classed by the gold char, a **drop** (a gold
//!   char missing) by the gold char, an **extra** char by the char itself;
//! - **Han**: a Han ideograph; **punctuation**: any other char that is not a
//!   letter, digit or white space (marks, dashes, quotes, `·`); **other**:
//!   digits, Latin and other letters, spaces.

use super::Pair;
use crate::rules::han::is_han;
use serde::Serialize;
use std::collections::BTreeMap;

/// The class of a char error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorClass {
    /// A Han char read as another char.
    HanSub,
    /// A Han char missing.
    HanDrop,
    /// A Han char that is not in gold.
    HanExtra,
    /// A mark read as another char.
    PunctSub,
    /// A mark missing.
    PunctDrop,
    /// A mark that is not in gold.
    PunctExtra,
    /// Digits, Latin, spaces and other chars (any kind of error).
    Other,
}

impl ErrorClass {
    /// Every class, in report order.
    pub const ALL: [ErrorClass; 7] = [
        ErrorClass::HanSub,
        ErrorClass::HanDrop,
        ErrorClass::HanExtra,
        ErrorClass::PunctSub,
        ErrorClass::PunctDrop,
        ErrorClass::PunctExtra,
        ErrorClass::Other,
    ];

    /// The label used in reports.
    pub fn label(self) -> &'static str {
        match self {
            ErrorClass::HanSub => "Han sub",
            ErrorClass::HanDrop => "Han drop",
            ErrorClass::HanExtra => "Han extra",
            ErrorClass::PunctSub => "punct sub",
            ErrorClass::PunctDrop => "punct drop",
            ErrorClass::PunctExtra => "punct extra",
            ErrorClass::Other => "other",
        }
    }
}

/// Char kinds the classes are made of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Han,
    Punct,
    Other,
}

fn kind(c: char) -> Kind {
    if is_han(c) {
        Kind::Han
    } else if c.is_alphanumeric() || c.is_whitespace() {
        Kind::Other
    } else {
        Kind::Punct
    }
}

/// One char error of a text against gold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharError {
    /// Gold char, char read instead.
    Sub(char, char),
    /// Gold char missing.
    Drop(char),
    /// Char not in gold.
    Extra(char),
}

impl CharError {
    /// The error's class.
    pub fn class(self) -> ErrorClass {
        match self {
            CharError::Sub(g, _) => match kind(g) {
                Kind::Han => ErrorClass::HanSub,
                Kind::Punct => ErrorClass::PunctSub,
                Kind::Other => ErrorClass::Other,
            },
            CharError::Drop(g) => match kind(g) {
                Kind::Han => ErrorClass::HanDrop,
                Kind::Punct => ErrorClass::PunctDrop,
                Kind::Other => ErrorClass::Other,
            },
            CharError::Extra(c) => match kind(c) {
                Kind::Han => ErrorClass::HanExtra,
                Kind::Punct => ErrorClass::PunctExtra,
                Kind::Other => ErrorClass::Other,
            },
        }
    }
}

/// The char errors of `text` against `gold` (as many as their Levenshtein
/// distance; see the module docs for the alignment).
pub fn char_errors(gold: &str, text: &str) -> Vec<CharError> {
    let g: Vec<char> = gold.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let pre = g.iter().zip(&t).take_while(|(a, b)| a == b).count();
    let suf = g[pre..]
        .iter()
        .rev()
        .zip(t[pre..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let g = &g[pre..g.len() - suf];
    let t = &t[pre..t.len() - suf];
    let (n, m) = (g.len(), t.len());
    if n == 0 {
        return t.iter().map(|&c| CharError::Extra(c)).collect();
    }
    if m == 0 {
        return g.iter().map(|&c| CharError::Drop(c)).collect();
    }
    // d[i][j]: distance of g[..i] and t[..j]
    let w = m + 1;
    let mut d = vec![0u32; (n + 1) * w];
    for (j, x) in d.iter_mut().take(w).enumerate() {
        *x = j as u32;
    }
    for i in 1..=n {
        d[i * w] = i as u32;
        for j in 1..=m {
            let diag = d[(i - 1) * w + j - 1] + u32::from(g[i - 1] != t[j - 1]);
            let up = d[(i - 1) * w + j] + 1;
            let left = d[i * w + j - 1] + 1;
            d[i * w + j] = diag.min(up).min(left);
        }
    }
    let mut out = Vec::new();
    let (mut i, mut j) = (n, m);
    while i > 0 || j > 0 {
        let here = d[i * w + j];
        if i > 0 && j > 0 && here == d[(i - 1) * w + j - 1] + u32::from(g[i - 1] != t[j - 1]) {
            if g[i - 1] != t[j - 1] {
                out.push(CharError::Sub(g[i - 1], t[j - 1]));
            }
            i -= 1;
            j -= 1;
        } else if i > 0 && here == d[(i - 1) * w + j] + 1 {
            out.push(CharError::Drop(g[i - 1]));
            i -= 1;
        } else {
            out.push(CharError::Extra(t[j - 1]));
            j -= 1;
        }
    }
    out.reverse();
    out
}

/// True when `text` is the full-width form of the ASCII mark `gold`
/// (`,` → `，`, `(` → `（` …): the width normalization GB/T 15834 asks of
/// Chinese text, which a source may not follow (its own house style).
pub fn is_widened_mark(gold: char, text: char) -> bool {
    let wide = match gold {
        ',' => '，',
        ';' => '；',
        ':' => '：',
        '?' => '？',
        '!' => '！',
        '(' => '（',
        ')' => '）',
        _ => return false,
    };
    text == wide
}

/// Errors of each class.
pub type ClassCounts = BTreeMap<ErrorClass, usize>;

/// Count the errors of `text` against `gold` by class into `into`.
pub fn count_classes(gold: &str, text: &str, into: &mut ClassCounts) {
    for e in char_errors(gold, text) {
        *into.entry(e.class()).or_default() += 1;
    }
}

/// One class of one group: errors before (the noisy side) and after (the
/// output of each tier).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct ClassFigures {
    /// The class.
    pub class: Option<ErrorClass>,
    /// Errors of the noisy side.
    pub before: usize,
    /// Errors of the output, per tier, in the order the tiers were given.
    pub after: Vec<usize>,
    /// (before − after) / before per tier (0 when there were none).
    pub reduction: Vec<f64>,
}

/// The classes of one group of pairs.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct GroupFigures {
    /// `all`, `engine=NAME`, `font=NAME` or `damage=KIND`.
    pub group: String,
    /// Pairs in the group.
    pub pairs: usize,
    /// Gold chars in the group.
    pub gold_chars: usize,
    /// One row per class ([`ErrorClass::ALL`] order), then the total
    /// (class None).
    pub classes: Vec<ClassFigures>,
}

/// The group values a pair belongs to under one key.
type GroupKeys = fn(&Pair) -> Vec<String>;

/// The kinds of damage of a `damage` value: its `+`-separated parts, each
/// named by its leading letters (`px12+rot1.02+paper-yellow` → `px`, `rot`,
/// `paper-yellow`; `char:边>便` → `char`), once each, in order.
pub fn damage_kinds(damage: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for part in damage.split('+') {
        let end = part
            .find(|c: char| !(c.is_ascii_alphabetic() || c == '-' || c == '_'))
            .unwrap_or(part.len());
        let kind = if end == 0 {
            part
        } else {
            part[..end].trim_end_matches('-')
        };
        if !kind.is_empty() && !out.iter().any(|k| k == kind) {
            out.push(kind.to_string());
        }
    }
    out
}

/// Errors by class of `pairs`, grouped: `all`, then each `engine` value,
/// each `font` value and each kind of `damage` ([`damage_kinds`]), when the
/// pairs have them. `outputs[t][i]` is tier `t`'s output for pair `i`.
pub fn by_class(pairs: &[Pair], outputs: &[Vec<String>]) -> Vec<GroupFigures> {
    let tiers = outputs.len();
    for o in outputs {
        assert_eq!(o.len(), pairs.len());
    }
    // per pair: before counts, after counts per tier
    let per_pair: Vec<(ClassCounts, Vec<ClassCounts>)> = pairs
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let mut before = ClassCounts::new();
            count_classes(&p.gold, &p.ocr, &mut before);
            let after = (0..tiers)
                .map(|t| {
                    let mut a = ClassCounts::new();
                    count_classes(&p.gold, &outputs[t][i], &mut a);
                    a
                })
                .collect();
            (before, after)
        })
        .collect();
    let mut groups: Vec<(String, Vec<usize>)> = vec![("all".into(), (0..pairs.len()).collect())];
    // a pair is in one engine group and one font group, and in the group
    // of each kind of damage it has
    let keys: [(&str, GroupKeys); 3] = [
        ("engine", |p| p.engine.iter().cloned().collect()),
        ("font", |p| p.font.iter().cloned().collect()),
        ("damage", |p| {
            p.damage.as_deref().map(damage_kinds).unwrap_or_default()
        }),
    ];
    for (key, get) in keys {
        let mut by: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (i, p) in pairs.iter().enumerate() {
            for v in get(p) {
                by.entry(v).or_default().push(i);
            }
        }
        // a kind every pair has (the pixel size of every rendered page)
        // says nothing the `all` group does not
        if key == "damage" {
            by.retain(|_, ix| ix.len() < pairs.len());
        }
        groups.extend(by.into_iter().map(|(v, ix)| (format!("{key}={v}"), ix)));
    }
    groups
        .into_iter()
        .map(|(group, ix)| {
            let mut before = ClassCounts::new();
            let mut after = vec![ClassCounts::new(); tiers];
            for &i in &ix {
                for (c, n) in &per_pair[i].0 {
                    *before.entry(*c).or_default() += n;
                }
                for (t, a) in per_pair[i].1.iter().enumerate() {
                    for (c, n) in a {
                        *after[t].entry(*c).or_default() += n;
                    }
                }
            }
            let row = |class: Option<ErrorClass>| {
                let get = |m: &ClassCounts| match class {
                    Some(c) => m.get(&c).copied().unwrap_or(0),
                    None => m.values().sum(),
                };
                let b = get(&before);
                let a: Vec<usize> = after.iter().map(get).collect();
                let reduction = a
                    .iter()
                    .map(|&x| {
                        if b == 0 {
                            0.0
                        } else {
                            (b as f64 - x as f64) / b as f64
                        }
                    })
                    .collect();
                ClassFigures {
                    class,
                    before: b,
                    after: a,
                    reduction,
                }
            };
            let mut classes: Vec<ClassFigures> =
                ErrorClass::ALL.iter().map(|&c| row(Some(c))).collect();
            classes.push(row(None));
            GroupFigures {
                group,
                pairs: ix.len(),
                gold_chars: ix.iter().map(|&i| pairs[i].gold.chars().count()).sum(),
                classes,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn classes(gold: &str, text: &str) -> Vec<ErrorClass> {
        char_errors(gold, text)
            .into_iter()
            .map(CharError::class)
            .collect()
    }

    #[test]
    fn classifies_each_kind() {
        use ErrorClass::*;
        assert_eq!(classes("大家好。", "太家好。"), [HanSub]);
        assert_eq!(classes("大家好。", "大好。"), [HanDrop]);
        assert_eq!(classes("大家好。", "大家家好。"), [HanExtra]);
        assert_eq!(classes("你好，世界", "你好:世界"), [PunctSub]);
        assert_eq!(classes("你好，世界", "你好世界"), [PunctDrop]);
        assert_eq!(classes("你好世界", "你好.世界"), [PunctExtra]);
        // a mark read as a Han char is a punctuation substitution; the
        // reverse a Han one
        assert_eq!(classes("一—二", "一一二"), [PunctSub]);
        assert_eq!(classes("十年", "+年"), [HanSub]);
        assert_eq!(classes("第3版 v2", "第8版v2"), [Other, Other]);
        assert_eq!(classes("“好”", "好"), [PunctDrop, PunctDrop]);
        assert!(classes("同样", "同样").is_empty());
    }

    #[test]
    fn errors_add_up_to_the_distance() {
        for (g, t) in [
            ("大家好，今天下雨。", "太家好今天下两.。"),
            ("", "abc"),
            ("文档", ""),
            (
                "设备创建后，可以像使用普通分区一样",
                "设备创建后可以稀使用普通分区-样:",
            ),
        ] {
            assert_eq!(
                char_errors(g, t).len(),
                crate::eval::char_distance(g, t),
                "{g} {t}"
            );
        }
    }

    fn pair(id: &str, gold: &str, ocr: &str, engine: Option<&str>) -> Pair {
        Pair {
            id: id.into(),
            gold: gold.into(),
            ocr: ocr.into(),
            engine: engine.map(str::to_string),
            damage: None,
            font: None,
        }
    }

    #[test]
    fn damage_is_grouped_by_kind_and_fonts_by_name() {
        assert_eq!(
            damage_kinds("px12+loss229+rot1.02+blur0.22+paper-yellow+light0.64r180"),
            ["px", "loss", "rot", "blur", "paper-yellow", "light"]
        );
        assert_eq!(damage_kinds("char:边>便+char:的>德"), ["char"]);
        assert_eq!(damage_kinds("clean"), ["clean"]);
        assert_eq!(damage_kinds("rot-1.1+rot0.5"), ["rot"]);
        let mut a = pair("a-1", "大家好。", "太家好。", Some("tesseract"));
        a.damage = Some("px12+rot1.0".into());
        a.font = Some("Kai".into());
        let mut b = pair("a-2", "你好。", "你好。", Some("tesseract"));
        b.damage = Some("px14+bleed3".into());
        let out = vec![vec!["大家好。".to_string(), "你好。".to_string()]];
        let g = by_class(&[a, b], &out);
        let names: Vec<(&str, usize)> = g.iter().map(|x| (x.group.as_str(), x.pairs)).collect();
        // `px` is every pair's: no group of its own
        assert_eq!(
            names,
            [
                ("all", 2),
                ("engine=tesseract", 2),
                ("font=Kai", 1),
                ("damage=bleed", 1),
                ("damage=rot", 1)
            ]
        );
    }

    #[test]
    fn groups_and_reductions() {
        let pairs = [
            pair("a-1", "大家好。", "太家好", Some("tesseract")),
            pair("a-2", "你好，世界", "你好世界", Some("rapidocr")),
        ];
        // one tier: 太 fixed, 。 not; ， restored
        let out = vec![vec!["大家好".to_string(), "你好，世界".to_string()]];
        let g = by_class(&pairs, &out);
        let names: Vec<&str> = g.iter().map(|x| x.group.as_str()).collect();
        assert_eq!(names, ["all", "engine=rapidocr", "engine=tesseract"]);
        let row = |g: &GroupFigures, c: Option<ErrorClass>| {
            g.classes.iter().find(|r| r.class == c).cloned().unwrap()
        };
        let all = &g[0];
        assert_eq!(all.pairs, 2);
        let hs = row(all, Some(ErrorClass::HanSub));
        assert_eq!((hs.before, hs.after[0], hs.reduction[0]), (1, 0, 1.0));
        let pd = row(all, Some(ErrorClass::PunctDrop));
        assert_eq!((pd.before, pd.after[0]), (2, 1));
        assert!((pd.reduction[0] - 0.5).abs() < 1e-12);
        let total = row(all, None);
        assert_eq!((total.before, total.after[0]), (3, 1));
        let tess = row(&g[2], Some(ErrorClass::PunctDrop));
        assert_eq!((tess.before, tess.after[0]), (1, 1));
    }
}
