//! `aws-lc-rs` primitives (feature `aws-lc`).

use aws_lc_rs::{digest, rsa, signature};

use crate::error::{Error, Result};

pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    let d = digest::digest(&digest::SHA256, data);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

pub(crate) fn sha512(data: &[u8]) -> [u8; 64] {
    let d = digest::digest(&digest::SHA512, data);
    let mut out = [0u8; 64];
    out.copy_from_slice(d.as_ref());
    out
}

/// Parsed `aws-lc-rs` public keys for one RSA key (parsed once, at key load).
#[derive(Clone)]
pub(crate) struct AwsRsaPublic {
    pkcs1: Option<signature::ParsedPublicKey>,
    pss: Option<signature::ParsedPublicKey>,
}

impl AwsRsaPublic {
    /// `pkcs1_der` is the RSAPublicKey DER; `bits` the modulus size.
    pub(crate) fn new(pkcs1_der: &[u8], bits: usize) -> Self {
        let pkcs1_alg: &'static signature::RsaParameters = if bits < 2048 {
            &signature::RSA_PKCS1_1024_8192_SHA256_FOR_LEGACY_USE_ONLY
        } else {
            &signature::RSA_PKCS1_2048_8192_SHA256
        };
        let pkcs1 = signature::ParsedPublicKey::new(pkcs1_alg, pkcs1_der).ok();
        let pss = if bits >= 2048 {
            signature::ParsedPublicKey::new(&signature::RSA_PSS_2048_8192_SHA512, pkcs1_der).ok()
        } else {
            None
        };
        AwsRsaPublic { pkcs1, pss }
    }

    /// `None` when aws-lc could not take this key (then the caller falls back to RustCrypto).
    pub(crate) fn verify_pkcs1_sha256(&self, msg: &[u8], sig: &[u8]) -> Option<Result<()>> {
        self.pkcs1
            .as_ref()
            .map(|k| k.verify_sig(msg, sig).map_err(|_| Error::BadSignature))
    }

    pub(crate) fn verify_pss_sha512(&self, msg: &[u8], sig: &[u8]) -> Option<Result<()>> {
        self.pss
            .as_ref()
            .map(|k| k.verify_sig(msg, sig).map_err(|_| Error::BadSignature))
    }
}

/// An `aws-lc-rs` RSA key pair (only for 2048–8192-bit keys; smaller keys fall back to RustCrypto).
pub(crate) struct AwsRsaPrivate {
    pair: rsa::KeyPair,
}

impl AwsRsaPrivate {
    pub(crate) fn from_pkcs1_der(der: &[u8]) -> Option<Self> {
        rsa::KeyPair::from_der(der)
            .ok()
            .map(|pair| AwsRsaPrivate { pair })
    }

    fn sign(&self, enc: &'static dyn signature::RsaEncoding, msg: &[u8]) -> Result<Vec<u8>> {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        let mut sig = vec![0u8; self.pair.public_modulus_len()];
        self.pair
            .sign(enc, &rng, msg, &mut sig)
            .map_err(|_| Error::SigningFailed {
                reason: "aws-lc RSA signing failed".into(),
            })?;
        Ok(sig)
    }

    pub(crate) fn sign_pkcs1_sha256(&self, msg: &[u8]) -> Result<Vec<u8>> {
        self.sign(&signature::RSA_PKCS1_SHA256, msg)
    }

    pub(crate) fn sign_pss_sha512(&self, msg: &[u8]) -> Result<Vec<u8>> {
        self.sign(&signature::RSA_PSS_SHA512, msg)
    }
}
