//! Builders for `Move`, `Follow`, `Undo`, `Accept`, `Reject` and `Update` in the shape real
//! servers accept (move.md §6: `id`, bare IRIs, `to` Public + `cc` followers per FEP-7628).

use serde_json::Value;

use super::context::AS_CONTEXT;
use crate::iris::Iris;
use crate::read::ReadInfo;
use crate::reference::{Embedded, Reference};
use crate::vocab::PUBLIC;
use crate::{Activity, ActivityKind, Actor};

fn base(kind: ActivityKind, id: String, actor: String) -> Activity {
    Activity {
        kind,
        context: Some(Value::String(AS_CONTEXT.into())),
        id: Some(id),
        types: vec![kind.as_str().to_string()],
        actor: vec![Reference::iri(actor)],
        object: Vec::new(),
        target: Vec::new(),
        origin: Vec::new(),
        to: Iris::absent(),
        cc: Iris::absent(),
        bto: Iris::absent(),
        bcc: Iris::absent(),
        audience: Iris::absent(),
        extra: crate::Members::new(),
        read_info: ReadInfo::default(),
    }
}

/// Builds a FEP-7628 `Move`.
///
/// ```
/// use activitystreams_move::{MoveBuilder, validate_activity};
///
/// let mv = MoveBuilder::push(
///     "https://old.example/users/alice#moves/1",
///     "https://old.example/users/alice",
///     "https://new.example/users/alice",
/// )
/// .followers("https://old.example/users/alice/followers")
/// .build();
/// assert!(validate_activity(&mv).is_empty());
/// let json = mv.to_value();
/// assert_eq!(json["to"], "https://www.w3.org/ns/activitystreams#Public");
/// assert_eq!(json["cc"], "https://old.example/users/alice/followers");
/// assert_eq!(json["object"], "https://old.example/users/alice");
/// ```
#[derive(Debug, Clone)]
pub struct MoveBuilder {
    id: String,
    actor: String,
    origin: String,
    target: String,
    followers: Option<String>,
    public: bool,
}

impl MoveBuilder {
    /// Push mode: the old actor (`actor` = `object` = `origin`) announces the move to `target`.
    pub fn push(
        id: impl Into<String>,
        origin: impl Into<String>,
        target: impl Into<String>,
    ) -> Self {
        let origin = origin.into();
        MoveBuilder {
            id: id.into(),
            actor: origin.clone(),
            origin,
            target: target.into(),
            followers: None,
            public: true,
        }
    }

    /// Pull mode: the new actor (`actor` = `target`) moves `origin`'s followers to itself.
    pub fn pull(
        id: impl Into<String>,
        origin: impl Into<String>,
        target: impl Into<String>,
    ) -> Self {
        let target = target.into();
        MoveBuilder {
            id: id.into(),
            actor: target.clone(),
            origin: origin.into(),
            target,
            followers: None,
            public: true,
        }
    }

    /// The sending actor's followers collection, put in `cc` (FEP-7628: push addresses the old
    /// actor's followers, pull the new actor's).
    pub fn followers(mut self, followers: impl Into<String>) -> Self {
        self.followers = Some(followers.into());
        self
    }

    /// Whether to put the public collection in `to` (default `true`, as the FEP's examples;
    /// no surveyed receiver inspects addressing, move.md §1.5 #27).
    pub fn public(mut self, public: bool) -> Self {
        self.public = public;
        self
    }

    /// The activity.
    pub fn build(self) -> Activity {
        let mut a = base(ActivityKind::Move, self.id, self.actor);
        a.object = vec![Reference::iri(self.origin)];
        a.target = vec![Reference::iri(self.target)];
        if self.public {
            a.to = Iris::one(PUBLIC);
        }
        if let Some(f) = self.followers {
            if self.public {
                a.cc = Iris::one(f);
            } else {
                a.to = Iris::one(f);
            }
        }
        a
    }
}

/// Builds a `Follow` of `object` by `actor`, addressed to the followed actor.
pub fn follow(
    id: impl Into<String>,
    actor: impl Into<String>,
    object: impl Into<String>,
) -> Activity {
    let object = object.into();
    let mut a = base(ActivityKind::Follow, id.into(), actor.into());
    a.to = Iris::one(object.clone());
    a.object = vec![Reference::iri(object)];
    a
}

fn wrapping(kind: ActivityKind, id: String, actor: String, inner: Activity) -> Activity {
    let mut a = base(kind, id, actor);
    let mut inner = inner;
    // The embedded activity inherits the outer context.
    inner.context = None;
    let to: Option<String> = match kind {
        // Undo(Follow) goes to the formerly followed actor; Accept/Reject to the follower.
        ActivityKind::Undo => inner.object_id().map(str::to_string),
        _ => inner.actor_id().map(str::to_string),
    };
    if let Some(to) = to {
        a.to = Iris::one(to);
    }
    a.object = vec![Reference {
        id: inner.id.clone(),
        embedded: Some(Box::new(Embedded::Activity(inner))),
    }];
    a
}

/// Builds an `Undo` of an activity (typically the old `Follow`, after re-following the target).
pub fn undo(id: impl Into<String>, actor: impl Into<String>, activity: Activity) -> Activity {
    wrapping(ActivityKind::Undo, id.into(), actor.into(), activity)
}

/// Builds an `Accept` of a `Follow`.
pub fn accept(id: impl Into<String>, actor: impl Into<String>, follow: Activity) -> Activity {
    wrapping(ActivityKind::Accept, id.into(), actor.into(), follow)
}

/// Builds a `Reject` of a `Follow`.
pub fn reject(id: impl Into<String>, actor: impl Into<String>, follow: Activity) -> Activity {
    wrapping(ActivityKind::Reject, id.into(), actor.into(), follow)
}

/// Builds an `Update` of an actor document (FEP-7628 SHOULD after setting
/// `movedTo`/`copiedTo`), addressed to the public and the actor's followers.
pub fn update_actor(id: impl Into<String>, actor: &Actor) -> Activity {
    let actor_id = actor.id.clone().unwrap_or_default();
    let mut a = base(ActivityKind::Update, id.into(), actor_id.clone());
    a.context = actor.context.clone().or(a.context);
    a.to = Iris::one(PUBLIC);
    if let Some(f) = actor.followers() {
        a.cc = Iris::one(f);
    }
    let mut inner = actor.clone();
    inner.context = None;
    a.object = vec![Reference {
        id: Some(actor_id),
        embedded: Some(Box::new(Embedded::Actor(inner))),
    }];
    a
}
