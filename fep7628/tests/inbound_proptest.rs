//! Property tests: no sequence of inputs panics the pipeline, and nothing is ever accepted
//! whose freshly fetched target does not list the origin in `alsoKnownAs` (and, in pull mode,
//! without evidence from the old side).

use std::time::{Duration, SystemTime};

use fep7628::inbound::{
    ActorFacts, Answer, Authentication, Decision, FetchPurpose, Fetched, InboundConfig,
    InboundMove, ModerationState, MoveCheck, MoveFacts, MoveMode, OldSideProof, Query, Step,
};
use fep7628::policy::{CooldownPolicy, DomainBlockPolicy};
use proptest::prelude::*;

const POOL: &[&str] = &[
    "https://a.example/u",
    "https://b.example/u",
    "https://c.example/u",
    "http://d.example/u",
    "not a url",
    "",
];
const DIDS: &[&str] = &["did:key:z1", "did:key:z2"];

fn id() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(POOL).prop_map(str::to_owned),
        1 => ".{0,40}",
    ]
}

fn ids(max: usize) -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(id(), 0..=max)
}

fn actor_facts() -> impl Strategy<Value = ActorFacts> {
    (
        id(),
        ids(4),
        prop::option::of(id()),
        ids(2),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(prop::sample::select(DIDS).prop_map(str::to_owned), 0..2),
    )
        .prop_map(
            |(id, aka, moved, copied, suspended, tombstone, dids)| ActorFacts {
                id,
                also_known_as: aka,
                moved_to: moved,
                copied_to: copied,
                suspended: suspended && tombstone, // rare
                tombstone: false,
                inbox: None,
                shared_inbox: None,
                identity_dids: dids,
                ..ActorFacts::default()
            },
        )
}

fn fetched() -> impl Strategy<Value = FetchedChoice> {
    prop_oneof![
        // Most of the time a document served under the requested id.
        6 => (actor_facts(), any::<bool>()).prop_map(|(f, keep_id)| FetchedChoice::Actor(f, keep_id)),
        // An active actor aliasing every valid account of the pool.
        6 => Just(FetchedChoice::Actor(ActorFacts {
            also_known_as: POOL.iter().take(3).map(|s| (*s).to_owned()).collect(),
            ..ActorFacts::default()
        }, true)),
        1 => Just(FetchedChoice::Other(Fetched::NotFound)),
        1 => Just(FetchedChoice::Other(Fetched::Gone)),
        1 => Just(FetchedChoice::Other(Fetched::Error)),
    ]
}

#[derive(Debug, Clone)]
enum FetchedChoice {
    /// `true`: replace the id with the requested URL.
    Actor(ActorFacts, bool),
    Other(Fetched),
}

#[derive(Debug, Clone)]
enum Reply {
    Fetch(FetchedChoice),
    Processed(Option<u64>),
    LastMove(Option<u64>),
    Moderation(bool, bool, bool),
    MovedTo(Option<String>),
    /// Deliberately the wrong kind of answer (must be refused without panicking).
    Wrong,
}

fn reply() -> impl Strategy<Value = Reply> {
    prop_oneof![
        4 => fetched().prop_map(Reply::Fetch),
        1 => prop::option::weighted(0.2, 0u64..2_000_000).prop_map(Reply::Processed),
        2 => prop::option::weighted(0.3, 0u64..2_000_000).prop_map(Reply::LastMove),
        1 => (any::<bool>(), any::<bool>(), any::<bool>()).prop_map(|(a, b, c)| Reply::Moderation(a, b, c)),
        2 => prop::option::of(id()).prop_map(Reply::MovedTo),
        1 => Just(Reply::Wrong),
    ]
}

fn old_side_proof() -> impl Strategy<Value = OldSideProof> {
    prop_oneof![
        prop::sample::select(DIDS)
            .prop_map(|d| OldSideProof::SharedIdentitySubject { did: d.to_owned() }),
        actor_facts().prop_map(OldSideProof::OldActorDocument),
        id().prop_map(|i| OldSideProof::IntegrityProof {
            verified_actor_id: i
        }),
    ]
}

#[derive(Debug, Clone)]
struct Case {
    facts: MoveFacts,
    http: Option<String>,
    proof: Option<String>,
    origin_facts: Option<ActorFacts>,
    proofs: Vec<OldSideProof>,
    allow_pull: bool,
    require_id: bool,
    refetch_origin: bool,
    replies: Vec<Reply>,
    now: u64,
}

