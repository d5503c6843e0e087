//! http-signatures: the draft-cavage auth-param parser (`Signature` and `Authorization` forms).
#![no_main]

use http_signatures::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    let limits = Limits::DEFAULT;
    if let Ok(p) = http_signatures::cavage::parse_signature_header(s, &limits) {
        // Limits hold for whatever was accepted.
        assert!(p.key_id.len() <= limits.max_key_id_len);
        if let Some(names) = p.header_names() {
            assert!(names.count() <= limits.max_components);
        }
    }
    let _ = http_signatures::cavage::parse_authorization(s, &limits);
});
