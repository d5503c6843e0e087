//! Moves, cooldowns, checkpoints and audit in ordered maps.

use std::collections::BTreeMap;
use std::future::{Future, ready};
use std::sync::Mutex;
use std::time::SystemTime;

use super::{from_stored_json, lock, to_stored_json};
use crate::plan::Checkpoint;
use crate::store::{AuditRecord, CooldownScope, MoveRecord, MoveStore, Recorded, StoreError};

#[derive(Debug, Default)]
struct Tables {
    moves: BTreeMap<(String, String), MoveRecord>,
    cooldowns: BTreeMap<CooldownScope, SystemTime>,
    /// Checkpoints are kept as JSON text, so every save/load is a real serde round trip.
    checkpoints: BTreeMap<String, String>,
    audit: Vec<AuditRecord>,
    checkpoint_saves: u64,
}

/// A [`MoveStore`] over ordered maps.
#[derive(Debug, Default)]
pub struct MemoryMoveStore {
    tables: Mutex<Tables>,
}

impl MemoryMoveStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// The audit trail so far.
    pub fn audit(&self) -> Vec<AuditRecord> {
        lock(&self.tables).audit.clone()
    }

    /// The stored checkpoint of `migration_id` as JSON text.
    pub fn checkpoint_json(&self, migration_id: &str) -> Option<String> {
        lock(&self.tables).checkpoints.get(migration_id).cloned()
    }

    /// How many checkpoints were saved.
    pub fn checkpoint_saves(&self) -> u64 {
        lock(&self.tables).checkpoint_saves
    }
}

impl MoveStore for MemoryMoveStore {
    fn record_move(
        &self,
        record: &MoveRecord,
    ) -> impl Future<Output = Result<Recorded, StoreError>> + Send {
        let mut t = lock(&self.tables);
        let key = (record.origin.clone(), record.target.clone());
        let result = match t.moves.get_mut(&key) {
            Some(existing) => {
                let before = existing.clone();
                // E11: a retried Move may carry a new id; keep the latest.
                if record.activity_id.is_some() {
                    existing.activity_id.clone_from(&record.activity_id);
                }
                Recorded::AlreadySeen(before)
            }
            None => {
                t.moves.insert(key, record.clone());
                Recorded::Inserted
            }
        };
        ready(Ok(result))
    }

    fn move_seen(
        &self,
        origin: &str,
        target: &str,
    ) -> impl Future<Output = Result<Option<MoveRecord>, StoreError>> + Send {
        let t = lock(&self.tables);
        ready(Ok(t
            .moves
            .get(&(origin.to_owned(), target.to_owned()))
            .cloned()))
    }

    fn cooldown_until(
        &self,
        scope: &CooldownScope,
    ) -> impl Future<Output = Result<Option<SystemTime>, StoreError>> + Send {
        ready(Ok(lock(&self.tables).cooldowns.get(scope).copied()))
    }

    fn set_cooldown(
        &self,
        scope: &CooldownScope,
        until: SystemTime,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        let mut t = lock(&self.tables);
        let slot = t.cooldowns.entry(scope.clone()).or_insert(until);
        if *slot < until {
            *slot = until;
        }
        ready(Ok(()))
    }

    fn save_checkpoint(
        &self,
        migration_id: &str,
        checkpoint: &Checkpoint,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        let result = to_stored_json(checkpoint).map(|json| {
            let mut t = lock(&self.tables);
            t.checkpoints.insert(migration_id.to_owned(), json);
            t.checkpoint_saves += 1;
        });
        ready(result)
    }

    fn load_checkpoint(
        &self,
        migration_id: &str,
    ) -> impl Future<Output = Result<Option<Checkpoint>, StoreError>> + Send {
        let json = lock(&self.tables).checkpoints.get(migration_id).cloned();
        ready(from_stored_json(json))
    }

    fn append_audit(
        &self,
        record: &AuditRecord,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        lock(&self.tables).audit.push(record.clone());
        ready(Ok(()))
    }
}
