//! Turning interpreted members back into compact JSON (for members a type does not model, and
//! for embedded nodes of other types), so nothing read is lost when re-serving.

use serde_json::{Map, Value};

use super::node::{Node, NodeRef, RefKind, bit};
use crate::Members;
use crate::iris::{Iris, Shape};
use crate::vocab::{Field, TERMS};

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

/// Takes each interpreted member of `node` among `fields` (a [`mask_of`](super::mask_of) set)
/// out as compact JSON and hands it to `put` with its compact name (the first term of the
/// field).
fn take_each(node: &mut Node, fields: u64, mut put: impl FnMut(&'static str, Value)) {
    let mut rest = fields;
    for t in TERMS {
        if rest == 0 {
            return;
        }
        let Some(f) = t.field else { continue };
        if rest & bit(f) == 0 {
            continue;
        }
        rest &= !bit(f);
        if let Some(v) = take_field(node, f) {
            put(t.name, v);
        }
    }
}

/// Moves every interpreted member of `node` that the caller's type does not model (`keep`, a
/// [`mask_of`](super::mask_of) set of fields) into `extra` under its compact name.
pub(crate) fn restore_except(node: &mut Node, keep: u64, extra: &mut Members) {
    take_each(node, node.present & !keep, |k, v| {
        extra.insert(k, &v);
    });
}

/// The whole node as a compact JSON object.
pub(crate) fn node_into_map(mut node: Node) -> Map<String, Value> {
    let mut out = Map::new();
    if let Some(c) = node.context.take() {
        out.insert("@context".to_string(), c);
    }
    take_each(&mut node, u64::MAX, |k, v| {
        out.insert(k.to_string(), v);
    });
    std::mem::take(&mut node.extra).drain_into(&mut out);
    out
}
