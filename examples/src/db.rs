//! SQLite storage for one server: accounts, follows, moves, cooldowns, plan checkpoints, audit,
//! the delivery job keys and notifications. Implements the `fep7628` plug-in traits
//! [`FollowStore`], [`MoveStore`] and [`Notifier`].
//!
//! Each call is one short statement on a connection behind a mutex, run before the returned
//! future is polled (the futures are ready at once); no lock is held across an `await`.

use std::future::{Future, ready};
use std::path::Path;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fep7628::plan::{Action, Checkpoint, ExistingFollow, FollowSettings, LocalFollower};
use fep7628::store::{
    AuditRecord, CooldownScope, FollowRecord, FollowState, FollowStore, FollowerPageQuery,
    MoveRecord, MoveStore, Notifier, Recorded, StoreError, StoreErrorKind,
};
use rusqlite::{Connection, OptionalExtension, params};

const SCHEMA: &str = "
PRAGMA journal_mode = WAL;
PRAGMA synchronous = NORMAL;
CREATE TABLE IF NOT EXISTS accounts (
    username TEXT PRIMARY KEY,
    also_known_as TEXT NOT NULL DEFAULT '[]',
    moved_to TEXT,
    attachment TEXT NOT NULL DEFAULT '[]'
);
CREATE TABLE IF NOT EXISTS remote_actors (
    id TEXT PRIMARY KEY, inbox TEXT NOT NULL, shared_inbox TEXT
);
CREATE TABLE IF NOT EXISTS actor_documents (id TEXT PRIMARY KEY, doc BLOB NOT NULL);
CREATE TABLE IF NOT EXISTS follows (
    follower TEXT NOT NULL, followed TEXT NOT NULL, local INTEGER NOT NULL,
    state TEXT NOT NULL, settings TEXT NOT NULL,
    PRIMARY KEY (follower, followed)
);
CREATE TABLE IF NOT EXISTS blocks (blocker TEXT NOT NULL, blocked TEXT NOT NULL,
    PRIMARY KEY (blocker, blocked));
