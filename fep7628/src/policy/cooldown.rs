//! Inbound cooldowns per origin and per target (spec/move.md E10, §2 "Inbound cooldown").

use std::time::{Duration, SystemTime};

use crate::policy::{CooldownSubject, InboundMoveContext, MigrationPolicy, PolicyReason, Verdict};

const DAY: Duration = Duration::from_secs(24 * 60 * 60);

/// Refuses a Move when its origin or target took part in an accepted move too recently.
///
/// The times come from the caller's store through the pipeline's
/// [`Query::LastMove`](crate::inbound::Query::LastMove) lookups. Only accepted moves start a
/// cooldown: a Move rejected because the target did not alias back yet (E5) leaves nothing to
/// record, so the sender can retry at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CooldownPolicy {
    per_origin: Option<Duration>,
    per_target: Option<Duration>,
}

impl CooldownPolicy {
    /// Explicit cooldowns; `None` disables a side.
    pub fn new(per_origin: Option<Duration>, per_target: Option<Duration>) -> Self {
        CooldownPolicy {
            per_origin,
            per_target,
        }
    }

    /// Mastodon: 7 days per origin (`move_in_progress:<origin>` redis key).
    pub fn mastodon() -> Self {
        CooldownPolicy::new(Some(DAY * 7), None)
    }

    /// GoToSocial: 7 days after a successful move involving the origin **or** the target.
    pub fn gotosocial() -> Self {
        CooldownPolicy::new(Some(DAY * 7), Some(DAY * 7))
    }

    /// Misskey: 14 days between processed moves of the same account.
    pub fn misskey() -> Self {
        CooldownPolicy::new(Some(DAY * 14), None)
    }

    /// The per-origin cooldown.
    pub fn per_origin(&self) -> Option<Duration> {
        self.per_origin
    }

    /// The per-target cooldown.
    pub fn per_target(&self) -> Option<Duration> {
        self.per_target
    }
}

impl Default for CooldownPolicy {
    /// GoToSocial's rule (the stricter of the common ones: both sides, 7 days).
    fn default() -> Self {
        CooldownPolicy::gotosocial()
    }
}

fn cooling(
    last: Option<SystemTime>,
    period: Option<Duration>,
    now: SystemTime,
) -> Option<SystemTime> {
    let until = last?.checked_add(period?)?;
    (now < until).then_some(until)
}

impl MigrationPolicy for CooldownPolicy {
    fn inbound_move(&self, ctx: &InboundMoveContext<'_>) -> Verdict {
        if let Some(until) = cooling(ctx.last_move_of_origin, self.per_origin, ctx.now) {
            return Verdict::Reject(PolicyReason::Cooldown {
                subject: CooldownSubject::Origin,
                until,
            });
        }
        if let Some(until) = cooling(ctx.last_move_of_target, self.per_target, ctx.now) {
            return Verdict::Reject(PolicyReason::Cooldown {
                subject: CooldownSubject::Target,
                until,
            });
        }
        Verdict::Accept
    }
}
