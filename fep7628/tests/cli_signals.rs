//! `fep7628 signals export` / `signals verify` with the built binary: an audit log becomes a
//! signed batch; the batch verifies against the actor or the key; tampering, a wrong key, a
//! replay and a gap are reported with their kinds.
#![cfg(feature = "cli")]

mod cli_support;

use cli_support::*;
use identity_links::ed25519_dalek::SigningKey;
use identity_links::ed25519_dalek::pkcs8::EncodePrivateKey as _;
use identity_links::ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use identity_links::multikey::encode_ed25519_public;
use serde_json::{Value, json};

const ISSUER: &str = "https://mod.example/actor";

struct Setup {
    dir: std::path::PathBuf,
    key: String,
    public: String,
    actor: String,
    audit: String,
}

fn setup(name: &str) -> Setup {
    let dir = scratch(name);
    let key = SigningKey::from_bytes(&[21; 32]);
    let pem = key.to_pkcs8_pem(LineEnding::LF).expect("pem");
    std::fs::write(dir.join("key.pem"), pem.as_bytes()).expect("write key");
    std::fs::write(
        dir.join("key.pub"),
        encode_ed25519_public(&key.verifying_key()),
    )
    .expect("write public");
    let actor = json!({
        "id": ISSUER, "type": "Service",
        "assertionMethod": [{"id": format!("{ISSUER}#ed25519-key"), "type": "Multikey",
            "controller": ISSUER,
            "publicKeyMultibase": encode_ed25519_public(&key.verifying_key())}],
    });
    std::fs::write(dir.join("actor.json"), actor.to_string()).expect("write actor");
    let subject = |follower: &str| {
        json!({"type": "arriving_follower", "follower": follower,
               "origin": "https://old.example/u/a", "target": "https://new.example/u/a"})
    };
    let lines = [
        json!({"at": 1_764_547_200, "outcome": "rejected", "code": "domain_blocked",
               "subject": subject("https://bot.spam.example/u/1"), "detail": "blocked"}),
        json!({"at": "2025-12-01T00:00:05Z", "outcome": "held",
               "reasons": [{"code": "follower_farming", "detail": "3 moves this week"}],
               "subject": subject("https://farm.example/u/2"), "detail": "held"}),
        json!({"at": 1_764_547_210, "outcome": "accepted",
               "subject": subject("https://fine.example/u/3")}),
        json!({"at": 1_764_547_220, "outcome": "accepted",
               "subject": subject("https://farm.example/u/2"), "detail": "approved"}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(dir.join("audit.jsonl"), text).expect("write audit");
    Setup {
        key: arg(&dir.join("key.pem")),
        public: arg(&dir.join("key.pub")),
        actor: arg(&dir.join("actor.json")),
        audit: arg(&dir.join("audit.jsonl")),
        dir,
    }
}

fn export(s: &Setup, since: Option<&str>) -> Value {
    let mut args = vec![
        "signals",
        "export",
        "--key",
        &s.key,
        "--issuer",
        ISSUER,
        "--audit",
        &s.audit,
        "--now",
        "1764547300",
    ];
    if let Some(since) = since {
        args.extend(["--since", since]);
    }
    let r = run(&args, None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r.json()
}

/// `signals verify --actor ACTOR FILE`, trusting the setup's actor document.
fn verify_as_actor(s: &Setup, file: &str) -> Run {
    run(&["signals", "verify", "--actor", &s.actor, file], None)
}

fn write(s: &Setup, name: &str, v: &Value) -> String {
    let p = s.dir.join(name);
    std::fs::write(&p, v.to_string()).expect("write");
    arg(&p)
}

#[test]
fn export_then_verify_with_the_actor_and_with_the_key() {
    let s = setup("roundtrip");
    let batch = export(&s, None);
    assert_eq!(batch["attributedTo"], ISSUER);
    assert_eq!(batch["proof"]["cryptosuite"], "eddsa-jcs-2022");
    let types: Vec<&str> = batch["changes"]
        .as_array()
        .expect("changes")
        .iter()
        .filter_map(|c| c["type"].as_str())
        .collect();
    // Blocked domain, held farmer, then the farmer approved: a retraction.
    assert_eq!(types, ["recommendation", "advisory", "retraction"]);
    assert_eq!(batch["changes"][0]["entity_kind"], "Domain");
    assert_eq!(batch["changes"][0]["entity_key"], "bot.spam.example");
    assert_eq!(
        batch["changes"][2]["entity_key"],
        "https://farm.example/u/2"
    );
    // The same audit file gives the same ids on every run.
    assert_eq!(export(&s, None)["changes"], batch["changes"]);

    let file = write(&s, "batch.json", &batch);
    for by in [["--actor", &s.actor], ["--key", &s.public]] {
        let r = run(&["signals", "verify", by[0], by[1], &file], None);
        assert_eq!(r.code, 0, "{by:?}: {}", String::from_utf8_lossy(&r.stdout));
        let out = r.json();
        assert_eq!(out["valid"], true);
        assert_eq!(out["changes"], batch["changes"]);
        assert_eq!(out["last_change_id"], batch["changes"][2]["change_id"]);
    }
}

#[test]
fn since_gives_the_later_records_and_the_cursor_catches_replays_and_gaps() {
    let s = setup("since");
    let all = export(&s, None);
    let first = all["changes"][0]["change_id"]
        .as_str()
        .expect("id")
        .to_owned();
    let later = export(&s, Some(&first));
    assert_eq!(later["after_change_id"], first.as_str());
    assert_eq!(later["changes"].as_array().map(Vec::len), Some(2));
    assert_eq!(later["changes"][0], all["changes"][1]);

    let later_file = write(&s, "later.json", &later);
    let all_file = write(&s, "all.json", &all);
    let verify = |cursor: &str, file: &str| {
        run(
            &[
                "signals", "verify", "--actor", &s.actor, "--cursor", cursor, file,
            ],
            None,
        )
    };
    // Continues exactly from the cursor.
    assert_eq!(verify(&first, &later_file).code, 0);
    // The consumer already has everything in `all` up to its last id: a replay.
    let last = all["changes"][2]["change_id"].as_str().expect("id");
    let r = verify(last, &all_file);
    assert_eq!((r.code, r.kind().as_deref()), (1, Some("replayed")));
    // A batch that starts after the second record, for a consumer still at the first: a gap.
    let second = all["changes"][1]["change_id"].as_str().expect("id");
    let tail_file = write(&s, "tail.json", &export(&s, Some(second)));
    let r = verify(&first, &tail_file);
    assert_eq!((r.code, r.kind().as_deref()), (1, Some("gap")));
    // The whole log for a consumer at the first record: an overlap.
    let r = verify(&first, &all_file);
    assert_eq!((r.code, r.kind().as_deref()), (1, Some("overlap")));
    // Moving the cursor in a signed batch breaks its proof.
    let mut skipped = later.clone();
    skipped["after_change_id"] = second.into();
    let r = verify_as_actor(&s, &write(&s, "x.json", &skipped));
    assert_eq!(
        r.kind().as_deref(),
        Some("proof_invalid"),
        "the cursor is signed"
    );
}

#[test]
fn tampering_a_wrong_key_and_bad_input_are_reported() {
    let s = setup("hostile");
    let batch = export(&s, None);
    let mut tampered = batch.clone();
    tampered["changes"][0]["recommended_policy"] = "accept".into();
    let r = verify_as_actor(&s, &write(&s, "t.json", &tampered));
    assert_eq!((r.code, r.kind().as_deref()), (1, Some("proof_invalid")));
    assert!(
        r.json()["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("bad_signature"))
    );

    let other = SigningKey::from_bytes(&[22; 32]);
    std::fs::write(
        s.dir.join("other.pub"),
        encode_ed25519_public(&other.verifying_key()),
    )
    .expect("write");
    let file = write(&s, "b.json", &batch);
    let r = run(
        &[
            "signals",
            "verify",
            "--key",
            &arg(&s.dir.join("other.pub")),
            &file,
        ],
        None,
    );
    assert_eq!((r.code, r.kind().as_deref()), (1, Some("proof_invalid")));

    let mut foreign = batch.clone();
    foreign["attributedTo"] = "https://other.example/actor".into();
    let r = verify_as_actor(&s, &write(&s, "f.json", &foreign));
    assert_eq!((r.code, r.kind().as_deref()), (1, Some("untrusted_issuer")));

    // Not JSON, a bad cursor argument, a broken audit line: usage errors (exit 2).
    std::fs::write(s.dir.join("junk.json"), b"{not json").expect("write");
    let r = verify_as_actor(&s, &arg(&s.dir.join("junk.json")));
    assert_eq!((r.code, r.kind().as_deref()), (2, Some("invalid_json")));
    let r = run(
        &[
            "signals", "verify", "--actor", &s.actor, "--cursor", "nope", &file,
        ],
        None,
    );
    assert_eq!(
        (r.code, r.kind().as_deref()),
        (2, Some("invalid_change_id"))
    );
    std::fs::write(
        s.dir.join("bad.jsonl"),
        "\n{\"at\": 1, \"outcome\": \"rejected\", \"code\": \"x\", \"subject\": {\"type\": \"alien\"}}\n",
    )
    .expect("write");
    let r = run(
        &[
            "signals",
            "export",
            "--key",
            &s.key,
            "--issuer",
            ISSUER,
            "--audit",
            &arg(&s.dir.join("bad.jsonl")),
        ],
        None,
    );
    assert_eq!(
        (r.code, r.kind().as_deref()),
        (2, Some("invalid_audit_event"))
    );
    let at = r.json()["error"]["at"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    assert!(at.ends_with("bad.jsonl:2/subject/type"), "{at}");
    let r = run(&["signals", "--help"], None);
    assert!(String::from_utf8_lossy(&r.stdout).contains("EXAMPLE"));
}
