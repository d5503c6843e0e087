//! spec/move.md §3: every E-row that applies to a receiver or a sender, one named test each.
//! Each case is built so that only the guard under test stands between it and an Accept
//! (the `control_*` tests show the unmodified case is accepted).
//!
//! Not here, because they are not decided by this pipeline: E13 (locked target: the re-follow
//! plan and the target's `arriving_follower` policy), E14 (follower already follows target:
//! the plan's idempotent follow), E17 (Update-only migration: this crate has no API that
//! migrates on `movedTo` alone — FEP-7628 ties migration to the Move), E18 (partial failure:
//! the plan's per-follower isolation).

mod inbound_support;

use std::time::SystemTime;

use fep7628::Error;
use fep7628::inbound::{
    ActorFacts, Authentication, Decision, FetchPurpose, Fetched, InboundConfig, InboundMove,
    ModerationState, MoveFacts, MoveMode, OldSideProof, Rejection,
};
use fep7628::outbound::{Preflight, PreflightStep, preflight_pull};
use fep7628::policy::{CooldownPolicy, CooldownSubject, DomainBlockPolicy, PolicyReason};
use inbound_support::*;

fn pull_config() -> InboundConfig {
    InboundConfig::default().allow_pull(true)
}

/// Runs `inbound` with pull mode allowed and no policy in the way, at [`t0`].
fn run_pull(world: &mut World, inbound: InboundMove) -> Decision {
    world.run_with(pull_config(), fep7628::policy::AcceptAll, inbound, t0())
}

fn pull_move() -> InboundMove {
    InboundMove::new(MoveFacts::new(
        "https://new.example/users/alice/moves/1",
        TARGET,
        ORIGIN,
        TARGET,
    ))
    .authenticated_by(http_sig(TARGET))
}

#[test]
fn control_push_move_is_accepted() {
    let mut world = World::aliased();
    let decision = world.run(push_move(), t0());
    let Decision::Accept(v) = decision else {
        panic!("expected accept, got {decision:?}")
    };
    assert_eq!(v.origin(), ORIGIN);
    assert_eq!(v.target(), TARGET);
    assert_eq!(v.mode(), MoveMode::Push);
    assert_eq!(v.move_id(), Some(MOVE_ID));
    assert_eq!(v.verified_at(), t0());
    assert_eq!(v.origin_facts(), None, "push mode needs no origin document");
    assert_eq!(world.fetched_urls(), [TARGET]);
}

// --- E1 -----------------------------------------------------------------------------------

#[test]
fn e01_forged_move_signer_mismatch() {
    let mut world = World::aliased();
    let forged = InboundMove::new(MoveFacts::new(MOVE_ID, ORIGIN, ORIGIN, TARGET))
        .authenticated_by(http_sig(MALLORY));
    let decision = world.run(forged, t0());
    assert_eq!(
        decision.rejection(),
        Some(&Rejection::SignerMismatch {
            signer: MALLORY.into(),
            actor: ORIGIN.into()
        })
    );
    // Nothing was fetched or looked up for a forged Move.
    assert!(world.fetches.is_empty() && world.lookups.is_empty());
    assert!(!decision.effects().record_move);
}

#[test]
fn e01_unauthenticated_move_is_rejected() {
    let mut world = World::aliased();
    let decision = world.run(
        InboundMove::new(MoveFacts::new(MOVE_ID, ORIGIN, ORIGIN, TARGET)),
        t0(),
    );
    assert_eq!(decision.rejection(), Some(&Rejection::Unauthenticated));
}

#[test]
fn e01_relayed_move_with_integrity_proof_by_actor_is_accepted() {
    // A relay's HTTP signature, but a FEP-8b32 proof by the actor: the proof takes precedence.
    let mut world = World::aliased();
    let relayed = InboundMove::new(MoveFacts::new(MOVE_ID, ORIGIN, ORIGIN, TARGET))
        .authenticated_by(http_sig("https://relay.example/actor"))
        .authenticated_by(Authentication::IntegrityProof {
            verified_actor_id: ORIGIN.into(),
        });
    let decision = world.run(relayed, t0());
    let Decision::Accept(v) = decision else {
        panic!("{decision:?}")
    };
    assert!(matches!(
        v.authentication(),
        Authentication::IntegrityProof { .. }
    ));
}

