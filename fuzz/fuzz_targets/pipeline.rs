//! Arbitrary UTF-8 through the whole default pipeline at every tier:
//! never a panic; spans in bounds and on char boundaries; check mode is the
//! identity; the safe tier is idempotent; applied findings' originals are
//! the original text under their spans.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zhclean::edit::Applicability;
use zhclean::engine::{Engine, Options};
use zhclean::lexicon::Lexicon;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lex = Lexicon::embedded();
    let check = Engine::new(lex, Options::default()).process_str(text);
    assert_eq!(check.text, text);
    for tier in [Applicability::Safe, Applicability::Review] {
        let e = Engine::new(
            lex,
            Options {
                apply: Some(tier),
                ..Options::default()
            },
        );
        let out = e.process_str(text);
        for f in &out.findings {
            assert!(f.span.start <= f.span.end && f.span.end <= text.len());
            assert!(text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end));
            assert_eq!(&text[f.span.start..f.span.end], f.original);
        }
        if tier == Applicability::Safe {
            let again = e.process_str(&out.text);
            assert_eq!(again.text, out.text, "safe tier not idempotent");
        }
    }
});
