//! The small input abstractions the pipeline is typed on.
//!
//! The pipeline never parses JSON or checks signatures itself: the caller (or, at integration,
//! a thin adapter over `activitystreams-move`, `http-signatures` and `identity-links`) fills
//! these facts from what it parsed and verified. See `NOTES-integration.md` in the crate root.

use std::fmt;

/// The parsed `Move` activity, as the pipeline needs it.
///
/// `actor`, `object` and `target` are lists so that the shape rule "exactly one of each"
/// (spec/move.md §1.8 #40.2, GoToSocial `federatingdb/move.go`) is checked by the pipeline and
/// not lost by the parser. References given as embedded objects are reduced to their `id`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MoveFacts {
    /// The activity `id` (FEP-7628 MUST; absent in e.g. Akkoma's test fixture).
    pub id: Option<String>,
    /// Every `actor` value.
    pub actor: Vec<String>,
    /// Every `object` value.
    pub object: Vec<String>,
    /// Every `target` value.
    pub target: Vec<String>,
}

impl MoveFacts {
    /// A well-formed Move: one actor, one object, one target.
    pub fn new(
        id: impl Into<String>,
        actor: impl Into<String>,
        object: impl Into<String>,
        target: impl Into<String>,
    ) -> Self {
        MoveFacts {
            id: Some(id.into()),
            actor: vec![actor.into()],
            object: vec![object.into()],
            target: vec![target.into()],
        }
    }
}

/// What the pipeline needs to know about an actor document.
///
/// `also_known_as` and `copied_to` are normalised to lists (a bare string is a one-element
/// list, spec/move.md §1.2 #12). `identity_dids` holds only the subjects of FEP-c390 identity
/// statements that the caller has **verified** (identity-links); unverified statements must not
/// be put here.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorFacts {
    /// The document's own `id` (compared with the URL that was fetched).
    pub id: String,
    /// `alsoKnownAs` values.
    pub also_known_as: Vec<String>,
    /// `movedTo` (either IRI, `as:movedTo` or `fep/7628#movedTo`).
    pub moved_to: Option<String>,
    /// `copiedTo` values (FEP-7628).
    pub copied_to: Vec<String>,
    /// The remote server reports the account as suspended.
    pub suspended: bool,
    /// `type` includes `Tombstone` (FEP-e965: intentionally deleted).
    pub tombstone: bool,
    /// `inbox`.
    pub inbox: Option<String>,
    /// `endpoints.sharedInbox`.
    pub shared_inbox: Option<String>,
    /// `manuallyApprovesFollowers` (a locked target turns re-follows into requests, E13).
    pub manually_approves_followers: bool,
    /// Subjects (DIDs) of verified FEP-c390 identity statements.
    pub identity_dids: Vec<String>,
    /// The profile a moderation policy reads (name, summary, age …), when the caller filled it
    /// ([`crate::adapt::actor_profile`] does from a parsed actor). `None` for facts built by
    /// hand: policies that need a profile then have nothing to judge and accept.
    pub profile: Option<Box<ActorProfile>>,
}

/// What a moderation policy reads of an actor's public profile (keyword rules, account age).
///
/// Everything is optional: servers differ in what they publish. Texts are kept verbatim (HTML
/// included); the policies normalise them before matching.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActorProfile {
    /// `preferredUsername`.
    pub preferred_username: Option<String>,
    /// `name` (display name).
    pub name: Option<String>,
    /// `summary` (bio, usually HTML).
    pub summary: Option<String>,
    /// `published`, in seconds since the Unix epoch (negative before 1970).
    pub published: Option<i64>,
    /// The follower count, when the caller knows it (e.g. the `followers` collection's
    /// `totalItems`); actor documents rarely carry it.
    pub followers_count: Option<u64>,
    /// Profile fields (`attachment` of type `PropertyValue`): `(name, value)` texts.
    pub fields: Vec<(String, String)>,
}

impl ActorFacts {
    /// An active actor with this id and nothing else.
    pub fn new(id: impl Into<String>) -> Self {
        ActorFacts {
            id: id.into(),
            ..ActorFacts::default()
        }
    }

    /// Builder: add an `alsoKnownAs` value.
    pub fn with_alias(mut self, alias: impl Into<String>) -> Self {
        self.also_known_as.push(alias.into());
        self
    }

    /// Builder: set `movedTo`.
    pub fn with_moved_to(mut self, moved_to: impl Into<String>) -> Self {
        self.moved_to = Some(moved_to.into());
        self
    }

