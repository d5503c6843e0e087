//! The review / audit / revert store contract over the example's one database layer, on both
//! backends: follows, the audit log, the review queue, revert checkpoints and imported objects
//! all in `examples::db::Db`. The test logic is the same generic code the in-memory stores run
//! (`fep7628/tests/review_memory.rs`). PostgreSQL runs when `FEP7628_TEST_POSTGRES_URL` is set
//! (required under `CI=true`).

#[path = "../../fep7628/tests/review_support/mod.rs"]
mod review_support;

mod common;

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicU32, Ordering};

use examples::db::{Database, Db, Location, RunStorage};
use fep7628::plan::FollowSettings;
use fep7628::store::FollowState;
use review_support::Backend;

/// One server's `Db` in fresh storage (an SQLite file, or a PostgreSQL schema), removed on drop.
struct Store {
    db: Db,
    storage: Option<RunStorage>,
    /// PostgreSQL's connection task runs here; the store's futures are polled by
    /// `futures_executor` on the test thread (as the generic tests do).
    runtime: tokio::runtime::Runtime,
}

impl Store {
    fn new(database: &Database) -> Store {
        // PostgreSQL schema names are at most 63 bytes: a short token, not the test's name.
        static N: AtomicU32 = AtomicU32::new(0);
        let token = format!(
            "rv{}_{}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        );
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .unwrap();
        let (db, storage) = runtime.block_on(async {
            let storage = RunStorage::prepare(database, &token, &["solo"])
                .await
                .unwrap();
            let db = Db::open(&storage.location("solo"), review_support::HERE)
                .await
                .unwrap();
            (db, storage)
        });
        Store {
            db,
            storage: Some(storage),
            runtime,
        }
    }

    /// A second connection to the same file or schema.
    fn reopen(&self) -> Db {
        let location: Location = self.storage.as_ref().unwrap().location("solo");
        self.runtime
            .block_on(Db::open(&location, review_support::HERE))
            .unwrap()
    }
}

impl Drop for Store {
    fn drop(&mut self) {
        if let Some(storage) = self.storage.take() {
            let _ = self.runtime.block_on(storage.cleanup());
        }
    }
}

impl Backend for Store {
    type Follows = Db;
    type Audit = Db;
    type Imports = Db;
    fn follows(&self) -> &Db {
        &self.db
    }
    fn audit(&self) -> &Db {
        &self.db
    }
    fn imports(&self) -> &Db {
        &self.db
    }
    fn add_local_follow(
        &self,
        follower: &str,
        followed: &str,
        settings: FollowSettings,
        state: FollowState,
    ) {
        // `Db` treats ids under `HERE/users/` as local.
        futures_executor::block_on(self.db.put_follow(follower, followed, &settings, state))
            .unwrap();
    }
    fn add_imported(&self, object_id: &str) {
        futures_executor::block_on(self.db.add_imported(object_id)).unwrap();
    }
    fn imported(&self) -> BTreeSet<String> {
        futures_executor::block_on(self.db.imported())
            .unwrap()
            .into_iter()
            .collect()
    }
}

fn sqlite() -> Option<Store> {
    Some(Store::new(&Database::SqliteTemp))
}

fn postgres() -> Option<Store> {
    common::postgres_url().map(|url| Store::new(&Database::Postgres(url)))
}

/// Each generic test, once per backend.
macro_rules! contract {
    ($($test:ident),* $(,)?) => {
        mod on_sqlite {
            use super::*;
            $(#[test] fn $test() {
                if let Some(store) = sqlite() {
                    review_support::$test(&store);
                }
            })*
            #[test]
            fn two_connections_cannot_both_approve() {
                if let Some(store) = sqlite() {
                    super::two_connections_cannot_both_approve(&store);
                }
            }
        }
        mod on_postgres {
            use super::*;
            $(#[test] fn $test() {
                if let Some(store) = postgres() {
                    review_support::$test(&store);
                }
            })*
            #[test]
            fn two_connections_cannot_both_approve() {
                if let Some(store) = postgres() {
                    super::two_connections_cannot_both_approve(&store);
                }
            }
        }
    };
}

contract!(
    revert_restores_the_follow_graph,
    plan_audit_is_exact_across_a_crash,
    new_home_revert_removes_arrivals_and_imports,
    new_home_revert_rejects_once_across_a_crash,
    revert_twice_is_a_no_op,
    revert_resumes_after_a_crash,
    held_move_is_queued_and_approved_once,
    held_followers_are_listed_in_order_and_rejected_once,
    origin_queries_match_the_host_exactly,
);

/// Two connections to the same file or schema race to decide one item: exactly one wins.
fn two_connections_cannot_both_approve(store: &Store) {
    use fep7628::review::{ReviewEvidence, ReviewItem, ReviewState};
    use fep7628::store::{Resolved, ReviewStore};
    let other = store.reopen();
    let id = fep7628::policy::MigrationId::new(review_support::ORIGIN, review_support::TARGET);
    let arrival = fep7628::policy::ArrivingFollower::new(
        &id,
        "https://far.example/users/f",
        review_support::ORIGIN,
        review_support::TARGET,
        review_support::t0(),
    );
    let item = ReviewItem::held_follower(&arrival, &[], ReviewEvidence::default());
    assert!(futures_executor::block_on(store.db.put_review(&item)).unwrap());
    // The same item queued again is kept as it was.
    assert!(!futures_executor::block_on(other.put_review(&item)).unwrap());
    let approve = |by: &str| ReviewState::Approved {
        by: by.into(),
        at: review_support::t0(),
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| {
            futures_executor::block_on(store.db.resolve_review(&item.id, &approve("ann")))
        });
        let b =
            s.spawn(|| futures_executor::block_on(other.resolve_review(&item.id, &approve("bob"))));
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    let wins = [&a, &b]
        .iter()
        .filter(|r| matches!(r, Resolved::Decided(_)))
        .count();
    assert_eq!(wins, 1, "{a:?} {b:?}");
    assert!(matches!(a, Resolved::AlreadyDecided(_)) || matches!(b, Resolved::AlreadyDecided(_)));
    // Both connections now read the winner's decision.
    let stored = futures_executor::block_on(other.review(&item.id))
        .unwrap()
        .unwrap();
    assert_eq!(stored.state.as_str(), "approved");
}
