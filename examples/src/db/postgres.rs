//! The PostgreSQL backend (`tokio-postgres`): one connection per server, its tables in the
//! server's own schema (set as the connection's `search_path`), statements prepared once and
//! reused. The same queries as the SQLite backend, written in PostgreSQL's dialect; every call
//! is one statement in autocommit mode, committed when it returns — the checkpoint a restarted
//! server resumes from included.
//!
//! Durability matches the SQLite backend (WAL, `synchronous = NORMAL`): the session sets
//! `synchronous_commit = off`, so a commit survives the server process (or the example) dying
//! at once, and only an operating-system crash can lose the last fraction of a second of
//! commits — never leaving the database inconsistent.
//!
//! The moderation tables (audit log, review queue, revert checkpoints) are in [`review`].

mod review;

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::SystemTime;

use anyhow::Context;
use fep7628::plan::{Action, Checkpoint, FollowSettings, LocalFollower};
use fep7628::store::{
    AuditRecord, CooldownScope, FollowRecord, FollowState, FollowerPageQuery, MoveRecord, Recorded,
    StoreError,
};
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, NoTls, Row, Statement};

use super::RemoteInboxes;
use super::codec::{
    FollowerRow, corrupt, follow_record, from_json, scope_key, secs, settings_json, state_str,
    time, to_json, unavailable,
};
use super::schema::{Dialect, create_tables};

type Params<'a> = &'a [&'a (dyn ToSql + Sync)];

/// One server's tables in a PostgreSQL schema.
pub(super) struct PgDb {
    client: Client,
    /// Prepared statements by their SQL text.
    statements: Mutex<HashMap<&'static str, Statement>>,
    /// `http://127.0.0.1:port/users/`: ids with this prefix are local accounts.
    local_prefix: String,
}

impl std::fmt::Debug for PgDb {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgDb")
            .field("local_prefix", &self.local_prefix)
            .finish_non_exhaustive()
    }
}

/// `"name"`, for a schema name made of ASCII letters, digits and `_` (anything else is refused
/// rather than escaped: the example only uses names it made).
pub(super) fn quote_schema(name: &str) -> anyhow::Result<String> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
    anyhow::ensure!(ok, "schema name {name:?} is not [a-z0-9_]{{1,63}}");
    Ok(format!("\"{name}\""))
}

/// Connects to `url` (a `postgres://` URL or a `key=value` string), without TLS: the example
/// talks to a server on loopback.
pub(super) async fn connect(url: &str) -> anyhow::Result<Client> {
    let (client, connection) = tokio_postgres::connect(url, NoTls)
        .await
        .with_context(|| format!("connecting to PostgreSQL at {}", redact(url)))?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            eprintln!("PostgreSQL connection closed: {e}");
        }
    });
    Ok(client)
}

/// The URL with its password replaced by `***` (for messages).
pub(super) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    match authority.rsplit_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}{tail}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

fn count(row: &Row, idx: usize) -> Result<u64, StoreError> {
    let n: i64 = row.try_get(idx).map_err(corrupt)?;
    u64::try_from(n).map_err(corrupt)
}

impl PgDb {
    /// Connects, makes `schema` the connection's `search_path` and creates the tables there
    /// (if missing). The schema must exist.
    pub async fn open(url: &str, schema: &str, base_url: &str) -> anyhow::Result<PgDb> {
        let client = connect(url).await?;
        client
            .batch_execute(&format!(
                "SET search_path TO {}; SET synchronous_commit TO off",
                quote_schema(schema)?
            ))
            .await
            .context("setting search_path and synchronous_commit")?;
        client
            .batch_execute(&create_tables(Dialect::Postgres))
            .await
            .with_context(|| format!("creating the tables in schema {schema}"))?;
        Ok(PgDb {
            client,
            statements: Mutex::new(HashMap::new()),
            local_prefix: format!("{base_url}/users/"),
        })
    }

