//! The re-follow state machine.

use std::collections::hash_map::Entry as MapEntry;
use std::collections::{BTreeSet, HashMap, VecDeque};
use std::hash::BuildHasherDefault;
use std::sync::Arc;
use std::time::SystemTime;

use sha2::Sha256;

use super::action::{DigestHasher, follower_digest_from, key_prefix};
use super::{
    Action, ActionBody, ActionKey, ActionKind, Batch, CHECKPOINT_VERSION, Checkpoint, Destination,
    Failure, FollowSettings, InFlight, LocalFollower, MAX_CHECKPOINT_ACTIONS, MAX_ID_LEN,
    MoveFacts, PlanConfig, PlanError, PlanReport, UnfollowOrigin,
};

/// What the plan wants next. Returned by [`RefollowPlan::poll`]; after every call that changes
/// the plan, poll again until [`Step::Wait`] or [`Step::Finished`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Carry out these actions, then report each with [`RefollowPlan::handle_delivered`] or
    /// [`RefollowPlan::handle_failed`].
    Deliver(Batch),
    /// Feed up to `max` followers of the origin whose id is strictly greater than `after`
    /// (`None`: from the start), in increasing id order, with [`RefollowPlan::feed`]; call
    /// [`RefollowPlan::end_of_followers`] once the store has no more.
    NeedFollowers {
        /// The cursor: last follower id planned.
        after: Option<String>,
        /// How many to feed at most.
        max: usize,
    },
    /// Nothing to do now: `awaiting` actions await confirmation, and the next retry is due at
    /// `next_retry`.
    Wait {
        /// Actions handed out and not yet confirmed.
        awaiting: usize,
        /// When a failed action becomes due again.
        next_retry: Option<SystemTime>,
    },
    /// Every follower was planned and every action confirmed; see [`RefollowPlan::report`].
    Finished,
}

/// What [`RefollowPlan::feed`] decided for a follower.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Disposition {
    /// A `Follow` of the target is planned.
    Follow,
    /// A follow request (locked remote target) is planned.
    FollowRequest,
    /// The follower already follows the target (E14).
    AlreadyFollowing,
    /// The follower is the target (or the origin) itself.
    SkippedSelf,
    /// The follower blocks the target.
    SkippedBlocksTarget,
    /// The target blocks the follower.
    SkippedBlockedByTarget,
    /// The row was unusable (empty or overlong id); recorded as a failure.
    Invalid,
}

/// How [`RefollowPlan::handle_failed`] dealt with a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Retry {
    /// The action is handed out again at or after this time.
    At(SystemTime),
    /// The action failed permanently; recorded in the report.
    GaveUp,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum State {
    Ready,
    Issued,
    Waiting(SystemTime),
}

/// Strings every action of the plan shares (one allocation each per plan), and the key
/// derivation state after the migration id (hashed once per plan, not once per follower).
#[derive(Clone, Debug)]
struct Shared {
    migration_id: Arc<str>,
    origin_id: Arc<str>,
    target_id: Arc<str>,
    key_prefix: Sha256,
}

impl Shared {
    fn new(facts: &MoveFacts) -> Self {
        Shared {
            migration_id: Arc::from(facts.migration_id.as_str()),
            origin_id: Arc::from(facts.origin.id.as_str()),
            target_id: Arc::from(facts.target.id.as_str()),
            key_prefix: key_prefix(&facts.migration_id),
        }
    }
}

/// Destinations, by slot number; each with its queue of ready actions. A plan has three
/// (the target's inbox or local, the origin's inbox, local); a restored checkpoint may add
/// others. Queues are kept when empty, so handing out and refilling never reallocates.
#[derive(Clone, Debug, Default)]
struct Slots {
    destinations: Vec<Destination>,
    queues: Vec<VecDeque<ActionKey>>,
    index: HashMap<Destination, usize>,
    /// Slots with a non-empty queue, in round-robin order (each slot at most once).
    active: VecDeque<usize>,
}

impl Slots {
    fn slot_of(&mut self, destination: &Destination) -> usize {
        if let Some(&slot) = self.index.get(destination) {
            return slot;
        }
        let slot = self.destinations.len();
        self.destinations.push(destination.clone());
        self.queues.push(VecDeque::new());
        self.index.insert(destination.clone(), slot);
        slot
    }

