//! FEP-c390 Identity Proofs: `VerifiableIdentityStatement` attachments linking a DID to an actor.
//!
//! A statement `{"type": "VerifiableIdentityStatement", "subject": <DID>, "alsoKnownAs":
//! <actor id>, "proof": …}` is verified per FEP-c390 §Verification and Data Integrity
//! "Verify Proof": `alsoKnownAs` must be the containing actor's id; the proof is a
//! `DataIntegrityProof` (`eddsa-jcs-2022`, or the legacy `jcs-eddsa-2022`) with purpose
//! `assertionMethod`; its verification method names the subject (the bare DID, as in the FEP,
//! or `did:key:<mb>#<mb>`, as Mitra emits); the subject `did:key` is resolved locally.
//!
//! On an actor, each attachment gets its own outcome: a bad proof discards that proof only.
//! Proof types this crate does not implement (Mitra's EIP-191 and minisign proofs, `did:pkh`)
//! are reported as unsupported ([`Error::is_unsupported`]), not as invalid.

use ed25519_dalek::SigningKey;
use serde_json::{Map, Value};

use crate::data_integrity::{
    ASSERTION_METHOD, Cryptosuite, ProofOptions, UnverifiedProof, create_proof,
};
use crate::did_key::DidKey;
use crate::error::{Error, pointer};

/// The statement `type`.
pub const VERIFIABLE_IDENTITY_STATEMENT: &str = "VerifiableIdentityStatement";

/// Most attachments examined on one actor.
pub const MAX_ATTACHMENTS: usize = 64;

/// How the proof's `verificationMethod` names the subject key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VerificationMethodForm {
    /// The bare DID, `did:key:z6Mk…` (FEP-c390 text and vector).
    #[default]
    BareDid,
    /// The DID URL `did:key:z6Mk…#z6Mk…` (what Mitra emits).
    DidUrl,
}

/// A verified link: the subject DID and the actor are the same entity. Only the verifier
/// constructs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdentityLink {
    subject: String,
    actor_id: String,
    cryptosuite: Cryptosuite,
    created: Option<String>,
}

impl IdentityLink {
    /// The subject DID (`did:key:z6Mk…`).
    pub fn subject(&self) -> &str {
        &self.subject
    }
    /// The actor id (`alsoKnownAs` of the statement).
    pub fn actor_id(&self) -> &str {
        &self.actor_id
    }
    /// The cryptosuite of the proof.
    pub fn cryptosuite(&self) -> Cryptosuite {
        self.cryptosuite
    }
    /// The proof's `created`, as received.
    pub fn created(&self) -> Option<&str> {
        self.created.as_deref()
    }
}

/// The outcome for one `VerifiableIdentityStatement` attachment of an actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttachmentOutcome {
    /// Index in the actor's `attachment` array (0 when `attachment` is a single object).
    pub index: usize,
    /// The link, or why this statement was discarded ([`Error::is_unsupported`] tells an
    /// unimplemented proof type from an invalid one).
    pub result: Result<IdentityLink, Error>,
}

/// Creates the identity proof attachment for `actor_id`, signed by the subject key
/// (FEP-c390 §Generation); `created` is an XML Schema dateTime from the caller's clock.
///
/// ```
/// use ed25519_dalek::SigningKey;
/// use identity_links::fep_c390::*;
/// let key = SigningKey::from_bytes(&[9; 32]);
/// let statement = create_identity_proof("https://a.example/users/alice", &key,
///     "2025-01-01T00:00:00Z", VerificationMethodForm::BareDid).unwrap();
/// let link = verify_identity_statement(&statement, "https://a.example/users/alice").unwrap();
/// assert_eq!(link.subject(), statement["subject"]);
/// ```
pub fn create_identity_proof(
    actor_id: &str,
    subject_key: &SigningKey,
    created: &str,
    form: VerificationMethodForm,
) -> Result<Value, Error> {
    let did = DidKey::from_verifying_key(&subject_key.verifying_key());
    let mut claim = Map::new();
    claim.insert("type".into(), VERIFIABLE_IDENTITY_STATEMENT.into());
    claim.insert("subject".into(), did.as_str().into());
    claim.insert("alsoKnownAs".into(), actor_id.into());
    let mut claim = Value::Object(claim);
    let vm = match form {
        VerificationMethodForm::BareDid => did.as_str().to_owned(),
        VerificationMethodForm::DidUrl => did.verification_method_id(),
    };
    let proof = create_proof(&claim, subject_key, &ProofOptions::assertion(vm, created))?;
    if let Value::Object(map) = &mut claim {
        map.insert("proof".into(), Value::Object(proof));
    }
    Ok(claim)
}

