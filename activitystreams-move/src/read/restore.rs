//! Turning interpreted members back into compact JSON (for members a type does not model, and
//! for embedded nodes of other types), so nothing read is lost when re-serving.

use serde_json::{Map, Value};

use super::node::{Node, NodeRef, RefKind};
use crate::Members;
use crate::iris::{Iris, Shape};
use crate::vocab::{self, Field, TERMS};

fn iris(i: &mut Iris) -> Option<Value> {
    std::mem::take(i).into_json()
}

fn refs(r: &mut Vec<NodeRef>) -> Option<Value> {
    let r = std::mem::take(r);
    let mut out: Vec<Value> = r
        .into_iter()
        .map(|r| match r.into_kind() {
            RefKind::Iri(s) => Value::String(s),
            RefKind::Node(n) => Value::Object(node_into_map(*n)),
        })
        .collect();
    match out.len() {
        0 => None,
        1 => out.pop(),
        _ => Some(Value::Array(out)),
    }
}

/// Takes one interpreted member out of `node` as compact JSON.
pub(crate) fn take_field(node: &mut Node, field: Field) -> Option<Value> {
    match field {
        Field::Id => node.id.take().map(Value::String),
        Field::Type => {
            let t = std::mem::take(&mut node.types);
            match t.len() {
                0 => None,
                1 => t.into_iter().next().map(Value::String),
                _ => Some(Value::Array(t.into_iter().map(Value::String).collect())),
            }
        }
        Field::Actor => refs(&mut node.actor),
        Field::Object => refs(&mut node.object),
        Field::Target => refs(&mut node.target),
        Field::Origin => refs(&mut node.origin),
        Field::Endpoints => refs(&mut node.endpoints),
        Field::PublicKey => refs(&mut node.public_key),
        Field::AssertionMethod => refs(&mut node.assertion_method),
        Field::To => iris(&mut node.to),
        Field::Cc => iris(&mut node.cc),
        Field::Bto => iris(&mut node.bto),
        Field::Bcc => iris(&mut node.bcc),
        Field::Audience => iris(&mut node.audience),
        Field::Inbox => iris(&mut node.inbox),
        Field::Outbox => iris(&mut node.outbox),
        Field::Followers => iris(&mut node.followers),
        Field::Following => iris(&mut node.following),
        Field::SharedInbox => iris(&mut node.shared_inbox),
        Field::Owner => iris(&mut node.owner),
        Field::Controller => iris(&mut node.controller),
        Field::AlsoKnownAs => iris(&mut node.also_known_as),
        Field::MovedTo => iris(&mut node.moved_to),
        Field::CopiedTo => iris(&mut node.copied_to),
        Field::Url => iris(&mut node.url),
        Field::Href => iris(&mut node.href),
        Field::PreferredUsername => node.preferred_username.take().map(Value::String),
        Field::PublicKeyPem => node.public_key_pem.take().map(Value::String),
        Field::PublicKeyMultibase => node.public_key_multibase.take().map(Value::String),
        Field::Deleted => node.deleted.take().map(Value::String),
        Field::ManuallyApprovesFollowers => {
            node.manually_approves_followers.take().map(Value::Bool)
        }
        Field::Suspended => node.suspended.take().map(Value::Bool),
        Field::Attachment => {
            let a = std::mem::take(&mut node.attachment);
            match (node.attachment_shape, a.len()) {
                (Shape::Absent, _) => None,
                (Shape::Single, 1) => a.into_iter().next(),
                _ => Some(Value::Array(a)),
            }
        }
    }
}

/// The compact name a field is written under.
pub(crate) fn key_of(field: Field) -> &'static str {
    TERMS
        .iter()
        .find(|t| t.field == Some(field))
        .map_or("", |t| t.name)
}

/// Moves the given fields of `node` into `extra` under their compact names.
pub(crate) fn restore(node: &mut Node, fields: &[Field], extra: &mut Members) {
    if node.present == 0 {
        return;
    }
    for f in fields {
        if node.present & super::node::bit(*f) == 0 {
            continue;
        }
        if let Some(v) = take_field(node, *f) {
            extra.insert(key_of(*f), &v);
        }
    }
}

/// The whole node as a compact JSON object.
pub(crate) fn node_into_map(mut node: Node) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(c) = node.context.take() {
        out.insert("@context".to_string(), c);
    }
    let fields: Vec<Field> = TERMS.iter().filter_map(|t| t.field).collect();
    for f in fields {
        if let Some(v) = take_field(&mut node, f) {
            out.insert(key_of(f).to_string(), v);
        }
    }
    std::mem::take(&mut node.extra).drain_into(&mut out);
    let _ = vocab::PUBLIC;
    out
}
