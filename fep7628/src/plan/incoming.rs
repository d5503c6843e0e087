//! The new server's side: `Follow`s that arrive at a local target because its origin moved
//! (spec/move.md §1.7 #37, E13).
//!
//! A locked target otherwise receives one follow request per migrated follower (Mastodon
//! #19188). Misskey (PR #10592) auto-accepts a follow from a moved follower when the old account
//! had already accepted it; [`decide_arriving_follow`] does the same, only for a move this server
//! verified, only inside a time window after it, and only when the policy allows it.
//!
//! Before any of that, the server's [`MigrationPolicy`] is consulted about the arriving
//! follower (DESIGN §3.4, moderation hooks): a [`Verdict::Hold`] keeps the follow as a request
//! for review ([`IncomingDecision::Review`]) even for an unlocked target, a [`Verdict::Reject`]
//! refuses it ([`IncomingDecision::Reject`]), and the [`AuditEvent`] of that decision, tagged
//! with the migration id, is returned for the caller to store.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use fep7628::plan::incoming::{decide_arriving_follow, AcceptReason, ArrivingFollow,
//!     IncomingDecision, IncomingFollowPolicy, PriorFollow};
//! use fep7628::policy::{AuditOutcome, DomainBlockPolicy, MigrationId};
//! use fep7628::store::MoveRecord;
//!
//! let verified_at = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
//! let moved = MoveRecord {
//!     migration_id: "m1".into(),
//!     origin: "https://old.example/users/alice".into(),
//!     target: "https://new.example/users/alice".into(),
//!     activity_id: None,
//!     verified_at,
//! };
//! let follow = ArrivingFollow {
//!     follower_id: "https://elsewhere.example/users/bob".into(),
//!     object_id: "https://new.example/users/alice".into(),
//!     target_locked: true,
//!     prior_follow_of_origin: PriorFollow::Accepted,
//! };
//! let moderation = DomainBlockPolicy::new().with_block("spam.example");
//! let now = verified_at + Duration::from_secs(3600);
//! let arrived = decide_arriving_follow(&moved, &follow, &IncomingFollowPolicy::default(),
//!     &moderation, now);
//! assert_eq!(arrived.decision, IncomingDecision::Accept(AcceptReason::MovedFollowerWasAccepted));
//! let audit = arrived.audit.expect("a follow arriving because of the move is audited");
//! assert_eq!(audit.migration_id, Some(MigrationId::new(&moved.origin, &moved.target)));
//! assert_eq!(audit.outcome, AuditOutcome::Accepted);
//!
//! // The same follow from a blocked domain is refused, whatever the lock.
//! let spam = ArrivingFollow { follower_id: "https://spam.example/users/x".into(), ..follow };
//! let arrived = decide_arriving_follow(&moved, &spam, &IncomingFollowPolicy::default(),
//!     &moderation, now);
//! assert_eq!(arrived.decision.kind(), "reject_policy");
//! assert_eq!(arrived.audit.map(|a| a.outcome.as_str()), Some("rejected"));
//! ```

use std::time::{Duration, SystemTime};

use crate::policy::{
    ArrivingFollower, AuditEvent, MigrationId, MigrationPolicy, PolicyReason, Verdict,
    check_arriving_follower,
};
use crate::store::MoveRecord;

/// What the new server knows about the follower's follow of the origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PriorFollow {
    /// The origin had accepted the follow (it is in this server's follows table, for example
    /// because the origin was local, or from the origin's followers collection).
    Accepted,
    /// The follow of the origin was itself only a request.
    Pending,
    /// No follow of the origin is known.
    None,
}

/// An arriving `Follow`, as the server's inbox handler sees it after authenticating it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArrivingFollow {
    /// `actor` of the Follow (the signer).
    pub follower_id: String,
    /// `object` of the Follow (a local actor).
    pub object_id: String,
    /// The local actor approves followers manually.
    pub target_locked: bool,
    /// The follower's follow of the move's origin.
    pub prior_follow_of_origin: PriorFollow,
}

/// Policy for follows arriving after a move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IncomingFollowPolicy {
    /// Auto-accept moved followers that the old account had accepted (Misskey PR #10592).
    pub auto_accept_moved_followers: bool,
    /// Only this long after the move was verified (followers' servers re-follow within hours or
    /// days; a late follow is treated as an ordinary one).
    pub window: Duration,
}

impl Default for IncomingFollowPolicy {
    fn default() -> Self {
        IncomingFollowPolicy {
            auto_accept_moved_followers: true,
            window: Duration::from_secs(30 * 24 * 3600),
        }
    }
}

/// Why a follow is accepted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AcceptReason {
    /// The target is not locked: every follow is accepted.
    TargetUnlocked,
    /// Locked target, but the follower's follow of the origin had been accepted.
    MovedFollowerWasAccepted,
}

/// Why a follow stays a pending request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PendingReason {
    /// The follow is not for the move's target.
    NotForThisMove,
    /// The policy disables auto-accept.
    AutoAcceptDisabled,
    /// The follower did not follow the origin (or only had a pending request).
    NoAcceptedPriorFollow,
    /// The follow arrived outside the window after the move.
    OutsideWindow,
}

