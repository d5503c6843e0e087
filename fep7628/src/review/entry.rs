//! The typed, storable audit entry: every decision and every executed action of a migration.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::inbound::host_of;
use crate::plan::{Action, ActionBody, Disposition, FollowSettings, MoveFacts};
use crate::policy::{AuditEvent, AuditOutcome, AuditSubject, PolicyReason, normalize_domain};
use crate::store::FollowState;

/// What an [`AuditEntry`] records. The code ([`AuditKind::as_str`]) is stable: stores keep it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AuditKind {
    /// Decision: an inbound Move was accepted.
    MoveAccepted,
    /// Decision: an inbound Move was held for a moderator.
    MoveHeld,
    /// Decision: an inbound Move was rejected.
    MoveRejected,
    /// Decision: a follower arriving at a local target was accepted.
    FollowerAccepted,
    /// Decision: an arriving follower was held for a moderator.
    FollowerHeld,
    /// Decision: an arriving follower was rejected.
    FollowerRejected,
    /// Decision: an imported object passed screening.
    ObjectAccepted,
    /// Decision: an imported object was held for a moderator.
    ObjectHeld,
    /// Decision: an imported object was refused.
    ObjectRejected,
    /// A moderator approved a review item.
    ReviewApproved,
    /// A moderator rejected a review item.
    ReviewRejected,
    /// The re-follow plan started.
    PlanStarted,
    /// Executed: a `Follow` of the target was sent (or written locally).
    FollowSent,
    /// Executed: a follow request was sent to a locked target.
    FollowRequestSent,
    /// Executed: an `Undo(Follow)` of the origin was sent.
    UndoSent,
    /// Executed: the settings of an existing follow of the target were updated (E14).
    SettingsUpdated,
    /// Executed: the follower was notified of the move.
    Notified,
    /// A follower was skipped by the plan (self, blocks, invalid row).
    Skipped,
    /// An action failed permanently.
    ActionFailed,
    /// The re-follow plan finished.
    PlanFinished,
    /// Executed: an object was imported by the migration.
    ObjectImported,
    /// Executed (new home): a follow of the local target by a follower arriving because of the
    /// migration was accepted and stored.
    FollowerArrived,
    /// A revert of the migration started.
    RevertStarted,
    /// Revert executed: the follow of the target was withdrawn (`Undo(Follow)`).
    RevertFollowWithdrawn,
    /// Revert executed: the origin was followed again.
    RevertOriginRefollowed,
    /// Revert executed: the settings of a pre-existing follow of the target were restored.
    RevertSettingsRestored,
    /// Revert executed: an imported object was removed.
    RevertObjectRemoved,
    /// Revert executed (new home): the follow of an arrived follower was removed.
    RevertFollowerRemoved,
    /// Revert executed (new home): the follow of an arrived follower was removed and its
    /// server told with a `Reject(Follow)`.
    RevertFollowerRejected,
    /// A revert action failed permanently.
    RevertActionFailed,
    /// The revert finished.
    RevertFinished,
}

const ALL_KINDS: [AuditKind; 31] = [
    AuditKind::MoveAccepted,
    AuditKind::MoveHeld,
    AuditKind::MoveRejected,
    AuditKind::FollowerAccepted,
    AuditKind::FollowerHeld,
    AuditKind::FollowerRejected,
    AuditKind::ObjectAccepted,
    AuditKind::ObjectHeld,
    AuditKind::ObjectRejected,
    AuditKind::ReviewApproved,
    AuditKind::ReviewRejected,
    AuditKind::PlanStarted,
    AuditKind::FollowSent,
    AuditKind::FollowRequestSent,
    AuditKind::UndoSent,
    AuditKind::SettingsUpdated,
    AuditKind::Notified,
    AuditKind::Skipped,
    AuditKind::ActionFailed,
    AuditKind::PlanFinished,
    AuditKind::ObjectImported,
    AuditKind::FollowerArrived,
    AuditKind::RevertStarted,
    AuditKind::RevertFollowWithdrawn,
    AuditKind::RevertOriginRefollowed,
    AuditKind::RevertSettingsRestored,
    AuditKind::RevertObjectRemoved,
    AuditKind::RevertFollowerRemoved,
    AuditKind::RevertFollowerRejected,
    AuditKind::RevertActionFailed,
    AuditKind::RevertFinished,
];

