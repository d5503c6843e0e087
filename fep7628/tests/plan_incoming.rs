//! The new server's side: follows arriving because of a verified move.

use std::time::{Duration, SystemTime};

use std::cell::Cell;

use fep7628::plan::incoming::{
    AcceptReason, ArrivingFollow, IncomingDecision, IncomingFollowPolicy, PendingReason,
    PriorFollow, decide_arriving_follow,
};
use fep7628::policy::{
    AcceptAll, ArrivingFollower, AuditOutcome, AuditSubject, CooldownSubject, DomainBlockPolicy,
    MigrationId, MigrationPolicy, PolicyReason, Verdict,
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
        &AcceptAll,
        verified_at() + Duration::from_secs(after),
    )
    .decision
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
        &AcceptAll,
        verified_at() - Duration::from_secs(1),
    )
    .decision;
    assert_eq!(
        early,
        IncomingDecision::Pending(PendingReason::OutsideWindow)
    );
}

/// A policy that answers a fixed verdict for arriving followers and counts the questions.
struct Fixed {
    verdict: Verdict,
    asked: Cell<u32>,
    seen: Cell<Option<(String, String)>>,
}

impl Fixed {
    fn new(verdict: Verdict) -> Self {
        Fixed {
            verdict,
            asked: Cell::new(0),
            seen: Cell::new(None),
        }
    }
}

impl MigrationPolicy for Fixed {
    fn arriving_follower(&self, arrival: &ArrivingFollower<'_>) -> Verdict {
        self.asked.set(self.asked.get() + 1);
        self.seen.set(Some((
            arrival.follower.to_owned(),
            arrival.migration_id.as_str().to_owned(),
        )));
        self.verdict.clone()
    }
}

fn custom(code: &'static str) -> PolicyReason {
    PolicyReason::Custom {
        code: code.into(),
        detail: "test".into(),
    }
}

fn at(after: u64) -> SystemTime {
    verified_at() + Duration::from_secs(after)
}

#[test]
fn policy_hold_keeps_the_follow_for_review_even_when_unlocked() {
    let p = IncomingFollowPolicy::default();
    for locked in [false, true] {
        let hold = Fixed::new(Verdict::Hold(vec![
            custom("new_account"),
            custom("keyword"),
        ]));
        let out = decide_arriving_follow(
            &moved(),
            &follow(PriorFollow::Accepted, locked),
            &p,
            &hold,
            at(60),
        );
        assert_eq!(
            out.decision,
            IncomingDecision::Review(vec![custom("new_account"), custom("keyword")])
        );
        assert_eq!(out.decision.kind(), "review_policy_hold");
        assert!(!out.decision.is_accept());
        assert_eq!(hold.asked.get(), 1);
        let audit = out.audit.expect("audited");
        assert_eq!(
            audit.outcome,
            AuditOutcome::Held {
                reasons: vec![custom("new_account"), custom("keyword")]
            }
        );
        assert_eq!(audit.at, at(60));
    }
}

#[test]
fn policy_reject_refuses_the_follow_whatever_the_lock_and_prior_follow() {
    let p = IncomingFollowPolicy::default();
    for (locked, prior) in [
        (false, PriorFollow::None),
        (true, PriorFollow::Accepted),
        (true, PriorFollow::Pending),
    ] {
        let reason = PolicyReason::Cooldown {
            subject: CooldownSubject::Target,
            until: at(7 * 24 * 3600),
        };
        let reject = Fixed::new(Verdict::Reject(reason.clone()));
        let out = decide_arriving_follow(&moved(), &follow(prior, locked), &p, &reject, at(60));
        assert_eq!(out.decision, IncomingDecision::Reject(reason));
        assert_eq!(out.decision.kind(), "reject_policy");
        let audit = out.audit.expect("audited");
        assert_eq!(
            audit.outcome,
            AuditOutcome::Rejected {
                code: "cooldown_target".into()
            }
        );
    }
}

#[test]
fn the_audit_event_names_the_migration_and_the_follower() {
    let accept = Fixed::new(Verdict::Accept);
    let out = decide_arriving_follow(
        &moved(),
        &follow(PriorFollow::Accepted, true),
        &IncomingFollowPolicy::default(),
        &accept,
        at(60),
    );
    assert_eq!(
        out.decision,
        IncomingDecision::Accept(AcceptReason::MovedFollowerWasAccepted)
    );
    let migration = MigrationId::new(ORIGIN, TARGET);
    assert_eq!(
        accept.seen.take(),
        Some((
            "https://f.example/users/bob".to_owned(),
            migration.as_str().to_owned()
        ))
    );
    let audit = out.audit.expect("audited");
    assert_eq!(audit.migration_id, Some(migration));
    assert_eq!(audit.outcome, AuditOutcome::Accepted);
    assert_eq!(
        audit.subject,
        AuditSubject::ArrivingFollower {
            follower: "https://f.example/users/bob".into(),
            origin: ORIGIN.into(),
            target: TARGET.into(),
        }
    );

    // Accepted by the policy but kept pending by the lock rules: the audit says so.
    let out = decide_arriving_follow(
        &moved(),
        &follow(PriorFollow::None, true),
        &IncomingFollowPolicy::default(),
        &accept,
        at(60),
    );
    assert_eq!(
        out.decision,
        IncomingDecision::Pending(PendingReason::NoAcceptedPriorFollow)
    );
    let audit = out.audit.expect("audited");
    assert_eq!(audit.outcome, AuditOutcome::Accepted);
    assert!(
        audit.detail.contains("pending_no_prior_follow"),
        "{}",
        audit.detail
    );
}

#[test]
fn a_follow_not_for_the_move_is_not_a_migration_decision() {
    let reject = Fixed::new(Verdict::Reject(custom("never")));
    let mut other = follow(PriorFollow::Accepted, false);
    other.object_id = "https://new.example/users/someone-else".into();
    let out = decide_arriving_follow(
        &moved(),
        &other,
        &IncomingFollowPolicy::default(),
        &reject,
        at(60),
    );
    assert_eq!(
        out.decision,
        IncomingDecision::Accept(AcceptReason::TargetUnlocked)
    );
    assert_eq!(out.audit, None);
    assert_eq!(reject.asked.get(), 0, "the migration policy is not asked");
}

#[test]
fn built_in_domain_block_refuses_arriving_followers_from_a_blocked_domain() {
    let blocks = DomainBlockPolicy::new().with_block("f.example");
    let out = decide_arriving_follow(
        &moved(),
        &follow(PriorFollow::Accepted, false),
        &IncomingFollowPolicy::default(),
        &blocks,
        at(60),
    );
    assert!(
        matches!(&out.decision, IncomingDecision::Reject(r) if r.code() == "domain_blocked"),
        "{:?}",
        out.decision
    );
}