/// Verifies one statement for the actor `actor_id` (FEP-c390 §Verification).
pub fn verify_identity_statement(statement: &Value, actor_id: &str) -> Result<IdentityLink, Error> {
    verify_at(statement, Some(actor_id), "")
}

/// Verifies a statement's proof without the actor check (`alsoKnownAs` is returned as the
/// actor id unchecked). For callers that hold a bare statement; on an actor, use
/// [`verify_actor_identity_proofs`].
pub fn verify_statement_proof(statement: &Value) -> Result<IdentityLink, Error> {
    verify_at(statement, None, "")
}

/// Verifies every `VerifiableIdentityStatement` in `actor.attachment`, one outcome per
/// statement (other attachments, such as `PropertyValue`, are skipped). Fails as a whole only if
/// `actor` is not an object with a string `id`. The caller must already have checked that this
/// `id` is the URL the actor was fetched from (same origin, no redirect to elsewhere): the
/// statements are only as good as that binding.
///
/// ```
/// use identity_links::fep_c390::verify_actor_identity_proofs;
/// let actor = serde_json::json!({"id": "https://a.example/users/alice", "type": "Person",
///     "attachment": [{"type": "VerifiableIdentityStatement", "subject": "did:pkh:eip155:1:0xab",
///       "alsoKnownAs": "https://a.example/users/alice",
///       "proof": {"type": "MitraJcsEip191Signature2022", "proofValue": "0x00"}}]});
/// let outcomes = verify_actor_identity_proofs(&actor).unwrap();
/// assert!(outcomes[0].result.as_ref().unwrap_err().is_unsupported());
/// ```
pub fn verify_actor_identity_proofs(actor: &Value) -> Result<Vec<AttachmentOutcome>, Error> {
    let Some(actor_id) = actor.get("id").and_then(Value::as_str) else {
        return Err(Error::MalformedIdentityStatement {
            at: "/id".into(),
            reason: "actor has no string id".into(),
        });
    };
    let Some(attachment) = actor.get("attachment") else {
        return Ok(Vec::new());
    };
    let (list, is_array) = match attachment {
        Value::Array(a) => (a.as_slice(), true),
        other => (std::slice::from_ref(other), false),
    };
    let mut out = Vec::new();
    for (index, item) in list.iter().enumerate().take(MAX_ATTACHMENTS) {
        let is_statement = item.get("type").is_some_and(|t| match t {
            Value::Array(ts) => ts
                .iter()
                .any(|t| t.as_str() == Some(VERIFIABLE_IDENTITY_STATEMENT)),
            t => t.as_str() == Some(VERIFIABLE_IDENTITY_STATEMENT),
        });
        if !is_statement {
            continue;
        }
        let at = if is_array {
            format!("/attachment/{index}")
        } else {
            "/attachment".to_owned()
        };
        out.push(AttachmentOutcome {
            index,
            result: verify_at(item, Some(actor_id), &at),
        });
    }
    Ok(out)
}

