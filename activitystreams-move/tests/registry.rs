//! Caller-registered context documents (`ContextRegistry`) and the bundled W3C `cid/v1` context:
//! registered documents are judged like inline contexts, hostile ones are refused with the
//! pointer of the entry that references them, and caches never mix registries.

use activitystreams_move::{
    Actor, ContextRegistry, Document, ReadOptions, RegistryLimits, classify_context,
};
use serde_json::{Value, json};

const NS: &str = "https://social.example/ns";

fn actor_doc(context: Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "@context": context,
        "id": "https://social.example/users/alice",
        "type": "Person",
        "inbox": "https://social.example/users/alice/inbox",
        "alsoKnownAs": ["https://old.example/users/alice"],
        "movedTo": "https://new.example/users/alice"
    }))
    .unwrap()
}

fn registry(url: &str, document: Value) -> ContextRegistry {
    let mut r = ContextRegistry::new();
    r.register(url, &serde_json::to_vec(&document).unwrap())
        .unwrap();
    r
}

fn benign() -> ContextRegistry {
    registry(
        NS,
        json!({"@context": {
            "as": "https://www.w3.org/ns/activitystreams#",
            "movedTo": {"@id": "as:movedTo", "@type": "@id"},
            "discoverable": "http://joinmastodon.org/ns#discoverable"
        }}),
    )
}

fn read(doc: &[u8], r: &ContextRegistry) -> Result<Actor, activitystreams_move::Error> {
    Actor::from_slice_with(doc, &ReadOptions::default(), r)
}

#[test]
fn unregistered_url_is_still_unknown() {
    let doc = actor_doc(json!(["https://www.w3.org/ns/activitystreams", NS]));
    let err = Actor::from_slice(&doc, &ReadOptions::default()).unwrap_err();
    assert_eq!(
        (err.kind(), err.at()),
        ("unknown_context", Some("/@context/1"))
    );
    // A registry holding another URL does not help either.
    let other = registry("https://other.example/ns", json!({"@context": {}}));
    let err = read(&doc, &other).unwrap_err();
    assert_eq!(err.kind(), "unknown_context");
}

#[test]
fn benign_registered_context_reads_and_defines_moved_to() {
    let doc = actor_doc(json!(["https://www.w3.org/ns/activitystreams", NS]));
    let r = benign();
    let actor = read(&doc, &r).unwrap();
    assert_eq!(actor.moved_to(), Some("https://new.example/users/alice"));
    assert!(
        actor
            .also_known_as
            .contains("https://old.example/users/alice")
    );
    let verdict = actor.read_info.verdict().unwrap();
    assert!(verdict.defines("movedTo"));
    assert_eq!(verdict.registered_urls(), [NS.to_string()]);
    // Strict reading accepts it too: the registered context defines movedTo.
    assert!(Actor::from_slice_with(&doc, &ReadOptions::strict(), &r).is_ok());
    // And the same document through `Document`.
    assert!(matches!(
        Document::from_slice_with(&doc, &ReadOptions::default(), &r),
        Ok(Document::Actor(_))
    ));
}

#[test]
fn hostile_registered_context_redefining_moved_to_is_refused_at_its_entry() {
    let doc = actor_doc(json!(["https://www.w3.org/ns/activitystreams", NS]));
    let r = registry(
        NS,
        json!({"@context": {"movedTo": {"@id": "https://evil.example/ns#movedTo", "@type": "@id"}}}),
    );
    let err = read(&doc, &r).unwrap_err();
    assert_eq!(
        err.to_string(),
        "context_redefines_term at /@context/1: movedTo"
    );
}

#[test]
fn hostile_registered_context_redefining_also_known_as_is_refused() {
    let doc = actor_doc(json!(["https://www.w3.org/ns/activitystreams", NS]));
    let r = registry(
        NS,
        json!({"@context": {"alsoKnownAs": "https://evil.example/ns#aliases"}}),
    );
    let err = read(&doc, &r).unwrap_err();
    assert_eq!(
        (err.kind(), err.at()),
        ("context_redefines_term", Some("/@context/1"))
    );
    assert!(err.to_string().ends_with("alsoKnownAs"), "{err}");
}

#[test]
fn hostile_registered_alias_of_also_known_as_is_refused() {
    // Lemmy's old `matrixUserId` trick, served from a remote document instead of inline.
    let doc = actor_doc(json!([NS, "https://www.w3.org/ns/activitystreams"]));
    let r = registry(
        NS,
        json!({"@context": {
            "matrixUserId": {"@id": "https://www.w3.org/ns/activitystreams#alsoKnownAs"}
        }}),
    );
    let err = read(&doc, &r).unwrap_err();
    assert_eq!(
        (err.kind(), err.at()),
        ("context_aliases_term", Some("/@context/0"))
    );
}

