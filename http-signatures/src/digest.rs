//! RFC 3230 `Digest` (`SHA-256=<base64>`, comma lists, case-insensitive labels) and the shared
//! body-digest check used by [`crate::content_digest`].

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use subtle::ConstantTimeEq;

use crate::backend::Backend;
use crate::error::{Error, Result};
use crate::limits::Limits;

/// A digest algorithm label.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum DigestAlgorithm {
    /// `sha-256`.
    Sha256,
    /// `sha-512`.
    Sha512,
    /// A known weak / deprecated label (`sha`, `md5`, `unixsum`, `unixcksum`, `adler`,
    /// `adler32`, `crc32c`): never accepted on its own.
    Weak,
    /// Anything else: ignored.
    Unknown,
}

impl DigestAlgorithm {
    /// Classifies a label, case-insensitively.
    pub fn from_label(label: &str) -> DigestAlgorithm {
        const WEAK: [&str; 7] = [
            "sha",
            "md5",
            "unixsum",
            "unixcksum",
            "adler",
            "adler32",
            "crc32c",
        ];
        if label.eq_ignore_ascii_case("sha-256") {
            DigestAlgorithm::Sha256
        } else if label.eq_ignore_ascii_case("sha-512") {
            DigestAlgorithm::Sha512
        } else if WEAK.iter().any(|w| w.eq_ignore_ascii_case(label)) {
            DigestAlgorithm::Weak
        } else {
            DigestAlgorithm::Unknown
        }
    }

    /// Whether the algorithm counts as a strong match.
    pub fn is_strong(self) -> bool {
        matches!(self, DigestAlgorithm::Sha256 | DigestAlgorithm::Sha512)
    }
}

/// One `algorithm=value` entry of a `Digest` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestEntry<'a> {
    /// The label as received (`SHA-256`, `sha-256`, …).
    pub label: &'a str,
    /// Its classification.
    pub algorithm: DigestAlgorithm,
    /// The base64 value as received.
    pub value: &'a str,
}

/// Parses a `Digest` header value: `label=base64` entries separated by commas (OWS allowed).
/// Splits each entry at its first `=` (base64 padding follows).
pub fn parse_digest<'a>(value: &'a str, limits: &Limits) -> Result<Vec<DigestEntry<'a>>> {
    if value.len() > limits.max_header_len {
        return Err(Error::limit("digest", limits.max_header_len));
    }
    let mut out = Vec::new();
    for e in digest_entries(value) {
        let e = e?;
        if out.len() >= limits.max_digest_entries {
            return Err(Error::limit("digest", limits.max_digest_entries));
        }
        out.push(e);
    }
    if out.is_empty() {
        return Err(Error::malformed("digest", "empty digest list"));
    }
    Ok(out)
}

/// The entries of a `Digest` value in order (empty list elements skipped), each split at its
/// first `=` with OWS trimmed; an entry without `=` or with an empty side is an error. Scans
/// bytes (`,`, `=`, SP and HTAB are ASCII, so every cut is a character boundary).
fn trim_blanks(s: &str) -> &str {
    let blank = |b: u8| b == b' ' || b == b'\t';
    let start = s.bytes().position(|b| !blank(b)).unwrap_or(s.len());
    let end = s.bytes().rposition(|b| !blank(b)).map_or(start, |e| e + 1);
    s.get(start..end).unwrap_or_default()
}

fn digest_entries(value: &str) -> impl Iterator<Item = Result<DigestEntry<'_>>> {
    value.split(',').filter_map(|part| {
        let part = trim_blanks(part);
        if part.is_empty() {
            return None;
        }
        let Some(eq) = part.bytes().position(|b| b == b'=') else {
            return Some(Err(Error::malformed("digest", "entry without `=`")));
        };
        let (label, v) = (
            trim_blanks(part.get(..eq).unwrap_or_default()),
            trim_blanks(part.get(eq + 1..).unwrap_or_default()),
        );
        if label.is_empty() || v.is_empty() {
            return Some(Err(Error::malformed("digest", "empty label or value")));
        }
        Some(Ok(DigestEntry {
            label,
            algorithm: DigestAlgorithm::from_label(label),
            value: v,
        }))
    })
}

/// Lazily computed body hashes, so each algorithm is computed at most once.
struct BodyHashes<'b> {
    body: &'b [u8],
    backend: Backend,
    sha256: Option<[u8; 32]>,
    sha512: Option<[u8; 64]>,
}

