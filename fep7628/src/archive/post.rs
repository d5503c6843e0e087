//! The facts screening reads from one outbox item (a `Create` of a post, or an `Announce`),
//! tolerantly: string-or-array fields, `{"id"}` references, embedded or referenced objects,
//! every list bounded.

use serde_json::{Map, Value};

use super::limits::Limits;

/// What kind of outbox item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemKind {
    /// `Create` with an embedded object: a post.
    Create,
    /// `Announce`: a boost of someone's post (only its id is in the archive).
    Announce,
    /// A bare object (a `Note` not wrapped in an activity), as some outboxes list.
    Object,
}

/// One media attachment as declared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attachment {
    /// `url` (the first, when several), or `href`.
    pub url: Option<String>,
    /// `mediaType`, lower case, without parameters.
    pub media_type: Option<String>,
}

/// The facts of one item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostFacts {
    /// Which kind.
    pub kind: ItemKind,
    /// The item's `id` (the activity's, else the object's).
    pub id: Option<String>,
    /// The activity's `actor`, or the bare object's `attributedTo`.
    pub actor: Option<String>,
    /// The embedded object's `attributedTo` (a `Create` only).
    pub attributed_to: Option<String>,
    /// `published` (the object's, else the activity's).
    pub published: Option<String>,
    /// `to` (the object's when it has addressing, else the activity's).
    pub to: Vec<String>,
    /// `cc`, likewise.
    pub cc: Vec<String>,
    /// `inReplyTo`.
    pub in_reply_to: Option<String>,
    /// The announced object (an `Announce`).
    pub announced: Option<String>,
    /// `summary`, `name` and `content` (also `contentMap` values) joined, raw HTML.
    pub text: String,
    /// Attachments (at most [`Limits::max_attachments`]).
    pub attachments: Vec<Attachment>,
    /// Attachments beyond the limit.
    pub attachments_over_limit: usize,
}

/// Why an item could not be read as a post.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NotAPost(pub String);

const POST_ACTIVITIES: [&str; 1] = ["Create"];

