//! The receiver's verification pipeline as a sans-IO state machine.
//!
//! Order of checks: spec/move.md §1.8 #40 — authenticate, shape, mode, self-move,
//! idempotency and rate limits, moderation and policy, fetch the target fresh, target not
//! moved (chain / loop), target aliases origin, then (pull mode) the old side's evidence and
//! (when an origin document is at hand) origin `movedTo` == target. The first failure decides.

use std::time::SystemTime;

use crate::Error;
use crate::inbound::facts::is_http_id;
use crate::inbound::{
    ActorFacts, Answer, Authentication, Decision, FetchPurpose, FetchRequest, Fetched, HeldMove,
    InboundConfig, MoveFacts, MoveMode, OldSideProof, Query, Rejection, Step, VerifiedMove,
};
use crate::policy::{
    AuditEvent, AuditOutcome, AuditSubject, InboundMoveContext, MigrationId, MigrationPolicy,
    PolicyReason, Verdict, join_reasons,
};

/// An inbound Move with the evidence the caller has already verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InboundMove {
    activity: MoveFacts,
    http_signer: Option<String>,
    proof_actor: Option<String>,
    origin_facts: Option<ActorFacts>,
    old_side_proofs: Vec<OldSideProof>,
}

impl InboundMove {
    /// A Move with no authentication yet (it would be rejected as unauthenticated).
    pub fn new(activity: MoveFacts) -> Self {
        InboundMove {
            activity,
            http_signer: None,
            proof_actor: None,
            origin_facts: None,
            old_side_proofs: Vec::new(),
        }
    }

    /// Add verified authentication evidence. Both kinds may be given; a FEP-8b32 integrity
    /// proof takes precedence over the HTTP signature (FEP-8b32, spec/move.md §1.8 #40.1).
    pub fn authenticated_by(mut self, evidence: Authentication) -> Self {
        match evidence {
            Authentication::HttpSignature { signer_actor_id } => {
                self.http_signer = Some(signer_actor_id)
            }
            Authentication::IntegrityProof { verified_actor_id } => {
                self.proof_actor = Some(verified_actor_id)
            }
        }
        self
    }

    /// The origin's document as the caller already knows it (e.g. from resolving the signing
    /// key). Used for the E15 `movedTo` comparison and, in pull mode, as a fallback when the
    /// origin cannot be fetched. Never used for the target.
    pub fn with_origin_facts(mut self, origin: ActorFacts) -> Self {
        self.origin_facts = Some(origin);
        self
    }

    /// Add already-verified evidence from the old side (pull mode).
    pub fn with_old_side_proof(mut self, proof: OldSideProof) -> Self {
        self.old_side_proofs.push(proof);
        self
    }

    /// The Move's facts.
    pub fn activity(&self) -> &MoveFacts {
        &self.activity
    }
}

/// What is known once authentication, shape, mode and self-move checks passed.
#[derive(Debug, Clone)]
struct Established {
    migration_id: MigrationId,
    move_id: Option<String>,
    origin: String,
    target: String,
    mode: MoveMode,
    authentication: Authentication,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Stage {
    Validate,
    AskProcessed,
    AskLastMoveOfOrigin,
    AskLastMoveOfTarget,
    AskModeration,
    ConsultPolicy,
    FetchTarget,
    WalkGraph {
        cursor: String,
        hops: usize,
        first_hop: Option<String>,
    },
    CheckAlias,
    OriginEvidence,
    FetchOrigin,
    TargetPolicy,
    Decide,
    Finished,
}

#[derive(Debug, Clone)]
enum Waiting {
    Fetch(FetchRequest),
    Lookup(Query),
}

/// The receiver's verification of one inbound Move, driven by the caller.
///
/// Call [`MoveCheck::next`] and answer each [`Step::Fetch`] with
/// [`MoveCheck::handle_fetched`] and each [`Step::Lookup`] with [`MoveCheck::handle_lookup`],
/// until [`Step::Done`]. `next` repeats an unanswered question; nothing happens behind the
/// caller's back, and the number of questions is bounded by [`crate::inbound::Limits`].
#[derive(Debug)]
pub struct MoveCheck<P> {
    policy: P,
    config: InboundConfig,
    now: SystemTime,
    input: InboundMove,
    stage: Stage,
    waiting: Option<Waiting>,
    steps: usize,
    fetches: usize,
    est: Option<Established>,
    audit_id: Option<MigrationId>,
    last_move_of_origin: Option<SystemTime>,
    last_move_of_target: Option<SystemTime>,
    holds: Vec<PolicyReason>,
    target_facts: Option<ActorFacts>,
    origin_fresh: Option<ActorFacts>,
    origin_fetched: bool,
    outcome: Option<(Decision, AuditEvent)>,
}

impl<P: MigrationPolicy> MoveCheck<P> {
    /// Start a check with the strict default [`InboundConfig`].
    pub fn new(policy: P, inbound: InboundMove, now: SystemTime) -> Self {
        MoveCheck::with_config(InboundConfig::default(), policy, inbound, now)
    }

