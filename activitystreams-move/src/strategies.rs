//! Proptest strategies for researchers and fuzzers (Zebra's `proptest-impl` style): JSON
//! documents in the many shapes real servers send, and hostile contexts with the error kind the
//! guard must report.
//!
//! ```
//! use activitystreams_move::{Actor, ReadOptions, strategies};
//! use proptest::strategy::{Strategy, ValueTree};
//! use proptest::test_runner::TestRunner;
//!
//! let mut runner = TestRunner::deterministic();
//! let doc = strategies::actor().new_tree(&mut runner).unwrap().current();
//! assert!(Actor::from_value(&doc, &ReadOptions::default()).is_ok());
//! ```

use proptest::prelude::*;
use serde_json::{Map, Value, json};

/// An http(s) actor id on one of a few hosts.
pub fn actor_id() -> impl Strategy<Value = String> {
    (
        prop_oneof![Just("https"), Just("http")],
        prop_oneof![
            Just("old.example"),
            Just("new.example"),
            Just("third.example")
        ],
        "[a-z][a-z0-9_]{0,11}",
    )
        .prop_map(|(scheme, host, user)| format!("{scheme}://{host}/users/{user}"))
}

/// A `@context` the guard accepts, in the shapes real servers use: the AS URL alone, an array
/// with security/v1 and Mastodon's inline terms, the FEP-7628 URL, compact or full IRIs.
pub fn context_variant() -> impl Strategy<Value = Value> {
    let inline = prop_oneof![
        Just(json!({"movedTo": {"@id": "as:movedTo", "@type": "@id"}})),
        Just(json!({"movedTo": "https://w3id.org/fep/7628#movedTo",
                    "copiedTo": "https://w3id.org/fep/7628#copiedTo"})),
        Just(
            json!({"alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
                    "movedTo": {"@id": "https://www.w3.org/ns/activitystreams#movedTo", "@type": "@id"},
                    "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
                    "toot": "http://joinmastodon.org/ns#", "suspended": "toot:suspended"})
        ),
        Just(
            json!({"schema": "http://schema.org#", "PropertyValue": "schema:PropertyValue",
                    "value": "schema:value"})
        ),
    ];
    prop_oneof![
        Just(json!("https://www.w3.org/ns/activitystreams")),
        Just(json!([
            "https://www.w3.org/ns/activitystreams",
            "https://w3id.org/fep/7628"
        ])),
        Just(json!([
            "https://www.w3.org/ns/activitystreams",
            "https://w3id.org/security/v1"
        ])),
        inline.prop_map(|m| json!([
            "https://www.w3.org/ns/activitystreams",
            "https://w3id.org/security/v1",
            m
        ])),
        Just(json!([
            "https://www.w3.org/ns/activitystreams",
            "https://w3id.org/security/data-integrity/v2",
            "https://w3id.org/security/multikey/v1"
        ])),
    ]
}

/// A hostile `@context` and the [`Error::kind`](crate::Error::kind) the guard must report for it.
pub fn hostile_context() -> impl Strategy<Value = (Value, &'static str)> {
    let term = prop_oneof![
        Just("alsoKnownAs"),
        Just("movedTo"),
        Just("copiedTo"),
        Just("id"),
        Just("type"),
        Just("actor"),
        Just("object"),
        Just("target"),
        Just("inbox"),
        Just("publicKey"),
        Just("assertionMethod"),
        Just("Move"),
        Just("as"),
    ];
    let case = (term, 0..8u8).prop_map(|(term, how)| {
        let (inline, kind): (Value, &'static str) = match how {
            0 => (
                json!({term: "https://evil.example/ns#x"}),
                "context_redefines_term",
            ),
            1 => (json!({term: null}), "context_redefines_term"),
            2 => (
                json!({term: {"@reverse": "https://www.w3.org/ns/activitystreams#alsoKnownAs"}}),
                "context_redefines_term",
            ),
            3 => (json!({"myAlias": "as:alsoKnownAs"}), "context_aliases_term"),
            4 => (json!({"myId": "@id"}), "context_aliases_term"),
            5 => (json!({"@base": "https://evil.example/"}), "context_keyword"),
            6 => (
                json!({"@import": "https://evil.example/ctx"}),
                "context_keyword",
            ),
            _ => (json!({"@propagate": false}), "context_keyword"),
        };
        (inline, kind)
    });
    prop_oneof![
        case.prop_map(|(inline, kind)| (
            json!(["https://www.w3.org/ns/activitystreams", inline]),
            kind
        )),
        Just((
            json!([
                "https://www.w3.org/ns/activitystreams",
                "https://evil.example/context"
            ]),
            "unknown_context"
        )),
        Just((
            json!(["https://www.w3.org/ns/activitystreams",
                   {"movedTo": {"@id": "ex:movedTo", "@type": "@id"}}]),
            "context_undefined_prefix"
        )),
        Just((
            json!(["https://www.w3.org/ns/activitystreams",
                   {"activitystreams": "https://www.w3.org/ns/activitystreams#"}]),
            "context_aliases_term"
        )),
    ]
}

/// One or many IRIs in the tolerated shapes: bare string, array, `{"id"}`, `{"@id"}`.
fn iri_shapes(values: Vec<String>) -> impl Strategy<Value = Value> {
    let one = values.first().cloned().unwrap_or_default();
    let arr = Value::Array(values.iter().cloned().map(Value::String).collect());
    let ids = Value::Array(values.iter().map(|v| json!({"id": v})).collect());
    let at_ids = Value::Array(values.iter().map(|v| json!({"@id": v})).collect());
    let single = values.len() == 1;
    prop_oneof![
        Just(if single {
            Value::String(one.clone())
        } else {
            arr.clone()
        }),
        Just(arr),
        Just(ids),
        Just(at_ids),
        Just(if single {
            json!({"id": one})
        } else {
            Value::Null
        }),
    ]
    .prop_map(|v| v)
}

