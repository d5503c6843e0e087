//! Shared signals in the FIRES data model: export what this server decided about migrations
//! and arriving accounts as append-only change records, sign each batch, verify and apply the
//! batches of servers you trust.
//!
//! Source of the data model: FediMod/fires, commit `0393f4860bc502ee3cd0d7ae187007f291a94ad5`
//! (2025-02-26), `docs/concepts/changes.md`, `docs/concepts/changes/*.md`,
//! `docs/concepts/entities.md`, `docs/concepts/federation-management.md`,
//! `docs/concepts/filters.md`, `docs/concepts/labels.md`. Those docs give field names and
//! values in prose but no JSON example of a change record, no JSON-LD context and no HTTP API
//! (`docs/reference/protocol/index.md` "is still being written"); every choice made where they
//! are silent is stated in the module that makes it ([`record`], [`batch`], [`export`]).
//!
//! The flow:
//! 1. [`export_events`] turns [`crate::policy::AuditEvent`]s into records in a [`ChangeLog`]
//!    (append-only; a later decision supersedes with a new record);
//! 2. [`ChangeBatch::from_log`] takes the records after a consumer's cursor and
//!    [`ChangeBatch::sign`] adds a FEP-8b32 `eddsa-jcs-2022` proof with the server's key;
//! 3. the consumer checks the batch with [`verify_batch`] against [`TrustedExporters`] and
//!    applies it to its [`LocalView`], which refuses replays, overlaps and gaps.
//!
//! Everything is sans-IO: the time and the randomness of change ids come in as arguments.

mod audit_json;
pub mod batch;
mod change_id;
mod change_log;
mod consumer;
mod entity;
mod error;
pub mod export;
mod json;
pub mod record;
mod time;
mod verify;

pub use audit_json::{audit_event_to_json, parse_audit_jsonl};
pub use batch::{BATCH_TYPE, ChangeBatch, MAX_BATCH_RECORDS};
pub use change_id::{ChangeId, ChangeIdGenerator};
pub use change_log::ChangeLog;
pub use consumer::{EntityState, LocalView};
pub use entity::{Entity, EntityKind, MAX_ENTITY_KEY};
pub use error::SignalsError;
pub use export::{ExportConfig, Signal, export_events, signals_for};
pub use record::{Change, ChangeRecord, ChangeType, Guidance, RecommendedPolicy};
pub use time::Timestamp;
pub use verify::{TrustedExporters, VerifiedBatch, verify_batch};
