//! Revert plan: undo what one migration did, from its audit trail (sans-IO).
//!
//! The plan reads the migration's [`AuditEntry`]s in sequence order (a stream, paged by the
//! caller from an [`AuditStore`](crate::store::AuditStore)) and turns each into at most one
//! [`RevertAction`]:
//!
//! | entry | revert action |
//! |---|---|
//! | `follow_sent`, `follow_request_sent` | `Undo(Follow)` of the target ([`RevertBody::WithdrawFollow`]) |
//! | `undo_sent` | `Follow` the origin again with the old settings, if it still exists and [`OriginFollows::Refollow`] ([`RevertBody::Refollow`]) |
//! | `settings_updated` | restore the settings the target follow had before ([`RevertBody::RestoreSettings`]) |
//! | `object_imported` | remove the object ([`RevertBody::RemoveObject`]) |
//! | `follower_arrived` (new home) | `Reject(Follow)` to the follower's inbox and remove its follow of the local target ([`RevertBody::RejectFollower`]); without a recorded inbox and `Follow` id, only remove the follow ([`RevertBody::RemoveFollower`]) |
//!
//! Everything else (decisions, notifications, skips, the revert's own entries) is read and
//! ignored. Each action has an idempotency key derived from (migration id + `#revert`,
//! follower or object, kind), the same after any restart. Memory is bounded by
//! [`RevertConfig::max_in_flight`]; the [`RevertCheckpoint`] (cursor + unconfirmed actions)
//! resumes the plan after a crash.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::plan::{
    Action, ActionBody, ActionKey, ActionKind, ActorRef, Destination, FollowSettings, MAX_ID_LEN,
};
use crate::review::{AuditEntry, AuditKind, RevertPlanError};

/// Format version of [`RevertCheckpoint`] written now. Version 2 added
/// [`RevertBody::RejectFollower`] and [`RevertCounts::followers_rejected`]; checkpoints of
/// version 1 (which have neither) are still read.
pub const REVERT_CHECKPOINT_VERSION: u32 = 2;

/// The oldest [`RevertCheckpoint`] version [`RevertPlan::restore`] reads.
const OLDEST_READABLE_VERSION: u32 = 1;

/// Most unconfirmed actions a restored checkpoint may carry.
pub const MAX_REVERT_IN_FLIGHT: usize = 1 << 20;

/// What is known about the migration to revert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevertFacts {
    /// The migration (as tagged in the audit log).
    pub migration_id: String,
    /// The old account (re-followed on revert).
    pub origin: ActorRef,
    /// The new account (its follows are withdrawn).
    pub target: ActorRef,
    /// The origin still exists (the caller fetched it; a gone account is not re-followed).
    pub origin_exists: bool,
    /// The origin approves followers manually: a re-follow is a request.
    pub origin_locked: bool,
    /// The origin lives on this server (a local write).
    pub origin_is_local: bool,
    /// The target lives on this server (a local write).
    pub target_is_local: bool,
}

impl RevertFacts {
    /// The id the revert's actions are keyed under: the migration id and `#revert`.
    pub fn revert_id(&self) -> String {
        format!("{}#revert", self.migration_id)
    }

    fn validate(&self) -> Result<(), RevertPlanError> {
        let bad = |s: &str| s.is_empty() || s.len() > MAX_ID_LEN;
        if bad(&self.migration_id) {
            return Err(RevertPlanError::InvalidFacts {
                field: "migration_id",
            });
        }
        if bad(&self.origin.id) || bad(self.origin.delivery_inbox()) {
            return Err(RevertPlanError::InvalidFacts { field: "origin" });
        }
        if bad(&self.target.id) || bad(self.target.delivery_inbox()) {
            return Err(RevertPlanError::InvalidFacts { field: "target" });
        }
        Ok(())
    }
}

/// What happens to the followers' former follow of the origin.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OriginFollows {
    /// Follow the origin again where the migration undid the follow and the origin exists.
    #[default]
    Refollow,
    /// Only withdraw the follows of the target.
    Remove,
}

/// Knobs of a [`RevertPlan`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RevertConfig {
    /// Re-follow the origin or not.
    pub origin_follows: OriginFollows,
    /// Most actions per batch.
    pub batch_size: usize,
    /// Most audit entries asked for at once.
    pub page_size: usize,
    /// Most unconfirmed actions at once (bounds memory and the checkpoint).
    pub max_in_flight: usize,
    /// Attempts per action before it fails permanently.
    pub max_attempts: u32,
    /// Most failures listed by name in the report.
    pub report_detail_limit: usize,
}

