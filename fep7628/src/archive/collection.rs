//! Streaming an ActivityStreams collection: `orderedItems` (or `items`) are handed over one at
//! a time while the JSON is read, so a 100 000-post outbox is never held in memory.
//!
//! Accepted shapes: an `OrderedCollection` / `Collection` / `OrderedCollectionPage` /
//! `CollectionPage` object with `orderedItems` or `items`, or with an embedded `first` page
//! that has them (Mastodon's archive `outbox.json` has `orderedItems` at the top).

use std::cell::RefCell;
use std::fmt;
use std::io::{BufReader, Read};
use std::rc::Rc;

use serde::de::{DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::bounded::{BoundedValue, Budget, Meter, MeteredReader, Overflow, Trip};
use super::error::ArchiveError;
use super::limits::Limits;

/// One item as read.
#[derive(Debug)]
pub enum RawItem {
    /// The item, within the limits.
    Value(Value),
    /// The item was larger than [`Limits::max_item_bytes`]; it was consumed, not kept.
    TooLarge,
    /// The item was nested deeper than [`Limits::max_item_depth`].
    TooDeep,
}

/// What the collection said about itself.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CollectionInfo {
    /// Its `type`, when a string.
    pub kind: Option<String>,
    /// Its `totalItems`, when a number.
    pub total_items: Option<u64>,
    /// Items handed over.
    pub items: u64,
}

const COLLECTION_TYPES: [&str; 4] = [
    "OrderedCollection",
    "OrderedCollectionPage",
    "Collection",
    "CollectionPage",
];

/// Reads the collection in `reader` (named `at` in errors) and calls `on_item(index, item)`
/// for each of its items, in order. An error returned by `on_item` stops reading and is
/// returned as is.
pub fn for_each_item<R, F>(
    reader: R,
    at: &str,
    total_cap: u64,
    limits: &Limits,
    on_item: F,
) -> Result<CollectionInfo, ArchiveError>
where
    R: Read,
    F: FnMut(u64, RawItem) -> Result<(), ArchiveError>,
{
    let meter = Meter::new(limits.max_value_bytes, total_cap);
    let metered =
        BufReader::with_capacity(64 * 1024, MeteredReader::new(reader, Rc::clone(&meter)));
    let state = RefCell::new(State {
        on_item,
        info: CollectionInfo::default(),
        found_items: false,
        stop: None,
    });
    let mut de = serde_json::Deserializer::from_reader(metered);
    let host = Host {
        state: &state,
        meter: &meter,
        limits,
        at,
    };
    let result = host.deserialize(&mut de).and_then(|()| de.end());
    let mut state = state.into_inner();
    if let Some(stop) = state.stop.take() {
        return Err(stop);
    }
    if let Err(e) = result {
        return Err(match meter.tripped() {
            Some(Trip::Segment) => ArchiveError::ValueTooLarge {
                at: at.to_owned(),
                index: state.info.items,
                limit: limits.max_value_bytes,
            },
            Some(Trip::Total) => ArchiveError::EntryTooLarge {
                name: at.to_owned(),
                limit: total_cap,
            },
            None if e.is_io() => ArchiveError::Io {
                at: at.to_owned(),
                message: e.to_string(),
            },
            None if e.is_data() => ArchiveError::NotACollection {
                at: at.to_owned(),
                message: e.to_string(),
            },
            None => ArchiveError::InvalidJson {
                at: at.to_owned(),
                line: e.line(),
                column: e.column(),
                message: e.to_string(),
            },
        });
    }
    if let Some(kind) = &state.info.kind
        && !COLLECTION_TYPES.contains(&kind.as_str())
    {
        return Err(ArchiveError::NotACollection {
            at: at.to_owned(),
            message: format!("type is {kind:?}"),
        });
    }
    if !state.found_items {
        return Err(ArchiveError::NotACollection {
            at: at.to_owned(),
            message: "no orderedItems or items".into(),
        });
    }
    Ok(state.info)
}

struct State<F> {
    on_item: F,
    info: CollectionInfo,
    found_items: bool,
    stop: Option<ArchiveError>,
}

/// The collection object (or its embedded `first` page).
struct Host<'a, F> {
    state: &'a RefCell<State<F>>,
    meter: &'a Meter,
    limits: &'a Limits,
    at: &'a str,
}

impl<F> Clone for Host<'_, F> {
    fn clone(&self) -> Self {
        Host { ..*self }
    }
}

impl<'de, F: FnMut(u64, RawItem) -> Result<(), ArchiveError>> DeserializeSeed<'de> for Host<'_, F> {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(u64, RawItem) -> Result<(), ArchiveError>> Visitor<'de> for Host<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an ActivityStreams collection object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        loop {
            self.meter.mark();
            let Some(key) = map.next_key::<String>()? else {
                break;
            };
            self.meter.mark();
            match key.as_str() {
                "orderedItems" | "items" => {
                    let already = self.state.borrow().found_items;
                    if already {
                        // A second list would be screened twice; ignore it.
                        map.next_value::<IgnoredAny>()?;
                    } else {
                        self.state.borrow_mut().found_items = true;
                        map.next_value_seed(Items(self.clone()))?;
                    }
                }
                "first" => {
                    // An embedded first page (a bare URL is ignored: nothing is fetched).
                    map.next_value_seed(First(self.clone()))?;
                }
                "type" => {
                    let v: Value = map.next_value()?;
                    if let Value::String(s) = v {
                        self.state.borrow_mut().info.kind = Some(s);
                    }
                }
                "totalItems" => {
                    let v: Value = map.next_value()?;
                    self.state.borrow_mut().info.total_items = v.as_u64();
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(())
    }
}

/// `first`: an embedded page is read like the collection; anything else is skipped.
struct First<'a, F>(Host<'a, F>);

