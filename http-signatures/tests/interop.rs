//! Interop evidence, all from committed files (no network, no Node, no Python at test time):
//!
//! 1. Every request signed by Fedify (`testdata/interop/fedify/`), by the pyca-based
//!    `http-message-signatures` (`testdata/interop/pyhms/`), by Misskey's
//!    `@misskey-dev/node-http-message-signatures` (`testdata/interop/misskey/`) and by Joyent's
//!    `http-signature` (`testdata/interop/joyent/`) verifies with this crate — or fails — exactly
//!    as its sidecar says, under `mastodon()` and `strict()`.
//! 2. The requests WE signed (`testdata/interop/ours/`) still verify with this crate, and the
//!    deterministic ones (RSA PKCS#1 v1.5, Ed25519) are reproduced byte for byte by the current
//!    signer. With `HS_REGENERATE_OURS=1` the files are rewritten instead (then run
//!    `interop/node/verify.mjs`, `interop/python/verify_pyhms.py` and
//!    `interop/cavage-js/verify.mjs`, see `interop/README.md`).
//! 3. The committed verdicts of Fedify, pyhms, Misskey and Joyent on `ours/`
//!    (`testdata/interop/results/`) cover every file meant for them, and every one verified.

mod hostile_support;

use std::collections::BTreeSet;
use std::path::Path;

use hostile_support::{parse_raw, testdata, to_raw};
use http_signatures::{
    Algorithm, PrivateKey, PublicKey, Rfc9421SignOptions, RsaPadding, Verifier, VerifyPolicy,
};
use serde_json::{Value, json};

const NOW: i64 = 1_764_547_200; // 2025-12-01T00:00:00Z, same as the generators
const ACTOR: &str = "https://remote.example/users/alice";
const RSA_KEY_ID: &str = "https://remote.example/users/alice#main-key";
const ED_KEY_ID: &str = "https://remote.example/users/alice#ed25519-key";
/// Same bytes as `MOVE_BODY` in `interop/node/common.mjs` and `interop/python/common.py`.
const MOVE: &str = r#"{"@context":"https://www.w3.org/ns/activitystreams","id":"https://remote.example/users/alice#moves/1","type":"Move","actor":"https://remote.example/users/alice","object":"https://remote.example/users/alice","target":"https://new.example/users/alice","to":["https://remote.example/users/alice/followers"]}"#;

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn public_key(rel: &str) -> PublicKey {
    let pem = std::fs::read_to_string(testdata(&format!("interop/{rel}"))).expect("key file");
    PublicKey::from_pem(&pem).expect("public key loads")
}

fn private_key(name: &str) -> PrivateKey {
    let pem = std::fs::read_to_string(testdata(&format!("interop/keys/{name}"))).expect("key file");
    PrivateKey::from_pem(&pem).expect("private key loads")
}

fn policy(name: &str) -> VerifyPolicy {
    match name {
        "mastodon" => VerifyPolicy::mastodon(),
        "strict" => VerifyPolicy::strict(),
        other => panic!("unknown policy {other}"),
    }
}