impl BodyHashes<'_> {
    fn get(&mut self, alg: DigestAlgorithm) -> Option<&[u8]> {
        match alg {
            DigestAlgorithm::Sha256 => Some(
                self.sha256
                    .get_or_insert_with(|| self.backend.sha256(self.body)),
            ),
            DigestAlgorithm::Sha512 => Some(
                self.sha512
                    .get_or_insert_with(|| self.backend.sha512(self.body)),
            ),
            _ => None,
        }
    }
}

/// The shared rule of `Digest` and `Content-Digest`, fed one entry at a time: every strong
/// entry must match (constant-time compare); at least one strong entry is required; weak and
/// unknown entries are ignored. Body hashes are computed lazily, each at most once.
pub(crate) struct DigestCheck<'b> {
    header: &'static str,
    hashes: BodyHashes<'b>,
    strong: usize,
    ok: bool,
}

impl<'b> DigestCheck<'b> {
    pub(crate) fn new(header: &'static str, body: &'b [u8], backend: Backend) -> Self {
        DigestCheck {
            header,
            hashes: BodyHashes {
                body,
                backend,
                sha256: None,
                sha512: None,
            },
            strong: 0,
            ok: true,
        }
    }

    /// One entry: its algorithm and decoded value.
    pub(crate) fn entry(&mut self, alg: DigestAlgorithm, given: &[u8]) {
        if !alg.is_strong() {
            return;
        }
        self.strong += 1;
        if let Some(expected) = self.hashes.get(alg) {
            self.ok &= ct_eq(expected, given);
        }
    }

    /// The verdict once every entry was fed.
    pub(crate) fn finish(self) -> Result<()> {
        if self.strong == 0 {
            return Err(Error::WeakDigest {
                at: self.header.into(),
            });
        }
        if !self.ok {
            return Err(Error::DigestMismatch {
                at: self.header.into(),
            });
        }
        Ok(())
    }
}

/// Constant-time equality of a digest and a received value: lengths (public) first, then
/// eight bytes per `subtle` comparison instead of one.
fn ct_eq(expected: &[u8], given: &[u8]) -> bool {
    if expected.len() != given.len() {
        return false;
    }
    let word = |c: &[u8]| {
        let mut w = [0u8; 8];
        w.copy_from_slice(c);
        u64::from_ne_bytes(w)
    };
    let (e, g) = (expected.chunks_exact(8), given.chunks_exact(8));
    let tail: bool = e.remainder().ct_eq(g.remainder()).into();
    let mut eq = subtle::Choice::from(u8::from(tail));
    for (a, b) in e.zip(g) {
        eq &= word(a).ct_eq(&word(b));
    }
    eq.into()
}

/// Checks the body size against `limits.max_body` (before any hashing).
pub(crate) fn check_body_len(body: &[u8], limits: &Limits) -> Result<()> {
    if body.len() > limits.max_body {
        return Err(Error::BodyTooLarge {
            limit: limits.max_body,
        });
    }
    Ok(())
}

/// Verifies a `Digest` header value against the raw body bytes.
///
/// One pass, no allocation, with [`parse_digest`]'s errors and precedence: a syntax or limit
/// error anywhere wins over a strong value that is not base64, which wins over a mismatch.
pub fn verify_digest(value: &str, body: &[u8], backend: Backend, limits: &Limits) -> Result<()> {
    check_body_len(body, limits)?;
    if value.len() > limits.max_header_len {
        return Err(Error::limit("digest", limits.max_header_len));
    }
    let mut check = DigestCheck::new("digest", body, backend);
    let mut n = 0;
    let mut not_base64 = false;
    for e in digest_entries(value) {
        let e = e?;
        if n >= limits.max_digest_entries {
            return Err(Error::limit("digest", limits.max_digest_entries));
        }
        n += 1;
        if !e.algorithm.is_strong() || not_base64 {
            continue;
        }
        let mut buf = [0u8; 96];
        match decode_digest_value(e.value, &mut buf) {
            Some(given) => check.entry(e.algorithm, given),
            None => not_base64 = true,
        }
    }
    if n == 0 {
        return Err(Error::malformed("digest", "empty digest list"));
    }
    if not_base64 {
        return Err(Error::malformed("digest", "value is not base64"));
    }
    check.finish()
}

