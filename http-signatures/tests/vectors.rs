//! Every `http-signatures` vector of `../shared/vectors/manifest.json`, checked byte for byte
//! under every compiled backend:
//!
//! - signature bases and signing strings rebuilt from the messages equal the published bytes;
//! - deterministic signatures (Ed25519, HMAC, RSASSA-PKCS1-v1_5, cavage C.1–C.3) are re-created
//!   exactly; randomized ones (PSS, ECDSA) verify;
//! - the published defects behave as documented (RFC 9421 `test-response` `JlEy…` digest fails;
//!   cavage C.3 as printed in -12 fails, the -10 header list passes);
//! - B.2.1 verifies cryptographically but fails every coverage policy;
//! - B.4 transformations are valid / invalid as the manifest says.
//!
//! The run fails if any manifest case of the `http-signatures` area was not checked.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use http_signatures::cavage::{
    PseudoValues, SigningStringOptions, build_signing_string, parse_signature_header,
};
use http_signatures::content_digest::verify_content_digest;
use http_signatures::digest::verify_digest;
use http_signatures::rfc9421::{
    ComponentId, Message, SfType, append_component_value, build_signature_base, parse_signature,
    parse_signature_input,
};
use http_signatures::wire::{parse_request, parse_response};
use http_signatures::{
    Algorithm, Backend, Limits, PrivateKey, PublicKey, RsaPadding, SignKey, UnixTime, Verifier,
    VerifyKey, VerifyPolicy,
};
use serde_json::Value;

fn vectors_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/vectors")
}

fn read(rel: &str) -> Vec<u8> {
    let p = vectors_dir().join(rel);
    std::fs::read(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()))
}

fn read_str(rel: &str) -> String {
    String::from_utf8(read(rel)).expect("UTF-8 vector file")
}

fn manifest_cases() -> Vec<Value> {
    let m: Value = serde_json::from_slice(&read("manifest.json")).expect("manifest is JSON");
    m["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .filter(|c| c["area"] == "http-signatures")
        .cloned()
        .collect()
}

fn b64url(v: &Value) -> Vec<u8> {
    URL_SAFE_NO_PAD
        .decode(v.as_str().expect("JWK member is a string"))
        .expect("JWK member is base64url")
}

/// Loads the verification key a vector names: PEM public, PEM private (⇒ its public part),
/// JWK, or a base64 shared secret.
fn load_public(rel: &str) -> PublicKey {
    if rel.ends_with(".b64") {
        let secret = STANDARD
            .decode(read_str(rel).trim())
            .expect("shared secret is base64");
        #[cfg(feature = "hmac")]
        return PublicKey::hmac(secret);
        #[cfg(not(feature = "hmac"))]
        {
            let _ = secret;
            panic!("HMAC vectors need the `hmac` feature");
        }
    }
    if rel.ends_with(".jwk.json") {
        let jwk: Value = serde_json::from_slice(&read(rel)).expect("JWK is JSON");
        assert_eq!(
            jwk["kty"], "RSA",
            "only RSA JWKs are used as verification keys"
        );
        return PublicKey::rsa_from_components(&b64url(&jwk["n"]), &b64url(&jwk["e"]))
            .expect("JWK RSA key");
    }
    let pem = read_str(rel);
    let key = if rel.contains(".priv.") {
        PrivateKey::from_pem(&pem)
            .expect("private PEM")
            .public_key()
    } else {
        PublicKey::from_pem(&pem).expect("public PEM")
    };
    if rel.contains("rsa-pss") {
        // The RFC's PSS public key is a plain rsaEncryption SPKI: say what it is for.
        key.with_rsa_padding(RsaPadding::Pss)
    } else {
        key
    }
}

fn load_private(rel: &str) -> Option<PrivateKey> {
    if rel.ends_with(".b64") {
        #[cfg(feature = "hmac")]
        return Some(PrivateKey::hmac(
            STANDARD.decode(read_str(rel).trim()).expect("base64"),
        ));
        #[cfg(not(feature = "hmac"))]
        return None;
    }
    let rel = rel.replace(".pub.", ".priv.");
    if !rel.contains(".priv.") || !vectors_dir().join(&rel).exists() {
        return None;
    }
    Some(PrivateKey::from_pem(&read_str(&rel)).expect("private PEM"))
}

/// All RFC 9421 Appendix B.1 keys by key id.
fn rfc_keys() -> BTreeMap<&'static str, PublicKey> {
    let mut m = BTreeMap::new();
    let base = "http-signatures/rfc9421/keys/";
    m.insert(
        "test-key-rsa",
        load_public(&format!("{base}test-key-rsa.pub.pem")),
    );
    m.insert(
        "test-key-rsa-pss",
        load_public(&format!("{base}test-key-rsa-pss.pub.pem")),
    );
    m.insert(
        "test-key-ed25519",
        load_public(&format!("{base}test-key-ed25519.pub.pem")),
    );
    #[cfg(feature = "p256")]
    m.insert(
        "test-key-ecc-p256",
        load_public(&format!("{base}test-key-ecc-p256.pub.pem")),
    );
    #[cfg(feature = "hmac")]
    m.insert(
        "test-shared-secret",
        load_public(&format!("{base}test-shared-secret.b64")),
    );
    m
}