/// Reads the facts of `item`.
pub fn read_post(item: &Value, limits: &Limits) -> Result<PostFacts, NotAPost> {
    let Value::Object(map) = item else {
        return Err(NotAPost("the item is not an embedded object".into()));
    };
    let kind = type_of(map).ok_or_else(|| NotAPost("the item has no type".into()))?;
    let (kind, object) = if POST_ACTIVITIES.contains(&kind) {
        match map.get("object") {
            Some(Value::Object(o)) => (ItemKind::Create, Some(o)),
            _ => return Err(NotAPost("Create without an embedded object".into())),
        }
    } else if kind == "Announce" {
        (ItemKind::Announce, None)
    } else if map.contains_key("actor") {
        return Err(NotAPost(format!("{kind} activities are not imported")));
    } else {
        (ItemKind::Object, Some(map))
    };
    let obj = object.unwrap_or(map);
    let addressing = if obj.contains_key("to") || obj.contains_key("cc") {
        obj
    } else {
        map
    };
    let max_r = limits.max_recipients;
    let to = references(addressing.get("to"), max_r);
    let cc = references(addressing.get("cc"), max_r.saturating_sub(to.len()));
    let mut text = String::new();
    for key in ["summary", "name", "content"] {
        if let Some(Value::String(s)) = obj.get(key) {
            push_text(&mut text, s, limits.max_text_chars);
        }
    }
    if !obj.contains_key("content")
        && let Some(Value::Object(m)) = obj.get("contentMap")
    {
        for v in m.values().take(16) {
            if let Value::String(s) = v {
                push_text(&mut text, s, limits.max_text_chars);
            }
        }
    }
    let (attachments, over) = match kind {
        ItemKind::Announce => (Vec::new(), 0),
        _ => attachments(obj.get("attachment"), limits.max_attachments),
    };
    Ok(PostFacts {
        kind,
        id: string_id(map.get("id")).or_else(|| object.and_then(|o| string_id(o.get("id")))),
        actor: match kind {
            ItemKind::Object => string_id(map.get("attributedTo")),
            _ => string_id(map.get("actor")),
        },
        attributed_to: object.and_then(|o| first_id(o.get("attributedTo"))),
        published: obj
            .get("published")
            .or_else(|| map.get("published"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        to,
        cc,
        in_reply_to: object.and_then(|o| first_id(o.get("inReplyTo"))),
        announced: match kind {
            ItemKind::Announce => first_id(map.get("object")),
            _ => None,
        },
        text,
        attachments,
        attachments_over_limit: over,
    })
}

fn push_text(out: &mut String, s: &str, max_chars: usize) {
    let room = max_chars.saturating_sub(out.len());
    if room == 0 {
        return;
    }
    if !out.is_empty() {
        out.push('\n');
    }
    let end = s.char_indices().nth(room).map_or(s.len(), |(i, _)| i);
    out.push_str(s.get(..end).unwrap_or_default());
}

/// The `type` (the first string when an array).
fn type_of(map: &Map<String, Value>) -> Option<&str> {
    match map.get("type")? {
        Value::String(s) => Some(s),
        Value::Array(a) => a.iter().find_map(Value::as_str),
        _ => None,
    }
}

/// A reference: a string, or an object's `id`.
fn string_id(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::String(s) => Some(s.clone()),
        Value::Object(o) => o.get("id").and_then(Value::as_str).map(str::to_owned),
        _ => None,
    }
}

/// The first reference of a string-or-array.
fn first_id(v: Option<&Value>) -> Option<String> {
    match v? {
        Value::Array(a) => a.iter().find_map(|x| string_id(Some(x))),
        other => string_id(Some(other)),
    }
}

/// Every reference of a string-or-array, at most `max`.
fn references(v: Option<&Value>, max: usize) -> Vec<String> {
    match v {
        Some(Value::Array(a)) => a
            .iter()
            .filter_map(|x| string_id(Some(x)))
            .take(max)
            .collect(),
        Some(other) => string_id(Some(other)).into_iter().take(max).collect(),
        None => Vec::new(),
    }
}

fn attachments(v: Option<&Value>, max: usize) -> (Vec<Attachment>, usize) {
    let items: &[Value] = match v {
        Some(Value::Array(a)) => a,
        Some(other @ Value::Object(_)) => std::slice::from_ref(other),
        _ => &[],
    };
    let mut out = Vec::new();
    let mut over = 0;
    for item in items {
        let Value::Object(a) = item else { continue };
        // Links and tags listed as attachments (PropertyValue etc.) are not media.
        let media_type = a.get("mediaType").and_then(Value::as_str).map(|m| {
            m.split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase()
        });
        let url = match a.get("url") {
            Some(Value::String(s)) => Some(s.clone()),
            Some(Value::Array(list)) => list.iter().find_map(|u| match u {
                Value::String(s) => Some(s.clone()),
                Value::Object(o) => o.get("href").and_then(Value::as_str).map(str::to_owned),
                _ => None,
            }),
            Some(Value::Object(o)) => o.get("href").and_then(Value::as_str).map(str::to_owned),
            _ => a.get("href").and_then(Value::as_str).map(str::to_owned),
        };
        if media_type.is_none() && url.is_none() {
            continue;
        }
        if out.len() >= max {
            over += 1;
        } else {
            out.push(Attachment { url, media_type });
        }
    }
    (out, over)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_a_mastodon_create() {
        let item = json!({
            "id": "https://a.example/users/al/statuses/1/activity", "type": "Create",
            "actor": "https://a.example/users/al", "published": "2024-01-02T03:04:05Z",
            "to": ["https://www.w3.org/ns/activitystreams#Public"],
            "object": {"id": "https://a.example/users/al/statuses/1", "type": "Note",
                "attributedTo": "https://a.example/users/al", "content": "<p>hi</p>",
                "summary": "cw", "inReplyTo": {"id": "https://b.example/notes/9"},
                "to": "https://a.example/users/al/followers", "cc": [],
                "attachment": [{"type": "Document", "mediaType": "image/PNG; x=y",
                    "url": "/media_attachments/files/1.png"}]}
        });
        let p = read_post(&item, &Limits::default()).expect("a post");
        assert_eq!(p.kind, ItemKind::Create);
        assert_eq!(
            p.id.as_deref(),
            Some("https://a.example/users/al/statuses/1/activity")
        );
        assert_eq!(p.to, ["https://a.example/users/al/followers"]);
        assert_eq!(p.in_reply_to.as_deref(), Some("https://b.example/notes/9"));
        assert_eq!(p.text, "cw\n<p>hi</p>");
        assert_eq!(p.attachments[0].media_type.as_deref(), Some("image/png"));
    }

    #[test]
    fn refuses_what_is_not_a_post() {
        let l = Limits::default();
        assert!(read_post(&json!("https://a.example/1"), &l).is_err());
        assert!(read_post(&json!({"type": "Create", "object": "https://x"}), &l).is_err());
        assert!(read_post(&json!({"type": "Like", "actor": "a", "object": "b"}), &l).is_err());
        assert!(read_post(&json!({"id": "x"}), &l).is_err());
    }
}
