//! `fep7628 check-move`: the receiver pipeline over supplied documents, push and pull.
#![cfg(feature = "cli")]

mod cli_support;

use cli_support::*;
use serde_json::{Value, json};

const OLD: &str = "https://old.example/users/alice";
const NEW: &str = "https://new.example/users/alice";

fn actor(id: &str, aliases: &[&str], moved_to: Option<&str>) -> Value {
    let mut a = json!({
        "@context": ["https://www.w3.org/ns/activitystreams",
                     {"alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
                      "movedTo": {"@id": "as:movedTo", "@type": "@id"}}],
        "id": id, "type": "Person", "inbox": format!("{id}/inbox"),
        "alsoKnownAs": aliases,
    });
    if let Some(m) = moved_to {
        a["movedTo"] = json!(m);
    }
    a
}

fn move_doc(actor: &str, object: &str, target: &str) -> Value {
    json!({"@context": "https://www.w3.org/ns/activitystreams",
           "id": format!("{actor}#moves/1"), "type": "Move",
           "actor": actor, "object": object, "target": target})
}

struct Case {
    name: &'static str,
    mv: Value,
    origin: Value,
    target: Value,
    signer: Option<&'static str>,
    verdict: &'static str,
    reason: Option<&'static str>,
}

fn check(dir: &std::path::Path, case: &Case) -> (i32, Value) {
    let write = |suffix: &str, v: &Value| {
        let p = dir.join(format!("{}-{suffix}.json", case.name));
        std::fs::write(&p, v.to_string()).expect("write");
        arg(&p)
    };
    let (m, o, t) = (
        write("move", &case.mv),
        write("origin", &case.origin),
        write("target", &case.target),
    );
    let mut args = vec![
        "check-move",
        "--move",
        &m,
        "--origin",
        &o,
        "--target",
        &t,
        "--now",
        "1764547200",
    ];
    if let Some(s) = case.signer {
        args.extend(["--signer", s]);
    }
    let r = run(&args, None);
    (r.code, r.json())
}

