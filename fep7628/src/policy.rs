//! Moderation hooks consulted at every decision point, and the audit stream.
//!
//! A [`MigrationPolicy`] is asked about every inbound Move (after authentication and shape
//! checks, before the target is fetched; and again with the fetched target) and about every
//! follower arriving at a local target. It answers [`Verdict::Accept`], [`Verdict::Hold`] (a
//! moderator decides) or [`Verdict::Reject`], with machine-readable [`PolicyReason`]s.
//! Built in: [`CooldownPolicy`] and [`DomainBlockPolicy`] (with [`DomainSeverity`]: suspend
//! rejects, silence holds); the moderation policies of [`crate::moderation`] (window limits,
//! surges, keyword rules, account age, follower farming, and the TOML policy file). Compose
//! them with a tuple or a [`PolicySet`] (first rejection wins, holds accumulate). Every decision produces an
//! [`AuditEvent`] tagged with the deterministic [`MigrationId`].

mod audit;
mod compose;
mod cooldown;
mod domain_block;
mod verdict;

pub use audit::{AuditEvent, AuditOutcome, AuditSubject, MigrationId};
pub use compose::PolicySet;
pub use cooldown::CooldownPolicy;
pub use domain_block::{DomainBlockPolicy, DomainSeverity, domain_digest, normalize_domain};
pub use verdict::{
    AcceptAll, ArrivingFollower, CooldownSubject, InboundMoveContext, MigrationPolicy,
    PolicyReason, Verdict,
};

/// Ask `policy` about a follower arriving at a local target, and produce the audit event for
/// the answer.
pub fn check_arriving_follower<P: MigrationPolicy + ?Sized>(
    policy: &P,
    arrival: &ArrivingFollower<'_>,
) -> (Verdict, AuditEvent) {
    let verdict = policy.arriving_follower(arrival);
    let (outcome, detail) = match &verdict {
        Verdict::Accept => (AuditOutcome::Accepted, "follower accepted".to_owned()),
        Verdict::Hold(reasons) => (
            AuditOutcome::Held {
                reasons: reasons.clone(),
            },
            join_reasons(reasons),
        ),
        Verdict::Reject(reason) => (
            AuditOutcome::Rejected {
                code: std::borrow::Cow::Owned(reason.code().to_owned()),
            },
            reason.to_string(),
        ),
    };
    let event = AuditEvent {
        migration_id: Some(arrival.migration_id.clone()),
        at: arrival.now,
        subject: AuditSubject::ArrivingFollower {
            follower: arrival.follower.to_owned(),
            origin: arrival.origin.to_owned(),
            target: arrival.target.to_owned(),
        },
        outcome,
        detail,
    };
    (verdict, event)
}

pub(crate) fn join_reasons(reasons: &[PolicyReason]) -> String {
    let mut out = String::from("held for review: ");
    for (i, r) in reasons.iter().enumerate() {
        if i > 0 {
            out.push_str("; ");
        }
        out.push_str(&r.to_string());
    }
    out
}
