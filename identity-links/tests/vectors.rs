//! Every `identity-links` case of `../shared/vectors/manifest.json`, reproduced byte for byte.
//!
//! The run iterates the manifest and fails if any identity-links case was not checked (an
//! unknown `kind` is a failure, not a skip), so new vectors cannot be silently ignored.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ed25519_dalek::{Signer, SigningKey, VerifyingKey};
use identity_links::data_integrity::{ProofOptions, UnverifiedProof, create_proof, hash_data};
use identity_links::did_key::DidKey;
use identity_links::fep_c390::{self, VerificationMethodForm};
use identity_links::fep8b32;
use identity_links::jcs::{canonicalize, canonicalize_bytes, parse_strict};
use identity_links::multibase::{decode_base58btc, encode_base58btc};
use identity_links::multikey::{self, PublicMultikey};
use serde_json::Value;
use sha2::{Digest, Sha256};

fn vectors_dir() -> PathBuf {
    // The shared folder is checked out beside the repository (README "Working on it").
    std::env::var_os("FEP7628_VECTORS")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors"))
}

fn read(rel: &str) -> Vec<u8> {
    let p = vectors_dir().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn text(rel: &str) -> String {
    String::from_utf8(read(rel)).expect("utf-8")
}

fn json(rel: &str) -> Value {
    parse_strict(&read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    let s = s.trim();
    (0..s.len() / 2)
        .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).expect("hex"))
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn w3c_signing_key(files: &Value) -> SigningKey {
    let kp = json(files["keypair"].as_str().expect("keypair"));
    multikey::decode_ed25519_secret(kp["privateKeyMultibase"].as_str().expect("secret"))
        .expect("secret key")
}

fn without_proof(v: &Value) -> Value {
    let mut v = v.clone();
    v.as_object_mut().expect("object").remove("proof");
    v
}

/// Expected failure kind of each negative (`invalid`) case.
fn expected_failure(id: &str) -> &'static str {
    match id.rsplit('/').next().unwrap_or(id) {
        "c390-tampered-alsoKnownAs" | "c390-tampered-created" | "8b32-tampered-object" => {
            "bad_signature"
        }
        "c390-tampered-proofPurpose" => "proof_purpose_mismatch",
        "c390-vm-other-key" => "subject_mismatch",
        "c390-cryptosuite-rdfc" => "unsupported_cryptosuite",
        "c390-proofValue-no-multibase-prefix"
        | "c390-proofValue-wrong-length"
        | "c390-proofValue-base64url" => "invalid_multibase",
        "8b32-proof-context-not-prefix" => "context_not_prefix",
        "8b32-actor-key-not-ed25519" => "unsupported_key_type",
        "8b32-actor-key-wrong-controller" => "controller_mismatch",
        "c390-actor-id-mismatch" => "also_known_as_mismatch",
        "error-duplicate-key" => "duplicate_key",
        "error-lone-surrogate" | "error-number-overflow" | "error-nan-literal" => "invalid_json",
        other => panic!("no expected failure recorded for {other}"),
    }
}

fn check_keypair(c: &Value) {
    let kp = json(c["files"]["keypair"].as_str().unwrap());
    let public =
        multikey::decode_ed25519_public(kp["publicKeyMultibase"].as_str().unwrap()).unwrap();
    let secret =
        multikey::decode_ed25519_secret(kp["privateKeyMultibase"].as_str().unwrap()).unwrap();
    assert_eq!(hex(public.as_bytes()), c["params"]["public_hex"]);
    assert_eq!(hex(secret.as_bytes()), c["params"]["secret_hex"]);
    assert_eq!(
        secret.verifying_key(),
        public,
        "public key derived from the seed"
    );
    assert_eq!(
        multikey::encode_ed25519_public(&public),
        kp["publicKeyMultibase"]
    );
    assert_eq!(
        multikey::encode_ed25519_secret(&secret),
        kp["privateKeyMultibase"]
    );
}

