//! The async driver over the in-memory reference stores, on a simulated clock.

#[path = "support/plan_facts.rs"]
mod plan_facts;

use std::time::Duration;

use fep7628::driver::{DriverOptions, RunOutcome, Services, run_plan};
use fep7628::memory::{
    MemoryFollowStore, MemoryMoveStore, RecordingDeliverer, RecordingNotifier, SimulatedClock,
};
use fep7628::plan::{ActionKey, ActionKind, FollowSettings, MoveFacts, PlanConfig, PlanReport};
use fep7628::store::{FollowState, FollowStore, MoveStore, StoreErrorKind};
use futures_executor::block_on;
use plan_facts::{ORIGIN, TARGET, move_facts, t0};

fn facts() -> MoveFacts {
    move_facts("move-1")
}

fn fid(i: usize) -> String {
    format!("https://here.example/users/u{i:05}")
}

struct World {
    follows: MemoryFollowStore,
    moves: MemoryMoveStore,
    deliverer: RecordingDeliverer,
    notifier: RecordingNotifier,
    clock: SimulatedClock,
}

impl World {
    fn with_followers(n: usize) -> Self {
        let w = World {
            follows: MemoryFollowStore::new(),
            moves: MemoryMoveStore::new(),
            deliverer: RecordingDeliverer::new(),
            notifier: RecordingNotifier::new(),
            clock: SimulatedClock::new(t0()),
        };
        for i in 0..n {
            w.follows.add_local(fid(i));
            let settings = FollowSettings {
                show_reblogs: i % 2 == 1,
                notify: i.is_multiple_of(7),
                languages: None,
            };
            w.follows
                .add_follow(fid(i), ORIGIN, settings, FollowState::Accepted);
        }
        // A remote follower of the origin: not ours to move.
        w.follows.add_follow(
            "https://elsewhere.example/users/zed",
            ORIGIN,
            FollowSettings::default(),
            FollowState::Accepted,
        );
        w
    }

    fn run(&self, config: PlanConfig, options: DriverOptions) -> RunOutcome {
        let services = Services {
            follows: &self.follows,
            moves: &self.moves,
            deliverer: &self.deliverer,
            notifier: &self.notifier,
            clock: &self.clock,
        };
        block_on(run_plan(facts(), config, &services, &options)).expect("run")
    }

    fn run_to_end(&self, config: PlanConfig, options: DriverOptions) -> (PlanReport, usize) {
        let mut crashes = 0;
        loop {
            match self.run(config.clone(), options.clone()) {
                RunOutcome::Finished(r) => return (r, crashes),
                RunOutcome::Crashed => crashes += 1,
            }
            assert!(crashes < 10_000, "no progress");
        }
    }

    /// Followers whose follow took effect, sorted (effects are keyed by hash).
    fn follow_effects(&self) -> Vec<String> {
        let mut v: Vec<String> = self
            .deliverer
            .effects()
            .values()
            .filter(|a| a.kind() == ActionKind::Follow)
            .map(|a| a.follower_id.to_string())
            .collect();
        v.sort();
        v
    }
}

#[test]
fn migrates_local_followers_and_mirrors_the_follow_store() {
    let w = World::with_followers(50);
    let (report, _) = w.run_to_end(PlanConfig::default(), DriverOptions::default());
    assert_eq!(report.counts.follows_sent, 50);
    assert_eq!(report.counts.undos_sent, 50);
    assert_eq!(w.notifier.notifications().len(), 50);
    let now_following = w.follows.followers_of(TARGET);
    assert_eq!(now_following.len(), 50);
    // Settings copied.
    for (follower, rec) in &now_following {
        let i: usize = follower.rsplit('u').next().unwrap().parse().unwrap();
        assert_eq!(rec.settings.show_reblogs, i % 2 == 1);
        assert_eq!(rec.settings.notify, i.is_multiple_of(7));
    }
    // Only the remote follower is left on the origin.
    let left: Vec<_> = w
        .follows
        .followers_of(ORIGIN)
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert_eq!(left, ["https://elsewhere.example/users/zed"]);
    assert_eq!(w.deliverer.duplicates(), 0);
    let audit: Vec<_> = w.moves.audit().into_iter().map(|a| a.event).collect();
    assert_eq!(audit, ["plan_started", "plan_finished"]);
    // Running again after the end does nothing new.
    let sends = w.deliverer.sends().len();
    let (again, _) = w.run_to_end(PlanConfig::default(), DriverOptions::default());
    assert_eq!(again.counts, report.counts);
    assert_eq!(w.deliverer.sends().len(), sends);
}

