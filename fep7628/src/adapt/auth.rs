//! Verified signatures and proofs → [`Authentication`] and [`OldSideProof`].

use activitystreams_move::Actor;
use http_signatures::VerifiedRequest;
use identity_links::fep8b32::VerifiedProof;
use serde_json::Value;

use super::{AdaptError, actor_facts};
use crate::inbound::{ActorFacts, Authentication, OldSideProof};

/// Where a key id was found in an actor document.
enum KeyEntry<'a> {
    /// `publicKey` (Mastodon), with its PEM.
    Pem(Option<&'a str>),
    /// `assertionMethod` (FEP-521a), with its multibase key.
    Multikey(Option<&'a str>),
}

/// Finds `key_id` among the actor's keys **owned by the actor**: a `publicKey` whose `owner`
/// is the actor's `id`, or an `assertionMethod` Multikey whose `controller` is.
fn owned_key<'a>(actor: &'a Actor, key_id: &str) -> Result<(&'a str, KeyEntry<'a>), AdaptError> {
    let actor_id = actor.id().ok_or(AdaptError::MissingActorId)?;
    if let Some(k) = actor
        .public_keys
        .iter()
        .find(|k| k.id.as_deref() == Some(key_id) && k.owner.single() == Some(actor_id))
    {
        return Ok((actor_id, KeyEntry::Pem(k.public_key_pem.as_deref())));
    }
    if let Some(k) = actor
        .assertion_methods
        .iter()
        .find(|k| k.id.as_deref() == Some(key_id) && k.controller.single() == Some(actor_id))
    {
        return Ok((
            actor_id,
            KeyEntry::Multikey(k.public_key_multibase.as_deref()),
        ));
    }
    Err(AdaptError::KeyNotOwned {
        key_id: crate::error::clip(key_id),
        actor_id: crate::error::clip(actor_id),
    })
}

/// The key `key_id` from the document of the actor that owns it, for
/// [`http_signatures::Verifier::verify_request`]'s resolver: a `publicKey` PEM whose `owner` is
/// the actor, or an `assertionMethod` Multikey whose `controller` is the actor. A key the
/// document lists for another owner is [`AdaptError::KeyNotOwned`].
pub fn verification_key(
    actor: &Actor,
    key_id: &str,
) -> Result<http_signatures::PublicKey, AdaptError> {
    let bad = |reason: &'static str| AdaptError::BadKey {
        key_id: crate::error::clip(key_id),
        reason,
    };
    match owned_key(actor, key_id)?.1 {
        KeyEntry::Pem(Some(pem)) => {
            http_signatures::PublicKey::from_pem(pem).map_err(|e| bad(e.kind()))
        }
        KeyEntry::Multikey(Some(mb)) => {
            http_signatures::PublicKey::from_multikey(mb).map_err(|e| bad(e.kind()))
        }
        KeyEntry::Pem(None) | KeyEntry::Multikey(None) => Err(bad("no_key_material")),
    }
}

/// [`Authentication::HttpSignature`] from a verified request and the document of the key's
/// owner: the signer is the **actor owning the key** (checked in that actor's document), never
/// the key id. The caller then passes it to
/// [`InboundMove::authenticated_by`](crate::inbound::InboundMove::authenticated_by); the
/// pipeline compares it with the Move's `actor`.
pub fn http_signature_authentication(
    verified: &VerifiedRequest,
    key_owner: &Actor,
) -> Result<Authentication, AdaptError> {
    let (actor_id, _) = owned_key(key_owner, verified.key_id())?;
    Ok(Authentication::HttpSignature {
        signer_actor_id: actor_id.to_owned(),
    })
}

/// [`Authentication::IntegrityProof`] from a verified FEP-8b32 proof on the Move: the actor
/// controlling the verification method (identity-links checked it is in that actor's
/// `assertionMethod`). Pass it together with the HTTP signature; the pipeline gives the proof
/// precedence.
pub fn integrity_proof_authentication(proof: &VerifiedProof) -> Authentication {
    Authentication::IntegrityProof {
        verified_actor_id: proof.actor_id().to_owned(),
    }
}

/// [`OldSideProof::OldActorDocument`] from the old actor's parsed document (pull mode): the
/// pipeline accepts it only if the document is the old actor's and names the new one in
/// `alsoKnownAs`, `movedTo` or `copiedTo`.
pub fn old_actor_document(old: &Actor) -> OldSideProof {
    OldSideProof::OldActorDocument(actor_facts(old))
}

