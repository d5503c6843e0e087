//! FEP-8b32 Object Integrity Proofs: sign an ActivityPub object, verify it against its actor.
//!
//! Verification follows FEP-8b32 §Verification and the Controlled Identifiers "Retrieve
//! Verification Method" algorithm:
//! 1. the proof is an `eddsa-jcs-2022` Data Integrity proof with `proofPurpose`
//!    `assertionMethod` ([`UnverifiedProof`]);
//! 2. the object's owner (`actor`, else `attributedTo`, else the origin of `id`) is the actor
//!    whose document is supplied;
//! 3. the verification method is associated with the actor's `assertionMethod` (by value, as
//!    FEP-521a actors do, or by reference), is a `Multikey` whose `controller` is the actor id,
//!    and its document (its URL minus the fragment) is the actor document — or, with
//!    [`PendingObjectProof::verify_with_key_document`], a separate document the caller fetched;
//! 4. the Ed25519 signature verifies.
//!
//! Nothing is fetched: [`PendingObjectProof::key_document_url`] says which URL the caller must
//! dereference when the key does not live in the actor document.
//!
//! When one actor verifies many objects, [`ActorKeys::from_actor`] reads and decodes its keys
//! once and [`PendingObjectProof::verify_with_keys`] verifies each object against them;
//! [`PendingObjectProof::verify_with_actor`] is exactly that with a fresh [`ActorKeys`].

use ed25519_dalek::{SigningKey, VerifyingKey};
use serde_json::Value;

use crate::data_integrity::{
    ASSERTION_METHOD, Cryptosuite, ProofOptions, UnverifiedProof, add_proof,
};
use crate::error::{Error, pointer};

mod actor_keys;

pub use actor_keys::{ActorKeys, MAX_KEYS_PER_ACTOR};
use actor_keys::{document_id, find_by_id, multikey_of};

/// A proof that verified: who signed, with which key, when. Only this module constructs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedProof {
    actor_id: String,
    verification_method: String,
    created: Option<String>,
    cryptosuite: Cryptosuite,
}

impl VerifiedProof {
    /// The actor that controls the key and owns the object.
    pub fn actor_id(&self) -> &str {
        &self.actor_id
    }
    /// The verification method (key id) that signed.
    pub fn verification_method(&self) -> &str {
        &self.verification_method
    }
    /// The proof's `created`, as received (unchecked against any clock).
    pub fn created(&self) -> Option<&str> {
        self.created.as_deref()
    }
    /// The cryptosuite.
    pub fn cryptosuite(&self) -> Cryptosuite {
        self.cryptosuite
    }
}

/// Signs `object` (FEP-8b32 "Generating an integrity proof"): an `eddsa-jcs-2022` proof with
/// purpose `assertionMethod`, `created` as given (an XML Schema dateTime from the caller's
/// clock); returns the object with `proof` added.
///
/// ```
/// use ed25519_dalek::SigningKey;
/// use identity_links::fep8b32::sign_object;
/// let key = SigningKey::from_bytes(&[7; 32]);
/// let note = serde_json::json!({"id": "https://a.example/notes/1", "type": "Note",
///     "attributedTo": "https://a.example/users/alice", "content": "hi"});
/// let signed = sign_object(&note, &key, "https://a.example/users/alice#ed25519-key",
///     "2025-01-01T00:00:00Z").unwrap();
/// assert_eq!(signed["proof"]["cryptosuite"], "eddsa-jcs-2022");
/// ```
pub fn sign_object(
    object: &Value,
    signing_key: &SigningKey,
    verification_method: &str,
    created: &str,
) -> Result<Value, Error> {
    add_proof(
        object,
        signing_key,
        &ProofOptions::assertion(verification_method, created),
    )
}