/// Sidecars (`*.json` except `manifest.json`) of a corpus directory, sorted.
fn sidecars(dir: &str) -> Vec<Value> {
    let path = testdata(dir);
    let mut names: Vec<_> = std::fs::read_dir(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .map(|e| {
            e.expect("dir entry")
                .file_name()
                .into_string()
                .expect("utf-8 name")
        })
        .filter(|n| n.ends_with(".json") && n != "manifest.json")
        .collect();
    names.sort();
    names.iter().map(|n| read_json(&path.join(n))).collect()
}

fn load_request(dir: &str, sidecar: &Value) -> http::Request<Vec<u8>> {
    let id = sidecar["id"].as_str().expect("id");
    let raw = std::fs::read(testdata(&format!("{dir}/{id}.http"))).expect("request file");
    let url = sidecar["url"].as_str().expect("url");
    let scheme = url.split(':').next().expect("scheme");
    parse_raw(&raw, scheme).unwrap_or_else(|e| panic!("{id}: {e}"))
}

/// Verifies `req` with `key` under `policy`; `Ok(())` or `Err(kind)`.
fn verify(
    req: &http::Request<Vec<u8>>,
    key: &PublicKey,
    key_id: &str,
    policy: VerifyPolicy,
    now: i64,
) -> Result<http_signatures::VerifiedRequest, String> {
    Verifier::new(policy)
        .verify_request(req, req.body(), now, |id: &str| {
            (id == key_id).then(|| key.clone())
        })
        .map_err(|e| format!("{} ({e})", e.kind()))
}

/// Checks one foreign corpus; returns the number of (file, policy) verdicts checked.
fn check_foreign_corpus(dir: &str) -> usize {
    let mut checked = 0;
    let mut failures = Vec::new();
    for sc in sidecars(dir) {
        let id = sc["id"].as_str().expect("id");
        let req = load_request(dir, &sc);
        let key = public_key(sc["key"].as_str().expect("key"));
        let key_id = sc["keyId"].as_str().expect("keyId");
        let now = sc["now"].as_i64().expect("now");
        for policy_name in ["mastodon", "strict"] {
            let expect = sc["expect"][policy_name]
                .as_str()
                .expect("expect per policy");
            let got = verify(&req, &key, key_id, policy(policy_name), now);
            match (expect, &got) {
                ("valid", Ok(v)) => {
                    assert_eq!(v.key_id(), key_id, "{id}");
                    assert_eq!(
                        v.scheme().name(),
                        sc["scheme"].as_str().expect("scheme"),
                        "{id}"
                    );
                    if !req.body().is_empty() {
                        assert!(v.body_digest_verified(), "{id}: body digest not checked");
                    }
                }
                ("invalid", Err(_)) => {}
                _ => failures.push(format!(
                    "{dir}/{id} [{policy_name}]: expected {expect}, got {got:?}"
                )),
            }
            checked += 1;
        }
    }
    assert!(
        failures.is_empty(),
        "interop failures:\n{}",
        failures.join("\n")
    );
    checked
}

#[test]
fn fedify_signed_requests_verify() {
    let checked = check_foreign_corpus("interop/fedify");
    // 6 Fedify files × 2 policies at the time of writing; never zero.
    assert!(checked >= 12, "only {checked} Fedify verdicts checked");
}

/// draft-cavage with Ed25519 (`ed25519-sha512` and `hs2019`) and RSA, signed by Misskey's library.
#[test]
fn misskey_signed_requests_verify() {
    let checked = check_foreign_corpus("interop/misskey");
    assert!(checked >= 8, "only {checked} Misskey verdicts checked");
    let algs: BTreeSet<String> = sidecars("interop/misskey")
        .iter()
        .map(|s| s["algorithm"].as_str().expect("algorithm").to_owned())
        .collect();
    assert!(
        algs.contains("hs2019") && algs.contains("ed25519-sha512"),
        "{algs:?}"
    );
}

/// draft-cavage with Ed25519 and RSA, signed by Joyent's `http-signature` (one in
/// `Authorization: Signature`).
#[test]
fn joyent_signed_requests_verify() {
    let checked = check_foreign_corpus("interop/joyent");
    assert!(checked >= 6, "only {checked} Joyent verdicts checked");
}

#[test]
fn pyhms_signed_requests_verify() {
    let checked = check_foreign_corpus("interop/pyhms");
    assert!(checked >= 16, "only {checked} pyhms verdicts checked");
}

/// The pyhms RSA-PSS request is refused with the default (PKCS#1 v1.5-pinned) key, and
/// verifies once the caller explicitly loads the key for PSS and allows the algorithm: proof
/// that the refusal is the policy, not a broken signature.
#[test]
fn pyhms_rsa_pss_verifies_only_when_explicitly_allowed() {
    let dir = "interop/pyhms";
    let sc = read_json(&testdata(&format!(
        "{dir}/pyhms-rsa-pss-sha512-post-move.json"
    )));
    let req = load_request(dir, &sc);
    let pinned = public_key("keys/rsa-2048.pub.pem");
    let err = verify(&req, &pinned, RSA_KEY_ID, VerifyPolicy::strict(), NOW).unwrap_err();
    assert!(err.starts_with("algorithm_mismatch"), "{err}");

    let pss = pinned.with_rsa_padding(RsaPadding::Any);
    let mut allow = VerifyPolicy::strict();
    allow.allowed_algorithms = allow.allowed_algorithms.with(Algorithm::RsaPssSha512);
    let ok = verify(&req, &pss, RSA_KEY_ID, allow, NOW).expect("PSS verifies when allowed");
    assert_eq!(ok.algorithm(), Algorithm::RsaPssSha512);
}

/// What we sign for the other implementations: (id, scheme, key file stem, method, url,
/// extra rfc9421 options, which foreign verifiers support it).
struct Ours {
    id: &'static str,
    scheme: &'static str,
    key: &'static str,
    key_id: &'static str,
    get: bool,
    url: &'static str,
    tune: fn(&mut Rfc9421SignOptions),
    verifiers: &'static [&'static str],
}