#[test]
fn e01_integrity_proof_by_another_actor_wins_over_matching_http_signature() {
    let mut world = World::aliased();
    let inbound = push_move().authenticated_by(Authentication::IntegrityProof {
        verified_actor_id: MALLORY.into(),
    });
    assert_eq!(outcome(&world.run(inbound, t0())), "signer_mismatch");
}

// --- E2 -----------------------------------------------------------------------------------

#[test]
fn e02_moving_someone_else_object_mismatch() {
    // Mallory signs a Move of Alice's account to Alice's new account (which aliases Alice).
    let mut world = World::aliased();
    let inbound = InboundMove::new(MoveFacts::new(
        "https://evil.example/moves/1",
        MALLORY,
        ORIGIN,
        TARGET,
    ))
    .authenticated_by(http_sig(MALLORY));
    let decision = run_pull(&mut world, inbound);
    assert_eq!(
        decision.rejection(),
        Some(&Rejection::ObjectMismatch {
            actor: MALLORY.into(),
            object: ORIGIN.into()
        })
    );
}

// --- E3 -----------------------------------------------------------------------------------

#[test]
fn e03_pull_mode_hijack_without_old_side_proof() {
    // The attacker controls TARGET and sets its alsoKnownAs to the victim; the victim's own
    // (fresh) document names nobody.
    let mut world = World::aliased();
    let decision = run_pull(&mut world, pull_move());
    assert_eq!(
        decision.rejection(),
        Some(&Rejection::MissingOldSideProof {
            origin: ORIGIN.into(),
            target: TARGET.into()
        })
    );
    assert!(
        world
            .fetches
            .iter()
            .any(|(u, p, fresh)| u == ORIGIN && *p == FetchPurpose::Origin && *fresh)
    );
}

#[test]
fn e03_pull_mode_is_opt_in() {
    let mut world = World::aliased();
    world.put(ActorFacts::new(ORIGIN).with_alias(TARGET));
    assert_eq!(
        world.run(pull_move(), t0()).rejection(),
        Some(&Rejection::PullModeDisabled)
    );
}

#[test]
fn e03_pull_mode_with_old_actor_naming_new_is_accepted() {
    let mut world = World::aliased();
    world.put(ActorFacts::new(ORIGIN).with_alias(TARGET));
    let d = run_pull(&mut world, pull_move());
    let Decision::Accept(v) = d else {
        panic!("{d:?}")
    };
    assert_eq!(v.mode(), MoveMode::Pull);
    assert!(v.origin_facts().is_some_and(|o| o.aliases(TARGET)));
}

#[test]
fn e03_pull_mode_with_shared_identity_subject_is_accepted() {
    let did = "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
    let mut world = World::aliased();
    world.put(
        ActorFacts::new(TARGET)
            .with_alias(ORIGIN)
            .with_identity_did(did),
    );
    world.put(ActorFacts::new(ORIGIN).with_identity_did(did));
    let d = run_pull(&mut world, pull_move());
    assert!(d.is_accept(), "{d:?}");
}

#[test]
fn e03_pull_mode_origin_offline_uses_supplied_proof() {
    let mut world = World::aliased();
    world.remote.insert(ORIGIN.into(), Fetched::Error);
    let without = run_pull(&mut world, pull_move());
    assert_eq!(outcome(&without), "missing_old_side_proof");
    let with = pull_move().with_old_side_proof(OldSideProof::IntegrityProof {
        verified_actor_id: ORIGIN.into(),
    });
    let d = run_pull(&mut world, with);
    assert!(d.is_accept(), "{d:?}");
}