    /// Start a check with an explicit configuration.
    pub fn with_config(
        config: InboundConfig,
        policy: P,
        inbound: InboundMove,
        now: SystemTime,
    ) -> Self {
        MoveCheck {
            policy,
            config,
            now,
            input: inbound,
            stage: Stage::Validate,
            waiting: None,
            steps: 0,
            fetches: 0,
            est: None,
            audit_id: None,
            last_move_of_origin: None,
            last_move_of_target: None,
            holds: Vec::new(),
            target_facts: None,
            origin_fresh: None,
            origin_fetched: false,
            outcome: None,
        }
    }

    /// The next step: a question (repeated until answered) or the decision.
    ///
    /// # Errors
    /// [`Error::Finished`] once [`Step::Done`] has been returned.
    // Not an `Iterator`: the caller must answer between calls, and misuse is an `Error`.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<Step, Error> {
        if let Some((decision, audit)) = self.outcome.take() {
            self.stage = Stage::Finished;
            return Ok(Step::Done { decision, audit });
        }
        if self.stage == Stage::Finished {
            return Err(Error::Finished);
        }
        if let Some(waiting) = &self.waiting {
            return Ok(match waiting {
                Waiting::Fetch(r) => Step::Fetch(r.clone()),
                Waiting::Lookup(q) => Step::Lookup(q.clone()),
            });
        }
        self.advance();
        self.next()
    }

    /// Answer the pending [`Step::Fetch`] for `url`.
    ///
    /// # Errors
    /// [`Error::UnexpectedAnswer`] if no fetch of `url` is pending; [`Error::Finished`] after
    /// the decision.
    pub fn handle_fetched(&mut self, url: &str, fetched: Fetched) -> Result<(), Error> {
        if self.stage == Stage::Finished {
            return Err(Error::Finished);
        }
        let request = match &self.waiting {
            Some(Waiting::Fetch(r)) if r.url == url => r.clone(),
            Some(Waiting::Fetch(_)) => {
                return Err(Error::UnexpectedAnswer {
                    expected: "fetch of the requested url",
                    got: "fetch of another url",
                });
            }
            Some(Waiting::Lookup(q)) => {
                return Err(Error::UnexpectedAnswer {
                    expected: q.name(),
                    got: fetched.name(),
                });
            }
            None => {
                return Err(Error::UnexpectedAnswer {
                    expected: "nothing",
                    got: fetched.name(),
                });
            }
        };
        self.waiting = None;
        match request.purpose {
            FetchPurpose::Target => self.on_target(fetched),
            FetchPurpose::Origin => self.on_origin(fetched),
        }
        Ok(())
    }

    /// Answer the pending [`Step::Lookup`].
    ///
    /// # Errors
    /// [`Error::UnexpectedAnswer`] if the answer does not match the pending question (or none
    /// is pending); [`Error::Finished`] after the decision.
    pub fn handle_lookup(&mut self, answer: Answer) -> Result<(), Error> {
        if self.stage == Stage::Finished {
            return Err(Error::Finished);
        }
        let query = match &self.waiting {
            Some(Waiting::Lookup(q)) if q.name() == answer.name() => q.clone(),
            Some(Waiting::Lookup(q)) => {
                return Err(Error::UnexpectedAnswer {
                    expected: q.name(),
                    got: answer.name(),
                });
            }
            Some(Waiting::Fetch(_)) => {
                return Err(Error::UnexpectedAnswer {
                    expected: "fetch",
                    got: answer.name(),
                });
            }
            None => {
                return Err(Error::UnexpectedAnswer {
                    expected: "nothing",
                    got: answer.name(),
                });
            }
        };
        self.waiting = None;
        self.on_lookup(query, answer);
        Ok(())
    }

