//! The exporter's append-only change log.
//!
//! FIRES `docs/concepts/changes.md`: "a dataset is append-only. We never modify or delete
//! existing data, we simply append a change record". A later decision about an entity is a new
//! record that supersedes the earlier one for consumers; nothing already appended changes.

use std::collections::BTreeMap;
use std::time::SystemTime;

use crate::signals::change_id::{ChangeId, ChangeIdGenerator};
use crate::signals::entity::Entity;
use crate::signals::error::SignalsError;
use crate::signals::record::{Change, ChangeRecord};
use crate::signals::time::Timestamp;

/// An in-memory append-only log of change records in strictly increasing `change_id` order,
/// with each entity's current record. Persist it by storing [`ChangeLog::records`] and reload
/// it with [`ChangeLog::from_records`].
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use fep7628::signals::*;
/// let mut log = ChangeLog::new();
/// let t = UNIX_EPOCH + Duration::from_secs(1_764_547_200);
/// let spam = Entity::domain("spam.example").unwrap();
/// let block = Change::Recommendation(Guidance::new(RecommendedPolicy::Reject));
/// let first = log.supersede(&spam, block.clone(), None, t, [1; 10]).unwrap().unwrap();
/// // The same decision again appends nothing.
/// assert!(log.supersede(&spam, block, None, t, [2; 10]).unwrap().is_none());
/// // Lifting the block appends a retraction; the recommendation stays in the log.
/// log.retract(&spam, Some("unblocked".into()), t, [3; 10]).unwrap().unwrap();
/// assert_eq!(log.records().len(), 2);
/// assert_eq!(log.changes_since(Some(first)).len(), 1);
/// ```
#[derive(Debug, Clone, Default)]
pub struct ChangeLog {
    records: Vec<ChangeRecord>,
    ids: ChangeIdGenerator,
    /// Index in `records` of each entity's newest record.
    current: BTreeMap<Entity, usize>,
}

impl ChangeLog {
    /// An empty log.
    pub fn new() -> Self {
        ChangeLog::default()
    }

    /// A log reloaded from stored records, which must be in strictly increasing `change_id`
    /// order; new ids continue after the last one.
    pub fn from_records(records: Vec<ChangeRecord>) -> Result<ChangeLog, SignalsError> {
        let mut log = ChangeLog::new();
        for record in records {
            if let Some(last) = log.last_change_id() {
                check_after(record.change_id, last, "")?;
            }
            log.ids = ChangeIdGenerator::resume_after(record.change_id);
            log.push(record);
        }
        Ok(log)
    }

    /// Every record, oldest first.
    pub fn records(&self) -> &[ChangeRecord] {
        &self.records
    }

    /// The newest `change_id`.
    pub fn last_change_id(&self) -> Option<ChangeId> {
        self.records.last().map(|r| r.change_id)
    }

    /// The records whose `change_id` is greater than `after` (all of them for `None`), oldest
    /// first: what a consumer that has seen up to `after` still needs.
    pub fn changes_since(&self, after: Option<ChangeId>) -> &[ChangeRecord] {
        let start = match after {
            None => 0,
            Some(after) => self.records.partition_point(|r| r.change_id <= after),
        };
        self.records.get(start..).unwrap_or_default()
    }

    /// The entity's newest record, if the log has any about it.
    pub fn current(&self, entity: &Entity) -> Option<&ChangeRecord> {
        self.current.get(entity).and_then(|&i| self.records.get(i))
    }

    /// Appends `change` about `entity` unconditionally, with a new id at `now` (`random`: 10
    /// random bytes for the id). Returns the new id.
    pub fn append(
        &mut self,
        entity: &Entity,
        change: Change,
        comment: Option<String>,
        now: SystemTime,
        random: [u8; 10],
    ) -> Result<ChangeId, SignalsError> {
        let change_id = self.ids.next(now, random)?;
        let comment = if change == Change::Tombstone {
            None
        } else {
            comment
        };
        self.push(ChangeRecord {
            change_id,
            entity: entity.clone(),
            change,
            comment,
            published: Timestamp::from_system_time(now),
            updated: None,
        });
        Ok(change_id)
    }

    /// Appends an advisory or recommendation about `entity` when it differs from the entity's
    /// current state (a different type, policy, filters or labels); the same decision again
    /// appends nothing (`Ok(None)`). Retractions and tombstones go through [`Self::retract`]
    /// and [`Self::tombstone`].
    pub fn supersede(
        &mut self,
        entity: &Entity,
        change: Change,
        comment: Option<String>,
        now: SystemTime,
        random: [u8; 10],
    ) -> Result<Option<ChangeId>, SignalsError> {
        match &change {
            Change::Retraction => return self.retract(entity, comment, now, random),
            Change::Tombstone => return self.tombstone(entity, now, random),
            Change::Advisory(_) | Change::Recommendation(_) => {}
        }
        if self.current(entity).is_some_and(|r| r.change == change) {
            return Ok(None);
        }
        self.append(entity, change, comment, now, random).map(Some)
    }

    /// Appends a retraction when the entity currently has an advisory or recommendation in
    /// this log (the decision was lifted); otherwise nothing.
    pub fn retract(
        &mut self,
        entity: &Entity,
        comment: Option<String>,
        now: SystemTime,
        random: [u8; 10],
    ) -> Result<Option<ChangeId>, SignalsError> {
        let active = self
            .current(entity)
            .is_some_and(|r| r.change.guidance().is_some());
        if !active {
            return Ok(None);
        }
        self.append(entity, Change::Retraction, comment, now, random)
            .map(Some)
    }

    /// Appends a tombstone (consumers forget the entity) when the log has records about it
    /// and the newest is not already a tombstone; otherwise nothing.
    pub fn tombstone(
        &mut self,
        entity: &Entity,
        now: SystemTime,
        random: [u8; 10],
    ) -> Result<Option<ChangeId>, SignalsError> {
        let needed = self
            .current(entity)
            .is_some_and(|r| r.change != Change::Tombstone);
        if !needed {
            return Ok(None);
        }
        self.append(entity, Change::Tombstone, None, now, random)
            .map(Some)
    }

    fn push(&mut self, record: ChangeRecord) {
        self.current
            .insert(record.entity.clone(), self.records.len());
        self.records.push(record);
    }
}

/// `id` must be greater than `previous`.
pub(crate) fn check_after(id: ChangeId, previous: ChangeId, at: &str) -> Result<(), SignalsError> {
    if id == previous {
        Err(SignalsError::DuplicateChangeId {
            at: at.to_owned(),
            found: id.to_string(),
        })
    } else if id < previous {
        Err(SignalsError::OutOfOrder {
            at: at.to_owned(),
            found: id.to_string(),
            previous: previous.to_string(),
        })
    } else {
        Ok(())
    }
}