#[test]
fn e03_outbound_pull_requires_old_side_proof() {
    let new = ActorFacts::new(TARGET).with_alias(ORIGIN);
    let err = preflight_pull(&new, ORIGIN, &[], None, DAY * 30, t0()).unwrap_err();
    assert_eq!(err.kind(), "missing_old_side_proof");
    let ok = preflight_pull(
        &new,
        ORIGIN,
        &[OldSideProof::OldActorDocument(
            ActorFacts::new(ORIGIN).with_moved_to(TARGET),
        )],
        None,
        DAY * 30,
        t0(),
    )
    .unwrap();
    assert_eq!(ok.mode(), MoveMode::Pull);
    assert_eq!(ok.sender(), TARGET);
}

// --- E4 / E5 ------------------------------------------------------------------------------

#[test]
fn e04_target_does_not_alias_back() {
    let mut world = World::aliased();
    world.put(ActorFacts::new(TARGET).with_alias("https://old.example/users/bob"));
    assert_eq!(
        world.run(push_move(), t0()).rejection(),
        Some(&Rejection::NotAliased {
            target: TARGET.into(),
            origin: ORIGIN.into()
        })
    );
}

#[test]
fn e04_alias_compare_is_exact_not_substring() {
    let mut world = World::aliased();
    world.put(ActorFacts::new(TARGET).with_alias(format!("{ORIGIN}x")));
    assert_eq!(outcome(&world.run(push_move(), t0())), "not_aliased");
    world.put(ActorFacts::new(TARGET).with_alias(format!("{ORIGIN}/")));
    assert_eq!(outcome(&world.run(push_move(), t0())), "not_aliased");
}

#[test]
fn e05_stale_alias_always_refetched_and_retry_not_burned() {
    let mut world = World::aliased();
    world.put(ActorFacts::new(TARGET)); // alias not published yet
    let policy = CooldownPolicy::gotosocial();
    let first = world.run_with(InboundConfig::default(), policy, push_move(), t0());
    assert_eq!(outcome(&first), "not_aliased");
    assert!(first.effects().retryable);
    assert!(!first.effects().record_move);
    // The alias appears a minute later; the retry must be fetched fresh again and succeed,
    // with no cooldown left behind by the first attempt.
    world.put(ActorFacts::new(TARGET).with_alias(ORIGIN));
    let later = t0() + std::time::Duration::from_secs(60);
    let second = world.run_with(InboundConfig::default(), policy, push_move(), later);
    assert!(second.is_accept(), "{second:?}");
    assert_eq!(world.fetched_urls(), [TARGET, TARGET]);
    assert!(world.fetches.iter().all(|(_, _, fresh)| *fresh));
}

#[test]
fn e05_outbound_preflight_fetches_target_fresh() {
    let mut pre = Preflight::new(ActorFacts::new(ORIGIN), TARGET, t0());
    let PreflightStep::Fetch(req) = pre.next().unwrap() else {
        panic!("expected a fetch")
    };
    assert!(req.fresh);
    assert_eq!(req.url, TARGET);
    pre.handle_fetched(TARGET, Fetched::Actor(ActorFacts::new(TARGET)))
        .unwrap();
    assert_eq!(pre.next().unwrap_err().kind(), "target_not_aliased");
}

// --- E6 -----------------------------------------------------------------------------------

#[test]
fn e06_move_to_self() {
    let mut world = World::aliased();
    world.put(ActorFacts::new(ORIGIN).with_alias(ORIGIN));
    let inbound = InboundMove::new(MoveFacts::new(MOVE_ID, ORIGIN, ORIGIN, ORIGIN))
        .authenticated_by(http_sig(ORIGIN));
    assert_eq!(
        world.run(inbound, t0()).rejection(),
        Some(&Rejection::SelfMove {
            actor: ORIGIN.into()
        })
    );
}

