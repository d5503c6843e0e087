//! Tolerant readers for single members: IRIs, text, booleans, ids and types, in compact or
//! expanded JSON-LD form (json-ld.md §7: "Kitsune-style `@set`/`@id` helpers").

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};

use super::raw::SkipSeed;
use super::state::{Path, ReadState};
use crate::iris::Iris;
use crate::vocab::{self, KeyForm};

/// Visitor methods for the JSON kinds a reader refuses: each records `invalid_type` with
/// `$expected` at the reader's `path` and unwinds (`refuse!('de, "an IRI"; bool, i64, u64,
/// f64)`). The visitor needs `state: &mut ReadState` and `path: &Path` fields.
macro_rules! refuse {
    ($de:lifetime, $expected:expr; $($kind:ident),+) => {
        $( $crate::read::values::refuse!(@one $de, $kind, $expected); )+
    };
    (@one $de:lifetime, bool, $e:expr) => {
        fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Err(self.state.invalid(self.path, $e))
        }
    };
    (@one $de:lifetime, i64, $e:expr) => {
        fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Err(self.state.invalid(self.path, $e))
        }
    };
    (@one $de:lifetime, u64, $e:expr) => {
        fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Err(self.state.invalid(self.path, $e))
        }
    };
    (@one $de:lifetime, f64, $e:expr) => {
        fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Err(self.state.invalid(self.path, $e))
        }
    };
    (@one $de:lifetime, str, $e:expr) => {
        fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Err(self.state.invalid(self.path, $e))
        }
    };
    // Refused without reading further: bounded work whatever the value holds.
    (@one $de:lifetime, seq, $e:expr) => {
        fn visit_seq<A: serde::de::SeqAccess<$de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(self.state.invalid(self.path, $e))
        }
    };
    (@one $de:lifetime, map, $e:expr) => {
        fn visit_map<A: serde::de::MapAccess<$de>>(self, _: A) -> Result<Self::Value, A::Error> {
            Err(self.state.invalid(self.path, $e))
        }
    };
}

pub(crate) use refuse;

/// A map key borrowed when possible.
pub(crate) struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

/// Records a key's use of a guarded term or prefix.
pub(crate) fn record_use(
    state: &mut ReadState,
    used: &mut crate::vocab::TermSet,
    term: u8,
    form: KeyForm,
    path: &Path<'_>,
) {
    let id = match form {
        KeyForm::Term => term,
        KeyForm::Prefixed(prefix) => prefix,
        KeyForm::Absolute => return,
    };
    if !used.contains(id) {
        used.insert(id);
        if state.record_paths {
            state.first_use.push((id, path.render()));
        }
    }
}

/// Skips a value while still enforcing the limits.
fn skip<'de, A: MapAccess<'de>>(
    map: &mut A,
    state: &mut ReadState,
    path: &Path<'_>,
    depth: usize,
) -> Result<(), A::Error> {
    map.next_value_seed(SkipSeed { state, path, depth })
}

/// IRIs: string | {"id"|"@id"|"@value"|"href": s} | {"@list"|"@set": [...]} | array | null.
pub(crate) struct IrisSeed<'s, 'p> {
    pub state: &'s mut ReadState,
    pub path: &'p Path<'p>,
    pub depth: usize,
    pub used: &'s mut crate::vocab::TermSet,
    pub nested: bool,
}

