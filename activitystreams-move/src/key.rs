//! Public keys an actor publishes: Mastodon's `publicKey` (security/v1) and FEP-521a
//! `assertionMethod` Multikeys.

use serde_json::{Map, Value};

use crate::iris::Iris;
use crate::read::{NodeRef, restore};
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
    pub extra: Map<String, Value>,
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
    pub extra: Map<String, Value>,
}

const NOT_KEY_FIELDS: &[Field] = &[
    Field::Actor,
    Field::Object,
    Field::Target,
    Field::Origin,
    Field::To,
    Field::Cc,
    Field::Bto,
    Field::Bcc,
    Field::Audience,
    Field::PreferredUsername,
    Field::Inbox,
    Field::Outbox,
    Field::Followers,
    Field::Following,
    Field::Endpoints,
    Field::SharedInbox,
    Field::PublicKey,
    Field::AssertionMethod,
    Field::AlsoKnownAs,
    Field::MovedTo,
    Field::CopiedTo,
    Field::Attachment,
    Field::Url,
    Field::Href,
    Field::ManuallyApprovesFollowers,
    Field::Deleted,
    Field::Suspended,
];

impl PublicKey {
    pub(crate) fn from_ref(r: NodeRef) -> PublicKey {
        match r {
            NodeRef::Iri(id) => PublicKey {
                id: Some(id),
                ..PublicKey::default()
            },
            NodeRef::Node(n) => {
                let mut n = n;
                let mut extra = std::mem::take(&mut n.extra);
                restore(&mut n, NOT_KEY_FIELDS, &mut extra);
                restore(
                    &mut n,
                    &[Field::Controller, Field::PublicKeyMultibase],
                    &mut extra,
                );
                PublicKey {
                    id: n.id,
                    types: n.types,
                    owner: n.owner,
                    public_key_pem: n.public_key_pem,
                    extra,
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
        if self.is_reference() && self.types.is_empty() && self.extra.is_empty() {
            return self.id.clone().map_or(Value::Null, Value::String);
        }
        let mut m = Map::new();
        if let Some(id) = &self.id {
            m.insert("id".into(), Value::String(id.clone()));
        }
        crate::actor::put_types(&mut m, &self.types);
        if let Some(o) = self.owner.to_json() {
            m.insert("owner".into(), o);
        }
        if let Some(p) = &self.public_key_pem {
            m.insert("publicKeyPem".into(), Value::String(p.clone()));
        }
        for (k, v) in &self.extra {
            m.entry(k.clone()).or_insert_with(|| v.clone());
        }
        Value::Object(m)
    }
}

impl Multikey {
    pub(crate) fn from_ref(r: NodeRef) -> Multikey {
        match r {
            NodeRef::Iri(id) => Multikey {
                id: Some(id),
                ..Multikey::default()
            },
            NodeRef::Node(n) => {
                let mut n = n;
                let mut extra = std::mem::take(&mut n.extra);
                restore(&mut n, NOT_KEY_FIELDS, &mut extra);
                restore(&mut n, &[Field::Owner, Field::PublicKeyPem], &mut extra);
                Multikey {
                    id: n.id,
                    types: n.types,
                    controller: n.controller,
                    public_key_multibase: n.public_key_multibase,
                    extra,
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
        if self.is_reference() && self.types.is_empty() && self.extra.is_empty() {
            return self.id.clone().map_or(Value::Null, Value::String);
        }
        let mut m = Map::new();
        if let Some(id) = &self.id {
            m.insert("id".into(), Value::String(id.clone()));
        }
        crate::actor::put_types(&mut m, &self.types);
        if let Some(c) = self.controller.to_json() {
            m.insert("controller".into(), c);
        }
        if let Some(p) = &self.public_key_multibase {
            m.insert("publicKeyMultibase".into(), Value::String(p.clone()));
        }
        for (k, v) in &self.extra {
            m.entry(k.clone()).or_insert_with(|| v.clone());
        }
        Value::Object(m)
    }
}
