//! The machine-readable reasons the built-in moderation policies give, and what a rule does.

use std::fmt;
use std::time::Duration;

/// What a rule does when it matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RuleAction {
    /// Hold for a moderator.
    #[default]
    Hold,
    /// Refuse.
    Reject,
}

impl RuleAction {
    /// `hold` or `reject`.
    pub fn as_str(self) -> &'static str {
        match self {
            RuleAction::Hold => "hold",
            RuleAction::Reject => "reject",
        }
    }
}

/// What a window limit counts per.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitScope {
    /// Per origin server: the host of the migration's old account.
    OriginServer,
    /// Per local target: the new account the followers arrive at.
    Target,
}

impl LimitScope {
    /// `origin_server` or `target`.
    pub fn as_str(self) -> &'static str {
        match self {
            LimitScope::OriginServer => "origin_server",
            LimitScope::Target => "target",
        }
    }
}

/// What a window limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LimitUnit {
    /// Accepted migrations (moves).
    Moves,
    /// Arriving followers.
    Followers,
}

impl LimitUnit {
    /// `moves` or `followers`.
    pub fn as_str(self) -> &'static str {
        match self {
            LimitUnit::Moves => "moves",
            LimitUnit::Followers => "followers",
        }
    }
}

/// Which surge threshold was crossed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SurgeKind {
    /// One move alone would bring more than the threshold.
    SingleMove,
    /// The moves from one origin server within the window add up to more than the threshold.
    OriginServer,
    /// The arrivals at one target within the window add up to more than the threshold.
    Target,
    /// The arrivals from one origin server within the window exceed the allowed share of this
    /// (small) server's local accounts.
    LocalShare,
}

impl SurgeKind {
    /// Stable code: `surge_single_move`, `surge_origin_server`, `surge_target`,
    /// `surge_local_share`.
    pub fn code(self) -> &'static str {
        match self {
            SurgeKind::SingleMove => "surge_single_move",
            SurgeKind::OriginServer => "surge_origin_server",
            SurgeKind::Target => "surge_target",
            SurgeKind::LocalShare => "surge_local_share",
        }
    }
}

/// A profile member a keyword rule reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProfileField {
    /// `preferredUsername`.
    Username,
    /// `name` (display name).
    DisplayName,
    /// `summary` (bio).
    Summary,
    /// Profile fields' names and values (`PropertyValue` attachments).
    Fields,
}

impl ProfileField {
    /// Every field, in the order rules read them.
    pub const ALL: [ProfileField; 4] = [
        ProfileField::Username,
        ProfileField::DisplayName,
        ProfileField::Summary,
        ProfileField::Fields,
    ];

    /// `username`, `display_name`, `summary` or `fields` (the names the policy file uses).
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileField::Username => "username",
            ProfileField::DisplayName => "display_name",
            ProfileField::Summary => "summary",
            ProfileField::Fields => "fields",
        }
    }

    /// The field named `name` in the policy file.
    pub fn from_name(name: &str) -> Option<ProfileField> {
        ProfileField::ALL.into_iter().find(|f| f.as_str() == name)
    }
}

/// Which account of a migration a profile rule looked at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProfileSubject {
    /// The Move's target (the account local followers would follow).
    Target,
    /// A follower arriving at a local target.
    Follower,
}

impl ProfileSubject {
    /// `target` or `follower`.
    pub fn as_str(self) -> &'static str {
        match self {
            ProfileSubject::Target => "target",
            ProfileSubject::Follower => "follower",
        }
    }
}

