//! Verification: scheme detection, policy checks (all before crypto), digest checks, then one
//! signature check per candidate.

use std::borrow::Cow;
use std::sync::OnceLock;

use crate::algorithm::{Algorithm, KeyType, resolve_cavage, resolve_rfc9421};
use crate::cavage::{
    CavageParams, PseudoValues, SigningStringOptions, build_signing_string_with,
    parse_authorization, parse_signature_header,
};
use crate::content_digest::verify_content_digest;
use crate::digest::verify_digest;
use crate::error::{Error, Result};
use crate::keys::VerifyKey;
use crate::message::{HeaderSource, RequestLike, ResponseLike};
use crate::policy::{CavageDefaultHeaders, Coverage, VerifyPolicy};
use crate::rfc9421::{
    Message, SignatureInput, build_signature_base, parse_signature, parse_signature_input,
};
use crate::time::UnixTime;

/// Which signature scheme a message used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Scheme {
    /// draft-cavage-http-signatures-12 (`Signature` or `Authorization: Signature`).
    Cavage,
    /// RFC 9421 (`Signature-Input` + `Signature`).
    Rfc9421,
}

impl Scheme {
    /// `cavage` or `rfc9421`.
    pub const fn name(self) -> &'static str {
        match self {
            Scheme::Cavage => "cavage",
            Scheme::Rfc9421 => "rfc9421",
        }
    }
}

/// Turns a key id into a key. Implemented for closures `FnMut(&str) -> Option<K>`; the crate
/// never fetches: a resolver that needs the network should fail here and let the caller fetch
/// and retry.
pub trait KeyResolver {
    /// The key type returned.
    type Key: VerifyKey;
    /// The key for `key_id`, or `None` if unknown.
    fn resolve(&mut self, key_id: &str) -> Option<Self::Key>;
}

impl<F, K> KeyResolver for F
where
    F: FnMut(&str) -> Option<K>,
    K: VerifyKey,
{
    type Key = K;
    fn resolve(&mut self, key_id: &str) -> Option<K> {
        self(key_id)
    }
}

/// A message whose signature verified under a policy. Only the verifier constructs it.
#[derive(Clone)]
pub struct VerifiedRequest {
    key_id: String,
    scheme: Scheme,
    algorithm: Algorithm,
    /// The covered components joined with `\n` (a name never contains one): one allocation
    /// on the hot path instead of one per name.
    covered_text: String,
    /// [`VerifiedRequest::covered`], split out of `covered_text` on first use.
    covered: OnceLock<Vec<String>>,
    created: Option<UnixTime>,
    expires: Option<UnixTime>,
    label: Option<String>,
    tag: Option<String>,
    nonce: Option<String>,
    body_digest_verified: bool,
}

impl VerifiedRequest {
    /// The key id that signed (resolve its owner and check it against the activity's actor).
    pub fn key_id(&self) -> &str {
        &self.key_id
    }
    /// The scheme used.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }
    /// The algorithm (derived from the key).
    pub fn algorithm(&self) -> Algorithm {
        self.algorithm
    }
    /// Covered components in signed order (cavage names, or RFC 9421 serialized identifiers).
    pub fn covered(&self) -> &[String] {
        self.covered.get_or_init(|| {
            covered_names(&self.covered_text)
                .map(str::to_owned)
                .collect()
        })
    }
    /// The time anchor: `created`, else the covered `Date`.
    pub fn created(&self) -> Option<UnixTime> {
        self.created
    }
    /// The covered `expires`, if any.
    pub fn expires(&self) -> Option<UnixTime> {
        self.expires
    }
    /// RFC 9421 label (informational only).
    pub fn label(&self) -> Option<&str> {
        self.label.as_deref()
    }
    /// RFC 9421 `tag`.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }
    /// RFC 9421 `nonce` (feed it to a replay cache).
    pub fn nonce(&self) -> Option<&str> {
        self.nonce.as_deref()
    }
    /// Whether a covered `Digest` / `Content-Digest` was checked against the body.
    pub fn body_digest_verified(&self) -> bool {
        self.body_digest_verified
    }
}

