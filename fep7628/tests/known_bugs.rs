//! spec/move.md §5 (and the "from reading the code" notes of §3): each bug that a protocol
//! library can prevent, as a named test. Bugs that belong to the re-follow plan (Mastodon
//! PR #12301 self-follow, PR #21957 unfollow-before-follow, #19108/#33685 partial migration,
//! #39826, gotosocial#3190, hollo#428, misskey PR #10592) are the plan's tests, not these.

mod inbound_support;

use fep7628::inbound::{
    ActorFacts, Decision, FetchPurpose, Fetched, InboundConfig, InboundMove, MoveCheck, MoveFacts,
    OldSideProof, Step,
};
use fep7628::outbound::{
    DeliveryList, Endpoint, OutboundMove, Preflight, PreflightStep, moved_to_update,
};
use fep7628::policy::{AcceptAll, CooldownPolicy};
use inbound_support::*;
use serde_json::json;

fn preflight(
    origin: ActorFacts,
    target: &str,
    answer: Fetched,
) -> Result<PreflightStep, fep7628::Error> {
    let mut pre = Preflight::new(origin, target, t0());
    match pre.next()? {
        PreflightStep::Fetch(req) => pre.handle_fetched(&req.url, answer)?,
        done => return Ok(done),
    }
    pre.next()
}

/// mastodon/mastodon#17284: the migration record was saved although the Move was never sent,
/// leaving the user in a 30-day cooldown. Here a failed preflight yields nothing to record,
/// and the caller records the cooldown only from a `ClearedMove`; fixing the alias and
/// retrying passes at once.
#[test]
fn mastodon_17284_failed_preflight_leaves_no_cooldown() {
    let failed = preflight(
        ActorFacts::new(ORIGIN),
        TARGET,
        Fetched::Actor(ActorFacts::new(TARGET)),
    );
    assert_eq!(failed.unwrap_err().kind(), "target_not_aliased");
    let retried = preflight(
        ActorFacts::new(ORIGIN),
        TARGET,
        Fetched::Actor(ActorFacts::new(TARGET).with_alias(ORIGIN)),
    );
    assert!(matches!(retried, Ok(PreflightStep::Cleared(_))));
}

/// mastodon/mastodon#19366, #15462 ("is not an alias of this account", cached up to 24 h) and
/// misskey PR #10514 (stale alsoKnownAs): the target is always asked for fresh, and the
/// decision uses exactly the document that was fetched.
#[test]
fn mastodon_19366_target_is_always_fetched_fresh() {
    let mut check = MoveCheck::new(AcceptAll, push_move(), t0());
    let fresh_target = ActorFacts::new(TARGET).with_alias(ORIGIN);
    let mut asked_fresh = false;
    let decision = loop {
        match check.next().unwrap() {
            Step::Fetch(req) => {
                assert_eq!(req.purpose, FetchPurpose::Target);
                asked_fresh = req.fresh;
                check
                    .handle_fetched(&req.url, Fetched::Actor(fresh_target.clone()))
                    .unwrap();
            }
            Step::Lookup(q) => check.handle_lookup(default_answer(&q)).unwrap(),
            Step::Done { decision, .. } => break decision,
        }
    };
    assert!(asked_fresh);
    let Decision::Accept(v) = decision else {
        panic!("{decision:?}")
    };
    assert_eq!(v.target_facts(), &fresh_target);
}

fn default_answer(q: &fep7628::inbound::Query) -> fep7628::inbound::Answer {
    use fep7628::inbound::{Answer, ModerationState, Query};
    match q {
        Query::AlreadyProcessed { .. } => Answer::AlreadyProcessed(None),
        Query::LastMove { .. } => Answer::LastMove(None),
        Query::Moderation { .. } => Answer::Moderation(ModerationState::default()),
        Query::LocalMovedTo { .. } => Answer::LocalMovedTo(None),
        other => panic!("unexpected {other:?}"),
    }
}