/// Decision on an arriving follow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IncomingDecision {
    /// Send `Accept(Follow)` now.
    Accept(AcceptReason),
    /// Keep as a follow request for the account holder to review.
    Pending(PendingReason),
    /// The [`MigrationPolicy`] held the follower: keep the follow as a request for a moderator
    /// (or the account holder) to review, even when the target is not locked. Every reason the
    /// composed policies gave is listed.
    Review(Vec<PolicyReason>),
    /// The [`MigrationPolicy`] rejected the follower: refuse the follow (`Reject(Follow)`).
    Reject(PolicyReason),
}

impl IncomingDecision {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            IncomingDecision::Accept(AcceptReason::TargetUnlocked) => "accept_unlocked",
            IncomingDecision::Accept(AcceptReason::MovedFollowerWasAccepted) => {
                "accept_moved_follower"
            }
            IncomingDecision::Pending(PendingReason::NotForThisMove) => "pending_not_for_move",
            IncomingDecision::Pending(PendingReason::AutoAcceptDisabled) => {
                "pending_auto_accept_disabled"
            }
            IncomingDecision::Pending(PendingReason::NoAcceptedPriorFollow) => {
                "pending_no_prior_follow"
            }
            IncomingDecision::Pending(PendingReason::OutsideWindow) => "pending_outside_window",
            IncomingDecision::Review(_) => "review_policy_hold",
            IncomingDecision::Reject(_) => "reject_policy",
        }
    }

    /// The follow takes effect now (`Accept(Follow)` is sent).
    pub fn is_accept(&self) -> bool {
        matches!(self, IncomingDecision::Accept(_))
    }
}

/// What [`decide_arriving_follow`] returns: the decision and, for a follow that arrives because
/// of the move, the audit event of the policy's verdict (tagged with the migration id) for the
/// caller to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArrivingFollowDecision {
    /// What to do with the follow.
    pub decision: IncomingDecision,
    /// The audit event; `None` only for a follow that is not for the move's target (an ordinary
    /// follow, which the migration policy is not asked about).
    pub audit: Option<AuditEvent>,
}

/// Decides an arriving follow for a local target of the verified move `moved`.
///
/// `moved` must come from this server's [`MoveStore`](crate::store::MoveStore), i.e. a move the
/// inbound pipeline verified — never from the arriving activity itself.
///
/// Order: a follow that is not for `moved.target` is an ordinary follow (accepted when the
/// target is unlocked, else pending) and the migration policy is not asked. Otherwise
/// `migration_policy` is consulted ([`check_arriving_follower`], migration id =
/// [`MigrationId::new`]`(origin, target)`): a rejection refuses the follow, a hold keeps it for
/// review; on acceptance an unlocked target accepts and a locked one auto-accepts only a
/// follower the old account had accepted, inside `policy.window` after the move was verified.
pub fn decide_arriving_follow<P: MigrationPolicy + ?Sized>(
    moved: &MoveRecord,
    follow: &ArrivingFollow,
    policy: &IncomingFollowPolicy,
    migration_policy: &P,
    now: SystemTime,
) -> ArrivingFollowDecision {
    if follow.object_id != moved.target {
        let decision = if follow.target_locked {
            IncomingDecision::Pending(PendingReason::NotForThisMove)
        } else {
            IncomingDecision::Accept(AcceptReason::TargetUnlocked)
        };
        return ArrivingFollowDecision {
            decision,
            audit: None,
        };
    }
    let migration_id = MigrationId::new(&moved.origin, &moved.target);
    let arrival = ArrivingFollower::new(
        &migration_id,
        &follow.follower_id,
        &moved.origin,
        &moved.target,
        now,
    );
    let (verdict, mut audit) = check_arriving_follower(migration_policy, &arrival);
    let decision = match verdict {
        Verdict::Reject(reason) => IncomingDecision::Reject(reason),
        Verdict::Hold(reasons) => IncomingDecision::Review(reasons),
        Verdict::Accept => {
            let decision = lock_decision(moved, follow, policy, now);
            if !decision.is_accept() {
                audit.detail = format!(
                    "follower accepted by policy; follow kept as a request ({})",
                    decision.kind()
                );
            }
            decision
        }
    };
    ArrivingFollowDecision {
        decision,
        audit: Some(audit),
    }
}

/// The lock rules for a follow of the move's target that the policy accepted.
fn lock_decision(
    moved: &MoveRecord,
    follow: &ArrivingFollow,
    policy: &IncomingFollowPolicy,
    now: SystemTime,
) -> IncomingDecision {
    if !follow.target_locked {
        return IncomingDecision::Accept(AcceptReason::TargetUnlocked);
    }
    if !policy.auto_accept_moved_followers {
        return IncomingDecision::Pending(PendingReason::AutoAcceptDisabled);
    }
    if follow.prior_follow_of_origin != PriorFollow::Accepted {
        return IncomingDecision::Pending(PendingReason::NoAcceptedPriorFollow);
    }
    // A follow "before" the move (clock skew) or after the window is not auto-accepted.
    let within = now
        .duration_since(moved.verified_at)
        .is_ok_and(|age| age <= policy.window);
    if !within {
        return IncomingDecision::Pending(PendingReason::OutsideWindow);
    }
    IncomingDecision::Accept(AcceptReason::MovedFollowerWasAccepted)
}