/// A key for a term in the tolerated spellings.
fn spelled(
    short: &'static str,
    full: &'static str,
    compact: &'static str,
) -> impl Strategy<Value = &'static str> {
    prop_oneof![Just(short), Just(short), Just(full), Just(compact)]
}

/// An actor document: id, type (sometimes with `Tombstone`), inbox/outbox/followers, endpoints,
/// a Mastodon `publicKey`, `alsoKnownAs` (string or array, spelled in several ways), sometimes
/// `movedTo` and unknown members, under a [`context_variant`].
pub fn actor() -> impl Strategy<Value = Value> {
    (
        actor_id(),
        context_variant(),
        prop::collection::vec(actor_id(), 0..4),
        prop::option::of(actor_id()),
        any::<bool>(),
        any::<bool>(),
        spelled(
            "alsoKnownAs",
            "https://www.w3.org/ns/activitystreams#alsoKnownAs",
            "as:alsoKnownAs",
        ),
        spelled(
            "movedTo",
            "https://w3id.org/fep/7628#movedTo",
            "as:movedTo",
        ),
    )
        .prop_flat_map(|(id, ctx, aka, moved, tomb, locked, aka_key, moved_key)| {
            let aka_shape = iri_shapes(aka.clone());
            (
                Just((id, ctx, aka, moved, tomb, locked, aka_key, moved_key)),
                aka_shape,
            )
        })
        .prop_map(|((id, ctx, aka, moved, tomb, locked, aka_key, moved_key), aka_json)| {
            let mut m = Map::new();
            m.insert("@context".into(), ctx);
            m.insert("id".into(), Value::String(id.clone()));
            m.insert(
                "type".into(),
                if tomb { json!(["Person", "Tombstone"]) } else { json!("Person") },
            );
            m.insert("preferredUsername".into(), json!("alice"));
            m.insert("inbox".into(), json!(format!("{id}/inbox")));
            m.insert("outbox".into(), json!(format!("{id}/outbox")));
            m.insert("followers".into(), json!(format!("{id}/followers")));
            m.insert("endpoints".into(), json!({"sharedInbox": "https://old.example/inbox"}));
            m.insert(
                "publicKey".into(),
                json!({"id": format!("{id}#main-key"), "owner": id,
                       "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nMIIB\n-----END PUBLIC KEY-----\n"}),
            );
            m.insert("manuallyApprovesFollowers".into(), Value::Bool(locked));
            if !aka.is_empty() && !aka_json.is_null() {
                m.insert(aka_key.into(), aka_json);
            }
            if let Some(t) = moved {
                m.insert(moved_key.into(), Value::String(t));
            }
            m.insert("discoverable".into(), json!(true));
            Value::Object(m)
        })
}

/// A Move document (push or pull), with the tolerated shapes for `object`/`target` (bare IRI,
/// `{"id"}`, embedded actor) and `to` spelled as `Public`, `as:Public` or the full IRI.
pub fn move_activity() -> impl Strategy<Value = Value> {
    (
        actor_id(),
        actor_id(),
        any::<bool>(),
        0..3u8,
        prop_oneof![
            Just("https://www.w3.org/ns/activitystreams#Public"),
            Just("as:Public"),
            Just("Public")
        ],
        any::<bool>(),
    )
        .prop_map(|(origin, target, push, object_form, public, with_id)| {
            let actor = if push { origin.clone() } else { target.clone() };
            let object = match object_form {
                0 => json!(origin),
                1 => json!({"id": origin}),
                _ => json!({"id": origin, "type": "Person", "inbox": format!("{origin}/inbox")}),
            };
            let mut m = Map::new();
            m.insert(
                "@context".into(),
                json!("https://www.w3.org/ns/activitystreams"),
            );
            if with_id {
                m.insert("id".into(), json!(format!("{actor}#moves/1")));
            }
            m.insert("type".into(), json!("Move"));
            m.insert("actor".into(), json!(actor));
            m.insert("object".into(), object);
            m.insert("target".into(), json!(target));
            m.insert("to".into(), json!(public));
            m.insert("cc".into(), json!(format!("{actor}/followers")));
            Value::Object(m)
        })
}

/// Arbitrary JSON (for totality tests): nested arrays/objects of bounded size whose keys include
/// the terms and keywords the reader interprets.
pub fn arbitrary_json() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("@context".to_string()),
        Just("id".to_string()),
        Just("@id".to_string()),
        Just("type".to_string()),
        Just("@type".to_string()),
        Just("actor".to_string()),
        Just("object".to_string()),
        Just("target".to_string()),
        Just("alsoKnownAs".to_string()),
        Just("movedTo".to_string()),
        Just("publicKey".to_string()),
        Just("assertionMethod".to_string()),
        Just("endpoints".to_string()),
        Just("@value".to_string()),
        Just("@list".to_string()),
        Just("@graph".to_string()),
        "[a-z@:]{0,6}",
    ];
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        Just(json!("https://www.w3.org/ns/activitystreams")),
        Just(json!("Move")),
        Just(json!("Person")),
        "[a-z:/.#@]{0,12}".prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 64, 6, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::vec((key.clone(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}