/// mastodon/mastodon PR #15107: `move_in_progress` was not cleared when the target fetch
/// failed, so retries were skipped. Here an unreachable target leaves nothing recorded.
#[test]
fn mastodon_pr_15107_target_fetch_error_does_not_block_retry() {
    let mut world = World::aliased();
    world.remote.insert(TARGET.into(), Fetched::Error);
    let policy = CooldownPolicy::gotosocial();
    let first = world.run_with(InboundConfig::default(), policy, push_move(), t0());
    assert_eq!(outcome(&first), "target_unreachable");
    assert!(first.effects().retryable && !first.effects().record_move);
    world.put(ActorFacts::new(TARGET).with_alias(ORIGIN));
    let second = world.run_with(InboundConfig::default(), policy, push_move(), t0());
    assert!(second.is_accept(), "{second:?}");
}

/// mastodon/mastodon PR #11864: exit early for a suspended target (before any side effect).
#[test]
fn mastodon_pr_11864_suspended_target_exits_before_fetch() {
    let mut world = World::aliased();
    world.moderation.target_suspended = true;
    let d = world.run(push_move(), t0());
    assert_eq!(outcome(&d), "target_suspended");
    assert!(world.fetches.is_empty());
    assert!(!d.effects().record_move);
}

/// misskey-dev/misskey#15883 / fedify-dev/hollo#139: a target with exactly one alias (a bare
/// string `alsoKnownAs`) was refused. A single string is a one-element list.
#[test]
fn misskey_15883_single_string_alias_is_an_alias() {
    let target = actor_facts(&json!({
        "id": TARGET,
        "type": "Person",
        "alsoKnownAs": ORIGIN,
    }));
    let mut world = World::default();
    world.put(target);
    assert!(world.run(push_move(), t0()).is_accept());
}

/// Automattic/wordpress-activitypub PR #3585: `movedTo` stored the raw input while `target`
/// was the canonical id, so Pixelfed and Misskey (exact compare) ignored the move. The
/// preflight refuses a target URL that serves another id, so `movedTo` and the Move's
/// `target` are always the canonical id, and the receiver compares exactly.
#[test]
fn wordpress_3585_moved_to_is_always_the_canonical_id() {
    let profile_url = "https://new.example/@alice";
    let err = preflight(
        ActorFacts::new(ORIGIN),
        profile_url,
        Fetched::Actor(ActorFacts::new(TARGET).with_alias(ORIGIN)),
    )
    .unwrap_err();
    assert_eq!(err.kind(), "target_unavailable");

    let Ok(PreflightStep::Cleared(cleared)) = preflight(
        ActorFacts::new(ORIGIN),
        TARGET,
        Fetched::Actor(ActorFacts::new(TARGET).with_alias(ORIGIN)),
    ) else {
        panic!("preflight should pass")
    };
    let update = moved_to_update(&json!({"id": ORIGIN, "type": "Person"}), &cleared, "u1").unwrap();
    let mv = OutboundMove::new(&cleared, &format!("{ORIGIN}/followers"), "m1").unwrap();
    assert_eq!(update.actor["movedTo"], mv.to_json()["target"]);

    // Receiver side: an origin whose movedTo differs from the target by a trailing slash is
    // not the same account.
    let mut world = World::aliased();
    let inbound =
        push_move().with_origin_facts(ActorFacts::new(ORIGIN).with_moved_to(format!("{TARGET}/")));
    assert_eq!(outcome(&world.run(inbound, t0())), "origin_moved_elsewhere");
}

/// misskey-dev/misskey#8690 (follower farming): an old account repeatedly Moving its
/// followers to different buyers. Cooldowns on both sides stop the second Move.
#[test]
fn misskey_8690_follower_farming_stopped_by_cooldown() {
    let buyer = "https://buyer.example/users/bob";
    let mut world = World::aliased();
    world.put(ActorFacts::new(buyer).with_alias(ORIGIN));
    let policy = CooldownPolicy::gotosocial();
    assert!(
        world
            .run_with(InboundConfig::default(), policy, push_move(), t0())
            .is_accept()
    );
    let resell = InboundMove::new(MoveFacts::new(
        "https://old.example/users/alice/moves/2",
        ORIGIN,
        ORIGIN,
        buyer,
    ))
    .authenticated_by(http_sig(ORIGIN));
    let d = world.run_with(InboundConfig::default(), policy, resell, t0() + DAY);
    assert_eq!(
        d.rejection().map(|r| r.code()).as_deref(),
        Some("policy:cooldown_origin")
    );
}

