//! Hostile inputs: each must fail with its own reason, none may panic.

use ed25519_dalek::SigningKey;
use identity_links::data_integrity::UnverifiedProof;
use identity_links::did_key::DidKey;
use identity_links::fep_c390::{self, VerificationMethodForm};
use identity_links::fep8b32::{PendingObjectProof, sign_object, verify_object};
use identity_links::jcs::parse_strict;
use identity_links::multibase::{decode_base58btc, encode_base58btc};
use identity_links::multikey::{self, encode_ed25519_public};
use serde_json::{Value, json};

const ALICE: &str = "https://a.example/users/alice";
const ALICE_KEY: &str = "https://a.example/users/alice#ed25519-key";
const MALLORY: &str = "https://m.example/users/mallory";
const MALLORY_KEY: &str = "https://m.example/users/mallory#ed25519-key";
const CREATED: &str = "2025-06-01T12:00:00Z";

fn alice_key() -> SigningKey {
    SigningKey::from_bytes(&[1; 32])
}
fn mallory_key() -> SigningKey {
    SigningKey::from_bytes(&[2; 32])
}

fn actor(id: &str, key_id: &str, key: &SigningKey) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/multikey/v1"],
        "id": id, "type": "Person", "inbox": format!("{id}/inbox"),
        "assertionMethod": [{"id": key_id, "type": "Multikey", "controller": id,
            "publicKeyMultibase": encode_ed25519_public(&key.verifying_key())}]
    })
}

fn note(owner: &str) -> Value {
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v2"],
        "id": "https://a.example/notes/1", "type": "Note", "attributedTo": owner,
        "content": "Hello <b>world</b>", "to": ["https://www.w3.org/ns/activitystreams#Public"]
    })
}

fn signed_by_alice() -> Value {
    sign_object(&note(ALICE), &alice_key(), ALICE_KEY, CREATED).unwrap()
}

fn kind(r: Result<impl std::fmt::Debug, identity_links::Error>) -> &'static str {
    r.expect_err("must fail").kind()
}

/// Re-signs `object` (minus its proof) after `edit` changed the proof options, so that only the
/// rule under test fails, not the signature.
fn resign_with(
    object: &Value,
    key: &SigningKey,
    edit: impl FnOnce(&mut serde_json::Map<String, Value>),
) -> Value {
    use ed25519_dalek::Signer;
    use identity_links::data_integrity::hash_data;
    use identity_links::jcs::canonicalize;
    let mut doc = object.clone();
    let mut proof = doc
        .as_object_mut()
        .unwrap()
        .remove("proof")
        .unwrap()
        .as_object()
        .unwrap()
        .clone();
    proof.remove("proofValue");
    edit(&mut proof);
    let mut hashed_doc = doc.clone();
    if let Some(ctx) = proof.get("@context") {
        hashed_doc["@context"] = ctx.clone();
    }
    let h = hash_data(
        &canonicalize(&Value::Object(proof.clone())).unwrap(),
        &canonicalize(&hashed_doc).unwrap(),
    );
    proof.insert(
        "proofValue".into(),
        encode_base58btc(&key.sign(&h).to_bytes()).into(),
    );
    doc["proof"] = Value::Object(proof);
    doc
}

#[test]
fn baseline_verifies() {
    let p = verify_object(&signed_by_alice(), &actor(ALICE, ALICE_KEY, &alice_key())).unwrap();
    assert_eq!(p.actor_id(), ALICE);
    assert_eq!(p.verification_method(), ALICE_KEY);
    assert_eq!(p.created(), Some(CREATED));
}

#[test]
fn wrong_proof_purpose() {
    let o = resign_with(&signed_by_alice(), &alice_key(), |p| {
        p.insert("proofPurpose".into(), "authentication".into());
    });
    assert_eq!(
        kind(verify_object(&o, &actor(ALICE, ALICE_KEY, &alice_key()))),
        "proof_purpose_mismatch"
    );
}

#[test]
fn verification_method_of_another_actor() {
    // Mallory signs Alice's note with his own key and presents Alice's actor.
    let o = sign_object(&note(ALICE), &mallory_key(), MALLORY_KEY, CREATED).unwrap();
    assert_eq!(
        kind(verify_object(&o, &actor(ALICE, ALICE_KEY, &alice_key()))),
        "verification_method_not_in_actor"
    );
}

