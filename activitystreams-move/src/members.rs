//! [`Members`]: the members of a node this crate does not interpret, kept as the JSON text
//! received and parsed only when asked for.
//!
//! Building a `serde_json::Value` for every unknown member (`summary`, `icon`, `image`, `tag`,
//! `featured` …) cost about as much as reading everything the crate does interpret; most callers
//! never look at them, and re-serving needs only the text. So the reader keeps each one as a
//! `Box<RawValue>` (one copy of its bytes, no tree) and [`Members::get`] parses on demand.

use std::collections::BTreeMap;
use std::fmt;

use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

/// Members of a JSON object kept verbatim, by key (sorted, like `serde_json::Map`).
///
/// ```
/// use activitystreams_move::{Actor, ReadOptions};
/// use serde_json::json;
///
/// let actor = Actor::from_slice(br#"{
///   "id": "https://example.com/users/alice", "type": "Person",
///   "icon": {"type": "Image", "url": "https://example.com/a.png"},
///   "discoverable": true
/// }"#, &ReadOptions::default()).unwrap();
/// assert_eq!(actor.extra.len(), 2);
/// assert_eq!(actor.extra.get("discoverable"), Some(json!(true)));
/// assert_eq!(actor.extra.get_raw("icon").unwrap().get(),
///            r#"{"type": "Image", "url": "https://example.com/a.png"}"#);
/// ```
#[derive(Clone, Default)]
pub struct Members {
    entries: BTreeMap<String, Box<RawValue>>,
}

impl Members {
    /// No members.
    pub fn new() -> Members {
        Members::default()
    }

    /// Number of members.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// Whether `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.entries.contains_key(key)
    }

    /// The member `key`, parsed (each call parses the kept text again).
    pub fn get(&self, key: &str) -> Option<Value> {
        self.entries.get(key).map(|raw| parse(raw))
    }

    /// The member `key` as the JSON text received.
    pub fn get_raw(&self, key: &str) -> Option<&RawValue> {
        self.entries.get(key).map(|raw| &**raw)
    }

    /// Sets `key` to `value`; returns the previous text, if any.
    pub fn insert(&mut self, key: impl Into<String>, value: &Value) -> Option<Box<RawValue>> {
        self.entries.insert(key.into(), to_raw(value))
    }

    /// Sets `key` to JSON text already validated as a [`RawValue`].
    pub fn insert_raw(
        &mut self,
        key: impl Into<String>,
        value: Box<RawValue>,
    ) -> Option<Box<RawValue>> {
        self.entries.insert(key.into(), value)
    }

    /// Removes `key`, returning its text.
    pub fn remove(&mut self, key: &str) -> Option<Box<RawValue>> {
        self.entries.remove(key)
    }

    /// The keys, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// `(key, text)` pairs, sorted by key.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.entries.iter().map(|(k, v)| (k.as_str(), &**v))
    }

    /// Every member parsed into a `serde_json::Map`.
    pub fn to_map(&self) -> Map<String, Value> {
        self.entries
            .iter()
            .map(|(k, v)| (k.clone(), parse(v)))
            .collect()
    }

    /// Adds every member to `m` whose key `m` does not already have (interpreted members win).
    pub(crate) fn fill(&self, m: &mut Map<String, Value>) {
        for (k, v) in &self.entries {
            if !m.contains_key(k) {
                m.insert(k.clone(), parse(v));
            }
        }
    }

    /// Moves every member into `m` unless `m` has the key already.
    pub(crate) fn drain_into(self, m: &mut Map<String, Value>) {
        for (k, v) in self.entries {
            m.entry(k).or_insert_with(|| parse(&v));
        }
    }
}

/// A [`RawValue`] always holds valid JSON; `Null` is unreachable but keeps this total.
fn parse(raw: &RawValue) -> Value {
    serde_json::from_str(raw.get()).unwrap_or(Value::Null)
}

/// Serialising a `Value` cannot fail (string keys only); `null` keeps this total.
fn to_raw(value: &Value) -> Box<RawValue> {
    serde_json::value::to_raw_value(value).unwrap_or_else(|_| RawValue::NULL.to_owned())
}

/// Equal when the keys are the same and the values are equal as JSON (whitespace and the
/// spelling of escapes in the received text do not matter).
impl PartialEq for Members {
    fn eq(&self, other: &Members) -> bool {
        self.entries.len() == other.entries.len()
            && self
                .entries
                .iter()
                .zip(other.entries.iter())
                .all(|((ka, va), (kb, vb))| {
                    ka == kb && (va.get() == vb.get() || parse(va) == parse(vb))
                })
    }
}

impl fmt::Debug for Members {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.entries.iter().map(|(k, v)| (k, v.get())))
            .finish()
    }
}

/// Serialises as a JSON object (serde_json writes each member's text verbatim).
impl Serialize for Members {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.entries.len()))?;
        for (k, v) in &self.entries {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl From<Map<String, Value>> for Members {
    fn from(map: Map<String, Value>) -> Members {
        Members {
            entries: map.iter().map(|(k, v)| (k.clone(), to_raw(v))).collect(),
        }
    }
}

impl FromIterator<(String, Value)> for Members {
    fn from_iter<I: IntoIterator<Item = (String, Value)>>(iter: I) -> Members {
        Members {
            entries: iter.into_iter().map(|(k, v)| (k, to_raw(&v))).collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn equality_is_by_json_value_not_by_text() {
        let mut a = Members::new();
        a.insert_raw("x", RawValue::from_string("{ \"a\" : 1 }".into()).unwrap());
        let mut b = Members::new();
        b.insert("x", &json!({"a": 1}));
        assert_eq!(a, b);
        b.insert("x", &json!({"a": 2}));
        assert_ne!(a, b);
    }

    #[test]
    fn insert_get_remove_and_serialise() {
        let mut m = Members::from(json!({"b": [1, 2], "a": "s"}).as_object().unwrap().clone());
        assert_eq!(m.keys().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(m.get("b"), Some(json!([1, 2])));
        assert!(m.remove("a").is_some());
        assert!(!m.contains_key("a"));
        assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"b":[1,2]}"#);
        assert_eq!(m.to_map(), *json!({"b": [1, 2]}).as_object().unwrap());
    }
}
