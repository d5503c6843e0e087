//! Explicit size and count limits applied before any expensive work.

/// Size and count limits. Every parser checks the relevant limit before doing work, and the
/// verifier checks the body limit before hashing.
///
/// | limit | default | applies to |
/// |---|---|---|
/// | `max_header_len` | 8 KiB | each `Signature`, `Signature-Input`, `Authorization`, `Digest`, `Content-Digest` value (all lines together) |
/// | `max_signatures` | 8 | labels in `Signature-Input` / `Signature` |
/// | `max_components` | 32 | covered components per signature (cavage `headers` entries too) |
/// | `max_params` | 16 | cavage auth-params per header, RFC 9421 signature parameters |
/// | `max_key_id_len` | 2 KiB | `keyId` / `keyid` |
/// | `max_signature_len` | 2 KiB | decoded signature bytes (enough for RSA-16384) |
/// | `max_body` | 1 MiB | body bytes hashed for `Digest` / `Content-Digest` |
/// | `max_digest_entries` | 8 | entries in a `Digest` / `Content-Digest` list |
/// | `max_signing_string` | 64 KiB | bytes of a rebuilt signing string / signature base |
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Maximum length of one signature or digest header (all field lines together).
    pub max_header_len: usize,
    /// Maximum number of signatures (labels) in one message.
    pub max_signatures: usize,
    /// Maximum number of covered components per signature.
    pub max_components: usize,
    /// Maximum number of parameters per signature.
    pub max_params: usize,
    /// Maximum key id length in bytes.
    pub max_key_id_len: usize,
    /// Maximum decoded signature length in bytes.
    pub max_signature_len: usize,
    /// Maximum body size in bytes (checked before hashing).
    pub max_body: usize,
    /// Maximum number of entries in a digest header.
    pub max_digest_entries: usize,
    /// Maximum size of a rebuilt signing string / signature base.
    pub max_signing_string: usize,
}

impl Limits {
    /// The defaults of the table above.
    pub const DEFAULT: Limits = Limits {
        max_header_len: 8 * 1024,
        max_signatures: 8,
        max_components: 32,
        max_params: 16,
        max_key_id_len: 2 * 1024,
        max_signature_len: 2 * 1024,
        max_body: 1024 * 1024,
        max_digest_entries: 8,
        max_signing_string: 64 * 1024,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}
