#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod error;

pub mod data_integrity;
pub mod did_key;
pub mod fep8b32;
pub mod fep_c390;
pub mod jcs;
pub mod multibase;
pub mod multikey;

pub mod also_known_as;
pub mod persona;
pub mod rel_me;
pub mod resolve;

/// Re-exported: keys in this API are `ed25519_dalek` types.
pub use ed25519_dalek;
/// Re-exported: documents in this API are `serde_json::Value`s.
pub use serde_json;

pub use data_integrity::{Cryptosuite, ProofOptions, UnverifiedProof};
pub use did_key::DidKey;
pub use error::Error;
pub use fep_c390::{AttachmentOutcome, IdentityLink, verify_actor_identity_proofs};
pub use fep8b32::{ActorKeys, PendingObjectProof, VerifiedProof, sign_object, verify_object};
