//! Interop with Fedify (`interop/`, `@fedify/fedify` pinned in `interop/package-lock.json`).
//!
//! - Objects Fedify's `signObject` produced (`testdata/interop/fedify-signed/`) verify here.
//! - Objects we sign (`testdata/interop/ours/`) are reproduced bit for bit by this test
//!   (Ed25519 is deterministic); `IL_REGENERATE_INTEROP=1` rewrites them instead. Fedify's
//!   `verifyObject` verdicts on them, and on a tampered copy of each, are committed in
//!   `testdata/interop/fedify-verify-results.json` and asserted here.

use std::path::{Path, PathBuf};

use identity_links::fep8b32::{sign_object, verify_object};
use identity_links::jcs::parse_strict;
use identity_links::multikey::decode_ed25519_secret;
use serde_json::{Value, json};

const ACTOR_ID: &str = "https://interop.example/users/alice";
const KEY_ID: &str = "https://interop.example/users/alice#ed25519-key";
const CREATED: &str = "2025-12-01T00:00:00Z";

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/interop")
}

fn read_json(path: &Path) -> Value {
    parse_strict(&std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display())))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn json_files(sub: &str) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir().join(sub))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
}

/// The objects we sign for Fedify to verify.
fn our_objects() -> Vec<(&'static str, Value)> {
    let ctx = json!([
        "https://www.w3.org/ns/activitystreams",
        "https://w3id.org/security/data-integrity/v2"
    ]);
    vec![
        (
            "note",
            json!({"@context": ctx, "id": "https://interop.example/notes/ours-1", "type": "Note",
                "attributedTo": ACTOR_ID, "to": "https://www.w3.org/ns/activitystreams#Public",
                "content": "Signed by identity-links — ünïcödé 😀 <p>\"quotes\"</p>",
                "published": "2025-11-30T12:00:00Z"}),
        ),
        (
            "create",
            json!({"@context": ctx, "id": "https://interop.example/activities/ours-1", "type": "Create",
                "actor": ACTOR_ID, "to": ["https://www.w3.org/ns/activitystreams#Public"],
                "object": {"id": "https://interop.example/notes/ours-2", "type": "Note", "attributedTo": ACTOR_ID,
                    "content": "With a place", "location": {"type": "Place", "name": "Somewhere",
                    "latitude": 25.273962, "longitude": -71.184902}}}),
        ),
        (
            "move",
            json!({"@context": ctx, "id": "https://interop.example/activities/ours-move-1", "type": "Move",
                "actor": ACTOR_ID, "object": ACTOR_ID, "target": "https://new.example/users/alice"}),
        ),
        (
            "note-v1-context",
            json!({"@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/data-integrity/v1"],
                "id": "https://interop.example/notes/ours-3", "type": "Note", "attributedTo": ACTOR_ID,
                "content": "data-integrity/v1 context"}),
        ),
    ]
}

#[test]
fn fedify_signed_objects_verify() {
    let actor = read_json(&dir().join("actor.json"));
    let files = json_files("fedify-signed");
    assert!(
        files.len() >= 3,
        "Fedify corpus missing: run `npm run sign` in interop/"
    );
    for path in files {
        let object = read_json(&path);
        let proof =
            verify_object(&object, &actor).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert_eq!(proof.actor_id(), ACTOR_ID);
        assert_eq!(proof.verification_method(), KEY_ID);
        assert_eq!(proof.created(), Some(CREATED));
        // And a tampered copy does not.
        let mut tampered = object.clone();
        tampered["id"] = "https://interop.example/tampered".into();
        assert_eq!(
            verify_object(&tampered, &actor).unwrap_err().kind(),
            "bad_signature"
        );
    }
}

/// Fedify's bare `toJsonLd()` output ("as:Public") is not what it signed (it signs and sends the
/// normalised form): a strict verifier must reject it rather than guess.
#[test]
fn fedify_unnormalized_output_is_rejected() {
    let actor = read_json(&dir().join("actor.json"));
    let files = json_files("fedify-signed/unnormalized");
    assert!(!files.is_empty());
    for path in files {
        let object = read_json(&path);
        assert_eq!(
            verify_object(&object, &actor).unwrap_err().kind(),
            "bad_signature",
            "{}",
            path.display()
        );
    }
}

#[test]
fn our_objects_reproduce_and_fedify_verified_them() {
    let keys = read_json(&dir().join("keys/ed25519.json"));
    let key = decode_ed25519_secret(keys["privateKeyMultibase"].as_str().unwrap()).unwrap();
    let actor = read_json(&dir().join("actor.json"));
    assert_eq!(
        actor["assertionMethod"][0]["publicKeyMultibase"],
        identity_links::multikey::encode_ed25519_public(&key.verifying_key())
    );
    let regenerate = std::env::var_os("IL_REGENERATE_INTEROP").is_some();
    let objects = our_objects();
    for (name, object) in &objects {
        let signed = sign_object(object, &key, KEY_ID, CREATED).unwrap();
        verify_object(&signed, &actor).unwrap();
        let path = dir().join(format!("ours/{name}.json"));
        if regenerate {
            std::fs::write(&path, serde_json::to_string_pretty(&signed).unwrap() + "\n").unwrap();
        } else {
            assert_eq!(
                read_json(&path),
                signed,
                "{} differs: regenerate (see interop/README.md)",
                path.display()
            );
        }
    }
    if regenerate {
        eprintln!("wrote testdata/interop/ours/; now run `npm run verify` in interop/");
        return;
    }
    let results = read_json(&dir().join("fedify-verify-results.json"));
    assert!(
        results["producer"]
            .as_str()
            .unwrap()
            .contains("@fedify/fedify")
    );
    let ours = results["ours"].as_array().unwrap();
    for (name, _) in &objects {
        let file = format!("{name}.json");
        let verdict = |tampered: bool| {
            ours.iter()
                .find(|r| r["file"] == file.as_str() && r["tampered"] == tampered)
                .unwrap_or_else(|| panic!("no Fedify verdict for {file} (tampered: {tampered})"))["verified"]
                .clone()
        };
        assert_eq!(verdict(false), true, "Fedify rejected our {file}");
        assert_eq!(verdict(true), false, "Fedify accepted a tampered {file}");
    }
    assert_eq!(
        ours.len(),
        objects.len() * 2,
        "stale results: re-run `npm run verify`"
    );
    for r in results["fedify"].as_array().unwrap() {
        assert_eq!(r["verified"], true, "Fedify rejected its own {}", r["file"]);
    }
}
