//! [`VerifiedMove`] → [`plan::MoveFacts`](crate::plan::MoveFacts).

use crate::inbound::{ActorFacts, VerifiedMove};
use crate::plan::{ActorRef, MoveFacts, PlanError};

fn actor_ref(facts: &ActorFacts, field: &'static str) -> Result<ActorRef, PlanError> {
    let inbox = facts
        .inbox
        .clone()
        .or_else(|| facts.shared_inbox.clone())
        .ok_or(PlanError::InvalidFacts { field })?;
    let mut r = ActorRef::new(facts.id.clone(), inbox);
    r.shared_inbox = facts.shared_inbox.clone();
    Ok(r)
}

impl MoveFacts {
    /// The plan's facts from a Move that passed the receiver's checks (so a plan can only be
    /// started from a verified Move):
    ///
    /// * `migration_id` = [`VerifiedMove::migration_id`], deterministic from (origin, target) —
    ///   the same on every retry and restart, so the actions' idempotency keys are too;
    /// * the target's inbox and shared inbox from the target as fetched **fresh** by the check,
    ///   `target_locked` from its `manuallyApprovesFollowers`;
    /// * the origin's inbox from [`VerifiedMove::origin_facts`]: in push mode the caller must
    ///   have supplied the origin's document with
    ///   [`InboundMove::with_origin_facts`](crate::inbound::InboundMove::with_origin_facts)
    ///   (typically the document it resolved the signing key from), or configured
    ///   `refetch_origin`; otherwise the `Undo(Follow)` would have nowhere to go and this
    ///   returns [`PlanError::InvalidFacts`] with field `origin`;
    /// * `target_is_local`: whether the target lives on this server (the server knows).
    pub fn from_verified(
        verified: &VerifiedMove,
        target_is_local: bool,
    ) -> Result<Self, PlanError> {
        let origin = verified
            .origin_facts()
            .ok_or(PlanError::InvalidFacts { field: "origin" })?;
        let target = verified.target_facts();
        let facts = MoveFacts {
            migration_id: verified.migration_id().as_str().to_owned(),
            origin: actor_ref(origin, "origin")?,
            target: actor_ref(target, "target")?,
            target_locked: target.manually_approves_followers,
            target_is_local,
        };
        facts.validate()?;
        Ok(facts)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inbound::{
        Answer, Authentication, Decision, Fetched, InboundMove, ModerationState, MoveCheck,
        MoveFacts as Facts, Query, Step,
    };
    use std::time::{Duration, SystemTime};

    const OLD: &str = "https://old.example/u/a";
    const NEW: &str = "https://new.example/u/a";

    fn verify(origin: Option<ActorFacts>, target: ActorFacts) -> VerifiedMove {
        let mut inbound = InboundMove::new(Facts::new(format!("{OLD}/moves/1"), OLD, OLD, NEW))
            .authenticated_by(Authentication::HttpSignature {
                signer_actor_id: OLD.into(),
            });
        if let Some(o) = origin {
            inbound = inbound.with_origin_facts(o);
        }
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        let mut check = MoveCheck::new(crate::policy::AcceptAll, inbound, now);
        loop {
            match check.next().unwrap() {
                Step::Fetch(r) => check
                    .handle_fetched(&r.url, Fetched::Actor(target.clone()))
                    .unwrap(),
                Step::Lookup(q) => check
                    .handle_lookup(match q {
                        Query::AlreadyProcessed { .. } => Answer::AlreadyProcessed(None),
                        Query::LastMove { .. } => Answer::LastMove(None),
                        Query::Moderation { .. } => Answer::Moderation(ModerationState::default()),
                        _ => Answer::LocalMovedTo(None),
                    })
                    .unwrap(),
                Step::Done { decision, .. } => match decision {
                    Decision::Accept(v) => return v,
                    other => panic!("{other:?}"),
                },
            }
        }
    }

    fn with_inboxes(mut f: ActorFacts, host: &str) -> ActorFacts {
        f.inbox = Some(format!("{}/inbox", f.id));
        f.shared_inbox = Some(format!("https://{host}/inbox"));
        f
    }

    #[test]
    fn facts_from_a_verified_move() {
        let mut target = with_inboxes(ActorFacts::new(NEW).with_alias(OLD), "new.example");
        target.manually_approves_followers = true;
        let origin = with_inboxes(ActorFacts::new(OLD), "old.example");
        let v = verify(Some(origin), target);
        let facts = MoveFacts::from_verified(&v, false).unwrap();
        assert_eq!(facts.migration_id, v.migration_id().as_str());
        assert_eq!(facts.origin.id, OLD);
        assert_eq!(facts.origin.inbox, format!("{OLD}/inbox"));
        assert_eq!(facts.target.delivery_inbox(), "https://new.example/inbox");
        assert!(facts.target_locked);
        assert!(!facts.target_is_local);
        // Deterministic: a retried Move (other id) gives the same migration id.
        let again = verify(
            Some(with_inboxes(ActorFacts::new(OLD), "old.example")),
            with_inboxes(ActorFacts::new(NEW).with_alias(OLD), "new.example"),
        );
        assert_eq!(
            MoveFacts::from_verified(&again, true).unwrap().migration_id,
            facts.migration_id
        );
    }

    #[test]
    fn no_origin_document_or_no_inbox_is_refused() {
        let target = with_inboxes(ActorFacts::new(NEW).with_alias(OLD), "new.example");
        let v = verify(None, target.clone());
        assert_eq!(
            MoveFacts::from_verified(&v, false),
            Err(PlanError::InvalidFacts { field: "origin" })
        );
        let v = verify(Some(ActorFacts::new(OLD)), target);
        assert_eq!(
            MoveFacts::from_verified(&v, false),
            Err(PlanError::InvalidFacts { field: "origin" })
        );
    }
}
