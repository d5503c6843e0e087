//! Parser totality: every public parser and builder returns `Ok` or a typed `Err` for any
//! input — never a panic — and the cavage parameter parser round-trips what it accepts.

use http_signatures::cavage::{
    PseudoValues, SigningStringOptions, build_signing_string, parse_authorization,
    parse_signature_header,
};
use http_signatures::content_digest::{parse_content_digest, verify_content_digest};
use http_signatures::digest::{parse_digest, verify_digest};
use http_signatures::rfc9421::{
    ComponentId, Message, build_signature_base, parse_signature, parse_signature_input,
};
use http_signatures::wire::{parse_request, parse_response};
use http_signatures::{Backend, Limits, PublicKey, UnixTime, Verifier, VerifyPolicy};
use proptest::prelude::*;

/// Strings biased towards the syntax the parsers care about.
fn syntaxy() -> impl Strategy<Value = String> {
    let atoms = prop_oneof![
        Just("\"".to_owned()),
        Just("\\".to_owned()),
        Just(",".to_owned()),
        Just("=".to_owned()),
        Just(";".to_owned()),
        Just(":".to_owned()),
        Just("(".to_owned()),
        Just(")".to_owned()),
        Just(" ".to_owned()),
        Just("keyId".to_owned()),
        Just("signature".to_owned()),
        Just("headers".to_owned()),
        Just("created".to_owned()),
        Just("sig1".to_owned()),
        Just("\"@method\"".to_owned()),
        Just("\"@query-param\";name=".to_owned()),
        Just(";req".to_owned()),
        Just(";sf".to_owned()),
        Just(";key=\"a\"".to_owned()),
        Just("sha-256".to_owned()),
        Just("SHA-256".to_owned()),
        Just(":AAAA:".to_owned()),
        Just("-1".to_owned()),
        Just("9999999999999999".to_owned()),
        "[ -~]{0,6}",
        any::<char>().prop_map(|c| c.to_string()),
    ];
    proptest::collection::vec(atoms, 0..24).prop_map(|v| v.concat())
}

fn message_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        (syntaxy(), syntaxy()).prop_map(|(a, b)| {
            format!("GET /x HTTP/1.1\nHost: h.example\nDate: {b}\nAuthorization: {a}\n\n").into_bytes()
        }),
        (syntaxy(), syntaxy()).prop_map(|(a, b)| {
            format!("GET /x HTTP/1.1\nHost: h.example\nAuthorization: Signature {a}\nSignature-Input: {b}\n\n").into_bytes()
        }),
        proptest::collection::vec(any::<u8>(), 0..300),
        (syntaxy(), syntaxy(), syntaxy()).prop_map(|(a, b, c)| {
            format!(
                "POST /p?{a} HTTP/1.1\nHost: h.example\nSignature-Input: {b}\nSignature: {c}\nSignature: {a}\nContent-Digest: {c}\nDigest: {b}\nDate: Tue, 20 Apr 2021 02:07:55 GMT\n\nbody"
            )
            .into_bytes()
        }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn header_parsers_never_panic(s in syntaxy(), bytes in proptest::collection::vec(any::<u8>(), 0..200)) {
        let l = Limits::DEFAULT;
        let _ = parse_signature_header(&s, &l);
        let _ = parse_authorization(&s, &l);
        let _ = parse_digest(&s, &l);
        let _ = verify_digest(&s, b"x", Backend::default(), &l);
        let _ = parse_content_digest([s.as_bytes()], &l);
        let _ = verify_content_digest([s.as_bytes(), &bytes[..]], b"x", Backend::default(), &l);
        let _ = parse_signature_input([s.as_bytes()], &l);
        let _ = parse_signature_input([&bytes[..]], &l);
        let _ = parse_signature([s.as_bytes(), &bytes[..]], &l);
        let _ = ComponentId::parse(&s);
        let _ = PublicKey::from_multikey(&s);
        let _ = PublicKey::from_pem(&s);
        let _ = PublicKey::from_der(&bytes);
        let _ = UnixTime::parse_http_date(&s);
    }

    #[test]
    fn builders_and_verifier_never_panic(raw in message_bytes(), names in syntaxy(), now in any::<i64>()) {
        let _ = parse_response(&raw);
        let Ok((parts, body)) = parse_request(&raw) else { return Ok(()); };
        let mut out = Vec::new();
        let _ = build_signing_string(
            &parts,
            names.split(' '),
            PseudoValues { algorithm: Some(&names), created: Some("1"), expires: None },
            SigningStringOptions::default(),
            &mut out,
        );
        if let Ok(inputs) = parse_signature_input(
            parts.headers.get_all("signature-input").iter().map(|v| v.as_bytes()),
            &Limits::DEFAULT,
        ) {
            for input in &inputs {
                let _ = build_signature_base(&Message::request(&parts), input, &mut out);
            }
        }
        let key = PublicKey::ed25519_from_bytes(&[
            215, 90, 152, 1, 130, 177, 10, 183, 213, 75, 254, 211, 201, 100, 7, 58,
            14, 225, 114, 243, 218, 166, 35, 37, 175, 2, 26, 104, 247, 7, 81, 26,
        ]).unwrap();
        for policy in [VerifyPolicy::mastodon(), VerifyPolicy::strict(), VerifyPolicy::test_vectors()] {
            let r = Verifier::new(policy).verify_request(&parts, body, now, |_: &str| Some(key.clone()));
            prop_assert!(r.is_err());
        }
    }

    #[test]
    fn cavage_params_round_trip(
        key_id in "[ -~]{1,40}",
        sig in "[A-Za-z0-9+/]{0,40}={0,2}",
        headers in proptest::collection::vec("[a-z-]{1,10}", 1..6),
        created in 0i64..999_999_999_999_999,
    ) {
        let escaped = key_id.replace('\\', "\\\\").replace('"', "\\\"");
        let h = headers.join(" ");
        let text = format!(r#"keyId="{escaped}", algorithm="hs2019",created={created},headers="{h}",signature="{sig}""#);
        let p = parse_signature_header(&text, &Limits::DEFAULT).unwrap();
        prop_assert_eq!(p.key_id.as_ref(), key_id.as_str());
        prop_assert_eq!(p.signature.as_ref(), sig.as_str());
        prop_assert_eq!(p.created.as_ref().map(|c| c.1), Some(created));
        prop_assert_eq!(p.header_names().unwrap().collect::<Vec<_>>(), headers.iter().map(String::as_str).collect::<Vec<_>>());
    }
}
