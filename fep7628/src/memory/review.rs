//! The audit log, review queue, revert checkpoints and imported content in memory.

use std::collections::{BTreeMap, BTreeSet};
use std::future::{Future, ready};
use std::sync::Mutex;
use std::time::SystemTime;

use super::{from_stored_json, lock, to_stored_json};
use crate::review::{AuditEntry, RevertCheckpoint, ReviewId, ReviewItem, ReviewState};
use crate::store::{
    AuditStore, ImportStore, Resolved, RevertStore, ReviewStore, Sequenced, StoreError,
    StoreErrorKind,
};

#[derive(Debug, Default)]
struct Tables {
    /// Index + 1 is the sequence number.
    entries: Vec<AuditEntry>,
    dedupe: BTreeSet<String>,
    /// Sequence number → item; ids index into it.
    reviews: BTreeMap<u64, ReviewItem>,
    review_ids: BTreeMap<ReviewId, u64>,
    next_review: u64,
    /// As JSON text, so every save/load is a serde round trip.
    revert_checkpoints: BTreeMap<String, String>,
}

/// An [`AuditStore`], [`ReviewStore`] and [`RevertStore`] over ordered maps.
#[derive(Debug, Default)]
pub struct MemoryAuditStore {
    tables: Mutex<Tables>,
}

impl MemoryAuditStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every entry, in order.
    pub fn entries(&self) -> Vec<AuditEntry> {
        lock(&self.tables).entries.clone()
    }
}

fn seq_of(index: usize) -> u64 {
    u64::try_from(index).map_or(u64::MAX, |i| i.saturating_add(1))
}

fn page(
    entries: &[AuditEntry],
    after: Option<u64>,
    limit: usize,
    keep: impl Fn(&AuditEntry) -> bool,
) -> Vec<Sequenced<AuditEntry>> {
    let start = after
        .and_then(|a| usize::try_from(a).ok())
        .unwrap_or(0)
        .min(entries.len());
    entries
        .iter()
        .enumerate()
        .skip(start)
        .filter(|(_, e)| keep(e))
        .take(limit)
        .map(|(i, e)| Sequenced {
            seq: seq_of(i),
            value: e.clone(),
        })
        .collect()
}

impl AuditStore for MemoryAuditStore {
    fn append_entry(
        &self,
        entry: &AuditEntry,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        let mut t = lock(&self.tables);
        if let Some(key) = &entry.dedupe_key
            && !t.dedupe.insert(key.clone())
        {
            return ready(Ok(false));
        }
        t.entries.push(entry.clone());
        ready(Ok(true))
    }

    fn migration_entries(
        &self,
        migration_id: &str,
        after: Option<u64>,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Sequenced<AuditEntry>>, StoreError>> + Send {
        let t = lock(&self.tables);
        ready(Ok(page(&t.entries, after, limit, |e| {
            e.migration_id == migration_id
        })))
    }

    fn origin_entries(
        &self,
        origin_host: &str,
        since: SystemTime,
        after: Option<u64>,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Sequenced<AuditEntry>>, StoreError>> + Send {
        let t = lock(&self.tables);
        ready(Ok(page(&t.entries, after, limit, |e| {
            e.origin_host.as_deref() == Some(origin_host) && e.at >= since
        })))
    }
}

impl ReviewStore for MemoryAuditStore {
    fn put_review(
        &self,
        item: &ReviewItem,
    ) -> impl Future<Output = Result<bool, StoreError>> + Send {
        let mut t = lock(&self.tables);
        if t.review_ids.contains_key(&item.id) {
            return ready(Ok(false));
        }
        t.next_review += 1;
        let seq = t.next_review;
        t.review_ids.insert(item.id.clone(), seq);
        t.reviews.insert(seq, item.clone());
        ready(Ok(true))
    }

    fn review(
        &self,
        id: &ReviewId,
    ) -> impl Future<Output = Result<Option<ReviewItem>, StoreError>> + Send {
        let t = lock(&self.tables);
        let item = t.review_ids.get(id).and_then(|s| t.reviews.get(s)).cloned();
        ready(Ok(item))
    }

    fn pending_reviews(
        &self,
        after: Option<u64>,
        limit: usize,
    ) -> impl Future<Output = Result<Vec<Sequenced<ReviewItem>>, StoreError>> + Send {
        let t = lock(&self.tables);
        let from = after.map_or(0, |a| a.saturating_add(1));
        let items = t
            .reviews
            .range(from..)
            .filter(|(_, item)| item.state.is_pending())
            .take(limit)
            .map(|(seq, item)| Sequenced {
                seq: *seq,
                value: item.clone(),
            })
            .collect();
        ready(Ok(items))
    }

    fn resolve_review(
        &self,
        id: &ReviewId,
        state: &ReviewState,
    ) -> impl Future<Output = Result<Resolved, StoreError>> + Send {
        let mut t = lock(&self.tables);
        let Some(seq) = t.review_ids.get(id).copied() else {
            return ready(Ok(Resolved::NotFound));
        };
        let Some(item) = t.reviews.get_mut(&seq) else {
            return ready(Err(StoreError::new(
                StoreErrorKind::Corrupt,
                format!("review index names missing item {id}"),
            )));
        };
        let result = if item.state.is_pending() {
            item.state = state.clone();
            Resolved::Decided(item.clone())
        } else {
            Resolved::AlreadyDecided(item.clone())
        };
        ready(Ok(result))
    }
}

impl RevertStore for MemoryAuditStore {
    fn save_revert_checkpoint(
        &self,
        migration_id: &str,
        checkpoint: &RevertCheckpoint,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        let result = to_stored_json(checkpoint).map(|json| {
            lock(&self.tables)
                .revert_checkpoints
                .insert(migration_id.to_owned(), json);
        });
        ready(result)
    }

    fn load_revert_checkpoint(
        &self,
        migration_id: &str,
    ) -> impl Future<Output = Result<Option<RevertCheckpoint>, StoreError>> + Send {
        let json = lock(&self.tables)
            .revert_checkpoints
            .get(migration_id)
            .cloned();
        ready(from_stored_json(json))
    }
}

/// An [`ImportStore`]: the set of imported object ids.
#[derive(Debug, Default)]
pub struct MemoryImportStore {
    objects: Mutex<BTreeSet<String>>,
}

impl MemoryImportStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an imported object (what an importer would write).
    pub fn add(&self, object_id: impl Into<String>) {
        lock(&self.objects).insert(object_id.into());
    }

    /// The imported objects still present.
    pub fn objects(&self) -> BTreeSet<String> {
        lock(&self.objects).clone()
    }
}

impl ImportStore for MemoryImportStore {
    fn remove_imported(
        &self,
        object_id: &str,
    ) -> impl Future<Output = Result<(), StoreError>> + Send {
        lock(&self.objects).remove(object_id);
        ready(Ok(()))
    }
}
