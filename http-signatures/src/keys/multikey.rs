//! FEP-521a Multikey (`publicKeyMultibase`): multibase base58btc (`z`) + multicodec varint
//! prefix + key bytes.

use rsa::pkcs1::DecodeRsaPublicKey;

use super::{PublicKey, RsaPublic};
use crate::algorithm::RsaPadding;
use crate::error::{Error, Result};

/// Multicodec key types understood by [`decode_multikey`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Multicodec {
    /// `ed25519-pub` (0xed): 32 bytes.
    Ed25519Pub,
    /// `rsa-pub` (0x1205): PKCS#1 RSAPublicKey DER.
    RsaPub,
    /// `p256-pub` (0x1200): compressed SEC1 point.
    P256Pub,
    /// `p384-pub` (0x1201): compressed SEC1 point.
    P384Pub,
}

impl Multicodec {
    const fn code(self) -> u64 {
        match self {
            Multicodec::Ed25519Pub => 0xed,
            Multicodec::RsaPub => 0x1205,
            Multicodec::P256Pub => 0x1200,
            Multicodec::P384Pub => 0x1201,
        }
    }

    fn from_code(code: u64) -> Option<Self> {
        [
            Multicodec::Ed25519Pub,
            Multicodec::RsaPub,
            Multicodec::P256Pub,
            Multicodec::P384Pub,
        ]
        .into_iter()
        .find(|m| m.code() == code)
    }
}

/// Maximum accepted `publicKeyMultibase` length (an RSA-8192 key is ~1.5 KB of base58).
const MAX_MULTIBASE: usize = 4096;

/// Decodes a `publicKeyMultibase` value into its multicodec and raw key bytes.
pub fn decode_multikey(multibase: &str) -> Result<(Multicodec, Vec<u8>)> {
    if multibase.len() > MAX_MULTIBASE {
        return Err(Error::invalid_key("publicKeyMultibase too long"));
    }
    let b58 = multibase
        .strip_prefix('z')
        .ok_or_else(|| Error::invalid_key("publicKeyMultibase must be base58btc ('z')"))?;
    let bytes = bs58::decode(b58)
        .into_vec()
        .map_err(|_| Error::invalid_key("publicKeyMultibase is not base58btc"))?;
    let (code, used) = read_varint(&bytes)
        .ok_or_else(|| Error::invalid_key("publicKeyMultibase has no multicodec prefix"))?;
    let codec = Multicodec::from_code(code)
        .ok_or_else(|| Error::invalid_key(format!("unsupported multicodec 0x{code:x}")))?;
    Ok((codec, bytes[used..].to_vec()))
}

/// Encodes raw key bytes as `publicKeyMultibase`.
pub(crate) fn encode_multikey(codec: Multicodec, key: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(key.len() + 3);
    let mut c = codec.code();
    loop {
        let b = (c & 0x7f) as u8;
        c >>= 7;
        if c == 0 {
            bytes.push(b);
            break;
        }
        bytes.push(b | 0x80);
    }
    bytes.extend_from_slice(key);
    format!("z{}", bs58::encode(bytes).into_string())
}

fn read_varint(bytes: &[u8]) -> Option<(u64, usize)> {
    let mut value = 0u64;
    for (i, b) in bytes.iter().enumerate().take(9) {
        value |= u64::from(b & 0x7f) << (7 * i);
        if b & 0x80 == 0 {
            return Some((value, i + 1));
        }
    }
    None
}

pub(super) fn public_from_multikey(multibase: &str) -> Result<PublicKey> {
    let (codec, key) = decode_multikey(multibase)?;
    match codec {
        Multicodec::Ed25519Pub => {
            let bytes: &[u8; 32] = key
                .as_slice()
                .try_into()
                .map_err(|_| Error::invalid_key("Ed25519 Multikey is not 32 bytes"))?;
            PublicKey::ed25519_from_bytes(bytes)
        }
        Multicodec::RsaPub => {
            let k = rsa::RsaPublicKey::from_pkcs1_der(&key)
                .map_err(|e| Error::invalid_key(format!("RSA Multikey: {e}")))?;
            Ok(PublicKey::Rsa(RsaPublic::new(k, RsaPadding::Pkcs1v15)))
        }
        #[cfg(feature = "p256")]
        Multicodec::P256Pub => p256::ecdsa::VerifyingKey::from_sec1_bytes(&key)
            .map(PublicKey::EcdsaP256)
            .map_err(|_| Error::invalid_key("bad P-256 Multikey")),
        #[cfg(feature = "p384")]
        Multicodec::P384Pub => p384::ecdsa::VerifyingKey::from_sec1_bytes(&key)
            .map(PublicKey::EcdsaP384)
            .map_err(|_| Error::invalid_key("bad P-384 Multikey")),
        #[allow(unreachable_patterns)]
        _ => Err(Error::invalid_key(
            "EC Multikey not supported in this build (features p256 / p384)",
        )),
    }
}

impl PublicKey {
    /// Encodes an Ed25519 or RSA key as FEP-521a `publicKeyMultibase`.
    pub fn to_multikey(&self) -> Option<String> {
        match self {
            PublicKey::Ed25519(k) => Some(encode_multikey(Multicodec::Ed25519Pub, k.as_bytes())),
            PublicKey::Rsa(r) => {
                use rsa::pkcs1::EncodeRsaPublicKey;
                let der = r.as_rsa().to_pkcs1_der().ok()?;
                Some(encode_multikey(Multicodec::RsaPub, der.as_bytes()))
            }
            #[allow(unreachable_patterns)]
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_round_trip() {
        for codec in [
            Multicodec::Ed25519Pub,
            Multicodec::RsaPub,
            Multicodec::P256Pub,
        ] {
            let s = encode_multikey(codec, &[1, 2, 3]);
            let (c, k) = decode_multikey(&s).unwrap();
            assert_eq!((c, k.as_slice()), (codec, &[1u8, 2, 3][..]));
        }
        assert!(encode_multikey(Multicodec::Ed25519Pub, &[0; 32]).starts_with("z6Mk"));
    }

    #[test]
    fn rejects_garbage() {
        for s in ["", "z", "m6Mk", "z0OIl", "z111"] {
            assert_eq!(decode_multikey(s).unwrap_err().kind(), "invalid_key", "{s}");
        }
    }
}