/// Mostly well-formed Moves between two distinct accounts of the pool, in either mode, with a
/// matching signer most of the time; sometimes anything at all.
fn move_and_auth() -> impl Strategy<Value = (MoveFacts, Option<String>, Option<String>)> {
    let structured = (
        0usize..3,
        0usize..3,
        any::<bool>(),
        0u8..10,
        prop::option::of(id()),
    )
        .prop_map(|(o, t, pull, auth, mid)| {
            let origin = POOL[o].to_owned();
            let target = POOL[(o + 1 + t % 2) % 3].to_owned();
            let actor = if pull { target.clone() } else { origin.clone() };
            let facts = MoveFacts {
                id: mid.or_else(|| Some(format!("{actor}/moves/1"))),
                actor: vec![actor.clone()],
                object: vec![origin],
                target: vec![target],
            };
            let (http, proof) = match auth {
                0 => (None, None),
                1 => (Some(actor.clone()), Some(POOL[4].to_owned())),
                2 => (Some(POOL[0].to_owned()), Some(actor)),
                3..=6 => (Some(actor), None),
                _ => (None, Some(actor)),
            };
            (facts, http, proof)
        });
    let anything = (
        (prop::option::of(id()), ids(2), ids(2), ids(2)),
        (prop::option::of(id()), prop::option::of(id())),
    )
        .prop_map(|((id, actor, object, target), (http, proof))| {
            (
                MoveFacts {
                    id,
                    actor,
                    object,
                    target,
                },
                http,
                proof,
            )
        });
    prop_oneof![3 => structured, 1 => anything]
}

fn case() -> impl Strategy<Value = Case> {
    (
        move_and_auth(),
        prop::option::of(actor_facts()),
        prop::collection::vec(old_side_proof(), 0..2),
        (any::<bool>(), any::<bool>(), any::<bool>()),
        prop::collection::vec(reply(), 0..24),
        1_000_000u64..3_000_000,
    )
        .prop_map(
            |((facts, http, proof), origin_facts, proofs, (p, r, o), replies, now)| Case {
                facts,
                http,
                proof,
                origin_facts,
                proofs,
                allow_pull: p,
                require_id: r,
                refetch_origin: o,
                replies,
                now,
            },
        )
}

fn at(secs: u64) -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(secs)
}

fn default_answer(q: &Query) -> Answer {
    match q {
        Query::AlreadyProcessed { .. } => Answer::AlreadyProcessed(None),
        Query::LastMove { .. } => Answer::LastMove(None),
        Query::Moderation { .. } => Answer::Moderation(ModerationState::default()),
        _ => Answer::LocalMovedTo(None),
    }
}

struct Trace {
    decision: Decision,
    /// The documents supplied for target fetches.
    target_docs: Vec<ActorFacts>,
    /// The documents supplied for origin fetches.
    origin_docs: Vec<ActorFacts>,
    target_fetch_fresh: bool,
    questions: usize,
}

fn drive(case: &Case) -> Trace {
    let mut inbound = InboundMove::new(case.facts.clone());
    if let Some(h) = &case.http {
        inbound = inbound.authenticated_by(Authentication::HttpSignature {
            signer_actor_id: h.clone(),
        });
    }
    if let Some(p) = &case.proof {
        inbound = inbound.authenticated_by(Authentication::IntegrityProof {
            verified_actor_id: p.clone(),
        });
    }
    if let Some(o) = &case.origin_facts {
        inbound = inbound.with_origin_facts(o.clone());
    }
    for p in &case.proofs {
        inbound = inbound.with_old_side_proof(p.clone());
    }
    let config = InboundConfig::default()
        .allow_pull(case.allow_pull)
        .require_id(case.require_id)
        .refetch_origin(case.refetch_origin);
    let policy = (
        CooldownPolicy::gotosocial(),
        DomainBlockPolicy::new().with_block("c.example"),
    );
    let mut check = MoveCheck::with_config(config, policy, inbound, at(case.now));
    let mut fetch_replies = case
        .replies
        .iter()
        .filter(|r| matches!(r, Reply::Fetch(_) | Reply::Wrong));
    let mut lookup_replies = case
        .replies
        .iter()
        .filter(|r| !matches!(r, Reply::Fetch(_)));
    let mut trace = Trace {
        decision: Decision::Reject(fep7628::inbound::Rejection::Unauthenticated),
        target_docs: Vec::new(),
        origin_docs: Vec::new(),
        target_fetch_fresh: true,
        questions: 0,
    };
    for _ in 0..200 {
        let step = check.next().expect("next() before Done never errs");
        match step {
            Step::Fetch(req) => {
                trace.questions += 1;
                trace.target_fetch_fresh &= req.fresh;
                let answer = match fetch_replies.next() {
                    Some(Reply::Fetch(FetchedChoice::Actor(f, keep))) => {
                        let mut f = f.clone();
                        if *keep {
                            f.id = req.url.clone();
                        }
                        Fetched::Actor(f)
                    }
                    Some(Reply::Fetch(FetchedChoice::Other(o))) => o.clone(),
                    Some(_) => {
                        // A lookup answer to a fetch: refused, then answered properly.
                        assert!(check.handle_lookup(Answer::LastMove(None)).is_err());
                        Fetched::Error
                    }
                    None => Fetched::NotFound,
                };
                if let Fetched::Actor(f) = &answer {
                    match req.purpose {
                        FetchPurpose::Target => trace.target_docs.push(f.clone()),
                        FetchPurpose::Origin => trace.origin_docs.push(f.clone()),
                    }
                }
                check.handle_fetched(&req.url, answer).expect("answer fits");
            }
            Step::Lookup(q) => {
                trace.questions += 1;
                let answer = match (lookup_replies.next(), &q) {
                    (Some(Reply::Processed(t)), Query::AlreadyProcessed { .. }) => {
                        Answer::AlreadyProcessed(t.map(at))
                    }
                    (Some(Reply::LastMove(t)), Query::LastMove { .. }) => {
                        Answer::LastMove(t.map(at))
                    }
                    (Some(Reply::Moderation(a, b, c)), Query::Moderation { .. }) => {
                        Answer::Moderation(ModerationState {
                            target_suspended: *a && *b,
                            target_domain_blocked: *b && *c,
                            target_blocked: *a && *c,
                        })
                    }
                    (Some(Reply::MovedTo(m)), Query::LocalMovedTo { .. }) => {
                        Answer::LocalMovedTo(m.clone())
                    }
                    (Some(Reply::Wrong), _) => {
                        assert!(
                            check
                                .handle_fetched("https://x.example/", Fetched::Gone)
                                .is_err()
                        );
                        default_answer(&q)
                    }
                    _ => default_answer(&q),
                };
                check.handle_lookup(answer).expect("answer fits");
            }
            Step::Done { decision, audit } => {
                assert_eq!(audit.at, at(case.now));
                assert!(check.next().is_err());
                trace.decision = decision;
                return trace;
            }
        }
    }
    panic!("check did not finish within 200 steps");
}

