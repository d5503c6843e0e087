//! Verification policy: named profiles (`mastodon()`, `strict()`) and every knob they set.

use crate::algorithm::AlgorithmSet;
use crate::backend::Backend;
use crate::limits::Limits;

/// Which components a signature must cover (spec §5 rule 3). Checked before any crypto.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Coverage {
    /// Mastodon's rules. cavage: `date` or `(created)`; `(request-target)` or `digest`; GET ⇒
    /// `host`; POST or a body ⇒ `digest`. RFC 9421: `@method`, `@target-uri` (or `@authority` +
    /// `@path`/`@request-target`), `content-digest` with a body or POST, `created` parameter.
    Mastodon,
    /// cavage: `(request-target)`, `host`, `date` or `(created)`, and `digest` for POST/PUT/PATCH
    /// or any body. RFC 9421: as [`Coverage::Mastodon`] plus `@query` when the URI has a query
    /// and `@target-uri` is not covered.
    Strict,
    /// No requirement at all. Only for replaying published test vectors (e.g. RFC 9421 B.2.x,
    /// which cover partial sets); never use it for a server.
    TestVectorsOnly,
}

/// Default `headers` list when a cavage signature has no `headers` parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum CavageDefaultHeaders {
    /// Mastodon: `(created)` when `algorithm` is `hs2019` or absent, else `date`
    /// (the pre-hs2019 default that draft-cavage Appendix C.1 relies on).
    Mastodon,
    /// draft-cavage-12 §2.1.6: always `(created)`.
    Created,
    /// Older drafts and early Pleroma: always `date`.
    Date,
}

/// What a verifier accepts. Build one from a profile and adjust its public fields:
///
/// ```
/// use http_signatures::VerifyPolicy;
/// let mut p = VerifyPolicy::strict();
/// p.max_age = 120;
/// p.required_tag = Some("fediverse".into());
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct VerifyPolicy {
    /// Seconds a signature may be old (anchor = `created`, else the covered `Date`).
    pub max_age: i64,
    /// Seconds the anchor may lie in the future (clock skew).
    pub max_future_skew: i64,
    /// When `true`, a covered `expires` replaces the `max_age` bound (Mastodon); the effective
    /// expiry is capped at anchor + `max_lifetime`, and accepted until expiry + `expires_grace`.
    pub expires_extends_age: bool,
    /// Cap on `expires − created` in seconds when `expires_extends_age` is on.
    pub max_lifetime: i64,
    /// Seconds after `expires` still accepted (clock skew).
    pub expires_grace: i64,
    /// Algorithms that may be used (after resolving them from the key).
    pub allowed_algorithms: AlgorithmSet,
    /// Minimum RSA modulus size in bits.
    pub min_rsa_bits: usize,
    /// Size and count limits.
    pub limits: Limits,
    /// Minimum covered components.
    pub coverage: Coverage,
    /// Accept draft-cavage signatures.
    pub accept_cavage: bool,
    /// Accept RFC 9421 signatures.
    pub accept_rfc9421: bool,
    /// Default cavage `headers` list.
    pub cavage_default_headers: CavageDefaultHeaders,
    /// Allow `(created)`/`(expires)` with `algorithm="rsa-sha256"` (forbidden by cavage §2.3).
    pub allow_created_with_legacy_algorithm: bool,
    /// Retry a failed cavage signature with `(request-target)` built without the query
    /// (Mastodon < 4.3, Misskey, Fedify send the path only).
    pub retry_request_target_without_query: bool,
    /// RFC 9421: only signatures with this `tag` are considered.
    pub required_tag: Option<String>,
    /// Crypto backend for RSA and SHA-2.
    pub backend: Backend,
    /// Scheme assumed for `@scheme` / `@target-uri` when the request URI has none.
    pub default_scheme: String,
}

impl VerifyPolicy {
    /// Mastodon parity: window [now − 65 min, now + 65 min] around `created` / `Date`; a covered
    /// `expires` is honoured up to created + 12 h, plus 1 h grace; RSA ≥ 2048 and Ed25519;
    /// `hs2019` and `rsa-sha256`; Mastodon's coverage rules; `(request-target)` retried without
    /// the query.
    pub fn mastodon() -> Self {
        VerifyPolicy {
            max_age: 65 * 60,
            max_future_skew: 65 * 60,
            expires_extends_age: true,
            max_lifetime: 12 * 3600,
            expires_grace: 3600,
            allowed_algorithms: AlgorithmSet::FEDIVERSE,
            min_rsa_bits: 2048,
            limits: Limits::DEFAULT,
            coverage: Coverage::Mastodon,
            accept_cavage: true,
            accept_rfc9421: true,
            cavage_default_headers: CavageDefaultHeaders::Mastodon,
            allow_created_with_legacy_algorithm: false,
            retry_request_target_without_query: true,
            required_tag: None,
            backend: Backend::default(),
            default_scheme: "https".to_owned(),
        }
    }

    /// Strict: window [now − 5 min, now + 1 min], `expires` only shortens it; RSA ≥ 2048 and
    /// Ed25519; strict coverage; no path-only retry.
    pub fn strict() -> Self {
        VerifyPolicy {
            max_age: 5 * 60,
            max_future_skew: 60,
            expires_extends_age: false,
            max_lifetime: 5 * 60,
            expires_grace: 0,
            coverage: Coverage::Strict,
            retry_request_target_without_query: false,
            ..VerifyPolicy::mastodon()
        }
    }

    /// A policy for replaying published vectors: no coverage requirement, every algorithm
    /// compiled in, RSA ≥ 1024, and an effectively unbounded time window. Never for servers.
    pub fn test_vectors() -> Self {
        VerifyPolicy {
            max_age: i64::MAX / 4,
            max_future_skew: i64::MAX / 4,
            expires_extends_age: false,
            min_rsa_bits: 1024,
            allowed_algorithms: AlgorithmSet::ALL,
            coverage: Coverage::TestVectorsOnly,
            retry_request_target_without_query: false,
            ..VerifyPolicy::mastodon()
        }
    }

    /// Same policy with another backend.
    #[must_use]
    pub fn with_backend(mut self, backend: Backend) -> Self {
        self.backend = backend;
        self
    }
}

impl Default for VerifyPolicy {
    /// [`VerifyPolicy::strict`].
    fn default() -> Self {
        VerifyPolicy::strict()
    }
}
