//! Outbound: Move shape, actor updates, preflight misuse, delivery list.

use std::time::{Duration, SystemTime};

use fep7628::inbound::{ActorFacts, Fetched, MoveMode, OldSideProof};
use fep7628::outbound::{
    AS_PUBLIC, Addressing, ClearedMove, DeliveryList, Endpoint, OutboundMove, Preflight,
    PreflightStep, copied_to_update, moved_to_update, preflight_pull, pull_recipients,
};
use serde_json::json;

const ORIGIN: &str = "https://old.example/users/alice";
const TARGET: &str = "https://new.example/users/alice";

fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn cleared_push() -> ClearedMove {
    let mut pre = Preflight::new(ActorFacts::new(ORIGIN), TARGET, now());
    let PreflightStep::Fetch(req) = pre.next().unwrap() else {
        panic!()
    };
    pre.handle_fetched(
        &req.url,
        Fetched::Actor(ActorFacts::new(TARGET).with_alias(ORIGIN)),
    )
    .unwrap();
    let PreflightStep::Cleared(c) = pre.next().unwrap() else {
        panic!()
    };
    assert_eq!(pre.next().unwrap_err().kind(), "finished");
    c
}

fn cleared_pull() -> ClearedMove {
    preflight_pull(
        &ActorFacts::new(TARGET).with_alias(ORIGIN),
        ORIGIN,
        &[OldSideProof::IntegrityProof {
            verified_actor_id: ORIGIN.into(),
        }],
        None,
        Duration::from_secs(30 * 86_400),
        now(),
    )
    .unwrap()
}

#[test]
fn push_move_has_the_conservative_shape() {
    let c = cleared_push();
    let mv = OutboundMove::new(&c, &format!("{ORIGIN}/followers"), "01HR9FDF").unwrap();
    assert_eq!(
        mv.to_json(),
        json!({
            "@context": ["https://www.w3.org/ns/activitystreams",
                         {"movedTo": {"@id": "as:movedTo", "@type": "@id"}}],
            "id": "https://old.example/users/alice/moves/01HR9FDF",
            "type": "Move",
            "actor": ORIGIN,
            "object": ORIGIN,
            "target": TARGET,
            "to": [AS_PUBLIC],
            "cc": [format!("{ORIGIN}/followers")],
        })
    );
    assert_eq!(mv.mode(), MoveMode::Push);
    // Round trip through the receiver's reader.
    let facts = move_facts(&mv.to_json());
    assert_eq!(facts.actor, [ORIGIN]);
    assert_eq!(facts.object, [ORIGIN]);
    assert_eq!(facts.target, [TARGET]);
}

#[test]
fn pull_move_is_sent_by_the_new_actor() {
    let c = cleared_pull();
    let mv = OutboundMove::new(&c, &format!("{TARGET}/followers"), "x")
        .unwrap()
        .with_addressing(Addressing::FollowersOnly);
    let doc = mv.to_json();
    assert_eq!(doc["actor"], TARGET);
    assert_eq!(doc["object"], ORIGIN);
    assert_eq!(doc["target"], TARGET);
    assert_eq!(doc["to"], json!([format!("{TARGET}/followers")]));
    assert!(doc.get("cc").is_none());
    assert_eq!(mv.id(), "https://new.example/users/alice/moves/x");
}

#[test]
fn tokens_are_validated() {
    let c = cleared_push();
    for bad in ["", "a/b", "a b", "ü", &"x".repeat(129)] {
        let err = OutboundMove::new(&c, "https://old.example/f", bad).unwrap_err();
        assert_eq!(err.kind(), "invalid_token", "{bad:?}");
    }
    assert_eq!(
        OutboundMove::new(&c, "not a url", "ok").unwrap_err().kind(),
        "invalid_actor_id"
    );
}

