//! Data Integrity proofs with the `eddsa-jcs-2022` cryptosuite (W3C vc-di-eddsa, REC 2025-05-15).
//!
//! Exactly the spec's algorithms:
//! - **Create** (§3.3.1 "Create Proof"): proof = options; `proof.@context` = document `@context`
//!   when present; `hashData` = SHA-256(JCS(proof config)) ‖ SHA-256(JCS(document)) — the proof
//!   configuration hash **first**; `proofValue` = `z` + base58btc(Ed25519 signature).
//! - **Verify** (§3.3.2 "Verify Proof"): the document minus `proof` (and minus a Linked Data
//!   `signature`, which FEP-8b32 says is added after the proof and removed before verifying);
//!   the proof options = `proof` minus `proofValue`, **as received** (every member, unknown ones
//!   too, never rebuilt from parsed fields); if the options carry `@context`, the document's
//!   `@context` must start with it, and it replaces the document's; Ed25519 `verify_strict`.
//!
//! The legacy cryptosuite name `jcs-eddsa-2022` (FEP-c390 proofs from 2023, still accepted by
//! Mitra) is verified with the same procedure; it is never produced.

use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use crate::error::{Error, pointer};
use crate::jcs::{ObjectView, to_canonical};
use crate::multibase::{decode_exact, encode_base58btc};

/// `type` of every proof this module creates or verifies.
pub const DATA_INTEGRITY_PROOF: &str = "DataIntegrityProof";
/// The proof purpose FEP-8b32 and FEP-c390 require.
pub const ASSERTION_METHOD: &str = "assertionMethod";

/// Most members a proof object may have.
pub const MAX_PROOF_MEMBERS: usize = 32;

/// A cryptosuite this crate verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Cryptosuite {
    /// `eddsa-jcs-2022` (W3C Recommendation).
    EddsaJcs2022,
    /// `jcs-eddsa-2022`, the 2023 draft name (verify only).
    JcsEddsa2022Legacy,
}

impl Cryptosuite {
    /// The `cryptosuite` string.
    pub fn as_str(self) -> &'static str {
        match self {
            Cryptosuite::EddsaJcs2022 => "eddsa-jcs-2022",
            Cryptosuite::JcsEddsa2022Legacy => "jcs-eddsa-2022",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        match name {
            "eddsa-jcs-2022" => Some(Cryptosuite::EddsaJcs2022),
            "jcs-eddsa-2022" => Some(Cryptosuite::JcsEddsa2022Legacy),
            _ => None,
        }
    }
}

/// Options of a proof to create.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProofOptions {
    /// `verificationMethod`: the key's id (a URL or DID URL) or a bare `did:key`.
    pub verification_method: String,
    /// `proofPurpose`, normally [`ASSERTION_METHOD`].
    pub proof_purpose: String,
    /// `created`, an XML Schema dateTime such as `2023-02-24T23:36:38Z` (the caller's clock).
    pub created: Option<String>,
}

impl ProofOptions {
    /// Options for an `assertionMethod` proof by `verification_method`, created at `created`.
    pub fn assertion(verification_method: impl Into<String>, created: impl Into<String>) -> Self {
        ProofOptions {
            verification_method: verification_method.into(),
            proof_purpose: ASSERTION_METHOD.to_owned(),
            created: Some(created.into()),
        }
    }
}