fn algorithm_needs_feature(alg: &str) -> bool {
    Algorithm::from_rfc9421_name(alg).is_some_and(|a| !a.is_supported())
}

/// `Name: value` lines of a headers.txt file.
fn header_lines(rel: &str) -> Vec<(String, String)> {
    read_str(rel)
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (n, v) = l.split_once(": ").expect("Name: value");
            (n.to_ascii_lowercase(), v.to_owned())
        })
        .collect()
}

fn add_headers(map: &mut http::HeaderMap, lines: &[(String, String)]) {
    for (n, v) in lines {
        map.append(
            http::HeaderName::from_bytes(n.as_bytes()).unwrap(),
            http::HeaderValue::from_str(v).unwrap(),
        );
    }
}

struct Checked {
    ids: BTreeSet<String>,
    assertions: usize,
}

impl Checked {
    fn ok(&mut self, id: &str) {
        self.ids.insert(id.to_owned());
    }
}

fn check_key_consistency(case: &Value, c: &mut Checked) {
    let files = &case["files"];
    if let Some(secret) = files["secret_b64"].as_str() {
        let bytes = STANDARD.decode(read_str(secret).trim()).expect("base64");
        assert_eq!(bytes.len(), 64, "{}", case["id"]);
        c.assertions += 1;
        c.ok(case["id"].as_str().unwrap());
        return;
    }
    let public_pem = files["public_pem"].as_str().unwrap();
    let private_pem = files["private_pem"].as_str().unwrap();
    let jwk: Value = serde_json::from_slice(&read(files["jwk"].as_str().unwrap())).unwrap();
    let kty = jwk["kty"].as_str().unwrap();
    if kty == "EC" && cfg!(not(feature = "p256")) {
        // Loading EC keys needs the `p256` feature; counted as checked only when it runs.
        return;
    }
    let public = load_public(public_pem);
    let private = PrivateKey::from_pem(&read_str(private_pem)).expect("private PEM loads");
    assert_eq!(
        private.public_key(),
        public,
        "{}: public = public part of private",
        case["id"]
    );
    match (kty, &public) {
        ("RSA", PublicKey::Rsa(r)) => {
            let from_jwk =
                PublicKey::rsa_from_components(&b64url(&jwk["n"]), &b64url(&jwk["e"])).unwrap();
            let PublicKey::Rsa(j) = from_jwk else {
                unreachable!()
            };
            assert_eq!(j.as_rsa(), r.as_rsa(), "{}: JWK n/e", case["id"]);
            assert_eq!(r.bits(), 2048);
        }
        ("OKP", PublicKey::Ed25519(k)) => {
            assert_eq!(
                k.as_bytes().as_slice(),
                b64url(&jwk["x"]),
                "{}: JWK x",
                case["id"]
            );
            let PrivateKey::Ed25519(sk) = &private else {
                panic!("Ed25519 private")
            };
            assert_eq!(
                sk.to_bytes().as_slice(),
                b64url(&jwk["d"]),
                "{}: JWK d",
                case["id"]
            );
        }
        #[cfg(feature = "p256")]
        ("EC", PublicKey::EcdsaP256(k)) => {
            let point = k.to_encoded_point(false);
            assert_eq!(point.x().unwrap().as_slice(), b64url(&jwk["x"]));
            assert_eq!(point.y().unwrap().as_slice(), b64url(&jwk["y"]));
        }
        other => panic!("{}: unexpected key type {:?}", case["id"], other.0),
    }
    c.assertions += 1;
    c.ok(case["id"].as_str().unwrap());
}

