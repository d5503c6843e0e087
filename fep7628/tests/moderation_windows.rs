//! Window limits, arrival surges and follower farming, judged against a caller-supplied
//! history — including a surge split into many small moves, and a history rebuilt from audit
//! events after a restart.

mod inbound_support;

use std::time::{Duration, SystemTime};

use fep7628::inbound::{ActorFacts, Decision, InboundConfig, InboundMove, MoveFacts};
use fep7628::moderation::{
    ArrivalHistory, ArrivalRecord, FollowerFarmingPolicy, HistoryPolicy, LimitScope, LimitUnit,
    ModerationReason, RateLimit, RateLimitPolicy, RuleAction, SurgeKind, SurgePolicy,
};
use fep7628::policy::{
    AcceptAll, ArrivingFollower, MigrationId, MigrationPolicy, PolicyReason, Verdict,
    check_arriving_follower,
};
use inbound_support::*;

const HOUR: Duration = Duration::from_secs(3600);

fn moderation(v: &Verdict) -> Vec<ModerationReason> {
    let reasons: Vec<&PolicyReason> = match v {
        Verdict::Accept => Vec::new(),
        Verdict::Hold(r) => r.iter().collect(),
        Verdict::Reject(r) => vec![r],
    };
    reasons
        .into_iter()
        .filter_map(|r| match r {
            PolicyReason::Moderation(m) => Some(m.clone()),
            _ => None,
        })
        .collect()
}

fn follower_verdict<P: MigrationPolicy>(
    policy: &P,
    origin: &str,
    target: &str,
    follower: &str,
) -> Verdict {
    let id = MigrationId::new(origin, target);
    policy.arriving_follower(&ArrivingFollower::new(&id, follower, origin, target, t0()))
}

/// A push Move from `origin` to `target`, with both actors in `world`.
fn move_between(world: &mut World, origin: &str, target: &str) -> InboundMove {
    world.put(ActorFacts::new(target).with_alias(origin));
    world.put(ActorFacts::new(origin));
    InboundMove::new(MoveFacts::new(
        format!("{origin}#move"),
        origin,
        origin,
        target,
    ))
    .authenticated_by(http_sig(origin))
}

#[test]
fn moves_per_origin_server_per_window() {
    let limits = RateLimitPolicy::new(vec![RateLimit {
        scope: LimitScope::OriginServer,
        unit: LimitUnit::Moves,
        max: 3,
        window: 24 * HOUR,
        action: RuleAction::Reject,
    }]);
    let mut history = ArrivalHistory::new();
    // Three accepted moves from farm.example today, one yesterday-but-outside the window, one
    // from another server.
    for i in 0..3 {
        history.record(ArrivalRecord::accepted_move(
            &format!("https://farm.example/u/{i}"),
            &format!("https://here.example/u/{i}"),
            0,
            t0() - HOUR * (i + 1),
        ));
    }
    history.record(ArrivalRecord::accepted_move(
        "https://farm.example/u/old",
        "https://here.example/u/old",
        0,
        t0() - 25 * HOUR,
    ));
    history.record(ArrivalRecord::accepted_move(
        "https://other.example/u/x",
        "https://here.example/u/x",
        0,
        t0() - HOUR,
    ));
    let policy = limits.against(&history);

    let mut world = World::default();
    let mv = move_between(
        &mut world,
        "https://FARM.example/u/9",
        "https://here.example/u/9",
    );
    let d = world.run_with(InboundConfig::default(), policy, mv, t0());
    match &d {
        Decision::Reject(fep7628::Rejection::Policy(PolicyReason::Moderation(
            ModerationReason::RateLimited {
                scope,
                key,
                count,
                limit,
                ..
            },
        ))) => {
            assert_eq!(*scope, LimitScope::OriginServer);
            assert_eq!(key, "farm.example");
            assert_eq!((*count, *limit), (4, 3));
        }
        other => panic!("{other:?}"),
    }

    // From a server with one move today: accepted.
    let mut world = World::default();
    let mv = move_between(
        &mut world,
        "https://other.example/u/y",
        "https://here.example/u/y",
    );
    let d = world.run_with(InboundConfig::default(), limits.against(&history), mv, t0());
    assert!(matches!(d, Decision::Accept(_)), "{d:?}");

    // Followers of an accepted move are not counted as moves.
    assert_eq!(
        follower_verdict(
            &limits.against(&history),
            "https://farm.example/u/1",
            "https://here.example/u/1",
            "https://f.example/u/1"
        ),
        Verdict::Accept
    );
}