/// Creates an `eddsa-jcs-2022` proof for `document` (eddsa-jcs-2022 "Create Proof") and returns
/// the proof object, `proofValue` included. `document` must be a JSON object; a `proof` member
/// already present is signed over like any other member.
pub fn create_proof(
    document: &Value,
    key: &SigningKey,
    options: &ProofOptions,
) -> Result<Map<String, Value>, Error> {
    let Value::Object(doc) = document else {
        return Err(Error::MalformedProof {
            at: String::new(),
            reason: "document is not an object".into(),
        });
    };
    let mut proof = Map::new();
    proof.insert("type".into(), DATA_INTEGRITY_PROOF.into());
    proof.insert(
        "cryptosuite".into(),
        Cryptosuite::EddsaJcs2022.as_str().into(),
    );
    if let Some(created) = &options.created {
        if !is_xml_datetime(created) {
            return Err(Error::InvalidCreated {
                at: "/proof/created".into(),
                found: created.clone(),
            });
        }
        proof.insert("created".into(), created.as_str().into());
    }
    proof.insert(
        "verificationMethod".into(),
        options.verification_method.as_str().into(),
    );
    proof.insert("proofPurpose".into(), options.proof_purpose.as_str().into());
    // Create Proof step 2: "strongly advised to always implement".
    if let Some(context) = doc.get("@context") {
        proof.insert("@context".into(), context.clone());
    }
    let canonical_config = to_canonical(&proof)?;
    let canonical_document = to_canonical(&ObjectView {
        map: doc,
        skip: &[],
        context: None,
    })?;
    let hash_data = hash_data(&canonical_config, &canonical_document);
    let signature = key.sign(&hash_data);
    proof.insert(
        "proofValue".into(),
        encode_base58btc(&signature.to_bytes()).into(),
    );
    Ok(proof)
}

/// [`create_proof`], then returns a copy of `document` with the proof under `proof`.
pub fn add_proof(
    document: &Value,
    key: &SigningKey,
    options: &ProofOptions,
) -> Result<Value, Error> {
    let proof = create_proof(document, key, options)?;
    let mut secured = document.clone();
    if let Value::Object(map) = &mut secured {
        map.insert("proof".into(), Value::Object(proof));
    }
    Ok(secured)
}

/// `proofConfigHash ‖ transformedDocumentHash` (eddsa-jcs-2022 "Hashing", 64 bytes).
pub fn hash_data(canonical_proof_config: &[u8], canonical_document: &[u8]) -> [u8; 64] {
    let mut out = [0u8; 64];
    let (first, second) = out.split_at_mut(32);
    first.copy_from_slice(&Sha256::digest(canonical_proof_config));
    second.copy_from_slice(&Sha256::digest(canonical_document));
    out
}

/// A proof that is well formed and hashed, awaiting its key: the result of the transformation,
/// proof configuration and hashing steps of "Verify Proof", before "Proof Verification".
#[derive(Debug, Clone)]
pub struct UnverifiedProof {
    cryptosuite: Cryptosuite,
    verification_method: String,
    proof_purpose: String,
    created: Option<String>,
    proof_at: String,
    signature: Signature,
    canonical_document: Vec<u8>,
    canonical_proof_config: Vec<u8>,
    hash_data: [u8; 64],
}