    // --- driving -------------------------------------------------------------------------

    /// Run synchronous stages until a question is pending or the decision is taken.
    fn advance(&mut self) {
        loop {
            if self.outcome.is_some() || self.waiting.is_some() || self.stage == Stage::Finished {
                return;
            }
            // `est` is taken out while a stage runs (no per-stage clone) and put back after.
            let Some(est) = self.est.take() else {
                // Stage::Validate (nothing else can run before it).
                match self.validate() {
                    Ok(est) => {
                        self.audit_id = Some(est.migration_id.clone());
                        self.est = Some(est);
                        self.stage = Stage::AskProcessed;
                        continue;
                    }
                    Err(r) => return self.reject(r),
                }
            };
            if self.stage == Stage::Decide {
                return self.decide(est);
            }
            self.run_stage(&est);
            self.est = Some(est);
        }
    }

    fn run_stage(&mut self, est: &Established) {
        match self.stage.clone() {
            Stage::Validate => self.stage = Stage::AskProcessed,
            // §1.8 #40.5: idempotency on (origin, target), then the rate-limit inputs.
            Stage::AskProcessed => self.ask(Query::AlreadyProcessed {
                origin: est.origin.clone(),
                target: est.target.clone(),
            }),
            Stage::AskLastMoveOfOrigin => self.ask(Query::LastMove {
                account: est.origin.clone(),
            }),
            Stage::AskLastMoveOfTarget => self.ask(Query::LastMove {
                account: est.target.clone(),
            }),
            // §1.8 #40.6: moderation before anything is fetched from the target.
            Stage::AskModeration => self.ask(Query::Moderation {
                target: est.target.clone(),
            }),
            Stage::ConsultPolicy => {
                let verdict = self.policy.inbound_move(&self.context(est));
                if self.absorb(verdict) {
                    self.stage = Stage::FetchTarget;
                }
            }
            // §1.8 #40.7: the target, always fresh (E5).
            Stage::FetchTarget => self.fetch(est.target.clone(), FetchPurpose::Target),
            Stage::WalkGraph { cursor, .. } => self.ask(Query::LocalMovedTo { account: cursor }),
            Stage::CheckAlias => self.check_alias(est),
            Stage::OriginEvidence => self.origin_evidence(est),
            Stage::FetchOrigin => self.fetch(est.origin.clone(), FetchPurpose::Origin),
            Stage::TargetPolicy => {
                let Some(target) = self.target_facts.take() else {
                    return self.reject(Rejection::TargetUnreachable {
                        target: est.target.clone(),
                    });
                };
                let verdict = self.policy.target_fetched(&self.context(est), &target);
                self.target_facts = Some(target);
                if self.absorb(verdict) {
                    self.stage = Stage::Decide;
                }
            }
            // Handled by `advance`.
            Stage::Decide | Stage::Finished => {}
        }
    }

    fn ask(&mut self, query: Query) {
        if self.steps >= self.config.limits.max_steps {
            return self.reject(Rejection::LimitExceeded {
                what: "questions per check",
            });
        }
        self.steps += 1;
        self.waiting = Some(Waiting::Lookup(query));
    }

    fn fetch(&mut self, url: String, purpose: FetchPurpose) {
        if self.steps >= self.config.limits.max_steps {
            return self.reject(Rejection::LimitExceeded {
                what: "questions per check",
            });
        }
        if self.fetches >= self.config.limits.max_fetches {
            return self.reject(Rejection::LimitExceeded {
                what: "fetches per check",
            });
        }
        self.steps += 1;
        self.fetches += 1;
        self.waiting = Some(Waiting::Fetch(FetchRequest {
            url,
            purpose,
            fresh: true,
        }));
    }

    /// Fold a policy verdict in; returns `false` when it rejected.
    fn absorb(&mut self, verdict: Verdict) -> bool {
        match verdict {
            Verdict::Accept => true,
            Verdict::Hold(reasons) => {
                self.holds.extend(reasons);
                true
            }
            Verdict::Reject(reason) => {
                self.reject(Rejection::Policy(reason));
                false
            }
        }
    }

    fn context<'a>(&'a self, est: &'a Established) -> InboundMoveContext<'a> {
        InboundMoveContext {
            migration_id: &est.migration_id,
            move_id: est.move_id.as_deref(),
            origin: &est.origin,
            target: &est.target,
            mode: est.mode,
            authentication: &est.authentication,
            last_move_of_origin: self.last_move_of_origin,
            last_move_of_target: self.last_move_of_target,
            now: self.now,
        }
    }

