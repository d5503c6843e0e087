//! The review / audit / revert tests over the in-memory stores (the same logic runs over
//! SQLite and PostgreSQL in `examples/tests/review_stores.rs`).

mod review_support;

use std::collections::BTreeSet;

use fep7628::memory::{MemoryAuditStore, MemoryFollowStore, MemoryImportStore};
use fep7628::plan::FollowSettings;
use fep7628::store::FollowState;
use review_support::Backend;

#[derive(Default)]
struct Memory {
    follows: MemoryFollowStore,
    audit: MemoryAuditStore,
    imports: MemoryImportStore,
}

impl Backend for Memory {
    type Follows = MemoryFollowStore;
    type Audit = MemoryAuditStore;
    type Imports = MemoryImportStore;
    fn follows(&self) -> &MemoryFollowStore {
        &self.follows
    }
    fn audit(&self) -> &MemoryAuditStore {
        &self.audit
    }
    fn imports(&self) -> &MemoryImportStore {
        &self.imports
    }
    fn add_local_follow(
        &self,
        follower: &str,
        followed: &str,
        settings: FollowSettings,
        state: FollowState,
    ) {
        self.follows.add_local(follower);
        self.follows.add_follow(follower, followed, settings, state);
    }
    fn add_imported(&self, object_id: &str) {
        self.imports.add(object_id);
    }
    fn imported(&self) -> BTreeSet<String> {
        self.imports.objects()
    }
}

#[test]
fn revert_restores_the_follow_graph() {
    review_support::revert_restores_the_follow_graph(&Memory::default());
}

#[test]
fn plan_audit_is_exact_across_a_crash() {
    review_support::plan_audit_is_exact_across_a_crash(&Memory::default());
}

#[test]
fn new_home_revert_removes_arrivals_and_imports() {
    review_support::new_home_revert_removes_arrivals_and_imports(&Memory::default());
}

#[test]
fn new_home_revert_rejects_once_across_a_crash() {
    review_support::new_home_revert_rejects_once_across_a_crash(&Memory::default());
}

#[test]
fn revert_twice_is_a_no_op() {
    review_support::revert_twice_is_a_no_op(&Memory::default());
}

#[test]
fn revert_resumes_after_a_crash() {
    review_support::revert_resumes_after_a_crash(&Memory::default());
}

#[test]
fn held_move_is_queued_and_approved_once() {
    review_support::held_move_is_queued_and_approved_once(&Memory::default());
}

#[test]
fn held_followers_are_listed_in_order_and_rejected_once() {
    review_support::held_followers_are_listed_in_order_and_rejected_once(&Memory::default());
}

#[test]
fn origin_queries_match_the_host_exactly() {
    review_support::origin_queries_match_the_host_exactly(&Memory::default());
}

/// Scale: N followers (`REVIEW_SCALE_N`, default 1000) migrate and are reverted through the
/// drivers; the graph comes back exactly and the revert's checkpoint stays bounded by its
/// in-flight limit, not by N.
#[test]
fn revert_at_scale_restores_everything_with_a_bounded_checkpoint() {
    use std::time::Instant;

    use fep7628::driver::{DriverOptions, RunOutcome, run_plan_audited};
    use fep7628::plan::{ActorRef, MoveFacts, PlanConfig};
    use fep7628::review::{RevertConfig, RevertFacts, RevertOutcome, run_revert};
    use fep7628::store::RevertStore;

    let n: usize = std::env::var("REVIEW_SCALE_N")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let origin = "https://old.example/users/a";
    let target = "https://new.example/users/a";
    let m = Memory::default();
    for i in 0..n {
        m.add_local_follow(
            &format!("https://here.example/users/u{i:07}"),
            origin,
            FollowSettings::default(),
            FollowState::Accepted,
        );
    }
    let before = m.follows.followers_of(origin);
    let rig = review_support::Rig::new();
    let services = rig.services(&m);
    let o = ActorRef::new(origin, "https://old.example/inbox");
    let t = ActorRef::new(target, "https://new.example/inbox");
    let facts = MoveFacts {
        migration_id: "mig-scale".into(),
        origin: o.clone(),
        target: t.clone(),
        target_locked: false,
        target_is_local: false,
    };
    let started = Instant::now();
    let out = futures_executor::block_on(run_plan_audited(
        facts,
        PlanConfig::default(),
        &services,
        &m.audit,
        &DriverOptions::default(),
    ))
    .unwrap();
    assert!(matches!(out, RunOutcome::Finished(_)));
    let migrated = started.elapsed();
    assert_eq!(m.follows.followers_of(target).len(), n);

    let config = RevertConfig {
        max_in_flight: 256,
        ..RevertConfig::default()
    };
    let rfacts = RevertFacts {
        migration_id: "mig-scale".into(),
        origin: o,
        target: t,
        origin_exists: true,
        origin_locked: false,
        origin_is_local: false,
        target_is_local: false,
    };
    let rservices = rig.revert_services(&m);
    // Stop mid-way to look at the checkpoint, then finish.
    let crash = DriverOptions {
        crash_after_batches: Some(20),
        ..DriverOptions::default()
    };
    let started = Instant::now();
    let out =
        futures_executor::block_on(run_revert(rfacts.clone(), config, &rservices, &crash)).unwrap();
    assert_eq!(out, RevertOutcome::Crashed);
    let cp = futures_executor::block_on(m.audit.load_revert_checkpoint("mig-scale"))
        .unwrap()
        .unwrap();
    assert!(cp.in_flight.len() <= 256, "{}", cp.in_flight.len());
    let out = futures_executor::block_on(run_revert(
        rfacts,
        config,
        &rservices,
        &DriverOptions::default(),
    ))
    .unwrap();
    let reverted = started.elapsed();
    let RevertOutcome::Finished(report) = out else {
        panic!("{out:?}");
    };
    assert_eq!(report.counts.follows_withdrawn, n as u64);
    assert_eq!(report.counts.origin_refollowed, n as u64);
    assert_eq!(m.follows.followers_of(origin), before);
    assert!(m.follows.followers_of(target).is_empty());
    eprintln!("n={n} migrate+audit {migrated:?} revert {reverted:?}");
}
