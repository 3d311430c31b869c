//! The head filter of the idiom deletion index: a bitset over hashes of the
//! first two chars of every deletion form, so that almost every query is
//! rejected by one bit test. No crate dependencies: build.rs includes this
//! file to compile the embedded index's filter.

/// Bits in the filter (a power of two): 128 KiB.
pub const HEAD_BITS: usize = 1 << 20;

/// The filter bit of a form starting with `a`, `b`.
#[inline]
pub fn head_bit(a: char, b: char) -> usize {
    let k = (a as u64) << 21 | b as u64;
    (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 44) as usize & (HEAD_BITS - 1)
}

/// Set the bit of `form`'s first two chars in `bits` (a form of fewer chars
/// sets nothing).
pub fn add_form(bits: &mut [u8], form: &str) {
    let mut it = form.chars();
    if let (Some(a), Some(b)) = (it.next(), it.next()) {
        let bit = head_bit(a, b);
        bits[bit / 8] |= 1 << (bit % 8);
    }
}

/// The filter of a set of index keys (`form NUL index dropped-char`).
pub fn heads_of<'a>(keys: impl IntoIterator<Item = &'a [u8]>) -> Vec<u8> {
    let mut bits = vec![0u8; HEAD_BITS / 8];
    for k in keys {
        let form = k.split(|&b| b == 0).next().unwrap_or(&[]);
        add_form(&mut bits, std::str::from_utf8(form).unwrap_or(""));
    }
    bits
}
