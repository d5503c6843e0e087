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

/// Locks, ignoring poisoning: the maps stay consistent because no method panics while holding
/// the lock.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}
