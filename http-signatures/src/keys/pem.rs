//! PEM / DER loading (SPKI, PKCS#1, PKCS#8, SEC1).

use rsa::pkcs1::{DecodeRsaPrivateKey, DecodeRsaPublicKey};
use rsa::pkcs8::spki::SubjectPublicKeyInfoRef;
use rsa::pkcs8::{ObjectIdentifier, PrivateKeyInfo};

use super::{PrivateKey, PublicKey, RsaPrivate, RsaPublic};
use crate::algorithm::RsaPadding;
use crate::error::{Error, Result};

pub(super) const RSA_ENCRYPTION: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
pub(super) const ID_RSASSA_PSS: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.10");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
#[cfg(feature = "p256")]
const P256: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
#[cfg(feature = "p384")]
const P384: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");

/// A key decoded from PEM: which half depends on the label.
enum PemKey {
    Public(PublicKey),
    Private(PrivateKey),
}

/// Every PEM label this crate reads, with its DER decoder: one table serves public and
/// private keys, so a label is dispatched in exactly one place.
/// Decodes the DER of one PEM label.
type DerDecoder = fn(&[u8]) -> Result<PemKey>;

const PEM_LABELS: [(&str, DerDecoder); 5] = [
    ("PUBLIC KEY", |der| {
        public_from_spki(der).map(PemKey::Public)
    }),
    ("RSA PUBLIC KEY", |der| {
        rsa_public_pkcs1(der).map(PemKey::Public)
    }),
    ("PRIVATE KEY", |der| {
        private_from_pkcs8(der).map(PemKey::Private)
    }),
    ("RSA PRIVATE KEY", |der| {
        rsa_private_pkcs1(der, RsaPadding::Pkcs1v15).map(PemKey::Private)
    }),
    ("EC PRIVATE KEY", |der| {
        ec_private_sec1(der).map(PemKey::Private)
    }),
];

/// Decodes one PEM block and its DER by label.
fn key_from_pem(pem: &str) -> Result<PemKey> {
    let (label, der) = rsa::pkcs8::der::pem::decode_vec(pem.trim().as_bytes())
        .map_err(|e| Error::invalid_key(format!("PEM: {e}")))?;
    let (_, decode) = PEM_LABELS
        .iter()
        .find(|(l, _)| *l == label)
        .ok_or_else(|| Error::invalid_key(format!("unexpected PEM label {label:?}")))?;
    decode(&der)
}

pub(super) fn public_from_pem(pem: &str) -> Result<PublicKey> {
    match key_from_pem(pem)? {
        PemKey::Public(k) => Ok(k),
        PemKey::Private(_) => Err(Error::invalid_key(
            "PEM holds a private key where a public key was expected",
        )),
    }
}

pub(super) fn public_from_der(der: &[u8]) -> Result<PublicKey> {
    public_from_spki(der).or_else(|spki_err| rsa_public_pkcs1(der).map_err(|_| spki_err))
}

fn rsa_public_pkcs1(der: &[u8]) -> Result<PublicKey> {
    let key = rsa::RsaPublicKey::from_pkcs1_der(der)
        .map_err(|e| Error::invalid_key(format!("PKCS#1 RSA public key: {e}")))?;
    Ok(PublicKey::Rsa(RsaPublic::new(key, RsaPadding::Pkcs1v15)))
}

fn public_from_spki(der: &[u8]) -> Result<PublicKey> {
    let spki = SubjectPublicKeyInfoRef::try_from(der)
        .map_err(|e| Error::invalid_key(format!("SPKI: {e}")))?;
    let bits = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| Error::invalid_key("SPKI key is not a whole number of bytes"))?;
    let oid = spki.algorithm.oid;
    if oid == RSA_ENCRYPTION || oid == ID_RSASSA_PSS {
        let key = rsa::RsaPublicKey::from_pkcs1_der(bits)
            .map_err(|e| Error::invalid_key(format!("RSA public key: {e}")))?;
        let padding = if oid == ID_RSASSA_PSS {
            RsaPadding::Pss
        } else {
            RsaPadding::Pkcs1v15
        };
        Ok(PublicKey::Rsa(RsaPublic::new(key, padding)))
    } else if oid == ED25519 {
        let bytes: &[u8; 32] = bits
            .try_into()
            .map_err(|_| Error::invalid_key("Ed25519 key is not 32 bytes"))?;
        PublicKey::ed25519_from_bytes(bytes)
    } else if oid == EC_PUBLIC_KEY {
        let curve = spki
            .algorithm
            .parameters_oid()
            .map_err(|_| Error::invalid_key("EC key without named curve"))?;
        ec_public(curve, bits)
    } else {
        Err(Error::invalid_key(format!(
            "unsupported key algorithm {oid}"
        )))
    }
}