impl UnverifiedProof {
    /// Reads the `proof` of `secured` and computes everything but the signature check.
    ///
    /// Errors: [`Error::MalformedProof`] (document or proof not an object, `proof` an array of
    /// more than one, required member missing), [`Error::MissingProof`],
    /// [`Error::UnsupportedProofType`], [`Error::UnsupportedCryptosuite`],
    /// [`Error::InvalidMultibase`] (`proofValue` not `z` + base58btc of 64 bytes),
    /// [`Error::InvalidCreated`], [`Error::ContextNotPrefix`].
    pub fn from_secured(secured: &Value) -> Result<Self, Error> {
        let Value::Object(doc) = secured else {
            return Err(Error::MalformedProof {
                at: String::new(),
                reason: "document is not an object".into(),
            });
        };
        let (proof, proof_at) = match doc.get("proof") {
            None => {
                return Err(Error::MissingProof {
                    at: "/proof".into(),
                });
            }
            Some(Value::Object(p)) => (p, "/proof".to_owned()),
            // DI allows proof sets; FEP-8b32: "SHOULD NOT contain more than one integrity proof".
            Some(Value::Array(items)) => match items.as_slice() {
                [Value::Object(p)] => (p, "/proof/0".to_owned()),
                [] => {
                    return Err(Error::MissingProof {
                        at: "/proof".into(),
                    });
                }
                _ => {
                    return Err(Error::MalformedProof {
                        at: "/proof".into(),
                        reason: "proof sets (more than one proof) are not supported".into(),
                    });
                }
            },
            Some(_) => {
                return Err(Error::MalformedProof {
                    at: "/proof".into(),
                    reason: "proof is not an object".into(),
                });
            }
        };
        if proof.len() > MAX_PROOF_MEMBERS {
            return Err(Error::LimitExceeded {
                at: proof_at,
                what: "proof members",
                max: MAX_PROOF_MEMBERS,
            });
        }
        let string = |name: &str| -> Result<&str, Error> {
            match proof.get(name) {
                Some(Value::String(s)) => Ok(s),
                Some(_) => Err(Error::MalformedProof {
                    at: pointer(&proof_at, name),
                    reason: format!("{name} is not a string"),
                }),
                None => Err(Error::MalformedProof {
                    at: pointer(&proof_at, name),
                    reason: format!("{name} is missing"),
                }),
            }
        };
        let proof_type = string("type")?;
        if proof_type != DATA_INTEGRITY_PROOF {
            return Err(Error::UnsupportedProofType {
                at: pointer(&proof_at, "type"),
                found: proof_type.to_owned(),
            });
        }
        let suite_name = string("cryptosuite")?;
        let cryptosuite =
            Cryptosuite::from_name(suite_name).ok_or_else(|| Error::UnsupportedCryptosuite {
                at: pointer(&proof_at, "cryptosuite"),
                found: suite_name.to_owned(),
            })?;
        let verification_method = string("verificationMethod")?.to_owned();
        let proof_purpose = string("proofPurpose")?.to_owned();
        let created = match proof.get("created") {
            None => None,
            Some(Value::String(c)) if is_xml_datetime(c) => Some(c.clone()),
            Some(other) => {
                return Err(Error::InvalidCreated {
                    at: pointer(&proof_at, "created"),
                    found: other.to_string(),
                });
            }
        };
        let proof_value_at = pointer(&proof_at, "proofValue");
        let signature =
            Signature::from_bytes(&decode_exact::<64>(string("proofValue")?, &proof_value_at)?);

        // Verify Proof step 4: the proof's @context must be a prefix of the document's, and
        // then replaces it.
        let context = proof.get("@context");
        if let Some(proof_context) = context {
            let doc_context = doc.get("@context").unwrap_or(&Value::Null);
            if !is_prefix(proof_context, doc_context) {
                return Err(Error::ContextNotPrefix {
                    at: pointer(&proof_at, "@context"),
                });
            }
        }
        // FEP-8b32: an LD `signature` (an object) is removed before verifying the proof.
        let skip: &[&str] = if matches!(doc.get("signature"), Some(Value::Object(_))) {
            &["proof", "signature"]
        } else {
            &["proof"]
        };
        let canonical_document = to_canonical(&ObjectView {
            map: doc,
            skip,
            context,
        })?;
        let canonical_proof_config = to_canonical(&ObjectView {
            map: proof,
            skip: &["proofValue"],
            context: None,
        })?;
        let hash_data = hash_data(&canonical_proof_config, &canonical_document);
        Ok(UnverifiedProof {
            cryptosuite,
            verification_method,
            proof_purpose,
            created,
            proof_at,
            signature,
            canonical_document,
            canonical_proof_config,
            hash_data,
        })
    }

    /// Checks the Ed25519 signature with `key` (`verify_strict`: rejects small-order keys and
    /// non-canonical signatures). Failure is the opaque [`Error::BadSignature`].
    pub fn verify_signature(&self, key: &VerifyingKey) -> Result<(), Error> {
        key.verify_strict(&self.hash_data, &self.signature)
            .map_err(|_| Error::BadSignature)
    }

    /// Fails with [`Error::ProofPurposeMismatch`] unless `proofPurpose` is `expected`.
    pub fn require_purpose(&self, expected: &'static str) -> Result<(), Error> {
        if self.proof_purpose == expected {
            Ok(())
        } else {
            Err(Error::ProofPurposeMismatch {
                at: pointer(&self.proof_at, "proofPurpose"),
                found: self.proof_purpose.clone(),
                expected,
            })
        }
    }

