//! `ActorKeys` (an actor's keys decoded once) against `verify_with_actor` (the actor document
//! walked per object): the two entry points must give the same result — the same verified
//! proof or the same error, pointer included — on every hostile case and on generated actors.

use ed25519_dalek::SigningKey;
use identity_links::fep8b32::{
    ActorKeys, MAX_KEYS_PER_ACTOR, PendingObjectProof, VerifiedProof, sign_object,
};
use identity_links::multibase::encode_base58btc;
use identity_links::multikey::{encode_ed25519_public, encode_rsa_public};
use identity_links::{Error, serde_json};
use proptest::prelude::*;
use serde_json::{Value, json};

const ALICE: &str = "https://a.example/users/alice";
const ALICE_KEY: &str = "https://a.example/users/alice#ed25519-key";
const ALICE_KEY2: &str = "https://a.example/users/alice#key-2";
const ALICE_ELSEWHERE: &str = "https://a.example/keys/1";
const MALLORY: &str = "https://m.example/users/mallory";
const MALLORY_KEY: &str = "https://m.example/users/mallory#ed25519-key";
const CREATED: &str = "2025-06-01T12:00:00Z";

fn alice_key() -> SigningKey {
    SigningKey::from_bytes(&[1; 32])
}
fn mallory_key() -> SigningKey {
    SigningKey::from_bytes(&[2; 32])
}

fn method(id: &str, controller: &str, key: &SigningKey) -> Value {
    json!({"id": id, "type": "Multikey", "controller": controller,
        "publicKeyMultibase": encode_ed25519_public(&key.verifying_key())})
}

fn actor_with(methods: Value) -> Value {
    json!({"id": ALICE, "type": "Person", "assertionMethod": methods})
}

fn alice() -> Value {
    actor_with(json!([method(ALICE_KEY, ALICE, &alice_key())]))
}

fn note(owner: &str) -> Value {
    json!({"@context": ["https://www.w3.org/ns/activitystreams",
            "https://w3id.org/security/data-integrity/v2"],
        "id": "https://a.example/notes/1", "type": "Note", "attributedTo": owner,
        "content": "Hello"})
}

fn signed(owner: &str, key: &SigningKey, vm: &str) -> Value {
    sign_object(&note(owner), key, vm, CREATED).unwrap()
}

/// Both entry points; panics if they disagree; returns the common result.
fn both(object: &Value, actor: &Value) -> Result<VerifiedProof, Error> {
    let pending = PendingObjectProof::new(object)?;
    let direct = pending.verify_with_actor(actor);
    let prepared = ActorKeys::from_actor(actor).and_then(|k| pending.verify_with_keys(&k));
    assert_eq!(direct, prepared, "verify_with_actor vs verify_with_keys");
    direct
}

fn kind(r: Result<VerifiedProof, Error>) -> &'static str {
    match r {
        Ok(_) => "ok",
        Err(e) => e.kind(),
    }
}