/// Hollo reuses the constant id `<actor>#move` for every Move (spec/move.md E11): id-based
/// dedupe would drop a second, different Move. Dedupe is on (origin, target).
#[test]
fn hollo_constant_move_id_does_not_dedupe_different_moves() {
    let other = "https://other.example/users/alice";
    let constant_id = format!("{ORIGIN}#move");
    let mut world = World::aliased();
    world.put(ActorFacts::new(other).with_alias(ORIGIN));
    let first = InboundMove::new(MoveFacts::new(constant_id.clone(), ORIGIN, ORIGIN, TARGET))
        .authenticated_by(http_sig(ORIGIN));
    let second = InboundMove::new(MoveFacts::new(constant_id, ORIGIN, ORIGIN, other))
        .authenticated_by(http_sig(ORIGIN));
    assert!(world.run(first, t0()).is_accept());
    // No cooldown configured: the second, different migration is judged on its own.
    assert!(world.run(second, t0() + DAY * 60).is_accept());
}

/// GoToSocial `federatingdb/move.go` (since PR #2724, from reading the code) compares the
/// *receiving* account's `movedTo` instead of the origin's (E15). Here only the origin's
/// `movedTo` counts: a target that carries no movedTo and an origin that names the target pass.
#[test]
fn gotosocial_e15_compares_the_origins_moved_to() {
    let mut world = World::aliased();
    let inbound = push_move().with_origin_facts(ActorFacts::new(ORIGIN).with_moved_to(TARGET));
    assert!(world.run(inbound, t0()).is_accept());
}

/// Mitra `handlers/move.rs` (from reading the code) accepts the *target's own* alsoKnownAs as
/// proof in pull mode — attacker-controlled (E3).
#[test]
fn mitra_pull_mode_does_not_trust_the_new_actors_own_alias() {
    let mut world = World::aliased(); // TARGET aliases ORIGIN; ORIGIN names nobody
    let pull = InboundMove::new(MoveFacts::new(
        "https://new.example/users/alice/moves/1",
        TARGET,
        ORIGIN,
        TARGET,
    ))
    .authenticated_by(http_sig(TARGET));
    let config = InboundConfig::default().allow_pull(true);
    assert_eq!(
        outcome(&world.run_with(config, AcceptAll, pull.clone(), t0())),
        "missing_old_side_proof"
    );
    // A document claiming to be the old actor but served for another id is no evidence.
    let fake = pull.with_old_side_proof(OldSideProof::OldActorDocument(
        ActorFacts::new("https://evil.example/users/alice").with_alias(TARGET),
    ));
    assert_eq!(
        outcome(&world.run_with(config, AcceptAll, fake, t0())),
        "missing_old_side_proof"
    );
}

/// Misskey's outbound check uses a substring `includes` on alsoKnownAs (from reading the
/// code). The preflight compares exactly.
#[test]
fn misskey_outbound_alias_check_is_not_a_substring_test() {
    let err = preflight(
        ActorFacts::new(ORIGIN),
        TARGET,
        Fetched::Actor(ActorFacts::new(TARGET).with_alias(format!("{ORIGIN}-impostor"))),
    )
    .unwrap_err();
    assert_eq!(err.kind(), "target_not_aliased");
}

/// VernissageApp/VernissageServer#561, TryGhost/ActivityPub PR #1816 review: one broken
/// follower aborted the whole loop. The delivery list skips it and carries on.
#[test]
fn vernissage_561_one_broken_follower_does_not_stop_delivery() {
    let mut list = DeliveryList::new();
    let followers = vec![
        Endpoint::with_shared("https://a.example/u/1/inbox", "https://a.example/inbox"),
        Endpoint::inbox("not a url"),
        Endpoint::default(),
        Endpoint::with_shared("https://a.example/u/2/inbox", "https://a.example/inbox"),
        Endpoint::inbox("https://b.example/u/3/inbox"),
    ];
    let inboxes: Vec<String> = list.stream(followers).collect();
    assert_eq!(
        inboxes,
        ["https://a.example/inbox", "https://b.example/u/3/inbox"]
    );
    assert_eq!(list.invalid(), 2);
}

/// An actor document's facts through `activitystreams-move` and the `fep7628::adapt` adapter.
fn actor_facts(doc: &serde_json::Value) -> fep7628::inbound::ActorFacts {
    let bytes = serde_json::to_vec(doc).expect("serialisable");
    fep7628::adapt::parse_actor(&bytes, &activitystreams_move::ReadOptions::default())
        .expect("activitystreams-move reads the actor")
}