/// A parsed vector message: request or response (with the related request for `;req`).
enum Msg {
    Request(http::request::Parts, Vec<u8>),
    Response(http::response::Parts, Vec<u8>, Option<http::request::Parts>),
}

impl Msg {
    fn load(message: &str, request: Option<&str>) -> Msg {
        let raw = read(message);
        if raw.starts_with(b"HTTP/") {
            let (p, body) = parse_response(&raw).expect("response parses");
            let body = body.to_vec();
            let req = request.map(|r| parse_request(&read(r)).expect("request parses").0);
            Msg::Response(p, body, req)
        } else {
            let (p, body) = parse_request(&raw).expect("request parses");
            let body = body.to_vec();
            Msg::Request(p, body)
        }
    }

    fn headers_mut(&mut self) -> &mut http::HeaderMap {
        match self {
            Msg::Request(p, _) => &mut p.headers,
            Msg::Response(p, _, _) => &mut p.headers,
        }
    }

    fn headers(&self) -> &http::HeaderMap {
        match self {
            Msg::Request(p, _) => &p.headers,
            Msg::Response(p, _, _) => &p.headers,
        }
    }

    fn message(&self) -> Message<'_> {
        match self {
            Msg::Request(p, _) => Message::request(p),
            Msg::Response(p, _, r) => Message::response(
                p,
                r.as_ref().map(|r| r as &dyn http_signatures::RequestLike),
            ),
        }
    }

    fn verify(
        &self,
        policy: VerifyPolicy,
        now: i64,
        keys: &BTreeMap<&'static str, PublicKey>,
    ) -> http_signatures::Result<http_signatures::VerifiedRequest> {
        let resolver = |id: &str| keys.get(id).cloned();
        let mut v = Verifier::new(policy);
        match self {
            Msg::Request(p, body) => v.verify_request(p, body, now, resolver),
            Msg::Response(p, body, r) => v
                .verify_response(p, r.as_ref().map(|r| r as _), body, now, resolver)
                .map(|r| (*r).clone()),
        }
    }
}

fn check_rfc9421_signature(case: &Value, backend: Backend, c: &mut Checked) {
    let id = case["id"].as_str().unwrap();
    let files = &case["files"];
    let params = &case["params"];
    let alg_name = params["alg"].as_str().unwrap();
    if algorithm_needs_feature(alg_name) {
        return;
    }
    let algorithm = Algorithm::from_rfc9421_name(alg_name).unwrap();
    let label = params["label"].as_str().unwrap();
    let expected_base = read(files["base"].as_str().unwrap());
    let headers = header_lines(files["headers"].as_str().unwrap());
    let key_file = files["key"].as_str().unwrap();
    let key = load_public(key_file);

    // The member of headers.txt with our label.
    let input_line = headers
        .iter()
        .find(|(n, _)| n == "signature-input")
        .map(|(_, v)| v.clone())
        .unwrap();
    let sig_line = headers
        .iter()
        .find(|(n, _)| n == "signature")
        .map(|(_, v)| v.clone())
        .unwrap();
    let inputs = parse_signature_input([input_line.as_bytes()], &Limits::DEFAULT).unwrap();
    let input = inputs
        .iter()
        .find(|i| i.label() == label)
        .expect("label in Signature-Input");
    let sigs = parse_signature([sig_line.as_bytes()], &Limits::DEFAULT).unwrap();
    let sig = &sigs
        .iter()
        .find(|(l, _)| l == label)
        .expect("label in Signature")
        .1;

    // @signature-params line == the member text.
    assert_eq!(
        format!("{label}={}", input.signature_params()),
        input_line,
        "{id}: member re-serializes exactly"
    );

    // Base rebuilt from the message.
    let mut msg = Msg::load(
        files["message"].as_str().unwrap(),
        files["request"].as_str(),
    );
    let mut base = Vec::new();
    build_signature_base(&msg.message(), input, &mut base)
        .unwrap_or_else(|e| panic!("{id}: base: {e}"));
    assert_eq!(
        String::from_utf8_lossy(&base),
        String::from_utf8_lossy(&expected_base),
        "{id}: signature base"
    );

    // Crypto over the published base.
    key.verify_signature(algorithm, &expected_base, sig, backend)
        .unwrap_or_else(|e| panic!("{id} [{}]: signature must verify: {e}", backend.name()));
    let mut tampered = expected_base.clone();
    tampered[0] ^= 1;
    assert_eq!(
        key.verify_signature(algorithm, &tampered, sig, backend),
        Err(http_signatures::Error::BadSignature),
        "{id}: tampered base must fail"
    );
    if params["deterministic"].as_bool() == Some(true) {
        let sk = load_private(key_file).unwrap_or_else(|| panic!("{id}: private key"));
        let resigned = sk.sign_message(algorithm, &expected_base, backend).unwrap();
        assert_eq!(
            &resigned,
            sig,
            "{id} [{}]: deterministic re-sign",
            backend.name()
        );
    }

    // The whole pipeline: parse the fields from the message, check, verify.
    let already = msg
        .headers()
        .get_all("signature-input")
        .iter()
        .any(|v| v.to_str().unwrap_or("").starts_with(&format!("{label}=")));
    if !already {
        add_headers(msg.headers_mut(), &headers);
    }
    let created = input.created().unwrap();
    let keys = rfc_keys();
    let verified = msg
        .verify(
            VerifyPolicy::test_vectors().with_backend(backend),
            created,
            &keys,
        )
        .unwrap_or_else(|e| panic!("{id} [{}]: pipeline: {e}", backend.name()));
    assert_eq!(verified.label(), Some(label), "{id}");
    assert_eq!(verified.algorithm(), algorithm, "{id}");
    assert_eq!(verified.created(), Some(UnixTime(created)));
    if params["policy_expect"] == "reject" {
        for policy in [VerifyPolicy::mastodon(), VerifyPolicy::strict()] {
            let mut policy = policy.with_backend(backend);
            policy.allowed_algorithms = http_signatures::AlgorithmSet::ALL;
            let e = msg.verify(policy, created, &keys).unwrap_err();
            assert_eq!(e.kind(), "insufficient_coverage", "{id}: {e}");
        }
    }
    c.assertions += 1;
    c.ok(id);
}

