//! Signing: Mastodon-compatible cavage and RFC 9421. The output is the headers to add.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use http::{HeaderMap, HeaderName, HeaderValue};

use crate::algorithm::{Algorithm, KeyType};
use crate::backend::Backend;
use crate::cavage::{PseudoValues, SigningStringOptions, build_signing_string};
use crate::content_digest::content_digest_header_value;
use crate::digest::digest_header_value;
use crate::error::{Error, Result};
use crate::keys::SignKey;
use crate::message::{HeaderSource, RequestLike};
use crate::rfc9421::{ComponentId, Message, SignatureInput, SignatureParam, build_signature_base};
use crate::time::UnixTime;

/// Headers produced by signing, in the order they should be added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignedHeaders {
    headers: Vec<(HeaderName, HeaderValue)>,
}

impl SignedHeaders {
    /// The headers.
    pub fn iter(&self) -> impl Iterator<Item = (&HeaderName, &HeaderValue)> {
        self.headers.iter().map(|(n, v)| (n, v))
    }

    /// The value of one produced header.
    pub fn get(&self, name: &str) -> Option<&HeaderValue> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v)
    }

    /// Adds the headers to `map` (replacing existing ones of the same names).
    pub fn apply_to(&self, map: &mut HeaderMap) {
        for (n, v) in &self.headers {
            map.insert(n.clone(), v.clone());
        }
    }

    /// Adds the headers to a request.
    pub fn apply<B>(&self, req: &mut http::Request<B>) {
        self.apply_to(req.headers_mut());
    }

    fn push(&mut self, name: &'static str, value: String) -> Result<()> {
        let v = HeaderValue::from_str(&value).map_err(|_| Error::SigningFailed {
            reason: format!("{name} value is not a valid header value").into(),
        })?;
        self.headers.push((HeaderName::from_static(name), v));
        Ok(())
    }
}

/// A request plus headers that signing is about to add.
struct Overlay<'a> {
    inner: &'a dyn RequestLike,
    extra: Vec<(&'static str, String)>,
}

impl HeaderSource for Overlay<'_> {
    fn for_each_value(&self, name: &str, f: &mut dyn FnMut(&[u8])) {
        if let Some((_, v)) = self.extra.iter().find(|(n, _)| *n == name) {
            f(v.as_bytes());
        } else {
            self.inner.for_each_value(name, f);
        }
    }
}

impl RequestLike for Overlay<'_> {
    fn method(&self) -> &str {
        self.inner.method()
    }
    fn uri_scheme(&self) -> Option<&str> {
        self.inner.uri_scheme()
    }
    fn uri_authority(&self) -> Option<&str> {
        self.inner.uri_authority()
    }
    fn path(&self) -> &str {
        self.inner.path()
    }
    fn query(&self) -> Option<&str> {
        self.inner.query()
    }
}

/// Options for [`sign_cavage`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CavageSignOptions {
    /// Extra headers to cover after the Mastodon set (e.g. `accept` on fetches). Never cover
    /// `user-agent` or `accept-encoding`: proxies rewrite them.
    pub extra_headers: Vec<String>,
    /// Add a `Digest` even for a GET without a body (it is always added for a body or a
    /// POST/PUT/PATCH).
    pub digest_without_body: bool,
    /// Crypto backend.
    pub backend: Backend,
}

fn quote(s: &str) -> String {
    let mut o = String::with_capacity(s.len() + 2);
    o.push('"');
    for c in s.chars() {
        if c == '"' || c == '\\' {
            o.push('\\');
        }
        o.push(c);
    }
    o.push('"');
    o
}

/// Signs a request the way Mastodon does: covers `(request-target) host date digest
/// content-type` (each only when present; `Date` and `Host` are added when missing, `Digest:
/// SHA-256=…` whenever there is a body or the method is POST/PUT/PATCH), `algorithm="rsa-sha256"` for RSA keys and `hs2019` for Ed25519.
pub fn sign_cavage<K: SignKey + ?Sized>(
    req: &dyn RequestLike,
    body: &[u8],
    key: &K,
    key_id: &str,
    now: impl Into<UnixTime>,
    options: &CavageSignOptions,
) -> Result<SignedHeaders> {
    let now = now.into();
    let key_type = key.key_type();
    let (algorithm, label) = match key_type {
        KeyType::Rsa { .. } if key_type.permits(Algorithm::RsaPkcs1Sha256) => {
            (Algorithm::RsaPkcs1Sha256, "rsa-sha256")
        }
        KeyType::Ed25519 => (Algorithm::Ed25519, "hs2019"),
        _ => {
            return Err(Error::SigningFailed {
                reason: "cavage signing needs an RSA (PKCS#1 v1.5) or Ed25519 key".into(),
            });
        }
    };
    let mut out = SignedHeaders::default();
    let mut overlay = Overlay {
        inner: req,
        extra: Vec::new(),
    };
    if !req.has_header("host") {
        let authority = req.uri_authority().ok_or_else(|| Error::SigningFailed {
            reason: "request has neither a Host header nor an absolute URI".into(),
        })?;
        overlay.extra.push(("host", authority.to_owned()));
        out.push("host", authority.to_owned())?;
    }
    if !req.has_header("date") {
        let d = now.to_http_date();
        overlay.extra.push(("date", d.clone()));
        out.push("date", d)?;
    }
    // POST/PUT/PATCH always carry a Digest (both verifier profiles require it for them).
    let writes = ["POST", "PUT", "PATCH"]
        .iter()
        .any(|m| m.eq_ignore_ascii_case(req.method()));
    let with_digest = !body.is_empty() || writes || options.digest_without_body;
    if with_digest {
        let d = digest_header_value(body, options.backend);
        overlay.extra.push(("digest", d.clone()));
        out.push("digest", d)?;
    }
    let mut names: Vec<&str> = vec!["(request-target)", "host", "date"];
    if with_digest {
        names.push("digest");
    }
    if req.has_header("content-type") {
        names.push("content-type");
    }
    for h in &options.extra_headers {
        if !names.contains(&h.as_str()) {
            names.push(h);
        }
    }
    let mut buf = Vec::with_capacity(256);
    build_signing_string(
        &overlay,
        names.iter().copied(),
        PseudoValues::default(),
        SigningStringOptions::default(),
        &mut buf,
    )?;
    let sig = key.sign_message(algorithm, &buf, options.backend)?;
    let value = format!(
        "keyId={},algorithm=\"{label}\",headers=\"{}\",signature=\"{}\"",
        quote(key_id),
        names.join(" "),
        STANDARD.encode(sig)
    );
    out.push("signature", value)?;
    Ok(out)
}