#[test]
fn object_owned_by_someone_else() {
    // Mallory signs Alice's note with his key and presents his own actor.
    let o = sign_object(&note(ALICE), &mallory_key(), MALLORY_KEY, CREATED).unwrap();
    assert_eq!(
        kind(verify_object(
            &o,
            &actor(MALLORY, MALLORY_KEY, &mallory_key())
        )),
        "owner_mismatch"
    );
    // Same with an activity whose actor is Alice.
    let activity = json!({"id": "https://m.example/a/1", "type": "Create", "actor": ALICE, "object": "https://a.example/notes/1"});
    let o = sign_object(&activity, &mallory_key(), MALLORY_KEY, CREATED).unwrap();
    assert_eq!(
        kind(verify_object(
            &o,
            &actor(MALLORY, MALLORY_KEY, &mallory_key())
        )),
        "owner_mismatch"
    );
    // No owner at all.
    let o = sign_object(&json!({"type": "Note"}), &alice_key(), ALICE_KEY, CREATED).unwrap();
    assert_eq!(
        kind(verify_object(&o, &actor(ALICE, ALICE_KEY, &alice_key()))),
        "owner_unknown"
    );
}

#[test]
fn controller_mismatch() {
    let mut a = actor(ALICE, ALICE_KEY, &alice_key());
    a["assertionMethod"][0]["controller"] = MALLORY.into();
    assert_eq!(
        kind(verify_object(&signed_by_alice(), &a)),
        "controller_mismatch"
    );
    a["assertionMethod"][0]
        .as_object_mut()
        .unwrap()
        .remove("controller");
    assert_eq!(
        kind(verify_object(&signed_by_alice(), &a)),
        "controller_mismatch"
    );
}

#[test]
fn key_not_multikey_or_not_ed25519() {
    let mut a = actor(ALICE, ALICE_KEY, &alice_key());
    a["assertionMethod"][0]["type"] = "JsonWebKey".into();
    assert_eq!(
        kind(verify_object(&signed_by_alice(), &a)),
        "invalid_verification_method"
    );
    let mut a = actor(ALICE, ALICE_KEY, &alice_key());
    a["assertionMethod"][0]["publicKeyMultibase"] =
        multikey::encode_rsa_public(&[0x30, 0x03, 0x02, 0x01, 0x03]).into();
    assert_eq!(
        kind(verify_object(&signed_by_alice(), &a)),
        "unsupported_key_type"
    );
    // secp256k1 prefix 0xe7 0x01.
    let mut raw = vec![0xe7, 0x01];
    raw.extend([2u8; 33]);
    a["assertionMethod"][0]["publicKeyMultibase"] = encode_base58btc(&raw).into();
    assert_eq!(
        kind(verify_object(&signed_by_alice(), &a)),
        "unsupported_key_type"
    );
    // Ed25519 prefix with a short or long key.
    for len in [31, 33] {
        let mut raw = vec![0xed, 0x01];
        raw.extend(vec![9u8; len]);
        a["assertionMethod"][0]["publicKeyMultibase"] = encode_base58btc(&raw).into();
        assert_eq!(kind(verify_object(&signed_by_alice(), &a)), "invalid_key");
    }
    // publicKeyMultibase without the z header (FEP-521a test case).
    a["assertionMethod"][0]["publicKeyMultibase"] =
        "6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2".into();
    assert_eq!(
        kind(verify_object(&signed_by_alice(), &a)),
        "invalid_multibase"
    );
    // assertionMethod missing entirely.
    a.as_object_mut().unwrap().remove("assertionMethod");
    assert_eq!(
        kind(verify_object(&signed_by_alice(), &a)),
        "verification_method_not_in_actor"
    );
}

#[test]
fn single_object_assertion_method_and_reference() {
    let mut a = actor(ALICE, ALICE_KEY, &alice_key());
    let entry = a["assertionMethod"][0].clone();
    a["assertionMethod"] = entry.clone();
    verify_object(&signed_by_alice(), &a).unwrap();
    // By reference into verificationMethod.
    a["assertionMethod"] = json!([ALICE_KEY]);
    a["verificationMethod"] = json!([entry]);
    verify_object(&signed_by_alice(), &a).unwrap();
}

#[test]
fn context_not_prefix() {
    let o = resign_with(&signed_by_alice(), &alice_key(), |p| {
        p.insert(
            "@context".into(),
            json!(["https://w3id.org/security/data-integrity/v2"]),
        );
    });
    assert_eq!(
        kind(verify_object(&o, &actor(ALICE, ALICE_KEY, &alice_key()))),
        "context_not_prefix"
    );
}

