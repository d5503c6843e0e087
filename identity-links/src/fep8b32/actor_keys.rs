//! An actor's assertion keys, read from its document and decoded once ([`ActorKeys`]).
//!
//! Whoever checks many objects of one actor (the posts of an archive, the batches of a trusted
//! exporter) prepares the actor once and verifies each object with
//! [`PendingObjectProof::verify_with_keys`](super::PendingObjectProof::verify_with_keys).
//! [`PendingObjectProof::verify_with_actor`](super::PendingObjectProof::verify_with_actor) is
//! that same path with a fresh `ActorKeys`, so both apply the same rules and give the same
//! errors.

use ed25519_dalek::VerifyingKey;
use serde_json::{Map, Value};

use crate::data_integrity::ASSERTION_METHOD;
use crate::error::{Error, pointer};
use crate::multikey::decode_ed25519_public_at;

/// Most entries read from an `assertionMethod` or `verificationMethod` array; an actor with
/// more is refused ([`Error::LimitExceeded`]).
pub const MAX_KEYS_PER_ACTOR: usize = 64;

/// The verification methods an actor document lists in its `assertionMethod`, each resolved
/// (by value, or by reference into `verificationMethod`) and decoded once, with the FEP-521a /
/// Controlled Identifiers rules of [`PendingObjectProof::verify_with_actor`] applied to each
/// (`type` Multikey, `controller` == the actor id, an Ed25519 `publicKeyMultibase`). An entry
/// that breaks a rule is kept with its error, which a proof naming it gets.
///
/// [`PendingObjectProof::verify_with_actor`]: super::PendingObjectProof::verify_with_actor
///
/// ```
/// use identity_links::ed25519_dalek::SigningKey;
/// use identity_links::multikey::encode_ed25519_public;
/// use identity_links::serde_json::json;
/// use identity_links::{ActorKeys, PendingObjectProof, sign_object};
///
/// let key = SigningKey::from_bytes(&[7; 32]);
/// let actor = json!({"id": "https://a.example/users/alice", "type": "Person",
///     "assertionMethod": [{"id": "https://a.example/users/alice#ed25519-key", "type": "Multikey",
///       "controller": "https://a.example/users/alice",
///       "publicKeyMultibase": encode_ed25519_public(&key.verifying_key())}]});
/// // Read and decode the actor's keys once ...
/// let keys = ActorKeys::from_actor(&actor)?;
/// assert_eq!(keys.id(), "https://a.example/users/alice");
/// assert_eq!(keys.verification_methods().collect::<Vec<_>>(),
///     ["https://a.example/users/alice#ed25519-key"]);
/// // ... then verify each of its objects against them.
/// for n in 1..=3 {
///     let note = json!({"id": format!("https://a.example/notes/{n}"), "type": "Note",
///         "attributedTo": "https://a.example/users/alice", "content": "hi"});
///     let signed = sign_object(&note, &key, "https://a.example/users/alice#ed25519-key",
///         "2025-01-01T00:00:00Z")?;
///     let proof = PendingObjectProof::new(&signed)?.verify_with_keys(&keys)?;
///     assert_eq!(proof.actor_id(), "https://a.example/users/alice");
/// }
/// // A note owned by someone else is refused as with the actor document.
/// let theirs = json!({"id": "https://m.example/notes/1", "type": "Note",
///     "attributedTo": "https://m.example/users/mallory"});
/// let signed = sign_object(&theirs, &key, "https://a.example/users/alice#ed25519-key",
///     "2025-01-01T00:00:00Z")?;
/// let err = PendingObjectProof::new(&signed)?.verify_with_keys(&keys).unwrap_err();
/// assert_eq!(err.kind(), "owner_mismatch");
/// # Ok::<(), identity_links::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActorKeys {
    id: String,
    listed: Vec<Listed>,
}

/// One `assertionMethod` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Listed {
    /// The verification method id (the entry's `id`, or the reference).
    id: String,
    /// The decoded key or why it is unusable; `None` for a reference this document does not
    /// resolve (the key lives in another document).
    key: Option<Result<VerifyingKey, Error>>,
}