#[test]
fn e06_outbound_self_move() {
    let mut pre = Preflight::new(ActorFacts::new(ORIGIN), ORIGIN, t0());
    assert_eq!(pre.next().unwrap_err().kind(), "self_move");
}

// --- E7 -----------------------------------------------------------------------------------

#[test]
fn e07_target_suspended_locally_is_not_fetched() {
    let mut world = World::aliased();
    world.moderation = ModerationState {
        target_suspended: true,
        ..ModerationState::default()
    };
    assert_eq!(outcome(&world.run(push_move(), t0())), "target_suspended");
    assert!(world.fetches.is_empty());
}

#[test]
fn e07_target_suspended_by_its_server() {
    let mut world = World::aliased();
    let mut target = ActorFacts::new(TARGET).with_alias(ORIGIN);
    target.suspended = true;
    world.put(target);
    assert_eq!(outcome(&world.run(push_move(), t0())), "target_suspended");
}

#[test]
fn e07_target_gone() {
    let mut world = World::aliased();
    world.remote.insert(TARGET.into(), Fetched::Gone);
    assert_eq!(outcome(&world.run(push_move(), t0())), "target_gone");
    let mut tomb = ActorFacts::new(TARGET).with_alias(ORIGIN);
    tomb.tombstone = true;
    world.put(tomb);
    assert_eq!(outcome(&world.run(push_move(), t0())), "target_gone");
}

#[test]
fn e07_target_domain_blocked_locally() {
    let mut world = World::aliased();
    world.moderation.target_domain_blocked = true;
    assert_eq!(
        outcome(&world.run(push_move(), t0())),
        "target_domain_blocked"
    );
    assert!(world.fetches.is_empty());
}

#[test]
fn e07_target_domain_blocked_by_policy() {
    let mut world = World::aliased();
    let policy = DomainBlockPolicy::new().with_block("NEW.example.");
    let d = world.run_with(InboundConfig::default(), policy, push_move(), t0());
    assert!(matches!(
        d.rejection(),
        Some(Rejection::Policy(PolicyReason::DomainBlocked { .. }))
    ));
    assert!(world.fetches.is_empty());
}

#[test]
fn e07_target_blocked() {
    let mut world = World::aliased();
    world.moderation.target_blocked = true;
    assert_eq!(outcome(&world.run(push_move(), t0())), "target_blocked");
}

// --- E8 / E9 ------------------------------------------------------------------------------

#[test]
fn e08_chained_move_target_has_moved() {
    let mut world = World::aliased();
    world.put(
        ActorFacts::new(TARGET)
            .with_alias(ORIGIN)
            .with_moved_to("https://third.example/users/alice"),
    );
    assert_eq!(
        world.run(push_move(), t0()).rejection(),
        Some(&Rejection::TargetMoved {
            target: TARGET.into(),
            moved_to: "https://third.example/users/alice".into()
        })
    );
}

#[test]
fn e08_chained_move_target_moved_per_local_graph() {
    let mut world = World::aliased();
    world
        .moved_to
        .insert(TARGET.into(), "https://third.example/users/alice".into());
    assert_eq!(outcome(&world.run(push_move(), t0())), "target_moved");
}

#[test]
fn e08_outbound_target_moved() {
    let mut pre = Preflight::new(ActorFacts::new(ORIGIN), TARGET, t0());
    pre.next().unwrap();
    pre.handle_fetched(
        TARGET,
        Fetched::Actor(
            ActorFacts::new(TARGET)
                .with_alias(ORIGIN)
                .with_moved_to("https://third.example/u"),
        ),
    )
    .unwrap();
    assert_eq!(pre.next().unwrap_err().kind(), "target_moved");
}

#[test]
fn e09_move_loop_target_moved_back_to_origin() {
    let mut world = World::aliased();
    world.put(
        ActorFacts::new(TARGET)
            .with_alias(ORIGIN)
            .with_moved_to(ORIGIN),
    );
    assert_eq!(outcome(&world.run(push_move(), t0())), "move_loop");
}

