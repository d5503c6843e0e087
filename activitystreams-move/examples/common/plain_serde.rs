//! The raw primitive the reading cost is measured against, shared by `examples/read_cost.rs`
//! (instruction counts) and `benches/benches/activitystreams_move.rs` (criterion), so both
//! compare with the same thing: a plain typed `serde_json` parse (`#[derive(Deserialize)]`) of
//! the fields the library reads, everything else skipped. Included with `#[path]`; not an
//! example of its own (a file in a subdirectory without `main.rs`).

use serde::Deserialize;

/// A real Mastodon actor (Akkoma's test fixture `tesla_mock/admin@mastdon.example.org.json`,
/// a capture of Mastodon's serialisation), with `alsoKnownAs`.
pub const ACTOR: &str = include_str!("../../tests/fixtures/mastodon/akkoma-admin-aliased.json");
/// Mastodon's documented Move (docs.joinmastodon.org spec/activitypub §Move).
pub const MOVE: &str = include_str!("../../tests/fixtures/mastodon/docs-move.json");

/// The actor's fields the library reads, typed.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct PlainActor {
    #[serde(rename = "@context")]
    pub context: serde_json::Value,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(rename = "preferredUsername")]
    pub preferred_username: Option<String>,
    pub inbox: String,
    pub outbox: Option<String>,
    pub followers: Option<String>,
    pub following: Option<String>,
    pub endpoints: Option<PlainEndpoints>,
    #[serde(rename = "publicKey")]
    pub public_key: Option<PlainKey>,
    #[serde(rename = "alsoKnownAs", default)]
    pub also_known_as: Vec<String>,
    #[serde(rename = "movedTo")]
    pub moved_to: Option<String>,
    #[serde(rename = "manuallyApprovesFollowers")]
    pub manually_approves_followers: Option<bool>,
    #[serde(default)]
    pub attachment: Vec<serde_json::Value>,
    pub url: Option<String>,
}

/// `endpoints`.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct PlainEndpoints {
    #[serde(rename = "sharedInbox")]
    pub shared_inbox: Option<String>,
}

/// `publicKey`.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct PlainKey {
    pub id: String,
    pub owner: String,
    #[serde(rename = "publicKeyPem")]
    pub public_key_pem: String,
}

/// The Move's fields the library reads, typed.
#[derive(Deserialize)]
#[allow(dead_code)]
pub struct PlainMove {
    #[serde(rename = "@context")]
    pub context: serde_json::Value,
    pub id: String,
    #[serde(rename = "type")]
    pub kind: String,
    pub actor: String,
    pub object: String,
    pub target: String,
    pub to: Option<serde_json::Value>,
    pub cc: Option<serde_json::Value>,
}
