//! Options for reading documents.

use crate::Limits;

/// What to do with a guarded term used as a key (or type name) when the document's `@context`
/// does not define it: `movedTo` under the ActivityStreams context alone, `assertionMethod` under
/// `[AS, data-integrity/v2, multikey/v1]` (the FEP-521a examples), anything without `@context`.
///
/// JSON-LD would drop such a key (or, with the ActivityStreams `"@vocab": "_:"`, turn it into a
/// blank-node property); every surveyed server reads it by name (move.md §1.1 #5).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UndefinedTerms {
    /// Read it with its canonical meaning and report it in
    /// [`Actor::undefined_terms`](crate::Actor::undefined_terms) (de-facto behaviour).
    #[default]
    Read,
    /// Refuse the document (`undefined_term`): only what JSON-LD would read is trusted.
    Reject,
}

/// How to read a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadOptions {
    /// Resource limits.
    pub limits: Limits,
    /// Policy for guarded terms the context leaves undefined.
    pub undefined_terms: UndefinedTerms,
    /// Feature `jsonld`: when the context guard refuses the document, expand it with the JSON-LD
    /// processor instead of returning the guard's error (still never fetching).
    pub jsonld_fallback: bool,
}

impl ReadOptions {
    /// Strict JSON-LD semantics: undefined guarded terms are refused.
    pub fn strict() -> Self {
        ReadOptions {
            undefined_terms: UndefinedTerms::Reject,
            ..ReadOptions::default()
        }
    }

    /// Sets the limits.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}
