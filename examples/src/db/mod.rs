//! Storage for one server: accounts, follows, moves, cooldowns, plan checkpoints, audit, the
//! delivery job keys and notifications, and moderation (the typed audit log, the review queue,
//! revert checkpoints, imported objects). [`Db`] implements the `fep7628` plug-in traits
//! [`FollowStore`], [`MoveStore`] and [`Notifier`], and (in `review.rs`) `AuditStore`,
//! `ReviewStore`, `RevertStore` and `ImportStore`, over one of two backends with the same
//! tables ([`schema`]) and the same queries:
//!
//! - SQLite (the default): one file per server, nothing to install;
//! - PostgreSQL (`--database postgres://…`): one schema per server in the given database.
//!
//! [`Database`] is what the user asked for, [`RunStorage`] prepares and removes one run's
//! storage, and [`Location`] is where one server's data lives (what a restarted server
//! reopens).

mod codec;
mod postgres;
mod provision;
pub mod schema;
mod sqlite;
mod url;

use std::fmt;
use std::path::PathBuf;
use std::time::SystemTime;

use fep7628::plan::{Action, Checkpoint, FollowSettings, LocalFollower};
use fep7628::store::{
    AuditRecord, CooldownScope, FollowRecord, FollowState, FollowStore, FollowerPageQuery,
    MoveRecord, MoveStore, Notifier, Recorded, StoreError,
};

pub use provision::RunStorage;
pub use url::{Database, ParseDatabaseError};

use postgres::PgDb;
use sqlite::SqliteDb;

/// A remote actor's `(inbox, shared inbox)`.
pub type RemoteInboxes = (String, Option<String>);

/// Where one server's data lives.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// An SQLite database file.
    SqliteFile(PathBuf),
    /// A schema in a PostgreSQL database.
    PostgresSchema {
        /// The server's URL (`postgres://…`).
        url: String,
        /// The schema holding this server's tables.
        schema: String,
    },
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::SqliteFile(path) => write!(f, "SQLite {}", path.display()),
            Location::PostgresSchema { schema, .. } => write!(f, "PostgreSQL schema {schema}"),
        }
    }
}

/// One server's database.
#[derive(Debug)]
pub struct Db {
    backend: Backend,
}

#[derive(Debug)]
enum Backend {
    Sqlite(SqliteDb),
    Postgres(PgDb),
}

/// Calls the same method on either backend (SQLite's is synchronous, PostgreSQL's async).
macro_rules! dispatch {
    ($self:ident . $method:ident ( $($arg:expr),* $(,)? )) => {
        match &$self.backend {
            $crate::db::Backend::Sqlite(db) => db.$method($($arg),*),
            $crate::db::Backend::Postgres(db) => db.$method($($arg),*).await,
        }
    };
}

mod review;

impl Db {
    /// Opens (or creates) the server's tables at `location`. `base_url` is the server's
    /// `http://127.0.0.1:port`: followers whose ids start with `{base_url}/users/` are local.
    pub async fn open(location: &Location, base_url: &str) -> anyhow::Result<Db> {
        let backend = match location {
            Location::SqliteFile(path) => Backend::Sqlite(SqliteDb::open(path, base_url)?),
            Location::PostgresSchema { url, schema } => {
                Backend::Postgres(PgDb::open(url, schema, base_url).await?)
            }
        };
        Ok(Db { backend })
    }

