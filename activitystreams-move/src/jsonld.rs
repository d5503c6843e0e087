//! The JSON-LD slow path (feature `jsonld`): real expansion with `json-ld` 0.21, a preloaded
//! loader holding the bundled contexts (it never fetches: any other URL fails), driven without an
//! async runtime, and the processed `@context` cached between documents.
//!
//! The expanded document is then read by the same single-pass reader (expanded form has only
//! keywords and full IRIs as keys, so no guard decision is left to make).
//!
//! ```
//! use activitystreams_move::{Actor, ReadOptions};
//!
//! // A context the fast guard refuses (a keyword alias) is read by expansion instead.
//! let doc = br#"{
//!   "@context": ["https://www.w3.org/ns/activitystreams", {"ident": "@id"}],
//!   "ident": "https://example.com/users/alice", "type": "Person",
//!   "alsoKnownAs": "https://old.example/users/alice"
//! }"#;
//! assert_eq!(Actor::from_slice(doc, &ReadOptions::default()).unwrap_err().kind(), "context_aliases_term");
//! let options = ReadOptions { jsonld_fallback: true, ..ReadOptions::default() };
//! let actor = Actor::from_slice(doc, &options).unwrap();
//! assert_eq!(actor.id(), Some("https://example.com/users/alice"));
//! assert!(actor.also_known_as.contains("https://old.example/users/alice"));
//! ```

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Mutex, OnceLock};
use std::task::{Context as TaskContext, Poll, Waker};

use json_ld::syntax::{Parse, TryFromJson};
use json_ld::{Expand, IriBuf, Process, RemoteDocument};
use serde_json::Value;

use crate::context::known::KNOWN_CONTEXTS;
use crate::read::{ReadOutcome, read_value};
use crate::{ContextRegistry, Error, ReadOptions};

type Loader = HashMap<IriBuf, RemoteDocument>;
type Processed = json_ld::Context<IriBuf, json_ld::BlankIdBuf>;

/// Drives a future that never waits (the preloaded loader answers immediately) with a no-op
/// waker; gives up if it is still pending after a few polls instead of blocking.
fn poll_ready<F: Future>(future: F) -> Option<F::Output> {
    let mut future = std::pin::pin!(future);
    let mut cx = TaskContext::from_waker(Waker::noop());
    for _ in 0..16 {
        if let Poll::Ready(v) = future.as_mut().poll(&mut cx) {
            return Some(v);
        }
    }
    None
}

fn failure(message: impl Into<String>) -> Error {
    Error::JsonLdExpansion {
        at: String::new(),
        message: message.into(),
    }
}

/// The preloaded loader: every bundled context under each of its URLs.
fn loader() -> &'static Loader {
    static LOADER: OnceLock<Loader> = OnceLock::new();
    LOADER.get_or_init(|| {
        let mut map = HashMap::new();
        for k in KNOWN_CONTEXTS {
            let Ok((doc, _)) = json_ld::syntax::Value::parse_str(k.document) else {
                continue;
            };
            for url in std::iter::once(k.url).chain(k.aliases.iter().copied()) {
                if let Ok(iri) = IriBuf::new(url.to_string()) {
                    map.insert(
                        iri.clone(),
                        RemoteDocument::new(Some(iri), None, doc.clone()),
                    );
                }
            }
        }
        map
    })
}

/// The bundled loader plus the registry's documents (built per call: registries are small and
/// the processed context is cached).
fn loader_with(registry: Option<&ContextRegistry>) -> Result<Option<Loader>, Error> {
    let Some(reg) = registry.filter(|r| !r.is_empty()) else {
        return Ok(None);
    };
    let mut map = loader().clone();
    for (url, doc) in reg.documents() {
        let iri = IriBuf::new(url.to_string()).map_err(|_| failure(format!("bad IRI {url}")))?;
        map.insert(
            iri.clone(),
            RemoteDocument::new(Some(iri), None, to_ld(doc)?),
        );
    }
    Ok(Some(map))
}

fn to_ld(value: &Value) -> Result<json_ld::syntax::Value, Error> {
    let text = serde_json::to_string(value).map_err(|e| failure(e.to_string()))?;
    json_ld::syntax::Value::parse_str(&text)
        .map(|(v, _)| v)
        .map_err(|e| failure(e.to_string()))
}