/// Verifies the integrity proof of `object` against `actor`, the document of the actor that
/// owns the object and holds the key in its `assertionMethod`.
///
/// ```
/// # use ed25519_dalek::SigningKey;
/// # use identity_links::{fep8b32::*, multikey::encode_ed25519_public};
/// let key = SigningKey::from_bytes(&[7; 32]);
/// let actor = serde_json::json!({"id": "https://a.example/users/alice", "type": "Person",
///     "assertionMethod": [{"id": "https://a.example/users/alice#ed25519-key", "type": "Multikey",
///       "controller": "https://a.example/users/alice",
///       "publicKeyMultibase": encode_ed25519_public(&key.verifying_key())}]});
/// let note = serde_json::json!({"id": "https://a.example/notes/1", "type": "Note",
///     "attributedTo": "https://a.example/users/alice", "content": "hi"});
/// let signed = sign_object(&note, &key, "https://a.example/users/alice#ed25519-key",
///     "2025-01-01T00:00:00Z").unwrap();
/// let proof = verify_object(&signed, &actor).unwrap();
/// assert_eq!(proof.actor_id(), "https://a.example/users/alice");
///
/// let mut tampered = signed.clone();
/// tampered["content"] = "bye".into();
/// assert_eq!(verify_object(&tampered, &actor).unwrap_err().kind(), "bad_signature");
/// ```
pub fn verify_object(object: &Value, actor: &Value) -> Result<VerifiedProof, Error> {
    PendingObjectProof::new(object)?.verify_with_actor(actor)
}

/// Who must control the key.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Owner {
    /// `actor` or `attributedTo`: the controller must be exactly this actor.
    Actor(String),
    /// Only an `id`: the controller must be on the same origin.
    Origin(String),
}

/// An object whose proof is well formed and hashed, waiting for the key's documents (sans-IO).
#[derive(Debug, Clone)]
pub struct PendingObjectProof {
    proof: UnverifiedProof,
    owner: Owner,
    key_document_url: String,
}

impl PendingObjectProof {
    /// Reads and hashes the proof of `object`, checks its purpose and finds the object's owner.
    pub fn new(object: &Value) -> Result<Self, Error> {
        let proof = UnverifiedProof::from_secured(object)?;
        proof.require_purpose(ASSERTION_METHOD)?;
        let vm = proof.verification_method();
        let vm_at = pointer(proof.proof_pointer(), "verificationMethod");
        let parsed = url::Url::parse(vm).map_err(|e| Error::InvalidVerificationMethod {
            at: vm_at.clone(),
            reason: format!("not an absolute URL: {e}"),
        })?;
        if !matches!(parsed.scheme(), "https" | "http") {
            // FEP-8b32 allows DID URLs whose document is provably the actor's (FEP-c390, ef61);
            // that association is not implemented here.
            return Err(Error::InvalidVerificationMethod {
                at: vm_at,
                reason: "only http(s) verification methods are resolved for objects".into(),
            });
        }
        let key_document_url = vm.split_once('#').map_or(vm, |(doc, _)| doc).to_owned();
        let owner = owner_of(object)?;
        Ok(PendingObjectProof {
            proof,
            owner,
            key_document_url,
        })
    }

    /// The verification method (key id) named by the proof.
    pub fn verification_method(&self) -> &str {
        self.proof.verification_method()
    }

    /// The URL to dereference for the key: the verification method minus its fragment (CID
    /// "Retrieve Verification Method" step 2). When it is the owner's actor id, the actor
    /// document is enough ([`Self::verify_with_actor`]).
    pub fn key_document_url(&self) -> &str {
        &self.key_document_url
    }

    /// The object's owner as read from it (`actor`, `attributedTo`, or `id`).
    pub fn owner(&self) -> &str {
        match &self.owner {
            Owner::Actor(a) | Owner::Origin(a) => a,
        }
    }

    /// The hashed proof.
    pub fn proof(&self) -> &UnverifiedProof {
        &self.proof
    }

    /// Finishes verification with the actor document, which must also hold the key.
    ///
    /// The same as [`ActorKeys::from_actor`] then [`Self::verify_with_keys`]; when one actor
    /// verifies many objects, prepare its keys once and call that instead.
    pub fn verify_with_actor(&self, actor: &Value) -> Result<VerifiedProof, Error> {
        self.verify_with_keys(&ActorKeys::from_actor(actor)?)
    }