/// `moves` migrations of 10 followers each into `target`, each from its own origin server
/// (`s0.example`, `s1.example`, …), all at `at`.
fn tens_from_many_servers(target: &str, moves: u32, at: SystemTime) -> ArrivalHistory {
    let mut history = ArrivalHistory::new();
    for i in 0..moves {
        history.record(ArrivalRecord::arrived_followers(
            &format!("https://s{i}.example/u/a"),
            target,
            10,
            at,
        ));
    }
    history
}

#[test]
fn followers_per_target_per_window_hold_then_pass_when_the_window_moves_on() {
    let limits = RateLimitPolicy::new(vec![RateLimit {
        scope: LimitScope::Target,
        unit: LimitUnit::Followers,
        max: 50,
        window: 24 * HOUR,
        action: RuleAction::Hold,
    }]);
    let target = "https://here.example/u/star";
    // 50 followers from five different migrations, all into the same target, 2 hours ago.
    let history = tens_from_many_servers(target, 5, t0() - 2 * HOUR);
    let v = follower_verdict(
        &limits.against(&history),
        "https://s9.example/u/a",
        target,
        "https://f.example/u/1",
    );
    assert_eq!(
        moderation(&v),
        [ModerationReason::RateLimited {
            scope: LimitScope::Target,
            key: target.into(),
            unit: LimitUnit::Followers,
            count: 51,
            limit: 50,
            window: 24 * HOUR
        }]
    );
    assert!(matches!(v, Verdict::Hold(_)));
    // Another target is untouched.
    assert_eq!(
        follower_verdict(
            &limits.against(&history),
            "https://s9.example/u/a",
            "https://here.example/u/other",
            "https://f.example/u/1"
        ),
        Verdict::Accept
    );
    // 23 hours later the window has moved past the arrivals.
    let id = MigrationId::new("https://s9.example/u/a", target);
    let later = ArrivingFollower::new(
        &id,
        "https://f.example/u/1",
        "https://s9.example/u/a",
        target,
        t0() + 23 * HOUR,
    );
    assert_eq!(
        limits.against(&history).arriving_follower(&later),
        Verdict::Accept
    );
}

#[test]
fn a_single_large_move_is_held() {
    let surge = SurgePolicy::new(24 * HOUR).with_max_followers(200);
    let history =
        ArrivalHistory::new().with_expected_followers(MigrationId::new(ORIGIN, TARGET), 201);
    let mut world = World::aliased();
    let d = world.run_with(
        InboundConfig::default(),
        surge.against(&history),
        push_move(),
        t0(),
    );
    match &d {
        Decision::Hold(held) => assert_eq!(
            held.reasons(),
            [PolicyReason::Moderation(ModerationReason::ArrivalSurge {
                kind: SurgeKind::SingleMove,
                key: TARGET.into(),
                followers: 201,
                threshold: 200
            })]
        ),
        other => panic!("{other:?}"),
    }
    // 200 is allowed.
    let history =
        ArrivalHistory::new().with_expected_followers(MigrationId::new(ORIGIN, TARGET), 200);
    let mut world = World::aliased();
    let d = world.run_with(
        InboundConfig::default(),
        surge.against(&history),
        push_move(),
        t0(),
    );
    assert!(matches!(d, Decision::Accept(_)), "{d:?}");
}

