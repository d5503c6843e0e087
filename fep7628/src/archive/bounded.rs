//! Bounded reading: a metered reader (hard cap per value, total cap per entry) and a
//! `DeserializeSeed` that builds a `serde_json::Value` within a size and depth budget, and
//! past the budget keeps consuming the input without storing it.

use std::cell::Cell;
use std::fmt;
use std::io::{self, Read};
use std::rc::Rc;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// What the meter saw: bytes consumed, where the current value started, its hard cap.
#[derive(Debug)]
pub(crate) struct Meter {
    consumed: Cell<u64>,
    segment_start: Cell<u64>,
    segment_cap: u64,
    total_cap: u64,
    tripped: Cell<Option<Trip>>,
}

/// Which cap the reader hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Trip {
    /// One value was larger than the per-value cap.
    Segment,
    /// The whole input was larger than its cap.
    Total,
}

impl Meter {
    pub(crate) fn new(segment_cap: u64, total_cap: u64) -> Rc<Meter> {
        Rc::new(Meter {
            consumed: Cell::new(0),
            segment_start: Cell::new(0),
            segment_cap,
            total_cap,
            tripped: Cell::new(None),
        })
    }

    /// A new value starts here: its hard cap counts from now.
    pub(crate) fn mark(&self) {
        self.segment_start.set(self.consumed.get());
    }

    pub(crate) fn tripped(&self) -> Option<Trip> {
        self.tripped.get()
    }
}

/// A reader that counts bytes into a [`Meter`] and fails once a cap is passed.
pub(crate) struct MeteredReader<R> {
    inner: R,
    meter: Rc<Meter>,
}

impl<R> MeteredReader<R> {
    pub(crate) fn new(inner: R, meter: Rc<Meter>) -> Self {
        MeteredReader { inner, meter }
    }
}

impl<R: Read> Read for MeteredReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        let m = &self.meter;
        let consumed = m.consumed.get().saturating_add(n as u64);
        m.consumed.set(consumed);
        let trip = if consumed > m.total_cap {
            Some(Trip::Total)
        } else if consumed.saturating_sub(m.segment_start.get()) > m.segment_cap {
            Some(Trip::Segment)
        } else {
            None
        };
        if let Some(trip) = trip {
            m.tripped.set(Some(trip));
            return Err(io::Error::other("size cap reached"));
        }
        Ok(n)
    }
}

/// Why an item was not kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Overflow {
    /// Larger than the soft size budget.
    Size,
    /// Nested deeper than the depth budget.
    Depth,
}

/// The budget of one item.
#[derive(Debug)]
pub(crate) struct Budget {
    remaining: u64,
    depth: usize,
    max_depth: usize,
    overflow: Option<Overflow>,
}

impl Budget {
    pub(crate) fn new(max_bytes: u64, max_depth: usize) -> Self {
        Budget {
            remaining: max_bytes,
            depth: 0,
            max_depth,
            overflow: None,
        }
    }

    pub(crate) fn overflow(&self) -> Option<Overflow> {
        self.overflow
    }

    /// Charges `cost`; `true` while the value is still being kept.
    fn charge(&mut self, cost: u64) -> bool {
        if self.overflow.is_some() {
            return false;
        }
        match self.remaining.checked_sub(cost) {
            Some(r) => {
                self.remaining = r;
                true
            }
            None => {
                self.overflow = Some(Overflow::Size);
                false
            }
        }
    }
}

/// Builds a `Value` within the budget; `None` once the budget overflowed (the input is still
/// consumed to the end of the value).
pub(crate) struct BoundedValue<'b>(pub(crate) &'b mut Budget);

/// Fixed cost of a scalar, an array or an object (its allocation).
const NODE_COST: u64 = 16;

impl<'de> DeserializeSeed<'de> for BoundedValue<'_> {
    type Value = Option<Value>;

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl BoundedValue<'_> {
    fn scalar<E>(self, cost: u64, v: impl FnOnce() -> Value) -> Result<Option<Value>, E> {
        Ok(self.0.charge(NODE_COST.saturating_add(cost)).then(v))
    }
}

impl<'de> Visitor<'de> for BoundedValue<'_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        self.scalar(0, || Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        self.scalar(0, || Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        self.scalar(0, || Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        self.scalar(0, || Number::from_f64(v).map_or(Value::Null, Value::Number))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        self.scalar(v.len() as u64, || Value::String(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        self.scalar(v.len() as u64, || Value::String(v))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        self.scalar(0, || Value::Null)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        self.scalar(0, || Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let budget = self.0;
        budget.depth += 1;
        if budget.depth > budget.max_depth && budget.overflow.is_none() {
            budget.overflow = Some(Overflow::Depth);
        }
        let mut keep = budget.charge(NODE_COST);
        let mut out = Vec::new();
        while let Some(v) = seq.next_element_seed(BoundedValue(budget))? {
            if let (Some(v), true, None) = (v, keep, budget.overflow) {
                out.push(v);
            } else {
                keep = false;
                out = Vec::new();
            }
        }
        budget.depth -= 1;
        Ok((keep && budget.overflow.is_none()).then_some(Value::Array(out)))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let budget = self.0;
        budget.depth += 1;
        if budget.depth > budget.max_depth && budget.overflow.is_none() {
            budget.overflow = Some(Overflow::Depth);
        }
        let mut keep = budget.charge(NODE_COST);
        let mut out = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let key_kept = budget.charge(key.len() as u64);
            let v = map.next_value_seed(BoundedValue(budget))?;
            match v {
                Some(v) if keep && key_kept && budget.overflow.is_none() => {
                    out.insert(key, v);
                }
                _ => {
                    keep = false;
                    out = Map::new();
                }
            }
        }
        budget.depth -= 1;
        Ok((keep && budget.overflow.is_none()).then_some(Value::Object(out)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bounded(text: &str, bytes: u64, depth: usize) -> (Option<Value>, Option<Overflow>) {
        let mut budget = Budget::new(bytes, depth);
        let mut de = serde_json::Deserializer::from_str(text);
        let v = BoundedValue(&mut budget)
            .deserialize(&mut de)
            .expect("valid JSON");
        (v, budget.overflow())
    }

    #[test]
    fn keeps_what_fits_and_drops_what_does_not() {
        let text = r#"{"a": [1, 2.5, "x", null, true], "b": {"c": "d"}}"#;
        let (v, o) = bounded(text, 1_000, 8);
        assert_eq!(v, serde_json::from_str(text).ok());
        assert_eq!(o, None);
        assert_eq!(bounded(text, 40, 8), (None, Some(Overflow::Size)));
        assert_eq!(bounded(text, 1_000, 1), (None, Some(Overflow::Depth)));
        assert_eq!(bounded(text, 1_000, 2).1, None);
    }

    #[test]
    fn meter_trips_on_segment_and_total() {
        let meter = Meter::new(4, 10);
        let mut r = MeteredReader::new(&b"0123456789abcdef"[..], Rc::clone(&meter));
        let mut buf = [0u8; 3];
        assert_eq!(r.read(&mut buf).ok(), Some(3));
        meter.mark();
        assert_eq!(r.read(&mut buf).ok(), Some(3));
        assert!(r.read(&mut buf).is_err());
        assert_eq!(meter.tripped(), Some(Trip::Segment));
    }
}
