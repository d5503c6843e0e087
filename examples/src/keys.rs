//! Signing keys: an RSA-2048 key per server for draft-cavage (`#main-key` of each account, as
//! Mastodon's `publicKey`), and an Ed25519 key per account for RFC 9421 (`#ed25519-key`, a
//! FEP-521a Multikey in `assertionMethod`).
//!
//! The RSA key is generated once per server and shared by its accounts (generating 2048-bit
//! keys per account would dominate the run); every account still publishes it under its own key
//! id with itself as `owner`, which is all a verifier checks. Ed25519 account keys are derived
//! from a per-server secret and the username, so a restarted server signs with the same keys.

use http_signatures::PrivateKey;
use rand_core::{OsRng, RngCore};
use sha2::{Digest, Sha256};

/// Which signature scheme outgoing requests use.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureScheme {
    /// draft-cavage-12, Mastodon's shape.
    Cavage,
    /// RFC 9421 with the account's Ed25519 key.
    Rfc9421,
}

/// A server's key material.
#[derive(Clone)]
pub struct ServerKeys {
    /// The RSA (or, in fast test runs, Ed25519) key shared by the server's accounts for cavage.
    pub main: PrivateKey,
    /// Its public key as SPKI PEM (for `publicKey.publicKeyPem`).
    pub main_pem: String,
    secret: [u8; 32],
}

impl std::fmt::Debug for ServerKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ServerKeys { .. }")
    }
}

impl ServerKeys {
    /// New keys: an RSA-2048 main key when `rsa` is set (the default), else Ed25519 (fast in
    /// debug builds; cavage then signs `hs2019`).
    pub fn generate(rsa: bool) -> anyhow::Result<ServerKeys> {
        use rsa::pkcs8::{EncodePublicKey, LineEnding};
        let mut secret = [0u8; 32];
        OsRng.fill_bytes(&mut secret);
        let (main, main_pem) = if rsa {
            let key = rsa::RsaPrivateKey::new(&mut OsRng, 2048)?;
            let pem = key.to_public_key().to_public_key_pem(LineEnding::LF)?;
            (PrivateKey::from_rsa(key), pem)
        } else {
            let mut seed = [0u8; 32];
            OsRng.fill_bytes(&mut seed);
            let signing = ed25519_dalek::SigningKey::from_bytes(&seed);
            let pem = ed25519_dalek::pkcs8::EncodePublicKey::to_public_key_pem(
                &signing.verifying_key(),
                ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF,
            )?;
            (PrivateKey::ed25519_from_seed(&seed), pem)
        };
        Ok(ServerKeys {
            main,
            main_pem,
            secret,
        })
    }

    fn seed(&self, username: &str) -> [u8; 32] {
        let mut h = Sha256::new();
        h.update(self.secret);
        h.update(username.as_bytes());
        h.finalize().into()
    }

    /// The Ed25519 key of an account.
    pub fn account_key(&self, username: &str) -> PrivateKey {
        PrivateKey::ed25519_from_seed(&self.seed(username))
    }

    /// The account's Ed25519 public key as a Multikey (`z6Mk…`).
    pub fn account_multikey(&self, username: &str) -> String {
        let signing = ed25519_dalek::SigningKey::from_bytes(&self.seed(username));
        identity_links::multikey::encode_ed25519_public(&signing.verifying_key())
    }
}