    // --- the checks ----------------------------------------------------------------------

    /// §1.8 #40.1–4: authenticate, shape, mode, self-move. No questions needed.
    fn validate(&self) -> Result<Established, Rejection> {
        let limits = self.config.limits;
        let activity = &self.input.activity;
        let actor = single(&activity.actor, "/actor")?;

        // 1. Authenticate. FEP-8b32: the integrity proof takes precedence when present.
        let authentication = match (&self.input.proof_actor, &self.input.http_signer) {
            (Some(p), _) => Authentication::IntegrityProof {
                verified_actor_id: p.clone(),
            },
            (None, Some(s)) => Authentication::HttpSignature {
                signer_actor_id: s.clone(),
            },
            (None, None) => return Err(Rejection::Unauthenticated),
        };
        if authentication.actor_id() != actor {
            return Err(Rejection::SignerMismatch {
                signer: crate::error::clip(authentication.actor_id()),
                actor: crate::error::clip(actor),
            });
        }

        // 2. Shape.
        match &activity.id {
            None if self.config.require_id => {
                return Err(Rejection::Malformed {
                    at: "/id",
                    problem: "missing id",
                });
            }
            Some(id) if id.is_empty() && self.config.require_id => {
                return Err(Rejection::Malformed {
                    at: "/id",
                    problem: "empty id",
                });
            }
            Some(id) if id.len() > limits.max_id_len => {
                return Err(Rejection::Malformed {
                    at: "/id",
                    problem: "id too long",
                });
            }
            _ => {}
        }
        let object = single(&activity.object, "/object")?;
        let target = single(&activity.target, "/target")?;
        for (at, value) in [("/actor", actor), ("/object", object), ("/target", target)] {
            if !is_http_id(value, limits.max_id_len) {
                return Err(Rejection::Malformed {
                    at,
                    problem: "not an absolute http(s) URL within the length limit",
                });
            }
        }

        // 3. Mode: push (actor == object) or, opt-in, pull (actor == target).
        let mode = if actor == object {
            MoveMode::Push
        } else if actor == target {
            if !self.config.allow_pull {
                return Err(Rejection::PullModeDisabled);
            }
            MoveMode::Pull
        } else {
            return Err(Rejection::ObjectMismatch {
                actor: actor.to_owned(),
                object: object.to_owned(),
            });
        };

        // 4. Not a move to self.
        if object == target {
            return Err(Rejection::SelfMove {
                actor: object.to_owned(),
            });
        }

        Ok(Established {
            migration_id: MigrationId::new(object, target),
            move_id: activity.id.clone().filter(|id| !id.is_empty()),
            origin: object.to_owned(),
            target: target.to_owned(),
            mode,
            authentication,
        })
    }

    fn on_lookup(&mut self, query: Query, answer: Answer) {
        let Some(est) = self.est.take() else {
            return self.reject(Rejection::LimitExceeded {
                what: "answer before validation",
            });
        };
        self.on_lookup_with(&est, query, answer);
        self.est = Some(est);
    }

    fn on_lookup_with(&mut self, est: &Established, query: Query, answer: Answer) {
        match (query, answer) {
            (Query::AlreadyProcessed { .. }, Answer::AlreadyProcessed(seen)) => match seen {
                Some(first_accepted) => self.reject(Rejection::Duplicate { first_accepted }),
                None => self.stage = Stage::AskLastMoveOfOrigin,
            },
            (Query::LastMove { .. }, Answer::LastMove(at)) => {
                if self.stage == Stage::AskLastMoveOfOrigin {
                    self.last_move_of_origin = at;
                    self.stage = Stage::AskLastMoveOfTarget;
                } else {
                    self.last_move_of_target = at;
                    self.stage = Stage::AskModeration;
                }
            }
            (Query::Moderation { .. }, Answer::Moderation(state)) => {
                let target = est.target.clone();
                if state.target_suspended {
                    self.reject(Rejection::TargetSuspended { target })
                } else if state.target_domain_blocked {
                    self.reject(Rejection::TargetDomainBlocked { target })
                } else if state.target_blocked {
                    self.reject(Rejection::TargetBlocked { target })
                } else {
                    self.stage = Stage::ConsultPolicy;
                }
            }
            (Query::LocalMovedTo { .. }, Answer::LocalMovedTo(next)) => {
                self.on_graph_hop(est, next)
            }
            // `handle_lookup` only lets matching pairs through.
            _ => self.reject(Rejection::LimitExceeded {
                what: "mismatched answer",
            }),
        }
    }

