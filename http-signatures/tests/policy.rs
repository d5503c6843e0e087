//! Policy behaviour (spec §5): time windows of both profiles, coverage, algorithm-from-key,
//! key size, limits, signature selection — and that every policy refusal happens before any
//! cryptographic operation.

use std::cell::Cell;
use std::path::Path;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http_signatures::cavage::{PseudoValues, SigningStringOptions, build_signing_string};
use http_signatures::rfc9421::{
    ComponentId, Message, SignatureInput, SignatureParam, build_signature_base,
};
use http_signatures::{
    Algorithm, AlgorithmSet, Backend, CavageSignOptions, Error, KeyType, PrivateKey, PublicKey,
    Rfc9421SignOptions, SignKey, UnixTime, Verifier, VerifyKey, VerifyPolicy, sign_cavage,
    sign_rfc9421,
};

const NOW: i64 = 1_764_547_200; // Mon, 01 Dec 2025 00:00:00 GMT
const KEY_ID: &str = "https://remote.example/users/alice#main-key";

fn vector(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/vectors/http-signatures")
        .join(rel);
    std::fs::read_to_string(p).unwrap()
}

fn ed() -> PrivateKey {
    PrivateKey::ed25519_from_seed(&[42; 32])
}

fn post(body_len: usize) -> (http::Request<()>, Vec<u8>) {
    let req = http::Request::post("https://local.example/users/bob/inbox")
        .header("content-type", "application/activity+json")
        .body(())
        .unwrap();
    (req, vec![b'x'; body_len])
}

/// Origin-form, Host header: what the server sees.
fn received(req: &http::Request<()>) -> http::request::Parts {
    let mut b = http::Request::builder()
        .method(req.method().clone())
        .uri(req.uri().path_and_query().unwrap().as_str());
    for (n, v) in req.headers() {
        b = b.header(n, v);
    }
    if !req.headers().contains_key("host") {
        b = b.header("host", req.uri().authority().unwrap().as_str());
    }
    b.body(()).unwrap().into_parts().0
}

/// A cavage signature over an explicit header list (to craft weak or odd coverage).
fn cavage_with(
    parts: &mut http::request::Parts,
    key: &PrivateKey,
    headers: &[&str],
    algorithm: &str,
    created: Option<i64>,
    expires: Option<i64>,
) {
    let created_s = created.map(|c| c.to_string());
    let expires_s = expires.map(|c| c.to_string());
    let mut ss = Vec::new();
    build_signing_string(
        &*parts,
        headers.iter().copied(),
        PseudoValues {
            algorithm: Some(algorithm),
            created: created_s.as_deref(),
            expires: expires_s.as_deref(),
        },
        SigningStringOptions::default(),
        &mut ss,
    )
    .unwrap();
    let alg = key.key_type().default_algorithm();
    let sig = key.sign_message(alg, &ss, Backend::default()).unwrap();
    let mut v = format!(r#"keyId="{KEY_ID}",algorithm="{algorithm}""#);
    if let Some(c) = created {
        v.push_str(&format!(",created={c}"));
    }
    if let Some(e) = expires {
        v.push_str(&format!(",expires={e}"));
    }
    v.push_str(&format!(
        r#",headers="{}",signature="{}""#,
        headers.join(" "),
        STANDARD.encode(sig)
    ));
    parts.headers.insert("signature", v.parse().unwrap());
}

fn signed_cavage(now: i64, body_len: usize) -> (http::request::Parts, Vec<u8>) {
    let (mut req, body) = post(body_len);
    sign_cavage(
        &req,
        &body,
        &ed(),
        KEY_ID,
        UnixTime(now),
        &CavageSignOptions::default(),
    )
    .unwrap()
    .apply(&mut req);
    (received(&req), body)
}

fn signed_rfc9421(now: i64, opts: &Rfc9421SignOptions) -> (http::request::Parts, Vec<u8>) {
    let (mut req, body) = post(10);
    sign_rfc9421(&req, &body, &ed(), KEY_ID, UnixTime(now), opts)
        .unwrap()
        .apply(&mut req);
    (received(&req), body)
}

/// A key wrapper that counts signature checks, to prove policy runs before crypto.
struct Counting<'a> {
    key: PublicKey,
    calls: &'a Cell<usize>,
}