fn check_w3c(c: &Value) {
    let f = &c["files"];
    let file = |k: &str| f[k].as_str().unwrap();
    let unsigned = json(file("unsigned"));
    let canon = canonicalize(&unsigned).unwrap();
    assert_eq!(canon, read(file("canon_doc")), "JCS(unsigned.json)");
    assert_eq!(sha256_hex(&canon), text(file("doc_hash")).trim(), "docHash");
    let config = json(file("proof_config"));
    let config_canon = canonicalize(&config).unwrap();
    assert_eq!(config_canon, read(file("canon_proof")), "JCS(proof config)");
    assert_eq!(
        sha256_hex(&config_canon),
        text(file("proof_hash")).trim(),
        "proofHash"
    );
    let combined = hash_data(&config_canon, &canon);
    assert_eq!(
        hex(&combined),
        text(file("combined_hash")).trim(),
        "proofHash || docHash"
    );
    let key = w3c_signing_key(f);
    let sig = key.sign(&combined).to_bytes();
    assert_eq!(hex(&sig), text(file("sig_hex")).trim(), "signature hex");
    assert_eq!(
        encode_base58btc(&sig),
        text(file("sig_btc58")).trim(),
        "signature base58btc"
    );

    // Create side: our create_proof from the unsigned document and the options reproduces it.
    let options = ProofOptions::assertion(
        config["verificationMethod"].as_str().unwrap(),
        config["created"].as_str().unwrap(),
    );
    let proof = create_proof(&unsigned, &key, &options).unwrap();
    assert_eq!(proof["proofValue"], text(file("sig_btc58")).trim());
    let mut ours = proof.clone();
    ours.remove("proofValue");
    assert_eq!(
        Value::Object(ours),
        config,
        "created proof config == proofConfigJCS.json"
    );

    // Verify side.
    let signed = json(file("signed"));
    assert_eq!(without_proof(&signed), unsigned);
    let pending = UnverifiedProof::from_secured(&signed).unwrap();
    assert_eq!(
        pending.hash_data(),
        &combined,
        "verify-side hash == create-side hash"
    );
    assert_eq!(pending.canonical_document(), canon.as_slice());
    assert_eq!(pending.canonical_proof_config(), config_canon.as_slice());
    let did = DidKey::from_verification_method(pending.verification_method()).unwrap();
    assert_eq!(did.verifying_key(), &key.verifying_key());
    pending.verify_signature(did.verifying_key()).unwrap();
}

/// Verifies an `eddsa-jcs-2022-proof` case; returns the error kind on failure.
fn verify_proof_case(c: &Value, secured: &Value) -> Result<(), &'static str> {
    let f = &c["files"];
    match c["params"]["verification"].as_str().unwrap() {
        "did:key" => fep_c390::verify_statement_proof(secured)
            .map(drop)
            .map_err(|e| e.kind()),
        "actor-assertionMethod" => {
            let actor = json(f["actor"].as_str().unwrap());
            let direct = fep8b32::verify_object(secured, &actor);
            // The prepared path must agree exactly (same proof, or the same error).
            let prepared = fep8b32::PendingObjectProof::new(secured)
                .and_then(|p| p.verify_with_keys(&fep8b32::ActorKeys::from_actor(&actor)?));
            assert_eq!(direct, prepared, "verify_with_keys == verify_with_actor");
            direct.map(drop).map_err(|e| e.kind())
        }
        other => panic!("unknown verification {other}"),
    }
}

