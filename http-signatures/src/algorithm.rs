//! Signature algorithms and how they are resolved from the key (never from the message).

use crate::error::{Error, Result};

/// A concrete signature algorithm. The RFC 9421 registry names are used for display.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[non_exhaustive]
pub enum Algorithm {
    /// RSASSA-PKCS1-v1_5 with SHA-256 (cavage `rsa-sha256`, fediverse `hs2019` + RSA,
    /// RFC 9421 `rsa-v1_5-sha256`).
    RsaPkcs1Sha256,
    /// RSASSA-PSS, SHA-512, MGF1-SHA-512, 64-byte salt (RFC 9421 `rsa-pss-sha512`).
    RsaPssSha512,
    /// Ed25519 (RFC 8032, pure), `ed25519` / cavage `hs2019` + Ed25519 key.
    Ed25519,
    /// ECDSA P-256 with SHA-256, raw `r‖s` (feature `p256`).
    EcdsaP256Sha256,
    /// ECDSA P-384 with SHA-384, raw `r‖s` (feature `p384`).
    EcdsaP384Sha384,
    /// HMAC-SHA256 over a shared secret (feature `hmac`; never for fediverse actor keys).
    HmacSha256,
}

impl Algorithm {
    /// Every algorithm, in a stable order.
    pub const ALL: [Algorithm; 6] = [
        Algorithm::RsaPkcs1Sha256,
        Algorithm::RsaPssSha512,
        Algorithm::Ed25519,
        Algorithm::EcdsaP256Sha256,
        Algorithm::EcdsaP384Sha384,
        Algorithm::HmacSha256,
    ];

    /// The RFC 9421 registry name (`rsa-v1_5-sha256`, `ed25519`, …).
    pub const fn rfc9421_name(self) -> &'static str {
        match self {
            Algorithm::RsaPkcs1Sha256 => "rsa-v1_5-sha256",
            Algorithm::RsaPssSha512 => "rsa-pss-sha512",
            Algorithm::Ed25519 => "ed25519",
            Algorithm::EcdsaP256Sha256 => "ecdsa-p256-sha256",
            Algorithm::EcdsaP384Sha384 => "ecdsa-p384-sha384",
            Algorithm::HmacSha256 => "hmac-sha256",
        }
    }

    /// Parses an RFC 9421 `alg` value.
    pub fn from_rfc9421_name(name: &str) -> Option<Algorithm> {
        Algorithm::ALL
            .into_iter()
            .find(|a| a.rfc9421_name() == name)
    }

    /// Whether this build can compute this algorithm (some need cargo features).
    pub const fn is_supported(self) -> bool {
        match self {
            Algorithm::RsaPkcs1Sha256 | Algorithm::RsaPssSha512 | Algorithm::Ed25519 => true,
            Algorithm::EcdsaP256Sha256 => cfg!(feature = "p256"),
            Algorithm::EcdsaP384Sha384 => cfg!(feature = "p384"),
            Algorithm::HmacSha256 => cfg!(feature = "hmac"),
        }
    }

    pub(crate) const fn bit(self) -> u8 {
        1 << (self as u8)
    }
}

impl std::fmt::Display for Algorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.rfc9421_name())
    }
}

/// A small set of [`Algorithm`]s (bit set), used by [`crate::VerifyPolicy`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct AlgorithmSet(u8);

impl AlgorithmSet {
    /// The empty set.
    pub const EMPTY: AlgorithmSet = AlgorithmSet(0);
    /// Every algorithm.
    pub const ALL: AlgorithmSet = AlgorithmSet(0b11_1111);
    /// What fediverse servers use: RSA PKCS#1 v1.5 SHA-256 and Ed25519.
    pub const FEDIVERSE: AlgorithmSet =
        AlgorithmSet(Algorithm::RsaPkcs1Sha256.bit() | Algorithm::Ed25519.bit());

    /// A set from a list.
    pub const fn of(algs: &[Algorithm]) -> AlgorithmSet {
        let mut bits = 0u8;
        let mut i = 0;
        while i < algs.len() {
            bits |= algs[i].bit();
            i += 1;
        }
        AlgorithmSet(bits)
    }

    /// Whether `alg` is in the set.
    pub const fn contains(self, alg: Algorithm) -> bool {
        self.0 & alg.bit() != 0
    }

    /// The set with `alg` added.
    #[must_use]
    pub const fn with(self, alg: Algorithm) -> AlgorithmSet {
        AlgorithmSet(self.0 | alg.bit())
    }

