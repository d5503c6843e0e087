//! One JSON-LD node object (the document, an embedded actor, a key, `endpoints` …) read in a
//! single pass: interpreted members go to typed fields, the rest is kept verbatim.

use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::raw::{ContextSeed, KeepSeed, RawSeed, SkipSeed};
use super::state::{Path, ReadState};
use super::values::{IdSeed, IrisSeed, KeySeed, LiteralSeed, TypesSeed, record_use, refuse};
use crate::context::bundled_url;
use crate::iris::{Iris, Shape};
use crate::vocab::{self, Field, TermSet};
use crate::{Error, Members};

/// Every member this crate interprets, for any kind of node.
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Node {
    pub context: Option<Value>,
    /// The document's `@context` as received (root only), until the guard parses it.
    pub context_text: Option<Box<str>>,
    pub id: Option<String>,
    pub types: Vec<String>,
    pub actor: Vec<NodeRef>,
    pub object: Vec<NodeRef>,
    pub target: Vec<NodeRef>,
    pub origin: Vec<NodeRef>,
    pub to: Iris,
    pub cc: Iris,
    pub bto: Iris,
    pub bcc: Iris,
    pub audience: Iris,
    pub preferred_username: Option<String>,
    pub inbox: Iris,
    pub outbox: Iris,
    pub followers: Iris,
    pub following: Iris,
    pub endpoints: Vec<NodeRef>,
    pub shared_inbox: Iris,
    pub public_key: Vec<NodeRef>,
    pub owner: Iris,
    pub public_key_pem: Option<String>,
    pub assertion_method: Vec<NodeRef>,
    pub controller: Iris,
    pub public_key_multibase: Option<String>,
    pub also_known_as: Iris,
    pub moved_to: Iris,
    pub copied_to: Iris,
    pub attachment: Vec<Value>,
    pub attachment_shape: Shape,
    pub url: Iris,
    pub href: Iris,
    pub manually_approves_followers: Option<bool>,
    pub deleted: Option<String>,
    pub suspended: Option<bool>,
    pub extra: Members,
    /// Single-valued fields already seen (duplicate detection).
    seen: u64,
    /// Reference fields given as arrays (for exact JSON Pointers).
    pub array_fields: u64,
    /// Fields that were present (so that conversions only visit those).
    pub present: u64,
}

/// A reference: an IRI, or an embedded node (exactly one of the two is set).
///
/// Laid out like the public [`Reference`](crate::Reference) (an optional `String` and an
/// optional box), so that turning a `Vec<NodeRef>` into a `Vec<Reference>` reuses the buffer
/// instead of allocating a second one (asserted in `reference.rs`).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NodeRef {
    iri: Option<String>,
    node: Option<Box<Node>>,
}

/// What a [`NodeRef`] holds, by value.
pub(crate) enum RefKind {
    Iri(String),
    Node(Box<Node>),
}

impl NodeRef {
    pub fn iri(iri: String) -> NodeRef {
        NodeRef {
            iri: Some(iri),
            node: None,
        }
    }

    pub fn node(node: Box<Node>) -> NodeRef {
        NodeRef {
            iri: None,
            node: Some(node),
        }
    }

    /// The embedded node, if this is one.
    pub fn as_node(&self) -> Option<&Node> {
        self.node.as_deref()
    }

    pub fn into_kind(self) -> RefKind {
        match (self.iri, self.node) {
            (_, Some(node)) => RefKind::Node(node),
            (iri, None) => RefKind::Iri(iri.unwrap_or_default()),
        }
    }
}

impl Node {
    /// Whether the node carries nothing but an id (`{"id": …}` / `{"@id": …}`): a reference.
    pub fn is_only_id(&self) -> bool {
        self.present & !bit(Field::Id) == 0 && self.extra.is_empty() && self.context.is_none()
    }
}

/// Reads one node object.
pub(crate) struct NodeSeed<'s, 'p> {
    pub state: &'s mut ReadState,
    pub path: &'p Path<'p>,
    pub depth: usize,
    pub root: bool,
}

impl<'de> DeserializeSeed<'de> for NodeSeed<'_, '_> {
    type Value = Box<Node>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Box<Node>, D::Error> {
        d.deserialize_any(self)
    }
}

fn dup<E: serde::de::Error>(state: &mut ReadState, path: &Path<'_>) -> E {
    state.invalid(
        path,
        "a single value (member given twice under different names)",
    )
}