    /// `SQLite` or `PostgreSQL`.
    pub fn engine(&self) -> &'static str {
        match self.backend {
            Backend::Sqlite(_) => "SQLite",
            Backend::Postgres(_) => "PostgreSQL",
        }
    }

    /// Creates a local account (idempotent).
    pub async fn create_account(&self, username: &str) -> anyhow::Result<()> {
        dispatch!(self.create_account(username))
    }

    /// `(alsoKnownAs, movedTo)` of a local account, or `None` if there is no such account.
    pub async fn account(
        &self,
        username: &str,
    ) -> anyhow::Result<Option<(Vec<String>, Option<String>)>> {
        dispatch!(self.account(username))
    }

    /// Sets `alsoKnownAs` of a local account.
    pub async fn set_aliases(&self, username: &str, aliases: &[String]) -> anyhow::Result<()> {
        dispatch!(self.set_aliases(username, aliases))
    }

    /// Sets `movedTo` of a local account.
    pub async fn set_moved_to(&self, username: &str, target: &str) -> anyhow::Result<()> {
        dispatch!(self.set_moved_to(username, target))
    }

    /// `attachment` of a local account (profile fields, FEP-c390 identity statements).
    pub async fn attachment(&self, username: &str) -> anyhow::Result<Vec<serde_json::Value>> {
        dispatch!(self.attachment(username))
    }

    /// Sets `attachment` of a local account.
    pub async fn set_attachment(
        &self,
        username: &str,
        items: &[serde_json::Value],
    ) -> anyhow::Result<()> {
        dispatch!(self.set_attachment(username, items))
    }

    /// Keeps a copy of a remote actor's document as fetched (the fallback when its server is
    /// offline).
    pub async fn store_actor_document(&self, id: &str, doc: &[u8]) -> anyhow::Result<()> {
        dispatch!(self.store_actor_document(id, doc))
    }

    /// The stored copy of a remote actor's document.
    pub async fn actor_document(&self, id: &str) -> anyhow::Result<Option<Vec<u8>>> {
        dispatch!(self.actor_document(id))
    }

    /// Remembers where a remote actor receives activities.
    pub async fn upsert_remote_actor(
        &self,
        id: &str,
        inbox: &str,
        shared_inbox: Option<&str>,
    ) -> anyhow::Result<()> {
        dispatch!(self.upsert_remote_actor(id, inbox, shared_inbox))
    }

    /// Every follower of `followed` with its `(inbox, shared inbox)` when remote.
    pub async fn followers_with_inboxes(
        &self,
        followed: &str,
    ) -> anyhow::Result<Vec<(String, Option<RemoteInboxes>)>> {
        dispatch!(self.followers_with_inboxes(followed))
    }

    /// Records an incoming activity (to count deliveries, duplicates included).
    pub async fn record_received(
        &self,
        kind: &str,
        actor: &str,
        object: &str,
    ) -> anyhow::Result<()> {
        dispatch!(self.record_received(kind, actor, object))
    }

    /// `(received, distinct actors)` of activities of `kind` naming `object`.
    pub async fn received_counts(&self, kind: &str, object: &str) -> anyhow::Result<(u64, u64)> {
        dispatch!(self.received_counts(kind, object))
    }

    /// Number of followers of `followed` (local and remote).
    pub async fn follower_count(&self, followed: &str) -> anyhow::Result<u64> {
        dispatch!(self.follower_count(followed))
    }

    /// Number of local accounts following `followed`.
    pub async fn local_following_count(&self, followed: &str) -> anyhow::Result<u64> {
        dispatch!(self.local_following_count(followed))
    }

    /// Notifications written.
    pub async fn notification_count(&self) -> anyhow::Result<u64> {
        dispatch!(self.notification_count())
    }

    /// Whether the delivery job `key` already ran (the job queue's unique key).
    pub async fn delivered(&self, key: &str) -> Result<bool, StoreError> {
        dispatch!(self.delivered(key))
    }

    /// Marks the delivery job `key` done (idempotent).
    pub async fn mark_delivered(&self, key: &str, inbox: &str) -> Result<(), StoreError> {
        dispatch!(self.mark_delivered(key, inbox))
    }

    /// Marks the plan of `migration_id` finished.
    pub async fn mark_plan_finished(&self, migration_id: &str) -> anyhow::Result<()> {
        dispatch!(self.mark_plan_finished(migration_id))
    }

    /// Checkpoints of plans that have not finished (to resume after a restart).
    pub async fn unfinished_plans(&self) -> anyhow::Result<Vec<Checkpoint>> {
        dispatch!(self.unfinished_plans())
    }

    /// When `account` last took part in a move (as origin or target).
    pub async fn last_move(&self, account: &str) -> Result<Option<SystemTime>, StoreError> {
        dispatch!(self.last_move(account))
    }

    /// Where `account` moved, per accepted moves.
    pub async fn local_moved_to(&self, account: &str) -> Result<Option<String>, StoreError> {
        dispatch!(self.local_moved_to(account))
    }

    /// Audit events recorded, in order: `(migration, event, detail)`.
    pub async fn audit_events(&self) -> anyhow::Result<Vec<(String, String, String)>> {
        dispatch!(self.audit_events())
    }

    /// Records a follow (idempotent: one row per `(follower, followed)`; a repeat updates
    /// settings and state).
    pub async fn put_follow(
        &self,
        follower: &str,
        followed: &str,
        settings: &FollowSettings,
        state: FollowState,
    ) -> Result<(), StoreError> {
        dispatch!(self.put_follow(follower, followed, settings, state))
    }

    /// Removes a follow (missing is fine).
    pub async fn delete_follow(&self, follower: &str, followed: &str) -> Result<(), StoreError> {
        dispatch!(self.delete_follow(follower, followed))
    }
}

