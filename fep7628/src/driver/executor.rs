//! The loop every resumable plan run shares, written once: ask the plan what it wants, feed it
//! a page of input, carry out a batch through the transport and confirm each action's
//! outcome, save the checkpoint, sleep until a retry is due, finish.
//!
//! [`run_plan`](super::run_plan), [`run_plan_audited`](super::run_plan_audited) (over a
//! [`RefollowPlan`](crate::plan::RefollowPlan)) and [`run_revert`](crate::review::run_revert)
//! (over a [`RevertPlan`](crate::review::RevertPlan)) are this loop over their own
//! [`ResumableRun`]. Their crash and resume behaviour is therefore the same: the checkpoint is
//! saved after every page fed (write-ahead), every
//! [`checkpoint_every`](super::DriverOptions::checkpoint_every) confirmed batches, before
//! sleeping and at the end; a crash re-sends at most the batches carried out since.

use std::future::Future;
use std::time::SystemTime;

use super::DriverOptions;
use crate::plan::Batch;
use crate::store::{Deliverer, DeliveryOutcome, StoreError};

/// What a plan wants next, as the executor sees it.
pub(crate) enum Want<P, B> {
    /// Read this page of input (followers, audit entries) and feed it to the plan.
    Input(P),
    /// Carry out this batch, then confirm every action of it.
    Execute(B),
    /// Nothing is due before this time (a retry timer).
    SleepUntil(SystemTime),
    /// The plan waits for confirmations the executor never gets (an internal invariant).
    Stalled,
    /// Everything read and every action confirmed.
    Finished,
}

/// A resumable plan of actions with the stores and transport it runs over.
pub(crate) trait ResumableRun {
    /// The page of input the plan asks for (a cursor and a size).
    type Page: Send;
    /// What the plan hands out at once.
    type Batch: Send + Sync;
    /// One action of a batch.
    type Action: Sync;
    /// How a run ends when it is not an error.
    type Outcome;
    /// Why a run stops early.
    type Error: From<StoreError>;

    /// The next step of the plan.
    fn want(&mut self) -> Want<Self::Page, Self::Batch>;

    /// The actions of `batch`, in the order [`ResumableRun::carry_out`] reports on them.
    fn actions(batch: &Self::Batch) -> &[Self::Action];

    /// Reads `page` and feeds it to the plan (an empty page ends the input).
    fn feed_page(
        &mut self,
        page: Self::Page,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// Carries out `batch`: one outcome per action, in order. A failure is an outcome, never
    /// an error: it is confirmed to the plan, which retries it or gives up.
    fn carry_out(&self, batch: &Self::Batch) -> impl Future<Output = Vec<DeliveryOutcome>> + Send;

    /// The action was carried out.
    fn confirm_done(&mut self, action: &Self::Action) -> Result<(), Self::Error>;

    /// The action failed; `Ok(true)` when the plan gave up on it (then
    /// [`ResumableRun::record_given_up`] is called).
    fn confirm_failed(
        &mut self,
        action: &Self::Action,
        reason: &str,
        permanent: bool,
    ) -> Result<bool, Self::Error>;

    /// Audits an action the plan gave up on.
    fn record_given_up(
        &self,
        action: &Self::Action,
        reason: String,
    ) -> impl Future<Output = Result<(), Self::Error>> + Send;

    /// Persists the plan's checkpoint.
    fn save_checkpoint(&self) -> impl Future<Output = Result<(), StoreError>> + Send;

    /// Completes at or after `at`.
    fn sleep_until(&self, at: SystemTime) -> impl Future<Output = ()> + Send;

    /// Audits the end, saves the final checkpoint and reports.
    fn finish(&mut self) -> impl Future<Output = Result<Self::Outcome, Self::Error>> + Send;

    /// The outcome of a run stopped by [`DriverOptions::crash_after_batches`].
    fn crashed() -> Self::Outcome;

    /// The error of a stalled plan.
    fn stalled() -> Self::Error;
}

/// Runs `run` to its end, or to the simulated crash of `options`.
pub(crate) async fn execute<R: ResumableRun + Send>(
    run: &mut R,
    options: &DriverOptions,
) -> Result<R::Outcome, R::Error> {
    let every = options.checkpoint_every.max(1);
    let mut unsaved = 0u32;
    let mut batches = 0u64;
    loop {
        match run.want() {
            Want::Input(page) => {
                run.feed_page(page).await?;
                // Write-ahead: persist the new cursor before carrying out anything planned from
                // this page. Carrying out an action can remove the input it came from (an undo
                // removes the follower from the origin's followers), so input planned after the
                // last saved cursor might never be fed again; with the cursor saved first, its
                // actions are in the checkpoint.
                run.save_checkpoint().await?;
                unsaved = 0;
            }
            Want::Execute(batch) => {
                let outcomes = run.carry_out(&batch).await;
                batches += 1;
                if options.crash_after_batches.is_some_and(|n| batches >= n) {
                    return Ok(R::crashed());
                }
                for (action, outcome) in R::actions(&batch).iter().zip(outcomes) {
                    match outcome {
                        DeliveryOutcome::Delivered => run.confirm_done(action)?,
                        DeliveryOutcome::Failed { reason, permanent } => {
                            if run.confirm_failed(action, &reason, permanent)? {
                                run.record_given_up(action, reason).await?;
                            }
                        }
                    }
                }
                unsaved += 1;
                if unsaved >= every {
                    run.save_checkpoint().await?;
                    unsaved = 0;
                }
            }
            Want::SleepUntil(at) => {
                run.save_checkpoint().await?;
                unsaved = 0;
                run.sleep_until(at).await;
            }
            Want::Stalled => return Err(R::stalled()),
            Want::Finished => return run.finish().await,
        }
    }
}

/// Hands `batch` to the deliverer and returns one outcome per action, in the batch's order
/// (the deliverer may report in any order; an action it reports nothing on is a transient
/// failure).
pub(crate) async fn deliver_in_order<D: Deliverer + Sync>(
    deliverer: &D,
    batch: &Batch,
) -> Vec<DeliveryOutcome> {
    let mut reported = deliverer.deliver(batch).await;
    batch
        .actions
        .iter()
        .map(
            |action| match reported.iter().position(|(k, _)| *k == action.key) {
                Some(i) => reported.swap_remove(i).1,
                None => DeliveryOutcome::Failed {
                    reason: "deliverer reported no outcome".into(),
                    permanent: false,
                },
            },
        )
        .collect()
}

/// A local write's result as an outcome: a store error fails the action, permanently unless
/// the store says it is transient.
pub(crate) fn store_outcome(result: Result<(), StoreError>) -> DeliveryOutcome {
    match result {
        Ok(()) => DeliveryOutcome::Delivered,
        Err(e) => DeliveryOutcome::Failed {
            permanent: !e.is_transient(),
            reason: e.to_string(),
        },
    }
}