    async fn statement(&self, sql: &'static str) -> Result<Statement, StoreError> {
        let cached = self
            .statements
            .lock()
            .map_err(|_| unavailable("statement cache poisoned"))?
            .get(sql)
            .cloned();
        if let Some(s) = cached {
            return Ok(s);
        }
        let prepared = self.client.prepare(sql).await.map_err(unavailable)?;
        self.statements
            .lock()
            .map_err(|_| unavailable("statement cache poisoned"))?
            .insert(sql, prepared.clone());
        Ok(prepared)
    }

    async fn query(&self, sql: &'static str, params: Params<'_>) -> Result<Vec<Row>, StoreError> {
        let stmt = self.statement(sql).await?;
        self.client.query(&stmt, params).await.map_err(unavailable)
    }

    async fn query_opt(
        &self,
        sql: &'static str,
        params: Params<'_>,
    ) -> Result<Option<Row>, StoreError> {
        let stmt = self.statement(sql).await?;
        self.client
            .query_opt(&stmt, params)
            .await
            .map_err(unavailable)
    }

    async fn query_one(&self, sql: &'static str, params: Params<'_>) -> Result<Row, StoreError> {
        let stmt = self.statement(sql).await?;
        self.client
            .query_one(&stmt, params)
            .await
            .map_err(unavailable)
    }

    async fn execute(&self, sql: &'static str, params: Params<'_>) -> Result<u64, StoreError> {
        let stmt = self.statement(sql).await?;
        self.client
            .execute(&stmt, params)
            .await
            .map_err(unavailable)
    }

    /// Runs an upsert of `(key, json)` (`$1`, `$2`).
    async fn upsert_json(
        &self,
        sql: &'static str,
        key: &str,
        json: &str,
    ) -> Result<(), StoreError> {
        self.execute(sql, &[&key, &json]).await.map(|_| ())
    }

    /// The JSON value in the one column `sql` selects for `key` (`$1`), decoded.
    async fn json_by_key<T: serde::de::DeserializeOwned>(
        &self,
        sql: &'static str,
        key: &str,
    ) -> Result<Option<T>, StoreError> {
        match self.query_opt(sql, &[&key]).await? {
            None => Ok(None),
            Some(r) => from_json(&r.try_get::<_, String>(0).map_err(corrupt)?).map(Some),
        }
    }

    /// Creates a local account (idempotent).
    pub async fn create_account(&self, username: &str) -> anyhow::Result<()> {
        self.execute(
            "INSERT INTO accounts (username) VALUES ($1) ON CONFLICT DO NOTHING",
            &[&username],
        )
        .await?;
        Ok(())
    }

    /// `(alsoKnownAs, movedTo)` of a local account, or `None` if there is no such account.
    pub async fn account(
        &self,
        username: &str,
    ) -> anyhow::Result<Option<(Vec<String>, Option<String>)>> {
        let row = self
            .query_opt(
                "SELECT also_known_as, moved_to FROM accounts WHERE username = $1",
                &[&username],
            )
            .await?;
        match row {
            None => Ok(None),
            Some(r) => {
                let aka: String = r.try_get(0)?;
                Ok(Some((serde_json::from_str(&aka)?, r.try_get(1)?)))
            }
        }
    }

    /// Sets `alsoKnownAs` of a local account.
    pub async fn set_aliases(&self, username: &str, aliases: &[String]) -> anyhow::Result<()> {
        let json = serde_json::to_string(aliases)?;
        self.execute(
            "UPDATE accounts SET also_known_as = $2 WHERE username = $1",
            &[&username, &json],
        )
        .await?;
        Ok(())
    }

    /// Sets `movedTo` of a local account.
    pub async fn set_moved_to(&self, username: &str, target: &str) -> anyhow::Result<()> {
        self.execute(
            "UPDATE accounts SET moved_to = $2 WHERE username = $1",
            &[&username, &target],
        )
        .await?;
        Ok(())
    }

