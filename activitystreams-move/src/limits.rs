//! Explicit resource limits for reading untrusted documents (DESIGN §2.3).

/// Limits applied while reading a document. Exceeding one is an [`Error`](crate::Error)
/// (`too_large`, `too_deep`), except [`max_also_known_as`](Limits::max_also_known_as), which
/// truncates and is reported by validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest document accepted by `from_slice`, in bytes (default 256 KiB).
    pub max_document_bytes: usize,
    /// Deepest nesting of arrays and objects (default 32; a Mastodon actor needs 4).
    pub max_depth: usize,
    /// Longest array anywhere in the document (default 1024).
    pub max_array_len: usize,
    /// `alsoKnownAs` entries kept; later ones are dropped (default 256, Mastodon's
    /// `ALSO_KNOWN_AS_HARD_LIMIT`; Mitra keeps 10).
    pub max_also_known_as: usize,
    /// Keys kept per actor in `publicKey` and `assertionMethod` together (default 64).
    pub max_keys: usize,
    /// Entries in `@context` (arrays flattened, default 32).
    pub max_context_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_document_bytes: 256 * 1024,
            max_depth: 32,
            max_array_len: 1024,
            max_also_known_as: 256,
            max_keys: 64,
            max_context_entries: 32,
        }
    }
}
