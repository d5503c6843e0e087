//! Change records: `advisory`, `recommendation`, `retraction`, `tombstone`.
//!
//! Field names and values from the FIRES docs (FediMod/fires at commit
//! `0393f4860bc502ee3cd0d7ae187007f291a94ad5`):
//! - `docs/concepts/changes.md`: `change_id` (UUID v7), `type` ("always a lowercase string:
//!   `advisory`, `recommendation`, `retraction`, or `tombstone`"), `entity_key`, `entity_kind`;
//! - `docs/concepts/federation-management.md`: advisories and recommendations carry
//!   `recommended_policy` (`accept`, `filter`, `reject`, `drop`, `none`) and
//!   `recommended_filters` (identifiers from `docs/concepts/filters.md`, e.g. `reject-media`);
//! - `docs/concepts/labels.md`: labels are URIs.
//!
//! Left open by the docs, and what we chose: labels travel in `labels` (an array of absolute
//! URIs); the public explanation in `comment` (the docs' background pages name "an optional
//! unstructured text for a public comment"); times in `published` (and `updated`, accepted but
//! never emitted: records are immutable) as RFC 3339; a retraction or tombstone carries only
//! the entity, an optional `comment` (retraction only) and `published`. Unknown extra members
//! are ignored, so newer providers' records still parse; an unknown `type`, `entity_kind` or
//! `recommended_policy` is an error naming its JSON Pointer.

use std::fmt;

use serde_json::{Map, Value};

use crate::signals::change_id::ChangeId;
use crate::signals::entity::{Entity, EntityKind};
use crate::signals::error::{SignalsError, truncate};
use crate::signals::json::{object, optional_str, pointer, required_str, string_array};
use crate::signals::time::Timestamp;

/// Most entries in `recommended_filters` or `labels`.
pub const MAX_LIST_ENTRIES: usize = 32;
/// Longest filter identifier or label URI, in bytes.
pub const MAX_LIST_ENTRY_LEN: usize = 2048;
/// Longest `comment`, in bytes.
pub const MAX_COMMENT: usize = 4096;

/// A change record's `type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ChangeType {
    /// `advisory`: an early warning, pending further investigation.
    Advisory,
    /// `recommendation`: a confident moderation recommendation.
    Recommendation,
    /// `retraction`: reverses the entity's previous advisory or recommendation.
    Retraction,
    /// `tombstone`: forget everything about the entity.
    Tombstone,
}

impl ChangeType {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeType::Advisory => "advisory",
            ChangeType::Recommendation => "recommendation",
            ChangeType::Retraction => "retraction",
            ChangeType::Tombstone => "tombstone",
        }
    }

    fn parse(text: &str, at: &str) -> Result<ChangeType, SignalsError> {
        match text {
            "advisory" => Ok(ChangeType::Advisory),
            "recommendation" => Ok(ChangeType::Recommendation),
            "retraction" => Ok(ChangeType::Retraction),
            "tombstone" => Ok(ChangeType::Tombstone),
            other => Err(SignalsError::UnknownChangeType {
                at: at.to_owned(),
                found: truncate(other),
            }),
        }
    }
}

impl fmt::Display for ChangeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// `recommended_policy` (FIRES `docs/concepts/federation-management.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RecommendedPolicy {
    /// `accept`: explicitly allow federation.
    Accept,
    /// `filter`: apply `recommended_filters`.
    Filter,
    /// `reject`: answer with a `Reject` activity.
    Reject,
    /// `drop`: discard silently (Mastodon's "suspend").
    Drop,
    /// `none`: no recommended action.
    None,
}

impl RecommendedPolicy {
    /// The lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            RecommendedPolicy::Accept => "accept",
            RecommendedPolicy::Filter => "filter",
            RecommendedPolicy::Reject => "reject",
            RecommendedPolicy::Drop => "drop",
            RecommendedPolicy::None => "none",
        }
    }

    fn parse(text: &str, at: &str) -> Result<RecommendedPolicy, SignalsError> {
        match text {
            "accept" => Ok(RecommendedPolicy::Accept),
            "filter" => Ok(RecommendedPolicy::Filter),
            "reject" => Ok(RecommendedPolicy::Reject),
            "drop" => Ok(RecommendedPolicy::Drop),
            "none" => Ok(RecommendedPolicy::None),
            other => Err(SignalsError::UnknownPolicy {
                at: at.to_owned(),
                found: truncate(other),
            }),
        }
    }
}

/// What an advisory or a recommendation recommends.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Guidance {
    /// `recommended_policy`.
    pub policy: RecommendedPolicy,
    /// `recommended_filters`: filter identifiers (or URIs), meaningful with `filter`.
    pub filters: Vec<String>,
    /// `labels`: label URIs.
    pub labels: Vec<String>,
}

impl Guidance {
    /// A guidance with `policy` and no filters or labels.
    pub fn new(policy: RecommendedPolicy) -> Self {
        Guidance {
            policy,
            filters: Vec::new(),
            labels: Vec::new(),
        }
    }
}

/// The typed content of a change record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Change {
    /// `advisory`.
    Advisory(Guidance),
    /// `recommendation`.
    Recommendation(Guidance),
    /// `retraction`.
    Retraction,
    /// `tombstone`.
    Tombstone,
}

impl Change {
    /// The record `type`.
    pub fn change_type(&self) -> ChangeType {
        match self {
            Change::Advisory(_) => ChangeType::Advisory,
            Change::Recommendation(_) => ChangeType::Recommendation,
            Change::Retraction => ChangeType::Retraction,
            Change::Tombstone => ChangeType::Tombstone,
        }
    }

