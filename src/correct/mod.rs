//! Character-error correction as a noisy channel: a word bigram language
//! model ([`lm`]), a visual confusion set and OCR channel statistics
//! ([`confusion`]), and the candidate generation and scoring used by the
//! `C7xx` rules ([`noisy`]).

pub mod confusion;
pub mod lm;
pub mod noisy;
