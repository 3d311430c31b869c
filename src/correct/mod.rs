//! Character-error correction as a noisy channel: a word bigram language
//! model ([`lm`]), a visual confusion set and OCR channel statistics
//! ([`confusion`]), and the candidate generation and scoring used by the
//! `C7xx` rules ([`noisy`]).

mod bigram_table;
pub mod candidates;
pub mod channel_train;
pub mod char_lm;
pub mod char_pairs;
pub mod confusion;
pub mod decoder;
mod glyph_lines;
pub mod homophones;
pub mod lm;
pub mod model;
pub mod noisy;
mod packed;
pub mod pairing;
pub mod pinyin;
mod shared_memo;
pub mod visual;

pub use model::{CorrectionModel, Profile};

use std::hash::{BuildHasherDefault, Hasher};

/// A fast hasher for char keys (FxHash's multiply-rotate; the keys are not
/// attacker-controlled in a way that matters for a local tool).
#[derive(Default, Clone, Copy)]
pub(crate) struct CharHasher(u64);

impl Hasher for CharHasher {
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.write_u32(b as u32);
        }
    }
    fn write_u32(&mut self, i: u32) {
        self.0 = (self.0.rotate_left(5) ^ i as u64).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

/// Build hasher of [`CharHasher`], for maps keyed by chars.
pub(crate) type CharBuild = BuildHasherDefault<CharHasher>;
