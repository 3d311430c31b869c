//! Properties of the text-level rules (N P W R S F families):
//! - safe-tier normalization is idempotent: running the engine with
//!   `apply: Some(Safe)` twice gives the same text as once;
//! - text outside the spans of applied fixes is byte-identical, at the safe
//!   and the review tier.

use proptest::prelude::*;
use std::collections::HashSet;
use zhclean::edit::Applicability;
use zhclean::engine::{Engine, Options, Outcome};
use zhclean::lexicon::{Entry, Lexicon, WordFlags};
use zhclean::span::Span;

const FAMILIES: &[char] = &['N', 'P', 'W', 'R', 'S', 'F'];

fn lexicon() -> &'static Lexicon {
    static LEX: std::sync::OnceLock<Lexicon> = std::sync::OnceLock::new();
    LEX.get_or_init(|| {
        let w = |s: &str, f: u64, flags: u32| {
            (
                s.to_string(),
                Entry {
                    freq: f,
                    flags: WordFlags(flags),
                },
            )
        };
        Lexicon::from_entries(vec![
            w("经济", 5000, 0),
            w("的", 90000, 0),
            w("的确", 900, 0),
            w("文字", 900, 0),
            w("孙", 900, 2),
            w("谢谢", 900, 16),
            w("群众", 900, 0),
            w("全县", 300, 0),
        ])
        .unwrap()
    })
}

fn engine(apply: Applicability) -> Engine<'static> {
    let only: HashSet<String> = zhclean::rules::all_rules()
        .iter()
        .map(|m| m.code)
        .filter(|c| c.starts_with(FAMILIES))
        .map(String::from)
        .collect();
    Engine::new(
        lexicon(),
        Options {
            apply: Some(apply),
            only,
            ..Options::default()
        },
    )
}

/// Pieces that make the rules fire: Han, ASCII and CJK punctuation, odd
/// and zero-width spaces, full-width letters, radicals, combining marks,
/// quotes, doubled words, blank lines.
fn piece() -> impl Strategy<Value = String> {
    prop::sample::select(vec![
        "经济",
        "的",
        "确",
        "孙",
        "雄",
        "文",
        "字",
        "群众",
        "全",
        "县",
        ",",
        ";",
        ":",
        "?",
        "!",
        "(",
        ")",
        "，",
        "。",
        "、",
        "“",
        "”",
        "‘",
        "’",
        "\"",
        " ",
        "  ",
        "\u{3000}",
        "\u{A0}",
        "\u{200B}",
        "\u{FEFF}",
        "Ａ",
        "１",
        "\u{2F08}",
        "\u{F900}",
        "e\u{301}",
        "1",
        "0",
        "a",
        "and",
        "bug",
        "http://a.cn/?x=1,2",
        "\n",
        "\n\n",
        "\n\n\n",
        " \n",
        "\r\n",
        "▲",
        "图为",
        "谢谢",
        "经济经济",
        "的的",
    ])
    .prop_map(String::from)
}

fn doc() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|v| v.concat())
}

/// The union of the spans of applied findings and their edits, merged.
fn applied_spans(out: &Outcome) -> Vec<Span> {
    let mut spans: Vec<Span> = Vec::new();
    for f in out.findings.iter().filter(|f| f.applied) {
        spans.push(f.span);
        if let Some(fix) = &f.fix {
            spans.extend(fix.edits.iter().map(|e| e.span));
        }
    }
    spans.sort();
    let mut merged: Vec<Span> = Vec::new();
    for s in spans {
        match merged.last_mut() {
            Some(m) if s.start <= m.end => m.end = m.end.max(s.end),
            _ => merged.push(s),
        }
    }
    merged
}

/// Every stretch of `input` outside `spans` appears in `output`, in order,
/// with the first anchored at the start and the last at the end.
fn outside_unchanged(input: &str, output: &str, spans: &[Span]) -> Result<(), String> {
    let mut kept: Vec<(usize, usize)> = Vec::new();
    let mut pos = 0;
    for s in spans {
        kept.push((pos, s.start));
        pos = s.end;
    }
    kept.push((pos, input.len()));
    let mut at = 0;
    let last = kept.len() - 1;
    for (k, &(s, e)) in kept.iter().enumerate() {
        let seg = &input[s..e];
        if k == 0 {
            if !output.starts_with(seg) {
                return Err(format!("prefix {seg:?} changed"));
            }
            at = seg.len();
        } else if k == last {
            if !output[at..].ends_with(seg) {
                return Err(format!("suffix {seg:?} changed"));
            }
        } else {
            match output[at..].find(seg) {
                Some(i) => at += i + seg.len(),
                None => return Err(format!("segment {seg:?} missing")),
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn safe_normalization_is_idempotent(text in doc()) {
        let e = engine(Applicability::Safe);
        let once = e.process_str(&text).text;
        let twice = e.process_str(&once).text;
        prop_assert_eq!(&once, &twice, "input {:?}", text);
    }

    #[test]
    fn text_outside_applied_spans_is_unchanged(text in doc()) {
        for tier in [Applicability::Safe, Applicability::Review] {
            let out = engine(tier).process_str(&text);
            let spans = applied_spans(&out);
            if let Err(e) = outside_unchanged(&text, &out.text, &spans) {
                prop_assert!(false, "{:?} tier {}: {} -> {:?}", text, tier, e, out.text);
            }
        }
    }

    #[test]
    fn no_apply_is_identity(text in doc()) {
        let e = Engine::new(lexicon(), Options::default());
        prop_assert_eq!(e.process_str(&text).text, text);
    }
}
