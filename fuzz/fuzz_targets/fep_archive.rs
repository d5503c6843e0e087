//! fep7628 archive import: arbitrary bytes as a Mastodon archive (zip), as a plain outbox
//! (streamed JSON collection), and as a policy file's `[import]` table. The first byte picks
//! the reader; every outcome must be a report or a typed error, within small limits.
#![no_main]

use fep7628::archive::{
    ImportPolicy, Limits, OriginActor, html, screen_mastodon_archive, screen_outbox,
};
use libfuzzer_sys::fuzz_target;

const ACTOR: &str = r#"{"id": "https://a.example/users/alice", "type": "Person",
  "followers": "https://a.example/users/alice/followers",
  "assertionMethod": [{"id": "https://a.example/users/alice#ed25519-key", "type": "Multikey",
  "controller": "https://a.example/users/alice",
  "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}]}"#;

const POLICY: &str = r#"
[import.media]
allowed_types = ["image/*"]
[import.replies]
blocked_domains = ["blocked.example"]
[[import.keywords]]
pattern = "free crypto"
action = "reject"
"#;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let limits = Limits {
        max_entries: 64,
        max_total_uncompressed: 4 << 20,
        max_outbox_bytes: 1 << 20,
        max_collection_bytes: 1 << 20,
        max_item_bytes: 64 << 10,
        max_value_bytes: 256 << 10,
        max_items: 10_000,
        max_listed: 16,
        ..Limits::default()
    };
    let Ok(policy) = ImportPolicy::from_toml(POLICY) else {
        return;
    };
    match mode % 3 {
        0 => {
            if let Ok(report) = screen_mastodon_archive(&rest, &policy, 1_764_547_200, &limits) {
                let _ = html::render(&report);
            }
        }
        1 => {
            let actor = serde_json::from_str(ACTOR)
                .ok()
                .and_then(|v| OriginActor::from_document(v).ok());
            if let Ok(report) = screen_outbox(
                rest,
                "outbox.json",
                actor.as_ref(),
                &policy,
                1_764_547_200,
                &limits,
            ) {
                let _ = report.to_json();
                let _ = html::render(&report);
            }
        }
        _ => {
            if let Ok(text) = std::str::from_utf8(rest) {
                let _ = ImportPolicy::from_toml(text);
            }
        }
    }
});
