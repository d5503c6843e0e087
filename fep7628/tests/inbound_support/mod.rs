//! A simulated receiving server for driving `MoveCheck` in tests: remote documents, the local
//! store (processed migrations, last moves, move graph) and moderation state, with logs of
//! every question asked.
#![allow(dead_code)]

use std::collections::HashMap;
use std::time::{Duration, SystemTime};

use fep7628::inbound::{
    ActorFacts, Answer, Authentication, Decision, FetchPurpose, Fetched, InboundConfig,
    InboundMove, ModerationState, MoveCheck, MoveFacts, Query, Step,
};
use fep7628::policy::{AuditEvent, MigrationPolicy};

pub const ORIGIN: &str = "https://old.example/users/alice";
pub const TARGET: &str = "https://new.example/users/alice";
pub const MALLORY: &str = "https://evil.example/users/mallory";
pub const MOVE_ID: &str = "https://old.example/users/alice/moves/1";

pub fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

pub const DAY: Duration = Duration::from_secs(86_400);

/// The canonical valid push Move from ORIGIN to TARGET, signed by ORIGIN.
pub fn push_move() -> InboundMove {
    InboundMove::new(MoveFacts::new(MOVE_ID, ORIGIN, ORIGIN, TARGET)).authenticated_by(
        Authentication::HttpSignature {
            signer_actor_id: ORIGIN.to_owned(),
        },
    )
}

pub fn http_sig(actor: &str) -> Authentication {
    Authentication::HttpSignature {
        signer_actor_id: actor.to_owned(),
    }
}

#[derive(Debug, Default)]
pub struct World {
    pub remote: HashMap<String, Fetched>,
    pub processed: HashMap<(String, String), SystemTime>,
    pub last_move: HashMap<String, SystemTime>,
    pub moved_to: HashMap<String, String>,
    pub moderation: ModerationState,
    pub fetches: Vec<(String, FetchPurpose, bool)>,
    pub lookups: Vec<Query>,
    pub audit: Vec<AuditEvent>,
}

impl World {
    /// A world where TARGET exists and aliases ORIGIN; ORIGIN exists and is unmoved.
    pub fn aliased() -> Self {
        let mut w = World::default();
        w.put(ActorFacts::new(TARGET).with_alias(ORIGIN));
        w.put(ActorFacts::new(ORIGIN));
        w
    }

    pub fn put(&mut self, facts: ActorFacts) {
        self.remote.insert(facts.id.clone(), Fetched::Actor(facts));
    }

    pub fn run(&mut self, inbound: InboundMove, now: SystemTime) -> Decision {
        self.run_with(
            InboundConfig::default(),
            fep7628::policy::AcceptAll,
            inbound,
            now,
        )
    }

    pub fn run_with<P: MigrationPolicy>(
        &mut self,
        config: InboundConfig,
        policy: P,
        inbound: InboundMove,
        now: SystemTime,
    ) -> Decision {
        let mut check = MoveCheck::with_config(config, policy, inbound, now);
        for _ in 0..1000 {
            match check.next().expect("check is driven correctly") {
                Step::Fetch(req) => {
                    self.fetches.push((req.url.clone(), req.purpose, req.fresh));
                    let answer = self
                        .remote
                        .get(&req.url)
                        .cloned()
                        .unwrap_or(Fetched::NotFound);
                    check
                        .handle_fetched(&req.url, answer)
                        .expect("answer accepted");
                }
                Step::Lookup(query) => {
                    self.lookups.push(query.clone());
                    let answer = self.answer(&query);
                    check.handle_lookup(answer).expect("answer accepted");
                }
                Step::Done { decision, audit } => {
                    self.audit.push(audit);
                    self.record(&decision, now);
                    return decision;
                }
            }
        }
        panic!("check did not finish");
    }

    fn answer(&self, query: &Query) -> Answer {
        match query {
            Query::AlreadyProcessed { origin, target } => Answer::AlreadyProcessed(
                self.processed
                    .get(&(origin.clone(), target.clone()))
                    .copied(),
            ),
            Query::LastMove { account } => Answer::LastMove(self.last_move.get(account).copied()),
            Query::Moderation { .. } => Answer::Moderation(self.moderation),
            Query::LocalMovedTo { account } => {
                Answer::LocalMovedTo(self.moved_to.get(account).cloned())
            }
            other => panic!("unknown query {other:?}"),
        }
    }

    /// Apply the decision's effects the way a store following the docs would.
    fn record(&mut self, decision: &Decision, now: SystemTime) {
        if !decision.effects().record_move {
            return;
        }
        if let Decision::Accept(v) = decision {
            self.processed
                .insert((v.origin().to_owned(), v.target().to_owned()), now);
            self.last_move.insert(v.origin().to_owned(), now);
            self.last_move.insert(v.target().to_owned(), now);
            self.moved_to
                .insert(v.origin().to_owned(), v.target().to_owned());
        }
    }

    pub fn fetched_urls(&self) -> Vec<&str> {
        self.fetches.iter().map(|(u, _, _)| u.as_str()).collect()
    }
}

/// The rejection kind, or "accept" / "hold".
pub fn outcome(decision: &Decision) -> &'static str {
    match decision {
        Decision::Accept(_) => "accept",
        Decision::Hold(_) => "hold",
        Decision::Reject(r) => r.kind(),
    }
}

/// A Move document's facts, read the way a server reads it: `activitystreams-move` (context
/// guard included) and the [`fep7628::adapt`] adapter. Panics (the test fails) when the
/// library refuses the document.
pub fn move_facts(doc: &serde_json::Value) -> MoveFacts {
    let bytes = serde_json::to_vec(doc).expect("serialisable");
    fep7628::adapt::parse_move(&bytes, &activitystreams_move::ReadOptions::default())
        .unwrap_or_else(|e| panic!("activitystreams-move refused the Move: {e} ({})", e.kind()))
}

/// An actor document's facts through `activitystreams-move` and the adapter (verified FEP-c390
/// subjects only).
pub fn actor_facts(doc: &serde_json::Value) -> ActorFacts {
    let bytes = serde_json::to_vec(doc).expect("serialisable");
    fep7628::adapt::parse_actor(&bytes, &activitystreams_move::ReadOptions::default())
        .unwrap_or_else(|e| panic!("activitystreams-move refused the actor: {e} ({})", e.kind()))
}
