//! Model-based simulation: random follower sets, random crash points and delivery failures.
//! Whatever happens, the follows that take effect are exactly the expected set, once each, and
//! the stores end in the expected state.

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

use fep7628::driver::{DriverOptions, RunOutcome, Services, run_plan};
use fep7628::memory::{
    MemoryFollowStore, MemoryMoveStore, RecordingDeliverer, RecordingNotifier, SimulatedClock,
};
use fep7628::plan::{ActionKey, ActionKind, ActorRef, FollowSettings, MoveFacts, PlanConfig};
use fep7628::store::{FollowState, FollowStore};
use futures_executor::block_on;
use proptest::prelude::*;

const ORIGIN: &str = "https://old.example/users/alice";
const TARGET: &str = "https://new.example/users/alice";

#[derive(Clone, Debug)]
struct SimFollower {
    local: bool,
    blocks_target: bool,
    blocked_by_target: bool,
    already_follows: bool,
    /// Transient failures of its follow delivery before success.
    transient: u32,
    permanent: bool,
}

fn sim_follower() -> impl Strategy<Value = SimFollower> {
    (
        prop::bool::weighted(0.9),
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.1),
        prop_oneof![6 => Just(0u32), 1 => 1u32..4],
        prop::bool::weighted(0.1),
    )
        .prop_map(
            |(local, blocks_target, blocked_by_target, already_follows, transient, permanent)| {
                SimFollower {
                    local,
                    blocks_target,
                    blocked_by_target,
                    already_follows,
                    transient,
                    permanent,
                }
            },
        )
}

#[derive(Clone, Debug)]
struct Scenario {
    followers: Vec<SimFollower>,
    target_follows_origin: bool,
    locked: bool,
    batch_size: usize,
    max_in_flight: usize,
    page_size: usize,
    checkpoint_every: u32,
    /// One entry per run: crash after that many batches. After the list, runs go to the end.
    crashes: Vec<u64>,
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        prop::collection::vec(sim_follower(), 0..40),
        any::<bool>(),
        any::<bool>(),
        1usize..8,
        2usize..24,
        1usize..10,
        1u32..4,
        prop::collection::vec(1u64..12, 0..8),
    )
        .prop_map(
            |(
                followers,
                target_follows_origin,
                locked,
                batch_size,
                max_in_flight,
                page_size,
                checkpoint_every,
                crashes,
            )| Scenario {
                followers,
                target_follows_origin,
                locked,
                batch_size,
                max_in_flight,
                page_size,
                checkpoint_every,
                crashes,
            },
        )
}

fn fid(i: usize) -> String {
    format!("https://here.example/users/u{i:03}")
}

fn run(s: &Scenario) -> Result<(), TestCaseError> {
    let facts = MoveFacts {
        migration_id: "sim".into(),
        origin: ActorRef::new(ORIGIN, format!("{ORIGIN}/inbox")),
        target: ActorRef::new(TARGET, format!("{TARGET}/inbox"))
            .with_shared_inbox("https://new.example/inbox"),
        target_locked: s.locked,
        target_is_local: false,
    };
    let follows = MemoryFollowStore::new();
    let moves = MemoryMoveStore::new();
    let deliverer = RecordingDeliverer::new();
    let notifier = RecordingNotifier::new();
    let clock = SimulatedClock::new(SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000));
    let mut expected = BTreeSet::new();
    let mut failing = BTreeSet::new();
    let mut stay = BTreeSet::new();
    for (i, f) in s.followers.iter().enumerate() {
        let id = fid(i);
        if f.local {
            follows.add_local(id.clone());
        }
        follows.add_follow(
            id.clone(),
            ORIGIN,
            FollowSettings::default(),
            FollowState::Accepted,
        );
        if f.blocks_target {
            follows.add_block(id.clone(), TARGET);
        }
        if f.blocked_by_target {
            follows.add_block(TARGET, id.clone());
        }
        if f.already_follows {
            follows.add_follow(
                id.clone(),
                TARGET,
                FollowSettings::default(),
                FollowState::Accepted,
            );
        }
        let key = ActionKey::derive("sim", &id, ActionKind::Follow);
        if f.transient > 0 || f.permanent {
            deliverer.script_failure(key, f.transient, f.permanent);
        }
        let moves_on = f.local && !f.blocks_target && !f.blocked_by_target && !f.already_follows;
        if moves_on && f.permanent {
            failing.insert(id.clone());
        } else if moves_on {
            expected.insert(id.clone());
        }
        if !f.local || f.blocks_target || f.blocked_by_target || (moves_on && f.permanent) {
            stay.insert(id);
        }
    }
    if s.target_follows_origin {
        // The target itself is a local follower of the origin: never made to follow itself.
        follows.add_local(TARGET);
        follows.add_follow(
            TARGET,
            ORIGIN,
            FollowSettings::default(),
            FollowState::Accepted,
        );
        stay.insert(TARGET.to_string());
    }
    let services = Services {
        follows: &follows,
        moves: &moves,
        deliverer: &deliverer,
        notifier: &notifier,
        clock: &clock,
    };
    let config = PlanConfig {
        batch_size: s.batch_size,
        max_in_flight: s.max_in_flight,
        page_size: s.page_size,
        ..PlanConfig::default()
    };
    let mut crashes = s.crashes.iter();
    let report = loop {
        let options = DriverOptions {
            checkpoint_every: s.checkpoint_every,
            crash_after_batches: crashes.next().copied(),
        };
        match block_on(run_plan(facts.clone(), config.clone(), &services, &options)) {
            Ok(RunOutcome::Finished(r)) => break r,
            Ok(RunOutcome::Crashed) => {}
            Err(e) => return Err(TestCaseError::fail(format!("driver error {e}"))),
        }
    };
    let effects: BTreeSet<String> = deliverer
        .effects()
        .values()
        .filter(|a| a.kind() == ActionKind::Follow)
        .map(|a| a.follower_id.to_string())
        .collect();
    prop_assert_eq!(&effects, &expected);
    // Store state: movers follow the target and not the origin; the others keep the origin.
    let on_target: BTreeSet<String> = follows
        .followers_of(TARGET)
        .into_iter()
        .map(|f| f.0)
        .collect();
    let on_origin: BTreeSet<String> = follows
        .followers_of(ORIGIN)
        .into_iter()
        .map(|f| f.0)
        .collect();
    for id in &expected {
        prop_assert!(on_target.contains(id), "{} not following target", id);
        prop_assert!(!on_origin.contains(id), "{} still following origin", id);
        let rec = block_on(follows.follow(id, TARGET)).unwrap().unwrap();
        let want = if s.locked {
            FollowState::Pending
        } else {
            FollowState::Accepted
        };
        prop_assert_eq!(rec.state, want);
    }
    prop_assert_eq!(&on_origin, &stay);
    prop_assert!(!on_target.contains(TARGET));
    // Exact counts despite crashes (write-ahead checkpoints).
    let moved = report.counts.follows_sent + report.counts.follow_requests_sent;
    prop_assert_eq!(moved, expected.len() as u64);
    prop_assert_eq!(report.counts.failed_followers, failing.len() as u64);
    if s.locked {
        prop_assert_eq!(report.pending_requests.len(), expected.len());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]
    #[test]
    fn delivered_follows_are_exactly_the_expected_set(s in scenario()) {
        run(&s)?;
    }
}