    /// The cryptosuite named by the proof.
    pub fn cryptosuite(&self) -> Cryptosuite {
        self.cryptosuite
    }
    /// `verificationMethod`, as received.
    pub fn verification_method(&self) -> &str {
        &self.verification_method
    }
    /// `proofPurpose`, as received.
    pub fn proof_purpose(&self) -> &str {
        &self.proof_purpose
    }
    /// `created`, as received.
    pub fn created(&self) -> Option<&str> {
        self.created.as_deref()
    }
    /// JSON Pointer of the proof object (`/proof`, or `/proof/0` for a one-element array).
    pub fn proof_pointer(&self) -> &str {
        &self.proof_at
    }
    /// JCS of the document as hashed (minus `proof`, `@context` replaced if the proof had one).
    pub fn canonical_document(&self) -> &[u8] {
        &self.canonical_document
    }
    /// JCS of the proof configuration (the proof minus `proofValue`).
    pub fn canonical_proof_config(&self) -> &[u8] {
        &self.canonical_proof_config
    }
    /// The 64 bytes signed: SHA-256(proof config) ‖ SHA-256(document).
    pub fn hash_data(&self) -> &[u8; 64] {
        &self.hash_data
    }
    /// The signature bytes from `proofValue`.
    pub fn signature(&self) -> [u8; 64] {
        self.signature.to_bytes()
    }
}

/// `true` if the document context "starts with all values contained in the proof
/// options' @context in the same order" (a single value counts as a one-element list).
fn is_prefix(proof_context: &Value, doc_context: &Value) -> bool {
    fn items(v: &Value) -> &[Value] {
        match v {
            Value::Array(items) => items,
            Value::Null => &[],
            other => std::slice::from_ref(other),
        }
    }
    let p = items(proof_context);
    !p.is_empty() && items(doc_context).starts_with(p)
}

/// XML Schema 1.1 dateTime: `YYYY-MM-DDThh:mm:ss(.s+)?(Z|(+|-)hh:mm)?`, fields in range.
pub(crate) fn is_xml_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = b.get(r)?;
        if part.iter().all(u8::is_ascii_digit) {
            Some(part.iter().fold(0, |acc, d| acc * 10 + u32::from(d - b'0')))
        } else {
            None
        }
    };
    let sep = |i: usize, c: u8| b.get(i) == Some(&c);
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        digits(0..4),
        digits(5..7),
        digits(8..10),
        digits(11..13),
        digits(14..16),
        digits(17..19),
    ) else {
        return false;
    };
    if !(sep(4, b'-') && sep(7, b'-') && sep(10, b'T') && sep(13, b':') && sep(16, b':')) {
        return false;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days_in_month = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    // XML Schema allows 24:00:00 only as the end of a day; no leap seconds.
    let end_of_day = hour == 24 && minute == 0 && second == 0;
    if !(1..=days_in_month).contains(&day)
        || (hour > 23 && !end_of_day)
        || minute > 59
        || second > 59
    {
        return false;
    }
    let mut rest = b.get(19..).unwrap_or_default();
    if let Some((b'.', frac)) = rest.split_first() {
        let n = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = frac.get(n..).unwrap_or_default();
    }
    match rest {
        [] | [b'Z'] => true,
        [sign, h1, h2, b':', m1, m2] if (*sign == b'+' || *sign == b'-') => {
            [h1, h2, m1, m2].iter().all(|c| c.is_ascii_digit())
                && (h1 - b'0') * 10 + (h2 - b'0') <= 14
                && (m1 - b'0') * 10 + (m2 - b'0') <= 59
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::is_xml_datetime;

    #[test]
    fn datetimes() {
        for ok in [
            "2023-02-24T23:36:38Z",
            "2023-02-24T23:36:38.123Z",
            "2023-02-24T23:36:38+01:00",
            "2023-02-24T23:36:38",
            "2024-02-29T24:00:00Z",
        ] {
            assert!(is_xml_datetime(ok), "{ok}");
        }
        for bad in [
            "",
            "2023-02-24",
            "2023-13-24T23:36:38Z",
            "2023-02-24T23:36:38.Z",
            "2023-02-24 23:36:38Z",
            "2023-02-24T23:36:38+1:00",
            "2023-02-29T00:00:00Z",
            "2023-04-31T00:00:00Z",
            "2023-02-24T24:00:01Z",
        ] {
            assert!(!is_xml_datetime(bad), "{bad}");
        }
    }
}
