//! An async driver that runs the sans-IO core over the [plug-in traits](crate::store).
//!
//! It needs no particular runtime: it only awaits the traits' futures (which are `Send`, so the
//! driver's future is `Send` when the stores are `Sync`). Use it when you have no job queue of
//! your own; with one, drive [`RefollowPlan`] directly as shown in
//! [the plan's documentation](crate::plan#using-your-own-job-queue-instead-of-the-driver).
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use fep7628::driver::{run_plan, DriverOptions, RunOutcome, Services};
//! use fep7628::memory::{MemoryFollowStore, MemoryMoveStore, RecordingDeliverer,
//!     RecordingNotifier, SimulatedClock};
//! use fep7628::plan::{ActorRef, FollowSettings, MoveFacts, PlanConfig};
//! use fep7628::store::FollowState;
//!
//! let follows = MemoryFollowStore::new();
//! for i in 0..3 {
//!     let id = format!("https://here.example/users/u{i}");
//!     follows.add_local(id.clone());
//!     follows.add_follow(id, "https://old.example/a", FollowSettings::default(), FollowState::Accepted);
//! }
//! let moves = MemoryMoveStore::new();
//! let deliverer = RecordingDeliverer::new();
//! let notifier = RecordingNotifier::new();
//! let clock = SimulatedClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
//! let services = Services { follows: &follows, moves: &moves, deliverer: &deliverer,
//!     notifier: &notifier, clock: &clock };
//! let facts = MoveFacts {
//!     migration_id: "m1".into(),
//!     origin: ActorRef::new("https://old.example/a", "https://old.example/a/inbox"),
//!     target: ActorRef::new("https://new.example/a", "https://new.example/a/inbox"),
//!     target_locked: false,
//!     target_is_local: false,
//! };
//! let outcome = futures_executor::block_on(run_plan(facts, PlanConfig::default(), &services,
//!     &DriverOptions::default()))?;
//! let RunOutcome::Finished(report) = outcome else { panic!("not finished") };
//! assert_eq!(report.counts.follows_sent, 3);
//! assert_eq!(follows.followers_of("https://new.example/a").len(), 3);
//! assert!(follows.followers_of("https://old.example/a").is_empty());
//! # Ok::<(), fep7628::driver::DriverError>(())
//! ```
//!
//! # Integration point: the inbound pipeline
//!
//! `run_move_check(check, &fetcher, &services)` belongs here once `inbound::MoveCheck` exists
//! (issue 6, items 1–2). It will loop on `check.next()`: `Step::Fetch(url)` →
//! [`Fetcher::fetch`](crate::store::Fetcher::fetch), `Step::Lookup(query)` →
//! [`MoveStore`] / [`FollowStore`], until
//! `Step::Done(Decision)`; on `Accept(verified)` it records the move
//! ([`MoveStore::record_move`], key (origin, target)) and
//! hands `MoveFacts::from(&verified)` to [`run_plan`]. [`Services`] already carries every store
//! it needs except the fetcher, which it takes as an argument. Nothing of it exists yet.

mod executor;

use std::future::{Future, ready};
use std::time::SystemTime;

pub(crate) use executor::{ResumableRun, Want, deliver_in_order, execute, store_outcome};

use crate::plan::{
    Action, ActionBody, Batch, Destination, MoveFacts, PlanConfig, PlanError, PlanReport,
    RefollowPlan, Step,
};
use crate::review::{AuditEntry, AuditKind, PriorFollow};
use crate::store::{
    AuditRecord, AuditStore, Clock, Deliverer, DeliveryOutcome, FollowState, FollowStore,
    FollowerPageQuery, MoveStore, Notifier, StoreError,
};

/// The stores and transports the driver uses.
#[derive(Debug)]
pub struct Services<'a, FS, MS, D, N, C> {
    /// Follows and blocks.
    pub follows: &'a FS,
    /// Moves, checkpoints, audit.
    pub moves: &'a MS,
    /// Outgoing deliveries.
    pub deliverer: &'a D,
    /// Notifications.
    pub notifier: &'a N,
    /// Time.
    pub clock: &'a C,
}

/// Driver knobs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DriverOptions {
    /// Save the checkpoint after this many confirmed batches (and always before sleeping and at
    /// the end). 1 = after every batch: a crash then re-sends at most the batch in progress.
    pub checkpoint_every: u32,
    /// **Simulates a crash** (for tests and drills): stop right after carrying out this many
    /// batches, before confirming the last one or saving the checkpoint — the worst moment.
    pub crash_after_batches: Option<u64>,
}

impl Default for DriverOptions {
    fn default() -> Self {
        DriverOptions {
            checkpoint_every: 1,
            crash_after_batches: None,
        }
    }
}

