//! The adapters' error type.

/// Why an adapter could not produce a fact.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum AdaptError {
    /// The document did not parse, or the context guard refused it (the parser's own error,
    /// with its JSON Pointer).
    #[error(transparent)]
    Parse(#[from] activitystreams_move::Error),
    /// The activity is not a `Move`.
    #[error("not a Move activity: {found}")]
    NotAMove {
        /// The activity kind that was found.
        found: &'static str,
    },
    /// The actor document has no `id`.
    #[error("actor document has no id")]
    MissingActorId,
    /// The key id is not a key of this actor: not in `publicKey` with `owner` equal to the
    /// actor id, nor in `assertionMethod` with `controller` equal to the actor id.
    #[error("key {key_id} is not owned by {actor_id}")]
    KeyNotOwned {
        /// The key id that signed.
        key_id: String,
        /// The actor whose document was consulted.
        actor_id: String,
    },
    /// The key material in the actor document could not be read.
    #[error("unreadable key {key_id}: {reason}")]
    BadKey {
        /// The key id.
        key_id: String,
        /// Why (the key parser's error kind).
        reason: &'static str,
    },
}

impl AdaptError {
    /// Stable snake_case code (for [`AdaptError::Parse`], the parser's own kind).
    pub fn kind(&self) -> &'static str {
        match self {
            AdaptError::Parse(e) => e.kind(),
            AdaptError::NotAMove { .. } => "not_a_move",
            AdaptError::MissingActorId => "missing_actor_id",
            AdaptError::KeyNotOwned { .. } => "key_not_owned",
            AdaptError::BadKey { .. } => "bad_key",
        }
    }
}
