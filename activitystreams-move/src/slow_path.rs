//! Where the context guard declines, optionally hand the document to the JSON-LD processor
//! (feature `jsonld`) and read its expanded form with the same reader.

use serde_json::Value;

use crate::read::ReadOutcome;
use crate::{ContextRegistry, Error, ReadOptions};

/// Returns `result`, or — when the guard refused the document, `options.jsonld_fallback` is set
/// and feature `jsonld` is on — the reading of its JSON-LD expansion.
pub(crate) fn with_fallback(
    result: Result<ReadOutcome, Error>,
    options: &ReadOptions,
    registry: Option<&ContextRegistry>,
    document: impl FnOnce() -> Option<Value>,
) -> Result<ReadOutcome, Error> {
    match result {
        Err(e) if options.jsonld_fallback && e.is_context_error() => {
            #[cfg(feature = "jsonld")]
            {
                if let Some(doc) = document() {
                    return crate::jsonld::read_expanded(&doc, options, registry);
                }
            }
            #[cfg(not(feature = "jsonld"))]
            let _ = (document, registry);
            Err(e)
        }
        r => r,
    }
}
