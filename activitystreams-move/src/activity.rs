//! Activities of the migration family: `Move`, `Follow`, `Undo`, `Accept`, `Reject`, `Update`.

use serde::{Serialize, Serializer};
use serde_json::{Map, Value};

use crate::iris::Iris;
use crate::read::{Node, ReadInfo, mask_of, read_slice, read_value, restore_except};
use crate::reference::{Reference, refs_to_json};
use crate::vocab::Field;
use crate::{ContextRegistry, Error, Members, ReadOptions};

/// The activity types this crate models.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ActivityKind {
    /// `Move` (FEP-7628).
    Move,
    /// `Follow`.
    Follow,
    /// `Undo` (of a `Follow`, after re-following).
    Undo,
    /// `Accept` (of a `Follow`).
    Accept,
    /// `Reject` (of a `Follow`).
    Reject,
    /// `Update` (of an actor, after setting `movedTo`/`copiedTo`; FEP-7628 SHOULD).
    Update,
}

impl ActivityKind {
    /// The kind named by a (short) type name.
    pub fn from_type(t: &str) -> Option<ActivityKind> {
        Some(match t {
            "Move" => ActivityKind::Move,
            "Follow" => ActivityKind::Follow,
            "Undo" => ActivityKind::Undo,
            "Accept" => ActivityKind::Accept,
            "Reject" => ActivityKind::Reject,
            "Update" => ActivityKind::Update,
            _ => return None,
        })
    }

    /// The type name.
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityKind::Move => "Move",
            ActivityKind::Follow => "Follow",
            ActivityKind::Undo => "Undo",
            ActivityKind::Accept => "Accept",
            ActivityKind::Reject => "Reject",
            ActivityKind::Update => "Update",
        }
    }
}

/// Which side sent a Move (FEP-7628 §Move: push = sent by the old actor, pull = by the new one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MoveMode {
    /// `actor == object`: the old actor announces the move.
    Push,
    /// `actor == target`: the new actor pulls its followers (only Mitra accepts this, move.md E3).
    Pull,
    /// Neither: malformed (or `actor`/`object`/`target` missing or not single).
    Neither,
}

/// An activity of one of the [`ActivityKind`]s.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    /// The modelled kind (from `type`).
    pub kind: ActivityKind,
    /// `@context` as received.
    pub context: Option<Value>,
    /// `id`.
    pub id: Option<String>,
    /// `type`, normalised (`Move`).
    pub types: Vec<String>,
    /// `actor`.
    pub actor: Vec<Reference>,
    /// `object`.
    pub object: Vec<Reference>,
    /// `target`.
    pub target: Vec<Reference>,
    /// `origin` (unused by every surveyed server, move.md §1.1 #1).
    pub origin: Vec<Reference>,
    /// `to`.
    pub to: Iris,
    /// `cc`.
    pub cc: Iris,
    /// `bto`.
    pub bto: Iris,
    /// `bcc`.
    pub bcc: Iris,
    /// `audience`.
    pub audience: Iris,
    /// Members not interpreted here, verbatim.
    pub extra: Members,
    /// How the document was read.
    pub read_info: ReadInfo,
}

/// The members an activity models; the others (an actor's, a key's) go back to `extra`.
const ACTIVITY_MEMBERS: u64 = mask_of(&[
    Field::Id,
    Field::Type,
    Field::Actor,
    Field::Object,
    Field::Target,
    Field::Origin,
    Field::To,
    Field::Cc,
    Field::Bto,
    Field::Bcc,
    Field::Audience,
]);

crate::common::document_accessors!(Activity);

fn single(refs: &[Reference]) -> Option<&str> {
    match refs {
        [one] => one.id(),
        _ => None,
    }
}

impl Activity {
    /// Reads an activity from JSON bytes, context guard included. A `type` outside
    /// [`ActivityKind`] is an `unexpected_type` error.
    ///
    /// ```
    /// use activitystreams_move::{Activity, MoveMode, ReadOptions};
    ///
    /// let doc = br#"{
    ///   "@context": "https://www.w3.org/ns/activitystreams",
    ///   "id": "https://old.example/users/alice#moves/1",
    ///   "type": "Move",
    ///   "actor": "https://old.example/users/alice",
    ///   "object": {"id": "https://old.example/users/alice"},
    ///   "target": "https://new.example/users/alice"
    /// }"#;
    /// let activity = Activity::from_slice(doc, &ReadOptions::default()).unwrap();
    /// let mv = activity.as_move().unwrap();
    /// assert_eq!(mv.mode(), MoveMode::Push);
    /// assert_eq!(mv.target(), Some("https://new.example/users/alice"));
    /// ```
    pub fn from_slice(bytes: &[u8], options: &ReadOptions) -> Result<Activity, Error> {
        Activity::read_bytes(bytes, options, None)
    }

    /// Like [`Activity::from_slice`], with context documents the caller fetched and registered
    /// (remote `@context` URLs beyond the bundled set, judged by the guard like inline ones).
    pub fn from_slice_with(
        bytes: &[u8],
        options: &ReadOptions,
        contexts: &ContextRegistry,
    ) -> Result<Activity, Error> {
        Activity::read_bytes(bytes, options, Some(contexts))
    }

    fn read_bytes(
        bytes: &[u8],
        options: &ReadOptions,
        registry: Option<&ContextRegistry>,
    ) -> Result<Activity, Error> {
        let read = read_slice(bytes, options, registry);
        let out = crate::slow_path::with_fallback(read, options, registry, || {
            serde_json::from_slice(bytes).ok()
        })?;
        Activity::from_node(out.node, out.info)
    }

