//! Arbitrary bytes through encoding detection and decoding: never a panic;
//! a decoded text re-encodes (with its BOM) to exactly the input bytes, so
//! writing back an unchanged document loses nothing; errors point inside
//! the input.
#![no_main]
use libfuzzer_sys::fuzz_target;
use zhclean::io::decode::decode;

fuzz_target!(|data: &[u8]| {
    match decode(data) {
        Ok((text, enc)) => {
            let mut back = enc.bom().to_vec();
            back.extend_from_slice(&enc.encode(&text));
            assert_eq!(back, data, "round trip through {}", enc.name());
        }
        Err(e) => {
            let msg = e.to_string();
            assert!(!msg.is_empty());
        }
    }
});
