//! http-signatures: RFC 9530 `Content-Digest` (RFC 8941 dictionary) parsing and checking.
#![no_main]

use http_signatures::{Backend, Limits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (&[u8], &[u8])| {
    let (value, body) = input;
    let limits = Limits::DEFAULT;
    let lines = || value.split(|&b| b == b'\n');
    if let Ok(entries) = http_signatures::content_digest::parse_content_digest(lines(), &limits) {
        assert!(entries.len() <= limits.max_digest_entries);
    }
    let _ = http_signatures::content_digest::verify_content_digest(
        lines(),
        body,
        Backend::RustCrypto,
        &limits,
    );
    let own =
        http_signatures::content_digest::content_digest_header_value(body, Backend::RustCrypto);
    http_signatures::content_digest::verify_content_digest(
        [own.as_bytes()],
        body,
        Backend::RustCrypto,
        &limits,
    )
    .expect("own Content-Digest verifies");
});
