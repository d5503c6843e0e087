//! The inputs of a re-follow plan: the verified move and the local followers of its origin.

use serde::{Deserialize, Serialize};

use super::PlanError;

/// Longest actor id, inbox URL or migration id the plan accepts (bytes).
///
/// Real ids are well under 300 bytes; the limit keeps a hostile store row from inflating a
/// checkpoint.
pub const MAX_ID_LEN: usize = 2048;

/// Most `languages` entries copied from one follow (Mastodon stores a short list of ISO codes).
pub const MAX_LANGUAGES: usize = 64;

/// An actor as the plan needs it: its id and where activities for it are delivered.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct ActorRef {
    /// The actor's `id` (canonical IRI).
    pub id: String,
    /// The actor's personal `inbox`.
    pub inbox: String,
    /// `endpoints.sharedInbox`, when the actor's server publishes one.
    pub shared_inbox: Option<String>,
}

impl ActorRef {
    /// An actor without a shared inbox.
    pub fn new(id: impl Into<String>, inbox: impl Into<String>) -> Self {
        ActorRef {
            id: id.into(),
            inbox: inbox.into(),
            shared_inbox: None,
        }
    }

    /// The same actor with a shared inbox.
    pub fn with_shared_inbox(mut self, shared_inbox: impl Into<String>) -> Self {
        self.shared_inbox = Some(shared_inbox.into());
        self
    }

    /// Where deliveries go: the shared inbox when there is one, else the personal inbox.
    pub fn delivery_inbox(&self) -> &str {
        self.shared_inbox.as_deref().unwrap_or(&self.inbox)
    }

    fn check(&self, field: &'static str) -> Result<(), PlanError> {
        let too_long = |s: &str| s.is_empty() || s.len() > MAX_ID_LEN;
        if too_long(&self.id)
            || too_long(&self.inbox)
            || self.shared_inbox.as_deref().is_some_and(too_long)
        {
            return Err(PlanError::InvalidFacts { field });
        }
        Ok(())
    }
}

/// What the plan needs to know about a verified Move.
///
/// Built today by hand (or from a stored move record); at integration time a
/// `From<&inbound::VerifiedMove>` conversion will build it from the verifier's output, so a
/// server cannot start a plan from an unverified Move by mistake (see `NOTES-plan.md`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoveFacts {
    /// Stable id of this migration (for example the Move's `id`, or the server's own row id).
    /// Idempotency keys derive from it, so it must not change across restarts.
    pub migration_id: String,
    /// The old primary actor (`object` of the Move).
    pub origin: ActorRef,
    /// The new primary actor (`target` of the Move).
    pub target: ActorRef,
    /// `manuallyApprovesFollowers` of the target: follows become requests (E13).
    pub target_locked: bool,
    /// The target lives on this server: the follow is a local write and bypasses the lock
    /// (Mastodon `bypass_locked = @target_account.local?`, spec/move.md §1.8 #41).
    pub target_is_local: bool,
}

impl MoveFacts {
    /// Checks lengths and that origin and target differ (E6).
    pub fn validate(&self) -> Result<(), PlanError> {
        if self.migration_id.is_empty() || self.migration_id.len() > MAX_ID_LEN {
            return Err(PlanError::InvalidFacts {
                field: "migration_id",
            });
        }
        self.origin.check("origin")?;
        self.target.check("target")?;
        if self.origin.id == self.target.id {
            return Err(PlanError::InvalidFacts { field: "target" });
        }
        Ok(())
    }
}

/// Per-follow options copied from the old follow to the new one (Mastodon
/// `FollowMigrationService`: reblogs, notify, languages; GoToSocial `Reblogs`/`Notify`).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FollowSettings {
    /// Show the followed account's boosts (Mastodon `reblogs`, "Show boosts").
    pub show_reblogs: bool,
    /// Notify on new posts (Mastodon `notify`).
    pub notify: bool,
    /// Only show posts in these languages; `None` = all.
    pub languages: Option<Vec<String>>,
}

impl Default for FollowSettings {
    /// Mastodon's defaults: boosts shown, no notifications, all languages.
    fn default() -> Self {
        FollowSettings {
            show_reblogs: true,
            notify: false,
            languages: None,
        }
    }
}

/// A follow that already exists from the follower to the target (E14).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExistingFollow {
    /// The settings of the existing follow.
    pub settings: FollowSettings,
    /// The existing follow is a request not yet accepted.
    pub pending: bool,
}

/// One local follower of the origin, with its relation to the target.
///
/// The caller's [`FollowStore`](crate::store::FollowStore) fills the relation fields (typically
/// with joins), so the plan never has to look anything up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LocalFollower {
    /// The follower's actor id. Followers must be fed in strictly increasing byte order of this id.
    pub follower_id: String,
    /// The settings of the follow of the origin.
    pub settings: FollowSettings,
    /// The follower blocks the target.
    pub blocks_target: bool,
    /// The target blocks the follower (or its domain).
    pub blocked_by_target: bool,
    /// The follower already follows (or requested to follow) the target.
    pub follows_target: Option<ExistingFollow>,
}

impl LocalFollower {
    /// A follower with default settings and no relation to the target.
    pub fn new(follower_id: impl Into<String>) -> Self {
        LocalFollower {
            follower_id: follower_id.into(),
            settings: FollowSettings::default(),
            blocks_target: false,
            blocked_by_target: false,
            follows_target: None,
        }
    }

    /// The same follower with these follow settings.
    pub fn with_settings(mut self, settings: FollowSettings) -> Self {
        self.settings = settings;
        self
    }
}
