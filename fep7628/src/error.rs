//! The crate's one error type.
//!
//! Inbound verification never returns an [`Error`] for a bad Move: a hostile or broken Move is
//! *data*, answered with [`crate::inbound::Decision::Reject`]. [`Error`] is for the caller's own
//! mistakes (answering a question that was not asked, driving a finished check), for invalid
//! input to the outbound builders, and for the sender's preflight checks. The re-follow plan,
//! follower-list import, stores and driver keep their own error types (each with a stable
//! `kind()`); [`Error`] wraps them transparently, keeping their codes.

use std::time::SystemTime;

/// Everything that can go wrong in this crate, with a stable machine-readable [`Error::kind`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// An actor id (or another IRI the crate must dereference) is not an absolute http(s) URL.
    #[error("invalid actor id at {at}: {value:?} is not an absolute http(s) URL")]
    InvalidActorId {
        /// Where the value came from (a JSON Pointer such as `/target`, or an argument name).
        at: &'static str,
        /// The value as given (truncated to 256 bytes).
        value: String,
    },
    /// The caller-supplied unique token for an activity id is empty, too long or not URL-safe.
    #[error("invalid activity id token {token:?}: {reason}")]
    InvalidToken {
        /// The token as given (truncated to 256 bytes).
        token: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A document handed to a builder is not a JSON object (or lacks its `id`).
    #[error("not an actor document at {at}: {reason}")]
    NotAnActorDocument {
        /// JSON Pointer of the offending value.
        at: &'static str,
        /// What was wrong.
        reason: &'static str,
    },
    /// An explicit limit was exceeded (alias count, id length, steps of a check, …).
    #[error("limit exceeded: {what} (limit {limit})")]
    LimitExceeded {
        /// What was counted.
        what: &'static str,
        /// The configured limit.
        limit: usize,
    },

    // --- sender preflight (FEP-7628 + the checks real servers run, spec/move.md §1.6 #33) ---
    /// Preflight: the target is the origin itself (Mastodon `move_to_self`, E6).
    #[error("cannot move {actor} to itself")]
    SelfMove {
        /// The actor.
        actor: String,
    },
    /// Preflight: the origin already carries `movedTo` naming this very target.
    #[error("{origin} has already moved to {target}")]
    AlreadyMovedTo {
        /// The origin actor.
        origin: String,
        /// The target it already names.
        target: String,
    },
    /// Preflight: the freshly fetched target does not list the origin in `alsoKnownAs` (E4).
    #[error("{target} does not list {origin} in alsoKnownAs")]
    TargetNotAliased {
        /// The target actor.
        target: String,
        /// The origin actor it should name.
        origin: String,
    },
    /// Preflight: the target has itself moved away (chained move, E8).
    #[error("{target} has itself moved to {moved_to}")]
    TargetMoved {
        /// The target actor.
        target: String,
        /// Where it moved.
        moved_to: String,
    },
    /// Preflight: the target has moved back to the origin (move loop, E9).
    #[error("moving to {target} would close a loop: it has moved to {origin}")]
    MoveCycle {
        /// The target actor.
        target: String,
        /// The origin it points back to.
        origin: String,
    },
    /// Preflight: the outbound cooldown since the last move has not elapsed (E10).
    #[error("outbound move cooldown active until {until:?}")]
    CooldownActive {
        /// When the next move is allowed.
        until: SystemTime,
    },
    /// Preflight: the target could not be used (not found, gone, suspended, unreachable, or the
    /// fetched document has another id).
    #[error("target {target} unavailable: {state}")]
    TargetUnavailable {
        /// The target actor.
        target: String,
        /// `not_found`, `gone`, `suspended`, `unreachable`, `id_mismatch`.
        state: &'static str,
    },
    /// Preflight (pull mode): no evidence from the old side links it to the new actor (E3).
    #[error("pull-mode move from {origin} has no old-side proof naming {target}")]
    MissingOldSideProof {
        /// The old actor.
        origin: String,
        /// The new actor.
        target: String,
    },

    // --- driving a state machine wrongly ---
    /// An answer was handed to a check that asked another question (or none).
    #[error("unexpected answer: expected {expected}, got {got}")]
    UnexpectedAnswer {
        /// What the machine was waiting for.
        expected: &'static str,
        /// What it was given.
        got: &'static str,
    },
    /// The check already produced its decision; it cannot be driven further.
    #[error("the check is finished")]
    Finished,

    // --- the other modules' errors, so that callers (and the CLI) have one type ---
    /// A re-follow plan error ([`crate::plan::PlanError`]).
    #[error(transparent)]
    Plan(#[from] crate::plan::PlanError),
    /// A follower-list import error ([`crate::follower_list::ListError`]).
    #[error(transparent)]
    List(#[from] crate::follower_list::ListError),
    /// A store error ([`crate::store::StoreError`]).
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    /// A fetcher error ([`crate::store::FetchError`]).
    #[error(transparent)]
    Fetch(#[from] crate::store::FetchError),
    /// An async driver error ([`crate::driver::DriverError`]).
    #[error(transparent)]
    Driver(#[from] crate::driver::DriverError),
}

impl Error {
    /// A stable snake_case code for logs, test corpora and the CLI's JSON output.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidActorId { .. } => "invalid_actor_id",
            Error::InvalidToken { .. } => "invalid_token",
            Error::NotAnActorDocument { .. } => "not_an_actor_document",
            Error::LimitExceeded { .. } => "limit_exceeded",
            Error::SelfMove { .. } => "self_move",
            Error::AlreadyMovedTo { .. } => "already_moved_to",
            Error::TargetNotAliased { .. } => "target_not_aliased",
            Error::TargetMoved { .. } => "target_moved",
            Error::MoveCycle { .. } => "move_cycle",
            Error::CooldownActive { .. } => "cooldown_active",
            Error::TargetUnavailable { .. } => "target_unavailable",
            Error::MissingOldSideProof { .. } => "missing_old_side_proof",
            Error::UnexpectedAnswer { .. } => "unexpected_answer",
            Error::Finished => "finished",
            Error::Plan(e) => e.kind(),
            Error::List(e) => e.kind(),
            Error::Store(e) => e.kind(),
            Error::Fetch(e) => e.kind(),
            Error::Driver(e) => e.kind(),
        }
    }
}

/// Truncate a hostile value for inclusion in an error message (at most 256 bytes, on a char
/// boundary).
pub(crate) fn clip(value: &str) -> String {
    const MAX: usize = 256;
    if value.len() <= MAX {
        return value.to_owned();
    }
    let mut end = MAX;
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    value.get(..end).unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_snake_case_and_distinct() {
        let all = [
            Error::InvalidActorId {
                at: "/target",
                value: String::new(),
            },
            Error::SelfMove {
                actor: String::new(),
            },
            Error::UnexpectedAnswer {
                expected: "fetch",
                got: "lookup",
            },
            Error::Finished,
        ];
        let kinds: std::collections::HashSet<_> = all.iter().map(Error::kind).collect();
        assert_eq!(kinds.len(), all.len());
        assert!(
            kinds
                .iter()
                .all(|k| k.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        );
    }

    #[test]
    fn clip_respects_char_boundaries() {
        let long = "é".repeat(200);
        let clipped = clip(&long);
        assert!(clipped.len() <= 256);
        assert!(long.starts_with(&clipped));
    }
}
