//! Multibase, base58btc only (`z` header).
//!
//! Data Integrity and Multikey allow exactly one base: "MUST start with the base-58-btc prefix
//! (`z`) … Any other encoding MUST NOT be allowed" (vc-di-eddsa, Multikey). A general multibase
//! decoder would happily accept `u` (base64url) or `f` (hex); this one refuses them.

use crate::error::Error;

/// Longest multibase string accepted, in characters (an RSA-4096 Multikey is about 750).
pub const MAX_MULTIBASE_CHARS: usize = 2048;

/// The base58btc multibase header.
pub const BASE58BTC_HEADER: char = 'z';

/// Encodes `bytes` as `z` + base58btc (Bitcoin alphabet).
///
/// ```
/// assert_eq!(identity_links::multibase::encode_base58btc(b"hello"), "zCn8eVZg");
/// ```
pub fn encode_base58btc(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(1 + bytes.len() * 138 / 100 + 1);
    out.push(BASE58BTC_HEADER);
    out.push_str(&bs58::encode(bytes).into_string());
    out
}

/// Decodes a `z` + base58btc multibase string. Any other header, an empty payload, a character
/// outside the Bitcoin alphabet or more than [`MAX_MULTIBASE_CHARS`] characters is an
/// [`Error::InvalidMultibase`].
///
/// ```
/// use identity_links::multibase::decode_base58btc;
/// assert_eq!(decode_base58btc("z7paNL19xttacUY").unwrap(), b"yes mani !");
/// assert_eq!(decode_base58btc("uaGVsbG8").unwrap_err().kind(), "invalid_multibase");
/// ```
pub fn decode_base58btc(s: &str) -> Result<Vec<u8>, Error> {
    decode_at(s, "")
}

/// [`decode_base58btc`] reporting errors at JSON Pointer `at`.
pub(crate) fn decode_at(s: &str, at: &str) -> Result<Vec<u8>, Error> {
    let bad = |reason: String| Error::InvalidMultibase {
        at: at.to_owned(),
        reason,
    };
    if s.len() > MAX_MULTIBASE_CHARS {
        return Err(bad(format!("longer than {MAX_MULTIBASE_CHARS} bytes")));
    }
    let Some(payload) = s.strip_prefix(BASE58BTC_HEADER) else {
        let header = s
            .chars()
            .next()
            .map_or_else(|| "nothing".to_owned(), |c| format!("{c:?}"));
        return Err(bad(format!(
            "header is {header}, only \"z\" (base58btc) is allowed"
        )));
    };
    if payload.is_empty() {
        return Err(bad("empty payload".to_owned()));
    }
    bs58::decode(payload)
        .into_vec()
        .map_err(|e| bad(format!("base58btc: {e}")))
}

/// Decodes a `z` + base58btc string whose payload must be exactly `N` bytes.
pub(crate) fn decode_exact<const N: usize>(s: &str, at: &str) -> Result<[u8; N], Error> {
    let bytes = decode_at(s, at)?;
    <[u8; N]>::try_from(bytes.as_slice()).map_err(|_| Error::InvalidMultibase {
        at: at.to_owned(),
        reason: format!("decodes to {} bytes, expected {N}", bytes.len()),
    })
}