fn check_eddsa_proof(c: &Value) {
    let f = &c["files"];
    let file = |k: &str| f.get(k).and_then(Value::as_str);
    let secured = json(file("secured").unwrap());
    let outcome = verify_proof_case(c, &secured);
    if c["expect"] == "invalid" {
        assert_eq!(
            outcome,
            Err(expected_failure(c["id"].as_str().unwrap())),
            "{}",
            c["id"]
        );
        return;
    }
    assert_eq!(outcome, Ok(()), "{}", c["id"]);
    let pending = UnverifiedProof::from_secured(&secured).unwrap();
    if let Some(p) = file("canon_doc") {
        assert_eq!(
            pending.canonical_document(),
            read(p).as_slice(),
            "canon doc"
        );
    }
    if let Some(p) = file("doc_hash") {
        assert_eq!(
            sha256_hex(pending.canonical_document()),
            text(p).trim(),
            "doc hash"
        );
    }
    if let Some(p) = file("canon_proof") {
        assert_eq!(
            pending.canonical_proof_config(),
            read(p).as_slice(),
            "canon proof"
        );
    }
    if let Some(p) = file("proof_hash") {
        assert_eq!(
            sha256_hex(pending.canonical_proof_config()),
            text(p).trim(),
            "proof hash"
        );
    }
    let unsecured = without_proof(&secured);
    for k in ["unsecured", "claim"] {
        if let Some(p) = file(k) {
            assert_eq!(json(p), unsecured, "{k} == secured minus proof");
        }
    }
    if c["params"]["resign"] == true {
        let key = w3c_signing_key(f);
        let proof_value = secured["proof"]["proofValue"].as_str().unwrap();
        assert_eq!(
            encode_base58btc(&key.sign(pending.hash_data()).to_bytes()),
            proof_value,
            "re-sign"
        );
        // Create side through the public API.
        let created = secured["proof"]["created"].as_str().unwrap();
        let vm = secured["proof"]["verificationMethod"].as_str().unwrap();
        let recreated = if let Some(actor_id) = secured.get("alsoKnownAs").and_then(Value::as_str) {
            let form = if vm.contains('#') {
                VerificationMethodForm::DidUrl
            } else {
                VerificationMethodForm::BareDid
            };
            fep_c390::create_identity_proof(actor_id, &key, created, form).unwrap()
        } else {
            fep8b32::sign_object(&unsecured, &key, vm, created).unwrap()
        };
        assert_eq!(
            recreated, secured,
            "created document == published secured document"
        );
    }
}

fn check_c390_actor(c: &Value) {
    let actor = json(c["files"]["actor"].as_str().unwrap());
    let outcomes = fep_c390::verify_actor_identity_proofs(&actor).unwrap();
    assert!(!outcomes.is_empty(), "no statement found");
    let links = fep_c390::verified_links(&outcomes);
    if c["expect"] == "valid" {
        assert_eq!(links.len(), 1, "{outcomes:?}");
        assert_eq!(links[0].actor_id(), actor["id"]);
        assert_eq!(
            links[0].subject(),
            "did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"
        );
    } else {
        assert!(links.is_empty());
        let want = expected_failure(c["id"].as_str().unwrap());
        for o in &outcomes {
            assert_eq!(o.result.as_ref().map_err(|e| e.kind()).unwrap_err(), want);
        }
    }
}

fn check_jcs(c: &Value) {
    let f = &c["files"];
    let out = canonicalize_bytes(&read(f["input"].as_str().unwrap()));
    if c["expect"] == "invalid" {
        let e = out.expect_err("canonicalisation must fail");
        assert_eq!(e.kind(), expected_failure(c["id"].as_str().unwrap()), "{e}");
        return;
    }
    let out = out.unwrap();
    assert_eq!(out, read(f["output"].as_str().unwrap()), "{}", c["id"]);
    if let Some(p) = f.get("outhex").and_then(Value::as_str) {
        assert_eq!(
            out,
            unhex(&text(p).split_whitespace().collect::<String>()),
            "outhex"
        );
    }
}

