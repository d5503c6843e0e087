//! What the check asks of its caller, and the answers the caller gives.

use std::time::SystemTime;

use crate::inbound::{ActorFacts, Decision};
use crate::policy::AuditEvent;

/// One step of a [`MoveCheck`](crate::inbound::MoveCheck): a question for the caller, or the
/// decision.
#[derive(Debug, Clone, PartialEq, Eq)]
// `Done` is returned once per check, by value; boxing it would add an allocation for nothing.
#[allow(clippy::large_enum_variant)]
pub enum Step {
    /// Fetch this document **fresh** (bypassing any cache) and answer with
    /// [`MoveCheck::handle_fetched`](crate::inbound::MoveCheck::handle_fetched).
    Fetch(FetchRequest),
    /// Answer this question about local state with
    /// [`MoveCheck::handle_lookup`](crate::inbound::MoveCheck::handle_lookup).
    Lookup(Query),
    /// The decision, and the audit event to store. After this the check is finished.
    Done {
        /// Accept, hold or reject.
        decision: Decision,
        /// The record of the decision, tagged with the migration id.
        audit: AuditEvent,
    },
}

/// Which actor a fetch is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FetchPurpose {
    /// The Move's target: always fetched, always fresh (spec/move.md E5).
    Target,
    /// The Move's origin: fetched in pull mode for the old side's evidence, and in push mode
    /// only when the receiver asked for it (`InboundConfig::refetch_origin`).
    Origin,
}

/// A document the check needs.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub struct FetchRequest {
    /// The URL to dereference (an actor id).
    pub url: String,
    /// What it is for.
    pub purpose: FetchPurpose,
    /// Always `true`: answer from the network, never from a cache (a cached actor is how
    /// "is not an alias of this account" bugs happen — Mastodon #19366, #15462).
    pub fresh: bool,
}

/// The caller's answer to a [`FetchRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fetched {
    /// An actor document, parsed into facts. Its `id` must be the URL that was fetched.
    Actor(ActorFacts),
    /// 404 (or an empty answer).
    NotFound,
    /// 410, or the server says the account is deleted.
    Gone,
    /// Anything else: network error, 5xx, timeout, a body that does not parse as an actor.
    Error,
}

impl Fetched {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Fetched::Actor(_) => "fetched_actor",
            Fetched::NotFound => "fetched_not_found",
            Fetched::Gone => "fetched_gone",
            Fetched::Error => "fetched_error",
        }
    }
}

/// A question about the receiving server's own state.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Query {
    /// Was the migration (origin → target) already accepted? Keyed on the pair, never on the
    /// Move's `id` (E11). Answer: [`Answer::AlreadyProcessed`].
    AlreadyProcessed {
        /// The old account.
        origin: String,
        /// The new account.
        target: String,
    },
    /// When did this account last take part (as origin or target) in an accepted move?
    /// Answer: [`Answer::LastMove`]. Feeds cooldown policies.
    LastMove {
        /// The account.
        account: String,
    },
    /// The local moderation state of the target and its domain. Answer:
    /// [`Answer::Moderation`].
    Moderation {
        /// The new account.
        target: String,
    },
    /// Where has this account moved, per the local move graph (accepted moves)? Answer:
    /// [`Answer::LocalMovedTo`]. Walked from the target to find chains (E8) and loops (E9).
    LocalMovedTo {
        /// The account.
        account: String,
    },
}

impl Query {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Query::AlreadyProcessed { .. } => "already_processed",
            Query::LastMove { .. } => "last_move",
            Query::Moderation { .. } => "moderation",
            Query::LocalMovedTo { .. } => "local_moved_to",
        }
    }
}

/// Local moderation state of a Move's target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ModerationState {
    /// The target account is suspended here.
    pub target_suspended: bool,
    /// The target's domain is blocked (suspended) here.
    pub target_domain_blocked: bool,
    /// The target account is blocked here by an instance-wide rule.
    pub target_blocked: bool,
}

/// The caller's answer to a [`Query`]; the variant must match the question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// For [`Query::AlreadyProcessed`]: when the migration was accepted, or `None`.
    AlreadyProcessed(Option<SystemTime>),
    /// For [`Query::LastMove`]: when the account last took part in an accepted move.
    LastMove(Option<SystemTime>),
    /// For [`Query::Moderation`].
    Moderation(ModerationState),
    /// For [`Query::LocalMovedTo`]: the account it moved to, or `None`.
    LocalMovedTo(Option<String>),
}

impl Answer {
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Answer::AlreadyProcessed(_) => "already_processed",
            Answer::LastMove(_) => "last_move",
            Answer::Moderation(_) => "moderation",
            Answer::LocalMovedTo(_) => "local_moved_to",
        }
    }
}