impl Default for RevertConfig {
    fn default() -> Self {
        RevertConfig {
            origin_follows: OriginFollows::Refollow,
            batch_size: 50,
            page_size: 256,
            max_in_flight: 4096,
            max_attempts: 5,
            report_detail_limit: 1000,
        }
    }
}

impl RevertConfig {
    fn normalised(mut self) -> Self {
        self.batch_size = self.batch_size.max(1);
        self.max_in_flight = self.max_in_flight.max(1);
        self.page_size = self.page_size.clamp(1, self.max_in_flight);
        self.max_attempts = self.max_attempts.max(1);
        self
    }
}

/// What a revert action does.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum RevertBody {
    /// `Undo(Follow)` of `followed` (the target) by `follower`; remove the follow.
    WithdrawFollow {
        /// The local follower.
        follower: String,
        /// The target.
        followed: String,
    },
    /// `Follow` `followed` (the origin) again with the old settings.
    Refollow {
        /// The local follower.
        follower: String,
        /// The origin.
        followed: String,
        /// The settings the follow of the origin had.
        settings: FollowSettings,
        /// The origin is locked and remote: a follow request.
        request: bool,
    },
    /// Put back the settings a pre-existing follow of the target had before the migration.
    RestoreSettings {
        /// The local follower.
        follower: String,
        /// The target.
        followed: String,
        /// The settings before the migration.
        settings: FollowSettings,
    },
    /// Remove an imported object.
    RemoveObject {
        /// The object's id.
        object_id: String,
    },
    /// New home: remove the follow of the local target by a follower that arrived with the
    /// migration, a local write only: the audit entry kept no inbox or `Follow` id to tell the
    /// follower's server with (see [`RevertBody::RejectFollower`]).
    RemoveFollower {
        /// The (remote) follower.
        follower: String,
        /// The local target.
        followed: String,
    },
    /// New home: the local target sends `Reject(Follow)` to a follower that arrived with the
    /// migration (to its inbox, the action's destination), then the follow is removed — what
    /// Mastodon does when an account removes a follower, so the follower's server drops the
    /// follow too.
    RejectFollower {
        /// The (remote) follower.
        follower: String,
        /// The local target (the `Reject`'s actor and signer).
        followed: String,
        /// The id of the `Follow` the follower sent (embedded in the `Reject`).
        follow_id: String,
    },
}

/// One idempotent step of a revert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevertAction {
    /// Idempotency key (for deliveries, the text form of an [`ActionKey`]).
    pub key: String,
    /// Sequence number of the audit entry it undoes.
    pub entry_seq: u64,
    /// Where it is carried out.
    pub destination: Destination,
    /// What to do.
    pub body: RevertBody,
}

impl RevertAction {
    /// The audit kind written once the action is carried out.
    pub fn audit_kind(&self) -> AuditKind {
        match self.body {
            RevertBody::WithdrawFollow { .. } => AuditKind::RevertFollowWithdrawn,
            RevertBody::Refollow { .. } => AuditKind::RevertOriginRefollowed,
            RevertBody::RestoreSettings { .. } => AuditKind::RevertSettingsRestored,
            RevertBody::RemoveObject { .. } => AuditKind::RevertObjectRemoved,
            RevertBody::RemoveFollower { .. } => AuditKind::RevertFollowerRemoved,
            RevertBody::RejectFollower { .. } => AuditKind::RevertFollowerRejected,
        }
    }

    /// The follower concerned, if any.
    pub fn follower(&self) -> Option<&str> {
        match &self.body {
            RevertBody::WithdrawFollow { follower, .. }
            | RevertBody::Refollow { follower, .. }
            | RevertBody::RestoreSettings { follower, .. }
            | RevertBody::RemoveFollower { follower, .. }
            | RevertBody::RejectFollower { follower, .. } => Some(follower),
            RevertBody::RemoveObject { .. } => None,
        }
    }

