//! Setting an actor's migration fields (`alsoKnownAs`, `movedTo`, `copiedTo`) with a matching
//! `@context`.

use super::context::{MovedToContext, with_migration_terms};
use crate::Actor;
use crate::iris::Iris;

/// Edits an actor's migration fields and keeps its `@context` consistent.
///
/// ```
/// use activitystreams_move::{Actor, MigrationFields, MovedToContext, ReadOptions};
///
/// let mut actor = Actor::default();
/// actor.id = Some("https://old.example/users/alice".into());
/// MigrationFields::new(MovedToContext::Mastodon)
///     .also_known_as(["https://new.example/users/alice"])
///     .moved_to("https://new.example/users/alice")
///     .apply(&mut actor);
/// let json = serde_json::to_vec(&actor).unwrap();
/// let back = Actor::from_slice(&json, &ReadOptions::strict()).unwrap();
/// assert_eq!(back.moved_to(), Some("https://new.example/users/alice"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct MigrationFields {
    style: MovedToContext,
    also_known_as: Option<Vec<String>>,
    moved_to: Option<Option<String>>,
    copied_to: Option<Vec<String>>,
    tombstone: bool,
}

impl MigrationFields {
    /// Starts an edit with the given context style.
    pub fn new(style: MovedToContext) -> Self {
        MigrationFields {
            style,
            ..MigrationFields::default()
        }
    }

    /// Replaces `alsoKnownAs` (emitted as an array, which every reader accepts).
    pub fn also_known_as<I: IntoIterator<Item = S>, S: Into<String>>(mut self, aliases: I) -> Self {
        self.also_known_as = Some(aliases.into_iter().map(Into::into).collect());
        self
    }

    /// Sets `movedTo` (a bare string: FEP-e965 functional property) and removes `copiedTo`
    /// (both MUST NOT be present).
    pub fn moved_to(mut self, target: impl Into<String>) -> Self {
        self.moved_to = Some(Some(target.into()));
        self.copied_to = Some(Vec::new());
        self
    }

    /// Removes `movedTo` (a cancelled redirect).
    pub fn clear_moved_to(mut self) -> Self {
        self.moved_to = Some(None);
        self
    }

    /// Sets `copiedTo` (the old actor stays active: `movedTo` and `Tombstone` are removed,
    /// FEP-7628 §copiedTo, FEP-e965).
    pub fn copied_to<I: IntoIterator<Item = S>, S: Into<String>>(mut self, targets: I) -> Self {
        self.copied_to = Some(targets.into_iter().map(Into::into).collect());
        self.moved_to = Some(None);
        self
    }

    /// Also marks the actor deactivated: `Tombstone` added to its types (FEP-e965), `copiedTo`
    /// removed.
    pub fn tombstone(mut self) -> Self {
        self.tombstone = true;
        self.copied_to = Some(Vec::new());
        self
    }

    /// Applies the edit.
    pub fn apply(self, actor: &mut Actor) {
        if let Some(aka) = self.also_known_as {
            actor.also_known_as = Iris::many(aka);
        }
        if let Some(m) = self.moved_to {
            actor.moved_to = m.map_or_else(Iris::absent, Iris::one);
        }
        if let Some(c) = self.copied_to {
            actor.copied_to = if c.is_empty() {
                Iris::absent()
            } else {
                Iris::many(c)
            };
        }
        if actor.copied_to.is_present() {
            actor.types.retain(|t| t != "Tombstone");
        }
        if self.tombstone && !actor.is_tombstone() {
            if actor.types.is_empty() {
                actor.types.push("Person".into());
            }
            actor.types.push("Tombstone".into());
        }
        // Remove spellings of the same members from the unknown members, so that the document
        // cannot carry two values.
        for key in [
            "as:movedTo",
            "https://www.w3.org/ns/activitystreams#movedTo",
            "https://w3id.org/fep/7628#movedTo",
            "as:alsoKnownAs",
            "https://www.w3.org/ns/activitystreams#alsoKnownAs",
            "https://w3id.org/fep/7628#copiedTo",
        ] {
            actor.extra.remove(key);
        }
        actor.context = Some(with_migration_terms(
            actor.context.as_ref(),
            self.style,
            actor.copied_to.is_present(),
        ));
    }
}
