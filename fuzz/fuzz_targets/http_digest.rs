//! http-signatures: RFC 3230 `Digest` parsing and checking against a body.
#![no_main]

use http_signatures::{Backend, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&str, &[u8])| {
    let (value, body) = input;
    let limits = Limits::DEFAULT;
    if let Ok(entries) = http_signatures::digest::parse_digest(value, &limits) {
        assert!(entries.len() <= limits.max_digest_entries);
    }
    let _ = http_signatures::digest::verify_digest(value, body, Backend::RustCrypto, &limits);
    // Our own header for a body always verifies.
    let own = http_signatures::digest::digest_header_value(body, Backend::RustCrypto);
    http_signatures::digest::verify_digest(&own, body, Backend::RustCrypto, &limits)
        .expect("own Digest verifies");
});