#[test]
fn tampered_content_and_proof() {
    let a = actor(ALICE, ALICE_KEY, &alice_key());
    let mut o = signed_by_alice();
    o["content"] = "Hello <b>mallory</b>".into();
    assert_eq!(kind(verify_object(&o, &a)), "bad_signature");
    let mut o = signed_by_alice();
    o["proof"]["created"] = "2025-06-01T12:00:01Z".into();
    assert_eq!(kind(verify_object(&o, &a)), "bad_signature");
    let mut o = signed_by_alice();
    o["proof"]["extra"] = "unknown members are hashed too".into();
    assert_eq!(kind(verify_object(&o, &a)), "bad_signature");
    // Adding an LD signature object afterwards is allowed (removed before verifying).
    let mut o = signed_by_alice();
    o["signature"] = json!({"type": "RsaSignature2017", "signatureValue": "x"});
    verify_object(&o, &a).unwrap();
}

#[test]
fn proof_value_encodings() {
    let a = actor(ALICE, ALICE_KEY, &alice_key());
    let good = signed_by_alice();
    let pv = good["proof"]["proofValue"].as_str().unwrap().to_owned();
    let raw = decode_base58btc(&pv).unwrap();
    let cases = [
        (pv.trim_start_matches('z').to_owned(), "invalid_multibase"),
        (format!("u{}", "A".repeat(86)), "invalid_multibase"),
        (encode_base58btc(&raw[..63]), "invalid_multibase"),
        (
            encode_base58btc(&[raw.as_slice(), &[0]].concat()),
            "invalid_multibase",
        ),
        ("z0OIl".to_owned(), "invalid_multibase"),
        ("z".to_owned(), "invalid_multibase"),
        (format!("z{}", "1".repeat(5000)), "invalid_multibase"),
    ];
    for (value, want) in cases {
        let mut o = good.clone();
        o["proof"]["proofValue"] = value.clone().into();
        assert_eq!(kind(verify_object(&o, &a)), want, "{value}");
    }
    let mut o = good.clone();
    o["proof"]["proofValue"] = json!(42);
    assert_eq!(kind(verify_object(&o, &a)), "malformed_proof");
}

#[test]
fn cryptosuites_and_types() {
    let a = actor(ALICE, ALICE_KEY, &alice_key());
    for (field, value, want) in [
        (
            "cryptosuite",
            json!("eddsa-rdfc-2022"),
            "unsupported_cryptosuite",
        ),
        (
            "cryptosuite",
            json!("ecdsa-jcs-2019"),
            "unsupported_cryptosuite",
        ),
        ("cryptosuite", json!(null), "malformed_proof"),
        (
            "type",
            json!("Ed25519Signature2020"),
            "unsupported_proof_type",
        ),
        ("type", json!(["DataIntegrityProof"]), "malformed_proof"),
        (
            "verificationMethod",
            json!({"id": ALICE_KEY}),
            "malformed_proof",
        ),
        ("created", json!("yesterday"), "invalid_created"),
    ] {
        let mut o = signed_by_alice();
        o["proof"][field] = value;
        assert_eq!(kind(verify_object(&o, &a)), want, "{field}");
    }
    let mut o = signed_by_alice();
    o.as_object_mut().unwrap().remove("proof");
    assert_eq!(kind(verify_object(&o, &a)), "missing_proof");
    let mut o = signed_by_alice();
    let p = o["proof"].clone();
    o["proof"] = json!([p.clone(), p]);
    assert_eq!(kind(verify_object(&o, &a)), "malformed_proof");
    // A one-element proof array is the same proof.
    let mut o = signed_by_alice();
    o["proof"] = json!([o["proof"].clone()]);
    verify_object(&o, &a).unwrap();
    // Not objects at all.
    for doc in [json!(null), json!([1]), json!("x"), json!({"proof": 1})] {
        assert!(verify_object(&doc, &a).is_err());
    }
}

#[test]
fn verification_method_urls() {
    let a = actor(ALICE, ALICE_KEY, &alice_key());
    for vm in [
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "not a url",
        "ftp://a.example/k",
    ] {
        let o = sign_object(&note(ALICE), &alice_key(), vm, CREATED).unwrap();
        assert_eq!(
            kind(verify_object(&o, &a)),
            "invalid_verification_method",
            "{vm}"
        );
    }
    // A key the actor lists by value but whose id lives in another document: CID requires
    // dereferencing that document.
    let elsewhere = "https://keys.example/alice";
    let mut a2 = a.clone();
    a2["assertionMethod"][0]["id"] = elsewhere.into();
    let o = sign_object(&note(ALICE), &alice_key(), elsewhere, CREATED).unwrap();
    assert_eq!(kind(verify_object(&o, &a2)), "wrong_controller_document");
}

