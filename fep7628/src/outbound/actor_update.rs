//! `movedTo` (old account deactivated) and `copiedTo` (old account stays active) on the old
//! actor, with the `Update` to send (FEP-7628 §Linked actors, FEP-e965).

use serde_json::{Map, Value, json};

use crate::Error;
use crate::outbound::ClearedMove;
use crate::outbound::activity::{AS_CONTEXT, AS_PUBLIC, activity_id, check_token};

/// The FEP-7628 `copiedTo` IRI.
pub const FEP7628_COPIED_TO: &str = "https://w3id.org/fep/7628#copiedTo";

/// The updated actor document and the `Update` activity announcing it.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ActorUpdate {
    /// The actor document to serve from now on.
    pub actor: Value,
    /// The `Update` activity to deliver to the followers (FEP-7628 SHOULD), before the Move
    /// (Mastodon, Misskey order).
    pub update: Value,
}

/// Mark the old actor as moved: set `movedTo` to the target, drop `copiedTo` (FEP-e965: both
/// MUST NOT co-exist), add the target to `alsoKnownAs` (as Misskey does: the old side then names
/// the new one, which pull-mode receivers accept as old-side evidence), and declare
/// `as:movedTo` in `@context`.
///
/// # Errors
/// [`Error::NotAnActorDocument`] if `actor` is not an object whose `id` is the migration's
/// origin; [`Error::InvalidToken`] for a bad token.
pub fn moved_to_update(
    actor: &Value,
    cleared: &ClearedMove,
    token: &str,
) -> Result<ActorUpdate, Error> {
    check_token(token)?;
    let mut doc = actor_object(actor, cleared.origin())?;
    doc.remove("copiedTo");
    doc.insert(
        "movedTo".to_owned(),
        Value::String(cleared.target().to_owned()),
    );
    add_alias(&mut doc, cleared.target());
    set_context_term(
        &mut doc,
        "movedTo",
        json!({"@id": "as:movedTo", "@type": "@id"}),
    );
    Ok(finish(doc, cleared.origin(), token))
}

/// Mark the old actor as copied: add the target to `copiedTo` (the old account stays active),
/// and declare the FEP-7628 `copiedTo` term in `@context`.
///
/// # Errors
/// [`Error::NotAnActorDocument`] if `actor` is not an object whose `id` is the migration's
/// origin, or if it already carries `movedTo` (FEP-e965: never both).
pub fn copied_to_update(
    actor: &Value,
    cleared: &ClearedMove,
    token: &str,
) -> Result<ActorUpdate, Error> {
    check_token(token)?;
    let mut doc = actor_object(actor, cleared.origin())?;
    if doc.contains_key("movedTo") {
        return Err(Error::NotAnActorDocument {
            at: "/movedTo",
            reason: "the actor has movedTo; copiedTo must not be added (FEP-e965)",
        });
    }
    let mut copies = match doc.remove("copiedTo") {
        Some(Value::Array(items)) => items,
        Some(Value::String(s)) => vec![Value::String(s)],
        _ => Vec::new(),
    };
    let target = Value::String(cleared.target().to_owned());
    if !copies.contains(&target) {
        copies.push(target);
    }
    doc.insert("copiedTo".to_owned(), Value::Array(copies));
    set_context_term(
        &mut doc,
        "copiedTo",
        json!({"@id": FEP7628_COPIED_TO, "@type": "@id"}),
    );
    Ok(finish(doc, cleared.origin(), token))
}

fn actor_object(actor: &Value, origin: &str) -> Result<Map<String, Value>, Error> {
    let Some(map) = actor.as_object() else {
        return Err(Error::NotAnActorDocument {
            at: "",
            reason: "not a JSON object",
        });
    };
    if map.get("id").and_then(Value::as_str) != Some(origin) {
        return Err(Error::NotAnActorDocument {
            at: "/id",
            reason: "the id is not the migration's origin",
        });
    }
    Ok(map.clone())
}

fn add_alias(doc: &mut Map<String, Value>, alias: &str) {
    let mut aliases = match doc.remove("alsoKnownAs") {
        Some(Value::Array(items)) => items,
        Some(Value::String(s)) => vec![Value::String(s)],
        _ => Vec::new(),
    };
    let alias = Value::String(alias.to_owned());
    if !aliases.contains(&alias) {
        aliases.push(alias);
    }
    doc.insert("alsoKnownAs".to_owned(), Value::Array(aliases));
}

/// Make `term` mean `definition`: drop other inline definitions of it and append ours last
/// (later context entries override earlier ones, so a remote context such as
/// `https://w3id.org/fep/7628` cannot shadow it).
fn set_context_term(doc: &mut Map<String, Value>, term: &str, definition: Value) {
    let mut entries = match doc.remove("@context") {
        Some(Value::Array(items)) => items,
        Some(other) => vec![other],
        None => vec![Value::String(AS_CONTEXT.to_owned())],
    };
    for entry in &mut entries {
        if let Value::Object(map) = entry {
            map.remove(term);
        }
    }
    entries.retain(|e| !matches!(e, Value::Object(m) if m.is_empty()));
    let mut ours = Map::new();
    ours.insert(term.to_owned(), definition);
    entries.push(Value::Object(ours));
    doc.insert("@context".to_owned(), Value::Array(entries));
}

fn finish(mut doc: Map<String, Value>, actor_id: &str, token: &str) -> ActorUpdate {
    let context = doc.get("@context").cloned().unwrap_or(Value::Null);
    let followers = doc
        .get("followers")
        .and_then(Value::as_str)
        .map(str::to_owned);
    let actor = Value::Object(doc.clone());
    doc.remove("@context");
    let mut update = Map::new();
    update.insert("@context".to_owned(), context);
    update.insert(
        "id".to_owned(),
        Value::String(activity_id(actor_id, "updates", token)),
    );
    update.insert("type".to_owned(), Value::String("Update".to_owned()));
    update.insert("actor".to_owned(), Value::String(actor_id.to_owned()));
    update.insert("object".to_owned(), Value::Object(doc));
    update.insert("to".to_owned(), json!([AS_PUBLIC]));
    if let Some(f) = followers {
        update.insert("cc".to_owned(), json!([f]));
    }
    ActorUpdate {
        actor,
        update: Value::Object(update),
    }
}
