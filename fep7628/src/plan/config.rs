//! Knobs of a re-follow plan.

use std::time::Duration;

/// When the old follow of the origin is undone.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum UnfollowOrigin {
    /// After the new follow (or follow request) was delivered — Mastodon's order since
    /// PR #21957; unfollowing the old account stops it from re-Moving followers (E10).
    #[default]
    AfterFollowDelivered,
    /// As above, but keep following the origin while the new follow is only a request
    /// (avoids GoToSocial #3190's "follow requested" limbo with nothing followed).
    KeepWhileRequestPending,
    /// Never undo (Hollo, Misskey behaviour; farming-prone, E10).
    Never,
}

/// Retries of transient delivery failures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included; the action fails permanently after the last.
    pub max_attempts: u32,
    /// Delay before the second attempt; doubles after each failure.
    pub base_delay: Duration,
    /// Upper bound of the delay.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 8,
            base_delay: Duration::from_secs(30),
            max_delay: Duration::from_secs(6 * 3600),
        }
    }
}

impl RetryPolicy {
    /// Delay after the `attempts`-th failed attempt (1-based): `base * 2^(attempts-1)`, capped.
    pub fn delay_after(&self, attempts: u32) -> Duration {
        let exp = attempts.saturating_sub(1).min(31);
        self.base_delay
            .checked_mul(1u32 << exp)
            .unwrap_or(self.max_delay)
            .min(self.max_delay)
    }
}

/// Configuration of a [`RefollowPlan`](super::RefollowPlan).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanConfig {
    /// Most actions in one [`Batch`](super::Batch) (Pleroma moves followers in batches of 50).
    pub batch_size: usize,
    /// Most unconfirmed actions held at once. This bounds the plan's memory and the size of a
    /// checkpoint: the plan asks for more followers only while there is room.
    pub max_in_flight: usize,
    /// Most followers asked for at once (`Step::NeedFollowers::max`).
    pub page_size: usize,
    /// Emit a [`Notify`](super::ActionKind::Notify) per follower (FEP-7628: a receiver MUST
    /// follow the target or notify the user; notifying also those who are not moved).
    pub notify_followers: bool,
    /// When the follow of the origin is undone.
    pub unfollow_origin: UnfollowOrigin,
    /// Retries of transient failures.
    pub retry: RetryPolicy,
    /// Most failures and pending-request follower ids listed by name in the report; the rest
    /// are counted.
    pub report_detail_limit: usize,
}

impl Default for PlanConfig {
    fn default() -> Self {
        PlanConfig {
            batch_size: 50,
            max_in_flight: 4096,
            page_size: 256,
            notify_followers: true,
            unfollow_origin: UnfollowOrigin::default(),
            retry: RetryPolicy::default(),
            report_detail_limit: 1000,
        }
    }
}

impl PlanConfig {
    /// The same configuration with every count at least 1 and the page no larger than the
    /// in-flight bound, so the plan always makes progress.
    pub(crate) fn normalised(mut self) -> Self {
        self.batch_size = self.batch_size.max(1);
        // Each follower holds at most two actions at once (follow or undo, plus notify).
        self.max_in_flight = self.max_in_flight.max(2);
        self.page_size = self.page_size.clamp(1, self.max_in_flight / 2);
        self.retry.max_attempts = self.retry.max_attempts.max(1);
        self
    }
}
