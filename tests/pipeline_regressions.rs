//! Regression tests for inputs found by fuzzing the whole pipeline
//! (`fuzz/`, target `pipeline`). Each input is kept under
//! `tests/fixtures/regressions/`.

use zhclean::edit::Applicability;
use zhclean::engine::{Engine, Options};
use zhclean::lexicon::Lexicon;

fn engine(tier: Applicability) -> Engine<'static> {
    Engine::new(
        Lexicon::embedded(),
        Options {
            apply: Some(tier),
            ..Options::default()
        },
    )
}

/// crash-25947f7e…: a run of stray `;` glued to `、` was deleted one mark per
/// pass, so after the engine's pass cap a second run still changed the text
/// (the safe tier was not idempotent). P212 now deletes the whole run.
#[test]
fn safe_tier_idempotent_on_runs_of_stray_marks() {
    let text = include_str!("fixtures/regressions/pipeline-idempotence-25947f7e.txt");
    for tier in [Applicability::Safe, Applicability::Review] {
        let e = engine(tier);
        let once = e.process_str(text).text;
        let twice = e.process_str(&once).text;
        assert_eq!(twice, once, "{tier} not idempotent");
    }
    // The kind, small: the whole run goes at once.
    let e = engine(Applicability::Safe);
    assert_eq!(e.process_str("很好;;;;;;、大家").text, "很好、大家");
}
