//! The correction library through its public API and through the engine.
use zhclean::correct::confusion::{Channel, ConfusionSet};
use zhclean::correct::lm::WordLm;
use zhclean::correct::noisy::{Corrector, Kind};
use zhclean::edit::Applicability;
use zhclean::engine::{Engine, Options};
use zhclean::lexicon::Lexicon;

#[test]
fn language_model_prefers_real_words() {
    let lm = WordLm::embedded();
    let a = lm.best_path("这是一个很重要的问题", None).0;
    let b = lm.best_path("这是一个很重耍的问题", None).0;
    assert!(a - b > 5.0, "{a} {b}");
    assert!(lm.bigram("重要", "的").is_some());
    assert!(lm.cond(Some("重要"), "的") > lm.cond(Some("重要"), "耍"));
}

#[test]
fn confusion_and_channel_are_embedded() {
    let s = ConfusionSet::embedded();
    assert!(s.similar('要').iter().any(|(c, _)| c == '耍'));
    assert!(s.similar_to('耍').iter().any(|(c, _)| c == '要'));
    let ch = Channel::embedded();
    // the full stop is the mark OCR drops most
    assert!(ch.deletion('。').unwrap().0 > 50);
}

#[test]
fn noisy_channel_ranks_candidates() {
    let p = Corrector::embedded().propose("这是一个很重耍的问题", Kind::Substitute);
    assert_eq!(p.len(), 1);
    assert_eq!(p[0].replacement, "要");
    assert!(p[0].lm_gain > 5.0 && p[0].channel_logp < 0.0);
    assert!(p[0].score > p[0].runner_up);
}

#[test]
fn engine_applies_by_tier() {
    let lex = Lexicon::embedded();
    let text = "这是一个很重耍的问题，我们要实事是地研究\n";
    let run = |tier| {
        Engine::new(
            lex,
            Options {
                apply: Some(tier),
                ..Options::default()
            },
        )
        .process_str(text)
        .text
    };
    // safe: the look-alike only
    assert_eq!(
        run(Applicability::Safe),
        "这是一个很重要的问题，我们要实事是地研究\n"
    );
    // review: the dropped idiom char too (the missing final stop, P211, is
    // only suggested)
    assert_eq!(
        run(Applicability::Review),
        "这是一个很重要的问题，我们要实事求是地研究\n"
    );
}

#[test]
fn clean_text_is_left_alone() {
    let lex = Lexicon::embedded();
    let engine = Engine::new(
        lex,
        Options {
            apply: Some(Applicability::Review),
            ..Options::default()
        },
    );
    for t in [
        "今天的会议讨论了明年的工作计划。\n",
        "如果您想要打印文档，请先连接打印机。\n",
        "中华人民共和国成立于一九四九年。\n",
    ] {
        assert_eq!(engine.process_str(t).text, t);
    }
}

#[test]
fn allow_list_wins() {
    let lex = Lexicon::embedded();
    let engine = Engine::new(
        lex,
        Options {
            apply: Some(Applicability::Review),
            allow: vec!["重耍".into()],
            ..Options::default()
        },
    );
    assert_eq!(
        engine.process_str("这是一个很重耍的问题。\n").text,
        "这是一个很重耍的问题。\n"
    );
}

/// Chars just before a place or organization suffix belong to a proper name
/// (often out of vocabulary): C702 never substitutes there, however much the
/// word model prefers a frequent word. Without the guard, the second and
/// third lines get review / suggest findings for `耍`.
#[test]
fn c702_leaves_proper_names_before_a_suffix_alone() {
    let engine = Engine::new(
        Lexicon::embedded(),
        Options {
            only: ["C702".to_string()].into_iter().collect(),
            ..Options::default()
        },
    );
    let prose = engine.process_str("这是一个很重耍的问题\n");
    assert!(prose.findings.iter().any(|f| f.original == "耍"));
    for t in ["这是一个很重耍镇的问题\n", "我们去了重耍有限公司\n"] {
        let out = engine.process_str(t);
        assert!(out.findings.is_empty(), "{t}: {:?}", out.findings);
    }
}
