//! Errors of the follower-list reader.

/// What is wrong, without the location.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ListErrorKind {
    /// The line is longer than the limit; it is skipped.
    #[error("line longer than {limit} bytes")]
    LineTooLong {
        /// The limit.
        limit: usize,
    },
    /// The input is larger than the limit; reading stops.
    #[error("input larger than {limit} bytes")]
    TooLarge {
        /// The limit.
        limit: u64,
    },
    /// More entries than the limit; reading stops.
    #[error("more than {limit} entries")]
    TooManyEntries {
        /// The limit.
        limit: usize,
    },
    /// The line is not UTF-8.
    #[error("line is not UTF-8")]
    NotUtf8,
    /// A quoted CSV field is not closed, or text follows a closing quote.
    #[error("malformed CSV quoting")]
    BadQuoting,
    /// The account field is neither a `user@domain` handle nor an http(s) actor id (or, in
    /// [`ListFormat::PlainIds`](super::ListFormat), not an actor id).
    #[error("not an account: {value:?}")]
    InvalidAccount {
        /// The value (first 80 characters).
        value: String,
    },
    /// A boolean column holds something other than true/false/1/0/yes/no.
    #[error("column {column:?}: not a boolean: {value:?}")]
    InvalidBool {
        /// The column.
        column: &'static str,
        /// The value (first 80 characters).
        value: String,
    },
    /// The languages column has too many or malformed entries.
    #[error("invalid languages: {value:?}")]
    InvalidLanguages {
        /// The value (first 80 characters).
        value: String,
    },
    /// The header has no `Account address` column.
    #[error("header without an `Account address` column")]
    NoAccountColumn,
    /// Reading failed; reading stops.
    #[error("read error: {0:?}")]
    Io(std::io::ErrorKind),
}

/// An error at a line of the input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {error}")]
pub struct ListError {
    /// 1-based line number.
    pub line: u64,
    /// What is wrong.
    pub error: ListErrorKind,
}

impl ListError {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self.error {
            ListErrorKind::LineTooLong { .. } => "line_too_long",
            ListErrorKind::TooLarge { .. } => "input_too_large",
            ListErrorKind::TooManyEntries { .. } => "too_many_entries",
            ListErrorKind::NotUtf8 => "not_utf8",
            ListErrorKind::BadQuoting => "bad_quoting",
            ListErrorKind::InvalidAccount { .. } => "invalid_account",
            ListErrorKind::InvalidBool { .. } => "invalid_bool",
            ListErrorKind::InvalidLanguages { .. } => "invalid_languages",
            ListErrorKind::NoAccountColumn => "no_account_column",
            ListErrorKind::Io(_) => "io",
        }
    }

    /// Reading stops after this error.
    pub fn is_fatal(&self) -> bool {
        matches!(
            self.error,
            ListErrorKind::TooLarge { .. }
                | ListErrorKind::TooManyEntries { .. }
                | ListErrorKind::Io(_)
        )
    }
}
