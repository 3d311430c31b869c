//! P214 `mark-in-context`: a Chinese mark OCR misread, added or dropped,
//! read in context by the word model and the OCR channel
//! ([`crate::correct::marks`]).

use super::han::tier_score;
use super::{Block, Context, Rule, RuleMeta};
use crate::correct::lm::WordLm;
use crate::correct::marks::{MarkEdit, MarkScorer, Place, CN_MARKS};
use crate::edit::{Applicability, Edit, Fix};
use crate::finding::{Evidence, Finding};
use crate::span::Span;

/// Metadata of P214.
pub static META: RuleMeta = RuleMeta {
    code: "P214",
    name: "mark-in-context",
    summary: "A Chinese mark OCR misread or added, read in context by word model and channel",
    default_tier: Applicability::Review,
    doc: include_str!("docs/P214.md"),
};

/// log10 gain of the best reading over the text as it is, for review.
pub const REVIEW_GAIN: f64 = 1.0;
/// log10 margin of the best reading over the runner-up, for review.
pub const REVIEW_MARGIN: f64 = 0.5;
/// log10 gain for a suggestion.
pub const SUGGEST_GAIN: f64 = 0.3;

/// The tier of a place whose best reading changes the text.
pub fn tier_of(p: &Place) -> Option<Applicability> {
    let (gain, margin) = (p.gain(), p.margin());
    if gain >= REVIEW_GAIN && margin >= REVIEW_MARGIN {
        Some(Applicability::Review)
    } else if gain >= SUGGEST_GAIN {
        Some(Applicability::Suggest)
    } else {
        None
    }
}

/// Rule P214.
pub struct ContextMark;

impl Rule for ContextMark {
    fn meta(&self) -> &'static RuleMeta {
        &META
    }

    fn check(&self, ctx: &Context<'_>, block: &Block<'_>, out: &mut Vec<Finding>) {
        let body = block.body();
        if !CN_MARKS.iter().any(|&m| body.contains(m)) {
            return;
        }
        let chars: Vec<(usize, char)> = body.char_indices().collect();
        let lm = WordLm::embedded();
        let scorer = MarkScorer::new(lm, ctx.model.channel());
        let mut places: Vec<usize> = Vec::new();
        for (i, &(_, c)) in chars.iter().enumerate() {
            if CN_MARKS.contains(&c) {
                places.push(i);
            }
        }
        for i in places {
            let Some(place) = scorer.place(&chars, i, false, body.len()) else {
                continue;
            };
            if !place.changes() {
                continue;
            }
            if let Some(tier) = tier_of(&place) {
                out.push(finding_of(&place, tier, body));
            }
        }
    }
}

/// The finding for a place whose best reading changes the text.
fn finding_of(p: &Place, tier: Applicability, body: &str) -> Finding {
    let span = Span::new(p.start, p.end);
    let original = &body[p.start..p.end];
    let best = &p.readings[0];
    let (message, edit) = match p.edit {
        MarkEdit::Delete => (
            format!("`{original}` here is a mark OCR added"),
            Edit::delete(span),
        ),
        MarkEdit::Insert => (
            format!("`{}` seems to be dropped here", best.text),
            Edit::insert(p.start, best.text.clone()),
        ),
        MarkEdit::Replace => (
            format!(
                "`{original}` here reads as OCR's misreading of `{}`",
                best.text
            ),
            Edit::replace(span, best.text.clone()),
        ),
    };
    let kept = &p.readings[p.keep];
    let shown = |t: &str| {
        if t.is_empty() {
            "no mark".to_string()
        } else {
            format!("`{t}`")
        }
    };
    let mut ev = Evidence::new(
        tier_score(tier),
        format!(
            "in `{}`, {} makes the sentence 10^{:.1} times likelier than {} (OCR makes this error: 10^{:.1}, seen {}×); next best by 10^{:.1}",
            p.window,
            shown(&best.text),
            best.lm - kept.lm,
            shown(&kept.text),
            best.channel,
            best.count,
            p.margin().min(99.0),
        ),
    )
    .term("lm_gain", best.lm - kept.lm)
    .term("channel_logp", best.channel)
    .term("channel_count", best.count as f64)
    .term("score", p.gain())
    .term("margin", p.margin().min(99.0));
    for r in &p.readings {
        ev = ev.candidate(r.text.clone(), r.score() - kept.score());
    }
    Finding::new(META.code, span, message, ev).with_fix(Fix::single(tier, edit))
}
