//! Errors of the review queue and of reverts.

use crate::review::{ReviewId, ReviewState};
use crate::store::StoreError;

/// The revert plan refused an input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RevertPlanError {
    /// A fact is empty or longer than [`MAX_ID_LEN`](crate::plan::MAX_ID_LEN).
    #[error("invalid revert facts: {field}")]
    InvalidFacts {
        /// The field.
        field: &'static str,
    },
    /// An entry was fed with a sequence number not greater than the cursor.
    #[error("audit entry {seq} fed out of order")]
    OutOfOrder {
        /// Its sequence number.
        seq: u64,
    },
    /// An entry of another migration was fed.
    #[error("audit entry {seq} belongs to another migration")]
    ForeignEntry {
        /// Its sequence number.
        seq: u64,
    },
    /// An entry was fed after the end of the stream.
    #[error("audit entry fed after the end of entries")]
    FeedAfterEnd,
    /// More entries were fed than the plan asked for.
    #[error("too many unconfirmed revert actions")]
    Backpressure,
    /// A confirmation named a key the plan does not wait for.
    #[error("unknown revert action key {key}")]
    UnknownKey {
        /// The key (clipped).
        key: String,
    },
    /// The checkpoint has another format version.
    #[error("revert checkpoint version {found} is not supported")]
    CheckpointVersion {
        /// The version found.
        found: u32,
    },
    /// The checkpoint carries more actions than [`MAX_REVERT_IN_FLIGHT`](crate::review::MAX_REVERT_IN_FLIGHT).
    #[error("revert checkpoint too large")]
    CheckpointTooLarge,
    /// The checkpoint's actions lie beyond its cursor.
    #[error("revert checkpoint inconsistent")]
    CheckpointInconsistent,
}

impl RevertPlanError {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            RevertPlanError::InvalidFacts { .. } => "invalid_facts",
            RevertPlanError::OutOfOrder { .. } => "out_of_order",
            RevertPlanError::ForeignEntry { .. } => "foreign_entry",
            RevertPlanError::FeedAfterEnd => "feed_after_end",
            RevertPlanError::Backpressure => "backpressure",
            RevertPlanError::UnknownKey { .. } => "unknown_key",
            RevertPlanError::CheckpointVersion { .. } => "checkpoint_version",
            RevertPlanError::CheckpointTooLarge => "checkpoint_too_large",
            RevertPlanError::CheckpointInconsistent => "checkpoint_inconsistent",
        }
    }
}

/// A review decision could not be taken.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReviewError {
    /// No item with this id.
    #[error("review item {id} not found")]
    NotFound {
        /// The id.
        id: ReviewId,
    },
    /// The item was already approved or rejected (by someone else, or earlier).
    #[error("review item {id} was already {}", state.as_str())]
    AlreadyDecided {
        /// The id.
        id: ReviewId,
        /// Its state.
        state: ReviewState,
    },
    /// The moderator name is empty or longer than 256 bytes.
    #[error("invalid moderator name")]
    InvalidModerator,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl ReviewError {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            ReviewError::NotFound { .. } => "review_not_found",
            ReviewError::AlreadyDecided { .. } => "review_already_decided",
            ReviewError::InvalidModerator => "invalid_moderator",
            ReviewError::Store(e) => e.kind(),
        }
    }
}

/// Why a revert run stopped early. The last saved checkpoint stays valid: run again to resume.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RevertError {
    /// The plan refused an input.
    #[error(transparent)]
    Plan(#[from] RevertPlanError),
    /// A store failed where the run cannot go on without it.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The stored revert checkpoint is for other facts.
    #[error("stored revert checkpoint is for other facts")]
    CheckpointMismatch,
    /// The plan waits for confirmations the driver never received (an internal invariant).
    #[error("revert stalled waiting for confirmations")]
    Stalled,
}

impl RevertError {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            RevertError::Plan(e) => e.kind(),
            RevertError::Store(e) => e.kind(),
            RevertError::CheckpointMismatch => "checkpoint_mismatch",
            RevertError::Stalled => "stalled",
        }
    }
}