impl<'de> Visitor<'de> for NodeSeed<'_, '_> {
    type Value = Box<Node>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Box<Node>, A::Error> {
        // JSON-LD expanded form: the document is an array holding one node.
        if !self.root {
            return Err(self.state.fail(Error::NotAnObject {
                at: self.path.render(),
            }));
        }
        let path = Path::Index(self.path, 0);
        let seed = NodeSeed {
            state: &mut *self.state,
            path: &path,
            depth: self.depth,
            root: true,
        };
        let Some(node) = seq.next_element_seed(seed)? else {
            return Err(self.state.fail(Error::NotAnObject {
                at: self.path.render(),
            }));
        };
        let rest = SkipSeed {
            state: &mut *self.state,
            path: &path,
            depth: self.depth,
        };
        if seq.next_element_seed(rest)?.is_some() {
            return Err(self.state.fail(Error::NotAnObject {
                at: self.path.render(),
            }));
        }
        Ok(node)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Box<Node>, A::Error> {
        let depth = self.depth + 1;
        self.state.check_depth(depth, self.path)?;
        // Boxed at once: a node is about a kilobyte, and it moves several times on its way out.
        let mut node = Box::<Node>::default();
        let mut used = TermSet::EMPTY;
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let path = Path::Key(self.path, &key);
            // A guarded term that names a member (type names used as keys are not members).
            let member = vocab::classify_key(&key)
                .and_then(|(term, form)| vocab::field_of(term).map(|field| (term, form, field)));
            let Some((term, form, field)) = member else {
                match key.as_ref() {
                    "@context" if self.root => {
                        let seed = ContextSeed {
                            state: &mut *self.state,
                            path: &path,
                            depth,
                        };
                        let text = map.next_value_seed(seed)?;
                        // One bundled URL (every Move Mastodon sends): judged now, from the
                        // borrowed text; anything else is classified after the read.
                        if let Some((url, verdict)) = bundled_url(text.get()) {
                            node.context = Some(Value::String(url.to_owned()));
                            node.context_text = None;
                            self.state.bundled_context = Some(verdict);
                        } else {
                            node.context = None;
                            node.context_text = Some(text.into_boxed_str());
                            self.state.bundled_context = None;
                        }
                        continue;
                    }
                    "@context" | "@graph" | "@included" | "@reverse" => {
                        return Err(self.state.fail(Error::UnsupportedKeyword {
                            at: path.render(),
                            keyword: key.into_owned(),
                        }));
                    }
                    _ => {}
                }
                let seed = KeepSeed {
                    state: &mut *self.state,
                    path: &path,
                    depth,
                };
                let v = map.next_value_seed(seed)?;
                node.extra.insert_raw(key.into_owned(), v);
                continue;
            };
            record_use(self.state, &mut used, term, form, &path);
            node.present |= bit(field);
            read_field(
                &mut map, &mut node, field, self.state, &path, depth, &mut used,
            )?;
        }
        // FEP-521a keys use the type-scoped context of `Multikey` (multikey/v1).
        if node.types.iter().any(|t| t == "Multikey") {
            self.state.used_multikey = self.state.used_multikey.union(used);
        } else {
            self.state.used = self.state.used.union(used);
        }
        Ok(node)
    }
}

pub(crate) const fn bit(field: Field) -> u64 {
    1u64 << (field as u8)
}

/// The bits of `fields` (for a quick "is any of them present" test).
pub(crate) const fn mask_of(fields: &[Field]) -> u64 {
    let mut mask = 0;
    let mut i = 0;
    while i < fields.len() {
        mask |= bit(fields[i]);
        i += 1;
    }
    mask
}