    fn push(&mut self, slot: usize, key: ActionKey) {
        if let Some(queue) = self.queues.get_mut(slot) {
            if queue.is_empty() {
                self.active.push_back(slot);
            }
            queue.push_back(key);
        }
    }
}

/// The slots of the three destinations every plan uses.
#[derive(Clone, Copy, Debug)]
struct Fixed {
    follow: usize,
    undo: usize,
    local: usize,
}

/// An unconfirmed action in compact form: only what differs between actions. The [`Action`]
/// is built from it and the plan's [`Shared`] strings when it is handed out or checkpointed, so
/// the plan keeps no second copy of what it hands out.
#[derive(Clone, Debug)]
struct Entry {
    follower: Arc<str>,
    kind: ActionKind,
    /// `Follow`: a follow request (locked remote target).
    request: bool,
    /// `Follow` / `UpdateFollow`: the copied settings.
    settings: Option<FollowSettings>,
    slot: usize,
    attempts: u32,
    state: State,
}

/// A resumable re-follow plan for one verified Move, run on a follower's server (spec/move.md
/// §1.8 #41).
///
/// Sans-IO: the plan never reads the clock, a store or the network. The caller feeds followers
/// when asked, carries out the actions it hands out and reports each outcome. See the
/// [module documentation](super) for the drain loop.
#[derive(Clone, Debug)]
pub struct RefollowPlan {
    facts: MoveFacts,
    shared: Shared,
    config: PlanConfig,
    cursor: Option<String>,
    end_of_followers: bool,
    /// Unconfirmed actions. A hash map keyed by the (already uniform) digest; the checkpoint
    /// sorts them for a deterministic order.
    entries: HashMap<ActionKey, Entry, BuildHasherDefault<DigestHasher>>,
    slots: Slots,
    fixed: Fixed,
    timers: BTreeSet<(SystemTime, ActionKey)>,
    /// Reused buffer for the keys of the batch being handed out.
    scratch: Vec<ActionKey>,
    issued: usize,
    report: PlanReport,
}

impl RefollowPlan {
    /// A fresh plan.
    pub fn new(facts: MoveFacts, config: PlanConfig) -> Result<Self, PlanError> {
        facts.validate()?;
        let mut slots = Slots::default();
        let follow_destination = if facts.target_is_local {
            Destination::Local
        } else {
            Destination::Inbox(Arc::from(facts.target.delivery_inbox()))
        };
        let fixed = Fixed {
            follow: slots.slot_of(&follow_destination),
            undo: slots.slot_of(&Destination::Inbox(Arc::from(
                facts.origin.delivery_inbox(),
            ))),
            local: slots.slot_of(&Destination::Local),
        };
        Ok(RefollowPlan {
            shared: Shared::new(&facts),
            facts,
            config: config.normalised(),
            cursor: None,
            end_of_followers: false,
            entries: HashMap::default(),
            slots,
            fixed,
            timers: BTreeSet::new(),
            scratch: Vec::new(),
            issued: 0,
            report: PlanReport::default(),
        })
    }