/// The hostile case: 300 followers split into 30 moves of 10 from one server, each far below
/// the threshold, into 30 different local accounts.
#[test]
fn a_surge_split_into_many_small_moves_from_one_server_is_caught() {
    let surge = SurgePolicy::new(24 * HOUR).with_max_followers(100);
    let mut history = ArrivalHistory::new();
    let mut held_at = None;
    for i in 0..30u64 {
        let origin = format!("https://farm.example/u/{i}");
        let target = format!("https://here.example/u/{i}");
        let id = MigrationId::new(&origin, &target);
        history.expect_followers(id.clone(), 10);
        let mut world = World::default();
        let mv = move_between(&mut world, &origin, &target);
        let d = world.run_with(
            InboundConfig::default(),
            surge.against(&history),
            mv,
            t0() + Duration::from_secs(i * 60),
        );
        match d {
            Decision::Accept(_) => {
                // The caller records what it accepted (followers on the move record).
                history.record(ArrivalRecord::accepted_move(
                    &origin,
                    &target,
                    10,
                    t0() + Duration::from_secs(i * 60),
                ));
            }
            Decision::Hold(held) => {
                assert_eq!(
                    held.reasons(),
                    [PolicyReason::Moderation(ModerationReason::ArrivalSurge {
                        kind: SurgeKind::OriginServer,
                        key: "farm.example".into(),
                        followers: 110,
                        threshold: 100
                    })]
                );
                held_at = Some(i);
                break;
            }
            other => panic!("{other:?}"),
        }
    }
    // Ten moves of 10 pass (100 followers); the eleventh is held.
    assert_eq!(held_at, Some(10));
}

#[test]
fn a_surge_split_into_many_small_moves_into_one_target_is_caught() {
    // Different origin servers each time (so no per-server sum), one local target.
    let surge = SurgePolicy::new(24 * HOUR).with_max_followers(100);
    let target = "https://here.example/u/star";
    let history = tens_from_many_servers(target, 10, t0() - HOUR);
    let v = follower_verdict(
        &surge.against(&history),
        "https://s99.example/u/a",
        target,
        "https://f.example/u/1",
    );
    assert_eq!(
        moderation(&v),
        [ModerationReason::ArrivalSurge {
            kind: SurgeKind::Target,
            key: target.into(),
            followers: 101,
            threshold: 100
        }]
    );
}

#[test]
fn share_of_a_small_server() {
    // 10 % of a 200-account server = 20 arrivals from one origin server per day.
    let surge = SurgePolicy::new(24 * HOUR).with_max_percent(10.0, Some(1000));
    let mut history = ArrivalHistory::new().with_local_accounts(200);
    for i in 0..20 {
        history.record(ArrivalRecord::arrived_followers(
            "https://big.example/u/celebrity",
            &format!("https://here.example/u/{i}"),
            1,
            t0() - HOUR,
        ));
    }
    let v = follower_verdict(
        &surge.against(&history),
        "https://big.example/u/celebrity",
        "https://here.example/u/new",
        "https://f.example/u/1",
    );
    assert_eq!(
        moderation(&v),
        [ModerationReason::ArrivalSurge {
            kind: SurgeKind::LocalShare,
            key: "big.example".into(),
            followers: 21,
            threshold: 20
        }]
    );
    // A large server (over small_server_accounts) is not subject to the share rule.
    let mut big = history.clone();
    big.set_local_accounts(5000);
    assert_eq!(
        follower_verdict(
            &surge.against(&big),
            "https://big.example/u/celebrity",
            "https://here.example/u/new",
            "https://f.example/u/1"
        ),
        Verdict::Accept
    );
}

