//! What a plan did: counts per outcome, named failures, pending follow requests.

use serde::{Deserialize, Serialize};

use super::{ActionKey, ActionKind};

/// Counts per outcome. Every follower fed lands in exactly one of `follows_sent`,
/// `follow_requests_sent`, `already_following`, `skipped_*`, `invalid_followers` or
/// `failed_followers` once the plan is finished.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanCounts {
    /// Followers planned (fed and accepted by the plan).
    pub followers_planned: u64,
    /// Follows delivered (or written locally for a local target) and not requests.
    pub follows_sent: u64,
    /// Follow requests delivered to a locked remote target: pending there (E13).
    pub follow_requests_sent: u64,
    /// Followers that already followed the target (E14).
    pub already_following: u64,
    /// Settings copied onto an existing follow of the target.
    pub settings_updated: u64,
    /// `Undo(Follow)` of the origin delivered.
    pub undos_sent: u64,
    /// Notifications written.
    pub notifications_sent: u64,
    /// The follower is the target itself (or the origin): nothing to do (E6).
    pub skipped_self: u64,
    /// The follower blocks the target (E7).
    pub skipped_blocks_target: u64,
    /// The target blocks the follower (E7).
    pub skipped_blocked_by_target: u64,
    /// Follower rows that were unusable (empty or overlong id) or reported as store errors.
    pub invalid_followers: u64,
    /// Followers whose new follow failed permanently (the old follow is kept).
    pub failed_followers: u64,
    /// Actions that failed permanently (any kind).
    pub failed_actions: u64,
    /// Retries scheduled after transient failures.
    pub retries: u64,
}

/// One permanent failure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Failure {
    /// The follower concerned.
    pub follower_id: String,
    /// The failed action (`None` for a follower row that could not be planned).
    pub key: Option<ActionKey>,
    /// The kind of the failed action (`None` as for `key`).
    pub action: Option<ActionKind>,
    /// The reason given by the caller.
    pub reason: String,
    /// Attempts made.
    pub attempts: u32,
}

/// The running and final account of a plan. Lists are capped at
/// [`PlanConfig::report_detail_limit`](super::PlanConfig::report_detail_limit) entries; the
/// `*_omitted` counters count the rest, so the report stays small for millions of followers.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanReport {
    /// Counts per outcome.
    pub counts: PlanCounts,
    /// Permanent failures, first ones first.
    pub failures: Vec<Failure>,
    /// Failures not listed.
    pub failures_omitted: u64,
    /// Followers whose new follow is a pending request on the locked target.
    pub pending_requests: Vec<String>,
    /// Pending requests not listed.
    pub pending_requests_omitted: u64,
    /// All followers were planned and every action confirmed.
    pub finished: bool,
}

impl PlanReport {
    pub(crate) fn push_failure(&mut self, failure: Failure, limit: usize) {
        if self.failures.len() < limit {
            self.failures.push(failure);
        } else {
            self.failures_omitted = self.failures_omitted.saturating_add(1);
        }
    }

    pub(crate) fn push_pending(&mut self, follower_id: &str, limit: usize) {
        if self.pending_requests.len() < limit {
            self.pending_requests.push(follower_id.to_owned());
        } else {
            self.pending_requests_omitted = self.pending_requests_omitted.saturating_add(1);
        }
    }
}
