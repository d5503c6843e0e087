//! Reading `alsoKnownAs`, `movedTo` and `copiedTo` from an actor document (spec
//! `identity-links.md` §4.1, §4.3 E3/E4).
//!
//! `alsoKnownAs` is a *claim*: an actor saying "that other identifier is also me". On its own
//! it proves nothing (anyone can list anyone); the [persona graph](crate::persona) only links two
//! actors when the claim is confirmed from the other side. This module reads the claims
//! tolerantly and bounded: string or array, string or `{"id": …}` entries, the compact IRI
//! `as:alsoKnownAs` and the full IRI as aliases of the short term; at most
//! [`AliasLimits::max_entries`] entries read; self-aliases, duplicates, non-URIs and
//! non-`http(s)`/`did:` identifiers ignored with a reason.
//!
//! ```
//! use identity_links::also_known_as::{AliasLimits, also_known_as, IgnoredReason};
//! use serde_json::json;
//!
//! let actor = json!({
//!     "id": "https://new.example/users/alice",
//!     "alsoKnownAs": ["https://OLD.example:443/users/alice", "https://new.example/users/alice", 7]
//! });
//! let aliases = also_known_as(&actor, &AliasLimits::default())?;
//! assert_eq!(aliases.entries, ["https://old.example/users/alice"]);
//! assert_eq!(aliases.ignored[0].reason, IgnoredReason::SelfAlias);
//! assert_eq!(aliases.ignored[1].reason, IgnoredReason::NotAString);
//! # Ok::<(), identity_links::also_known_as::AliasError>(())
//! ```

use serde_json::Value;
use url::Url;

/// Keys read as `alsoKnownAs` (short term, compact IRI, full IRI).
const AKA_KEYS: [&str; 3] = [
    "alsoKnownAs",
    "as:alsoKnownAs",
    "https://www.w3.org/ns/activitystreams#alsoKnownAs",
];
/// Keys read as `movedTo` (`as:` and FEP-7628 namespaces).
const MOVED_TO_KEYS: [&str; 4] = [
    "movedTo",
    "as:movedTo",
    "https://www.w3.org/ns/activitystreams#movedTo",
    "https://w3id.org/fep/7628#movedTo",
];
/// Keys read as `copiedTo`.
const COPIED_TO_KEYS: [&str; 3] = [
    "copiedTo",
    "https://w3id.org/fep/7628#copiedTo",
    "fep7628:copiedTo",
];

/// Limits for alias reading.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AliasLimits {
    /// Entries read at most; the rest are not looked at (GoToSocial 20, Mastodon 256, Mitra 10;
    /// default 64).
    pub max_entries: usize,
    /// Bytes of one identifier at most (default 2,048).
    pub max_len: usize,
}

impl Default for AliasLimits {
    fn default() -> Self {
        AliasLimits {
            max_entries: 64,
            max_len: 2048,
        }
    }
}

/// Error reading an actor's links.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AliasError {
    /// The document has no string `id`.
    #[error("actor document has no id")]
    MissingId,
    /// The document's `id` is not an absolute URI.
    #[error("actor id is not an absolute URI: {0}")]
    BadId(String),
}

impl AliasError {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            AliasError::MissingId => "missing_id",
            AliasError::BadId(_) => "bad_id",
        }
    }
}

/// Why an `alsoKnownAs` entry was not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum IgnoredReason {
    /// It names the actor itself (Mastodon rejects self-aliases, `account_alias.rb`).
    SelfAlias,
    /// Same canonical id as an earlier entry.
    Duplicate,
    /// Neither a string nor an object with a string `id`.
    NotAString,
    /// Not an absolute URI.
    NotAUri,
    /// A scheme other than `http`, `https` or `did` (Akkoma filters non-http(s)).
    UnsupportedScheme,
    /// Longer than [`AliasLimits::max_len`].
    TooLong,
}

impl IgnoredReason {
    /// Stable snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            IgnoredReason::SelfAlias => "self_alias",
            IgnoredReason::Duplicate => "duplicate",
            IgnoredReason::NotAString => "not_a_string",
            IgnoredReason::NotAUri => "not_a_uri",
            IgnoredReason::UnsupportedScheme => "unsupported_scheme",
            IgnoredReason::TooLong => "too_long",
        }
    }
}

/// An ignored entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IgnoredAlias {
    /// Position in the (flattened) `alsoKnownAs` list.
    pub index: usize,
    /// Why.
    pub reason: IgnoredReason,
}

/// The `alsoKnownAs` claims of one actor.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Aliases {
    /// The actor's canonical id.
    pub id: String,
    /// Canonical ids claimed, in document order, deduplicated, without the actor itself.
    pub entries: Vec<String>,
    /// Entries not kept.
    pub ignored: Vec<IgnoredAlias>,
    /// More entries than [`AliasLimits::max_entries`]; the rest were not read.
    pub truncated: bool,
}

/// The canonical form of an actor id or alias: the WHATWG URL serialisation (lowercase scheme
/// and host, default port dropped, empty path `/`) for `http(s)`, and the DID without its
/// fragment for `did:`. `None` for anything else.
pub fn canonical_id(input: &str) -> Option<String> {
    let url = Url::parse(input.trim()).ok()?;
    match url.scheme() {
        "http" | "https" if url.host().is_some() => Some(url.into()),
        "did" => {
            let s: &str = url.as_str();
            Some(s.split('#').next().unwrap_or(s).to_owned())
        }
        _ => None,
    }
}

