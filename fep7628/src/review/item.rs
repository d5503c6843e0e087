//! Review queue items: what is held, with its evidence and its state.

use std::fmt;
use std::time::SystemTime;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::inbound::HeldMove;
use crate::plan::MoveFacts;
use crate::policy::{ArrivingFollower, PolicyReason};
use crate::review::{PersonaLink, ReasonRecord, ReviewEvidence};

/// Deterministic id of a review item: `rev-` and 128 bits of SHA-256 over what is held (the
/// migration, and the follower for an arriving follower). The same held Move delivered twice
/// gives the same id, so the queue holds it once — and a Move re-sent after its item was
/// rejected finds the rejected item, not a fresh pending one.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ReviewId(String);

impl ReviewId {
    fn derive(parts: &[&str]) -> Self {
        let mut h = Sha256::new();
        h.update(b"fep7628/review/v1");
        for part in parts {
            h.update((part.len() as u64).to_be_bytes());
            h.update(part.as_bytes());
        }
        let digest = h.finalize();
        let mut out = String::from("rev-");
        for b in digest.iter().take(16) {
            out.push_str(&format!("{b:02x}"));
        }
        ReviewId(out)
    }

    /// An id read back from a store or a request (any text up to 128 bytes; unknown ids are
    /// simply not found).
    pub fn parse(text: &str) -> Option<Self> {
        (!text.is_empty() && text.len() <= 128).then(|| ReviewId(text.to_owned()))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for ReviewId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What is held.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ReviewSubject {
    /// An inbound Move that passed every protocol check and that a policy held.
    Move {
        /// The Move's `id`.
        move_id: Option<String>,
        /// The old account.
        origin: String,
        /// The new account.
        target: String,
        /// `push` or `pull`.
        mode: String,
        /// The re-follow plan's facts, as verified at hold time; `None` when the origin's inbox
        /// was unknown then (push mode without the origin's document).
        plan: Option<MoveFacts>,
    },
    /// A follower arriving at a local target because of a migration.
    ArrivingFollower {
        /// The follower.
        follower: String,
        /// The old account.
        origin: String,
        /// The local account it arrives at.
        target: String,
    },
}

impl ReviewSubject {
    /// The old account.
    pub fn origin(&self) -> &str {
        match self {
            ReviewSubject::Move { origin, .. } | ReviewSubject::ArrivingFollower { origin, .. } => {
                origin
            }
        }
    }

    /// The new account.
    pub fn target(&self) -> &str {
        match self {
            ReviewSubject::Move { target, .. } | ReviewSubject::ArrivingFollower { target, .. } => {
                target
            }
        }
    }
}

/// Where an item is in its life: pending, then approved or rejected once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ReviewState {
    /// Waiting for a moderator.
    Pending,
    /// Approved.
    Approved {
        /// The moderator.
        by: String,
        /// When.
        at: SystemTime,
    },
    /// Rejected.
    Rejected {
        /// The moderator.
        by: String,
        /// When.
        at: SystemTime,
        /// The moderator's note.
        note: String,
    },
}

impl ReviewState {
    /// `pending`, `approved` or `rejected`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ReviewState::Pending => "pending",
            ReviewState::Approved { .. } => "approved",
            ReviewState::Rejected { .. } => "rejected",
        }
    }

    /// Still waiting for a moderator.
    pub fn is_pending(&self) -> bool {
        matches!(self, ReviewState::Pending)
    }
}

/// One item of the review queue.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewItem {
    /// Deterministic id.
    pub id: ReviewId,
    /// The migration it belongs to.
    pub migration_id: String,
    /// What is held.
    pub subject: ReviewSubject,
    /// Why, on what documents, with which identity links.
    pub evidence: ReviewEvidence,
    /// When it was held.
    pub created_at: SystemTime,
    /// Pending, approved or rejected.
    pub state: ReviewState,
}

impl ReviewItem {
    /// The item for a Move the pipeline held ([`Decision::Hold`](crate::inbound::Decision)).
    ///
    /// The reasons and the persona links come from the held Move; `evidence` adds the
    /// documents the check was fed (hash each body with
    /// [`DocumentEvidence::new`](crate::review::DocumentEvidence::new)) and any further links
    /// (old-side proofs, persona-graph evidence). `target_is_local` is what the server knows
    /// about the target; it goes into the plan's facts run on approval.
    pub fn held_move(
        held: &HeldMove,
        evidence: ReviewEvidence,
        target_is_local: bool,
        now: SystemTime,
    ) -> Self {
        let verified = held.pending();
        let migration_id = verified.migration_id().as_str().to_owned();
        let mut evidence = evidence;
        let mut reasons: Vec<ReasonRecord> = held.reasons().iter().map(Into::into).collect();
        reasons.append(&mut evidence.reasons);
        evidence.reasons = reasons;
        for link in PersonaLink::of_verified_move(verified) {
            evidence = evidence.with_link(link);
        }
        ReviewItem {
            id: ReviewId::derive(&["move", &migration_id]),
            migration_id,
            subject: ReviewSubject::Move {
                move_id: verified.move_id().map(str::to_owned),
                origin: verified.origin().to_owned(),
                target: verified.target().to_owned(),
                mode: verified.mode().as_str().to_owned(),
                plan: MoveFacts::from_verified(verified, target_is_local).ok(),
            },
            evidence: evidence.capped(),
            created_at: now,
            state: ReviewState::Pending,
        }
    }

    /// The item for an arriving follower a policy held
    /// ([`check_arriving_follower`](crate::policy::check_arriving_follower) answered
    /// [`Verdict::Hold`](crate::policy::Verdict)).
    pub fn held_follower(
        arrival: &ArrivingFollower<'_>,
        reasons: &[PolicyReason],
        evidence: ReviewEvidence,
    ) -> Self {
        let migration_id = arrival.migration_id.as_str().to_owned();
        let mut evidence = evidence;
        let mut all: Vec<ReasonRecord> = reasons.iter().map(Into::into).collect();
        all.append(&mut evidence.reasons);
        evidence.reasons = all;
        ReviewItem {
            id: ReviewId::derive(&["follower", &migration_id, arrival.follower]),
            migration_id,
            subject: ReviewSubject::ArrivingFollower {
                follower: arrival.follower.to_owned(),
                origin: arrival.origin.to_owned(),
                target: arrival.target.to_owned(),
            },
            evidence: evidence.capped(),
            created_at: arrival.now,
            state: ReviewState::Pending,
        }
    }
}