    /// The set with `alg` removed.
    #[must_use]
    pub const fn without(self, alg: Algorithm) -> AlgorithmSet {
        AlgorithmSet(self.0 & !alg.bit())
    }
}

/// Which RSA paddings a key may be used with. A key loaded from plain PEM is
/// [`RsaPadding::Pkcs1v15`]; a PKCS#8 / SPKI with the `id-RSASSA-PSS` OID is [`RsaPadding::Pss`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RsaPadding {
    /// RSASSA-PKCS1-v1_5 only (fediverse default).
    Pkcs1v15,
    /// RSASSA-PSS only.
    Pss,
    /// Either (the message's `alg` picks; without `alg`, PKCS#1 v1.5).
    Any,
}

/// The type of a key, as far as algorithm resolution cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum KeyType {
    /// RSA with its modulus size and allowed paddings.
    Rsa {
        /// Modulus size in bits.
        bits: usize,
        /// Allowed paddings.
        padding: RsaPadding,
    },
    /// Ed25519.
    Ed25519,
    /// ECDSA P-256.
    EcdsaP256,
    /// ECDSA P-384.
    EcdsaP384,
    /// HMAC shared secret.
    Hmac,
}

impl KeyType {
    /// The algorithm used when the message names none (RFC 9421 without `alg`, cavage `hs2019`).
    pub const fn default_algorithm(self) -> Algorithm {
        match self {
            KeyType::Rsa {
                padding: RsaPadding::Pss,
                ..
            } => Algorithm::RsaPssSha512,
            KeyType::Rsa { .. } => Algorithm::RsaPkcs1Sha256,
            KeyType::Ed25519 => Algorithm::Ed25519,
            KeyType::EcdsaP256 => Algorithm::EcdsaP256Sha256,
            KeyType::EcdsaP384 => Algorithm::EcdsaP384Sha384,
            KeyType::Hmac => Algorithm::HmacSha256,
        }
    }

    /// Whether the key may be used with `alg` (spec §5 rule 1: RSA keys never with HMAC, etc.).
    pub const fn permits(self, alg: Algorithm) -> bool {
        matches!(
            (self, alg),
            (
                KeyType::Rsa {
                    padding: RsaPadding::Pkcs1v15 | RsaPadding::Any,
                    ..
                },
                Algorithm::RsaPkcs1Sha256,
            ) | (
                KeyType::Rsa {
                    padding: RsaPadding::Pss | RsaPadding::Any,
                    ..
                },
                Algorithm::RsaPssSha512,
            ) | (KeyType::Ed25519, Algorithm::Ed25519)
                | (KeyType::EcdsaP256, Algorithm::EcdsaP256Sha256)
                | (KeyType::EcdsaP384, Algorithm::EcdsaP384Sha384)
                | (KeyType::Hmac, Algorithm::HmacSha256)
        )
    }

    /// RSA modulus size, if RSA.
    pub const fn rsa_bits(self) -> Option<usize> {
        match self {
            KeyType::Rsa { bits, .. } => Some(bits),
            _ => None,
        }
    }
}

/// Resolves a draft-cavage `algorithm` parameter against the key type.
///
/// `hs2019` (or no parameter) means "whatever the key is": RSA ⇒ PKCS#1 v1.5 SHA-256 as the
/// fediverse does (RSA-PSS only for a PSS-only key), Ed25519 ⇒ Ed25519. `rsa-sha256` is accepted
/// only for RSA keys; `ed25519` (seen in the wild) and `ed25519-sha512` (Misskey's and Joyent's
/// node libraries) only for Ed25519 keys; `ecdsa-sha256` only
/// for P-256 keys. Deprecated or HMAC names are refused.
pub fn resolve_cavage(key: KeyType, algorithm: Option<&str>) -> Result<Algorithm> {
    let name = algorithm.unwrap_or("hs2019");
    let alg = match name {
        "hs2019" => key.default_algorithm(),
        "rsa-sha256" => Algorithm::RsaPkcs1Sha256,
        // `ed25519-sha512`: the `<key type>-<hash>` name Misskey's and Joyent's node libraries
        // send for Ed25519 keys (Ed25519 hashes with SHA-512 internally); same algorithm.
        "ed25519" | "ed25519-sha512" => Algorithm::Ed25519,
        "ecdsa-sha256" => Algorithm::EcdsaP256Sha256,
        _ => {
            return Err(Error::UnsupportedAlgorithm {
                at: truncate_owned(name),
            });
        }
    };
    if alg == Algorithm::HmacSha256 || !key.permits(alg) {
        return Err(Error::AlgorithmMismatch {
            at: truncate_owned(name),
        });
    }
    Ok(alg)
}

