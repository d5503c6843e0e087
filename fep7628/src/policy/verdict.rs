//! What a policy answers, and the context it is asked with.

use std::borrow::Cow;
use std::fmt;
use std::time::SystemTime;

use crate::inbound::{ActorFacts, ActorProfile, Authentication, MoveMode};
use crate::policy::MigrationId;

/// Which account of a migration a cooldown applies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CooldownSubject {
    /// The old account (Mastodon: 7 d per origin).
    Origin,
    /// The new account (GoToSocial: 7 d on origin **or** target).
    Target,
}

/// A machine-readable reason a policy gives for holding or rejecting.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PolicyReason {
    /// The account took part in an accepted move too recently (spec/move.md E10).
    Cooldown {
        /// Which side is cooling down.
        subject: CooldownSubject,
        /// When the cooldown ends.
        until: SystemTime,
    },
    /// The host is covered by a domain block.
    DomainBlocked {
        /// The host that matched (punycode, lower case).
        host: String,
        /// The block rule that matched (the host itself or a parent domain).
        rule: String,
    },
    /// The host is covered by a limiting domain rule (Mastodon `silence`, shared lists'
    /// `limit`): a moderator decides.
    DomainLimited {
        /// The host that matched (punycode, lower case).
        host: String,
        /// The rule that matched (the host itself or a parent domain).
        rule: String,
    },
    /// A built-in moderation policy (rate limits, surges, keyword rules, account age, follower
    /// farming): see [`crate::moderation`].
    Moderation(crate::moderation::ModerationReason),
    /// A reason from a custom policy.
    Custom {
        /// Stable snake_case code.
        code: Cow<'static, str>,
        /// Human-readable detail.
        detail: String,
    },
}

impl PolicyReason {
    /// Stable snake_case code (`cooldown_origin`, `cooldown_target`, `domain_blocked`,
    /// `domain_limited`, a [`ModerationReason`](crate::moderation::ModerationReason) code, or
    /// the custom code).
    pub fn code(&self) -> &str {
        match self {
            PolicyReason::Cooldown {
                subject: CooldownSubject::Origin,
                ..
            } => "cooldown_origin",
            PolicyReason::Cooldown {
                subject: CooldownSubject::Target,
                ..
            } => "cooldown_target",
            PolicyReason::DomainBlocked { .. } => "domain_blocked",
            PolicyReason::DomainLimited { .. } => "domain_limited",
            PolicyReason::Moderation(reason) => reason.code(),
            PolicyReason::Custom { code, .. } => code,
        }
    }
}

impl fmt::Display for PolicyReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PolicyReason::Cooldown { subject, until } => {
                let who = match subject {
                    CooldownSubject::Origin => "origin",
                    CooldownSubject::Target => "target",
                };
                write!(f, "{who} moved too recently; cooldown until {until:?}")
            }
            PolicyReason::DomainBlocked { host, rule } => {
                write!(f, "{host} is covered by the domain block {rule}")
            }
            PolicyReason::DomainLimited { host, rule } => {
                write!(f, "{host} is covered by the limiting domain rule {rule}")
            }
            PolicyReason::Moderation(reason) => reason.fmt(f),
            PolicyReason::Custom { code, detail } => write!(f, "{code}: {detail}"),
        }
    }
}

/// A policy's answer: accept, hold for a moderator, or reject.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Verdict {
    /// Nothing against it.
    #[default]
    Accept,
    /// Let a moderator decide; the reasons accumulate across composed policies.
    Hold(Vec<PolicyReason>),
    /// Refuse.
    Reject(PolicyReason),
}

impl Verdict {
    /// Combine two verdicts: the first rejection wins, holds accumulate.
    pub fn and(self, other: impl FnOnce() -> Verdict) -> Verdict {
        match self {
            Verdict::Reject(r) => Verdict::Reject(r),
            Verdict::Accept => other(),
            Verdict::Hold(mut reasons) => match other() {
                Verdict::Reject(r) => Verdict::Reject(r),
                Verdict::Accept => Verdict::Hold(reasons),
                Verdict::Hold(more) => {
                    reasons.extend(more);
                    Verdict::Hold(reasons)
                }
            },
        }
    }
}