impl VerifyKey for Counting<'_> {
    fn key_type(&self) -> KeyType {
        self.key.key_type()
    }
    fn verify_signature(
        &self,
        alg: Algorithm,
        m: &[u8],
        s: &[u8],
        b: Backend,
    ) -> http_signatures::Result<()> {
        self.calls.set(self.calls.get() + 1);
        self.key.verify_signature(alg, m, s, b)
    }
}

fn run_with(
    policy: VerifyPolicy,
    parts: &http::request::Parts,
    body: &[u8],
    now: i64,
    key: &PublicKey,
) -> (Result<http_signatures::VerifiedRequest, Error>, usize) {
    let calls = Cell::new(0);
    let r = Verifier::new(policy).verify_request(parts, body, now, |id: &str| {
        (id == KEY_ID).then(|| Counting {
            key: key.clone(),
            calls: &calls,
        })
    });
    (r, calls.get())
}

fn kind(
    policy: VerifyPolicy,
    parts: &http::request::Parts,
    body: &[u8],
    now: i64,
) -> Result<(), &'static str> {
    let (r, calls) = run_with(policy, parts, body, now, &ed().public_key());
    match r {
        Ok(_) => Ok(()),
        Err(e) => {
            if e.kind() != "bad_signature" {
                assert_eq!(calls, 0, "{e}: policy refusal must come before crypto");
            }
            Err(e.kind())
        }
    }
}

#[test]
fn mastodon_window_date_only() {
    let m = VerifyPolicy::mastodon;
    let (p, b) = signed_cavage(NOW, 10);
    assert_eq!(kind(m(), &p, &b, NOW + 64 * 60), Ok(()));
    assert_eq!(kind(m(), &p, &b, NOW + 66 * 60), Err("expired"));
    assert_eq!(kind(m(), &p, &b, NOW - 64 * 60), Ok(()));
    assert_eq!(kind(m(), &p, &b, NOW - 66 * 60), Err("created_in_future"));
    let s = VerifyPolicy::strict;
    assert_eq!(kind(s(), &p, &b, NOW + 4 * 60), Ok(()));
    assert_eq!(kind(s(), &p, &b, NOW + 6 * 60), Err("expired"));
    assert_eq!(kind(s(), &p, &b, NOW - 59), Ok(()));
    assert_eq!(kind(s(), &p, &b, NOW - 61), Err("created_in_future"));
}

#[test]
fn created_expires_rules() {
    let (mut p, b) = signed_cavage(NOW, 10);
    let hs = [
        "(request-target)",
        "(created)",
        "(expires)",
        "host",
        "digest",
    ];
    // Mastodon: a covered expires replaces max_age, capped at created + 12 h, plus 1 h grace.
    cavage_with(
        &mut p,
        &ed(),
        &hs,
        "hs2019",
        Some(NOW),
        Some(NOW + 24 * 3600),
    );
    assert_eq!(
        kind(VerifyPolicy::mastodon(), &p, &b, NOW + 11 * 3600),
        Ok(())
    );
    assert_eq!(
        kind(VerifyPolicy::mastodon(), &p, &b, NOW + 13 * 3600 + 1),
        Err("expired")
    );
    assert_eq!(
        kind(VerifyPolicy::strict(), &p, &b, NOW + 3600),
        Err("expired")
    );
    cavage_with(&mut p, &ed(), &hs, "hs2019", Some(NOW), Some(NOW - 1));
    assert_eq!(
        kind(VerifyPolicy::strict(), &p, &b, NOW),
        Err("expires_before_created")
    );
    cavage_with(
        &mut p,
        &ed(),
        &hs,
        "hs2019",
        Some(NOW - 120),
        Some(NOW - 60),
    );
    assert_eq!(kind(VerifyPolicy::strict(), &p, &b, NOW), Err("expired"));
    // A 15-digit created is a future time, not an overflow.
    cavage_with(
        &mut p,
        &ed(),
        &hs[..2],
        "hs2019",
        Some(999_999_999_999_999),
        None,
    );
    assert_eq!(
        kind(VerifyPolicy::mastodon(), &p, &b, NOW),
        Err("insufficient_coverage")
    );
    let mut t = VerifyPolicy::test_vectors();
    t.max_future_skew = 60;
    assert_eq!(kind(t, &p, &b, NOW), Err("created_in_future"));
    // Negative / 16-digit created never reach arithmetic.
    for bad in ["-5", "1234567890123456", "1e9", "0x10"] {
        let v = p.headers["signature"]
            .to_str()
            .unwrap()
            .replace("created=999999999999999", &format!("created={bad}"));
        p.headers.insert("signature", v.parse().unwrap());
        assert_eq!(
            kind(VerifyPolicy::mastodon(), &p, &b, NOW),
            Err("invalid_parameter"),
            "{bad}"
        );
    }
    // RFC 9421: negative created, expires before created.
    let (mut p, b) = signed_rfc9421(NOW, &Rfc9421SignOptions::default());
    let si = p.headers["signature-input"]
        .to_str()
        .unwrap()
        .replace(&format!("created={NOW}"), "created=-5");
    p.headers.insert("signature-input", si.parse().unwrap());
    assert_eq!(
        kind(VerifyPolicy::strict(), &p, &b, NOW),
        Err("invalid_parameter")
    );
    let mut o = Rfc9421SignOptions::default();
    o.expires_in = Some(-10);
    let (p, b) = signed_rfc9421(NOW, &o);
    assert_eq!(
        kind(VerifyPolicy::strict(), &p, &b, NOW),
        Err("expires_before_created")
    );
    o.expires_in = Some(30);
    let (p, b) = signed_rfc9421(NOW, &o);
    assert_eq!(kind(VerifyPolicy::strict(), &p, &b, NOW + 29), Ok(()));
    assert_eq!(
        kind(VerifyPolicy::strict(), &p, &b, NOW + 31),
        Err("expired")
    );
}