fn check_invariants(case: &Case, trace: &Trace) -> Result<bool, TestCaseError> {
    prop_assert!(trace.questions <= fep7628::inbound::Limits::default().max_steps);
    let verified = match &trace.decision {
        Decision::Accept(v) => v.clone(),
        Decision::Hold(h) => h.pending().clone(),
        Decision::Reject(_) => return Ok(false),
    };
    // The target was fetched fresh, and the document we served lists the origin exactly.
    prop_assert!(trace.target_fetch_fresh);
    let served = trace
        .target_docs
        .last()
        .expect("a target document was served");
    prop_assert_eq!(&served.id, verified.target());
    prop_assert!(served.also_known_as.iter().any(|a| a == verified.origin()));
    prop_assert!(served.moved_to.is_none());
    prop_assert_eq!(verified.target_facts(), served);
    prop_assert_ne!(verified.origin(), verified.target());
    // Authenticated as the actor, with the integrity proof taking precedence.
    let actor = case.facts.actor.first().expect("one actor");
    prop_assert_eq!(verified.authentication().actor_id(), actor.as_str());
    if let Some(p) = &case.proof {
        prop_assert_eq!(p, actor);
    }
    match verified.mode() {
        MoveMode::Push => prop_assert_eq!(actor.as_str(), verified.origin()),
        MoveMode::Pull => {
            prop_assert!(case.allow_pull);
            prop_assert_eq!(actor.as_str(), verified.target());
            // Some evidence from the old side linked it.
            let supplied = case
                .proofs
                .iter()
                .any(|p| p.links(verified.origin(), served));
            let from_doc = |o: &ActorFacts| {
                o.id == verified.origin()
                    && (o.names(verified.target()) || o.shared_identity(served).is_some())
            };
            let fetched = trace.origin_docs.iter().any(from_doc);
            let cached = case.origin_facts.as_ref().is_some_and(from_doc);
            prop_assert!(supplied || fetched || cached);
        }
    }
    Ok(true)
}

#[test]
fn never_panics_and_never_accepts_an_unlinked_target() {
    use std::cell::Cell;
    let accepted = Cell::new(0usize);
    let pulled = Cell::new(0usize);
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(3000));
    runner
        .run(&case(), |case| {
            let trace = drive(&case);
            if check_invariants(&case, &trace)? {
                accepted.set(accepted.get() + 1);
                if case.facts.actor.first() == case.facts.target.first() {
                    pulled.set(pulled.get() + 1);
                }
            }
            Ok(())
        })
        .unwrap();
    eprintln!(
        "accepted {} of 3000 ({} pull)",
        accepted.get(),
        pulled.get()
    );
    // The invariants were exercised: a run that never reached Accept checked nothing.
    assert!(accepted.get() >= 20, "only {} accepts", accepted.get());
    assert!(pulled.get() >= 1, "no pull-mode accept");
}
