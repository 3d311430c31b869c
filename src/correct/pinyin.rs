//! Pinyin candidates for text typed with a pinyin input method (`--profile
//! typing`): chars that share a toneless syllable with a char (the IME
//! offered them for the same keys, and the wrong one was picked), and chars
//! of *near* syllables (keys a typist confuses).
//!
//! Source: the pinyin column of `dictionaries/chars.tsv` (pinyin-data,
//! MIT), through the embedded [`CharTable`]: every reading of a char, tone
//! marks stripped, `ü` written `v` as typed on an IME (`lǜ` → `lv`).
//!
//! Near syllables are one documented IME confusion away (the fuzzy-pinyin
//! options of common IMEs, for speakers who merge these sounds):
//! initials `z`/`zh`, `c`/`ch`, `s`/`sh`, `n`/`l`, `f`/`h`, `r`/`l`; finals
//! `an`/`ang`, `en`/`eng`, `in`/`ing` (and so `ian`/`iang`, `uan`/`uang`).
//! Only syllables some char has are returned.

use crate::lexicon::chars::{strip_tones, CharTable};
use std::collections::HashMap;
use std::sync::OnceLock;

/// Index from chars to toneless syllables and back.
#[derive(Debug, Default)]
pub struct PinyinIndex {
    /// Syllable id → syllable.
    names: Vec<String>,
    /// Syllable → id.
    ids: HashMap<String, u16>,
    /// Char → syllable ids (reading order, deduplicated).
    of_char: HashMap<char, Vec<u16>>,
    /// Syllable id → chars, most frequent first.
    chars: Vec<Vec<char>>,
    /// Char → frequency (the order of candidate lists).
    freq: HashMap<char, u64>,
}

/// Initials paired by the IME confusions (both directions).
const INITIAL_PAIRS: &[(&str, &str)] = &[
    ("z", "zh"),
    ("c", "ch"),
    ("s", "sh"),
    ("n", "l"),
    ("f", "h"),
    ("r", "l"),
];
/// Final endings paired by the IME confusions (both directions); `ian`/
/// `iang` and `uan`/`uang` follow from `an`/`ang`.
const FINAL_PAIRS: &[(&str, &str)] = &[("an", "ang"), ("en", "eng"), ("in", "ing")];
/// Pinyin initials, two-letter ones first.
const INITIALS: &[&str] = &[
    "zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r",
    "z", "c", "s", "y", "w",
];

/// A toneless syllable as typed: tone marks stripped, `ü` as `v`.
pub fn toneless(reading: &str) -> String {
    strip_tones(reading)
        .chars()
        .map(|c| if c == 'ü' { 'v' } else { c })
        .collect()
}

/// Split a syllable into initial and final (`zhang` → `zh`, `ang`; `an` →
/// ``, `an`).
fn split(syl: &str) -> (&str, &str) {
    for i in INITIALS {
        if let Some(rest) = syl.strip_prefix(i) {
            if !rest.is_empty() {
                return (i, rest);
            }
        }
    }
    ("", syl)
}

