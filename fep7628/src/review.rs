//! Review queue, audit trail and revert: what moderators use to see, decide on and undo what
//! a migration brought (issue 8, part 2; DESIGN §3.4 "Moderation hooks").
//!
//! * **Review queue.** Every [`Verdict::Hold`](crate::policy::Verdict) becomes a
//!   [`ReviewItem`] with its [`ReviewEvidence`]: the policy reasons, the documents (URL and
//!   SHA-256 of the bytes fetched), the persona links between the accounts and how each was
//!   verified (aliases on one or both sides, FEP-c390, FEP-8b32, HTTP signature). Items go
//!   pending → approved / rejected once ([`approve`], [`reject`], compare-and-set in the
//!   [`ReviewStore`](crate::store::ReviewStore)); approving a held Move yields
//!   [`NextStep::RunPlan`].
//! * **Audit.** Every decision ([`AuditEntry::from_event`]) and every executed action
//!   ([`run_plan_audited`](crate::driver::run_plan_audited), [`AuditEntry::object_imported`],
//!   the revert) is a typed [`AuditEntry`] tagged with its migration id, origin host, target,
//!   follower and time, stored by an [`AuditStore`](crate::store::AuditStore).
//! * **Queries.** [`what_migration_brought`] and [`from_origin_since`] (exact host match).
//! * **Revert.** [`RevertPlan`] (sans-IO, streaming, resumable, idempotency key per action)
//!   undoes a migration from its audit entries; [`run_revert`] runs it over the stores.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use fep7628::driver::{run_plan_audited, DriverOptions, RunOutcome, Services};
//! use fep7628::memory::{MemoryAuditStore, MemoryFollowStore, MemoryImportStore,
//!     MemoryMoveStore, RecordingDeliverer, RecordingNotifier, SimulatedClock};
//! use fep7628::plan::{ActorRef, FollowSettings, MoveFacts, PlanConfig};
//! use fep7628::review::{run_revert, what_migration_brought, RevertConfig, RevertFacts,
//!     RevertOutcome, RevertServices};
//! use fep7628::store::FollowState;
//!
//! let follows = MemoryFollowStore::new();
//! follows.add_local("https://here.example/users/bob");
//! follows.add_follow("https://here.example/users/bob", "https://old.example/a",
//!     FollowSettings::default(), FollowState::Accepted);
//! let before = follows.followers_of("https://old.example/a");
//! let (moves, audit, imports) = (MemoryMoveStore::new(), MemoryAuditStore::new(),
//!     MemoryImportStore::new());
//! let (deliverer, notifier) = (RecordingDeliverer::new(), RecordingNotifier::new());
//! let clock = SimulatedClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
//! let services = Services { follows: &follows, moves: &moves, deliverer: &deliverer,
//!     notifier: &notifier, clock: &clock };
//! let origin = ActorRef::new("https://old.example/a", "https://old.example/a/inbox");
//! let target = ActorRef::new("https://new.example/a", "https://new.example/a/inbox");
//! let facts = MoveFacts { migration_id: "mig-1".into(), origin: origin.clone(),
//!     target: target.clone(), target_locked: false, target_is_local: false };
//! let run = futures_executor::block_on(run_plan_audited(facts, PlanConfig::default(),
//!     &services, &audit, &DriverOptions::default()))?;
//! assert!(matches!(run, RunOutcome::Finished(_)));
//!
//! let brought = futures_executor::block_on(what_migration_brought(&audit, "mig-1", 1000))?;
//! assert_eq!(brought.follows_created.len(), 1);
//!
//! let revert = RevertFacts { migration_id: "mig-1".into(), origin, target,
//!     origin_exists: true, origin_locked: false, origin_is_local: false,
//!     target_is_local: false };
//! let services = RevertServices { follows: &follows, audit: &audit, deliverer: &deliverer,
//!     imports: &imports, clock: &clock };
//! let outcome = futures_executor::block_on(run_revert(revert, RevertConfig::default(),
//!     &services, &DriverOptions::default()))?;
//! assert!(matches!(outcome, RevertOutcome::Finished(_)));
//! assert_eq!(follows.followers_of("https://old.example/a"), before);
//! assert!(follows.followers_of("https://new.example/a").is_empty());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod decide;
mod entry;
mod error;
mod evidence;
mod item;
mod query;
mod revert;
mod run;

pub use decide::{MAX_MODERATOR_LEN, NextStep, approve, next_step, reject};
pub use entry::{AuditEntry, AuditKind, PriorFollow, ReasonRecord, origin_host_of};
pub use error::{RevertError, RevertPlanError, ReviewError};
pub use evidence::{
    DocumentEvidence, LinkVerification, MAX_EVIDENCE_ITEMS, PersonaLink, ReviewEvidence,
};
pub use item::{ReviewId, ReviewItem, ReviewState, ReviewSubject};
pub use query::{MigrationSummary, from_origin_since, what_migration_brought};
pub use revert::{
    MAX_REVERT_IN_FLIGHT, OriginFollows, REVERT_CHECKPOINT_VERSION, RevertAction, RevertBatch,
    RevertBody, RevertCheckpoint, RevertConfig, RevertCounts, RevertFacts, RevertFailure,
    RevertInFlight, RevertPlan, RevertReport, RevertRetry, RevertStep,
};
pub use run::{RevertOutcome, RevertServices, run_revert};
