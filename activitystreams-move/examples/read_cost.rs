//! Instruction-count harness for the reading cost (used with `valgrind --tool=callgrind`, which
//! is load-independent, beside the criterion ratios of `benches/benches/activitystreams_move.rs`).
//!
//! `cargo run --release -p activitystreams-move --example read_cost -- <path> <N>` reads the
//! document N times with `path` one of `actor-plain`, `actor-library`, `move-plain`,
//! `move-library`. Run it under callgrind with N = 1 and N = 1001: the difference / 1000 is the
//! per-document cost without process start-up and one-time cache warm-up.

use std::hint::black_box;

use activitystreams_move::{Activity, Actor, ReadOptions};

#[path = "common/plain_serde.rs"]
mod plain_serde;

use plain_serde::{ACTOR, MOVE, PlainActor, PlainMove};

fn main() {
    let mut args = std::env::args().skip(1);
    let which = args.next().unwrap_or_default();
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1);
    let options = ReadOptions::default();
    for _ in 0..n {
        match which.as_str() {
            "actor-plain" => {
                black_box(serde_json::from_str::<PlainActor>(black_box(ACTOR)).is_ok());
            }
            "actor-library" => {
                black_box(Actor::from_slice(black_box(ACTOR.as_bytes()), &options).is_ok());
            }
            "move-plain" => {
                black_box(serde_json::from_str::<PlainMove>(black_box(MOVE)).is_ok());
            }
            "move-library" => {
                black_box(Activity::from_slice(black_box(MOVE.as_bytes()), &options).is_ok());
            }
            other => {
                eprintln!("unknown path {other:?}");
                std::process::exit(2);
            }
        }
    }
}
