//! The FEP-e965 test-case outcome for an actor (`PASSED` / `FAILED` / `inapplicable`).

use super::actor::validate_actor;
use super::problem::{Rule, Severity};
use crate::Actor;

/// Outcome of the FEP-e965 test case (`fep/e965/fep-e965-test-case.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum E965Outcome {
    /// Conforms.
    Passed,
    /// Breaks a rule (see the FEP-e965 problems of [`validate_actor`]).
    Failed,
    /// The actor does not declare `https://w3id.org/fep/7628` in `@context`.
    Inapplicable,
}

/// Runs the FEP-e965 test case on an actor.
///
/// ```
/// use activitystreams_move::{Actor, E965Outcome, ReadOptions, e965_outcome};
///
/// let actor = Actor::from_slice(br#"{
///   "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/fep/7628"],
///   "type": ["Person", "Tombstone"],
///   "inbox": "https://example.com/inbox", "outbox": "https://example.com/outbox",
///   "movedTo": "https://actorname.otherexample.com"
/// }"#, &ReadOptions::default()).unwrap();
/// assert_eq!(e965_outcome(&actor), E965Outcome::Passed);
/// ```
pub fn e965_outcome(actor: &Actor) -> E965Outcome {
    let declares = match actor.read_info.verdict() {
        Some(v) => v.declares_fep7628(),
        None => actor
            .context
            .as_ref()
            .and_then(|c| crate::classify_context(c).ok())
            .is_some_and(|v| v.declares_fep7628()),
    };
    if !declares {
        return E965Outcome::Inapplicable;
    }
    let failed = validate_actor(actor)
        .iter()
        .any(|p| p.rule == Rule::FepE965 && p.severity == Severity::Error);
    if failed {
        E965Outcome::Failed
    } else {
        E965Outcome::Passed
    }
}
