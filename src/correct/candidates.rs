//! Candidate sources of the character correction, by profile: which chars
//! may have been meant where a char was observed, and how likely the
//! observation is for each (the channel, log10 P(observed | intended)).
//!
//! - **OCR** (`--profile ocr`, the default): the glyph look-alikes of
//!   `confusion_glyph.tsv` (component and four-corner descriptions), the
//!   visual neighbours of `glyph_visual.tsv` (rendered bitmaps, top
//!   [`VISUAL_TOP`]), and every char the learned OCR channel has seen read as
//!   the observed one. A pair the channel saw gets its learned probability;
//!   an unseen pair a prior from its similarity ([`ocr_prior`]).
//! - **Typing** (`--profile typing`): chars sharing a toneless pinyin
//!   syllable with the observed char (the input method offered them for the
//!   same keys; top [`SAME_TOP`] by frequency), chars of near syllables
//!   (`z`/`zh`, `an`/`ang` …; top [`NEAR_TOP`]), then a few look-alikes
//!   (a slip in the candidate list picks a char beside the right one, not one
//!   that looks like it, so look-alikes get a low prior).
//!
//! A [`Sources`] is cheap to make (references only); [`Sources::key`] names
//! it for the per-thread memos of [`super::noisy::Corrector`], which are
//! emptied when a different source is used.

use super::confusion::{Channel, ConfusionSet, GlyphFeatures};
use super::model::{CorrectionModel, Profile};
use super::pinyin::PinyinIndex;
use super::visual::VisualSim;

/// Visual neighbours taken per observed char (OCR profile).
pub const VISUAL_TOP: usize = 8;
/// Learned misreadings taken per observed char (OCR profile), most
/// frequent first.
pub const CHANNEL_TOP: usize = 16;
/// Same-syllable chars taken per observed char (typing profile).
pub const SAME_TOP: usize = 40;
/// Near-syllable chars taken per observed char (typing profile).
pub const NEAR_TOP: usize = 12;
/// Look-alikes taken per observed char (typing profile).
pub const TYPING_GLYPH_TOP: usize = 6;

/// Glyph-feature similarity from which a pair gets an OCR prior (below it,
/// [`UNSEEN_LOG10`]).
pub const GLYPH_SIM_MIN: f64 = 0.3;
/// log10 P(observed | intended) for a pair of chars nothing relates.
pub const UNSEEN_LOG10: f64 = -6.0;
/// OCR prior line over glyph-feature similarity: log10 P = `PRIOR_AT_PIVOT
/// + PRIOR_SLOPE × (sim − PRIOR_PIVOT)`, the per-candidate misreading rates
/// of unseen pairs (`scripts/calibrate_channel_prior.py`).
pub const PRIOR_AT_PIVOT: f64 = -3.55;
/// See [`PRIOR_AT_PIVOT`].
pub const PRIOR_SLOPE: f64 = 3.6;
/// See [`PRIOR_AT_PIVOT`].
pub const PRIOR_PIVOT: f64 = 0.45;
/// The visual similarity (rendered bitmaps, Pearson correlation) that
/// counts as glyph-feature similarity [`PRIOR_PIVOT`]: visual scores of
/// unrelated chars sit around 0.5, so the scale is moved before the line.
pub const VISUAL_AT_PIVOT: f64 = 0.72;
/// Glyph-feature similarity per unit of visual similarity above
/// [`VISUAL_AT_PIVOT`].
pub const VISUAL_SCALE: f64 = 1.5;

/// log10 P(typed | intended) of a same-syllable char (typing profile) is
/// this plus log10 of the typed char's share, by frequency, of the chars
/// of the syllable: an IME lists a syllable's chars most frequent first, so
/// a wrong pick is far more often a common char than a rare one
/// (`是` for `事`, seldom `庸` for `用`). Set on `eval/typing/tune.tsv`
/// (BENCHMARKS.md, issue 14 session 12); a flat −2 before.
pub const SAME_SYLLABLE_LOG10: f64 = -0.5;
/// log10 P(typed | intended) of a near-syllable char (typing profile): this
/// plus log10 of the typed char's share of its syllable, at most
/// [`NEAR_SYLLABLE_MAX_LOG10`] (a flat −3 before).
pub const NEAR_SYLLABLE_LOG10: f64 = -1.0;
/// The most a near-syllable slip gets: a syllable one confusion away is
/// typed less often than the right one.
pub const NEAR_SYLLABLE_MAX_LOG10: f64 = -1.5;
/// Smallest share of a syllable counted (a char without a frequency).
pub const SHARE_MIN: f64 = 1e-4;
/// log10 P(typed | intended) of a look-alike (typing profile).
pub const TYPING_GLYPH_LOG10: f64 = -4.5;

