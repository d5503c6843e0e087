//! The evidence attached to a review item: which rules, which documents, which persona links
//! and how each was verified.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::inbound::{Authentication, OldSideProof, VerifiedMove};
use crate::review::ReasonRecord;

/// Most documents, links or reasons kept in one item (hostile input cannot grow an item
/// without bound).
pub const MAX_EVIDENCE_ITEMS: usize = 64;

/// A document the decision was based on, identified by URL and the SHA-256 of the exact bytes
/// fetched, so a moderator can tell whether what they look at now is what was checked.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct DocumentEvidence {
    /// What the document was for (`target`, `origin`, `move`, `follower`, …).
    pub role: String,
    /// The URL it was fetched from.
    pub url: String,
    /// SHA-256 of the body, lower-case hex.
    pub sha256: String,
    /// Size of the body in bytes.
    pub bytes: u64,
}

impl DocumentEvidence {
    /// Hashes `body` as fetched from `url`.
    pub fn new(role: impl Into<String>, url: impl Into<String>, body: &[u8]) -> Self {
        let digest = Sha256::digest(body);
        let mut sha256 = String::with_capacity(64);
        for b in digest {
            sha256.push(char::from(HEX[usize::from(b >> 4)]));
            sha256.push(char::from(HEX[usize::from(b & 0x0f)]));
        }
        DocumentEvidence {
            role: role.into(),
            url: url.into(),
            sha256,
            bytes: u64::try_from(body.len()).unwrap_or(u64::MAX),
        }
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

/// How a link between two identities was verified.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum LinkVerification {
    /// Each account lists the other in `alsoKnownAs` (both documents fetched).
    AliasBothSides,
    /// `from.alsoKnownAs ∋ to` only (one-way claim).
    AlsoKnownAs,
    /// `from.movedTo == to`.
    MovedTo,
    /// `from.copiedTo ∋ to` (FEP-7628).
    CopiedTo,
    /// Both carry verified FEP-c390 identity proofs with this subject.
    FepC390 {
        /// The shared DID.
        did: String,
    },
    /// A FEP-8b32 integrity proof verified with a key of `from`.
    Fep8b32Proof,
    /// An HTTP signature by a key of `from`.
    HttpSignature,
    /// A verified rel=me link to this website.
    RelMe {
        /// The website.
        site: String,
    },
    /// An authenticated `Move` from `from` to `to` was seen.
    MoveSeen,
}

impl LinkVerification {
    /// Stable snake_case code.
    pub fn code(&self) -> &'static str {
        match self {
            LinkVerification::AliasBothSides => "alias_both_sides",
            LinkVerification::AlsoKnownAs => "also_known_as",
            LinkVerification::MovedTo => "moved_to",
            LinkVerification::CopiedTo => "copied_to",
            LinkVerification::FepC390 { .. } => "fep_c390",
            LinkVerification::Fep8b32Proof => "fep_8b32_proof",
            LinkVerification::HttpSignature => "http_signature",
            LinkVerification::RelMe { .. } => "rel_me",
            LinkVerification::MoveSeen => "move_seen",
        }
    }
}

/// A link between two identities (actors or DIDs) and how it was verified.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PersonaLink {
    /// The claimant, or the signer.
    pub from: String,
    /// The other side.
    pub to: String,
    /// How it was verified.
    pub verified_by: LinkVerification,
}

impl PersonaLink {
    /// The link an `identity-links` persona-graph evidence item states.
    pub fn from_persona_evidence(evidence: &identity_links::persona::Evidence) -> Self {
        use identity_links::persona::Evidence as E;
        let (from, to, verified_by) = match evidence {
            E::IdentityProof { actor, did } => (
                actor.to_string(),
                did.to_string(),
                LinkVerification::FepC390 {
                    did: did.to_string(),
                },
            ),
            E::RelMe { actor, site } => (
                actor.to_string(),
                site.to_string(),
                LinkVerification::RelMe {
                    site: site.to_string(),
                },
            ),
            E::AlsoKnownAs { from, to } => (
                from.to_string(),
                to.to_string(),
                LinkVerification::AlsoKnownAs,
            ),
            E::MovedTo { from, to } => {
                (from.to_string(), to.to_string(), LinkVerification::MovedTo)
            }
            E::CopiedTo { from, to } => {
                (from.to_string(), to.to_string(), LinkVerification::CopiedTo)
            }
            E::MoveSeen { from, to } => {
                (from.to_string(), to.to_string(), LinkVerification::MoveSeen)
            }
        };
        PersonaLink {
            from,
            to,
            verified_by,
        }
    }