impl FollowStore for Db {
    async fn followers_page(
        &self,
        query: &FollowerPageQuery,
    ) -> Result<Vec<LocalFollower>, StoreError> {
        dispatch!(self.page(query))
    }

    async fn record_follow(
        &self,
        follower: &str,
        followed: &str,
        settings: &FollowSettings,
        state: FollowState,
    ) -> Result<(), StoreError> {
        dispatch!(self.put_follow(follower, followed, settings, state))
    }

    async fn remove_follow(&self, follower: &str, followed: &str) -> Result<(), StoreError> {
        dispatch!(self.delete_follow(follower, followed))
    }

    async fn follow(
        &self,
        follower: &str,
        followed: &str,
    ) -> Result<Option<FollowRecord>, StoreError> {
        dispatch!(self.get_follow(follower, followed))
    }

    async fn blocks(&self, blocker: &str, blocked: &str) -> Result<bool, StoreError> {
        dispatch!(self.blocks(blocker, blocked))
    }
}

impl MoveStore for Db {
    async fn record_move(&self, record: &MoveRecord) -> Result<Recorded, StoreError> {
        dispatch!(self.put_move(record))
    }

    async fn move_seen(
        &self,
        origin: &str,
        target: &str,
    ) -> Result<Option<MoveRecord>, StoreError> {
        dispatch!(self.get_move(origin, target))
    }

    async fn cooldown_until(
        &self,
        scope: &CooldownScope,
    ) -> Result<Option<SystemTime>, StoreError> {
        dispatch!(self.get_cooldown(scope))
    }

    async fn set_cooldown(
        &self,
        scope: &CooldownScope,
        until: SystemTime,
    ) -> Result<(), StoreError> {
        dispatch!(self.put_cooldown(scope, until))
    }

    async fn save_checkpoint(
        &self,
        migration_id: &str,
        checkpoint: &Checkpoint,
    ) -> Result<(), StoreError> {
        dispatch!(self.put_checkpoint(migration_id, checkpoint))
    }

    async fn load_checkpoint(&self, migration_id: &str) -> Result<Option<Checkpoint>, StoreError> {
        dispatch!(self.get_checkpoint(migration_id))
    }

    async fn append_audit(&self, record: &AuditRecord) -> Result<(), StoreError> {
        dispatch!(self.put_audit(record))
    }
}

impl Notifier for Db {
    async fn notify_moved(&self, action: &Action) -> Result<(), StoreError> {
        dispatch!(self.put_notification(action))
    }
}