#[test]
fn moved_to_update_sets_moved_to_alias_and_context() {
    let actor = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/fep/7628",
                     {"movedTo": "https://w3id.org/fep/7628#movedTo", "toot": "http://joinmastodon.org/ns#"}],
        "id": ORIGIN,
        "type": "Person",
        "followers": format!("{ORIGIN}/followers"),
        "alsoKnownAs": "https://older.example/users/alice",
        "copiedTo": ["https://copy.example/u"],
    });
    let upd = moved_to_update(&actor, &cleared_push(), "u1").unwrap();
    assert_eq!(upd.actor["movedTo"], TARGET);
    assert!(upd.actor.get("copiedTo").is_none(), "FEP-e965: never both");
    assert_eq!(
        upd.actor["alsoKnownAs"],
        json!(["https://older.example/users/alice", TARGET])
    );
    let ctx = upd.actor["@context"].as_array().unwrap();
    assert_eq!(
        ctx.last().unwrap(),
        &json!({"movedTo": {"@id": "as:movedTo", "@type": "@id"}})
    );
    // The conflicting inline definition is gone; the rest of that map stays.
    assert_eq!(ctx[2], json!({"toot": "http://joinmastodon.org/ns#"}));
    // The reader sees the moved actor.
    let read = actor_facts(&upd.actor);
    assert_eq!(read.moved_to.as_deref(), Some(TARGET));
    // The Update.
    assert_eq!(upd.update["type"], "Update");
    assert_eq!(upd.update["id"], format!("{ORIGIN}/updates/u1"));
    assert_eq!(upd.update["actor"], ORIGIN);
    assert_eq!(upd.update["object"]["movedTo"], TARGET);
    assert!(upd.update["object"].get("@context").is_none());
    assert_eq!(upd.update["cc"], json!([format!("{ORIGIN}/followers")]));
}

#[test]
fn copied_to_update_keeps_the_old_account_active() {
    let actor = json!({"id": ORIGIN, "type": "Person", "copiedTo": "https://copy.example/u"});
    let upd = copied_to_update(&actor, &cleared_push(), "c1").unwrap();
    assert_eq!(
        upd.actor["copiedTo"],
        json!(["https://copy.example/u", TARGET])
    );
    assert!(upd.actor.get("movedTo").is_none());
    assert_eq!(
        upd.actor["@context"],
        json!(["https://www.w3.org/ns/activitystreams",
               {"copiedTo": {"@id": "https://w3id.org/fep/7628#copiedTo", "@type": "@id"}}])
    );
    // Idempotent: adding the same copy twice keeps one entry.
    let again = copied_to_update(&upd.actor, &cleared_push(), "c2").unwrap();
    assert_eq!(again.actor["copiedTo"].as_array().unwrap().len(), 2);
    // Never on a moved actor.
    let moved = json!({"id": ORIGIN, "movedTo": TARGET});
    assert_eq!(
        copied_to_update(&moved, &cleared_push(), "c3")
            .unwrap_err()
            .kind(),
        "not_an_actor_document"
    );
}

#[test]
fn updates_refuse_another_actor_or_non_object() {
    let c = cleared_push();
    assert_eq!(
        moved_to_update(&json!({"id": TARGET}), &c, "u")
            .unwrap_err()
            .kind(),
        "not_an_actor_document"
    );
    assert_eq!(
        moved_to_update(&json!([1]), &c, "u").unwrap_err().kind(),
        "not_an_actor_document"
    );
}

#[test]
fn preflight_rejects_unexpected_answers_and_bad_ids() {
    let mut pre = Preflight::new(ActorFacts::new(ORIGIN), TARGET, now());
    assert_eq!(
        pre.handle_fetched(TARGET, Fetched::NotFound)
            .unwrap_err()
            .kind(),
        "unexpected_answer"
    );
    pre.next().unwrap();
    // Repeated while unanswered.
    assert!(matches!(pre.next().unwrap(), PreflightStep::Fetch(_)));
    assert_eq!(
        pre.handle_fetched("https://else.example/", Fetched::NotFound)
            .unwrap_err()
            .kind(),
        "unexpected_answer"
    );
    pre.handle_fetched(TARGET, Fetched::Gone).unwrap();
    assert_eq!(pre.next().unwrap_err().kind(), "target_unavailable");
    assert_eq!(pre.next().unwrap_err().kind(), "finished");

    let mut bad = Preflight::new(ActorFacts::new("ftp://old.example/u"), TARGET, now());
    assert_eq!(bad.next().unwrap_err().kind(), "invalid_actor_id");
}

