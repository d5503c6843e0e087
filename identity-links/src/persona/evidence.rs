//! Nodes and evidence of the persona graph (spec `identity-links.md` §4.3).

use std::fmt;
use std::sync::Arc;

/// The kind of a graph node. The order (`Actor < Did < Site`) is the output order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NodeKind {
    /// An ActivityPub actor, by canonical `id` (never its HTML `url`).
    Actor,
    /// A DID, without fragment.
    Did,
    /// A website, by [`site_key`](crate::rel_me::site_key).
    Site,
}

impl NodeKind {
    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Actor => "actor",
            NodeKind::Did => "did",
            NodeKind::Site => "site",
        }
    }
}

/// A node: its kind and identifier.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Node {
    /// The kind.
    pub kind: NodeKind,
    /// The canonical identifier (shared with the evidence it came from; cloning is cheap).
    pub id: Arc<str>,
}

impl Node {
    /// An actor node.
    pub fn actor(id: impl Into<Arc<str>>) -> Self {
        Node {
            kind: NodeKind::Actor,
            id: id.into(),
        }
    }
    /// A DID node.
    pub fn did(id: impl Into<Arc<str>>) -> Self {
        Node {
            kind: NodeKind::Did,
            id: id.into(),
        }
    }
    /// A site node.
    pub fn site(id: impl Into<Arc<str>>) -> Self {
        Node {
            kind: NodeKind::Site,
            id: id.into(),
        }
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind.as_str(), self.id)
    }
}

/// One piece of evidence. Identifiers are `Arc<str>` so that reports can share them with the
/// input instead of copying (`"…".into()` or `String::into()` builds one). They must already be canonical
/// ([`canonical_id`](crate::also_known_as::canonical_id) for actors and DIDs,
/// [`site_key`](crate::rel_me::site_key) for sites); the graph compares them as strings.
///
/// Only *verified* facts belong here: an `IdentityProof` whose data-integrity proof checked
/// out, a `RelMe` whose page linked back, claims read from the claimant's own document fetched
/// from its own id, a `MoveSeen` whose signature was verified.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Evidence {
    /// E1: a verified FEP-c390 identity proof on `actor` with subject `did`. Links both ways.
    IdentityProof {
        /// The actor carrying the proof.
        actor: Arc<str>,
        /// The proof's `subject`.
        did: Arc<str>,
    },
    /// E2: `actor`'s profile field names `site` and `site` links back with rel=me (verified
    /// both ways). Links both ways.
    RelMe {
        /// The actor.
        actor: Arc<str>,
        /// The website.
        site: Arc<str>,
    },
    /// E3: `from.alsoKnownAs ∋ to`. One-way claim; links only when confirmed.
    AlsoKnownAs {
        /// The claimant.
        from: Arc<str>,
        /// The claimed identifier (an actor, or a `did:` which can never confirm).
        to: Arc<str>,
    },
    /// E4: `from.movedTo == to`. One-way claim by `from`.
    MovedTo {
        /// The actor that moved.
        from: Arc<str>,
        /// Where it moved.
        to: Arc<str>,
    },
    /// E4: `from.copiedTo == to` (FEP-7628). One-way claim; recorded, never confirms a link
    /// (the rule of §4.3 names only `movedTo` and `Move`).
    CopiedTo {
        /// The actor copied.
        from: Arc<str>,
        /// The copy.
        to: Arc<str>,
    },
    /// E5: an authenticated `Move { actor: from, object: from, target: to }`.
    MoveSeen {
        /// The signer and object of the Move.
        from: Arc<str>,
        /// Its target.
        to: Arc<str>,
    },
}

impl Evidence {
    /// Stable snake_case name of the evidence type.
    pub fn kind(&self) -> &'static str {
        match self {
            Evidence::IdentityProof { .. } => "identity_proof",
            Evidence::RelMe { .. } => "rel_me",
            Evidence::AlsoKnownAs { .. } => "also_known_as",
            Evidence::MovedTo { .. } => "moved_to",
            Evidence::CopiedTo { .. } => "copied_to",
            Evidence::MoveSeen { .. } => "move_seen",
        }
    }

    /// The two nodes this evidence is about (source first for directed evidence).
    pub fn endpoints(&self) -> ((NodeKind, &str), (NodeKind, &str)) {
        let ((ka, a), (kb, b)) = self.endpoint_ids();
        ((ka, a), (kb, b))
    }

    /// [`Evidence::endpoints`] with the shared identifiers.
    pub(crate) fn endpoint_ids(&self) -> (NodeRef<'_>, NodeRef<'_>) {
        match self {
            Evidence::IdentityProof { actor, did } => {
                ((NodeKind::Actor, actor), (NodeKind::Did, did))
            }
            Evidence::RelMe { actor, site } => ((NodeKind::Actor, actor), (NodeKind::Site, site)),
            Evidence::AlsoKnownAs { from, to }
            | Evidence::MovedTo { from, to }
            | Evidence::CopiedTo { from, to }
            | Evidence::MoveSeen { from, to } => ((NodeKind::Actor, from), (target_kind(to), to)),
        }
    }
}

/// A node as borrowed from evidence.
pub(crate) type NodeRef<'a> = (NodeKind, &'a Arc<str>);

/// Claims may name a DID (`alsoKnownAs: ["did:key:…"]`); everything else is an actor.
fn target_kind(id: &Arc<str>) -> NodeKind {
    if id.starts_with("did:") {
        NodeKind::Did
    } else {
        NodeKind::Actor
    }
}