impl AuditKind {
    /// Stable snake_case code (the driver's historical `plan_started`, `action_failed` and
    /// `plan_finished` codes are among them).
    pub fn as_str(self) -> &'static str {
        match self {
            AuditKind::MoveAccepted => "move_accepted",
            AuditKind::MoveHeld => "move_held",
            AuditKind::MoveRejected => "move_rejected",
            AuditKind::FollowerAccepted => "follower_accepted",
            AuditKind::FollowerHeld => "follower_held",
            AuditKind::FollowerRejected => "follower_rejected",
            AuditKind::ObjectAccepted => "object_accepted",
            AuditKind::ObjectHeld => "object_held",
            AuditKind::ObjectRejected => "object_rejected",
            AuditKind::ReviewApproved => "review_approved",
            AuditKind::ReviewRejected => "review_rejected",
            AuditKind::PlanStarted => "plan_started",
            AuditKind::FollowSent => "follow_sent",
            AuditKind::FollowRequestSent => "follow_request_sent",
            AuditKind::UndoSent => "undo_sent",
            AuditKind::SettingsUpdated => "settings_updated",
            AuditKind::Notified => "notified",
            AuditKind::Skipped => "skipped",
            AuditKind::ActionFailed => "action_failed",
            AuditKind::PlanFinished => "plan_finished",
            AuditKind::ObjectImported => "object_imported",
            AuditKind::FollowerArrived => "follower_arrived",
            AuditKind::RevertStarted => "revert_started",
            AuditKind::RevertFollowWithdrawn => "revert_follow_withdrawn",
            AuditKind::RevertOriginRefollowed => "revert_origin_refollowed",
            AuditKind::RevertSettingsRestored => "revert_settings_restored",
            AuditKind::RevertObjectRemoved => "revert_object_removed",
            AuditKind::RevertFollowerRemoved => "revert_follower_removed",
            AuditKind::RevertFollowerRejected => "revert_follower_rejected",
            AuditKind::RevertActionFailed => "revert_action_failed",
            AuditKind::RevertFinished => "revert_finished",
        }
    }

    /// The kind with this code (as read back from a store).
    pub fn from_code(code: &str) -> Option<Self> {
        ALL_KINDS.into_iter().find(|k| k.as_str() == code)
    }

    /// A moderator's or a policy's decision (as opposed to an executed action).
    pub fn is_decision(self) -> bool {
        matches!(
            self,
            AuditKind::MoveAccepted
                | AuditKind::MoveHeld
                | AuditKind::MoveRejected
                | AuditKind::FollowerAccepted
                | AuditKind::FollowerHeld
                | AuditKind::FollowerRejected
                | AuditKind::ObjectAccepted
                | AuditKind::ObjectHeld
                | AuditKind::ObjectRejected
                | AuditKind::ReviewApproved
                | AuditKind::ReviewRejected
        )
    }

    /// Written by a revert.
    pub fn is_revert(self) -> bool {
        matches!(
            self,
            AuditKind::RevertStarted
                | AuditKind::RevertFollowWithdrawn
                | AuditKind::RevertOriginRefollowed
                | AuditKind::RevertSettingsRestored
                | AuditKind::RevertObjectRemoved
                | AuditKind::RevertFollowerRemoved
                | AuditKind::RevertFollowerRejected
                | AuditKind::RevertActionFailed
                | AuditKind::RevertFinished
        )
    }
}

/// A policy reason in storable form.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ReasonRecord {
    /// [`PolicyReason::code`].
    pub code: String,
    /// The reason as text.
    pub detail: String,
}

impl From<&PolicyReason> for ReasonRecord {
    fn from(reason: &PolicyReason) -> Self {
        ReasonRecord {
            code: reason.code().to_owned(),
            detail: reason.to_string(),
        }
    }
}

/// The state of a follow before an executed action changed or removed it (what a revert
/// restores).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PriorFollow {
    /// Its settings.
    pub settings: FollowSettings,
    /// Accepted or pending.
    pub state: FollowState,
}