#[test]
fn sans_io_key_document() {
    let key_url = "https://a.example/keys/1";
    let key_doc = json!({"id": key_url, "type": "Multikey", "controller": ALICE,
        "publicKeyMultibase": encode_ed25519_public(&alice_key().verifying_key())});
    let mut a = actor(ALICE, ALICE_KEY, &alice_key());
    a["assertionMethod"] = json!([key_url]);
    let o = sign_object(&note(ALICE), &alice_key(), key_url, CREATED).unwrap();
    let pending = PendingObjectProof::new(&o).unwrap();
    assert_eq!(pending.key_document_url(), key_url);
    assert_eq!(pending.owner(), ALICE);
    let p = pending.verify_with_key_document(&key_doc, &a).unwrap();
    assert_eq!(p.actor_id(), ALICE);
    // The wrong document for the URL.
    assert_eq!(
        kind(pending.verify_with_key_document(&a, &a)),
        "wrong_controller_document"
    );
    // The actor does not claim the key.
    let stranger = actor(ALICE, ALICE_KEY, &alice_key());
    assert_eq!(
        kind(pending.verify_with_key_document(&key_doc, &stranger)),
        "verification_method_not_in_actor"
    );
    // The key document names another controller.
    let mut kd = key_doc.clone();
    kd["controller"] = MALLORY.into();
    assert_eq!(
        kind(pending.verify_with_key_document(&kd, &a)),
        "controller_mismatch"
    );
}

fn statement(key: &SigningKey, actor_id: &str) -> Value {
    fep_c390::create_identity_proof(actor_id, key, CREATED, VerificationMethodForm::BareDid)
        .unwrap()
}