    /// The activity to deliver, as a re-follow-plan [`Action`] (so any
    /// [`Deliverer`](crate::store::Deliverer) carries it): an `Undo(Follow)` of the target, a
    /// `Follow` of the origin, or the target's `Reject(Follow)` of an arrived follower (signed
    /// by the target: [`Action::follower_id`] is the local account the activity is sent as),
    /// keyed by this action's key. `None` for local-only actions.
    pub fn delivery(&self, revert_id: &str) -> Option<Action> {
        let key: ActionKey = self.key.parse().ok()?;
        let (sender, body) = match &self.body {
            RevertBody::WithdrawFollow { follower, followed } => (
                follower,
                ActionBody::UndoFollow {
                    origin_id: followed.as_str().into(),
                },
            ),
            RevertBody::Refollow {
                follower,
                followed,
                settings,
                request,
            } => (
                follower,
                ActionBody::Follow {
                    target_id: followed.as_str().into(),
                    settings: settings.clone(),
                    request: *request,
                },
            ),
            RevertBody::RejectFollower {
                follower,
                followed,
                follow_id,
            } => (
                followed,
                ActionBody::RejectFollow {
                    follower: follower.as_str().into(),
                    follow_id: follow_id.clone(),
                },
            ),
            _ => return None,
        };
        Some(Action {
            key,
            migration_id: revert_id.into(),
            follower_id: sender.as_str().into(),
            destination: self.destination.clone(),
            body,
        })
    }

    /// The audit entry for this action once carried out (deduped by its key).
    pub fn executed_entry(&self, facts: &RevertFacts, at: SystemTime) -> AuditEntry {
        let mut entry = AuditEntry::new(facts.migration_id.as_str(), at, self.audit_kind())
            .with_accounts(Some(&facts.origin.id), Some(&facts.target.id))
            .with_dedupe_key(self.key.clone())
            .with_detail(format!("revert of entry {}", self.entry_seq));
        if let Some(f) = self.follower() {
            entry = entry.with_follower(f);
        }
        if let RevertBody::RemoveObject { object_id } = &self.body {
            entry.object_id = Some(object_id.clone());
        }
        entry
    }
}

/// Actions for one destination, handed out together.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevertBatch {
    /// Where every action goes.
    pub destination: Destination,
    /// The actions; confirm each with [`RevertPlan::handle_done`] or
    /// [`RevertPlan::handle_failed`].
    pub actions: Vec<RevertAction>,
}

/// What the revert plan wants next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RevertStep {
    /// Feed the migration's audit entries with a sequence number greater than `after`, at
    /// most `max`, with [`RevertPlan::feed`]; call [`RevertPlan::end_of_entries`] on an empty
    /// page.
    NeedEntries {
        /// Cursor.
        after: Option<u64>,
        /// Most entries wanted.
        max: usize,
    },
    /// Carry these out.
    Execute(RevertBatch),
    /// Waiting for confirmations of handed-out actions.
    Wait,
    /// Everything was read and every action confirmed.
    Finished,
}

/// Counts of a revert.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevertCounts {
    /// Audit entries read.
    pub entries_read: u64,
    /// Follows of the target withdrawn.
    pub follows_withdrawn: u64,
    /// Follows of the origin restored.
    pub origin_refollowed: u64,
    /// Settings of pre-existing follows restored.
    pub settings_restored: u64,
    /// Imported objects removed.
    pub objects_removed: u64,
    /// Follows of arrived followers removed (new home), told or not.
    pub followers_removed: u64,
    /// Of those, the ones whose server was sent a `Reject(Follow)` (absent from version-1
    /// checkpoints: 0).
    #[serde(default)]
    pub followers_rejected: u64,
    /// Actions that failed permanently.
    pub failed_actions: u64,
    /// Transient failures retried.
    pub retries: u64,
}

/// A permanently failed revert action.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevertFailure {
    /// The action's key.
    pub key: String,
    /// Why.
    pub reason: String,
}

/// What a revert did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevertReport {
    /// Counts.
    pub counts: RevertCounts,
    /// Failures, first ones first (capped).
    pub failures: Vec<RevertFailure>,
    /// Failures not listed.
    pub failures_omitted: u64,
    /// Finished.
    pub finished: bool,
}

/// An unconfirmed revert action and its failed attempts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevertInFlight {
    /// The action.
    pub action: RevertAction,
    /// Failed attempts so far.
    pub attempts: u32,
}

/// Everything needed to resume a revert.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevertCheckpoint {
    /// [`REVERT_CHECKPOINT_VERSION`].
    pub version: u32,
    /// The revert's facts.
    pub facts: RevertFacts,
    /// Last entry sequence number read.
    pub cursor: Option<u64>,
    /// The entry stream was exhausted.
    pub end_of_entries: bool,
    /// Unconfirmed actions, in entry order.
    pub in_flight: Vec<RevertInFlight>,
    /// The report so far.
    pub report: RevertReport,
}