    /// Builder: add a verified FEP-c390 subject.
    pub fn with_identity_did(mut self, did: impl Into<String>) -> Self {
        self.identity_dids.push(did.into());
        self
    }

    /// Does this actor name `other` in `alsoKnownAs`? Exact string equality on canonical ids
    /// (spec/move.md E4: never a substring test, as Misskey's outbound check does).
    pub fn aliases(&self, other: &str) -> bool {
        self.also_known_as.iter().any(|a| a == other)
    }

    /// Does this actor name `other` in `alsoKnownAs`, `movedTo` or `copiedTo`, i.e. does the
    /// document assert a link from this side (spec/move.md E3)?
    pub fn names(&self, other: &str) -> bool {
        self.aliases(other)
            || self.moved_to.as_deref() == Some(other)
            || self.copied_to.iter().any(|c| c == other)
    }

    /// A verified FEP-c390 subject both actors share, if any.
    pub fn shared_identity<'a>(&'a self, other: &ActorFacts) -> Option<&'a str> {
        self.identity_dids
            .iter()
            .find(|d| other.identity_dids.iter().any(|o| o == *d))
            .map(String::as_str)
    }
}

/// How the Move was authenticated — evidence the caller has **already verified**.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Authentication {
    /// A valid HTTP signature whose key belongs to this actor (key owner, not key id).
    HttpSignature {
        /// The actor owning the signing key.
        signer_actor_id: String,
    },
    /// A valid FEP-8b32 integrity proof on the Move, by a verification method of this actor.
    IntegrityProof {
        /// The actor whose `assertionMethod` key verified the proof.
        verified_actor_id: String,
    },
}

impl Authentication {
    /// The authenticated actor.
    pub fn actor_id(&self) -> &str {
        match self {
            Authentication::HttpSignature { signer_actor_id } => signer_actor_id,
            Authentication::IntegrityProof { verified_actor_id } => verified_actor_id,
        }
    }
}

/// Evidence asserted by the **old** account that it is linked to the new one; required for a
/// pull-mode Move (spec/move.md E3: the new actor's own `alsoKnownAs` is attacker-controlled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OldSideProof {
    /// Both actors carry verified FEP-c390 identity statements with this subject (DID).
    SharedIdentitySubject {
        /// The shared DID.
        did: String,
    },
    /// The old actor's document (fetched and parsed by the caller) names the new actor in
    /// `alsoKnownAs`, `movedTo` or `copiedTo`.
    OldActorDocument(ActorFacts),
    /// A FEP-8b32 integrity proof, verified with a key of the old actor, over a document that
    /// names the new actor (e.g. the Move itself).
    IntegrityProof {
        /// The actor whose key verified the proof.
        verified_actor_id: String,
    },
}

impl OldSideProof {
    /// Does this evidence link `old` to `new`? `new_facts` supplies the new actor's verified
    /// identity subjects for [`OldSideProof::SharedIdentitySubject`].
    pub fn links(&self, old: &str, new_facts: &ActorFacts) -> bool {
        match self {
            OldSideProof::SharedIdentitySubject { did } => {
                new_facts.identity_dids.iter().any(|d| d == did)
            }
            OldSideProof::OldActorDocument(facts) => facts.id == old && facts.names(&new_facts.id),
            OldSideProof::IntegrityProof { verified_actor_id } => verified_actor_id == old,
        }
    }
}

/// Push mode (`actor == object`, sent by the old account) or pull mode (`actor == target`, sent
/// by the new account), FEP-7628 §Move activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MoveMode {
    /// Sent by the old actor.
    Push,
    /// Sent by the new actor.
    Pull,
}

impl MoveMode {
    /// `push` or `pull`.
    pub fn as_str(self) -> &'static str {
        match self {
            MoveMode::Push => "push",
            MoveMode::Pull => "pull",
        }
    }
}

impl fmt::Display for MoveMode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Is `value` an absolute http(s) URL with a host, no longer than `max_len`?
pub(crate) fn is_http_id(value: &str, max_len: usize) -> bool {
    if value.len() > max_len {
        return false;
    }
    match url::Url::parse(value) {
        Ok(u) => {
            matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| !h.is_empty())
        }
        Err(_) => false,
    }
}

/// The host of an http(s) id, lower-cased by the URL parser (IDNs are punycode).
pub(crate) fn host_of(value: &str) -> Option<String> {
    url::Url::parse(value)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
}