impl PartialEq for VerifiedRequest {
    fn eq(&self, o: &Self) -> bool {
        // Everything but the lazily split copy of `covered_text`.
        self.key_id == o.key_id
            && self.scheme == o.scheme
            && self.algorithm == o.algorithm
            && self.covered_text == o.covered_text
            && self.created == o.created
            && self.expires == o.expires
            && self.label == o.label
            && self.tag == o.tag
            && self.nonce == o.nonce
            && self.body_digest_verified == o.body_digest_verified
    }
}

impl Eq for VerifiedRequest {}

impl std::fmt::Debug for VerifiedRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("VerifiedRequest")
            .field("key_id", &self.key_id)
            .field("scheme", &self.scheme)
            .field("algorithm", &self.algorithm)
            .field(
                "covered",
                &covered_names(&self.covered_text).collect::<Vec<_>>(),
            )
            .field("created", &self.created)
            .field("expires", &self.expires)
            .field("label", &self.label)
            .field("tag", &self.tag)
            .field("nonce", &self.nonce)
            .field("body_digest_verified", &self.body_digest_verified)
            .finish()
    }
}

/// The serialized component identifiers of `input`, joined with `\n` (they are printable
/// ASCII).
fn join_components(input: &SignatureInput) -> String {
    let components = input.components();
    let mut text = String::with_capacity(components.iter().map(|c| c.as_str().len() + 1).sum());
    for (i, c) in components.iter().enumerate() {
        if i > 0 {
            text.push('\n');
        }
        text.push_str(c.as_str());
    }
    text
}

/// The names of a `\n`-joined covered list (none for an empty list).
fn covered_names(text: &str) -> impl Iterator<Item = &str> {
    // A byte scan: `\n` is ASCII, so every cut is a character boundary.
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        let len = rest.bytes().position(|b| b == b'\n').unwrap_or(rest.len());
        let name = rest.get(..len)?;
        rest = rest.get(len + 1..).unwrap_or_default();
        Some(name)
    })
}

/// A verified response (RFC 9421 only); same content as [`VerifiedRequest`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedResponse(VerifiedRequest);

impl std::ops::Deref for VerifiedResponse {
    type Target = VerifiedRequest;
    fn deref(&self) -> &VerifiedRequest {
        &self.0
    }
}

/// A verifier: a policy plus a reusable buffer for signing strings / bases.
#[derive(Debug, Clone)]
pub struct Verifier {
    policy: VerifyPolicy,
    buf: Vec<u8>,
}

impl Verifier {
    /// A verifier for `policy`.
    pub fn new(policy: VerifyPolicy) -> Self {
        Verifier {
            policy,
            buf: Vec::with_capacity(1024),
        }
    }

    /// The policy.
    pub fn policy(&self) -> &VerifyPolicy {
        &self.policy
    }

    /// Verifies a request and its raw body bytes at time `now`.
    ///
    /// `Signature-Input` present ⇒ RFC 9421; else `Signature` ⇒ cavage; else
    /// `Authorization: Signature` ⇒ cavage.
    pub fn verify_request<R: KeyResolver>(
        &mut self,
        req: &dyn RequestLike,
        body: &[u8],
        now: impl Into<UnixTime>,
        mut resolver: R,
    ) -> Result<VerifiedRequest> {
        let now = now.into();
        if body.len() > self.policy.limits.max_body {
            return Err(Error::BodyTooLarge {
                limit: self.policy.limits.max_body,
            });
        }
        let rfc9421 = match req.single_ref("signature-input") {
            Some(crate::message::SingleValue::Absent) => false,
            Some(_) => true,
            None => req.has_header("signature-input"),
        };
        if rfc9421 {
            if !self.policy.accept_rfc9421 {
                return Err(Error::UnsupportedAlgorithm {
                    at: "rfc9421".into(),
                });
            }
            let msg = Message::request(req)
                .with_default_scheme(&self.policy.default_scheme)
                .with_max_len(self.policy.limits.max_signing_string);
            return verify_rfc9421(&self.policy, &mut self.buf, &msg, body, now, &mut resolver);
        }
        if !self.policy.accept_cavage {
            return Err(Error::MissingHeader {
                at: "signature-input".into(),
            });
        }
        self.verify_cavage(req, body, now, &mut resolver)
    }

