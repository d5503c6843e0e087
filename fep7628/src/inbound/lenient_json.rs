//! **Stop-gap** reader from raw JSON to the pipeline's facts.
//!
//! To be replaced by adapters over `activitystreams-move` (`Actor`, `Activity`), which has the
//! context guard, full tolerant parsing and validation; see `NOTES-integration.md`. This reader
//! does none of that: it only picks ids (string or `{"id": …}`, one or many) out of the compact
//! keys and their `as:` / full-IRI spellings, with a cap on how many values it reads. It never
//! fills [`ActorFacts::identity_dids`] (those must be *verified* FEP-c390 subjects).

use serde_json::Value;

use crate::inbound::{ActorFacts, MoveFacts};

/// Most values read from one property.
const MAX_VALUES: usize = 1024;

const AS: &str = "https://www.w3.org/ns/activitystreams#";
const FEP7628: &str = "https://w3id.org/fep/7628#";

/// The Move's facts from a JSON document (compact form).
pub fn move_facts(doc: &Value) -> MoveFacts {
    MoveFacts {
        id: doc.get("id").and_then(Value::as_str).map(str::to_owned),
        actor: ids(property(doc, "actor", &[])),
        object: ids(property(doc, "object", &[])),
        target: ids(property(doc, "target", &[])),
    }
}

/// An actor's facts from a JSON document (compact form).
pub fn actor_facts(doc: &Value) -> ActorFacts {
    let moved_to_iris = [
        "as:movedTo".to_owned(),
        format!("{AS}movedTo"),
        format!("{FEP7628}movedTo"),
    ];
    let aka_iris = ["as:alsoKnownAs".to_owned(), format!("{AS}alsoKnownAs")];
    let copied_iris = [format!("{FEP7628}copiedTo")];
    let moved = ids(property(doc, "movedTo", &moved_to_iris));
    let tombstone = match doc.get("type") {
        Some(Value::String(t)) => t == "Tombstone",
        Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str() == Some("Tombstone")),
        _ => false,
    };
    ActorFacts {
        id: doc
            .get("id")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned(),
        also_known_as: ids(property(doc, "alsoKnownAs", &aka_iris)),
        // FEP-e965: movedTo is functional; more than one value is not a usable movedTo, but it
        // is still "moved" — keep the first so the actor is never treated as active.
        moved_to: moved.into_iter().next(),
        copied_to: ids(property(doc, "copiedTo", &copied_iris)),
        suspended: doc.get("suspended").and_then(Value::as_bool) == Some(true),
        tombstone,
        inbox: doc.get("inbox").and_then(Value::as_str).map(str::to_owned),
        shared_inbox: doc
            .get("endpoints")
            .and_then(|e| e.get("sharedInbox"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        manually_approves_followers: doc
            .get("manuallyApprovesFollowers")
            .and_then(Value::as_bool)
            == Some(true),
        identity_dids: Vec::new(),
        profile: None,
    }
}

fn property<'a>(doc: &'a Value, key: &str, aliases: &[String]) -> Option<&'a Value> {
    doc.get(key)
        .or_else(|| aliases.iter().find_map(|a| doc.get(a.as_str())))
}

/// String or `{"id": …}`, one or many.
fn ids(value: Option<&Value>) -> Vec<String> {
    fn one(v: &Value) -> Option<String> {
        match v {
            Value::String(s) => Some(s.clone()),
            Value::Object(m) => m
                .get("id")
                .or_else(|| m.get("@id"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            _ => None,
        }
    }
    match value {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items.iter().take(MAX_VALUES).filter_map(one).collect(),
        Some(v) => one(v).into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_string_or_object_one_or_many() {
        let actor = actor_facts(&json!({
            "id": "https://a.example/u",
            "alsoKnownAs": "https://b.example/u",
            "as:movedTo": {"id": "https://c.example/u"},
            "type": ["Person", "Tombstone"],
            "endpoints": {"sharedInbox": "https://a.example/inbox"}
        }));
        assert_eq!(actor.also_known_as, ["https://b.example/u"]);
        assert_eq!(actor.moved_to.as_deref(), Some("https://c.example/u"));
        assert!(actor.tombstone);
        assert_eq!(
            actor.shared_inbox.as_deref(),
            Some("https://a.example/inbox")
        );

        let mv = move_facts(&json!({"actor": ["x", "y"], "object": {"id": "o"}}));
        assert_eq!(mv.actor.len(), 2);
        assert_eq!(mv.object, ["o"]);
        assert!(mv.target.is_empty());
        assert!(mv.id.is_none());
    }
}