#[test]
fn e09_move_loop_through_local_graph() {
    // Earlier accepted: TARGET -> B -> ORIGIN; now ORIGIN -> TARGET would close the loop.
    let b = "https://b.example/users/alice";
    let mut world = World::aliased();
    world.moved_to.insert(TARGET.into(), b.into());
    world.moved_to.insert(b.into(), ORIGIN.into());
    assert_eq!(
        world.run(push_move(), t0()).rejection(),
        Some(&Rejection::MoveLoop {
            target: TARGET.into(),
            origin: ORIGIN.into()
        })
    );
}

#[test]
fn e09_local_graph_walk_is_bounded() {
    let mut world = World::aliased();
    // A cycle that never reaches the origin.
    world
        .moved_to
        .insert(TARGET.into(), "https://x.example/a".into());
    world
        .moved_to
        .insert("https://x.example/a".into(), "https://x.example/b".into());
    world
        .moved_to
        .insert("https://x.example/b".into(), "https://x.example/a".into());
    assert_eq!(outcome(&world.run(push_move(), t0())), "target_moved");
    assert!(world.lookups.len() <= 4 + 10);
}

#[test]
fn e09_outbound_cycle() {
    let mut pre = Preflight::new(ActorFacts::new(ORIGIN), TARGET, t0());
    pre.next().unwrap();
    pre.handle_fetched(
        TARGET,
        Fetched::Actor(
            ActorFacts::new(TARGET)
                .with_alias(ORIGIN)
                .with_moved_to(ORIGIN),
        ),
    )
    .unwrap();
    assert_eq!(pre.next().unwrap_err().kind(), "move_cycle");
}

// --- E10 ----------------------------------------------------------------------------------

#[test]
fn e10_repeated_moves_cooldown_per_origin() {
    let mut world = World::aliased();
    world.last_move.insert(ORIGIN.into(), t0() - DAY * 3);
    let d = world.run_with(
        InboundConfig::default(),
        CooldownPolicy::mastodon(),
        push_move(),
        t0(),
    );
    assert!(matches!(
        d.rejection(),
        Some(Rejection::Policy(PolicyReason::Cooldown {
            subject: CooldownSubject::Origin,
            ..
        }))
    ));
    assert!(world.fetches.is_empty());
    // After the 7 days the same Move passes.
    let d = world.run_with(
        InboundConfig::default(),
        CooldownPolicy::mastodon(),
        push_move(),
        t0() + DAY * 5,
    );
    assert!(d.is_accept(), "{d:?}");
}

#[test]
fn e10_repeated_moves_cooldown_per_target() {
    let mut world = World::aliased();
    world.last_move.insert(TARGET.into(), t0() - DAY);
    let d = world.run_with(
        InboundConfig::default(),
        CooldownPolicy::gotosocial(),
        push_move(),
        t0(),
    );
    assert!(matches!(
        d.rejection(),
        Some(Rejection::Policy(PolicyReason::Cooldown {
            subject: CooldownSubject::Target,
            ..
        }))
    ));
    // Mastodon's rule only looks at the origin.
    let d = world.run_with(
        InboundConfig::default(),
        CooldownPolicy::mastodon(),
        push_move(),
        t0(),
    );
    assert!(d.is_accept(), "{d:?}");
}

#[test]
fn e10_outbound_cooldown() {
    let mut pre =
        Preflight::new(ActorFacts::new(ORIGIN), TARGET, t0()).with_last_move(Some(t0() - DAY * 29));
    let err = pre.next().unwrap_err();
    assert!(matches!(err, Error::CooldownActive { until } if until == t0() + DAY));
    let mut pre =
        Preflight::new(ActorFacts::new(ORIGIN), TARGET, t0()).with_last_move(Some(t0() - DAY * 31));
    assert!(matches!(pre.next(), Ok(PreflightStep::Fetch(_))));
    let mut pre = Preflight::new(ActorFacts::new(ORIGIN), TARGET, t0())
        .with_last_move(Some(t0() - DAY * 2))
        .with_cooldown(DAY);
    assert!(matches!(pre.next(), Ok(PreflightStep::Fetch(_))));
}

