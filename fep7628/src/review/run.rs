//! Runs a [`RevertPlan`] over the plug-in traits (async, runtime-free, like
//! [`crate::driver::run_plan`]).

use std::time::SystemTime;

use crate::driver::{DriverOptions, ResumableRun, Want, deliver_in_order, execute, store_outcome};
use crate::plan::{Batch, Destination};
use crate::review::{
    AuditEntry, AuditKind, RevertAction, RevertBatch, RevertBody, RevertConfig, RevertError,
    RevertFacts, RevertPlan, RevertReport, RevertRetry, RevertStep,
};
use crate::store::{
    AuditStore, Clock, Deliverer, DeliveryOutcome, FollowState, FollowStore, ImportStore,
    RevertStore, StoreError,
};

/// The stores and transports a revert uses.
#[derive(Debug)]
pub struct RevertServices<'a, FS, AS, D, IS, C> {
    /// Follows.
    pub follows: &'a FS,
    /// The audit log (read: what the migration did; written: what the revert did) and the
    /// revert checkpoints.
    pub audit: &'a AS,
    /// Outgoing deliveries (`Undo(Follow)` of the target, `Follow` of the origin,
    /// `Reject(Follow)` to an arrived follower).
    pub deliverer: &'a D,
    /// Imported content.
    pub imports: &'a IS,
    /// Time.
    pub clock: &'a C,
}

/// How a revert run ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RevertOutcome {
    /// Everything read and confirmed; the final checkpoint is saved.
    Finished(RevertReport),
    /// The migration had already been reverted: nothing was done (the earlier report).
    AlreadyReverted(RevertReport),
    /// Stopped by [`DriverOptions::crash_after_batches`]; run again to resume.
    Crashed,
}

/// Reverts (or resumes reverting) the migration `facts.migration_id`: withdraws the follows of
/// the target it created, re-follows the origin where it undid a follow (per
/// [`RevertConfig::origin_follows`]), restores settings it overwrote, removes what it
/// imported and (new home) the follows of the followers it brought, sending each a
/// `Reject(Follow)` where the audit entry kept the follower's inbox and `Follow` id. Every executed step is audited under the migration id; a second run after a
/// finished one does nothing.
///
/// Run it once the migration's re-follow plan has finished (or has been stopped): the revert
/// undoes what the audit log says was done, and a plan still running would add to it.
/// Deliveries use the keys of [`RevertAction`]s (derived from the migration id + `#revert`), so
/// a unique-key job queue drops the re-sends that follow a crash.
pub async fn run_revert<FS, AS, D, IS, C>(
    facts: RevertFacts,
    config: RevertConfig,
    services: &RevertServices<'_, FS, AS, D, IS, C>,
    options: &DriverOptions,
) -> Result<RevertOutcome, RevertError>
where
    FS: FollowStore + Sync,
    AS: AuditStore + RevertStore + Sync,
    D: Deliverer + Sync,
    IS: ImportStore + Sync,
    C: Clock + Sync,
{
    let plan = match services
        .audit
        .load_revert_checkpoint(&facts.migration_id)
        .await?
    {
        Some(checkpoint) if checkpoint.report.finished => {
            return Ok(RevertOutcome::AlreadyReverted(checkpoint.report));
        }
        Some(checkpoint) => {
            if checkpoint.facts != facts {
                return Err(RevertError::CheckpointMismatch);
            }
            RevertPlan::restore(checkpoint, config)?
        }
        None => {
            let plan = RevertPlan::new(facts, config)?;
            let entry = plan_entry(&plan, AuditKind::RevertStarted, services.clock.now(), "");
            services.audit.append_entry(&entry).await?;
            services
                .audit
                .save_revert_checkpoint(&plan.facts().migration_id, &plan.checkpoint())
                .await?;
            plan
        }
    };
    execute(&mut RevertRun { plan, services }, options).await
}

fn plan_entry(
    plan: &RevertPlan,
    kind: AuditKind,
    at: std::time::SystemTime,
    detail: &str,
) -> AuditEntry {
    let f = plan.facts();
    AuditEntry::new(f.migration_id.as_str(), at, kind)
        .with_accounts(Some(&f.origin.id), Some(&f.target.id))
        .with_dedupe_key(format!("{} {}", plan.revert_id(), kind.as_str()))
        .with_detail(detail)
}

/// A revert plan with the stores it runs over, for the
/// [shared loop](crate::driver::ResumableRun).
struct RevertRun<'r, 's, FS, AS, D, IS, C> {
    plan: RevertPlan,
    services: &'r RevertServices<'s, FS, AS, D, IS, C>,
}

