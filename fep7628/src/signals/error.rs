//! The one error type of the shared-signals module, with a stable [`SignalsError::kind`] and,
//! where the problem is inside a document, the JSON Pointer of the offending value.

/// Everything that can go wrong while building, signing, parsing, verifying or applying FIRES
/// change records.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SignalsError {
    /// The input is not valid strict JSON (I-JSON: duplicate names, lone surrogates, too deep,
    /// too large).
    #[error("invalid JSON: {reason}")]
    InvalidJson {
        /// The parser's explanation.
        reason: String,
    },
    /// A required member is missing.
    #[error("missing member at {at}")]
    MissingField {
        /// JSON Pointer of the missing member.
        at: String,
    },
    /// A member has the wrong JSON type or an invalid value.
    #[error("invalid value at {at}: {reason}")]
    InvalidField {
        /// JSON Pointer of the offending value.
        at: String,
        /// What was wrong.
        reason: String,
    },
    /// A change record's `type` is not one of `advisory`, `recommendation`, `retraction`,
    /// `tombstone`.
    #[error("unknown change record type {found:?} at {at}")]
    UnknownChangeType {
        /// JSON Pointer of the `type` member.
        at: String,
        /// The value found (truncated).
        found: String,
    },
    /// An `entity_kind` this implementation does not know (FIRES defines `Domain`, `Actor`,
    /// `EmailDomain`).
    #[error("unknown entity kind {found:?} at {at}")]
    UnknownEntityKind {
        /// JSON Pointer of the `entity_kind` member.
        at: String,
        /// The value found (truncated).
        found: String,
    },
    /// A `recommended_policy` outside `accept`, `filter`, `reject`, `drop`, `none`.
    #[error("unknown recommended policy {found:?} at {at}")]
    UnknownPolicy {
        /// JSON Pointer of the `recommended_policy` member.
        at: String,
        /// The value found (truncated).
        found: String,
    },
    /// A `change_id` that is not a UUID version 7 in its canonical hyphenated lower-case form.
    #[error("invalid change id at {at}: {reason}")]
    InvalidChangeId {
        /// JSON Pointer of the value (or the argument name).
        at: String,
        /// What was wrong.
        reason: String,
    },
    /// An explicit limit was exceeded.
    #[error("limit exceeded at {at}: {what} (limit {limit})")]
    LimitExceeded {
        /// JSON Pointer of the container or value.
        at: String,
        /// What was counted.
        what: &'static str,
        /// The limit.
        limit: usize,
    },
    /// A change id is not greater than the one before it (within a batch, or relative to what a
    /// consumer already applied): records must come in strictly increasing `change_id` order.
    #[error("change id {found} at {at} is not after {previous}")]
    OutOfOrder {
        /// JSON Pointer of the record's `change_id` (empty when applied one by one).
        at: String,
        /// The id found.
        found: String,
        /// The id it had to follow.
        previous: String,
    },
    /// The same change id twice (within a batch, or one a consumer already applied).
    #[error("duplicate change id {found} at {at}")]
    DuplicateChangeId {
        /// JSON Pointer of the record's `change_id` (empty when applied one by one).
        at: String,
        /// The id.
        found: String,
    },
    /// The batch's declared range (`first_change_id` / `last_change_id`) does not match its
    /// records.
    #[error("batch range mismatch at {at}: {reason}")]
    RangeMismatch {
        /// JSON Pointer of the range member.
        at: String,
        /// What did not match.
        reason: String,
    },
    /// The batch's issuer (`attributedTo`) is not one of the servers the caller trusts.
    #[error("batch issuer {issuer:?} is not trusted")]
    UntrustedIssuer {
        /// The issuer named by the batch.
        issuer: String,
    },
    /// The batch's FEP-8b32 proof did not verify (missing, malformed, wrong key, tampered
    /// document, …); `proof_kind` is identity-links' own code, such as `bad_signature`.
    #[error("batch proof invalid ({proof_kind}) at {at}: {message}")]
    ProofInvalid {
        /// identity-links' [`identity_links::Error::kind`].
        proof_kind: &'static str,
        /// Where: `/proof` (identity-links' message names the exact member).
        at: String,
        /// identity-links' message.
        message: String,
    },
    /// The batch ends at or before the consumer's cursor: everything in it was already applied
    /// (an old batch sent again).
    #[error("batch replayed: it ends at {last:?}, the consumer is already at {cursor}")]
    Replayed {
        /// The batch's `last_change_id` (`None` for an empty batch).
        last: Option<String>,
        /// The consumer's cursor.
        cursor: String,
    },
    /// The batch continues from a change id the consumer has not reached: records in between
    /// are missing.
    #[error("gap: the batch continues after {after:?}, the consumer is at {cursor:?}")]
    Gap {
        /// The batch's `after_change_id`.
        after: Option<String>,
        /// The consumer's cursor.
        cursor: Option<String>,
    },
    /// The batch continues from a change id older than the consumer's cursor but ends after
    /// it: it overlaps records already applied.
    #[error("overlap: the batch continues after {after:?}, the consumer is at {cursor}")]
    Overlap {
        /// The batch's `after_change_id`.
        after: Option<String>,
        /// The consumer's cursor.
        cursor: String,
    },
    /// The batch was issued by another server than the consumer follows.
    #[error("batch issued by {found}, this consumer follows {expected}")]
    IssuerMismatch {
        /// The issuer the consumer follows.
        expected: String,
        /// The batch's issuer.
        found: String,
    },
    /// The change-id generator ran out of ids (the 74 random bits of every millisecond up to
    /// the end of UUIDv7 time were used).
    #[error("change id space exhausted")]
    IdSpaceExhausted,
    /// An audit event (one JSON line) could not be read.
    #[error("invalid audit event on line {line} at {at}: {reason}")]
    InvalidAuditEvent {
        /// 1-based line number.
        line: usize,
        /// JSON Pointer inside the line's object.
        at: String,
        /// What was wrong.
        reason: String,
    },
    /// Signing failed (identity-links refused the key, time or document).
    #[error("signing failed ({proof_kind}): {message}")]
    SigningFailed {
        /// identity-links' code.
        proof_kind: &'static str,
        /// identity-links' message.
        message: String,
    },
}

