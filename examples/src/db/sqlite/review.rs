//! The moderation tables on SQLite: the typed audit log, the review queue, revert checkpoints
//! and imported objects (the `review_` tables of [`schema`](crate::db::schema)).

use fep7628::review::{AuditEntry, RevertCheckpoint, ReviewId, ReviewItem, ReviewState};
use fep7628::store::{Resolved, Sequenced, StoreError};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use super::SqliteDb;
use crate::db::codec::{from_json, int, nanos, sequenced, to_json, unavailable};

/// `(seq, json)` of every row `sql` returns for `params`.
fn seq_rows<T: serde::de::DeserializeOwned>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<Sequenced<T>>, StoreError> {
    let mut stmt = conn.prepare_cached(sql).map_err(unavailable)?;
    let rows = stmt
        .query_map(params, |r| {
            Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
        })
        .map_err(unavailable)?;
    sequenced(rows.map(|r| r.map_err(unavailable)))
}

fn get_item(conn: &Connection, id: &ReviewId) -> Result<Option<ReviewItem>, StoreError> {
    let json: Option<String> = conn
        .query_row(
            "SELECT item FROM review_items WHERE id = ?1",
            params![id.as_str()],
            |r| r.get(0),
        )
        .optional()
        .map_err(unavailable)?;
    json.as_deref().map(from_json).transpose()
}

impl SqliteDb {
    /// Appends an audit entry unless one with its dedupe key exists (`true` when written).
    pub fn put_entry(&self, entry: &AuditEntry) -> Result<bool, StoreError> {
        let changed = self
            .conn()?
            .execute(
                "INSERT INTO review_audit (migration_id, origin_host, at_nanos, kind, dedupe_key,
                     entry)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                 ON CONFLICT (dedupe_key) DO NOTHING",
                params![
                    entry.migration_id,
                    entry.origin_host,
                    nanos(entry.at),
                    entry.kind.as_str(),
                    entry.dedupe_key,
                    to_json(entry)?
                ],
            )
            .map_err(unavailable)?;
        Ok(changed == 1)
    }

    /// Entries of one migration after the cursor, in order.
    pub fn migration_entries(
        &self,
        migration_id: &str,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Sequenced<AuditEntry>>, StoreError> {
        seq_rows(
            &*self.conn()?,
            "SELECT seq, entry FROM review_audit
             WHERE migration_id = ?1 AND seq > ?2 ORDER BY seq LIMIT ?3",
            params![migration_id, int(after.unwrap_or(0)), int(limit as u64)],
        )
    }

    /// Entries from one origin host (`=`, never `LIKE`) since `since`, after the cursor.
    pub fn origin_entries(
        &self,
        origin_host: &str,
        since: std::time::SystemTime,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Sequenced<AuditEntry>>, StoreError> {
        seq_rows(
            &*self.conn()?,
            "SELECT seq, entry FROM review_audit
             WHERE origin_host = ?1 AND at_nanos >= ?2 AND seq > ?3 ORDER BY seq LIMIT ?4",
            params![
                origin_host,
                nanos(since),
                int(after.unwrap_or(0)),
                int(limit as u64)
            ],
        )
    }

    /// Adds a review item unless one with its id exists (`true` when written).
    pub fn put_review(&self, item: &ReviewItem) -> Result<bool, StoreError> {
        let changed = self
            .conn()?
            .execute(
                "INSERT INTO review_items (id, migration_id, state, item) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO NOTHING",
                params![
                    item.id.as_str(),
                    item.migration_id,
                    item.state.as_str(),
                    to_json(item)?
                ],
            )
            .map_err(unavailable)?;
        Ok(changed == 1)
    }

    /// The review item `id`.
    pub fn get_review(&self, id: &ReviewId) -> Result<Option<ReviewItem>, StoreError> {
        get_item(&*self.conn()?, id)
    }

    /// Pending items after the cursor, oldest first.
    pub fn pending_reviews(
        &self,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Sequenced<ReviewItem>>, StoreError> {
        seq_rows(
            &*self.conn()?,
            "SELECT seq, item FROM review_items WHERE state = 'pending' AND seq > ?1
             ORDER BY seq LIMIT ?2",
            params![int(after.unwrap_or(0)), int(limit as u64)],
        )
    }

    /// Compare and set in one transaction: only a pending row is updated, so of two deciders
    /// (even on two connections) exactly one changes the row.
    pub fn resolve_review(
        &self,
        id: &ReviewId,
        state: &ReviewState,
    ) -> Result<Resolved, StoreError> {
        let mut conn = self.conn()?;
        // IMMEDIATE: take the write lock before reading, so a concurrent decider on another
        // connection waits (busy timeout) instead of failing on a stale WAL snapshot.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(unavailable)?;
        let Some(mut item) = get_item(&tx, id)? else {
            return Ok(Resolved::NotFound);
        };
        if !item.state.is_pending() {
            return Ok(Resolved::AlreadyDecided(item));
        }
        item.state = state.clone();
        let changed = tx
            .execute(
                "UPDATE review_items SET state = ?2, item = ?3 WHERE id = ?1 AND state = 'pending'",
                params![id.as_str(), state.as_str(), to_json(&item)?],
            )
            .map_err(unavailable)?;
        if changed != 1 {
            let current = get_item(&tx, id)?;
            return Ok(current.map_or(Resolved::NotFound, Resolved::AlreadyDecided));
        }
        tx.commit().map_err(unavailable)?;
        Ok(Resolved::Decided(item))
    }

    /// Stores the revert checkpoint of a migration (replacing the previous one).
    pub fn put_revert_checkpoint(
        &self,
        migration_id: &str,
        checkpoint: &RevertCheckpoint,
    ) -> Result<(), StoreError> {
        self.upsert_json(
            "INSERT INTO review_revert_checkpoints (migration_id, checkpoint) VALUES (?1, ?2)
             ON CONFLICT (migration_id) DO UPDATE SET checkpoint = excluded.checkpoint",
            migration_id,
            &to_json(checkpoint)?,
        )
    }

    /// The revert checkpoint of a migration.
    pub fn get_revert_checkpoint(
        &self,
        migration_id: &str,
    ) -> Result<Option<RevertCheckpoint>, StoreError> {
        self.json_by_key(
            "SELECT checkpoint FROM review_revert_checkpoints WHERE migration_id = ?1",
            migration_id,
        )
    }

    /// Records an imported object (idempotent).
    pub fn add_imported(&self, object_id: &str) -> Result<(), StoreError> {
        self.conn()?
            .execute(
                "INSERT INTO review_imported_objects (object_id) VALUES (?1)
                 ON CONFLICT (object_id) DO NOTHING",
                params![object_id],
            )
            .map(|_| ())
            .map_err(unavailable)
    }

    /// The imported objects present, in id order.
    pub fn imported(&self) -> Result<Vec<String>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached("SELECT object_id FROM review_imported_objects ORDER BY object_id")
            .map_err(unavailable)?;
        let rows = stmt.query_map([], |r| r.get(0)).map_err(unavailable)?;
        rows.collect::<Result<_, _>>().map_err(unavailable)
    }

    /// Removes an imported object (missing is fine).
    pub fn remove_imported(&self, object_id: &str) -> Result<(), StoreError> {
        self.conn()?
            .execute(
                "DELETE FROM review_imported_objects WHERE object_id = ?1",
                params![object_id],
            )
            .map(|_| ())
            .map_err(unavailable)
    }
}
