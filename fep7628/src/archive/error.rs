//! Errors of the archive reader and of the `[import]` policy parser.
//!
//! Per-post problems are never errors: they are screening reasons. An [`ArchiveError`] means
//! the input as a whole cannot be screened (not a zip, a zip bomb, an unsafe entry name, an
//! outbox that is not a JSON collection, a policy file that does not parse).

/// Why an archive, an outbox or a policy cannot be screened, with where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ArchiveError {
    /// Reading failed.
    #[error("{at}: read error: {message}")]
    Io {
        /// The file or archive entry.
        at: String,
        /// The operating system's message.
        message: String,
    },
    /// The input is not a readable zip archive (truncated, corrupt, encrypted, an unsupported
    /// compression method).
    #[error("not a readable zip archive: {message}")]
    InvalidZip {
        /// The zip reader's message.
        message: String,
    },
    /// An entry name is absolute, climbs out of the archive (`..`), holds a NUL or a
    /// backslash, or is not UTF-8. The archive is refused whole: an importer extracting its
    /// media later would be at risk.
    #[error("unsafe entry name {name:?}")]
    UnsafeEntryName {
        /// The name, lossily decoded.
        name: String,
    },
    /// Two entries have the same name (which one a reader sees would be ambiguous).
    #[error("duplicate entry names in the archive")]
    DuplicateEntryNames,
    /// More entries than the limit.
    #[error("{count} entries in the archive; the limit is {limit}")]
    TooManyEntries {
        /// Entries found.
        count: usize,
        /// The limit.
        limit: usize,
    },
    /// One entry is larger (uncompressed) than its limit, as declared or as actually read.
    #[error("{name}: more than {limit} bytes uncompressed")]
    EntryTooLarge {
        /// The entry.
        name: String,
        /// The limit.
        limit: u64,
    },
    /// The entries together are larger (uncompressed) than the limit.
    #[error("the archive declares {total} bytes uncompressed; the limit is {limit}")]
    ArchiveTooLarge {
        /// Declared total.
        total: u128,
        /// The limit.
        limit: u64,
    },
    /// An entry's compression ratio is above the limit: a zip bomb.
    #[error("{name}: compression ratio {ratio}:1 is above the limit of {limit}:1 (zip bomb)")]
    ZipBomb {
        /// The entry.
        name: String,
        /// Declared uncompressed size / compressed size.
        ratio: u64,
        /// The limit.
        limit: u64,
    },
    /// An entry decompressed to more bytes than its header declared.
    #[error("{name}: decompresses to more than the {declared} bytes declared")]
    SizeMismatch {
        /// The entry.
        name: String,
        /// Declared uncompressed size.
        declared: u64,
    },
    /// A required entry (`actor.json`, `outbox.json`) is missing.
    #[error("the archive has no {name}")]
    MissingEntry {
        /// The entry.
        name: String,
    },
    /// A JSON document does not parse.
    #[error("{at}:{line}:{column}: not JSON: {message}")]
    InvalidJson {
        /// The file or entry.
        at: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// serde_json's message.
        message: String,
    },
    /// The outbox (or likes / bookmarks) is JSON but not an ActivityStreams collection with
    /// `orderedItems` or `items`.
    #[error("{at}: not an ActivityStreams collection: {message}")]
    NotACollection {
        /// The file or entry.
        at: String,
        /// What is wrong.
        message: String,
    },
    /// A single value in a collection outgrew the hard per-value cap (the soft per-item limit
    /// only rejects the item; this one stops reading).
    #[error("{at}: a value at item {index} is larger than {limit} bytes")]
    ValueTooLarge {
        /// The file or entry.
        at: String,
        /// Index of the item being read.
        index: u64,
        /// The hard cap.
        limit: u64,
    },
    /// More items than the limit.
    #[error("{at}: more than {limit} items")]
    TooManyItems {
        /// The file or entry.
        at: String,
        /// The limit.
        limit: u64,
    },
    /// `actor.json` is not an actor document (an object with a string `id`).
    #[error("{at}: invalid actor document: {message}")]
    InvalidActor {
        /// JSON Pointer into actor.json.
        at: String,
        /// What is wrong.
        message: String,
    },
    /// The policy file's `[import]` table is invalid (or the file is not TOML).
    #[error("policy line {line}, column {column}: {message}")]
    InvalidPolicy {
        /// 1-based line.
        line: usize,
        /// 1-based column (characters).
        column: usize,
        /// What is wrong.
        message: String,
    },
}

impl ArchiveError {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            ArchiveError::Io { .. } => "io",
            ArchiveError::InvalidZip { .. } => "invalid_zip",
            ArchiveError::UnsafeEntryName { .. } => "unsafe_entry_name",
            ArchiveError::DuplicateEntryNames => "duplicate_entry_names",
            ArchiveError::TooManyEntries { .. } => "too_many_entries",
            ArchiveError::EntryTooLarge { .. } => "entry_too_large",
            ArchiveError::ArchiveTooLarge { .. } => "archive_too_large",
            ArchiveError::ZipBomb { .. } => "zip_bomb",
            ArchiveError::SizeMismatch { .. } => "entry_size_mismatch",
            ArchiveError::MissingEntry { .. } => "missing_entry",
            ArchiveError::InvalidJson { .. } => "invalid_json",
            ArchiveError::NotACollection { .. } => "not_a_collection",
            ArchiveError::ValueTooLarge { .. } => "value_too_large",
            ArchiveError::TooManyItems { .. } => "too_many_items",
            ArchiveError::InvalidActor { .. } => "invalid_actor",
            ArchiveError::InvalidPolicy { .. } => "invalid_policy",
        }
    }

    /// Where: an entry or file name, `FILE:LINE:COLUMN` for JSON, `line:column` for the
    /// policy, a JSON Pointer for the actor.
    pub fn at(&self) -> Option<String> {
        match self {
            ArchiveError::Io { at, .. }
            | ArchiveError::NotACollection { at, .. }
            | ArchiveError::ValueTooLarge { at, .. }
            | ArchiveError::TooManyItems { at, .. }
            | ArchiveError::InvalidActor { at, .. } => Some(at.clone()),
            ArchiveError::UnsafeEntryName { name }
            | ArchiveError::EntryTooLarge { name, .. }
            | ArchiveError::ZipBomb { name, .. }
            | ArchiveError::SizeMismatch { name, .. }
            | ArchiveError::MissingEntry { name } => Some(name.clone()),
            ArchiveError::InvalidJson {
                at, line, column, ..
            } => Some(format!("{at}:{line}:{column}")),
            ArchiveError::InvalidPolicy { line, column, .. } => Some(format!("{line}:{column}")),
            ArchiveError::InvalidZip { .. }
            | ArchiveError::DuplicateEntryNames
            | ArchiveError::TooManyEntries { .. }
            | ArchiveError::ArchiveTooLarge { .. } => None,
        }
    }

    pub(crate) fn io(at: &str, e: &std::io::Error) -> ArchiveError {
        ArchiveError::Io {
            at: at.to_owned(),
            message: e.to_string(),
        }
    }
}