#[test]
fn hostile_keywords_in_a_registered_context_are_refused() {
    let doc = actor_doc(json!(["https://www.w3.org/ns/activitystreams", NS]));
    for (ctx, kind) in [
        (
            json!({"@import": "https://evil.example/ctx"}),
            "context_keyword",
        ),
        (json!({"@base": "https://evil.example/"}), "context_keyword"),
        (json!({"aka": "@id"}), "context_aliases_term"),
        (json!({"movedTo": null}), "context_redefines_term"),
    ] {
        let r = registry(NS, json!({ "@context": ctx }));
        let err = read(&doc, &r).unwrap_err();
        assert_eq!((err.kind(), err.at()), (kind, Some("/@context/1")), "{ctx}");
    }
}

#[test]
fn a_registered_context_referencing_a_hostile_one_is_refused_at_the_outer_entry() {
    let mut r = ContextRegistry::new();
    r.register(
        NS,
        br#"{"@context": ["https://w3id.org/security/v1", "https://evil.example/inner"]}"#,
    )
    .unwrap();
    r.register(
        "https://evil.example/inner",
        br#"{"@context": {"movedTo": "https://evil.example/moved"}}"#,
    )
    .unwrap();
    let doc = actor_doc(json!(["https://www.w3.org/ns/activitystreams", NS]));
    let err = read(&doc, &r).unwrap_err();
    assert_eq!(
        err.to_string(),
        "context_redefines_term at /@context/1: movedTo"
    );
}

