//! http-signatures: RFC 9421 `Signature` (RFC 8941 dictionary of byte sequences).
#![no_main]

use http_signatures::Limits;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let limits = Limits::DEFAULT;
    if let Ok(sigs) =
        http_signatures::rfc9421::parse_signature(data.split(|&b| b == b'\n'), &limits)
    {
        assert!(sigs.len() <= limits.max_signatures);
        let mut labels: Vec<&str> = sigs.iter().map(|(l, _)| l.as_str()).collect();
        labels.sort_unstable();
        labels.dedup();
        assert_eq!(labels.len(), sigs.len(), "labels are unique");
    }
});
