//! Stateful target: arbitrary Move facts, evidence and configuration, then arbitrary fetch and
//! lookup answers (and wrong answers) driving `fep7628::inbound::MoveCheck` until it decides.
//! Documents also come as raw bytes (the Move, and fetched bodies with a status), read by
//! `activitystreams-move` and `fep7628::adapt` exactly as a server reads them.
//! Checks: no panic; bounded number of questions; every Accept/Hold had a freshly fetched
//! target that lists the origin in `alsoKnownAs` and has not moved; the check refuses to be
//! driven after its decision.
#![no_main]

use std::time::{Duration, SystemTime};

use activitystreams_move::ReadOptions;
use arbitrary::Arbitrary;
use fep7628::adapt;
use fep7628::inbound::{
    ActorFacts, Answer, Authentication, Decision, FetchPurpose, Fetched, InboundConfig,
    InboundMove, Limits, ModerationState, MoveCheck, MoveFacts, OldSideProof, Query, Step,
};
use fep7628::policy::{CooldownPolicy, DomainBlockPolicy};
use libfuzzer_sys::fuzz_target;

const POOL: &[&str] = &[
    "https://a.example/u",
    "https://b.example/u",
    "https://c.example/u",
    "http://xn--bcher-kva.example/u",
    "",
];

#[derive(Arbitrary, Debug)]
enum Id {
    Pool(u8),
    Raw(String),
}

impl Id {
    fn get(&self) -> String {
        match self {
            Id::Pool(i) => POOL[usize::from(*i) % POOL.len()].to_owned(),
            Id::Raw(s) => s.clone(),
        }
    }
}

fn all(ids: &[Id]) -> Vec<String> {
    ids.iter().take(8).map(Id::get).collect()
}

#[derive(Arbitrary, Debug)]
struct Actor {
    id: Option<Id>,
    aka: Vec<Id>,
    moved_to: Option<Id>,
    copied_to: Vec<Id>,
    suspended: bool,
    tombstone: bool,
    dids: Vec<u8>,
}

impl Actor {
    fn facts(&self, requested: &str) -> ActorFacts {
        ActorFacts {
            id: self
                .id
                .as_ref()
                .map_or_else(|| requested.to_owned(), Id::get),
            also_known_as: all(&self.aka),
            moved_to: self.moved_to.as_ref().map(Id::get),
            copied_to: all(&self.copied_to),
            suspended: self.suspended,
            tombstone: self.tombstone,
            identity_dids: self
                .dids
                .iter()
                .take(4)
                .map(|d| format!("did:key:z{}", d % 3))
                .collect(),
            ..ActorFacts::default()
        }
    }
}

#[derive(Arbitrary, Debug)]
enum Reply {
    Actor(Actor),
    NotFound,
    Gone,
    Error,
    Processed(Option<u32>),
    LastMove(Option<u32>),
    Moderation(u8),
    MovedTo(Option<Id>),
    WrongFetch,
    WrongLookup,
    /// A fetched response as the HTTP client got it: status and body bytes, through the adapter.
    Raw(u16, Vec<u8>),
}

#[derive(Arbitrary, Debug)]
enum Proof {
    Did(u8),
    Doc(Actor),
    Integrity(Id),
}

#[derive(Arbitrary, Debug)]
struct Input {
    /// When present, the Move is these bytes read by `activitystreams-move` + `adapt`
    /// (a refusal ends the run: the pipeline is never given a document the parser refused).
    raw_move: Option<Vec<u8>>,
    id: Option<Id>,
    actor: Vec<Id>,
    object: Vec<Id>,
    target: Vec<Id>,
    http: Option<Id>,
    proof: Option<Id>,
    origin: Option<Actor>,
    old_side: Vec<Proof>,
    allow_pull: bool,
    require_id: bool,
    refetch_origin: bool,
    now: u32,
    replies: Vec<Reply>,
}

fn at(secs: u32) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(u64::from(secs))
}

fn default_answer(q: &Query) -> Answer {
    match q {
        Query::AlreadyProcessed { .. } => Answer::AlreadyProcessed(None),
        Query::LastMove { .. } => Answer::LastMove(None),
        Query::Moderation { .. } => Answer::Moderation(ModerationState::default()),
        _ => Answer::LocalMovedTo(None),
    }
}

