//! What the pipeline decides: accept (a [`VerifiedMove`]), hold for review, or reject with a
//! typed reason.

use std::borrow::Cow;
use std::fmt;
use std::time::SystemTime;

use crate::inbound::{ActorFacts, Authentication, MoveMode};
use crate::policy::{MigrationId, PolicyReason};

/// A Move that passed every check. Constructible only by [`crate::inbound::MoveCheck`]
/// (DESIGN §2.6 typed trust), so a server cannot act on an unverified Move by mistake.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedMove {
    pub(crate) migration_id: MigrationId,
    pub(crate) move_id: Option<String>,
    pub(crate) origin: String,
    pub(crate) target: String,
    pub(crate) mode: MoveMode,
    pub(crate) authentication: Authentication,
    pub(crate) target_facts: Box<ActorFacts>,
    pub(crate) origin_facts: Option<Box<ActorFacts>>,
    pub(crate) verified_at: SystemTime,
}

impl VerifiedMove {
    /// Deterministic id of the (origin, target) migration; the idempotency key.
    pub fn migration_id(&self) -> &MigrationId {
        &self.migration_id
    }
    /// The Move activity's `id` (absent only when the receiver allowed id-less Moves).
    pub fn move_id(&self) -> Option<&str> {
        self.move_id.as_deref()
    }
    /// The old account (`object`).
    pub fn origin(&self) -> &str {
        &self.origin
    }
    /// The new account (`target`).
    pub fn target(&self) -> &str {
        &self.target
    }
    /// Push (sent by the old account) or pull (sent by the new one).
    pub fn mode(&self) -> MoveMode {
        self.mode
    }
    /// The evidence that authenticated the Move (the integrity proof when there was one).
    pub fn authentication(&self) -> &Authentication {
        &self.authentication
    }
    /// The target as fetched **fresh** during the check (its inbox, shared inbox, aliases).
    pub fn target_facts(&self) -> &ActorFacts {
        &self.target_facts
    }
    /// The origin's document as the check saw it: fetched fresh when the check fetched it
    /// (pull mode, or `refetch_origin`), else the copy the caller supplied with
    /// [`InboundMove::with_origin_facts`](crate::inbound::InboundMove::with_origin_facts), else
    /// `None` (push mode needs no origin document).
    pub fn origin_facts(&self) -> Option<&ActorFacts> {
        self.origin_facts.as_deref()
    }
    /// When the check ran.
    pub fn verified_at(&self) -> SystemTime {
        self.verified_at
    }
}

/// A Move that passed every protocol check but that a policy wants a moderator to look at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HeldMove {
    pub(crate) verified: VerifiedMove,
    pub(crate) reasons: Vec<PolicyReason>,
}

impl HeldMove {
    /// Why it is held (every reason from every policy).
    pub fn reasons(&self) -> &[PolicyReason] {
        &self.reasons
    }
    /// The Move as verified (read-only: acting on it needs [`HeldMove::approve`]).
    pub fn pending(&self) -> &VerifiedMove {
        &self.verified
    }
    /// A moderator approved it: act on it. The target facts are those fetched at check time;
    /// if the review took long, run the check again instead.
    pub fn approve(self) -> VerifiedMove {
        self.verified
    }
}