/// How [`RevertPlan::handle_failed`] dealt with a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevertRetry {
    /// Handed out again by the next poll.
    Again,
    /// Failed permanently; recorded in the report.
    GaveUp,
}

#[derive(Clone, Debug)]
struct Slot {
    action: RevertAction,
    attempts: u32,
    issued: bool,
}

/// The revert of one migration, driven by the caller.
#[derive(Clone, Debug)]
pub struct RevertPlan {
    facts: RevertFacts,
    revert_id: String,
    config: RevertConfig,
    cursor: Option<u64>,
    end_of_entries: bool,
    /// Keyed by entry sequence number: hand-out order is audit order (a withdrawal before the
    /// re-follow of the same follower).
    slots: BTreeMap<u64, Slot>,
    by_key: BTreeMap<String, u64>,
    report: RevertReport,
}

impl RevertPlan {
    /// A new revert.
    pub fn new(facts: RevertFacts, config: RevertConfig) -> Result<Self, RevertPlanError> {
        facts.validate()?;
        Ok(RevertPlan {
            revert_id: facts.revert_id(),
            facts,
            config: config.normalised(),
            cursor: None,
            end_of_entries: false,
            slots: BTreeMap::new(),
            by_key: BTreeMap::new(),
            report: RevertReport::default(),
        })
    }

    /// Resume from a checkpoint.
    pub fn restore(
        checkpoint: RevertCheckpoint,
        config: RevertConfig,
    ) -> Result<Self, RevertPlanError> {
        if !(OLDEST_READABLE_VERSION..=REVERT_CHECKPOINT_VERSION).contains(&checkpoint.version) {
            return Err(RevertPlanError::CheckpointVersion {
                found: checkpoint.version,
            });
        }
        if checkpoint.in_flight.len() > MAX_REVERT_IN_FLIGHT {
            return Err(RevertPlanError::CheckpointTooLarge);
        }
        let mut plan = RevertPlan::new(checkpoint.facts, config)?;
        plan.cursor = checkpoint.cursor;
        plan.end_of_entries = checkpoint.end_of_entries;
        plan.report = checkpoint.report;
        for inflight in checkpoint.in_flight {
            let seq = inflight.action.entry_seq;
            if plan.cursor.is_none_or(|c| seq > c) {
                return Err(RevertPlanError::CheckpointInconsistent);
            }
            // A Reject goes to an inbox, and version 1 had none.
            if let RevertBody::RejectFollower { .. } = inflight.action.body
                && (checkpoint.version < 2
                    || !matches!(inflight.action.destination, Destination::Inbox(_)))
            {
                return Err(RevertPlanError::CheckpointInconsistent);
            }
            plan.by_key.insert(inflight.action.key.clone(), seq);
            plan.slots.insert(
                seq,
                Slot {
                    action: inflight.action,
                    attempts: inflight.attempts,
                    issued: false,
                },
            );
        }
        Ok(plan)
    }

    /// The state to persist.
    pub fn checkpoint(&self) -> RevertCheckpoint {
        RevertCheckpoint {
            version: REVERT_CHECKPOINT_VERSION,
            facts: self.facts.clone(),
            cursor: self.cursor,
            end_of_entries: self.end_of_entries,
            in_flight: self
                .slots
                .values()
                .map(|s| RevertInFlight {
                    action: s.action.clone(),
                    attempts: s.attempts,
                })
                .collect(),
            report: self.report.clone(),
        }
    }

    /// The facts.
    pub fn facts(&self) -> &RevertFacts {
        &self.facts
    }

    /// The id the actions are keyed under.
    pub fn revert_id(&self) -> &str {
        &self.revert_id
    }

    /// The report so far.
    pub fn report(&self) -> &RevertReport {
        &self.report
    }

    /// Unconfirmed actions.
    pub fn in_flight(&self) -> usize {
        self.slots.len()
    }

    /// The next step.
    pub fn poll(&mut self) -> RevertStep {
        if let Some(destination) = self
            .slots
            .values()
            .find(|s| !s.issued)
            .map(|s| s.action.destination.clone())
        {
            let mut actions = Vec::new();
            for slot in self.slots.values_mut() {
                if actions.len() >= self.config.batch_size {
                    break;
                }
                if !slot.issued && slot.action.destination == destination {
                    slot.issued = true;
                    actions.push(slot.action.clone());
                }
            }
            return RevertStep::Execute(RevertBatch {
                destination,
                actions,
            });
        }
        if !self.end_of_entries && self.slots.len() < self.config.max_in_flight {
            let room = self.config.max_in_flight - self.slots.len();
            return RevertStep::NeedEntries {
                after: self.cursor,
                max: self.config.page_size.min(room),
            };
        }
        if self.slots.is_empty() && self.end_of_entries {
            self.report.finished = true;
            return RevertStep::Finished;
        }
        RevertStep::Wait
    }