impl ActorKeys {
    /// Reads the `assertionMethod` of `actor` (an object with a string `id`): at most
    /// [`MAX_KEYS_PER_ACTOR`] entries there and in `verificationMethod`, each key decoded.
    ///
    /// Errors: the document is not an object or has no string `id`
    /// ([`Error::InvalidVerificationMethod`]), or lists more than [`MAX_KEYS_PER_ACTOR`]
    /// methods ([`Error::LimitExceeded`]). A single unusable key is not an error here; it is
    /// reported when a proof names it.
    pub fn from_actor(actor: &Value) -> Result<ActorKeys, Error> {
        let (doc, id) = document_id(actor)?;
        for name in [ASSERTION_METHOD, "verificationMethod"] {
            if let Some(Value::Array(a)) = doc.get(name)
                && a.len() > MAX_KEYS_PER_ACTOR
            {
                return Err(Error::LimitExceeded {
                    at: format!("/{name}"),
                    what: "verification methods in one actor document",
                    max: MAX_KEYS_PER_ACTOR,
                });
            }
        }
        let mut listed = Vec::new();
        if let Some(methods) = doc.get(ASSERTION_METHOD) {
            for (i, entry) in items(methods).iter().enumerate() {
                let at = if methods.is_array() {
                    format!("/{ASSERTION_METHOD}/{i}")
                } else {
                    format!("/{ASSERTION_METHOD}")
                };
                match entry {
                    Value::Object(m) => {
                        if let Some(vm) = m.get("id").and_then(Value::as_str) {
                            listed.push(Listed {
                                id: vm.to_owned(),
                                key: Some(multikey_of(m, &at, id)),
                            });
                        }
                    }
                    Value::String(reference) => listed.push(Listed {
                        id: reference.clone(),
                        key: find_by_id(doc, reference).map(|(m, at)| multikey_of(m, &at, id)),
                    }),
                    _ => {}
                }
            }
        }
        Ok(ActorKeys {
            id: id.to_owned(),
            listed,
        })
    }

    /// The actor's `id`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The ids of the methods whose key decoded and passed the rules, in document order.
    pub fn verification_methods(&self) -> impl Iterator<Item = &str> {
        self.listed
            .iter()
            .filter(|l| matches!(l.key, Some(Ok(_))))
            .map(|l| l.id.as_str())
    }

    /// The key of `vm` when the actor document holds it (the first entry with that id whose
    /// method this document resolves): `None` when not listed here; `Some(Err)` when listed but
    /// unusable (not a Multikey, another controller, not Ed25519, bad encoding).
    pub(crate) fn assertion_key(&self, vm: &str) -> Option<Result<&VerifyingKey, &Error>> {
        self.listed
            .iter()
            .filter(|l| l.id == vm)
            .find_map(|l| l.key.as_ref())
            .map(Result::as_ref)
    }

    /// Whether `vm` appears in the actor's `assertionMethod` at all (by value or by reference,
    /// resolved here or not).
    pub(crate) fn lists(&self, vm: &str) -> bool {
        self.listed.iter().any(|l| l.id == vm)
    }
}

/// The document as an object and its `id`.
pub(super) fn document_id(doc: &Value) -> Result<(&Map<String, Value>, &str), Error> {
    let Value::Object(map) = doc else {
        return Err(Error::InvalidVerificationMethod {
            at: String::new(),
            reason: "document is not an object".into(),
        });
    };
    match map.get("id") {
        Some(Value::String(id)) => Ok((map, id)),
        _ => Err(Error::InvalidVerificationMethod {
            at: "/id".into(),
            reason: "document has no string id".into(),
        }),
    }
}

fn items(v: &Value) -> &[Value] {
    match v {
        Value::Array(a) => a,
        other => std::slice::from_ref(other),
    }
}

/// The entry with id `vm` in `doc.verificationMethod` or `doc.assertionMethod` (by value),
/// with its JSON Pointer; at most [`MAX_KEYS_PER_ACTOR`] entries of each are looked at.
pub(super) fn find_by_id<'a>(
    doc: &'a Map<String, Value>,
    vm: &str,
) -> Option<(&'a Map<String, Value>, String)> {
    for name in ["verificationMethod", ASSERTION_METHOD] {
        let Some(methods) = doc.get(name) else {
            continue;
        };
        for (i, entry) in items(methods).iter().take(MAX_KEYS_PER_ACTOR).enumerate() {
            if let Value::Object(m) = entry
                && m.get("id").and_then(Value::as_str) == Some(vm)
            {
                let at = if methods.is_array() {
                    format!("/{name}/{i}")
                } else {
                    format!("/{name}")
                };
                return Some((m, at));
            }
        }
    }
    None
}

/// FEP-521a: `type` Multikey (or an array containing it), `controller` == actor id,
/// `publicKeyMultibase` an Ed25519 Multikey.
pub(super) fn multikey_of(
    entry: &Map<String, Value>,
    at: &str,
    actor_id: &str,
) -> Result<VerifyingKey, Error> {
    let is_multikey = entry
        .get("type")
        .is_some_and(|t| items(t).iter().any(|t| t.as_str() == Some("Multikey")));
    if !is_multikey {
        return Err(Error::InvalidVerificationMethod {
            at: pointer(at, "type"),
            reason: "type is not Multikey".into(),
        });
    }
    match entry.get("controller") {
        Some(Value::String(c)) if c == actor_id => {}
        other => {
            return Err(Error::ControllerMismatch {
                at: pointer(at, "controller"),
                found: other.map_or_else(String::new, |v| {
                    v.as_str().map_or_else(|| v.to_string(), str::to_owned)
                }),
                expected: actor_id.to_owned(),
            });
        }
    }
    let mb_at = pointer(at, "publicKeyMultibase");
    match entry.get("publicKeyMultibase") {
        Some(Value::String(mb)) => decode_ed25519_public_at(mb, &mb_at),
        _ => Err(Error::InvalidVerificationMethod {
            at: mb_at,
            reason: "publicKeyMultibase missing or not a string".into(),
        }),
    }
}
