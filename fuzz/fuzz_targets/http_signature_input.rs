//! http-signatures: RFC 9421 `Signature-Input` (RFC 8941 dictionary of inner lists), one field
//! line per `\n`-separated chunk of the input.
#![no_main]

use http_signatures::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::DEFAULT;
    if let Ok(inputs) =
        http_signatures::rfc9421::parse_signature_input(data.split(|&b| b == b'\n'), &limits)
    {
        assert!(inputs.len() <= limits.max_signatures);
        for i in &inputs {
            assert!(i.components().len() <= limits.max_components);
            // Re-serialising a parsed member and parsing it again gives the same input.
            let member = i.to_field_member();
            let again =
                http_signatures::rfc9421::parse_signature_input([member.as_bytes()], &limits)
                    .expect("a serialized member parses");
            assert_eq!(again.len(), 1);
            assert_eq!(again[0].components(), i.components());
            assert_eq!(again[0].signature_params(), i.signature_params());
        }
    }
});