/// One audit entry, tagged with its migration id: a decision, an executed action, an import,
/// a moderator's verdict or a revert step. Plain data, stored by an
/// [`AuditStore`](crate::store::AuditStore).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AuditEntry {
    /// The migration ([`MigrationId`](crate::policy::MigrationId) text, or the plan's id).
    pub migration_id: String,
    /// When it happened.
    pub at: SystemTime,
    /// What happened.
    pub kind: AuditKind,
    /// The old account of the migration.
    pub origin: Option<String>,
    /// The host of `origin`, normalised ([`normalize_domain`]): the key of "everything from
    /// origin server S" queries, compared exactly.
    pub origin_host: Option<String>,
    /// The new account.
    pub target: Option<String>,
    /// The local follower concerned.
    pub follower: Option<String>,
    /// The object concerned (imports).
    pub object_id: Option<String>,
    /// The follow as it was before the action (undo: the origin follow; settings update: the
    /// target follow), when the executor read it.
    pub prior: Option<PriorFollow>,
    /// The id of the `Follow` activity an arriving follower sent (new home), when kept: the
    /// `Reject(Follow)` of a revert embeds it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_id: Option<String>,
    /// The inbox of an arriving (remote) follower (new home): where a revert sends the
    /// `Reject(Follow)`. Without it (or without [`AuditEntry::follow_id`]) a revert removes the
    /// follow without telling the follower's server.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follower_inbox: Option<String>,
    /// The policies' reasons (decisions).
    pub reasons: Vec<ReasonRecord>,
    /// Idempotency key: a store keeps only the first entry with a given key, so an action
    /// carried out again after a crash is audited once. `None` for decisions (each is an event).
    pub dedupe_key: Option<String>,
    /// Human-readable detail.
    pub detail: String,
}

/// The normalised host of an actor or object id (`None` when it is not a URL with a host).
pub fn origin_host_of(id: &str) -> Option<String> {
    host_of(id).and_then(|h| normalize_domain(&h))
}

impl AuditEntry {
    /// A bare entry; fill the optional fields with the builders.
    pub fn new(migration_id: impl Into<String>, at: SystemTime, kind: AuditKind) -> Self {
        AuditEntry {
            migration_id: migration_id.into(),
            at,
            kind,
            origin: None,
            origin_host: None,
            target: None,
            follower: None,
            object_id: None,
            prior: None,
            follow_id: None,
            follower_inbox: None,
            reasons: Vec::new(),
            dedupe_key: None,
            detail: String::new(),
        }
    }

    /// Builder: the migration's origin and target (sets `origin_host` from the origin).
    pub fn with_accounts(mut self, origin: Option<&str>, target: Option<&str>) -> Self {
        self.origin_host = origin.and_then(origin_host_of);
        self.origin = origin.map(str::to_owned);
        self.target = target.map(str::to_owned);
        self
    }

    /// Builder: the follower.
    pub fn with_follower(mut self, follower: impl Into<String>) -> Self {
        self.follower = Some(follower.into());
        self
    }