    /// Verifies an RFC 9421 response signature; `request` supplies `;req` components.
    pub fn verify_response<R: KeyResolver>(
        &mut self,
        response: &dyn ResponseLike,
        request: Option<&dyn RequestLike>,
        body: &[u8],
        now: impl Into<UnixTime>,
        mut resolver: R,
    ) -> Result<VerifiedResponse> {
        if body.len() > self.policy.limits.max_body {
            return Err(Error::BodyTooLarge {
                limit: self.policy.limits.max_body,
            });
        }
        let msg = Message::response(response, request)
            .with_default_scheme(&self.policy.default_scheme)
            .with_max_len(self.policy.limits.max_signing_string);
        verify_rfc9421(
            &self.policy,
            &mut self.buf,
            &msg,
            body,
            now.into(),
            &mut resolver,
        )
        .map(VerifiedResponse)
    }

    fn verify_cavage<R: KeyResolver>(
        &mut self,
        req: &dyn RequestLike,
        body: &[u8],
        now: UnixTime,
        resolver: &mut R,
    ) -> Result<VerifiedRequest> {
        let policy = &self.policy;
        let limits = &policy.limits;
        let (header_text, from_authorization) =
            match single_text(req, "signature", limits.max_header_len)? {
                Some(v) => (v, false),
                None => match single_text(req, "authorization", limits.max_header_len)? {
                    Some(v)
                        if v.trim_start()
                            .as_bytes()
                            .get(..10)
                            .is_some_and(|p| p.eq_ignore_ascii_case(b"signature ")) =>
                    {
                        (v, true)
                    }
                    _ => {
                        return Err(Error::MissingHeader {
                            at: "signature".into(),
                        });
                    }
                },
            };
        let params = if from_authorization {
            parse_authorization(&header_text, limits)?
        } else {
            parse_signature_header(&header_text, limits)?
        };
        let at_header: &'static str = if from_authorization {
            "authorization"
        } else {
            "signature"
        };

        // Covered list.
        let default_list: &[&str] =
            match (policy.cavage_default_headers, params.algorithm.as_deref()) {
                (CavageDefaultHeaders::Created, _) => &["(created)"],
                (CavageDefaultHeaders::Date, _) => &["date"],
                (CavageDefaultHeaders::Mastodon, None | Some("hs2019")) => &["(created)"],
                (CavageDefaultHeaders::Mastodon, Some(_)) => &["date"],
            };
        // The covered list, lower-cased, joined with `\n` into one string (a name never holds
        // SP, HTAB or a control character), with the end of each of the first 32 names kept so
        // the names are walked again without a scan.
        let mut covered = String::with_capacity(params.headers.as_deref().map_or(16, str::len));
        let mut ends = [0usize; 32];
        let mut count = 0;
        let mut push = |n: &str| {
            if count > 0 {
                covered.push('\n');
            }
            covered.push_str(n);
            if let Some(end) = ends.get_mut(count) {
                *end = covered.len();
            }
            count += 1;
        };
        match params.header_names() {
            Some(names) => names.for_each(&mut push),
            None => default_list.iter().copied().for_each(&mut push),
        }
        if count > limits.max_components {
            return Err(Error::limit(
                format!("{at_header}.headers"),
                limits.max_components,
            ));
        }
        covered.make_ascii_lowercase();
        let mut inline = [""; 32];
        let spilled: Vec<&str>;
        let names: &[&str] = match ends.get(..count) {
            Some(ends) => {
                let mut start = 0;
                for (slot, &end) in inline.iter_mut().zip(ends) {
                    *slot = covered.get(start..end).unwrap_or_default();
                    start = end + 1;
                }
                inline.get(..count).unwrap_or_default()
            }
            None => {
                spilled = covered_names(&covered).collect();
                &spilled
            }
        };
        let has = CavageCoverage::of(names);

        // Rule 3: coverage, before anything else.
        let method = req.method();
        let body_needs_digest = !body.is_empty() || method.eq_ignore_ascii_case("POST");
        match policy.coverage {
            Coverage::Mastodon => {
                if !has.date && !has.created {
                    return Err(coverage("date"));
                }
                if !has.request_target && !has.digest {
                    return Err(coverage("(request-target)"));
                }
                if method.eq_ignore_ascii_case("GET") && !has.host {
                    return Err(coverage("host"));
                }
                if body_needs_digest && !has.digest {
                    return Err(coverage("digest"));
                }
            }
            Coverage::Strict => {
                if !has.request_target {
                    return Err(coverage("(request-target)"));
                }
                if !has.host {
                    return Err(coverage("host"));
                }
                if !has.date && !has.created {
                    return Err(coverage("date"));
                }
                let writes = ["POST", "PUT", "PATCH"]
                    .iter()
                    .any(|m| m.eq_ignore_ascii_case(method));
                if (writes || !body.is_empty()) && !has.digest {
                    return Err(coverage("digest"));
                }
            }
            Coverage::TestVectorsOnly => {}
        }

