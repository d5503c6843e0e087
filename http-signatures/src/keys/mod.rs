//! Keys: [`PublicKey`] / [`PrivateKey`] enums, their loaders, and the [`VerifyKey`] /
//! [`SignKey`] traits that let a caller (or a bench) plug in its own key implementation.
//!
//! Keys are parsed once by the caller (PEM, DER, Multikey); the hot path never parses a key.

mod multikey;
mod pem;

use std::fmt;
use std::sync::Arc;

use crate::algorithm::{Algorithm, KeyType, RsaPadding};
use crate::backend::{Backend, rust_crypto};
use crate::error::{Error, Result};

pub use multikey::{Multicodec, decode_multikey};

/// Something that can check a signature. Implemented by [`PublicKey`]; implement it yourself to
/// use an HSM, a cache wrapper, or a no-op verifier that times the library work alone.
pub trait VerifyKey {
    /// The key's type; the algorithm is derived from it, never from the message.
    fn key_type(&self) -> KeyType;

    /// Checks `signature` over `message` with `alg` (already resolved and permitted for this
    /// key). Any failure must be [`Error::BadSignature`].
    fn verify_signature(
        &self,
        alg: Algorithm,
        message: &[u8],
        signature: &[u8],
        backend: Backend,
    ) -> Result<()>;
}

/// Something that can produce a signature. Implemented by [`PrivateKey`].
pub trait SignKey {
    /// The key's type.
    fn key_type(&self) -> KeyType;

    /// Signs `message` with `alg` (must be permitted by [`SignKey::key_type`]).
    fn sign_message(&self, alg: Algorithm, message: &[u8], backend: Backend) -> Result<Vec<u8>>;
}

macro_rules! forward_impls {
    ($tr:ident { $($body:tt)* }) => {
        impl<T: $tr + ?Sized> $tr for &T { $($body)* }
        impl<T: $tr + ?Sized> $tr for Box<T> { $($body)* }
        impl<T: $tr + ?Sized> $tr for Arc<T> { $($body)* }
        impl<T: $tr + ?Sized> $tr for std::rc::Rc<T> { $($body)* }
    };
}

forward_impls!(VerifyKey {
    fn key_type(&self) -> KeyType {
        (**self).key_type()
    }
    fn verify_signature(&self, alg: Algorithm, message: &[u8], signature: &[u8], backend: Backend) -> Result<()> {
        (**self).verify_signature(alg, message, signature, backend)
    }
});

forward_impls!(SignKey {
    fn key_type(&self) -> KeyType {
        (**self).key_type()
    }
    fn sign_message(&self, alg: Algorithm, message: &[u8], backend: Backend) -> Result<Vec<u8>> {
        (**self).sign_message(alg, message, backend)
    }
});

/// An RSA public key with its allowed paddings (and, with `aws-lc`, its pre-parsed form).
#[derive(Clone)]
pub struct RsaPublic {
    key: rsa::RsaPublicKey,
    bits: usize,
    padding: RsaPadding,
    #[cfg(feature = "aws-lc")]
    aws: crate::backend::aws_lc::AwsRsaPublic,
}

impl RsaPublic {
    fn new(key: rsa::RsaPublicKey, padding: RsaPadding) -> Self {
        use rsa::traits::PublicKeyParts;
        let bits = key.n().bits();
        #[cfg(feature = "aws-lc")]
        let aws = {
            use rsa::pkcs1::EncodeRsaPublicKey;
            let der = key.to_pkcs1_der().map(|d| d.into_vec()).unwrap_or_default();
            crate::backend::aws_lc::AwsRsaPublic::new(&der, bits)
        };
        RsaPublic {
            key,
            bits,
            padding,
            #[cfg(feature = "aws-lc")]
            aws,
        }
    }

    /// Modulus size in bits.
    pub fn bits(&self) -> usize {
        self.bits
    }

    /// The underlying `rsa` crate key.
    pub fn as_rsa(&self) -> &rsa::RsaPublicKey {
        &self.key
    }

