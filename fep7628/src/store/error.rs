//! Errors of the plug-in traits.

/// The class of a storage error, which decides what the driver does with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StoreErrorKind {
    /// Temporarily unavailable (connection lost, lock timeout): retry later.
    Unavailable,
    /// A row could not be read or written as given (constraint, decoding): retrying will not help.
    Rejected,
    /// The stored data is inconsistent (for example a checkpoint that does not parse).
    Corrupt,
}

impl StoreErrorKind {
    /// Stable snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            StoreErrorKind::Unavailable => "store_unavailable",
            StoreErrorKind::Rejected => "store_rejected",
            StoreErrorKind::Corrupt => "store_corrupt",
        }
    }
}

/// An error reported by a store implementation.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}: {detail}", kind.as_str())]
pub struct StoreError {
    /// What class of error.
    pub kind: StoreErrorKind,
    /// Human-readable detail from the backend.
    pub detail: String,
}

impl StoreError {
    /// A new error.
    pub fn new(kind: StoreErrorKind, detail: impl Into<String>) -> Self {
        StoreError {
            kind,
            detail: detail.into(),
        }
    }

    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        self.kind.as_str()
    }

    /// Worth retrying.
    pub fn is_transient(&self) -> bool {
        self.kind == StoreErrorKind::Unavailable
    }
}

/// A transport-level fetch failure (a non-2xx status is not one: see
/// [`Fetched::status`](super::Fetched)).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum FetchError {
    /// DNS, connect, TLS or read failure, or a timeout.
    #[error("fetch of {url} failed: {detail}")]
    Transport {
        /// The URL asked for.
        url: String,
        /// What failed.
        detail: String,
    },
    /// The body exceeded the fetcher's size limit.
    #[error("fetch of {url}: body larger than {limit} bytes")]
    TooLarge {
        /// The URL asked for.
        url: String,
        /// The limit in bytes.
        limit: usize,
    },
    /// The fetcher refuses this URL (scheme, private address, blocked domain).
    #[error("fetch of {url} refused: {reason}")]
    Refused {
        /// The URL asked for.
        url: String,
        /// Why.
        reason: String,
    },
}

impl FetchError {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            FetchError::Transport { .. } => "fetch_transport",
            FetchError::TooLarge { .. } => "fetch_too_large",
            FetchError::Refused { .. } => "fetch_refused",
        }
    }
}