    /// Resumes from a checkpoint. Every unconfirmed action is ready to be handed out again.
    pub fn restore(checkpoint: Checkpoint, config: PlanConfig) -> Result<Self, PlanError> {
        if checkpoint.version != CHECKPOINT_VERSION {
            return Err(PlanError::CheckpointVersion {
                found: checkpoint.version,
            });
        }
        if checkpoint.in_flight.len() > MAX_CHECKPOINT_ACTIONS {
            return Err(PlanError::CheckpointInvalid {
                reason: "too many actions",
            });
        }
        if checkpoint
            .cursor
            .as_deref()
            .is_some_and(|c| c.is_empty() || c.len() > MAX_ID_LEN)
        {
            return Err(PlanError::CheckpointInvalid { reason: "cursor" });
        }
        let mut plan = RefollowPlan::new(checkpoint.facts, config)?;
        plan.cursor = checkpoint.cursor;
        plan.end_of_followers = checkpoint.end_of_followers;
        plan.report = checkpoint.report;
        plan.report.finished = false;
        for InFlight { action, attempts } in checkpoint.in_flight {
            let expected =
                ActionKey::derive(&plan.facts.migration_id, &action.follower_id, action.kind());
            if action.key != expected || *action.migration_id != *plan.facts.migration_id {
                return Err(PlanError::CheckpointInvalid {
                    reason: "action key does not match migration, follower and kind",
                });
            }
            if plan.entries.contains_key(&action.key) {
                return Err(PlanError::CheckpointInvalid {
                    reason: "duplicate action",
                });
            }
            let slot = plan.slots.slot_of(&action.destination);
            let (request, settings) = match &action.body {
                ActionBody::Follow {
                    settings, request, ..
                } => (*request, Some(settings.clone())),
                ActionBody::UpdateFollow { settings, .. } => (false, Some(settings.clone())),
                ActionBody::UndoFollow { .. } | ActionBody::Notify { .. } => (false, None),
                ActionBody::RejectFollow { .. } => {
                    return Err(PlanError::CheckpointInvalid {
                        reason: "a re-follow plan makes no reject_follow action",
                    });
                }
            };
            let entry = Entry {
                follower: Arc::clone(&action.follower_id),
                kind: action.kind(),
                request,
                settings,
                slot,
                attempts,
                state: State::Ready,
            };
            // The plan rebuilds actions from its facts: a checkpointed action whose body names
            // other accounts than the facts is not one this plan would have made.
            if plan.build(action.key, &entry) != action {
                return Err(PlanError::CheckpointInvalid {
                    reason: "action body does not match the move facts",
                });
            }
            plan.insert_ready(action.key, entry);
        }
        Ok(plan)
    }

    /// The state to persist. Cheap relative to the work it covers: at most `max_in_flight`
    /// actions.
    pub fn checkpoint(&self) -> Checkpoint {
        Checkpoint {
            version: CHECKPOINT_VERSION,
            facts: self.facts.clone(),
            cursor: self.cursor.clone(),
            end_of_followers: self.end_of_followers,
            in_flight: {
                let mut in_flight: Vec<InFlight> = self
                    .entries
                    .iter()
                    .map(|(key, e)| InFlight {
                        action: self.build(*key, e),
                        attempts: e.attempts,
                    })
                    .collect();
                in_flight.sort_unstable_by_key(|f| f.action.key);
                in_flight
            },
            report: self.report.clone(),
        }
    }

    /// The move being carried out.
    pub fn facts(&self) -> &MoveFacts {
        &self.facts
    }

    /// The configuration in force (normalised: every bound at least 1).
    pub fn config(&self) -> &PlanConfig {
        &self.config
    }

    /// Last follower id planned.
    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    /// Actions not yet confirmed (ready, handed out or waiting for a retry).
    pub fn in_flight(&self) -> usize {
        self.entries.len()
    }

    /// The report so far.
    pub fn report(&self) -> &PlanReport {
        &self.report
    }

    /// All followers planned and every action confirmed.
    pub fn is_finished(&self) -> bool {
        self.end_of_followers && self.entries.is_empty()
    }

    /// What to do next. `now` releases actions whose retry time has come.
    pub fn poll(&mut self, now: SystemTime) -> Step {
        self.release_due(now);
        if let Some(batch) = self.next_batch() {
            return Step::Deliver(batch);
        }
        if !self.end_of_followers {
            // Each follower holds at most two actions at a time (follow/update/undo + notify).
            let room = self.config.max_in_flight.saturating_sub(self.entries.len()) / 2;
            if room > 0 {
                return Step::NeedFollowers {
                    after: self.cursor.clone(),
                    max: room.min(self.config.page_size),
                };
            }
        }
        if self.is_finished() {
            self.report.finished = true;
            return Step::Finished;
        }
        Step::Wait {
            awaiting: self.issued,
            next_retry: self.timers.first().map(|(at, _)| *at),
        }
    }