    fn verify(&self, alg: Algorithm, msg: &[u8], sig: &[u8], backend: Backend) -> Result<()> {
        match (alg, backend) {
            #[cfg(feature = "aws-lc")]
            (Algorithm::RsaPkcs1Sha256, Backend::AwsLc) => self
                .aws
                .verify_pkcs1_sha256(msg, sig)
                .unwrap_or_else(|| rust_crypto::rsa_pkcs1_sha256_verify(&self.key, msg, sig)),
            #[cfg(feature = "aws-lc")]
            (Algorithm::RsaPssSha512, Backend::AwsLc) => self
                .aws
                .verify_pss_sha512(msg, sig)
                .unwrap_or_else(|| rust_crypto::rsa_pss_sha512_verify(&self.key, msg, sig)),
            (Algorithm::RsaPkcs1Sha256, _) => {
                rust_crypto::rsa_pkcs1_sha256_verify(&self.key, msg, sig)
            }
            (Algorithm::RsaPssSha512, _) => rust_crypto::rsa_pss_sha512_verify(&self.key, msg, sig),
            _ => Err(Error::BadSignature),
        }
    }
}

impl fmt::Debug for RsaPublic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RsaPublic")
            .field("bits", &self.bits)
            .field("padding", &self.padding)
            .finish()
    }
}

impl PartialEq for RsaPublic {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key && self.padding == other.padding
    }
}

/// A shared secret for `hmac-sha256` (feature `hmac`).
#[cfg(feature = "hmac")]
#[derive(Clone, PartialEq, Eq)]
pub struct SharedSecret(Arc<[u8]>);

#[cfg(feature = "hmac")]
impl SharedSecret {
    /// Wraps secret bytes.
    pub fn new(secret: impl Into<Vec<u8>>) -> Self {
        SharedSecret(secret.into().into())
    }

    fn mac(&self) -> hmac::Hmac<sha2::Sha256> {
        use hmac::Mac;
        // HMAC accepts keys of any length.
        <hmac::Hmac<sha2::Sha256> as Mac>::new_from_slice(&self.0)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"))
    }

    fn sign(&self, msg: &[u8]) -> Vec<u8> {
        use hmac::Mac;
        let mut m = self.mac();
        m.update(msg);
        m.finalize().into_bytes().to_vec()
    }

    fn verify(&self, msg: &[u8], tag: &[u8]) -> Result<()> {
        use hmac::Mac;
        let mut m = self.mac();
        m.update(msg);
        m.verify_slice(tag).map_err(|_| Error::BadSignature)
    }
}

#[cfg(feature = "hmac")]
impl fmt::Debug for SharedSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SharedSecret({} bytes)", self.0.len())
    }
}

/// The methods [`PublicKey`] and [`PrivateKey`] share, written once.
macro_rules! shared_key_methods {
    ($key:ident, $padding_doc:literal) => {
        impl $key {
            /// An HMAC shared secret (feature `hmac`).
            #[cfg(feature = "hmac")]
            pub fn hmac(secret: impl Into<Vec<u8>>) -> Self {
                $key::Hmac(SharedSecret::new(secret))
            }

            #[doc = $padding_doc]
            #[must_use]
            pub fn with_rsa_padding(mut self, padding: RsaPadding) -> Self {
                if let $key::Rsa(r) = &mut self {
                    r.padding = padding;
                }
                self
            }
        }
    };
}

shared_key_methods!(
    PublicKey,
    "Re-labels an RSA key's allowed paddings (e.g. the RFC 9421 `test-key-rsa-pss`, whose \
     public PEM carries the plain `rsaEncryption` OID). No effect on other key types."
);
shared_key_methods!(
    PrivateKey,
    "Re-labels an RSA key's allowed paddings. No effect on other key types."
);

