//! The serialisable state that resumes a plan after a crash.

use serde::{Deserialize, Serialize};

use super::{Action, MoveFacts, PlanReport};

/// Format version written by this crate.
pub const CHECKPOINT_VERSION: u32 = 1;

/// Most unconfirmed actions a checkpoint may carry when restored (a hostile or corrupt
/// checkpoint cannot make the plan allocate without bound).
pub const MAX_CHECKPOINT_ACTIONS: usize = 1 << 20;

/// An unconfirmed action and how often it was tried.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct InFlight {
    /// The action.
    pub action: Action,
    /// Failed attempts so far.
    pub attempts: u32,
}

/// Everything needed to resume a plan: the cursor of the follower stream plus the actions not
/// yet confirmed. Its size is bounded by [`PlanConfig::max_in_flight`](super::PlanConfig) and
/// the report's detail limit, never by the number of followers.
///
/// Resuming never repeats a confirmed action and never loses one: followers up to `cursor` are
/// fully planned and their unconfirmed actions are in `in_flight`; followers after it are fed
/// again by the store, which must yield the same stable order (strictly increasing follower id).
/// Actions that were handed out but not confirmed before the crash are handed out again, with
/// the same idempotency key.
///
/// **Write ahead.** Persist a checkpoint after feeding followers and before carrying out the
/// actions planned from them. Carrying out an `Undo(Follow)` removes the follower from the
/// origin's followers, so a store would not yield again a follower planned after the last saved
/// cursor; saved first, its actions are in `in_flight`. Saved so, the report's counts are exact
/// across crashes too (confirmations lost in a crash are redone once, from the checkpoint).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// [`CHECKPOINT_VERSION`] at the time of writing.
    pub version: u32,
    /// The move being carried out.
    pub facts: MoveFacts,
    /// Last follower id fully planned (`None`: none yet).
    pub cursor: Option<String>,
    /// The follower stream was exhausted.
    pub end_of_followers: bool,
    /// Unconfirmed actions, in key order.
    pub in_flight: Vec<InFlight>,
    /// The report so far.
    pub report: PlanReport,
}
