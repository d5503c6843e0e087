//! RFC 9530 `Content-Digest`: an RFC 8941 Dictionary `alg=:bytes:`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sfv::BareItemFromInput;

use crate::backend::Backend;
use crate::digest::{BodyHashes, DigestAlgorithm, check_entries};
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::rfc9421::{RawEntry, RawItem};

/// Parses every `Content-Digest` field line into `(algorithm, label, bytes)` triples. Members
/// whose algorithm is unknown or weak are returned with their bytes (or empty when not a byte
/// sequence); strong members must be byte sequences.
pub fn parse_content_digest<'a>(
    lines: impl IntoIterator<Item = &'a [u8]>,
    limits: &Limits,
) -> Result<Vec<(DigestAlgorithm, String, Vec<u8>)>> {
    let mut scratch = Vec::new();
    let dict = crate::rfc9421::sf_parse_dictionary(
        lines,
        "content-digest",
        limits.max_header_len,
        limits.max_digest_entries,
        &mut scratch,
    )?;
    let mut out = Vec::with_capacity(dict.len());
    for (k, entry) in dict {
        let alg = DigestAlgorithm::from_label(k.as_str());
        let bytes = match entry {
            RawEntry::Item(RawItem {
                bare: BareItemFromInput::ByteSequence(b),
                ..
            }) => b,
            _ if alg.is_strong() => {
                return Err(Error::malformed(
                    "content-digest",
                    format!("{} is not a byte sequence", k.as_str()),
                ));
            }
            _ => Vec::new(),
        };
        out.push((alg, k.as_str().to_owned(), bytes));
    }
    Ok(out)
}

/// Verifies `Content-Digest` field lines against the raw body bytes: every `sha-256` /
/// `sha-512` member must match and at least one must be present.
pub fn verify_content_digest<'a>(
    lines: impl IntoIterator<Item = &'a [u8]>,
    body: &[u8],
    backend: Backend,
    limits: &Limits,
) -> Result<()> {
    if body.len() > limits.max_body {
        return Err(Error::BodyTooLarge {
            limit: limits.max_body,
        });
    }
    let entries = parse_content_digest(lines, limits)?;
    let mut hashes = BodyHashes::new(body, backend);
    check_entries(
        "content-digest",
        entries.iter().map(|(a, _, b)| (*a, b.as_slice())),
        &mut hashes,
    )
}

/// `sha-256=:<base64>:` for a body.
pub fn content_digest_header_value(body: &[u8], backend: Backend) -> String {
    let mut s = String::with_capacity(56);
    s.push_str("sha-256=:");
    STANDARD.encode_string(backend.sha256(body), &mut s);
    s.push(':');
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str, body: &[u8]) -> Result<()> {
        verify_content_digest([s.as_bytes()], body, Backend::default(), &Limits::DEFAULT)
    }

    #[test]
    fn rfc9530_examples() {
        let body = b"{\"hello\": \"world\"}\n";
        assert_eq!(
            v(
                "sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:",
                body
            ),
            Ok(())
        );
        assert_eq!(
            v(
                "md5=:AAAA:, sha-256=:RK/0qy18MlBSVnWgjwz6lZEWjP/lF5HF9bvEF8FabDg=:",
                body
            ),
            Ok(())
        );
        assert_eq!(v("sha=:AAAA:", body).unwrap_err().kind(), "weak_digest");
        assert_eq!(
            v("sha-256=:AAAA:", body).unwrap_err().kind(),
            "digest_mismatch"
        );
        assert_eq!(v("sha-256=1", body).unwrap_err().kind(), "malformed_header");
        assert_eq!(
            v("SHA-256=:AAAA:", body).unwrap_err().kind(),
            "malformed_header"
        );
        assert_eq!(
            content_digest_header_value(b"", Backend::RustCrypto),
            "sha-256=:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=:"
        );
    }
}