impl<FS, AS, D, IS, C> ResumableRun for RevertRun<'_, '_, FS, AS, D, IS, C>
where
    FS: FollowStore + Sync,
    AS: AuditStore + RevertStore + Sync,
    D: Deliverer + Sync,
    IS: ImportStore + Sync,
    C: Clock + Sync,
{
    /// `after` and `max` of [`RevertStep::NeedEntries`].
    type Page = (Option<u64>, usize);
    type Batch = RevertBatch;
    type Action = RevertAction;
    type Outcome = RevertOutcome;
    type Error = RevertError;

    fn want(&mut self) -> Want<Self::Page, RevertBatch> {
        match self.plan.poll() {
            RevertStep::NeedEntries { after, max } => Want::Input((after, max)),
            RevertStep::Execute(batch) => Want::Execute(batch),
            // The executor confirms every action before polling again, and a revert has no
            // retry timers.
            RevertStep::Wait => Want::Stalled,
            RevertStep::Finished => Want::Finished,
        }
    }

    fn actions(batch: &RevertBatch) -> &[RevertAction] {
        &batch.actions
    }

    async fn feed_page(&mut self, (after, max): Self::Page) -> Result<(), RevertError> {
        let id = &self.plan.facts().migration_id;
        let page = self
            .services
            .audit
            .migration_entries(id, after, max)
            .await?;
        if page.is_empty() {
            self.plan.end_of_entries();
        }
        for item in page.into_iter().take(max) {
            self.plan.feed(item.seq, &item.value)?;
        }
        Ok(())
    }

    async fn carry_out(&self, batch: &RevertBatch) -> Vec<DeliveryOutcome> {
        let (services, plan) = (self.services, &self.plan);
        // Deliveries first (one batch to the deliverer), in the batch's order; `None` for an
        // action with nothing to deliver.
        let mut delivered: Vec<Option<DeliveryOutcome>> = vec![None; batch.actions.len()];
        if let Destination::Inbox(_) = batch.destination {
            let mut deliveries = Batch {
                destination: batch.destination.clone(),
                actions: Vec::with_capacity(batch.actions.len()),
            };
            for (action, slot) in batch.actions.iter().zip(delivered.iter_mut()) {
                match action.delivery(plan.revert_id()) {
                    Some(a) => deliveries.actions.push(a),
                    None => {
                        *slot = Some(DeliveryOutcome::Failed {
                            reason: "action cannot be delivered".into(),
                            permanent: true,
                        });
                    }
                }
            }
            let mut reported = deliver_in_order(services.deliverer, &deliveries)
                .await
                .into_iter();
            for slot in delivered.iter_mut().filter(|s| s.is_none()) {
                *slot = reported.next();
            }
        }
        // Then the local mirror and the audit entry of each action not failed.
        let mut outcomes = Vec::with_capacity(batch.actions.len());
        for (action, pre) in batch.actions.iter().zip(delivered) {
            if let Some(failed @ DeliveryOutcome::Failed { .. }) = pre {
                outcomes.push(failed);
                continue;
            }
            let done = match apply_locally(services, action).await {
                Ok(()) => services
                    .audit
                    .append_entry(&action.executed_entry(plan.facts(), services.clock.now()))
                    .await
                    .map(|_| ()),
                Err(e) => Err(e),
            };
            outcomes.push(store_outcome(done));
        }
        outcomes
    }

    fn confirm_done(&mut self, action: &RevertAction) -> Result<(), RevertError> {
        Ok(self.plan.handle_done(&action.key)?)
    }

    fn confirm_failed(
        &mut self,
        action: &RevertAction,
        reason: &str,
        permanent: bool,
    ) -> Result<bool, RevertError> {
        let retry = self.plan.handle_failed(&action.key, reason, permanent)?;
        Ok(retry == RevertRetry::GaveUp)
    }

    async fn record_given_up(
        &self,
        action: &RevertAction,
        reason: String,
    ) -> Result<(), RevertError> {
        let mut entry = action
            .executed_entry(self.plan.facts(), self.services.clock.now())
            .with_dedupe_key(format!("{} failed", action.key))
            .with_detail(reason);
        entry.kind = AuditKind::RevertActionFailed;
        self.services.audit.append_entry(&entry).await?;
        Ok(())
    }

    async fn save_checkpoint(&self) -> Result<(), StoreError> {
        let id = &self.plan.facts().migration_id;
        self.services
            .audit
            .save_revert_checkpoint(id, &self.plan.checkpoint())
            .await
    }

    async fn sleep_until(&self, at: SystemTime) {
        self.services.clock.sleep_until(at).await;
    }

    async fn finish(&mut self) -> Result<RevertOutcome, RevertError> {
        let c = &self.plan.report().counts;
        let detail = format!(
            "withdrawn={} refollowed={} restored={} removed={} followers_removed={} \
             followers_rejected={} failed={}",
            c.follows_withdrawn,
            c.origin_refollowed,
            c.settings_restored,
            c.objects_removed,
            c.followers_removed,
            c.followers_rejected,
            c.failed_actions
        );
        let now = self.services.clock.now();
        let entry = plan_entry(&self.plan, AuditKind::RevertFinished, now, &detail);
        self.services.audit.append_entry(&entry).await?;
        self.save_checkpoint().await?;
        Ok(RevertOutcome::Finished(self.plan.report().clone()))
    }

    fn crashed() -> RevertOutcome {
        RevertOutcome::Crashed
    }

    fn stalled() -> RevertError {
        RevertError::Stalled
    }
}

/// Mirrors the action in this server's stores (idempotent).
async fn apply_locally<FS, AS, D, IS, C>(
    services: &RevertServices<'_, FS, AS, D, IS, C>,
    action: &RevertAction,
) -> Result<(), StoreError>
where
    FS: FollowStore + Sync,
    IS: ImportStore + Sync,
{
    match &action.body {
        RevertBody::WithdrawFollow { follower, followed } => {
            services.follows.remove_follow(follower, followed).await
        }
        RevertBody::Refollow {
            follower,
            followed,
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
                .record_follow(follower, followed, settings, state)
                .await
        }
        RevertBody::RestoreSettings {
            follower,
            followed,
            settings,
        } => match services.follows.follow(follower, followed).await? {
            // Unfollowed since: nothing to restore.
            None => Ok(()),
            Some(existing) => {
                services
                    .follows
                    .record_follow(follower, followed, settings, existing.state)
                    .await
            }
        },
        RevertBody::RemoveObject { object_id } => services.imports.remove_imported(object_id).await,
        RevertBody::RemoveFollower { follower, followed }
        | RevertBody::RejectFollower {
            follower, followed, ..
        } => services.follows.remove_follow(follower, followed).await,
    }
}