#[test]
fn preflight_pull_checks() {
    let proof = [OldSideProof::SharedIdentitySubject {
        did: "did:key:z6Mk".into(),
    }];
    let cd = Duration::from_secs(30 * 86_400);
    let new = ActorFacts::new(TARGET)
        .with_alias(ORIGIN)
        .with_identity_did("did:key:z6Mk");
    assert!(preflight_pull(&new, ORIGIN, &proof, None, cd, now()).is_ok());
    let unaliased = ActorFacts::new(TARGET).with_identity_did("did:key:z6Mk");
    assert_eq!(
        preflight_pull(&unaliased, ORIGIN, &proof, None, cd, now())
            .unwrap_err()
            .kind(),
        "target_not_aliased"
    );
    let no_did = ActorFacts::new(TARGET).with_alias(ORIGIN);
    assert_eq!(
        preflight_pull(&no_did, ORIGIN, &proof, None, cd, now())
            .unwrap_err()
            .kind(),
        "missing_old_side_proof"
    );
    let moved = new.clone().with_moved_to("https://third.example/u");
    assert_eq!(
        preflight_pull(&moved, ORIGIN, &proof, None, cd, now())
            .unwrap_err()
            .kind(),
        "target_moved"
    );
    assert_eq!(
        preflight_pull(&new, ORIGIN, &proof, Some(now()), cd, now())
            .unwrap_err()
            .kind(),
        "cooldown_active"
    );
    assert_eq!(
        preflight_pull(&new, TARGET, &proof, None, cd, now())
            .unwrap_err()
            .kind(),
        "self_move"
    );
}

#[test]
fn delivery_list_prefers_shared_inboxes_and_dedupes() {
    let mut list = DeliveryList::new();
    let followers = (0..1000).map(|i| {
        let server = i % 7;
        Endpoint::with_shared(
            format!("https://s{server}.example/users/{i}/inbox"),
            format!("https://s{server}.example/inbox"),
        )
    });
    let inboxes: Vec<String> = list.stream(followers).collect();
    assert_eq!(inboxes.len(), 7);
    assert_eq!(list.len(), 7);
    // Extra audiences (blockers of the origin, relays) go through the same list.
    assert_eq!(
        list.offer(&Endpoint::inbox("https://s3.example/inbox")),
        None
    );
    assert_eq!(
        list.offer(&Endpoint::inbox("https://relay.example/inbox"))
            .as_deref(),
        Some("https://relay.example/inbox")
    );
}

#[test]
fn delivery_list_is_bounded() {
    let mut list = DeliveryList::with_limit(3);
    let all: Vec<String> = list
        .stream((0..10).map(|i| Endpoint::inbox(format!("https://h{i}.example/inbox"))))
        .collect();
    assert_eq!(all.len(), 10, "past the cap inboxes pass through");
    assert_eq!(list.len(), 3);
    assert_eq!(list.overflowed(), 7);
}

#[test]
fn endpoint_from_actor_facts() {
    let mut facts = ActorFacts::new(TARGET);
    facts.inbox = Some(format!("{TARGET}/inbox"));
    facts.shared_inbox = Some("https://new.example/inbox".into());
    let mut list = DeliveryList::new();
    assert_eq!(
        list.offer(&Endpoint::from(&facts)).as_deref(),
        Some("https://new.example/inbox")
    );
}

#[test]
fn pull_recipients_stream_and_filter() {
    let c = cleared_pull();
    let ids = vec![
        "https://a.example/u/1",
        ORIGIN,
        TARGET,
        "garbage",
        "https://b.example/u/2",
    ];
    let out: Vec<&str> = pull_recipients(ids, &c).collect();
    assert_eq!(out, ["https://a.example/u/1", "https://b.example/u/2"]);
}

/// A Move document's facts through `activitystreams-move` and the `fep7628::adapt` adapter.
fn move_facts(doc: &serde_json::Value) -> fep7628::inbound::MoveFacts {
    let bytes = serde_json::to_vec(doc).expect("serialisable");
    fep7628::adapt::parse_move(&bytes, &activitystreams_move::ReadOptions::default())
        .expect("activitystreams-move reads the Move")
}

/// An actor document's facts through `activitystreams-move` and the `fep7628::adapt` adapter.
fn actor_facts(doc: &serde_json::Value) -> fep7628::inbound::ActorFacts {
    let bytes = serde_json::to_vec(doc).expect("serialisable");
    fep7628::adapt::parse_actor(&bytes, &activitystreams_move::ReadOptions::default())
        .expect("activitystreams-move reads the actor")
}