    /// §1.8 #40.7–8: the fresh target document.
    fn on_target(&mut self, fetched: Fetched) {
        let Some(est) = self.est.take() else { return };
        self.on_target_with(&est, fetched);
        self.est = Some(est);
    }

    fn on_target_with(&mut self, est: &Established, fetched: Fetched) {
        let target = est.target.clone();
        let facts = match fetched {
            Fetched::Actor(facts) => facts,
            Fetched::NotFound => return self.reject(Rejection::TargetNotFound { target }),
            Fetched::Gone => return self.reject(Rejection::TargetGone { target }),
            Fetched::Error => return self.reject(Rejection::TargetUnreachable { target }),
        };
        if facts.id != target {
            return self.reject(Rejection::TargetIdMismatch {
                requested: target,
                served: crate::error::clip(&facts.id),
            });
        }
        if facts.tombstone {
            return self.reject(Rejection::TargetGone { target });
        }
        if facts.suspended {
            return self.reject(Rejection::TargetSuspended { target });
        }
        if facts.also_known_as.len() > self.config.limits.max_aliases {
            return self.reject(Rejection::TargetMalformed {
                target,
                problem: "more alsoKnownAs values than the limit",
            });
        }
        // E8 / E9: a target that has moved on is not a primary actor.
        if let Some(moved_to) = &facts.moved_to {
            return self.reject(if *moved_to == est.origin {
                Rejection::MoveLoop {
                    target,
                    origin: est.origin.clone(),
                }
            } else {
                Rejection::TargetMoved {
                    target,
                    moved_to: crate::error::clip(moved_to),
                }
            });
        }
        self.target_facts = Some(facts);
        self.stage = Stage::WalkGraph {
            cursor: target,
            hops: 0,
            first_hop: None,
        };
    }

    /// E8 / E9 through the local move graph (accepted moves), from the target onwards.
    fn on_graph_hop(&mut self, est: &Established, next: Option<String>) {
        let Stage::WalkGraph {
            cursor,
            hops,
            first_hop,
        } = self.stage.clone()
        else {
            return;
        };
        let Some(next) = next else {
            match first_hop {
                None => self.stage = Stage::CheckAlias,
                Some(moved_to) => self.reject(Rejection::TargetMoved {
                    target: est.target.clone(),
                    moved_to,
                }),
            }
            return;
        };
        if next == est.origin {
            return self.reject(Rejection::MoveLoop {
                target: est.target.clone(),
                origin: est.origin.clone(),
            });
        }
        let first_hop = first_hop.unwrap_or_else(|| crate::error::clip(&next));
        if next == cursor || hops + 1 >= self.config.limits.max_chain_hops {
            // A self-edge or a chain longer than we walk: the target has moved, either way.
            return self.reject(Rejection::TargetMoved {
                target: est.target.clone(),
                moved_to: first_hop,
            });
        }
        self.stage = Stage::WalkGraph {
            cursor: next,
            hops: hops + 1,
            first_hop: Some(first_hop),
        };
    }

    /// §1.8 #40.9: `target.alsoKnownAs ∋ origin`, exact (E4).
    fn check_alias(&mut self, est: &Established) {
        let aliased = self
            .target_facts
            .as_ref()
            .is_some_and(|t| t.aliases(&est.origin));
        if !aliased {
            return self.reject(Rejection::NotAliased {
                target: est.target.clone(),
                origin: est.origin.clone(),
            });
        }
        self.stage = Stage::OriginEvidence;
    }

    fn on_origin(&mut self, fetched: Fetched) {
        self.origin_fetched = true;
        if let (Fetched::Actor(facts), Some(est)) = (fetched, &self.est)
            && facts.id == est.origin
        {
            self.origin_fresh = Some(facts);
        }
        self.stage = Stage::OriginEvidence;
    }