/// Why a Move was rejected. Each variant is one guard of spec/move.md §1.8 #40 / §3 (E-rows).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Rejection {
    /// No verified authentication evidence was supplied.
    Unauthenticated,
    /// E1: the HTTP signer (or the integrity proof's actor, which takes precedence) is not the
    /// Move's `actor`.
    SignerMismatch {
        /// Who authenticated.
        signer: String,
        /// The Move's actor.
        actor: String,
    },
    /// §1.8 #40.2: missing `id`, not exactly one `actor`/`object`/`target`, a reference that is
    /// not an http(s) URL, or a value over the length limit.
    Malformed {
        /// The JSON Pointer of the problem (`/id`, `/actor`, `/object`, `/target`).
        at: &'static str,
        /// What is wrong.
        problem: &'static str,
    },
    /// E2: `actor` is neither `object` (push) nor `target` (pull) — moving someone else.
    ObjectMismatch {
        /// The Move's actor.
        actor: String,
        /// The Move's object.
        object: String,
    },
    /// E3: a pull-mode Move, and this receiver has not opted in to pull mode.
    PullModeDisabled,
    /// E6: `object == target`.
    SelfMove {
        /// The account.
        actor: String,
    },
    /// E11: this (origin, target) migration was already accepted (whatever the Move's id).
    Duplicate {
        /// When it was first accepted.
        first_accepted: SystemTime,
    },
    /// E7: the target (or its server) is suspended, locally or by its own server.
    TargetSuspended {
        /// The target.
        target: String,
    },
    /// E7: the target's domain is blocked by the local server's moderation.
    TargetDomainBlocked {
        /// The target.
        target: String,
    },
    /// E7: the target account is blocked by the local server's moderation.
    TargetBlocked {
        /// The target.
        target: String,
    },
    /// A [`MigrationPolicy`](crate::policy::MigrationPolicy) rejected it (cooldown E10,
    /// domain block, custom rule).
    Policy(PolicyReason),
    /// The target does not exist (404).
    TargetNotFound {
        /// The target.
        target: String,
    },
    /// The target is gone (410 or a `Tombstone`).
    TargetGone {
        /// The target.
        target: String,
    },
    /// The target could not be fetched (network error, 5xx, unparsable).
    TargetUnreachable {
        /// The target.
        target: String,
    },
    /// The document fetched from the target URL carries another `id`.
    TargetIdMismatch {
        /// The URL fetched.
        requested: String,
        /// The `id` it served.
        served: String,
    },
    /// The fetched target is malformed (e.g. more `alsoKnownAs` values than the limit).
    TargetMalformed {
        /// The target.
        target: String,
        /// What is wrong.
        problem: &'static str,
    },
    /// E8: the target has itself moved (per its fresh document or the local move graph).
    TargetMoved {
        /// The target.
        target: String,
        /// Where it moved.
        moved_to: String,
    },
    /// E9: the local move graph leads from the target back to the origin.
    MoveLoop {
        /// The target.
        target: String,
        /// The origin it leads back to.
        origin: String,
    },
    /// E4/E5: the freshly fetched target does not list the origin in `alsoKnownAs`.
    NotAliased {
        /// The target.
        target: String,
        /// The origin.
        origin: String,
    },
    /// E3: a pull-mode Move without evidence from the old side naming the new actor.
    MissingOldSideProof {
        /// The old account.
        origin: String,
        /// The new account.
        target: String,
    },
    /// E15: the origin's `movedTo` names another account than the Move's target.
    OriginMovedElsewhere {
        /// The origin.
        origin: String,
        /// What its `movedTo` says.
        moved_to: String,
        /// The Move's target.
        target: String,
    },
    /// A hostile-input limit was reached (steps or fetches of one check, chain hops).
    LimitExceeded {
        /// What was counted.
        what: &'static str,
    },
}

