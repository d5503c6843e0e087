//! Arrival surges: a move that would bring too many followers, or too large a share of a small
//! server's accounts — including a surge split into many small moves within the window.

use std::time::{Duration, SystemTime};

use crate::inbound::host_of;
use crate::moderation::history::{ArrivalHistory, HistoryPolicy};
use crate::moderation::reason::{ModerationReason, RuleAction, SurgeKind, verdict};
use crate::policy::{ArrivingFollower, InboundMoveContext, MigrationId, Verdict};

/// Holds arrivals that would bring more than `max_followers` followers — in one move, or added
/// up over the `window` per origin server or per target — or, on a server with at most
/// `small_server_accounts` local accounts, more than `max_percent` % of them from one origin
/// server within the window.
///
/// The followers a pending move would bring come from
/// [`ArrivalHistory::expect_followers`]; the local account count from
/// [`ArrivalHistory::set_local_accounts`] (the share rule is skipped without it). On arriving
/// followers the same sums are taken with this follower counted as 1, so a move whose size was
/// not announced is still caught as its followers arrive.
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use fep7628::moderation::{ArrivalHistory, ArrivalRecord, HistoryPolicy, SurgePolicy};
/// use fep7628::policy::{ArrivingFollower, MigrationPolicy, Verdict};
/// use fep7628::MigrationId;
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(10_000_000);
/// let surge = SurgePolicy::new(Duration::from_secs(86_400)).with_max_followers(100);
/// // 10 small moves of 10 followers each from the same server within the hour …
/// let mut history = ArrivalHistory::new();
/// for i in 0..10 {
///     let origin = format!("https://farm.example/u/{i}");
///     let target = format!("https://here.example/u/{i}");
///     history.record(ArrivalRecord::arrived_followers(&origin, &target, 10, now - Duration::from_secs(60)));
/// }
/// // … and the next follower from there is held.
/// let (o, t) = ("https://farm.example/u/10", "https://here.example/u/10");
/// let id = MigrationId::new(o, t);
/// let arrival = ArrivingFollower::new(&id, "https://farm.example/u/f", o, t, now);
/// assert!(matches!(surge.against(&history).arriving_follower(&arrival), Verdict::Hold(_)));
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SurgePolicy {
    window: Duration,
    max_followers: Option<u64>,
    max_percent: Option<f64>,
    small_server_accounts: Option<u64>,
    action: RuleAction,
}

impl SurgePolicy {
    /// No threshold yet, over this window; holds.
    pub fn new(window: Duration) -> Self {
        SurgePolicy {
            window,
            max_followers: None,
            max_percent: None,
            small_server_accounts: None,
            action: RuleAction::Hold,
        }
    }

    /// Builder: the most followers one move, one origin server or one target may bring within
    /// the window.
    pub fn with_max_followers(mut self, n: u64) -> Self {
        self.max_followers = Some(n);
        self
    }

    /// Builder: the largest share (percent, 0–100) of the local accounts that may arrive from
    /// one origin server within the window, applied when the server has at most
    /// `small_server_accounts` accounts (`None`: whatever its size).
    pub fn with_max_percent(mut self, percent: f64, small_server_accounts: Option<u64>) -> Self {
        self.max_percent = Some(percent);
        self.small_server_accounts = small_server_accounts;
        self
    }

    /// Builder: reject instead of holding.
    pub fn with_action(mut self, action: RuleAction) -> Self {
        self.action = action;
        self
    }

    /// The window.
    pub fn window(&self) -> Duration {
        self.window
    }

    /// The follower threshold.
    pub fn max_followers(&self) -> Option<u64> {
        self.max_followers
    }

    /// The share threshold (percent) and the size up to which a server counts as small.
    pub fn max_percent(&self) -> Option<(f64, Option<u64>)> {
        self.max_percent.map(|p| (p, self.small_server_accounts))
    }

    fn judge(
        &self,
        origin: &str,
        target: &str,
        history: &ArrivalHistory,
        now: SystemTime,
        this: u64,
        single_move: bool,
    ) -> Verdict {
        let origin_host = host_of(origin).unwrap_or_default();
        let mut per_host = this;
        let mut per_target = this;
        for r in history.within(now, self.window) {
            if r.origin_host == origin_host {
                per_host = per_host.saturating_add(r.followers);
            }
            if r.target == target {
                per_target = per_target.saturating_add(r.followers);
            }
        }
        let mut result = Verdict::Accept;
        let mut flag = |kind: SurgeKind, key: &str, followers: u64, threshold: u64| {
            let reason = ModerationReason::ArrivalSurge {
                kind,
                key: key.to_owned(),
                followers,
                threshold,
            };
            let current = std::mem::take(&mut result);
            result = current.and(|| verdict(self.action, reason));
        };
        if let Some(max) = self.max_followers {
            if single_move && this > max {
                flag(SurgeKind::SingleMove, target, this, max);
            } else if per_host > max {
                flag(SurgeKind::OriginServer, &origin_host, per_host, max);
            } else if per_target > max {
                flag(SurgeKind::Target, target, per_target, max);
            }
        }
        if let (Some(percent), Some(accounts)) = (self.max_percent, history.local_accounts()) {
            let small = self
                .small_server_accounts
                .is_none_or(|limit| accounts <= limit);
            if small {
                // Integer threshold: floor(accounts × percent / 100), computed in f64 (exact
                // for any realistic account count).
                let allowed = (accounts as f64 * percent.clamp(0.0, 100.0) / 100.0).floor() as u64;
                if per_host > allowed {
                    flag(SurgeKind::LocalShare, &origin_host, per_host, allowed);
                }
            }
        }
        result
    }
}

impl HistoryPolicy for SurgePolicy {
    fn inbound_move(&self, ctx: &InboundMoveContext<'_>, history: &ArrivalHistory) -> Verdict {
        let this = history
            .expected_followers(&MigrationId::new(ctx.origin, ctx.target))
            .unwrap_or(0);
        self.judge(ctx.origin, ctx.target, history, ctx.now, this, true)
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
            1,
            false,
        )
    }
}
