//! `activitystreams_move::Actor` → [`ActorProfile`]: the texts and dates moderation policies
//! read (display name, bio, username, profile fields, `published`).

use activitystreams_move::Actor;
use serde_json::Value;

use crate::civil::parse_date_time;
use crate::inbound::ActorProfile;

/// Longest text kept per profile member (bytes, cut at a character boundary). Mastodon allows
/// 30 characters of display name and 500 of bio; other servers allow more, none this much.
pub const MAX_PROFILE_TEXT: usize = 16 * 1024;

/// Most profile fields (`PropertyValue` attachments) kept. Mastodon allows 4, Akkoma 10 by
/// default.
pub const MAX_PROFILE_FIELDS: usize = 64;

const AS: &str = "https://www.w3.org/ns/activitystreams#";

/// The moderation profile of a parsed actor.
///
/// `name`, `summary` and `published` are read from the members the parser keeps verbatim
/// (`Actor::extra`) under their compact name, the `as:` prefix or the full IRI; a language
/// map (`nameMap`, `summaryMap`) is used when the plain member is absent (its values joined by
/// a newline, so a rule sees every language). `published` must be an `xsd:dateTime`
/// (RFC 3339); anything else is left out rather than guessed. Profile fields are the
/// `PropertyValue` attachments' `name` and `value`. Texts are capped at [`MAX_PROFILE_TEXT`]
/// bytes and fields at [`MAX_PROFILE_FIELDS`]. `followers_count` stays `None`: actor
/// documents do not carry it (the caller may fill it from the followers collection).
///
/// ```
/// use activitystreams_move::{Actor, ReadOptions};
/// let doc = br#"{"@context": "https://www.w3.org/ns/activitystreams",
///   "id": "https://old.example/u/a", "type": "Person", "preferredUsername": "a",
///   "name": "Alice", "summary": "<p>hi</p>", "published": "2024-01-02T03:04:05Z"}"#;
/// let actor = Actor::from_slice(doc, &ReadOptions::default()).unwrap();
/// let profile = fep7628::adapt::actor_profile(&actor);
/// assert_eq!(profile.name.as_deref(), Some("Alice"));
/// assert_eq!(profile.published, Some(1_704_164_645));
/// ```
pub fn actor_profile(actor: &Actor) -> ActorProfile {
    // `Members` keeps raw JSON text and parses a member when it is read.
    let member = |short: &str| -> Option<Value> {
        actor
            .extra
            .get(short)
            .or_else(|| actor.extra.get(&format!("as:{short}")))
            .or_else(|| actor.extra.get(&format!("{AS}{short}")))
    };
    let text = |short: &str| -> Option<String> {
        match member(short) {
            Some(v) => text_of(&v),
            None => member(&format!("{short}Map")).and_then(|v| text_of(&v)),
        }
    };
    let fields = actor
        .attachment
        .iter()
        .filter(|a| is_property_value(a))
        .take(MAX_PROFILE_FIELDS)
        .map(|a| {
            let name = a.get("name").and_then(text_of).unwrap_or_default();
            let value = a.get("value").and_then(text_of).unwrap_or_default();
            (name, value)
        })
        .collect();
    ActorProfile {
        preferred_username: actor.preferred_username.as_deref().map(capped),
        name: text("name"),
        summary: text("summary"),
        // RFC 3339 / xsd:dateTime with a zone (the crate's one reader, `civil::rfc3339`).
        published: member("published")
            .and_then(|v| v.as_str().and_then(|s| parse_date_time(s).ok())),
        followers_count: None,
        fields,
    }
}

fn is_property_value(attachment: &Value) -> bool {
    match attachment.get("type") {
        Some(Value::String(t)) => t == "PropertyValue" || t.ends_with("#PropertyValue"),
        Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str() == Some("PropertyValue")),
        _ => false,
    }
}

/// A string, or the values of a language map joined by newlines.
fn text_of(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(capped(s)),
        Value::Object(map) => {
            let mut out = String::new();
            for v in map.values().filter_map(Value::as_str) {
                if !out.is_empty() {
                    out.push('\n');
                }
                out.push_str(v);
                if out.len() > MAX_PROFILE_TEXT {
                    break;
                }
            }
            (!out.is_empty()).then(|| capped(&out))
        }
        _ => None,
    }
}

fn capped(s: &str) -> String {
    if s.len() <= MAX_PROFILE_TEXT {
        return s.to_owned();
    }
    let mut end = MAX_PROFILE_TEXT;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use activitystreams_move::ReadOptions;
    use serde_json::json;

    #[test]
    fn profile_from_actor() {
        let doc = json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": "https://old.example/u/a", "type": "Person", "preferredUsername": "alice",
            "summaryMap": {"en": "hello", "de": "hallo"},
            "published": "not a date",
            "attachment": [
                {"type": "PropertyValue", "name": "site", "value": "<a>x</a>"},
                {"type": "Note", "name": "ignored"}
            ]
        });
        let actor = Actor::from_slice(doc.to_string().as_bytes(), &ReadOptions::default()).unwrap();
        let p = actor_profile(&actor);
        assert_eq!(p.preferred_username.as_deref(), Some("alice"));
        assert_eq!(p.name, None);
        let summary = p.summary.unwrap();
        assert!(summary.contains("hello") && summary.contains("hallo"));
        assert_eq!(p.published, None);
        assert_eq!(p.fields, [("site".to_owned(), "<a>x</a>".to_owned())]);
        let long = "é".repeat(MAX_PROFILE_TEXT);
        assert!(capped(&long).len() <= MAX_PROFILE_TEXT);
    }
}