/// A verification key. The algorithm used with it comes from its type (spec §5 rule 1).
#[derive(Clone, Debug, PartialEq)]
#[non_exhaustive]
pub enum PublicKey {
    /// RSA (PKCS#1 v1.5 SHA-256 by default; PSS if the key says so).
    Rsa(RsaPublic),
    /// Ed25519 (verified with `verify_strict`).
    Ed25519(ed25519_dalek::VerifyingKey),
    /// ECDSA P-256 (feature `p256`).
    #[cfg(feature = "p256")]
    EcdsaP256(p256::ecdsa::VerifyingKey),
    /// ECDSA P-384 (feature `p384`).
    #[cfg(feature = "p384")]
    EcdsaP384(p384::ecdsa::VerifyingKey),
    /// HMAC shared secret (feature `hmac`). Never resolve a fediverse actor key to this.
    #[cfg(feature = "hmac")]
    Hmac(SharedSecret),
}

impl PublicKey {
    /// Loads a PEM public key: SPKI (`PUBLIC KEY`: RSA, RSA-PSS, Ed25519, EC P-256/P-384) or
    /// PKCS#1 (`RSA PUBLIC KEY`).
    pub fn from_pem(pem: &str) -> Result<Self> {
        pem::public_from_pem(pem)
    }

    /// Loads a DER public key: SPKI, else PKCS#1 RSAPublicKey.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        pem::public_from_der(der)
    }

    /// Loads an FEP-521a Multikey `publicKeyMultibase` (`z6Mk…` Ed25519, RSA `0x1205` + PKCS#1
    /// DER, and with features P-256 `0x1200` / P-384 `0x1201` compressed points).
    pub fn from_multikey(multibase: &str) -> Result<Self> {
        multikey::public_from_multikey(multibase)
    }

    /// An RSA key from big-endian modulus and exponent (e.g. a JWK's `n` and `e`).
    pub fn rsa_from_components(n: &[u8], e: &[u8]) -> Result<Self> {
        let key = rsa::RsaPublicKey::new(
            rsa::BigUint::from_bytes_be(n),
            rsa::BigUint::from_bytes_be(e),
        )
        .map_err(|e| Error::invalid_key(e.to_string()))?;
        Ok(PublicKey::Rsa(RsaPublic::new(key, RsaPadding::Pkcs1v15)))
    }

    /// An RSA key from the `rsa` crate.
    pub fn from_rsa(key: rsa::RsaPublicKey) -> Self {
        PublicKey::Rsa(RsaPublic::new(key, RsaPadding::Pkcs1v15))
    }

    /// An Ed25519 key from its 32 bytes.
    pub fn ed25519_from_bytes(bytes: &[u8; 32]) -> Result<Self> {
        ed25519_dalek::VerifyingKey::from_bytes(bytes)
            .map(PublicKey::Ed25519)
            .map_err(|_| Error::invalid_key("not an Ed25519 point"))
    }

    /// The key type (which decides the algorithm).
    pub fn key_type(&self) -> KeyType {
        match self {
            PublicKey::Rsa(r) => KeyType::Rsa {
                bits: r.bits,
                padding: r.padding,
            },
            PublicKey::Ed25519(_) => KeyType::Ed25519,
            #[cfg(feature = "p256")]
            PublicKey::EcdsaP256(_) => KeyType::EcdsaP256,
            #[cfg(feature = "p384")]
            PublicKey::EcdsaP384(_) => KeyType::EcdsaP384,
            #[cfg(feature = "hmac")]
            PublicKey::Hmac(_) => KeyType::Hmac,
        }
    }
}

impl VerifyKey for PublicKey {
    fn key_type(&self) -> KeyType {
        PublicKey::key_type(self)
    }