#[test]
fn date_must_parse_and_be_signed_for_an_anchor() {
    let (mut p, b) = signed_cavage(NOW, 10);
    p.headers.insert("date", "yesterday".parse().unwrap());
    assert_eq!(
        kind(VerifyPolicy::mastodon(), &p, &b, NOW),
        Err("malformed_header")
    );
    // No anchor at all.
    let (mut p, b) = signed_cavage(NOW, 10);
    cavage_with(
        &mut p,
        &ed(),
        &["(request-target)", "host", "digest"],
        "hs2019",
        None,
        None,
    );
    let mut t = VerifyPolicy::test_vectors();
    t.coverage = http_signatures::Coverage::TestVectorsOnly;
    assert_eq!(kind(t, &p, &b, NOW), Err("missing_timestamp"));
}

#[test]
fn coverage_rules() {
    // GET without host.
    let mut parts = http::Request::get("/users/alice")
        .header("host", "local.example")
        .header("date", UnixTime(NOW).to_http_date())
        .body(())
        .unwrap()
        .into_parts()
        .0;
    cavage_with(
        &mut parts,
        &ed(),
        &["(request-target)", "date"],
        "hs2019",
        None,
        None,
    );
    for p in [VerifyPolicy::mastodon(), VerifyPolicy::strict()] {
        let (r, calls) = run_with(p, &parts, b"", NOW, &ed().public_key());
        assert_eq!(
            (r.unwrap_err().at().map(str::to_owned), calls),
            (Some("host".into()), 0)
        );
    }
    // POST whose headers omit digest while a correct Digest header is present.
    let (mut p, b) = signed_cavage(NOW, 10);
    cavage_with(
        &mut p,
        &ed(),
        &["(request-target)", "host", "date"],
        "hs2019",
        None,
        None,
    );
    for pol in [VerifyPolicy::mastodon(), VerifyPolicy::strict()] {
        let (r, _) = run_with(pol, &p, &b, NOW, &ed().public_key());
        let e = r.unwrap_err();
        assert_eq!(
            (e.kind(), e.at()),
            ("insufficient_coverage", Some("digest"))
        );
    }
    // RFC 9421 without @method / @target-uri.
    let (req, body) = post(10);
    let input = SignatureInput::new(
        "sig1",
        vec![ComponentId::new("@authority").unwrap()],
        [
            SignatureParam::Created(NOW),
            SignatureParam::KeyId(KEY_ID.into()),
        ],
    )
    .unwrap();
    let mut parts = received(&req);
    let mut base = Vec::new();
    build_signature_base(&Message::request(&parts), &input, &mut base).unwrap();
    let sig = ed()
        .sign_message(Algorithm::Ed25519, &base, Backend::default())
        .unwrap();
    parts
        .headers
        .insert("signature-input", input.to_field_member().parse().unwrap());
    parts.headers.insert(
        "signature",
        format!("sig1=:{}:", STANDARD.encode(sig)).parse().unwrap(),
    );
    let (r, calls) = run_with(
        VerifyPolicy::strict(),
        &parts,
        &body,
        NOW,
        &ed().public_key(),
    );
    assert_eq!(
        (r.unwrap_err().at().map(str::to_owned), calls),
        (Some("@method".into()), 0)
    );
    let (r, _) = run_with(
        VerifyPolicy::test_vectors(),
        &parts,
        &body,
        NOW,
        &ed().public_key(),
    );
    r.unwrap();
}