fn read_field<'de, A: MapAccess<'de>>(
    map: &mut A,
    node: &mut Node,
    field: Field,
    state: &mut ReadState,
    path: &Path<'_>,
    depth: usize,
    used: &mut TermSet,
) -> Result<(), A::Error> {
    macro_rules! iris_value {
        () => {
            map.next_value_seed(IrisSeed {
                state: &mut *state,
                path,
                depth,
                used: &mut *used,
                nested: false,
            })?
        };
    }
    macro_rules! iris {
        ($slot:ident) => {{
            let vals = iris_value!();
            node.$slot.merge(vals);
        }};
    }
    macro_rules! refs {
        ($slot:ident) => {{
            let (refs, is_array) = map.next_value_seed(RefsSeed {
                state: &mut *state,
                path,
                depth,
            })?;
            if is_array || !node.$slot.is_empty() {
                node.array_fields |= bit(field);
            }
            if node.$slot.is_empty() {
                node.$slot = refs;
            } else {
                node.$slot.extend(refs);
            }
        }};
    }
    macro_rules! single {
        ($slot:ident, $seed:expr) => {{
            if node.seen & bit(field) != 0 {
                return Err(dup(state, path));
            }
            node.seen |= bit(field);
            node.$slot = map.next_value_seed($seed)?;
        }};
    }
    match field {
        Field::Id => single!(
            id,
            IdSeed {
                state: &mut *state,
                path
            }
        ),
        Field::Type => {
            let types = map.next_value_seed(TypesSeed {
                state: &mut *state,
                path,
                used: &mut *used,
                nested: false,
            })?;
            if node.types.is_empty() {
                node.types = types;
            } else {
                node.types.extend(types);
            }
        }
        Field::Actor => refs!(actor),
        Field::Object => refs!(object),
        Field::Target => refs!(target),
        Field::Origin => refs!(origin),
        Field::Endpoints => refs!(endpoints),
        Field::PublicKey => refs!(public_key),
        Field::AssertionMethod => refs!(assertion_method),
        Field::To => iris!(to),
        Field::Cc => iris!(cc),
        Field::Bto => iris!(bto),
        Field::Bcc => iris!(bcc),
        Field::Audience => iris!(audience),
        Field::Inbox => iris!(inbox),
        Field::Outbox => iris!(outbox),
        Field::Followers => iris!(followers),
        Field::Following => iris!(following),
        Field::SharedInbox => iris!(shared_inbox),
        Field::Owner => iris!(owner),
        Field::Controller => iris!(controller),
        Field::MovedTo => iris!(moved_to),
        Field::CopiedTo => iris!(copied_to),
        Field::Url => iris!(url),
        Field::Href => iris!(href),
        Field::AlsoKnownAs => {
            let mut vals = iris_value!();
            // Mastodon ALSO_KNOWN_AS_HARD_LIMIT (move.md §1.2 #12): keep the first N.
            let room = state
                .limits
                .max_also_known_as
                .saturating_sub(node.also_known_as.len());
            if vals.len() > room {
                state.also_known_as_dropped += vals.len() - room;
                vals.truncate(room);
            }
            node.also_known_as.merge(vals);
        }
        Field::PreferredUsername => single!(
            preferred_username,
            LiteralSeed::new(&mut *state, path, depth)
        ),
        Field::PublicKeyPem => single!(public_key_pem, LiteralSeed::new(&mut *state, path, depth)),
        Field::PublicKeyMultibase => single!(
            public_key_multibase,
            LiteralSeed::new(&mut *state, path, depth)
        ),
        Field::Deleted => single!(deleted, LiteralSeed::new(&mut *state, path, depth)),
        Field::ManuallyApprovesFollowers => single!(
            manually_approves_followers,
            LiteralSeed::new(&mut *state, path, depth)
        ),
        Field::Suspended => single!(suspended, LiteralSeed::new(&mut *state, path, depth)),
        Field::Attachment => {
            let v = map.next_value_seed(RawSeed {
                state: &mut *state,
                path,
                depth,
            })?;
            match v {
                Value::Null => {}
                Value::Array(items) => {
                    node.attachment.extend(items);
                    node.attachment_shape = Shape::Array;
                }
                other => {
                    node.attachment.push(other);
                    if node.attachment_shape == Shape::Absent {
                        node.attachment_shape = Shape::Single;
                    } else {
                        node.attachment_shape = Shape::Array;
                    }
                }
            }
        }
    }
    Ok(())
}

/// References: IRI | node | array of them | null.
pub(crate) struct RefsSeed<'s, 'p> {
    pub state: &'s mut ReadState,
    pub path: &'p Path<'p>,
    pub depth: usize,
}

impl<'de> DeserializeSeed<'de> for RefsSeed<'_, '_> {
    type Value = (Vec<NodeRef>, bool);
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for RefsSeed<'_, '_> {
    type Value = (Vec<NodeRef>, bool);
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an IRI, an object, or an array of them")
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok((vec![NodeRef::iri(v.to_string())], false))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok((vec![NodeRef::iri(v)], false))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok((Vec::new(), false))
    }
    refuse!('de, "an IRI or an object"; bool, i64, u64, f64);
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let seed = NodeSeed {
            state: self.state,
            path: self.path,
            depth: self.depth,
            root: false,
        };
        let node = seed.visit_map(map)?;
        Ok((vec![NodeRef::node(node)], false))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        self.state.check_depth(self.depth + 1, self.path)?;
        let mut out = Vec::new();
        let mut i = 0;
        loop {
            let path = Path::Index(self.path, i);
            let seed = ElementSeed {
                state: &mut *self.state,
                path: &path,
                depth: self.depth + 1,
            };
            match seq.next_element_seed(seed)? {
                Some(Some(r)) => out.push(r),
                Some(None) => {}
                None => break,
            }
            i += 1;
            self.state.check_len(i, self.path)?;
        }
        Ok((out, true))
    }
}

/// One element of a reference array: IRI | node | null (no nested arrays).
struct ElementSeed<'s, 'p> {
    state: &'s mut ReadState,
    path: &'p Path<'p>,
    depth: usize,
}

impl<'de> DeserializeSeed<'de> for ElementSeed<'_, '_> {
    type Value = Option<NodeRef>;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ElementSeed<'_, '_> {
    type Value = Option<NodeRef>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an IRI or an object")
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(NodeRef::iri(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(NodeRef::iri(v)))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    refuse!('de, "an IRI or an object"; bool, i64, u64, f64);
    fn visit_seq<A: SeqAccess<'de>>(self, _seq: A) -> Result<Self::Value, A::Error> {
        Err(self
            .state
            .invalid(self.path, "an IRI or an object (not a nested array)"))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        let seed = NodeSeed {
            state: self.state,
            path: self.path,
            depth: self.depth,
            root: false,
        };
        Ok(Some(NodeRef::node(seed.visit_map(map)?)))
    }
}
