//! References to other objects: an IRI, or an embedded object that keeps its data (a Move whose
//! `object` is the embedded old actor, an `Undo` whose `object` is the embedded `Follow`).

use serde_json::{Map, Value};

use crate::read::{NodeRef, ReadInfo, RefKind, node_into_map};
use crate::{Activity, ActivityKind, Actor};

// The reader's references convert into these in place (`Vec<NodeRef>` → `Vec<Reference>`
// reuses the buffer) only while both have the same size and alignment.
const _: () = assert!(
    std::mem::size_of::<NodeRef>() == std::mem::size_of::<Reference>()
        && std::mem::align_of::<NodeRef>() == std::mem::align_of::<Reference>()
);

/// An object referenced by `actor`, `object`, `target` or `origin`.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference {
    /// The referenced object's id (`None` for an embedded object without one).
    pub id: Option<String>,
    /// The embedded object, when the reference was an object with more than an id.
    pub embedded: Option<Box<Embedded>>,
}

/// An embedded object, typed when this crate models its type.
#[derive(Debug, Clone, PartialEq)]
pub enum Embedded {
    /// An actor (`Person`, `Service`, `Group`, `Organization`, `Application`).
    Actor(Actor),
    /// One of the modelled activities (a `Follow` inside an `Undo`/`Accept`/`Reject`).
    Activity(Activity),
    /// Anything else, kept verbatim (compact form).
    Other(Map<String, Value>),
}

impl Reference {
    /// A reference by IRI.
    pub fn iri(id: impl Into<String>) -> Reference {
        Reference {
            id: Some(id.into()),
            embedded: None,
        }
    }

    /// The id, if any.
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The embedded actor, if the reference embeds one.
    pub fn actor(&self) -> Option<&Actor> {
        match self.embedded.as_deref() {
            Some(Embedded::Actor(a)) => Some(a),
            _ => None,
        }
    }

    /// The embedded activity, if the reference embeds one.
    pub fn activity(&self) -> Option<&Activity> {
        match self.embedded.as_deref() {
            Some(Embedded::Activity(a)) => Some(a),
            _ => None,
        }
    }

    pub(crate) fn from_ref(r: NodeRef, info: &ReadInfo) -> Reference {
        match r.into_kind() {
            RefKind::Iri(id) => Reference::iri(id),
            RefKind::Node(n) => {
                if n.is_only_id() {
                    return Reference {
                        id: n.id,
                        embedded: None,
                    };
                }
                let id = n.id.clone();
                let embedded = if n.types.iter().any(|t| crate::actor::is_actor_type(t)) {
                    Embedded::Actor(Actor::from_node(n, info.clone()))
                } else if n.types.iter().any(|t| ActivityKind::from_type(t).is_some()) {
                    match Activity::from_node(n.clone(), info.clone()) {
                        Ok(a) => Embedded::Activity(a),
                        Err(_) => Embedded::Other(node_into_map(*n)),
                    }
                } else {
                    Embedded::Other(node_into_map(*n))
                };
                Reference {
                    id,
                    embedded: Some(Box::new(embedded)),
                }
            }
        }
    }

    /// Compact JSON: the bare IRI, or the embedded object.
    pub fn to_value(&self) -> Value {
        match self.embedded.as_deref() {
            None => self.id.clone().map_or(Value::Null, Value::String),
            Some(Embedded::Actor(a)) => a.to_value(),
            Some(Embedded::Activity(a)) => a.to_value(),
            Some(Embedded::Other(m)) => Value::Object(m.clone()),
        }
    }
}

/// Compact JSON for a list of references (a single one is not wrapped in an array).
pub(crate) fn refs_to_json(refs: &[Reference]) -> Option<Value> {
    match refs {
        [] => None,
        [one] => Some(one.to_value()),
        many => Some(Value::Array(many.iter().map(Reference::to_value).collect())),
    }
}
