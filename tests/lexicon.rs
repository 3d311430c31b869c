//! The embedded lexicon and character table: lookups, segmentation on known
//! sentences, canonical dictionaries/ files.
use std::collections::HashSet;
use std::path::Path;
use unicode_normalization::UnicodeNormalization;
use zhclean::lexicon::chars::CharTable;
use zhclean::lexicon::{Lexicon, WordFlags};

/// A copy of the embedded lexicon that is not the embedded one: it builds
/// its trie at run time and merges user words the slow way. Shared, since
/// building it is slow in debug builds.
fn runtime_copy() -> &'static Lexicon {
    static COPY: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
    COPY.get_or_init(|| {
        let bytes = Lexicon::embedded().fst().as_bytes().to_vec();
        Lexicon::from_fst_bytes(bytes.into()).unwrap()
    })
}

fn seg(lex: &Lexicon, text: &str) -> Vec<String> {
    lex.segment(text)
        .iter()
        .map(|t| text[t.span.start..t.span.end].to_string())
        .collect()
}

#[test]
fn embedded_lexicon_has_common_words() {
    let lex = Lexicon::embedded();
    assert!(lex.len() > 300_000, "only {} words", lex.len());
    for w in ["的", "我们", "改善", "举措", "中华人民共和国", "一举两得"] {
        assert!(lex.contains(w), "{w} missing");
    }
    assert!(lex.get("的").unwrap().freq > lex.get("举措").unwrap().freq);
    assert!(lex.log_prob("的").unwrap() > lex.log_prob("举措").unwrap());
    assert!(lex.log_prob("的").unwrap() < 0.0);
}

#[test]
fn embedded_total_matches_a_scan() {
    let lex = Lexicon::embedded();
    let mut total = 0u64;
    lex.for_each(|_, e| total += e.freq);
    assert_eq!(lex.total_freq(), total);
    let again = runtime_copy();
    assert_eq!(again.total_freq(), total);
    assert_eq!(again.len(), lex.len());
    // Its trie is built at run time; it must walk like the build-time one.
    for text in [
        "中华人民共和国成立了",
        "他的的确确是一个好人，A股T恤。",
        "研究生命的起源",
    ] {
        assert_eq!(again.segment(text), lex.segment(text), "{text}");
        assert_eq!(again.words_in(text, 16), lex.words_in(text, 16), "{text}");
    }
}

#[test]
fn user_words_merge_into_the_embedded_list() {
    use zhclean::lexicon::Entry;
    let lex = Lexicon::embedded();
    let e = |freq, flags| Entry { freq, flags };
    let merged = lex
        .with_user_words(vec![
            ("我们", e(1, WordFlags::PLACE)),
            ("夏都湖", e(10, WordFlags::default())),
            ("夏都湖", e(20, WordFlags::PLACE)),
            ("", e(5, WordFlags::default())),
        ])
        .unwrap();
    assert_eq!(merged.len(), lex.len() + 1);
    let we = merged.get("我们").unwrap();
    assert_eq!(
        we.freq,
        lex.get("我们").unwrap().freq,
        "higher base frequency kept"
    );
    assert!(we.flags.contains(WordFlags::PLACE.union(WordFlags::USER)));
    assert_eq!(merged.get("夏都湖").unwrap().freq, 20);
    assert_eq!(merged.total_freq(), lex.total_freq() + 20);
    let mut n = 0;
    merged.for_each(|_, _| n += 1);
    assert_eq!(n, merged.len());
}

#[test]
fn junk_and_traditional_entries_are_absent() {
    let lex = Lexicon::embedded();
    // GBK-decoded UTF-8 mojibake in jieba's list, traditional forms, digits.
    for w in ["鐨", "殑", "銆", "後", "簡", "4S店", "1号店"] {
        assert!(!lex.contains(w), "{w} should have been cleaned out");
    }
}