fn check_rfc9421_message(case: &Value, backend: Backend, c: &mut Checked) {
    let id = case["id"].as_str().unwrap();
    let alg_name = case["params"]["alg"].as_str().unwrap();
    if algorithm_needs_feature(alg_name) {
        return;
    }
    let label = case["params"]["label"].as_str().unwrap();
    let msg = Msg::load(case["files"]["message"].as_str().unwrap(), None);
    let input_lines: Vec<&[u8]> = msg
        .headers()
        .get_all("signature-input")
        .iter()
        .map(|v| v.as_bytes())
        .collect();
    let inputs = parse_signature_input(input_lines, &Limits::DEFAULT).unwrap();
    let input = inputs.iter().find(|i| i.label() == label).unwrap();
    let key_id = input.keyid().unwrap();
    let key = load_public(case["files"]["key"].as_str().unwrap());
    let mut keys = BTreeMap::new();
    keys.insert(
        if key_id == "test-key-ed25519" {
            "test-key-ed25519"
        } else {
            "test-key-ecc-p256"
        },
        key,
    );
    let result = msg.verify(
        VerifyPolicy::test_vectors().with_backend(backend),
        input.created().unwrap(),
        &keys,
    );
    match case["expect"].as_str().unwrap() {
        "valid" => {
            let v = result.unwrap_or_else(|e| panic!("{id}: expected valid: {e}"));
            assert_eq!(v.label(), Some(label));
        }
        "invalid" => {
            assert_eq!(
                result.map(|_| ()),
                Err(http_signatures::Error::BadSignature),
                "{id}: expected bad_signature"
            );
        }
        other => panic!("{id}: expect {other}"),
    }
    c.assertions += 1;
    c.ok(id);
}

