//! Actors: the fields account migration needs, read tolerantly, everything else kept.

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::iris::Iris;
use crate::key::{Multikey, PublicKey};
use crate::read::{
    Node, NodeRef, ReadInfo, RefKind, mask_of, read_slice, read_value, restore_except,
};
use crate::vocab::Field;
use crate::{ContextRegistry, Error, Members, ReadOptions};

/// The actor types of ActivityStreams 2.0 §3.2 (Activity Vocabulary "Actor Types").
pub const ACTOR_TYPES: &[&str] = &["Person", "Service", "Group", "Organization", "Application"];

/// Whether `t` is one of [`ACTOR_TYPES`].
pub fn is_actor_type(t: &str) -> bool {
    ACTOR_TYPES.contains(&t)
}

/// An actor document (`Person`, `Service` …), possibly deactivated (`Tombstone` in its types,
/// FEP-e965) or moved (`movedTo`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Actor {
    /// `@context` as received (re-served unchanged).
    pub context: Option<Value>,
    /// `id`.
    pub id: Option<String>,
    /// `type`, guarded type names normalised to their short form (`Person`, `Tombstone`).
    pub types: Vec<String>,
    /// `preferredUsername`.
    pub preferred_username: Option<String>,
    /// `inbox` (`ldp:inbox`).
    pub inbox: Iris,
    /// `outbox`.
    pub outbox: Iris,
    /// `followers`.
    pub followers: Iris,
    /// `following`.
    pub following: Iris,
    /// `endpoints` (only `sharedInbox` is interpreted).
    pub endpoints: Option<Endpoints>,
    /// `publicKey` (Mastodon; one or many).
    pub public_keys: Vec<PublicKey>,
    /// `assertionMethod` (FEP-521a Multikeys).
    pub assertion_methods: Vec<Multikey>,
    /// `alsoKnownAs` (at most [`Limits::max_also_known_as`](crate::Limits) entries).
    pub also_known_as: Iris,
    /// `movedTo` (under `as:movedTo` or `https://w3id.org/fep/7628#movedTo`).
    pub moved_to: Iris,
    /// `copiedTo` (FEP-7628).
    pub copied_to: Iris,
    /// `attachment`, verbatim (profile fields, FEP-c390 identity proofs).
    pub attachment: Vec<Value>,
    /// `url` (strings, or `href` of Link objects).
    pub url: Iris,
    /// `manuallyApprovesFollowers`.
    pub manually_approves_followers: Option<bool>,
    /// `deleted` (`as:deleted`, an xsd:dateTime string; FEP-e965 SHOULD on Tombstones).
    pub deleted: Option<String>,
    /// `suspended` (Mastodon `toot:suspended`).
    pub suspended: Option<bool>,
    /// Members not interpreted here, verbatim.
    pub extra: Members,
    /// How the document was read.
    pub read_info: ReadInfo,
}

/// `endpoints`.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Endpoints {
    /// Set when `endpoints` was a bare IRI (or an object with only an id).
    pub id: Option<String>,
    /// `sharedInbox`.
    pub shared_inbox: Iris,
    /// Other members (`oauthAuthorizationEndpoint` …).
    pub extra: Members,
}

/// The members an actor models; the others (an activity's, a key's) go back to `extra`.
const ACTOR_MEMBERS: u64 = mask_of(&[
    Field::Id,
    Field::Type,
    Field::PreferredUsername,
    Field::Inbox,
    Field::Outbox,
    Field::Followers,
    Field::Following,
    Field::Endpoints,
    Field::PublicKey,
    Field::AssertionMethod,
    Field::AlsoKnownAs,
    Field::MovedTo,
    Field::CopiedTo,
    Field::Attachment,
    Field::Url,
    Field::ManuallyApprovesFollowers,
    Field::Deleted,
    Field::Suspended,
]);

crate::common::document_accessors!(Actor);

