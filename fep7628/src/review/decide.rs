//! Moderators' decisions on review items, and what the server must do next.

use std::time::SystemTime;

use crate::plan::MoveFacts;
use crate::review::{
    AuditEntry, AuditKind, ReviewError, ReviewId, ReviewItem, ReviewState, ReviewSubject,
};
use crate::store::{AuditStore, MoveRecord, Resolved, ReviewStore};

/// Longest moderator name or note kept (bytes).
pub const MAX_MODERATOR_LEN: usize = 256;

/// What the server must do once an item is decided.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum NextStep {
    /// A held Move was approved: record it ([`MoveStore::record_move`](crate::store::MoveStore)
    /// and cooldowns) and run the re-follow plan with these facts
    /// ([`run_plan_audited`](crate::driver::run_plan_audited)). The facts are those verified
    /// at hold time; after a long review, run the check again instead.
    RunPlan {
        /// The move to record.
        record: MoveRecord,
        /// The plan's facts.
        facts: MoveFacts,
    },
    /// A held Move was approved but the origin's inbox was unknown at hold time: record it,
    /// fetch the origin, then build the plan's facts and run the plan.
    RecordMove {
        /// The move to record.
        record: MoveRecord,
    },
    /// A held follower was approved: accept its `Follow` of the local target.
    AcceptFollower {
        /// The follower.
        follower: String,
        /// The local target.
        target: String,
    },
    /// A held Move was rejected: drop it (nothing recorded, no cooldown burnt).
    DropMove {
        /// The old account.
        origin: String,
        /// The new account.
        target: String,
    },
    /// A held follower was rejected: send `Reject(Follow)`.
    RejectFollower {
        /// The follower.
        follower: String,
        /// The local target.
        target: String,
    },
}

/// What the server must do for `item` in its current state (`None` while pending). Use it to
/// pick up after a crash between the decision and its execution.
pub fn next_step(item: &ReviewItem) -> Option<NextStep> {
    let approved_at = match &item.state {
        ReviewState::Pending => return None,
        ReviewState::Approved { at, .. } => Some(*at),
        ReviewState::Rejected { .. } => None,
    };
    Some(match (&item.subject, approved_at) {
        (
            ReviewSubject::Move {
                move_id,
                origin,
                target,
                plan,
                ..
            },
            Some(at),
        ) => {
            let record = MoveRecord {
                migration_id: item.migration_id.clone(),
                origin: origin.clone(),
                target: target.clone(),
                activity_id: move_id.clone(),
                verified_at: at,
            };
            match plan {
                Some(facts) => NextStep::RunPlan {
                    record,
                    facts: facts.clone(),
                },
                None => NextStep::RecordMove { record },
            }
        }
        (ReviewSubject::Move { origin, target, .. }, None) => NextStep::DropMove {
            origin: origin.clone(),
            target: target.clone(),
        },
        (
            ReviewSubject::ArrivingFollower {
                follower, target, ..
            },
            Some(_),
        ) => NextStep::AcceptFollower {
            follower: follower.clone(),
            target: target.clone(),
        },
        (
            ReviewSubject::ArrivingFollower {
                follower, target, ..
            },
            None,
        ) => NextStep::RejectFollower {
            follower: follower.clone(),
            target: target.clone(),
        },
    })
}

/// Approves the pending item `id` on behalf of `moderator`, audits the decision and returns
/// what the server must do next. Deciding an item twice is
/// [`ReviewError::AlreadyDecided`]; of two moderators approving at once, one wins.
pub async fn approve<S>(
    store: &S,
    id: &ReviewId,
    moderator: &str,
    now: SystemTime,
) -> Result<NextStep, ReviewError>
where
    S: ReviewStore + AuditStore + Sync,
{
    decide(store, id, moderator, now, |by| ReviewState::Approved {
        by,
        at: now,
    })
    .await
}

/// Rejects the pending item `id` on behalf of `moderator` with a note.
pub async fn reject<S>(
    store: &S,
    id: &ReviewId,
    moderator: &str,
    note: &str,
    now: SystemTime,
) -> Result<NextStep, ReviewError>
where
    S: ReviewStore + AuditStore + Sync,
{
    let note = crate::error::clip(note);
    decide(store, id, moderator, now, |by| ReviewState::Rejected {
        by,
        at: now,
        note,
    })
    .await
}

fn check_name(moderator: &str) -> Result<(), ReviewError> {
    if moderator.trim().is_empty() || moderator.len() > MAX_MODERATOR_LEN {
        return Err(ReviewError::InvalidModerator);
    }
    Ok(())
}

/// Decides the pending item `id` as `moderator` (checked first) into the state `decided`
/// makes from the moderator's name, audits the decision and returns the next step.
async fn decide<S>(
    store: &S,
    id: &ReviewId,
    moderator: &str,
    now: SystemTime,
    decided: impl FnOnce(String) -> ReviewState,
) -> Result<NextStep, ReviewError>
where
    S: ReviewStore + AuditStore + Sync,
{
    check_name(moderator)?;
    let state = decided(moderator.to_owned());
    let item = match store.resolve_review(id, &state).await? {
        Resolved::Decided(item) => item,
        Resolved::AlreadyDecided(item) => {
            return Err(ReviewError::AlreadyDecided {
                id: item.id,
                state: item.state,
            });
        }
        Resolved::NotFound => return Err(ReviewError::NotFound { id: id.clone() }),
    };
    let (kind, who) = match &item.state {
        ReviewState::Approved { by, .. } => (AuditKind::ReviewApproved, by.as_str()),
        ReviewState::Rejected { by, .. } => (AuditKind::ReviewRejected, by.as_str()),
        ReviewState::Pending => (AuditKind::ReviewRejected, ""),
    };
    let mut entry = AuditEntry::new(item.migration_id.as_str(), now, kind)
        .with_accounts(Some(item.subject.origin()), Some(item.subject.target()))
        .with_dedupe_key(format!("{} decided", item.id))
        .with_detail(format!("{} {} by {who}", item.id, item.state.as_str()));
    entry.reasons = item.evidence.reasons.clone();
    if let ReviewSubject::ArrivingFollower { follower, .. } = &item.subject {
        entry = entry.with_follower(follower);
    }
    store.append_entry(&entry).await?;
    next_step(&item).ok_or(ReviewError::AlreadyDecided {
        id: item.id.clone(),
        state: item.state.clone(),
    })
}