fn check_components(case: &Value, c: &mut Checked) {
    let id = case["id"].as_str().unwrap();
    let doc: Value =
        serde_json::from_slice(&read(case["files"]["cases"].as_str().unwrap())).unwrap();
    let mut n = 0;
    for sub in doc["cases"].as_array().unwrap() {
        let sub_id = sub["id"].as_str().unwrap();
        let request_line = sub["request_line"].as_str().unwrap_or("GET / HTTP/1.1");
        let scheme = sub["scheme"].as_str().unwrap_or("https");
        let mut raw = String::from(request_line);
        for f in sub["message_fields"].as_array().unwrap() {
            raw.push('\n');
            raw.push_str(f.as_str().unwrap());
        }
        raw.push_str("\n\n");
        let (parts, _) = parse_request(raw.as_bytes()).unwrap();
        let sf_types: Vec<(&str, SfType)> = sub["sf_types"]
            .as_object()
            .map(|o| {
                o.iter()
                    .map(|(k, v)| {
                        let t = match v.as_str().unwrap() {
                            "dictionary" => SfType::Dictionary,
                            "list" => SfType::List,
                            _ => SfType::Item,
                        };
                        (k.as_str(), t)
                    })
                    .collect()
            })
            .unwrap_or_default();
        let msg = Message::request(&parts)
            .with_default_scheme(scheme)
            .with_sf_types(&sf_types);
        for line in sub["lines"].as_array().unwrap() {
            let line = line.as_str().unwrap();
            // The identifier ends at the first ": " after which it parses.
            let (component, value) = line
                .match_indices(": ")
                .find_map(|(i, _)| {
                    ComponentId::parse(&line[..i])
                        .ok()
                        .map(|c| (c, &line[i + 2..]))
                })
                .unwrap_or_else(|| panic!("{sub_id}: cannot split {line:?}"));
            let mut out = Vec::new();
            append_component_value(&msg, &component, &mut out)
                .unwrap_or_else(|e| panic!("{sub_id}: {component}: {e}"));
            assert_eq!(
                String::from_utf8_lossy(&out),
                value,
                "{sub_id}: {component}"
            );
            assert_eq!(component.as_str(), &line[..line.len() - value.len() - 2]);
            n += 1;
        }
    }
    assert!(n >= 30, "component-values: only {n} lines checked");
    c.assertions += n;
    c.ok(id);
}

fn check_body_digest(case: &Value, backend: Backend, c: &mut Checked) {
    let id = case["id"].as_str().unwrap();
    let body = read(case["files"]["body"].as_str().unwrap());
    let value = case["params"]["value"].as_str().unwrap();
    let limits = Limits::DEFAULT;
    let result = match case["params"]["header"].as_str().unwrap() {
        "Digest" => verify_digest(value, &body, backend, &limits),
        "Content-Digest" => verify_content_digest([value.as_bytes()], &body, backend, &limits),
        h => panic!("{id}: header {h}"),
    };
    match case["expect"].as_str().unwrap() {
        "valid" => result.unwrap_or_else(|e| panic!("{id}: {e}")),
        "invalid" => {
            let e = result.expect_err(id);
            assert!(
                ["digest_mismatch", "weak_digest"].contains(&e.kind()),
                "{id}: {e}"
            );
        }
        other => panic!("{other}"),
    }
    c.assertions += 1;
    c.ok(id);
}