/// Decodes a base64 digest value into `buf`; `Some(&[])` for valid base64 longer than any strong
/// digest (it cannot match), `None` when it is not base64.
fn decode_digest_value<'b>(v: &str, buf: &'b mut [u8; 96]) -> Option<&'b [u8]> {
    match crate::b64::decode_into(v.as_bytes(), buf) {
        Ok(n) => buf.get(..n),
        Err(crate::b64::B64Error::TooSmall) => Some(&[]),
        Err(crate::b64::B64Error::Invalid) => None,
    }
}

/// `SHA-256=<base64>` for a body (what Mastodon and every fediverse sender emit).
pub fn digest_header_value(body: &[u8], backend: Backend) -> String {
    let mut s = String::with_capacity(52);
    s.push_str("SHA-256=");
    STANDARD.encode_string(backend.sha256(body), &mut s);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"hello": "world"}"#;
    const SHA256: &str = "X48E9qOokqqrvdts8nOJRJN3OWDUoyWxBf7kbu9DBPE=";

    fn v(s: &str) -> Result<()> {
        verify_digest(s, BODY, Backend::default(), &Limits::DEFAULT)
    }

    #[test]
    fn accepts_sha256_any_case_and_lists() {
        assert_eq!(v(&format!("SHA-256={SHA256}")), Ok(()));
        assert_eq!(v(&format!("sha-256={SHA256}")), Ok(()));
        assert_eq!(v(&format!("unknown=abc, SHA-256={SHA256}")), Ok(()));
        assert_eq!(
            digest_header_value(BODY, Backend::RustCrypto),
            format!("SHA-256={SHA256}")
        );
    }

    /// The previous `str`-pattern implementation of the entry split, as the reference.
    fn reference(value: &str) -> Vec<std::result::Result<(String, String), ()>> {
        let mut out = Vec::new();
        for part in value.split(',') {
            let part = part.trim_matches([' ', '\t']);
            if part.is_empty() {
                continue;
            }
            let Some((label, v)) = part.split_once('=') else {
                out.push(Err(()));
                continue;
            };
            let label = label.trim_end_matches([' ', '\t']);
            let v = v.trim_start_matches([' ', '\t']);
            if label.is_empty() || v.is_empty() {
                out.push(Err(()));
                continue;
            }
            out.push(Ok((label.to_owned(), v.to_owned())));
        }
        out
    }

    proptest::proptest! {
        #[test]
        fn entry_split_agrees_with_reference(s in "[a= ,\t\u{e9}-]{0,16}") {
            let ours: Vec<_> = digest_entries(&s)
                .map(|e| e.map(|e| (e.label.to_owned(), e.value.to_owned())).map_err(|_| ()))
                .collect();
            proptest::prop_assert_eq!(ours, reference(&s));
        }
    }

    #[test]
    fn compares_every_byte() {
        let a: Vec<u8> = (0..64).collect();
        assert!(ct_eq(&a, &a));
        assert!(ct_eq(&a[..33], &a[..33]));
        assert!(!ct_eq(&a[..32], &a[..31]));
        for i in 0..64 {
            let mut b = a.clone();
            b[i] ^= 0x10;
            assert!(!ct_eq(&a, &b), "{i}");
        }
    }

    #[test]
    fn rejects() {
        assert_eq!(
            v("SHA=07CavjDP4u3/TungoUHJO/Wzr4c=").unwrap_err().kind(),
            "weak_digest"
        );
        assert_eq!(
            v("SHA-256=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=")
                .unwrap_err()
                .kind(),
            "digest_mismatch"
        );
        assert_eq!(
            v(&format!("SHA-256={SHA256},SHA-512=AAAA"))
                .unwrap_err()
                .kind(),
            "digest_mismatch"
        );
        assert_eq!(v("SHA-256=!!!").unwrap_err().kind(), "malformed_header");
        assert_eq!(v("").unwrap_err().kind(), "malformed_header");
        assert_eq!(v("SHA-256").unwrap_err().kind(), "malformed_header");
        let mut l = Limits::DEFAULT;
        l.max_body = 4;
        assert_eq!(
            verify_digest(&format!("SHA-256={SHA256}"), BODY, Backend::default(), &l)
                .unwrap_err()
                .kind(),
            "body_too_large"
        );
    }
}
