//! What a change record is about: `entity_kind` and `entity_key`.
//!
//! FIRES `docs/concepts/entities.md`: "The `entity_kind` property value is always the singular
//! form of the name of the entity type in upper camel-case, so `Domains` becomes `Domain` and
//! `Email Domains` becomes `EmailDomain`"; the kinds of the reference implementation are
//! Domains, Actors and Email Domains. Keys are not specified there; we chose: a domain or email
//! domain is the host name normalised as the domain blocks do ([`normalize_domain`]: lower
//! case, no trailing dot, IDN → punycode), an actor is its absolute `http(s)` id.

use std::fmt;

use crate::policy::normalize_domain;
use crate::signals::error::{SignalsError, truncate};

/// Longest `entity_key` accepted, in bytes.
pub const MAX_ENTITY_KEY: usize = 2048;

/// An `entity_kind`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EntityKind {
    /// `Domain`: a server's host name.
    Domain,
    /// `Actor`: an ActivityPub actor id.
    Actor,
    /// `EmailDomain`: the domain part of e-mail addresses (sign-ups).
    EmailDomain,
}

impl EntityKind {
    /// `Domain`, `Actor` or `EmailDomain`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Domain => "Domain",
            EntityKind::Actor => "Actor",
            EntityKind::EmailDomain => "EmailDomain",
        }
    }

    /// Reads an `entity_kind` (exact, case-sensitive); anything else is
    /// [`SignalsError::UnknownEntityKind`] naming `at`.
    pub fn parse(text: &str, at: &str) -> Result<EntityKind, SignalsError> {
        match text {
            "Domain" => Ok(EntityKind::Domain),
            "Actor" => Ok(EntityKind::Actor),
            "EmailDomain" => Ok(EntityKind::EmailDomain),
            other => Err(SignalsError::UnknownEntityKind {
                at: at.to_owned(),
                found: truncate(other),
            }),
        }
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An entity: its kind and its normalised key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Entity {
    kind: EntityKind,
    key: String,
}

impl Entity {
    /// The entity of `kind` named `key`, normalised; `at` names the key in errors.
    ///
    /// ```
    /// use fep7628::signals::{Entity, EntityKind};
    /// let d = Entity::new(EntityKind::Domain, "Bad.EXAMPLE.", "/entity_key").unwrap();
    /// assert_eq!(d.key(), "bad.example");
    /// let idn = Entity::new(EntityKind::Domain, "bücher.example", "/entity_key").unwrap();
    /// assert_eq!(idn.key(), "xn--bcher-kva.example");
    /// assert!(Entity::new(EntityKind::Actor, "acct:alice@a.example", "/entity_key").is_err());
    /// ```
    pub fn new(kind: EntityKind, key: &str, at: &str) -> Result<Entity, SignalsError> {
        if key.len() > MAX_ENTITY_KEY {
            return Err(SignalsError::LimitExceeded {
                at: at.to_owned(),
                what: "entity_key bytes",
                limit: MAX_ENTITY_KEY,
            });
        }
        let key = match kind {
            EntityKind::Domain | EntityKind::EmailDomain => {
                if key.contains(['/', '@', ':', ' ']) {
                    return Err(SignalsError::invalid(
                        at,
                        format!("{:?} is not a domain name", truncate(key)),
                    ));
                }
                normalize_domain(key).ok_or_else(|| {
                    SignalsError::invalid(at, format!("{:?} is not a domain name", truncate(key)))
                })?
            }
            EntityKind::Actor => {
                let ok = url::Url::parse(key).is_ok_and(|u| {
                    matches!(u.scheme(), "https" | "http") && u.host_str().is_some()
                });
                if !ok {
                    return Err(SignalsError::invalid(
                        at,
                        format!("{:?} is not an absolute http(s) actor id", truncate(key)),
                    ));
                }
                key.to_owned()
            }
        };
        Ok(Entity { kind, key })
    }

    /// A `Domain` entity.
    pub fn domain(host: &str) -> Result<Entity, SignalsError> {
        Entity::new(EntityKind::Domain, host, "/entity_key")
    }

    /// An `Actor` entity.
    pub fn actor(id: &str) -> Result<Entity, SignalsError> {
        Entity::new(EntityKind::Actor, id, "/entity_key")
    }

    /// The kind.
    pub fn kind(&self) -> EntityKind {
        self.kind
    }

    /// The normalised key.
    pub fn key(&self) -> &str {
        &self.key
    }
}

impl fmt::Display for Entity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.key)
    }
}
