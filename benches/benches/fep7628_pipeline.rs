//! The inbound Move pipeline's own work per Move: facts in, decision out, every fetch and
//! lookup answered at once (signature checking and JSON parsing excluded). Timed beside the
//! raw primitives it sits next to in a real inbox: one Ed25519 signature verification (the
//! cheapest signature a Move arrives with) and one `serde_json` parse of the Move.
//! Budget: ≤ 10 µs per Move.
//!
//! Beside the facts-only row, `move_check_with_adapters` is what an inbox pays after the
//! signature check: the Move's bytes read by `activitystreams-move` and adapted
//! (`fep7628::adapt::parse_move`), the fetched target's bytes read and adapted
//! (`adapt::fetched`), and the same `MoveCheck`. The quick report prints the ratio of the two.

use std::hint::black_box;
use std::time::{Duration, Instant, SystemTime};

use activitystreams_move::ReadOptions;
use criterion::Criterion;
use ed25519_dalek::{Signer, SigningKey, Verifier};
use fep7628::adapt;
use fep7628::inbound::{
    ActorFacts, ActorProfile, Answer, Authentication, Decision, Fetched, InboundMove,
    ModerationState, MoveCheck, MoveFacts, Query, Step,
};
use fep7628::policy::{CooldownPolicy, DomainBlockPolicy};

const ORIGIN: &str = "https://old.example/users/alice";
const TARGET: &str = "https://new.example/users/alice";
const MOVE_JSON: &str = r#"{"@context":"https://www.w3.org/ns/activitystreams","id":"https://old.example/users/alice/moves/01HR9FDFCAGM7JYPMWNTFRDQE9","type":"Move","actor":"https://old.example/users/alice","object":"https://old.example/users/alice","target":"https://new.example/users/alice","to":"https://www.w3.org/ns/activitystreams#Public","cc":"https://old.example/users/alice/followers"}"#;

/// The target's actor document as its server serves it (Mastodon-shaped, aliased to the origin).
const TARGET_JSON: &str = r#"{"@context":["https://www.w3.org/ns/activitystreams","https://w3id.org/security/v1",{"manuallyApprovesFollowers":"as:manuallyApprovesFollowers","alsoKnownAs":{"@id":"as:alsoKnownAs","@type":"@id"},"movedTo":{"@id":"as:movedTo","@type":"@id"}}],"id":"https://new.example/users/alice","type":"Person","preferredUsername":"alice","name":"Alice","inbox":"https://new.example/users/alice/inbox","outbox":"https://new.example/users/alice/outbox","followers":"https://new.example/users/alice/followers","following":"https://new.example/users/alice/following","manuallyApprovesFollowers":false,"alsoKnownAs":["https://older.example/users/alice","https://old.example/users/alice"],"endpoints":{"sharedInbox":"https://new.example/inbox"},"publicKey":{"id":"https://new.example/users/alice#main-key","owner":"https://new.example/users/alice","publicKeyPem":"-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=\n-----END PUBLIC KEY-----\n"}}"#;

fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn inbound(signer: &str) -> InboundMove {
    InboundMove::new(MoveFacts::new(
        "https://old.example/users/alice/moves/01HR9FDFCAGM7JYPMWNTFRDQE9",
        ORIGIN,
        ORIGIN,
        TARGET,
    ))
    .authenticated_by(Authentication::HttpSignature {
        signer_actor_id: signer.to_owned(),
    })
}

fn target() -> ActorFacts {
    let mut t = ActorFacts::new(TARGET)
        .with_alias("https://older.example/users/alice")
        .with_alias(ORIGIN);
    t.inbox = Some(format!("{TARGET}/inbox"));
    t.shared_inbox = Some("https://new.example/inbox".into());
    // What `adapt` reads from TARGET_JSON for moderation policies.
    t.profile = Some(Box::new(ActorProfile {
        preferred_username: Some("alice".into()),
        name: Some("Alice".into()),
        ..ActorProfile::default()
    }));
    t
}

type Policy = (CooldownPolicy, DomainBlockPolicy);

fn policy() -> Policy {
    (
        CooldownPolicy::gotosocial(),
        DomainBlockPolicy::new()
            .with_block("spam.example")
            .with_block("evil.example"),
    )
}

/// One full check, answering every question at once.
fn check(policy: &Policy, inbound: InboundMove, target: &ActorFacts) -> Decision {
    let mut check = MoveCheck::new(policy, inbound, now());
    loop {
        match check.next().expect("driven correctly") {
            Step::Fetch(req) => check
                .handle_fetched(&req.url, Fetched::Actor(target.clone()))
                .expect("pending fetch"),
            Step::Lookup(q) => check
                .handle_lookup(match q {
                    Query::AlreadyProcessed { .. } => Answer::AlreadyProcessed(None),
                    Query::LastMove { .. } => Answer::LastMove(None),
                    Query::Moderation { .. } => Answer::Moderation(ModerationState::default()),
                    _ => Answer::LocalMovedTo(None),
                })
                .expect("pending lookup"),
            Step::Done { decision, audit } => {
                black_box(audit);
                return decision;
            }
        }
    }
}

