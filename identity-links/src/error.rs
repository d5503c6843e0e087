//! The crate's error type.
//!
//! Every variant carries where the problem is: `at` is a JSON Pointer (RFC 6901) into the
//! document that was being read (`/proof/proofValue`, `/assertionMethod/0/controller`,
//! `/attachment/2`), or the empty string for the whole document. [`Error::kind`] returns a stable
//! snake_case code for logs, the CLI and test corpora.
//!
//! Cryptographic failure is a single opaque [`Error::BadSignature`]: it says neither which byte
//! nor which hash differed (no oracle).

/// Error returned by this crate.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The bytes are not JSON, or not I-JSON (RFC 7493): syntax error, lone surrogate,
    /// `NaN`/`Infinity`, a number outside the IEEE-754 double range.
    #[error("invalid JSON at {at:?}: {reason}")]
    InvalidJson {
        /// JSON Pointer (best effort: the innermost container being read), or `line:column`.
        at: String,
        /// What the parser said.
        reason: String,
    },
    /// An object has the same member name twice (I-JSON, RFC 8785 §3.1).
    #[error("duplicate member name {name:?} at {at:?}")]
    DuplicateKey {
        /// JSON Pointer of the object.
        at: String,
        /// The repeated name.
        name: String,
    },
    /// An explicit size limit was exceeded.
    #[error("limit exceeded at {at:?}: {what} (max {max})")]
    LimitExceeded {
        /// JSON Pointer, or empty for the input as a whole.
        at: String,
        /// What was counted.
        what: &'static str,
        /// The limit.
        max: usize,
    },
    /// The value cannot be canonicalised per RFC 8785 (JCS).
    #[error("cannot canonicalise (RFC 8785) at {at:?}: {reason}")]
    Canonicalization {
        /// JSON Pointer.
        at: String,
        /// Why.
        reason: String,
    },
    /// A multibase string is not `z` + base58btc (the only base allowed here), or its payload has
    /// the wrong length.
    #[error("invalid multibase at {at:?}: {reason}")]
    InvalidMultibase {
        /// JSON Pointer of the string.
        at: String,
        /// Why.
        reason: String,
    },
    /// A Multikey carries a multicodec prefix this operation does not accept (for example an RSA
    /// key where Ed25519 is required).
    #[error("unsupported key type at {at:?}: {found}")]
    UnsupportedKeyType {
        /// JSON Pointer of the key.
        at: String,
        /// The multicodec prefix found, in hex, or a description.
        found: String,
    },
    /// A key decodes but is not a valid key of its type (wrong length, not a curve point, bad DER).
    #[error("invalid key at {at:?}: {reason}")]
    InvalidKey {
        /// JSON Pointer of the key.
        at: String,
        /// Why.
        reason: String,
    },
    /// A `did:key` identifier is malformed or not an Ed25519 `did:key`.
    #[error("invalid did:key at {at:?}: {reason}")]
    InvalidDidKey {
        /// JSON Pointer of the identifier.
        at: String,
        /// Why.
        reason: String,
    },
    /// The document carries no `proof`.
    #[error("no proof at {at:?}")]
    MissingProof {
        /// JSON Pointer where `proof` was expected.
        at: String,
    },
    /// The document or the proof is not shaped as Data Integrity requires (not a map, a required
    /// member missing or of the wrong type, several proofs).
    #[error("malformed proof at {at:?}: {reason}")]
    MalformedProof {
        /// JSON Pointer of the offending member.
        at: String,
        /// Why.
        reason: String,
    },
    /// The proof `type` is not `DataIntegrityProof` (e.g. a Mitra EIP-191 or minisign proof).
    #[error("unsupported proof type {found:?} at {at:?}")]
    UnsupportedProofType {
        /// JSON Pointer of `type`.
        at: String,
        /// The type found.
        found: String,
    },
    /// The cryptosuite is not one this crate verifies (`eddsa-jcs-2022`, legacy `jcs-eddsa-2022`).
    #[error("unsupported cryptosuite {found:?} at {at:?}")]
    UnsupportedCryptosuite {
        /// JSON Pointer of `cryptosuite`.
        at: String,
        /// The cryptosuite found.
        found: String,
    },
    /// `proofPurpose` is not the purpose required (`assertionMethod`).
    #[error("proof purpose {found:?} at {at:?}, expected {expected:?}")]
    ProofPurposeMismatch {
        /// JSON Pointer of `proofPurpose`.
        at: String,
        /// The purpose found.
        found: String,
        /// The purpose required.
        expected: &'static str,
    },
    /// `proof.@context` is not a prefix of the document's `@context` (eddsa-jcs-2022 Verify Proof
    /// step 4).
    #[error("proof @context is not a prefix of the document @context at {at:?}")]
    ContextNotPrefix {
        /// JSON Pointer of `proof/@context`.
        at: String,
    },
    /// `created` is not an XML Schema dateTime.
    #[error("invalid created timestamp {found:?} at {at:?}")]
    InvalidCreated {
        /// JSON Pointer of `created`.
        at: String,
        /// The value found.
        found: String,
    },
    /// The signature does not verify. Deliberately says nothing more.
    #[error("bad signature")]
    BadSignature,
    /// The verification method is not listed in the controller document's `assertionMethod`.
    #[error("verification method {vm:?} is not in the assertionMethod of {document:?}")]
    VerificationMethodNotInActor {
        /// The verification method id.
        vm: String,
        /// The id of the document searched.
        document: String,
    },
    /// The verification method entry is not a usable Multikey (missing `id`, `type` not
    /// `Multikey`, no `publicKeyMultibase`).
    #[error("invalid verification method at {at:?}: {reason}")]
    InvalidVerificationMethod {
        /// JSON Pointer of the entry in the controller document.
        at: String,
        /// Why.
        reason: String,
    },
    /// The controller document supplied is not the one the verification method points at
    /// (CID "Retrieve Verification Method": `controllerDocument.id` must equal the VM URL minus
    /// its fragment).
    #[error("controller document {found:?} is not {expected:?}")]
    WrongControllerDocument {
        /// The document's `id`.
        found: String,
        /// The URL the verification method names.
        expected: String,
    },
    /// The verification method's `controller` is not the controller document's `id`.
    #[error("controller {found:?} at {at:?}, expected {expected:?}")]
    ControllerMismatch {
        /// JSON Pointer of `controller`.
        at: String,
        /// The controller found.
        found: String,
        /// The controller required.
        expected: String,
    },
    /// The signed object is owned (its `actor`, `attributedTo`, or `id` origin) by someone other
    /// than the key's controller (FEP-8b32).
    #[error("object owner {owner:?} is not the key controller {controller:?}")]
    OwnerMismatch {
        /// Who owns the object.
        owner: String,
        /// Who controls the key.
        controller: String,
    },
    /// The object names no owner (`actor`, `attributedTo` or `id`), so nobody can be checked.
    #[error("object has no owner (actor, attributedTo or id)")]
    OwnerUnknown,
    /// FEP-c390: the attachment is not a well-formed `VerifiableIdentityStatement`.
    #[error("malformed identity statement at {at:?}: {reason}")]
    MalformedIdentityStatement {
        /// JSON Pointer of the attachment member.
        at: String,
        /// Why.
        reason: String,
    },
    /// FEP-c390: the statement's `alsoKnownAs` is not the containing actor's id.
    #[error("alsoKnownAs {found:?} at {at:?} is not the actor id {actor:?}")]
    AlsoKnownAsMismatch {
        /// JSON Pointer of `alsoKnownAs`.
        at: String,
        /// The value found.
        found: String,
        /// The actor id.
        actor: String,
    },
    /// FEP-c390: the proof's verification method is not the statement's `subject`.
    #[error("verification method {vm:?} at {at:?} does not name the subject {subject:?}")]
    SubjectMismatch {
        /// JSON Pointer of `proof/verificationMethod`.
        at: String,
        /// The verification method.
        vm: String,
        /// The subject DID.
        subject: String,
    },
    /// FEP-c390: the subject DID uses a method this crate cannot resolve (e.g. `did:pkh`).
    #[error("unsupported DID method {did:?} at {at:?}")]
    UnsupportedDid {
        /// JSON Pointer of `subject`.
        at: String,
        /// The DID.
        did: String,
    },
}

