//! Evidence read from one actor document: its `alsoKnownAs`, `movedTo` and `copiedTo` claims.

use serde_json::Value;

use super::evidence::Evidence;
use crate::also_known_as::{
    AliasError, AliasLimits, also_known_as, canonical_id, copied_to, moved_to,
};

/// Error reading claims from an actor document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClaimsError {
    /// The document has no usable `id`.
    #[error(transparent)]
    Alias(#[from] AliasError),
    /// The document's `id` is not the URL it was fetched from, so its claims are not the
    /// actor's own (spec §4.3 safety rail 1).
    #[error("document id {id} was not fetched from its own id ({fetched_from})")]
    NotFromOwnId {
        /// The document's canonical `id`.
        id: String,
        /// Where it was fetched from.
        fetched_from: String,
    },
}

impl ClaimsError {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            ClaimsError::Alias(e) => e.kind(),
            ClaimsError::NotFromOwnId { .. } => "not_from_own_id",
        }
    }
}

/// The claims an actor document makes about itself, as graph evidence: one
/// [`Evidence::AlsoKnownAs`] per alias (see [`also_known_as`]), plus [`Evidence::MovedTo`] and
/// [`Evidence::CopiedTo`]. `fetched_from` is the URL the document was fetched from (after
/// redirects); it must equal the document's `id` (both canonicalised).
pub fn claims_from_actor(
    actor: &Value,
    fetched_from: &str,
    limits: &AliasLimits,
) -> Result<Vec<Evidence>, ClaimsError> {
    let aliases = also_known_as(actor, limits)?;
    if canonical_id(fetched_from).as_deref() != Some(aliases.id.as_str()) {
        return Err(ClaimsError::NotFromOwnId {
            id: aliases.id,
            fetched_from: fetched_from.chars().take(200).collect(),
        });
    }
    let id: std::sync::Arc<str> = aliases.id.as_str().into();
    let mut out: Vec<Evidence> = aliases
        .entries
        .iter()
        .map(|to| Evidence::AlsoKnownAs {
            from: id.clone(),
            to: to.as_str().into(),
        })
        .collect();
    if let Some(to) = moved_to(actor) {
        out.push(Evidence::MovedTo {
            from: id.clone(),
            to: to.into(),
        });
    }
    if let Some(to) = copied_to(actor) {
        out.push(Evidence::CopiedTo {
            from: id,
            to: to.into(),
        });
    }
    Ok(out)
}
