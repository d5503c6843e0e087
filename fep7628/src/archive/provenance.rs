//! Provenance of an imported post: does a FEP-8b32 proof by the origin actor's key verify?
//!
//! The proof is looked for on the outbox item (the `Create`, whose signature covers the
//! embedded post) and, when the item has none, on the embedded object. The key is the origin
//! actor's (`actor.json`): an `assertionMethod` Multikey checked by
//! [`identity_links::PendingObjectProof::verify_with_actor`] (controller, owner and CID rules),
//! or its `publicKey` when that holds an Ed25519 key (PEM or `publicKeyMultibase`) owned by the
//! actor. A proof naming any other key, or made for an object owned by another actor, is
//! `invalid`.

use identity_links::ed25519_dalek::VerifyingKey;
use identity_links::ed25519_dalek::pkcs8::DecodePublicKey as _;
use identity_links::{ActorKeys, PendingObjectProof};
use serde::Serialize;
use serde_json::Value;

use super::error::ArchiveError;

/// A post's provenance status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// A FEP-8b32 proof by the origin actor's key verifies.
    Verified,
    /// No proof (or no actor document to check one against).
    Unverified,
    /// A proof is there and does not verify, or names another key or actor.
    Invalid,
}

impl Provenance {
    /// `verified`, `unverified`, `invalid`.
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Verified => "verified",
            Provenance::Unverified => "unverified",
            Provenance::Invalid => "invalid",
        }
    }
}

/// The outcome for one post, with why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvenanceCheck {
    /// The status.
    pub status: Provenance,
    /// For `verified`, the verification method; otherwise the reason (`no_proof`,
    /// `no_actor_document`, or the identity-links error kind and message).
    pub detail: String,
}

/// The origin actor (`actor.json`), with the keys posts may be signed with.
#[derive(Debug, Clone)]
pub struct OriginActor {
    document: Value,
    id: String,
    followers: Option<String>,
    /// The `assertionMethod` keys, decoded once; or why the document's keys cannot be read
    /// (too many), which every proof then gets.
    keys: Result<ActorKeys, identity_links::Error>,
    legacy_key: Option<(String, Option<VerifyingKey>)>,
}

impl OriginActor {
    /// Reads an actor document: an object with a string `id`.
    pub fn from_document(document: Value) -> Result<OriginActor, ArchiveError> {
        let id = match document.get("id") {
            Some(Value::String(id)) if !id.is_empty() => id.clone(),
            _ if !document.is_object() => {
                return Err(ArchiveError::InvalidActor {
                    at: String::new(),
                    message: "not a JSON object".into(),
                });
            }
            _ => {
                return Err(ArchiveError::InvalidActor {
                    at: "/id".into(),
                    message: "no string id".into(),
                });
            }
        };
        let followers = document
            .get("followers")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let legacy_key = legacy_key(&document, &id);
        let keys = ActorKeys::from_actor(&document);
        Ok(OriginActor {
            document,
            id,
            followers,
            keys,
            legacy_key,
        })
    }

    /// The actor's id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The actor's followers collection, when it names one.
    pub fn followers(&self) -> Option<&str> {
        self.followers.as_deref()
    }

    /// The document as read.
    pub fn document(&self) -> &Value {
        &self.document
    }
}

/// `publicKey` owned by the actor: its id, and the Ed25519 key when it is one.
fn legacy_key(actor: &Value, actor_id: &str) -> Option<(String, Option<VerifyingKey>)> {
    let pk = match actor.get("publicKey")? {
        Value::Array(a) => a.first()?,
        other => other,
    };
    let id = pk.get("id")?.as_str()?;
    if pk.get("owner").and_then(Value::as_str) != Some(actor_id) {
        return None;
    }
    let key = if let Some(pem) = pk.get("publicKeyPem").and_then(Value::as_str) {
        VerifyingKey::from_public_key_pem(pem).ok()
    } else if let Some(mb) = pk.get("publicKeyMultibase").and_then(Value::as_str) {
        identity_links::multikey::decode_ed25519_public(mb).ok()
    } else {
        None
    };
    Some((id.to_owned(), key))
}

/// The provenance of an outbox item against the origin actor (`None`: no actor document).
pub fn check_provenance(item: &Value, origin: Option<&OriginActor>) -> ProvenanceCheck {
    let signed = if item.get("proof").is_some() {
        item
    } else {
        match item.get("object") {
            Some(o @ Value::Object(m)) if m.contains_key("proof") => o,
            _ => {
                return ProvenanceCheck {
                    status: Provenance::Unverified,
                    detail: "no_proof".into(),
                };
            }
        }
    };
    let Some(origin) = origin else {
        return ProvenanceCheck {
            status: Provenance::Unverified,
            detail:
                "no_actor_document: a proof is present but there is no actor to check it against"
                    .into(),
        };
    };
    let invalid = |e: &identity_links::Error| ProvenanceCheck {
        status: Provenance::Invalid,
        detail: format!("{}: {e}", e.kind()),
    };
    let pending = match PendingObjectProof::new(signed) {
        Ok(p) => p,
        Err(e) => return invalid(&e),
    };
    let verified = match &origin.keys {
        Ok(keys) => pending.verify_with_keys(keys),
        Err(e) => Err(e.clone()),
    };
    match verified {
        Ok(v) => ProvenanceCheck {
            status: Provenance::Verified,
            detail: v.verification_method().to_owned(),
        },
        Err(e) => match &origin.legacy_key {
            Some((id, key)) if id == pending.verification_method() => {
                legacy(&pending, key.as_ref(), origin)
            }
            _ => invalid(&e),
        },
    }
}

/// A proof made with the actor's `publicKey`.
fn legacy(
    pending: &PendingObjectProof,
    key: Option<&VerifyingKey>,
    origin: &OriginActor,
) -> ProvenanceCheck {
    let fail = |detail: String| ProvenanceCheck {
        status: Provenance::Invalid,
        detail,
    };
    if pending.owner() != origin.id {
        return fail(format!(
            "owner_mismatch: the object is owned by {} not {}",
            pending.owner(),
            origin.id
        ));
    }
    let Some(key) = key else {
        return fail("unsupported_key_type: the actor's publicKey is not an Ed25519 key".into());
    };
    match pending.proof().verify_signature(key) {
        Ok(()) => ProvenanceCheck {
            status: Provenance::Verified,
            detail: pending.verification_method().to_owned(),
        },
        Err(e) => fail(format!("{}: {e}", e.kind())),
    }
}
