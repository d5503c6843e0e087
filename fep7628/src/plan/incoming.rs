//! The new server's side: `Follow`s that arrive at a local target because its origin moved
//! (spec/move.md §1.7 #37, E13).
//!
//! A locked target otherwise receives one follow request per migrated follower (Mastodon
//! #19188). Misskey (PR #10592) auto-accepts a follow from a moved follower when the old account
//! had already accepted it; [`decide_arriving_follow`] does the same, only for a move this server
//! verified, only inside a time window after it, and only when the policy allows it.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use fep7628::plan::incoming::{decide_arriving_follow, AcceptReason, ArrivingFollow,
//!     IncomingDecision, IncomingFollowPolicy, PriorFollow};
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
//! let decision = decide_arriving_follow(&moved, &follow, &IncomingFollowPolicy::default(),
//!     verified_at + Duration::from_secs(3600));
//! assert_eq!(decision, IncomingDecision::Accept(AcceptReason::MovedFollowerWasAccepted));
//! ```

use std::time::{Duration, SystemTime};

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
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IncomingDecision {
    /// Send `Accept(Follow)` now.
    Accept(AcceptReason),
    /// Keep as a follow request for the account holder to review.
    Pending(PendingReason),
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
        }
    }
}

/// Decides an arriving follow for a local target of the verified move `moved`.
///
/// `moved` must come from this server's [`MoveStore`](crate::store::MoveStore), i.e. a move the
/// inbound pipeline verified — never from the arriving activity itself.
pub fn decide_arriving_follow(
    moved: &MoveRecord,
    follow: &ArrivingFollow,
    policy: &IncomingFollowPolicy,
    now: SystemTime,
) -> IncomingDecision {
    if !follow.target_locked {
        return IncomingDecision::Accept(AcceptReason::TargetUnlocked);
    }
    if follow.object_id != moved.target {
        return IncomingDecision::Pending(PendingReason::NotForThisMove);
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