/// Options for [`sign_rfc9421`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Rfc9421SignOptions {
    /// Signature label (default `sig1`).
    pub label: String,
    /// Seconds after `created` for an `expires` parameter (none by default).
    pub expires_in: Option<i64>,
    /// `nonce` parameter.
    pub nonce: Option<String>,
    /// `tag` parameter.
    pub tag: Option<String>,
    /// Extra components to cover after the default set.
    pub extra_components: Vec<ComponentId>,
    /// Scheme for `@target-uri` when the request URI has none.
    pub default_scheme: String,
    /// Crypto backend.
    pub backend: Backend,
}

impl Default for Rfc9421SignOptions {
    fn default() -> Self {
        Rfc9421SignOptions {
            label: "sig1".to_owned(),
            expires_in: None,
            nonce: None,
            tag: None,
            extra_components: Vec::new(),
            default_scheme: "https".to_owned(),
            backend: Backend::default(),
        }
    }
}

/// Signs a request with RFC 9421: covers `@method @target-uri content-digest content-type`
/// (the last two when present; `Content-Digest: sha-256=:…:` is added when there is a body) with
/// `created`, `keyid`, `alg` parameters. The algorithm comes from the key.
pub fn sign_rfc9421<K: SignKey + ?Sized>(
    req: &dyn RequestLike,
    body: &[u8],
    key: &K,
    key_id: &str,
    now: impl Into<UnixTime>,
    options: &Rfc9421SignOptions,
) -> Result<SignedHeaders> {
    let now = now.into();
    let algorithm = key.key_type().default_algorithm();
    let mut out = SignedHeaders::default();
    let mut overlay = Overlay {
        inner: req,
        extra: Vec::new(),
    };
    let mut components = vec![
        ComponentId::new("@method")?,
        ComponentId::new("@target-uri")?,
    ];
    let writes = ["POST", "PUT", "PATCH"]
        .iter()
        .any(|m| m.eq_ignore_ascii_case(req.method()));
    if !body.is_empty() || writes {
        let d = content_digest_header_value(body, options.backend);
        overlay.extra.push(("content-digest", d.clone()));
        out.push("content-digest", d)?;
        components.push(ComponentId::new("content-digest")?);
    }
    if req.has_header("content-type") {
        components.push(ComponentId::new("content-type")?);
    }
    for c in &options.extra_components {
        if !components.contains(c) {
            components.push(c.clone());
        }
    }
    let mut params = vec![SignatureParam::Created(now.as_secs())];
    if let Some(e) = options.expires_in {
        params.push(SignatureParam::Expires(now.as_secs().saturating_add(e)));
    }
    if let Some(n) = &options.nonce {
        params.push(SignatureParam::Nonce(n.clone()));
    }
    params.push(SignatureParam::KeyId(key_id.to_owned()));
    params.push(SignatureParam::Alg(algorithm.rfc9421_name().to_owned()));
    if let Some(t) = &options.tag {
        params.push(SignatureParam::Tag(t.clone()));
    }
    let input = SignatureInput::new(&options.label, components, params)?;
    let msg = Message::request(&overlay).with_default_scheme(&options.default_scheme);
    let sig = sign_message_input(&msg, &input, key, options.backend)?;
    out.push("signature-input", input.to_field_member())?;
    out.push(
        "signature",
        format!("{}=:{}:", input.label(), STANDARD.encode(sig)),
    )?;
    Ok(out)
}

/// Low level: builds the base of `input` over `msg` and signs it with the algorithm the key
/// and `input`'s `alg` agree on. Returns the raw signature bytes.
pub fn sign_message_input<K: SignKey + ?Sized>(
    msg: &Message<'_>,
    input: &SignatureInput,
    key: &K,
    backend: Backend,
) -> Result<Vec<u8>> {
    let algorithm = crate::algorithm::resolve_rfc9421(key.key_type(), input.alg())?;
    let mut buf = Vec::with_capacity(512);
    build_signature_base(msg, input, &mut buf)?;
    key.sign_message(algorithm, &buf, backend)
}
