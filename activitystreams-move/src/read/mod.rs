//! The single-pass reader: bytes (or a `serde_json::Value`) → [`Node`] tree, then the context
//! guard's verdict on the terms the document actually used.

mod node;
mod raw;
mod restore;
mod state;
mod values;

use std::sync::Arc;

use serde::de::DeserializeSeed;
use serde_json::Value;

pub(crate) use node::{Node, NodeRef, RefKind, bit, mask_of};
pub(crate) use restore::{node_into_map, restore_except};

use crate::context::{ContextRegistry, ContextVerdict, classify_context_text};
use crate::vocab::{self, TermSet};
use crate::{Error, ReadOptions, UndefinedTerms};
use state::{Path, ReadState};

/// What the reader produced, before conversion to a public type.
pub(crate) struct ReadOutcome {
    pub node: Box<Node>,
    pub info: ReadInfo,
}

/// How a document was read (kept on the public types for `inspect`-style reporting).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ReadInfo {
    pub(crate) verdict: Option<Arc<ContextVerdict>>,
    pub(crate) undefined: TermSet,
    pub(crate) also_known_as_dropped: usize,
    pub(crate) array_fields: u64,
}

impl ReadInfo {
    /// The context guard's verdict (`None` for values built in code rather than read).
    pub fn verdict(&self) -> Option<&ContextVerdict> {
        self.verdict.as_deref()
    }

    /// Guarded terms the document used although its context does not define them (read anyway
    /// under [`UndefinedTerms::Read`]).
    pub fn undefined_terms(&self) -> TermSet {
        self.undefined
    }

    /// Whether the reference member `field` was given as a JSON array (for exact pointers).
    pub(crate) fn was_array(&self, field: crate::vocab::Field) -> bool {
        self.array_fields & bit(field) != 0
    }

    /// How many `alsoKnownAs` entries were dropped by [`Limits::max_also_known_as`](crate::Limits).
    pub fn also_known_as_dropped(&self) -> usize {
        self.also_known_as_dropped
    }
}

fn json_error(e: &serde_json::Error) -> Error {
    if e.is_data() {
        return Error::NotAnObject { at: String::new() };
    }
    Error::InvalidJson {
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    }
}

/// Reads a document from bytes.
pub(crate) fn read_slice(
    bytes: &[u8],
    opts: &ReadOptions,
    registry: Option<&ContextRegistry>,
) -> Result<ReadOutcome, Error> {
    if bytes.len() > opts.limits.max_document_bytes {
        return Err(Error::TooLarge {
            at: String::new(),
            size: bytes.len(),
            limit: opts.limits.max_document_bytes,
        });
    }
    let new_state = || ReadState::new(opts.limits, opts.undefined_terms == UndefinedTerms::Reject);
    let mut state = new_state();
    // Validating UTF-8 once for the whole document is far cheaper than serde_json's check of
    // every string; invalid UTF-8 goes through the byte reader for its precise error.
    let text = std::str::from_utf8(bytes).ok();
    let first = match text {
        Some(text) => {
            state.borrow_raw = true;
            parse(serde_json::Deserializer::from_str(text), &mut state)
        }
        None => parse(serde_json::Deserializer::from_slice(bytes), &mut state),
    };
    match first {
        Ok(node) => finish(node, state, opts, registry),
        // A syntax error may hide a limit crossed before it (see `KeepSeed`): read again
        // exactly and report whichever comes first in document order.
        Err(Error::InvalidJson { .. }) => {
            let mut exact = new_state();
            exact.exact = true;
            let node = parse(serde_json::Deserializer::from_slice(bytes), &mut exact)?;
            finish(node, exact, opts, registry)
        }
        Err(e) => Err(e),
    }
}

fn parse<'de, R: serde_json::de::Read<'de>>(
    mut de: serde_json::Deserializer<R>,
    state: &mut ReadState,
) -> Result<Box<Node>, Error> {
    let seed = node::NodeSeed {
        state,
        path: &Path::Root,
        depth: 0,
        root: true,
    };
    let node = match seed.deserialize(&mut de) {
        Ok(n) => n,
        Err(e) => return Err(state.error.take().unwrap_or_else(|| json_error(&e))),
    };
    de.end().map_err(|e| json_error(&e))?;
    Ok(node)
}