CREATE TABLE IF NOT EXISTS moves (
    origin TEXT NOT NULL, target TEXT NOT NULL, migration_id TEXT NOT NULL,
    activity_id TEXT, verified_at INTEGER NOT NULL, PRIMARY KEY (origin, target)
);
CREATE TABLE IF NOT EXISTS cooldowns (scope TEXT PRIMARY KEY, until INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS checkpoints (
    migration_id TEXT PRIMARY KEY, checkpoint TEXT NOT NULL, finished INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS audit (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, migration_id TEXT NOT NULL, at INTEGER NOT NULL,
    event TEXT NOT NULL, subject TEXT, detail TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS deliveries (key TEXT PRIMARY KEY, inbox TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS notifications (key TEXT PRIMARY KEY, follower TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS received (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL, actor TEXT NOT NULL,
    object TEXT NOT NULL
);
";

/// A remote actor's `(inbox, shared inbox)`.
pub type RemoteInboxes = (String, Option<String>);

/// One server's database.
#[derive(Debug)]
pub struct Db {
    conn: Mutex<Connection>,
    /// `http://127.0.0.1:port/users/`: ids with this prefix are local accounts.
    local_prefix: String,
}

fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::new(StoreErrorKind::Unavailable, e.to_string())
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::new(StoreErrorKind::Corrupt, e.to_string())
}

fn secs(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn time(s: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::try_from(s).unwrap_or(0))
}

fn scope_key(scope: &CooldownScope) -> String {
    match scope {
        CooldownScope::Origin(a) => format!("origin {a}"),
        CooldownScope::Target(a) => format!("target {a}"),
    }
}

fn state_str(state: FollowState) -> &'static str {
    match state {
        FollowState::Accepted => "accepted",
        FollowState::Pending => "pending",
    }
}

impl Db {
    /// Opens (or creates) the database file and its tables.
    pub fn open(path: &Path, base_url: &str) -> anyhow::Result<Db> {
        let conn = Connection::open(path)?;
        conn.busy_timeout(Duration::from_secs(5))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Db {
            conn: Mutex::new(conn),
            local_prefix: format!("{base_url}/users/"),
        })
    }

    fn conn(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.conn
            .lock()
            .map_err(|_| unavailable("connection mutex poisoned"))
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

    fn page(&self, q: &FollowerPageQuery) -> Result<Vec<LocalFollower>, StoreError> {
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
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, bool>(2)?,
                        r.get::<_, bool>(3)?,
                        r.get::<_, Option<String>>(4)?,
                        r.get::<_, Option<String>>(5)?,
                    ))
                },
            )
            .map_err(unavailable)?;
        let mut out = Vec::new();
        for row in rows {
            let (id, settings, blocks, blocked, t_settings, t_state) = row.map_err(unavailable)?;
            let settings: FollowSettings = serde_json::from_str(&settings).map_err(corrupt)?;
            let follows_target = match t_settings {
                Some(s) => Some(ExistingFollow {
                    settings: serde_json::from_str(&s).map_err(corrupt)?,
                    pending: t_state.as_deref() == Some("pending"),
                }),
                None => None,
            };
            let mut f = LocalFollower::new(id).with_settings(settings);
            f.blocks_target = blocks;
            f.blocked_by_target = blocked;
            f.follows_target = follows_target;
            out.push(f);
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
        let settings = serde_json::to_string(settings).map_err(corrupt)?;
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

    fn get_follow(
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
        match row {
            None => Ok(None),
            Some((settings, state)) => Ok(Some(FollowRecord {
                settings: serde_json::from_str(&settings).map_err(corrupt)?,
                state: if state == "pending" {
                    FollowState::Pending
                } else {
                    FollowState::Accepted
                },
            })),
        }
    }

    fn put_move(&self, record: &MoveRecord) -> Result<Recorded, StoreError> {
        if let Some(existing) = self.get_move(&record.origin, &record.target)? {
            return Ok(Recorded::AlreadySeen(existing));
        }
        self.conn()?
            .execute(
                "INSERT INTO moves (origin, target, migration_id, activity_id, verified_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    record.origin,
                    record.target,
                    record.migration_id,
                    record.activity_id,
                    secs(record.verified_at)
                ],
            )
            .map_err(unavailable)?;
        Ok(Recorded::Inserted)
    }

    fn get_move(&self, origin: &str, target: &str) -> Result<Option<MoveRecord>, StoreError> {
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

    fn get_cooldown(&self, scope: &CooldownScope) -> Result<Option<SystemTime>, StoreError> {
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

    fn put_cooldown(&self, scope: &CooldownScope, until: SystemTime) -> Result<(), StoreError> {
        self.conn()?
            .execute(
                "INSERT INTO cooldowns (scope, until) VALUES (?1, ?2)
                 ON CONFLICT (scope) DO UPDATE SET until = MAX(until, excluded.until)",
                params![scope_key(scope), secs(until)],
            )
            .map(|_| ())
            .map_err(unavailable)
    }

    fn put_checkpoint(
        &self,
        migration_id: &str,
        checkpoint: &Checkpoint,
    ) -> Result<(), StoreError> {
        let json = serde_json::to_string(checkpoint).map_err(corrupt)?;
        self.conn()?
            .execute(
                "INSERT INTO checkpoints (migration_id, checkpoint) VALUES (?1, ?2)
                 ON CONFLICT (migration_id) DO UPDATE SET checkpoint = excluded.checkpoint",
                params![migration_id, json],
            )
            .map(|_| ())
            .map_err(unavailable)
    }

    fn get_checkpoint(&self, migration_id: &str) -> Result<Option<Checkpoint>, StoreError> {
        let json: Option<String> = self
            .conn()?
            .query_row(
                "SELECT checkpoint FROM checkpoints WHERE migration_id = ?1",
                params![migration_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(unavailable)?;
        json.map(|j| serde_json::from_str(&j).map_err(corrupt))
            .transpose()
    }

    fn put_audit(&self, record: &AuditRecord) -> Result<(), StoreError> {
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

    fn put_notification(&self, action: &Action) -> Result<(), StoreError> {
        self.conn()?
            .execute(
                "INSERT OR IGNORE INTO notifications (key, follower) VALUES (?1, ?2)",
                params![action.key.to_string(), &*action.follower_id],
            )
            .map(|_| ())
            .map_err(unavailable)
    }
}

impl FollowStore for Db {
    fn followers_page(
        &self,
        query: &FollowerPageQuery,
    ) -> impl Future<Output = Result<Vec<LocalFollower>, StoreError>> + Send {
        ready(self.page(query))
    }

    fn record_follow(
        &self,
        follower: &str,
        followed: &str,
        settings: &FollowSettings,
        state: FollowState,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        ready(self.put_follow(follower, followed, settings, state))
    }

    fn remove_follow(
        &self,
        follower: &str,
        followed: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        ready(self.delete_follow(follower, followed))
    }

    fn follow(
        &self,
        follower: &str,
        followed: &str,
    ) -> impl Future<Output = Result<Option<FollowRecord>, StoreError>> + Send {
        ready(self.get_follow(follower, followed))
    }

    fn blocks(
        &self,
        blocker: &str,
        blocked: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        let r = self.conn().and_then(|c| {
            c.query_row(
                "SELECT 1 FROM blocks WHERE blocker = ?1 AND blocked = ?2",
                params![blocker, blocked],
                |_| Ok(()),
            )
            .optional()
            .map(|r| r.is_some())
            .map_err(unavailable)
        });
        ready(r)
    }
}

impl MoveStore for Db {
    fn record_move(
        &self,
        record: &MoveRecord,
    ) -> impl Future<Output = Result<Recorded, StoreError>> + Send {
        ready(self.put_move(record))
    }

    fn move_seen(
        &self,
        origin: &str,
        target: &str,
    ) -> impl Future<Output = Result<Option<MoveRecord>, StoreError>> + Send {
        ready(self.get_move(origin, target))
    }

    fn cooldown_until(
        &self,
        scope: &CooldownScope,
    ) -> impl Future<Output = Result<Option<SystemTime>, StoreError>> + Send {
        ready(self.get_cooldown(scope))
    }

    fn set_cooldown(
        &self,
        scope: &CooldownScope,
        until: SystemTime,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        ready(self.put_cooldown(scope, until))
    }

    fn save_checkpoint(
        &self,
        migration_id: &str,
        checkpoint: &Checkpoint,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        ready(self.put_checkpoint(migration_id, checkpoint))
    }

    fn load_checkpoint(
        &self,
        migration_id: &str,
    ) -> impl Future<Output = Result<Option<Checkpoint>, StoreError>> + Send {
        ready(self.get_checkpoint(migration_id))
    }

    fn append_audit(
        &self,
        record: &AuditRecord,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        ready(self.put_audit(record))
    }
}

impl Notifier for Db {
    fn notify_moved(&self, action: &Action) -> impl Future<Output = Result<(), StoreError>> + Send {
        ready(self.put_notification(action))
    }
}