    /// The entry stream is exhausted.
    pub fn end_of_entries(&mut self) {
        self.end_of_entries = true;
    }

    /// Feed the audit entry `seq` of the migration. Entries must come in strictly increasing
    /// sequence order and belong to this migration.
    pub fn feed(&mut self, seq: u64, entry: &AuditEntry) -> Result<(), RevertPlanError> {
        if self.end_of_entries {
            return Err(RevertPlanError::FeedAfterEnd);
        }
        if self.cursor.is_some_and(|c| seq <= c) {
            return Err(RevertPlanError::OutOfOrder { seq });
        }
        if entry.migration_id != self.facts.migration_id {
            return Err(RevertPlanError::ForeignEntry { seq });
        }
        if self.slots.len() >= self.config.max_in_flight {
            return Err(RevertPlanError::Backpressure);
        }
        self.cursor = Some(seq);
        self.report.counts.entries_read = self.report.counts.entries_read.saturating_add(1);
        if let Some(action) = self.action_for(seq, entry) {
            self.by_key.insert(action.key.clone(), seq);
            self.slots.insert(
                seq,
                Slot {
                    action,
                    attempts: 0,
                    issued: false,
                },
            );
        }
        Ok(())
    }

    fn action_for(&self, seq: u64, entry: &AuditEntry) -> Option<RevertAction> {
        let facts = &self.facts;
        let delivery_key = |follower: &str, kind: ActionKind| {
            ActionKey::derive(&self.revert_id, follower, kind).to_string()
        };
        let to = |local: bool, actor: &ActorRef| {
            if local {
                Destination::Local
            } else {
                Destination::Inbox(actor.delivery_inbox().into())
            }
        };
        let follower = entry.follower.as_deref().filter(|f| valid_id(f));
        let (key, destination, body) = match entry.kind {
            AuditKind::FollowSent | AuditKind::FollowRequestSent => {
                let follower = follower?;
                if entry.target.as_deref() != Some(facts.target.id.as_str()) {
                    return None;
                }
                (
                    delivery_key(follower, ActionKind::UndoFollow),
                    to(facts.target_is_local, &facts.target),
                    RevertBody::WithdrawFollow {
                        follower: follower.to_owned(),
                        followed: facts.target.id.clone(),
                    },
                )
            }
            AuditKind::UndoSent => {
                let follower = follower?;
                if self.config.origin_follows != OriginFollows::Refollow
                    || !facts.origin_exists
                    || entry.origin.as_deref() != Some(facts.origin.id.as_str())
                {
                    return None;
                }
                let settings = entry
                    .prior
                    .as_ref()
                    .map(|p| p.settings.clone())
                    .unwrap_or_default();
                (
                    delivery_key(follower, ActionKind::Follow),
                    to(facts.origin_is_local, &facts.origin),
                    RevertBody::Refollow {
                        follower: follower.to_owned(),
                        followed: facts.origin.id.clone(),
                        settings,
                        request: facts.origin_locked && !facts.origin_is_local,
                    },
                )
            }
            AuditKind::SettingsUpdated => {
                let follower = follower?;
                let prior = entry.prior.as_ref()?;
                if entry.target.as_deref() != Some(facts.target.id.as_str()) {
                    return None;
                }
                (
                    delivery_key(follower, ActionKind::UpdateFollow),
                    Destination::Local,
                    RevertBody::RestoreSettings {
                        follower: follower.to_owned(),
                        followed: facts.target.id.clone(),
                        settings: prior.settings.clone(),
                    },
                )
            }
            AuditKind::ObjectImported => {
                let object_id = entry.object_id.as_deref().filter(|o| valid_id(o))?;
                (
                    local_key(&self.revert_id, object_id, "remove_object"),
                    Destination::Local,
                    RevertBody::RemoveObject {
                        object_id: object_id.to_owned(),
                    },
                )
            }
            AuditKind::FollowerArrived => {
                let follower = follower?;
                if entry.target.as_deref() != Some(facts.target.id.as_str()) {
                    return None;
                }
                // Only a local target can sign the Reject; the kept inbox says where, and the
                // kept Follow id what is rejected (GoToSocial needs it in the embedded Follow).
                let kept = |field: &Option<String>| {
                    field
                        .clone()
                        .filter(|v| facts.target_is_local && valid_id(v))
                };
                match kept(&entry.follower_inbox).zip(kept(&entry.follow_id)) {
                    Some((inbox, follow_id)) => (
                        delivery_key(follower, ActionKind::RejectFollow),
                        Destination::Inbox(inbox.into()),
                        RevertBody::RejectFollower {
                            follower: follower.to_owned(),
                            followed: facts.target.id.clone(),
                            follow_id,
                        },
                    ),
                    None => (
                        local_key(&self.revert_id, follower, "remove_follower"),
                        Destination::Local,
                        RevertBody::RemoveFollower {
                            follower: follower.to_owned(),
                            followed: facts.target.id.clone(),
                        },
                    ),
                }
            }
            _ => return None,
        };
        if self.by_key.contains_key(&key) {
            // The same effect twice in the log (an old log without dedupe keys): undo it once.
            return None;
        }
        Some(RevertAction {
            key,
            entry_seq: seq,
            destination,
            body,
        })
    }