/// Why a built-in moderation policy held or rejected (carried in
/// [`PolicyReason::Moderation`](crate::policy::PolicyReason::Moderation)).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ModerationReason {
    /// A window limit ([`RateLimitPolicy`](super::RateLimitPolicy)) was reached.
    RateLimited {
        /// Per origin server or per target.
        scope: LimitScope,
        /// The host or the target id counted.
        key: String,
        /// Moves or followers.
        unit: LimitUnit,
        /// The count within the window, this one included.
        count: u64,
        /// The configured maximum.
        limit: u64,
        /// The window.
        window: Duration,
    },
    /// An arrival surge ([`SurgePolicy`](super::SurgePolicy)).
    ArrivalSurge {
        /// Which threshold.
        kind: SurgeKind,
        /// The host or target id the surge was counted for.
        key: String,
        /// Followers counted (for [`SurgeKind::LocalShare`]: arrivals from the origin server).
        followers: u64,
        /// The threshold crossed (for [`SurgeKind::LocalShare`]: the allowed number of
        /// arrivals, the share applied to the local account count).
        threshold: u64,
    },
    /// A keyword or pattern rule matched a profile ([`KeywordPolicy`](super::KeywordPolicy)).
    KeywordMatched {
        /// The rule's name from the policy file.
        rule: String,
        /// Whose profile.
        subject: ProfileSubject,
        /// Which member.
        field: ProfileField,
    },
    /// The account is younger than allowed ([`AccountAgePolicy`](super::AccountAgePolicy)).
    AccountTooNew {
        /// Whose account.
        subject: ProfileSubject,
        /// `published`, seconds since the Unix epoch (`None`: the profile had none and the
        /// policy holds unknown ages).
        published: Option<i64>,
        /// The minimum age.
        min_age: Duration,
    },
    /// The origin itself arrived by a move recently
    /// ([`FollowerFarmingPolicy`](super::FollowerFarmingPolicy)).
    OriginMovedRecently {
        /// The account the origin moved from.
        previous: String,
        /// How long ago (seconds).
        ago: Duration,
    },
    /// The chain of recent moves ending at this one is too long.
    MoveChainTooLong {
        /// Moves in the chain within the window, this one included (a → b, then b → c: 2).
        moves: u64,
        /// The configured maximum number of moves.
        limit: u64,
    },
}

impl ModerationReason {
    /// Stable snake_case code: `rate_limit_origin_server`, `rate_limit_target`, the
    /// [`SurgeKind`] codes, `keyword_rule`, `account_too_new`, `origin_moved_recently`,
    /// `move_chain_too_long`.
    pub fn code(&self) -> &'static str {
        match self {
            ModerationReason::RateLimited {
                scope: LimitScope::OriginServer,
                ..
            } => "rate_limit_origin_server",
            ModerationReason::RateLimited {
                scope: LimitScope::Target,
                ..
            } => "rate_limit_target",
            ModerationReason::ArrivalSurge { kind, .. } => kind.code(),
            ModerationReason::KeywordMatched { .. } => "keyword_rule",
            ModerationReason::AccountTooNew { .. } => "account_too_new",
            ModerationReason::OriginMovedRecently { .. } => "origin_moved_recently",
            ModerationReason::MoveChainTooLong { .. } => "move_chain_too_long",
        }
    }
}

impl fmt::Display for ModerationReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModerationReason::RateLimited {
                scope,
                key,
                unit,
                count,
                limit,
                window,
            } => write!(
                f,
                "{count} {} for {} {key} within {}s (limit {limit})",
                unit.as_str(),
                scope.as_str(),
                window.as_secs()
            ),
            ModerationReason::ArrivalSurge {
                kind,
                key,
                followers,
                threshold,
            } => write!(
                f,
                "arrival surge ({}): {followers} followers for {key}, threshold {threshold}",
                kind.code()
            ),
            ModerationReason::KeywordMatched {
                rule,
                subject,
                field,
            } => write!(
                f,
                "keyword rule {rule:?} matched the {}'s {}",
                subject.as_str(),
                field.as_str()
            ),
            ModerationReason::AccountTooNew {
                subject,
                published,
                min_age,
            } => match published {
                Some(p) => write!(
                    f,
                    "the {} account was published at {p} (unix), younger than {}s",
                    subject.as_str(),
                    min_age.as_secs()
                ),
                None => write!(
                    f,
                    "the {} account has no published date (minimum age {}s)",
                    subject.as_str(),
                    min_age.as_secs()
                ),
            },
            ModerationReason::OriginMovedRecently { previous, ago } => write!(
                f,
                "the origin itself arrived from {previous} {}s ago",
                ago.as_secs()
            ),
            ModerationReason::MoveChainTooLong { moves, limit } => {
                write!(f, "{moves} recent moves in a chain (limit {limit})")
            }
        }
    }
}

/// Wrap a moderation reason in the verdict a rule's action gives.
pub(crate) fn verdict(action: RuleAction, reason: ModerationReason) -> crate::policy::Verdict {
    let reason = crate::policy::PolicyReason::Moderation(reason);
    match action {
        RuleAction::Hold => crate::policy::Verdict::Hold(vec![reason]),
        RuleAction::Reject => crate::policy::Verdict::Reject(reason),
    }
}
