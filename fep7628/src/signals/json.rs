//! Reading members of received JSON with JSON Pointers in every error.

use serde_json::{Map, Value};

use crate::signals::error::SignalsError;

/// `base` + `/` + `token`, escaped per RFC 6901.
pub(crate) fn pointer(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// The value as an object, or an error at `at`.
pub(crate) fn object<'a>(
    value: &'a Value,
    at: &str,
) -> Result<&'a Map<String, Value>, SignalsError> {
    value
        .as_object()
        .ok_or_else(|| SignalsError::invalid(at, "not a JSON object"))
}

/// A required string member.
pub(crate) fn required_str<'a>(
    map: &'a Map<String, Value>,
    base: &str,
    name: &str,
) -> Result<&'a str, SignalsError> {
    match map.get(name) {
        None => Err(SignalsError::MissingField {
            at: pointer(base, name),
        }),
        Some(Value::String(s)) => Ok(s),
        Some(_) => Err(SignalsError::invalid(pointer(base, name), "not a string")),
    }
}

/// An optional string member (`null` counts as absent).
pub(crate) fn optional_str<'a>(
    map: &'a Map<String, Value>,
    base: &str,
    name: &str,
) -> Result<Option<&'a str>, SignalsError> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(SignalsError::invalid(pointer(base, name), "not a string")),
    }
}

/// An optional array of strings (absent or `null` = empty), at most `max` entries of at most
/// `max_len` bytes each.
pub(crate) fn string_array(
    map: &Map<String, Value>,
    base: &str,
    name: &str,
    max: usize,
    max_len: usize,
) -> Result<Vec<String>, SignalsError> {
    let at = pointer(base, name);
    let items = match map.get(name) {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(_) => return Err(SignalsError::invalid(at, "not an array")),
    };
    if items.len() > max {
        return Err(SignalsError::LimitExceeded {
            at,
            what: "array entries",
            limit: max,
        });
    }
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let item_at = pointer(&at, &i.to_string());
        let Value::String(s) = item else {
            return Err(SignalsError::invalid(item_at, "not a string"));
        };
        if s.is_empty() || s.len() > max_len || s.chars().any(char::is_control) {
            return Err(SignalsError::invalid(
                item_at,
                format!("empty, longer than {max_len} bytes, or with control characters"),
            ));
        }
        out.push(s.clone());
    }
    Ok(out)
}
