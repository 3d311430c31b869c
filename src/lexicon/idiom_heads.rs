//! The head filter of the idiom deletion index: a bitset over hashes of the
//! first three chars (all, when shorter) of every deletion form, so that
//! almost every query is rejected by one bit test. No crate dependencies: build.rs includes this
//! file to compile the embedded index's filter.

/// Bits in the filter (a power of two): 512 KiB, about 38 bits per key of
/// the embedded index (false positives about 3%).
pub const HEAD_BITS: usize = 1 << 22;

/// The filter bit of a form: a hash of its first three chars.
#[inline]
pub fn head_bit(form: &str) -> usize {
    let b = form.as_bytes();
    let three = |i: usize| (0xE0..=0xEF).contains(&b[i]);
    let k: u64 = if b.len() >= 9 && three(0) && three(3) && three(6) {
        // the usual form: three-byte (BMP Han) chars, decoded in place
        let at = |i: usize| {
            ((b[i] as u64 & 0x0F) << 12)
                | ((b[i + 1] as u64 & 0x3F) << 6)
                | (b[i + 2] as u64 & 0x3F)
        };
        at(0) << 42 | at(3) << 21 | at(6)
    } else {
        let mut k: u64 = 0;
        for c in form.chars().take(3) {
            k = k << 21 | c as u64;
        }
        k
    };
    (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 42) as usize & (HEAD_BITS - 1)
}

/// True when the filter `bits` may hold `form`.
#[inline]
pub fn may_hold(bits: &[u8], form: &str) -> bool {
    let bit = head_bit(form);
    bits[bit / 8] & (1 << (bit % 8)) != 0
}

/// Set the bit of `form` in `bits`.
pub fn add_form(bits: &mut [u8], form: &str) {
    let bit = head_bit(form);
    bits[bit / 8] |= 1 << (bit % 8);
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The filter bit as a plain decode of the first three chars.
    fn slow_bit(form: &str) -> usize {
        let mut k: u64 = 0;
        for c in form.chars().take(3) {
            k = k << 21 | c as u64;
        }
        (k.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> 42) as usize & (HEAD_BITS - 1)
    }

    #[test]
    fn head_bit_fast_path_matches_the_char_decode() {
        for form in [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "一",
            "一举",
            "一举得",
            "一举两得",
            "一a举得",
            "é一举得",
            "一举😀得",
            "㐀䶿鿿一",
            "\u{E000}\u{FFFF}\u{800}",
            "\u{10000}一举",
        ] {
            assert_eq!(head_bit(form), slow_bit(form), "{form}");
        }
    }
}
