//! Properties that hold IRIs, with the JSON shape they had (FEP-e965 cares: `movedTo` must be a
//! string or a one-element array).

use std::fmt;

use serde_json::Value;

/// The JSON shape a property had in the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shape {
    /// Not present (or `null`).
    #[default]
    Absent,
    /// One value, not in an array.
    Single,
    /// An array (of any length, including one or zero).
    Array,
}

/// The IRIs a property holds (`alsoKnownAs`, `movedTo`, `to` …), in document order, each read
/// from a string, an `{"id": …}` / `{"@id": …}` object, an `{"@value": …}` object or a Link's
/// `href`.
#[derive(Clone, Default)]
pub struct Iris {
    repr: Repr,
}

/// One bare string (the usual case) needs no `Vec`: one allocation per property, not two.
#[derive(Clone)]
enum Repr {
    /// One value, not in an array ([`Shape::Single`]).
    One(String),
    /// Any other case (absent, an array, or a single value dropped by a limit).
    Many(Vec<String>, Shape),
}

impl Default for Repr {
    fn default() -> Self {
        Repr::Many(Vec::new(), Shape::Absent)
    }
}

impl Iris {
    /// No value.
    pub fn absent() -> Self {
        Iris::default()
    }

    /// One value, as a bare string.
    pub fn one(value: impl Into<String>) -> Self {
        Iris {
            repr: Repr::One(value.into()),
        }
    }

    /// Values as an array.
    pub fn many<I: IntoIterator<Item = S>, S: Into<String>>(values: I) -> Self {
        Iris {
            repr: Repr::Many(values.into_iter().map(Into::into).collect(), Shape::Array),
        }
    }

    /// The values.
    pub fn as_slice(&self) -> &[String] {
        match &self.repr {
            Repr::One(one) => std::slice::from_ref(one),
            Repr::Many(values, _) => values,
        }
    }

    /// Iterates over the values.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.as_slice().iter().map(String::as_str)
    }

    /// The value when there is exactly one.
    pub fn single(&self) -> Option<&str> {
        match self.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// The first value.
    pub fn first(&self) -> Option<&str> {
        self.as_slice().first().map(String::as_str)
    }

    /// The shape the property had.
    pub fn shape(&self) -> Shape {
        match &self.repr {
            Repr::One(_) => Shape::Single,
            Repr::Many(_, shape) => *shape,
        }
    }

    /// Whether the property was present (even as an empty array).
    pub fn is_present(&self) -> bool {
        self.shape() != Shape::Absent
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    /// Whether there is no value.
    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    /// Whether `iri` is one of the values (exact string equality, move.md §3 E4).
    pub fn contains(&self, iri: &str) -> bool {
        self.iter().any(|v| v == iri)
    }

    /// An array of `values` (the reader's form for arrays and `@list`/`@set`).
    pub(crate) fn array(values: Vec<String>) -> Self {
        Iris {
            repr: Repr::Many(values, Shape::Array),
        }
    }

    /// The values, by value.
    pub(crate) fn into_vec(self) -> Vec<String> {
        match self.repr {
            Repr::One(one) => vec![one],
            Repr::Many(values, _) => values,
        }
    }

    /// Appends the values to `out` (the elements of an array being read).
    pub(crate) fn append_to(self, out: &mut Vec<String>) {
        match self.repr {
            Repr::One(one) => out.push(one),
            Repr::Many(values, _) => out.extend(values),
        }
    }

    /// Keeps the first `n` values (the shape stays what the document had).
    pub(crate) fn truncate(&mut self, n: usize) {
        match &mut self.repr {
            Repr::One(_) if n == 0 => self.repr = Repr::Many(Vec::new(), Shape::Single),
            Repr::One(_) => {}
            Repr::Many(values, _) => values.truncate(n),
        }
    }

    /// Adds a second occurrence of the property (another spelling of the same key): the
    /// values are appended and the shape becomes an array.
    pub(crate) fn merge(&mut self, other: Iris) {
        if self.shape() == Shape::Absent {
            *self = other;
        } else if other.shape() != Shape::Absent {
            let mut values = std::mem::take(self).into_vec();
            other.append_to(&mut values);
            self.repr = Repr::Many(values, Shape::Array);
        }
    }

    /// The JSON form: a string for [`Shape::Single`], an array otherwise; `None` when absent.
    pub fn to_json(&self) -> Option<Value> {
        match (&self.repr, self.shape()) {
            (Repr::One(one), _) => Some(Value::String(one.clone())),
            (_, Shape::Absent) => None,
            (Repr::Many(values, _), _) => Some(Value::Array(
                values.iter().cloned().map(Value::String).collect(),
            )),
        }
    }

    /// Like [`Iris::to_json`], consuming (no copy of the strings).
    pub(crate) fn into_json(self) -> Option<Value> {
        match self.repr {
            Repr::One(one) => Some(Value::String(one)),
            Repr::Many(_, Shape::Absent) => None,
            Repr::Many(values, _) => Some(Value::Array(
                values.into_iter().map(Value::String).collect(),
            )),
        }
    }
}

/// Equal when the values and the shape are.
impl PartialEq for Iris {
    fn eq(&self, other: &Iris) -> bool {
        self.shape() == other.shape() && self.as_slice() == other.as_slice()
    }
}

impl Eq for Iris {}

impl fmt::Debug for Iris {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Iris")
            .field("values", &self.as_slice())
            .field("shape", &self.shape())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_value_has_no_vec_but_reads_like_one() {
        assert_eq!(std::mem::size_of::<Iris>(), 32);
        let one = Iris::one("https://a.example/");
        assert_eq!(one.as_slice(), ["https://a.example/"]);
        assert_eq!(one.shape(), Shape::Single);
        assert_eq!(
            one.to_json(),
            Some(Value::String("https://a.example/".into()))
        );
        assert_ne!(one, Iris::many(["https://a.example/"]));
        assert_eq!(Iris::absent().to_json(), None);
        assert_eq!(
            Iris::array(Vec::new()).to_json(),
            Some(Value::Array(Vec::new()))
        );
    }

    #[test]
    fn merging_and_truncating_keep_the_shape_rules() {
        let mut a = Iris::one("x");
        a.merge(Iris::absent());
        assert_eq!(a, Iris::one("x"));
        a.merge(Iris::one("y"));
        assert_eq!(a, Iris::many(["x", "y"]));
        let mut b = Iris::absent();
        b.merge(Iris::one("z"));
        assert_eq!(b, Iris::one("z"));
        b.truncate(0);
        assert_eq!(b.shape(), Shape::Single);
        assert!(b.is_empty() && b.is_present());
        assert_eq!(b.to_json(), Some(Value::Array(Vec::new())));
        assert_eq!(b.clone().into_json(), b.to_json());
    }
}
