//! Validation findings.

use std::fmt;

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth logging; the document is still usable (a Move without `id`, which Mastodon and
    /// Akkoma accept).
    Warning,
    /// The document breaks a MUST of the rule set named by [`Rule`].
    Error,
}

/// The rule set a finding comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Rule {
    /// ActivityPub / ActivityStreams structure (ids, inbox, keys).
    ActivityPub,
    /// FEP-7628 (Move shape and modes, `movedTo`/`copiedTo` semantics).
    Fep7628,
    /// FEP-e965 (actor deactivation states).
    FepE965,
    /// FEP-521a (Multikey controller, multibase).
    Fep521a,
    /// This crate's explicit limits.
    Limits,
}

/// What a finding is about. [`ProblemKind::as_str`] is the stable code.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ProblemKind {
    /// A required member is absent.
    MissingField,
    /// A member that must hold one value holds several (or a Move's `actor`/`object`/`target`
    /// is not exactly one, GtS `federatingdb/move.go`).
    NotSingle,
    /// Not an absolute URI.
    InvalidUri,
    /// An absolute URI, but not http(s) (move.md §1.2 #12).
    NotHttp,
    /// A Move that is neither push (`actor == object`) nor pull (`actor == target`).
    MoveMode,
    /// A Move whose `object` equals its `target` (GtS "Move target and origin were the same").
    MoveToSelf,
    /// `actor` is not the authenticated signer (GtS "Move was signed by … but actor was …").
    SignerMismatch,
    /// FEP-e965: `movedTo` is an array with other than one element.
    MovedToNotFunctional,
    /// FEP-e965: `movedTo` and `copiedTo` both present.
    MovedAndCopied,
    /// FEP-e965: `movedTo` without `Tombstone` in `type` ("backwards-compatible" but FAILED).
    MovedWithoutTombstone,
    /// FEP-e965: a Tombstone must not keep `copiedTo`.
    CopiedToOnTombstone,
    /// FEP-e965 SHOULD: a Tombstone sets `deleted`.
    TombstoneWithoutDeleted,
    /// FEP-e965: the FEP-7628 context is not declared, so absence of `movedTo` means nothing.
    MissingFep7628Context,
    /// `alsoKnownAs` names the actor itself (Mastodon `move_to_self`).
    SelfAlias,
    /// `alsoKnownAs` had more entries than [`Limits::max_also_known_as`](crate::Limits).
    TooManyAliases,
    /// A `publicKey`'s `owner` is not the actor.
    KeyOwnerMismatch,
    /// An `assertionMethod` key's `controller` is not the actor (FEP-521a MUST).
    KeyControllerMismatch,
    /// `publicKeyMultibase` is not base58-btc multibase (`z…`).
    InvalidMultibase,
    /// The types do not fit the document (an actor without an actor type).
    UnexpectedType,
}

impl ProblemKind {
    /// The stable snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemKind::MissingField => "missing_field",
            ProblemKind::NotSingle => "not_single",
            ProblemKind::InvalidUri => "invalid_uri",
            ProblemKind::NotHttp => "not_http",
            ProblemKind::MoveMode => "move_mode",
            ProblemKind::MoveToSelf => "move_to_self",
            ProblemKind::SignerMismatch => "signer_mismatch",
            ProblemKind::MovedToNotFunctional => "moved_to_not_functional",
            ProblemKind::MovedAndCopied => "moved_and_copied",
            ProblemKind::MovedWithoutTombstone => "moved_without_tombstone",
            ProblemKind::CopiedToOnTombstone => "copied_to_on_tombstone",
            ProblemKind::TombstoneWithoutDeleted => "tombstone_without_deleted",
            ProblemKind::MissingFep7628Context => "missing_fep7628_context",
            ProblemKind::SelfAlias => "self_alias",
            ProblemKind::TooManyAliases => "too_many_aliases",
            ProblemKind::KeyOwnerMismatch => "key_owner_mismatch",
            ProblemKind::KeyControllerMismatch => "key_controller_mismatch",
            ProblemKind::InvalidMultibase => "invalid_multibase",
            ProblemKind::UnexpectedType => "unexpected_type",
        }
    }
}

/// One finding: what, where (JSON Pointer), how bad, and under which rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// JSON Pointer (RFC 6901) to the member concerned (`""` for the whole document).
    pub at: String,
    /// What it is.
    pub kind: ProblemKind,
    /// How bad.
    pub severity: Severity,
    /// Which rule set.
    pub rule: Rule,
    /// Human-readable detail.
    pub message: String,
}

impl Problem {
    /// The stable code of [`Problem::kind`].
    pub fn kind(&self) -> &'static str {
        self.kind.as_str()
    }

    pub(crate) fn new(
        at: impl Into<String>,
        kind: ProblemKind,
        severity: Severity,
        rule: Rule,
        message: impl Into<String>,
    ) -> Problem {
        Problem {
            at: at.into(),
            kind,
            severity,
            rule,
            message: message.into(),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at {}: {}", self.kind(), self.at, self.message)
    }
}

/// Whether any problem has [`Severity::Error`].
pub fn has_errors(problems: &[Problem]) -> bool {
    problems.iter().any(|p| p.severity == Severity::Error)
}