/// What a policy is told about an inbound Move that passed authentication and shape checks.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct InboundMoveContext<'a> {
    /// Deterministic id of the (origin, target) migration.
    pub migration_id: &'a MigrationId,
    /// The Move's `id`, if it had one.
    pub move_id: Option<&'a str>,
    /// The old account (`object`).
    pub origin: &'a str,
    /// The new account (`target`).
    pub target: &'a str,
    /// Push or pull.
    pub mode: MoveMode,
    /// The evidence that authenticated the Move.
    pub authentication: &'a Authentication,
    /// When the origin last took part in an accepted move (from the caller's store).
    pub last_move_of_origin: Option<SystemTime>,
    /// When the target last took part in an accepted move (from the caller's store).
    pub last_move_of_target: Option<SystemTime>,
    /// The time of the check.
    pub now: SystemTime,
}

/// What a policy is told about a follower arriving at a (local) target because of a migration.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct ArrivingFollower<'a> {
    /// Deterministic id of the (origin, target) migration.
    pub migration_id: &'a MigrationId,
    /// The follower's actor id.
    pub follower: &'a str,
    /// The old account.
    pub origin: &'a str,
    /// The new account the follower arrives at.
    pub target: &'a str,
    /// The time of the check.
    pub now: SystemTime,
    /// The follower's profile, when the caller has it (keyword rules and account age read it;
    /// see [`ArrivingFollower::with_profile`]).
    pub profile: Option<&'a ActorProfile>,
}

impl<'a> ArrivingFollower<'a> {
    /// Describe an arriving follower.
    pub fn new(
        migration_id: &'a MigrationId,
        follower: &'a str,
        origin: &'a str,
        target: &'a str,
        now: SystemTime,
    ) -> Self {
        ArrivingFollower {
            migration_id,
            follower,
            origin,
            target,
            now,
            profile: None,
        }
    }

    /// Builder: the follower's profile (from [`crate::adapt::actor_profile`] or the caller's
    /// own records).
    pub fn with_profile(mut self, profile: &'a ActorProfile) -> Self {
        self.profile = Some(profile);
        self
    }
}

/// A moderation hook consulted on every inbound Move and on arriving followers.
///
/// Every method has a default that accepts, so a policy implements only what it cares about.
/// Policies are pure: what they need from storage is in the context (the pipeline asked the
/// caller for it), so they stay sans-IO.
pub trait MigrationPolicy {
    /// Consulted after authentication, shape and mode checks, before the target is fetched
    /// (so a rejected target is never fetched).
    fn inbound_move(&self, ctx: &InboundMoveContext<'_>) -> Verdict {
        let _ = ctx;
        Verdict::Accept
    }

    /// Consulted after every protocol check passed, with the freshly fetched target.
    fn target_fetched(&self, ctx: &InboundMoveContext<'_>, target: &ActorFacts) -> Verdict {
        let _ = (ctx, target);
        Verdict::Accept
    }

    /// Consulted for each follower arriving at a local target because of a migration.
    fn arriving_follower(&self, arrival: &ArrivingFollower<'_>) -> Verdict {
        let _ = arrival;
        Verdict::Accept
    }
}

/// A policy with no opinion: accepts everything.
#[derive(Debug, Clone, Copy, Default)]
pub struct AcceptAll;

impl MigrationPolicy for AcceptAll {}

impl<P: MigrationPolicy + ?Sized> MigrationPolicy for &P {
    fn inbound_move(&self, ctx: &InboundMoveContext<'_>) -> Verdict {
        (**self).inbound_move(ctx)
    }
    fn target_fetched(&self, ctx: &InboundMoveContext<'_>, target: &ActorFacts) -> Verdict {
        (**self).target_fetched(ctx, target)
    }
    fn arriving_follower(&self, arrival: &ArrivingFollower<'_>) -> Verdict {
        (**self).arriving_follower(arrival)
    }
}

impl<P: MigrationPolicy + ?Sized> MigrationPolicy for Box<P> {
    fn inbound_move(&self, ctx: &InboundMoveContext<'_>) -> Verdict {
        (**self).inbound_move(ctx)
    }
    fn target_fetched(&self, ctx: &InboundMoveContext<'_>, target: &ActorFacts) -> Verdict {
        (**self).target_fetched(ctx, target)
    }
    fn arriving_follower(&self, arrival: &ArrivingFollower<'_>) -> Verdict {
        (**self).arriving_follower(arrival)
    }
}