        // Rule 5: time, anchored on a covered created or Date.
        let created = if has.created {
            params.created.as_ref().map(|c| c.1)
        } else {
            None
        };
        let expires = if has.expires {
            params.expires.as_ref().map(|c| c.1)
        } else {
            None
        };
        // Single header lines read for the policy are handed to the signing string, which
        // would otherwise look them up again.
        let mut known: [(&str, &[u8]); 2] = [("", &[]); 2];
        let mut n_known = 0;
        let date_text = if has.date {
            Some(
                single_text(req, "date", limits.max_header_len)?
                    .ok_or_else(|| Error::MissingComponent { at: "date".into() })?,
            )
        } else {
            None
        };
        let date = match &date_text {
            Some(raw) => {
                if let Cow::Borrowed(line) = raw
                    && let Some(slot) = known.get_mut(n_known)
                {
                    *slot = ("date", line.as_bytes());
                    n_known += 1;
                }
                Some(
                    UnixTime::parse_http_date(raw.trim())
                        .ok_or_else(|| Error::malformed("date", "not an HTTP date"))?
                        .as_secs(),
                )
            }
            None => None,
        };
        let anchor = check_time(
            policy,
            now,
            created.or(date),
            expires,
            if created.is_some() { "created" } else { "date" },
        )?;

        // Key and algorithm (rule 1, rule 2), still before crypto.
        let key = resolver
            .resolve(&params.key_id)
            .ok_or_else(|| Error::UnknownKey {
                at: crate::algorithm::truncate_owned(&params.key_id),
            })?;
        let key_type = key.key_type();
        let algorithm = resolve_cavage(key_type, params.algorithm.as_deref())?;
        check_key_policy(policy, key_type, algorithm)?;

        // Rule 4: body digest, when covered.
        let digest_text = if has.digest {
            Some(
                combined_text(req, "digest", limits.max_header_len)?.ok_or_else(|| {
                    Error::MissingComponent {
                        at: "digest".into(),
                    }
                })?,
            )
        } else {
            None
        };
        if let Some(value) = &digest_text {
            verify_digest(value, body, policy.backend, limits)?;
            // A borrowed value is the single line, trimmed, without obs-fold: exactly what
            // the signing string would copy.
            if let Cow::Borrowed(line) = value
                && let Some(slot) = known.get_mut(n_known)
            {
                *slot = ("digest", line.as_bytes());
                n_known += 1;
            }
        }
        let known = known.get(..n_known).unwrap_or_default();

        let mut stack = [0u8; 512];
        let mut heap = Vec::new();
        let signature = decode_b64_signature(
            &params,
            at_header,
            limits.max_signature_len,
            &mut stack,
            &mut heap,
        )?;
        let pseudo = PseudoValues {
            algorithm: params.algorithm.as_deref(),
            created: params.created.as_ref().map(|c| c.0.as_ref()),
            expires: params.expires.as_ref().map(|c| c.0.as_ref()),
        };
        let mut options = SigningStringOptions {
            allow_created_with_legacy_algorithm: policy.allow_created_with_legacy_algorithm,
            ..SigningStringOptions::default()
        };
        let build = |options: SigningStringOptions, buf: &mut Vec<u8>| -> Result<()> {
            build_signing_string_with(
                req,
                names.iter().copied(),
                pseudo,
                options,
                buf,
                known,
                true,
            )?;
            if buf.len() > limits.max_signing_string {
                return Err(Error::limit("signing-string", limits.max_signing_string));
            }
            Ok(())
        };
        build(options, &mut self.buf)?;
        let mut result = key.verify_signature(algorithm, &self.buf, signature, policy.backend);
        if result.is_err()
            && policy.retry_request_target_without_query
            && req.query().is_some()
            && has.request_target
        {
            options.request_target_with_query = false;
            build(options, &mut self.buf)?;
            result = key.verify_signature(algorithm, &self.buf, signature, policy.backend);
        }
        result.map_err(|_| Error::BadSignature)?;
        Ok(VerifiedRequest {
            key_id: params.key_id.into_owned(),
            scheme: Scheme::Cavage,
            algorithm,
            covered_text: covered,
            covered: OnceLock::new(),
            created: Some(UnixTime(anchor)),
            expires: expires.map(UnixTime),
            label: None,
            tag: None,
            nonce: None,
            body_digest_verified: digest_text.is_some(),
        })
    }
}

