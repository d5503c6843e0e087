//! A deliverer and a notifier that record what they were asked to do.

use std::collections::BTreeMap;
use std::future::{Future, ready};
use std::sync::Mutex;

use super::lock;
use crate::plan::{Action, ActionKey, Batch};
use crate::store::{Deliverer, DeliveryOutcome, Notifier, StoreError};

#[derive(Debug, Clone)]
struct Script {
    /// Transient failures still to return.
    transient: u32,
    /// Then fail permanently.
    permanent: bool,
}

#[derive(Debug, Default)]
struct Log {
    /// Every action handed to `deliver`, in order (duplicates included).
    sends: Vec<ActionKey>,
    /// Effects: the first successful delivery per key. A unique-key job queue behaves so.
    effects: BTreeMap<ActionKey, Action>,
    /// Successful deliveries of a key that already had its effect.
    duplicates: u64,
    scripts: BTreeMap<ActionKey, Script>,
}

/// A [`Deliverer`] that records every delivery and dedupes effects by idempotency key, like a
/// job queue with unique job keys. Failures can be scripted per key.
#[derive(Debug, Default)]
pub struct RecordingDeliverer {
    log: Mutex<Log>,
}

impl RecordingDeliverer {
    /// A deliverer that delivers everything.
    pub fn new() -> Self {
        Self::default()
    }

    /// The next `transient` deliveries of `key` fail transiently; after those, if `permanent`,
    /// every delivery fails permanently.
    pub fn script_failure(&self, key: ActionKey, transient: u32, permanent: bool) {
        lock(&self.log).scripts.insert(
            key,
            Script {
                transient,
                permanent,
            },
        );
    }

    /// Every key handed to `deliver`, in order, duplicates included.
    pub fn sends(&self) -> Vec<ActionKey> {
        lock(&self.log).sends.clone()
    }

    /// The effects: one action per key, first delivery wins.
    pub fn effects(&self) -> BTreeMap<ActionKey, Action> {
        lock(&self.log).effects.clone()
    }

    /// Successful deliveries of keys that already had their effect.
    pub fn duplicates(&self) -> u64 {
        lock(&self.log).duplicates
    }
}

impl Deliverer for RecordingDeliverer {
    fn deliver(
        &self,
        batch: &Batch,
    ) -> impl Future<Output = Vec<(ActionKey, DeliveryOutcome)>> + Send {
        let mut log = lock(&self.log);
        let mut out = Vec::with_capacity(batch.actions.len());
        for action in &batch.actions {
            log.sends.push(action.key);
            let outcome = match log.scripts.get_mut(&action.key) {
                Some(s) if s.transient > 0 => {
                    s.transient -= 1;
                    Some(DeliveryOutcome::Failed {
                        reason: "503 Service Unavailable".into(),
                        permanent: false,
                    })
                }
                Some(s) if s.permanent => Some(DeliveryOutcome::Failed {
                    reason: "410 Gone".into(),
                    permanent: true,
                }),
                _ => None,
            };
            let outcome = outcome.unwrap_or_else(|| {
                match log.effects.entry(action.key) {
                    std::collections::btree_map::Entry::Occupied(_) => log.duplicates += 1,
                    std::collections::btree_map::Entry::Vacant(slot) => {
                        slot.insert(action.clone());
                    }
                }
                DeliveryOutcome::Delivered
            });
            out.push((action.key, outcome));
        }
        ready(out)
    }
}

/// A [`Notifier`] that records notifications, deduped by key.
#[derive(Debug, Default)]
pub struct RecordingNotifier {
    notes: Mutex<BTreeMap<ActionKey, Action>>,
}

impl RecordingNotifier {
    /// An empty notifier.
    pub fn new() -> Self {
        Self::default()
    }

    /// The notifications, one per key.
    pub fn notifications(&self) -> BTreeMap<ActionKey, Action> {
        lock(&self.notes).clone()
    }
}

impl Notifier for RecordingNotifier {
    fn notify_moved(&self, action: &Action) -> impl Future<Output = Result<(), StoreError>> + Send {
        lock(&self.notes)
            .entry(action.key)
            .or_insert_with(|| action.clone());
        ready(Ok(()))
    }
}