#[test]
fn algorithm_comes_from_the_key() {
    // rsa-sha256 label on an Ed25519 key.
    let (mut p, b) = signed_cavage(NOW, 10);
    let v = p.headers["signature"]
        .to_str()
        .unwrap()
        .replace("hs2019", "rsa-sha256");
    p.headers.insert("signature", v.parse().unwrap());
    assert_eq!(
        kind(VerifyPolicy::mastodon(), &p, &b, NOW),
        Err("algorithm_mismatch")
    );
    // hs2019 with an RSA key is PKCS#1 v1.5 SHA-256.
    let rsa = PrivateKey::from_pem(&vector("rfc9421/keys/test-key-rsa.priv.pem")).unwrap();
    let (mut p, b) = signed_cavage(NOW, 10);
    cavage_with(
        &mut p,
        &rsa,
        &["(request-target)", "host", "date", "digest"],
        "hs2019",
        None,
        None,
    );
    let (r, _) = run_with(VerifyPolicy::strict(), &p, &b, NOW, &rsa.public_key());
    assert_eq!(r.unwrap().algorithm(), Algorithm::RsaPkcs1Sha256);
    // A policy that does not allow the key's algorithm.
    let mut pol = VerifyPolicy::strict();
    pol.allowed_algorithms = AlgorithmSet::of(&[Algorithm::Ed25519]);
    let (r, calls) = run_with(pol, &p, &b, NOW, &rsa.public_key());
    assert_eq!((r.unwrap_err().kind(), calls), ("algorithm_not_allowed", 0));
    // The 1024-bit cavage Appendix C key is refused unless the policy allows it.
    let small = PrivateKey::from_pem(&vector("cavage-12/keys/test.priv.pem")).unwrap();
    cavage_with(
        &mut p,
        &small,
        &["(request-target)", "host", "date", "digest"],
        "rsa-sha256",
        None,
        None,
    );
    let (r, calls) = run_with(VerifyPolicy::strict(), &p, &b, NOW, &small.public_key());
    assert_eq!(
        (r.unwrap_err(), calls),
        (
            Error::KeyTooSmall {
                bits: 1024,
                min: 2048
            },
            0
        )
    );
    let mut pol = VerifyPolicy::strict();
    pol.min_rsa_bits = 1024;
    run_with(pol, &p, &b, NOW, &small.public_key()).0.unwrap();
}

