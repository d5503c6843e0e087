//! Limits per origin server and per local target over a time window.

use std::time::Duration;

use crate::inbound::host_of;
use crate::moderation::history::{ArrivalHistory, ArrivalKind, ArrivalRecord, HistoryPolicy};
use crate::moderation::reason::{LimitScope, LimitUnit, ModerationReason, RuleAction, verdict};
use crate::policy::{ArrivingFollower, InboundMoveContext, Verdict};

/// One limit: at most `max` moves (or followers) per origin server (or per target) within
/// `window`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// What is counted per.
    pub scope: LimitScope,
    /// What is counted.
    pub unit: LimitUnit,
    /// The most allowed within the window.
    pub max: u64,
    /// The window.
    pub window: Duration,
    /// What happens past the limit.
    pub action: RuleAction,
}

/// A list of [`RateLimit`]s, judged against an [`ArrivalHistory`].
///
/// * On an inbound Move: a `moves` limit counts the accepted moves in the window from the same
///   origin server (or into the same target) plus this one; a `followers` limit adds the
///   followers they brought plus what this one is expected to bring
///   ([`ArrivalHistory::expect_followers`]; 0 when unknown).
/// * On an arriving follower: a `followers` limit counts the followers accepted in the window
///   for the same origin server (or target) plus this one. `moves` limits do not apply to
///   followers of an already accepted move.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use fep7628::moderation::{ArrivalHistory, ArrivalRecord, HistoryPolicy, LimitScope, LimitUnit,
///     RateLimit, RateLimitPolicy, RuleAction};
/// use fep7628::policy::{ArrivingFollower, MigrationPolicy, Verdict};
/// use fep7628::MigrationId;
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
/// let limits = RateLimitPolicy::new(vec![RateLimit {
///     scope: LimitScope::Target, unit: LimitUnit::Followers, max: 2,
///     window: Duration::from_secs(86_400), action: RuleAction::Hold }]);
/// let (o, t) = ("https://old.example/u/a", "https://new.example/u/a");
/// let history = ArrivalHistory::new()
///     .with(ArrivalRecord::arrived_followers(o, t, 2, now - Duration::from_secs(60)));
/// let id = MigrationId::new(o, t);
/// let arrival = ArrivingFollower::new(&id, "https://f.example/u/1", o, t, now);
/// assert!(matches!(limits.against(&history).arriving_follower(&arrival), Verdict::Hold(_)));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RateLimitPolicy {
    limits: Vec<RateLimit>,
}

impl RateLimitPolicy {
    /// These limits.
    pub fn new(limits: Vec<RateLimit>) -> Self {
        RateLimitPolicy { limits }
    }

    /// The limits.
    pub fn limits(&self) -> &[RateLimit] {
        &self.limits
    }

    fn judge(
        &self,
        origin: &str,
        target: &str,
        history: &ArrivalHistory,
        now: std::time::SystemTime,
        incoming: Incoming,
    ) -> Verdict {
        let origin_host = host_of(origin).unwrap_or_default();
        let mut result = Verdict::Accept;
        for limit in &self.limits {
            if incoming == Incoming::Follower && limit.unit == LimitUnit::Moves {
                continue;
            }
            let key = match limit.scope {
                LimitScope::OriginServer => origin_host.as_str(),
                LimitScope::Target => target,
            };
            let same = |r: &ArrivalRecord| match limit.scope {
                LimitScope::OriginServer => r.origin_host == origin_host,
                LimitScope::Target => r.target == target,
            };
            let counted = history.within(now, limit.window).filter(|r| same(r));
            let past: u64 = match limit.unit {
                LimitUnit::Moves => counted
                    .filter(|r| r.kind == ArrivalKind::Move)
                    .count()
                    .try_into()
                    .unwrap_or(u64::MAX),
                LimitUnit::Followers => {
                    counted.map(|r| r.followers).fold(0u64, u64::saturating_add)
                }
            };
            let this = match (limit.unit, incoming) {
                (LimitUnit::Moves, _) => 1,
                (LimitUnit::Followers, Incoming::Follower) => 1,
                (LimitUnit::Followers, Incoming::Move) => history
                    .expected_followers(&crate::policy::MigrationId::new(origin, target))
                    .unwrap_or(0),
            };
            let count = past.saturating_add(this);
            if count > limit.max {
                let reason = ModerationReason::RateLimited {
                    scope: limit.scope,
                    key: key.to_owned(),
                    unit: limit.unit,
                    count,
                    limit: limit.max,
                    window: limit.window,
                };
                result = result.and(|| verdict(limit.action, reason));
                if matches!(result, Verdict::Reject(_)) {
                    break;
                }
            }
        }
        result
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Incoming {
    Move,
    Follower,
}

impl HistoryPolicy for RateLimitPolicy {
    fn inbound_move(&self, ctx: &InboundMoveContext<'_>, history: &ArrivalHistory) -> Verdict {
        self.judge(ctx.origin, ctx.target, history, ctx.now, Incoming::Move)
    }

    fn arriving_follower(
        &self,
        arrival: &ArrivingFollower<'_>,
        history: &ArrivalHistory,
    ) -> Verdict {
        self.judge(
            arrival.origin,
            arrival.target,
            history,
            arrival.now,
            Incoming::Follower,
        )
    }
}
