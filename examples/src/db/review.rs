//! Moderation on [`Db`]: the `fep7628` traits [`AuditStore`], [`ReviewStore`], [`RevertStore`]
//! and [`ImportStore`] over the `review_` tables, on SQLite and on PostgreSQL alike (the same
//! dispatch as the follow and move stores). Entries and items are stored as JSON next to the
//! columns that are queried (migration id, normalised origin host, time, dedupe key, state).

use std::time::SystemTime;

use fep7628::review::{AuditEntry, RevertCheckpoint, ReviewId, ReviewItem, ReviewState};
use fep7628::store::{
    AuditStore, ImportStore, Resolved, RevertStore, ReviewStore, Sequenced, StoreError,
};

use super::Db;

impl Db {
    /// Records an imported object (what an importer writes next to its
    /// [`AuditEntry::object_imported`]).
    pub async fn add_imported(&self, object_id: &str) -> Result<(), StoreError> {
        dispatch!(self.add_imported(object_id))
    }

    /// The imported objects present, in id order.
    pub async fn imported(&self) -> Result<Vec<String>, StoreError> {
        dispatch!(self.imported())
    }
}

impl AuditStore for Db {
    async fn append_entry(&self, entry: &AuditEntry) -> Result<bool, StoreError> {
        dispatch!(self.put_entry(entry))
    }

    async fn migration_entries(
        &self,
        migration_id: &str,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Sequenced<AuditEntry>>, StoreError> {
        dispatch!(self.migration_entries(migration_id, after, limit))
    }

    async fn origin_entries(
        &self,
        origin_host: &str,
        since: SystemTime,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Sequenced<AuditEntry>>, StoreError> {
        dispatch!(self.origin_entries(origin_host, since, after, limit))
    }
}

impl ReviewStore for Db {
    async fn put_review(&self, item: &ReviewItem) -> Result<bool, StoreError> {
        dispatch!(self.put_review(item))
    }

    async fn review(&self, id: &ReviewId) -> Result<Option<ReviewItem>, StoreError> {
        dispatch!(self.get_review(id))
    }

    async fn pending_reviews(
        &self,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Sequenced<ReviewItem>>, StoreError> {
        dispatch!(self.pending_reviews(after, limit))
    }

    async fn resolve_review(
        &self,
        id: &ReviewId,
        state: &ReviewState,
    ) -> Result<Resolved, StoreError> {
        dispatch!(self.resolve_review(id, state))
    }
}

impl RevertStore for Db {
    async fn save_revert_checkpoint(
        &self,
        migration_id: &str,
        checkpoint: &RevertCheckpoint,
    ) -> Result<(), StoreError> {
        dispatch!(self.put_revert_checkpoint(migration_id, checkpoint))
    }

    async fn load_revert_checkpoint(
        &self,
        migration_id: &str,
    ) -> Result<Option<RevertCheckpoint>, StoreError> {
        dispatch!(self.get_revert_checkpoint(migration_id))
    }
}

impl ImportStore for Db {
    async fn remove_imported(&self, object_id: &str) -> Result<(), StoreError> {
        dispatch!(self.remove_imported(object_id))
    }
}