    /// Plans one follower of the origin. Followers must arrive in strictly increasing id order.
    ///
    /// Errors leave the follower unplanned (feed it again later); an unusable row is not an
    /// error but a recorded failure ([`Disposition::Invalid`]), so one bad row never stops the
    /// others.
    pub fn feed(&mut self, follower: LocalFollower) -> Result<Disposition, PlanError> {
        if self.end_of_followers {
            return Err(PlanError::FeedAfterEnd);
        }
        self.check_order(&follower.follower_id)?;
        if self.entries.len().saturating_add(2) > self.config.max_in_flight {
            return Err(PlanError::Backpressure);
        }
        if follower.follower_id.is_empty()
            || follower.follower_id.len() > MAX_ID_LEN
            || follower
                .settings
                .languages
                .as_ref()
                .is_some_and(|l| l.len() > super::MAX_LANGUAGES)
        {
            let reason = "follower row unusable: empty or overlong id, or too many languages";
            self.record_invalid(&follower.follower_id, reason);
            if !follower.follower_id.is_empty() && follower.follower_id.len() <= MAX_ID_LEN {
                self.cursor = Some(follower.follower_id);
            }
            return Ok(Disposition::Invalid);
        }
        let LocalFollower {
            follower_id,
            settings,
            blocks_target,
            blocked_by_target,
            follows_target,
        } = follower;
        let disposition = self.plan_follower(
            &follower_id,
            settings,
            blocks_target,
            blocked_by_target,
            follows_target,
        );
        self.cursor = Some(follower_id);
        Ok(disposition)
    }

    /// The follower store could not produce the row for `follower_id` (for example a decoding
    /// error): record it as a failure and move the cursor past it, so the others go on (E18).
    pub fn skip_follower(&mut self, follower_id: &str, reason: &str) -> Result<(), PlanError> {
        if self.end_of_followers {
            return Err(PlanError::FeedAfterEnd);
        }
        self.check_order(follower_id)?;
        self.record_invalid(follower_id, reason);
        if !follower_id.is_empty() && follower_id.len() <= MAX_ID_LEN {
            self.cursor = Some(follower_id.to_owned());
        }
        Ok(())
    }

    /// The follower stream is exhausted.
    pub fn end_of_followers(&mut self) {
        self.end_of_followers = true;
    }

    /// The action `key` was carried out. Releases the `Undo(Follow)` of the origin when `key`
    /// is the follower's new follow.
    pub fn handle_delivered(&mut self, key: &ActionKey) -> Result<(), PlanError> {
        let entry = self.take_issued(key)?;
        let counts = &mut self.report.counts;
        let release_undo = match entry.kind {
            ActionKind::Follow => {
                if entry.request {
                    counts.follow_requests_sent += 1;
                    self.report
                        .push_pending(&entry.follower, self.config.report_detail_limit);
                } else {
                    counts.follows_sent += 1;
                }
                match self.config.unfollow_origin {
                    UnfollowOrigin::AfterFollowDelivered => true,
                    UnfollowOrigin::KeepWhileRequestPending => !entry.request,
                    UnfollowOrigin::Never => false,
                }
            }
            ActionKind::UpdateFollow => {
                counts.settings_updated += 1;
                self.config.unfollow_origin == UnfollowOrigin::AfterFollowDelivered
            }
            ActionKind::UndoFollow => {
                counts.undos_sent += 1;
                false
            }
            ActionKind::Notify => {
                counts.notifications_sent += 1;
                false
            }
            // Never planned here (restore refuses one): nothing to count or release.
            ActionKind::RejectFollow => false,
        };
        if release_undo {
            let undo = self.undo_entry(entry.follower);
            self.insert_ready(key.sibling(ActionKind::UndoFollow), undo);
        }
        Ok(())
    }

    /// The action `key` failed. A transient failure is retried with exponential backoff until
    /// [`RetryPolicy::max_attempts`](super::RetryPolicy); a permanent one (or the last attempt)
    /// is recorded in the report. A failed follow never releases the undo of the old follow.
    pub fn handle_failed(
        &mut self,
        key: &ActionKey,
        reason: &str,
        permanent: bool,
        now: SystemTime,
    ) -> Result<Retry, PlanError> {
        let mut entry = self.take_issued(key)?;
        entry.attempts = entry.attempts.saturating_add(1);
        if !permanent && entry.attempts < self.config.retry.max_attempts {
            let at = now
                .checked_add(self.config.retry.delay_after(entry.attempts))
                .unwrap_or(now);
            self.report.counts.retries += 1;
            entry.state = State::Waiting(at);
            self.timers.insert((at, *key));
            self.entries.insert(*key, entry);
            return Ok(Retry::At(at));
        }
        let kind = entry.kind;
        self.report.counts.failed_actions += 1;
        if kind == ActionKind::Follow {
            self.report.counts.failed_followers += 1;
        }
        self.report.push_failure(
            Failure {
                follower_id: entry.follower.to_string(),
                key: Some(*key),
                action: Some(kind),
                reason: reason.chars().take(1024).collect(),
                attempts: entry.attempts,
            },
            self.config.report_detail_limit,
        );
        Ok(Retry::GaveUp)
    }