fn check_cavage_signature(case: &Value, backend: Backend, c: &mut Checked) {
    let id = case["id"].as_str().unwrap();
    let files = &case["files"];
    let params = &case["params"];
    let raw = read(files["request"].as_str().unwrap());
    let (mut parts, body) = parse_request(&raw).unwrap();
    let body = body.to_vec();
    if let Some(url) = params["url"].as_str() {
        // The request was sent to an absolute URL without a Host header (HTTP/2 style).
        assert!(params["host_from_url"].as_bool().unwrap_or(false));
        assert!(parts.headers.get("host").is_none());
        parts.uri = url.parse().unwrap();
    }
    let header_value = match files["signature_header"].as_str() {
        Some(f) => {
            let v = read_str(f).trim_end().to_owned();
            parts
                .headers
                .insert("signature", http::HeaderValue::from_str(&v).unwrap());
            v
        }
        None => parts.headers["signature"].to_str().unwrap().to_owned(),
    };
    let sig_params = parse_signature_header(&header_value, &Limits::DEFAULT).unwrap();
    let allow_created = params["allow_created_with_rsa"].as_bool().unwrap_or(false);
    let default: Vec<String> = params["default_headers"]
        .as_array()
        .map(|a| a.iter().map(|s| s.as_str().unwrap().to_owned()).collect())
        .unwrap_or_default();
    let names: Vec<String> = match sig_params.header_names() {
        Some(n) => n.map(str::to_owned).collect(),
        None => default.clone(),
    };
    assert!(!names.is_empty(), "{id}: no header list");
    let pseudo = PseudoValues {
        algorithm: sig_params.algorithm.as_deref(),
        created: sig_params.created.as_ref().map(|c| c.0.as_ref()),
        expires: sig_params.expires.as_ref().map(|c| c.0.as_ref()),
    };
    let mut opts = SigningStringOptions::default();
    opts.allow_created_with_legacy_algorithm = allow_created;
    let mut ss = Vec::new();
    build_signing_string(
        &parts,
        names.iter().map(String::as_str),
        pseudo,
        opts,
        &mut ss,
    )
    .unwrap_or_else(|e| panic!("{id}: signing string: {e}"));
    assert_eq!(
        String::from_utf8_lossy(&ss),
        read_str(files["signing_string"].as_str().unwrap()),
        "{id}: signing string"
    );
    if allow_created {
        // Without the switch the draft's own rule applies: (created) with rsa-sha256 errors.
        let e = build_signing_string(
            &parts,
            names.iter().map(String::as_str),
            pseudo,
            SigningStringOptions::default(),
            &mut Vec::new(),
        )
        .unwrap_err();
        assert_eq!(e.kind(), "invalid_component", "{id}");
    }

    let key = load_public(files["key"].as_str().unwrap());
    let sig = STANDARD.decode(sig_params.signature.as_bytes()).unwrap();
    let crypto = key.verify_signature(Algorithm::RsaPkcs1Sha256, &ss, &sig, backend);
    let expect_valid = case["expect"] == "valid";
    assert_eq!(
        crypto.is_ok(),
        expect_valid,
        "{id} [{}]: crypto",
        backend.name()
    );
    if let Some(pk) = files["private_key"].as_str() {
        let sk = PrivateKey::from_pem(&read_str(pk)).unwrap();
        let resigned = sk
            .sign_message(Algorithm::RsaPkcs1Sha256, &ss, backend)
            .unwrap();
        assert_eq!(
            resigned == sig,
            expect_valid,
            "{id} [{}]: deterministic re-sign",
            backend.name()
        );
    }

    // Whole pipeline.
    let now = if let Some(t) = params["verify_time"].as_str() {
        // 2024-03-05T07:49:44Z
        assert_eq!(t, "2024-03-05T07:49:44Z");
        UnixTime::parse_http_date("Tue, 05 Mar 2024 07:49:44 GMT").unwrap()
    } else if let Some((_, created)) = &sig_params.created {
        UnixTime(*created)
    } else {
        UnixTime::parse_http_date(parts.headers["date"].to_str().unwrap()).unwrap()
    };
    let key_id = sig_params.key_id.to_string();
    let resolver = |k: &str| (k == key_id).then(|| key.clone());
    let mut policy = VerifyPolicy::test_vectors().with_backend(backend);
    policy.allow_created_with_legacy_algorithm = allow_created;
    if !default.is_empty() {
        assert_eq!(default, ["date"]);
        policy.cavage_default_headers = http_signatures::CavageDefaultHeaders::Date;
    }
    let result = Verifier::new(policy.clone()).verify_request(&parts, &body, now, resolver);
    let body_missing = params["signature_header_in_request"]
        .as_bool()
        .unwrap_or(false);
    match (expect_valid, body_missing) {
        (true, false) => {
            let v = result.unwrap_or_else(|e| panic!("{id} [{}]: pipeline: {e}", backend.name()));
            assert_eq!(v.key_id(), key_id);
            assert_eq!(v.covered(), names.as_slice());
        }
        // The fixture has no body: the covered Digest cannot match an empty one.
        (true, true) => assert_eq!(result.unwrap_err().kind(), "digest_mismatch", "{id}"),
        (false, _) => assert_eq!(result.unwrap_err().kind(), "bad_signature", "{id}"),
    }
    if params["policy_expect"] == "reject" {
        policy.allow_created_with_legacy_algorithm = false;
        let e = Verifier::new(policy)
            .verify_request(&parts, &body, now, resolver)
            .unwrap_err();
        assert_eq!(e.kind(), "invalid_component", "{id}: {e}");
    }
    // Production policies refuse the 1024-bit Appendix C key before any crypto.
    if id.contains("cavage-12/c") {
        let mut p = VerifyPolicy::mastodon().with_backend(backend);
        p.max_age = i64::MAX / 4;
        let e = Verifier::new(p)
            .verify_request(&parts, &body, now, resolver)
            .unwrap_err();
        assert!(
            [
                "key_too_small",
                "invalid_component",
                "insufficient_coverage"
            ]
            .contains(&e.kind()),
            "{id}: {e}"
        );
    }
    c.assertions += 1;
    c.ok(id);
}

