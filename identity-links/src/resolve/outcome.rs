//! What a resolution ends with.

use crate::persona::{Evidence, Persona};
use crate::rel_me::MatchRule;

/// How the starting point names the first actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Anchor {
    /// The handle's WebFinger document has a `self` link to the actor.
    WebFinger {
        /// `acct:user@domain`.
        resource: String,
        /// The actor it names.
        actor: String,
    },
    /// The website links the actor with rel=me.
    RelMe {
        /// The site (as a [`site_key`](crate::rel_me::site_key)).
        site: String,
        /// The actor it links.
        actor: String,
        /// The element or header that carried the link.
        rule: MatchRule,
    },
}

/// How an actor links back to the starting point.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkBackVia {
    /// The actor lives on the handle's domain (or a subdomain of it): the domain speaks for it.
    SameDomain,
    /// A profile field links the site (the site's rel-me link makes it a verified rel-me pair).
    ProfileField,
    /// The actor's `alsoKnownAs` lists the site URL, the `acct:` URI, or a URL on the handle's
    /// domain.
    AlsoKnownAs,
}

/// Which actor links back, and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkBackProof {
    /// The actor (any member of the move chain).
    pub actor: String,
    /// How.
    pub via: LinkBackVia,
}

/// A successful resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolution {
    /// The current actor: the end of the confirmed `movedTo` chain.
    pub current: String,
    /// The chain from the actor the start names to `current` (length 1 when nobody moved).
    pub chain: Vec<String>,
    /// How the start names `chain[0]`.
    pub anchor: Anchor,
    /// How an actor of the chain links back to the start.
    pub link_back: LinkBackProof,
    /// Every piece of evidence read, sorted.
    pub evidence: Vec<Evidence>,
    /// The persona of `current` built from [`Resolution::evidence`].
    pub persona: Persona,
}

/// Why a resolution failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ResolveFailure {
    /// The start is neither `@user@domain` nor an `https` URL.
    #[error("invalid start: {reason}")]
    InvalidStart {
        /// Why.
        reason: String,
    },
    /// A URL to fetch is not `https` (or is otherwise refused by [`check_url`](crate::rel_me::check_url)).
    #[error("not https or not fetchable: {url}")]
    NotHttps {
        /// The URL.
        url: String,
    },
    /// The caller could not fetch a URL, or it answered with a status other than 200.
    #[error("fetching {url} failed: {reason}")]
    Fetch {
        /// The URL.
        url: String,
        /// The status, when there was a response.
        status: Option<u16>,
        /// What happened.
        reason: String,
    },
    /// The WebFinger document is not a JRD with a `self` link to an ActivityPub actor.
    #[error("WebFinger for {resource} names no actor: {reason}")]
    WebFingerNoActor {
        /// The resource asked for.
        resource: String,
        /// Why.
        reason: String,
    },
    /// A fetched actor document is unusable (not JSON, no id, …).
    #[error("bad actor document at {url}: {reason}")]
    BadActor {
        /// Where it came from.
        url: String,
        /// Why.
        reason: String,
    },
    /// A document's `id` is on another origin than the URL it came from.
    #[error("document from {url} claims id {id} on another origin")]
    ForeignId {
        /// Where it came from.
        url: String,
        /// Its `id`.
        id: String,
    },
    /// The website has no rel-me link to any actor.
    #[error("{site} has no rel-me link")]
    NoRelMeOnSite {
        /// The site.
        site: String,
    },
    /// The actor the start names is not the document found there (the site's rel-me href is
    /// neither the actor's `id` nor its `url`).
    #[error("{href} is not the id or url of the actor served there ({actor})")]
    SiteLinkMismatch {
        /// The site's href.
        href: String,
        /// The actor served.
        actor: String,
    },
    /// No actor of the chain links back to the start.
    #[error("no link back from {actors:?}")]
    NoLinkBack {
        /// The chain checked.
        actors: Vec<String>,
    },
    /// `from.movedTo == to` but `to.alsoKnownAs` does not list `from`.
    #[error("move {from} -> {to} not confirmed by the target's alsoKnownAs")]
    MoveNotConfirmed {
        /// The mover.
        from: String,
        /// The claimed target.
        to: String,
    },
    /// The `movedTo` chain comes back to an actor already visited.
    #[error("movedTo loop: {chain:?}")]
    MoveLoop {
        /// The chain up to and including the repeated actor.
        chain: Vec<String>,
    },
    /// More than [`ResolveConfig::max_moves`](super::ResolveConfig::max_moves) moves.
    #[error("movedTo chain longer than {limit}")]
    ChainTooLong {
        /// The limit.
        limit: usize,
    },
    /// Several rel-me candidates resolved to different current actors.
    #[error("ambiguous: {current:?}")]
    Ambiguous {
        /// The current actors found, sorted.
        current: Vec<String>,
    },
    /// Several candidates, none resolved; each one's failure.
    #[error("no candidate resolved")]
    NoCandidate {
        /// (candidate URL, its failure), in document order.
        failures: Vec<(String, ResolveFailure)>,
    },
}

impl ResolveFailure {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            ResolveFailure::InvalidStart { .. } => "invalid_start",
            ResolveFailure::NotHttps { .. } => "not_https",
            ResolveFailure::Fetch { .. } => "fetch",
            ResolveFailure::WebFingerNoActor { .. } => "webfinger_no_actor",
            ResolveFailure::BadActor { .. } => "bad_actor",
            ResolveFailure::ForeignId { .. } => "foreign_id",
            ResolveFailure::NoRelMeOnSite { .. } => "no_rel_me_on_site",
            ResolveFailure::SiteLinkMismatch { .. } => "site_link_mismatch",
            ResolveFailure::NoLinkBack { .. } => "no_link_back",
            ResolveFailure::MoveNotConfirmed { .. } => "move_not_confirmed",
            ResolveFailure::MoveLoop { .. } => "move_loop",
            ResolveFailure::ChainTooLong { .. } => "chain_too_long",
            ResolveFailure::Ambiguous { .. } => "ambiguous",
            ResolveFailure::NoCandidate { .. } => "no_candidate",
        }
    }
}
