//! `fep7628 verify-request` / `sign-request` over the hostile corpus, the interop corpora and
//! the RFC 9421 vectors, and sign → verify round trips through the binary.
#![cfg(feature = "cli")]

mod cli_support;

use cli_support::*;
use serde_json::Value;

/// `verify-request --key KEY --key-id KEY_ID --now NOW --profile PROFILE` and then `rest`
/// (more options, the input).
fn verify_args<'a>(
    key: &'a str,
    key_id: &'a str,
    now: &'a str,
    profile: &'a str,
    rest: &[&'a str],
) -> Vec<&'a str> {
    let mut args = vec![
        "verify-request",
        "--key",
        key,
        "--key-id",
        key_id,
        "--now",
        now,
        "--profile",
        profile,
    ];
    args.extend_from_slice(rest);
    args
}

fn hs_testdata() -> std::path::PathBuf {
    workspace().join("http-signatures/testdata")
}

/// Every case of `http-signatures/testdata/hostile.json` through `verify-request` on stdin:
/// valid ⇒ exit 0; invalid ⇒ exit 1 and the listed kind; acceptable ⇒ mastodon 0, strict 1.
#[test]
fn hostile_corpus_through_the_binary() {
    let corpus = read_json(&hs_testdata().join("hostile.json"));
    let mut checked = 0usize;
    let mut failures = Vec::new();
    for group in corpus["testGroups"].as_array().expect("testGroups") {
        let key = hs_testdata().join(group["key"]["file"].as_str().expect("key file"));
        let key_id = group["key"]["keyId"].as_str().expect("keyId");
        let profile = group["policy"].as_str().expect("policy");
        for case in group["tests"].as_array().expect("tests") {
            let id = &case["tcId"];
            let request = case["request"].as_str().expect("request");
            let now = case["now"].to_string();
            let max_body = case.get("maxBody").map(Value::to_string);
            let verify = |profile: &str| {
                let key = key.to_str().expect("utf-8");
                let args = match &max_body {
                    Some(m) => {
                        verify_args(key, key_id, &now, profile, &["--max-body", m.as_str(), "-"])
                    }
                    None => verify_args(key, key_id, &now, profile, &["-"]),
                };
                run(&args, Some(request.as_bytes()))
            };
            let expected_kind = case["errorKind"].as_str();
            match case["result"].as_str().expect("result") {
                "valid" => {
                    let r = verify(profile);
                    if r.code != 0 || r.json()["valid"] != true {
                        failures.push(format!("tc {id}: expected valid, got {}", r.json()));
                    }
                }
                "invalid" => {
                    let r = verify(profile);
                    if r.code != 1 || r.kind().as_deref() != expected_kind {
                        failures.push(format!(
                            "tc {id}: expected exit 1 {expected_kind:?}, got {} {}",
                            r.code,
                            r.json()
                        ));
                    }
                }
                "acceptable" => {
                    let lenient = verify("mastodon");
                    let strict = verify("strict");
                    if lenient.code != 0
                        || strict.code != 1
                        || strict.kind().as_deref() != expected_kind
                    {
                        failures.push(format!(
                            "tc {id}: acceptable: mastodon {} / strict {} {}",
                            lenient.code,
                            strict.code,
                            strict.json()
                        ));
                    }
                }
                other => panic!("tc {id}: unknown result {other}"),
            }
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 200, "only {checked} hostile cases checked");
}

/// Requests signed by Fedify, by http-message-signatures (pyca) and by us, verified under both
/// profiles as their sidecars say.
#[test]
fn interop_corpora_through_the_binary() {
    let root = hs_testdata().join("interop");
    let mut checked = 0usize;
    let mut failures = Vec::new();
    for dir in ["fedify", "pyhms", "ours"] {
        let mut names: Vec<String> = std::fs::read_dir(root.join(dir))
            .expect("corpus dir")
            .map(|e| e.expect("entry").file_name().into_string().expect("utf-8"))
            .filter(|n| n.ends_with(".json") && n != "manifest.json")
            .collect();
        names.sort();
        for name in names {
            let sidecar = read_json(&root.join(dir).join(&name));
            let id = sidecar["id"].as_str().expect("id");
            let request = arg(&root.join(dir).join(format!("{id}.http")));
            let key = arg(&root.join(sidecar["key"].as_str().expect("key")));
            let key_id = sidecar["keyId"].as_str().expect("keyId");
            let now = sidecar["now"].to_string();
            for profile in ["mastodon", "strict"] {
                let expect = sidecar["expect"][profile].as_str().expect("expect");
                let r = run(&verify_args(&key, key_id, &now, profile, &[&request]), None);
                let out = r.json();
                let ok = match expect {
                    "valid" => {
                        r.code == 0 && out["scheme"] == sidecar["scheme"] && out["key_id"] == key_id
                    }
                    _ => r.code == 1 && out["error"]["kind"].is_string(),
                };
                if !ok {
                    failures.push(format!(
                        "{dir}/{id} [{profile}]: expected {expect}, got {out}"
                    ));
                }
                checked += 1;
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 40, "only {checked} interop verdicts checked");
}

/// RFC 9421 B.2.6 (Ed25519): the published request with its published signature verifies
/// under the test-vector profile and reports what it covers; one changed byte does not.
#[test]
fn rfc9421_b26_ed25519_vector() {
    let v = vectors().join("http-signatures/rfc9421");
    let message = std::fs::read(v.join("messages/test-request.http")).expect("message");
    let headers =
        std::fs::read(v.join("signatures/b2.6-ed25519/headers.txt")).expect("headers.txt");
    let split = message
        .windows(2)
        .position(|w| w == b"\n\n")
        .expect("empty line");
    let mut raw = message[..=split].to_vec();
    raw.extend_from_slice(&headers);
    if !raw.ends_with(b"\n") {
        raw.push(b'\n');
    }
    raw.push(b'\n');
    raw.extend_from_slice(&message[split + 2..]);
    let key = arg(&v.join("keys/test-key-ed25519.pub.pem"));
    let verify = |raw: &[u8], profile: &str| {
        run(
            &verify_args(&key, "test-key-ed25519", "1618884473", profile, &["-"]),
            Some(raw),
        )
    };
    let r = verify(&raw, "test-vectors");
    assert_eq!(r.code, 0, "{}", r.json());
    let out = r.json();
    assert_eq!(out["scheme"], "rfc9421");
    assert_eq!(out["algorithm"], "ed25519");
    assert_eq!(
        out["covered"],
        serde_json::json!([
            "\"date\"",
            "\"@method\"",
            "\"@path\"",
            "\"@authority\"",
            "\"content-type\"",
            "\"content-length\""
        ])
    );
    // The same request under a server profile: B.2.6 does not cover the body.
    let r = verify(&raw, "mastodon");
    assert_eq!(r.code, 1);
    assert_eq!(r.kind().as_deref(), Some("insufficient_coverage"));
    // Tampered method.
    let tampered = [b"PUT".as_slice(), &raw[4..]].concat();
    let r = verify(&tampered, "test-vectors");
    assert_eq!(r.code, 1);
    assert_eq!(r.kind().as_deref(), Some("bad_signature"));
}

const POST: &str = "POST /users/bob/inbox HTTP/1.1\r\nHost: local.example\r\nContent-Type: application/activity+json\r\nContent-Length: 26\r\n\r\n{\"type\":\"Move\",\"id\":\"x:1\"}";
const GET_LF: &str =
    "GET /users/alice?page=2 HTTP/1.1\nHost: remote.example\nAccept: application/activity+json\n\n";

/// sign-request → verify-request, for RSA and Ed25519, cavage and RFC 9421, CRLF and LF, under
/// both profiles; a changed body then fails on its digest.
#[test]
fn sign_then_verify_round_trips() {
    let keys = hs_testdata().join("interop/keys");
    let mut checked = 0usize;
    for key in ["rsa-2048.priv.pem", "ed25519.priv.pem"] {
        let key = arg(&keys.join(key));
        for scheme in ["cavage", "rfc9421"] {
            for request in [POST, GET_LF] {
                let signed = run(
                    &[
                        "sign-request",
                        "--key",
                        &key,
                        "--key-id",
                        "https://remote.example/users/alice#main-key",
                        "--scheme",
                        scheme,
                        "--now",
                        "1764547200",
                        "-",
                    ],
                    Some(request.as_bytes()),
                );
                assert_eq!(
                    signed.code,
                    0,
                    "{}",
                    String::from_utf8_lossy(&signed.stdout)
                );
                for profile in ["mastodon", "strict"] {
                    let r = run(
                        &verify_args(
                            &key,
                            "https://remote.example/users/alice#main-key",
                            "1764547230",
                            profile,
                            &["-"],
                        ),
                        Some(&signed.stdout),
                    );
                    assert_eq!(
                        r.code,
                        0,
                        "{scheme} {profile}: {}\n{}",
                        r.json(),
                        String::from_utf8_lossy(&signed.stdout)
                    );
                    assert_eq!(r.json()["scheme"], scheme);
                    checked += 1;
                }
                // Another key id is refused when --key-id is given.
                let r = run(
                    &[
                        "verify-request",
                        "--key",
                        &key,
                        "--key-id",
                        "https://evil.example/k",
                        "--now",
                        "1764547230",
                        "-",
                    ],
                    Some(&signed.stdout),
                );
                assert_eq!(r.code, 1);
                assert_eq!(r.kind().as_deref(), Some("unknown_key"));
                if request == POST {
                    let text = String::from_utf8(signed.stdout.clone()).expect("utf-8");
                    let tampered = text.replace("\"x:1\"", "\"x:2\"");
                    let r = run(
                        &["verify-request", "--key", &key, "--now", "1764547230", "-"],
                        Some(tampered.as_bytes()),
                    );
                    assert_eq!(r.code, 1, "{}", r.json());
                    assert_eq!(r.kind().as_deref(), Some("digest_mismatch"), "{}", r.json());
                }
            }
        }
    }
    assert_eq!(checked, 16);
}

/// `--now` decides: the same signed request is expired two hours later under strict.
#[test]
fn now_controls_the_time_window() {
    let key = arg(&hs_testdata().join("interop/keys/ed25519.priv.pem"));
    let signed = run(
        &[
            "sign-request",
            "--key",
            &key,
            "--key-id",
            "k",
            "--now",
            "1764547200",
            "-",
        ],
        Some(POST.as_bytes()),
    );
    let late = run(
        &[
            "verify-request",
            "--key",
            &key,
            "--now",
            "1764554400",
            "--profile",
            "strict",
            "-",
        ],
        Some(&signed.stdout),
    );
    assert_eq!(late.code, 1);
    assert_eq!(late.kind().as_deref(), Some("expired"));
    let override_age = run(
        &[
            "verify-request",
            "--key",
            &key,
            "--now",
            "1764554400",
            "--profile",
            "strict",
            "--max-age",
            "10000",
            "-",
        ],
        Some(&signed.stdout),
    );
    assert_eq!(override_age.code, 0, "{}", override_age.json());
}

/// Real-world draft-cavage requests: Fedify's (key as a JWK, request to an absolute URL with no
/// Host header) verifies under the Mastodon profile at its own time; Mastodon 4.0's relay POST
/// comes without its body, so the verifier gets as far as the body digest and refuses there.
#[test]
fn real_world_cavage_requests() {
    let v = vectors().join("http-signatures/real-world");
    let fedify = v.join("fedify-draft-cavage");
    let raw = std::fs::read_to_string(fedify.join("request.http")).expect("request");
    let signature = std::fs::read_to_string(fedify.join("signature-header.txt")).expect("sig");
    let (head, body) = raw.split_once("\n\n").expect("empty line");
    let head = head.replacen("POST / HTTP/1.1", "POST https://example.com/ HTTP/1.1", 1);
    let request = format!("{head}\nSignature: {}\n\n{body}", signature.trim_end());
    let key = arg(&fedify.join("rsaPublicKey1.jwk.json"));
    let verify = |request: &str, now: &str| {
        run(
            &verify_args(&key, "https://example.com/key", now, "mastodon", &["-"]),
            Some(request.as_bytes()),
        )
    };
    let r = verify(&request, "1709624984");
    assert_eq!(r.code, 0, "{}", r.json());
    assert_eq!(r.json()["scheme"], "cavage");
    assert_eq!(r.json()["algorithm"], "rsa-v1_5-sha256");
    // A day later it is expired; with a changed body the digest no longer matches.
    let r = verify(&request, "1709711384");
    assert_eq!(r.kind().as_deref(), Some("expired"), "{}", r.json());
    let r = verify(
        &request.replace("Hello, world!", "Hello, world?"),
        "1709624984",
    );
    assert_eq!(r.kind().as_deref(), Some("digest_mismatch"), "{}", r.json());

    let mastodon = v.join("mastodon-4.0-relay-post");
    let r = run(
        &verify_args(
            &arg(&mastodon.join("public.pem")),
            "https://c3d2.social/actor#main-key",
            "1670433925",
            "mastodon",
            &[&arg(&mastodon.join("request.txt"))],
        ),
        None,
    );
    assert_eq!(r.code, 1);
    assert_eq!(r.kind().as_deref(), Some("digest_mismatch"), "{}", r.json());
    assert_eq!(r.json()["scheme"], "cavage");
}
