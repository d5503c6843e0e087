//! Inbound: the receiver's verification pipeline (sans-IO) and what it decides.
//!
//! A follower's server receives a `Move`, has verified its HTTP signature or FEP-8b32 proof
//! (other crates), and hands the parsed facts to [`MoveCheck`]. The check asks for what it needs
//! — the target fetched fresh ([`Step::Fetch`]), local state ([`Step::Lookup`]) — and ends with
//! [`Step::Done`]: a [`Decision`] and the [`AuditEvent`](crate::policy::AuditEvent) to store.
//! The order of checks and the [`Rejection`] reasons follow spec/move.md §1.8 #40 and §3.

mod check;
mod config;
mod decision;
mod facts;
mod step;

pub use check::{InboundMove, MoveCheck};
pub use config::{InboundConfig, Limits};
pub use decision::{Decision, Effects, HeldMove, Rejection, VerifiedMove};
pub use facts::{ActorFacts, ActorProfile, Authentication, MoveFacts, MoveMode, OldSideProof};
pub(crate) use facts::{host_of, is_http_id};
pub use step::{Answer, FetchPurpose, FetchRequest, Fetched, ModerationState, Query, Step};
