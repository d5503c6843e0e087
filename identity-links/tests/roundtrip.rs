//! Property tests: sign → verify round trips, JCS against an independent reference, and
//! totality (no panic) of every parser on arbitrary input.

use ed25519_dalek::SigningKey;
use identity_links::data_integrity::UnverifiedProof;
use identity_links::did_key::DidKey;
use identity_links::fep_c390::{self, VerificationMethodForm};
use identity_links::fep8b32::{sign_object, verify_object};
use identity_links::jcs::{canonicalize, parse_strict};
use identity_links::multibase::{decode_base58btc, encode_base58btc};
use identity_links::multikey::{self, encode_ed25519_public};
use proptest::prelude::*;
use serde_json::{Map, Number, Value, json};

const ALICE: &str = "https://a.example/users/alice";
const ALICE_KEY: &str = "https://a.example/users/alice#ed25519-key";

/// Numbers the reference can format without an ECMAScript number printer: integers below
/// 2^53 and multiples of 1/8 or 1/1000 of magnitude at least 0.001 and below 1e15 (Rust's
/// shortest round-trip `Display` then agrees with ECMAScript Number::toString).
fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-(1i64 << 53) + 1..(1i64 << 53)).prop_map(Value::from),
        (-(1i64 << 40)..(1i64 << 40))
            .prop_map(|i| Value::Number(Number::from_f64(i as f64 / 8.0).unwrap())),
        (-(1i64 << 40)..(1i64 << 40))
            .prop_map(|i| Value::Number(Number::from_f64(i as f64 / 1000.0).unwrap())),
    ]
}

