//! Classifying a whole `@context` value: [`classify_context`] and its cached result.

use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

use super::definition::process_local;
use super::known::{self, KnownContext};
use super::registry::{ContextRegistry, lock};
use super::{ActiveContext, Layer};
use crate::vocab::{self, FEP7628_CONTEXT, TermId, TermSet};
use crate::{Error, pointer};

/// Which IRI the compact key `movedTo` is bound to (move.md §1.1 #5).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MovedToIri {
    /// `as:movedTo` (Mastodon, GoToSocial, Misskey, Fedify).
    ActivityStreams,
    /// `https://w3id.org/fep/7628#movedTo` (the FEP-7628 context).
    Fep7628,
    /// Not defined by the context (read by name anyway under the default
    /// [`UndefinedTerms::Read`](crate::UndefinedTerms)).
    Undefined,
}

/// What the guard concluded about a `@context`: every guarded term it defines has its canonical
/// meaning. Obtained from [`classify_context`]; a context the guard refuses is an [`Error`].
#[derive(Debug, Clone, PartialEq)]
pub struct ContextVerdict {
    pub(crate) defined: TermSet,
    pub(crate) vocab_canonical: TermSet,
    pub(crate) vocab_other: TermSet,
    pub(crate) multikey_defined: TermSet,
    pub(crate) scoped_types: Vec<String>,
    /// The context entry that set the `@vocab` in effect.
    pub(crate) vocab_at: Option<String>,
    declares_fep7628: bool,
    moved_to: MovedToIri,
    known_urls: Vec<&'static str>,
    registered_urls: Vec<String>,
}

impl ContextVerdict {
    /// Whether `https://w3id.org/fep/7628` is among the entries (FEP-e965: signals that the
    /// absence of `movedTo`/`copiedTo` means "active").
    pub fn declares_fep7628(&self) -> bool {
        self.declares_fep7628
    }

    /// Which IRI `movedTo` is bound to.
    pub fn moved_to(&self) -> MovedToIri {
        self.moved_to
    }

    /// The bundled context URLs (canonical spelling) the context references.
    pub fn known_urls(&self) -> &[&'static str] {
        &self.known_urls
    }

    /// The caller-registered context URLs (see [`ContextRegistry`]) the context references.
    pub fn registered_urls(&self) -> &[String] {
        &self.registered_urls
    }

    /// The guarded terms the context defines (with their canonical meaning).
    pub fn defined_terms(&self) -> TermSet {
        self.defined.union(self.vocab_canonical)
    }

    /// Whether the guarded term `name` is defined.
    pub fn defines(&self, name: &str) -> bool {
        self.defined_terms().contains_name(name)
    }

    /// The verdict for a document without `@context`.
    pub(crate) fn empty() -> ContextVerdict {
        ContextVerdict {
            defined: TermSet::EMPTY,
            vocab_canonical: TermSet::EMPTY,
            vocab_other: TermSet::EMPTY,
            multikey_defined: TermSet::EMPTY,
            scoped_types: Vec::new(),
            vocab_at: None,
            declares_fep7628: false,
            moved_to: MovedToIri::Undefined,
            known_urls: Vec::new(),
            registered_urls: Vec::new(),
        }
    }
}

/// Maximum nesting of remote contexts inside bundled documents.
const MAX_REMOTE_DEPTH: usize = 4;
/// Maximum number of entries in one `@context`.
const MAX_ENTRIES: usize = 64;

/// Classifies a `@context` value (string, array, inline maps) as the guard sees it.
///
/// Known URLs are read from the bundled documents; inline maps are processed like JSON-LD 1.1
/// does. Any definition that gives a guarded term (`alsoKnownAs`, `movedTo`, `id`, `type`, …) a
/// non-canonical meaning, a second name for one, a keyword alias, `@vocab`-driven changes,
/// `@base`, `@import`, `@propagate`, protected-term conflicts, undefined prefixes in a guarded
/// definition, or an unknown remote URL is an [`Error`] pointing at the `@context` entry.
///
/// Results are cached per distinct context value (bounded), so the usual handful of server
/// contexts are processed once per process.
///
/// ```
/// use activitystreams_move::classify_context;
/// use serde_json::json;
///
/// let ok = classify_context(&json!([
///     "https://www.w3.org/ns/activitystreams",
///     {"movedTo": {"@id": "as:movedTo", "@type": "@id"}}
/// ]))
/// .unwrap();
/// assert!(ok.defines("movedTo"));
///
/// let err = classify_context(&json!([
///     "https://www.w3.org/ns/activitystreams",
///     {"alsoKnownAs": "https://evil.example/aka"}
/// ]))
/// .unwrap_err();
/// assert_eq!(err.to_string(), "context_redefines_term at /@context/1: alsoKnownAs");
/// ```
pub fn classify_context(context: &Value) -> Result<Arc<ContextVerdict>, Error> {
    classify_context_in(context, None)
}

