//! Loading keys from files: PEM (SPKI, PKCS#1, PKCS#8), FEP-521a Multikey (`z…`), or a JSON
//! object holding `publicKeyPem`, `publicKeyMultibase` or `privateKeyMultibase`.

use http_signatures::{PrivateKey, PublicKey};
use identity_links::ed25519_dalek::pkcs8::{DecodePrivateKey as _, DecodePublicKey as _};
use identity_links::ed25519_dalek::{SigningKey, VerifyingKey};
use serde_json::Value;

use crate::input::{MAX_KEY_FILE, read_text};
use crate::output::{CliError, EXIT_USAGE, http_sig_error};

/// What a key file holds, before choosing the library type.
enum KeyText {
    /// PEM text.
    Pem(String),
    /// A multibase public key (`z6Mk…`).
    PublicMultibase(String),
    /// A multibase secret key (`z3u2…`).
    SecretMultibase(String),
}

fn key_text(path: &str) -> Result<KeyText, CliError> {
    let text = read_text(path, MAX_KEY_FILE)?;
    let trimmed = text.trim();
    if trimmed.contains("-----BEGIN") {
        return Ok(KeyText::Pem(trimmed.to_owned()));
    }
    if trimmed.starts_with('{') {
        let doc: Value = serde_json::from_str(trimmed).map_err(|e| bad(path, &format!("{e}")))?;
        let field = |name: &str| {
            doc.get(name)
                .or_else(|| doc.get("publicKey").and_then(|k| k.get(name)))
                .and_then(Value::as_str)
                .map(str::to_owned)
        };
        if let Some(s) = field("privateKeyMultibase") {
            return Ok(KeyText::SecretMultibase(s));
        }
        if let Some(s) = field("publicKeyPem") {
            return Ok(KeyText::Pem(s));
        }
        if let Some(s) = field("publicKeyMultibase") {
            return Ok(KeyText::PublicMultibase(s));
        }
        return Err(bad(
            path,
            "JSON key files must hold publicKeyPem, publicKeyMultibase or privateKeyMultibase \
             (JWK is not supported)",
        ));
    }
    if trimmed.starts_with('z') && !trimmed.contains(char::is_whitespace) {
        // Ed25519 secret Multikeys start with z3u2 (multicodec 0x1300), public ones with z6Mk.
        if trimmed.starts_with("z3u2") {
            return Ok(KeyText::SecretMultibase(trimmed.to_owned()));
        }
        return Ok(KeyText::PublicMultibase(trimmed.to_owned()));
    }
    Err(bad(path, "not a PEM key, a Multikey or a JSON key object"))
}

fn bad(path: &str, why: &str) -> CliError {
    CliError::usage("invalid_key", format!("{path}: {why}"), Some(path))
}

fn located(path: &str, mut e: CliError) -> CliError {
    e.message = format!("{path}: {}", e.message);
    e.at = Some(path.to_owned());
    e.code = EXIT_USAGE;
    e
}

fn secret_seed(path: &str, multibase: &str) -> Result<[u8; 32], CliError> {
    identity_links::multikey::decode_ed25519_secret(multibase)
        .map(|k| k.to_bytes())
        .map_err(|e| bad(path, &e.to_string()))
}

/// A verification key for HTTP signatures. A private key file is accepted too (its public half
/// is used), which makes sign → verify round trips one key file.
pub fn public_key(path: &str) -> Result<PublicKey, CliError> {
    match key_text(path)? {
        KeyText::Pem(pem) if pem.contains("PRIVATE KEY") => PrivateKey::from_pem(&pem)
            .map(|k| k.public_key())
            .map_err(|e| located(path, http_sig_error(&e))),
        KeyText::Pem(pem) => {
            PublicKey::from_pem(&pem).map_err(|e| located(path, http_sig_error(&e)))
        }
        KeyText::PublicMultibase(m) => {
            PublicKey::from_multikey(&m).map_err(|e| located(path, http_sig_error(&e)))
        }
        KeyText::SecretMultibase(m) => {
            Ok(PrivateKey::ed25519_from_seed(&secret_seed(path, &m)?).public_key())
        }
    }
}

/// A signing key for HTTP signatures.
pub fn private_key(path: &str) -> Result<PrivateKey, CliError> {
    match key_text(path)? {
        KeyText::Pem(pem) => {
            PrivateKey::from_pem(&pem).map_err(|e| located(path, http_sig_error(&e)))
        }
        KeyText::SecretMultibase(m) => Ok(PrivateKey::ed25519_from_seed(&secret_seed(path, &m)?)),
        KeyText::PublicMultibase(_) => Err(bad(path, "a public key cannot sign")),
    }
}

/// An Ed25519 signing key for FEP-8b32 proofs (PKCS#8 PEM or a Multikey secret).
pub fn ed25519_signing_key(path: &str) -> Result<SigningKey, CliError> {
    match key_text(path)? {
        KeyText::Pem(pem) => SigningKey::from_pkcs8_pem(&pem)
            .map_err(|e| bad(path, &format!("not an Ed25519 PKCS#8 private key: {e}"))),
        KeyText::SecretMultibase(m) => Ok(SigningKey::from_bytes(&secret_seed(path, &m)?)),
        KeyText::PublicMultibase(_) => Err(bad(path, "a public key cannot sign")),
    }
}

/// An Ed25519 verification key for FEP-8b32 proofs (SPKI PEM, Multikey, or a private key).
pub fn ed25519_verifying_key(path: &str) -> Result<VerifyingKey, CliError> {
    match key_text(path)? {
        KeyText::Pem(pem) if pem.contains("PRIVATE KEY") => SigningKey::from_pkcs8_pem(&pem)
            .map(|k| k.verifying_key())
            .map_err(|e| bad(path, &format!("not an Ed25519 PKCS#8 private key: {e}"))),
        KeyText::Pem(pem) => VerifyingKey::from_public_key_pem(&pem)
            .map_err(|e| bad(path, &format!("not an Ed25519 public key: {e}"))),
        KeyText::PublicMultibase(m) => identity_links::multikey::decode_ed25519_public(&m)
            .map_err(|e| bad(path, &e.to_string())),
        KeyText::SecretMultibase(m) => {
            Ok(SigningKey::from_bytes(&secret_seed(path, &m)?).verifying_key())
        }
    }
}
