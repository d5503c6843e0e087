//! The moderation tables on PostgreSQL: the typed audit log, the review queue, revert
//! checkpoints and imported objects (the `review_` tables of [`schema`](crate::db::schema)),
//! with the same queries as the SQLite backend.

use std::time::SystemTime;

use fep7628::review::{AuditEntry, RevertCheckpoint, ReviewId, ReviewItem, ReviewState};
use fep7628::store::{Resolved, Sequenced, StoreError};
use tokio_postgres::Row;

use super::PgDb;
use crate::db::codec::{corrupt, int, nanos, sequenced, to_json};

/// `(seq, json)` of each row (columns 0 and 1).
fn seq_rows<T: serde::de::DeserializeOwned>(
    rows: Vec<Row>,
) -> Result<Vec<Sequenced<T>>, StoreError> {
    sequenced(rows.into_iter().map(|r| {
        Ok((
            r.try_get::<_, i64>(0).map_err(corrupt)?,
            r.try_get::<_, String>(1).map_err(corrupt)?,
        ))
    }))
}

impl PgDb {
    /// Appends an audit entry unless one with its dedupe key exists (`true` when written).
    pub async fn put_entry(&self, entry: &AuditEntry) -> Result<bool, StoreError> {
        let written = self
            .execute(
                "INSERT INTO review_audit (migration_id, origin_host, at_nanos, kind, dedupe_key,
                     entry)
                 VALUES ($1, $2, $3, $4, $5, $6)
                 ON CONFLICT (dedupe_key) DO NOTHING",
                &[
                    &entry.migration_id,
                    &entry.origin_host,
                    &nanos(entry.at),
                    &entry.kind.as_str(),
                    &entry.dedupe_key,
                    &to_json(entry)?,
                ],
            )
            .await?;
        Ok(written == 1)
    }

    /// Entries of one migration after the cursor, in order.
    pub async fn migration_entries(
        &self,
        migration_id: &str,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Sequenced<AuditEntry>>, StoreError> {
        let rows = self
            .query(
                "SELECT seq, entry FROM review_audit
                 WHERE migration_id = $1 AND seq > $2 ORDER BY seq LIMIT $3",
                &[&migration_id, &int(after.unwrap_or(0)), &int(limit as u64)],
            )
            .await?;
        seq_rows(rows)
    }

    /// Entries from one origin host (`=`, never `LIKE`) since `since`, after the cursor.
    pub async fn origin_entries(
        &self,
        origin_host: &str,
        since: SystemTime,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Sequenced<AuditEntry>>, StoreError> {
        let rows = self
            .query(
                "SELECT seq, entry FROM review_audit
                 WHERE origin_host = $1 AND at_nanos >= $2 AND seq > $3 ORDER BY seq LIMIT $4",
                &[
                    &origin_host,
                    &nanos(since),
                    &int(after.unwrap_or(0)),
                    &int(limit as u64),
                ],
            )
            .await?;
        seq_rows(rows)
    }

    /// Adds a review item unless one with its id exists (`true` when written).
    pub async fn put_review(&self, item: &ReviewItem) -> Result<bool, StoreError> {
        let written = self
            .execute(
                "INSERT INTO review_items (id, migration_id, state, item) VALUES ($1, $2, $3, $4)
                 ON CONFLICT (id) DO NOTHING",
                &[
                    &item.id.as_str(),
                    &item.migration_id,
                    &item.state.as_str(),
                    &to_json(item)?,
                ],
            )
            .await?;
        Ok(written == 1)
    }

    /// The review item `id`.
    pub async fn get_review(&self, id: &ReviewId) -> Result<Option<ReviewItem>, StoreError> {
        self.json_by_key("SELECT item FROM review_items WHERE id = $1", id.as_str())
            .await
    }

    /// Pending items after the cursor, oldest first.
    pub async fn pending_reviews(
        &self,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Sequenced<ReviewItem>>, StoreError> {
        let rows = self
            .query(
                "SELECT seq, item FROM review_items WHERE state = 'pending' AND seq > $1
                 ORDER BY seq LIMIT $2",
                &[&int(after.unwrap_or(0)), &int(limit as u64)],
            )
            .await?;
        seq_rows(rows)
    }

    /// Compare and set: the `UPDATE` only matches a pending row, and PostgreSQL re-checks that
    /// condition after waiting for a concurrent update of the row, so of two deciders (on any
    /// connections) exactly one changes it. The rest of the item never changes after it was
    /// queued, so the JSON written is the one read with the new state.
    pub async fn resolve_review(
        &self,
        id: &ReviewId,
        state: &ReviewState,
    ) -> Result<Resolved, StoreError> {
        let Some(mut item) = self.get_review(id).await? else {
            return Ok(Resolved::NotFound);
        };
        if !item.state.is_pending() {
            return Ok(Resolved::AlreadyDecided(item));
        }
        item.state = state.clone();
        let changed = self
            .execute(
                "UPDATE review_items SET state = $2, item = $3 WHERE id = $1 AND state = 'pending'",
                &[&id.as_str(), &state.as_str(), &to_json(&item)?],
            )
            .await?;
        if changed == 1 {
            return Ok(Resolved::Decided(item));
        }
        let current = self.get_review(id).await?;
        Ok(current.map_or(Resolved::NotFound, Resolved::AlreadyDecided))
    }

    /// Stores the revert checkpoint of a migration (replacing the previous one).
    pub async fn put_revert_checkpoint(
        &self,
        migration_id: &str,
        checkpoint: &RevertCheckpoint,
    ) -> Result<(), StoreError> {
        self.upsert_json(
            "INSERT INTO review_revert_checkpoints (migration_id, checkpoint) VALUES ($1, $2)
             ON CONFLICT (migration_id) DO UPDATE SET checkpoint = excluded.checkpoint",
            migration_id,
            &to_json(checkpoint)?,
        )
        .await
    }

    /// The revert checkpoint of a migration.
    pub async fn get_revert_checkpoint(
        &self,
        migration_id: &str,
    ) -> Result<Option<RevertCheckpoint>, StoreError> {
        self.json_by_key(
            "SELECT checkpoint FROM review_revert_checkpoints WHERE migration_id = $1",
            migration_id,
        )
        .await
    }

    /// Records an imported object (idempotent).
    pub async fn add_imported(&self, object_id: &str) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO review_imported_objects (object_id) VALUES ($1)
             ON CONFLICT (object_id) DO NOTHING",
            &[&object_id],
        )
        .await
        .map(|_| ())
    }

    /// The imported objects present, in id order.
    pub async fn imported(&self) -> Result<Vec<String>, StoreError> {
        let rows = self
            .query(
                "SELECT object_id FROM review_imported_objects ORDER BY object_id",
                &[],
            )
            .await?;
        rows.iter().map(|r| r.try_get(0).map_err(corrupt)).collect()
    }

    /// Removes an imported object (missing is fine).
    pub async fn remove_imported(&self, object_id: &str) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM review_imported_objects WHERE object_id = $1",
            &[&object_id],
        )
        .await
        .map(|_| ())
    }
}
