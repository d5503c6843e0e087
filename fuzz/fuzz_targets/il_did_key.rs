//! identity-links: `did:key` parsing and verification-method resolution of arbitrary strings.
#![no_main]

use identity_links::did_key::DidKey;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(s) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(did) = DidKey::parse(s) {
        assert_eq!(did.as_str(), s);
        assert_eq!(DidKey::from_verifying_key(did.verifying_key()), did);
    }
    let _ = DidKey::from_verification_method(s);
    let _ = DidKey::parse(&format!("did:key:{s}"));
});
