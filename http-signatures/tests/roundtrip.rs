//! Property tests: sign → verify round trips for both schemes and every key type, with fixed
//! keys from the published vectors (generating RSA keys per case would be slow), and the
//! converse: any change to a covered part breaks verification.

use std::path::Path;
use std::sync::OnceLock;

use http_signatures::{
    Algorithm, AlgorithmSet, Backend, CavageSignOptions, PrivateKey, PublicKey, Rfc9421SignOptions,
    Scheme, UnixTime, Verifier, VerifyPolicy, sign_cavage, sign_rfc9421,
};
use proptest::prelude::*;

fn vector(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/vectors/http-signatures")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

struct Keys {
    rsa: PrivateKey,
    ed25519: PrivateKey,
    #[cfg(feature = "p256")]
    p256: PrivateKey,
}

fn keys() -> &'static Keys {
    static K: OnceLock<Keys> = OnceLock::new();
    K.get_or_init(|| Keys {
        rsa: PrivateKey::from_pem(&vector("rfc9421/keys/test-key-rsa.priv.pem")).unwrap(),
        ed25519: PrivateKey::from_pem(&vector("rfc9421/keys/test-key-ed25519.priv.pem")).unwrap(),
        #[cfg(feature = "p256")]
        p256: PrivateKey::from_pem(&vector("rfc9421/keys/test-key-ecc-p256.priv.pem")).unwrap(),
    })
}

#[derive(Debug, Clone)]
struct Req {
    post: bool,
    path: String,
    query: Option<String>,
    body: Vec<u8>,
    content_type: Option<String>,
    accept: Vec<String>,
    now: i64,
}

fn req_strategy() -> impl Strategy<Value = Req> {
    (
        any::<bool>(),
        proptest::collection::vec("[a-zA-Z0-9._~-]{1,12}", 0..4),
        proptest::option::of("[a-zA-Z0-9=&%+._-]{0,24}"),
        proptest::collection::vec(any::<u8>(), 0..200),
        proptest::option::of("[a-z]{1,8}/[a-z+.-]{1,16}"),
        proptest::collection::vec("[ -~]{0,20}", 0..3),
        1_000_000_000i64..4_000_000_000i64,
    )
        .prop_map(|(post, segs, query, body, content_type, accept, now)| Req {
            post,
            path: format!("/{}", segs.join("/")),
            query,
            body: if post { body } else { Vec::new() },
            content_type,
            accept,
            now,
        })
}

impl Req {
    fn build(&self) -> http::Request<()> {
        let uri = match &self.query {
            Some(q) => format!("https://remote.example{}?{q}", self.path),
            None => format!("https://remote.example{}", self.path),
        };
        let mut b = http::Request::builder()
            .method(if self.post { "POST" } else { "GET" })
            .uri(uri);
        if let Some(ct) = &self.content_type {
            b = b.header("content-type", ct);
        }
        for a in &self.accept {
            b = b.header("accept", a);
        }
        b.body(()).unwrap()
    }
}

/// The server side: an origin-form URI and a Host header, as a server sees the request.
fn as_received(req: &http::Request<()>) -> http::request::Parts {
    let mut r = http::Request::builder()
        .method(req.method().clone())
        .uri(req.uri().path_and_query().unwrap().as_str());
    for (n, v) in req.headers() {
        r = r.header(n, v);
    }
    if !req.headers().contains_key("host") {
        r = r.header("host", req.uri().authority().unwrap().as_str());
    }
    r.body(()).unwrap().into_parts().0
}

fn sign(scheme: Scheme, key: &PrivateKey, r: &Req, backend: Backend) -> http::request::Parts {
    let mut req = r.build();
    let signed = match scheme {
        Scheme::Cavage => {
            let mut o = CavageSignOptions::default();
            o.backend = backend;
            sign_cavage(
                &req,
                &r.body,
                key,
                "https://remote.example/actor#k",
                UnixTime(r.now),
                &o,
            )
        }
        _ => {
            let mut o = Rfc9421SignOptions::default();
            o.backend = backend;
            sign_rfc9421(
                &req,
                &r.body,
                key,
                "https://remote.example/actor#k",
                UnixTime(r.now),
                &o,
            )
        }
    }
    .unwrap();
    signed.apply(&mut req);
    as_received(&req)
}

fn policy(backend: Backend) -> VerifyPolicy {
    let mut p = VerifyPolicy::strict().with_backend(backend);
    p.allowed_algorithms = AlgorithmSet::ALL.without(Algorithm::HmacSha256);
    p
}

fn verify(
    parts: &http::request::Parts,
    body: &[u8],
    key: &PublicKey,
    now: i64,
    backend: Backend,
) -> http_signatures::Result<http_signatures::VerifiedRequest> {
    Verifier::new(policy(backend)).verify_request(parts, body, now, |id: &str| {
        (id == "https://remote.example/actor#k").then(|| key.clone())
    })
}