    /// Pull mode: evidence from the old side (E3). Both modes: origin `movedTo` (E15).
    fn origin_evidence(&mut self, est: &Established) {
        let Some(target) = self.target_facts.as_ref() else {
            return self.reject(Rejection::TargetUnreachable {
                target: est.target.clone(),
            });
        };
        let supplied_link = self
            .input
            .old_side_proofs
            .iter()
            .any(|p| p.links(&est.origin, target));
        let wants_fetch = match est.mode {
            MoveMode::Pull => !supplied_link,
            MoveMode::Push => self.config.refetch_origin,
        };
        if wants_fetch && !self.origin_fetched {
            self.stage = Stage::FetchOrigin;
            return;
        }
        // The fresh document wins; the caller's copy is the fallback when the origin is offline.
        let origin_view = self.origin_fresh.as_ref().or(self
            .input
            .origin_facts
            .as_ref()
            .filter(|o| o.id == est.origin));
        if est.mode == MoveMode::Pull {
            let linked = supplied_link
                || origin_view
                    .is_some_and(|o| o.names(&est.target) || o.shared_identity(target).is_some());
            if !linked {
                return self.reject(Rejection::MissingOldSideProof {
                    origin: est.origin.clone(),
                    target: est.target.clone(),
                });
            }
        }
        if let Some(moved_to) = origin_view.and_then(|o| o.moved_to.as_ref())
            && *moved_to != est.target
        {
            return self.reject(Rejection::OriginMovedElsewhere {
                origin: est.origin.clone(),
                moved_to: crate::error::clip(moved_to),
                target: est.target.clone(),
            });
        }
        self.stage = Stage::TargetPolicy;
    }

    // --- decisions -----------------------------------------------------------------------

    fn decide(&mut self, est: Established) {
        let Some(target_facts) = self.target_facts.take() else {
            return self.reject(Rejection::TargetUnreachable { target: est.target });
        };
        let origin_facts = self
            .origin_fresh
            .take()
            .or_else(|| {
                self.input
                    .origin_facts
                    .take()
                    .filter(|o| o.id == est.origin)
            })
            .map(Box::new);
        let verified = VerifiedMove {
            migration_id: est.migration_id,
            move_id: est.move_id,
            origin: est.origin,
            target: est.target,
            mode: est.mode,
            authentication: est.authentication,
            target_facts: Box::new(target_facts),
            origin_facts,
            verified_at: self.now,
        };
        let decision = if self.holds.is_empty() {
            Decision::Accept(verified)
        } else {
            Decision::Hold(HeldMove {
                verified,
                reasons: std::mem::take(&mut self.holds),
            })
        };
        self.finish(decision);
    }

    fn reject(&mut self, rejection: Rejection) {
        self.finish(Decision::Reject(rejection));
    }

    fn finish(&mut self, decision: Decision) {
        self.waiting = None;
        let audit = self.audit(&decision);
        self.outcome = Some((decision, audit));
    }

    fn audit(&self, decision: &Decision) -> AuditEvent {
        let activity = &self.input.activity;
        let one = |v: &Vec<String>| match v.as_slice() {
            [x] => Some(crate::error::clip(x)),
            _ => None,
        };
        let origin = one(&activity.object);
        let target = one(&activity.target);
        let migration_id = match &self.audit_id {
            Some(id) => Some(id.clone()),
            None => match (&origin, &target) {
                (Some(o), Some(t)) => Some(MigrationId::new(o, t)),
                _ => None,
            },
        };
        let (outcome, detail) = match decision {
            Decision::Accept(v) => (
                AuditOutcome::Accepted,
                format!("accepted {} move {} -> {}", v.mode, v.origin, v.target),
            ),
            Decision::Hold(h) => (
                AuditOutcome::Held {
                    reasons: h.reasons.clone(),
                },
                join_reasons(&h.reasons),
            ),
            Decision::Reject(r) => (AuditOutcome::Rejected { code: r.code() }, r.to_string()),
        };
        AuditEvent {
            migration_id,
            at: self.now,
            subject: AuditSubject::InboundMove {
                move_id: activity.id.as_deref().map(crate::error::clip),
                actor: one(&activity.actor),
                origin,
                target,
            },
            outcome,
            detail,
        }
    }
}

/// Exactly one value (GoToSocial: one actor, one object, one target).
fn single<'a>(values: &'a [String], at: &'static str) -> Result<&'a str, Rejection> {
    match values {
        [one] => Ok(one),
        [] => Err(Rejection::Malformed {
            at,
            problem: "missing",
        }),
        _ => Err(Rejection::Malformed {
            at,
            problem: "more than one value",
        }),
    }
}
