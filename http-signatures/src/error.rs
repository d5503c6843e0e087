//! The crate's single error type.
//!
//! Every parse or policy error names *where* it happened (a header, a parameter or a component
//! identifier) through [`Error::at`]; every cryptographic failure is the single opaque
//! [`Error::BadSignature`] so that a verifier never becomes an oracle.

use std::borrow::Cow;

/// Location text carried by an error: a header name (`signature-input`), a parameter
/// (`signature.keyId`), or a component identifier (`"@query-param";name="Pet"`).
pub type At = Cow<'static, str>;

/// Everything that can go wrong while parsing, checking, signing or verifying.
///
/// Use [`Error::kind`] for a stable, machine-readable snake_case code and [`Error::at`] for the
/// location. The `Display` text is for humans and may change.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// A header the scheme needs is absent (`signature`, `signature-input`, `digest`, …).
    #[error("missing header {at}")]
    MissingHeader {
        /// Lower-case header name.
        at: At,
    },
    /// A header could not be parsed.
    #[error("malformed header {at}: {reason}")]
    MalformedHeader {
        /// Lower-case header name (or `header.parameter`).
        at: At,
        /// What was wrong.
        reason: Cow<'static, str>,
    },
    /// A parameter occurs twice (cavage §2.2, RFC 8941 dictionaries merged across lines).
    #[error("duplicate parameter {at}")]
    DuplicateParameter {
        /// `header.parameter` or a signature label.
        at: At,
    },
    /// A required parameter is absent (`keyId`, `signature`, `created`, …).
    #[error("missing parameter {at}")]
    MissingParameter {
        /// `header.parameter`.
        at: At,
    },
    /// A parameter is present but its value is unusable (not an integer, out of range, …).
    #[error("invalid parameter {at}: {reason}")]
    InvalidParameter {
        /// `header.parameter`.
        at: At,
        /// What was wrong.
        reason: Cow<'static, str>,
    },
    /// A configured size or count limit was exceeded.
    #[error("limit exceeded at {at}: more than {limit}")]
    LimitExceeded {
        /// What was too large (`signature-input`, `components`, `body`, …).
        at: At,
        /// The limit in force.
        limit: usize,
    },
    /// A covered component (header, derived component, dictionary key, query parameter) is absent.
    #[error("missing covered component {at}")]
    MissingComponent {
        /// The component identifier or header name.
        at: At,
    },
    /// A covered component identifier is invalid (unknown derived name, bad parameters,
    /// duplicate, non-ASCII value, `;req` on a request, …).
    #[error("invalid component {at}: {reason}")]
    InvalidComponent {
        /// The component identifier.
        at: At,
        /// What was wrong.
        reason: Cow<'static, str>,
    },
    /// The algorithm named by the message is unknown or not implemented in this build.
    #[error("unsupported algorithm {at}")]
    UnsupportedAlgorithm {
        /// The algorithm name as received.
        at: At,
    },
    /// The algorithm named by the message contradicts the key's type (spec §5 rule 1).
    #[error("algorithm {at} does not match the key")]
    AlgorithmMismatch {
        /// The algorithm name as received (or resolved).
        at: At,
    },
    /// The resolved algorithm is not in the policy's allowed set.
    #[error("algorithm {at} not allowed by policy")]
    AlgorithmNotAllowed {
        /// The resolved algorithm name.
        at: At,
    },
    /// The RSA key is smaller than the policy minimum.
    #[error("RSA key of {bits} bits is below the minimum of {min}")]
    KeyTooSmall {
        /// Key size in bits.
        bits: usize,
        /// Policy minimum in bits.
        min: usize,
    },
    /// A key could not be loaded (bad PEM/DER/Multikey, wrong type, …).
    #[error("invalid key: {reason}")]
    InvalidKey {
        /// What was wrong.
        reason: Cow<'static, str>,
    },
    /// The key resolver did not know the key id.
    #[error("unknown key id {at}")]
    UnknownKey {
        /// The key id as received.
        at: At,
    },
    /// The signature does not cover a component the policy requires (spec §5 rule 3).
    #[error("signature does not cover required component {at}")]
    InsufficientCoverage {
        /// The required component that is missing (e.g. `digest`, `@method`, `host`).
        at: At,
    },
    /// No anchor time: neither `created` nor a covered `Date`.
    #[error("no signed creation time (created parameter or covered date header)")]
    MissingTimestamp,
    /// The signature (or its `Date`) is too old or its `expires` has passed.
    #[error("signature expired ({at})")]
    Expired {
        /// `created`, `expires` or `date`.
        at: At,
    },
    /// The creation time lies too far in the future.
    #[error("signature created in the future ({at})")]
    CreatedInFuture {
        /// `created` or `date`.
        at: At,
    },
    /// `expires` is before `created`.
    #[error("expires is before created")]
    ExpiresBeforeCreated,
    /// The body digest header does not match the body.
    #[error("digest mismatch in {at}")]
    DigestMismatch {
        /// `digest` or `content-digest`.
        at: At,
    },
    /// The digest header lists only weak or unknown algorithms (e.g. `SHA`, `MD5`).
    #[error("no strong digest algorithm in {at}")]
    WeakDigest {
        /// `digest` or `content-digest`.
        at: At,
    },
    /// The body exceeds the policy limit (checked before hashing).
    #[error("body larger than {limit} bytes")]
    BodyTooLarge {
        /// The limit in force.
        limit: usize,
    },
    /// A signature exists, but none matches the selection (key id / tag) or none is labelled
    /// consistently in `Signature` and `Signature-Input`.
    #[error("no matching signature ({at})")]
    NoMatchingSignature {
        /// What was looked for.
        at: At,
    },
    /// Signing failed (key unusable for the requested algorithm, RNG failure, …).
    #[error("signing failed: {reason}")]
    SigningFailed {
        /// What was wrong.
        reason: Cow<'static, str>,
    },
    /// Cryptographic verification failed. Deliberately carries no detail.
    #[error("bad signature")]
    BadSignature,
}

