//! Context documents the caller supplies ([`ContextRegistry`]): remote `@context` URLs beyond
//! the bundled set, fetched by the caller (sans-IO: this crate never fetches) and judged by the
//! guard exactly like an inline context.

use std::collections::{BTreeMap, HashMap};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};

use serde_json::Value;

use super::Layer;
use super::summary::{ContextVerdict, VerdictCache};
use crate::Error;

/// Limits on what a [`ContextRegistry`] accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RegistryLimits {
    /// Documents held at most (default 32).
    pub max_documents: usize,
    /// Largest document accepted, in bytes (default 64 KiB; the ActivityStreams context is
    /// 10 KiB).
    pub max_document_bytes: usize,
    /// Nesting of arrays and objects inside one document (default 16).
    pub max_depth: usize,
}

impl Default for RegistryLimits {
    fn default() -> Self {
        RegistryLimits {
            max_documents: 32,
            max_document_bytes: 64 * 1024,
            max_depth: 16,
        }
    }
}

/// Remote context documents the caller fetched itself, by URL.
///
/// Without a registry an `@context` URL outside the bundled set is `unknown_context`: it could
/// define anything. With one, a registered URL is processed like any context entry: its term
/// definitions go through the same checks as an inline map (a document that binds `movedTo` or
/// `alsoKnownAs` elsewhere is `context_redefines_term`, pointing at the `@context` entry that
/// references it), and it may itself reference bundled or registered URLs. A registered
/// document is processed on its own, like the bundled ones (so it is cached once): a prefix it
/// uses must be defined in it or in a context it references — relying on the referencing
/// document's prefixes is refused as `context_undefined_prefix`, the conservative reading.
/// Bundled URLs cannot be replaced. Verdicts are cached per registry.
///
/// ```
/// use activitystreams_move::{Actor, ContextRegistry, ReadOptions};
///
/// let doc = br#"{
///   "@context": ["https://www.w3.org/ns/activitystreams", "https://social.example/ns"],
///   "id": "https://social.example/users/alice", "type": "Person",
///   "movedTo": "https://new.example/users/alice"
/// }"#;
/// let options = ReadOptions::default();
/// assert_eq!(Actor::from_slice(doc, &options).unwrap_err().kind(), "unknown_context");
///
/// let mut contexts = ContextRegistry::new();
/// contexts.register("https://social.example/ns", br#"{"@context": {
///     "as": "https://www.w3.org/ns/activitystreams#",
///     "movedTo": {"@id": "as:movedTo", "@type": "@id"}}}"#).unwrap();
/// let actor = Actor::from_slice_with(doc, &options, &contexts).unwrap();
/// assert_eq!(actor.moved_to(), Some("https://new.example/users/alice"));
///
/// // A registered context is judged like an inline one.
/// let mut hostile = ContextRegistry::new();
/// hostile.register("https://social.example/ns", br#"{"@context": {
///     "movedTo": "https://evil.example/movedTo"}}"#).unwrap();
/// let err = Actor::from_slice_with(doc, &options, &hostile).unwrap_err();
/// assert_eq!(err.to_string(), "context_redefines_term at /@context/1: movedTo");
/// ```
#[derive(Debug, Default)]
pub struct ContextRegistry {
    limits: RegistryLimits,
    documents: BTreeMap<String, Value>,
    /// Distinguishes registry states in caches outside this value (the JSON-LD loader).
    generation: u64,
    pub(crate) processed: Mutex<ProcessedLayers>,
    pub(crate) verdicts: Mutex<VerdictCache>,
}

/// Processed registered documents: URL → their layers (or the error they raise).
pub(crate) type ProcessedLayers = HashMap<String, Result<Vec<Arc<Layer>>, Error>>;

fn next_generation() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

impl Clone for ContextRegistry {
    fn clone(&self) -> Self {
        ContextRegistry {
            limits: self.limits,
            documents: self.documents.clone(),
            generation: self.generation,
            processed: Mutex::default(),
            verdicts: Mutex::default(),
        }
    }
}

impl ContextRegistry {
    /// An empty registry with the default [`RegistryLimits`].
    pub fn new() -> ContextRegistry {
        ContextRegistry::with_limits(RegistryLimits::default())
    }

    /// An empty registry with the given limits.
    pub fn with_limits(limits: RegistryLimits) -> ContextRegistry {
        ContextRegistry {
            limits,
            generation: next_generation(),
            ..ContextRegistry::default()
        }
    }