impl SignalsError {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            SignalsError::InvalidJson { .. } => "invalid_json",
            SignalsError::MissingField { .. } => "missing_field",
            SignalsError::InvalidField { .. } => "invalid_field",
            SignalsError::UnknownChangeType { .. } => "unknown_change_type",
            SignalsError::UnknownEntityKind { .. } => "unknown_entity_kind",
            SignalsError::UnknownPolicy { .. } => "unknown_policy",
            SignalsError::InvalidChangeId { .. } => "invalid_change_id",
            SignalsError::LimitExceeded { .. } => "limit_exceeded",
            SignalsError::OutOfOrder { .. } => "out_of_order",
            SignalsError::DuplicateChangeId { .. } => "duplicate_change_id",
            SignalsError::RangeMismatch { .. } => "range_mismatch",
            SignalsError::UntrustedIssuer { .. } => "untrusted_issuer",
            SignalsError::ProofInvalid { .. } => "proof_invalid",
            SignalsError::Replayed { .. } => "replayed",
            SignalsError::Gap { .. } => "gap",
            SignalsError::Overlap { .. } => "overlap",
            SignalsError::IssuerMismatch { .. } => "issuer_mismatch",
            SignalsError::IdSpaceExhausted => "id_space_exhausted",
            SignalsError::InvalidAuditEvent { .. } => "invalid_audit_event",
            SignalsError::SigningFailed { .. } => "signing_failed",
        }
    }

    /// The JSON Pointer of the problem, where there is one.
    pub fn at(&self) -> Option<&str> {
        match self {
            SignalsError::MissingField { at }
            | SignalsError::InvalidField { at, .. }
            | SignalsError::UnknownChangeType { at, .. }
            | SignalsError::UnknownEntityKind { at, .. }
            | SignalsError::UnknownPolicy { at, .. }
            | SignalsError::InvalidChangeId { at, .. }
            | SignalsError::LimitExceeded { at, .. }
            | SignalsError::OutOfOrder { at, .. }
            | SignalsError::DuplicateChangeId { at, .. }
            | SignalsError::RangeMismatch { at, .. }
            | SignalsError::ProofInvalid { at, .. }
            | SignalsError::InvalidAuditEvent { at, .. } => Some(at),
            _ => None,
        }
    }

    pub(crate) fn invalid(at: impl Into<String>, reason: impl Into<String>) -> Self {
        SignalsError::InvalidField {
            at: at.into(),
            reason: reason.into(),
        }
    }

    pub(crate) fn from_proof(e: &identity_links::Error) -> Self {
        SignalsError::ProofInvalid {
            proof_kind: e.kind(),
            at: "/proof".to_owned(),
            message: e.to_string(),
        }
    }
}

/// At most 64 bytes of `s`, cut on a character boundary (for error messages).
pub(crate) fn truncate(s: &str) -> String {
    let mut end = s.len().min(64);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default().to_owned()
}
