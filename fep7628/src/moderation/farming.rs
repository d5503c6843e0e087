//! Follower farming: an origin that itself arrived by a move recently, or a long chain of
//! recent moves (followers passed along account after account).

use std::collections::HashSet;
use std::time::Duration;

use crate::moderation::history::{ArrivalHistory, ArrivalKind, HistoryPolicy, elapsed};
use crate::moderation::reason::{ModerationReason, RuleAction, verdict};
use crate::policy::{InboundMoveContext, Verdict};

/// Most steps walked back along a chain of moves.
pub const MAX_CHAIN_WALK: usize = 64;

/// Holds a Move whose origin itself arrived by an accepted move less than `recent_arrival`
/// ago, or whose chain of accepted moves within `chain_window` (… → x → origin → target)
/// holds more than `max_chain` moves, this one included. Accepted moves come from the
/// caller's [`ArrivalHistory`] (`Move` records).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use fep7628::moderation::{ArrivalHistory, ArrivalRecord, FollowerFarmingPolicy};
/// let day = Duration::from_secs(86_400);
/// let now = SystemTime::UNIX_EPOCH + day * 1000;
/// let policy = FollowerFarmingPolicy::new(day * 180).with_recent_arrival(day * 30);
/// let history = ArrivalHistory::new().with(ArrivalRecord::accepted_move(
///     "https://a.example/u/x", "https://b.example/u/x", 500, now - day * 3));
/// // b → c three days after a → b: held.
/// assert!(policy.judge("https://b.example/u/x", &history, now).is_some());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FollowerFarmingPolicy {
    chain_window: Duration,
    recent_arrival: Option<Duration>,
    max_chain: Option<u64>,
    action: RuleAction,
}

impl FollowerFarmingPolicy {
    /// Chains counted over `chain_window`; no threshold yet; holds.
    pub fn new(chain_window: Duration) -> Self {
        FollowerFarmingPolicy {
            chain_window,
            recent_arrival: None,
            max_chain: None,
            action: RuleAction::Hold,
        }
    }

    /// Builder: act when the origin itself arrived by a move less than this long ago.
    pub fn with_recent_arrival(mut self, within: Duration) -> Self {
        self.recent_arrival = Some(within);
        self
    }

    /// Builder: act when the chain of moves within the window is longer than `moves`.
    pub fn with_max_chain(mut self, moves: u64) -> Self {
        self.max_chain = Some(moves);
        self
    }

    /// Builder: reject instead of holding.
    pub fn with_action(mut self, action: RuleAction) -> Self {
        self.action = action;
        self
    }

    /// The chain window, the recent-arrival period and the chain limit.
    pub fn settings(&self) -> (Duration, Option<Duration>, Option<u64>) {
        (self.chain_window, self.recent_arrival, self.max_chain)
    }

    /// The reason to act on a move out of `origin` at `now`, if any.
    pub fn judge(
        &self,
        origin: &str,
        history: &ArrivalHistory,
        now: std::time::SystemTime,
    ) -> Option<ModerationReason> {
        let longest = self
            .recent_arrival
            .map_or(self.chain_window, |r| r.max(self.chain_window));
        let moves: Vec<_> = history
            .within(now, longest)
            .filter(|r| r.kind == ArrivalKind::Move)
            .collect();
        // The most recent arrival into `account` within `window`.
        let arrival_into = |account: &str, window: Duration| {
            moves
                .iter()
                .filter(|r| r.target == account && elapsed(r.at, now) < window)
                .max_by_key(|r| r.at)
        };
        if let Some(within) = self.recent_arrival
            && let Some(previous) = arrival_into(origin, within)
        {
            return Some(ModerationReason::OriginMovedRecently {
                previous: previous.origin.clone(),
                ago: elapsed(previous.at, now),
            });
        }
        let limit = self.max_chain?;
        let mut length: u64 = 1;
        let mut seen = HashSet::from([origin.to_owned()]);
        let mut current = origin.to_owned();
        for _ in 0..MAX_CHAIN_WALK {
            let Some(previous) = arrival_into(&current, self.chain_window) else {
                break;
            };
            length += 1;
            if !seen.insert(previous.origin.clone()) {
                break; // a loop: counted once
            }
            current = previous.origin.clone();
        }
        (length > limit).then_some(ModerationReason::MoveChainTooLong {
            moves: length,
            limit,
        })
    }
}

impl HistoryPolicy for FollowerFarmingPolicy {
    fn inbound_move(&self, ctx: &InboundMoveContext<'_>, history: &ArrivalHistory) -> Verdict {
        match self.judge(ctx.origin, history, ctx.now) {
            Some(reason) => verdict(self.action, reason),
            None => Verdict::Accept,
        }
    }
}
