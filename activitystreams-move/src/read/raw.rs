//! Capturing members the crate does not interpret as `serde_json::Value`, within the limits.

use std::fmt;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Error as _, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;
use serde_json::{Map, Number, Value};

use super::state::{Path, ReadState};

/// Deserializes any JSON value, enforcing depth and array-length limits.
pub(crate) struct RawSeed<'s, 'p> {
    pub state: &'s mut ReadState,
    pub path: &'p Path<'p>,
    pub depth: usize,
}

impl<'de> DeserializeSeed<'de> for RawSeed<'_, '_> {
    type Value = Value;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RawSeed<'_, '_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
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
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_string()))
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
        self.state.check_depth(self.depth + 1, self.path)?;
        let mut out = Vec::new();
        loop {
            let path = Path::Index(self.path, out.len());
            let seed = RawSeed {
                state: &mut *self.state,
                path: &path,
                depth: self.depth + 1,
            };
            match seq.next_element_seed(seed)? {
                Some(v) => out.push(v),
                None => break,
            }
            self.state.check_len(out.len(), self.path)?;
        }
        Ok(Value::Array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.state.check_depth(self.depth + 1, self.path)?;
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let path = Path::Key(self.path, &key);
            let seed = RawSeed {
                state: &mut *self.state,
                path: &path,
                depth: self.depth + 1,
            };
            let v = map.next_value_seed(seed)?;
            out.insert(key, v);
        }
        Ok(Value::Object(out))
    }
}

/// Keeps any JSON value as its text (`Box<RawValue>`: one copy of the bytes, no tree), enforcing
/// the same depth and array-length limits as [`RawSeed`], with the same JSON Pointers.
///
/// The limits are checked by a byte scan of the captured text; only a value that breaks one is
/// read again with [`RawSeed`], which reports exactly where. Capturing validates the whole
/// value first, so a syntax error deep inside would hide a limit crossed before it: after a
/// syntax error the document is read again with [`ReadState::exact`] set, which reads values as
/// trees (limits checked on the way down), and that error is the one reported.
pub(crate) struct KeepSeed<'s, 'p> {
    pub state: &'s mut ReadState,
    pub path: &'p Path<'p>,
    pub depth: usize,
}

impl<'de> DeserializeSeed<'de> for KeepSeed<'_, '_> {
    type Value = Box<RawValue>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Box<RawValue>, D::Error> {
        if self.state.exact {
            // The second pass after a syntax error: read as a tree, limits first, as before.
            let value = RawSeed {
                state: &mut *self.state,
                path: self.path,
                depth: self.depth,
            }
            .deserialize(d)?;
            return serde_json::value::to_raw_value(&value).map_err(D::Error::custom);
        }
        let raw = Box::<RawValue>::deserialize(d)?;
        check_limits(raw.get(), self.state, self.path, self.depth)?;
        Ok(raw)
    }
}

/// The root `@context` kept as text: borrowed from the input when the reader reads from a
/// `&str` ([`ReadState::borrow_raw`]), so that the common bundled-URL context is classified
/// without a copy; owned otherwise (same limits and pointers as [`KeepSeed`]).
pub(crate) struct ContextSeed<'s, 'p> {
    pub state: &'s mut ReadState,
    pub path: &'p Path<'p>,
    pub depth: usize,
}

/// The text [`ContextSeed`] kept.
pub(crate) enum KeptText<'de> {
    Borrowed(&'de RawValue),
    Owned(Box<RawValue>),
}

impl KeptText<'_> {
    pub fn get(&self) -> &str {
        match self {
            KeptText::Borrowed(raw) => raw.get(),
            KeptText::Owned(raw) => raw.get(),
        }
    }

    pub fn into_boxed_str(self) -> Box<str> {
        match self {
            KeptText::Borrowed(raw) => raw.get().into(),
            KeptText::Owned(raw) => raw.into(),
        }
    }
}