/// [`classify_context`] with caller-registered contexts.
pub(crate) fn classify_context_in(
    context: &Value,
    registry: Option<&ContextRegistry>,
) -> Result<Arc<ContextVerdict>, Error> {
    if let Value::String(url) = context
        && let Some(hit) = single_url(url)
    {
        return hit;
    }
    let text = serde_json::to_string(context).map_err(|_| Error::InvalidContext {
        at: "/@context".to_string(),
        reason: "not serialisable",
    })?;
    classify_context_text(text.into(), registry).1
}

/// A bundled URL alone: the most common context (every Move Mastodon sends), answered from a
/// table computed once, without hashing or locking. Bundled URLs cannot be registered, so the
/// answer is the same with any registry.
fn single_url(url: &str) -> Option<Result<Arc<ContextVerdict>, Error>> {
    if let Some(hit) = url_verdict(url) {
        return Some(hit.clone());
    }
    known::find(url).and_then(|k| url_verdict(k.url)).cloned()
}

/// The verdict when the `@context` JSON text `raw` is one bundled URL as a plain string, with
/// that URL (borrowed from `raw`). The exact text of a bundled URL is found first (no bundled
/// URL has a character JSON escapes); other spellings of one (aliases, any host's LitePub
/// path) only without escapes, which the general path decodes.
pub(crate) fn bundled_url(raw: &str) -> Option<(&str, Result<Arc<ContextVerdict>, Error>)> {
    let url = raw.strip_prefix('"')?.strip_suffix('"')?;
    if let Some(hit) = url_verdict(url) {
        return Some((url, hit.clone()));
    }
    if url.contains('\\') {
        return None;
    }
    single_url(url).map(|hit| (url, hit))
}

/// Classifies the `@context` member of a document given as its JSON text (valid JSON, within
/// the reader's limits), returning the parsed value and the verdict.
///
/// Cached by the exact text: a server sends the same `@context` bytes with every document, so
/// a hit costs one hash of the text and a clone of the cached value — no parse, no walk.
pub(crate) fn classify_context_text(
    text: Box<str>,
    registry: Option<&ContextRegistry>,
) -> (Option<Value>, Result<Arc<ContextVerdict>, Error>) {
    if let Some((url, hit)) = bundled_url(&text) {
        return (Some(Value::String(url.to_owned())), hit);
    }
    let text = &*text;
    let hash = fnv(text.as_bytes());
    let global = cache();
    let cache = registry.map_or(global, |r| &r.verdicts);
    if let Some((value, verdict)) = lock(cache).get(&hash).and_then(|bucket| {
        bucket
            .iter()
            .find(|(t, _, _)| &**t == text)
            .map(|(_, value, verdict)| (value.clone(), verdict.clone()))
    }) {
        return (Some(value), verdict);
    }
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        let e = Error::InvalidContext {
            at: "/@context".to_string(),
            reason: "not JSON",
        };
        return (None, Err(e));
    };
    let verdict = classify_context_uncached(&value, registry).map(Arc::new);
    if text.len() <= MAX_CACHED_TEXT {
        let mut map = lock(cache);
        if map.len() >= CACHE_CAPACITY {
            map.clear();
        }
        map.entry(hash)
            .or_default()
            .push((text.into(), value.clone(), verdict.clone()));
    }
    (Some(value), verdict)
}

/// In the order of `KNOWN_CONTEXTS` (ActivityStreams first): a scan that compares lengths
/// first is cheaper than hashing a URL for twenty entries.
type UrlVerdicts = Vec<(&'static str, Result<Arc<ContextVerdict>, Error>)>;

/// The verdict for the bundled URL `url` (exactly as bundled) used alone as `@context`.
fn url_verdict(url: &str) -> Option<&'static Result<Arc<ContextVerdict>, Error>> {
    single_url_verdicts()
        .iter()
        .find(|(u, _)| *u == url)
        .map(|(_, v)| v)
}

