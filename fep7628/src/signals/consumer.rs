//! The consumer's side: apply records in order to a local view, resume from the last
//! `change_id` seen.
//!
//! FIRES `docs/concepts/changes.md`: the consumer asks for the records "where the `change_id`
//! is greater than the last known `change_id` that the consumer has"; a retraction "reverses a
//! previous moderation recommendation or advisory"; a tombstone signals that consumers "can
//! permanently remove all the FIRES data about that entity" (`changes/tombstones.md`).

use std::collections::BTreeMap;

use crate::signals::change_id::ChangeId;
use crate::signals::change_log::check_after;
use crate::signals::entity::Entity;
use crate::signals::error::SignalsError;
use crate::signals::record::{Change, ChangeRecord, ChangeType};
use crate::signals::verify::VerifiedBatch;

/// Where an entity stands in the local view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntityState {
    /// Its current advisory or recommendation.
    Active(ChangeRecord),
    /// Its last advisory or recommendation was retracted by this record.
    Retracted(ChangeRecord),
}

impl EntityState {
    /// The type of the record that set this state.
    pub fn change_type(&self) -> ChangeType {
        self.record().change.change_type()
    }

    /// The record that set this state.
    pub fn record(&self) -> &ChangeRecord {
        match self {
            EntityState::Active(r) | EntityState::Retracted(r) => r,
        }
    }
}

/// A consumer's view of one exporter's dataset: entity → current state, and the cursor (the
/// last `change_id` applied). Tombstoned entities are removed entirely.
#[derive(Debug, Clone, Default)]
pub struct LocalView {
    issuer: Option<String>,
    cursor: Option<ChangeId>,
    entities: BTreeMap<Entity, EntityState>,
}

impl LocalView {
    /// An empty view that accepts batches from any (trusted) issuer.
    pub fn new() -> Self {
        LocalView::default()
    }

    /// An empty view of the dataset of `issuer`: batches from anyone else are refused.
    pub fn following(issuer: &str) -> Self {
        LocalView {
            issuer: Some(issuer.to_owned()),
            ..LocalView::default()
        }
    }

    /// A view resumed from a stored cursor (its entities are the caller's to restore with
    /// [`Self::apply`] or to keep elsewhere).
    pub fn resume(issuer: &str, cursor: Option<ChangeId>) -> Self {
        LocalView {
            issuer: Some(issuer.to_owned()),
            cursor,
            entities: BTreeMap::new(),
        }
    }

    /// The last `change_id` applied: ask the exporter for the changes after it.
    pub fn cursor(&self) -> Option<ChangeId> {
        self.cursor
    }

    /// The entity's state, if the view has one.
    pub fn state(&self, entity: &Entity) -> Option<&EntityState> {
        self.entities.get(entity)
    }

    /// Every entity with a state, in entity order.
    pub fn entities(&self) -> impl Iterator<Item = (&Entity, &EntityState)> {
        self.entities.iter()
    }

    /// Applies one record, which must come after the cursor (a repeated id is
    /// [`SignalsError::DuplicateChangeId`], an older one [`SignalsError::OutOfOrder`]).
    pub fn apply(&mut self, record: &ChangeRecord) -> Result<(), SignalsError> {
        if let Some(cursor) = self.cursor {
            check_after(record.change_id, cursor, "")?;
        }
        self.apply_unchecked(record);
        Ok(())
    }

    /// Applies a verified batch, all or nothing: it must be from the followed issuer and
    /// continue exactly from the cursor (`after_change_id` == cursor). Otherwise:
    /// [`SignalsError::Replayed`] when it ends at or before the cursor,
    /// [`SignalsError::Overlap`] when it starts before the cursor and ends after it,
    /// [`SignalsError::Gap`] when it starts after the cursor. Returns the number of records
    /// applied.
    pub fn apply_batch(&mut self, verified: &VerifiedBatch) -> Result<usize, SignalsError> {
        let batch = verified.batch();
        if let Some(expected) = &self.issuer
            && expected != batch.issuer()
        {
            return Err(SignalsError::IssuerMismatch {
                expected: expected.clone(),
                found: batch.issuer().to_owned(),
            });
        }
        let after = batch.after();
        if after != self.cursor {
            let show = |c: Option<ChangeId>| c.map(|c| c.to_string());
            let starts_before = match (after, self.cursor) {
                (None, Some(_)) => true,
                (Some(a), Some(c)) => a < c,
                (_, None) => false,
            };
            return Err(match self.cursor {
                Some(cursor) if batch.last().is_none_or(|last| last <= cursor) && starts_before => {
                    SignalsError::Replayed {
                        last: show(batch.last()),
                        cursor: cursor.to_string(),
                    }
                }
                Some(cursor) if starts_before => SignalsError::Overlap {
                    after: show(after),
                    cursor: cursor.to_string(),
                },
                _ => SignalsError::Gap {
                    after: show(after),
                    cursor: show(self.cursor),
                },
            });
        }
        // from_json guaranteed strictly increasing ids after `after` == cursor.
        for record in batch.records() {
            self.apply_unchecked(record);
        }
        Ok(batch.records().len())
    }

    fn apply_unchecked(&mut self, record: &ChangeRecord) {
        match &record.change {
            Change::Advisory(_) | Change::Recommendation(_) => {
                self.entities
                    .insert(record.entity.clone(), EntityState::Active(record.clone()));
            }
            Change::Retraction => {
                self.entities.insert(
                    record.entity.clone(),
                    EntityState::Retracted(record.clone()),
                );
            }
            Change::Tombstone => {
                self.entities.remove(&record.entity);
            }
        }
        self.cursor = Some(record.change_id);
    }
}