/// Verifies a request with a one-off [`Verifier`].
pub fn verify_request<R: KeyResolver>(
    req: &dyn RequestLike,
    body: &[u8],
    policy: &VerifyPolicy,
    now: impl Into<UnixTime>,
    resolver: R,
) -> Result<VerifiedRequest> {
    Verifier::new(policy.clone()).verify_request(req, body, now, resolver)
}

/// Which of the names the cavage policy asks about are covered (one pass over the list).
#[derive(Default)]
struct CavageCoverage {
    request_target: bool,
    created: bool,
    expires: bool,
    host: bool,
    date: bool,
    digest: bool,
}

impl CavageCoverage {
    fn of(covered: &[&str]) -> Self {
        let mut c = CavageCoverage::default();
        for n in covered {
            match *n {
                "(request-target)" => c.request_target = true,
                "(created)" => c.created = true,
                "(expires)" => c.expires = true,
                "host" => c.host = true,
                "date" => c.date = true,
                "digest" => c.digest = true,
                _ => {}
            }
        }
        c
    }
}

fn coverage(name: &'static str) -> Error {
    Error::InsufficientCoverage { at: name.into() }
}

/// Decodes the base64 `signature` parameter into `stack` when it fits (RSA up to 4096 bits),
/// else into a heap buffer.
fn decode_b64_signature<'s>(
    params: &CavageParams<'_>,
    header: &'static str,
    max: usize,
    stack: &'s mut [u8; 512],
    heap: &'s mut Vec<u8>,
) -> Result<&'s [u8]> {
    if params.signature.len() > max.saturating_mul(4) / 3 + 4 {
        return Err(Error::limit(format!("{header}.signature"), max));
    }
    let bad = || Error::invalid_param(format!("{header}.signature"), "not base64");
    let text = params.signature.as_bytes();
    match crate::b64::decode_into(text, stack) {
        Ok(n) => stack.get(..n).ok_or_else(bad),
        Err(crate::b64::B64Error::TooSmall) => {
            *heap = crate::b64::decode_vec(text).ok_or_else(bad)?;
            Ok(heap.as_slice())
        }
        Err(crate::b64::B64Error::Invalid) => Err(bad()),
    }
}

/// The single line of a header as UTF-8 text (`None` if absent; repeated ⇒ malformed),
/// borrowed when the source can lend it.
fn single_text<'a>(
    src: &'a dyn HeaderSource,
    name: &'static str,
    max: usize,
) -> Result<Option<Cow<'a, str>>> {
    use crate::message::SingleValue;
    let check = |v: &[u8]| -> Result<()> {
        if v.len() > max {
            Err(Error::limit(name, max))
        } else {
            Ok(())
        }
    };
    match src.single_ref(name) {
        Some(SingleValue::Absent) => return Ok(None),
        Some(SingleValue::Many) => return Err(Error::malformed(name, "header repeated")),
        Some(SingleValue::One(v)) => {
            check(v)?;
            return std::str::from_utf8(v)
                .map(|s| Some(Cow::Borrowed(s)))
                .map_err(|_| Error::malformed(name, "not UTF-8"));
        }
        None => {}
    }
    let mut count = 0usize;
    let mut value: Option<Result<String>> = None;
    src.for_each_value(name, &mut |v| {
        count += 1;
        if count == 1 {
            value = Some(check(v).and_then(|()| {
                String::from_utf8(v.to_vec()).map_err(|_| Error::malformed(name, "not UTF-8"))
            }));
        }
    });
    if count > 1 {
        return Err(Error::malformed(name, "header repeated"));
    }
    value.transpose().map(|v| v.map(Cow::Owned))
}

