//! Layout of the word model's bigram hash table, shared by build.rs (which
//! fills it) and `lm.rs` (which probes it). No crate dependencies.
//!
//! Open addressing with linear probing over [`BI_SLOTS`] slots: key
//! `id(w1) << 32 | id(w2)` (u64 LE, [`EMPTY`] = free slot), value u16 LE
//! `-log10 P(w2 | w1) * 100`.

/// Slots of the table (a power of two; 600,000 bigrams fill 57%).
pub const BI_SLOTS: usize = 1 << 20;

/// Key of a free slot.
pub const EMPTY: u64 = u64::MAX;

/// Home slot of a key.
#[inline]
pub fn bigram_slot(key: u64) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 44) as usize & (BI_SLOTS - 1)
}