impl<'de> DeserializeSeed<'de> for ContextSeed<'_, '_> {
    type Value = KeptText<'de>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<KeptText<'de>, D::Error> {
        if !self.state.borrow_raw || self.state.exact {
            let seed = KeepSeed {
                state: self.state,
                path: self.path,
                depth: self.depth,
            };
            return seed.deserialize(d).map(KeptText::Owned);
        }
        let raw = <&'de RawValue>::deserialize(d)?;
        check_limits(raw.get(), self.state, self.path, self.depth)?;
        Ok(KeptText::Borrowed(raw))
    }
}

/// Checks the limits of kept text (valid JSON at nesting `depth`): a byte scan, and only when
/// that finds a limit crossed, a re-read with [`RawSeed`] to report exactly where.
fn check_limits<E: serde::de::Error>(
    text: &str,
    state: &mut ReadState,
    path: &Path<'_>,
    depth: usize,
) -> Result<(), E> {
    if within_limits(text, depth, &state.limits) {
        return Ok(());
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = RawSeed { state, path, depth };
    match seed.deserialize(&mut de) {
        Ok(_) => Ok(()),
        Err(_) => Err(E::custom("aborted by activitystreams-move")),
    }
}

/// Whether `text` (valid JSON, at nesting `depth`) stays within the depth and array-length
/// limits as [`RawSeed`] counts them.
fn within_limits(text: &str, depth: usize, limits: &crate::Limits) -> bool {
    let bytes = text.as_bytes();
    if !matches!(bytes.first(), Some(b'[' | b'{')) {
        return true;
    }
    // Per open container: `Some(elements)` for arrays, `None` for objects.
    let mut stack: Vec<Option<usize>> = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        i += 1;
        match b {
            b'"' => {
                // Skip the string (escapes included); the text is valid JSON.
                while let Some(&c) = bytes.get(i) {
                    i += 1;
                    match c {
                        b'\\' => i += 1,
                        b'"' => break,
                        _ => {}
                    }
                }
                if !first_element(&mut stack, limits.max_array_len) {
                    return false;
                }
            }
            b'[' | b'{' => {
                if !first_element(&mut stack, limits.max_array_len) {
                    return false;
                }
                if depth + stack.len() + 1 > limits.max_depth {
                    return false;
                }
                stack.push((b == b'[').then_some(0));
            }
            b']' | b'}' => {
                stack.pop();
            }
            b',' => {
                if let Some(Some(n)) = stack.last_mut() {
                    *n += 1;
                    if *n > limits.max_array_len {
                        return false;
                    }
                }
            }
            b' ' | b'\n' | b'\r' | b'\t' | b':' => {}
            _ => {
                if !first_element(&mut stack, limits.max_array_len) {
                    return false;
                }
            }
        }
    }
    true
}

/// A value starts in the innermost container: an array's first element counts as one.
/// Returns whether the array is still within `max`.
fn first_element(stack: &mut [Option<usize>], max: usize) -> bool {
    if let Some(Some(n)) = stack.last_mut()
        && *n == 0
    {
        *n = 1;
        return max >= 1;
    }
    true
}

/// Reads past any JSON value without building anything, enforcing the limits of [`RawSeed`]
/// with the same JSON Pointers.
pub(crate) struct SkipSeed<'s, 'p> {
    pub state: &'s mut ReadState,
    pub path: &'p Path<'p>,
    pub depth: usize,
}

impl<'de> DeserializeSeed<'de> for SkipSeed<'_, '_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for SkipSeed<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_none<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.state.check_depth(self.depth + 1, self.path)?;
        let mut len = 0;
        loop {
            let path = Path::Index(self.path, len);
            let seed = SkipSeed {
                state: &mut *self.state,
                path: &path,
                depth: self.depth + 1,
            };
            if seq.next_element_seed(seed)?.is_none() {
                return Ok(());
            }
            len += 1;
            self.state.check_len(len, self.path)?;
        }
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.state.check_depth(self.depth + 1, self.path)?;
        while let Some(key) = map.next_key_seed(super::values::KeySeed)? {
            let path = Path::Key(self.path, &key);
            let seed = SkipSeed {
                state: &mut *self.state,
                path: &path,
                depth: self.depth + 1,
            };
            map.next_value_seed(seed)?;
        }
        Ok(())
    }
}