    fn verify_signature(
        &self,
        alg: Algorithm,
        message: &[u8],
        signature: &[u8],
        backend: Backend,
    ) -> Result<()> {
        if !PublicKey::key_type(self).permits(alg) {
            return Err(Error::BadSignature);
        }
        match self {
            PublicKey::Rsa(r) => r.verify(alg, message, signature, backend),
            PublicKey::Ed25519(k) => {
                let bytes: &[u8; 64] = signature.try_into().map_err(|_| Error::BadSignature)?;
                let sig = ed25519_dalek::Signature::from_bytes(bytes);
                k.verify_strict(message, &sig)
                    .map_err(|_| Error::BadSignature)
            }
            #[cfg(feature = "p256")]
            PublicKey::EcdsaP256(k) => {
                use p256::ecdsa::signature::Verifier;
                let sig = p256::ecdsa::Signature::from_slice(signature)
                    .map_err(|_| Error::BadSignature)?;
                k.verify(message, &sig).map_err(|_| Error::BadSignature)
            }
            #[cfg(feature = "p384")]
            PublicKey::EcdsaP384(k) => {
                use p384::ecdsa::signature::Verifier;
                let sig = p384::ecdsa::Signature::from_slice(signature)
                    .map_err(|_| Error::BadSignature)?;
                k.verify(message, &sig).map_err(|_| Error::BadSignature)
            }
            #[cfg(feature = "hmac")]
            PublicKey::Hmac(s) => s.verify(message, signature),
        }
    }
}

/// An RSA private key (and, with `aws-lc`, its `aws-lc-rs` key pair for 2048–8192-bit keys).
#[derive(Clone)]
pub struct RsaPrivate {
    key: Arc<rsa::RsaPrivateKey>,
    padding: RsaPadding,
    #[cfg(feature = "aws-lc")]
    aws: Option<Arc<crate::backend::aws_lc::AwsRsaPrivate>>,
}

impl RsaPrivate {
    fn new(key: rsa::RsaPrivateKey, padding: RsaPadding) -> Self {
        #[cfg(feature = "aws-lc")]
        let aws = {
            use rsa::pkcs1::EncodeRsaPrivateKey;
            key.to_pkcs1_der().ok().and_then(|der| {
                crate::backend::aws_lc::AwsRsaPrivate::from_pkcs1_der(der.as_bytes()).map(Arc::new)
            })
        };
        RsaPrivate {
            key: Arc::new(key),
            padding,
            #[cfg(feature = "aws-lc")]
            aws,
        }
    }

    /// The underlying `rsa` crate key.
    pub fn as_rsa(&self) -> &rsa::RsaPrivateKey {
        &self.key
    }

    fn sign(&self, alg: Algorithm, msg: &[u8], backend: Backend) -> Result<Vec<u8>> {
        #[cfg(feature = "aws-lc")]
        if let (Backend::AwsLc, Some(aws)) = (backend, &self.aws) {
            return match alg {
                Algorithm::RsaPkcs1Sha256 => aws.sign_pkcs1_sha256(msg),
                Algorithm::RsaPssSha512 => aws.sign_pss_sha512(msg),
                _ => Err(unusable(alg)),
            };
        }
        let _ = backend;
        match alg {
            Algorithm::RsaPkcs1Sha256 => rust_crypto::rsa_pkcs1_sha256_sign(&self.key, msg),
            Algorithm::RsaPssSha512 => rust_crypto::rsa_pss_sha512_sign(&self.key, msg),
            _ => Err(unusable(alg)),
        }
    }
}

fn unusable(alg: Algorithm) -> Error {
    Error::SigningFailed {
        reason: format!("key cannot sign with {alg}").into(),
    }
}

/// A signing key.
#[derive(Clone)]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)] // long-lived, parsed once: size does not matter
pub enum PrivateKey {
    /// RSA.
    Rsa(RsaPrivate),
    /// Ed25519.
    Ed25519(ed25519_dalek::SigningKey),
    /// ECDSA P-256 (feature `p256`).
    #[cfg(feature = "p256")]
    EcdsaP256(p256::ecdsa::SigningKey),
    /// ECDSA P-384 (feature `p384`).
    #[cfg(feature = "p384")]
    EcdsaP384(p384::ecdsa::SigningKey),
    /// HMAC shared secret (feature `hmac`).
    #[cfg(feature = "hmac")]
    Hmac(SharedSecret),
}

impl fmt::Debug for PrivateKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "PrivateKey({:?}, ..)", SignKey::key_type(self))
    }
}