    /// `attachment` of a local account.
    pub async fn attachment(&self, username: &str) -> anyhow::Result<Vec<serde_json::Value>> {
        let row = self
            .query_opt(
                "SELECT attachment FROM accounts WHERE username = $1",
                &[&username],
            )
            .await?;
        Ok(match row {
            Some(r) => serde_json::from_str(&r.try_get::<_, String>(0)?)?,
            None => Vec::new(),
        })
    }

    /// Sets `attachment` of a local account.
    pub async fn set_attachment(
        &self,
        username: &str,
        items: &[serde_json::Value],
    ) -> anyhow::Result<()> {
        let json = serde_json::to_string(items)?;
        self.execute(
            "UPDATE accounts SET attachment = $2 WHERE username = $1",
            &[&username, &json],
        )
        .await?;
        Ok(())
    }

    /// Keeps a copy of a remote actor's document as fetched.
    pub async fn store_actor_document(&self, id: &str, doc: &[u8]) -> anyhow::Result<()> {
        self.execute(
            "INSERT INTO actor_documents (id, doc) VALUES ($1, $2)
             ON CONFLICT (id) DO UPDATE SET doc = excluded.doc",
            &[&id, &doc],
        )
        .await?;
        Ok(())
    }

    /// The stored copy of a remote actor's document.
    pub async fn actor_document(&self, id: &str) -> anyhow::Result<Option<Vec<u8>>> {
        let row = self
            .query_opt("SELECT doc FROM actor_documents WHERE id = $1", &[&id])
            .await?;
        Ok(row.map(|r| r.try_get(0)).transpose()?)
    }

    /// Remembers where a remote actor receives activities.
    pub async fn upsert_remote_actor(
        &self,
        id: &str,
        inbox: &str,
        shared_inbox: Option<&str>,
    ) -> anyhow::Result<()> {
        self.execute(
            "INSERT INTO remote_actors (id, inbox, shared_inbox) VALUES ($1, $2, $3)
             ON CONFLICT (id) DO UPDATE SET inbox = excluded.inbox,
                 shared_inbox = excluded.shared_inbox",
            &[&id, &inbox, &shared_inbox],
        )
        .await?;
        Ok(())
    }

