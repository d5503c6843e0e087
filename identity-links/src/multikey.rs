//! Multikey encodings (W3C Controlled Identifiers; FEP-521a).
//!
//! A Multikey is `z` + base58btc(multicodec varint prefix ‖ key bytes):
//! Ed25519 public `0xed 0x01` + 32 bytes (`z6Mk…`), Ed25519 secret `0x80 0x26` + 32-byte seed
//! (`z3u2…`), RSA public (FEP-521a) `0x85 0x24` + PKCS#1 `RSAPublicKey` DER (`z4MXj1w…`).

use ed25519_dalek::{SigningKey, VerifyingKey};

use crate::error::Error;
use crate::multibase::{decode_at, encode_base58btc};

/// Multicodec `ed25519-pub` (0xed) as an unsigned varint.
pub const ED25519_PUB_PREFIX: [u8; 2] = [0xed, 0x01];
/// Multicodec `ed25519-priv` (0x1300) as an unsigned varint.
pub const ED25519_PRIV_PREFIX: [u8; 2] = [0x80, 0x26];
/// Multicodec `rsa-pub` (0x1205) as an unsigned varint.
pub const RSA_PUB_PREFIX: [u8; 2] = [0x85, 0x24];

/// A decoded public Multikey.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PublicMultikey {
    /// An Ed25519 public key (a valid curve point).
    Ed25519(VerifyingKey),
    /// An RSA public key as PKCS#1 `RSAPublicKey` DER (outer SEQUENCE checked, contents not).
    RsaPkcs1Der(Vec<u8>),
}

/// Decodes a public Multikey (`publicKeyMultibase`).
///
/// ```
/// use identity_links::multikey::{decode_public, PublicMultikey};
/// let key = decode_public("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2").unwrap();
/// assert!(matches!(key, PublicMultikey::Ed25519(_)));
/// ```
pub fn decode_public(s: &str) -> Result<PublicMultikey, Error> {
    decode_public_at(s, "")
}

pub(crate) fn decode_public_at(s: &str, at: &str) -> Result<PublicMultikey, Error> {
    let bytes = decode_at(s, at)?;
    match bytes.split_first_chunk::<2>() {
        Some((&ED25519_PUB_PREFIX, key)) => {
            ed25519_from_slice(key, at).map(PublicMultikey::Ed25519)
        }
        Some((&RSA_PUB_PREFIX, der)) => {
            check_der_sequence(der, at)?;
            Ok(PublicMultikey::RsaPkcs1Der(der.to_vec()))
        }
        Some((&[p0, p1], _)) => Err(Error::UnsupportedKeyType {
            at: at.to_owned(),
            found: format!("multicodec prefix {p0:02x}{p1:02x}"),
        }),
        None => Err(Error::InvalidKey {
            at: at.to_owned(),
            reason: "shorter than a prefix".into(),
        }),
    }
}

/// Decodes an Ed25519 public Multikey; any other key type is [`Error::UnsupportedKeyType`].
pub fn decode_ed25519_public(s: &str) -> Result<VerifyingKey, Error> {
    decode_ed25519_public_at(s, "")
}

pub(crate) fn decode_ed25519_public_at(s: &str, at: &str) -> Result<VerifyingKey, Error> {
    match decode_public_at(s, at)? {
        PublicMultikey::Ed25519(key) => Ok(key),
        PublicMultikey::RsaPkcs1Der(_) => Err(Error::UnsupportedKeyType {
            at: at.to_owned(),
            found: "rsa-pub (0x1205) where Ed25519 (0xed01) is required".into(),
        }),
    }
}

/// Encodes an Ed25519 public key as a Multikey (`z6Mk…`).
///
/// ```
/// # use identity_links::multikey::*;
/// let s = "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2";
/// assert_eq!(encode_ed25519_public(&decode_ed25519_public(s).unwrap()), s);
/// ```
pub fn encode_ed25519_public(key: &VerifyingKey) -> String {
    let mut bytes = Vec::with_capacity(34);
    bytes.extend_from_slice(&ED25519_PUB_PREFIX);
    bytes.extend_from_slice(key.as_bytes());
    encode_base58btc(&bytes)
}

/// Encodes an RSA public key, given as PKCS#1 `RSAPublicKey` DER, as a FEP-521a Multikey.
pub fn encode_rsa_public(pkcs1_der: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(2 + pkcs1_der.len());
    bytes.extend_from_slice(&RSA_PUB_PREFIX);
    bytes.extend_from_slice(pkcs1_der);
    encode_base58btc(&bytes)
}

/// Decodes an Ed25519 secret Multikey (`z3u2…`, prefix `0x8026` + 32-byte seed).
pub fn decode_ed25519_secret(s: &str) -> Result<SigningKey, Error> {
    let bytes = decode_at(s, "")?;
    match bytes.split_first_chunk::<2>() {
        Some((&ED25519_PRIV_PREFIX, seed)) => {
            let seed = <[u8; 32]>::try_from(seed).map_err(|_| Error::InvalidKey {
                at: String::new(),
                reason: format!("Ed25519 seed is {} bytes, expected 32", seed.len()),
            })?;
            Ok(SigningKey::from_bytes(&seed))
        }
        _ => Err(Error::UnsupportedKeyType {
            at: String::new(),
            found: "not an Ed25519 secret Multikey (0x8026)".into(),
        }),
    }
}

/// Encodes an Ed25519 secret key (its seed) as a Multikey (`z3u2…`).
pub fn encode_ed25519_secret(key: &SigningKey) -> String {
    let mut bytes = Vec::with_capacity(34);
    bytes.extend_from_slice(&ED25519_PRIV_PREFIX);
    bytes.extend_from_slice(key.as_bytes());
    encode_base58btc(&bytes)
}

pub(crate) fn ed25519_from_slice(key: &[u8], at: &str) -> Result<VerifyingKey, Error> {
    let key = <[u8; 32]>::try_from(key).map_err(|_| Error::InvalidKey {
        at: at.to_owned(),
        reason: format!("Ed25519 key is {} bytes, expected 32", key.len()),
    })?;
    VerifyingKey::from_bytes(&key).map_err(|_| Error::InvalidKey {
        at: at.to_owned(),
        reason: "not an Ed25519 point".into(),
    })
}

/// Checks that `der` is exactly one DER SEQUENCE (tag 0x30, definite length covering the rest).
fn check_der_sequence(der: &[u8], at: &str) -> Result<(), Error> {
    let bad = || Error::InvalidKey {
        at: at.to_owned(),
        reason: "RSA key is not a DER SEQUENCE".into(),
    };
    let (&tag, rest) = der.split_first().ok_or_else(bad)?;
    let (&len0, rest) = rest.split_first().ok_or_else(bad)?;
    if tag != 0x30 {
        return Err(bad());
    }
    let (len, body) = if len0 < 0x80 {
        (usize::from(len0), rest)
    } else {
        let n = usize::from(len0 & 0x7f);
        if n == 0 || n > 2 || rest.len() < n {
            return Err(bad());
        }
        let (len_bytes, body) = rest.split_at(n);
        (
            len_bytes
                .iter()
                .fold(0usize, |acc, &b| (acc << 8) | usize::from(b)),
            body,
        )
    };
    if len != body.len() {
        return Err(bad());
    }
    Ok(())
}
