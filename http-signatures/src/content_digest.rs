//! RFC 9530 `Content-Digest`: an RFC 8941 Dictionary `alg=:bytes:`.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sfv::BareItemFromInput;

use crate::backend::Backend;
use crate::digest::{DigestAlgorithm, DigestCheck, check_body_len};
use crate::error::{Error, Result};
use crate::limits::Limits;
use crate::rfc9421::{RawEntry, RawItem, for_each_byte_sequence_member};

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
    check_body_len(body, limits)?;
    let mut it = lines.into_iter();
    let first = it.next();
    let second = it.next();
    if let (Some(line), None) = (first, second)
        && let Some(verdict) = verify_content_digest_fast(line, body, backend, limits)
    {
        return verdict;
    }
    let entries = parse_content_digest(first.into_iter().chain(second).chain(it), limits)?;
    let mut check = DigestCheck::new("content-digest", body, backend);
    for (alg, _, bytes) in &entries {
        check.entry(*alg, bytes);
    }
    check.finish()
}

/// One line of `alg=:base64:` members (what every sender emits), checked without building
/// the dictionary: each value is decoded into a stack buffer. `None` when the line is not of
/// that shape, repeats a key, exceeds a limit, holds a value longer than 64 bytes or not
/// base64: the full parser then decides (same result; see the proptest below).
fn verify_content_digest_fast(
    line: &[u8],
    body: &[u8],
    backend: Backend,
    limits: &Limits,
) -> Option<Result<()>> {
    const MAX_KEYS: usize = 8;
    if line.len() > limits.max_header_len {
        return None;
    }
    let mut check = DigestCheck::new("content-digest", body, backend);
    let mut keys: [&str; MAX_KEYS] = [""; MAX_KEYS];
    let mut n = 0;
    for_each_byte_sequence_member(line, |key, b64| {
        if n >= limits.max_digest_entries.min(MAX_KEYS) || keys.get(..n)?.contains(&key) {
            return None;
        }
        *keys.get_mut(n)? = key;
        n += 1;
        let mut buf = [0u8; 64];
        let len = crate::b64::decode_into(b64, &mut buf).ok()?;
        check.entry(DigestAlgorithm::from_label(key), buf.get(..len)?);
        Some(())
    })?;
    Some(check.finish())
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

    use proptest::prelude::*;

    fn slow(line: &str, body: &[u8]) -> Result<()> {
        let entries = parse_content_digest([line.as_bytes()], &Limits::DEFAULT)?;
        let mut check = DigestCheck::new("content-digest", body, Backend::RustCrypto);
        for (alg, _, bytes) in &entries {
            check.entry(*alg, bytes);
        }
        check.finish()
    }

    fn member() -> impl Strategy<Value = String> {
        let body_hash = {
            let h = Backend::RustCrypto.sha256(b"body");
            STANDARD.encode(h)
        };
        (
            prop_oneof![
                Just("sha-256"),
                Just("sha-512"),
                Just("SHA-256"),
                Just("md5"),
                Just("sha"),
                Just("x"),
                Just("*k"),
                Just("Bad"),
            ],
            prop_oneof![
                Just(body_hash),
                proptest::collection::vec(any::<u8>(), 0..70).prop_map(|b| STANDARD.encode(b)),
                "[A-Za-z0-9+/=]{0,12}",
            ],
            prop_oneof![Just(":"), Just(""), Just(":;p=1"), Just("::")],
        )
            .prop_map(|(k, v, end)| format!("{k}=:{v}{end}"))
    }

    proptest! {
        /// Wherever the fast path answers, it is the full parser's verdict.
        #[test]
        fn fast_content_digest_agrees_with_sfv(
            members in proptest::collection::vec(member(), 0..5),
            sep in prop_oneof![Just(", "), Just(","), Just(" ,\t"), Just(" ")],
            tail in prop_oneof![Just(""), Just(" "), Just(",")],
        ) {
            let line = format!("{}{tail}", members.join(sep));
            if let Some(fast) =
                verify_content_digest_fast(line.as_bytes(), b"body", Backend::RustCrypto, &Limits::DEFAULT)
            {
                prop_assert_eq!(fast, slow(&line, b"body"), "{}", line);
            }
        }
    }

    #[test]
    fn fast_path_takes_the_usual_shape() {
        let line = content_digest_header_value(b"body", Backend::RustCrypto);
        let fast = verify_content_digest_fast(
            line.as_bytes(),
            b"body",
            Backend::RustCrypto,
            &Limits::DEFAULT,
        );
        assert_eq!(fast, Some(Ok(())));
        let fast = verify_content_digest_fast(
            line.as_bytes(),
            b"tampered",
            Backend::RustCrypto,
            &Limits::DEFAULT,
        );
        assert_eq!(fast.map(|r| r.unwrap_err().kind()), Some("digest_mismatch"));
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