#[test]
fn hostile_table_both_entry_points_agree() {
    let alice_signed = signed(ALICE, &alice_key(), ALICE_KEY);
    let rsa = encode_rsa_public(&[0x30, 0x03, 0x02, 0x01, 0x03]);
    let mut short_ed = vec![0xed, 0x01];
    short_ed.extend([9u8; 31]);
    let good = method(ALICE_KEY, ALICE, &alice_key());
    let with = |edit: &dyn Fn(&mut Value)| {
        let mut m = good.clone();
        edit(&mut m);
        actor_with(json!([m]))
    };
    let many = |n: usize| -> Value {
        let mut list: Vec<Value> = (0..n - 1)
            .map(|i| method(&format!("{ALICE}#k{i}"), ALICE, &mallory_key()))
            .collect();
        list.push(good.clone());
        actor_with(Value::Array(list))
    };
    let cases: Vec<(&str, Value, Value, &str)> = vec![
        ("baseline", alice_signed.clone(), alice(), "ok"),
        (
            "wrong controller",
            alice_signed.clone(),
            with(&|m| m["controller"] = MALLORY.into()),
            "controller_mismatch",
        ),
        (
            "no controller",
            alice_signed.clone(),
            with(&|m| {
                m.as_object_mut().unwrap().remove("controller");
            }),
            "controller_mismatch",
        ),
        (
            "controller not a string",
            alice_signed.clone(),
            with(&|m| m["controller"] = json!({"id": ALICE})),
            "controller_mismatch",
        ),
        (
            "key of another actor",
            signed(ALICE, &mallory_key(), MALLORY_KEY),
            alice(),
            "verification_method_not_in_actor",
        ),
        (
            "object owned by another actor",
            signed(MALLORY, &alice_key(), ALICE_KEY),
            alice(),
            "owner_mismatch",
        ),
        (
            "unknown verification method of the actor",
            signed(ALICE, &alice_key(), ALICE_KEY2),
            alice(),
            "verification_method_not_in_actor",
        ),
        (
            "listed with the wrong key",
            signed(ALICE, &mallory_key(), ALICE_KEY),
            alice(),
            "bad_signature",
        ),
        (
            "not a Multikey",
            alice_signed.clone(),
            with(&|m| m["type"] = "JsonWebKey".into()),
            "invalid_verification_method",
        ),
        (
            "type array with Multikey",
            alice_signed.clone(),
            with(&|m| m["type"] = json!(["Multikey", "Other"])),
            "ok",
        ),
        (
            "RSA key where Ed25519 is required",
            alice_signed.clone(),
            with(&|m| m["publicKeyMultibase"] = rsa.clone().into()),
            "unsupported_key_type",
        ),
        (
            "short Ed25519 key",
            alice_signed.clone(),
            with(&|m| m["publicKeyMultibase"] = encode_base58btc(&short_ed).into()),
            "invalid_key",
        ),
        (
            "no z multibase header",
            alice_signed.clone(),
            with(&|m| {
                let mb = m["publicKeyMultibase"].as_str().unwrap()[1..].to_owned();
                m["publicKeyMultibase"] = mb.into();
            }),
            "invalid_multibase",
        ),
        (
            "publicKeyMultibase missing",
            alice_signed.clone(),
            with(&|m| {
                m.as_object_mut().unwrap().remove("publicKeyMultibase");
            }),
            "invalid_verification_method",
        ),
        (
            "CID: listed by value but lives in another document",
            signed(ALICE, &alice_key(), ALICE_ELSEWHERE),
            actor_with(json!([method(ALICE_ELSEWHERE, ALICE, &alice_key())])),
            "wrong_controller_document",
        ),
        (
            "CID: a reference this document does not resolve",
            signed(ALICE, &alice_key(), ALICE_ELSEWHERE),
            actor_with(json!([ALICE_ELSEWHERE])),
            "verification_method_not_in_actor",
        ),
        (
            "reference into verificationMethod",
            alice_signed.clone(),
            json!({"id": ALICE, "assertionMethod": [ALICE_KEY], "verificationMethod": [good]}),
            "ok",
        ),
        (
            "verificationMethod alone does not authorise assertions",
            alice_signed.clone(),
            json!({"id": ALICE, "verificationMethod": [good]}),
            "verification_method_not_in_actor",
        ),
        (
            "single-object assertionMethod",
            alice_signed.clone(),
            actor_with(good.clone()),
            "ok",
        ),
        (
            "first entry with the id wins (broken, then good)",
            alice_signed.clone(),
            actor_with(json!([method(ALICE_KEY, MALLORY, &alice_key()), good])),
            "controller_mismatch",
        ),
        (
            "unresolved reference, then the key by value",
            alice_signed.clone(),
            actor_with(json!([ALICE_KEY, good])),
            "ok",
        ),
        (
            "junk entries are skipped",
            alice_signed.clone(),
            actor_with(json!([1, null, {"type": "Multikey"}, good])),
            "ok",
        ),
        (
            "no assertionMethod",
            alice_signed.clone(),
            json!({"id": ALICE}),
            "verification_method_not_in_actor",
        ),
        (
            "actor not an object",
            alice_signed.clone(),
            json!([ALICE]),
            "invalid_verification_method",
        ),
        (
            "actor without a string id",
            alice_signed.clone(),
            json!({"id": 7, "assertionMethod": [good]}),
            "invalid_verification_method",
        ),
        (
            "exactly the key limit, key last",
            alice_signed.clone(),
            many(MAX_KEYS_PER_ACTOR),
            "ok",
        ),
        (
            "one key over the limit",
            alice_signed.clone(),
            many(MAX_KEYS_PER_ACTOR + 1),
            "limit_exceeded",
        ),
        (
            "verificationMethod over the limit",
            alice_signed.clone(),
            json!({"id": ALICE, "assertionMethod": [good],
                "verificationMethod": vec![good.clone(); MAX_KEYS_PER_ACTOR + 1]}),
            "limit_exceeded",
        ),
    ];
    for (name, object, actor, want) in cases {
        assert_eq!(kind(both(&object, &actor)), want, "{name}");
    }
}

#[test]
fn errors_say_where() {
    let mut a = alice();
    a["assertionMethod"][0]["controller"] = MALLORY.into();
    let e = both(&signed(ALICE, &alice_key(), ALICE_KEY), &a).unwrap_err();
    assert_eq!(
        e,
        Error::ControllerMismatch {
            at: "/assertionMethod/0/controller".into(),
            found: MALLORY.into(),
            expected: ALICE.into(),
        }
    );
    let mut list = vec![json!("x"); MAX_KEYS_PER_ACTOR + 1];
    list[0] = method(ALICE_KEY, ALICE, &alice_key());
    let e = ActorKeys::from_actor(&actor_with(Value::Array(list))).unwrap_err();
    assert_eq!(
        e,
        Error::LimitExceeded {
            at: "/assertionMethod".into(),
            what: "verification methods in one actor document",
            max: MAX_KEYS_PER_ACTOR,
        }
    );
}

