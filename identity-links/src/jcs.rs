//! RFC 8785 JSON Canonicalization Scheme (JCS), and the strict I-JSON parser it needs.
//!
//! Canonicalisation is `serde_json_canonicalizer` (members sorted by UTF-16 code units, ECMAScript
//! number formatting). What that crate cannot see — because `serde_json` already lost it while
//! parsing — is checked here by [`parse_strict`]: duplicate member names (`serde_json` silently
//! keeps the last one), `NaN`/`Infinity`, numbers outside the double range and lone surrogates.

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::{Map, Number, Value};
use std::fmt;

use crate::error::{Error, pointer};

/// Largest input [`parse_strict`] accepts, in bytes (1 MiB: the body cap real servers use).
pub const MAX_DOCUMENT_BYTES: usize = 1 << 20;

/// Deepest nesting [`parse_strict`] accepts (arrays and objects).
pub const MAX_DEPTH: usize = 64;

/// Parses `bytes` as I-JSON (RFC 7493): UTF-8, no duplicate member names, no lone surrogates,
/// every number a finite IEEE-754 double, at most [`MAX_DEPTH`] levels and
/// [`MAX_DOCUMENT_BYTES`] bytes.
///
/// ```
/// use identity_links::jcs::parse_strict;
/// assert_eq!(parse_strict(br#"{"a":1,"a":2}"#).unwrap_err().kind(), "duplicate_key");
/// assert!(parse_strict(br#"{"a":[1,2.5,"x"]}"#).is_ok());
/// ```
pub fn parse_strict(bytes: &[u8]) -> Result<Value, Error> {
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(Error::LimitExceeded {
            at: String::new(),
            what: "document bytes",
            max: MAX_DOCUMENT_BYTES,
        });
    }
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = StrictSeed {
        at: String::new(),
        depth: 0,
    }
    .deserialize(&mut de)
    .map_err(from_serde)?;
    de.end().map_err(from_serde)?;
    Ok(value)
}

/// Canonicalises `value` per RFC 8785.
///
/// ```
/// let v = serde_json::json!({"b": [1.0, 1e21], "a": "\u{20ac}"});
/// assert_eq!(identity_links::jcs::canonicalize(&v).unwrap(), r#"{"a":"€","b":[1,1e+21]}"#.as_bytes());
/// ```
pub fn canonicalize(value: &Value) -> Result<Vec<u8>, Error> {
    to_canonical(value)
}

/// Parses `bytes` with [`parse_strict`] and canonicalises the result.
pub fn canonicalize_bytes(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    canonicalize(&parse_strict(bytes)?)
}

/// Canonicalises any `Serialize` value (used with borrowed views that skip members).
pub(crate) fn to_canonical<S: Serialize>(value: &S) -> Result<Vec<u8>, Error> {
    serde_json_canonicalizer::to_vec(value).map_err(|e| Error::Canonicalization {
        at: String::new(),
        reason: e.to_string(),
    })
}

/// A borrowed view of an object with some members left out and, optionally, `@context`
/// replaced: what eddsa-jcs-2022 hashes, without cloning the document.
pub(crate) struct ObjectView<'a> {
    pub(crate) map: &'a Map<String, Value>,
    pub(crate) skip: &'a [&'a str],
    pub(crate) context: Option<&'a Value>,
}

impl Serialize for ObjectView<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut out = serializer.serialize_map(None)?;
        for (name, value) in self.map {
            if self.skip.contains(&name.as_str()) || (self.context.is_some() && name == "@context")
            {
                continue;
            }
            out.serialize_entry(name, value)?;
        }
        if let Some(context) = self.context {
            out.serialize_entry("@context", context)?;
        }
        out.end()
    }
}

const DUPLICATE_MARK: &str = "\u{1}duplicate\u{1}";
const DEPTH_MARK: &str = "\u{1}depth\u{1}";

fn from_serde(e: serde_json::Error) -> Error {
    let message = e.to_string();
    if let Some(rest) = message.strip_prefix(DUPLICATE_MARK) {
        let (at, name) = rest.split_once(DUPLICATE_MARK).unwrap_or((rest, ""));
        let name = name.split(" at line ").next().unwrap_or(name);
        return Error::DuplicateKey {
            at: at.to_owned(),
            name: name.to_owned(),
        };
    }
    if let Some(rest) = message.strip_prefix(DEPTH_MARK) {
        let at = rest.split(" at line ").next().unwrap_or(rest);
        return Error::LimitExceeded {
            at: at.to_owned(),
            what: "nesting depth",
            max: MAX_DEPTH,
        };
    }
    Error::InvalidJson {
        at: format!("line {} column {}", e.line(), e.column()),
        reason: message,
    }
}

/// Builds a `Value` like serde_json does, but refuses duplicate member names and deep nesting,
/// tracking the JSON Pointer for the error.
struct StrictSeed {
    at: String,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for StrictSeed {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for StrictSeed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an I-JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| E::custom("number is not a finite IEEE-754 double"))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        if self.depth >= MAX_DEPTH {
            return Err(de::Error::custom(format!("{DEPTH_MARK}{}", self.at)));
        }
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(StrictSeed {
            at: pointer(&self.at, &out.len().to_string()),
            depth: self.depth + 1,
        })? {
            out.push(v);
        }
        Ok(Value::Array(out))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        if self.depth >= MAX_DEPTH {
            return Err(de::Error::custom(format!("{DEPTH_MARK}{}", self.at)));
        }
        let mut out = Map::new();
        while let Some(name) = map.next_key::<String>()? {
            if out.contains_key(&name) {
                // RFC 8785 §3.1 / RFC 7493 §2.3: duplicate names MUST be rejected.
                return Err(de::Error::custom(format!(
                    "{DUPLICATE_MARK}{}{DUPLICATE_MARK}{name}",
                    self.at
                )));
            }
            let v = map.next_value_seed(StrictSeed {
                at: pointer(&self.at, &name),
                depth: self.depth + 1,
            })?;
            out.insert(name, v);
        }
        Ok(Value::Object(out))
    }
}