/// [`OldSideProof::SharedIdentitySubject`] when both actors' facts carry the same **verified**
/// FEP-c390 subject (see [`verified_identity_dids`](super::verified_identity_dids)).
pub fn shared_identity_subject(old: &ActorFacts, new: &ActorFacts) -> Option<OldSideProof> {
    old.shared_identity(new)
        .map(|did| OldSideProof::SharedIdentitySubject {
            did: did.to_owned(),
        })
}

/// [`OldSideProof::IntegrityProof`] when a FEP-8b32 proof verified with a key of the **old**
/// actor (`proof.actor_id() == old`) covers a document naming `new` in `target`, `object`,
/// `alsoKnownAs`, `movedTo` or `copiedTo` (string, `{"id": …}`, or an array of those).
pub fn old_side_integrity_proof(
    proof: &VerifiedProof,
    signed: &Value,
    old: &str,
    new: &str,
) -> Option<OldSideProof> {
    if proof.actor_id() != old || old == new {
        return None;
    }
    const NAMING: [&str; 5] = ["target", "object", "alsoKnownAs", "movedTo", "copiedTo"];
    let names = |v: &Value| match v {
        Value::String(s) => s == new,
        Value::Object(m) => m.get("id").and_then(Value::as_str) == Some(new),
        _ => false,
    };
    let found = NAMING
        .iter()
        .filter_map(|k| signed.get(*k))
        .any(|v| match v {
            Value::Array(items) => items.iter().take(super::MAX_ALIASES).any(names),
            v => names(v),
        });
    found.then(|| OldSideProof::IntegrityProof {
        verified_actor_id: old.to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use activitystreams_move::ReadOptions;
    use http_signatures::{
        CavageSignOptions, PrivateKey, UnixTime, Verifier, VerifyPolicy, sign_cavage,
    };
    use identity_links::ed25519_dalek::SigningKey;
    use identity_links::multikey::encode_ed25519_public;
    use serde_json::json;

    const OLD: &str = "https://old.example/u/a";
    const NEW: &str = "https://new.example/u/a";

    fn actor_with_key(id: &str, owner: &str, key: &SigningKey) -> Actor {
        let doc = json!({
            "@context": ["https://www.w3.org/ns/activitystreams",
                         "https://w3id.org/security/v1",
                         "https://w3id.org/security/multikey/v1"],
            "id": id, "type": "Person", "inbox": format!("{id}/inbox"),
            "assertionMethod": [{"id": format!("{id}#ed25519-key"), "type": "Multikey",
                "controller": owner,
                "publicKeyMultibase": encode_ed25519_public(&key.verifying_key())}]
        });
        Actor::from_slice(doc.to_string().as_bytes(), &ReadOptions::default()).unwrap()
    }

    fn signed_request(seed: u8, key_id: &str) -> VerifiedRequest {
        let key = PrivateKey::ed25519_from_seed(&[seed; 32]);
        let body = br#"{"type":"Move"}"#;
        let mut req = http::Request::post("https://here.example/inbox")
            .header("content-type", "application/activity+json")
            .body(())
            .unwrap();
        let now = UnixTime(1_764_547_200);
        sign_cavage(&req, body, &key, key_id, now, &CavageSignOptions::default())
            .unwrap()
            .apply(&mut req);
        let (parts, ()) = req.into_parts();
        let public = key.public_key();
        Verifier::new(VerifyPolicy::mastodon())
            .verify_request(&parts, body, now, |_: &str| Some(public.clone()))
            .unwrap()
    }

    #[test]
    fn signer_is_the_key_owner() {
        let key = SigningKey::from_bytes(&[1; 32]);
        let actor = actor_with_key(OLD, OLD, &key);
        let key_id = format!("{OLD}#ed25519-key");
        let public = verification_key(&actor, &key_id).unwrap();
        assert_eq!(public, PrivateKey::ed25519_from_seed(&[1; 32]).public_key());
        let verified = signed_request(1, &key_id);
        assert_eq!(
            http_signature_authentication(&verified, &actor).unwrap(),
            Authentication::HttpSignature {
                signer_actor_id: OLD.into()
            }
        );
    }

    #[test]
    fn key_of_another_owner_or_unknown_key_is_refused() {
        let key = SigningKey::from_bytes(&[1; 32]);
        // The document lists the key, but says someone else controls it.
        let actor = actor_with_key(OLD, "https://evil.example/u/x", &key);
        let key_id = format!("{OLD}#ed25519-key");
        assert_eq!(
            verification_key(&actor, &key_id).unwrap_err().kind(),
            "key_not_owned"
        );
        let verified = signed_request(1, &key_id);
        assert_eq!(
            http_signature_authentication(&verified, &actor)
                .unwrap_err()
                .kind(),
            "key_not_owned"
        );
        // A key id the document does not list at all.
        let actor = actor_with_key(OLD, OLD, &key);
        let verified = signed_request(1, "https://evil.example/u/x#main-key");
        assert!(http_signature_authentication(&verified, &actor).is_err());
    }

    #[test]
    fn unreadable_pem_is_bad_key() {
        let doc = json!({
            "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1"],
            "id": OLD, "type": "Person",
            "publicKey": {"id": format!("{OLD}#main-key"), "owner": OLD,
                "publicKeyPem": "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"}
        });
        let actor = Actor::from_slice(doc.to_string().as_bytes(), &ReadOptions::default()).unwrap();
        let err = verification_key(&actor, &format!("{OLD}#main-key")).unwrap_err();
        assert_eq!(err.kind(), "bad_key");
    }

    #[test]
    fn integrity_proofs() {
        let key = SigningKey::from_bytes(&[2; 32]);
        let old_doc = json!({"id": OLD, "type": "Person",
            "assertionMethod": [{"id": format!("{OLD}#ed25519-key"), "type": "Multikey",
              "controller": OLD, "publicKeyMultibase": encode_ed25519_public(&key.verifying_key())}]});
        let mv = json!({"id": format!("{NEW}/moves/1"), "type": "Move", "actor": NEW,
            "object": OLD, "target": NEW});
        let signed = identity_links::fep8b32::sign_object(
            &mv,
            &key,
            &format!("{OLD}#ed25519-key"),
            "2025-01-01T00:00:00Z",
        )
        .unwrap();
        let proof = identity_links::fep8b32::verify_object(&signed, &old_doc);
        // The Move's actor is NEW, so identity-links binds the proof to NEW and refuses the
        // old actor's key; an old-side proof is made over a document the old actor owns.
        assert!(proof.is_err());

        let statement = json!({"id": format!("{OLD}/links/1"), "type": "Note",
            "attributedTo": OLD, "alsoKnownAs": [NEW]});
        let signed = identity_links::fep8b32::sign_object(
            &statement,
            &key,
            &format!("{OLD}#ed25519-key"),
            "2025-01-01T00:00:00Z",
        )
        .unwrap();
        let proof = identity_links::fep8b32::verify_object(&signed, &old_doc).unwrap();
        assert_eq!(
            integrity_proof_authentication(&proof),
            Authentication::IntegrityProof {
                verified_actor_id: OLD.into()
            }
        );
        assert_eq!(
            old_side_integrity_proof(&proof, &signed, OLD, NEW),
            Some(OldSideProof::IntegrityProof {
                verified_actor_id: OLD.into()
            })
        );
        // Wrong direction, or a document that does not name the new actor.
        assert_eq!(old_side_integrity_proof(&proof, &signed, NEW, OLD), None);
        assert_eq!(
            old_side_integrity_proof(&proof, &signed, OLD, "https://evil.example/u/x"),
            None
        );
    }

    #[test]
    fn old_side_documents_and_shared_subjects() {
        let doc = json!({"@context": "https://www.w3.org/ns/activitystreams",
            "id": OLD, "type": "Person", "alsoKnownAs": [NEW]});
        let old = Actor::from_slice(doc.to_string().as_bytes(), &ReadOptions::default()).unwrap();
        let proof = old_actor_document(&old);
        assert!(proof.links(OLD, &ActorFacts::new(NEW)));
        assert!(!proof.links(OLD, &ActorFacts::new("https://evil.example/u/x")));

        let old = ActorFacts::new(OLD).with_identity_did("did:key:z6Mk1");
        let new = ActorFacts::new(NEW).with_identity_did("did:key:z6Mk1");
        let shared = shared_identity_subject(&old, &new).unwrap();
        assert!(shared.links(OLD, &new));
        assert_eq!(
            shared_identity_subject(
                &old,
                &ActorFacts::new(NEW).with_identity_did("did:key:z6Mk2")
            ),
            None
        );
    }
}