/// Reads the actor's `alsoKnownAs` (see the module docs).
pub fn also_known_as(actor: &Value, limits: &AliasLimits) -> Result<Aliases, AliasError> {
    let id_raw = actor
        .get("id")
        .and_then(Value::as_str)
        .ok_or(AliasError::MissingId)?;
    let id = canonical_id(id_raw)
        .ok_or_else(|| AliasError::BadId(id_raw.chars().take(200).collect()))?;
    let mut out = Aliases {
        id,
        ..Aliases::default()
    };
    let mut index = 0usize;
    for key in AKA_KEYS {
        let items: &[Value] = match actor.get(key) {
            Some(Value::Array(a)) => a,
            Some(v) => std::slice::from_ref(v),
            None => continue,
        };
        for item in items {
            if index >= limits.max_entries {
                out.truncated = true;
                return Ok(out);
            }
            match classify(item, &out, limits) {
                Ok(canonical) => out.entries.push(canonical),
                Err(reason) => out.ignored.push(IgnoredAlias { index, reason }),
            }
            index += 1;
        }
    }
    Ok(out)
}

fn classify(item: &Value, so_far: &Aliases, limits: &AliasLimits) -> Result<String, IgnoredReason> {
    let raw = reference(item).ok_or(IgnoredReason::NotAString)?;
    if raw.len() > limits.max_len {
        return Err(IgnoredReason::TooLong);
    }
    let url = Url::parse(raw.trim()).map_err(|_| IgnoredReason::NotAUri)?;
    if !matches!(url.scheme(), "http" | "https" | "did") {
        return Err(IgnoredReason::UnsupportedScheme);
    }
    let canonical = canonical_id(raw).ok_or(IgnoredReason::NotAUri)?;
    if canonical == so_far.id {
        return Err(IgnoredReason::SelfAlias);
    }
    if so_far.entries.contains(&canonical) {
        return Err(IgnoredReason::Duplicate);
    }
    Ok(canonical)
}

/// A reference: a string, or an object with a string `id` (or `href`, for `Link` objects).
fn reference(v: &Value) -> Option<&str> {
    match v {
        Value::String(s) => Some(s),
        Value::Object(m) => m
            .get("id")
            .or_else(|| m.get("href"))
            .and_then(Value::as_str),
        _ => None,
    }
}

fn single_ref(actor: &Value, keys: &[&str]) -> Option<String> {
    keys.iter().find_map(|k| {
        let v = actor.get(*k)?;
        let r = match v {
            Value::Array(a) => a.first().and_then(reference),
            other => reference(other),
        };
        r.and_then(canonical_id)
    })
}

/// The actor's `movedTo` (`as:movedTo` or FEP-7628 `movedTo`), canonical; `None` when absent or
/// not an `http(s)` URI. A `movedTo` equal to the actor itself is dropped.
pub fn moved_to(actor: &Value) -> Option<String> {
    let target = single_ref(actor, &MOVED_TO_KEYS)?;
    let own = actor
        .get("id")
        .and_then(Value::as_str)
        .and_then(canonical_id);
    (own.as_deref() != Some(target.as_str())).then_some(target)
}

/// The actor's FEP-7628 `copiedTo`, canonical, like [`moved_to`].
pub fn copied_to(actor: &Value) -> Option<String> {
    let target = single_ref(actor, &COPIED_TO_KEYS)?;
    let own = actor
        .get("id")
        .and_then(Value::as_str)
        .and_then(canonical_id);
    (own.as_deref() != Some(target.as_str())).then_some(target)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn caps_and_forms() {
        let many: Vec<String> = (0..100)
            .map(|i| format!("https://s{i}.example/u"))
            .collect();
        let a = json!({"id": "https://x.example/u", "alsoKnownAs": many});
        let r = also_known_as(
            &a,
            &AliasLimits {
                max_entries: 10,
                max_len: 2048,
            },
        )
        .expect("id");
        assert_eq!(r.entries.len(), 10);
        assert!(r.truncated);

        let b = json!({"id": "https://x.example/u", "as:alsoKnownAs": {"id": "https://y.example/u"},
            "alsoKnownAs": ["https://y.example/u", "ftp://z.example/", "did:key:z6Mk#frag", "not a uri"]});
        let r = also_known_as(&b, &AliasLimits::default()).expect("id");
        assert_eq!(r.entries, ["https://y.example/u", "did:key:z6Mk"]);
        let reasons: Vec<_> = r.ignored.iter().map(|i| i.reason).collect();
        assert_eq!(
            reasons,
            [
                IgnoredReason::UnsupportedScheme,
                IgnoredReason::NotAUri,
                IgnoredReason::Duplicate
            ]
        );
    }

    #[test]
    fn moved_to_forms() {
        let a = json!({"id": "https://a.example/u", "https://w3id.org/fep/7628#movedTo": {"id": "https://B.example/u"}});
        assert_eq!(moved_to(&a).as_deref(), Some("https://b.example/u"));
        let selfmove = json!({"id": "https://a.example/u", "movedTo": "https://a.example/u"});
        assert_eq!(moved_to(&selfmove), None);
        assert_eq!(
            copied_to(&json!({"id": "https://a.example/u", "copiedTo": "https://c.example/u"}))
                .as_deref(),
            Some("https://c.example/u")
        );
    }
}