    /// The link an old-side proof (pull mode) states from `origin` to `target`.
    pub fn from_old_side_proof(proof: &OldSideProof, origin: &str, target: &str) -> Self {
        let verified_by = match proof {
            OldSideProof::SharedIdentitySubject { did } => {
                LinkVerification::FepC390 { did: did.clone() }
            }
            OldSideProof::OldActorDocument(facts) => {
                if facts.aliases(target) {
                    LinkVerification::AlsoKnownAs
                } else if facts.moved_to.as_deref() == Some(target) {
                    LinkVerification::MovedTo
                } else {
                    LinkVerification::CopiedTo
                }
            }
            OldSideProof::IntegrityProof { .. } => LinkVerification::Fep8b32Proof,
        };
        PersonaLink {
            from: origin.to_owned(),
            to: target.to_owned(),
            verified_by,
        }
    }

    /// The links a verified Move establishes between its origin and target: the aliases (one
    /// or both sides), `movedTo`, a shared FEP-c390 subject, and the authentication (FEP-8b32
    /// proof or HTTP signature by the Move's actor).
    pub fn of_verified_move(verified: &VerifiedMove) -> Vec<PersonaLink> {
        let origin = verified.origin();
        let target = verified.target();
        let target_facts = verified.target_facts();
        let origin_facts = verified.origin_facts();
        let link = |from: &str, to: &str, verified_by| PersonaLink {
            from: from.to_owned(),
            to: to.to_owned(),
            verified_by,
        };
        let mut links = Vec::new();
        let target_aliases = target_facts.aliases(origin);
        let origin_aliases = origin_facts.is_some_and(|o| o.aliases(target));
        match (target_aliases, origin_aliases) {
            (true, true) => links.push(link(origin, target, LinkVerification::AliasBothSides)),
            (true, false) => links.push(link(target, origin, LinkVerification::AlsoKnownAs)),
            (false, true) => links.push(link(origin, target, LinkVerification::AlsoKnownAs)),
            (false, false) => {}
        }
        if let Some(o) = origin_facts {
            if o.moved_to.as_deref() == Some(target) {
                links.push(link(origin, target, LinkVerification::MovedTo));
            }
            if let Some(did) = o.shared_identity(target_facts) {
                links.push(link(
                    origin,
                    target,
                    LinkVerification::FepC390 {
                        did: did.to_owned(),
                    },
                ));
            }
        }
        let (signer, how) = match verified.authentication() {
            Authentication::HttpSignature { signer_actor_id } => {
                (signer_actor_id, LinkVerification::HttpSignature)
            }
            Authentication::IntegrityProof { verified_actor_id } => {
                (verified_actor_id, LinkVerification::Fep8b32Proof)
            }
        };
        let other = if signer == origin { target } else { origin };
        links.push(link(signer, other, how));
        links
    }
}

/// Everything a moderator needs to decide on an item.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewEvidence {
    /// Which rules held it (policy reason codes and text).
    pub reasons: Vec<ReasonRecord>,
    /// Which documents, by URL and content hash.
    pub documents: Vec<DocumentEvidence>,
    /// Persona links between the accounts and how each was verified.
    pub links: Vec<PersonaLink>,
}

impl ReviewEvidence {
    /// Builder: add a document (ignored past [`MAX_EVIDENCE_ITEMS`]).
    pub fn with_document(mut self, document: DocumentEvidence) -> Self {
        if self.documents.len() < MAX_EVIDENCE_ITEMS {
            self.documents.push(document);
        }
        self
    }

    /// Builder: add a link (ignored past [`MAX_EVIDENCE_ITEMS`] or when already present).
    pub fn with_link(mut self, link: PersonaLink) -> Self {
        if self.links.len() < MAX_EVIDENCE_ITEMS && !self.links.contains(&link) {
            self.links.push(link);
        }
        self
    }

    pub(crate) fn capped(mut self) -> Self {
        self.reasons.truncate(MAX_EVIDENCE_ITEMS);
        self.documents.truncate(MAX_EVIDENCE_ITEMS);
        self.links.truncate(MAX_EVIDENCE_ITEMS);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_hash_is_sha256_of_the_bytes() {
        let d = DocumentEvidence::new("target", "https://n.example/a", b"abc");
        assert_eq!(
            d.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(d.bytes, 3);
    }
}
