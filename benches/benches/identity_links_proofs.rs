//! identity-links: FEP-8b32 / eddsa-jcs-2022 verification of a 2 KiB object, timed beside
//! `ed25519-dalek`'s `verify_strict` on a message of the same size; and the same verification
//! against the actor's keys prepared once (`ActorKeys`), as archive and batch callers do.

use criterion::{Criterion, criterion_group, criterion_main};
use identity_links::ed25519_dalek::{Signer, SigningKey};
use identity_links::fep8b32::{ActorKeys, PendingObjectProof, sign_object, verify_object};
use identity_links::jcs::canonicalize;
use identity_links::multikey::encode_ed25519_public;
use identity_links::serde_json::{Value, json};
use std::hint::black_box;

const ACTOR: &str = "https://a.example/users/alice";
const KEY_ID: &str = "https://a.example/users/alice#ed25519-key";

/// A Create{Note} of about 2 KiB once canonicalised (tags, mentions, HTML content).
fn object() -> Value {
    let content =
        "<p>Lorem ipsum dolor sit amet, ünïcödé 😀 consectetur adipiscing elit.</p>".repeat(14);
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v2"],
        "id": "https://a.example/activities/1", "type": "Create", "actor": ACTOR,
        "published": "2025-06-01T12:00:00Z",
        "to": ["https://www.w3.org/ns/activitystreams#Public"], "cc": [format!("{ACTOR}/followers")],
        "object": {
            "id": "https://a.example/notes/1", "type": "Note", "attributedTo": ACTOR,
            "content": content, "sensitive": false, "published": "2025-06-01T12:00:00Z",
            "tag": [{"type": "Mention", "href": "https://b.example/users/bob", "name": "@bob@b.example"},
                    {"type": "Hashtag", "href": "https://a.example/tags/rust", "name": "#rust"}],
            "location": {"type": "Place", "latitude": 25.273962, "longitude": -71.184902}
        }
    })
}

fn bench(c: &mut Criterion) {
    let key = SigningKey::from_bytes(&[42; 32]);
    let actor = json!({"id": ACTOR, "type": "Person", "assertionMethod": [{"id": KEY_ID, "type": "Multikey",
        "controller": ACTOR, "publicKeyMultibase": encode_ed25519_public(&key.verifying_key())}]});
    let signed = sign_object(&object(), &key, KEY_ID, "2025-06-01T12:00:00Z").expect("sign");
    let message = canonicalize(&signed).expect("jcs");
    assert!(
        (1900..2300).contains(&message.len()),
        "object is {} bytes",
        message.len()
    );
    let signature = key.sign(&message);
    let verifying = key.verifying_key();
    verify_object(&signed, &actor).expect("verifies");

    let mut group = c.benchmark_group("identity_links_proofs");
    group.bench_function("eddsa_jcs_2022_verify_object_2KiB", |b| {
        b.iter(|| verify_object(black_box(&signed), black_box(&actor)).expect("verifies"))
    });
    let keys = ActorKeys::from_actor(&actor).expect("keys");
    group.bench_function("eddsa_jcs_2022_verify_with_keys_2KiB", |b| {
        b.iter(|| {
            PendingObjectProof::new(black_box(&signed))
                .and_then(|p| p.verify_with_keys(black_box(&keys)))
                .expect("verifies")
        })
    });
    group.bench_function("actor_keys_from_actor", |b| {
        b.iter(|| ActorKeys::from_actor(black_box(&actor)).expect("keys"))
    });
    group.bench_function("ed25519_verify_strict_2KiB", |b| {
        b.iter(|| {
            verifying
                .verify_strict(black_box(&message), black_box(&signature))
                .expect("verifies")
        })
    });
    group.bench_function("jcs_canonicalize_2KiB", |b| {
        b.iter(|| canonicalize(black_box(&signed)).expect("jcs"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