/// How a run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RunOutcome {
    /// Every follower planned, every action confirmed. The final checkpoint is saved.
    Finished(PlanReport),
    /// Stopped by [`DriverOptions::crash_after_batches`]; run again to resume from the last
    /// saved checkpoint.
    Crashed,
}

/// Why a run stopped early. The last saved checkpoint stays valid: run again to resume.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DriverError {
    /// The plan refused the facts, a checkpoint or the store's follower order.
    #[error(transparent)]
    Plan(#[from] PlanError),
    /// A store failed where the run cannot go on without it (follower pages, checkpoints).
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The stored checkpoint belongs to other move facts than the ones given.
    #[error("stored checkpoint is for other move facts")]
    CheckpointMismatch,
    /// The plan waits for confirmations the driver never received (an internal invariant).
    #[error("plan stalled waiting for confirmations")]
    Stalled,
}

impl DriverError {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            DriverError::Plan(e) => e.kind(),
            DriverError::Store(e) => e.kind(),
            DriverError::CheckpointMismatch => "checkpoint_mismatch",
            DriverError::Stalled => "stalled",
        }
    }
}

/// Runs (or resumes, if the [`MoveStore`] holds a checkpoint for `facts.migration_id`) the
/// re-follow plan to the end.
///
/// Per action: remote `Follow`/`Undo` go to the [`Deliverer`] by batch; on success the follow is
/// recorded in (or removed from) the [`FollowStore`]. Local actions are written straight to the
/// stores and the [`Notifier`]. A failing action is retried with backoff (the driver sleeps on
/// the [`Clock`]) and finally recorded; it never stops the others.
pub async fn run_plan<FS, MS, D, N, C>(
    facts: MoveFacts,
    config: PlanConfig,
    services: &Services<'_, FS, MS, D, N, C>,
    options: &DriverOptions,
) -> Result<RunOutcome, DriverError>
where
    FS: FollowStore + Sync,
    MS: MoveStore + Sync,
    D: Deliverer + Sync,
    N: Notifier + Sync,
    C: Clock + Sync,
{
    run(facts, config, services, &NoEntries, options).await
}

/// [`run_plan`], and every executed action also becomes a typed
/// [`AuditEntry`] in `audit`: `plan_started`, `follow_sent` / `follow_request_sent`,
/// `undo_sent` and `settings_updated` (with the follow as it was before, so a
/// [revert](crate::review::run_revert) can restore it), `notified`, `skipped`,
/// `action_failed`, `plan_finished` — each with the migration id, origin (and its host), target,
/// follower and time, deduped by the action's idempotency key so a resumed run audits each
/// action once.
///
/// An action's entry is appended once it was delivered and before its local mirror is written;
/// if the append fails, the action counts as a transient failure and is carried out again with
/// the same key.
pub async fn run_plan_audited<FS, MS, D, N, C, A>(
    facts: MoveFacts,
    config: PlanConfig,
    services: &Services<'_, FS, MS, D, N, C>,
    audit: &A,
    options: &DriverOptions,
) -> Result<RunOutcome, DriverError>
where
    FS: FollowStore + Sync,
    MS: MoveStore + Sync,
    D: Deliverer + Sync,
    N: Notifier + Sync,
    C: Clock + Sync,
    A: AuditStore + Sync,
{
    run(facts, config, services, &Entries(audit), options).await
}

/// Where typed audit entries go (nowhere for [`run_plan`]).
trait EntrySink {
    /// Entries are kept (so the driver reads the prior follow state for them).
    fn enabled(&self) -> bool;
    fn append(&self, entry: &AuditEntry) -> impl Future<Output = Result<(), StoreError>> + Send;
}

struct NoEntries;

impl EntrySink for NoEntries {
    fn enabled(&self) -> bool {
        false
    }
    fn append(&self, _entry: &AuditEntry) -> impl Future<Output = Result<(), StoreError>> + Send {
        ready(Ok(()))
    }
}

struct Entries<'a, A>(&'a A);

impl<A: AuditStore + Sync> EntrySink for Entries<'_, A> {
    fn enabled(&self) -> bool {
        true
    }
    fn append(&self, entry: &AuditEntry) -> impl Future<Output = Result<(), StoreError>> + Send {
        let store = self.0;
        async move { store.append_entry(entry).await.map(|_| ()) }
    }
}

