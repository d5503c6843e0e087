//! Runs a [`RevertPlan`] over the plug-in traits (async, runtime-free, like
//! [`crate::driver::run_plan`]).

use crate::driver::DriverOptions;
use crate::plan::{Batch, Destination};
use crate::review::{
    AuditEntry, AuditKind, RevertAction, RevertBody, RevertConfig, RevertError, RevertFacts,
    RevertPlan, RevertReport, RevertRetry, RevertStep,
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
    /// Outgoing deliveries (`Undo(Follow)` of the target, `Follow` of the origin).
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
/// [`RevertConfig::origin_follows`]), restores settings it overwrote and removes what it
/// imported. Every executed step is audited under the migration id; a second run after a
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
    let migration_id = facts.migration_id.clone();
    let mut plan = match services.audit.load_revert_checkpoint(&migration_id).await? {
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
                .save_revert_checkpoint(&migration_id, &plan.checkpoint())
                .await?;
            plan
        }
    };
    let mut batches = 0u64;
    let every = options.checkpoint_every.max(1);
    let mut unsaved = 0u32;
    loop {
        match plan.poll() {
            RevertStep::NeedEntries { after, max } => {
                let page = services
                    .audit
                    .migration_entries(&migration_id, after, max)
                    .await?;
                if page.is_empty() {
                    plan.end_of_entries();
                }
                for item in page.into_iter().take(max) {
                    plan.feed(item.seq, &item.value)?;
                }
                services
                    .audit
                    .save_revert_checkpoint(&migration_id, &plan.checkpoint())
                    .await?;
                unsaved = 0;
            }
            RevertStep::Execute(batch) => {
                let outcomes = carry_out(services, &plan, &batch.destination, &batch.actions).await;
                batches += 1;
                if options.crash_after_batches.is_some_and(|n| batches >= n) {
                    return Ok(RevertOutcome::Crashed);
                }
                for (action, outcome) in batch.actions.iter().zip(outcomes) {
                    match outcome {
                        DeliveryOutcome::Delivered => plan.handle_done(&action.key)?,
                        DeliveryOutcome::Failed { reason, permanent } => {
                            if plan.handle_failed(&action.key, &reason, permanent)?
                                == RevertRetry::GaveUp
                            {
                                let mut entry = action
                                    .executed_entry(plan.facts(), services.clock.now())
                                    .with_dedupe_key(format!("{} failed", action.key))
                                    .with_detail(reason);
                                entry.kind = AuditKind::RevertActionFailed;
                                services.audit.append_entry(&entry).await?;
                            }
                        }
                    }
                }
                unsaved += 1;
                if unsaved >= every {
                    services
                        .audit
                        .save_revert_checkpoint(&migration_id, &plan.checkpoint())
                        .await?;
                    unsaved = 0;
                }
            }
            RevertStep::Wait => return Err(RevertError::Stalled),
            RevertStep::Finished => {
                let c = &plan.report().counts;
                let detail = format!(
                    "withdrawn={} refollowed={} restored={} removed={} followers_removed={} failed={}",
                    c.follows_withdrawn,
                    c.origin_refollowed,
                    c.settings_restored,
                    c.objects_removed,
                    c.followers_removed,
                    c.failed_actions
                );
                let entry = plan_entry(
                    &plan,
                    AuditKind::RevertFinished,
                    services.clock.now(),
                    &detail,
                );
                services.audit.append_entry(&entry).await?;
                services
                    .audit
                    .save_revert_checkpoint(&migration_id, &plan.checkpoint())
                    .await?;
                return Ok(RevertOutcome::Finished(plan.report().clone()));
            }
        }
    }
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

/// Carries out a batch; one outcome per action, in order.
async fn carry_out<FS, AS, D, IS, C>(
    services: &RevertServices<'_, FS, AS, D, IS, C>,
    plan: &RevertPlan,
    destination: &Destination,
    actions: &[RevertAction],
) -> Vec<DeliveryOutcome>
where
    FS: FollowStore + Sync,
    AS: AuditStore + RevertStore + Sync,
    D: Deliverer + Sync,
    IS: ImportStore + Sync,
    C: Clock + Sync,
{
    let mut delivered: Vec<Option<DeliveryOutcome>> = vec![None; actions.len()];
    if let Destination::Inbox(_) = destination {
        let mut batch = Batch {
            destination: destination.clone(),
            actions: Vec::with_capacity(actions.len()),
        };
        for (i, action) in actions.iter().enumerate() {
            match action.delivery(plan.revert_id()) {
                Some(a) => batch.actions.push(a),
                None => {
                    if let Some(slot) = delivered.get_mut(i) {
                        *slot = Some(DeliveryOutcome::Failed {
                            reason: "action cannot be delivered".into(),
                            permanent: true,
                        });
                    }
                }
            }
        }
        let mut reported = services.deliverer.deliver(&batch).await;
        for (i, action) in actions.iter().enumerate() {
            let Some(slot) = delivered.get_mut(i) else {
                continue;
            };
            if slot.is_some() {
                continue;
            }
            let found = reported
                .iter()
                .position(|(k, _)| k.to_string() == action.key);
            *slot = Some(match found {
                Some(j) => reported.swap_remove(j).1,
                None => DeliveryOutcome::Failed {
                    reason: "deliverer reported no outcome".into(),
                    permanent: false,
                },
            });
        }
    }
    let mut outcomes = Vec::with_capacity(actions.len());
    for (action, pre) in actions.iter().zip(delivered) {
        let outcome = match pre {
            Some(failed @ DeliveryOutcome::Failed { .. }) => failed,
            _ => {
                let local = apply_locally(services, action).await;
                let audited = match local {
                    Ok(()) => services
                        .audit
                        .append_entry(&action.executed_entry(plan.facts(), services.clock.now()))
                        .await
                        .map(|_| ()),
                    Err(e) => Err(e),
                };
                match audited {
                    Ok(()) => DeliveryOutcome::Delivered,
                    Err(e) => DeliveryOutcome::Failed {
                        permanent: !e.is_transient(),
                        reason: e.to_string(),
                    },
                }
            }
        };
        outcomes.push(outcome);
    }
    outcomes
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
        RevertBody::RemoveFollower { follower, followed } => {
            services.follows.remove_follow(follower, followed).await
        }
    }
}
