//! The review / audit / revert tests over SQLite: follows in the example server's `Db`, the
//! audit log, review queue, revert checkpoints and imported objects in `ReviewDb`. The test
//! logic is the same generic code the in-memory stores run (`fep7628/tests/review_memory.rs`).

#[path = "../../fep7628/tests/review_support/mod.rs"]
mod review_support;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use examples::db::{Db, Location};
use examples::review_db::ReviewDb;
use fep7628::plan::FollowSettings;
use fep7628::store::FollowState;
use review_support::Backend;

struct Sqlite {
    follows: Db,
    review: ReviewDb,
    dir: PathBuf,
}

impl Sqlite {
    /// Both stores in one fresh database file.
    fn new(name: &str) -> Sqlite {
        static N: AtomicU32 = AtomicU32::new(0);
        let dir = std::env::temp_dir().join(format!(
            "fep7628-review-sqlite-{}-{}-{name}",
            std::process::id(),
            N.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("server.db");
        Sqlite {
            // SQLite's `Db` does its work synchronously inside its futures, so no runtime is needed.
            follows: futures_executor::block_on(Db::open(
                &Location::SqliteFile(path.clone()),
                review_support::HERE,
            ))
            .unwrap(),
            review: ReviewDb::open(&path).unwrap(),
            dir,
        }
    }
}

impl Drop for Sqlite {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

impl Backend for Sqlite {
    type Follows = Db;
    type Audit = ReviewDb;
    type Imports = ReviewDb;
    fn follows(&self) -> &Db {
        &self.follows
    }
    fn audit(&self) -> &ReviewDb {
        &self.review
    }
    fn imports(&self) -> &ReviewDb {
        &self.review
    }
    fn add_local_follow(
        &self,
        follower: &str,
        followed: &str,
        settings: FollowSettings,
        state: FollowState,
    ) {
        // `Db` treats ids under `HERE/users/` as local.
        futures_executor::block_on(
            self.follows
                .put_follow(follower, followed, &settings, state),
        )
        .unwrap();
    }
    fn add_imported(&self, object_id: &str) {
        self.review.add_imported(object_id).unwrap();
    }
    fn imported(&self) -> BTreeSet<String> {
        self.review.imported().unwrap().into_iter().collect()
    }
}

#[test]
fn revert_restores_the_follow_graph() {
    review_support::revert_restores_the_follow_graph(&Sqlite::new("graph"));
}

#[test]
fn plan_audit_is_exact_across_a_crash() {
    review_support::plan_audit_is_exact_across_a_crash(&Sqlite::new("plancrash"));
}

#[test]
fn new_home_revert_removes_arrivals_and_imports() {
    review_support::new_home_revert_removes_arrivals_and_imports(&Sqlite::new("newhome"));
}

#[test]
fn revert_twice_is_a_no_op() {
    review_support::revert_twice_is_a_no_op(&Sqlite::new("twice"));
}

#[test]
fn revert_resumes_after_a_crash() {
    review_support::revert_resumes_after_a_crash(&Sqlite::new("crash"));
}

#[test]
fn held_move_is_queued_and_approved_once() {
    review_support::held_move_is_queued_and_approved_once(&Sqlite::new("held"));
}

#[test]
fn held_followers_are_listed_in_order_and_rejected_once() {
    review_support::held_followers_are_listed_in_order_and_rejected_once(&Sqlite::new("fol"));
}

#[test]
fn origin_queries_match_the_host_exactly() {
    review_support::origin_queries_match_the_host_exactly(&Sqlite::new("host"));
}

/// Two connections to the same file race to decide one item: exactly one wins.
#[test]
fn two_connections_cannot_both_approve() {
    use fep7628::review::{ReviewEvidence, ReviewItem, ReviewState};
    use fep7628::store::{Resolved, ReviewStore};
    let db = Sqlite::new("race");
    let other = ReviewDb::open(&db.dir.join("server.db")).unwrap();
    let id = fep7628::policy::MigrationId::new(review_support::ORIGIN, review_support::TARGET);
    let arrival = fep7628::policy::ArrivingFollower::new(
        &id,
        "https://far.example/users/f",
        review_support::ORIGIN,
        review_support::TARGET,
        review_support::t0(),
    );
    let item = ReviewItem::held_follower(&arrival, &[], ReviewEvidence::default());
    assert!(futures_executor::block_on(db.review.put_review(&item)).unwrap());
    let approve = |by: &str| ReviewState::Approved {
        by: by.into(),
        at: review_support::t0(),
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| {
            futures_executor::block_on(db.review.resolve_review(&item.id, &approve("ann")))
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
}