impl PinyinIndex {
    /// The index over the embedded char table.
    pub fn embedded() -> &'static PinyinIndex {
        static I: OnceLock<PinyinIndex> = OnceLock::new();
        I.get_or_init(|| {
            PinyinIndex::from_readings(
                CharTable::embedded()
                    .iter()
                    .map(|c| (c.ch, c.freq, c.readings().collect::<Vec<_>>())),
            )
        })
    }

    /// An index over `(char, frequency, readings with or without tones)`.
    pub fn from_readings<'a, I>(entries: I) -> PinyinIndex
    where
        I: IntoIterator<Item = (char, u64, Vec<&'a str>)>,
    {
        let mut ix = PinyinIndex::default();
        for (ch, freq, readings) in entries {
            ix.freq.insert(ch, freq);
            for r in readings {
                let s = toneless(r.trim());
                if s.is_empty() {
                    continue;
                }
                let id = match ix.ids.get(&s) {
                    Some(&id) => id,
                    None => {
                        let id = ix.names.len() as u16;
                        ix.names.push(s.clone());
                        ix.ids.insert(s, id);
                        ix.chars.push(Vec::new());
                        id
                    }
                };
                let ids = ix.of_char.entry(ch).or_default();
                if !ids.contains(&id) {
                    ids.push(id);
                    ix.chars[id as usize].push(ch);
                }
            }
        }
        let freq = &ix.freq;
        for list in &mut ix.chars {
            list.sort_by(|a, b| freq[b].cmp(&freq[a]).then(a.cmp(b)));
        }
        ix
    }

    /// The toneless syllables of `ch`, most common reading first (empty
    /// when unknown).
    pub fn syllables(&self, ch: char) -> Vec<&str> {
        self.of_char
            .get(&ch)
            .map(|ids| {
                ids.iter()
                    .map(|&i| self.names[i as usize].as_str())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The ids of `ch`'s toneless syllables, most common reading first
    /// (empty when unknown); [`PinyinIndex::syllables`] without the names.
    pub fn syllable_ids(&self, ch: char) -> &[u16] {
        self.of_char.get(&ch).map_or(&[], |v| v.as_slice())
    }

    /// The chars read `syl` (toneless), most frequent first.
    pub fn chars_of(&self, syl: &str) -> &[char] {
        self.ids
            .get(syl)
            .map(|&i| self.chars[i as usize].as_slice())
            .unwrap_or(&[])
    }

    /// Other chars sharing a toneless syllable with `ch`, most frequent
    /// first.
    pub fn same_syllable(&self, ch: char) -> Vec<char> {
        let mut out: Vec<char> = Vec::new();
        for s in self.syllables(ch) {
            out.extend(self.chars_of(s).iter().filter(|&&c| c != ch));
        }
        self.by_frequency(out)
    }

    /// Existing syllables one IME confusion away from `syl` (see the module
    /// docs), without `syl` itself.
    pub fn near_syllables(&self, syl: &str) -> Vec<&str> {
        let (ini, fin) = split(syl);
        let mut cands: Vec<String> = Vec::new();
        for &(a, b) in INITIAL_PAIRS {
            for (x, y) in [(a, b), (b, a)] {
                if ini == x {
                    cands.push(format!("{y}{fin}"));
                }
            }
        }
        for &(a, b) in FINAL_PAIRS {
            for (x, y) in [(a, b), (b, a)] {
                if let Some(stem) = fin.strip_suffix(x) {
                    cands.push(format!("{ini}{stem}{y}"));
                }
            }
        }
        let mut out: Vec<&str> = Vec::new();
        for c in cands {
            if let Some((k, _)) = self.ids.get_key_value(c.as_str()) {
                if k != syl && !out.contains(&k.as_str()) {
                    out.push(k.as_str());
                }
            }
        }
        out
    }

    /// Chars of the near syllables of `ch`'s syllables that do not share a
    /// syllable with `ch`, most frequent first.
    pub fn near(&self, ch: char) -> Vec<char> {
        let own = self.syllables(ch);
        let mut out = Vec::new();
        for s in &own {
            for n in self.near_syllables(s) {
                out.extend(
                    self.chars_of(n).iter().filter(|&&c| {
                        c != ch && !self.syllables(c).iter().any(|x| own.contains(x))
                    }),
                );
            }
        }
        self.by_frequency(out)
    }

    /// The share of `ch` among the chars of syllable `syl` by frequency
    /// (0 when the syllable has none).
    pub fn share_in(&self, ch: char, syl: &str) -> f64 {
        let f = |c: &char| self.freq.get(c).copied().unwrap_or(0);
        let total: u64 = self.chars_of(syl).iter().map(f).sum();
        if total == 0 {
            0.0
        } else {
            f(&ch) as f64 / total as f64
        }
    }

    fn by_frequency(&self, mut v: Vec<char>) -> Vec<char> {
        let f = |c: &char| self.freq.get(c).copied().unwrap_or(0);
        v.sort_by(|a, b| f(b).cmp(&f(a)).then(a.cmp(b)));
        v.dedup();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny() -> PinyinIndex {
        PinyinIndex::from_readings([
            ('在', 900, vec!["zài"]),
            ('再', 500, vec!["zài"]),
            ('载', 100, vec!["zài", "zǎi"]),
            ('债', 50, vec!["zhài"]),
            ('宰', 10, vec!["zǎi"]),
            ('女', 300, vec!["nǚ", "rǔ"]),
            ('吕', 30, vec!["lǚ"]),
            ('今', 200, vec!["jīn"]),
            ('经', 400, vec!["jīng"]),
        ])
    }

    #[test]
    fn syllables_are_toneless_and_ordered() {
        let ix = tiny();
        assert_eq!(ix.syllables('载'), ["zai"]);
        assert_eq!(ix.syllables('女'), ["nv", "ru"]);
        assert!(ix.syllables('x').is_empty());
        assert_eq!(ix.chars_of("zai"), ['在', '再', '载', '宰']);
        // same syllable: others, most frequent first
        assert_eq!(ix.same_syllable('载'), ['在', '再', '宰']);
        assert_eq!(ix.same_syllable('宰'), ['在', '再', '载']);
    }

    #[test]
    fn near_syllables_follow_the_ime_confusions() {
        let ix = tiny();
        assert_eq!(ix.near_syllables("zai"), ["zhai"]);
        assert_eq!(ix.near_syllables("nv"), ["lv"]);
        assert_eq!(ix.near_syllables("jin"), ["jing"]);
        assert_eq!(ix.near_syllables("jing"), ["jin"]);
        assert!(ix.near_syllables("qu").is_empty());
        assert_eq!(ix.near('在'), ['债']);
        assert_eq!(ix.near('女'), ['吕']);
        assert_eq!(ix.near('经'), ['今']);
    }

    #[test]
    fn split_initials() {
        assert_eq!(split("zhang"), ("zh", "ang"));
        assert_eq!(split("an"), ("", "an"));
        assert_eq!(split("xiang"), ("x", "iang"));
        assert_eq!(split("n"), ("", "n"));
    }

    #[test]
    fn embedded_index_knows_common_homophones() {
        let ix = PinyinIndex::embedded();
        assert!(ix.syllables('的').contains(&"de"));
        assert!(ix.syllables('绿').contains(&"lv"));
        let same = ix.same_syllable('在');
        assert!(same.contains(&'再'), "{same:?}");
        assert!(!same.contains(&'在'));
        let t = CharTable::embedded();
        let f: Vec<u64> = same.iter().map(|&c| t.get(c).unwrap().freq).collect();
        assert!(f.windows(2).all(|w| w[0] >= w[1]), "{f:?}");
        for (s, near) in [
            ("zi", "zhi"),
            ("ci", "chi"),
            ("shan", "san"),
            ("shan", "shang"),
            ("nan", "lan"),
            ("fu", "hu"),
            ("ri", "li"),
            ("men", "meng"),
            ("xian", "xiang"),
            ("guan", "guang"),
        ] {
            assert!(ix.near_syllables(s).contains(&near), "{s} {near}");
        }
        // 是 (shi): 四 (si) is near, 事 (shi) is the same syllable
        assert!(ix.near('是').contains(&'四'));
        assert!(!ix.near('是').contains(&'事'));
        assert!(ix.same_syllable('是').contains(&'事'));
    }
}
