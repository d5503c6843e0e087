//! Verifying a signed batch against the servers the caller trusts, before anything is applied.

use std::collections::BTreeMap;

use identity_links::ed25519_dalek::VerifyingKey;
use identity_links::fep8b32::{ActorKeys, PendingObjectProof};
use identity_links::{Error as ProofError, UnverifiedProof};
use serde_json::Value;

use crate::signals::batch::ChangeBatch;
use crate::signals::error::SignalsError;

/// How one trusted exporter's batches are checked.
#[derive(Debug, Clone)]
enum Trust {
    /// The exporter's actor document, its keys read once when it is trusted: the full FEP-8b32
    /// check (the key is in its `assertionMethod`, controlled by the actor, and the actor owns
    /// the batch). `Err`: the document's keys cannot be read (too many); every batch gets it.
    Actor(Result<ActorKeys, ProofError>),
    /// A bare Ed25519 key the caller vouches for: only the signature is checked.
    Key(VerifyingKey),
}

/// The exporters whose batches the caller accepts, by actor id. Sans-IO: the caller supplies
/// the actor documents or keys it obtained and trusts.
#[derive(Debug, Clone, Default)]
pub struct TrustedExporters {
    by_issuer: BTreeMap<String, Trust>,
}

impl TrustedExporters {
    /// Nobody trusted.
    pub fn new() -> Self {
        TrustedExporters::default()
    }

    /// Trusts the actor whose document this is (its `id` is the issuer). Its keys are read and
    /// decoded here, once for every batch it signs.
    pub fn trust_actor(&mut self, actor: Value) -> Result<&mut Self, SignalsError> {
        let id = actor
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| SignalsError::MissingField { at: "/id".into() })?
            .to_owned();
        let keys = ActorKeys::from_actor(&actor);
        self.by_issuer.insert(id, Trust::Actor(keys));
        Ok(self)
    }

    /// Trusts batches attributed to `issuer` signed by `key`.
    pub fn trust_key(&mut self, issuer: &str, key: VerifyingKey) -> &mut Self {
        self.by_issuer.insert(issuer.to_owned(), Trust::Key(key));
        self
    }

    /// Whether `issuer` is trusted.
    pub fn is_trusted(&self, issuer: &str) -> bool {
        self.by_issuer.contains_key(issuer)
    }
}

/// A batch whose proof verified against a trusted exporter. Only [`verify_batch`] makes one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedBatch {
    batch: ChangeBatch,
    verification_method: String,
}

impl VerifiedBatch {
    /// The batch.
    pub fn batch(&self) -> &ChangeBatch {
        &self.batch
    }

    /// The key (verification method) that signed it.
    pub fn verification_method(&self) -> &str {
        &self.verification_method
    }
}

/// Verifies a signed batch document: its issuer (`attributedTo`) must be trusted, its
/// FEP-8b32 `eddsa-jcs-2022` proof must verify with that issuer's key, and then its records
/// must parse, in strictly increasing order, matching the declared range.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use identity_links::ed25519_dalek::SigningKey;
/// use fep7628::signals::*;
/// let now = UNIX_EPOCH + Duration::from_secs(1_764_547_200);
/// let key = SigningKey::from_bytes(&[5; 32]);
/// let mut log = ChangeLog::new();
/// let spam = Entity::domain("spam.example").unwrap();
/// log.supersede(&spam, Change::Recommendation(Guidance::new(RecommendedPolicy::Reject)),
///     None, now, [1; 10]).unwrap();
/// let issuer = "https://mod.example/actor";
/// let signed = ChangeBatch::from_log(&log, issuer, None)
///     .sign(&key, "https://mod.example/actor#main-key", now).unwrap();
///
/// let mut trusted = TrustedExporters::new();
/// trusted.trust_key(issuer, key.verifying_key());
/// let verified = verify_batch(&signed, &trusted).unwrap();
/// let mut view = LocalView::following(issuer);
/// view.apply_batch(&verified).unwrap();
/// assert_eq!(view.state(&spam).unwrap().change_type(), ChangeType::Recommendation);
///
/// let mut tampered = signed.clone();
/// tampered["changes"][0]["recommended_policy"] = "accept".into();
/// assert_eq!(verify_batch(&tampered, &trusted).unwrap_err().kind(), "proof_invalid");
/// ```
pub fn verify_batch(
    document: &Value,
    trusted: &TrustedExporters,
) -> Result<VerifiedBatch, SignalsError> {
    let issuer = document
        .get("attributedTo")
        .and_then(Value::as_str)
        .ok_or_else(|| SignalsError::MissingField {
            at: "/attributedTo".into(),
        })?;
    let trust = trusted
        .by_issuer
        .get(issuer)
        .ok_or_else(|| SignalsError::UntrustedIssuer {
            issuer: crate::signals::error::truncate(issuer),
        })?;
    let verification_method = match trust {
        Trust::Actor(keys) => PendingObjectProof::new(document)
            .and_then(|p| match keys {
                Ok(keys) => p.verify_with_keys(keys),
                Err(e) => Err(e.clone()),
            })
            .map(|v| v.verification_method().to_owned()),
        Trust::Key(key) => UnverifiedProof::from_secured(document).and_then(|p| {
            p.require_purpose("assertionMethod")?;
            p.verify_signature(key)
                .map(|()| p.verification_method().to_owned())
        }),
    }
    .map_err(|e| SignalsError::from_proof(&e))?;
    let batch = ChangeBatch::from_json(document)?;
    Ok(VerifiedBatch {
        batch,
        verification_method,
    })
}
