//! Records exchanged with the plug-in traits.

use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::plan::FollowSettings;

/// A fetched document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fetched {
    /// HTTP status of the final response.
    pub status: u16,
    /// The URL after redirects (compare it with the `id` of the document).
    pub final_url: String,
    /// `Content-Type` of the response, if any.
    pub content_type: Option<String>,
    /// The body.
    pub body: Vec<u8>,
}

/// Whether a follow is established or a request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowState {
    /// Accepted (or never needed acceptance).
    Accepted,
    /// A request awaiting the followed account's approval.
    Pending,
}

/// A stored follow.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FollowRecord {
    /// Settings of the follow.
    pub settings: FollowSettings,
    /// Accepted or pending.
    pub state: FollowState,
}

/// One page request of [`FollowStore::followers_page`](super::FollowStore::followers_page).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowerPageQuery {
    /// Whose local followers (the origin).
    pub followed: String,
    /// The actor the relation fields are computed against (the target).
    pub relative_to: String,
    /// Cursor: only followers with an id strictly greater than this.
    pub after: Option<String>,
    /// Most rows to return.
    pub limit: usize,
}

/// A verified move as stored by a server (idempotency key: (origin, target), E11).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveRecord {
    /// Stable id of this migration.
    pub migration_id: String,
    /// The old actor id.
    pub origin: String,
    /// The new actor id.
    pub target: String,
    /// The Move activity's `id`, latest seen (retries may change it).
    pub activity_id: Option<String>,
    /// When the move was verified.
    pub verified_at: SystemTime,
}

/// Result of [`MoveStore::record_move`](super::MoveStore::record_move).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// First time this (origin, target) was seen.
    Inserted,
    /// Already seen: the stored record (a duplicate or retried Move).
    AlreadySeen(MoveRecord),
}

/// Whose cooldown (Mastodon 7 d per origin, GoToSocial 7 d on origin **or** target).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CooldownScope {
    /// Moves away from this actor.
    Origin(String),
    /// Moves to this actor.
    Target(String),
}

/// One append-only audit entry, tagged with its migration so a moderator can list (and revert)
/// everything one migration did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditRecord {
    /// The migration.
    pub migration_id: String,
    /// When.
    pub at: SystemTime,
    /// Stable snake_case event code (`plan_started`, `action_failed`, `plan_finished`, …).
    pub event: String,
    /// The actor concerned, if any.
    pub subject: Option<String>,
    /// Free-form detail for humans.
    pub detail: String,
}

/// Outcome of delivering one action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DeliveryOutcome {
    /// Accepted by the remote inbox (2xx) or by the queue that guarantees delivery.
    Delivered,
    /// Not delivered.
    Failed {
        /// Why (status, error text).
        reason: String,
        /// Retrying will not help (4xx other than 408/429, gone actor, blocked domain).
        permanent: bool,
    },
}
