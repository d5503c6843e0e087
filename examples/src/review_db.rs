//! SQLite storage for moderation: the typed audit log, the review queue, revert checkpoints and
//! imported objects. Implements the `fep7628` traits [`AuditStore`], [`ReviewStore`],
//! [`RevertStore`] and [`ImportStore`].
//!
//! Its own tables (prefixed `review_`), so it can share a database file with [`crate::db::Db`]
//! or live alone. Entries and items are stored as JSON next to the columns that are queried
//! (migration id, normalised origin host, time, dedupe key, state), which are indexed. Like
//! `Db`, each call runs one short statement (or one transaction) on a connection behind a
//! mutex before the returned future is polled.

use std::future::{Future, ready};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fep7628::review::{AuditEntry, RevertCheckpoint, ReviewId, ReviewItem, ReviewState};
use fep7628::store::{
    AuditStore, ImportStore, Resolved, RevertStore, ReviewStore, Sequenced, StoreError,
    StoreErrorKind,
};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS review_audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    migration_id TEXT NOT NULL,
    origin_host TEXT,
    at_nanos INTEGER NOT NULL,
    kind TEXT NOT NULL,
    dedupe_key TEXT UNIQUE,
    entry TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS review_audit_by_migration ON review_audit (migration_id, seq);
