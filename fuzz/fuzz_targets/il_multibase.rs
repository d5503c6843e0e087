//! identity-links: multibase and Multikey decoding of arbitrary strings.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(bytes) = identity_links::multibase::decode_base58btc(s) {
        // Decoding is exact: re-encoding gives the input back.
        assert_eq!(identity_links::multibase::encode_base58btc(&bytes), s);
    }
    let _ = identity_links::multikey::decode_public(s);
    let _ = identity_links::multikey::decode_ed25519_secret(s);
});