impl Actor {
    /// Reads an actor from JSON bytes, context guard included.
    ///
    /// ```
    /// use activitystreams_move::{Actor, ReadOptions};
    ///
    /// let doc = br#"{
    ///   "@context": ["https://www.w3.org/ns/activitystreams",
    ///                {"movedTo": {"@id": "as:movedTo", "@type": "@id"}}],
    ///   "id": "https://old.example/users/alice",
    ///   "type": "Person",
    ///   "inbox": "https://old.example/users/alice/inbox",
    ///   "alsoKnownAs": "https://new.example/users/alice",
    ///   "movedTo": "https://new.example/users/alice"
    /// }"#;
    /// let actor = Actor::from_slice(doc, &ReadOptions::default()).unwrap();
    /// assert_eq!(actor.moved_to(), Some("https://new.example/users/alice"));
    /// assert!(actor.also_known_as.contains("https://new.example/users/alice"));
    /// ```
    pub fn from_slice(bytes: &[u8], options: &ReadOptions) -> Result<Actor, Error> {
        Actor::read_bytes(bytes, options, None)
    }

    /// Like [`Actor::from_slice`], with context documents the caller fetched and registered
    /// (remote `@context` URLs beyond the bundled set, judged by the guard like inline ones).
    pub fn from_slice_with(
        bytes: &[u8],
        options: &ReadOptions,
        contexts: &ContextRegistry,
    ) -> Result<Actor, Error> {
        Actor::read_bytes(bytes, options, Some(contexts))
    }

    fn read_bytes(
        bytes: &[u8],
        options: &ReadOptions,
        registry: Option<&ContextRegistry>,
    ) -> Result<Actor, Error> {
        let read = read_slice(bytes, options, registry);
        let out = crate::slow_path::with_fallback(read, options, registry, || {
            serde_json::from_slice(bytes).ok()
        })?;
        Ok(Actor::from_node(out.node, out.info))
    }

    /// Reads an actor from a parsed JSON value.
    pub fn from_value(value: &Value, options: &ReadOptions) -> Result<Actor, Error> {
        Actor::read_parsed(value, options, None)
    }

    /// Like [`Actor::from_value`], with caller-registered context documents.
    pub fn from_value_with(
        value: &Value,
        options: &ReadOptions,
        contexts: &ContextRegistry,
    ) -> Result<Actor, Error> {
        Actor::read_parsed(value, options, Some(contexts))
    }

    fn read_parsed(
        value: &Value,
        options: &ReadOptions,
        registry: Option<&ContextRegistry>,
    ) -> Result<Actor, Error> {
        let read = read_value(value, options, registry);
        let out = crate::slow_path::with_fallback(read, options, registry, || Some(value.clone()))?;
        Ok(Actor::from_node(out.node, out.info))
    }

    pub(crate) fn from_node(mut n: Box<Node>, read_info: ReadInfo) -> Actor {
        let mut extra = std::mem::take(&mut n.extra);
        restore_except(&mut n, ACTOR_MEMBERS, &mut extra);
        let endpoints = std::mem::take(&mut n.endpoints)
            .into_iter()
            .next()
            .map(Endpoints::from_ref);
        let keys = std::mem::take(&mut n.public_key);
        let methods = std::mem::take(&mut n.assertion_method);
        Actor {
            context: n.context,
            id: n.id,
            types: n.types,
            preferred_username: n.preferred_username,
            inbox: n.inbox,
            outbox: n.outbox,
            followers: n.followers,
            following: n.following,
            endpoints,
            public_keys: keys.into_iter().map(PublicKey::from_ref).collect(),
            assertion_methods: methods.into_iter().map(Multikey::from_ref).collect(),
            also_known_as: n.also_known_as,
            moved_to: n.moved_to,
            copied_to: n.copied_to,
            attachment: n.attachment,
            url: n.url,
            manually_approves_followers: n.manually_approves_followers,
            deleted: n.deleted,
            suspended: n.suspended,
            extra,
            read_info,
        }
    }

    /// `inbox`, when it is a single IRI.
    pub fn inbox(&self) -> Option<&str> {
        self.inbox.single()
    }

    /// `endpoints.sharedInbox`, when it is a single IRI.
    pub fn shared_inbox(&self) -> Option<&str> {
        self.endpoints
            .as_ref()
            .and_then(|e| e.shared_inbox.single())
    }

    /// `followers`, when it is a single IRI.
    pub fn followers(&self) -> Option<&str> {
        self.followers.single()
    }

