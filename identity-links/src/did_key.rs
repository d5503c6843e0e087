//! `did:key` for Ed25519 keys (`did:key:z6Mk…`), resolved locally.

use ed25519_dalek::VerifyingKey;

use crate::error::Error;
use crate::multikey::{decode_ed25519_public_at, encode_ed25519_public};

/// The method prefix.
pub const DID_KEY_PREFIX: &str = "did:key:";

/// Longest `did:key` accepted (an Ed25519 one is 56 characters).
pub const MAX_DID_KEY_CHARS: usize = 128;

/// An Ed25519 `did:key`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DidKey {
    did: String,
    key: VerifyingKey,
}

impl DidKey {
    /// Parses a bare `did:key:z6Mk…` DID (no path, query or fragment).
    ///
    /// ```
    /// use identity_links::did_key::DidKey;
    /// let did = DidKey::parse("did:key:z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2").unwrap();
    /// assert_eq!(did.multibase(), "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2");
    /// assert_eq!(DidKey::parse("did:key:zQ3s").unwrap_err().kind(), "invalid_did_key");
    /// ```
    pub fn parse(did: &str) -> Result<Self, Error> {
        Self::parse_at(did, "")
    }

    pub(crate) fn parse_at(did: &str, at: &str) -> Result<Self, Error> {
        let bad = |reason: &str| Error::InvalidDidKey {
            at: at.to_owned(),
            reason: reason.to_owned(),
        };
        if did.len() > MAX_DID_KEY_CHARS {
            return Err(bad("too long"));
        }
        let Some(mb) = did.strip_prefix(DID_KEY_PREFIX) else {
            return Err(bad("does not start with \"did:key:\""));
        };
        if mb.contains(['#', '?', '/', ':']) {
            return Err(bad("a DID URL, not a bare DID"));
        }
        // Ed25519 did:key identifiers are exactly z6Mk + 44 characters.
        if !mb.starts_with("z6Mk") || mb.len() != 48 {
            return Err(bad("not an Ed25519 did:key (z6Mk…, 48 characters)"));
        }
        let key = decode_ed25519_public_at(mb, at).map_err(|e| match e {
            Error::InvalidMultibase { reason, .. } | Error::InvalidKey { reason, .. } => {
                Error::InvalidDidKey {
                    at: at.to_owned(),
                    reason,
                }
            }
            other => other,
        })?;
        Ok(DidKey {
            did: did.to_owned(),
            key,
        })
    }

    /// The `did:key` of an Ed25519 public key.
    pub fn from_verifying_key(key: &VerifyingKey) -> Self {
        DidKey {
            did: format!("{DID_KEY_PREFIX}{}", encode_ed25519_public(key)),
            key: *key,
        }
    }

    /// Resolves a verification method that names a `did:key`: either the bare DID (FEP-c390
    /// text and vector) or the DID URL `did:key:<mb>#<mb>` (what Mitra and the W3C vectors emit).
    /// Any other fragment is an error: a `did:key` document has exactly one verification method.
    pub fn from_verification_method(vm: &str) -> Result<Self, Error> {
        Self::from_verification_method_at(vm, "")
    }

    pub(crate) fn from_verification_method_at(vm: &str, at: &str) -> Result<Self, Error> {
        let (did, fragment) = match vm.split_once('#') {
            Some((did, fragment)) => (did, Some(fragment)),
            None => (vm, None),
        };
        let parsed = Self::parse_at(did, at)?;
        if fragment.is_some_and(|f| f != parsed.multibase()) {
            return Err(Error::InvalidDidKey {
                at: at.to_owned(),
                reason: "fragment does not repeat the key".into(),
            });
        }
        Ok(parsed)
    }

    /// The DID, `did:key:z6Mk…`.
    pub fn as_str(&self) -> &str {
        &self.did
    }

    /// The multibase part, `z6Mk…`.
    pub fn multibase(&self) -> &str {
        self.did.get(DID_KEY_PREFIX.len()..).unwrap_or_default()
    }

    /// The public key.
    pub fn verifying_key(&self) -> &VerifyingKey {
        &self.key
    }

    /// The DID URL of its one verification method, `did:key:<mb>#<mb>`.
    pub fn verification_method_id(&self) -> String {
        format!("{}#{}", self.did, self.multibase())
    }
}

impl std::fmt::Display for DidKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.did)
    }
}
