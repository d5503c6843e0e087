//! Stateful target: an arbitrary sequence of feeds, confirmations, failures and
//! checkpoint/restore cycles against the re-follow plan, checking its invariants throughout and
//! that it always finishes with consistent counts.
#![no_main]

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

use arbitrary::Arbitrary;
use fep7628::plan::{
    ActionKey, ActionKind, ActorRef, Disposition, ExistingFollow, FollowSettings, LocalFollower,
    MoveFacts, PlanConfig, RefollowPlan, RetryPolicy, Step, UnfollowOrigin,
};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Op {
    Feed {
        id: u16,
        blocks: bool,
        blocked: bool,
        existing: Option<(bool, bool)>,
        boosts: bool,
    },
    Skip {
        id: u16,
    },
    Poll {
        advance_secs: u16,
    },
    Delivered {
        pick: u8,
    },
    Failed {
        pick: u8,
        permanent: bool,
    },
    CheckpointRestore,
    End,
}

#[derive(Arbitrary, Debug)]
struct Input {
    locked: bool,
    local: bool,
    batch_size: u8,
    max_in_flight: u8,
    page_size: u8,
    unfollow: u8,
    max_attempts: u8,
    ops: Vec<Op>,
}

const TARGET: &str = "https://new.example/u/t";

fn id(n: u16) -> String {
    if n == u16::MAX {
        return TARGET.to_string();
    }
    format!("https://here.example/u/{n:05}")
}

struct Harness {
    plan: RefollowPlan,
    config: PlanConfig,
    now: SystemTime,
    issued: Vec<ActionKey>,
    confirmed: BTreeSet<ActionKey>,
    /// Undo keys that may be handed out: the new follow/update was confirmed, or the follower
    /// already followed the target.
    undo_allowed: BTreeSet<ActionKey>,
}

impl Harness {
    fn poll(&mut self) -> Step {
        let step = self.plan.poll(self.now);
        let limit = self.plan.config().max_in_flight;
        assert!(self.plan.in_flight() <= limit, "in flight above the bound");
        if let Step::Deliver(batch) = &step {
            assert!(!batch.actions.is_empty());
            assert!(batch.actions.len() <= self.plan.config().batch_size);
            for a in &batch.actions {
                assert_eq!(a.destination, batch.destination);
                assert!(
                    !self.confirmed.contains(&a.key),
                    "confirmed action handed out again"
                );
                if a.kind() == ActionKind::UndoFollow {
                    assert!(
                        self.undo_allowed.contains(&a.key),
                        "undo before the new follow was delivered"
                    );
                }
                self.issued.push(a.key);
            }
        }
        step
    }

    fn delivered(&mut self, key: ActionKey) {
        self.plan
            .handle_delivered(&key)
            .expect("issued action confirms");
        if matches!(key.kind(), ActionKind::Follow | ActionKind::UpdateFollow) {
            // Every action of a follower shares the key's hex part: allow its undo.
            self.undo_allowed
                .insert(key.sibling(ActionKind::UndoFollow));
        }
        assert!(
            self.plan.handle_delivered(&key).is_err(),
            "double confirmation accepted"
        );
        self.confirmed.insert(key);
    }
}