#[test]
fn history_rebuilt_from_audit_events_gives_the_same_verdicts_after_a_restart() {
    let limits = RateLimitPolicy::new(vec![RateLimit {
        scope: LimitScope::OriginServer,
        unit: LimitUnit::Followers,
        max: 5,
        window: 24 * HOUR,
        action: RuleAction::Hold,
    }]);
    let origin = "https://old.example/u/a";
    let target = "https://here.example/u/a";
    let id = MigrationId::new(origin, target);
    // Before the restart: followers arrive one by one; the store keeps the audit events.
    let mut live = ArrivalHistory::new();
    let mut audit = Vec::new();
    let mut verdicts = Vec::new();
    for i in 0..8u64 {
        let follower = format!("https://f{i}.example/u/x");
        let now = t0() + Duration::from_secs(i);
        let arrival = ArrivingFollower::new(&id, &follower, origin, target, now);
        let (verdict, event) = check_arriving_follower(&limits.against(&live), &arrival);
        if verdict == Verdict::Accept {
            live.record(ArrivalRecord::arrived_followers(origin, target, 1, now));
        }
        verdicts.push(matches!(verdict, Verdict::Accept));
        audit.push(event);
    }
    assert_eq!(
        verdicts,
        [true, true, true, true, true, false, false, false]
    );
    // After the restart: only the audit events survive.
    let rebuilt = ArrivalHistory::from_audit_events(&audit);
    assert_eq!(rebuilt.records().len(), 5);
    let follower = "https://late.example/u/x";
    let arrival = ArrivingFollower::new(&id, follower, origin, target, t0() + HOUR);
    assert_eq!(
        limits.against(&rebuilt).arriving_follower(&arrival),
        limits.against(&live).arriving_follower(&arrival)
    );
    assert!(matches!(
        limits.against(&rebuilt).arriving_follower(&arrival),
        Verdict::Hold(_)
    ));
    // A held or rejected event counts for nothing.
    let (_, held_event) = check_arriving_follower(&HoldAll, &arrival);
    assert!(fep7628::moderation::ArrivalRecord::from_audit_event(&held_event).is_none());
    let _ = AcceptAll;
}

struct HoldAll;
impl MigrationPolicy for HoldAll {
    fn arriving_follower(&self, _: &ArrivingFollower<'_>) -> Verdict {
        Verdict::Hold(vec![])
    }
}

#[test]
fn follower_farming_recent_arrival_and_long_chains() {
    let day = 24 * HOUR;
    let policy = FollowerFarmingPolicy::new(180 * day)
        .with_recent_arrival(30 * day)
        .with_max_chain(2);
    let (a, b, c, d) = (
        "https://a.example/u/x",
        "https://b.example/u/x",
        "https://c.example/u/x",
        "https://d.example/u/x",
    );
    // a → b 40 days ago, b → c 35 days ago; now c → d: chain of 3 moves within 180 days.
    let history = ArrivalHistory::new()
        .with(ArrivalRecord::accepted_move(a, b, 500, t0() - 40 * day))
        .with(ArrivalRecord::accepted_move(b, c, 500, t0() - 35 * day));
    assert_eq!(
        policy.judge(c, &history, t0()),
        Some(ModerationReason::MoveChainTooLong { moves: 3, limit: 2 })
    );
    // b → c alone (one earlier move) is within the limit and not recent.
    let short = ArrivalHistory::new().with(ArrivalRecord::accepted_move(a, b, 1, t0() - 40 * day));
    assert_eq!(policy.judge(b, &short, t0()), None);
    // The origin arrived 3 days ago: held, naming where it came from.
    let recent = ArrivalHistory::new().with(ArrivalRecord::accepted_move(a, b, 1, t0() - 3 * day));
    assert_eq!(
        policy.judge(b, &recent, t0()),
        Some(ModerationReason::OriginMovedRecently {
            previous: a.into(),
            ago: 3 * day
        })
    );
    // Through the pipeline.
    let mut world = World::default();
    let mv = move_between(&mut world, b, d);
    let out = world.run_with(InboundConfig::default(), policy.against(&recent), mv, t0());
    match out {
        Decision::Hold(held) => assert_eq!(held.reasons()[0].code(), "origin_moved_recently"),
        other => panic!("{other:?}"),
    }
    // A loop in the history (a → b → a) does not hang and is counted once.
    let looped = ArrivalHistory::new()
        .with(ArrivalRecord::accepted_move(a, b, 1, t0() - 50 * day))
        .with(ArrivalRecord::accepted_move(b, a, 1, t0() - 45 * day));
    assert!(matches!(
        policy.judge(a, &looped, t0()),
        Some(ModerationReason::MoveChainTooLong { .. })
    ));
}