fuzz_target!(|input: Input| {
    let options = ReadOptions::default();
    let facts = match &input.raw_move {
        Some(bytes) => match adapt::parse_move(bytes, &options) {
            Ok(facts) => facts,
            Err(e) => {
                assert!(!e.kind().is_empty());
                return;
            }
        },
        None => MoveFacts {
            id: input.id.as_ref().map(Id::get),
            actor: all(&input.actor),
            object: all(&input.object),
            target: all(&input.target),
        },
    };
    let mut inbound = InboundMove::new(facts);
    if let Some(h) = &input.http {
        inbound = inbound.authenticated_by(Authentication::HttpSignature {
            signer_actor_id: h.get(),
        });
    }
    if let Some(p) = &input.proof {
        inbound = inbound.authenticated_by(Authentication::IntegrityProof {
            verified_actor_id: p.get(),
        });
    }
    if let Some(o) = &input.origin {
        inbound = inbound.with_origin_facts(o.facts(""));
    }
    for p in input.old_side.iter().take(4) {
        inbound = inbound.with_old_side_proof(match p {
            Proof::Did(d) => OldSideProof::SharedIdentitySubject {
                did: format!("did:key:z{}", d % 3),
            },
            Proof::Doc(a) => OldSideProof::OldActorDocument(a.facts("")),
            Proof::Integrity(i) => OldSideProof::IntegrityProof {
                verified_actor_id: i.get(),
            },
        });
    }
    let config = InboundConfig::default()
        .allow_pull(input.allow_pull)
        .require_id(input.require_id)
        .refetch_origin(input.refetch_origin);
    let policy = (
        CooldownPolicy::gotosocial(),
        DomainBlockPolicy::new().with_block("c.example"),
    );
    let mut check = MoveCheck::with_config(config, policy, inbound, at(input.now));

    let mut replies = input.replies.iter();
    let mut questions = 0usize;
    let mut last_target: Option<ActorFacts> = None;
    loop {
        let step = check.next().expect("next() before the decision never errs");
        match step {
            Step::Fetch(req) => {
                questions += 1;
                assert!(req.fresh);
                let answer = match replies.next() {
                    Some(Reply::Actor(a)) => Fetched::Actor(a.facts(&req.url)),
                    Some(Reply::NotFound) | None => Fetched::NotFound,
                    Some(Reply::Gone) => Fetched::Gone,
                    Some(Reply::Raw(status, body)) => adapt::fetched(*status, body, &options),
                    Some(Reply::WrongLookup) => {
                        assert!(check.handle_lookup(Answer::LastMove(None)).is_err());
                        Fetched::Error
                    }
                    Some(_) => Fetched::Error,
                };
                if let (Fetched::Actor(f), FetchPurpose::Target) = (&answer, req.purpose) {
                    last_target = Some(f.clone());
                }
                check
                    .handle_fetched(&req.url, answer)
                    .expect("matching answer");
            }
            Step::Lookup(q) => {
                questions += 1;
                let answer = match (replies.next(), &q) {
                    (Some(Reply::Processed(t)), Query::AlreadyProcessed { .. }) => {
                        Answer::AlreadyProcessed(t.map(at))
                    }
                    (Some(Reply::LastMove(t)), Query::LastMove { .. }) => {
                        Answer::LastMove(t.map(at))
                    }
                    (Some(Reply::Moderation(m)), Query::Moderation { .. }) => {
                        Answer::Moderation(ModerationState {
                            target_suspended: m & 1 != 0,
                            target_domain_blocked: m & 2 != 0,
                            target_blocked: m & 4 != 0,
                        })
                    }
                    (Some(Reply::MovedTo(m)), Query::LocalMovedTo { .. }) => {
                        Answer::LocalMovedTo(m.as_ref().map(Id::get))
                    }
                    (Some(Reply::WrongFetch), _) => {
                        assert!(
                            check
                                .handle_fetched("https://x.example/", Fetched::Gone)
                                .is_err()
                        );
                        default_answer(&q)
                    }
                    _ => default_answer(&q),
                };
                check.handle_lookup(answer).expect("matching answer");
            }
            Step::Done { decision, .. } => {
                assert!(questions <= Limits::default().max_steps);
                let verified = match &decision {
                    Decision::Accept(v) => Some(v.clone()),
                    Decision::Hold(h) => Some(h.pending().clone()),
                    Decision::Reject(_) => None,
                };
                if let Some(v) = verified {
                    let served = last_target.expect("a target was fetched");
                    assert_eq!(served.id, v.target());
                    assert!(served.also_known_as.iter().any(|a| a == v.origin()));
                    assert!(served.moved_to.is_none());
                    assert_ne!(v.origin(), v.target());
                }
                assert!(check.next().is_err());
                assert!(check.handle_lookup(Answer::LastMove(None)).is_err());
                return;
            }
        }
    }
});