#[allow(unused_variables)]
fn ec_public(curve: ObjectIdentifier, point: &[u8]) -> Result<PublicKey> {
    #[cfg(feature = "p256")]
    if curve == P256 {
        return p256::ecdsa::VerifyingKey::from_sec1_bytes(point)
            .map(PublicKey::EcdsaP256)
            .map_err(|_| Error::invalid_key("bad P-256 point"));
    }
    #[cfg(feature = "p384")]
    if curve == P384 {
        return p384::ecdsa::VerifyingKey::from_sec1_bytes(point)
            .map(PublicKey::EcdsaP384)
            .map_err(|_| Error::invalid_key("bad P-384 point"));
    }
    Err(Error::invalid_key(format!(
        "EC curve {curve} not supported in this build (features p256 / p384)"
    )))
}

pub(super) fn private_from_pem(pem: &str) -> Result<PrivateKey> {
    match key_from_pem(pem)? {
        PemKey::Private(k) => Ok(k),
        PemKey::Public(_) => Err(Error::invalid_key(
            "PEM holds a public key where a private key was expected",
        )),
    }
}

pub(super) fn private_from_der(der: &[u8]) -> Result<PrivateKey> {
    private_from_pkcs8(der).or_else(|e| rsa_private_pkcs1(der, RsaPadding::Pkcs1v15).map_err(|_| e))
}

fn rsa_private_pkcs1(der: &[u8], padding: RsaPadding) -> Result<PrivateKey> {
    let key = rsa::RsaPrivateKey::from_pkcs1_der(der)
        .map_err(|e| Error::invalid_key(format!("PKCS#1 RSA private key: {e}")))?;
    Ok(PrivateKey::Rsa(RsaPrivate::new(key, padding)))
}

fn private_from_pkcs8(der: &[u8]) -> Result<PrivateKey> {
    let info =
        PrivateKeyInfo::try_from(der).map_err(|e| Error::invalid_key(format!("PKCS#8: {e}")))?;
    let oid = info.algorithm.oid;
    if oid == RSA_ENCRYPTION {
        rsa_private_pkcs1(info.private_key, RsaPadding::Pkcs1v15)
    } else if oid == ID_RSASSA_PSS {
        // `rsa` 0.9 refuses this OID in `from_pkcs8_der`; the inner key is a plain PKCS#1
        // RSAPrivateKey, so unwrap it and remember that the key is for PSS.
        rsa_private_pkcs1(info.private_key, RsaPadding::Pss)
    } else if oid == ED25519 {
        use ed25519_dalek::pkcs8::DecodePrivateKey;
        ed25519_dalek::SigningKey::from_pkcs8_der(der)
            .map(PrivateKey::Ed25519)
            .map_err(|e| Error::invalid_key(format!("Ed25519 PKCS#8: {e}")))
    } else if oid == EC_PUBLIC_KEY {
        #[cfg(any(feature = "p256", feature = "p384"))]
        let curve = info.algorithm.parameters_oid().ok();
        #[cfg(feature = "p256")]
        if curve == Some(P256) {
            use p256::pkcs8::DecodePrivateKey;
            return p256::ecdsa::SigningKey::from_pkcs8_der(der)
                .map(PrivateKey::EcdsaP256)
                .map_err(|e| Error::invalid_key(format!("P-256 PKCS#8: {e}")));
        }
        #[cfg(feature = "p384")]
        if curve == Some(P384) {
            use p384::pkcs8::DecodePrivateKey;
            return p384::ecdsa::SigningKey::from_pkcs8_der(der)
                .map(PrivateKey::EcdsaP384)
                .map_err(|e| Error::invalid_key(format!("P-384 PKCS#8: {e}")));
        }
        Err(Error::invalid_key(
            "EC curve not supported in this build (features p256 / p384)",
        ))
    } else {
        Err(Error::invalid_key(format!(
            "unsupported key algorithm {oid}"
        )))
    }
}

#[allow(unused_variables)]
fn ec_private_sec1(der: &[u8]) -> Result<PrivateKey> {
    #[cfg(feature = "p256")]
    if let Ok(k) = p256::SecretKey::from_sec1_der(der) {
        return Ok(PrivateKey::EcdsaP256(k.into()));
    }
    #[cfg(feature = "p384")]
    if let Ok(k) = p384::SecretKey::from_sec1_der(der) {
        return Ok(PrivateKey::EcdsaP384(k.into()));
    }
    Err(Error::invalid_key(
        "SEC1 EC key not readable in this build (features p256 / p384)",
    ))
}