    /// Every follower of `followed` with its `(inbox, shared inbox)` when remote.
    pub async fn followers_with_inboxes(
        &self,
        followed: &str,
    ) -> anyhow::Result<Vec<(String, Option<RemoteInboxes>)>> {
        let rows = self
            .query(
                "SELECT f.follower, f.local, r.inbox, r.shared_inbox FROM follows f
                 LEFT JOIN remote_actors r ON r.id = f.follower
                 WHERE f.followed = $1 ORDER BY f.follower",
                &[&followed],
            )
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let local: bool = r.try_get(1)?;
            let inbox: Option<String> = r.try_get(2)?;
            let shared: Option<String> = r.try_get(3)?;
            out.push((
                r.try_get(0)?,
                (!local).then_some(()).and(inbox.map(|i| (i, shared))),
            ));
        }
        Ok(out)
    }

    /// Records an incoming activity.
    pub async fn record_received(
        &self,
        kind: &str,
        actor: &str,
        object: &str,
    ) -> anyhow::Result<()> {
        self.execute(
            "INSERT INTO received (kind, actor, object) VALUES ($1, $2, $3)",
            &[&kind, &actor, &object],
        )
        .await?;
        Ok(())
    }

    /// `(received, distinct actors)` of activities of `kind` naming `object`.
    pub async fn received_counts(&self, kind: &str, object: &str) -> anyhow::Result<(u64, u64)> {
        let r = self
            .query_one(
                "SELECT COUNT(*), COUNT(DISTINCT actor) FROM received
                 WHERE kind = $1 AND object = $2",
                &[&kind, &object],
            )
            .await?;
        Ok((count(&r, 0)?, count(&r, 1)?))
    }

    /// Number of followers of `followed` (local and remote).
    pub async fn follower_count(&self, followed: &str) -> anyhow::Result<u64> {
        let r = self
            .query_one(
                "SELECT COUNT(*) FROM follows WHERE followed = $1",
                &[&followed],
            )
            .await?;
        Ok(count(&r, 0)?)
    }

    /// Number of local accounts following `followed`.
    pub async fn local_following_count(&self, followed: &str) -> anyhow::Result<u64> {
        let r = self
            .query_one(
                "SELECT COUNT(*) FROM follows WHERE followed = $1 AND local",
                &[&followed],
            )
            .await?;
        Ok(count(&r, 0)?)
    }

    /// Notifications written.
    pub async fn notification_count(&self) -> anyhow::Result<u64> {
        let r = self
            .query_one("SELECT COUNT(*) FROM notifications", &[])
            .await?;
        Ok(count(&r, 0)?)
    }

    /// Whether the delivery job `key` already ran.
    pub async fn delivered(&self, key: &str) -> Result<bool, StoreError> {
        Ok(self
            .query_opt("SELECT 1 FROM deliveries WHERE key = $1", &[&key])
            .await?
            .is_some())
    }

    /// Marks the delivery job `key` done.
    pub async fn mark_delivered(&self, key: &str, inbox: &str) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO deliveries (key, inbox) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&key, &inbox],
        )
        .await
        .map(|_| ())
    }

    /// Marks the plan of `migration_id` finished.
    pub async fn mark_plan_finished(&self, migration_id: &str) -> anyhow::Result<()> {
        self.execute(
            "UPDATE checkpoints SET finished = TRUE WHERE migration_id = $1",
            &[&migration_id],
        )
        .await?;
        Ok(())
    }

    /// Checkpoints of plans that have not finished.
    pub async fn unfinished_plans(&self) -> anyhow::Result<Vec<Checkpoint>> {
        let rows = self
            .query(
                "SELECT checkpoint FROM checkpoints WHERE NOT finished ORDER BY migration_id",
                &[],
            )
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push(serde_json::from_str(&r.try_get::<_, String>(0)?)?);
        }
        Ok(out)
    }

    /// When `account` last took part in a move (as origin or target).
    pub async fn last_move(&self, account: &str) -> Result<Option<SystemTime>, StoreError> {
        let r = self
            .query_one(
                "SELECT MAX(verified_at) FROM moves WHERE origin = $1 OR target = $1",
                &[&account],
            )
            .await?;
        let at: Option<i64> = r.try_get(0).map_err(corrupt)?;
        Ok(at.map(time))
    }

    /// Where `account` moved, per accepted moves.
    pub async fn local_moved_to(&self, account: &str) -> Result<Option<String>, StoreError> {
        self.query_opt(
            "SELECT target FROM moves WHERE origin = $1 ORDER BY verified_at DESC LIMIT 1",
            &[&account],
        )
        .await?
        .map(|r| r.try_get(0).map_err(corrupt))
        .transpose()
    }

    /// Audit events recorded, in order: `(migration, event, detail)`.
    pub async fn audit_events(&self) -> anyhow::Result<Vec<(String, String, String)>> {
        let rows = self
            .query(
                "SELECT migration_id, event, detail FROM audit ORDER BY seq",
                &[],
            )
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            out.push((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?));
        }
        Ok(out)
    }

    /// One page of the local followers of `q.followed`, with their relation to
    /// `q.relative_to`.
    pub async fn page(&self, q: &FollowerPageQuery) -> Result<Vec<LocalFollower>, StoreError> {
        let limit = i64::try_from(q.limit).unwrap_or(i64::MAX);
        let after = q.after.as_deref().unwrap_or("");
        let rows = self
            .query(
                "SELECT f.follower, f.settings,
                    EXISTS (SELECT 1 FROM blocks b WHERE b.blocker = f.follower AND b.blocked = $2),
                    EXISTS (SELECT 1 FROM blocks b WHERE b.blocker = $2 AND b.blocked = f.follower),
                    t.settings, t.state
                 FROM follows f
                 LEFT JOIN follows t ON t.follower = f.follower AND t.followed = $2
                 WHERE f.followed = $1 AND f.local AND f.follower > $3
                 ORDER BY f.follower LIMIT $4",
                &[&q.followed, &q.relative_to, &after, &limit],
            )
            .await?;
        let mut out = Vec::with_capacity(rows.len());
        for r in rows {
            let row = FollowerRow {
                id: r.try_get(0).map_err(corrupt)?,
                settings: r.try_get(1).map_err(corrupt)?,
                blocks_target: r.try_get(2).map_err(corrupt)?,
                blocked_by_target: r.try_get(3).map_err(corrupt)?,
                target_settings: r.try_get(4).map_err(corrupt)?,
                target_state: r.try_get(5).map_err(corrupt)?,
            };
            out.push(row.into_local_follower()?);
        }
        Ok(out)
    }

    /// Records a follow (idempotent; updates settings and state).
    pub async fn put_follow(
        &self,
        follower: &str,
        followed: &str,
        settings: &FollowSettings,
        state: FollowState,
    ) -> Result<(), StoreError> {
        let settings = settings_json(settings)?;
        let local = follower.starts_with(&self.local_prefix);
        self.execute(
            "INSERT INTO follows (follower, followed, local, state, settings)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (follower, followed) DO UPDATE SET state = excluded.state,
                 settings = excluded.settings",
            &[&follower, &followed, &local, &state_str(state), &settings],
        )
        .await
        .map(|_| ())
    }

    /// Removes a follow (missing is fine).
    pub async fn delete_follow(&self, follower: &str, followed: &str) -> Result<(), StoreError> {
        self.execute(
            "DELETE FROM follows WHERE follower = $1 AND followed = $2",
            &[&follower, &followed],
        )
        .await
        .map(|_| ())
    }

    /// The follow of `followed` by `follower`, if any.
    pub async fn get_follow(
        &self,
        follower: &str,
        followed: &str,
    ) -> Result<Option<FollowRecord>, StoreError> {
        let row = self
            .query_opt(
                "SELECT settings, state FROM follows WHERE follower = $1 AND followed = $2",
                &[&follower, &followed],
            )
            .await?;
        match row {
            None => Ok(None),
            Some(r) => {
                let settings: String = r.try_get(0).map_err(corrupt)?;
                let state: String = r.try_get(1).map_err(corrupt)?;
                follow_record(&settings, &state).map(Some)
            }
        }
    }

    /// Whether `blocker` blocks `blocked`.
    pub async fn blocks(&self, blocker: &str, blocked: &str) -> Result<bool, StoreError> {
        Ok(self
            .query_opt(
                "SELECT 1 FROM blocks WHERE blocker = $1 AND blocked = $2",
                &[&blocker, &blocked],
            )
            .await?
            .is_some())
    }

    /// Records a verified move once per `(origin, target)`.
    pub async fn put_move(&self, record: &MoveRecord) -> Result<Recorded, StoreError> {
        let inserted = self
            .execute(
                "INSERT INTO moves (origin, target, migration_id, activity_id, verified_at)
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (origin, target) DO NOTHING",
                &[
                    &record.origin,
                    &record.target,
                    &record.migration_id,
                    &record.activity_id,
                    &secs(record.verified_at),
                ],
            )
            .await?;
        if inserted == 1 {
            return Ok(Recorded::Inserted);
        }
        match self.get_move(&record.origin, &record.target).await? {
            Some(existing) => Ok(Recorded::AlreadySeen(existing)),
            None => Err(unavailable("move row vanished after a conflicting insert")),
        }
    }

    /// The stored move from `origin` to `target`.
    pub async fn get_move(
        &self,
        origin: &str,
        target: &str,
    ) -> Result<Option<MoveRecord>, StoreError> {
        let row = self
            .query_opt(
                "SELECT migration_id, activity_id, verified_at FROM moves
                 WHERE origin = $1 AND target = $2",
                &[&origin, &target],
            )
            .await?;
        match row {
            None => Ok(None),
            Some(r) => Ok(Some(MoveRecord {
                migration_id: r.try_get(0).map_err(corrupt)?,
                origin: origin.to_owned(),
                target: target.to_owned(),
                activity_id: r.try_get(1).map_err(corrupt)?,
                verified_at: time(r.try_get(2).map_err(corrupt)?),
            })),
        }
    }

    /// The end of the cooldown of `scope`.
    pub async fn get_cooldown(
        &self,
        scope: &CooldownScope,
    ) -> Result<Option<SystemTime>, StoreError> {
        let row = self
            .query_opt(
                "SELECT until FROM cooldowns WHERE scope = $1",
                &[&scope_key(scope)],
            )
            .await?;
        row.map(|r| r.try_get::<_, i64>(0).map(time).map_err(corrupt))
            .transpose()
    }

    /// Extends the cooldown of `scope` to `until` (never shortens it).
    pub async fn put_cooldown(
        &self,
        scope: &CooldownScope,
        until: SystemTime,
    ) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO cooldowns (scope, until) VALUES ($1, $2)
             ON CONFLICT (scope) DO UPDATE SET until = GREATEST(cooldowns.until, excluded.until)",
            &[&scope_key(scope), &secs(until)],
        )
        .await
        .map(|_| ())
    }

    /// Stores the plan's checkpoint (replacing the previous one).
    pub async fn put_checkpoint(
        &self,
        migration_id: &str,
        checkpoint: &Checkpoint,
    ) -> Result<(), StoreError> {
        self.upsert_json(
            "INSERT INTO checkpoints (migration_id, checkpoint) VALUES ($1, $2)
             ON CONFLICT (migration_id) DO UPDATE SET checkpoint = excluded.checkpoint",
            migration_id,
            &to_json(checkpoint)?,
        )
        .await
    }

    /// The stored checkpoint of a plan.
    pub async fn get_checkpoint(
        &self,
        migration_id: &str,
    ) -> Result<Option<Checkpoint>, StoreError> {
        self.json_by_key(
            "SELECT checkpoint FROM checkpoints WHERE migration_id = $1",
            migration_id,
        )
        .await
    }

    /// Appends an audit record.
    pub async fn put_audit(&self, record: &AuditRecord) -> Result<(), StoreError> {
        self.execute(
            "INSERT INTO audit (migration_id, at, event, subject, detail)
             VALUES ($1, $2, $3, $4, $5)",
            &[
                &record.migration_id,
                &secs(record.at),
                &record.event,
                &record.subject,
                &record.detail,
            ],
        )
        .await
        .map(|_| ())
    }

    /// Records the "your followee moved" notification of an action (once per action key).
    pub async fn put_notification(&self, action: &Action) -> Result<(), StoreError> {
        let key = action.key.to_string();
        let follower: &str = &action.follower_id;
        self.execute(
            "INSERT INTO notifications (key, follower) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &[&key, &follower],
        )
        .await
        .map(|_| ())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_from_messages() {
        assert_eq!(
            redact("postgres://u:secret@127.0.0.1:5432/db?sslmode=disable"),
            "postgres://u:***@127.0.0.1:5432/db?sslmode=disable"
        );
        assert_eq!(
            redact("postgres://u@127.0.0.1/db"),
            "postgres://u@127.0.0.1/db"
        );
        assert_eq!(redact("host=/tmp user=u"), "host=/tmp user=u");
    }

    #[test]
    fn only_plain_schema_names_are_quoted() {
        assert_eq!(
            quote_schema("fep7628_ab_old").unwrap(),
            "\"fep7628_ab_old\""
        );
        for bad in ["", "a\"b", "A", "a;drop", &"x".repeat(64)] {
            assert!(quote_schema(bad).is_err(), "{bad:?}");
        }
    }
}