/// The OCR prior of an unseen pair with glyph-feature similarity `glyph`
/// (0 when unknown) and visual similarity `visual` (None when neither
/// lists the other).
pub fn ocr_prior(glyph: f64, visual: Option<f32>) -> f64 {
    let v = visual.map_or(0.0, |v| {
        PRIOR_PIVOT + VISUAL_SCALE * (v as f64 - VISUAL_AT_PIVOT)
    });
    let s = glyph.max(v);
    if s >= GLYPH_SIM_MIN {
        PRIOR_AT_PIVOT + PRIOR_SLOPE * (s - PRIOR_PIVOT)
    } else {
        UNSEEN_LOG10
    }
}

/// The candidate sources of one run.
#[derive(Clone, Copy)]
pub struct Sources<'a> {
    /// Which sources run.
    pub profile: Profile,
    /// The OCR channel (embedded or the user's).
    pub channel: &'a Channel,
    glyph: &'static ConfusionSet,
    features: &'static GlyphFeatures,
    visual: &'static VisualSim,
    /// Visual neighbours taken per observed char (OCR profile).
    visual_top: usize,
}

impl std::fmt::Debug for Sources<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Sources")
            .field("profile", &self.profile)
            .field("key", &self.key())
            .finish()
    }
}

impl<'a> Sources<'a> {
    /// The sources of `model` over the embedded tables.
    pub fn of(model: &'a CorrectionModel) -> Sources<'a> {
        Sources {
            profile: model.profile,
            channel: model.channel(),
            glyph: ConfusionSet::embedded(),
            features: GlyphFeatures::embedded(),
            visual: VisualSim::embedded(),
            visual_top: VISUAL_TOP,
        }
    }

    /// The same sources without the visual neighbours among the candidates
    /// (C705's orphan test asks whether a look-alike of the glyph lists or
    /// the channel explains a char, as calibrated).
    pub fn without_visual(self) -> Sources<'a> {
        Sources {
            visual_top: 0,
            ..self
        }
    }

