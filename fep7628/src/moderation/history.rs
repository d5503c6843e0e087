//! The window state the rate-limit, surge and follower-farming policies judge against: recent
//! accepted arrivals, supplied by the caller (sans-IO, restart-safe).
//!
//! The crate stores nothing. The caller keeps its audit events (or its own counts) and, before
//! asking the policies, fills an [`ArrivalHistory`] with the records of the window — after a
//! restart it rebuilds the same history from the same events with
//! [`ArrivalHistory::from_audit_events`]. After each accepted decision it appends the new
//! record ([`ArrivalHistory::record`]). Time is never read: every check takes `now` from its
//! context.

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use crate::inbound::host_of;
use crate::policy::{
    ArrivingFollower, AuditEvent, AuditOutcome, AuditSubject, InboundMoveContext, MigrationId,
    MigrationPolicy, Verdict,
};

/// Most records one history keeps; older ones are dropped first when more are added (the
/// caller should only load the longest window it configured).
pub const MAX_HISTORY_RECORDS: usize = 1_000_000;

/// What an [`ArrivalRecord`] counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ArrivalKind {
    /// An accepted migration (Move); `followers` = how many followers it brought, when known.
    Move,
    /// Followers accepted at a local target because of a migration.
    Followers,
}

/// One accepted arrival.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArrivalRecord {
    /// When it was accepted.
    pub at: SystemTime,
    /// The migration.
    pub migration_id: MigrationId,
    /// The old account.
    pub origin: String,
    /// The new account.
    pub target: String,
    /// The host of `origin` (lower case, punycode), the "origin server" limits count per.
    pub origin_host: String,
    /// A move or arriving followers.
    pub kind: ArrivalKind,
    /// Followers brought: for a move, the number it announced or brought (0 if unknown); for
    /// followers, how many (1 per arriving follower). Follower counts are summed over both
    /// kinds, so record a move's followers either on its `Move` record or as `Followers`
    /// records, not both ([`ArrivalHistory::from_audit_events`] does the latter).
    pub followers: u64,
}

impl ArrivalRecord {
    /// An accepted move from `origin` to `target` that brought `followers` followers.
    pub fn accepted_move(origin: &str, target: &str, followers: u64, at: SystemTime) -> Self {
        ArrivalRecord {
            at,
            migration_id: MigrationId::new(origin, target),
            origin: origin.to_owned(),
            target: target.to_owned(),
            origin_host: host_of(origin).unwrap_or_default(),
            kind: ArrivalKind::Move,
            followers,
        }
    }

    /// `count` followers accepted at `target` because of the migration from `origin`.
    pub fn arrived_followers(origin: &str, target: &str, count: u64, at: SystemTime) -> Self {
        ArrivalRecord {
            kind: ArrivalKind::Followers,
            followers: count,
            ..ArrivalRecord::accepted_move(origin, target, 0, at)
        }
    }

    /// The record an audit event stands for: an accepted inbound Move (followers unknown: 0)
    /// or an accepted arriving follower (1). Held and rejected decisions count for nothing.
    pub fn from_audit_event(event: &AuditEvent) -> Option<Self> {
        if !matches!(event.outcome, AuditOutcome::Accepted) {
            return None;
        }
        match &event.subject {
            AuditSubject::InboundMove {
                origin: Some(origin),
                target: Some(target),
                ..
            } => Some(ArrivalRecord::accepted_move(origin, target, 0, event.at)),
            AuditSubject::ArrivingFollower { origin, target, .. } => Some(
                ArrivalRecord::arrived_followers(origin, target, 1, event.at),
            ),
            _ => None,
        }
    }
}

/// Recent accepted arrivals, the server's size and the announced size of pending moves.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ArrivalHistory {
    records: Vec<ArrivalRecord>,
    local_accounts: Option<u64>,
    expected: HashMap<MigrationId, u64>,
}

impl ArrivalHistory {
    /// An empty history.
    pub fn new() -> Self {
        ArrivalHistory::default()
    }

