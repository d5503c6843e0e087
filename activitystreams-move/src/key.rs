//! Public keys an actor publishes: Mastodon's `publicKey` (security/v1) and FEP-521a
//! `assertionMethod` Multikeys.

use serde_json::{Map, Value};

use crate::Members;
use crate::iris::Iris;
use crate::read::{Node, NodeRef, RefKind, mask_of, restore_except};
use crate::vocab::Field;

/// A `publicKey` entry (security/v1 `Key`): the key HTTP signatures are verified with.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PublicKey {
    /// Key id (`https://example.com/users/alice#main-key`): what `keyId` in a signature names.
    pub id: Option<String>,
    /// Types, if given (`Key`, `CryptographicKey`).
    pub types: Vec<String>,
    /// The actor that owns the key (must equal the actor's `id`).
    pub owner: Iris,
    /// The SPKI (or PKCS#1) PEM text.
    pub public_key_pem: Option<String>,
    /// Members not interpreted here.
    pub extra: Members,
}

/// An `assertionMethod` entry (FEP-521a `Multikey`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Multikey {
    /// Verification method id (`https://example.com/users/alice#ed25519-key`).
    pub id: Option<String>,
    /// Types (`Multikey`).
    pub types: Vec<String>,
    /// The controller (FEP-521a: MUST equal the actor's `id`).
    pub controller: Iris,
    /// The multibase (base58-btc, `z…`) public key.
    pub public_key_multibase: Option<String>,
    /// Members not interpreted here (`expires`, `revoked` …).
    pub extra: Members,
}

/// What the two key readers share: the id, the types and the uninterpreted members of a key
/// node, with every interpreted member that is not one of `own` moved back into `extra`.
struct KeyNode {
    id: Option<String>,
    types: Vec<String>,
    node: Box<Node>,
    extra: Members,
}

impl KeyNode {
    /// `own`: the two fields the key type models besides `id`/`type`; every other member
    /// (the other key type's included) goes back to `extra`.
    fn read(mut node: Box<Node>, own: [Field; 2]) -> KeyNode {
        let mut extra = std::mem::take(&mut node.extra);
        let keep = mask_of(&[Field::Id, Field::Type]) | mask_of(&own);
        restore_except(&mut node, keep, &mut extra);
        KeyNode {
            id: node.id.take(),
            types: std::mem::take(&mut node.types),
            node,
            extra,
        }
    }
}

/// Compact JSON shared by both key types: the bare id for a reference, else an object with
/// `id`, `type`, the two modelled members and the rest.
fn key_to_value(
    id: &Option<String>,
    types: &[String],
    is_reference: bool,
    own: [(&str, Option<Value>); 2],
    extra: &Members,
) -> Value {
    if is_reference && types.is_empty() && extra.is_empty() {
        return id.clone().map_or(Value::Null, Value::String);
    }
    let mut m = Map::new();
    crate::common::put_head(&mut m, None, id, types);
    for (k, v) in own {
        if let Some(v) = v {
            m.insert(k.into(), v);
        }
    }
    extra.fill(&mut m);
    Value::Object(m)
}

impl PublicKey {
    pub(crate) fn from_ref(r: NodeRef) -> PublicKey {
        match r.into_kind() {
            RefKind::Iri(id) => PublicKey {
                id: Some(id),
                ..PublicKey::default()
            },
            RefKind::Node(n) => {
                let mut k = KeyNode::read(n, [Field::Owner, Field::PublicKeyPem]);
                PublicKey {
                    id: k.id,
                    types: k.types,
                    owner: std::mem::take(&mut k.node.owner),
                    public_key_pem: k.node.public_key_pem.take(),
                    extra: k.extra,
                }
            }
        }
    }

    /// Whether only the id was given (the key must be dereferenced).
    pub fn is_reference(&self) -> bool {
        self.public_key_pem.is_none() && self.owner.is_empty()
    }

    /// Compact JSON.
    pub fn to_value(&self) -> Value {
        key_to_value(
            &self.id,
            &self.types,
            self.is_reference(),
            [
                ("owner", self.owner.to_json()),
                (
                    "publicKeyPem",
                    self.public_key_pem.clone().map(Value::String),
                ),
            ],
            &self.extra,
        )
    }
}

impl Multikey {
    pub(crate) fn from_ref(r: NodeRef) -> Multikey {
        match r.into_kind() {
            RefKind::Iri(id) => Multikey {
                id: Some(id),
                ..Multikey::default()
            },
            RefKind::Node(n) => {
                let mut k = KeyNode::read(n, [Field::Controller, Field::PublicKeyMultibase]);
                Multikey {
                    id: k.id,
                    types: k.types,
                    controller: std::mem::take(&mut k.node.controller),
                    public_key_multibase: k.node.public_key_multibase.take(),
                    extra: k.extra,
                }
            }
        }
    }

    /// Whether only the id was given (a reference to a key published elsewhere).
    pub fn is_reference(&self) -> bool {
        self.public_key_multibase.is_none() && self.controller.is_empty()
    }

    /// Compact JSON.
    pub fn to_value(&self) -> Value {
        key_to_value(
            &self.id,
            &self.types,
            self.is_reference(),
            [
                ("controller", self.controller.to_json()),
                (
                    "publicKeyMultibase",
                    self.public_key_multibase.clone().map(Value::String),
                ),
            ],
            &self.extra,
        )
    }
}