#[test]
fn flags_are_set() {
    let lex = Lexicon::embedded();
    let flags = |w: &str| lex.get(w).unwrap_or_else(|| panic!("{w} missing")).flags;
    assert!(flags("一举两得").contains(WordFlags::IDIOM));
    assert!(flags("一丘之貉").contains(WordFlags::IDIOM));
    assert!(!flags("我们").contains(WordFlags::IDIOM));
    assert!(flags("张").contains(WordFlags::SURNAME));
    assert!(flags("欧阳").contains(WordFlags::SURNAME));
    assert!(flags("郑州市").contains(WordFlags::PLACE));
    assert!(flags("的的确确").contains(WordFlags::REDUP));
    assert!(flags("常常").contains(WordFlags::REDUP));
    assert!(flags("谢谢").contains(WordFlags::REDUP));
    assert!(flags("看看").contains(WordFlags::REDUP));
    assert!(!flags("的确").contains(WordFlags::REDUP));
    assert!(!lex.contains("的的"));
    assert!(!lex.contains("是是"));
    // part of speech of single chars (jieba's tag)
    assert!(flags("跳").contains(WordFlags::VERB));
    assert!(flags("聊").contains(WordFlags::VERB));
    assert!(!flags("是").contains(WordFlags::VERB));
    assert!(!flags("们").contains(WordFlags::VERB));
    assert!(flags("快").contains(WordFlags::ADJ));
    assert!(!flags("跳").contains(WordFlags::ADJ));
    assert!(flags("绳").contains(WordFlags::NOUN));
    assert!(flags("天").contains(WordFlags::NOUN));
    assert!(!flags("展").contains(WordFlags::NOUN));
    assert!(!flags("跳绳").contains(WordFlags::NOUN));
}

#[test]
fn segmentation_of_known_sentences() {
    let lex = Lexicon::embedded();
    let cases: &[(&str, &[&str])] = &[
        (
            "我们要改善人民群众的生活条件",
            &["我们", "要", "改善", "人民", "群众", "的", "生活", "条件"],
        ),
        (
            "他的的确确是一个好人",
            &["他", "的的确确", "是", "一个", "好人"],
        ),
        ("南京市长江大桥", &["南京市", "长江大桥"]),
        (
            "结婚的和尚未结婚的",
            &["结婚", "的", "和", "尚未", "结婚", "的"],
        ),
        ("中华人民共和国成立了", &["中华人民共和国", "成立", "了"]),
    ];
    for (text, want) in cases {
        assert_eq!(seg(lex, text), *want, "{text}");
    }
    // Tokens cover the text exactly, whatever it holds.
    let text = "OCR 输出：甲乙丙丁ABC，123。";
    let toks = lex.segment(text);
    assert_eq!(toks.first().unwrap().span.start, 0);
    assert_eq!(toks.last().unwrap().span.end, text.len());
    assert!(toks.windows(2).all(|w| w[0].span.end == w[1].span.start));
}

#[test]
fn words_in_finds_overlapping_words() {
    let lex = Lexicon::embedded();
    let text = "研究生命";
    let found: HashSet<&str> = lex
        .words_in(text, 8)
        .iter()
        .map(|(s, _)| &text[s.start..s.end])
        .collect();
    for w in ["研究", "研究生", "生命"] {
        assert!(found.contains(w), "{w} not found in {found:?}");
    }
}

#[test]
fn char_table_lookups() {
    let t = CharTable::embedded();
    assert!(t.len() > 8_105, "{} chars", t.len());
    let de = t.get('的').unwrap();
    assert_eq!(de.ch, '的');
    assert_eq!(de.pinyin.split(',').next(), Some("de"));
    assert_eq!(de.strokes, Some(8));
    assert_eq!(de.four_corner, Some([2, 7, 6, 2, 0]));
    assert!(de.freq > t.get('措').unwrap().freq);
    assert_eq!(
        t.get('行').unwrap().toneless_readings(),
        vec!["xing", "hang", "heng"]
    );
    assert!(
        t.get('後').is_none(),
        "traditional-only chars are not in the table"
    );
    assert!(t.get('a').is_none());
    assert!(t.log_prob('的').unwrap() > t.log_prob('措').unwrap());
    let mut prev = '\0';
    for c in t.iter() {
        assert!(c.ch > prev);
        prev = c.ch;
    }
}

/// Source files of dictionaries/ maintained by scripts/build_dictionaries.py,
/// plus `glyph_visual.tsv` (scripts/build_glyph_visual.py): every file not
/// named `lm*`, `confusion*`, `channel*`.
fn lexicon_sources() -> Vec<std::path::PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries");
    let mut v: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy().to_string();
            let theirs = ["lm", "confusion", "channel"]
                .iter()
                .any(|x| name.starts_with(x));
            !theirs && (name.ends_with(".tsv") || name.ends_with(".txt"))
        })
        .collect();
    v.sort();
    v
}

fn traditional_only() -> HashSet<char> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("dictionaries/t2s_chars.tsv");
    std::fs::read_to_string(p)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.chars().next())
        .collect()
}