impl PrivateKey {
    /// Loads a PEM private key: PKCS#8 (`PRIVATE KEY`: RSA, RSA-PSS — the `id-RSASSA-PSS` OID is
    /// unwrapped to its inner PKCS#1 key, which the `rsa` crate alone refuses —, Ed25519, EC),
    /// PKCS#1 (`RSA PRIVATE KEY`) or SEC1 (`EC PRIVATE KEY`).
    pub fn from_pem(pem: &str) -> Result<Self> {
        pem::private_from_pem(pem)
    }

    /// Loads a DER private key: PKCS#8, else PKCS#1.
    pub fn from_der(der: &[u8]) -> Result<Self> {
        pem::private_from_der(der)
    }

    /// An RSA key from the `rsa` crate.
    pub fn from_rsa(key: rsa::RsaPrivateKey) -> Self {
        PrivateKey::Rsa(RsaPrivate::new(key, RsaPadding::Pkcs1v15))
    }

    /// An Ed25519 key from its 32-byte seed.
    pub fn ed25519_from_seed(seed: &[u8; 32]) -> Self {
        PrivateKey::Ed25519(ed25519_dalek::SigningKey::from_bytes(seed))
    }

    /// The matching public key (same padding label).
    pub fn public_key(&self) -> PublicKey {
        match self {
            PrivateKey::Rsa(r) => PublicKey::Rsa(RsaPublic::new(r.key.to_public_key(), r.padding)),
            PrivateKey::Ed25519(k) => PublicKey::Ed25519(k.verifying_key()),
            #[cfg(feature = "p256")]
            PrivateKey::EcdsaP256(k) => PublicKey::EcdsaP256(*k.verifying_key()),
            #[cfg(feature = "p384")]
            PrivateKey::EcdsaP384(k) => PublicKey::EcdsaP384(*k.verifying_key()),
            #[cfg(feature = "hmac")]
            PrivateKey::Hmac(s) => PublicKey::Hmac(s.clone()),
        }
    }

    /// The key type.
    pub fn key_type(&self) -> KeyType {
        SignKey::key_type(self)
    }
}

impl SignKey for PrivateKey {
    fn key_type(&self) -> KeyType {
        match self {
            PrivateKey::Rsa(r) => {
                use rsa::traits::PublicKeyParts;
                KeyType::Rsa {
                    bits: r.key.n().bits(),
                    padding: r.padding,
                }
            }
            PrivateKey::Ed25519(_) => KeyType::Ed25519,
            #[cfg(feature = "p256")]
            PrivateKey::EcdsaP256(_) => KeyType::EcdsaP256,
            #[cfg(feature = "p384")]
            PrivateKey::EcdsaP384(_) => KeyType::EcdsaP384,
            #[cfg(feature = "hmac")]
            PrivateKey::Hmac(_) => KeyType::Hmac,
        }
    }

    fn sign_message(&self, alg: Algorithm, message: &[u8], backend: Backend) -> Result<Vec<u8>> {
        if !SignKey::key_type(self).permits(alg) {
            return Err(unusable(alg));
        }
        match self {
            PrivateKey::Rsa(r) => r.sign(alg, message, backend),
            PrivateKey::Ed25519(k) => {
                use ed25519_dalek::Signer;
                Ok(k.sign(message).to_bytes().to_vec())
            }
            #[cfg(feature = "p256")]
            PrivateKey::EcdsaP256(k) => {
                use p256::ecdsa::signature::Signer;
                let sig: p256::ecdsa::Signature = k.sign(message);
                Ok(sig.to_bytes().to_vec())
            }
            #[cfg(feature = "p384")]
            PrivateKey::EcdsaP384(k) => {
                use p384::ecdsa::signature::Signer;
                let sig: p384::ecdsa::Signature = k.sign(message);
                Ok(sig.to_bytes().to_vec())
            }
            #[cfg(feature = "hmac")]
            PrivateKey::Hmac(s) => Ok(s.sign(message)),
        }
    }
}