#[cfg(feature = "hmac")]
#[test]
fn hmac_with_the_public_pem_as_secret_is_refused() {
    let rsa_pem = vector("rfc9421/keys/test-key-rsa.pub.pem");
    let forged = PrivateKey::hmac(rsa_pem.as_bytes().to_vec());
    let (mut req, body) = post(10);
    sign_rfc9421(
        &req,
        &body,
        &forged,
        KEY_ID,
        UnixTime(NOW),
        &Rfc9421SignOptions::default(),
    )
    .unwrap()
    .apply(&mut req);
    let p = received(&req);
    assert!(
        p.headers["signature-input"]
            .to_str()
            .unwrap()
            .contains(r#"alg="hmac-sha256""#)
    );
    let mut pol = VerifyPolicy::strict();
    pol.allowed_algorithms = AlgorithmSet::ALL;
    let (r, calls) = run_with(pol, &p, &body, NOW, &PublicKey::from_pem(&rsa_pem).unwrap());
    assert_eq!((r.unwrap_err().kind(), calls), ("algorithm_mismatch", 0));
}

#[test]
fn several_signatures_selected_by_key_and_tag_not_label() {
    let other = PrivateKey::ed25519_from_seed(&[9; 32]);
    let (req, body) = post(10);
    // Two signatures: "sig1" by an unknown key, "zzz" by ours with tag "app".
    let mut o1 = Rfc9421SignOptions::default();
    o1.label = "sig1".into();
    let s1 = sign_rfc9421(
        &req,
        &body,
        &other,
        "https://other.example/key",
        UnixTime(NOW),
        &o1,
    )
    .unwrap();
    let mut o2 = Rfc9421SignOptions::default();
    o2.label = "zzz".into();
    o2.tag = Some("app".into());
    let s2 = sign_rfc9421(&req, &body, &ed(), KEY_ID, UnixTime(NOW), &o2).unwrap();
    let mut parts = received(&req);
    parts
        .headers
        .insert("content-digest", s1.get("content-digest").unwrap().clone());
    for s in [&s1, &s2] {
        // One field line per signature: multiple lines are merged.
        parts
            .headers
            .append("signature-input", s.get("signature-input").unwrap().clone());
        parts
            .headers
            .append("signature", s.get("signature").unwrap().clone());
    }
    let (r, _) = run_with(
        VerifyPolicy::strict(),
        &parts,
        &body,
        NOW,
        &ed().public_key(),
    );
    let v = r.unwrap();
    assert_eq!(
        (v.label(), v.tag(), v.key_id()),
        (Some("zzz"), Some("app"), KEY_ID)
    );
    let mut pol = VerifyPolicy::strict();
    pol.required_tag = Some("other".into());
    let (r, calls) = run_with(pol, &parts, &body, NOW, &ed().public_key());
    assert_eq!((r.unwrap_err().kind(), calls), ("no_matching_signature", 0));
    // Duplicate label across field lines.
    let mut dup = parts.clone();
    dup.headers.append(
        "signature-input",
        s2.get("signature-input").unwrap().clone(),
    );
    assert_eq!(
        kind(VerifyPolicy::strict(), &dup, &body, NOW),
        Err("duplicate_parameter")
    );
    // A Signature without its Signature-Input member.
    let mut orphan = parts.clone();
    orphan
        .headers
        .append("signature", "orphan=:AAAA:".parse().unwrap());
    assert_eq!(
        kind(VerifyPolicy::strict(), &orphan, &body, NOW),
        Err("no_matching_signature")
    );
}

#[test]
fn limits_are_enforced_before_work() {
    let (p, b) = signed_cavage(NOW, 10);
    let mut pol = VerifyPolicy::strict();
    pol.limits.max_body = 5;
    assert_eq!(kind(pol, &p, &b, NOW), Err("body_too_large"));
    let mut pol = VerifyPolicy::strict();
    pol.limits.max_header_len = 50;
    assert_eq!(kind(pol, &p, &b, NOW), Err("limit_exceeded"));
    let (mut p, b) = signed_rfc9421(NOW, &Rfc9421SignOptions::default());
    let many = (0..9)
        .map(|i| format!("s{i}=()"))
        .collect::<Vec<_>>()
        .join(", ");
    p.headers.insert("signature-input", many.parse().unwrap());
    assert_eq!(
        kind(VerifyPolicy::strict(), &p, &b, NOW),
        Err("limit_exceeded")
    );
}

#[test]
fn authorization_header_and_path_only_retry() {
    let (mut p, b) = signed_cavage(NOW, 10);
    let sig = p.headers.remove("signature").unwrap();
    p.headers.insert(
        "authorization",
        format!("Signature {}", sig.to_str().unwrap())
            .parse()
            .unwrap(),
    );
    assert_eq!(kind(VerifyPolicy::strict(), &p, &b, NOW), Ok(()));
    // Signed with the path only (Misskey, Fedify), received with a query.
    let (mut p, b) = signed_cavage(NOW, 10);
    p.uri = "/users/bob/inbox?page=2".parse().unwrap();
    assert_eq!(
        kind(VerifyPolicy::strict(), &p, &b, NOW),
        Err("bad_signature")
    );
    assert_eq!(kind(VerifyPolicy::mastodon(), &p, &b, NOW), Ok(()));
}

/// What the bench does: a key whose "crypto" is free, to time the library work alone.
struct NoopKey;

impl VerifyKey for NoopKey {
    fn key_type(&self) -> KeyType {
        KeyType::Ed25519
    }
    fn verify_signature(
        &self,
        _: Algorithm,
        _: &[u8],
        _: &[u8],
        _: Backend,
    ) -> http_signatures::Result<()> {
        Ok(())
    }
}

#[test]
fn a_caller_supplied_verifier_plugs_in() {
    let (p, b) = signed_cavage(NOW, 10);
    let v = Verifier::new(VerifyPolicy::strict())
        .verify_request(&p, &b, NOW, |_: &str| Some(NoopKey))
        .unwrap();
    assert_eq!(
        v.covered(),
        ["(request-target)", "host", "date", "digest", "content-type"]
    );
}