    /// Registers the document served at `url` (a JSON object with a `@context` member, as
    /// fetched). Registering a URL again replaces its document. Refused, with
    /// `context_registration`: a non-http(s) URL, a bundled URL, a document over
    /// [`RegistryLimits`], one that is not JSON or has no `@context`, one registration too many.
    ///
    /// The term definitions are not judged here but when a document uses the URL, so the
    /// error can point at that document's `@context` entry.
    pub fn register(&mut self, url: &str, document: &[u8]) -> Result<(), Error> {
        let refuse = |reason: &'static str| Error::ContextRegistration {
            url: url.chars().take(256).collect(),
            reason,
        };
        if !(url.starts_with("https://") || url.starts_with("http://")) || url.len() > 2048 {
            return Err(refuse("not an http(s) URL of at most 2048 bytes"));
        }
        if super::known::find(url).is_some() {
            return Err(refuse("a bundled context cannot be replaced"));
        }
        if document.len() > self.limits.max_document_bytes {
            return Err(refuse(
                "document larger than RegistryLimits::max_document_bytes",
            ));
        }
        if !self.documents.contains_key(url) && self.documents.len() >= self.limits.max_documents {
            return Err(refuse("more than RegistryLimits::max_documents documents"));
        }
        if !depth_within(document, self.limits.max_depth) {
            return Err(refuse("nested deeper than RegistryLimits::max_depth"));
        }
        let value: Value =
            serde_json::from_slice(document).map_err(|_| refuse("document is not JSON"))?;
        if value.get("@context").is_none_or(Value::is_null) {
            return Err(refuse("document has no @context member"));
        }
        self.documents.insert(url.to_string(), value);
        self.generation = next_generation();
        lock(&self.processed).clear();
        lock(&self.verdicts).clear();
        Ok(())
    }

    /// Number of registered documents.
    pub fn len(&self) -> usize {
        self.documents.len()
    }

    /// Whether nothing is registered.
    pub fn is_empty(&self) -> bool {
        self.documents.is_empty()
    }

    /// Whether `url` is registered.
    pub fn contains(&self, url: &str) -> bool {
        self.documents.contains_key(url)
    }

    /// The registered URLs, sorted.
    pub fn urls(&self) -> impl Iterator<Item = &str> {
        self.documents.keys().map(String::as_str)
    }

    /// The limits in effect.
    pub fn limits(&self) -> RegistryLimits {
        self.limits
    }

    /// Classifies a `@context` value with the bundled contexts and these documents
    /// (see [`classify_context`](crate::classify_context)).
    pub fn classify(&self, context: &Value) -> Result<Arc<ContextVerdict>, Error> {
        super::summary::classify_context_in(context, Some(self))
    }

    /// The registered document for `url` (`{"@context": …}`).
    pub(crate) fn document(&self, url: &str) -> Option<&Value> {
        self.documents.get(url)
    }

    /// Registered `(url, document)` pairs.
    #[cfg(feature = "jsonld")]
    pub(crate) fn documents(&self) -> impl Iterator<Item = (&str, &Value)> {
        self.documents.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// Changes whenever the registered set changes (cache key for the JSON-LD loader).
    #[cfg(feature = "jsonld")]
    pub(crate) fn generation(&self) -> u64 {
        self.generation
    }
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A poisoned lock only means another thread panicked mid-insert; the map is still valid.
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Whether the JSON text nests at most `max` arrays/objects deep (checked before parsing, so a
/// hostile document cannot exhaust the stack; strings are skipped).
fn depth_within(bytes: &[u8], max: usize) -> bool {
    let mut depth = 0usize;
    let mut in_string = false;
    let mut escaped = false;
    for &b in bytes {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > max {
                    return false;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registration_limits_are_errors() {
        let mut r = ContextRegistry::with_limits(RegistryLimits {
            max_documents: 1,
            max_document_bytes: 64,
            max_depth: 3,
        });
        let ok = br#"{"@context": {"x": "https://x.example/x"}}"#;
        assert!(r.register("https://a.example/ctx", ok).is_ok());
        let kind = |e: Error| e.kind();
        assert_eq!(
            r.register("https://b.example/ctx", ok).map_err(kind),
            Err("context_registration")
        );
        // Replacing the one registered URL is allowed.
        assert!(r.register("https://a.example/ctx", ok).is_ok());
        let big = format!(r#"{{"@context": {{"x": "{}"}}}}"#, "a".repeat(100));
        assert!(r.register("https://a.example/ctx", big.as_bytes()).is_err());
        assert!(
            r.register("https://a.example/ctx", br#"{"@context": [[[["x"]]]]}"#)
                .is_err()
        );
        assert!(r.register("https://a.example/ctx", b"not json").is_err());
        assert!(r.register("https://a.example/ctx", br#"{"x": 1}"#).is_err());
        assert!(r.register("ftp://a.example/ctx", ok).is_err());
        assert!(
            r.register("https://www.w3.org/ns/activitystreams", ok)
                .is_err()
        );
        assert_eq!(r.len(), 1);
        assert!(r.contains("https://a.example/ctx"));
    }

    #[test]
    fn depth_scan_ignores_brackets_in_strings() {
        assert!(depth_within(br#"{"a": "[[[[[[\"[["}"#, 1));
        assert!(!depth_within(br#"{"a": [[1]]}"#, 2));
    }
}
