//! `fep7628 sign-proof` / `verify-proof` over the FEP-8b32 vectors and the identity-links
//! interop corpus (objects signed by Fedify and by us), and `persona`.
#![cfg(feature = "cli")]

mod cli_support;

use cli_support::*;
use serde_json::{Value, json};

fn il_interop() -> std::path::PathBuf {
    workspace().join("identity-links/testdata/interop")
}

fn json_files(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    files
}

/// Every FEP-8b32 proof vector of the shared manifest that names an actor, through
/// `verify-proof --actor`: valid ⇒ exit 0 with the actor and method; invalid ⇒ exit 1.
#[test]
fn fep8b32_vectors_through_verify_proof() {
    let manifest = read_json(&vectors().join("manifest.json"));
    let mut checked = 0usize;
    let mut failures = Vec::new();
    for case in manifest["cases"].as_array().expect("cases") {
        if case["kind"] != "eddsa-jcs-2022-proof" || case["files"]["actor"].is_null() {
            continue;
        }
        let id = case["id"].as_str().expect("id");
        let actor = arg(&vectors().join(case["files"]["actor"].as_str().expect("actor")));
        let secured = arg(&vectors().join(case["files"]["secured"].as_str().expect("secured")));
        let r = run(&["verify-proof", "--actor", &actor, &secured], None);
        let out = r.json();
        let ok = if case["expect"] == "valid" {
            r.code == 0 && out["valid"] == true && out["cryptosuite"] == "eddsa-jcs-2022"
        } else {
            r.code == 1 && out["error"]["kind"].is_string()
        };
        if !ok {
            failures.push(format!(
                "{id}: expected {}, got {} {out}",
                case["expect"], r.code
            ));
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 5, "only {checked} FEP-8b32 vectors checked");
}

/// `sign-proof` reproduces the published FEP-8b32 example byte for byte (Ed25519 is
/// deterministic), and `verify-proof --key` accepts it with the public Multikey.
#[test]
fn sign_proof_reproduces_the_fep8b32_example() {
    let dir = vectors().join("identity-links");
    let expected = read_json(&dir.join("fep-8b32/signed.json"));
    let signed = run(
        &[
            "sign-proof",
            "--key",
            &arg(&dir.join("keys/w3c-keyPair.json")),
            "--verification-method",
            "https://server.example/users/alice#ed25519-key",
            "--now",
            "1677281798",
            &arg(&dir.join("fep-8b32/document.json")),
        ],
        None,
    );
    assert_eq!(
        signed.code,
        0,
        "{}",
        String::from_utf8_lossy(&signed.stdout)
    );
    assert_eq!(signed.json(), expected);
    let scratch = scratch("proof");
    let pubkey = scratch.join("pub.txt");
    std::fs::write(
        &pubkey,
        "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2\n",
    )
    .expect("write");
    let r = run(
        &["verify-proof", "--key", &arg(&pubkey), "-"],
        Some(&signed.stdout),
    );
    assert_eq!(r.code, 0, "{}", r.json());
    let mut tampered = expected.clone();
    tampered["content"] = json!("changed");
    let r = run(
        &["verify-proof", "--key", &arg(&pubkey), "-"],
        Some(tampered.to_string().as_bytes()),
    );
    assert_eq!(r.code, 1);
    assert_eq!(r.kind().as_deref(), Some("bad_signature"));
}

/// Objects signed by Fedify and by us verify against the interop actor; Fedify's
/// un-normalised output and tampered copies do not.
#[test]
fn identity_links_interop_corpus() {
    let actor = arg(&il_interop().join("actor.json"));
    let mut checked = 0usize;
    for dir in ["ours", "fedify-signed"] {
        for file in json_files(&il_interop().join(dir)) {
            let r = run(&["verify-proof", "--actor", &actor, &arg(&file)], None);
            assert_eq!(r.code, 0, "{}: {}", file.display(), r.json());
            let mut object: Value = read_json(&file);
            object["id"] = json!("https://interop.example/tampered");
            let r = run(
                &["verify-proof", "--actor", &actor, "-"],
                Some(object.to_string().as_bytes()),
            );
            assert_eq!(r.code, 1, "{}: tampered {}", file.display(), r.json());
            checked += 2;
        }
    }
    for file in json_files(&il_interop().join("fedify-signed/unnormalized")) {
        let r = run(&["verify-proof", "--actor", &actor, &arg(&file)], None);
        assert_eq!(r.code, 1, "{}: {}", file.display(), r.json());
        assert_eq!(r.kind().as_deref(), Some("bad_signature"));
        checked += 1;
    }
    assert!(checked >= 10, "only {checked} interop objects checked");
}

/// A two-way alias plus a move: one persona whose primary is the member without movedTo; a
/// one-way claim links nothing and is reported as declared.
#[test]
fn persona_graph_from_actor_files() {
    let dir = scratch("persona");
    let old = json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": "https://old.example/users/alice", "type": "Person",
        "alsoKnownAs": ["https://new.example/users/alice"],
        "movedTo": "https://new.example/users/alice"});
    let new = json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": "https://new.example/users/alice", "type": "Person",
        "alsoKnownAs": ["https://old.example/users/alice"]});
    let stranger = json!({"@context": "https://www.w3.org/ns/activitystreams",
        "id": "https://evil.example/users/mallory", "type": "Person",
        "alsoKnownAs": ["https://new.example/users/alice"]});
    let mut files = Vec::new();
    for (name, doc) in [("old", &old), ("new", &new), ("stranger", &stranger)] {
        let p = dir.join(format!("{name}.json"));
        std::fs::write(&p, doc.to_string()).expect("write");
        files.push(arg(&p));
    }
    let mut args = vec!["persona"];
    args.extend(files.iter().map(String::as_str));
    let r = run(&args, None);
    let out = r.json();
    assert_eq!(r.code, 0, "{out}");
    let personas = out["personas"].as_array().expect("personas");
    let joined = personas
        .iter()
        .find(|p| p["members"].as_array().is_some_and(|m| m.len() == 2))
        .unwrap_or_else(|| panic!("no two-member persona: {out}"));
    assert_eq!(
        joined["primary"],
        json!({"kind": "actor", "actor": "https://new.example/users/alice"})
    );
    assert!(
        !joined["links"][0]["evidence"]
            .as_array()
            .expect("evidence")
            .is_empty()
    );
    assert!(
        out["declared"]
            .as_array()
            .expect("declared")
            .iter()
            .any(|e| e["from"]["id"] == "https://evil.example/users/mallory"),
        "{out}"
    );
    // A file that is not an actor with an id is listed under errors (exit 1).
    let bad = dir.join("bad.json");
    std::fs::write(&bad, "{\"type\": \"Person\"}").expect("write");
    let r = run(&["persona", &files[0], &arg(&bad)], None);
    assert_eq!(r.code, 1, "{}", r.json());
    assert_eq!(r.json()["errors"][0]["kind"], "missing_id");
}