    /// Finishes verification with an actor's prepared keys: the object's owner is the actor,
    /// the verification method is one of the actor's `assertionMethod` keys held in the actor
    /// document itself (CID: the method's URL minus its fragment is the actor id), the key
    /// passed the Multikey and controller rules, and the signature verifies.
    pub fn verify_with_keys(&self, keys: &ActorKeys) -> Result<VerifiedProof, Error> {
        let actor_id = keys.id();
        self.check_owner(actor_id)?;
        let vm = self.proof.verification_method();
        let Some(key) = keys.assertion_key(vm) else {
            return Err(Error::VerificationMethodNotInActor {
                vm: vm.to_owned(),
                document: actor_id.to_owned(),
            });
        };
        if self.key_document_url != actor_id {
            // The actor lists a key that lives elsewhere: CID requires dereferencing it.
            return Err(Error::WrongControllerDocument {
                found: actor_id.to_owned(),
                expected: self.key_document_url.clone(),
            });
        }
        self.finish(key.map_err(Clone::clone)?, actor_id)
    }

    /// Finishes verification when the key lives in its own document (for example
    /// `https://example.com/keys/1`, or another document's fragment): `key_document` is what
    /// [`Self::key_document_url`] dereferenced to, `actor` the owner's actor document, which
    /// must list the key in its `assertionMethod`.
    pub fn verify_with_key_document(
        &self,
        key_document: &Value,
        actor: &Value,
    ) -> Result<VerifiedProof, Error> {
        let (key_map, key_doc_id) = document_id(key_document)?;
        if key_doc_id != self.key_document_url {
            return Err(Error::WrongControllerDocument {
                found: key_doc_id.to_owned(),
                expected: self.key_document_url.clone(),
            });
        }
        let keys = ActorKeys::from_actor(actor)?;
        if key_doc_id == keys.id() {
            return self.verify_with_keys(&keys);
        }
        let actor_id = keys.id();
        self.check_owner(actor_id)?;
        let vm = self.proof.verification_method();
        let (entry, at) = if key_doc_id == vm {
            (key_map, String::new())
        } else {
            find_by_id(key_map, vm).ok_or_else(|| Error::InvalidVerificationMethod {
                at: String::new(),
                reason: format!("{vm} is not in the key document"),
            })?
        };
        // The actor must claim the key for assertions (by reference or by value).
        if !keys.lists(vm) {
            return Err(Error::VerificationMethodNotInActor {
                vm: vm.to_owned(),
                document: actor_id.to_owned(),
            });
        }
        self.finish(&multikey_of(entry, &at, actor_id)?, actor_id)
    }

    fn check_owner(&self, actor_id: &str) -> Result<(), Error> {
        let ok = match &self.owner {
            Owner::Actor(a) => a == actor_id,
            Owner::Origin(id) => same_origin(id, actor_id),
        };
        if ok {
            Ok(())
        } else {
            Err(Error::OwnerMismatch {
                owner: self.owner().to_owned(),
                controller: actor_id.to_owned(),
            })
        }
    }

    fn finish(&self, key: &VerifyingKey, actor_id: &str) -> Result<VerifiedProof, Error> {
        self.proof.verify_signature(key)?;
        Ok(VerifiedProof {
            actor_id: actor_id.to_owned(),
            verification_method: self.proof.verification_method().to_owned(),
            created: self.proof.created().map(str::to_owned),
            cryptosuite: self.proof.cryptosuite(),
        })
    }
}

/// A single id from a reference property: a string, an object with a string `id`, or a
/// one-element array of either.
fn single_id(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        Value::Object(m) => m.get("id").and_then(Value::as_str),
        Value::Array(a) => match a.as_slice() {
            [one] => single_id(one),
            _ => None,
        },
        _ => None,
    }
}

/// The object's owner: `actor` (activities), else `attributedTo` (objects), else its `id`.
fn owner_of(object: &Value) -> Result<Owner, Error> {
    let Value::Object(map) = object else {
        return Err(Error::OwnerUnknown);
    };
    for name in ["actor", "attributedTo"] {
        if let Some(v) = map.get(name) {
            return single_id(v)
                .map(|id| Owner::Actor(id.to_owned()))
                .ok_or(Error::OwnerUnknown);
        }
    }
    match map.get("id") {
        Some(Value::String(id)) => Ok(Owner::Origin(id.clone())),
        _ => Err(Error::OwnerUnknown),
    }
}

fn same_origin(a: &str, b: &str) -> bool {
    match (url::Url::parse(a), url::Url::parse(b)) {
        (Ok(a), Ok(b)) => {
            let o = a.origin();
            o.is_tuple() && o == b.origin()
        }
        _ => false,
    }
}
