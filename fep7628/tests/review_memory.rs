//! The review / audit / revert tests over the in-memory stores (the same logic runs over
//! SQLite in `examples/tests/review_sqlite.rs`).

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
