//! Runs the Wycheproof-shaped hostile corpus `testdata/hostile.json` (generated independently
//! by `interop/gen_hostile.py` with pyca `cryptography`) against the verifier.
//!
//! - `valid`: must verify under the group's policy.
//! - `invalid`: must fail under the group's policy with `Error::kind() == errorKind`.
//! - `acceptable`: lenient-only — must verify under `VerifyPolicy::mastodon()` and fail under
//!   `VerifyPolicy::strict()` with `errorKind`.
//!
//! The key resolver models what a server does with an actor document: it knows exactly the key
//! ids the actor lists (the group's `key.keyId`) and nothing else. A key id on another host than
//! the actor therefore never resolves (`unknown_key`), which is how spec §5 rule 6 reaches this
//! crate (the actor ↔ key-owner check itself is the caller's, see `fep7628`).
//!
//! The run fails if a case disagrees, if no case was checked, or if fewer cases were checked
//! than the corpus' `numberOfTests`.

mod hostile_support;

use hostile_support::{parse_raw, testdata};
use http_signatures::{PublicKey, Verifier, VerifyPolicy};
use serde_json::Value;

fn policy(name: &str) -> VerifyPolicy {
    match name {
        "mastodon" => VerifyPolicy::mastodon(),
        "strict" => VerifyPolicy::strict(),
        other => panic!("unknown policy {other:?} in hostile.json"),
    }
}

/// Verifies one case under `policy_name`; `Ok(())` = verified, `Err(kind)` otherwise.
fn run(test: &Value, key: &PublicKey, key_id: &str, policy_name: &str) -> Result<(), String> {
    let raw = test["request"].as_str().expect("request is a string");
    let req = parse_raw(raw.as_bytes(), "https").expect("corpus request parses");
    let now = test["now"].as_i64().expect("now is an integer");
    let mut policy = policy(policy_name);
    if let Some(max) = test.get("maxBody").and_then(Value::as_u64) {
        policy.limits.max_body = usize::try_from(max).expect("maxBody fits usize");
    }
    let resolver = |id: &str| (id == key_id).then(|| key.clone());
    Verifier::new(policy)
        .verify_request(&req, req.body(), now, resolver)
        .map(|_| ())
        .map_err(|e| e.kind().to_owned())
}

#[test]
fn hostile_corpus() {
    let text = std::fs::read_to_string(testdata("hostile.json")).expect("read hostile.json");
    let doc: Value = serde_json::from_str(&text).expect("hostile.json is JSON");
    let declared = doc["numberOfTests"].as_u64().expect("numberOfTests");
    let kinds = http_signatures::Error::KINDS;

    let mut checked = 0u64;
    let mut failures = Vec::new();
    for group in doc["testGroups"].as_array().expect("testGroups") {
        let key = PublicKey::from_pem(group["key"]["publicKeyPem"].as_str().expect("pem"))
            .expect("group key loads");
        let key_id = group["key"]["keyId"].as_str().expect("keyId");
        let group_policy = group["policy"].as_str().expect("policy");
        for test in group["tests"].as_array().expect("tests") {
            let tc = test["tcId"].as_u64().expect("tcId");
            let comment = test["comment"].as_str().unwrap_or("");
            let expected_kind = test.get("errorKind").and_then(Value::as_str);
            if let Some(k) = expected_kind {
                assert!(
                    kinds.contains(&k),
                    "tc {tc}: errorKind {k:?} is not an Error::kind()"
                );
            }
            let mut fail =
                |msg: String| failures.push(format!("tc {tc} [{group_policy}] {comment}: {msg}"));
            match test["result"].as_str().expect("result") {
                "valid" => {
                    if let Err(kind) = run(test, &key, key_id, group_policy) {
                        fail(format!("expected valid, got {kind}"));
                    }
                }
                "invalid" => match run(test, &key, key_id, group_policy) {
                    Ok(()) => fail("expected invalid, it verified".into()),
                    Err(kind) if Some(kind.as_str()) != expected_kind => {
                        fail(format!("expected {expected_kind:?}, got {kind}"))
                    }
                    Err(_) => {}
                },
                "acceptable" => {
                    if let Err(kind) = run(test, &key, key_id, "mastodon") {
                        fail(format!("acceptable: mastodon() should accept, got {kind}"));
                    }
                    match run(test, &key, key_id, "strict") {
                        Ok(()) => fail("acceptable: strict() should reject, it verified".into()),
                        Err(kind) if Some(kind.as_str()) != expected_kind => fail(format!(
                            "acceptable: strict() expected {expected_kind:?}, got {kind}"
                        )),
                        Err(_) => {}
                    }
                }
                other => fail(format!("unknown result {other:?}")),
            }
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {checked} hostile cases failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    assert!(checked > 0, "hostile corpus: no case was checked");
    assert!(
        checked >= declared,
        "hostile corpus: checked {checked} cases, numberOfTests says {declared}"
    );
}

#[test]
fn corpus_covers_every_security_rule() {
    // Each rule of spec §5 that reaches this crate must have at least one case (by flag).
    let text = std::fs::read_to_string(testdata("hostile.json")).expect("read hostile.json");
    let doc: Value = serde_json::from_str(&text).expect("hostile.json is JSON");
    let flags: std::collections::BTreeSet<&str> = doc["testGroups"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|g| g["tests"].as_array().into_iter().flatten())
        .flat_map(|t| t["flags"].as_array().into_iter().flatten())
        .filter_map(Value::as_str)
        .collect();
    for required in [
        "AlgorithmConfusion",
        "HmacWithPublicKey",
        "KeySize",
        "MissingCoverage",
        "DigestTampering",
        "WeakDigest",
        "UncoveredDigest",
        "DigestList",
        "BodyLimit",
        "ReplayWindow",
        "MalformedTime",
        "Lenient",
        "DuplicateParameter",
        "DuplicateComponent",
        "NonAscii",
        "KeyIdOrigin",
        "WrongRequestTarget",
        "HeaderCase",
        "AuthorizationForm",
        "MultipleSignatures",
        "ParserHardening",
    ] {
        assert!(
            flags.contains(required),
            "no hostile case flagged {required}"
        );
    }
}