/// Members of the first object in document order (serde_json's map is sorted).
fn values_in_order(canonical: &[u8]) -> Vec<Value> {
    struct Ordered(Vec<Value>);
    impl<'de> serde::Deserialize<'de> for Ordered {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            struct V;
            impl<'de> serde::de::Visitor<'de> for V {
                type Value = Ordered;
                fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                    f.write_str("object")
                }
                fn visit_map<A: serde::de::MapAccess<'de>>(
                    self,
                    mut m: A,
                ) -> Result<Ordered, A::Error> {
                    let mut out = Vec::new();
                    while let Some((_, v)) = m.next_entry::<String, Value>()? {
                        out.push(v);
                    }
                    Ok(Ordered(out))
                }
            }
            d.deserialize_map(V)
        }
    }
    serde_json::from_slice::<Ordered>(canonical).unwrap().0
}

fn check_jcs_sort(c: &Value) {
    let out = canonicalize_bytes(&read(c["files"]["input"].as_str().unwrap())).unwrap();
    let want = json(c["files"]["expected_order"].as_str().unwrap());
    assert_eq!(Value::Array(values_in_order(&out)), want);
}

fn jcs_number(bits: u64) -> Option<String> {
    let n = serde_json::Number::from_f64(f64::from_bits(bits))?;
    Some(String::from_utf8(canonicalize(&Value::Number(n)).unwrap()).unwrap())
}

fn check_jcs_numbers(c: &Value) {
    let cases = json(c["files"]["cases"].as_str().unwrap());
    let cases = cases["cases"].as_array().unwrap();
    assert!(cases.len() >= 20);
    for case in cases {
        let bits = u64::from_str_radix(case["ieee_hex"].as_str().unwrap(), 16).unwrap();
        let got = jcs_number(bits);
        if case.get("error") == Some(&Value::Bool(true)) {
            assert_eq!(got, None, "{case}");
        } else {
            assert_eq!(got.as_deref(), case["json"].as_str(), "{case}");
        }
    }
}

fn check_es6_corpus(c: &Value) {
    let corpus = json(c["files"]["corpus"].as_str().unwrap());
    for line in corpus["sample_lines"].as_array().unwrap() {
        let (h, want) = line.as_str().unwrap().split_once(',').unwrap();
        assert_eq!(
            jcs_number(u64::from_str_radix(h, 16).unwrap()).as_deref(),
            Some(want),
            "{line}"
        );
    }
    let gen_ = &corpus["generator"];
    let targets: BTreeMap<u64, (u64, String)> = corpus["sha256_of_first_lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["lines"].as_u64().unwrap(),
                (
                    t["bytes"].as_u64().unwrap(),
                    t["sha256"].as_str().unwrap().to_owned(),
                ),
            )
        })
        // check.py's default; IL_ES6_FULL=1 also checks the 1,000,000-line hash (slow in debug).
        .filter(|(n, _)| *n <= 100_000 || std::env::var_os("IL_ES6_FULL").is_some())
        .collect();
    let last = *targets.keys().last().expect("targets");
    let mut words: Vec<u64> = gen_["static_u64"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| u64::from_str_radix(h.as_str().unwrap(), 16).unwrap())
        .collect();
    let start = u64::from_str_radix(gen_["serial_start"].as_str().unwrap(), 16).unwrap();
    words.extend((0..gen_["serial_count"].as_u64().unwrap()).map(|i| start + i));
    let mut block = [0u8; 32];
    let mut hasher = Sha256::new();
    let (mut n, mut size, mut checked) = (0u64, 0u64, 0);
    let mut emit = |u: u64, hasher: &mut Sha256| -> bool {
        let line = format!("{u:x},{}\n", jcs_number(u).expect("finite"));
        hasher.update(line.as_bytes());
        n += 1;
        size += line.len() as u64;
        if let Some((bytes, sha)) = targets.get(&n) {
            assert_eq!(size, *bytes, "{n} lines: size");
            assert_eq!(hex(&hasher.clone().finalize()), *sha, "{n} lines: sha256");
            checked += 1;
        }
        n >= last
    };
    let mut done = false;
    for u in words {
        if emit(u, &mut hasher) {
            done = true;
            break;
        }
    }
    while !done {
        block = Sha256::digest(block).into();
        for chunk in block.chunks_exact(8) {
            let u = u64::from_le_bytes(chunk.try_into().unwrap());
            let x = f64::from_bits(u);
            if x == 0.0 || !x.is_finite() {
                continue;
            }
            if emit(u, &mut hasher) {
                done = true;
                break;
            }
        }
    }
    assert_eq!(checked, targets.len());
}

