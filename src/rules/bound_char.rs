//! C705 `orphan-bound-char`: a char that is almost always part of a word
//! stands alone next to a char it makes no word with; the neighbour is
//! likely misread, even when it looks little like the chars that would
//! complete a word ([`crate::correct::noisy`], `bound.rs`). Suggestions
//! only: the glyph evidence is weak by construction.

use crate::correct::noisy::{is_bound, Corrector, Proposal};
use crate::edit::Applicability;
use crate::finding::{Evidence, Finding};
use crate::lexicon::Lexicon;
use crate::rules::{Block, Context, Rule, RuleMeta};
use crate::span::Span;

/// Metadata of C705.
pub static META: RuleMeta = RuleMeta {
    code: "C705",
    name: "orphan-bound-char",
    summary: "A char that only occurs inside words stands alone: its neighbour may be misread",
    default_tier: Applicability::Suggest,
    doc: include_str!("docs/C705.md"),
};

/// Minimum LM gain (log10) of the best completion for a suggestion.
pub const MIN_GAIN: f64 = 3.0;
/// Minimum score (LM gain plus the glyph prior) of the best completion.
pub const MIN_SCORE: f64 = 0.0;
/// Minimum margin (log10) of the best completion over the runner-up: a
/// productive bound char (`农`, `企`) has many completions of about the
/// same score, which says "some word" rather than one misreading; such
/// chars also form abbreviations on purpose (`农旅`).
pub const MIN_MARGIN: f64 = 1.0;

/// C705 `orphan-bound-char`.
pub struct OrphanBoundChar;

/// True when a proposal is worth showing.
pub fn shown(p: &Proposal) -> bool {
    p.lm_gain >= MIN_GAIN && p.score >= MIN_SCORE && p.score - p.runner_up >= MIN_MARGIN
}

fn finding(p: &Proposal, body: &str, lex: &Lexicon) -> Finding {
    let original = &body[p.start..p.end];
    // the bound char beside it, and the word the best candidate makes
    let before = body[..p.start].chars().next_back();
    let after = body[p.end..].chars().next();
    let (bound, word) = match (before, after) {
        (_, Some(b)) if is_bound(lex, b) => (b, format!("{}{b}", p.replacement)),
        (Some(b), _) => (b, format!("{b}{}", p.replacement)),
        _ => ('?', p.replacement.clone()),
    };
    let ranked: Vec<&str> = p.candidates.iter().map(|c| c.0.as_str()).collect();
    let margin = if p.runner_up.is_finite() {
        format!("margin {:.1}", p.score - p.runner_up)
    } else {
        "the only candidate".to_string()
    };
    let reason = format!(
        "`{}` → `{}`: LM gain 10^{:.1}, channel 10^{:.1}, {margin}; candidates {}",
        p.window.0,
        p.window.1,
        p.lm_gain,
        p.channel_logp,
        ranked.join(" ")
    );
    let mut ev = Evidence::new((p.score / 10.0).clamp(0.0, 1.0), reason)
        .term("lm_gain", p.lm_gain)
        .term("channel_logp", p.channel_logp)
        .term("score", p.score)
        .term("bound_words", p.channel_count as f64);
    if p.runner_up.is_finite() {
        ev = ev.term("runner_up", p.runner_up);
    }
    for (c, s) in &p.candidates {
        ev = ev.candidate(c.clone(), *s);
    }
    Finding::new(
        META.code,
        Span::new(p.start, p.end),
        format!(
            "`{original}` makes no word with `{bound}`, a char almost always part of a word: \
             perhaps `{}` (`{word}`)",
            p.replacement
        ),
        ev,
    )
}

impl Rule for OrphanBoundChar {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let body = block.body();
        for p in Corrector::embedded().propose_completions(body, ctx.lexicon) {
            if shown(&p) {
                out.push(finding(&p, body, ctx.lexicon));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::{Entry, WordFlags};
    use crate::rules::han::testutil::findings_with;

    fn run(text: &str) -> Vec<Finding> {
        findings_with(&OrphanBoundChar, Lexicon::embedded(), text, &[], None)
    }

    #[test]
    fn bound_chars_are_those_almost_never_alone() {
        let lex = Lexicon::embedded();
        for c in ['辑', '啡', '措', '础'] {
            assert!(is_bound(lex, c), "{c}");
        }
        for c in ['的', '是', '高', '远', '暮'] {
            assert!(!is_bound(lex, c), "{c}");
        }
    }

    #[test]
    fn neighbour_of_a_lone_bound_char_gets_ranked_completions() {
        let f = run("他们使用这种远辑进行推理。");
        assert_eq!(f.len(), 1, "{f:?}");
        let f = &f[0];
        assert_eq!(f.rule, "C705");
        assert!(f.fix.is_none(), "suggestions only");
        assert_eq!(f.evidence.candidates[0].text, "逻");
        assert!(f.evidence.terms["lm_gain"] >= MIN_GAIN);
        // the span is the neighbour, not the bound char
        let t = "他们使用这种远辑进行推理。";
        assert_eq!(&t[f.span.start..f.span.end], "远");
        assert!(
            f.message.contains("`辑`") && f.message.contains("`逻辑`"),
            "{}",
            f.message
        );
    }

    #[test]
    fn correct_text_and_productive_bound_chars_are_quiet() {
        assert!(run("他们使用这种逻辑进行推理。").is_empty());
        assert!(run("咖啡因的含量很高。").is_empty());
        // `研` has many completions of about the same score: no margin
        assert!(run("他在研所工作多年。").is_empty());
    }

    #[test]
    fn a_lexicon_word_explains_the_pair() {
        let t = "他们使用这种远辑进行推理。";
        // boundness from the lexicon's own counts: `辑` only in words
        let lex = |extra: &'static str| {
            let words = [
                ("他们", 100),
                ("使用", 100),
                ("这种", 100),
                ("进行", 100),
                ("推理", 100),
                ("逻辑", 5000),
                ("编辑", 3000),
                ("远", 5000),
                (extra, 100),
            ];
            Lexicon::from_entries(words.into_iter().map(|(w, freq)| {
                (
                    w,
                    Entry {
                        freq,
                        flags: WordFlags(0),
                    },
                )
            }))
            .unwrap()
        };
        // without the word the pair is suspicious; a user word explains it
        assert_eq!(
            findings_with(&OrphanBoundChar, &lex("推进"), t, &[], None).len(),
            1
        );
        assert!(findings_with(&OrphanBoundChar, &lex("远辑"), t, &[], None).is_empty());
    }
}