#[test]
fn crashes_at_the_worst_moment_lose_nothing_and_effects_happen_once() {
    let w = World::with_followers(200);
    let config = PlanConfig {
        batch_size: 8,
        max_in_flight: 32,
        page_size: 8,
        ..PlanConfig::default()
    };
    let options = DriverOptions {
        checkpoint_every: 3,
        crash_after_batches: Some(5),
    };
    let (report, crashes) = w.run_to_end(config, options);
    assert!(crashes > 5, "crashes: {crashes}");
    let effects = w.follow_effects();
    let expected: Vec<_> = (0..200).map(fid).collect();
    assert_eq!(effects, expected, "every follow exactly once by key");
    // Re-sent actions exist (the crash hits after delivery, before the checkpoint)…
    assert!(w.deliverer.duplicates() > 0);
    // …but the store state is exact: every follower follows the target once and not the origin.
    assert_eq!(w.follows.followers_of(TARGET).len(), 200);
    assert_eq!(w.follows.followers_of(ORIGIN).len(), 1);
    // The report survives restarts through the (write-ahead) checkpoint and is exact.
    assert_eq!(report.counts.followers_planned, 200);
    assert_eq!(report.counts.follows_sent, 200);
    assert_eq!(report.counts.undos_sent, 200);
    assert_eq!(report.counts.notifications_sent, 200);
    assert_eq!(w.notifier.notifications().len(), 200);
}

#[test]
fn one_followers_store_failure_is_isolated_and_reported() {
    let w = World::with_followers(20);
    w.follows.fail_writes_of(fid(7), StoreErrorKind::Rejected);
    let (report, _) = w.run_to_end(PlanConfig::default(), DriverOptions::default());
    assert_eq!(report.counts.failed_followers, 1);
    assert_eq!(report.counts.follows_sent, 19);
    assert_eq!(report.failures[0].follower_id, fid(7));
    assert!(report.failures[0].reason.contains("store_rejected"));
    // The failed follower still follows the origin (no undo without a new follow).
    assert!(
        block_on(w.follows.follow(&fid(7), ORIGIN))
            .unwrap()
            .is_some()
    );
    assert!(
        w.moves
            .audit()
            .iter()
            .any(|a| a.event == "action_failed" && a.subject.as_deref() == Some(&fid(7)))
    );
}

#[test]
fn transient_delivery_failures_are_retried_on_the_simulated_clock() {
    let w = World::with_followers(5);
    let key = ActionKey::derive("move-1", &fid(2), ActionKind::Follow);
    w.deliverer.script_failure(key, 3, false);
    let doomed = ActionKey::derive("move-1", &fid(4), ActionKind::Follow);
    w.deliverer.script_failure(doomed, 0, true);
    let (report, _) = w.run_to_end(PlanConfig::default(), DriverOptions::default());
    assert_eq!(report.counts.retries, 3);
    assert_eq!(report.counts.follows_sent, 4);
    assert_eq!(report.counts.failed_followers, 1);
    // 30 s, 60 s, 120 s of backoff passed on the simulated clock.
    assert_eq!(
        fep7628::store::Clock::now(&w.clock),
        t0() + Duration::from_secs(210)
    );
    let sends = w.deliverer.sends();
    assert_eq!(sends.iter().filter(|k| **k == key).count(), 4);
}

#[test]
fn blocks_and_existing_follows_from_the_store() {
    let w = World::with_followers(4);
    w.follows.add_block(fid(0), TARGET);
    w.follows.add_block(TARGET, fid(1));
    w.follows.add_follow(
        fid(2),
        TARGET,
        FollowSettings::default(),
        FollowState::Accepted,
    );
    let (report, _) = w.run_to_end(PlanConfig::default(), DriverOptions::default());
    let c = &report.counts;
    assert_eq!(
        (
            c.skipped_blocks_target,
            c.skipped_blocked_by_target,
            c.already_following,
            c.follows_sent
        ),
        (1, 1, 1, 1)
    );
    assert_eq!(w.follow_effects(), [fid(3)]);
    // Settings of the existing follow updated to the ones of the origin follow (show_reblogs
    // false for even i).
    let rec = block_on(w.follows.follow(&fid(2), TARGET))
        .unwrap()
        .unwrap();
    assert!(!rec.settings.show_reblogs);
    // Blocked followers keep following the origin; the others moved.
    let left: Vec<_> = w
        .follows
        .followers_of(ORIGIN)
        .into_iter()
        .map(|f| f.0)
        .collect();
    assert_eq!(
        left,
        [
            "https://elsewhere.example/users/zed".to_string(),
            fid(0),
            fid(1)
        ]
    );
}

#[test]
fn stored_checkpoint_of_other_facts_is_refused() {
    let w = World::with_followers(3);
    let other = MoveFacts {
        target_locked: true,
        ..facts()
    };
    let mut plan = fep7628::plan::RefollowPlan::new(other, PlanConfig::default()).unwrap();
    plan.end_of_followers();
    block_on(w.moves.save_checkpoint("move-1", &plan.checkpoint())).unwrap();
    let services = Services {
        follows: &w.follows,
        moves: &w.moves,
        deliverer: &w.deliverer,
        notifier: &w.notifier,
        clock: &w.clock,
    };
    let err = block_on(run_plan(
        facts(),
        PlanConfig::default(),
        &services,
        &DriverOptions::default(),
    ))
    .unwrap_err();
    assert_eq!(err.kind(), "checkpoint_mismatch");
}

#[test]
fn driver_future_is_send() {
    fn assert_send<T: Send>(_: &T) {}
    let w = World::with_followers(1);
    let services = Services {
        follows: &w.follows,
        moves: &w.moves,
        deliverer: &w.deliverer,
        notifier: &w.notifier,
        clock: &w.clock,
    };
    let options = DriverOptions::default();
    let fut = run_plan(facts(), PlanConfig::default(), &services, &options);
    assert_send(&fut);
    drop(fut);
}
