//! Driving `MoveCheck` wrongly is an `Error`, never a panic or a silent success; limits bound
//! every check.

mod inbound_support;

use fep7628::inbound::{
    ActorFacts, Answer, Fetched, InboundConfig, Limits, ModerationState, MoveCheck, Step,
};
use fep7628::policy::AcceptAll;
use inbound_support::*;

#[test]
fn unanswered_question_is_repeated_and_wrong_answers_are_refused() {
    let mut check = MoveCheck::new(AcceptAll, push_move(), t0());
    // Nothing asked yet: any answer is unexpected.
    assert_eq!(
        check
            .handle_lookup(Answer::LastMove(None))
            .unwrap_err()
            .kind(),
        "unexpected_answer"
    );
    let first = check.next().unwrap();
    assert_eq!(check.next().unwrap(), first, "repeated until answered");
    let Step::Lookup(_) = first else {
        panic!("{first:?}")
    };
    // Wrong kind of answer, and a fetch answer to a lookup.
    assert!(check.handle_lookup(Answer::LastMove(None)).is_err());
    assert!(check.handle_fetched(TARGET, Fetched::NotFound).is_err());
    // Still waiting for the same question.
    assert_eq!(check.next().unwrap(), first);
    check.handle_lookup(Answer::AlreadyProcessed(None)).unwrap();
    check.handle_lookup(Answer::LastMove(None)).unwrap_err();
    check.next().unwrap();
    check.handle_lookup(Answer::LastMove(None)).unwrap();
    check.next().unwrap();
    check.handle_lookup(Answer::LastMove(None)).unwrap();
    check.next().unwrap();
    check
        .handle_lookup(Answer::Moderation(ModerationState::default()))
        .unwrap();
    let Step::Fetch(req) = check.next().unwrap() else {
        panic!("expected the target fetch")
    };
    assert!(
        check
            .handle_fetched("https://elsewhere.example/", Fetched::NotFound)
            .is_err()
    );
    check
        .handle_fetched(
            &req.url,
            Fetched::Actor(ActorFacts::new(TARGET).with_alias(ORIGIN)),
        )
        .unwrap();
    check.next().unwrap();
    check.handle_lookup(Answer::LocalMovedTo(None)).unwrap();
    let Step::Done { decision, .. } = check.next().unwrap() else {
        panic!("expected the decision")
    };
    assert!(decision.is_accept());
    assert_eq!(check.next().unwrap_err().kind(), "finished");
    assert_eq!(
        check
            .handle_fetched(TARGET, Fetched::NotFound)
            .unwrap_err()
            .kind(),
        "finished"
    );
}

#[test]
fn fetch_limit_bounds_pull_mode() {
    // Pull mode needs two fetches (target, then origin); with one allowed it stops.
    let mut world = World::aliased();
    world.put(ActorFacts::new(ORIGIN).with_alias(TARGET));
    let pull = fep7628::inbound::InboundMove::new(fep7628::inbound::MoveFacts::new(
        "https://new.example/users/alice/moves/1",
        TARGET,
        ORIGIN,
        TARGET,
    ))
    .authenticated_by(http_sig(TARGET));
    let tight = InboundConfig::default()
        .allow_pull(true)
        .limits(Limits::default().with_max_fetches(1));
    let d = world.run_with(tight, AcceptAll, pull.clone(), t0());
    assert_eq!(outcome(&d), "limit_exceeded");
    let d = world.run_with(
        InboundConfig::default().allow_pull(true),
        AcceptAll,
        pull,
        t0(),
    );
    assert!(d.is_accept(), "{d:?}");
}

#[test]
fn step_limit_bounds_every_check() {
    let mut world = World::aliased();
    let tight = InboundConfig::default().limits(Limits::default().with_max_steps(3));
    assert_eq!(
        outcome(&world.run_with(tight, AcceptAll, push_move(), t0())),
        "limit_exceeded"
    );
    assert!(world.fetches.is_empty());
}

#[test]
fn chain_hop_limit_still_rejects_as_moved() {
    let mut world = World::aliased();
    // A long chain away from the target, never reaching the origin.
    let mut prev = TARGET.to_owned();
    for i in 0..50 {
        let next = format!("https://hop{i}.example/u");
        world.moved_to.insert(prev, next.clone());
        prev = next;
    }
    let limits = Limits::default().with_max_chain_hops(5);
    let d = world.run_with(
        InboundConfig::default().limits(limits),
        AcceptAll,
        push_move(),
        t0(),
    );
    assert_eq!(outcome(&d), "target_moved");
    let walked = world
        .lookups
        .iter()
        .filter(|q| matches!(q, fep7628::inbound::Query::LocalMovedTo { .. }))
        .count();
    assert_eq!(walked, 5);
}