fn check_multikey_encode(c: &Value) {
    let f = &c["files"];
    let p = &c["params"];
    let key = unhex(&text(f["key_hex"].as_str().unwrap()));
    let mk = json(f["multikey"].as_str().unwrap());
    let mb = mk["publicKeyMultibase"].as_str().unwrap();
    let actor = p["actor"].as_str().unwrap();
    assert_eq!(
        mk["id"],
        format!("{actor}#{}", p["fragment"].as_str().unwrap())
    );
    assert_eq!(mk["controller"], actor);
    assert_eq!(mk["type"], "Multikey");
    let mut payload = unhex(p["prefix"].as_str().unwrap());
    payload.extend_from_slice(&key);
    assert_eq!(decode_base58btc(mb).unwrap(), payload);
    match p["prefix"].as_str().unwrap() {
        "ed01" => {
            let vk = VerifyingKey::from_bytes(&key.clone().try_into().unwrap()).unwrap();
            assert_eq!(multikey::encode_ed25519_public(&vk), mb);
            assert_eq!(
                multikey::decode_public(mb).unwrap(),
                PublicMultikey::Ed25519(vk)
            );
        }
        "8524" => {
            assert_eq!(payload.len(), 272);
            assert_eq!(multikey::encode_rsa_public(&key), mb);
            assert_eq!(
                multikey::decode_public(mb).unwrap(),
                PublicMultikey::RsaPkcs1Der(key.clone())
            );
            assert_eq!(
                multikey::decode_ed25519_public(mb).unwrap_err().kind(),
                "unsupported_key_type"
            );
        }
        other => panic!("prefix {other}"),
    }
}

fn check_multibase(c: &Value) {
    let cases = json(c["files"]["cases"].as_str().unwrap());
    let cases = cases["cases"].as_array().unwrap();
    assert!(!cases.is_empty());
    for case in cases {
        let raw = case["bytes_utf8"].as_str().unwrap().as_bytes();
        assert_eq!(encode_base58btc(raw), case["multibase"]);
        assert_eq!(
            decode_base58btc(case["multibase"].as_str().unwrap()).unwrap(),
            raw
        );
    }
}

#[test]
fn every_identity_links_vector() {
    let manifest = json("manifest.json");
    let mut checked = Vec::new();
    let mut expected = 0;
    for c in manifest["cases"].as_array().expect("cases") {
        if c["area"] != "identity-links" {
            continue;
        }
        expected += 1;
        let id = c["id"].as_str().unwrap();
        match c["kind"].as_str().unwrap() {
            "multikey-keypair" => check_keypair(c),
            "eddsa-jcs-2022-w3c" => check_w3c(c),
            "eddsa-jcs-2022-proof" => check_eddsa_proof(c),
            "fep-c390-actor" => check_c390_actor(c),
            "jcs" => check_jcs(c),
            "jcs-sort" => check_jcs_sort(c),
            "jcs-numbers" => check_jcs_numbers(c),
            "jcs-es6-corpus" => check_es6_corpus(c),
            "multikey-encode" => check_multikey_encode(c),
            "multibase" => check_multibase(c),
            other => panic!("{id}: unhandled kind {other}"),
        }
        checked.push(id.to_owned());
    }
    assert!(
        expected >= 38,
        "only {expected} identity-links cases in the manifest"
    );
    assert_eq!(
        checked.len(),
        expected,
        "every identity-links case must be checked"
    );
    eprintln!("checked {} identity-links vectors", checked.len());
}