    /// Builder: the detail text.
    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = detail.into();
        self
    }

    /// Builder: the dedupe key.
    pub fn with_dedupe_key(mut self, key: impl Into<String>) -> Self {
        self.dedupe_key = Some(key.into());
        self
    }

    /// Builder: how to tell an arriving follower's server — its inbox and the id of the
    /// `Follow` it sent — so a revert can send it a `Reject(Follow)` (see
    /// [`AuditEntry::follower_arrived`]).
    pub fn with_follow_activity(mut self, follower_inbox: &str, follow_id: &str) -> Self {
        self.follower_inbox = Some(follower_inbox.to_owned());
        self.follow_id = Some(follow_id.to_owned());
        self
    }

    /// Builder: the follow as it was before the action.
    pub fn with_prior(mut self, prior: Option<PriorFollow>) -> Self {
        self.prior = prior;
        self
    }

    /// "Object `object_id` was imported by migration `migration_id`" (from the account
    /// `origin` to `target`). Deduped per (migration, object), so a re-run import is audited
    /// once. A revert removes the object.
    pub fn object_imported(
        migration_id: &str,
        origin: &str,
        target: &str,
        object_id: &str,
        at: SystemTime,
    ) -> Self {
        let mut entry = AuditEntry::new(migration_id, at, AuditKind::ObjectImported)
            .with_accounts(Some(origin), Some(target))
            .with_dedupe_key(format!("{migration_id} import {object_id}"))
            .with_detail(format!("imported {object_id}"));
        entry.object_id = Some(object_id.to_owned());
        entry
    }

    /// "Follower `follower` now follows the local `target` because of migration
    /// `migration_id`" — written by the new home when it stores a follow it accepted after
    /// [`check_arriving_follower`](crate::policy::check_arriving_follower). Deduped per
    /// (migration, follower). A revert removes the follow; given the follower's inbox
    /// ([`AuditEntry::with_follow_activity`]) it also sends the follower's server a
    /// `Reject(Follow)`, as Mastodon does when an account removes a follower.
    pub fn follower_arrived(
        migration_id: &str,
        follower: &str,
        origin: &str,
        target: &str,
        at: SystemTime,
    ) -> Self {
        AuditEntry::new(migration_id, at, AuditKind::FollowerArrived)
            .with_accounts(Some(origin), Some(target))
            .with_follower(follower)
            .with_dedupe_key(format!("{migration_id} arrived {follower}"))
            .with_detail(format!("{follower} follows {target}"))
    }

    /// The entry for a decision of the inbound pipeline or of a policy
    /// ([`AuditEvent`] from [`Step::Done`](crate::inbound::Step) or
    /// [`check_arriving_follower`](crate::policy::check_arriving_follower)). `None` when the
    /// event names no migration (a Move too malformed to name one origin and one target).
    pub fn from_event(event: &AuditEvent) -> Option<Self> {
        let migration_id = event.migration_id.as_ref()?.as_str();
        // The wildcard arms keep this compiling when other subjects or outcomes are added to the
        // (crate-internal, hence exhaustive here) policy enums: those map to no entry until
        // they get a kind of their own.
        #[allow(unreachable_patterns)]
        let (decided, held, rejected) = match &event.subject {
            AuditSubject::InboundMove { .. } => (
                AuditKind::MoveAccepted,
                AuditKind::MoveHeld,
                AuditKind::MoveRejected,
            ),
            AuditSubject::ArrivingFollower { .. } => (
                AuditKind::FollowerAccepted,
                AuditKind::FollowerHeld,
                AuditKind::FollowerRejected,
            ),
            AuditSubject::ImportedObject { .. } => (
                AuditKind::ObjectAccepted,
                AuditKind::ObjectHeld,
                AuditKind::ObjectRejected,
            ),
            _ => return None,
        };
        #[allow(unreachable_patterns)]
        let (kind, reasons) = match &event.outcome {
            AuditOutcome::Accepted => (decided, Vec::new()),
            AuditOutcome::Held { reasons } => (held, reasons.iter().map(Into::into).collect()),
            AuditOutcome::Rejected { code } => (
                rejected,
                vec![ReasonRecord {
                    code: code.to_string(),
                    detail: event.detail.clone(),
                }],
            ),
            _ => return None,
        };
        let mut entry = AuditEntry::new(migration_id, event.at, kind).with_detail(&event.detail);
        entry.reasons = reasons;
        #[allow(unreachable_patterns)]
        match &event.subject {
            AuditSubject::InboundMove { origin, target, .. } => {
                entry = entry.with_accounts(origin.as_deref(), target.as_deref());
            }
            AuditSubject::ArrivingFollower {
                follower,
                origin,
                target,
            } => {
                entry = entry
                    .with_accounts(Some(origin), Some(target))
                    .with_follower(follower);
            }
            AuditSubject::ImportedObject {
                object_id,
                origin,
                target,
            } => {
                entry = entry.with_accounts(Some(origin), Some(target));
                entry.object_id = Some(object_id.clone());
            }
            _ => {}
        }
        Some(entry)
    }

    /// The entry for an action of the re-follow plan that was carried out, deduped by the
    /// action's idempotency key.
    pub fn action_executed(
        facts: &MoveFacts,
        action: &Action,
        prior: Option<PriorFollow>,
        at: SystemTime,
    ) -> Self {
        let kind = match &action.body {
            ActionBody::Follow { request: false, .. } => AuditKind::FollowSent,
            ActionBody::Follow { request: true, .. } => AuditKind::FollowRequestSent,
            ActionBody::UndoFollow { .. } => AuditKind::UndoSent,
            ActionBody::UpdateFollow { .. } => AuditKind::SettingsUpdated,
            ActionBody::Notify { .. } => AuditKind::Notified,
            // Made by a revert only (which audits its own actions); mapped for totality.
            ActionBody::RejectFollow { .. } => AuditKind::RevertFollowerRejected,
        };
        AuditEntry::new(facts.migration_id.as_str(), at, kind)
            .with_accounts(Some(&facts.origin.id), Some(&facts.target.id))
            .with_follower(&*action.follower_id)
            .with_prior(prior)
            .with_dedupe_key(action.key.to_string())
            .with_detail(format!("{} {}", action.kind().as_str(), action.key))
    }

    /// The entry for an action that failed permanently.
    pub fn action_failed(facts: &MoveFacts, action: &Action, reason: &str, at: SystemTime) -> Self {
        AuditEntry::new(facts.migration_id.as_str(), at, AuditKind::ActionFailed)
            .with_accounts(Some(&facts.origin.id), Some(&facts.target.id))
            .with_follower(&*action.follower_id)
            .with_dedupe_key(format!("{} failed", action.key))
            .with_detail(format!(
                "{} {}: {reason}",
                action.kind().as_str(),
                action.key
            ))
    }

    /// The entry for a follower the plan decided not to move, or `None` when it is moved.
    pub fn follower_skipped(
        facts: &MoveFacts,
        follower: &str,
        disposition: Disposition,
        at: SystemTime,
    ) -> Option<Self> {
        let why = match disposition {
            Disposition::Follow | Disposition::FollowRequest | Disposition::AlreadyFollowing => {
                return None;
            }
            Disposition::SkippedSelf => "skipped_self",
            Disposition::SkippedBlocksTarget => "skipped_blocks_target",
            Disposition::SkippedBlockedByTarget => "skipped_blocked_by_target",
            Disposition::Invalid => "invalid_follower",
        };
        Some(
            AuditEntry::new(facts.migration_id.as_str(), at, AuditKind::Skipped)
                .with_accounts(Some(&facts.origin.id), Some(&facts.target.id))
                .with_follower(follower)
                .with_dedupe_key(format!("{} skip {follower}", facts.migration_id))
                .with_detail(why),
        )
    }

    /// A plan-level entry (`plan_started`, `plan_finished`), deduped per migration.
    pub fn plan_event(facts: &MoveFacts, kind: AuditKind, detail: String, at: SystemTime) -> Self {
        AuditEntry::new(facts.migration_id.as_str(), at, kind)
            .with_accounts(Some(&facts.origin.id), Some(&facts.target.id))
            .with_dedupe_key(format!("{} {}", facts.migration_id, kind.as_str()))
            .with_detail(detail)
    }

    /// The legacy free-form [`AuditRecord`](crate::store::AuditRecord) of this entry (event =
    /// [`AuditKind::as_str`], subject = the follower or object), for servers that keep only the
    /// [`MoveStore`](crate::store::MoveStore) audit log.
    pub fn to_record(&self) -> crate::store::AuditRecord {
        crate::store::AuditRecord {
            migration_id: self.migration_id.clone(),
            at: self.at,
            event: self.kind.as_str().to_owned(),
            subject: self.follower.clone().or_else(|| self.object_id.clone()),
            detail: self.detail.clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_codes_round_trip_and_are_unique() {
        let mut seen = std::collections::BTreeSet::new();
        for kind in ALL_KINDS {
            assert_eq!(AuditKind::from_code(kind.as_str()), Some(kind));
            assert!(seen.insert(kind.as_str()));
        }
        assert_eq!(
            AuditKind::from_code("plan_started"),
            Some(AuditKind::PlanStarted)
        );
        assert_eq!(AuditKind::from_code("nope"), None);
    }

    #[test]
    fn origin_host_is_normalised() {
        assert_eq!(
            origin_host_of("https://OLD.Example./users/a").as_deref(),
            Some("old.example")
        );
        assert_eq!(
            origin_host_of("https://bücher.example/u").as_deref(),
            Some("xn--bcher-kva.example")
        );
        assert_eq!(origin_host_of("not a url"), None);
    }
}