/// The verdict for each bundled URL used alone as `@context`.
fn single_url_verdicts() -> &'static UrlVerdicts {
    static TABLE: OnceLock<UrlVerdicts> = OnceLock::new();
    TABLE.get_or_init(|| {
        known::KNOWN_CONTEXTS
            .iter()
            .map(|k| {
                let v = classify_context_uncached(&Value::String(k.url.to_string()), None)
                    .map(Arc::new);
                (k.url, v)
            })
            .collect()
    })
}

/// Verdicts by `@context` text: FNV-1a hash → (text, parsed value, verdict).
pub(crate) type VerdictCache =
    crate::vocab::FnvMap<u64, Vec<(Box<str>, Value, Result<Arc<ContextVerdict>, Error>)>>;
const CACHE_CAPACITY: usize = 512;
/// Longer `@context` texts are classified every time rather than kept.
const MAX_CACHED_TEXT: usize = 16 * 1024;

fn cache() -> &'static Mutex<VerdictCache> {
    static CACHE: OnceLock<Mutex<VerdictCache>> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(VerdictCache::default()))
}

/// FNV-1a.
fn fnv(bytes: &[u8]) -> u64 {
    struct Fnv(u64);
    impl Hasher for Fnv {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for b in bytes {
                self.0 ^= u64::from(*b);
                self.0 = self.0.wrapping_mul(0x100_0000_01b3);
            }
        }
    }
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    h.write(bytes);
    h.finish()
}

/// [`classify_context`] without the cache.
pub(crate) fn classify_context_uncached(
    context: &Value,
    registry: Option<&ContextRegistry>,
) -> Result<ContextVerdict, Error> {
    let mut active = ActiveContext::default();
    let mut verdict = ContextVerdict::empty();
    let base = "/@context";
    match context {
        Value::Array(entries) => {
            if entries.len() > MAX_ENTRIES {
                return Err(Error::TooLarge {
                    at: base.to_string(),
                    size: entries.len(),
                    limit: MAX_ENTRIES,
                });
            }
            for (i, entry) in entries.iter().enumerate() {
                let at = pointer::push_index(base, i);
                process_entry(entry, &mut active, &mut verdict, &at, 0, registry)?;
            }
        }
        entry => process_entry(entry, &mut active, &mut verdict, base, 0, registry)?,
    }
    finish(&active, &mut verdict, base)?;
    Ok(verdict)
}

fn process_entry(
    entry: &Value,
    active: &mut ActiveContext,
    verdict: &mut ContextVerdict,
    at: &str,
    depth: usize,
    registry: Option<&ContextRegistry>,
) -> Result<(), Error> {
    match entry {
        Value::Null => active.reset(at),
        Value::String(url) => {
            let Some(k) = known::find(url) else {
                let Some(reg) = registry.filter(|r| r.contains(url)) else {
                    return Err(Error::UnknownContext {
                        at: at.to_string(),
                        url: url.clone(),
                    });
                };
                if !verdict.registered_urls.contains(url) {
                    verdict.registered_urls.push(url.clone());
                }
                for layer in registered_layers(reg, url, at, depth)? {
                    if layer.vocab.is_some() {
                        verdict.vocab_at = Some(at.to_string());
                    }
                    active.push(layer, at)?;
                }
                return Ok(());
            };
            if k.url == FEP7628_CONTEXT {
                verdict.declares_fep7628 = true;
            }
            if !verdict.known_urls.contains(&k.url) {
                verdict.known_urls.push(k.url);
            }
            for layer in known_layers(k, at, depth)? {
                if layer.vocab.is_some() {
                    verdict.vocab_at = Some(at.to_string());
                }
                active.push(layer, at)?;
            }
            Ok(())
        }
        Value::Object(map) => {
            if map.contains_key("@context") {
                // A remote-document shape inline is not a context definition.
                return Err(Error::InvalidContext {
                    at: at.to_string(),
                    reason: "nested @context member in a context definition",
                });
            }
            let layer = process_local(map, active, at, false)?;
            if layer.vocab.is_some() {
                verdict.vocab_at = Some(at.to_string());
            }
            active.push(Arc::new(layer), at)
        }
        Value::Array(_) => Err(Error::InvalidContext {
            at: at.to_string(),
            reason: "nested array in @context",
        }),
        _ => Err(Error::InvalidContext {
            at: at.to_string(),
            reason: "@context entries must be URLs, maps or null",
        }),
    }
}

