//! Regression tests for inputs found by fuzzing (`fuzz/`, target `decode`).

use zhclean::io::decode::decode;

/// fuzz/artifacts/decode/crash-2ddf801a…: GB18030-looking bytes with a lone
/// 0x80, which decodes to `€` and would be written back as `A2 E3`. Such an
/// input must not be accepted as GB18030 (it is reported as invalid instead),
/// so nothing is ever rewritten behind the user's back.
#[test]
fn gb18030_reading_must_round_trip() {
    let bytes = b"\xef\xe7\x94\x75\x78\x80\x6c\x82\xca\xfe\x73";
    match decode(bytes) {
        Ok((text, enc)) => {
            let mut back = enc.bom().to_vec();
            back.extend_from_slice(&enc.encode(&text));
            assert_eq!(back, bytes.to_vec(), "decoded as {}", enc.name());
        }
        Err(e) => assert!(e.to_string().contains("byte 0"), "{e}"),
    }
}

/// A clean GBK text still decodes, and round-trips.
#[test]
fn plain_gbk_still_decodes() {
    let (bytes, _, _) = encoding_rs::GBK.encode("中文测试，没有问题。");
    let (text, enc) = decode(&bytes).expect("GBK decodes");
    assert_eq!(text, "中文测试，没有问题。");
    assert_eq!(enc.encode(&text).as_ref(), bytes.as_ref());
}