    fn take_issued(&mut self, key: &ActionKey) -> Result<Entry, PlanError> {
        match self.entries.entry(*key) {
            MapEntry::Vacant(_) => Err(PlanError::UnknownAction { key: *key }),
            MapEntry::Occupied(o) if o.get().state == State::Issued => {
                self.issued = self.issued.saturating_sub(1);
                Ok(o.remove())
            }
            MapEntry::Occupied(_) => Err(PlanError::NotIssued { key: *key }),
        }
    }

    /// Followers must come in strictly increasing id order (the store's stable order).
    fn check_order(&self, follower_id: &str) -> Result<(), PlanError> {
        match &self.cursor {
            Some(cursor) if follower_id <= cursor.as_str() => Err(PlanError::OutOfOrder {
                follower_id: follower_id.chars().take(MAX_ID_LEN).collect(),
                cursor: cursor.clone(),
            }),
            _ => Ok(()),
        }
    }

    fn record_invalid(&mut self, follower_id: &str, reason: &str) {
        self.report.counts.invalid_followers += 1;
        self.report.push_failure(
            Failure {
                follower_id: follower_id.chars().take(MAX_ID_LEN).collect(),
                key: None,
                action: None,
                reason: reason.chars().take(1024).collect(),
                attempts: 0,
            },
            self.config.report_detail_limit,
        );
    }

    fn plan_follower(
        &mut self,
        id: &str,
        settings: FollowSettings,
        blocks_target: bool,
        blocked_by_target: bool,
        follows_target: Option<super::ExistingFollow>,
    ) -> Disposition {
        self.report.counts.followers_planned += 1;
        if id == self.facts.target.id || id == self.facts.origin.id {
            // E6 / Mastodon PR #12301: the target must not follow itself.
            self.report.counts.skipped_self += 1;
            return Disposition::SkippedSelf;
        }
        let digest = follower_digest_from(self.shared.key_prefix.clone(), id);
        let follower: Arc<str> = Arc::from(id);
        let disposition = if blocks_target {
            // E7: Mastodon `following_not_allowed?` — no follow, and no unfollow either.
            self.report.counts.skipped_blocks_target += 1;
            Disposition::SkippedBlocksTarget
        } else if blocked_by_target {
            self.report.counts.skipped_blocked_by_target += 1;
            Disposition::SkippedBlockedByTarget
        } else if let Some(existing) = follows_target {
            // E14: idempotent follow. Copy the settings like Mastodon's FollowService does for
            // an existing follow; undo the origin once that is stored (or at once if unchanged).
            self.report.counts.already_following += 1;
            if existing.settings != settings {
                let entry = self.entry(
                    Arc::clone(&follower),
                    ActionKind::UpdateFollow,
                    self.fixed.local,
                    Some(settings),
                    false,
                );
                self.insert_ready(
                    ActionKey::from_digest(&digest, ActionKind::UpdateFollow),
                    entry,
                );
            } else if self.config.unfollow_origin == UnfollowOrigin::AfterFollowDelivered
                || (self.config.unfollow_origin == UnfollowOrigin::KeepWhileRequestPending
                    && !existing.pending)
            {
                let undo = self.undo_entry(Arc::clone(&follower));
                self.insert_ready(
                    ActionKey::from_digest(&digest, ActionKind::UndoFollow),
                    undo,
                );
            }
            Disposition::AlreadyFollowing
        } else {
            // §1.8 #41: a locked target gets requests, unless it is local (bypass_locked).
            let request = self.facts.target_locked && !self.facts.target_is_local;
            let entry = self.entry(
                Arc::clone(&follower),
                ActionKind::Follow,
                self.fixed.follow,
                Some(settings),
                request,
            );
            self.insert_ready(ActionKey::from_digest(&digest, ActionKind::Follow), entry);
            if request {
                Disposition::FollowRequest
            } else {
                Disposition::Follow
            }
        };
        if self.config.notify_followers {
            let entry = self.entry(follower, ActionKind::Notify, self.fixed.local, None, false);
            self.insert_ready(ActionKey::from_digest(&digest, ActionKind::Notify), entry);
        }
        disposition
    }

