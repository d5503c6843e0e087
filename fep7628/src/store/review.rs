//! Plug-in traits for the audit log, the review queue, revert checkpoints and imported content.
//!
//! Separate from [`MoveStore`](super::MoveStore) so existing implementations keep compiling; a
//! server implements them on the same database.

use std::future::Future;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};

use crate::review::{AuditEntry, RevertCheckpoint, ReviewId, ReviewItem, ReviewState};
use crate::store::StoreError;

/// A stored value with its position in the store's append order (the cursor of paged
/// queries: strictly increasing, stable across restarts).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sequenced<T> {
    /// Position in append order.
    pub seq: u64,
    /// The value.
    pub value: T,
}

/// Result of [`ReviewStore::resolve_review`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Resolved {
    /// The item was pending and now carries the new state.
    Decided(ReviewItem),
    /// The item had already been decided; it is returned unchanged.
    AlreadyDecided(ReviewItem),
    /// No item with this id.
    NotFound,
}

/// The append-only, queryable audit log of typed [`AuditEntry`]s.
pub trait AuditStore {
    /// Appends `entry`. If an entry with the same [`AuditEntry::dedupe_key`] is already stored,
    /// nothing is written and the answer is `false` (an action carried out again after a crash
    /// is audited once).
    fn append_entry(
        &self,
        entry: &AuditEntry,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// Entries of `migration_id` with a sequence number greater than `after`, in sequence
    /// order, at most `limit`.
    fn migration_entries(
        &self,
        migration_id: &str,
        after: Option<u64>,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Sequenced<AuditEntry>>, StoreError>> + Send;

    /// Entries whose [`AuditEntry::origin_host`] **equals** `origin_host` (already normalised:
    /// lower case, punycode, no trailing dot; a subdomain is another host) and that happened at
    /// or after `since`, with a sequence number greater than `after`, in sequence order, at most
    /// `limit`.
    fn origin_entries(
        &self,
        origin_host: &str,
        since: SystemTime,
        after: Option<u64>,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Sequenced<AuditEntry>>, StoreError>> + Send;
}

/// The review queue.
pub trait ReviewStore {
    /// Adds `item`. If an item with the same id exists (the same Move held again), it is kept
    /// as it is and the answer is `false`.
    fn put_review(
        &self,
        item: &ReviewItem,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;

    /// The item `id`, if any.
    fn review(
        &self,
        id: &ReviewId,
    ) -> impl Future<Output = Result<Option<ReviewItem>, StoreError>> + Send;

    /// Pending items with a sequence number greater than `after`, oldest first, at most
    /// `limit`.
    fn pending_reviews(
        &self,
        after: Option<u64>,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Sequenced<ReviewItem>>, StoreError>> + Send;

    /// Atomically sets the state of `id` to `state` **only if it is pending** (compare and
    /// set): of two moderators deciding at once, exactly one gets [`Resolved::Decided`].
    fn resolve_review(
        &self,
        id: &ReviewId,
        state: &ReviewState,
    ) -> impl Future<Output = Result<Resolved, StoreError>> + Send;
}

/// Checkpoints of revert plans, one per migration.
pub trait RevertStore {
    /// Persists the revert checkpoint of `migration_id`, replacing the previous one.
    fn save_revert_checkpoint(
        &self,
        migration_id: &str,
        checkpoint: &RevertCheckpoint,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The last revert checkpoint of `migration_id`.
    fn load_revert_checkpoint(
        &self,
        migration_id: &str,
    ) -> impl Future<Output = Result<Option<RevertCheckpoint>, StoreError>> + Send;
}

/// Content imported into local accounts (posts, media), as far as a revert needs it.
pub trait ImportStore {
    /// Removes the imported object `object_id`. Removing a missing object is not an error.
    fn remove_imported(
        &self,
        object_id: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}
