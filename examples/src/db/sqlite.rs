//! The SQLite backend: one file per server, one connection behind a mutex. Each call is one
//! short statement run to completion before it returns; no lock is held across an `await`.
//! The moderation tables (audit log, review queue, revert checkpoints) are in [`review`].

mod review;

use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime};

use fep7628::plan::{Action, Checkpoint, FollowSettings, LocalFollower};
use fep7628::store::{
    AuditRecord, CooldownScope, FollowRecord, FollowState, FollowerPageQuery, MoveRecord, Recorded,
    StoreError,
};
use rusqlite::{Connection, OptionalExtension, params};

use super::RemoteInboxes;
use super::codec::{
    FollowerRow, follow_record, from_json, scope_key, secs, settings_json, state_str, time,
    to_json, unavailable,
};
use super::schema::{Dialect, create_tables};

/// One server's SQLite database.
#[derive(Debug)]
pub(super) struct SqliteDb {
    conn: Mutex<Connection>,
    /// `http://127.0.0.1:port/users/`: ids with this prefix are local accounts.
    local_prefix: String,
}

impl SqliteDb {
    /// Opens (or creates) the database file and its tables.
    pub fn open(path: &Path, base_url: &str) -> anyhow::Result<SqliteDb> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.execute_batch("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;")?;
        conn.execute_batch(&create_tables(Dialect::Sqlite))?;
        Ok(SqliteDb {
            conn: Mutex::new(conn),
            local_prefix: format!("{base_url}/users/"),
        })
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.conn
            .lock()
            .map_err(|_| unavailable("connection mutex poisoned"))
    }

    /// Runs an upsert of `(key, json)` (`?1`, `?2`).
    fn upsert_json(&self, sql: &str, key: &str, json: &str) -> Result<(), StoreError> {
        self.conn()?
            .execute(sql, params![key, json])
            .map(|_| ())
            .map_err(unavailable)
    }

    /// The JSON value in the one column `sql` selects for `key` (`?1`), decoded.
    fn json_by_key<T: serde::de::DeserializeOwned>(
        &self,
        sql: &str,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        let json: Option<String> = self
            .conn()?
            .query_row(sql, params![key], |r| r.get(0))
            .optional()
            .map_err(unavailable)?;
        json.as_deref().map(from_json).transpose()
    }

    /// Creates a local account (idempotent).
    pub fn create_account(&self, username: &str) -> anyhow::Result<()> {
        self.conn()?.execute(
            "INSERT OR IGNORE INTO accounts (username) VALUES (?1)",
            params![username],
        )?;
        Ok(())
    }

    /// `(alsoKnownAs, movedTo)` of a local account, or `None` if there is no such account.
    pub fn account(&self, username: &str) -> anyhow::Result<Option<(Vec<String>, Option<String>)>> {
        let row: Option<(String, Option<String>)> = self
            .conn()?
            .query_row(
                "SELECT also_known_as, moved_to FROM accounts WHERE username = ?1",
                params![username],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        match row {
            None => Ok(None),
            Some((aka, moved)) => Ok(Some((serde_json::from_str(&aka)?, moved))),
        }
    }

    /// Sets `alsoKnownAs` of a local account.
    pub fn set_aliases(&self, username: &str, aliases: &[String]) -> anyhow::Result<()> {
        self.conn()?.execute(
            "UPDATE accounts SET also_known_as = ?2 WHERE username = ?1",
            params![username, serde_json::to_string(aliases)?],
        )?;
        Ok(())
    }

    /// Sets `movedTo` of a local account.
    pub fn set_moved_to(&self, username: &str, target: &str) -> anyhow::Result<()> {
        self.conn()?.execute(
            "UPDATE accounts SET moved_to = ?2 WHERE username = ?1",
            params![username, target],
        )?;
        Ok(())
    }

    /// `attachment` of a local account (profile fields, FEP-c390 identity statements).
    pub fn attachment(&self, username: &str) -> anyhow::Result<Vec<serde_json::Value>> {
        let json: Option<String> = self
            .conn()?
            .query_row(
                "SELECT attachment FROM accounts WHERE username = ?1",
                params![username],
                |r| r.get(0),
            )
            .optional()?;
        Ok(match json {
            Some(j) => serde_json::from_str(&j)?,
            None => Vec::new(),
        })
    }

    /// Sets `attachment` of a local account.
    pub fn set_attachment(
        &self,
        username: &str,
        items: &[serde_json::Value],
    ) -> anyhow::Result<()> {
        self.conn()?.execute(
            "UPDATE accounts SET attachment = ?2 WHERE username = ?1",
            params![username, serde_json::to_string(items)?],
        )?;
        Ok(())
    }

    /// Keeps a copy of a remote actor's document as fetched (the fallback when its server is
    /// offline).
    pub fn store_actor_document(&self, id: &str, doc: &[u8]) -> anyhow::Result<()> {
        self.conn()?.execute(
            "INSERT INTO actor_documents (id, doc) VALUES (?1, ?2)
             ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
            params![id, doc],
        )?;
        Ok(())
    }

    /// The stored copy of a remote actor's document.
    pub fn actor_document(&self, id: &str) -> anyhow::Result<Option<Vec<u8>>> {
        Ok(self
            .conn()?
            .query_row(
                "SELECT doc FROM actor_documents WHERE id = ?1",
                params![id],
                |r| r.get(0),
            )
            .optional()?)
    }

    /// Remembers where a remote actor receives activities.
    pub fn upsert_remote_actor(
        &self,
        id: &str,
        inbox: &str,
        shared_inbox: Option<&str>,
    ) -> anyhow::Result<()> {
        self.conn()?.execute(
            "INSERT INTO remote_actors (id, inbox, shared_inbox) VALUES (?1, ?2, ?3)
             ON CONFLICT (id) DO UPDATE SET inbox = excluded.inbox,
                 shared_inbox = excluded.shared_inbox",
            params![id, inbox, shared_inbox],
        )?;
        Ok(())
    }

    /// Every follower of `followed` with its `(inbox, shared inbox)` when remote.
    pub fn followers_with_inboxes(
        &self,
        followed: &str,
    ) -> anyhow::Result<Vec<(String, Option<RemoteInboxes>)>> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare(
            "SELECT f.follower, f.local, r.inbox, r.shared_inbox FROM follows f
             LEFT JOIN remote_actors r ON r.id = f.follower
             WHERE f.followed = ?1 ORDER BY f.follower",
        )?;
        let rows = stmt.query_map(params![followed], |r| {
            let local: bool = r.get(1)?;
            let inbox: Option<String> = r.get(2)?;
            let shared: Option<String> = r.get(3)?;
            Ok((
                r.get::<_, String>(0)?,
                (!local).then_some(()).and(inbox.map(|i| (i, shared))),
            ))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Records an incoming activity (to count deliveries, duplicates included).
    pub fn record_received(&self, kind: &str, actor: &str, object: &str) -> anyhow::Result<()> {
        self.conn()?.execute(
            "INSERT INTO received (kind, actor, object) VALUES (?1, ?2, ?3)",
            params![kind, actor, object],
        )?;
        Ok(())
    }

    /// `(received, distinct actors)` of activities of `kind` naming `object`.
    pub fn received_counts(&self, kind: &str, object: &str) -> anyhow::Result<(u64, u64)> {
        Ok(self.conn()?.query_row(
            "SELECT COUNT(*), COUNT(DISTINCT actor) FROM received WHERE kind = ?1 AND object = ?2",
            params![kind, object],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?)
    }

    /// Number of followers of `followed` (local and remote).
    pub fn follower_count(&self, followed: &str) -> anyhow::Result<u64> {
        Ok(self.conn()?.query_row(
            "SELECT COUNT(*) FROM follows WHERE followed = ?1",
            params![followed],
            |r| r.get(0),
        )?)
    }

    /// Number of local accounts following `followed`.
    pub fn local_following_count(&self, followed: &str) -> anyhow::Result<u64> {
        Ok(self.conn()?.query_row(
            "SELECT COUNT(*) FROM follows WHERE followed = ?1 AND local = 1",
            params![followed],
            |r| r.get(0),
        )?)
    }

    /// Notifications written.
    pub fn notification_count(&self) -> anyhow::Result<u64> {
        Ok(self
            .conn()?
            .query_row("SELECT COUNT(*) FROM notifications", [], |r| r.get(0))?)
    }

    /// Whether the delivery job `key` already ran (the job queue's unique key).
    pub fn delivered(&self, key: &str) -> Result<bool, StoreError> {
        self.conn()?
            .query_row(
                "SELECT 1 FROM deliveries WHERE key = ?1",
                params![key],
                |_| Ok(()),
            )
            .optional()
            .map(|r| r.is_some())
            .map_err(unavailable)
    }

    /// Marks the delivery job `key` done.
    pub fn mark_delivered(&self, key: &str, inbox: &str) -> Result<(), StoreError> {
        self.conn()?
            .execute(
                "INSERT OR IGNORE INTO deliveries (key, inbox) VALUES (?1, ?2)",
                params![key, inbox],
            )
            .map(|_| ())
            .map_err(unavailable)
    }

    /// Marks the plan of `migration_id` finished.
    pub fn mark_plan_finished(&self, migration_id: &str) -> anyhow::Result<()> {
        self.conn()?.execute(
            "UPDATE checkpoints SET finished = 1 WHERE migration_id = ?1",
            params![migration_id],
        )?;
        Ok(())
    }

    /// Checkpoints of plans that have not finished (to resume after a restart).
    pub fn unfinished_plans(&self) -> anyhow::Result<Vec<Checkpoint>> {
        let conn = self.conn()?;
        let mut stmt = conn.prepare(
            "SELECT checkpoint FROM checkpoints WHERE finished = 0 ORDER BY migration_id",
        )?;
        let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for json in rows {
            out.push(serde_json::from_str(&json?)?);
        }
        Ok(out)
    }

    /// When `account` last took part in a move (as origin or target).
    pub fn last_move(&self, account: &str) -> Result<Option<SystemTime>, StoreError> {
        let at: Option<i64> = self
            .conn()?
            .query_row(
                "SELECT MAX(verified_at) FROM moves WHERE origin = ?1 OR target = ?1",
                params![account],
                |r| r.get(0),
            )
            .map_err(unavailable)?;
        Ok(at.map(time))
    }

    /// Where `account` moved, per accepted moves.
    pub fn local_moved_to(&self, account: &str) -> Result<Option<String>, StoreError> {
        self.conn()?
            .query_row(
                "SELECT target FROM moves WHERE origin = ?1 ORDER BY verified_at DESC LIMIT 1",
                params![account],
                |r| r.get(0),
            )
            .optional()
            .map_err(unavailable)
    }

    /// Audit events recorded, in order: `(migration, event, detail)`.
    pub fn audit_events(&self) -> anyhow::Result<Vec<(String, String, String)>> {
        let conn = self.conn()?;
        let mut stmt =
            conn.prepare("SELECT migration_id, event, detail FROM audit ORDER BY seq")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    pub fn page(&self, q: &FollowerPageQuery) -> Result<Vec<LocalFollower>, StoreError> {
        let conn = self.conn()?;
        let mut stmt = conn
            .prepare_cached(
                "SELECT f.follower, f.settings,
                    EXISTS (SELECT 1 FROM blocks b WHERE b.blocker = f.follower AND b.blocked = ?2),
                    EXISTS (SELECT 1 FROM blocks b WHERE b.blocker = ?2 AND b.blocked = f.follower),
                    t.settings, t.state
                 FROM follows f
                 LEFT JOIN follows t ON t.follower = f.follower AND t.followed = ?2
                 WHERE f.followed = ?1 AND f.local = 1 AND f.follower > ?3
                 ORDER BY f.follower LIMIT ?4",
            )
            .map_err(unavailable)?;
        let limit = i64::try_from(q.limit).unwrap_or(i64::MAX);
        let rows = stmt
            .query_map(
                params![
                    q.followed,
                    q.relative_to,
                    q.after.as_deref().unwrap_or(""),
                    limit
                ],
                |r| {
                    Ok(FollowerRow {
                        id: r.get(0)?,
                        settings: r.get(1)?,
                        blocks_target: r.get(2)?,
                        blocked_by_target: r.get(3)?,
                        target_settings: r.get(4)?,
                        target_state: r.get(5)?,
                    })
                },
            )
            .map_err(unavailable)?;
        let mut out = Vec::new();
        for row in rows {
            out.push(row.map_err(unavailable)?.into_local_follower()?);
        }
        Ok(out)
    }

    /// Records a follow (idempotent; updates settings and state).
    pub fn put_follow(
        &self,
        follower: &str,
        followed: &str,
        settings: &FollowSettings,
        state: FollowState,
    ) -> Result<(), StoreError> {
        let settings = settings_json(settings)?;
        let local = follower.starts_with(&self.local_prefix);
        self.conn()?
            .execute(
                "INSERT INTO follows (follower, followed, local, state, settings)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (follower, followed) DO UPDATE SET state = excluded.state,
                     settings = excluded.settings",
                params![follower, followed, local, state_str(state), settings],
            )
            .map(|_| ())
            .map_err(unavailable)
    }

    /// Removes a follow (missing is fine).
    pub fn delete_follow(&self, follower: &str, followed: &str) -> Result<(), StoreError> {
        self.conn()?
            .execute(
                "DELETE FROM follows WHERE follower = ?1 AND followed = ?2",
                params![follower, followed],
            )
            .map(|_| ())
            .map_err(unavailable)
    }

    pub fn get_follow(
        &self,
        follower: &str,
        followed: &str,
    ) -> Result<Option<FollowRecord>, StoreError> {
        let row: Option<(String, String)> = self
            .conn()?
            .query_row(
                "SELECT settings, state FROM follows WHERE follower = ?1 AND followed = ?2",
                params![follower, followed],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(unavailable)?;
        row.map(|(settings, state)| follow_record(&settings, &state))
            .transpose()
    }

    /// Whether `blocker` blocks `blocked`.
    pub fn blocks(&self, blocker: &str, blocked: &str) -> Result<bool, StoreError> {
        self.conn()?
            .query_row(
                "SELECT 1 FROM blocks WHERE blocker = ?1 AND blocked = ?2",
                params![blocker, blocked],
                |_| Ok(()),
            )
            .optional()
            .map(|r| r.is_some())
            .map_err(unavailable)
    }

    pub fn put_move(&self, record: &MoveRecord) -> Result<Recorded, StoreError> {
        let inserted = self
            .conn()?
            .execute(
                "INSERT INTO moves (origin, target, migration_id, activity_id, verified_at)
                 VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (origin, target) DO NOTHING",
                params![
                    record.origin,
                    record.target,
                    record.migration_id,
                    record.activity_id,
                    secs(record.verified_at)
                ],
            )
            .map_err(unavailable)?;
        if inserted == 1 {
            return Ok(Recorded::Inserted);
        }
        match self.get_move(&record.origin, &record.target)? {
            Some(existing) => Ok(Recorded::AlreadySeen(existing)),
            None => Err(unavailable("move row vanished after a conflicting insert")),
        }
    }

    pub fn get_move(&self, origin: &str, target: &str) -> Result<Option<MoveRecord>, StoreError> {
        self.conn()?
            .query_row(
                "SELECT migration_id, activity_id, verified_at FROM moves
                 WHERE origin = ?1 AND target = ?2",
                params![origin, target],
                |r| {
                    Ok(MoveRecord {
                        migration_id: r.get(0)?,
                        origin: origin.to_owned(),
                        target: target.to_owned(),
                        activity_id: r.get(1)?,
                        verified_at: time(r.get(2)?),
                    })
                },
            )
            .optional()
            .map_err(unavailable)
    }

    pub fn get_cooldown(&self, scope: &CooldownScope) -> Result<Option<SystemTime>, StoreError> {
        let until: Option<i64> = self
            .conn()?
            .query_row(
                "SELECT until FROM cooldowns WHERE scope = ?1",
                params![scope_key(scope)],
                |r| r.get(0),
            )
            .optional()
            .map_err(unavailable)?;
        Ok(until.map(time))
    }

    pub fn put_cooldown(&self, scope: &CooldownScope, until: SystemTime) -> Result<(), StoreError> {
        self.conn()?
            .execute(
                "INSERT INTO cooldowns (scope, until) VALUES (?1, ?2)
                 ON CONFLICT (scope) DO UPDATE SET until = MAX(until, excluded.until)",
                params![scope_key(scope), secs(until)],
            )
            .map(|_| ())
            .map_err(unavailable)
    }

    pub fn put_checkpoint(
        &self,
        migration_id: &str,
        checkpoint: &Checkpoint,
    ) -> Result<(), StoreError> {
        self.upsert_json(
            "INSERT INTO checkpoints (migration_id, checkpoint) VALUES (?1, ?2)
             ON CONFLICT (migration_id) DO UPDATE SET checkpoint = excluded.checkpoint",
            migration_id,
            &to_json(checkpoint)?,
        )
    }

    pub fn get_checkpoint(&self, migration_id: &str) -> Result<Option<Checkpoint>, StoreError> {
        self.json_by_key(
            "SELECT checkpoint FROM checkpoints WHERE migration_id = ?1",
            migration_id,
        )
    }

    pub fn put_audit(&self, record: &AuditRecord) -> Result<(), StoreError> {
        self.conn()?
            .execute(
                "INSERT INTO audit (migration_id, at, event, subject, detail)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    record.migration_id,
                    secs(record.at),
                    record.event,
                    record.subject,
                    record.detail
                ],
            )
            .map(|_| ())
            .map_err(unavailable)
    }

    pub fn put_notification(&self, action: &Action) -> Result<(), StoreError> {
        self.conn()?
            .execute(
                "INSERT OR IGNORE INTO notifications (key, follower) VALUES (?1, ?2)",
                params![action.key.to_string(), &*action.follower_id],
            )
            .map(|_| ())
            .map_err(unavailable)
    }
}