    fn entry(
        &self,
        follower: Arc<str>,
        kind: ActionKind,
        slot: usize,
        settings: Option<FollowSettings>,
        request: bool,
    ) -> Entry {
        Entry {
            follower,
            kind,
            request,
            settings,
            slot,
            attempts: 0,
            state: State::Ready,
        }
    }

    fn undo_entry(&self, follower: Arc<str>) -> Entry {
        self.entry(
            follower,
            ActionKind::UndoFollow,
            self.fixed.undo,
            None,
            false,
        )
    }

    /// The action an entry stands for.
    fn build(&self, key: ActionKey, entry: &Entry) -> Action {
        build_action(&self.shared, &self.slots.destinations, key, entry)
    }

    fn insert_ready(&mut self, key: ActionKey, entry: Entry) {
        self.slots.push(entry.slot, key);
        self.entries.insert(key, entry);
    }

    fn release_due(&mut self, now: SystemTime) {
        while let Some((at, _)) = self.timers.first() {
            if *at > now {
                break;
            }
            let Some((_, key)) = self.timers.pop_first() else {
                break;
            };
            if let Some(entry) = self.entries.get_mut(&key) {
                entry.state = State::Ready;
                let slot = entry.slot;
                self.slots.push(slot, key);
            }
        }
    }

    /// Round-robin over destinations so one busy inbox does not starve the others.
    fn next_batch(&mut self) -> Option<Batch> {
        let slot = self.slots.active.pop_front()?;
        let queue = self.slots.queues.get_mut(slot)?;
        let take = queue.len().min(self.config.batch_size);
        let mut keys = std::mem::take(&mut self.scratch);
        keys.clear();
        keys.extend(queue.drain(..take));
        if !queue.is_empty() {
            self.slots.active.push_back(slot);
        }
        let mut actions = Vec::with_capacity(keys.len());
        for key in &keys {
            if let Some(entry) = self.entries.get_mut(key) {
                entry.state = State::Issued;
                self.issued += 1;
                actions.push(build_action(
                    &self.shared,
                    &self.slots.destinations,
                    *key,
                    entry,
                ));
            }
        }
        self.scratch = keys;
        let destination = self.slots.destinations.get(slot)?.clone();
        Some(Batch {
            destination,
            actions,
        })
    }
}

/// The action an entry stands for: its own fields plus the plan's shared strings.
fn build_action(
    shared: &Shared,
    destinations: &[Destination],
    key: ActionKey,
    entry: &Entry,
) -> Action {
    let settings = || entry.settings.clone().unwrap_or_default();
    let body = match entry.kind {
        ActionKind::Follow => ActionBody::Follow {
            target_id: Arc::clone(&shared.target_id),
            settings: settings(),
            request: entry.request,
        },
        ActionKind::UpdateFollow => ActionBody::UpdateFollow {
            target_id: Arc::clone(&shared.target_id),
            settings: settings(),
        },
        ActionKind::UndoFollow => ActionBody::UndoFollow {
            origin_id: Arc::clone(&shared.origin_id),
        },
        ActionKind::Notify => ActionBody::Notify {
            origin_id: Arc::clone(&shared.origin_id),
            target_id: Arc::clone(&shared.target_id),
        },
        // Never planned here (restore refuses one); total for the match.
        ActionKind::RejectFollow => ActionBody::RejectFollow {
            follower: Arc::clone(&entry.follower),
            follow_id: String::new(),
        },
    };
    Action {
        key,
        migration_id: Arc::clone(&shared.migration_id),
        follower_id: Arc::clone(&entry.follower),
        destination: destinations
            .get(entry.slot)
            .cloned()
            .unwrap_or(Destination::Local),
        body,
    }
}