#[test]
fn identity_proofs_each_attachment_judged_alone() {
    let did_key = SigningKey::from_bytes(&[3; 32]);
    let good = statement(&did_key, ALICE);
    let mut tampered = good.clone();
    tampered["proof"]["created"] = "2025-06-01T12:00:01Z".into();
    let other_actor = statement(&did_key, MALLORY);
    let mut wrong_vm = good.clone();
    wrong_vm["proof"]["verificationMethod"] =
        DidKey::from_verifying_key(&mallory_key().verifying_key())
            .as_str()
            .into();
    let mut bad_fragment = good.clone();
    bad_fragment["proof"]["verificationMethod"] =
        format!("{}#key-1", good["subject"].as_str().unwrap()).into();
    let mut rdfc = good.clone();
    rdfc["proof"]["cryptosuite"] = "eddsa-rdfc-2022".into();
    let eip191 = json!({"type": "VerifiableIdentityStatement", "subject": "did:pkh:eip155:1:0xb9c5714089478a327f09197987f16f9e5d936e8a",
        "alsoKnownAs": ALICE, "proof": {"type": "MitraJcsEip191Signature2022", "proofPurpose": "assertionMethod",
        "verificationMethod": "did:pkh:eip155:1:0xb9c5714089478a327f09197987f16f9e5d936e8a", "proofValue": "0x00"}});
    let minisign = json!({"type": "VerifiableIdentityStatement", "subject": good["subject"], "alsoKnownAs": ALICE,
        "proof": {"type": "MitraJcsEd25519Signature2022", "proofValue": "RWS..."}});
    let pkh_di = json!({"type": ["VerifiableIdentityStatement"], "subject": "did:pkh:eip155:1:0xab", "alsoKnownAs": ALICE,
        "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "proofPurpose": "assertionMethod",
        "verificationMethod": "did:pkh:eip155:1:0xab", "proofValue": good["proof"]["proofValue"]}});
    let no_subject = json!({"type": "VerifiableIdentityStatement", "alsoKnownAs": ALICE, "proof": good["proof"]});
    let actor = json!({"id": ALICE, "type": "Person", "attachment": [
        {"type": "PropertyValue", "name": "Blog", "value": "https://blog.example"},
        good, tampered, other_actor, wrong_vm, bad_fragment, rdfc, eip191, minisign, pkh_di, no_subject, "junk"
    ]});
    let outcomes = fep_c390::verify_actor_identity_proofs(&actor).unwrap();
    let got: Vec<(usize, &str)> = outcomes
        .iter()
        .map(|o| {
            (
                o.index,
                o.result.as_ref().map_or_else(|e| e.kind(), |_| "ok"),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (1, "ok"),
            (2, "bad_signature"),
            (3, "also_known_as_mismatch"),
            (4, "subject_mismatch"),
            (5, "invalid_did_key"),
            (6, "unsupported_cryptosuite"),
            (7, "unsupported_proof_type"),
            (8, "unsupported_proof_type"),
            (9, "unsupported_did"),
            (10, "malformed_identity_statement"),
        ]
    );
    assert!(outcomes[6].result.as_ref().unwrap_err().is_unsupported());
    assert!(!outcomes[1].result.as_ref().unwrap_err().is_unsupported());
    assert_eq!(fep_c390::verified_links(&outcomes).len(), 1);
    // Errors point into the actor document.
    let e = outcomes[1].result.as_ref().unwrap_err();
    assert_eq!(e.kind(), "bad_signature");
    match outcomes[5].result.as_ref().unwrap_err() {
        identity_links::Error::UnsupportedCryptosuite { at, .. } => {
            assert_eq!(at, "/attachment/6/proof/cryptosuite")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn legacy_cryptosuite_verifies() {
    // jcs-eddsa-2022 (2023 drafts, accepted by Mitra): same math, no @context.
    let did_key = SigningKey::from_bytes(&[3; 32]);
    let s = resign_with(&statement(&did_key, ALICE), &did_key, |p| {
        p.insert("cryptosuite".into(), "jcs-eddsa-2022".into());
    });
    let link = fep_c390::verify_identity_statement(&s, ALICE).unwrap();
    assert_eq!(link.cryptosuite().as_str(), "jcs-eddsa-2022");
}

#[test]
fn did_key_and_multikey_syntax() {
    let good = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
    DidKey::parse(good).unwrap();
    for bad in [
        "",
        "did:key:",
        "did:key:z",
        "DID:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "did:web:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ",
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ22",
        "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2#x",
        "did:key:zQ3shokFTS3brHcDQrn82RUDfCZESWL1ZdCEJwekUDPQiYBme",
        "did:key:z6Mk0JVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2",
        "did:key:u7QGwDY2Tjn93PVFWWq02piP1NE9_XRlg-c8-jhJiDqKBDw",
    ] {
        assert!(DidKey::parse(bad).is_err(), "{bad}");
    }
    assert_eq!(
        DidKey::from_verification_method(&format!(
            "{good}#z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        ))
        .unwrap()
        .as_str(),
        good
    );
    assert_eq!(
        kind(DidKey::from_verification_method(&format!("{good}#key-1"))),
        "invalid_did_key"
    );
    for bad in ["", "z", "f00", "zzzz", "z6Mk", "z0", "uAAAA"] {
        assert!(multikey::decode_public(bad).is_err(), "{bad}");
    }
}

#[test]
fn strict_json() {
    for (input, want) in [
        (&br#"{"a":1,"a":2}"#[..], "duplicate_key"),
        (br#"{"x":{"b":[{"a":1,"a":1}]}}"#, "duplicate_key"),
        (br#"{"a":"\ud800"}"#, "invalid_json"),
        (br#"{"a":"\udc00\ud800"}"#, "invalid_json"),
        (b"[NaN]", "invalid_json"),
        (b"[Infinity]", "invalid_json"),
        (b"[1E400]", "invalid_json"),
        (b"[-1e99999]", "invalid_json"),
        (b"{} {}", "invalid_json"),
        (b"\xff", "invalid_json"),
    ] {
        assert_eq!(
            kind(parse_strict(input)),
            want,
            "{}",
            String::from_utf8_lossy(input)
        );
    }
    match parse_strict(br#"{"x":{"b":[{"a":1,"a":1}]}}"#).unwrap_err() {
        identity_links::Error::DuplicateKey { at, name } => {
            assert_eq!((at.as_str(), name.as_str()), ("/x/b/0", "a"));
        }
        other => panic!("{other:?}"),
    }
    let deep = "[".repeat(100) + &"]".repeat(100);
    assert_eq!(kind(parse_strict(deep.as_bytes())), "limit_exceeded");
    let big = vec![b' '; identity_links::jcs::MAX_DOCUMENT_BYTES + 1];
    assert_eq!(kind(parse_strict(&big)), "limit_exceeded");
}

#[test]
fn unverified_proof_is_total_on_odd_documents() {
    for doc in [
        json!({}),
        json!({"proof": {}}),
        json!({"proof": {"type": 1}}),
        json!({"proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022", "verificationMethod": "x",
            "proofPurpose": "assertionMethod", "proofValue": "z1", "@context": []}}),
        json!({"@context": 5, "proof": {"type": "DataIntegrityProof", "cryptosuite": "eddsa-jcs-2022",
            "verificationMethod": "x", "proofPurpose": "assertionMethod",
            "proofValue": encode_base58btc(&[0; 64]), "@context": 5}}),
    ] {
        let _ = UnverifiedProof::from_secured(&doc);
    }
}