#[test]
fn dictionary_sources_are_canonical() {
    let trad = traditional_only();
    assert!(trad.contains(&'後') && !trad.contains(&'后'));
    let files = lexicon_sources();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for want in [
        "words.tsv",
        "chars.tsv",
        "t2s_chars.tsv",
        "idioms.cc-by-sa.tsv",
        "glyph_visual.tsv",
    ] {
        assert!(names.iter().any(|n| n == want), "{want} missing");
    }
    for p in &files {
        let name = p.file_name().unwrap().to_string_lossy().into_owned();
        let text = std::fs::read_to_string(p).unwrap();
        assert!(text.ends_with('\n'), "{name}: no final newline");
        let simplified = name != "t2s_chars.tsv";
        let mut prev: Option<&str> = None;
        for (i, line) in text.lines().enumerate() {
            let at = format!("{name}:{}", i + 1);
            assert_eq!(line, line.trim_end(), "{at}: trailing whitespace");
            assert!(!line.contains('\r'), "{at}: CR");
            assert_eq!(line.nfc().collect::<String>(), line, "{at}: not NFC");
            if line.starts_with('#') {
                assert!(prev.is_none(), "{at}: comment after data");
                continue;
            }
            let key = line.split('\t').next().unwrap();
            assert!(!key.is_empty(), "{at}: empty key");
            if let Some(p) = prev {
                assert!(
                    p.as_bytes() < key.as_bytes(),
                    "{at}: not sorted or duplicate: {key}"
                );
            }
            if simplified {
                assert!(
                    !key.chars().any(|c| trad.contains(&c)),
                    "{at}: traditional-only char in {key}"
                );
            }
            prev = Some(key);
        }
        assert!(prev.is_some(), "{name}: no data");
    }
}

#[test]
fn idioms_and_deletion_index() {
    let lex = Lexicon::embedded();
    assert!(lex.is_idiom("一举两得"));
    assert!(!lex.is_idiom("我们"));
    assert!(!lex.is_idiom("不存在的词语"));
    let found = lex.idioms_with_deletion("一举得");
    assert!(found.contains(&("一举两得".to_string(), 2)), "{found:?}");
    let found = lex.idioms_with_deletion("举两得");
    assert!(found.contains(&("一举两得".to_string(), 0)), "{found:?}");
    let found = lex.idioms_with_deletion("一举两");
    assert!(found.contains(&("一举两得".to_string(), 3)), "{found:?}");
    for (idiom, i) in lex.idioms_with_deletion("一举得") {
        assert!(lex.is_idiom(&idiom));
        let mut cs: Vec<char> = idiom.chars().collect();
        cs.remove(i);
        assert_eq!(cs.into_iter().collect::<String>(), "一举得");
    }
    assert!(lex.idioms_with_deletion("我们").is_empty());
    assert!(lex.idioms_with_deletion("").is_empty());
}

#[test]
fn runtime_idiom_index_matches_embedded() {
    use zhclean::lexicon::{idioms::IdiomIndex, Entry};
    let idiom = |f| Entry {
        freq: f,
        flags: WordFlags::IDIOM,
    };
    let small = Lexicon::from_entries(vec![
        ("一举两得", idiom(100)),
        ("人山人海", idiom(50)),
        ("举两", Entry::default()),
    ])
    .unwrap();
    assert_eq!(small.idiom_index().len(), 8);
    assert_eq!(
        small.idioms_with_deletion("人人海"),
        vec![("人山人海".to_string(), 1)]
    );
    assert_eq!(
        small.idioms_with_deletion("山人海"),
        vec![("人山人海".to_string(), 0)]
    );
    let full = IdiomIndex::from_lexicon(Lexicon::embedded());
    assert_eq!(full.len(), Lexicon::embedded().idiom_index().len());
    assert_eq!(
        full.idioms_with_deletion("一举得"),
        Lexicon::embedded().idioms_with_deletion("一举得")
    );
}

#[test]
fn prefix_walk_agrees_with_exact_lookup() {
    let lex = Lexicon::embedded();
    let text = "中华人民共和国成立了，A股T恤𠀀和〇一举两得的的确确研究生命";
    let starts: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
    for &i in &starts {
        let rest = &text[i..];
        let mut want = Vec::new();
        for (n, (j, c)) in rest.char_indices().enumerate() {
            if n >= 16 {
                break;
            }
            let end = j + c.len_utf8();
            if let Some(e) = lex.get(&rest[..end]) {
                want.push((end, e));
            }
        }
        assert_eq!(lex.prefixes(rest, 16), want, "at {rest}");
        let limited = lex.prefixes(rest, 2);
        assert!(limited
            .iter()
            .all(|(end, _)| rest[..*end].chars().count() <= 2));
    }
}

mod props {
    use super::*;
    use proptest::prelude::*;

