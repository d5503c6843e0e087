//! Reading an ActivityStreams document the way the CLI reports it: the context guard's fast
//! path first, then (where the guard declines) the JSON-LD slow path, remembering which.

use activitystreams_move::{Document, ReadOptions};
use serde_json::{Value, json};

use crate::output::{CliError, as_error};

/// A document and how it was read.
pub struct Read {
    /// The document.
    pub document: Document,
    /// `None` when the fast path read it; the guard's refusal when JSON-LD expansion did.
    pub guard_refusal: Option<CliError>,
}

/// Why a document was not read.
pub struct Refused {
    /// The error of the last path tried.
    pub error: CliError,
    /// The context guard's refusal, when the guard refused.
    pub guard: Option<CliError>,
}

/// Reads `bytes`; `jsonld` allows the slow path.
pub fn read(bytes: &[u8], jsonld: bool) -> Result<Read, Box<Refused>> {
    let fast = ReadOptions::default();
    match Document::from_slice(bytes, &fast) {
        Ok(document) => Ok(Read {
            document,
            guard_refusal: None,
        }),
        Err(e) if jsonld && e.is_context_error() => {
            let refusal = as_error(&e);
            let slow = ReadOptions {
                jsonld_fallback: true,
                ..ReadOptions::default()
            };
            match Document::from_slice(bytes, &slow) {
                Ok(document) => Ok(Read {
                    document,
                    guard_refusal: Some(refusal),
                }),
                Err(e2) => Err(Box::new(Refused {
                    error: as_error(&e2),
                    guard: Some(refusal),
                })),
            }
        }
        Err(e) => {
            let err = as_error(&e);
            let guard = (e.is_context_error() || is_context_kind(e.kind())).then(|| err.clone());
            Err(Box::new(Refused { error: err, guard }))
        }
    }
}

/// Refusals about `@context` itself, including those JSON-LD expansion cannot help with (an
/// unknown remote context is never fetched).
fn is_context_kind(kind: &str) -> bool {
    matches!(
        kind,
        "context_redefines_term"
            | "context_aliases_term"
            | "context_keyword"
            | "context_undefined_prefix"
            | "unsupported_keyword"
            | "unknown_context"
            | "invalid_context"
            | "undefined_term"
    )
}

/// The `context` member of `inspect`: `{"verdict": "ok" | "jsonld" | "rejected", "error"}`.
pub fn context_verdict(read: &Result<Read, Box<Refused>>) -> Value {
    match read {
        Ok(Read {
            guard_refusal: None,
            ..
        }) => json!({"verdict": "ok", "path": "fast", "error": null}),
        Ok(Read {
            guard_refusal: Some(r),
            ..
        }) => json!({"verdict": "jsonld", "path": "jsonld", "error": r.to_json()}),
        Err(refused) => match &refused.guard {
            Some(r) => json!({"verdict": "rejected", "path": null, "error": r.to_json()}),
            // Not a context matter (not JSON, over a limit, a bad shape): no verdict to give.
            None => Value::Null,
        },
    }
}

/// One type as a string, several as an array.
pub fn types(t: &[String]) -> Value {
    match t {
        [one] => json!(one),
        many => json!(many),
    }
}