    /// The guidance of an advisory or recommendation.
    pub fn guidance(&self) -> Option<&Guidance> {
        match self {
            Change::Advisory(g) | Change::Recommendation(g) => Some(g),
            Change::Retraction | Change::Tombstone => None,
        }
    }
}

/// One change record.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ChangeRecord {
    /// `change_id`.
    pub change_id: ChangeId,
    /// `entity_kind` and `entity_key`.
    pub entity: Entity,
    /// `type` and its members.
    pub change: Change,
    /// `comment`: the public explanation (not on tombstones).
    pub comment: Option<String>,
    /// `published`: when the change was recorded.
    pub published: Timestamp,
    /// `updated`: read when a provider sends it; never set by our exporter (records are
    /// append-only).
    pub updated: Option<Timestamp>,
}

impl ChangeRecord {
    /// The JSON form.
    ///
    /// ```
    /// use std::time::{Duration, UNIX_EPOCH};
    /// use fep7628::signals::*;
    /// let now = UNIX_EPOCH + Duration::from_secs(1_764_547_200);
    /// let record = ChangeRecord {
    ///     change_id: ChangeIdGenerator::new().next(now, [1; 10]).unwrap(),
    ///     entity: Entity::domain("spam.example").unwrap(),
    ///     change: Change::Recommendation(Guidance::new(RecommendedPolicy::Reject)),
    ///     comment: Some("follower farming".into()),
    ///     published: Timestamp::from_system_time(now),
    ///     updated: None,
    /// };
    /// let json = record.to_json();
    /// assert_eq!(json["type"], "recommendation");
    /// assert_eq!(json["entity_kind"], "Domain");
    /// assert_eq!(json["recommended_policy"], "reject");
    /// assert_eq!(ChangeRecord::from_json(&json, "").unwrap(), record);
    /// ```
    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert("change_id".into(), self.change_id.to_string().into());
        m.insert("type".into(), self.change.change_type().as_str().into());
        m.insert("entity_kind".into(), self.entity.kind().as_str().into());
        m.insert("entity_key".into(), self.entity.key().into());
        if let Some(g) = self.change.guidance() {
            m.insert("recommended_policy".into(), g.policy.as_str().into());
            m.insert(
                "recommended_filters".into(),
                Value::Array(g.filters.iter().map(|f| f.as_str().into()).collect()),
            );
            m.insert(
                "labels".into(),
                Value::Array(g.labels.iter().map(|l| l.as_str().into()).collect()),
            );
        }
        if let Some(c) = &self.comment {
            m.insert("comment".into(), c.as_str().into());
        }
        m.insert("published".into(), self.published.as_str().into());
        if let Some(u) = &self.updated {
            m.insert("updated".into(), u.as_str().into());
        }
        Value::Object(m)
    }

    /// Reads a record; `at` is the JSON Pointer of `value` in its document (for errors).
    pub fn from_json(value: &Value, at: &str) -> Result<ChangeRecord, SignalsError> {
        let m = object(value, at)?;
        let change_id =
            ChangeId::parse(required_str(m, at, "change_id")?, &pointer(at, "change_id"))?;
        let change_type = ChangeType::parse(required_str(m, at, "type")?, &pointer(at, "type"))?;
        let kind = EntityKind::parse(
            required_str(m, at, "entity_kind")?,
            &pointer(at, "entity_kind"),
        )?;
        let entity = Entity::new(
            kind,
            required_str(m, at, "entity_key")?,
            &pointer(at, "entity_key"),
        )?;
        let guidance = || -> Result<Guidance, SignalsError> {
            let policy = RecommendedPolicy::parse(
                required_str(m, at, "recommended_policy")?,
                &pointer(at, "recommended_policy"),
            )?;
            let filters = string_array(
                m,
                at,
                "recommended_filters",
                MAX_LIST_ENTRIES,
                MAX_LIST_ENTRY_LEN,
            )?;
            let labels = string_array(m, at, "labels", MAX_LIST_ENTRIES, MAX_LIST_ENTRY_LEN)?;
            for (i, label) in labels.iter().enumerate() {
                if url::Url::parse(label).is_err() {
                    return Err(SignalsError::invalid(
                        pointer(&pointer(at, "labels"), &i.to_string()),
                        "a label is an absolute URI",
                    ));
                }
            }
            Ok(Guidance {
                policy,
                filters,
                labels,
            })
        };
        let change = match change_type {
            ChangeType::Advisory => Change::Advisory(guidance()?),
            ChangeType::Recommendation => Change::Recommendation(guidance()?),
            ChangeType::Retraction => Change::Retraction,
            ChangeType::Tombstone => Change::Tombstone,
        };
        let comment = match change_type {
            ChangeType::Tombstone => None,
            _ => optional_str(m, at, "comment")?.map(str::to_owned),
        };
        if comment.as_ref().is_some_and(|c| c.len() > MAX_COMMENT) {
            return Err(SignalsError::LimitExceeded {
                at: pointer(at, "comment"),
                what: "comment bytes",
                limit: MAX_COMMENT,
            });
        }
        let published =
            Timestamp::parse(required_str(m, at, "published")?, &pointer(at, "published"))?;
        let updated = optional_str(m, at, "updated")?
            .map(|u| Timestamp::parse(u, &pointer(at, "updated")))
            .transpose()?;
        Ok(ChangeRecord {
            change_id,
            entity,
            change,
            comment,
            published,
            updated,
        })
    }
}