    /// Reads an activity from a parsed JSON value.
    pub fn from_value(value: &Value, options: &ReadOptions) -> Result<Activity, Error> {
        Activity::read_parsed(value, options, None)
    }

    /// Like [`Activity::from_value`], with caller-registered context documents.
    pub fn from_value_with(
        value: &Value,
        options: &ReadOptions,
        contexts: &ContextRegistry,
    ) -> Result<Activity, Error> {
        Activity::read_parsed(value, options, Some(contexts))
    }

    fn read_parsed(
        value: &Value,
        options: &ReadOptions,
        registry: Option<&ContextRegistry>,
    ) -> Result<Activity, Error> {
        let read = read_value(value, options, registry);
        let out = crate::slow_path::with_fallback(read, options, registry, || Some(value.clone()))?;
        Activity::from_node(out.node, out.info)
    }

    pub(crate) fn from_node(mut n: Box<Node>, read_info: ReadInfo) -> Result<Activity, Error> {
        let mut kinds = n.types.iter().filter_map(|t| ActivityKind::from_type(t));
        let kind = match (kinds.next(), kinds.next()) {
            (Some(one), None) => one,
            _ => {
                return Err(Error::UnexpectedType {
                    at: "/type".to_string(),
                    found: n.types.join(","),
                });
            }
        };
        let mut extra = std::mem::take(&mut n.extra);
        restore_except(&mut n, ACTIVITY_MEMBERS, &mut extra);
        let refs = |v: Vec<crate::read::NodeRef>, info: &ReadInfo| -> Vec<Reference> {
            v.into_iter()
                .map(|r| Reference::from_ref(r, info))
                .collect()
        };
        let actor = refs(std::mem::take(&mut n.actor), &read_info);
        let object = refs(std::mem::take(&mut n.object), &read_info);
        let target = refs(std::mem::take(&mut n.target), &read_info);
        let origin = refs(std::mem::take(&mut n.origin), &read_info);
        Ok(Activity {
            kind,
            context: n.context,
            id: n.id,
            types: n.types,
            actor,
            object,
            target,
            origin,
            to: n.to,
            cc: n.cc,
            bto: n.bto,
            bcc: n.bcc,
            audience: n.audience,
            extra,
            read_info,
        })
    }

    /// The actor's id when there is exactly one actor.
    pub fn actor_id(&self) -> Option<&str> {
        single(&self.actor)
    }

    /// The object's id when there is exactly one object.
    pub fn object_id(&self) -> Option<&str> {
        single(&self.object)
    }

    /// The target's id when there is exactly one target.
    pub fn target_id(&self) -> Option<&str> {
        single(&self.target)
    }

    /// A Move view, when this is a `Move`.
    pub fn as_move(&self) -> Option<MoveView<'_>> {
        (self.kind == ActivityKind::Move).then_some(MoveView { activity: self })
    }

    /// Whether `to`, `cc` or `audience` names the public collection (any spelling).
    pub fn is_public(&self) -> bool {
        self.to
            .iter()
            .chain(self.cc.iter())
            .chain(self.audience.iter())
            .any(crate::vocab::is_public)
    }

    /// Compact JSON.
    pub fn to_value(&self) -> Value {
        let mut m = Map::new();
        crate::common::put_head(&mut m, self.context.as_ref(), &self.id, &self.types);
        let refs: [(&str, &[Reference]); 4] = [
            ("actor", &self.actor),
            ("object", &self.object),
            ("target", &self.target),
            ("origin", &self.origin),
        ];
        for (k, v) in refs {
            if let Some(v) = refs_to_json(v) {
                m.insert(k.into(), v);
            }
        }
        let iris: [(&str, &Iris); 5] = [
            ("to", &self.to),
            ("cc", &self.cc),
            ("bto", &self.bto),
            ("bcc", &self.bcc),
            ("audience", &self.audience),
        ];
        for (k, v) in iris {
            if let Some(v) = v.to_json() {
                m.insert(k.into(), v);
            }
        }
        self.extra.fill(&mut m);
        Value::Object(m)
    }
}

impl Serialize for Activity {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.to_value().serialize(s)
    }
}

/// A `Move` seen through FEP-7628's vocabulary.
#[derive(Debug, Clone, Copy)]
pub struct MoveView<'a> {
    activity: &'a Activity,
}

impl<'a> MoveView<'a> {
    /// The whole activity.
    pub fn activity(&self) -> &'a Activity {
        self.activity
    }

    /// The actor performing the move.
    pub fn actor(&self) -> Option<&'a str> {
        self.activity.actor_id()
    }

    /// The old primary actor (`object`).
    pub fn origin(&self) -> Option<&'a str> {
        self.activity.object_id()
    }

    /// The new primary actor (`target`).
    pub fn target(&self) -> Option<&'a str> {
        self.activity.target_id()
    }

    /// Push (`actor == object`), pull (`actor == target`) or neither.
    pub fn mode(&self) -> MoveMode {
        match (self.actor(), self.origin(), self.target()) {
            (Some(a), Some(o), Some(t)) if a == o && o != t => MoveMode::Push,
            (Some(a), Some(o), Some(t)) if a == t && o != t => MoveMode::Pull,
            _ => MoveMode::Neither,
        }
    }

    /// The idempotency key real servers use: (origin, target), not the activity id (GtS
    /// `GetOrCreateMove`, move.md E11).
    pub fn idempotency_key(&self) -> Option<(&'a str, &'a str)> {
        Some((self.origin()?, self.target()?))
    }
}