/// All lines of a header joined with `", "` as text; a single line is borrowed when the source
/// can lend it.
fn combined_text<'a>(
    src: &'a dyn HeaderSource,
    name: &'static str,
    max: usize,
) -> Result<Option<Cow<'a, str>>> {
    use crate::message::SingleValue;
    match src.single_ref(name) {
        Some(SingleValue::Absent) => return Ok(None),
        // One line without obs-fold: what `append_combined` would copy is its trimmed self.
        Some(SingleValue::One(v)) => {
            let v = crate::message::trim_ows(v);
            if !crate::message::has_line_break(v) {
                if v.len() > max {
                    return Err(Error::limit(name, max));
                }
                return std::str::from_utf8(v)
                    .map(|s| Some(Cow::Borrowed(s)))
                    .map_err(|_| Error::malformed(name, "not UTF-8"));
            }
        }
        Some(SingleValue::Many) | None => {}
    }
    let mut out = Vec::new();
    if !crate::message::append_combined(src, name, &mut out) {
        return Ok(None);
    }
    if out.len() > max {
        return Err(Error::limit(name, max));
    }
    String::from_utf8(out)
        .map(|s| Some(Cow::Owned(s)))
        .map_err(|_| Error::malformed(name, "not UTF-8"))
}

/// All lines of `name` joined with `", "`, raw (no normalisation): the single line itself when
/// the source can lend it, else joined into `buf`. Empty when absent.
fn field_lines<'a>(src: &'a dyn HeaderSource, name: &str, buf: &'a mut Vec<u8>) -> &'a [u8] {
    use crate::message::SingleValue;
    match src.single_ref(name) {
        Some(SingleValue::Absent) => &[],
        Some(SingleValue::One(v)) => v,
        Some(SingleValue::Many) | None => {
            join_lines(src, name, buf);
            buf
        }
    }
}

/// All lines of `name` joined with `", "`, raw (no normalisation), into `out`.
fn join_lines(src: &dyn HeaderSource, name: &str, out: &mut Vec<u8>) {
    src.for_each_value(name, &mut |v| {
        if !out.is_empty() {
            out.extend_from_slice(b", ");
        }
        out.extend_from_slice(v);
    });
}

fn check_key_policy(policy: &VerifyPolicy, key_type: KeyType, algorithm: Algorithm) -> Result<()> {
    if !policy.allowed_algorithms.contains(algorithm) {
        return Err(Error::AlgorithmNotAllowed {
            at: algorithm.rfc9421_name().into(),
        });
    }
    if let Some(bits) = key_type.rsa_bits()
        && bits < policy.min_rsa_bits
    {
        return Err(Error::KeyTooSmall {
            bits,
            min: policy.min_rsa_bits,
        });
    }
    Ok(())
}

/// Rule 5. Returns the anchor.
fn check_time(
    policy: &VerifyPolicy,
    now: UnixTime,
    anchor: Option<i64>,
    expires: Option<i64>,
    anchor_name: &'static str,
) -> Result<i64> {
    let anchor = anchor.ok_or(Error::MissingTimestamp)?;
    let now = now.as_secs();
    if anchor > now.saturating_add(policy.max_future_skew) {
        return Err(Error::CreatedInFuture {
            at: anchor_name.into(),
        });
    }
    if let Some(exp) = expires {
        if exp < anchor {
            return Err(Error::ExpiresBeforeCreated);
        }
        let effective = if policy.expires_extends_age {
            exp.min(anchor.saturating_add(policy.max_lifetime))
        } else {
            exp
        };
        if now > effective.saturating_add(policy.expires_grace) {
            return Err(Error::Expired {
                at: "expires".into(),
            });
        }
        if policy.expires_extends_age {
            return Ok(anchor);
        }
    }
    if now > anchor.saturating_add(policy.max_age) {
        return Err(Error::Expired {
            at: anchor_name.into(),
        });
    }
    Ok(anchor)
}