    /// `movedTo` when it holds exactly one IRI (FEP-e965: a string or a one-element array).
    pub fn moved_to(&self) -> Option<&str> {
        self.moved_to.single()
    }

    /// Whether `Tombstone` is among the types (FEP-e965: intentionally deactivated).
    pub fn is_tombstone(&self) -> bool {
        self.has_type("Tombstone")
    }

    /// Whether the actor should be treated as inactive: Tombstone, `movedTo` present (FEP-e965:
    /// "`movedTo` without Tombstone SHOULD still be treated as deactivated") or `suspended`.
    pub fn is_inactive(&self) -> bool {
        self.is_tombstone() || self.moved_to.is_present() || self.suspended == Some(true)
    }

    /// Compact JSON: interpreted members under their short names, then every other member as
    /// received.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        crate::common::put_head(&mut m, self.context.as_ref(), &self.id, &self.types);
        if let Some(u) = &self.preferred_username {
            m.insert("preferredUsername".into(), Value::String(u.clone()));
        }
        let iris: [(&str, &Iris); 4] = [
            ("inbox", &self.inbox),
            ("outbox", &self.outbox),
            ("followers", &self.followers),
            ("following", &self.following),
        ];
        for (k, v) in iris {
            if let Some(v) = v.to_json() {
                m.insert(k.into(), v);
            }
        }
        if let Some(e) = &self.endpoints {
            m.insert("endpoints".into(), e.to_value());
        }
        match self.public_keys.as_slice() {
            [] => {}
            [one] => {
                m.insert("publicKey".into(), one.to_value());
            }
            many => {
                m.insert(
                    "publicKey".into(),
                    Value::Array(many.iter().map(PublicKey::to_value).collect()),
                );
            }
        }
        if !self.assertion_methods.is_empty() {
            m.insert(
                "assertionMethod".into(),
                Value::Array(
                    self.assertion_methods
                        .iter()
                        .map(Multikey::to_value)
                        .collect(),
                ),
            );
        }
        let iris: [(&str, &Iris); 4] = [
            ("alsoKnownAs", &self.also_known_as),
            ("movedTo", &self.moved_to),
            ("copiedTo", &self.copied_to),
            ("url", &self.url),
        ];
        for (k, v) in iris {
            if let Some(v) = v.to_json() {
                m.insert(k.into(), v);
            }
        }
        if !self.attachment.is_empty() {
            m.insert("attachment".into(), Value::Array(self.attachment.clone()));
        }
        if let Some(b) = self.manually_approves_followers {
            m.insert("manuallyApprovesFollowers".into(), Value::Bool(b));
        }
        if let Some(d) = &self.deleted {
            m.insert("deleted".into(), Value::String(d.clone()));
        }
        if let Some(s) = self.suspended {
            m.insert("suspended".into(), Value::Bool(s));
        }
        self.extra.fill(&mut m);
        Value::Object(m)
    }
}

impl Serialize for Actor {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(s)
    }
}

impl Endpoints {
    fn from_ref(r: NodeRef) -> Endpoints {
        match r.into_kind() {
            RefKind::Iri(id) => Endpoints {
                id: Some(id),
                ..Endpoints::default()
            },
            RefKind::Node(n) => {
                let mut n = n;
                let mut extra = std::mem::take(&mut n.extra);
                restore_except(
                    &mut n,
                    mask_of(&[Field::Id, Field::SharedInbox]),
                    &mut extra,
                );
                Endpoints {
                    id: n.id,
                    shared_inbox: n.shared_inbox,
                    extra,
                }
            }
        }
    }

    /// Compact JSON.
    pub fn to_value(&self) -> Value {
        if self.shared_inbox.is_empty()
            && self.extra.is_empty()
            && let Some(id) = &self.id
        {
            return Value::String(id.clone());
        }
        let mut m = Map::new();
        if let Some(id) = &self.id {
            m.insert("id".into(), Value::String(id.clone()));
        }
        if let Some(v) = self.shared_inbox.to_json() {
            m.insert("sharedInbox".into(), v);
        }
        self.extra.fill(&mut m);
        Value::Object(m)
    }
}