fn no_tune(_: &mut Rfc9421SignOptions) {}

const OURS: &[Ours] = &[
    Ours {
        id: "ours-cavage-rsa-post-move",
        scheme: "cavage",
        key: "rsa-2048",
        key_id: RSA_KEY_ID,
        get: false,
        url: "https://local.example/users/bob/inbox",
        tune: no_tune,
        verifiers: &["fedify", "misskey", "joyent"],
    },
    Ours {
        id: "ours-cavage-rsa-get-actor",
        scheme: "cavage",
        key: "rsa-2048",
        key_id: RSA_KEY_ID,
        get: true,
        url: "https://local.example/users/bob",
        tune: no_tune,
        verifiers: &["fedify", "misskey", "joyent"],
    },
    // Ed25519 cavage is signed `algorithm="hs2019"`: Misskey verifies it; Fedify verifies
    // cavage with RSA only and Joyent knows only `<type>-<hash>` names (see interop/README.md).
    Ours {
        id: "ours-cavage-ed25519-post-move",
        scheme: "cavage",
        key: "ed25519",
        key_id: ED_KEY_ID,
        get: false,
        url: "https://local.example/users/bob/inbox",
        tune: no_tune,
        verifiers: &["misskey"],
    },
    Ours {
        id: "ours-cavage-ed25519-get-actor",
        scheme: "cavage",
        key: "ed25519",
        key_id: ED_KEY_ID,
        get: true,
        url: "https://local.example/users/bob",
        tune: no_tune,
        verifiers: &["misskey"],
    },
    Ours {
        id: "ours-rfc9421-rsa-post-move",
        scheme: "rfc9421",
        key: "rsa-2048",
        key_id: RSA_KEY_ID,
        get: false,
        url: "https://local.example/users/bob/inbox",
        tune: no_tune,
        verifiers: &["fedify", "pyhms"],
    },
    Ours {
        id: "ours-rfc9421-rsa-get-actor",
        scheme: "rfc9421",
        key: "rsa-2048",
        key_id: RSA_KEY_ID,
        get: true,
        url: "https://local.example/users/bob",
        tune: no_tune,
        verifiers: &["fedify", "pyhms"],
    },
    Ours {
        id: "ours-rfc9421-ed25519-post-move",
        scheme: "rfc9421",
        key: "ed25519",
        key_id: ED_KEY_ID,
        get: false,
        url: "https://local.example/users/bob/inbox",
        tune: no_tune,
        verifiers: &["fedify", "pyhms"],
    },
    Ours {
        id: "ours-rfc9421-ed25519-get-query",
        scheme: "rfc9421",
        key: "ed25519",
        key_id: ED_KEY_ID,
        get: true,
        url: "https://local.example/users/bob/outbox?page=true&min_id=0",
        tune: no_tune,
        verifiers: &["fedify", "pyhms"],
    },
    Ours {
        id: "ours-rfc9421-ed25519-post-expires-nonce-tag",
        scheme: "rfc9421",
        key: "ed25519",
        key_id: ED_KEY_ID,
        get: false,
        url: "https://local.example/users/bob/inbox",
        tune: |o| {
            o.label = "fep7628".to_owned();
            o.expires_in = Some(300);
            o.nonce = Some("n-ours-0001".to_owned());
            o.tag = Some("fediverse".to_owned());
        },
        verifiers: &["fedify", "pyhms"],
    },
];

