//! The prefix walk shared by [`Lexicon::prefixes`], [`Lexicon::words_in`]
//! and [`Lexicon::segment`]: from a start position, follow the fst one byte
//! at a time and report every word end.
//!
//! Speed-up: the fst state after the first character of the CJK blocks
//! (U+3400–U+9FFF) is looked up in a table built on first use (27,648
//! entries, about 0.4 MB, a few ms), which saves the three byte steps of the
//! first character at every start position.

use super::{Entry, Lexicon};
use fst::raw::{Fst, Output};
use std::borrow::Cow;

const TABLE_START: u32 = 0x3400;
const TABLE_END: u32 = 0xA000;
/// Marks "no word starts with this character".
const NONE: usize = usize::MAX;

/// State after one character: node address and accumulated output.
#[derive(Clone, Copy)]
pub(super) struct FirstChar {
    addr: usize,
    out: u64,
}

pub(super) fn first_char_table(fst: &Fst<Cow<'static, [u8]>>) -> Vec<FirstChar> {
    let mut buf = [0u8; 4];
    (TABLE_START..TABLE_END)
        .map(|cp| {
            let none = FirstChar { addr: NONE, out: 0 };
            let Some(c) = char::from_u32(cp) else {
                return none;
            };
            let mut node = fst.root();
            let mut out = Output::zero();
            for &b in c.encode_utf8(&mut buf).as_bytes() {
                match node.find_input(b) {
                    None => return none,
                    Some(i) => {
                        let t = node.transition(i);
                        out = out.cat(t.out);
                        node = fst.node(t.addr);
                    }
                }
            }
            FirstChar {
                addr: node.addr(),
                out: out.value(),
            }
        })
        .collect()
}

impl Lexicon {
    fn first_chars(&self) -> &[FirstChar] {
        self.first_chars
            .get_or_init(|| first_char_table(self.map.as_fst()))
    }

    /// Call `f(end_byte, chars_so_far, entry)` for every lexicon word that is
    /// a prefix of `text`, shortest first, up to `max_chars` characters.
    #[inline]
    pub(super) fn walk_prefixes(
        &self,
        text: &str,
        max_chars: usize,
        mut f: impl FnMut(usize, usize, Entry),
    ) {
        if max_chars == 0 || text.is_empty() {
            return;
        }
        let fst = self.map.as_fst();
        let bytes = text.as_bytes();
        let first = text.chars().next().map_or(0, |c| c as u32);
        let (mut node, mut out, mut i) = if (TABLE_START..TABLE_END).contains(&first) {
            let fc = self.first_chars()[(first - TABLE_START) as usize];
            if fc.addr == NONE {
                return;
            }
            let node = fst.node(fc.addr);
            let out = Output::new(fc.out);
            if node.is_final() {
                f(3, 1, Entry::unpack(out.cat(node.final_output()).value()));
            }
            (node, out, 3)
        } else {
            (fst.root(), Output::zero(), 0)
        };
        let mut chars = if i > 0 { 1 } else { 0 };
        if chars >= max_chars {
            return;
        }
        while i < bytes.len() {
            match node.find_input(bytes[i]) {
                None => return,
                Some(ti) => {
                    let t = node.transition(ti);
                    out = out.cat(t.out);
                    node = fst.node(t.addr);
                }
            }
            i += 1;
            // A char boundary: the next byte is not a continuation byte.
            if i == bytes.len() || (bytes[i] & 0xC0) != 0x80 {
                chars += 1;
                if node.is_final() {
                    f(
                        i,
                        chars,
                        Entry::unpack(out.cat(node.final_output()).value()),
                    );
                }
                if chars >= max_chars {
                    return;
                }
            }
        }
    }
}
