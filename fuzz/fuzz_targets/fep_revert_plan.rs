//! Stateful target: the revert plan restored from arbitrary checkpoint JSON (never panics,
//! refuses or restores), then an arbitrary sequence of entry feeds, confirmations, failures and
//! checkpoint/restore cycles, checking its invariants and that it always finishes.
#![no_main]

use std::collections::BTreeSet;
use std::time::{Duration, SystemTime};

use arbitrary::Arbitrary;
use fep7628::plan::{ActorRef, FollowSettings};
use fep7628::review::{
    AuditEntry, AuditKind, OriginFollows, PriorFollow, RevertBody, RevertCheckpoint, RevertConfig,
    RevertFacts, RevertPlan, RevertStep,
};
use fep7628::store::FollowState;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Op {
    Feed {
        gap: u8,
        kind: u8,
        follower: u8,
        foreign: bool,
        prior: bool,
        /// The entry keeps the follower's inbox (a new home's arrival: a Reject(Follow)).
        inbox: bool,
    },
    Poll,
    Done {
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
    checkpoint_json: Vec<u8>,
    batch_size: u8,
    max_in_flight: u8,
    page_size: u8,
    max_attempts: u8,
    refollow: bool,
    local_target: bool,
    ops: Vec<Op>,
}

const ORIGIN: &str = "https://old.example/u/a";
const TARGET: &str = "https://new.example/u/a";

const KINDS: [AuditKind; 9] = [
    AuditKind::FollowSent,
    AuditKind::FollowRequestSent,
    AuditKind::UndoSent,
    AuditKind::SettingsUpdated,
    AuditKind::ObjectImported,
    AuditKind::Notified,
    AuditKind::MoveAccepted,
    AuditKind::RevertFollowWithdrawn,
    AuditKind::FollowerArrived,
];

fn facts(local_target: bool) -> RevertFacts {
    RevertFacts {
        migration_id: "mig-f".into(),
        origin: ActorRef::new(ORIGIN, "https://old.example/inbox"),
        target: ActorRef::new(TARGET, "https://new.example/inbox"),
        origin_exists: true,
        origin_locked: false,
        origin_is_local: false,
        target_is_local: local_target,
    }
}

fuzz_target!(|input: Input| {
    let config = RevertConfig {
        batch_size: usize::from(input.batch_size),
        max_in_flight: usize::from(input.max_in_flight),
        page_size: usize::from(input.page_size),
        max_attempts: u32::from(input.max_attempts),
        origin_follows: if input.refollow {
            OriginFollows::Refollow
        } else {
            OriginFollows::Remove
        },
        ..RevertConfig::default()
    };
    // Hostile checkpoints: refused with an error or restored, never a panic.
    if let Ok(cp) = serde_json::from_slice::<RevertCheckpoint>(&input.checkpoint_json)
        && let Ok(mut plan) = RevertPlan::restore(cp, config)
    {
        for _ in 0..64 {
            if let RevertStep::Execute(batch) = plan.poll() {
                for a in batch.actions {
                    let _ = plan.handle_done(&a.key);
                }
            }
        }
    }

    let Ok(mut plan) = RevertPlan::new(facts(input.local_target), config) else {
        return;
    };
    let mut seq = 0u64;
    let mut fed = 0u64;
    let mut issued: Vec<String> = Vec::new();
    let t0 = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    for op in input.ops {
        match op {
            Op::Feed {
                gap,
                kind,
                follower,
                foreign,
                prior,
                inbox,
            } => {
                seq = seq.saturating_add(u64::from(gap));
                let kind = KINDS[usize::from(kind) % KINDS.len()];
                let mut e = AuditEntry::new(if foreign { "mig-x" } else { "mig-f" }, t0, kind)
                    .with_accounts(Some(ORIGIN), Some(TARGET))
                    .with_follower(format!("https://here.example/u/{follower}"));
                e.object_id = Some(format!("https://new.example/s/{follower}"));
                if prior {
                    e.prior = Some(PriorFollow {
                        settings: FollowSettings::default(),
                        state: FollowState::Accepted,
                    });
                }
                if inbox {
                    e = e.with_follow_activity(
                        &format!("https://far.example/u/{follower}/inbox"),
                        &format!("https://far.example/u/{follower}/follows/1"),
                    );
                }
                if plan.feed(seq, &e).is_ok() {
                    fed += 1;
                }
            }
            Op::Poll => {
                if let RevertStep::Execute(batch) = plan.poll() {
                    assert!(!batch.actions.is_empty());
                    assert!(batch.actions.len() <= usize::from(input.batch_size).max(1));
                    for a in &batch.actions {
                        assert_eq!(a.destination, batch.destination);
                        // A Reject is always deliverable: an inbox and a parsable key.
                        if let RevertBody::RejectFollower { .. } = a.body {
                            assert!(a.delivery(plan.revert_id()).is_some());
                        }
                    }
                    issued.extend(batch.actions.into_iter().map(|a| a.key));
                }
            }
            Op::Done { pick } => {
                if !issued.is_empty() {
                    let key = issued.swap_remove(usize::from(pick) % issued.len());
                    let _ = plan.handle_done(&key);
                }
            }
            Op::Failed { pick, permanent } => {
                if !issued.is_empty() {
                    let key = issued.swap_remove(usize::from(pick) % issued.len());
                    let _ = plan.handle_failed(&key, "fuzz", permanent);
                }
            }
            Op::CheckpointRestore => {
                let json = serde_json::to_string(&plan.checkpoint()).expect("serialisable");
                let cp = serde_json::from_str(&json).expect("round trip");
                plan = RevertPlan::restore(cp, config).expect("own checkpoint restores");
                issued.clear();
            }
            Op::End => plan.end_of_entries(),
        }
        assert!(plan.in_flight() <= usize::from(input.max_in_flight).max(1));
    }
    // Drain: confirm everything; the plan must finish.
    plan.end_of_entries();
    let mut keys = BTreeSet::new();
    for _ in 0..100_000 {
        match plan.poll() {
            RevertStep::Execute(batch) => {
                for a in batch.actions {
                    keys.insert(a.key.clone());
                    plan.handle_done(&a.key).expect("issued key");
                }
            }
            RevertStep::Wait => {
                for key in std::mem::take(&mut issued) {
                    let _ = plan.handle_done(&key);
                }
            }
            RevertStep::Finished => {
                let c = &plan.report().counts;
                let done = c.follows_withdrawn
                    + c.origin_refollowed
                    + c.settings_restored
                    + c.objects_removed
                    + c.followers_removed
                    + c.failed_actions;
                assert!(done <= fed, "{done} effects from {fed} entries");
                assert!(c.followers_rejected <= c.followers_removed);
                assert!(c.entries_read <= fed);
                return;
            }
            RevertStep::NeedEntries { .. } => panic!("asked for entries after the end"),
        }
    }
    panic!("revert plan did not finish");
});