/// The processed form of a `@context` value, cached by its serialisation.
fn processed_context(
    context: &Value,
    registry: Option<&ContextRegistry>,
    extra: Option<&Loader>,
) -> Result<Processed, Error> {
    static CACHE: OnceLock<Mutex<HashMap<String, Processed>>> = OnceLock::new();
    let text = serde_json::to_string(context).map_err(|e| failure(e.to_string()))?;
    // The registry's state is part of the key: the same URL may mean another document there.
    let key = format!(
        "{}\n{text}",
        registry.map_or(0, ContextRegistry::generation)
    );
    let cache = CACHE.get_or_init(|| Mutex::new(HashMap::new()));
    if let Some(hit) = cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&key)
        .cloned()
    {
        return Ok(hit);
    }
    let syntax = json_ld::syntax::context::Context::try_from_json(to_ld(context)?)
        .map_err(|e| failure(format!("invalid context: {e}")))?;
    // Per-instance URLs the guard maps to a bundled document (LitePub) are served the same way.
    let urls: Vec<&str> = match context {
        Value::String(u) => vec![u.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let mut local: Option<Loader> = None;
    for url in urls {
        if let (Some(k), Ok(iri)) = (
            crate::context::known::find(url),
            IriBuf::new(url.to_string()),
        ) && !loader().contains_key(&iri)
            && let Ok((doc, _)) = json_ld::syntax::Value::parse_str(k.document)
        {
            local
                .get_or_insert_with(|| extra.unwrap_or(loader()).clone())
                .insert(iri.clone(), RemoteDocument::new(Some(iri), None, doc));
        }
    }
    let initial = Processed::new(None);
    let processed = poll_ready(syntax.process_full(
        &mut (),
        &initial,
        local.as_ref().or(extra).unwrap_or(loader()),
        None,
        json_ld::context_processing::Options::default(),
        (),
    ))
    .ok_or_else(|| failure("context processing did not complete"))?
    .map_err(|e| failure(format!("context processing: {e}")))?
    .into_processed();
    let mut map = cache.lock().unwrap_or_else(|e| e.into_inner());
    if map.len() >= 256 {
        map.clear();
    }
    map.insert(key, processed.clone());
    Ok(processed)
}

/// Expands a compact JSON-LD document into the expanded form (an array of node objects), with
/// the bundled contexts only.
pub fn expand(document: &Value) -> Result<Value, Error> {
    expand_in(document, None)
}

/// [`expand`] with caller-registered context documents as well (still never fetching).
pub fn expand_with(document: &Value, contexts: &ContextRegistry) -> Result<Value, Error> {
    expand_in(document, Some(contexts))
}

fn expand_in(document: &Value, registry: Option<&ContextRegistry>) -> Result<Value, Error> {
    let extra = loader_with(registry)?;
    let mut body = document.clone();
    let context = match &mut body {
        Value::Object(m) => m.remove("@context"),
        _ => None,
    };
    let active = match &context {
        Some(c) => processed_context(c, registry, extra.as_ref())?,
        None => Processed::new(None),
    };
    let input = to_ld(&body)?;
    let expanded = poll_ready(input.expand_full(
        &mut (),
        active,
        None,
        extra.as_ref().unwrap_or(loader()),
        json_ld::expansion::Options::default(),
        (),
    ))
    .ok_or_else(|| failure("expansion did not complete"))?
    .map_err(|e| failure(format!("expansion: {e}")))?;
    let items: Vec<json_ld::syntax::Value> = expanded
        .into_iter()
        .map(|o| json_ld::syntax::IntoJsonWithContext::into_json_with(o, &()))
        .collect();
    let text = json_ld::syntax::Value::Array(items.into_iter().collect()).to_string();
    serde_json::from_str(&text).map_err(|e| failure(e.to_string()))
}

/// Reads a document through expansion (the slow path behind `ReadOptions::jsonld_fallback`).
pub(crate) fn read_expanded(
    document: &Value,
    options: &ReadOptions,
    registry: Option<&ContextRegistry>,
) -> Result<ReadOutcome, Error> {
    let expanded = expand_in(document, registry)?;
    let mut out = read_value(&expanded, options, registry)?;
    out.node.context = document.get("@context").cloned();
    Ok(out)
}
