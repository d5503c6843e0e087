//! Adapters from the sibling crates' verified outputs to the pipeline's facts.
//!
//! The protocol core is typed on small fact structs ([`inbound::MoveFacts`],
//! [`inbound::ActorFacts`], [`inbound::Authentication`], [`inbound::OldSideProof`],
//! [`inbound::Fetched`]); these functions fill them from what
//! [`activitystreams_move`], [`http_signatures`] and [`identity_links`] parsed and verified:
//!
//! | from | to | function |
//! |---|---|---|
//! | [`activitystreams_move::Activity`] (a `Move`) | [`inbound::MoveFacts`] | [`move_facts`], [`parse_move`] |
//! | [`activitystreams_move::Actor`] | [`inbound::ActorFacts`] | [`actor_facts`], [`parse_actor`] |
//! | FEP-c390 statements of an actor (verified) | [`inbound::ActorFacts::identity_dids`] | [`verified_identity_dids`] |
//! | fetched status + bytes | [`inbound::Fetched`] | [`fetched`], [`fetched_result`] |
//! | [`http_signatures::VerifiedRequest`] + the key owner's document | [`inbound::Authentication::HttpSignature`] | [`http_signature_authentication`] |
//! | an actor document + a key id | the key to verify with | [`verification_key`] |
//! | [`identity_links::fep8b32::VerifiedProof`] | [`inbound::Authentication::IntegrityProof`] | [`integrity_proof_authentication`] |
//! | old-side evidence (pull mode) | [`inbound::OldSideProof`] | [`old_actor_document`], [`shared_identity_subject`], [`old_side_integrity_proof`] |
//! | [`inbound::VerifiedMove`] | [`plan::MoveFacts`] | [`plan::MoveFacts::from_verified`] |
//!
//! Parse and context-guard errors are not turned into facts: [`parse_move`] returns the
//! parser's [`activitystreams_move::Error`] inside [`AdaptError::Parse`], so a caller never
//! runs the pipeline on a document whose terms it could not trust. In a fetch answer the same
//! refusal becomes [`inbound::Fetched::Error`].
//!
//! ```
//! use activitystreams_move::ReadOptions;
//! use fep7628::adapt;
//!
//! let body = br#"{"@context": "https://www.w3.org/ns/activitystreams",
//!   "id": "https://old.example/users/alice/moves/1", "type": "Move",
//!   "actor": "https://old.example/users/alice",
//!   "object": {"id": "https://old.example/users/alice", "type": "Person"},
//!   "target": "https://new.example/users/alice"}"#;
//! let facts = adapt::parse_move(body, &ReadOptions::default())?;
//! assert_eq!(facts.object, ["https://old.example/users/alice"]);
//!
//! let actor = br#"{"@context": "https://www.w3.org/ns/activitystreams",
//!   "id": "https://new.example/users/alice", "type": "Person",
//!   "inbox": "https://new.example/users/alice/inbox",
//!   "alsoKnownAs": "https://old.example/users/alice"}"#;
//! let fetched = adapt::fetched(200, actor, &ReadOptions::default());
//! let fep7628::inbound::Fetched::Actor(target) = fetched else { panic!("not an actor") };
//! assert!(target.aliases("https://old.example/users/alice"));
//! # Ok::<(), fep7628::adapt::AdaptError>(())
//! ```
//!
//! [`inbound::MoveFacts`]: crate::inbound::MoveFacts
//! [`inbound::ActorFacts`]: crate::inbound::ActorFacts
//! [`inbound::ActorFacts::identity_dids`]: crate::inbound::ActorFacts::identity_dids
//! [`inbound::Authentication`]: crate::inbound::Authentication
//! [`inbound::Authentication::HttpSignature`]: crate::inbound::Authentication::HttpSignature
//! [`inbound::Authentication::IntegrityProof`]: crate::inbound::Authentication::IntegrityProof
//! [`inbound::OldSideProof`]: crate::inbound::OldSideProof
//! [`inbound::Fetched`]: crate::inbound::Fetched
//! [`inbound::Fetched::Error`]: crate::inbound::Fetched::Error
//! [`inbound::VerifiedMove`]: crate::inbound::VerifiedMove
//! [`plan::MoveFacts`]: crate::plan::MoveFacts
//! [`plan::MoveFacts::from_verified`]: crate::plan::MoveFacts::from_verified

mod activity;
mod actor;
mod auth;
mod error;
mod plan;
mod profile;

pub use activity::{move_facts, parse_move};
pub use actor::{
    MAX_ALIASES, actor_facts, fetched, fetched_result, parse_actor, verified_identity_dids,
};
pub use auth::{
    http_signature_authentication, integrity_proof_authentication, old_actor_document,
    old_side_integrity_proof, shared_identity_subject, verification_key,
};
pub use error::AdaptError;
pub use profile::{MAX_PROFILE_FIELDS, MAX_PROFILE_TEXT, actor_profile};
