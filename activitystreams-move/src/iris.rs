//! Properties that hold IRIs, with the JSON shape they had (FEP-e965 cares: `movedTo` must be a
//! string or a one-element array).

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
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Iris {
    values: Vec<String>,
    shape: Shape,
}

impl Iris {
    /// No value.
    pub fn absent() -> Self {
        Iris::default()
    }

    /// One value, as a bare string.
    pub fn one(value: impl Into<String>) -> Self {
        Iris {
            values: vec![value.into()],
            shape: Shape::Single,
        }
    }

    /// Values as an array.
    pub fn many<I: IntoIterator<Item = S>, S: Into<String>>(values: I) -> Self {
        Iris {
            values: values.into_iter().map(Into::into).collect(),
            shape: Shape::Array,
        }
    }

    /// The values.
    pub fn as_slice(&self) -> &[String] {
        &self.values
    }

    /// Iterates over the values.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.values.iter().map(String::as_str)
    }

    /// The value when there is exactly one.
    pub fn single(&self) -> Option<&str> {
        match self.values.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// The first value.
    pub fn first(&self) -> Option<&str> {
        self.values.first().map(String::as_str)
    }

    /// The shape the property had.
    pub fn shape(&self) -> Shape {
        self.shape
    }

    /// Whether the property was present (even as an empty array).
    pub fn is_present(&self) -> bool {
        self.shape != Shape::Absent
    }

    /// Number of values.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether there is no value.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Whether `iri` is one of the values (exact string equality, move.md §3 E4).
    pub fn contains(&self, iri: &str) -> bool {
        self.values.iter().any(|v| v == iri)
    }

    pub(crate) fn merge(&mut self, values: Vec<String>, shape: Shape) {
        if self.shape == Shape::Absent {
            self.values = values;
            self.shape = shape;
        } else if shape != Shape::Absent {
            self.values.extend(values);
            self.shape = Shape::Array;
        }
    }

    /// The JSON form: a string for [`Shape::Single`], an array otherwise; `None` when absent.
    pub fn to_json(&self) -> Option<Value> {
        match self.shape {
            Shape::Absent => None,
            Shape::Single if self.values.len() == 1 => {
                self.values.first().map(|v| Value::String(v.clone()))
            }
            _ => Some(Value::Array(
                self.values.iter().cloned().map(Value::String).collect(),
            )),
        }
    }
}
