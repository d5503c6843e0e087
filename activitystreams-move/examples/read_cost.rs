//! Instruction-count harness for the reading cost (used with `valgrind --tool=callgrind`, which
//! is load-independent, beside the criterion ratios of `benches/benches/activitystreams_move.rs`).
//!
//! `cargo run --release -p activitystreams-move --example read_cost -- <path> <N>` reads the
//! document N times with `path` one of `actor-plain`, `actor-library`, `move-plain`,
//! `move-library`. Run it under callgrind with N = 1 and N = 1001: the difference / 1000 is the
//! per-document cost without process start-up and one-time cache warm-up.

use std::hint::black_box;

use activitystreams_move::{Activity, Actor, ReadOptions};
use serde::Deserialize;

const ACTOR: &str = include_str!("../tests/fixtures/mastodon/akkoma-admin-aliased.json");
const MOVE: &str = include_str!("../tests/fixtures/mastodon/docs-move.json");

/// The raw primitive of the bench: the fields the library reads, typed, the rest skipped.
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
