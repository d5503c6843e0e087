//! Loading keys from files: PEM (SPKI, PKCS#1, PKCS#8), FEP-521a Multikey (`z…`), a JSON
//! object holding `publicKeyPem`, `publicKeyMultibase` or `privateKeyMultibase`, or a public JWK.

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
    /// A public JWK (RFC 7517): RSA `n`/`e` or OKP Ed25519 `x`.
    Jwk(Value),
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
        if doc.get("kty").is_some() {
            return Ok(KeyText::Jwk(doc));
        }
        return Err(bad(
            path,
            "JSON key files must hold publicKeyPem, publicKeyMultibase, privateKeyMultibase, or \
             be a public JWK",
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
        KeyText::Jwk(jwk) => jwk_public(path, &jwk),
    }
}

/// A public JWK: RSA from `n` and `e`, Ed25519 from `x` (RFC 8037). Private members are ignored.
fn jwk_public(path: &str, jwk: &Value) -> Result<PublicKey, CliError> {
    let member = |name: &str| {
        jwk.get(name)
            .and_then(Value::as_str)
            .and_then(base64url)
            .ok_or_else(|| {
                bad(
                    path,
                    &format!("JWK member {name} is missing or not base64url"),
                )
            })
    };
    match (
        jwk.get("kty").and_then(Value::as_str),
        jwk.get("crv").and_then(Value::as_str),
    ) {
        (Some("RSA"), _) => PublicKey::rsa_from_components(&member("n")?, &member("e")?)
            .map_err(|e| located(path, http_sig_error(&e))),
        (Some("OKP"), Some("Ed25519")) => {
            let x: [u8; 32] = member("x")?
                .try_into()
                .map_err(|_| bad(path, "JWK x is not 32 bytes"))?;
            PublicKey::ed25519_from_bytes(&x).map_err(|e| located(path, http_sig_error(&e)))
        }
        _ => Err(bad(path, "only RSA and OKP/Ed25519 JWKs are read")),
    }
}

/// Unpadded base64url (RFC 4648 §5), as JWK members are written; `None` on any other byte.
fn base64url(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0u32;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((acc >> bits) & 0xff).ok()?);
        }
    }
    Some(out)
}

/// A signing key for HTTP signatures.
pub fn private_key(path: &str) -> Result<PrivateKey, CliError> {
    match key_text(path)? {
        KeyText::Pem(pem) => {
            PrivateKey::from_pem(&pem).map_err(|e| located(path, http_sig_error(&e)))
        }
        KeyText::SecretMultibase(m) => Ok(PrivateKey::ed25519_from_seed(&secret_seed(path, &m)?)),
        KeyText::PublicMultibase(_) | KeyText::Jwk(_) => Err(bad(path, "a public key cannot sign")),
    }
}

/// An Ed25519 signing key for FEP-8b32 proofs (PKCS#8 PEM or a Multikey secret).
pub fn ed25519_signing_key(path: &str) -> Result<SigningKey, CliError> {
    match key_text(path)? {
        KeyText::Pem(pem) => SigningKey::from_pkcs8_pem(&pem)
            .map_err(|e| bad(path, &format!("not an Ed25519 PKCS#8 private key: {e}"))),
        KeyText::SecretMultibase(m) => Ok(SigningKey::from_bytes(&secret_seed(path, &m)?)),
        KeyText::PublicMultibase(_) | KeyText::Jwk(_) => Err(bad(path, "a public key cannot sign")),
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
        KeyText::Jwk(jwk) => match jwk_public(path, &jwk)? {
            PublicKey::Ed25519(k) => Ok(k),
            _ => Err(bad(path, "not an Ed25519 key")),
        },
    }
}