// --- E11 ----------------------------------------------------------------------------------

#[test]
fn e11_duplicate_move_with_new_id_is_rejected_as_duplicate() {
    let mut world = World::aliased();
    assert!(world.run(push_move(), t0()).is_accept());
    let retried = InboundMove::new(MoveFacts::new(
        "https://old.example/users/alice/moves/2",
        ORIGIN,
        ORIGIN,
        TARGET,
    ))
    .authenticated_by(http_sig(ORIGIN));
    let d = world.run(retried, t0() + DAY);
    assert_eq!(
        d.rejection(),
        Some(&Rejection::Duplicate {
            first_accepted: t0()
        })
    );
    assert!(!d.effects().record_move);
    // The duplicate is answered before anything is fetched.
    assert_eq!(world.fetched_urls(), [TARGET]);
    // Both decisions carry the same migration id.
    assert_eq!(world.audit[0].migration_id, world.audit[1].migration_id);
}

// --- E12 ----------------------------------------------------------------------------------

#[test]
fn e12_origin_unreachable_push_needs_no_origin_fetch() {
    let mut world = World::aliased();
    world.remote.insert(ORIGIN.into(), Fetched::Error);
    assert!(world.run(push_move(), t0()).is_accept());
    assert_eq!(world.fetched_urls(), [TARGET]);
    // Even when the receiver asks for the origin, an unreachable origin does not block.
    let d = world.run_with(
        InboundConfig::default().refetch_origin(true),
        fep7628::policy::AcceptAll,
        push_move(),
        t0() + DAY * 400,
    );
    // (Already processed from the first run.)
    assert_eq!(outcome(&d), "duplicate");
    let mut fresh_world = World::aliased();
    fresh_world.remote.insert(ORIGIN.into(), Fetched::Error);
    let d = fresh_world.run_with(
        InboundConfig::default().refetch_origin(true),
        fep7628::policy::AcceptAll,
        push_move(),
        t0(),
    );
    assert!(d.is_accept(), "{d:?}");
    assert_eq!(fresh_world.fetched_urls(), [TARGET, ORIGIN]);
}

// --- E15 ----------------------------------------------------------------------------------

#[test]
fn e15_origin_moved_to_names_another_target() {
    let mut world = World::aliased();
    let other = "https://other.example/users/alice";
    let inbound = push_move().with_origin_facts(ActorFacts::new(ORIGIN).with_moved_to(other));
    assert_eq!(
        world.run(inbound, t0()).rejection(),
        Some(&Rejection::OriginMovedElsewhere {
            origin: ORIGIN.into(),
            moved_to: other.into(),
            target: TARGET.into()
        })
    );
    // Naming the Move's own target is fine.
    let mut world = World::aliased();
    let inbound = push_move().with_origin_facts(ActorFacts::new(ORIGIN).with_moved_to(TARGET));
    assert!(world.run(inbound, t0()).is_accept());
}

#[test]
fn e15_refetched_origin_moved_elsewhere() {
    let mut world = World::aliased();
    world.put(ActorFacts::new(ORIGIN).with_moved_to("https://other.example/users/alice"));
    let d = world.run_with(
        InboundConfig::default().refetch_origin(true),
        fep7628::policy::AcceptAll,
        push_move(),
        t0(),
    );
    assert_eq!(outcome(&d), "origin_moved_elsewhere");
}

// --- E16 ----------------------------------------------------------------------------------

#[test]
fn e16_target_with_malformed_moved_to_still_counts_as_moved() {
    // FEP-e965: movedTo must be one URI; an empty or non-URI movedTo is malformed, but the
    // actor still declared itself moved: never treat it as an active primary.
    for bad in ["", "Tombstone"] {
        let mut world = World::aliased();
        world.put(
            ActorFacts::new(TARGET)
                .with_alias(ORIGIN)
                .with_moved_to(bad),
        );
        assert_eq!(
            outcome(&world.run(push_move(), t0())),
            "target_moved",
            "{bad:?}"
        );
    }
}