impl<'de> DeserializeSeed<'de> for IrisSeed<'_, '_> {
    type Value = Iris;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for IrisSeed<'_, '_> {
    type Value = Iris;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an IRI, an object with an id, or an array of them")
    }

    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Iris::one(v))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Iris::one(v))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Iris::absent())
    }
    refuse!('de, "an IRI"; bool, i64, u64, f64);

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        self.state.check_depth(self.depth + 1, self.path)?;
        if self.nested {
            return Err(self.state.invalid(self.path, "an IRI (not a nested array)"));
        }
        let mut out = Vec::new();
        let mut i = 0;
        loop {
            let path = Path::Index(self.path, i);
            let seed = IrisSeed {
                state: &mut *self.state,
                path: &path,
                depth: self.depth + 1,
                used: &mut *self.used,
                nested: true,
            };
            match seq.next_element_seed(seed)? {
                Some(vals) => vals.append_to(&mut out),
                None => break,
            }
            i += 1;
            self.state.check_len(i, self.path)?;
        }
        Ok(Iris::array(out))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        self.state.check_depth(self.depth + 1, self.path)?;
        let mut found: Option<Iris> = None;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let path = Path::Key(self.path, &key);
            match key.as_ref() {
                "@id"
                | "@value"
                | "id"
                | "href"
                | "as:href"
                | "https://www.w3.org/ns/activitystreams#href"
                    if found.is_none() =>
                {
                    if let Some((term, form)) = vocab::classify_key(&key) {
                        record_use(self.state, self.used, term, form, &path);
                    }
                    let s = map.next_value_seed(IdSeed {
                        state: &mut *self.state,
                        path: &path,
                    })?;
                    match s {
                        Some(s) => found = Some(Iris::one(s)),
                        None => return Err(self.state.invalid(&path, "a string")),
                    }
                }
                "@list" | "@set" if found.is_none() => {
                    let seed = IrisSeed {
                        state: &mut *self.state,
                        path: &path,
                        depth: self.depth + 1,
                        used: &mut *self.used,
                        nested: false,
                    };
                    let vals = map.next_value_seed(seed)?;
                    found = Some(Iris::array(vals.into_vec()));
                }
                "@graph" | "@included" | "@reverse" | "@context" => {
                    return Err(self.state.fail(crate::Error::UnsupportedKeyword {
                        at: path.render(),
                        keyword: key.into_owned(),
                    }));
                }
                _ => skip(&mut map, self.state, &path, self.depth + 1)?,
            }
        }
        match found {
            Some(f) => Ok(f),
            None => Err(self.state.invalid(self.path, "an object with an id")),
        }
    }
}

/// A JSON literal a member holds: text or a boolean.
pub(crate) trait Literal: Sized {
    /// What the member must be (for `invalid_type`).
    const EXPECTED: &'static str;
    /// The same, naming the expanded form too.
    const EXPECTED_OR_VALUE: &'static str;
    fn from_str(_: &str) -> Option<Self> {
        None
    }
    fn from_string(s: String) -> Option<Self> {
        Self::from_str(&s)
    }
    fn from_bool(_: bool) -> Option<Self> {
        None
    }
}

impl Literal for String {
    const EXPECTED: &'static str = "a string";
    const EXPECTED_OR_VALUE: &'static str = "a string or {\"@value\": string}";
    fn from_str(v: &str) -> Option<String> {
        Some(v.to_string())
    }
    fn from_string(v: String) -> Option<String> {
        Some(v)
    }
}

impl Literal for bool {
    const EXPECTED: &'static str = "a boolean";
    const EXPECTED_OR_VALUE: &'static str = "a boolean or {\"@value\": boolean}";
    fn from_bool(v: bool) -> Option<bool> {
        Some(v)
    }
}

/// A literal: value | {"@value": value} | [first, …] | null (text: `preferredUsername`,
/// `publicKeyPem` …; booleans: `manuallyApprovesFollowers`, `suspended`).
pub(crate) struct LiteralSeed<'s, 'p, T> {
    state: &'s mut ReadState,
    path: &'p Path<'p>,
    depth: usize,
    literal: PhantomData<T>,
}

impl<'s, 'p, T> LiteralSeed<'s, 'p, T> {
    pub fn new(state: &'s mut ReadState, path: &'p Path<'p>, depth: usize) -> Self {
        LiteralSeed {
            state,
            path,
            depth,
            literal: PhantomData,
        }
    }

    fn refuse<E: serde::de::Error>(self) -> Result<Option<T>, E>
    where
        T: Literal,
    {
        Err(self.state.invalid(self.path, T::EXPECTED))
    }
}