    /// Rebuild from stored audit events (any order); only accepted decisions count.
    pub fn from_audit_events<'a>(events: impl IntoIterator<Item = &'a AuditEvent>) -> Self {
        let mut history = ArrivalHistory::new();
        for record in events
            .into_iter()
            .filter_map(ArrivalRecord::from_audit_event)
        {
            history.record(record);
        }
        history
    }

    /// Append an accepted arrival. Beyond [`MAX_HISTORY_RECORDS`] the oldest record goes.
    pub fn record(&mut self, record: ArrivalRecord) {
        if self.records.len() >= MAX_HISTORY_RECORDS
            && let Some((oldest, _)) = self.records.iter().enumerate().min_by_key(|(_, r)| r.at)
        {
            self.records.swap_remove(oldest);
        }
        self.records.push(record);
    }

    /// Builder: [`ArrivalHistory::record`].
    pub fn with(mut self, record: ArrivalRecord) -> Self {
        self.record(record);
        self
    }

    /// The number of local accounts of this server (the surge policy's share rule needs it).
    pub fn set_local_accounts(&mut self, accounts: u64) {
        self.local_accounts = Some(accounts);
    }

    /// Builder: [`ArrivalHistory::set_local_accounts`].
    pub fn with_local_accounts(mut self, accounts: u64) -> Self {
        self.set_local_accounts(accounts);
        self
    }

    /// How many followers the pending migration `id` would bring (e.g. the origin's follower
    /// count, or the number of local followers of the origin on a follower's server).
    pub fn expect_followers(&mut self, id: MigrationId, followers: u64) {
        self.expected.insert(id, followers);
    }

    /// Builder: [`ArrivalHistory::expect_followers`].
    pub fn with_expected_followers(mut self, id: MigrationId, followers: u64) -> Self {
        self.expect_followers(id, followers);
        self
    }

    /// The local account count, if set.
    pub fn local_accounts(&self) -> Option<u64> {
        self.local_accounts
    }

    /// The announced size of a pending migration, if set.
    pub fn expected_followers(&self, id: &MigrationId) -> Option<u64> {
        self.expected.get(id).copied()
    }

    /// Every record.
    pub fn records(&self) -> &[ArrivalRecord] {
        &self.records
    }

    /// Records accepted within `window` before `now` (`now - window < at <= now`).
    pub fn within(
        &self,
        now: SystemTime,
        window: Duration,
    ) -> impl Iterator<Item = &ArrivalRecord> + '_ {
        let since = now.checked_sub(window);
        self.records
            .iter()
            .filter(move |r| r.at <= now && since.is_none_or(|s| r.at > s))
    }
}

/// A policy that judges against an [`ArrivalHistory`] (window limits, surges, follower
/// farming). Bind it to the caller's history with [`HistoryPolicy::against`] to get a
/// [`MigrationPolicy`].
pub trait HistoryPolicy {
    /// An inbound Move, given the recent arrivals.
    fn inbound_move(&self, ctx: &InboundMoveContext<'_>, history: &ArrivalHistory) -> Verdict {
        let _ = (ctx, history);
        Verdict::Accept
    }

    /// A follower arriving at a local target, given the recent arrivals.
    fn arriving_follower(
        &self,
        arrival: &ArrivingFollower<'_>,
        history: &ArrivalHistory,
    ) -> Verdict {
        let _ = (arrival, history);
        Verdict::Accept
    }

    /// This policy judging against `history`.
    fn against<'a>(&'a self, history: &'a ArrivalHistory) -> WithHistory<'a, Self>
    where
        Self: Sized,
    {
        WithHistory {
            policy: self,
            history,
        }
    }
}

/// A [`HistoryPolicy`] bound to a history: a [`MigrationPolicy`].
#[derive(Debug, Clone, Copy)]
pub struct WithHistory<'a, P> {
    policy: &'a P,
    history: &'a ArrivalHistory,
}

impl<P: HistoryPolicy> MigrationPolicy for WithHistory<'_, P> {
    fn inbound_move(&self, ctx: &InboundMoveContext<'_>) -> Verdict {
        self.policy.inbound_move(ctx, self.history)
    }

    fn arriving_follower(&self, arrival: &ArrivingFollower<'_>) -> Verdict {
        self.policy.arriving_follower(arrival, self.history)
    }
}

/// Seconds between two times, saturating at zero.
pub(crate) fn elapsed(since: SystemTime, now: SystemTime) -> Duration {
    now.duration_since(since).unwrap_or_default()
}
