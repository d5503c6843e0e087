//! The re-follow plan: what a follower's server does after it accepted a Move
//! (spec/move.md §1.8 #41, E10, E13, E14, E18).
//!
//! For every **local** follower of the origin, in a stream ordered by follower id:
//!
//! * `Follow` the target with the follower's settings copied (boosts, notify, languages); a
//!   locked remote target turns it into a follow request, listed in the report as pending (E13);
//!   a local target is a local write that bypasses the lock;
//! * `Undo(Follow)` of the origin **only after** the new follow was delivered (Mastodon
//!   PR #21957), so a failed follow never leaves the follower with nothing; unfollowing the old
//!   account is what stops it from re-Moving followers to someone else (E10);
//! * skip the target itself, and followers who block the target or are blocked by it (E7);
//!   a follower who already follows the target gets its settings updated, no second follow (E14);
//! * a `Notify` action per follower (FEP-7628: follow the target *or* notify the user; we notify
//!   everyone not skipped as self).
//!
//! Every [`Action`] is a plain serialisable job with an [`ActionKey`] derived from
//! (migration id, follower id, action kind) only, so it is the same after a restart. Actions are
//! handed out in [`Batch`]es grouped by destination inbox. A [`Checkpoint`] (cursor + the
//! unconfirmed actions) resumes the plan after a crash; its size is bounded by
//! [`PlanConfig::max_in_flight`], not by the number of followers. One follower's failure is
//! recorded in the [`PlanReport`] and never stops the others (E18).
//!
//! # Ordering contract with the store
//!
//! The follower stream must be **strictly increasing by follower id** (byte order, as Rust's
//! `str` ordering) and **stable across restarts**: `WHERE follower_id > :cursor ORDER BY
//! follower_id LIMIT :max` in SQL terms. [`RefollowPlan::feed`] refuses anything else with
//! [`PlanError::OutOfOrder`].
//!
//! Persist the [`Checkpoint`] **after feeding and before carrying out** what was planned from
//! those followers (write-ahead): a carried-out `Undo(Follow)` removes the follower from the
//! origin's followers, so the store would not yield it again after a crash. Actions handed out
//! but not confirmed before a crash are handed out again with the same key (at-least-once); a
//! job queue that refuses duplicate keys makes the effect exactly-once.
//!
//! # The drain loop
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use fep7628::plan::{ActorRef, LocalFollower, MoveFacts, PlanConfig, RefollowPlan, Step};
//!
//! let facts = MoveFacts {
//!     migration_id: "https://old.example/users/alice#moves/1".into(),
//!     origin: ActorRef::new("https://old.example/users/alice", "https://old.example/users/alice/inbox")
//!         .with_shared_inbox("https://old.example/inbox"),
//!     target: ActorRef::new("https://new.example/users/alice", "https://new.example/users/alice/inbox")
//!         .with_shared_inbox("https://new.example/inbox"),
//!     target_locked: false,
//!     target_is_local: false,
//! };
//! // Stands in for `SELECT … WHERE followed = origin AND follower > ? ORDER BY follower LIMIT ?`.
//! let followers: Vec<String> = (0..5).map(|i| format!("https://here.example/users/u{i}")).collect();
//!
//! let mut plan = RefollowPlan::new(facts, PlanConfig::default())?;
//! let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
//! let mut sent = Vec::new();
//! loop {
//!     match plan.poll(now) {
//!         Step::NeedFollowers { after, max } => {
//!             let page: Vec<_> = followers
//!                 .iter()
//!                 .filter(|id| after.as_ref().is_none_or(|a| id.as_str() > a.as_str()))
//!                 .take(max)
//!                 .collect();
//!             if page.is_empty() {
//!                 plan.end_of_followers();
//!             }
//!             for id in page {
//!                 plan.feed(LocalFollower::new(id.clone()))?;
//!             }
//!         }
//!         Step::Deliver(batch) => {
//!             for action in batch.actions {
//!                 // Sign and POST `action.activity_json(..)` to the batch's inbox, or write locally.
//!                 sent.push((action.kind(), action.follower_id.clone()));
//!                 plan.handle_delivered(&action.key)?;
//!             }
//!         }
//!         Step::Wait { .. } => unreachable!("everything is confirmed at once in this example"),
//!         Step::Finished => break,
//!     }
//! }
//! let counts = &plan.report().counts;
//! assert_eq!((counts.follows_sent, counts.undos_sent, counts.notifications_sent), (5, 5, 5));
//! # Ok::<(), fep7628::plan::PlanError>(())
//! ```
//!
//! # Using your own job queue instead of the driver
//!
//! A server that already has a durable job queue (Sidekiq, Oban, a `jobs` table) does not need
//! [`crate::driver`]: enqueue each action as a job keyed by its idempotency key (a second enqueue
//! of the same key is a no-op), store the checkpoint in the same transaction, and let the job's
//! completion call back into the plan.
//!
//! ```
//! use std::collections::BTreeMap;
//! use std::time::SystemTime;
//! use fep7628::plan::{ActionKey, ActorRef, Checkpoint, LocalFollower, MoveFacts, PlanConfig,
//!     RefollowPlan, Step};
//!
//! /// A durable queue with unique job keys, as most job systems offer.
//! #[derive(Default)]
//! struct JobQueue { jobs: BTreeMap<String, String> }
//!
//! let facts = MoveFacts {
//!     migration_id: "move-42".into(),
//!     origin: ActorRef::new("https://old.example/a", "https://old.example/a/inbox"),
//!     target: ActorRef::new("https://new.example/a", "https://new.example/a/inbox"),
//!     target_locked: true,
//!     target_is_local: false,
//! };
//! let mut queue = JobQueue::default();
//! let mut plan = RefollowPlan::new(facts, PlanConfig::default())?;
//! let now = SystemTime::UNIX_EPOCH;
//!
//! // Transaction 1: plan a page and enqueue what the plan hands out.
//! assert!(matches!(plan.poll(now), Step::NeedFollowers { .. }));
//! plan.feed(LocalFollower::new("https://here.example/users/bob"))?;
//! plan.end_of_followers();
//! while let Step::Deliver(batch) = plan.poll(now) {
//!     for action in batch.actions {
//!         let job = serde_json::to_string(&action).unwrap();
//!         queue.jobs.entry(action.key.to_string()).or_insert(job);
//!     }
//! }
//! let saved: String = serde_json::to_string(&plan.checkpoint()).unwrap();
//!
//! // Later, in a worker (maybe another process): resume the plan. Unconfirmed actions are
//! // handed out again with the same keys; the queue ignores the duplicates.
//! let mut plan = RefollowPlan::restore(serde_json::from_str::<Checkpoint>(&saved).unwrap(),
//!     PlanConfig::default())?;
//! while let Step::Deliver(batch) = plan.poll(now) {
//!     for action in batch.actions {
//!         queue.jobs.entry(action.key.to_string()).or_default();
//!     }
//! }
//! assert_eq!(queue.jobs.len(), 2); // the follow request and the notification, once each
//! // The jobs ran; each completion confirms its key.
//! let done: Vec<String> = queue.jobs.keys().cloned().collect();
//! for key in done {
//!     plan.handle_delivered(&key.parse::<ActionKey>()?)?;
//! }
//! // The follow request went out, so the undo of the old follow is released now.
//! let Step::Deliver(batch) = plan.poll(now) else { panic!() };
//! assert_eq!(batch.actions[0].kind(), fep7628::plan::ActionKind::UndoFollow);
//! assert_eq!(plan.report().pending_requests, ["https://here.example/users/bob"]);
//! # Ok::<(), fep7628::plan::PlanError>(())
//! ```

mod action;
mod checkpoint;
mod config;
mod error;
mod facts;
pub mod incoming;
mod machine;
mod report;
mod shared;

pub use action::{Action, ActionBody, ActionKey, ActionKind, Batch, Destination};
pub use checkpoint::{CHECKPOINT_VERSION, Checkpoint, InFlight, MAX_CHECKPOINT_ACTIONS};
pub use config::{PlanConfig, RetryPolicy, UnfollowOrigin};
pub use error::PlanError;
pub use facts::{
    ActorRef, ExistingFollow, FollowSettings, LocalFollower, MAX_ID_LEN, MAX_LANGUAGES, MoveFacts,
};
pub use machine::{Disposition, RefollowPlan, Retry, Step};
pub use report::{Failure, PlanCounts, PlanReport};