CREATE INDEX IF NOT EXISTS review_audit_by_origin ON review_audit (origin_host, seq);
CREATE TABLE IF NOT EXISTS review_items (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    migration_id TEXT NOT NULL,
    state TEXT NOT NULL,
    item TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS review_items_by_state ON review_items (state, seq);
CREATE TABLE IF NOT EXISTS review_revert_checkpoints (
    migration_id TEXT PRIMARY KEY, checkpoint TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS review_imported_objects (object_id TEXT PRIMARY KEY);
";

/// The moderation tables of one server.
#[derive(Debug)]
pub struct ReviewDb {
    conn: Mutex<Connection>,
}

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::new(StoreErrorKind::Unavailable, e.to_string())
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::new(StoreErrorKind::Corrupt, e.to_string())
}

fn rejected(e: impl std::fmt::Display) -> StoreError {
    StoreError::new(StoreErrorKind::Rejected, e.to_string())
}

/// Nanoseconds since the epoch as SQLite's 64-bit integer (times before 1970 count as 1970,
/// times after 2262 as the largest value): enough to compare and filter.
fn nanos(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// A cursor or limit as SQLite's integer.
fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

fn seq(v: i64) -> Result<u64, StoreError> {
    u64::try_from(v).map_err(|_| corrupt(format!("negative sequence number {v}")))
}

impl ReviewDb {
    /// Opens (or creates) the tables in the database file at `path`.
    pub fn open(path: &Path) -> anyhow::Result<ReviewDb> {
        let conn = Connection::open(path)?;
        Self::init(conn)
    }

    /// A private in-memory database (tests).
    pub fn open_in_memory() -> anyhow::Result<ReviewDb> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(conn: Connection) -> anyhow::Result<ReviewDb> {
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(ReviewDb {
            conn: Mutex::new(conn),
        })
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.conn
            .lock()
            .map_err(|_| unavailable("connection mutex poisoned"))
    }

    /// Records an imported object (what an importer writes next to its
    /// [`AuditEntry::object_imported`]).
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

    fn put_entry(&self, entry: &AuditEntry) -> Result<bool, StoreError> {
        let json = serde_json::to_string(entry).map_err(rejected)?;
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
                    json
                ],
            )
            .map_err(unavailable)?;
        Ok(changed == 1)
    }

    fn entries(
        &self,
        sql: &str,
        key: &str,
        since: i64,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Sequenced<AuditEntry>>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare_cached(sql).map_err(unavailable)?;
        let rows = stmt
            .query_map(
                params![
                    key,
                    since,
                    int(after.unwrap_or(0)),
                    int(u64::try_from(limit).unwrap_or(u64::MAX))
                ],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
            )
            .map_err(unavailable)?;
        let mut out = Vec::new();
        for row in rows {
            let (s, json) = row.map_err(unavailable)?;
            out.push(Sequenced {
                seq: seq(s)?,
                value: serde_json::from_str(&json).map_err(corrupt)?,
            });
        }
        Ok(out)
    }

    fn insert_item(&self, item: &ReviewItem) -> Result<bool, StoreError> {
        let json = serde_json::to_string(item).map_err(rejected)?;
        let changed = self
            .conn()?
            .execute(
                "INSERT INTO review_items (id, migration_id, state, item) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO NOTHING",
                params![
                    item.id.as_str(),
                    item.migration_id,
                    item.state.as_str(),
                    json
                ],
            )
            .map_err(unavailable)?;
        Ok(changed == 1)
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
        json.map(|j| serde_json::from_str(&j).map_err(corrupt))
            .transpose()
    }

    fn pending(
        &self,
        after: Option<u64>,
        limit: usize,
    ) -> Result<Vec<Sequenced<ReviewItem>>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT seq, item FROM review_items WHERE state = 'pending' AND seq > ?1
                 ORDER BY seq LIMIT ?2",
            )
            .map_err(unavailable)?;
        let rows = stmt
            .query_map(
                params![
                    int(after.unwrap_or(0)),
                    int(u64::try_from(limit).unwrap_or(u64::MAX))
                ],
                |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)),
            )
            .map_err(unavailable)?;
        let mut out = Vec::new();
        for row in rows {
            let (s, json) = row.map_err(unavailable)?;
            out.push(Sequenced {
                seq: seq(s)?,
                value: serde_json::from_str(&json).map_err(corrupt)?,
            });
        }
        Ok(out)
    }

    /// Compare and set in one transaction: only a pending row is updated, so of two deciders
    /// (even on two connections) exactly one changes the row.
    fn resolve(&self, id: &ReviewId, state: &ReviewState) -> Result<Resolved, StoreError> {
        let mut conn = self.conn()?;
        // IMMEDIATE: take the write lock before reading, so a concurrent decider on another
        // connection waits (busy timeout) instead of failing on a stale snapshot.
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(unavailable)?;
        let Some(mut item) = Self::get_item(&tx, id)? else {
            return Ok(Resolved::NotFound);
        };
        if !item.state.is_pending() {
            return Ok(Resolved::AlreadyDecided(item));
        }
        item.state = state.clone();
        let json = serde_json::to_string(&item).map_err(rejected)?;
        let changed = tx
            .execute(
                "UPDATE review_items SET state = ?2, item = ?3 WHERE id = ?1 AND state = 'pending'",
                params![id.as_str(), state.as_str(), json],
            )
            .map_err(unavailable)?;
        if changed != 1 {
            let current = Self::get_item(&tx, id)?;
            return Ok(current.map_or(Resolved::NotFound, Resolved::AlreadyDecided));
        }
        tx.commit().map_err(unavailable)?;
        Ok(Resolved::Decided(item))
    }

    fn put_checkpoint(
        &self,
        migration_id: &str,
        checkpoint: &RevertCheckpoint,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(checkpoint).map_err(rejected)?;
        self.conn()?
            .execute(
                "INSERT INTO review_revert_checkpoints (migration_id, checkpoint) VALUES (?1, ?2)
                 ON CONFLICT (migration_id) DO UPDATE SET checkpoint = excluded.checkpoint",
                params![migration_id, json],
            )
            .map(|_| ())
            .map_err(unavailable)
    }

    fn get_checkpoint(&self, migration_id: &str) -> Result<Option<RevertCheckpoint>, StoreError> {
        let json: Option<String> = self
            .conn()?
            .query_row(
                "SELECT checkpoint FROM review_revert_checkpoints WHERE migration_id = ?1",
                params![migration_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(unavailable)?;
        json.map(|j| serde_json::from_str(&j).map_err(corrupt))
            .transpose()
    }
}

impl AuditStore for ReviewDb {
    fn append_entry(
        &self,
        entry: &AuditEntry,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        ready(self.put_entry(entry))
    }

    fn migration_entries(
        &self,
        migration_id: &str,
        after: Option<u64>,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Sequenced<AuditEntry>>, StoreError>> + Send {
        ready(self.entries(
            "SELECT seq, entry FROM review_audit
             WHERE migration_id = ?1 AND at_nanos >= ?2 AND seq > ?3 ORDER BY seq LIMIT ?4",
            migration_id,
            i64::MIN,
            after,
            limit,
        ))
    }

    fn origin_entries(
        &self,
        origin_host: &str,
        since: SystemTime,
        after: Option<u64>,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Sequenced<AuditEntry>>, StoreError>> + Send {
        // `=` on the normalised host: never LIKE, so `_`/`%` and subdomains cannot match.
        ready(self.entries(
            "SELECT seq, entry FROM review_audit
             WHERE origin_host = ?1 AND at_nanos >= ?2 AND seq > ?3 ORDER BY seq LIMIT ?4",
            origin_host,
            nanos(since),
            after,
            limit,
        ))
    }
}

impl ReviewStore for ReviewDb {
    fn put_review(
        &self,
        item: &ReviewItem,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        ready(self.insert_item(item))
    }

    fn review(
        &self,
        id: &ReviewId,
    ) -> impl Future<Output = Result<Option<ReviewItem>, StoreError>> + Send {
        ready(self.conn().and_then(|c| Self::get_item(&c, id)))
    }

    fn pending_reviews(
        &self,
        after: Option<u64>,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Sequenced<ReviewItem>>, StoreError>> + Send {
        ready(self.pending(after, limit))
    }

    fn resolve_review(
        &self,
        id: &ReviewId,
        state: &ReviewState,
    ) -> impl Future<Output = Result<Resolved, StoreError>> + Send {
        ready(self.resolve(id, state))
    }
}

impl RevertStore for ReviewDb {
    fn save_revert_checkpoint(
        &self,
        migration_id: &str,
        checkpoint: &RevertCheckpoint,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        ready(self.put_checkpoint(migration_id, checkpoint))
    }

    fn load_revert_checkpoint(
        &self,
        migration_id: &str,
    ) -> impl Future<Output = Result<Option<RevertCheckpoint>, StoreError>> + Send {
        ready(self.get_checkpoint(migration_id))
    }
}

impl ImportStore for ReviewDb {
    fn remove_imported(
        &self,
        object_id: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        ready(
            self.conn()
                .and_then(|c| {
                    c.execute(
                        "DELETE FROM review_imported_objects WHERE object_id = ?1",
                        params![object_id],
                    )
                    .map_err(unavailable)
                })
                .map(|_| ()),
        )
    }
}