#[test]
fn e16_target_with_too_many_aliases_is_malformed() {
    let mut world = World::aliased();
    let mut target = ActorFacts::new(TARGET);
    target.also_known_as = (0..300).map(|i| format!("https://x.example/{i}")).collect();
    target.also_known_as.push(ORIGIN.into());
    world.put(target);
    assert_eq!(outcome(&world.run(push_move(), t0())), "target_malformed");
}

// --- shape (§1.8 #40.2) --------------------------------------------------------------------

#[test]
fn shape_missing_id_is_malformed_unless_lenient() {
    let mut world = World::aliased();
    let mut facts = MoveFacts::new(MOVE_ID, ORIGIN, ORIGIN, TARGET);
    facts.id = None;
    let inbound = InboundMove::new(facts).authenticated_by(http_sig(ORIGIN));
    assert_eq!(
        world.run(inbound.clone(), t0()).rejection(),
        Some(&Rejection::Malformed {
            at: "/id",
            problem: "missing id"
        })
    );
    let d = world.run_with(
        InboundConfig::default().require_id(false),
        fep7628::policy::AcceptAll,
        inbound,
        t0(),
    );
    assert!(d.is_accept(), "{d:?}");
}

#[test]
fn shape_not_exactly_one_object_or_target() {
    let mut world = World::aliased();
    let mut two_targets = MoveFacts::new(MOVE_ID, ORIGIN, ORIGIN, TARGET);
    two_targets.target.push("https://third.example/u".into());
    let d = world.run(
        InboundMove::new(two_targets).authenticated_by(http_sig(ORIGIN)),
        t0(),
    );
    assert!(matches!(
        d.rejection(),
        Some(Rejection::Malformed { at: "/target", .. })
    ));
    let mut no_object = MoveFacts::new(MOVE_ID, ORIGIN, ORIGIN, TARGET);
    no_object.object.clear();
    let d = world.run(
        InboundMove::new(no_object).authenticated_by(http_sig(ORIGIN)),
        t0(),
    );
    assert!(matches!(
        d.rejection(),
        Some(Rejection::Malformed { at: "/object", .. })
    ));
}

#[test]
fn shape_target_must_be_an_http_url() {
    let mut world = World::aliased();
    let inbound = InboundMove::new(MoveFacts::new(
        MOVE_ID,
        ORIGIN,
        ORIGIN,
        "acct:alice@new.example",
    ))
    .authenticated_by(http_sig(ORIGIN));
    assert!(matches!(
        world.run(inbound, t0()).rejection(),
        Some(Rejection::Malformed { at: "/target", .. })
    ));
}

#[test]
fn target_serving_another_id_is_rejected() {
    let mut world = World::aliased();
    world.remote.insert(
        TARGET.into(),
        Fetched::Actor(ActorFacts::new("https://new.example/users/eve").with_alias(ORIGIN)),
    );
    assert_eq!(outcome(&world.run(push_move(), t0())), "target_id_mismatch");
}

#[test]
fn already_moved_to_same_target_outbound() {
    let mut pre = Preflight::new(ActorFacts::new(ORIGIN).with_moved_to(TARGET), TARGET, t0());
    assert_eq!(pre.next().unwrap_err().kind(), "already_moved_to");
}

#[test]
fn every_rejection_leaves_nothing_to_record() {
    // A rejected Move never burns a cooldown; only `Accept` has `record_move`.
    let _: SystemTime = t0();
    let mut world = World::aliased();
    world.put(ActorFacts::new(TARGET));
    let d = world.run(push_move(), t0());
    assert!(!d.effects().record_move);
    assert!(world.processed.is_empty() && world.last_move.is_empty());
}