impl Error {
    /// Stable snake_case code of the error, for logs, the CLI's JSON output and test corpora.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidJson { .. } => "invalid_json",
            Error::DuplicateKey { .. } => "duplicate_key",
            Error::LimitExceeded { .. } => "limit_exceeded",
            Error::Canonicalization { .. } => "canonicalization",
            Error::InvalidMultibase { .. } => "invalid_multibase",
            Error::UnsupportedKeyType { .. } => "unsupported_key_type",
            Error::InvalidKey { .. } => "invalid_key",
            Error::InvalidDidKey { .. } => "invalid_did_key",
            Error::MissingProof { .. } => "missing_proof",
            Error::MalformedProof { .. } => "malformed_proof",
            Error::UnsupportedProofType { .. } => "unsupported_proof_type",
            Error::UnsupportedCryptosuite { .. } => "unsupported_cryptosuite",
            Error::ProofPurposeMismatch { .. } => "proof_purpose_mismatch",
            Error::ContextNotPrefix { .. } => "context_not_prefix",
            Error::InvalidCreated { .. } => "invalid_created",
            Error::BadSignature => "bad_signature",
            Error::VerificationMethodNotInActor { .. } => "verification_method_not_in_actor",
            Error::InvalidVerificationMethod { .. } => "invalid_verification_method",
            Error::WrongControllerDocument { .. } => "wrong_controller_document",
            Error::ControllerMismatch { .. } => "controller_mismatch",
            Error::OwnerMismatch { .. } => "owner_mismatch",
            Error::OwnerUnknown => "owner_unknown",
            Error::MalformedIdentityStatement { .. } => "malformed_identity_statement",
            Error::AlsoKnownAsMismatch { .. } => "also_known_as_mismatch",
            Error::SubjectMismatch { .. } => "subject_mismatch",
            Error::UnsupportedDid { .. } => "unsupported_did",
        }
    }

    /// `true` when the input uses something this crate does not implement (a proof type, a
    /// cryptosuite, a DID method, a key type) rather than something that is wrong.
    pub fn is_unsupported(&self) -> bool {
        matches!(
            self,
            Error::UnsupportedProofType { .. }
                | Error::UnsupportedCryptosuite { .. }
                | Error::UnsupportedKeyType { .. }
                | Error::UnsupportedDid { .. }
        )
    }
}

/// Appends `token` to the JSON Pointer `base`, escaping `~` and `/` (RFC 6901 §4).
pub(crate) fn pointer(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    for ch in token.chars() {
        match ch {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}
