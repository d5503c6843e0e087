//! In-memory reference implementations of the [plug-in traits](crate::store).
//!
//! `BTreeMap`-based and deterministic: the same calls give the same results in the same order,
//! which makes them suitable for tests, examples and simulations. Every future they return is
//! ready at once, so any executor (even a trivial one) drives them. Not meant for production:
//! nothing is durable and everything sits behind one `Mutex` per store.

mod clock;
mod deliverer;
mod fetcher;
mod follows;
mod moves;
mod review;

pub use clock::SimulatedClock;
pub use deliverer::{RecordingDeliverer, RecordingNotifier};
pub use fetcher::MemoryFetcher;
pub use follows::MemoryFollowStore;
pub use moves::MemoryMoveStore;
pub use review::{MemoryAuditStore, MemoryImportStore};

use std::sync::{Mutex, MutexGuard};

use crate::store::{StoreError, StoreErrorKind};

/// Locks, ignoring poisoning: the maps stay consistent because no method panics while holding
/// the lock.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// A checkpoint as the stores keep it: JSON text, as a database would (so the tests exercise
/// the serialised form). A value that does not serialise is refused.
fn to_stored_json<T: serde::Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value)
        .map_err(|e| StoreError::new(StoreErrorKind::Rejected, e.to_string()))
}

/// A stored checkpoint read back; text that no longer parses is corrupt.
fn from_stored_json<T: serde::de::DeserializeOwned>(
    json: Option<String>,
) -> Result<Option<T>, StoreError> {
    json.map(|j| {
        serde_json::from_str(&j)
            .map_err(|e| StoreError::new(StoreErrorKind::Corrupt, e.to_string()))
    })
    .transpose()
}
