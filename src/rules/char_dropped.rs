//! C703 `dropped-char`: a fixed phrase missing one character, found through
//! the index of four-char words by their one-deletion forms
//! ([`crate::correct::noisy`]).

use crate::correct::noisy::{Corrector, Kind, Proposal, RunMemo};
use crate::edit::Applicability;
use crate::finding::Finding;
use crate::rules::char_subst::{finding_of, with_block_memo};
use crate::rules::{Block, Context, Rule, RuleMeta};
use std::cell::RefCell;

thread_local! {
    static MEMO: RefCell<(usize, RunMemo)> = RefCell::new((0, RunMemo::default()));
}

/// Metadata of C703.
pub static META: RuleMeta = RuleMeta {
    code: "C703",
    name: "dropped-char",
    summary: "A four-char word or idiom with one character missing",
    default_tier: Applicability::Review,
    doc: include_str!("docs/C703.md"),
};

/// Score (log10, LM gain plus the drop probability) for review.
pub const REVIEW_SCORE: f64 = 3.0;
/// Margin over the runner-up for review.
pub const REVIEW_MARGIN: f64 = 1.0;
/// LM gain (log10) for review when no lexicon word explains the deletion
/// form's chars (structural evidence; see the rule docs for the calibration).
pub const UNEXPLAINED_REVIEW_GAIN: f64 = 2.0;
/// LM gain (log10) for a suggestion when no lexicon word explains the
/// deletion form's chars.
pub const UNEXPLAINED_SUGGEST_GAIN: f64 = 1.0;

fn tier_of(p: &Proposal) -> Option<Applicability> {
    let margin = p.score - p.runner_up >= REVIEW_MARGIN;
    let strong = p.score >= REVIEW_SCORE;
    // Only a gap inside the phrase counts for review: at its edge, the char
    // on that side may be the phrase's own char, changed on purpose (a play
    // on an idiom) or misread, rather than a neighbour.
    let structural = p.unexplained && p.inside && p.lm_gain >= UNEXPLAINED_REVIEW_GAIN;
    if margin && (strong || structural) {
        Some(Applicability::Review)
    } else if p.score >= 1.0 || (p.unexplained && p.lm_gain >= UNEXPLAINED_SUGGEST_GAIN) {
        Some(Applicability::Suggest)
    } else {
        None
    }
}

/// C703 `dropped-char`.
pub struct DroppedChar;

impl Rule for DroppedChar {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let body = block.body();
        let c = Corrector::embedded();
        let lex = ctx.lexicon;
        let proposals = with_block_memo(&MEMO, ctx, block, |memo| {
            if lex.is_empty() {
                let sources = |form: &str| c.deletion_sources(form).to_vec();
                c.propose_with_memo(body, Kind::Insert, &sources, memo)
            } else {
                let sources = |form: &str| lex.idioms_with_deletion(form);
                c.propose_with_memo(body, Kind::Insert, &sources, memo)
            }
        });
        for p in proposals {
            if let Some(t) = tier_of(&p) {
                out.push(finding_of(META.code, &p, t, body));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lexicon::Lexicon;

    fn run(text: &str) -> Vec<Finding> {
        let lex = Lexicon::from_entries(Vec::<(String, crate::lexicon::Entry)>::new()).unwrap();
        crate::rules::han::testutil::findings_with(&DroppedChar, &lex, text, &[], None)
    }

    #[test]
    fn idiom_missing_a_char_is_restored() {
        let f = run("我们要实事是地工作");
        let f = f.iter().find(|f| f.fix.is_some()).expect("a fix");
        assert_eq!(f.fix.as_ref().unwrap().edits[0].replacement, "求");
        assert_eq!(f.tier(), Applicability::Review);
        assert!(run("我们要实事求是地工作").is_empty());
        // two idioms fit (雄心勃勃, 野心勃勃): no fix, ranked candidates only
        let f = run("他们心勃勃地出发了");
        assert!(f.iter().all(|f| f.fix.is_none()));
        assert!(f.iter().any(|f| f.evidence.candidates.len() >= 2));
    }

    fn run_embedded(text: &str) -> Vec<Finding> {
        crate::rules::han::testutil::findings_with(
            &DroppedChar,
            Lexicon::embedded(),
            text,
            &[],
            None,
        )
    }

    #[test]
    fn unexplained_fragment_needs_a_smaller_gain() {
        // `从到大` is `从小到大` without `小`: each of its chars is a one-char
        // token, and the gain (about 10^2.6) is below the plain review score
        let f = run_embedded("区域内从到大排列的数");
        let f = f.iter().find(|f| f.fix.is_some()).expect("a fix");
        assert_eq!(f.fix.as_ref().unwrap().edits[0].replacement, "小");
        assert_eq!(f.tier(), Applicability::Review);
        assert_eq!(f.evidence.terms.get("unexplained"), Some(&1.0));
        assert!(f.evidence.terms["score"] < REVIEW_SCORE);
        // the intact phrase gives nothing
        assert!(run_embedded("区域内从小到大排列的数").is_empty());
    }
}