fn string() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z@#]{0,8}",
        any::<String>(),
        proptest::collection::vec(
            prop_oneof![
                Just('\u{0}'),
                Just('\u{1f}'),
                Just('"'),
                Just('\\'),
                Just('\u{7f}'),
                Just('\u{80}'),
                Just('\u{20ac}'),
                Just('\u{fb33}'),
                Just('\u{1f600}'),
                Just('\r'),
                Just('\n'),
                Just('/')
            ],
            0..6
        )
        .prop_map(|v| v.into_iter().collect()),
    ]
}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            proptest::collection::btree_map(string(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn json_object() -> impl Strategy<Value = Map<String, Value>> {
    proptest::collection::btree_map(string(), json_value(), 0..8)
        .prop_map(|m| m.into_iter().collect())
}

// ---- independent reference canonicaliser (RFC 8785 for the values generated above) ----

fn ref_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\u{c}' => out.push_str("\\f"),
            '\r' => out.push_str("\\r"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

fn ref_number(n: &Number) -> String {
    if let Some(i) = n.as_i64() {
        return i.to_string();
    }
    if let Some(u) = n.as_u64() {
        return u.to_string();
    }
    let x = n.as_f64().unwrap();
    if x == 0.0 {
        "0".to_owned()
    } else {
        format!("{x}")
    }
}

fn reference(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&ref_number(n)),
        Value::String(s) => ref_string(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                reference(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut members: Vec<(&String, &Value)> = m.iter().collect();
            members.sort_by(|a, b| a.0.encode_utf16().cmp(b.0.encode_utf16()));
            out.push('{');
            for (i, (k, x)) in members.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                ref_string(k, out);
                out.push(':');
                reference(x, out);
            }
            out.push('}');
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn jcs_matches_reference(v in json_value()) {
        let mut want = String::new();
        reference(&v, &mut want);
        let got = canonicalize(&v).unwrap();
        prop_assert_eq!(String::from_utf8(got.clone()).unwrap(), want);
        // Canonical output parses back strictly and is a fixed point.
        let back = parse_strict(&got).unwrap();
        prop_assert_eq!(canonicalize(&back).unwrap(), got);
    }

}

proptest! {
    // Ed25519 in a debug build costs milliseconds per operation.
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn sign_then_verify(mut m in json_object(), seed in any::<[u8; 32]>(), tamper in string()) {
        let key = SigningKey::from_bytes(&seed);
        m.remove("proof");
        m.remove("signature");
        m.insert("attributedTo".into(), ALICE.into());
        m.insert("@context".into(), json!(["https://www.w3.org/ns/activitystreams"]));
        let object = Value::Object(m);
        let actor = json!({"id": ALICE, "type": "Person", "assertionMethod": [{"id": ALICE_KEY,
            "type": "Multikey", "controller": ALICE, "publicKeyMultibase": encode_ed25519_public(&key.verifying_key())}]});
        let signed = sign_object(&object, &key, ALICE_KEY, "2025-01-01T00:00:00Z").unwrap();
        let p = verify_object(&signed, &actor).unwrap();
        prop_assert_eq!(p.actor_id(), ALICE);
        // Through text and back: still verifies.
        let reparsed = parse_strict(serde_json::to_string_pretty(&signed).unwrap().as_bytes()).unwrap();
        prop_assert!(verify_object(&reparsed, &actor).is_ok());
        // Any added member breaks it.
        let mut tampered = signed.clone();
        if !["proof", "signature", "@context", "attributedTo"].contains(&tamper.as_str())
            && tampered.get(&tamper).is_none()
        {
            tampered[tamper.as_str()] = Value::Null;
            prop_assert_eq!(verify_object(&tampered, &actor).unwrap_err().kind(), "bad_signature");
        }
    }

    #[test]
    fn identity_proof_round_trip(seed in any::<[u8; 32]>(), did_url in any::<bool>(), path in "[a-z]{1,12}") {
        let key = SigningKey::from_bytes(&seed);
        let actor_id = format!("https://a.example/users/{path}");
        let form = if did_url { VerificationMethodForm::DidUrl } else { VerificationMethodForm::BareDid };
        let statement = fep_c390::create_identity_proof(&actor_id, &key, "2025-01-01T00:00:00Z", form).unwrap();
        let actor = json!({"id": actor_id, "attachment": [statement]});
        let outcomes = fep_c390::verify_actor_identity_proofs(&actor).unwrap();
        prop_assert_eq!(outcomes.len(), 1);
        let link = outcomes[0].result.as_ref().unwrap();
        let did = DidKey::from_verifying_key(&key.verifying_key());
        prop_assert_eq!(link.subject(), did.as_str());
    }

    #[test]
    fn verifiers_are_total(doc in json_value(), proof in json_object(), actor in json_object()) {
        let mut secured = match doc { Value::Object(m) => m, other => { let mut m = Map::new(); m.insert("x".into(), other); m } };
        secured.insert("proof".into(), Value::Object(proof));
        let secured = Value::Object(secured);
        let actor = Value::Object(actor);
        let _ = UnverifiedProof::from_secured(&secured);
        let _ = verify_object(&secured, &actor);
        let _ = fep_c390::verify_statement_proof(&secured);
        let _ = fep_c390::verify_actor_identity_proofs(&json!({"id": ALICE, "attachment": [secured.clone(), secured]}));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn multibase_round_trip(bytes in proptest::collection::vec(any::<u8>(), 1..128)) {
        prop_assert_eq!(decode_base58btc(&encode_base58btc(&bytes)).unwrap(), bytes);
    }

    #[test]
    fn string_parsers_are_total(s in any::<String>()) {
        let _ = parse_strict(s.as_bytes());
        let _ = decode_base58btc(&s);
        let _ = multikey::decode_public(&s);
        let _ = multikey::decode_ed25519_secret(&s);
        let _ = DidKey::parse(&s);
        let _ = DidKey::from_verification_method(&s);
        let z = format!("z{s}");
        let _ = multikey::decode_public(&z);
        let _ = DidKey::parse(&format!("did:key:{s}"));
    }

    #[test]
    fn byte_parser_is_total(bytes in proptest::collection::vec(any::<u8>(), 0..256)) {
        let _ = parse_strict(&bytes);
    }
}
