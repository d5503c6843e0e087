//! http-signatures: the whole verification pipeline (raw HTTP/1.1 reader, scheme detection,
//! policy, digests, base building) on an arbitrary request, with a fixed RSA-2048 and a fixed
//! Ed25519 key, under both profiles. Seeds: the requests of `http-signatures/testdata/`.
#![no_main]

use std::sync::OnceLock;

use http_signatures::{PublicKey, Verifier, VerifyPolicy};
use libfuzzer_sys::fuzz_target;

const RSA_PEM: &str = include_str!("../../http-signatures/testdata/interop/keys/rsa-2048.pub.pem");
const ED_PEM: &str = include_str!("../../http-signatures/testdata/interop/keys/ed25519.pub.pem");
const NOW: i64 = 1_764_547_200;

fn keys() -> &'static (PublicKey, PublicKey) {
    static KEYS: OnceLock<(PublicKey, PublicKey)> = OnceLock::new();
    KEYS.get_or_init(|| {
        (
            PublicKey::from_pem(RSA_PEM).expect("fixed RSA key"),
            PublicKey::from_pem(ED_PEM).expect("fixed Ed25519 key"),
        )
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok((parts, body)) = http_signatures::wire::parse_request(data) else {
        return;
    };
    let (rsa, ed) = keys();
    for policy in [VerifyPolicy::mastodon(), VerifyPolicy::strict()] {
        let resolver = |id: &str| {
            if id.ends_with("#main-key") {
                Some(rsa.clone())
            } else if id.ends_with("#ed25519-key") {
                Some(ed.clone())
            } else {
                None
            }
        };
        if let Ok(v) = Verifier::new(policy).verify_request(&parts, body, NOW, resolver) {
            // Whatever verified has a key id we resolved and covers something.
            assert!(v.key_id().ends_with("-key"));
        }
    }
});
