#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod activity;
mod actor;
mod common;
pub mod context;
mod emit;
mod error;
mod iris;
mod key;
mod limits;
mod members;
mod options;
mod pointer;
mod read;
mod reference;
mod slow_path;
mod validate;
mod vocab;

#[cfg(feature = "jsonld")]
pub mod jsonld;

#[cfg(any(test, feature = "proptest"))]
pub mod strategies;

pub use activity::{Activity, ActivityKind, MoveMode, MoveView};
pub use actor::{ACTOR_TYPES, Actor, Endpoints, is_actor_type};
pub use context::{ContextRegistry, ContextVerdict, MovedToIri, RegistryLimits, classify_context};
pub use emit::{
    AS_CONTEXT, MigrationFields, MoveBuilder, MovedToContext, accept, follow, reject, undo,
    update_actor,
};
pub use error::Error;
pub use iris::{Iris, Shape};
pub use key::{Multikey, PublicKey};
pub use limits::Limits;
pub use members::Members;
pub use options::{ReadOptions, UndefinedTerms};
pub use read::ReadInfo;
pub use reference::{Embedded, Reference};
pub use validate::{
    E965Outcome, Problem, ProblemKind, Rule, Severity, e965_outcome, has_errors, validate_activity,
    validate_actor, validate_move_signer,
};
pub use vocab::{FEP7628_CONTEXT, FEP7628_NS, PUBLIC, TermSet, is_public};

/// Reads a document of either family: an actor, or one of the modelled activities.
#[derive(Debug, Clone, PartialEq)]
pub enum Document {
    /// An actor (any type not in [`ActivityKind`]).
    Actor(Box<Actor>),
    /// A modelled activity.
    Activity(Box<Activity>),
}

impl Document {
    /// Reads bytes, dispatching on `type`.
    pub fn from_slice(bytes: &[u8], options: &ReadOptions) -> Result<Document, Error> {
        Document::read_bytes(bytes, options, None)
    }

    /// Like [`Document::from_slice`], with caller-registered context documents.
    pub fn from_slice_with(
        bytes: &[u8],
        options: &ReadOptions,
        contexts: &ContextRegistry,
    ) -> Result<Document, Error> {
        Document::read_bytes(bytes, options, Some(contexts))
    }

    fn read_bytes(
        bytes: &[u8],
        options: &ReadOptions,
        registry: Option<&ContextRegistry>,
    ) -> Result<Document, Error> {
        let read = read::read_slice(bytes, options, registry);
        let out = slow_path::with_fallback(read, options, registry, || {
            serde_json::from_slice(bytes).ok()
        })?;
        if out
            .node
            .types
            .iter()
            .any(|t| ActivityKind::from_type(t).is_some())
        {
            Activity::from_node(out.node, out.info).map(|a| Document::Activity(Box::new(a)))
        } else {
            Ok(Document::Actor(Box::new(Actor::from_node(
                out.node, out.info,
            ))))
        }
    }
}
