//! The crate's one error type.
//!
//! Every variant says *what* went wrong and *where*: `at` is a JSON Pointer (RFC 6901) into the
//! document that was read (`/@context/2`, `/object/id`). [`Error::kind`] returns a stable
//! snake_case code used by test corpora and the `fep7628` CLI.

use thiserror::Error;

/// Why a document could not be read.
///
/// Validation findings (a Move whose `object` equals its `target`, a `movedTo` that is not a URI …)
/// are not errors: they are [`Problem`](crate::Problem)s returned by the `validate_*` functions.
/// An `Error` means the document cannot be read safely at all.
#[non_exhaustive]
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Error {
    /// The bytes are not JSON (or not UTF-8).
    #[error("invalid_json at line {line} column {column}: {message}")]
    InvalidJson {
        /// 1-based line of the syntax error (0 when unknown).
        line: usize,
        /// 1-based column of the syntax error (0 when unknown).
        column: usize,
        /// What the JSON parser reported.
        message: String,
    },
    /// The document is not a JSON object (or a one-element array holding one, the JSON-LD
    /// expanded form).
    #[error("not_an_object at {at}")]
    NotAnObject {
        /// Where the object was expected.
        at: String,
    },
    /// A member has a shape the reader cannot interpret (a number where a reference is expected).
    #[error("invalid_type at {at}: expected {expected}")]
    InvalidType {
        /// Pointer to the offending member.
        at: String,
        /// What was expected, in words.
        expected: &'static str,
    },
    /// The document as a whole exceeds [`Limits::max_document_bytes`](crate::Limits).
    #[error("too_large at {at}: {size} > {limit}")]
    TooLarge {
        /// Pointer to the document (empty string) or to the array that is too long.
        at: String,
        /// Measured size (bytes or array entries).
        size: usize,
        /// Configured limit.
        limit: usize,
    },
    /// Nesting deeper than [`Limits::max_depth`](crate::Limits).
    #[error("too_deep at {at}: depth > {limit}")]
    TooDeep {
        /// Pointer to the first value beyond the limit.
        at: String,
        /// Configured limit.
        limit: usize,
    },
    /// The `@context` redefines a term the reader relies on (`alsoKnownAs`, `movedTo`, `id` …)
    /// with a meaning other than the canonical IRI.
    #[error("context_redefines_term at {at}: {term}")]
    ContextRedefinesTerm {
        /// Pointer to the context entry that holds the definition.
        at: String,
        /// The redefined term.
        term: String,
    },
    /// The `@context` defines a second term (or a keyword alias) that means the same as a term
    /// the reader relies on (Lemmy's `matrixUserId` → `as:alsoKnownAs`, `"myId": "@id"`).
    #[error("context_aliases_term at {at}: {term} means {meaning}")]
    ContextAliasesTerm {
        /// Pointer to the context entry that holds the definition.
        at: String,
        /// The extra term.
        term: String,
        /// The IRI or keyword it maps to.
        meaning: String,
    },
    /// A context keyword that could change how read terms expand (`@vocab`, `@base`, `@import`,
    /// `@propagate`, a scoped `@context` on a read term, a protected-term conflict).
    #[error("context_keyword at {at}: {keyword}")]
    ContextKeyword {
        /// Pointer to the `@context` entry holding the keyword (or to the node's `type` for a
        /// type-scoped context).
        at: String,
        /// The keyword.
        keyword: String,
    },
    /// A remote context URL that is not in the bundled set and was not supplied by the caller.
    /// An unknown context can define anything, so nothing read under it can be trusted.
    #[error("unknown_context at {at}: {url}")]
    UnknownContext {
        /// Pointer to the context entry.
        at: String,
        /// The URL.
        url: String,
    },
    /// A read term's definition uses a compact IRI whose prefix is not defined
    /// (join-lemmy.org's `as:` without `as`, LemmyNet/lemmy#5073).
    #[error("context_undefined_prefix at {at}: {term} uses {prefix}:")]
    ContextUndefinedPrefix {
        /// Pointer to the definition.
        at: String,
        /// The term being defined.
        term: String,
        /// The undefined prefix.
        prefix: String,
    },
    /// The `@context` value itself is malformed (a number, a term definition of the wrong type,
    /// nesting of remote contexts too deep).
    #[error("invalid_context at {at}: {reason}")]
    InvalidContext {
        /// Pointer to the offending value.
        at: String,
        /// Why it is invalid.
        reason: &'static str,
    },
    /// `@graph`, `@included`, `@reverse` (or a nested `@context` inside a node the reader
    /// interprets): JSON-LD features the fast path does not model (Mastodon refuses the same
    /// keywords, `UNSUPPORTED_JSONLD_KEYWORDS`).
    #[error("unsupported_keyword at {at}: {keyword}")]
    UnsupportedKeyword {
        /// Pointer to the member.
        at: String,
        /// The keyword.
        keyword: String,
    },
    /// A term the reader relies on is used but no context entry defines it, and
    /// [`UndefinedTerms::Reject`](crate::UndefinedTerms) was chosen.
    #[error("undefined_term at {at}: {term}")]
    UndefinedTerm {
        /// Pointer to the member.
        at: String,
        /// The term.
        term: String,
    },
    /// The document is not the expected kind (an actor where an activity was expected, an
    /// activity type this crate does not model).
    #[error("unexpected_type at {at}: {found}")]
    UnexpectedType {
        /// Pointer to `type`.
        at: String,
        /// The type(s) found.
        found: String,
    },
    /// A context document offered to [`ContextRegistry::register`](crate::ContextRegistry::register)
    /// was refused (not JSON, no `@context`, over a [`RegistryLimits`](crate::RegistryLimits)
    /// limit, a bundled URL, not an http(s) URL). [`Error::at`] is `None`: there is no document
    /// being read; the URL names the context.
    #[error("context_registration for {url}: {reason}")]
    ContextRegistration {
        /// The URL the document was offered under.
        url: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// The JSON-LD slow path (feature `jsonld`) failed to expand the document.
    #[error("jsonld_expansion at {at}: {message}")]
    JsonLdExpansion {
        /// Pointer to the document (empty string).
        at: String,
        /// What the processor reported.
        message: String,
    },
}

impl Error {
    /// A stable snake_case code for the error's kind, e.g. `context_redefines_term`.
    pub fn kind(&self) -> &'static str {
        match self {
            Error::InvalidJson { .. } => "invalid_json",
            Error::NotAnObject { .. } => "not_an_object",
            Error::InvalidType { .. } => "invalid_type",
            Error::TooLarge { .. } => "too_large",
            Error::TooDeep { .. } => "too_deep",
            Error::ContextRedefinesTerm { .. } => "context_redefines_term",
            Error::ContextAliasesTerm { .. } => "context_aliases_term",
            Error::ContextKeyword { .. } => "context_keyword",
            Error::UnknownContext { .. } => "unknown_context",
            Error::ContextUndefinedPrefix { .. } => "context_undefined_prefix",
            Error::InvalidContext { .. } => "invalid_context",
            Error::UnsupportedKeyword { .. } => "unsupported_keyword",
            Error::UndefinedTerm { .. } => "undefined_term",
            Error::UnexpectedType { .. } => "unexpected_type",
            Error::JsonLdExpansion { .. } => "jsonld_expansion",
            Error::ContextRegistration { .. } => "context_registration",
        }
    }

    /// The JSON Pointer the error refers to (empty for the whole document; `None` for JSON
    /// syntax errors, which have a line and column instead, and for refused context
    /// registrations).
    pub fn at(&self) -> Option<&str> {
        match self {
            Error::InvalidJson { .. } | Error::ContextRegistration { .. } => None,
            Error::NotAnObject { at }
            | Error::InvalidType { at, .. }
            | Error::TooLarge { at, .. }
            | Error::TooDeep { at, .. }
            | Error::ContextRedefinesTerm { at, .. }
            | Error::ContextAliasesTerm { at, .. }
            | Error::ContextKeyword { at, .. }
            | Error::UnknownContext { at, .. }
            | Error::ContextUndefinedPrefix { at, .. }
            | Error::InvalidContext { at, .. }
            | Error::UnsupportedKeyword { at, .. }
            | Error::UndefinedTerm { at, .. }
            | Error::UnexpectedType { at, .. }
            | Error::JsonLdExpansion { at, .. } => Some(at),
        }
    }

    /// Whether the error comes from the context guard (the document might be readable by the
    /// JSON-LD slow path, feature `jsonld`).
    pub fn is_context_error(&self) -> bool {
        matches!(
            self,
            Error::ContextRedefinesTerm { .. }
                | Error::ContextAliasesTerm { .. }
                | Error::ContextKeyword { .. }
                | Error::ContextUndefinedPrefix { .. }
                | Error::UnsupportedKeyword { .. }
        )
    }
}