/// Reads a document already parsed into a `serde_json::Value`.
pub(crate) fn read_value(
    value: &Value,
    opts: &ReadOptions,
    registry: Option<&ContextRegistry>,
) -> Result<ReadOutcome, Error> {
    let mut state = ReadState::new(opts.limits, opts.undefined_terms == UndefinedTerms::Reject);
    let seed = node::NodeSeed {
        state: &mut state,
        path: &Path::Root,
        depth: 0,
        root: true,
    };
    let node = match seed.deserialize(value) {
        Ok(n) => n,
        Err(e) => return Err(state.error.take().unwrap_or_else(|| json_error(&e))),
    };
    finish(node, state, opts, registry)
}

fn finish(
    mut node: Box<Node>,
    mut state: ReadState,
    opts: &ReadOptions,
    registry: Option<&ContextRegistry>,
) -> Result<ReadOutcome, Error> {
    let verdict = match (state.bundled_context.take(), node.context_text.take()) {
        (Some(verdict), _) => verdict?,
        (None, Some(text)) => {
            let (value, verdict) = classify_context_text(text, registry);
            // The entry limit is reported before any verdict, as it always was.
            if let Some(e) = value.as_ref().and_then(|v| entries_error(v, opts)) {
                return Err(e);
            }
            node.context = value;
            verdict?
        }
        (None, None) => no_context_verdict(),
    };
    if !verdict.scoped_types.is_empty() {
        check_scoped_types(&node, &verdict, "")?;
    }
    let used = state.used.union(state.used_multikey);
    let other = used.intersect(verdict.vocab_other);
    if !other.is_empty()
        && let Some(term) = other.names().next()
    {
        return Err(Error::ContextKeyword {
            at: verdict
                .vocab_at
                .clone()
                .unwrap_or_else(|| "/@context".to_string()),
            keyword: format!("@vocab ({term})"),
        });
    }
    let known = verdict.defined.union(verdict.vocab_canonical);
    let undefined = state.used.minus(known).union(
        state
            .used_multikey
            .minus(known)
            .minus(verdict.multikey_defined),
    );
    if !undefined.is_empty() && opts.undefined_terms == UndefinedTerms::Reject {
        let (at, term) = state
            .first_use
            .iter()
            .find(|(id, _)| undefined.contains(*id))
            .map(|(id, at)| (at.clone(), vocab::name_of(*id).to_string()))
            .unwrap_or_default();
        return Err(Error::UndefinedTerm { at, term });
    }
    let array_fields = node.array_fields;
    Ok(ReadOutcome {
        node,
        info: ReadInfo {
            verdict: Some(verdict),
            undefined,
            also_known_as_dropped: state.also_known_as_dropped,
            array_fields,
        },
    })
}

/// The verdict for documents without `@context`, shared (one per process).
fn no_context_verdict() -> Arc<ContextVerdict> {
    static EMPTY: std::sync::OnceLock<Arc<ContextVerdict>> = std::sync::OnceLock::new();
    EMPTY
        .get_or_init(|| Arc::new(ContextVerdict::empty()))
        .clone()
}

/// `too_large` when the `@context` is an array of more than
/// [`Limits::max_context_entries`](crate::Limits) entries.
fn entries_error(context: &Value, opts: &ReadOptions) -> Option<Error> {
    let Value::Array(entries) = context else {
        return None;
    };
    (entries.len() > opts.limits.max_context_entries).then(|| Error::TooLarge {
        at: "/@context".to_string(),
        size: entries.len(),
        limit: opts.limits.max_context_entries,
    })
}

/// Refuses nodes whose type carries a type-scoped context (other than `Multikey`): it could
/// redefine guarded terms inside that node.
fn check_scoped_types(node: &Node, verdict: &ContextVerdict, at: &str) -> Result<(), Error> {
    if let Some(t) = node.types.iter().find(|t| verdict.scoped_types.contains(t)) {
        return Err(Error::ContextKeyword {
            at: crate::pointer::push(at, "type"),
            keyword: format!("@context scoped to type {t}"),
        });
    }
    let lists: [(&str, &Vec<NodeRef>); 7] = [
        ("actor", &node.actor),
        ("object", &node.object),
        ("target", &node.target),
        ("origin", &node.origin),
        ("endpoints", &node.endpoints),
        ("publicKey", &node.public_key),
        ("assertionMethod", &node.assertion_method),
    ];
    for (key, list) in lists {
        for (i, r) in list.iter().enumerate() {
            if let Some(n) = r.as_node() {
                let p = crate::pointer::push_index(&crate::pointer::push(at, key), i);
                check_scoped_types(n, verdict, &p)?;
            }
        }
    }
    Ok(())
}