impl Rejection {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            Rejection::Unauthenticated => "unauthenticated",
            Rejection::SignerMismatch { .. } => "signer_mismatch",
            Rejection::Malformed { .. } => "malformed",
            Rejection::ObjectMismatch { .. } => "object_mismatch",
            Rejection::PullModeDisabled => "pull_mode_disabled",
            Rejection::SelfMove { .. } => "self_move",
            Rejection::Duplicate { .. } => "duplicate",
            Rejection::TargetSuspended { .. } => "target_suspended",
            Rejection::TargetDomainBlocked { .. } => "target_domain_blocked",
            Rejection::TargetBlocked { .. } => "target_blocked",
            Rejection::Policy(_) => "policy",
            Rejection::TargetNotFound { .. } => "target_not_found",
            Rejection::TargetGone { .. } => "target_gone",
            Rejection::TargetUnreachable { .. } => "target_unreachable",
            Rejection::TargetIdMismatch { .. } => "target_id_mismatch",
            Rejection::TargetMalformed { .. } => "target_malformed",
            Rejection::TargetMoved { .. } => "target_moved",
            Rejection::MoveLoop { .. } => "move_loop",
            Rejection::NotAliased { .. } => "not_aliased",
            Rejection::MissingOldSideProof { .. } => "missing_old_side_proof",
            Rejection::OriginMovedElsewhere { .. } => "origin_moved_elsewhere",
            Rejection::LimitExceeded { .. } => "limit_exceeded",
        }
    }

    /// The code for audit logs: [`Rejection::kind`], or for policy rejections
    /// `policy:<reason code>`.
    pub fn code(&self) -> Cow<'static, str> {
        match self {
            Rejection::Policy(reason) => Cow::Owned(format!("policy:{}", reason.code())),
            other => Cow::Borrowed(other.kind()),
        }
    }

    /// May the same Move succeed if sent again later? True where the cause is expected to go
    /// away by itself: the target's alias not published (or not yet visible) yet (E5), the
    /// target unreachable or not yet found, a cooldown, old-side evidence not reachable.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            Rejection::NotAliased { .. }
                | Rejection::TargetUnreachable { .. }
                | Rejection::TargetNotFound { .. }
                | Rejection::MissingOldSideProof { .. }
                | Rejection::Policy(PolicyReason::Cooldown { .. })
        )
    }
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Rejection::Unauthenticated => f.write_str("Move carries no verified authentication"),
            Rejection::SignerMismatch { signer, actor } => {
                write!(f, "Move was signed by {signer} but actor was {actor}")
            }
            Rejection::Malformed { at, problem } => write!(f, "malformed Move at {at}: {problem}"),
            Rejection::ObjectMismatch { actor, object } => {
                write!(
                    f,
                    "Move actor {actor} is neither its object {object} nor its target"
                )
            }
            Rejection::PullModeDisabled => f.write_str("pull-mode Moves are not accepted here"),
            Rejection::SelfMove { actor } => {
                write!(f, "Move target and origin were the same ({actor})")
            }
            Rejection::Duplicate { first_accepted } => {
                write!(f, "migration already accepted at {first_accepted:?}")
            }
            Rejection::TargetSuspended { target } => write!(f, "target {target} is suspended"),
            Rejection::TargetDomainBlocked { target } => {
                write!(f, "target {target} is on a blocked domain")
            }
            Rejection::TargetBlocked { target } => write!(f, "target {target} is blocked"),
            Rejection::Policy(reason) => write!(f, "policy: {reason}"),
            Rejection::TargetNotFound { target } => write!(f, "target {target} not found"),
            Rejection::TargetGone { target } => write!(f, "target {target} is gone"),
            Rejection::TargetUnreachable { target } => {
                write!(f, "target {target} could not be fetched")
            }
            Rejection::TargetIdMismatch { requested, served } => {
                write!(f, "fetched {requested} but the document's id is {served}")
            }
            Rejection::TargetMalformed { target, problem } => {
                write!(f, "target {target} is malformed: {problem}")
            }
            Rejection::TargetMoved { target, moved_to } => {
                write!(f, "target {target} has itself moved to {moved_to}")
            }
            Rejection::MoveLoop { target, origin } => {
                write!(f, "target {target} has moved (back) to the origin {origin}")
            }
            Rejection::NotAliased { target, origin } => {
                write!(f, "target {target} does not list {origin} in alsoKnownAs")
            }
            Rejection::MissingOldSideProof { origin, target } => write!(
                f,
                "pull-mode Move: nothing from {origin} links it to {target}"
            ),
            Rejection::OriginMovedElsewhere {
                origin,
                moved_to,
                target,
            } => write!(
                f,
                "origin {origin} has movedTo {moved_to}, not the Move's target {target}"
            ),
            Rejection::LimitExceeded { what } => write!(f, "limit exceeded: {what}"),
        }
    }
}

/// What the caller should record after a decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Effects {
    /// Record the migration as accepted: the (origin, target) idempotency key, the move graph
    /// edge origin → target, and the time for cooldowns of both accounts. Only an accepted Move
    /// does this; a rejected one never burns a cooldown (E5: "not aliased yet" must allow retry,
    /// and a forged Move must not lock the real owner out).
    pub record_move: bool,
    /// The same Move may succeed later (see [`Rejection::is_retryable`]).
    pub retryable: bool,
}

/// The pipeline's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decision {
    /// Every check passed and no policy objected.
    Accept(VerifiedMove),
    /// Every check passed but a policy wants a moderator to decide.
    Hold(HeldMove),
    /// A check failed.
    Reject(Rejection),
}

impl Decision {
    /// What the caller should record.
    pub fn effects(&self) -> Effects {
        match self {
            Decision::Accept(_) => Effects {
                record_move: true,
                retryable: false,
            },
            Decision::Hold(_) => Effects {
                record_move: false,
                retryable: false,
            },
            Decision::Reject(r) => Effects {
                record_move: false,
                retryable: r.is_retryable(),
            },
        }
    }

    /// The rejection, if rejected.
    pub fn rejection(&self) -> Option<&Rejection> {
        match self {
            Decision::Reject(r) => Some(r),
            _ => None,
        }
    }

    /// True for [`Decision::Accept`].
    pub fn is_accept(&self) -> bool {
        matches!(self, Decision::Accept(_))
    }
}
