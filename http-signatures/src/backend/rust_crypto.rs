//! Pure-Rust primitives.

use rsa::{Pkcs1v15Sign, Pss, RsaPrivateKey, RsaPublicKey};
use sha2::{Digest, Sha256, Sha512};

use crate::error::{Error, Result};

pub(crate) fn sha256(data: &[u8]) -> [u8; 32] {
    Sha256::digest(data).into()
}

pub(crate) fn sha512(data: &[u8]) -> [u8; 64] {
    Sha512::digest(data).into()
}

pub(crate) fn rsa_pkcs1_sha256_verify(key: &RsaPublicKey, msg: &[u8], sig: &[u8]) -> Result<()> {
    let hash = sha256(msg);
    key.verify(Pkcs1v15Sign::new::<Sha256>(), &hash, sig)
        .map_err(|_| Error::BadSignature)
}

pub(crate) fn rsa_pss_sha512_verify(key: &RsaPublicKey, msg: &[u8], sig: &[u8]) -> Result<()> {
    let hash = sha512(msg);
    key.verify(Pss::new_with_salt::<Sha512>(64), &hash, sig)
        .map_err(|_| Error::BadSignature)
}

pub(crate) fn rsa_pkcs1_sha256_sign(key: &RsaPrivateKey, msg: &[u8]) -> Result<Vec<u8>> {
    let hash = sha256(msg);
    key.sign_with_rng(&mut rand_core::OsRng, Pkcs1v15Sign::new::<Sha256>(), &hash)
        .map_err(|e| Error::SigningFailed {
            reason: e.to_string().into(),
        })
}

pub(crate) fn rsa_pss_sha512_sign(key: &RsaPrivateKey, msg: &[u8]) -> Result<Vec<u8>> {
    let hash = sha512(msg);
    key.sign_with_rng(
        &mut rand_core::OsRng,
        Pss::new_with_salt::<Sha512>(64),
        &hash,
    )
    .map_err(|e| Error::SigningFailed {
        reason: e.to_string().into(),
    })
}
