//! Validation beyond the shared vectors: every problem with its exact pointer and kind.

use activitystreams_move::{
    Activity, Actor, ReadOptions, Rule, Severity, has_errors, validate_activity, validate_actor,
    validate_move_signer,
};
use serde_json::json;

fn actor(v: serde_json::Value) -> Actor {
    Actor::from_value(&v, &ReadOptions::default()).unwrap()
}

fn kinds(problems: &[activitystreams_move::Problem]) -> Vec<(&'static str, &str)> {
    problems.iter().map(|p| (p.kind(), p.at.as_str())).collect()
}

#[test]
fn actor_structure_keys_and_aliases() {
    let a = actor(json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
                     "https://w3id.org/fep/7628", "https://www.w3.org/ns/did/v1",
                     "https://w3id.org/security/multikey/v1"],
        "id": "https://example.com/users/alice",
        "type": "Person",
        "inbox": ["https://example.com/a", "https://example.com/b"],
        "followers": "ftp://example.com/followers",
        "endpoints": {"sharedInbox": "not a uri"},
        "alsoKnownAs": ["https://example.com/users/alice", "javascript:alert(1)", "https://ok.example/u"],
        "publicKey": [
            {"id": "https://example.com/users/alice#main-key", "owner": "https://evil.example/x",
             "publicKeyPem": "-----BEGIN PUBLIC KEY-----\n-----END PUBLIC KEY-----\n"},
            {"id": "https://example.com/users/alice#k2", "owner": "https://example.com/users/alice"},
            "https://example.com/users/alice#k3"
        ],
        "assertionMethod": [{"id": "https://example.com/users/alice#ed", "type": "Multikey",
            "controller": "https://evil.example/x", "publicKeyMultibase": "uAAAA"}]
    }));
    let p = validate_actor(&a);
    assert_eq!(
        kinds(&p),
        vec![
            ("not_single", "/inbox"),
            ("missing_field", "/outbox"),
            ("not_http", "/followers"),
            ("invalid_uri", "/endpoints/sharedInbox"),
            ("not_http", "/alsoKnownAs/1"),
            ("self_alias", "/alsoKnownAs/0"),
            ("key_owner_mismatch", "/publicKey/0/owner"),
            ("missing_field", "/publicKey/1/publicKeyPem"),
            ("key_controller_mismatch", "/assertionMethod/0/controller"),
            ("invalid_multibase", "/assertionMethod/0/publicKeyMultibase"),
        ]
    );
    assert!(p.iter().any(|p| p.rule == Rule::Fep521a));
    assert_eq!(
        a.public_keys[2].id.as_deref(),
        Some("https://example.com/users/alice#k3")
    );
    assert!(a.public_keys[2].is_reference());
}

#[test]
fn clean_actor_has_no_problems() {
    let a = actor(json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
                     "https://w3id.org/fep/7628"],
        "id": "https://example.com/users/alice", "type": "Service",
        "inbox": "https://example.com/users/alice/inbox",
        "outbox": "https://example.com/users/alice/outbox",
        "publicKey": {"id": "https://example.com/users/alice#main-key",
            "owner": "https://example.com/users/alice", "publicKeyPem": "PEM"},
        "copiedTo": "https://copy.example/users/alice"
    }));
    assert_eq!(validate_actor(&a), vec![]);
    assert!(!a.is_inactive());
}