fn verify_rfc9421<R: KeyResolver>(
    policy: &VerifyPolicy,
    buf: &mut Vec<u8>,
    msg: &Message<'_>,
    body: &[u8],
    now: UnixTime,
    resolver: &mut R,
) -> Result<VerifiedRequest> {
    let limits = &policy.limits;
    let headers = msg.headers();
    // Field lines joined with ", " (what RFC 8941 parsing of several lines means); a single
    // line is borrowed as is.
    let mut input_buf = Vec::new();
    let mut sig_buf = Vec::new();
    let input_field = field_lines(headers, "signature-input", &mut input_buf);
    let sig_field = field_lines(headers, "signature", &mut sig_buf);
    if input_field.is_empty() {
        return Err(Error::MissingHeader {
            at: "signature-input".into(),
        });
    }
    if sig_field.is_empty() {
        return Err(Error::MissingHeader {
            at: "signature".into(),
        });
    }
    let inputs = parse_signature_input([input_field], limits)?;
    let sigs = parse_signature([sig_field], limits)?;
    // Same label set in both fields.
    for (label, _) in &sigs {
        if !inputs.iter().any(|i| i.label() == label) {
            return Err(Error::NoMatchingSignature {
                at: format!("signature-input.{label}").into(),
            });
        }
    }
    let mut first_err: Option<Error> = None;
    let mut candidates = 0;
    for input in &inputs {
        if let Some(tag) = &policy.required_tag
            && input.tag() != Some(tag.as_str())
        {
            continue;
        }
        let Some((_, sig)) = sigs.iter().find(|(l, _)| l == input.label()) else {
            return Err(Error::NoMatchingSignature {
                at: format!("signature.{}", input.label()).into(),
            });
        };
        candidates += 1;
        match verify_one_rfc9421(policy, buf, msg, body, now, resolver, input, sig) {
            Ok(v) => return Ok(v),
            Err(e) => {
                if first_err.is_none() {
                    first_err = Some(e);
                }
            }
        }
    }
    Err(first_err.unwrap_or_else(|| {
        if candidates == 0 {
            Error::NoMatchingSignature {
                at: match &policy.required_tag {
                    Some(t) => format!("tag={t}").into(),
                    None => "signature-input".into(),
                },
            }
        } else {
            Error::BadSignature
        }
    }))
}