/// What an inbox pays after the signature check: the Move's bytes and the fetched target's
/// bytes read by `activitystreams-move` and adapted, then the same `MoveCheck`.
fn check_with_adapters(policy: &Policy, options: &ReadOptions) -> Decision {
    let facts = adapt::parse_move(MOVE_JSON.as_bytes(), options).expect("the Move reads");
    let inbound = InboundMove::new(facts).authenticated_by(Authentication::HttpSignature {
        signer_actor_id: ORIGIN.to_owned(),
    });
    let mut check = MoveCheck::new(policy, inbound, now());
    loop {
        match check.next().expect("driven correctly") {
            Step::Fetch(req) => check
                .handle_fetched(
                    &req.url,
                    adapt::fetched(200, TARGET_JSON.as_bytes(), options),
                )
                .expect("pending fetch"),
            Step::Lookup(q) => check
                .handle_lookup(match q {
                    Query::AlreadyProcessed { .. } => Answer::AlreadyProcessed(None),
                    Query::LastMove { .. } => Answer::LastMove(None),
                    Query::Moderation { .. } => Answer::Moderation(ModerationState::default()),
                    _ => Answer::LocalMovedTo(None),
                })
                .expect("pending lookup"),
            Step::Done { decision, audit } => {
                black_box(audit);
                return decision;
            }
        }
    }
}

/// On-CPU time of this thread (Linux `/proc/thread-self/schedstat`, first field, in ns):
/// unlike wall time it does not count the time the thread waits for a core, which on the
/// shared, overloaded bench machine is most of it.
fn thread_cpu_time() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    let ns: u64 = text.split_whitespace().next()?.parse().ok()?;
    Some(Duration::from_nanos(ns))
}

/// (wall, on-CPU) time per call.
fn per_call(mut f: impl FnMut(), n: u32) -> (Duration, Option<Duration>) {
    for _ in 0..n / 10 {
        f();
    }
    let cpu_start = thread_cpu_time();
    let start = Instant::now();
    for _ in 0..n {
        f();
    }
    let wall = start.elapsed() / n;
    let cpu = cpu_start
        .zip(thread_cpu_time())
        .map(|(a, b)| b.saturating_sub(a) / n);
    (wall, cpu)
}

fn micros(d: Option<Duration>) -> String {
    d.map_or_else(
        || "n/a".to_owned(),
        |d| format!("{:.2} µs", d.as_secs_f64() * 1e6),
    )
}

fn main() {
    let policy = policy();
    let accept_in = inbound(ORIGIN);
    let forged_in = inbound("https://evil.example/users/mallory");
    let target = target();
    assert!(check(&policy, accept_in.clone(), &target).is_accept());
    assert!(!check(&policy, forged_in.clone(), &target).is_accept());
    let options = ReadOptions::default();
    // The adapted documents give the same facts and the same decision as the prepared ones.
    let adapted = check_with_adapters(&policy, &options);
    assert_eq!(adapted, check(&policy, accept_in.clone(), &target));

    let key = SigningKey::from_bytes(&[7u8; 32]);
    let verifying = key.verifying_key();
    let signature = key.sign(MOVE_JSON.as_bytes());

    // Quick ratio report (the criterion groups below give the careful figures).
    let pipeline = per_call(
        || {
            black_box(check(&policy, black_box(accept_in.clone()), &target));
        },
        20_000,
    );
    let adapters = per_call(
        || {
            black_box(check_with_adapters(&policy, &options));
        },
        20_000,
    );
    let ed25519 = per_call(
        || {
            black_box(verifying.verify(black_box(MOVE_JSON.as_bytes()), &signature)).ok();
        },
        5_000,
    );
    let parse = per_call(
        || {
            black_box(serde_json::from_str::<serde_json::Value>(black_box(
                MOVE_JSON,
            )))
            .ok();
        },
        20_000,
    );
    println!(
        "fep7628_pipeline (wall / on-CPU): accept {:.2} µs / {} per Move (budget 10 µs); \
         Ed25519 verify {:.2} µs / {} (pipeline/verify = {:.2}); serde_json parse of the Move \
         {:.2} µs / {}",
        pipeline.0.as_secs_f64() * 1e6,
        micros(pipeline.1),
        ed25519.0.as_secs_f64() * 1e6,
        micros(ed25519.1),
        pipeline.0.as_secs_f64() / ed25519.0.as_secs_f64(),
        parse.0.as_secs_f64() * 1e6,
        micros(parse.1),
    );
    println!(
        "fep7628_pipeline with adapters (parse + adapt the Move and the fetched target, then \
         MoveCheck): {:.2} µs / {} per Move = {:.2}× the facts-only pipeline (wall, same run)",
        adapters.0.as_secs_f64() * 1e6,
        micros(adapters.1),
        adapters.0.as_secs_f64() / pipeline.0.as_secs_f64(),
    );

    let mut c = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .configure_from_args();
    let mut group = c.benchmark_group("fep7628_pipeline");
    group.bench_function("move_check_push_accept", |b| {
        b.iter(|| check(&policy, black_box(accept_in.clone()), &target))
    });
    group.bench_function("move_check_with_adapters", |b| {
        b.iter(|| check_with_adapters(&policy, black_box(&options)))
    });
    group.bench_function("move_check_forged_reject", |b| {
        b.iter(|| check(&policy, black_box(forged_in.clone()), &target))
    });
    group.bench_function("primitive_ed25519_verify", |b| {
        b.iter(|| verifying.verify(black_box(MOVE_JSON.as_bytes()), &signature))
    });
    group.bench_function("primitive_serde_json_parse_move", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(MOVE_JSON)))
    });
    group.finish();
    c.final_summary();
}