fn sign_ours(o: &Ours) -> http::Request<Vec<u8>> {
    let key = private_key(&format!("{}.priv.pem", o.key));
    let mut builder = http::Request::builder().uri(o.url);
    builder = if o.get {
        builder
            .method("GET")
            .header("accept", "application/activity+json")
    } else {
        builder
            .method("POST")
            .header("content-type", "application/activity+json")
    };
    let host = o.url.split('/').nth(2).expect("authority");
    let body = if o.get {
        Vec::new()
    } else {
        MOVE.as_bytes().to_vec()
    };
    let mut req = builder
        .header("host", host)
        .body(body)
        .expect("request builds");
    let signed = match o.scheme {
        "cavage" => {
            let mut opts = http_signatures::CavageSignOptions::default();
            if o.get {
                opts.extra_headers.push("accept".to_owned());
            }
            http_signatures::sign_cavage(&req, req.body(), &key, o.key_id, NOW, &opts)
        }
        _ => {
            let mut opts = Rfc9421SignOptions::default();
            (o.tune)(&mut opts);
            http_signatures::sign_rfc9421(&req, req.body(), &key, o.key_id, NOW, &opts)
        }
    }
    .unwrap_or_else(|e| panic!("{}: signing failed: {e}", o.id));
    signed.apply(&mut req);
    req
}

fn ours_sidecar(o: &Ours, req: &http::Request<Vec<u8>>) -> Value {
    let alg = match (o.scheme, o.key) {
        ("cavage", "ed25519") => "hs2019",
        ("cavage", _) => "rsa-sha256",
        (_, "ed25519") => "ed25519",
        _ => "rsa-v1_5-sha256",
    };
    json!({
        "id": o.id,
        "producer": format!("http-signatures {} (this crate)", env!("CARGO_PKG_VERSION")),
        "scheme": o.scheme,
        "algorithm": alg,
        "url": req.uri().to_string(),
        "key": format!("keys/{}.pub.pem", o.key),
        "keyId": o.key_id,
        "actor": ACTOR,
        "now": NOW,
        "expect": { "mastodon": "valid", "strict": "valid" },
        "verifiers": o.verifiers,
    })
}

#[test]
fn our_requests_verify_and_are_reproducible() {
    let regenerate = std::env::var_os("HS_REGENERATE_OURS").is_some();
    let dir = testdata("interop/ours");
    for o in OURS {
        let req = sign_ours(o);
        let raw = to_raw(&req);
        let http_path = dir.join(format!("{}.http", o.id));
        if regenerate {
            std::fs::create_dir_all(&dir).expect("mkdir ours");
            std::fs::write(&http_path, &raw).expect("write request");
            let sc = serde_json::to_string_pretty(&ours_sidecar(o, &req)).expect("json") + "\n";
            std::fs::write(dir.join(format!("{}.json", o.id)), sc).expect("write sidecar");
        } else {
            // RSA PKCS#1 v1.5 and Ed25519 are deterministic: the signer must reproduce the file.
            let committed = std::fs::read(&http_path).unwrap_or_else(|e| {
                panic!(
                    "{}: {e} (run with HS_REGENERATE_OURS=1)",
                    http_path.display()
                )
            });
            assert!(
                committed == raw,
                "{}: our signer no longer reproduces the committed request",
                o.id
            );
        }
    }
    // Whatever is committed must verify with this crate under both profiles.
    let checked = check_foreign_corpus("interop/ours");
    assert_eq!(checked, OURS.len() * 2, "ours/ holds other files than OURS");
}

#[test]
fn foreign_verifiers_accepted_all_of_ours() {
    for (verifier, file) in [
        ("fedify", "fedify-verify.json"),
        ("pyhms", "pyhms-verify.json"),
        ("misskey", "misskey-verify.json"),
        ("joyent", "joyent-verify.json"),
    ] {
        let results = read_json(&testdata(&format!("interop/results/{file}")));
        let expected: BTreeSet<&str> = OURS
            .iter()
            .filter(|o| o.verifiers.contains(&verifier))
            .map(|o| o.id)
            .collect();
        let entries = results["results"].as_array().expect("results array");
        let seen: BTreeSet<&str> = entries
            .iter()
            .map(|r| r["id"].as_str().expect("id"))
            .collect();
        assert_eq!(
            seen, expected,
            "{file}: verified set differs from the files meant for {verifier}"
        );
        for r in entries {
            assert_eq!(
                r["verified"],
                json!(true),
                "{file}: {} was not verified: {r}",
                r["id"]
            );
        }
        assert!(!entries.is_empty(), "{file}: no results");
        assert_eq!(
            results["total"], results["verified"],
            "{file}: summary says not all verified"
        );
    }
}