fn check_cavage_signing_string(case: &Value, c: &mut Checked) {
    let id = case["id"].as_str().unwrap();
    let (parts, _) = parse_request(&read(case["files"]["request"].as_str().unwrap())).unwrap();
    let names: Vec<&str> = case["params"]["headers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    let created = case["params"]["created"].as_i64().unwrap().to_string();
    let mut ss = Vec::new();
    build_signing_string(
        &parts,
        names.iter().copied(),
        PseudoValues {
            algorithm: None,
            created: Some(&created),
            expires: None,
        },
        SigningStringOptions::default(),
        &mut ss,
    )
    .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&ss),
        read_str(case["files"]["signing_string"].as_str().unwrap()),
        "{id}"
    );
    c.assertions += 1;
    c.ok(id);
}

#[test]
fn every_http_signatures_vector() {
    let cases = manifest_cases();
    assert!(cases.len() >= 47, "manifest lost cases: {}", cases.len());
    let all_ids: BTreeSet<String> = cases
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    let mut per_backend = Vec::new();
    for &backend in Backend::all() {
        let mut checked = Checked {
            ids: BTreeSet::new(),
            assertions: 0,
        };
        for case in &cases {
            match case["kind"].as_str().unwrap() {
                "key-consistency" => check_key_consistency(case, &mut checked),
                "rfc9421-signature" => check_rfc9421_signature(case, backend, &mut checked),
                "rfc9421-message" => check_rfc9421_message(case, backend, &mut checked),
                "rfc9421-components" => check_components(case, &mut checked),
                "body-digest" => check_body_digest(case, backend, &mut checked),
                "cavage-signature" => check_cavage_signature(case, backend, &mut checked),
                "cavage-signing-string" => check_cavage_signing_string(case, &mut checked),
                other => panic!("unknown http-signatures vector kind {other}"),
            }
        }
        let missing: Vec<_> = all_ids.difference(&checked.ids).collect();
        let full = cfg!(all(feature = "hmac", feature = "p256"));
        if full {
            assert!(
                missing.is_empty(),
                "[{}] vectors not checked: {missing:?}",
                backend.name()
            );
        } else {
            eprintln!(
                "[{}] {} vectors skipped for lack of features hmac/p256: {missing:?}",
                backend.name(),
                missing.len()
            );
        }
        eprintln!(
            "[{}] {} of {} http-signatures vectors checked ({} assertions)",
            backend.name(),
            checked.ids.len(),
            all_ids.len(),
            checked.assertions
        );
        per_backend.push(checked.ids.len());
    }
    assert!(per_backend.iter().all(|&n| n > 0), "no vector checked");
}

/// FEP-521a Multikey vectors (from the identity-links area; this crate's Multikey loader must
/// read them): Ed25519 `z6Mk…` and RSA `0x1205` + PKCS#1 DER.
#[test]
fn fep521a_multikey_vectors_load() {
    let hex = |s: &str| -> Vec<u8> {
        let s = s.trim();
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    };
    let doc: Value =
        serde_json::from_slice(&read("identity-links/fep-521a/ed25519-multikey.json")).unwrap();
    let mb = doc["publicKeyMultibase"].as_str().unwrap();
    let key = PublicKey::from_multikey(mb).unwrap();
    let expected = hex(&read_str("identity-links/fep-521a/ed25519-key.hex"));
    match &key {
        PublicKey::Ed25519(k) => assert_eq!(k.as_bytes().as_slice(), expected.as_slice()),
        other => panic!("expected Ed25519, got {other:?}"),
    }
    assert_eq!(key.to_multikey().as_deref(), Some(mb));

    let doc: Value =
        serde_json::from_slice(&read("identity-links/fep-521a/rsa-multikey.json")).unwrap();
    let mb = doc["publicKeyMultibase"].as_str().unwrap();
    let key = PublicKey::from_multikey(mb).unwrap();
    let der = hex(&read_str("identity-links/fep-521a/rsa-pkcs1-der.hex"));
    assert_eq!(key, PublicKey::from_der(&der).unwrap());
    assert_eq!(key.to_multikey().as_deref(), Some(mb));
    assert!(matches!(key, PublicKey::Rsa(_)));
}
