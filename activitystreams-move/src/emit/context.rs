//! The `@context` this crate emits (move.md §6: conservative shape).

use serde_json::{Map, Value, json};

use crate::vocab::FEP7628_CONTEXT;

/// The ActivityStreams context URL.
pub const AS_CONTEXT: &str = "https://www.w3.org/ns/activitystreams";

/// How `movedTo` (and `copiedTo`) are declared in an emitted actor's `@context`.
///
/// Only one binding of `movedTo` is ever emitted (move.md §1.1 #5: later context entries
/// override earlier ones, so declaring both is at best confusing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MovedToContext {
    /// The default: `{"movedTo": {"@id": "as:movedTo", "@type": "@id"}}` inline, as Mastodon,
    /// GoToSocial and Misskey emit; `copiedTo` (which has no `as:` IRI) is declared inline with
    /// its FEP-7628 IRI. Every surveyed server reads this.
    #[default]
    Mastodon,
    /// The FEP-7628 context URL `https://w3id.org/fep/7628` (`movedTo`/`copiedTo` with
    /// fragment IRIs), which also signals FEP-e965 conformance.
    Fep7628,
}

/// Inline term definitions for the migration fields (Mastodon style).
fn inline_terms(with_copied_to: bool) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert(
        "alsoKnownAs".into(),
        json!({"@id": "as:alsoKnownAs", "@type": "@id"}),
    );
    m.insert(
        "movedTo".into(),
        json!({"@id": "as:movedTo", "@type": "@id"}),
    );
    if with_copied_to {
        m.insert(
            "copiedTo".into(),
            json!({"@id": "https://w3id.org/fep/7628#copiedTo", "@type": "@id"}),
        );
    }
    m
}

/// Rewrites an actor's `@context` so that the migration terms are declared once, in the chosen
/// style, keeping every other entry: removes competing `movedTo`/`copiedTo`/`alsoKnownAs`
/// definitions and the FEP-7628 URL (Mastodon style) or adds it (FEP-7628 style).
pub(crate) fn with_migration_terms(
    context: Option<&Value>,
    style: MovedToContext,
    with_copied_to: bool,
) -> Value {
    let mut entries: Vec<Value> = match context {
        None | Some(Value::Null) => vec![Value::String(AS_CONTEXT.into())],
        Some(Value::Array(a)) => a.clone(),
        Some(v) => vec![v.clone()],
    };
    if !entries.iter().any(|e| e.as_str() == Some(AS_CONTEXT)) {
        entries.insert(0, Value::String(AS_CONTEXT.into()));
    }
    entries.retain(|e| e.as_str() != Some(FEP7628_CONTEXT));
    for e in &mut entries {
        if let Value::Object(m) = e {
            m.remove("movedTo");
            m.remove("copiedTo");
            if style == MovedToContext::Fep7628 {
                continue;
            }
            m.remove("alsoKnownAs");
        }
    }
    entries.retain(|e| !matches!(e, Value::Object(m) if m.is_empty()));
    match style {
        MovedToContext::Mastodon => {
            let terms = inline_terms(with_copied_to);
            match entries.iter_mut().rev().find_map(|e| match e {
                Value::Object(m) => Some(m),
                _ => None,
            }) {
                Some(m) => m.extend(terms),
                None => entries.push(Value::Object(terms)),
            }
        }
        MovedToContext::Fep7628 => entries.push(Value::String(FEP7628_CONTEXT.into())),
    }
    Value::Array(entries)
}