#[test]
fn lists_only_usable_methods_in_order() {
    let a = json!({"id": ALICE, "assertionMethod": [
        method(ALICE_KEY2, ALICE, &mallory_key()),
        method(MALLORY_KEY, MALLORY, &mallory_key()),
        ALICE_ELSEWHERE,
        ALICE_KEY,
    ], "verificationMethod": [method(ALICE_KEY, ALICE, &alice_key())]});
    let keys = ActorKeys::from_actor(&a).unwrap();
    assert_eq!(keys.id(), ALICE);
    assert_eq!(
        keys.verification_methods().collect::<Vec<_>>(),
        [ALICE_KEY2, ALICE_KEY]
    );
}

#[test]
fn one_preparation_serves_many_objects() {
    let keys = ActorKeys::from_actor(&alice()).unwrap();
    for i in 0..20 {
        let mut n = note(ALICE);
        n["id"] = format!("https://a.example/notes/{i}").into();
        let o = sign_object(&n, &alice_key(), ALICE_KEY, CREATED).unwrap();
        let p = PendingObjectProof::new(&o).unwrap();
        assert_eq!(p.verify_with_keys(&keys), p.verify_with_actor(&alice()));
        assert_eq!(p.verify_with_keys(&keys).unwrap().actor_id(), ALICE);
    }
}

/// One generated verification method entry (or junk) of Alice's document.
fn entry() -> impl Strategy<Value = Value> {
    let id = prop::sample::select(vec![ALICE_KEY, ALICE_KEY2, ALICE_ELSEWHERE, MALLORY_KEY]);
    let controller = prop::sample::select(vec![Some(ALICE), Some(MALLORY), None]);
    let ty = prop::sample::select(vec![
        json!("Multikey"),
        json!(["Multikey"]),
        json!("JsonWebKey"),
        Value::Null,
    ]);
    let key = prop::sample::select(vec![0u8, 1, 2, 3]);
    prop_oneof![
        4 => (id.clone(), controller, ty, key).prop_map(|(id, c, ty, k)| {
            let mut m = json!({"id": id, "type": ty});
            if let Some(c) = c {
                m["controller"] = c.into();
            }
            m["publicKeyMultibase"] = match k {
                0 => encode_ed25519_public(&alice_key().verifying_key()).into(),
                1 => encode_ed25519_public(&mallory_key().verifying_key()).into(),
                2 => encode_rsa_public(&[0x30, 0x00]).into(),
                _ => "zzzz".into(),
            };
            m
        }),
        2 => id.prop_map(Value::from),
        1 => prop::sample::select(vec![Value::Null, json!(3), json!({"type": "Multikey"})]),
    ]
}

fn methods() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        1 => Just(None),
        1 => entry().prop_map(Some),
        4 => prop::collection::vec(entry(), 0..5).prop_map(|v| Some(Value::Array(v))),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Generated actors × generated objects: the prepared keys and the actor document give the
    /// same result, and one `ActorKeys` reused for several objects gives what a fresh one does.
    #[test]
    fn prepared_keys_agree_with_the_document(
        assertion in methods(),
        verification in methods(),
        signers in prop::collection::vec(
            (prop::sample::select(vec![ALICE, MALLORY]),
             any::<bool>(),
             prop::sample::select(vec![ALICE_KEY, ALICE_KEY2, ALICE_ELSEWHERE, MALLORY_KEY])),
            1..4),
    ) {
        let mut actor = json!({"id": ALICE, "type": "Person"});
        if let Some(a) = assertion {
            actor["assertionMethod"] = a;
        }
        if let Some(v) = verification {
            actor["verificationMethod"] = v;
        }
        let keys = ActorKeys::from_actor(&actor);
        for (owner, by_alice, vm) in signers {
            let key = if by_alice { alice_key() } else { mallory_key() };
            let object = signed(owner, &key, vm);
            let pending = PendingObjectProof::new(&object).unwrap();
            let direct = pending.verify_with_actor(&actor);
            let prepared = keys.clone().and_then(|k| pending.verify_with_keys(&k));
            prop_assert_eq!(&direct, &prepared);
            // And through the sans-IO path when the key document is the actor itself.
            if pending.key_document_url() == ALICE {
                prop_assert_eq!(&pending.verify_with_key_document(&actor, &actor), &direct);
            }
        }
    }
}
