//! The crate's error type.

use std::panic::Location;

/// Stable, machine-readable classification of an [`Error`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// Input JSON could not be parsed or canonicalised.
    Json,
}

impl ErrorKind {
    /// Stable snake_case name of the kind.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Json => "json",
        }
    }
}

/// Error returned by this crate.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
#[error("{kind:?} at {location}: {message}")]
pub struct Error {
    kind: ErrorKind,
    message: String,
    location: &'static Location<'static>,
}

impl Error {
    /// Creates an error of `kind`, recording the caller's location.
    #[track_caller]
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error { kind, message: message.into(), location: Location::caller() }
    }
    /// The stable kind of this error.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }
    /// Where the error was created.
    pub fn location(&self) -> &'static Location<'static> {
        self.location
    }
}
