//! The new server's side: follows arriving because of a verified move.

use std::time::{Duration, SystemTime};

use fep7628::plan::incoming::{
    AcceptReason, ArrivingFollow, IncomingDecision, IncomingFollowPolicy, PendingReason,
    PriorFollow, decide_arriving_follow,
};
use fep7628::store::MoveRecord;

const ORIGIN: &str = "https://old.example/users/alice";
const TARGET: &str = "https://new.example/users/alice";

fn verified_at() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn moved() -> MoveRecord {
    MoveRecord {
        migration_id: "m".into(),
        origin: ORIGIN.into(),
        target: TARGET.into(),
        activity_id: Some(format!("{ORIGIN}#moves/1")),
        verified_at: verified_at(),
    }
}

fn follow(prior: PriorFollow, locked: bool) -> ArrivingFollow {
    ArrivingFollow {
        follower_id: "https://f.example/users/bob".into(),
        object_id: TARGET.into(),
        target_locked: locked,
        prior_follow_of_origin: prior,
    }
}

fn decide(f: &ArrivingFollow, policy: &IncomingFollowPolicy, after: u64) -> IncomingDecision {
    decide_arriving_follow(
        &moved(),
        f,
        policy,
        verified_at() + Duration::from_secs(after),
    )
}

#[test]
fn auto_accepts_followers_the_old_account_had_accepted() {
    let p = IncomingFollowPolicy::default();
    let d = decide(&follow(PriorFollow::Accepted, true), &p, 60);
    assert_eq!(
        d,
        IncomingDecision::Accept(AcceptReason::MovedFollowerWasAccepted)
    );
    assert_eq!(d.kind(), "accept_moved_follower");
}

#[test]
fn unlocked_targets_accept_everyone() {
    let p = IncomingFollowPolicy::default();
    for prior in [
        PriorFollow::Accepted,
        PriorFollow::Pending,
        PriorFollow::None,
    ] {
        assert_eq!(
            decide(&follow(prior, false), &p, 60),
            IncomingDecision::Accept(AcceptReason::TargetUnlocked)
        );
    }
}

#[test]
fn pending_otherwise() {
    let p = IncomingFollowPolicy::default();
    assert_eq!(
        decide(&follow(PriorFollow::Pending, true), &p, 60),
        IncomingDecision::Pending(PendingReason::NoAcceptedPriorFollow)
    );
    assert_eq!(
        decide(&follow(PriorFollow::None, true), &p, 60),
        IncomingDecision::Pending(PendingReason::NoAcceptedPriorFollow)
    );
    let off = IncomingFollowPolicy {
        auto_accept_moved_followers: false,
        ..p
    };
    assert_eq!(
        decide(&follow(PriorFollow::Accepted, true), &off, 60),
        IncomingDecision::Pending(PendingReason::AutoAcceptDisabled)
    );
    let mut other = follow(PriorFollow::Accepted, true);
    other.object_id = "https://new.example/users/someone-else".into();
    assert_eq!(
        decide(&other, &p, 60),
        IncomingDecision::Pending(PendingReason::NotForThisMove)
    );
    // Window: the last second inside, the next one outside; before the move is outside too.
    let window = p.window.as_secs();
    assert!(matches!(
        decide(&follow(PriorFollow::Accepted, true), &p, window),
        IncomingDecision::Accept(_)
    ));
    assert_eq!(
        decide(&follow(PriorFollow::Accepted, true), &p, window + 1),
        IncomingDecision::Pending(PendingReason::OutsideWindow)
    );
    let early = decide_arriving_follow(
        &moved(),
        &follow(PriorFollow::Accepted, true),
        &p,
        verified_at() - Duration::from_secs(1),
    );
    assert_eq!(
        early,
        IncomingDecision::Pending(PendingReason::OutsideWindow)
    );
}