#[test]
fn move_shape_problems() {
    let mv = Activity::from_value(
        &json!({"@context": "https://www.w3.org/ns/activitystreams", "id": "https://a.example/m/1",
                "type": "Move", "actor": ["https://a.example/u/a", "https://a.example/u/b"],
                "object": {"type": "Person"}, "to": ["as:Public", "mailto:x@example.com"]}),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(
        kinds(&validate_activity(&mv)),
        vec![
            ("not_single", "/actor"),
            ("missing_field", "/object/id"),
            ("missing_field", "/target"),
            ("not_http", "/to/1"),
        ]
    );
    assert!(validate_move_signer(&mv, "https://a.example/u/a").is_some());
}

#[test]
fn embedded_move_object_keeps_its_data() {
    let mv = Activity::from_value(
        &json!({"@context": "https://www.w3.org/ns/activitystreams", "id": "https://a.example/m/1",
                "type": "Move", "actor": "https://a.example/u/a",
                "object": {"id": "https://a.example/u/a", "type": "Person",
                           "inbox": "https://a.example/u/a/inbox", "movedTo": "https://b.example/u/a"},
                "target": {"@id": "https://b.example/u/a"}}),
        &ReadOptions::default(),
    )
    .unwrap();
    assert!(validate_activity(&mv).is_empty());
    let old = mv.object[0].actor().unwrap();
    assert_eq!(old.inbox(), Some("https://a.example/u/a/inbox"));
    assert_eq!(old.moved_to(), Some("https://b.example/u/a"));
    assert!(mv.target[0].embedded.is_none());
    assert_eq!(
        mv.to_value()["object"]["inbox"],
        "https://a.example/u/a/inbox"
    );
}

#[test]
fn other_kinds_need_actor_and_object() {
    for t in ["Follow", "Undo", "Accept", "Reject", "Update"] {
        let a = Activity::from_value(
            &json!({"@context": "https://www.w3.org/ns/activitystreams", "type": t,
                    "id": "https://a.example/x"}),
            &ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(
            kinds(&validate_activity(&a)),
            vec![("missing_field", "/actor"), ("missing_field", "/object")],
            "{t}"
        );
        assert!(has_errors(&validate_activity(&a)));
    }
    let e = Activity::from_value(&json!({"type": "Note"}), &ReadOptions::default()).unwrap_err();
    assert_eq!((e.kind(), e.at()), ("unexpected_type", Some("/type")));
}

#[test]
fn expanded_and_compact_read_the_same() {
    let compact = actor(json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
                     {"movedTo": {"@id": "as:movedTo", "@type": "@id"}}],
        "id": "https://example.com/u", "type": ["Person", "Tombstone"],
        "inbox": "https://example.com/u/inbox", "outbox": "https://example.com/u/outbox",
        "movedTo": "https://new.example/u", "manuallyApprovesFollowers": true,
        "endpoints": {"sharedInbox": "https://example.com/inbox"},
        "publicKey": {"id": "https://example.com/u#k", "owner": "https://example.com/u", "publicKeyPem": "PEM"}
    }));
    let expanded = actor(json!([{
        "@id": "https://example.com/u",
        "@type": ["https://www.w3.org/ns/activitystreams#Person", "https://www.w3.org/ns/activitystreams#Tombstone"],
        "http://www.w3.org/ns/ldp#inbox": [{"@id": "https://example.com/u/inbox"}],
        "https://www.w3.org/ns/activitystreams#outbox": [{"@id": "https://example.com/u/outbox"}],
        "https://www.w3.org/ns/activitystreams#movedTo": [{"@id": "https://new.example/u"}],
        "https://www.w3.org/ns/activitystreams#manuallyApprovesFollowers": [{"@value": true}],
        "https://www.w3.org/ns/activitystreams#endpoints": [{"https://www.w3.org/ns/activitystreams#sharedInbox": [{"@id": "https://example.com/inbox"}]}],
        "https://w3id.org/security#publicKey": [{"@id": "https://example.com/u#k",
            "https://w3id.org/security#owner": [{"@id": "https://example.com/u"}],
            "https://w3id.org/security#publicKeyPem": [{"@value": "PEM"}]}]
    }]));
    assert_eq!(compact.id, expanded.id);
    assert_eq!(compact.types, expanded.types);
    assert_eq!(compact.inbox(), expanded.inbox());
    assert_eq!(compact.moved_to(), expanded.moved_to());
    assert_eq!(
        compact.manually_approves_followers,
        expanded.manually_approves_followers
    );
    assert_eq!(compact.shared_inbox(), expanded.shared_inbox());
    assert_eq!(
        compact.public_keys[0].public_key_pem,
        expanded.public_keys[0].public_key_pem
    );
    assert_eq!(
        compact.public_keys[0].owner.single(),
        expanded.public_keys[0].owner.single()
    );
    // Errors of severity Error only come from FEP-e965 on both (deleted is a SHOULD).
    for a in [&compact, &expanded] {
        let p = validate_actor(a);
        assert!(
            p.iter()
                .all(|p| p.severity == Severity::Warning || p.rule == Rule::FepE965),
            "{p:?}"
        );
    }
}

#[test]
fn conflicting_duplicates_are_refused() {
    // The same single-valued member under two spellings.
    let e = Actor::from_slice(
        br#"{"@context": "https://www.w3.org/ns/activitystreams", "id": "https://a.example/u",
             "@id": "https://evil.example/u", "type": "Person"}"#,
        &ReadOptions::default(),
    )
    .unwrap_err();
    assert_eq!((e.kind(), e.at()), ("invalid_type", Some("/@id")));
    // Multi-valued members merge (JSON-LD semantics): movedTo under both IRIs = two values.
    let a = actor(
        json!({"@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/fep/7628"],
        "id": "https://a.example/u", "type": ["Person", "Tombstone"],
        "inbox": "https://a.example/i", "outbox": "https://a.example/o",
        "movedTo": "https://b.example/u", "as:movedTo": "https://c.example/u"}),
    );
    assert_eq!(a.moved_to.len(), 2);
    assert!(kinds(&validate_actor(&a)).contains(&("moved_to_not_functional", "/movedTo")));
}