/// Resolves an RFC 9421 `alg` parameter against the key type: absent ⇒ the key's default;
/// present ⇒ must be a registry name the key permits (never HMAC with an asymmetric key).
pub fn resolve_rfc9421(key: KeyType, alg: Option<&str>) -> Result<Algorithm> {
    match alg {
        None => Ok(key.default_algorithm()),
        Some(name) => {
            let alg =
                Algorithm::from_rfc9421_name(name).ok_or_else(|| Error::UnsupportedAlgorithm {
                    at: truncate_owned(name),
                })?;
            if key.permits(alg) {
                Ok(alg)
            } else {
                Err(Error::AlgorithmMismatch {
                    at: truncate_owned(name),
                })
            }
        }
    }
}

pub(crate) fn truncate_owned(s: &str) -> crate::error::At {
    const MAX: usize = 64;
    if s.len() <= MAX {
        return s.to_owned().into();
    }
    let mut end = MAX;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end]).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RSA: KeyType = KeyType::Rsa {
        bits: 2048,
        padding: RsaPadding::Pkcs1v15,
    };

    #[test]
    fn cavage_resolution_comes_from_the_key() {
        assert_eq!(
            resolve_cavage(RSA, None).unwrap(),
            Algorithm::RsaPkcs1Sha256
        );
        assert_eq!(
            resolve_cavage(RSA, Some("hs2019")).unwrap(),
            Algorithm::RsaPkcs1Sha256
        );
        assert_eq!(
            resolve_cavage(KeyType::Ed25519, Some("hs2019")).unwrap(),
            Algorithm::Ed25519
        );
        assert_eq!(
            resolve_cavage(KeyType::Ed25519, Some("ed25519-sha512")).unwrap(),
            Algorithm::Ed25519
        );
        assert_eq!(
            resolve_cavage(RSA, Some("ed25519-sha512"))
                .unwrap_err()
                .kind(),
            "algorithm_mismatch"
        );
        assert_eq!(
            resolve_cavage(KeyType::Ed25519, Some("rsa-sha256"))
                .unwrap_err()
                .kind(),
            "algorithm_mismatch"
        );
        assert_eq!(
            resolve_cavage(RSA, Some("hmac-sha256")).unwrap_err().kind(),
            "unsupported_algorithm"
        );
        assert_eq!(
            resolve_cavage(KeyType::Hmac, Some("hs2019"))
                .unwrap_err()
                .kind(),
            "algorithm_mismatch"
        );
        assert_eq!(
            resolve_cavage(RSA, Some("rsa-sha1")).unwrap_err().kind(),
            "unsupported_algorithm"
        );
    }

    #[test]
    fn rfc9421_resolution() {
        assert_eq!(
            resolve_rfc9421(RSA, None).unwrap(),
            Algorithm::RsaPkcs1Sha256
        );
        assert_eq!(
            resolve_rfc9421(RSA, Some("rsa-pss-sha512"))
                .unwrap_err()
                .kind(),
            "algorithm_mismatch"
        );
        assert_eq!(
            resolve_rfc9421(RSA, Some("hmac-sha256"))
                .unwrap_err()
                .kind(),
            "algorithm_mismatch"
        );
        let pss = KeyType::Rsa {
            bits: 2048,
            padding: RsaPadding::Pss,
        };
        assert_eq!(resolve_rfc9421(pss, None).unwrap(), Algorithm::RsaPssSha512);
        assert_eq!(
            resolve_rfc9421(KeyType::Ed25519, Some("nope"))
                .unwrap_err()
                .kind(),
            "unsupported_algorithm"
        );
    }

    #[test]
    fn sets() {
        let s = AlgorithmSet::FEDIVERSE;
        assert!(s.contains(Algorithm::Ed25519));
        assert!(!s.contains(Algorithm::HmacSha256));
        assert!(
            s.with(Algorithm::HmacSha256)
                .contains(Algorithm::HmacSha256)
        );
        for a in Algorithm::ALL {
            assert!(AlgorithmSet::ALL.contains(a));
            assert_eq!(Algorithm::from_rfc9421_name(a.rfc9421_name()), Some(a));
        }
    }
}
