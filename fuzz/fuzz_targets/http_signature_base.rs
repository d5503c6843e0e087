//! http-signatures: the RFC 9421 signature-base builder and the cavage signing-string builder
//! over arbitrary request parts, an arbitrary `Signature-Input` and an arbitrary `headers` list.
#![no_main]

use arbitrary::Arbitrary;
use http_signatures::Limits;
use http_signatures::cavage::{PseudoValues, SigningStringOptions};
use http_signatures::rfc9421::Message;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    method: &'a str,
    uri: &'a str,
    headers: Vec<(&'a str, &'a [u8])>,
    signature_input: &'a [u8],
    cavage_headers: &'a str,
    created: Option<&'a str>,
    with_query: bool,
}

fuzz_target!(|input: Input<'_>| {
    let mut builder = http::Request::builder().method(input.method).uri(input.uri);
    for (n, v) in &input.headers {
        builder = builder.header(*n, *v);
    }
    let Ok(req) = builder.body(()) else { return };
    let limits = Limits::DEFAULT;
    let mut out = Vec::new();
    if let Ok(inputs) = http_signatures::rfc9421::parse_signature_input(
        input.signature_input.split(|&b| b == b'\n'),
        &limits,
    ) {
        let msg = Message::request(&req).with_max_len(limits.max_signing_string);
        for si in &inputs {
            if http_signatures::rfc9421::build_signature_base(&msg, si, &mut out).is_ok() {
                // RFC 9421 §2.5: the base is ASCII and ends with the @signature-params line.
                assert!(out.is_ascii());
                let last = out.rsplit(|&b| b == b'\n').next().unwrap_or(&[]);
                assert!(last.starts_with(b"\"@signature-params\": "));
            }
        }
    }
    let mut options = SigningStringOptions::default();
    options.request_target_with_query = input.with_query;
    let pseudo = PseudoValues {
        algorithm: Some("hs2019"),
        created: input.created,
        expires: None,
    };
    let names = input.cavage_headers.split(' ').take(limits.max_components);
    let _ = http_signatures::cavage::build_signing_string(&req, names, pseudo, options, &mut out);
});