impl Error {
    /// Stable snake_case code for this error, suitable for JSON output and test corpora.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::MissingHeader { .. } => "missing_header",
            Error::MalformedHeader { .. } => "malformed_header",
            Error::DuplicateParameter { .. } => "duplicate_parameter",
            Error::MissingParameter { .. } => "missing_parameter",
            Error::InvalidParameter { .. } => "invalid_parameter",
            Error::LimitExceeded { .. } => "limit_exceeded",
            Error::MissingComponent { .. } => "missing_component",
            Error::InvalidComponent { .. } => "invalid_component",
            Error::UnsupportedAlgorithm { .. } => "unsupported_algorithm",
            Error::AlgorithmMismatch { .. } => "algorithm_mismatch",
            Error::AlgorithmNotAllowed { .. } => "algorithm_not_allowed",
            Error::KeyTooSmall { .. } => "key_too_small",
            Error::InvalidKey { .. } => "invalid_key",
            Error::UnknownKey { .. } => "unknown_key",
            Error::InsufficientCoverage { .. } => "insufficient_coverage",
            Error::MissingTimestamp => "missing_timestamp",
            Error::Expired { .. } => "expired",
            Error::CreatedInFuture { .. } => "created_in_future",
            Error::ExpiresBeforeCreated => "expires_before_created",
            Error::DigestMismatch { .. } => "digest_mismatch",
            Error::WeakDigest { .. } => "weak_digest",
            Error::BodyTooLarge { .. } => "body_too_large",
            Error::NoMatchingSignature { .. } => "no_matching_signature",
            Error::SigningFailed { .. } => "signing_failed",
            Error::BadSignature => "bad_signature",
        }
    }

    /// Where the error happened (header, parameter or component), when it has a location.
    pub fn at(&self) -> Option<&str> {
        match self {
            Error::MissingHeader { at }
            | Error::MalformedHeader { at, .. }
            | Error::DuplicateParameter { at }
            | Error::MissingParameter { at }
            | Error::InvalidParameter { at, .. }
            | Error::LimitExceeded { at, .. }
            | Error::MissingComponent { at }
            | Error::InvalidComponent { at, .. }
            | Error::UnsupportedAlgorithm { at }
            | Error::AlgorithmMismatch { at }
            | Error::AlgorithmNotAllowed { at }
            | Error::UnknownKey { at }
            | Error::InsufficientCoverage { at }
            | Error::Expired { at }
            | Error::CreatedInFuture { at }
            | Error::DigestMismatch { at }
            | Error::WeakDigest { at }
            | Error::NoMatchingSignature { at } => Some(at),
            Error::BodyTooLarge { .. } => Some("body"),
            Error::KeyTooSmall { .. } | Error::InvalidKey { .. } => Some("key"),
            Error::MissingTimestamp => Some("created"),
            Error::ExpiresBeforeCreated => Some("expires"),
            Error::SigningFailed { .. } | Error::BadSignature => None,
        }
    }

    /// Every kind code this version can produce (for corpora and CLI documentation).
    pub const KINDS: &'static [&'static str] = &[
        "missing_header",
        "malformed_header",
        "duplicate_parameter",
        "missing_parameter",
        "invalid_parameter",
        "limit_exceeded",
        "missing_component",
        "invalid_component",
        "unsupported_algorithm",
        "algorithm_mismatch",
        "algorithm_not_allowed",
        "key_too_small",
        "invalid_key",
        "unknown_key",
        "insufficient_coverage",
        "missing_timestamp",
        "expired",
        "created_in_future",
        "expires_before_created",
        "digest_mismatch",
        "weak_digest",
        "body_too_large",
        "no_matching_signature",
        "signing_failed",
        "bad_signature",
    ];

    pub(crate) fn malformed(at: impl Into<At>, reason: impl Into<Cow<'static, str>>) -> Self {
        Error::MalformedHeader {
            at: at.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn invalid_param(at: impl Into<At>, reason: impl Into<Cow<'static, str>>) -> Self {
        Error::InvalidParameter {
            at: at.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn invalid_component(
        at: impl Into<At>,
        reason: impl Into<Cow<'static, str>>,
    ) -> Self {
        Error::InvalidComponent {
            at: at.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn invalid_key(reason: impl Into<Cow<'static, str>>) -> Self {
        Error::InvalidKey {
            reason: reason.into(),
        }
    }

    pub(crate) fn limit(at: impl Into<At>, limit: usize) -> Self {
        Error::LimitExceeded {
            at: at.into(),
            limit,
        }
    }
}

/// Result alias used throughout the crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_listed_and_snake_case() {
        let samples = [
            Error::BadSignature,
            Error::MissingTimestamp,
            Error::ExpiresBeforeCreated,
            Error::KeyTooSmall { bits: 1, min: 2 },
            Error::malformed("signature", "x"),
        ];
        for e in samples {
            assert!(Error::KINDS.contains(&e.kind()));
            assert!(e.kind().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        }
        assert_eq!(Error::BadSignature.at(), None);
        assert_eq!(Error::malformed("digest", "x").at(), Some("digest"));
    }
}
