//! Errors of the re-follow plan.

use super::ActionKey;

/// Why the plan refused a call. The plan itself stays usable after any of these.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum PlanError {
    /// A field of the move facts is empty, too long, or origin equals target.
    #[error("invalid move facts: {field}")]
    InvalidFacts {
        /// The offending field (`migration_id`, `origin`, `target`).
        field: &'static str,
    },
    /// The follower stream is not strictly increasing by follower id (the store must yield a
    /// stable order). The follower was not planned.
    #[error("follower {follower_id:?} is not after the cursor {cursor:?}")]
    OutOfOrder {
        /// The follower fed.
        follower_id: String,
        /// The last follower planned.
        cursor: String,
    },
    /// The plan holds `max_in_flight` unconfirmed actions; confirm some, then feed again. The
    /// follower was not planned.
    #[error("too many unconfirmed actions; confirm deliveries before feeding more followers")]
    Backpressure,
    /// A follower was fed after `end_of_followers`.
    #[error("follower fed after the end of the follower stream")]
    FeedAfterEnd,
    /// No unconfirmed action has this key (already confirmed, or never handed out).
    #[error("no unconfirmed action with key {key}")]
    UnknownAction {
        /// The key.
        key: ActionKey,
    },
    /// The action exists but was not handed out (waiting for its retry time or a batch).
    #[error("action {key} was not handed out")]
    NotIssued {
        /// The key.
        key: ActionKey,
    },
    /// A string is not an idempotency key.
    #[error("not an action key: {key:?}")]
    InvalidKey {
        /// The string (first 80 characters).
        key: String,
    },
    /// The checkpoint was written by an unknown format version.
    #[error("checkpoint version {found} is not supported")]
    CheckpointVersion {
        /// The version found.
        found: u32,
    },
    /// The checkpoint is inconsistent (duplicate keys, too many actions, foreign migration).
    #[error("invalid checkpoint: {reason}")]
    CheckpointInvalid {
        /// What is wrong.
        reason: &'static str,
    },
}

impl PlanError {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            PlanError::InvalidFacts { .. } => "invalid_facts",
            PlanError::OutOfOrder { .. } => "follower_out_of_order",
            PlanError::Backpressure => "backpressure",
            PlanError::FeedAfterEnd => "feed_after_end",
            PlanError::UnknownAction { .. } => "unknown_action",
            PlanError::NotIssued { .. } => "action_not_issued",
            PlanError::InvalidKey { .. } => "invalid_key",
            PlanError::CheckpointVersion { .. } => "checkpoint_version",
            PlanError::CheckpointInvalid { .. } => "checkpoint_invalid",
        }
    }
}
