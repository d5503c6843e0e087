//! The audit stream: one event per decision, tagged with the migration id.

use std::borrow::Cow;
use std::fmt;
use std::time::SystemTime;

use sha2::{Digest, Sha256};

use crate::policy::PolicyReason;

/// A deterministic id for the migration (origin → target), the same on every server and every
/// run: `mig-` followed by the first 128 bits of SHA-256(origin ‖ 0x00 ‖ target) in hex.
///
/// It is the idempotency key of a migration (spec/move.md E11: key on (origin, target), never on
/// the Move's `id`), and the tag a moderator uses to list and revert what one migration did.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MigrationId(String);

impl MigrationId {
    /// The id of the migration from `origin` to `target`.
    pub fn new(origin: &str, target: &str) -> Self {
        let mut hasher = Sha256::new();
        hasher.update(origin.as_bytes());
        hasher.update([0u8]);
        hasher.update(target.as_bytes());
        let digest = hasher.finalize();
        let mut out = String::with_capacity(4 + 32);
        out.push_str("mig-");
        for byte in digest.iter().take(16) {
            out.push(char::from(HEX[usize::from(byte >> 4)]));
            out.push(char::from(HEX[usize::from(byte & 0x0f)]));
        }
        MigrationId(out)
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

impl fmt::Display for MigrationId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an audit event is about.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuditSubject {
    /// An inbound Move.
    InboundMove {
        /// The Move's `id`, if any.
        move_id: Option<String>,
        /// The Move's actor, when it had exactly one.
        actor: Option<String>,
        /// The origin (`object`), when the Move had exactly one.
        origin: Option<String>,
        /// The target, when the Move had exactly one.
        target: Option<String>,
    },
    /// A follower arriving at a local target.
    ArrivingFollower {
        /// The follower.
        follower: String,
        /// The old account.
        origin: String,
        /// The new account.
        target: String,
    },
    /// An object (post, media) imported into a local account because of a migration, as
    /// screened by an import policy. A revert removes what a migration imported.
    ImportedObject {
        /// The object's `id`.
        object_id: String,
        /// The old account the object comes from.
        origin: String,
        /// The local account it was imported into.
        target: String,
    },
}

/// The decision an audit event records.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AuditOutcome {
    /// Accepted.
    Accepted,
    /// Held for a moderator, with every reason given.
    Held {
        /// The policies' reasons.
        reasons: Vec<PolicyReason>,
    },
    /// Rejected.
    Rejected {
        /// Stable snake_case code of the reason.
        code: Cow<'static, str>,
    },
}

impl AuditOutcome {
    /// `accepted`, `held` or `rejected`.
    pub fn as_str(&self) -> &'static str {
        match self {
            AuditOutcome::Accepted => "accepted",
            AuditOutcome::Held { .. } => "held",
            AuditOutcome::Rejected { .. } => "rejected",
        }
    }
}

/// One decision, for the caller to store (sans-IO: nothing is written by the crate).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuditEvent {
    /// The migration the decision belongs to; `None` only for a Move too malformed to name one
    /// origin and one target.
    pub migration_id: Option<MigrationId>,
    /// When the decision was taken (the `now` given to the check).
    pub at: SystemTime,
    /// What was decided on.
    pub subject: AuditSubject,
    /// The decision.
    pub outcome: AuditOutcome,
    /// Human-readable explanation.
    pub detail: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migration_id_is_deterministic_and_ordered() {
        let a = MigrationId::new("https://a.example/u/1", "https://b.example/u/1");
        let b = MigrationId::new("https://a.example/u/1", "https://b.example/u/1");
        let reversed = MigrationId::new("https://b.example/u/1", "https://a.example/u/1");
        assert_eq!(a, b);
        assert_ne!(a, reversed);
        assert_eq!(a.as_str().len(), 36);
        assert!(a.as_str().starts_with("mig-"));
        // The separator prevents ("ab","c") and ("a","bc") from colliding.
        assert_ne!(MigrationId::new("ab", "c"), MigrationId::new("a", "bc"));
    }
}