/// The layers a bundled document contributes, processed once per process.
fn known_layers(
    k: &'static KnownContext,
    at: &str,
    depth: usize,
) -> Result<Vec<Arc<Layer>>, Error> {
    type Processed = HashMap<&'static str, Result<Vec<Arc<Layer>>, Error>>;
    static PROCESSED: OnceLock<Mutex<Processed>> = OnceLock::new();
    if depth > MAX_REMOTE_DEPTH {
        return Err(Error::InvalidContext {
            at: at.to_string(),
            reason: "remote contexts nested too deeply",
        });
    }
    let store = PROCESSED.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(done) = store
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(k.url)
        .cloned()
    {
        return done.map_err(|e| relocate(e, at));
    }
    let result = process_known(k, depth);
    store
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(k.url, result.clone());
    result.map_err(|e| relocate(e, at))
}

fn process_known(k: &'static KnownContext, depth: usize) -> Result<Vec<Arc<Layer>>, Error> {
    let doc: Value = serde_json::from_str(k.document).map_err(|_| Error::InvalidContext {
        at: String::new(),
        reason: "bundled context is not JSON",
    })?;
    let Some(ctx) = doc.get("@context") else {
        return Err(Error::InvalidContext {
            at: String::new(),
            reason: "bundled context has no @context",
        });
    };
    let entries: Vec<&Value> = match ctx {
        Value::Array(a) => a.iter().collect(),
        v => vec![v],
    };
    let mut active = ActiveContext::default();
    let mut scratch = ContextVerdict::empty();
    let mut layers = Vec::new();
    for entry in entries {
        match entry {
            Value::String(url) => {
                let Some(inner) = known::find(url) else {
                    return Err(Error::UnknownContext {
                        at: String::new(),
                        url: url.clone(),
                    });
                };
                for layer in known_layers(inner, "", depth + 1)? {
                    active.push(layer.clone(), "")?;
                    layers.push(layer);
                }
            }
            Value::Object(map) => {
                let layer = Arc::new(process_local(map, &active, "", true)?);
                active.push(layer.clone(), "")?;
                layers.push(layer);
            }
            other => process_entry(other, &mut active, &mut scratch, "", depth + 1, None)?,
        }
    }
    Ok(layers)
}

/// The layers a registered document contributes, processed once per registry state. Its
/// definitions are judged like an inline context's (`known = false`).
fn registered_layers(
    reg: &ContextRegistry,
    url: &str,
    at: &str,
    depth: usize,
) -> Result<Vec<Arc<Layer>>, Error> {
    if depth > MAX_REMOTE_DEPTH {
        return Err(Error::InvalidContext {
            at: at.to_string(),
            reason: "remote contexts nested too deeply",
        });
    }
    if let Some(done) = lock(&reg.processed).get(url).cloned() {
        return done.map_err(|e| relocate(e, at));
    }
    let result = process_registered(reg, url, depth);
    lock(&reg.processed).insert(url.to_string(), result.clone());
    result.map_err(|e| relocate(e, at))
}

fn process_registered(
    reg: &ContextRegistry,
    url: &str,
    depth: usize,
) -> Result<Vec<Arc<Layer>>, Error> {
    let Some(ctx) = reg.document(url).and_then(|d| d.get("@context")) else {
        return Err(Error::UnknownContext {
            at: String::new(),
            url: url.to_string(),
        });
    };
    let entries: Vec<&Value> = match ctx {
        Value::Array(a) => a.iter().collect(),
        v => vec![v],
    };
    if entries.len() > MAX_ENTRIES {
        return Err(Error::TooLarge {
            at: String::new(),
            size: entries.len(),
            limit: MAX_ENTRIES,
        });
    }
    let mut active = ActiveContext::default();
    let mut layers = Vec::new();
    for entry in entries {
        let added = match entry {
            Value::String(inner) => match known::find(inner) {
                Some(k) => known_layers(k, "", depth + 1)?,
                None if reg.contains(inner) => registered_layers(reg, inner, "", depth + 1)?,
                None => {
                    return Err(Error::UnknownContext {
                        at: String::new(),
                        url: inner.clone(),
                    });
                }
            },
            Value::Object(map) => {
                if map.contains_key("@context") {
                    return Err(Error::InvalidContext {
                        at: String::new(),
                        reason: "nested @context member in a context definition",
                    });
                }
                vec![Arc::new(process_local(map, &active, "", false)?)]
            }
            _ => {
                return Err(Error::InvalidContext {
                    at: String::new(),
                    reason: "registered context entries must be URLs or maps",
                });
            }
        };
        for layer in added {
            active.push(layer.clone(), "")?;
            layers.push(layer);
        }
    }
    Ok(layers)
}

