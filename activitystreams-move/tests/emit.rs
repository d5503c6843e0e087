//! Emitted shapes (move.md §6): exact JSON for the builders.

use activitystreams_move::{
    Activity, ActivityKind, Actor, MigrationFields, MoveBuilder, MovedToContext, ReadOptions,
    accept, follow, undo, update_actor, validate_activity,
};
use serde_json::json;

#[test]
fn push_move_has_the_fep_shape() {
    let mv = MoveBuilder::push(
        "https://server1.example/activities/1",
        "https://server1.example/users/alice",
        "https://server2.example/users/alice",
    )
    .followers("https://server1.example/users/alice/followers")
    .build();
    assert_eq!(
        mv.to_value(),
        json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": "https://server1.example/activities/1",
            "type": "Move",
            "actor": "https://server1.example/users/alice",
            "object": "https://server1.example/users/alice",
            "target": "https://server2.example/users/alice",
            "to": "https://www.w3.org/ns/activitystreams#Public",
            "cc": "https://server1.example/users/alice/followers"
        })
    );
    // Byte-compatible with the FEP's own example (vectors F01), key order aside.
    let f01: serde_json::Value = serde_json::from_slice(
        &std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/vectors/move/fep-7628/F01-push.json"
        ))
        .unwrap(),
    )
    .unwrap();
    let mut f01_mine = mv.to_value();
    f01_mine["id"] = f01["id"].clone();
    assert_eq!(f01_mine, f01);
}

#[test]
fn pull_move_and_non_public_addressing() {
    let mv = MoveBuilder::pull(
        "https://s2.example/a/1",
        "https://s1.example/u/a",
        "https://s2.example/u/a",
    )
    .followers("https://s2.example/u/a/followers")
    .public(false)
    .build();
    let v = mv.to_value();
    assert_eq!(v["actor"], "https://s2.example/u/a");
    assert_eq!(v["to"], "https://s2.example/u/a/followers");
    assert!(v.get("cc").is_none());
}

#[test]
fn follow_undo_accept_embed_the_follow() {
    let f = follow(
        "https://s2.example/f/1",
        "https://s2.example/u/b",
        "https://s1.example/u/a",
    );
    let u = undo(
        "https://s2.example/f/1/undo",
        "https://s2.example/u/b",
        f.clone(),
    );
    let v = u.to_value();
    assert_eq!(v["type"], "Undo");
    assert_eq!(v["to"], "https://s1.example/u/a");
    assert_eq!(v["object"]["type"], "Follow");
    assert_eq!(v["object"]["object"], "https://s1.example/u/a");
    assert!(v["object"].get("@context").is_none());
    let back = Activity::from_value(&v, &ReadOptions::strict()).unwrap();
    assert_eq!(back.kind, ActivityKind::Undo);
    let inner = back.object[0].activity().unwrap();
    assert_eq!(inner.kind, ActivityKind::Follow);
    assert_eq!(inner.object_id(), Some("https://s1.example/u/a"));
    assert!(
        validate_activity(&back)
            .iter()
            .all(|p| p.severity != activitystreams_move::Severity::Error)
    );
    let a = accept("https://s1.example/a/1", "https://s1.example/u/a", f);
    assert_eq!(a.to_value()["to"], "https://s2.example/u/b");
}

#[test]
fn actor_context_styles() {
    let mut actor = Actor::from_value(
        &json!({"@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/fep/7628",
                {"toot": "http://joinmastodon.org/ns#"}],
               "id": "https://s1.example/u/a", "type": "Person"}),
        &ReadOptions::default(),
    )
    .unwrap();
    MigrationFields::new(MovedToContext::Mastodon)
        .moved_to("https://s2.example/u/a")
        .apply(&mut actor);
    assert_eq!(
        actor.context,
        Some(json!(["https://www.w3.org/ns/activitystreams", {
            "toot": "http://joinmastodon.org/ns#",
            "alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
            "movedTo": {"@id": "as:movedTo", "@type": "@id"}
        }]))
    );
    MigrationFields::new(MovedToContext::Fep7628)
        .copied_to(["https://s3.example/u/a"])
        .apply(&mut actor);
    assert_eq!(
        actor.context,
        Some(json!(["https://www.w3.org/ns/activitystreams", {
            "toot": "http://joinmastodon.org/ns#",
            "alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"}
        }, "https://w3id.org/fep/7628"]))
    );
    assert!(!actor.moved_to.is_present());
    let upd = update_actor("https://s1.example/u/a#updates/1", &actor);
    let v = upd.to_value();
    assert_eq!(v["object"]["copiedTo"], json!(["https://s3.example/u/a"]));
    let back = Activity::from_value(&v, &ReadOptions::strict()).unwrap();
    assert_eq!(
        back.object[0].actor().unwrap().copied_to.single(),
        Some("https://s3.example/u/a")
    );
}
