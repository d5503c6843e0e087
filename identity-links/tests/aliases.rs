//! alsoKnownAs reading rules: canonical ids, self-aliases, caps, tolerated shapes, and claims
//! taken only from a document fetched from its own id.

use identity_links::also_known_as::{
    AliasLimits, IgnoredReason, also_known_as, canonical_id, copied_to, moved_to,
};
use identity_links::persona::{ClaimsError, Evidence, claims_from_actor};
use serde_json::json;

#[test]
fn canonical_ids() {
    assert_eq!(
        canonical_id("HTTPS://Social.Example:443/users/Alice").as_deref(),
        Some("https://social.example/users/Alice")
    );
    assert_eq!(
        canonical_id("https://social.example").as_deref(),
        Some("https://social.example/")
    );
    assert_eq!(
        canonical_id("did:key:z6Mk#z6Mk").as_deref(),
        Some("did:key:z6Mk")
    );
    assert_eq!(canonical_id("acct:alice@social.example"), None);
    assert_eq!(canonical_id("/users/alice"), None);
}

#[test]
fn self_alias_in_any_spelling_is_ignored() {
    let actor = json!({"id": "https://social.example/users/alice",
        "alsoKnownAs": ["HTTPS://SOCIAL.EXAMPLE/users/alice", "https://social.example:443/users/alice",
                        {"id": "https://social.example/users/alice"}]});
    let a = also_known_as(&actor, &AliasLimits::default()).expect("id");
    assert!(a.entries.is_empty());
    assert!(
        a.ignored
            .iter()
            .all(|i| i.reason == IgnoredReason::SelfAlias)
    );
    assert_eq!(a.ignored.len(), 3);
}

#[test]
fn bare_string_and_object_forms() {
    let bare = json!({"id": "https://a.example/u", "alsoKnownAs": "https://b.example/u"});
    assert_eq!(
        also_known_as(&bare, &AliasLimits::default())
            .expect("id")
            .entries,
        ["https://b.example/u"]
    );
    let full_iri = json!({"id": "https://a.example/u",
        "https://www.w3.org/ns/activitystreams#alsoKnownAs": [{"id": "https://c.example/u"}, {"href": "https://d.example/u"}]});
    assert_eq!(
        also_known_as(&full_iri, &AliasLimits::default())
            .expect("id")
            .entries,
        ["https://c.example/u", "https://d.example/u"]
    );
}

#[test]
fn at_most_n_entries_are_read() {
    let many: Vec<String> = (0..1000)
        .map(|i| format!("https://s{i}.example/u"))
        .collect();
    let actor = json!({"id": "https://a.example/u", "alsoKnownAs": many});
    let a = also_known_as(
        &actor,
        &AliasLimits {
            max_entries: 20,
            max_len: 2048,
        },
    )
    .expect("id");
    assert_eq!(a.entries.len(), 20);
    assert!(a.truncated);
    let long = format!("https://a.example/{}", "x".repeat(5000));
    let actor = json!({"id": "https://a.example/u", "alsoKnownAs": [long]});
    let a = also_known_as(&actor, &AliasLimits::default()).expect("id");
    assert_eq!(a.ignored[0].reason, IgnoredReason::TooLong);
}

#[test]
fn missing_or_bad_id_is_an_error() {
    assert_eq!(
        also_known_as(&json!({}), &AliasLimits::default())
            .expect_err("no id")
            .kind(),
        "missing_id"
    );
    assert_eq!(
        also_known_as(&json!({"id": "alice"}), &AliasLimits::default())
            .expect_err("bad")
            .kind(),
        "bad_id"
    );
}

#[test]
fn moved_and_copied() {
    let actor = json!({"id": "https://a.example/u", "as:movedTo": "https://b.example/u", "copiedTo": ["https://c.example/u"]});
    assert_eq!(moved_to(&actor).as_deref(), Some("https://b.example/u"));
    assert_eq!(copied_to(&actor).as_deref(), Some("https://c.example/u"));
    assert_eq!(
        moved_to(&json!({"id": "https://a.example/u", "movedTo": "acct:x@y"})),
        None
    );
}

#[test]
fn claims_only_from_the_documents_own_id() {
    let actor = json!({"id": "https://a.example/u", "alsoKnownAs": ["https://b.example/u"], "movedTo": "https://b.example/u"});
    let claims =
        claims_from_actor(&actor, "https://A.example/u", &AliasLimits::default()).expect("own id");
    assert_eq!(
        claims,
        [
            Evidence::AlsoKnownAs {
                from: "https://a.example/u".into(),
                to: "https://b.example/u".into()
            },
            Evidence::MovedTo {
                from: "https://a.example/u".into(),
                to: "https://b.example/u".into()
            },
        ]
    );
    let err = claims_from_actor(&actor, "https://mirror.example/u", &AliasLimits::default())
        .expect_err("foreign");
    assert!(matches!(err, ClaimsError::NotFromOwnId { .. }));
    assert_eq!(err.kind(), "not_from_own_id");
}