#[allow(clippy::too_many_arguments)]
fn verify_one_rfc9421<R: KeyResolver>(
    policy: &VerifyPolicy,
    buf: &mut Vec<u8>,
    msg: &Message<'_>,
    body: &[u8],
    now: UnixTime,
    resolver: &mut R,
    input: &SignatureInput,
    sig: &[u8],
) -> Result<VerifiedRequest> {
    let has = |n: &str| {
        input
            .components()
            .iter()
            .any(|c| c.is_plain() && c.name() == n)
    };
    let has_any = |n: &str| input.components().iter().any(|c| !c.req() && c.name() == n);
    // Rule 3.
    if policy.coverage != Coverage::TestVectorsOnly {
        if input.components().is_empty() {
            return Err(coverage("@method"));
        }
        if input.created().is_none() {
            return Err(Error::MissingParameter {
                at: format!("signature-input.{}.created", input.label()).into(),
            });
        }
        if msg.is_request() {
            if !has("@method") {
                return Err(coverage("@method"));
            }
            let req = msg.request_part();
            let target_ok = has("@target-uri")
                || (has("@authority")
                    && (has("@request-target")
                        || (has("@path")
                            && (policy.coverage == Coverage::Mastodon
                                || req.is_none_or(|r| r.query().is_none())
                                || has("@query")))));
            if !target_ok {
                return Err(coverage("@target-uri"));
            }
            let method = req.map(|r| r.method()).unwrap_or("");
            let writes = ["POST", "PUT", "PATCH"]
                .iter()
                .any(|m| m.eq_ignore_ascii_case(method));
            if (writes || !body.is_empty()) && !has_any("content-digest") && !has_any("digest") {
                return Err(coverage("content-digest"));
            }
        } else if !body.is_empty() && !has_any("content-digest") {
            return Err(coverage("content-digest"));
        }
    }
    // Rule 5.
    let anchor = if policy.coverage == Coverage::TestVectorsOnly && input.created().is_none() {
        None
    } else {
        Some(check_time(
            policy,
            now,
            input.created(),
            input.expires(),
            "created",
        )?)
    };
    // Key and algorithm.
    let key_id = input.keyid().ok_or_else(|| Error::MissingParameter {
        at: format!("signature-input.{}.keyid", input.label()).into(),
    })?;
    let key = resolver.resolve(key_id).ok_or_else(|| Error::UnknownKey {
        at: crate::algorithm::truncate_owned(key_id),
    })?;
    let key_type = key.key_type();
    let algorithm = resolve_rfc9421(key_type, input.alg())?;
    check_key_policy(policy, key_type, algorithm)?;
    // Rule 4: covered digests are checked against the body.
    let mut digest_checked = false;
    let headers = msg.headers();
    if has_any("content-digest") {
        let mut buf = Vec::new();
        let field = field_lines(headers, "content-digest", &mut buf);
        if field.is_empty() {
            return Err(Error::MissingComponent {
                at: "content-digest".into(),
            });
        }
        verify_content_digest([field], body, policy.backend, &policy.limits)?;
        digest_checked = true;
    }
    if has_any("digest") {
        let value =
            combined_text(headers, "digest", policy.limits.max_header_len)?.ok_or_else(|| {
                Error::MissingComponent {
                    at: "digest".into(),
                }
            })?;
        verify_digest(&value, body, policy.backend, &policy.limits)?;
        digest_checked = true;
    }
    build_signature_base(msg, input, buf)?;
    key.verify_signature(algorithm, buf, sig, policy.backend)
        .map_err(|_| Error::BadSignature)?;
    Ok(VerifiedRequest {
        key_id: key_id.to_owned(),
        scheme: Scheme::Rfc9421,
        algorithm,
        covered_text: join_components(input),
        covered: OnceLock::new(),
        created: anchor.map(UnixTime),
        expires: input.expires().map(UnixTime),
        label: Some(input.label().to_owned()),
        tag: input.tag().map(str::to_owned),
        nonce: input.nonce().map(str::to_owned),
        body_digest_verified: digest_checked,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// More covered headers than the inline name index holds, sent in upper case: the
    /// joined list, the policy checks and the signing string still see every name.
    #[test]
    fn long_upper_case_header_lists_verify() {
        use crate::{CavageSignOptions, PrivateKey, sign_cavage};
        let key = PrivateKey::ed25519_from_seed(&[3; 32]);
        let mut builder = http::Request::post("https://local.example/inbox?a=1");
        let mut extra = Vec::new();
        for i in 0..36 {
            builder = builder.header(format!("x-h{i}"), format!("v{i}"));
            extra.push(format!("X-H{i}"));
        }
        let mut req = builder.body(()).unwrap();
        let opts = CavageSignOptions {
            extra_headers: extra,
            ..CavageSignOptions::default()
        };
        sign_cavage(&req, b"{}", &key, "k", 1_764_547_200, &opts)
            .unwrap()
            .apply(&mut req);
        let mut policy = VerifyPolicy::mastodon();
        policy.limits.max_components = 64;
        let v = Verifier::new(policy)
            .verify_request(&req, b"{}", 1_764_547_200, |_: &str| Some(key.public_key()))
            .unwrap();
        assert_eq!(v.covered().len(), 40, "{:?}", v.covered());
        assert_eq!(v.covered()[4], "x-h0");
        assert_eq!(v.covered()[39], "x-h35");
        assert!(v.body_digest_verified());
        // The same list under the default limit (32) is refused before any crypto.
        let e = Verifier::new(VerifyPolicy::mastodon())
            .verify_request(&req, b"{}", 1_764_547_200, |_: &str| Some(key.public_key()))
            .unwrap_err();
        assert_eq!(e.kind(), "limit_exceeded");
    }

    #[test]
    fn authorization_with_multibyte_prefix_does_not_panic() {
        for v in [
            "Signatu\u{e9}\u{e9}x",
            "Signatur\u{e9} keyId=\"a\"",
            "Sig\u{1F600}",
            "é",
            "Signature",
        ] {
            let (mut parts, ()) = http::Request::new(()).into_parts();
            parts
                .headers
                .insert("authorization", http::HeaderValue::from_str(v).unwrap());
            let e = Verifier::new(VerifyPolicy::strict())
                .verify_request(&parts, b"", 0, |_: &str| None::<crate::PublicKey>)
                .unwrap_err();
            assert_eq!(e.kind(), "missing_header", "{v}");
        }
    }
}