async fn run<FS, MS, D, N, C, S>(
    facts: MoveFacts,
    config: PlanConfig,
    services: &Services<'_, FS, MS, D, N, C>,
    sink: &S,
    options: &DriverOptions,
) -> Result<RunOutcome, DriverError>
where
    FS: FollowStore + Sync,
    MS: MoveStore + Sync,
    D: Deliverer + Sync,
    N: Notifier + Sync,
    C: Clock + Sync,
    S: EntrySink + Sync,
{
    let plan = match services.moves.load_checkpoint(&facts.migration_id).await? {
        Some(checkpoint) => {
            if checkpoint.facts != facts {
                return Err(DriverError::CheckpointMismatch);
            }
            RefollowPlan::restore(checkpoint, config)?
        }
        None => {
            let plan = RefollowPlan::new(facts, config)?;
            audit(services, &plan, "plan_started", None, String::new()).await?;
            let entry = AuditEntry::plan_event(
                plan.facts(),
                AuditKind::PlanStarted,
                String::new(),
                services.clock.now(),
            );
            sink.append(&entry).await?;
            plan
        }
    };
    let mut run = RefollowRun {
        plan,
        services,
        sink,
    };
    execute(&mut run, options).await
}

/// A re-follow plan with the stores it runs over, for the [shared loop](executor).
struct RefollowRun<'r, 's, FS, MS, D, N, C, S> {
    plan: RefollowPlan,
    services: &'r Services<'s, FS, MS, D, N, C>,
    sink: &'r S,
}

impl<FS, MS, D, N, C, S> ResumableRun for RefollowRun<'_, '_, FS, MS, D, N, C, S>
where
    FS: FollowStore + Sync,
    MS: MoveStore + Sync,
    D: Deliverer + Sync,
    N: Notifier + Sync,
    C: Clock + Sync,
    S: EntrySink + Sync,
{
    /// `after` and `max` of [`Step::NeedFollowers`].
    type Page = (Option<String>, usize);
    type Batch = Batch;
    type Action = Action;
    type Outcome = RunOutcome;
    type Error = DriverError;

    fn want(&mut self) -> Want<Self::Page, Batch> {
        match self.plan.poll(self.services.clock.now()) {
            Step::NeedFollowers { after, max } => Want::Input((after, max)),
            Step::Deliver(batch) => Want::Execute(batch),
            Step::Wait {
                next_retry: Some(at),
                ..
            } => Want::SleepUntil(at),
            // The executor confirms every action before polling again, so the plan waits only
            // for retry timers.
            Step::Wait {
                next_retry: None, ..
            } => Want::Stalled,
            Step::Finished => Want::Finished,
        }
    }

    fn actions(batch: &Batch) -> &[Action] {
        &batch.actions
    }

    async fn feed_page(&mut self, (after, max): Self::Page) -> Result<(), DriverError> {
        let query = FollowerPageQuery {
            followed: self.plan.facts().origin.id.clone(),
            relative_to: self.plan.facts().target.id.clone(),
            after,
            limit: max,
        };
        let page = self.services.follows.followers_page(&query).await?;
        if page.is_empty() {
            self.plan.end_of_followers();
        }
        for follower in page.into_iter().take(max) {
            let id = self.sink.enabled().then(|| follower.follower_id.clone());
            let disposition = self.plan.feed(follower)?;
            if let Some(id) = id
                && let Some(entry) = AuditEntry::follower_skipped(
                    self.plan.facts(),
                    &id,
                    disposition,
                    self.services.clock.now(),
                )
            {
                self.sink.append(&entry).await?;
            }
        }
        Ok(())
    }

    async fn carry_out(&self, batch: &Batch) -> Vec<DeliveryOutcome> {
        let (services, sink, facts) = (self.services, self.sink, self.plan.facts());
        let mut outcomes = Vec::with_capacity(batch.actions.len());
        let delivered = match batch.destination {
            Destination::Inbox(_) => deliver_in_order(services.deliverer, batch).await,
            Destination::Local => vec![DeliveryOutcome::Delivered; batch.actions.len()],
        };
        for (action, outcome) in batch.actions.iter().zip(delivered) {
            if let DeliveryOutcome::Failed { .. } = outcome {
                outcomes.push(outcome);
                continue;
            }
            let done = match audit_executed(services, sink, facts, action).await {
                Err(e) => Err(e),
                Ok(()) => match (&batch.destination, &action.body) {
                    (Destination::Local, ActionBody::Notify { .. }) => {
                        services.notifier.notify_moved(action).await
                    }
                    _ => record_locally(services, action).await,
                },
            };
            outcomes.push(store_outcome(done));
        }
        outcomes
    }

    fn confirm_done(&mut self, action: &Action) -> Result<(), DriverError> {
        Ok(self.plan.handle_delivered(&action.key)?)
    }

    fn confirm_failed(
        &mut self,
        action: &Action,
        reason: &str,
        permanent: bool,
    ) -> Result<bool, DriverError> {
        let now = self.services.clock.now();
        let retry = self
            .plan
            .handle_failed(&action.key, reason, permanent, now)?;
        Ok(retry == crate::plan::Retry::GaveUp)
    }

    async fn record_given_up(&self, action: &Action, reason: String) -> Result<(), DriverError> {
        let (services, plan) = (self.services, &self.plan);
        let entry = AuditEntry::action_failed(plan.facts(), action, &reason, services.clock.now());
        self.sink.append(&entry).await?;
        let detail = format!("{} {}: {reason}", action.kind().as_str(), action.key);
        let subject = Some(action.follower_id.to_string());
        audit(services, plan, "action_failed", subject, detail).await?;
        Ok(())
    }

    async fn save_checkpoint(&self) -> Result<(), StoreError> {
        let id = &self.plan.facts().migration_id;
        self.services
            .moves
            .save_checkpoint(id, &self.plan.checkpoint())
            .await
    }

    async fn sleep_until(&self, at: SystemTime) {
        self.services.clock.sleep_until(at).await;
    }

    async fn finish(&mut self) -> Result<RunOutcome, DriverError> {
        self.save_checkpoint().await?;
        let counts = &self.plan.report().counts;
        let detail = format!(
            "followers={} follows={} requests={} failed={}",
            counts.followers_planned,
            counts.follows_sent,
            counts.follow_requests_sent,
            counts.failed_followers
        );
        let entry = AuditEntry::plan_event(
            self.plan.facts(),
            AuditKind::PlanFinished,
            detail.clone(),
            self.services.clock.now(),
        );
        self.sink.append(&entry).await?;
        audit(self.services, &self.plan, "plan_finished", None, detail).await?;
        Ok(RunOutcome::Finished(self.plan.report().clone()))
    }

    fn crashed() -> RunOutcome {
        RunOutcome::Crashed
    }

    fn stalled() -> DriverError {
        DriverError::Stalled
    }
}