impl<'de, F: FnMut(u64, RawItem) -> Result<(), ArchiveError>> DeserializeSeed<'de>
    for First<'_, F>
{
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(u64, RawItem) -> Result<(), ArchiveError>> Visitor<'de> for First<'_, F> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a page or a URL")
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let page = PageHost(self.0);
        page.visit_map(map)
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_string<E>(self, _: String) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
}

/// An embedded page: its items count, its `type`/`totalItems` do not replace the collection's.
struct PageHost<'a, F>(Host<'a, F>);

impl<'de, F: FnMut(u64, RawItem) -> Result<(), ArchiveError>> PageHost<'_, F> {
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let host = self.0;
        while let Some(key) = map.next_key::<String>()? {
            host.meter.mark();
            if matches!(key.as_str(), "orderedItems" | "items") && !host.state.borrow().found_items
            {
                host.state.borrow_mut().found_items = true;
                map.next_value_seed(Items(host.clone()))?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// The items array, streamed.
struct Items<'a, F>(Host<'a, F>);

impl<'de, F: FnMut(u64, RawItem) -> Result<(), ArchiveError>> DeserializeSeed<'de>
    for Items<'_, F>
{
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, F: FnMut(u64, RawItem) -> Result<(), ArchiveError>> Visitor<'de> for Items<'_, F> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of items")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let host = self.0;
        let limits = host.limits;
        loop {
            host.meter.mark();
            let mut budget = Budget::new(limits.max_item_bytes, limits.max_item_depth);
            let Some(kept) = seq.next_element_seed(BoundedValue(&mut budget))? else {
                break;
            };
            let item = match (kept, budget.overflow()) {
                (Some(v), None) => RawItem::Value(v),
                (_, Some(Overflow::Depth)) => RawItem::TooDeep,
                _ => RawItem::TooLarge,
            };
            let mut state = host.state.borrow_mut();
            let index = state.info.items;
            if index >= limits.max_items {
                state.stop = Some(ArchiveError::TooManyItems {
                    at: host.at.to_owned(),
                    limit: limits.max_items,
                });
                return Err(serde::de::Error::custom("stopped"));
            }
            state.info.items += 1;
            if let Err(e) = (state.on_item)(index, item) {
                state.stop = Some(e);
                return Err(serde::de::Error::custom("stopped"));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(text: &str) -> Result<(CollectionInfo, Vec<String>), ArchiveError> {
        let mut seen = Vec::new();
        let limits = Limits {
            max_item_bytes: 200,
            max_item_depth: 4,
            ..Limits::default()
        };
        let info = for_each_item(
            text.as_bytes(),
            "outbox.json",
            1 << 20,
            &limits,
            |i, item| {
                seen.push(match item {
                    RawItem::Value(v) => format!("{i}:{v}"),
                    RawItem::TooLarge => format!("{i}:large"),
                    RawItem::TooDeep => format!("{i}:deep"),
                });
                Ok(())
            },
        )?;
        Ok((info, seen))
    }

    #[test]
    fn streams_ordered_items() {
        let big = "x".repeat(300);
        let text = format!(
            r#"{{"type":"OrderedCollection","totalItems":4,"orderedItems":[{{"a":1}},"u",{{"b":"{big}"}},[[[[[1]]]]]]}}"#
        );
        let (info, seen) = collect(&text).expect("collection");
        assert_eq!(info.kind.as_deref(), Some("OrderedCollection"));
        assert_eq!(info.total_items, Some(4));
        assert_eq!(seen, [r#"0:{"a":1}"#, r#"1:"u""#, "2:large", "3:deep"]);
    }

    #[test]
    fn reads_an_embedded_first_page() {
        let text = r#"{"type":"OrderedCollection","first":{"type":"OrderedCollectionPage","orderedItems":[1,2]}}"#;
        let (_, seen) = collect(text).expect("collection");
        assert_eq!(seen, ["0:1", "1:2"]);
    }

    #[test]
    fn refuses_what_is_not_a_collection() {
        let kind = |t: &str| collect(t).map(|_| ()).unwrap_err().kind();
        assert_eq!(
            kind(r#"{"type":"Note","orderedItems":[]}"#),
            "not_a_collection"
        );
        assert_eq!(kind(r#"{"type":"OrderedCollection"}"#), "not_a_collection");
        assert_eq!(kind("[1,2]"), "not_a_collection");
        assert_eq!(kind("not json"), "invalid_json");
        assert_eq!(kind(r#"{"orderedItems":[1,"#), "invalid_json");
    }
}