fn round_trip(scheme: Scheme, key: &PrivateKey, r: &Req) -> Result<(), TestCaseError> {
    let backend = Backend::default();
    let parts = sign(scheme, key, r, backend);
    let public = key.public_key();
    for &b in Backend::all() {
        let v = verify(&parts, &r.body, &public, r.now + 30, b)
            .map_err(|e| TestCaseError::fail(format!("{scheme:?} [{}]: {e}", b.name())))?;
        prop_assert_eq!(v.scheme(), scheme);
        prop_assert_eq!(v.key_id(), "https://remote.example/actor#k");
        prop_assert_eq!(v.algorithm(), key.key_type().default_algorithm());
        prop_assert_eq!(v.created(), Some(UnixTime(r.now)));
        prop_assert_eq!(v.body_digest_verified(), r.post);
    }
    // Any change to a covered part fails.
    if r.post {
        let mut body = r.body.clone();
        body.push(b'!');
        let e = verify(&parts, &body, &public, r.now, backend).unwrap_err();
        prop_assert_eq!(e.kind(), "digest_mismatch");
    }
    let mut moved = parts.clone();
    moved.uri = format!("{}x", parts.uri.path()).parse().unwrap();
    let e = verify(&moved, &r.body, &public, r.now, backend).unwrap_err();
    prop_assert_eq!(e.kind(), "bad_signature");
    let mut rehosted = parts.clone();
    rehosted
        .headers
        .insert("host", http::HeaderValue::from_static("evil.example"));
    let e = verify(&rehosted, &r.body, &public, r.now, backend).unwrap_err();
    prop_assert_eq!(e.kind(), "bad_signature");
    // Outside the strict window.
    let e = verify(&parts, &r.body, &public, r.now + 301, backend).unwrap_err();
    prop_assert_eq!(e.kind(), "expired");
    let e = verify(&parts, &r.body, &public, r.now - 61, backend).unwrap_err();
    prop_assert_eq!(e.kind(), "created_in_future");
    Ok(())
}

/// One proptest block per key type: `cases` requests, each round-tripped under every scheme
/// the key type signs.
macro_rules! round_trips {
    ($(#[$attr:meta])* $name:ident, $key:ident, $cases:expr, [$($scheme:ident),+]) => {
        $(#[$attr])*
        proptest! {
            #![proptest_config(ProptestConfig { cases: $cases, ..ProptestConfig::default() })]

            #[test]
            fn $name(r in req_strategy()) {
                $(round_trip(Scheme::$scheme, &keys().$key, &r)?;)+
            }
        }
    };
}

round_trips!(ed25519_both_schemes, ed25519, 48, [Cavage, Rfc9421]);
// RSA signing is slow in debug builds: fewer cases.
round_trips!(rsa_both_schemes, rsa, 8, [Cavage, Rfc9421]);
round_trips!(
    #[cfg(feature = "p256")]
    p256_rfc9421,
    p256,
    16,
    [Rfc9421]
);

#[test]
fn rsa_pss_rfc9421_round_trip() {
    let key = PrivateKey::from_pem(&vector("rfc9421/keys/test-key-rsa-pss.priv.pem")).unwrap();
    assert_eq!(key.key_type().default_algorithm(), Algorithm::RsaPssSha512);
    let r = Req {
        post: true,
        path: "/inbox".into(),
        query: None,
        body: b"{}".to_vec(),
        content_type: Some("application/activity+json".into()),
        accept: vec![],
        now: 1_700_000_000,
    };
    for &b in Backend::all() {
        let parts = sign(Scheme::Rfc9421, &key, &r, b);
        let si = parts.headers["signature-input"].to_str().unwrap();
        assert!(si.contains(r#"alg="rsa-pss-sha512""#), "{si}");
        let mut p = policy(b);
        p.allowed_algorithms = p.allowed_algorithms.with(Algorithm::RsaPssSha512);
        let pk = key.public_key();
        for &vb in Backend::all() {
            Verifier::new(p.clone().with_backend(vb))
                .verify_request(&parts, &r.body, r.now, |_: &str| Some(pk.clone()))
                .unwrap();
        }
        // The same key labelled PKCS#1 v1.5 must not accept a PSS signature (spec §5 rule 1).
        let v15 = pk
            .clone()
            .with_rsa_padding(http_signatures::RsaPadding::Pkcs1v15);
        let e = Verifier::new(p.clone())
            .verify_request(&parts, &r.body, r.now, |_: &str| Some(v15.clone()))
            .unwrap_err();
        assert_eq!(e.kind(), "algorithm_mismatch");
    }
}

#[test]
fn cavage_signature_header_shape() {
    let r = Req {
        post: true,
        path: "/users/bob/inbox".into(),
        query: Some("a=1".into()),
        body: br#"{"type":"Create"}"#.to_vec(),
        content_type: Some("application/activity+json".into()),
        accept: vec![],
        now: 1_764_547_200,
    };
    let parts = sign(Scheme::Cavage, &keys().rsa, &r, Backend::default());
    let sig = parts.headers["signature"].to_str().unwrap();
    assert!(sig.starts_with(r#"keyId="https://remote.example/actor#k",algorithm="rsa-sha256",headers="(request-target) host date digest content-type",signature=""#), "{sig}");
    assert_eq!(parts.headers["date"], "Mon, 01 Dec 2025 00:00:00 GMT");
    assert_eq!(
        parts.headers["digest"],
        http_signatures::digest::digest_header_value(&r.body, Backend::RustCrypto).as_str()
    );
    let parts = sign(Scheme::Cavage, &keys().ed25519, &r, Backend::default());
    assert!(
        parts.headers["signature"]
            .to_str()
            .unwrap()
            .contains(r#"algorithm="hs2019""#)
    );
}

#[test]
fn empty_body_post_round_trips_under_strict() {
    // A POST always carries a digest, even with an empty body (both profiles require it).
    for scheme in [Scheme::Cavage, Scheme::Rfc9421] {
        let r = Req {
            post: true,
            path: "/inbox".into(),
            query: None,
            body: Vec::new(),
            content_type: None,
            accept: vec![],
            now: 1_700_000_000,
        };
        round_trip(scheme, &keys().ed25519, &r).unwrap();
    }
}
