//! `activitystreams-move` reading beside its raw primitive: a plain typed `serde_json` parse of
//! the same fields (`#[derive(Deserialize)]`, unknown members skipped), for a real Mastodon actor
//! and a real Move. The library's numbers include the context guard, the alias forms (compact and
//! full IRIs, `{"id": …}` objects, string-or-array) and keeping unknown members.
//!
//! Run: `cargo bench -p fep7628-benches --bench activitystreams_move -- --warm-up-time 1
//! --measurement-time 3`. Figures are in `benches/README.md`.

use activitystreams_move::{Activity, Actor, ReadOptions};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// The raw primitive and the documents (a real Mastodon actor with `alsoKnownAs`, Mastodon's
/// documented Move), shared with `activitystreams-move/examples/read_cost.rs`.
#[path = "../../activitystreams-move/examples/common/plain_serde.rs"]
mod plain_serde;

use plain_serde::{ACTOR, MOVE, PlainActor, PlainMove};

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
