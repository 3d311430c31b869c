//! Arbitrary text and arbitrary edits through `apply_fixes`: never a panic,
//! no edits is the identity, bytes outside applied edits unchanged.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zhclean::apply::apply_fixes;
use zhclean::edit::{Applicability, Edit, Fix};
use zhclean::span::Span;

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let n_edits = (data[0] % 8) as usize;
    let (ctl, rest) = data[1..].split_at((n_edits * 3).min(data.len() - 1));
    let text = String::from_utf8_lossy(rest).into_owned();
    let none = apply_fixes(&text, &[]);
    assert_eq!(none.text, text);
    let fixes: Vec<Fix> = ctl
        .chunks(3)
        .map(|c| {
            let s = c[0] as usize % (text.len() + 1);
            let e = (s + c.get(1).copied().unwrap_or(0) as usize % 7).min(text.len());
            let repl = ["", "，", "x", "的的"][c.get(2).copied().unwrap_or(0) as usize % 4];
            let tier = if c[0] % 2 == 0 { Applicability::Safe } else { Applicability::Review };
            Fix::single(tier, Edit::replace(Span::new(s, e), repl))
        })
        .collect();
    let refs: Vec<&Fix> = fixes.iter().collect();
    let a = apply_fixes(&text, &refs);
    let (mut o, mut n) = (0, 0);
    for r in a.map.regions() {
        assert_eq!(&text[o..r.orig.start], &a.text[n..r.new.start]);
        o = r.orig.end;
        n = r.new.end;
    }
    assert_eq!(&text[o..], &a.text[n..]);
});
