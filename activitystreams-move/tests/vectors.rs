//! Every `move` case of the shared manifest (`../shared/vectors/manifest.json`), checked against
//! this crate: Move shape/mode/signer, FEP-e965 outcomes with exact pointers and kinds, actors
//! and the FEP-7628 context documents. A case id this file does not know fails the run, and so
//! does a run that checked fewer cases than the manifest lists.

use std::path::PathBuf;

use activitystreams_move::{
    Activity, Actor, E965Outcome, MoveMode, MovedToIri, ReadOptions, Rule, Severity,
    classify_context, e965_outcome, validate_activity, validate_actor, validate_move_signer,
};
use serde_json::Value;

fn vectors_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors")
}

fn read(rel: &str) -> Vec<u8> {
    let p = vectors_dir().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// (kind, pointer) pairs of the problems with severity Error.
fn errors(problems: &[activitystreams_move::Problem]) -> Vec<(&'static str, String)> {
    problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| (p.kind(), p.at.clone()))
        .collect()
}

fn check_move(case: &Value, id: &str) {
    let doc = case["files"]["document"].as_str().unwrap();
    let mut bytes = read(doc);
    if id == "move/akkoma/F15-transmogrifier_test" {
        // The derived JSON carries Elixir placeholders; substitute URLs (manifest note).
        let s = String::from_utf8(bytes)
            .unwrap()
            .replace("<old_user.ap_id>", "https://old.example/users/old_user")
            .replace("<new_user.ap_id>", "https://new.example/users/new_user");
        bytes = s.into_bytes();
    }
    let activity = Activity::from_slice(&bytes, &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{id}: {e}"));
    let problems = validate_activity(&activity);
    let mut errs = errors(&problems);
    if let Some(signer) = case["params"]["signer"].as_str() {
        let signer = signer.replace("<old_user.ap_id>", "https://old.example/users/old_user");
        if let Some(p) = validate_move_signer(&activity, &signer) {
            errs.push((p.kind(), p.at.clone()));
        }
    }
    let mv = activity
        .as_move()
        .unwrap_or_else(|| panic!("{id}: not a Move"));
    match case["params"]["mode"].as_str() {
        Some("push") => assert_eq!(mv.mode(), MoveMode::Push, "{id}"),
        Some("pull") => assert_eq!(mv.mode(), MoveMode::Pull, "{id}"),
        _ => {}
    }
    let expected: Vec<(&str, &str)> = match id {
        "move/gotosocial/F10-bad-actor-not-signer" => {
            vec![("move_mode", "/object"), ("signer_mismatch", "/actor")]
        }
        "move/gotosocial/F11-bad-object-not-actor" => vec![("move_mode", "/object")],
        "move/gotosocial/F12-bad-object-equals-target" => vec![("move_to_self", "/target")],
        _ => vec![],
    };
    let expected: Vec<(&str, String)> = expected
        .into_iter()
        .map(|(k, a)| (k, a.to_string()))
        .collect();
    assert_eq!(errs, expected, "{id}");
    assert_eq!(
        case["expect"] == "valid",
        expected.is_empty(),
        "{id}: manifest expectation"
    );
    // Warnings that document the de-facto leniency.
    let warnings: Vec<(&str, &str)> = problems
        .iter()
        .filter(|p| p.severity == Severity::Warning)
        .map(|p| (p.kind(), p.at.as_str()))
        .collect();
    match id {
        "move/mastodon/F14-move_spec" => assert_eq!(warnings, vec![("invalid_uri", "/id")]),
        "move/akkoma/F15-transmogrifier_test" => {
            assert_eq!(warnings, vec![("missing_field", "/id")])
        }
        _ => assert!(warnings.is_empty(), "{id}: {warnings:?}"),
    }
    if let Some(same) = case["params"]["same_move_as"].as_str() {
        let other = Activity::from_slice(&read(same), &ReadOptions::default()).unwrap();
        assert_ne!(other.id(), activity.id(), "{id}: retried with a new id");
        assert_eq!(
            other.as_move().unwrap().idempotency_key(),
            mv.idempotency_key(),
            "{id}: same (origin, target)"
        );
    }
}

fn check_e965(case: &Value, id: &str) {
    let doc = case["files"]["document"].as_str().unwrap();
    let actor = Actor::from_slice(&read(doc), &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{id}: {e}"));
    let outcome = match case["params"]["outcome"].as_str().unwrap() {
        "PASSED" => E965Outcome::Passed,
        "FAILED" => E965Outcome::Failed,
        "inapplicable" => E965Outcome::Inapplicable,
        other => panic!("{id}: unknown outcome {other}"),
    };
    assert_eq!(e965_outcome(&actor), outcome, "{id}");
    let problems = validate_actor(&actor);
    let e965: Vec<(&str, &str, Severity)> = problems
        .iter()
        .filter(|p| p.rule == Rule::FepE965)
        .map(|p| (p.kind(), p.at.as_str(), p.severity))
        .collect();
    use Severity::{Error as E, Warning as W};
    let expected: Vec<(&str, &str, Severity)> = match id.rsplit('/').next().unwrap_or("") {
        "F17-both-movedTo-and-copiedTo" => vec![
            ("moved_and_copied", "/copiedTo", E),
            ("moved_without_tombstone", "/type", E),
        ],
        "F18-movedTo-array" => vec![
            ("moved_to_not_functional", "/movedTo", E),
            ("moved_without_tombstone", "/type", E),
        ],
        "F19-copiedTo-invalid-uri" => vec![("invalid_uri", "/copiedTo/1", E)],
        "F20-movedTo-invalid-uri-1" => vec![
            ("invalid_uri", "/movedTo", E),
            ("moved_without_tombstone", "/type", E),
        ],
        "F21-movedTo-invalid-uri-2" => vec![
            ("invalid_uri", "/movedTo", E),
            ("moved_without_tombstone", "/type", E),
        ],
        "F22-valid-migrated" => vec![("tombstone_without_deleted", "", W)],
        "F23-migrated-missing-tombstone" => vec![("moved_without_tombstone", "/type", E)],
        "F24-valid-multi-homed" | "F25-valid-multi-homed-copiedTo-array" => vec![],
        "E00-missing-fep7628-context" => vec![("missing_fep7628_context", "/@context", W)],
        "E01-valid-deactivated" => vec![("tombstone_without_deleted", "", W)],
        other => panic!("unknown e965 case {other}"),
    };
    assert_eq!(e965, expected, "{id}");
    // The published bytes with a trailing comma are not JSON.
    if let Some(published) = case["files"]["published"].as_str() {
        let err = Actor::from_slice(&read(published), &ReadOptions::default()).unwrap_err();
        assert_eq!(err.kind(), "invalid_json", "{id}");
    }
}

fn check_actor(case: &Value, id: &str) {
    let doc = case["files"]["document"].as_str().unwrap();
    let actor = Actor::from_slice(&read(doc), &ReadOptions::default())
        .unwrap_or_else(|e| panic!("{id}: {e}"));
    if let Some(moved) = case["params"]["moved_to"].as_str() {
        assert_eq!(actor.moved_to(), Some(moved), "{id}");
    }
    let structural: Vec<_> = validate_actor(&actor)
        .into_iter()
        .filter(|p| p.severity == Severity::Error && p.rule != Rule::FepE965)
        .collect();
    assert!(structural.is_empty(), "{id}: {structural:?}");
    assert_eq!(e965_outcome(&actor), E965Outcome::Inapplicable, "{id}");
    match id {
        "move/gotosocial/F13-actor-aliased-and-moved" => {
            assert!(
                actor
                    .also_known_as
                    .contains("http://localhost:8080/users/1happyturtle")
            );
            assert_eq!(actor.public_keys.len(), 1);
            assert_eq!(
                actor.public_keys[0].owner.single(),
                Some("http://localhost:8080/users/the_mighty_zork")
            );
            assert_eq!(actor.manually_approves_followers, Some(false));
            assert!(
                actor.undefined_terms().is_empty(),
                "{:?}",
                actor.undefined_terms().names().collect::<Vec<_>>()
            );
        }
        "move/fep-c390/F16-actor-with-identity-proof" => {
            assert_eq!(actor.attachment.len(), 1);
            assert_eq!(actor.attachment[0]["type"], "VerifiableIdentityStatement");
        }
        other => panic!("unknown actor case {other}"),
    }
}

fn check_context(case: &Value, id: &str) {
    let doc: Value =
        serde_json::from_slice(&read(case["files"]["document"].as_str().unwrap())).unwrap();
    let verdict = classify_context(&doc["@context"]).unwrap_or_else(|e| panic!("{id}: {e}"));
    assert_eq!(verdict.moved_to(), MovedToIri::Fep7628, "{id}");
    assert!(
        verdict.defines("movedTo") && verdict.defines("copiedTo"),
        "{id}"
    );
}

#[test]
fn every_move_vector() {
    let manifest: Value = serde_json::from_slice(&read("manifest.json")).expect("manifest is JSON");
    let cases: Vec<&Value> = manifest["cases"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["area"] == "move")
        .collect();
    assert!(
        cases.len() >= 27,
        "manifest lists {} move cases",
        cases.len()
    );
    let mut checked = 0;
    for case in &cases {
        let id = case["id"].as_str().unwrap();
        match case["kind"].as_str().unwrap() {
            "move-activity" => check_move(case, id),
            "e965-actor" => check_e965(case, id),
            "actor" => check_actor(case, id),
            "jsonld-context" => check_context(case, id),
            other => panic!("{id}: unknown kind {other}"),
        }
        checked += 1;
    }
    assert_eq!(checked, cases.len());
}
