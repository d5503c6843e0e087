//! Classifying a whole `@context` value: [`classify_context`] and its cached result.

use std::collections::HashMap;
use std::hash::Hasher;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

use super::definition::process_local;
use super::known::{self, KnownContext};
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
    // The most common context is one bundled URL (every Move Mastodon sends): answer it from a
    // table computed once, without hashing or locking.
    if let Value::String(url) = context {
        if let Some(hit) = single_url_verdicts().get(url.as_str()) {
            return hit.clone();
        }
        if let Some(hit) = known::find(url).and_then(|k| single_url_verdicts().get(k.url)) {
            return hit.clone();
        }
    }
    let hash = hash_value(context);
    let cache = cache();
    if let Some(hit) = lock(cache)
        .get(&hash)
        .and_then(|bucket| bucket.iter().find(|(v, _)| v == context))
        .map(|(_, r)| r.clone())
    {
        return hit;
    }
    let result = classify_context_uncached(context).map(Arc::new);
    let mut map = lock(cache);
    if map.len() >= CACHE_CAPACITY {
        map.clear();
    }
    map.entry(hash)
        .or_default()
        .push((context.clone(), result.clone()));
    result
}

type UrlVerdicts = crate::vocab::FnvMap<&'static str, Result<Arc<ContextVerdict>, Error>>;

/// The verdict for each bundled URL used alone as `@context`.
fn single_url_verdicts() -> &'static UrlVerdicts {
    static TABLE: OnceLock<UrlVerdicts> = OnceLock::new();
    TABLE.get_or_init(|| {
        known::KNOWN_CONTEXTS
            .iter()
            .map(|k| {
                let v = classify_context_uncached(&Value::String(k.url.to_string())).map(Arc::new);
                (k.url, v)
            })
            .collect()
    })
}

type CacheMap = crate::vocab::FnvMap<u64, Vec<(Value, Result<Arc<ContextVerdict>, Error>)>>;
type Cache = Mutex<CacheMap>;
const CACHE_CAPACITY: usize = 512;

fn cache() -> &'static Cache {
    static CACHE: OnceLock<Cache> = OnceLock::new();
    CACHE.get_or_init(|| Mutex::new(CacheMap::default()))
}

fn lock(cache: &Cache) -> std::sync::MutexGuard<'_, CacheMap> {
    // A poisoned lock only means another thread panicked mid-insert; the map is still valid.
    cache.lock().unwrap_or_else(|e| e.into_inner())
}

/// FNV-1a over a canonical walk of the value (key order as stored).
fn hash_value(value: &Value) -> u64 {
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
    fn walk(v: &Value, h: &mut Fnv, depth: usize) {
        if depth > 16 {
            return;
        }
        match v {
            Value::Null => h.write(b"n"),
            Value::Bool(b) => h.write(if *b { b"t" } else { b"f" }),
            Value::Number(n) => h.write(n.to_string().as_bytes()),
            Value::String(s) => {
                h.write(b"s");
                h.write(s.as_bytes());
            }
            Value::Array(a) => {
                h.write(b"[");
                for x in a {
                    walk(x, h, depth + 1);
                }
            }
            Value::Object(o) => {
                h.write(b"{");
                for (k, x) in o {
                    h.write(k.as_bytes());
                    walk(x, h, depth + 1);
                }
            }
        }
    }
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    walk(value, &mut h, 0);
    h.finish()
}

/// [`classify_context`] without the cache.
pub(crate) fn classify_context_uncached(context: &Value) -> Result<ContextVerdict, Error> {
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
                process_entry(entry, &mut active, &mut verdict, &at, 0)?;
            }
        }
        entry => process_entry(entry, &mut active, &mut verdict, base, 0)?,
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
) -> Result<(), Error> {
    match entry {
        Value::Null => active.reset(at),
        Value::String(url) => {
            let Some(k) = known::find(url) else {
                return Err(Error::UnknownContext {
                    at: at.to_string(),
                    url: url.clone(),
                });
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
            other => process_entry(other, &mut active, &mut scratch, "", depth + 1)?,
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

    #[test]
    fn every_bundled_context_classifies() {
        for k in known::KNOWN_CONTEXTS {
            let v = classify_context_uncached(&json!(k.url));
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
        let v = classify_context_uncached(&json!([
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
