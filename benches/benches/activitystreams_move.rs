//! `activitystreams-move` reading beside its raw primitive: a plain typed `serde_json` parse of
//! the same fields (`#[derive(Deserialize)]`, unknown members skipped), for a real Mastodon actor
//! and a real Move. The library's numbers include the context guard, the alias forms (compact and
//! full IRIs, `{"id": …}` objects, string-or-array) and keeping unknown members.
//!
//! Run: `cargo bench -p fep7628-benches --bench activitystreams_move -- --warm-up-time 1
//! --measurement-time 3`. Figures are in `benches/README.md`.

use activitystreams_move::{Activity, Actor, ReadOptions};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use serde::Deserialize;
use std::hint::black_box;

/// A real Mastodon actor (Akkoma's test fixture `tesla_mock/admin@mastdon.example.org.json`,
/// a capture of Mastodon's serialisation), with `alsoKnownAs`.
const ACTOR: &str =
    include_str!("../../activitystreams-move/tests/fixtures/mastodon/akkoma-admin-aliased.json");
/// Mastodon's documented Move (docs.joinmastodon.org spec/activitypub §Move).
const MOVE: &str =
    include_str!("../../activitystreams-move/tests/fixtures/mastodon/docs-move.json");

/// The raw primitive: the fields the library reads, typed, everything else skipped.
#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainActor {
    #[serde(rename = "@context")]
    context: serde_json::Value,
    id: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "preferredUsername")]
    preferred_username: Option<String>,
    inbox: String,
    outbox: Option<String>,
    followers: Option<String>,
    following: Option<String>,
    endpoints: Option<PlainEndpoints>,
    #[serde(rename = "publicKey")]
    public_key: Option<PlainKey>,
    #[serde(rename = "alsoKnownAs", default)]
    also_known_as: Vec<String>,
    #[serde(rename = "movedTo")]
    moved_to: Option<String>,
    #[serde(rename = "manuallyApprovesFollowers")]
    manually_approves_followers: Option<bool>,
    #[serde(default)]
    attachment: Vec<serde_json::Value>,
    url: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainEndpoints {
    #[serde(rename = "sharedInbox")]
    shared_inbox: Option<String>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainKey {
    id: String,
    owner: String,
    #[serde(rename = "publicKeyPem")]
    public_key_pem: String,
}

#[derive(Deserialize)]
#[allow(dead_code)]
struct PlainMove {
    #[serde(rename = "@context")]
    context: serde_json::Value,
    id: String,
    #[serde(rename = "type")]
    kind: String,
    actor: String,
    object: String,
    target: String,
    to: Option<serde_json::Value>,
    cc: Option<serde_json::Value>,
}

fn reading(c: &mut Criterion) {
    // The documents must read the same way in both paths, or the comparison means nothing.
    let plain: PlainActor = serde_json::from_str(ACTOR).expect("plain actor");
    let ours = Actor::from_slice(ACTOR.as_bytes(), &ReadOptions::default()).expect("actor");
    assert_eq!(ours.id(), Some(plain.id.as_str()));
    assert_eq!(
        ours.also_known_as.as_slice(),
        plain.also_known_as.as_slice()
    );
    let plain_move: PlainMove = serde_json::from_str(MOVE).expect("plain move");
    let ours_move = Activity::from_slice(MOVE.as_bytes(), &ReadOptions::default()).expect("move");
    assert_eq!(ours_move.target_id(), Some(plain_move.target.as_str()));

    let opts = ReadOptions::default();
    let mut g = c.benchmark_group("activitystreams_move");
    g.throughput(Throughput::Bytes(ACTOR.len() as u64));
    g.bench_function("actor/plain_serde", |b| {
        b.iter(|| serde_json::from_str::<PlainActor>(black_box(ACTOR)).expect("parse"))
    });
    g.bench_function("actor/library_guarded", |b| {
        b.iter(|| Actor::from_slice(black_box(ACTOR.as_bytes()), &opts).expect("read"))
    });
    g.throughput(Throughput::Bytes(MOVE.len() as u64));
    g.bench_function("move/plain_serde", |b| {
        b.iter(|| serde_json::from_str::<PlainMove>(black_box(MOVE)).expect("parse"))
    });
    g.bench_function("move/library_guarded", |b| {
        b.iter(|| Activity::from_slice(black_box(MOVE.as_bytes()), &opts).expect("read"))
    });
    #[cfg(feature = "jsonld")]
    {
        // The slow path: JSON-LD expansion with the processed context cached (the first call
        // warms the cache), then the same reader over the expanded form.
        let actor_value: serde_json::Value = serde_json::from_str(ACTOR).expect("json");
        let move_value: serde_json::Value = serde_json::from_str(MOVE).expect("json");
        let expanded = activitystreams_move::jsonld::expand(&actor_value).expect("expand");
        let slow = Actor::from_value(&expanded, &opts).expect("read expanded");
        assert_eq!(slow.also_known_as.as_slice(), ours.also_known_as.as_slice());
        g.throughput(Throughput::Bytes(ACTOR.len() as u64));
        g.bench_function("actor/jsonld_cached_context", |b| {
            b.iter(|| {
                let v: serde_json::Value = serde_json::from_str(black_box(ACTOR)).expect("json");
                let e = activitystreams_move::jsonld::expand(&v).expect("expand");
                Actor::from_value(&e, &opts).expect("read")
            })
        });
        let _ = activitystreams_move::jsonld::expand(&move_value).expect("expand");
        g.throughput(Throughput::Bytes(MOVE.len() as u64));
        g.bench_function("move/jsonld_cached_context", |b| {
            b.iter(|| {
                let v: serde_json::Value = serde_json::from_str(black_box(MOVE)).expect("json");
                let e = activitystreams_move::jsonld::expand(&v).expect("expand");
                Activity::from_value(&e, &opts).expect("read")
            })
        });
    }
    g.finish();
}

criterion_group!(benches, reading);
criterion_main!(benches);