/// The distinct verified subjects of an actor's outcomes (dedupe by subject, FEP-7628 linking).
pub fn verified_links(outcomes: &[AttachmentOutcome]) -> Vec<&IdentityLink> {
    let mut links: Vec<&IdentityLink> = Vec::new();
    for link in outcomes.iter().filter_map(|o| o.result.as_ref().ok()) {
        if !links.iter().any(|l| l.subject == link.subject) {
            links.push(link);
        }
    }
    links
}

fn verify_at(statement: &Value, actor_id: Option<&str>, at: &str) -> Result<IdentityLink, Error> {
    let malformed = |name: &str, reason: &str| Error::MalformedIdentityStatement {
        at: pointer(at, name),
        reason: reason.to_owned(),
    };
    let Value::Object(map) = statement else {
        return Err(malformed("", "not an object"));
    };
    let subject = match map.get("subject") {
        Some(Value::String(s)) if s.starts_with("did:") => s.as_str(),
        _ => return Err(malformed("subject", "subject is not a DID string")),
    };
    let also_known_as = match map.get("alsoKnownAs") {
        Some(Value::String(s)) => s.as_str(),
        _ => return Err(malformed("alsoKnownAs", "alsoKnownAs is not a string")),
    };
    if let Some(actor_id) = actor_id.filter(|id| *id != also_known_as) {
        return Err(Error::AlsoKnownAsMismatch {
            at: pointer(at, "alsoKnownAs"),
            found: also_known_as.to_owned(),
            actor: actor_id.to_owned(),
        });
    }
    let proof = UnverifiedProof::from_secured(statement).map_err(|e| relocate(e, at))?;
    proof
        .require_purpose(ASSERTION_METHOD)
        .map_err(|e| relocate(e, at))?;
    let vm = proof.verification_method();
    let vm_at = format!(
        "{at}{}",
        pointer(proof.proof_pointer(), "verificationMethod")
    );
    let vm_did = vm.split_once('#').map_or(vm, |(did, _)| did);
    if vm_did != subject {
        return Err(Error::SubjectMismatch {
            at: vm_at,
            vm: vm.to_owned(),
            subject: subject.to_owned(),
        });
    }
    if !subject.starts_with(crate::did_key::DID_KEY_PREFIX) {
        return Err(Error::UnsupportedDid {
            at: pointer(at, "subject"),
            did: subject.to_owned(),
        });
    }
    let did = DidKey::from_verification_method_at(vm, &vm_at)?;
    proof.verify_signature(did.verifying_key())?;
    Ok(IdentityLink {
        subject: subject.to_owned(),
        actor_id: also_known_as.to_owned(),
        cryptosuite: proof.cryptosuite(),
        created: proof.created().map(str::to_owned),
    })
}

/// Prefixes the JSON Pointer of a proof error with the attachment's pointer.
fn relocate(e: Error, base: &str) -> Error {
    if base.is_empty() {
        return e;
    }
    let fix = |at: String| format!("{base}{at}");
    match e {
        Error::MissingProof { at } => Error::MissingProof { at: fix(at) },
        Error::MalformedProof { at, reason } => Error::MalformedProof {
            at: fix(at),
            reason,
        },
        Error::UnsupportedProofType { at, found } => {
            Error::UnsupportedProofType { at: fix(at), found }
        }
        Error::UnsupportedCryptosuite { at, found } => {
            Error::UnsupportedCryptosuite { at: fix(at), found }
        }
        Error::ProofPurposeMismatch {
            at,
            found,
            expected,
        } => Error::ProofPurposeMismatch {
            at: fix(at),
            found,
            expected,
        },
        Error::ContextNotPrefix { at } => Error::ContextNotPrefix { at: fix(at) },
        Error::InvalidCreated { at, found } => Error::InvalidCreated { at: fix(at), found },
        Error::InvalidMultibase { at, reason } => Error::InvalidMultibase {
            at: fix(at),
            reason,
        },
        Error::LimitExceeded { at, what, max } => Error::LimitExceeded {
            at: fix(at),
            what,
            max,
        },
        other => other,
    }
}