    /// The action `key` was carried out.
    pub fn handle_done(&mut self, key: &str) -> Result<(), RevertPlanError> {
        let slot = self.take(key)?;
        let c = &mut self.report.counts;
        let counter = match slot.action.body {
            RevertBody::WithdrawFollow { .. } => &mut c.follows_withdrawn,
            RevertBody::Refollow { .. } => &mut c.origin_refollowed,
            RevertBody::RestoreSettings { .. } => &mut c.settings_restored,
            RevertBody::RemoveObject { .. } => &mut c.objects_removed,
            RevertBody::RemoveFollower { .. } => &mut c.followers_removed,
            RevertBody::RejectFollower { .. } => {
                c.followers_removed = c.followers_removed.saturating_add(1);
                &mut c.followers_rejected
            }
        };
        *counter = counter.saturating_add(1);
        Ok(())
    }

    /// The action `key` failed; transient failures are handed out again until
    /// [`RevertConfig::max_attempts`].
    pub fn handle_failed(
        &mut self,
        key: &str,
        reason: &str,
        permanent: bool,
    ) -> Result<RevertRetry, RevertPlanError> {
        let seq = *self
            .by_key
            .get(key)
            .ok_or_else(|| RevertPlanError::UnknownKey { key: clip(key) })?;
        let max = self.config.max_attempts;
        let Some(slot) = self.slots.get_mut(&seq) else {
            return Err(RevertPlanError::UnknownKey { key: clip(key) });
        };
        slot.attempts = slot.attempts.saturating_add(1);
        if !permanent && slot.attempts < max {
            slot.issued = false;
            self.report.counts.retries = self.report.counts.retries.saturating_add(1);
            return Ok(RevertRetry::Again);
        }
        self.take(key)?;
        self.report.counts.failed_actions = self.report.counts.failed_actions.saturating_add(1);
        if self.report.failures.len() < self.config.report_detail_limit {
            self.report.failures.push(RevertFailure {
                key: key.to_owned(),
                reason: clip(reason),
            });
        } else {
            self.report.failures_omitted = self.report.failures_omitted.saturating_add(1);
        }
        Ok(RevertRetry::GaveUp)
    }

    fn take(&mut self, key: &str) -> Result<Slot, RevertPlanError> {
        let seq = self
            .by_key
            .remove(key)
            .ok_or_else(|| RevertPlanError::UnknownKey { key: clip(key) })?;
        self.slots
            .remove(&seq)
            .ok_or_else(|| RevertPlanError::UnknownKey { key: clip(key) })
    }
}

fn valid_id(id: &str) -> bool {
    !id.is_empty() && id.len() <= MAX_ID_LEN
}

fn clip(text: &str) -> String {
    crate::error::clip(text)
}

/// Key of a local-only revert action: 128 bits of SHA-256 over (domain, revert id, subject,
/// kind) and `.kind`.
fn local_key(revert_id: &str, subject: &str, kind: &str) -> String {
    let mut h = Sha256::new();
    h.update(b"fep7628/revert-local/v1");
    for part in [revert_id, subject, kind] {
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    let digest = h.finalize();
    let mut out = String::with_capacity(48);
    for b in digest.iter().take(16) {
        out.push_str(&format!("{b:02x}"));
    }
    out.push('.');
    out.push_str(kind);
    out
}