/// Appends the typed entry of a carried-out action, with the follow it changes or removes as it
/// was before (read now, before the local mirror is written).
async fn audit_executed<FS, MS, D, N, C, S>(
    services: &Services<'_, FS, MS, D, N, C>,
    sink: &S,
    facts: &MoveFacts,
    action: &Action,
) -> Result<(), StoreError>
where
    FS: FollowStore + Sync,
    C: Clock + Sync,
    S: EntrySink + Sync,
{
    if !sink.enabled() {
        return Ok(());
    }
    let changed = match &action.body {
        ActionBody::UndoFollow { origin_id } => Some(origin_id),
        ActionBody::UpdateFollow { target_id, .. } => Some(target_id),
        ActionBody::Follow { .. } | ActionBody::Notify { .. } | ActionBody::RejectFollow { .. } => {
            None
        }
    };
    let prior = match changed {
        Some(followed) => services
            .follows
            .follow(&action.follower_id, followed)
            .await?
            .map(|f| PriorFollow {
                settings: f.settings,
                state: f.state,
            }),
        None => None,
    };
    let entry = AuditEntry::action_executed(facts, action, prior, services.clock.now());
    sink.append(&entry).await
}

/// Mirrors a carried-out follow/undo in the follow store (idempotent).
async fn record_locally<FS, MS, D, N, C>(
    services: &Services<'_, FS, MS, D, N, C>,
    action: &Action,
) -> Result<(), StoreError>
where
    FS: FollowStore + Sync,
{
    match &action.body {
        ActionBody::Follow {
            target_id,
            settings,
            request,
        } => {
            let state = if *request {
                FollowState::Pending
            } else {
                FollowState::Accepted
            };
            services
                .follows
                .record_follow(&action.follower_id, target_id, settings, state)
                .await
        }
        ActionBody::UpdateFollow {
            target_id,
            settings,
        } => {
            let state = services
                .follows
                .follow(&action.follower_id, target_id)
                .await?
                .map_or(FollowState::Accepted, |f| f.state);
            services
                .follows
                .record_follow(&action.follower_id, target_id, settings, state)
                .await
        }
        ActionBody::UndoFollow { origin_id } => {
            services
                .follows
                .remove_follow(&action.follower_id, origin_id)
                .await
        }
        ActionBody::Notify { .. } => Ok(()),
        // Made by a revert only; its meaning, all the same: the follow is gone.
        ActionBody::RejectFollow { follower, .. } => {
            services
                .follows
                .remove_follow(follower, &action.follower_id)
                .await
        }
    }
}

async fn audit<FS, MS, D, N, C>(
    services: &Services<'_, FS, MS, D, N, C>,
    plan: &RefollowPlan,
    event: &str,
    subject: Option<String>,
    detail: String,
) -> Result<(), StoreError>
where
    MS: MoveStore + Sync,
    C: Clock + Sync,
{
    let at: SystemTime = services.clock.now();
    services
        .moves
        .append_audit(&AuditRecord {
            migration_id: plan.facts().migration_id.clone(),
            at,
            event: event.to_owned(),
            subject,
            detail,
        })
        .await
}