    /// Text mixing common Han characters, ASCII, punctuation and rarities.
    fn text() -> impl Strategy<Value = String> {
        let pool: Vec<char> = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理府研质队南给色光门即保治北造百规热领七海口东导器压志世金增争济阶油思术极交受联什认六共权收证改清己美再采转更单风切打白教速花带安场身车例真务具万每目至达走积示议声报斗完类八离华名确才科张信马节话米整空元况今集温传土许步群广石记需段研界拉林律叫且究观越织装影算低持音众书布复容儿须际商非验连断深难近矿千周委素技备半办青省列习响约支般史感劳便团往酸历市克何除消构府称太准精值号率族维划选标写存候毛亲快效斯院查江型眼王按格养易置派层片始却专状育厂京识适属圆包火住调满县局照参红细引听该铁价严ABCabc0123，。、：“”（）《》！？ \u{3000}𠀀〇".chars().collect();
        proptest::collection::vec(proptest::sample::select(pool), 0..40)
            .prop_map(|v| v.into_iter().collect())
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        #[test]
        fn segment_tiles_the_text(t in text()) {
            let lex = Lexicon::embedded();
            let toks = lex.segment(&t);
            let mut at = 0;
            for tok in &toks {
                prop_assert_eq!(tok.span.start, at);
                prop_assert!(tok.span.end > tok.span.start);
                let w = &t[tok.span.start..tok.span.end];
                match tok.entry {
                    Some(e) => prop_assert_eq!(lex.get(w), Some(e)),
                    None => {
                        prop_assert_eq!(w.chars().count(), 1);
                        prop_assert!(!lex.contains(w));
                    }
                }
                at = tok.span.end;
            }
            prop_assert_eq!(at, t.len());
        }

        #[test]
        fn words_in_matches_exact_lookups(t in text()) {
            let lex = Lexicon::embedded();
            let found = lex.words_in(&t, 8);
            for (span, e) in &found {
                let w = &t[span.start..span.end];
                prop_assert_eq!(lex.get(w), Some(*e));
                prop_assert!(w.chars().count() >= 2 && w.chars().count() <= 8);
            }
            let starts: Vec<usize> = t.char_indices().map(|(i, _)| i).collect();
            let mut n = 0;
            for (a, &s) in starts.iter().enumerate() {
                for &e in starts[a + 1..].iter().chain(std::iter::once(&t.len())).skip(1).take(7) {
                    n += usize::from(lex.contains(&t[s..e]));
                }
            }
            prop_assert_eq!(found.len(), n);
        }
    }
}

#[test]
fn layered_user_words_behave_like_a_rebuilt_lexicon() {
    use zhclean::lexicon::Entry;
    let e = |freq, flags| Entry { freq, flags };
    let user = vec![
        ("我们", e(1, WordFlags::PLACE)),
        ("夏都湖", e(5000, WordFlags::PLACE)),
        ("夏都", e(300, WordFlags::default())),
        ("一举两失", e(10, WordFlags::IDIOM)),
        ("研究生命", e(100_000_000, WordFlags::default())),
    ];
    let base = Lexicon::embedded();
    let layered = base.with_user_words(user.clone()).unwrap();
    // The same words merged the slow way, into a copy that is not embedded.
    let rebuilt = runtime_copy().with_user_words(user).unwrap();
    assert_eq!(layered.len(), rebuilt.len());
    assert_eq!(layered.total_freq(), rebuilt.total_freq());
    for w in [
        "我们",
        "夏都湖",
        "夏都",
        "一举两失",
        "研究生命",
        "研究",
        "的",
        "不存在词",
    ] {
        assert_eq!(layered.get(w), rebuilt.get(w), "{w}");
        assert_eq!(layered.contains(w), rebuilt.contains(w), "{w}");
        assert_eq!(layered.log_prob(w), rebuilt.log_prob(w), "{w}");
    }
    for t in [
        "夏都湖很美，我们研究生命的起源。",
        "一举两失不是成语",
        "夏都",
    ] {
        assert_eq!(layered.segment(t), rebuilt.segment(t), "{t}");
        assert_eq!(layered.words_in(t, 16), rebuilt.words_in(t, 16), "{t}");
        assert_eq!(layered.prefixes(t, 16), rebuilt.prefixes(t, 16), "{t}");
    }
    assert_eq!(
        layered.idioms_with_deletion("一举失"),
        rebuilt.idioms_with_deletion("一举失")
    );
    assert!(layered
        .idioms_with_deletion("一两失")
        .contains(&("一举两失".to_string(), 1)));
    assert_eq!(layered.fst().as_bytes(), rebuilt.fst().as_bytes());
    // Layers stack.
    let twice = layered
        .with_user_words(vec![("青海胡泊", e(7, WordFlags::default()))])
        .unwrap();
    assert!(twice.contains("青海胡泊") && twice.contains("夏都湖"));
    assert_eq!(twice.len(), layered.len() + 1);
}