#[test]
fn check_move_verdicts() {
    let dir = scratch("move");
    let cases = [
        Case {
            name: "push-accepted",
            mv: move_doc(OLD, OLD, NEW),
            origin: actor(OLD, &[], Some(NEW)),
            target: actor(NEW, &[OLD], None),
            signer: None,
            verdict: "accept",
            reason: None,
        },
        Case {
            name: "push-other-signer",
            mv: move_doc(OLD, OLD, NEW),
            origin: actor(OLD, &[], None),
            target: actor(NEW, &[OLD], None),
            signer: Some("https://evil.example/users/mallory"),
            verdict: "reject",
            reason: Some("signer_mismatch"),
        },
        Case {
            name: "push-not-aliased",
            mv: move_doc(OLD, OLD, NEW),
            origin: actor(OLD, &[], None),
            target: actor(NEW, &[], None),
            signer: None,
            verdict: "reject",
            reason: Some("not_aliased"),
        },
        Case {
            name: "self-move",
            mv: move_doc(OLD, OLD, OLD),
            origin: actor(OLD, &[OLD], None),
            target: actor(OLD, &[OLD], None),
            signer: None,
            verdict: "reject",
            reason: Some("self_move"),
        },
        Case {
            name: "target-moved-on",
            mv: move_doc(OLD, OLD, NEW),
            origin: actor(OLD, &[], None),
            target: actor(NEW, &[OLD], Some("https://third.example/users/alice")),
            signer: None,
            verdict: "reject",
            reason: Some("target_moved"),
        },
        Case {
            name: "pull-with-old-side",
            mv: move_doc(NEW, OLD, NEW),
            origin: actor(OLD, &[NEW], None),
            target: actor(NEW, &[OLD], None),
            signer: None,
            verdict: "accept",
            reason: None,
        },
        Case {
            name: "pull-without-old-side",
            mv: move_doc(NEW, OLD, NEW),
            origin: actor(OLD, &[], None),
            target: actor(NEW, &[OLD], None),
            signer: None,
            verdict: "reject",
            reason: Some("missing_old_side_proof"),
        },
    ];
    let mut failures = Vec::new();
    for case in &cases {
        let (code, out) = check(&dir, case);
        let want_code = if case.verdict == "accept" { 0 } else { 1 };
        let reason = out["reason"]["kind"].as_str();
        if code != want_code || out["verdict"] != case.verdict || reason != case.reason {
            failures.push(format!("{}: got {code} {out}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The derived Mastodon push Move against a target whose alias is an embedded object.
#[test]
fn check_move_over_server_shapes() {
    let dir = scratch("move-shapes");
    let testdata = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("testdata/moves");
    let origin = dir.join("origin.json");
    std::fs::write(
        &origin,
        actor("https://hollo.example/@alice", &[], None).to_string(),
    )
    .expect("write");
    let mv = dir.join("move.json");
    std::fs::write(
        &mv,
        move_doc(
            "https://hollo.example/@alice",
            "https://hollo.example/@alice",
            "https://mastodon.example/users/alice",
        )
        .to_string(),
    )
    .expect("write");
    let r = run(
        &[
            "check-move",
            "--move",
            &arg(&mv),
            "--origin",
            &arg(&origin),
            "--target",
            &arg(&testdata.join("target-mastodon-actor.json")),
            "--now",
            "1764547200",
        ],
        None,
    );
    let out = r.json();
    assert_eq!(r.code, 0, "{out}");
    assert_eq!(out["mode"], "push");
    assert!(out["migration_id"].is_string(), "{out}");
}

/// A Move file that is not a Move, or not JSON: exit 2 with the file named.
#[test]
fn check_move_bad_files() {
    let dir = scratch("move-bad");
    let a = dir.join("actor.json");
    std::fs::write(&a, actor(OLD, &[], None).to_string()).expect("write");
    let junk = dir.join("junk.json");
    std::fs::write(&junk, b"\x00\xff not json").expect("write");
    for (m, o) in [(&a, &a), (&junk, &a), (&a, &junk)] {
        let r = run(
            &[
                "check-move",
                "--move",
                &arg(m),
                "--origin",
                &arg(o),
                "--target",
                &arg(&a),
            ],
            None,
        );
        assert_eq!(r.code, 2, "{}", r.json());
        assert!(r.json()["error"]["kind"].is_string());
    }
}

/// A FEP-8b32 proof on the Move by the old actor's key takes precedence over the HTTP signer.
#[test]
fn check_move_with_integrity_proof() {
    let dir = scratch("move-proof");
    let keypair = vectors().join("identity-links/keys/w3c-keyPair.json");
    let mut origin = actor(OLD, &[], None);
    origin["assertionMethod"] = json!([{
        "id": format!("{OLD}#ed25519-key"), "type": "Multikey", "controller": OLD,
        "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}]);
    let origin_path = dir.join("origin.json");
    std::fs::write(&origin_path, origin.to_string()).expect("write");
    let target_path = dir.join("target.json");
    std::fs::write(&target_path, actor(NEW, &[OLD], None).to_string()).expect("write");
    let unsigned = dir.join("move.json");
    std::fs::write(&unsigned, move_doc(OLD, OLD, NEW).to_string()).expect("write");
    let signed = run(
        &[
            "sign-proof",
            "--key",
            &arg(&keypair),
            "--verification-method",
            &format!("{OLD}#ed25519-key"),
            "--now",
            "1764547200",
            &arg(&unsigned),
        ],
        None,
    );
    assert_eq!(signed.code, 0);
    let signed_path = dir.join("signed.json");
    std::fs::write(&signed_path, &signed.stdout).expect("write");
    let check = |mv: &std::path::Path| {
        run(
            &[
                "check-move",
                "--move",
                &arg(mv),
                "--origin",
                &arg(&origin_path),
                "--target",
                &arg(&target_path),
                "--signer",
                "https://relay.example/actor",
                "--now",
                "1764547200",
            ],
            None,
        )
    };
    let r = check(&signed_path);
    let out = r.json();
    assert_eq!(r.code, 0, "{out}");
    assert_eq!(out["proof"]["verified_actor"], OLD, "{out}");
    // Without the proof the relay's signature is not the actor's.
    let r = check(&unsigned);
    assert_eq!(r.code, 1);
    assert_eq!(r.json()["reason"]["kind"], "signer_mismatch");
}

/// The shared Move vectors through `check-move`, each with its published signer and a world in
/// which the target aliases the object and the object names the target: valid vectors are
/// accepted in their published mode, the GoToSocial negative tests are rejected.
#[test]
fn move_vectors_through_check_move() {
    let dir = scratch("move-vectors");
    let manifest = read_json(&vectors().join("manifest.json"));
    let mut checked = 0usize;
    let mut failures = Vec::new();
    for case in manifest["cases"].as_array().expect("cases") {
        if case["kind"] != "move-activity" {
            continue;
        }
        let signer = case["params"]["signer"].as_str().expect("signer");
        if signer.starts_with('<') {
            continue; // Akkoma's template with placeholders
        }
        let id = case["id"].as_str().expect("id");
        let file = vectors().join(case["files"]["document"].as_str().expect("document"));
        let doc = read_json(&file);
        let one = |k: &str| match &doc[k] {
            Value::String(s) => s.clone(),
            v => v["id"].as_str().unwrap_or_default().to_owned(),
        };
        let (object, target) = (one("object"), one("target"));
        let name = id.replace('/', "_");
        let origin = dir.join(format!("{name}-origin.json"));
        let target_file = dir.join(format!("{name}-target.json"));
        std::fs::write(&origin, actor(&object, &[&target], None).to_string()).expect("write");
        std::fs::write(&target_file, actor(&target, &[&object], None).to_string()).expect("write");
        let r = run(
            &[
                "check-move",
                "--move",
                &arg(&file),
                "--origin",
                &arg(&origin),
                "--target",
                &arg(&target_file),
                "--signer",
                signer,
                "--now",
                "1764547200",
            ],
            None,
        );
        let out = r.json();
        let ok = if case["expect"] == "valid" {
            r.code == 0 && out["mode"] == case["params"]["mode"]
        } else {
            r.code == 1 && out["verdict"] == "reject"
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
    assert!(checked >= 10, "only {checked} move vectors checked");
}
