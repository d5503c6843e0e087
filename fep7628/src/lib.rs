#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// The crate's one error type.
pub mod error;
// Adapters from the sibling crates (activitystreams-move, http-signatures, identity-links).
pub mod adapt;
// Inbound: the receiver's verification pipeline (sans-IO) and what it decides.
pub mod inbound;
// Outbound: building Moves and actor updates, preflight checks, delivery lists.
pub mod outbound;
// Moderation hooks consulted at every decision point, and the audit stream.
pub mod moderation;
pub mod policy;
// The re-follow plan: streaming, resumable, batched, idempotent actions.
pub mod plan;
// Importing a follower list kept by the person (pull mode).
pub mod follower_list;
// Plug-in traits for storage and transport, in-memory reference implementations, async driver.
pub mod driver;
pub mod memory;
pub mod store;
// Calendar arithmetic shared by the date readers and writers.
mod civil;
// Content import with provenance and screening: Mastodon archives and outboxes (issue 8).
#[cfg(feature = "archive")]
pub mod archive;
// Review queue, typed audit trail, queries and revert of a migration.
pub mod review;
// Shared signals: FIRES change records from moderation decisions, signed batches.
pub mod signals;

pub use error::Error;
pub use inbound::{Decision, InboundMove, MoveCheck, Rejection, Step, VerifiedMove};
pub use policy::{AuditEvent, MigrationId, MigrationPolicy};
