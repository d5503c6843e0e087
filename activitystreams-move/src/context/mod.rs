//! The context guard: a small JSON-LD context processor that knows exactly which terms this
//! crate reads and refuses every context feature that could change their meaning
//! (DESIGN §3.1, json-ld.md §6–§7).
//!
//! The guard processes `@context` the way JSON-LD 1.1 does (ordered entries, later definitions
//! override earlier ones, compact IRIs through prefixes, `@vocab`, `@protected`), with the
//! bundled documents of [`known`] for remote URLs, and checks every definition of a guarded term
//! against its canonical IRI. It never fetches: unknown URLs are errors.

pub mod known;

mod definition;
mod registry;
mod summary;

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use crate::Error;

pub use registry::{ContextRegistry, RegistryLimits};
pub use summary::{ContextVerdict, MovedToIri, classify_context};
pub(crate) use summary::{bundled_url, classify_context_text};

/// One term definition, reduced to what decides its meaning (JSON-LD 1.1 §4.1, "term
/// definition").
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TermDef {
    /// Expanded IRI or keyword; `None` for a `null` mapping.
    pub iri: Option<String>,
    /// `@reverse` property.
    pub reverse: bool,
    /// `@type` coercion, expanded.
    pub type_mapping: Option<String>,
    /// `@container`, normalised.
    pub container: Option<String>,
    /// A scoped `@context`.
    pub scoped: Option<Value>,
    /// `@protected`.
    pub protected: bool,
}

impl TermDef {
    /// Definitions that JSON-LD 1.1 §4.2.2 step 27 considers the same (all but `@protected`).
    fn same_as(&self, other: &TermDef) -> bool {
        self.iri == other.iri
            && self.reverse == other.reverse
            && self.type_mapping == other.type_mapping
            && self.container == other.container
            && self.scoped == other.scoped
    }
}

/// The definitions one context entry adds.
#[derive(Debug, Default)]
pub(crate) struct Layer {
    pub terms: HashMap<String, TermDef>,
    /// `Some(None)`: `@vocab: null`; `Some(Some(v))`: `@vocab: v`.
    pub vocab: Option<Option<String>>,
}

/// An active context as a stack of layers (cheap to build from cached bundled contexts).
#[derive(Debug, Clone, Default)]
pub(crate) struct ActiveContext {
    layers: Vec<Arc<Layer>>,
    has_protected: bool,
}

impl ActiveContext {
    /// The definition in effect for `term`.
    pub fn lookup(&self, term: &str) -> Option<&TermDef> {
        self.layers.iter().rev().find_map(|l| l.terms.get(term))
    }

    /// The `@vocab` in effect.
    pub fn vocab(&self) -> Option<&str> {
        self.layers
            .iter()
            .rev()
            .find_map(|l| l.vocab.as_ref())
            .and_then(|v| v.as_deref())
    }

    /// Adds a layer, refusing redefinitions of protected terms (JSON-LD 1.1 §4.2.2 step 27:
    /// "protected term redefinition" is an error, so the fast path must refuse too).
    pub fn push(&mut self, layer: Arc<Layer>, at: &str) -> Result<(), Error> {
        if self.has_protected {
            let mut conflicts: Vec<&String> = layer
                .terms
                .iter()
                .filter(|(term, def)| {
                    self.lookup(term)
                        .is_some_and(|old| old.protected && !old.same_as(def))
                })
                .map(|(term, _)| term)
                .collect();
            // Deterministic report: the smallest conflicting term.
            conflicts.sort();
            if let Some(term) = conflicts.first() {
                return Err(Error::ContextKeyword {
                    at: at.to_string(),
                    keyword: format!("@protected ({term})"),
                });
            }
        }
        if layer.terms.values().any(|d| d.protected) {
            self.has_protected = true;
        }
        self.layers.push(layer);
        Ok(())
    }

    /// `null` in `@context`: resets, unless protected terms are active (JSON-LD 1.1 §4.1.2
    /// step 5.1.1 "invalid context nullification").
    pub fn reset(&mut self, at: &str) -> Result<(), Error> {
        if self.has_protected {
            return Err(Error::ContextKeyword {
                at: at.to_string(),
                keyword: "@protected (null context)".to_string(),
            });
        }
        self.layers.clear();
        Ok(())
    }
}