impl<'de, T: Literal> DeserializeSeed<'de> for LiteralSeed<'_, '_, T> {
    type Value = Option<T>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Literal> Visitor<'de> for LiteralSeed<'_, '_, T> {
    type Value = Option<T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(T::EXPECTED)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Self::Value, E> {
        match T::from_str(v) {
            Some(v) => Ok(Some(v)),
            None => self.refuse(),
        }
    }
    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Self::Value, E> {
        match T::from_string(v) {
            Some(v) => Ok(Some(v)),
            None => self.refuse(),
        }
    }
    fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Self::Value, E> {
        match T::from_bool(v) {
            Some(v) => Ok(Some(v)),
            None => self.refuse(),
        }
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
        self.refuse()
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
        self.refuse()
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
        self.refuse()
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        self.state.check_depth(self.depth + 1, self.path)?;
        let mut first = None;
        let mut i = 0;
        loop {
            let path = Path::Index(self.path, i);
            let seed = LiteralSeed::<T>::new(&mut *self.state, &path, self.depth + 1);
            match seq.next_element_seed(seed)? {
                Some(v) => {
                    if first.is_none() {
                        first = v;
                    }
                }
                None => break,
            }
            i += 1;
            self.state.check_len(i, self.path)?;
        }
        Ok(first)
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        self.state.check_depth(self.depth + 1, self.path)?;
        let mut found = None;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let path = Path::Key(self.path, &key);
            if key == "@value" {
                let seed = LiteralSeed::<T>::new(&mut *self.state, &path, self.depth + 1);
                found = map.next_value_seed(seed)?;
            } else {
                skip(&mut map, self.state, &path, self.depth + 1)?;
            }
        }
        match found {
            Some(v) => Ok(Some(v)),
            None => Err(self.state.invalid(self.path, T::EXPECTED_OR_VALUE)),
        }
    }
}

/// `id` / `@id`: a string (or null).
pub(crate) struct IdSeed<'s, 'p> {
    pub state: &'s mut ReadState,
    pub path: &'p Path<'p>,
}

impl<'de> DeserializeSeed<'de> for IdSeed<'_, '_> {
    type Value = Option<String>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for IdSeed<'_, '_> {
    type Value = Option<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an id string")
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    refuse!('de, "an id string"; bool, i64, u64, f64, seq, map);
}

/// `type` / `@type`: a string or an array of strings; guarded type names given as compact or
/// full IRIs are normalised to the short name (`as:Person` → `Person`).
pub(crate) struct TypesSeed<'s, 'p> {
    pub state: &'s mut ReadState,
    pub path: &'p Path<'p>,
    pub used: &'s mut crate::vocab::TermSet,
    pub nested: bool,
}

impl TypesSeed<'_, '_> {
    fn normalise(&mut self, v: &str) -> String {
        match vocab::classify_type(v) {
            Some((id, form)) => {
                record_use(self.state, self.used, id, form, self.path);
                vocab::name_of(id).to_string()
            }
            None => v.to_string(),
        }
    }
}

impl<'de> DeserializeSeed<'de> for TypesSeed<'_, '_> {
    type Value = Vec<String>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TypesSeed<'_, '_> {
    type Value = Vec<String>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a type name or an array of them")
    }
    fn visit_str<E>(mut self, v: &str) -> Result<Self::Value, E> {
        Ok(vec![self.normalise(v)])
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Vec::new())
    }
    refuse!('de, "a type name"; bool, i64, u64, f64, map);
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        if self.nested {
            return Err(self
                .state
                .invalid(self.path, "a type name (not a nested array)"));
        }
        let mut out = Vec::new();
        loop {
            let path = Path::Index(self.path, out.len());
            let seed = TypesSeed {
                state: &mut *self.state,
                path: &path,
                used: &mut *self.used,
                nested: true,
            };
            match seq.next_element_seed(seed)? {
                Some(v) => out.extend(v),
                None => break,
            }
            self.state.check_len(out.len(), self.path)?;
        }
        Ok(out)
    }
}