    /// The default sources: OCR profile, embedded channel.
    pub fn embedded() -> Sources<'static> {
        Sources::of(CorrectionModel::embedded())
    }

    /// A key naming these sources (profile and channel), for memos.
    pub fn key(&self) -> u64 {
        (self.channel as *const Channel as u64) << 8
            | (self.visual_top.min(63) as u64) << 2
            | self.profile as u64
    }

    /// Push the candidates for `observed` (may repeat, may include
    /// `observed` itself; callers dedup).
    pub fn push_candidates(&self, observed: char, out: &mut Vec<char>) {
        match self.profile {
            Profile::Ocr => {
                out.extend(self.glyph.similar_to(observed).iter().map(|x| x.0));
                out.extend(self.glyph.similar(observed).iter().map(|x| x.0));
                out.extend(
                    self.channel
                        .intended_for(observed)
                        .iter()
                        .take(CHANNEL_TOP)
                        .map(|x| x.0),
                );
                out.extend(
                    self.visual
                        .neighbors(observed)
                        .iter()
                        .take(self.visual_top)
                        .map(|x| x.0),
                );
            }
            Profile::Typing => {
                let pinyin = PinyinIndex::embedded();
                out.extend(pinyin.same_syllable(observed).into_iter().take(SAME_TOP));
                out.extend(pinyin.near(observed).into_iter().take(NEAR_TOP));
                out.extend(
                    self.glyph
                        .similar(observed)
                        .iter()
                        .take(TYPING_GLYPH_TOP)
                        .map(|x| x.0),
                );
            }
        }
    }

    /// log10 P(observed | intended) and the times the channel saw the pair
    /// (0 for a prior). `glyph` is the glyph-feature similarity of the pair
    /// (0 when unknown), which the caller may have memoized.
    pub fn channel_logp(&self, intended: char, observed: char, glyph: f64) -> (f64, u32) {
        match self.profile {
            Profile::Ocr => {
                let glyph = glyph.max(self.glyph.score(intended, observed) as f64);
                let prior = ocr_prior(glyph, self.visual.sim(intended, observed));
                match self.channel.sub(intended, observed) {
                    Some((n, lp)) => ((lp as f64).max(prior), n),
                    None => (prior, 0),
                }
            }
            Profile::Typing => {
                // built on first use: the OCR profile never pays for it
                let pinyin = PinyinIndex::embedded();
                let syl = |c: char| pinyin.syllables(c);
                let (a, b) = (syl(intended), syl(observed));
                // the typed char's best share of a syllable it shares
                let share = |syls: &mut dyn Iterator<Item = &str>| {
                    syls.filter(|s| b.contains(s))
                        .map(|s| pinyin.share_in(observed, s))
                        .fold(0.0f64, f64::max)
                        .max(SHARE_MIN)
                        .log10()
                };
                if a.iter().any(|s| b.contains(s)) {
                    (SAME_SYLLABLE_LOG10 + share(&mut a.iter().copied()), 0)
                } else if a
                    .iter()
                    .any(|s| pinyin.near_syllables(s).iter().any(|n| b.contains(n)))
                {
                    let near = share(&mut a.iter().flat_map(|s| pinyin.near_syllables(s)));
                    ((NEAR_SYLLABLE_LOG10 + near).min(NEAR_SYLLABLE_MAX_LOG10), 0)
                } else if glyph.max(self.glyph.score(intended, observed) as f64) >= GLYPH_SIM_MIN {
                    (TYPING_GLYPH_LOG10, 0)
                } else {
                    (UNSEEN_LOG10, 0)
                }
            }
        }
    }

    /// Glyph-feature similarity of a pair (0 when either has no features).
    pub fn glyph_sim(&self, a: char, b: char) -> f32 {
        self.features.sim(a, b).unwrap_or(0.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ocr_candidates_hold_visual_neighbours_and_channel() {
        let s = Sources::embedded();
        let mut v = Vec::new();
        s.push_candidates('末', &mut v);
        assert!(v.contains(&'未'), "{v:?}");
        let n = VisualSim::embedded().neighbors('末');
        assert!(n.iter().take(VISUAL_TOP).all(|x| v.contains(&x.0)));
    }

    #[test]
    fn typing_candidates_share_a_syllable_first() {
        let m = CorrectionModel::new(Profile::Typing, None);
        let s = Sources::of(&m);
        let mut v = Vec::new();
        s.push_candidates('在', &mut v);
        assert!(v.contains(&'再'), "{v:?}");
        // the cost of a same-syllable slip follows the typed char's share of
        // the syllable: `在` is the most common zai, `仔` a rare one
        let common = s.channel_logp('再', '在', 0.0).0;
        let rare = s.channel_logp('再', '仔', 0.0).0;
        assert!(common < SAME_SYLLABLE_LOG10 && common > -1.5, "{common}");
        assert!(rare < common - 1.0, "{rare} {common}");
        // a near syllable costs more than the same one
        let near = s.channel_logp('栽', '菜', 0.0).0;
        assert!(near <= NEAR_SYLLABLE_MAX_LOG10, "{near}");
        // 在 zai / 栽 zai share; 菜 cai is near (z/c is not a pair: c/ch, z/zh)
        assert!(s.channel_logp('人', '在', 0.0).0 <= TYPING_GLYPH_LOG10);
        assert_ne!(s.key(), Sources::embedded().key());
    }

    #[test]
    fn the_prior_rises_with_similarity() {
        assert_eq!(ocr_prior(0.0, None), UNSEEN_LOG10);
        let low = ocr_prior(0.35, None);
        let high = ocr_prior(0.7, None);
        assert!(high > low);
        assert!(ocr_prior(0.0, Some(0.9)) > ocr_prior(0.0, Some(0.75)));
        assert_eq!(ocr_prior(0.0, Some(0.5)), UNSEEN_LOG10);
    }
}
