//! Plug-in traits: how the protocol core reaches a server's storage, network and clock.
//!
//! The core ([`crate::plan`], and the inbound pipeline) is sans-IO; these traits are what the
//! async [`crate::driver`] calls. Each method returns `impl Future<Output = …> + Send`, so an
//! implementation may be `async fn` and the driver's futures can run on a multi-threaded
//! runtime. No trait names a runtime. Reference implementations live in [`crate::memory`].
//!
//! | trait | a server backs it with |
//! |---|---|
//! | [`Fetcher`] | its HTTP client (signed GETs, redirects followed, size limits) |
//! | [`FollowStore`] | its follows / blocks tables |
//! | [`MoveStore`] | a moves table, cooldown rows, a checkpoint blob per migration, an audit log |
//! | [`Deliverer`] | its outgoing delivery job queue (signing happens there) |
//! | [`Notifier`] | its notifications table |
//! | [`Clock`] | the system clock and its runtime's timer |
//! | [`AuditStore`] | an append-only audit table queryable by migration and origin host |
//! | [`ReviewStore`] | a review-queue table (pending → approved / rejected) |
//! | [`RevertStore`] | a revert checkpoint blob per migration |
//! | [`ImportStore`] | its posts / media tables (removing imported content) |

mod error;
mod records;
mod review;

use std::future::Future;
use std::time::SystemTime;

pub use error::{FetchError, StoreError, StoreErrorKind};
pub use records::{
    AuditRecord, CooldownScope, DeliveryOutcome, Fetched, FollowRecord, FollowState,
    FollowerPageQuery, MoveRecord, Recorded,
};
pub use review::{AuditStore, ImportStore, Resolved, RevertStore, ReviewStore, Sequenced};

use crate::plan::{Action, Batch, Checkpoint, FollowSettings, LocalFollower};

/// Documents by URL (actors, activities, WebFinger).
pub trait Fetcher {
    /// GETs `url` (`Accept: application/activity+json` for ActivityPub objects) and returns the
    /// body, the URL after redirects and the status. A status other than 2xx is a response, not
    /// an error; transport problems are [`FetchError`]s.
    fn fetch(&self, url: &str) -> impl Future<Output = Result<Fetched, FetchError>> + Send;
}

/// Follows and blocks of local accounts.
pub trait FollowStore {
    /// Local followers of `query.followed`, with their relation to `query.relative_to`, in
    /// strictly increasing follower id, starting after `query.after`, at most `query.limit`.
    /// The order must be stable across calls and restarts (see
    /// [the plan's ordering contract](crate::plan#ordering-contract-with-the-store)).
    fn followers_page(
        &self,
        query: &FollowerPageQuery,
    ) -> impl Future<Output = Result<Vec<LocalFollower>, StoreError>> + Send;

    /// Records (or updates) the follow `follower → followed`. Idempotent.
    fn record_follow(
        &self,
        follower: &str,
        followed: &str,
        settings: &FollowSettings,
        state: FollowState,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Removes the follow `follower → followed`. Removing a missing follow is not an error.
    fn remove_follow(
        &self,
        follower: &str,
        followed: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The follow `follower → followed`, if any.
    fn follow(
        &self,
        follower: &str,
        followed: &str,
    ) -> impl Future<Output = Result<Option<FollowRecord>, StoreError>> + Send;

    /// Whether `blocker` blocks `blocked` (account or domain block).
    fn blocks(
        &self,
        blocker: &str,
        blocked: &str,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send;
}

/// Moves seen, cooldowns, plan checkpoints and the audit trail.
pub trait MoveStore {
    /// Stores a verified move keyed by (origin, target) — not by the Move's `id`, which
    /// retries may change (E11). Returns the existing record if the pair was already seen.
    fn record_move(
        &self,
        record: &MoveRecord,
    ) -> impl Future<Output = Result<Recorded, StoreError>> + Send;

    /// The move (origin, target), if seen.
    fn move_seen(
        &self,
        origin: &str,
        target: &str,
    ) -> impl Future<Output = Result<Option<MoveRecord>, StoreError>> + Send;

    /// The end of the cooldown for `scope`, if one is set.
    fn cooldown_until(
        &self,
        scope: &CooldownScope,
    ) -> impl Future<Output = Result<Option<SystemTime>, StoreError>> + Send;

    /// Sets (or extends) the cooldown of `scope` until `until`.
    fn set_cooldown(
        &self,
        scope: &CooldownScope,
        until: SystemTime,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Persists the plan checkpoint of `migration_id`, replacing the previous one.
    fn save_checkpoint(
        &self,
        migration_id: &str,
        checkpoint: &Checkpoint,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// The last checkpoint of `migration_id`.
    fn load_checkpoint(
        &self,
        migration_id: &str,
    ) -> impl Future<Output = Result<Option<Checkpoint>, StoreError>> + Send;

    /// Appends an audit record (never rewritten).
    fn append_audit(
        &self,
        record: &AuditRecord,
    ) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// Sends outgoing activities, typically by enqueueing jobs in the server's delivery queue,
/// which signs them with the follower's key.
pub trait Deliverer {
    /// Delivers every action of `batch` (all for `batch.destination`, which is an inbox) and
    /// reports one outcome per action, in any order. An action without an outcome counts as a
    /// transient failure. Implementations should use [`Action::key`] as the job's unique key, so
    /// a re-sent action after a crash is dropped as a duplicate.
    fn deliver(
        &self,
        batch: &Batch,
    ) -> impl Future<Output = Vec<(crate::plan::ActionKey, DeliveryOutcome)>> + Send;
}

/// Writes "your contact moved" notifications.
pub trait Notifier {
    /// Notifies `action.follower_id` (the action is a [`Notify`](crate::plan::ActionKind)).
    /// Idempotent by `action.key`.
    fn notify_moved(&self, action: &Action) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// Time, as the driver sees it: the core only ever gets `now` as an argument.
pub trait Clock {
    /// The current time.
    fn now(&self) -> SystemTime;
    /// Completes at or after `deadline`.
    fn sleep_until(&self, deadline: SystemTime) -> impl Future<Output = ()> + Send;
}