/// Errors inside a bundled document are reported at the entry that referenced it.
fn relocate(mut e: Error, at: &str) -> Error {
    match &mut e {
        Error::ContextRedefinesTerm { at: a, .. }
        | Error::ContextAliasesTerm { at: a, .. }
        | Error::ContextKeyword { at: a, .. }
        | Error::UnknownContext { at: a, .. }
        | Error::ContextUndefinedPrefix { at: a, .. }
        | Error::InvalidContext { at: a, .. }
        | Error::UnsupportedKeyword { at: a, .. } => *a = at.to_string(),
        _ => {}
    }
    e
}

/// Records, for every guarded term, whether the final active context defines it canonically,
/// leaves it to `@vocab`, or leaves it undefined.
fn finish(active: &ActiveContext, verdict: &mut ContextVerdict, at: &str) -> Result<(), Error> {
    let vocab = active.vocab();
    for (i, t) in vocab::TERMS.iter().enumerate() {
        let id = i as TermId;
        match active.lookup(t.name) {
            // Guarded definitions were checked when made; a null mapping is refused there too.
            Some(def) if def.iri.is_some() => verdict.defined.insert(id),
            _ => match vocab {
                None => {}
                Some(v) if v.starts_with("_:") => {}
                Some(v) => {
                    let iri = format!("{v}{}", t.name);
                    if t.iris.contains(&iri.as_str()) {
                        verdict.vocab_canonical.insert(id);
                    } else {
                        verdict.vocab_other.insert(id);
                    }
                }
            },
        }
    }
    verdict.moved_to = match vocab::term_id("movedTo")
        .and_then(|_| active.lookup("movedTo"))
        .and_then(|d| d.iri.as_deref())
    {
        Some("https://w3id.org/fep/7628#movedTo") => MovedToIri::Fep7628,
        Some(_) => MovedToIri::ActivityStreams,
        None => MovedToIri::Undefined,
    };
    // FEP-521a keys: `Multikey` nodes get the type-scoped context of multikey/v1.
    if let Some(def) = active.lookup("Multikey")
        && let Some(Value::Object(scoped)) = &def.scoped
    {
        let layer = process_local(scoped, active, at, true)?;
        let mut inner = active.clone();
        inner.push(Arc::new(layer), at)?;
        for (i, t) in vocab::TERMS.iter().enumerate() {
            if inner.lookup(t.name).is_some_and(|d| d.iri.is_some()) {
                verdict.multikey_defined.insert(i as TermId);
            }
        }
    }
    // Type-scoped contexts on other terms could redefine guarded terms inside nodes of that
    // type; the reader refuses such types on the nodes it interprets.
    for layer in &active.layers {
        for (term, def) in &layer.terms {
            if def.scoped.is_some() && term != "Multikey" && !verdict.scoped_types.contains(term) {
                verdict.scoped_types.push(term.clone());
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn classify_context_uncached_t(v: &Value) -> Result<ContextVerdict, Error> {
        classify_context_uncached(v, None)
    }

    #[test]
    fn every_bundled_context_classifies() {
        for k in known::KNOWN_CONTEXTS {
            let v = classify_context_uncached_t(&json!(k.url));
            if k.url == "https://w3id.org/identity/v1" {
                // Bundled so that the refusal is precise: it binds `Organization`/`Person` to
                // schema.org.
                assert_eq!(
                    v.unwrap_err().to_string(),
                    "context_redefines_term at /@context: Organization"
                );
                continue;
            }
            assert!(v.is_ok(), "{}: {:?}", k.url, v);
        }
    }

    #[test]
    fn mastodon_actor_context_defines_the_migration_terms() {
        let v = classify_context_uncached_t(&json!([
            "https://www.w3.org/ns/activitystreams",
            "https://w3id.org/security/v1",
            {"manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
             "toot": "http://joinmastodon.org/ns#",
             "alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
             "movedTo": {"@id": "as:movedTo", "@type": "@id"},
             "suspended": "toot:suspended"}
        ]))
        .unwrap();
        for t in [
            "movedTo",
            "alsoKnownAs",
            "publicKey",
            "publicKeyPem",
            "owner",
            "inbox",
            "suspended",
        ] {
            assert!(v.defines(t), "{t}");
        }
        assert_eq!(v.moved_to(), MovedToIri::ActivityStreams);
        assert!(!v.declares_fep7628());
    }
}