fuzz_target!(|input: Input| {
    let facts = MoveFacts {
        migration_id: "fuzz".into(),
        origin: ActorRef::new("https://old.example/u/o", "https://old.example/inbox"),
        target: ActorRef::new(TARGET, "https://new.example/inbox"),
        target_locked: input.locked,
        target_is_local: input.local,
    };
    let config = PlanConfig {
        batch_size: usize::from(input.batch_size % 16),
        max_in_flight: usize::from(input.max_in_flight % 64),
        page_size: usize::from(input.page_size % 16),
        unfollow_origin: match input.unfollow % 3 {
            0 => UnfollowOrigin::AfterFollowDelivered,
            1 => UnfollowOrigin::KeepWhileRequestPending,
            _ => UnfollowOrigin::Never,
        },
        retry: RetryPolicy {
            max_attempts: u32::from(input.max_attempts % 6),
            base_delay: Duration::from_secs(5),
            max_delay: Duration::from_secs(60),
        },
        report_detail_limit: 8,
        ..PlanConfig::default()
    };
    let mut h = Harness {
        plan: RefollowPlan::new(facts, config.clone()).expect("valid facts"),
        config,
        now: SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000),
        issued: Vec::new(),
        confirmed: BTreeSet::new(),
        undo_allowed: BTreeSet::new(),
    };
    for op in input.ops.into_iter().take(512) {
        match op {
            Op::Feed {
                id: n,
                blocks,
                blocked,
                existing,
                boosts,
            } => {
                let mut f = LocalFollower::new(id(n)).with_settings(FollowSettings {
                    show_reblogs: boosts,
                    ..FollowSettings::default()
                });
                f.blocks_target = blocks;
                f.blocked_by_target = blocked;
                f.follows_target = existing.map(|(pending, same)| ExistingFollow {
                    settings: FollowSettings {
                        show_reblogs: if same { boosts } else { !boosts },
                        ..FollowSettings::default()
                    },
                    pending,
                });
                let key = ActionKey::derive("fuzz", &f.follower_id, ActionKind::UndoFollow);
                if let Ok(Disposition::AlreadyFollowing) = h.plan.feed(f) {
                    h.undo_allowed.insert(key);
                }
            }
            Op::Skip { id: n } => {
                let _ = h.plan.skip_follower(&id(n), "row does not decode");
            }
            Op::Poll { advance_secs } => {
                h.now += Duration::from_secs(u64::from(advance_secs));
                let _ = h.poll();
            }
            Op::Delivered { pick } => {
                if !h.issued.is_empty() {
                    let key = h.issued.swap_remove(usize::from(pick) % h.issued.len());
                    h.delivered(key);
                }
            }
            Op::Failed { pick, permanent } => {
                if !h.issued.is_empty() {
                    let key = h.issued.swap_remove(usize::from(pick) % h.issued.len());
                    h.plan
                        .handle_failed(&key, "fuzz", permanent, h.now)
                        .expect("issued action fails");
                }
            }
            Op::CheckpointRestore => {
                let checkpoint = h.plan.checkpoint();
                h.plan = RefollowPlan::restore(checkpoint, h.config.clone()).expect("restores");
                // Everything unconfirmed is handed out again.
                h.issued.clear();
            }
            Op::End => h.plan.end_of_followers(),
        }
    }
    // Drain to the end: feed nothing more, confirm everything, jump to retry times.
    h.plan.end_of_followers();
    let mut guard = 0u32;
    loop {
        guard += 1;
        assert!(guard < 100_000, "plan does not finish");
        match h.poll() {
            Step::Deliver(batch) => {
                for a in batch.actions {
                    h.issued.retain(|k| *k != a.key);
                    h.delivered(a.key);
                }
            }
            Step::Wait {
                next_retry: Some(at),
                ..
            } => h.now = h.now.max(at),
            Step::Wait {
                next_retry: None, ..
            } => {
                // Actions handed out earlier and never answered: confirm them now.
                assert!(!h.issued.is_empty(), "waiting for nothing");
                for key in std::mem::take(&mut h.issued) {
                    h.delivered(key);
                }
            }
            Step::NeedFollowers { .. } => panic!("asked for followers after the end"),
            Step::Finished => break,
        }
    }
    let c = &h.plan.report().counts;
    assert_eq!(
        c.followers_planned,
        c.follows_sent
            + c.follow_requests_sent
            + c.already_following
            + c.skipped_self
            + c.skipped_blocks_target
            + c.skipped_blocked_by_target
            + c.failed_followers,
        "every planned follower has exactly one outcome: {c:?}"
    );
    assert!(h.plan.report().finished);
});