#[test]
fn registered_reference_cycles_end_in_an_error() {
    let mut r = ContextRegistry::new();
    r.register(NS, br#"{"@context": "https://social.example/b"}"#)
        .unwrap();
    r.register(
        "https://social.example/b",
        br#"{"@context": "https://social.example/ns"}"#,
    )
    .unwrap();
    let doc = actor_doc(json!(["https://www.w3.org/ns/activitystreams", NS]));
    let err = read(&doc, &r).unwrap_err();
    assert_eq!(
        (err.kind(), err.at()),
        ("invalid_context", Some("/@context/1"))
    );
}

#[test]
fn verdicts_are_cached_per_registry_and_invalidated_on_registration() {
    let doc = actor_doc(json!(["https://www.w3.org/ns/activitystreams", NS]));
    let good = benign();
    let evil = registry(
        NS,
        json!({"@context": {"movedTo": "https://evil.example/m"}}),
    );
    for _ in 0..3 {
        assert!(read(&doc, &good).is_ok());
        assert_eq!(
            read(&doc, &evil).unwrap_err().kind(),
            "context_redefines_term"
        );
        assert_eq!(
            Actor::from_slice(&doc, &ReadOptions::default())
                .unwrap_err()
                .kind(),
            "unknown_context"
        );
    }
    // Replacing the document changes the verdict at once.
    let mut changing = benign();
    assert!(read(&doc, &changing).is_ok());
    changing
        .register(
            NS,
            br#"{"@context": {"movedTo": "https://evil.example/m"}}"#,
        )
        .unwrap();
    assert_eq!(
        read(&doc, &changing).unwrap_err().kind(),
        "context_redefines_term"
    );
    // `classify` answers like the reader.
    let ctx = json!(["https://www.w3.org/ns/activitystreams", NS]);
    assert!(good.classify(&ctx).unwrap().defines("movedTo"));
    assert!(evil.classify(&ctx).is_err());
}

#[test]
fn registration_limits_are_typed_errors() {
    let mut r = ContextRegistry::with_limits(RegistryLimits {
        max_documents: 2,
        max_document_bytes: 1024,
        ..RegistryLimits::default()
    });
    let doc = br#"{"@context": {}}"#;
    r.register("https://a.example/1", doc).unwrap();
    r.register("https://a.example/2", doc).unwrap();
    let e = r.register("https://a.example/3", doc).unwrap_err();
    assert_eq!((e.kind(), e.at()), ("context_registration", None));
    let big = format!(r#"{{"@context": {{"x": "{}"}}}}"#, "y".repeat(2000));
    let e = r
        .register("https://a.example/1", big.as_bytes())
        .unwrap_err();
    assert_eq!(e.kind(), "context_registration");
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let mut roomy = ContextRegistry::with_limits(RegistryLimits {
        max_document_bytes: 1 << 20,
        ..RegistryLimits::default()
    });
    assert_eq!(
        roomy
            .register("https://a.example/deep", deep.as_bytes())
            .unwrap_err()
            .kind(),
        "context_registration"
    );
    assert_eq!(
        r.register("https://w3id.org/security/v1", doc)
            .unwrap_err()
            .kind(),
        "context_registration"
    );
}

// --- cid/v1 ---------------------------------------------------------------------------------

/// An FEP-521a actor in the shape the Controlled Identifiers spec describes: its keys under
/// `assertionMethod`, an alias under `alsoKnownAs`, both defined by `cid/v1`.
fn cid_actor() -> Value {
    json!({
        "@context": [
            "https://www.w3.org/ns/activitystreams",
            "https://www.w3.org/ns/cid/v1"
        ],
        "id": "https://server.example/users/alice",
        "type": "Person",
        "inbox": "https://server.example/users/alice/inbox",
        "alsoKnownAs": ["https://old.example/users/alice"],
        "assertionMethod": [{
            "id": "https://server.example/users/alice#ed25519-key",
            "type": "Multikey",
            "controller": "https://server.example/users/alice",
            "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        }]
    })
}

#[test]
fn cid_v1_is_bundled_and_passes_the_guard() {
    let ctx = cid_actor()["@context"].clone();
    let verdict = classify_context(&ctx).unwrap();
    assert!(
        verdict
            .known_urls()
            .contains(&"https://www.w3.org/ns/cid/v1")
    );
    assert!(verdict.defines("alsoKnownAs"));
    assert!(verdict.defines("assertionMethod"));
    assert!(verdict.defines("controller"));
    // Alone, too.
    assert!(classify_context(&json!("https://www.w3.org/ns/cid/v1")).is_ok());

    let doc = serde_json::to_vec(&cid_actor()).unwrap();
    let actor = Actor::from_slice(&doc, &ReadOptions::strict()).unwrap();
    assert!(
        actor
            .also_known_as
            .contains("https://old.example/users/alice")
    );
    let key = actor.assertion_methods.first().unwrap();
    assert_eq!(
        key.controller.single(),
        Some("https://server.example/users/alice")
    );
    assert!(
        key.public_key_multibase
            .as_deref()
            .unwrap()
            .starts_with("z6Mk")
    );
}

#[cfg(feature = "jsonld")]
#[test]
fn cid_v1_document_reads_the_same_through_json_ld_expansion() {
    let doc = cid_actor();
    let fast = Actor::from_value(&doc, &ReadOptions::default()).unwrap();
    let expanded = activitystreams_move::jsonld::expand(&doc).unwrap();
    let slow = Actor::from_value(&expanded, &ReadOptions::default()).unwrap();
    assert_eq!(slow.id(), fast.id());
    assert_eq!(slow.also_known_as.as_slice(), fast.also_known_as.as_slice());
    assert_eq!(
        slow.assertion_methods.first().and_then(|k| k.id.clone()),
        fast.assertion_methods.first().and_then(|k| k.id.clone())
    );
    assert_eq!(
        slow.assertion_methods
            .first()
            .and_then(|k| k.public_key_multibase.clone()),
        fast.assertion_methods
            .first()
            .and_then(|k| k.public_key_multibase.clone())
    );
}

#[cfg(feature = "jsonld")]
#[test]
fn registered_contexts_feed_the_json_ld_loader() {
    let doc = serde_json::from_slice::<Value>(&actor_doc(json!([
        "https://www.w3.org/ns/activitystreams",
        NS
    ])))
    .unwrap();
    // Without the registry the loader cannot resolve the URL (it never fetches).
    assert_eq!(
        activitystreams_move::jsonld::expand(&doc)
            .unwrap_err()
            .kind(),
        "jsonld_expansion"
    );
    let r = benign();
    let expanded = activitystreams_move::jsonld::expand_with(&doc, &r).unwrap();
    let slow = Actor::from_value(&expanded, &ReadOptions::default()).unwrap();
    assert_eq!(slow.moved_to(), Some("https://new.example/users/alice"));
    let fast = Actor::from_value_with(&doc, &ReadOptions::default(), &r).unwrap();
    // Expanded form wraps every value in an array; compare the values.
    assert_eq!(fast.moved_to.as_slice(), slow.moved_to.as_slice());
    assert_eq!(fast.also_known_as.as_slice(), slow.also_known_as.as_slice());
}
