//! The re-follow plan state machine, driven by hand (no stores).

#[path = "support/plan_facts.rs"]
mod plan_facts;

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use fep7628::plan::{
    ActionBody, ActionKey, ActionKind, CHECKPOINT_VERSION, Checkpoint, Destination, Disposition,
    ExistingFollow, FollowSettings, LocalFollower, MoveFacts, PlanConfig, PlanError, RefollowPlan,
    Retry, RetryPolicy, Step, UnfollowOrigin,
};
use plan_facts::{ORIGIN, TARGET, move_facts, t0};

fn facts() -> MoveFacts {
    move_facts("https://old.example/users/alice#moves/1")
}

fn fid(i: usize) -> String {
    format!("https://here.example/users/u{i:06}")
}

/// Feeds the followers after `after` (at most `max`) as the store would page them; an empty
/// page ends the stream.
fn feed_page(
    plan: &mut RefollowPlan,
    followers: &[LocalFollower],
    after: Option<&str>,
    max: usize,
) {
    let page = followers
        .iter()
        .filter(|f| after.is_none_or(|a| f.follower_id.as_str() > a))
        .take(max);
    let mut fed = 0;
    for f in page {
        plan.feed(f.clone()).expect("feed");
        fed += 1;
    }
    if fed == 0 {
        plan.end_of_followers();
    }
}

/// Drains the plan, confirming everything at once; feeds `followers` on demand. Returns the
/// delivered actions in order.
fn drain_all(plan: &mut RefollowPlan, followers: &[LocalFollower]) -> Vec<fep7628::plan::Action> {
    let mut out = Vec::new();
    loop {
        match plan.poll(t0()) {
            Step::NeedFollowers { after, max } => {
                feed_page(plan, followers, after.as_deref(), max);
            }
            Step::Deliver(batch) => {
                for a in batch.actions {
                    plan.handle_delivered(&a.key).expect("confirm");
                    out.push(a);
                }
            }
            Step::Wait { .. } => panic!("nothing should wait"),
            Step::Finished => return out,
        }
    }
}

#[test]
fn every_follower_migrated_with_undo_after_follow() {
    let followers: Vec<_> = (0..300)
        .map(|i| {
            LocalFollower::new(fid(i)).with_settings(FollowSettings {
                show_reblogs: i.is_multiple_of(2),
                notify: i.is_multiple_of(3),
                languages: (i.is_multiple_of(5)).then(|| vec!["de".to_string()]),
            })
        })
        .collect();
    let mut plan = RefollowPlan::new(facts(), PlanConfig::default()).unwrap();
    let done = drain_all(&mut plan, &followers);
    let mut position: BTreeMap<(String, ActionKind), usize> = BTreeMap::new();
    for (i, a) in done.iter().enumerate() {
        assert!(
            position
                .insert((a.follower_id.to_string(), a.kind()), i)
                .is_none(),
            "action handed out twice: {a:?}"
        );
    }
    for f in &followers {
        let follow = position[&(f.follower_id.clone(), ActionKind::Follow)];
        let undo = position[&(f.follower_id.clone(), ActionKind::UndoFollow)];
        assert!(follow < undo, "undo before follow for {}", f.follower_id);
        assert!(position.contains_key(&(f.follower_id.clone(), ActionKind::Notify)));
        let action = &done[follow];
        let ActionBody::Follow {
            target_id,
            settings,
            request,
        } = &action.body
        else {
            panic!()
        };
        assert_eq!(
            (&**target_id, settings, *request),
            (TARGET, &f.settings, false)
        );
        assert_eq!(
            action.destination,
            Destination::Inbox("https://new.example/inbox".into())
        );
        assert_eq!(
            done[undo].destination,
            Destination::Inbox("https://old.example/inbox".into())
        );
    }
    let r = plan.report();
    assert!(r.finished);
    assert_eq!(r.counts.followers_planned, 300);
    assert_eq!(r.counts.follows_sent, 300);
    assert_eq!(r.counts.undos_sent, 300);
    assert_eq!(r.counts.notifications_sent, 300);
    assert_eq!(done.len(), 900);
}

#[test]
fn undo_is_not_released_before_the_follow_is_delivered() {
    let mut plan = RefollowPlan::new(facts(), PlanConfig::default()).unwrap();
    plan.feed(LocalFollower::new(fid(1))).unwrap();
    plan.end_of_followers();
    let mut follow_key = None;
    while let Step::Deliver(batch) = plan.poll(t0()) {
        for a in batch.actions {
            assert_ne!(a.kind(), ActionKind::UndoFollow);
            if a.kind() == ActionKind::Follow {
                follow_key = Some(a.key);
            } else {
                plan.handle_delivered(&a.key).unwrap();
            }
        }
    }
    // Only the follow is outstanding; no undo anywhere.
    assert_eq!(
        plan.poll(t0()),
        Step::Wait {
            awaiting: 1,
            next_retry: None
        }
    );
    let follow_key = follow_key.unwrap();
    plan.handle_delivered(&follow_key).unwrap();
    let Step::Deliver(batch) = plan.poll(t0()) else {
        panic!("undo expected")
    };
    assert_eq!(batch.actions.len(), 1);
    assert_eq!(batch.actions[0].kind(), ActionKind::UndoFollow);
    assert_eq!(
        batch.actions[0].key,
        follow_key.sibling(ActionKind::UndoFollow)
    );
    assert_eq!(
        batch.actions[0]
            .activity_json("https://here.example/a/1")
            .unwrap()["object"]["object"],
        ORIGIN
    );
    // A second confirmation of the same key is refused, not double-counted.
    assert_eq!(
        plan.handle_delivered(&follow_key).unwrap_err().kind(),
        "unknown_action"
    );
}

#[test]
fn skip_rules() {
    let mut blocked = LocalFollower::new(fid(2));
    blocked.blocks_target = true;
    let mut blocked_by = LocalFollower::new(fid(3));
    blocked_by.blocked_by_target = true;
    let mut same = LocalFollower::new(fid(4));
    same.follows_target = Some(ExistingFollow {
        settings: FollowSettings::default(),
        pending: false,
    });
    let mut different = LocalFollower::new(fid(5)).with_settings(FollowSettings {
        show_reblogs: false,
        notify: true,
        languages: None,
    });
    different.follows_target = Some(ExistingFollow {
        settings: FollowSettings::default(),
        pending: false,
    });
    let mut plan = RefollowPlan::new(facts(), PlanConfig::default()).unwrap();
    assert_eq!(
        plan.feed(LocalFollower::new(fid(1))).unwrap(),
        Disposition::Follow
    );
    assert_eq!(
        plan.feed(blocked).unwrap(),
        Disposition::SkippedBlocksTarget
    );
    assert_eq!(
        plan.feed(blocked_by).unwrap(),
        Disposition::SkippedBlockedByTarget
    );
    assert_eq!(plan.feed(same).unwrap(), Disposition::AlreadyFollowing);
    assert_eq!(plan.feed(different).unwrap(), Disposition::AlreadyFollowing);
    // The target itself follows the origin (it is a local account here).
    assert_eq!(
        plan.feed(LocalFollower::new(TARGET)).unwrap(),
        Disposition::SkippedSelf
    );
    let done = drain_all(&mut plan, &[]);
    let by: BTreeSet<(String, ActionKind)> = done
        .iter()
        .map(|a| (a.follower_id.to_string(), a.kind()))
        .collect();
    let has = |i: &str, k| by.contains(&(i.to_string(), k));
    assert!(has(&fid(1), ActionKind::Follow) && has(&fid(1), ActionKind::UndoFollow));
    for blocked in [fid(2), fid(3)] {
        assert!(!has(&blocked, ActionKind::Follow));
        assert!(
            !has(&blocked, ActionKind::UndoFollow),
            "no unfollow when blocked"
        );
        assert!(
            has(&blocked, ActionKind::Notify),
            "still told the contact moved"
        );
    }
    assert!(!has(&fid(4), ActionKind::Follow) && !has(&fid(4), ActionKind::UpdateFollow));
    assert!(has(&fid(4), ActionKind::UndoFollow));
    assert!(!has(&fid(5), ActionKind::Follow) && has(&fid(5), ActionKind::UpdateFollow));
    assert!(has(&fid(5), ActionKind::UndoFollow));
    assert!(
        !by.iter().any(|(f, _)| f == TARGET),
        "nothing for the target itself"
    );
    let c = &plan.report().counts;
    assert_eq!(
        (
            c.follows_sent,
            c.already_following,
            c.settings_updated,
            c.skipped_self,
            c.skipped_blocks_target,
            c.skipped_blocked_by_target
        ),
        (1, 2, 1, 1, 1, 1)
    );
}

#[test]
fn batches_group_by_destination_and_respect_batch_size() {
    let config = PlanConfig {
        batch_size: 7,
        ..PlanConfig::default()
    };
    let mut plan = RefollowPlan::new(facts(), config).unwrap();
    for i in 0..30 {
        plan.feed(LocalFollower::new(fid(i))).unwrap();
    }
    plan.end_of_followers();
    let mut sizes: BTreeMap<Destination, Vec<usize>> = BTreeMap::new();
    loop {
        match plan.poll(t0()) {
            Step::Deliver(batch) => {
                assert!(!batch.actions.is_empty() && batch.actions.len() <= 7);
                for a in &batch.actions {
                    assert_eq!(a.destination, batch.destination);
                    plan.handle_delivered(&a.key).unwrap();
                }
                sizes
                    .entry(batch.destination)
                    .or_default()
                    .push(batch.actions.len());
            }
            Step::Finished => break,
            other => panic!("{other:?}"),
        }
    }
    let total = |d: &Destination| sizes[d].iter().sum::<usize>();
    assert_eq!(
        total(&Destination::Inbox("https://new.example/inbox".into())),
        30
    );
    assert_eq!(
        total(&Destination::Inbox("https://old.example/inbox".into())),
        30
    );
    assert_eq!(total(&Destination::Local), 30);
    // 30 follows in batches of 7: 7,7,7,7,2 (only full batches until the queue runs dry).
    assert_eq!(
        sizes[&Destination::Inbox("https://new.example/inbox".into())],
        [7, 7, 7, 7, 2]
    );
}

#[test]
fn personal_inbox_without_shared_inbox() {
    let mut f = facts();
    f.target.shared_inbox = None;
    let mut plan = RefollowPlan::new(f, PlanConfig::default()).unwrap();
    plan.feed(LocalFollower::new(fid(1))).unwrap();
    plan.end_of_followers();
    let done = drain_all(&mut plan, &[]);
    let follow = done
        .iter()
        .find(|a| a.kind() == ActionKind::Follow)
        .unwrap();
    assert_eq!(
        follow.destination,
        Destination::Inbox(format!("{TARGET}/inbox").into())
    );
}

#[test]
fn idempotency_keys_are_stable_and_distinct() {
    let m = "https://old.example/users/alice#moves/1";
    let a = ActionKey::derive(m, &fid(1), ActionKind::Follow);
    assert_eq!(a, ActionKey::derive(m, &fid(1), ActionKind::Follow));
    // Pinned value: changing the derivation breaks every queued job of a running migration.
    assert_eq!(
        ActionKey::derive("m", "f", ActionKind::Follow)
            .to_string()
            .len(),
        32 + 1 + "follow".len()
    );
    assert_eq!(a.kind(), ActionKind::Follow);
    let parsed: ActionKey = a.to_string().parse().unwrap();
    assert_eq!(parsed, a);
    assert_eq!(
        a.sibling(ActionKind::Notify),
        ActionKey::derive(m, &fid(1), ActionKind::Notify)
    );
    let all: BTreeSet<ActionKey> = [
        a,
        ActionKey::derive(m, &fid(2), ActionKind::Follow),
        ActionKey::derive("other", &fid(1), ActionKind::Follow),
        ActionKey::derive(m, &fid(1), ActionKind::UndoFollow),
        // Length prefixes: ("ab","c") and ("a","bc") differ.
        ActionKey::derive("ab", "c", ActionKind::Follow),
        ActionKey::derive("a", "bc", ActionKind::Follow),
    ]
    .into();
    assert_eq!(all.len(), 6);
    for bad in [
        "",
        "xyz.follow",
        &format!("{}.nope", "0".repeat(32)),
        &"A".repeat(39),
    ] {
        assert_eq!(bad.parse::<ActionKey>().unwrap_err().kind(), "invalid_key");
    }
    // Two independent plans hand out the same keys.
    let keys = |plan: &mut RefollowPlan| {
        plan.feed(LocalFollower::new(fid(9))).unwrap();
        plan.end_of_followers();
        drain_all(plan, &[])
            .into_iter()
            .map(|a| a.key)
            .collect::<Vec<_>>()
    };
    let one = keys(&mut RefollowPlan::new(facts(), PlanConfig::default()).unwrap());
    let two = keys(&mut RefollowPlan::new(facts(), PlanConfig::default()).unwrap());
    assert_eq!(one, two);
}

#[test]
fn pinned_key_value() {
    // SHA-256("fep7628/refollow-plan/v1" || be64(1) "m" || be64(1) "f")[..16], hex.
    let k = ActionKey::derive("m", "f", ActionKind::Follow);
    let mut h = sha2_reference(b"m", b"f");
    h.truncate(32);
    assert_eq!(k.to_string(), format!("{h}.follow"));
}

/// Independent computation of the key digest with the `sha2` crate through a different code
/// path (one buffer instead of streaming updates).
fn sha2_reference(m: &[u8], f: &[u8]) -> String {
    use sha2::Digest;
    let mut buf = b"fep7628/refollow-plan/v1".to_vec();
    buf.extend_from_slice(&(m.len() as u64).to_be_bytes());
    buf.extend_from_slice(m);
    buf.extend_from_slice(&(f.len() as u64).to_be_bytes());
    buf.extend_from_slice(f);
    sha2::Sha256::digest(&buf)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn crash_mid_plan_resumes_from_serialised_checkpoint_without_duplicates_or_losses() {
    let followers: Vec<_> = (0..500).map(|i| LocalFollower::new(fid(i))).collect();
    let config = PlanConfig {
        max_in_flight: 40,
        page_size: 10,
        batch_size: 5,
        ..PlanConfig::default()
    };
    let mut confirmed: BTreeMap<ActionKey, u32> = BTreeMap::new();
    let mut saved = serde_json::to_string(
        &RefollowPlan::new(facts(), config.clone())
            .unwrap()
            .checkpoint(),
    )
    .unwrap();
    let mut crashes = 0;
    'runs: loop {
        let cp: Checkpoint = serde_json::from_str(&saved).unwrap();
        let mut plan = RefollowPlan::restore(cp, config.clone()).unwrap();
        let mut steps = 0u32;
        loop {
            steps += 1;
            match plan.poll(t0()) {
                Step::NeedFollowers { after, max } => {
                    feed_page(&mut plan, &followers, after.as_deref(), max);
                }
                Step::Deliver(batch) => {
                    // Confirm only the first half of the batch before a crash sometimes: the
                    // other half was handed out but is lost with the process.
                    let crash_now = steps.is_multiple_of(37);
                    let keep = if crash_now {
                        batch.actions.len() / 2
                    } else {
                        usize::MAX
                    };
                    for a in batch.actions.iter().take(keep) {
                        plan.handle_delivered(&a.key).unwrap();
                        *confirmed.entry(a.key).or_default() += 1;
                    }
                    if crash_now {
                        crashes += 1;
                        continue 'runs; // `saved` is from before this batch's confirmations
                    }
                    saved = serde_json::to_string(&plan.checkpoint()).unwrap();
                }
                Step::Wait { .. } => panic!("no waits expected"),
                Step::Finished => break 'runs,
            }
        }
    }
    assert!(crashes > 5, "the test must actually crash ({crashes})");
    // Confirmations after the last save of a crashed run are repeated (at-least-once hand-out);
    // the keys make them idempotent. Nothing is lost, nothing exists twice by key:
    let mut expected = BTreeSet::new();
    for f in &followers {
        for k in [
            ActionKind::Follow,
            ActionKind::UndoFollow,
            ActionKind::Notify,
        ] {
            expected.insert(ActionKey::derive(&facts().migration_id, &f.follower_id, k));
        }
    }
    assert_eq!(confirmed.keys().cloned().collect::<BTreeSet<_>>(), expected);
    // Each repeat traces back to a crash: at most one half-batch per crash was repeated.
    let repeats: u32 = confirmed.values().map(|n| n - 1).sum();
    assert!(
        repeats as usize <= crashes * 5,
        "{repeats} repeats for {crashes} crashes"
    );
}

#[test]
fn checkpoint_taken_after_each_confirmation_gives_exactly_once() {
    let followers: Vec<_> = (0..120).map(|i| LocalFollower::new(fid(i))).collect();
    let config = PlanConfig {
        max_in_flight: 16,
        page_size: 4,
        batch_size: 3,
        ..PlanConfig::default()
    };
    let mut confirmed: BTreeMap<ActionKey, u32> = BTreeMap::new();
    let mut plan = RefollowPlan::new(facts(), config.clone()).unwrap();
    let mut n = 0u32;
    loop {
        n += 1;
        if n.is_multiple_of(11) {
            // Crash between two persisted steps: restore from the JSON of the current state.
            let json = serde_json::to_vec(&plan.checkpoint()).unwrap();
            plan = RefollowPlan::restore(serde_json::from_slice(&json).unwrap(), config.clone())
                .unwrap();
        }
        match plan.poll(t0()) {
            Step::NeedFollowers { after, max } => {
                feed_page(&mut plan, &followers, after.as_deref(), max);
            }
            Step::Deliver(batch) => {
                for a in &batch.actions {
                    plan.handle_delivered(&a.key).unwrap();
                    *confirmed.entry(a.key).or_default() += 1;
                }
            }
            Step::Wait { .. } => panic!(),
            Step::Finished => break,
        }
    }
    assert_eq!(confirmed.len(), 360);
    assert!(confirmed.values().all(|&c| c == 1));
    assert_eq!(plan.report().counts.follows_sent, 120);
}

#[test]
fn permanent_failure_of_one_follower_does_not_stop_the_others() {
    let mut plan = RefollowPlan::new(facts(), PlanConfig::default()).unwrap();
    for i in 0..10 {
        plan.feed(LocalFollower::new(fid(i))).unwrap();
    }
    plan.end_of_followers();
    let doomed = ActionKey::derive(&facts().migration_id, &fid(3), ActionKind::Follow);
    let mut undone = BTreeSet::new();
    loop {
        match plan.poll(t0()) {
            Step::Deliver(batch) => {
                for a in batch.actions {
                    if a.key == doomed {
                        let r = plan.handle_failed(&a.key, "410 Gone", true, t0()).unwrap();
                        assert_eq!(r, Retry::GaveUp);
                    } else {
                        if a.kind() == ActionKind::UndoFollow {
                            undone.insert(a.follower_id.to_string());
                        }
                        plan.handle_delivered(&a.key).unwrap();
                    }
                }
            }
            Step::Finished => break,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(undone.len(), 9);
    assert!(
        !undone.contains(&fid(3)),
        "failed follow must keep the old follow"
    );
    let r = plan.report();
    assert_eq!((r.counts.follows_sent, r.counts.failed_followers), (9, 1));
    assert_eq!(r.failures.len(), 1);
    assert_eq!(r.failures[0].follower_id, fid(3));
    assert_eq!(r.failures[0].reason, "410 Gone");
    assert_eq!(r.failures[0].action, Some(ActionKind::Follow));
}

#[test]
fn transient_failures_retry_with_backoff_then_give_up() {
    let config = PlanConfig {
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_secs(10),
            max_delay: Duration::from_secs(15),
        },
        notify_followers: false,
        ..PlanConfig::default()
    };
    let mut plan = RefollowPlan::new(facts(), config).unwrap();
    plan.feed(LocalFollower::new(fid(1))).unwrap();
    plan.end_of_followers();
    let mut now = t0();
    let mut attempts = Vec::new();
    loop {
        match plan.poll(now) {
            Step::Deliver(batch) => {
                for a in batch.actions {
                    attempts.push(now);
                    plan.handle_failed(&a.key, "503", false, now).unwrap();
                }
            }
            Step::Wait {
                next_retry: Some(at),
                awaiting: 0,
            } => {
                // Not released early.
                assert!(matches!(
                    plan.poll(at - Duration::from_secs(1)),
                    Step::Wait { .. }
                ));
                now = at;
            }
            Step::Finished => break,
            other => panic!("{other:?}"),
        }
    }
    assert_eq!(
        attempts,
        [
            t0(),
            t0() + Duration::from_secs(10),
            t0() + Duration::from_secs(25)
        ]
    );
    let r = plan.report();
    assert_eq!((r.counts.retries, r.counts.failed_followers), (2, 1));
    assert_eq!(r.failures[0].attempts, 3);
    assert_eq!(r.counts.undos_sent, 0);
}

#[test]
fn locked_remote_target_yields_pending_requests() {
    let mut f = facts();
    f.target_locked = true;
    let mut plan = RefollowPlan::new(f, PlanConfig::default()).unwrap();
    assert_eq!(
        plan.feed(LocalFollower::new(fid(1))).unwrap(),
        Disposition::FollowRequest
    );
    plan.end_of_followers();
    let done = drain_all(&mut plan, &[]);
    assert!(
        done.iter()
            .any(|a| matches!(a.body, ActionBody::Follow { request: true, .. }))
    );
    assert_eq!(plan.report().pending_requests, [fid(1)]);
    assert_eq!(plan.report().counts.follow_requests_sent, 1);
    // Mastodon's default: unfollow the origin once the request went out.
    assert_eq!(plan.report().counts.undos_sent, 1);

    let mut f = facts();
    f.target_locked = true;
    let config = PlanConfig {
        unfollow_origin: UnfollowOrigin::KeepWhileRequestPending,
        ..PlanConfig::default()
    };
    let mut plan = RefollowPlan::new(f, config).unwrap();
    plan.feed(LocalFollower::new(fid(1))).unwrap();
    plan.end_of_followers();
    drain_all(&mut plan, &[]);
    assert_eq!(plan.report().counts.undos_sent, 0);
}

#[test]
fn local_locked_target_bypasses_the_lock() {
    let mut f = facts();
    f.target_locked = true;
    f.target_is_local = true;
    let mut plan = RefollowPlan::new(f, PlanConfig::default()).unwrap();
    assert_eq!(
        plan.feed(LocalFollower::new(fid(1))).unwrap(),
        Disposition::Follow
    );
    plan.end_of_followers();
    let done = drain_all(&mut plan, &[]);
    let follow = done
        .iter()
        .find(|a| a.kind() == ActionKind::Follow)
        .unwrap();
    assert_eq!(follow.destination, Destination::Local);
    assert!(plan.report().pending_requests.is_empty());
}

#[test]
fn feeding_rules_and_bounded_memory() {
    let config = PlanConfig {
        max_in_flight: 10,
        page_size: 100,
        ..PlanConfig::default()
    };
    let mut plan = RefollowPlan::new(facts(), config).unwrap();
    let Step::NeedFollowers { after: None, max } = plan.poll(t0()) else {
        panic!()
    };
    assert_eq!(max, 5, "page clamped to what fits in flight");
    for i in 0..5 {
        plan.feed(LocalFollower::new(fid(i))).unwrap();
    }
    assert_eq!(
        plan.feed(LocalFollower::new(fid(9))).unwrap_err(),
        PlanError::Backpressure
    );
    assert!(matches!(
        plan.feed(LocalFollower::new(fid(2))).unwrap_err(),
        PlanError::OutOfOrder { .. }
    ));
    // An unusable row is recorded, not fatal.
    let mut plan2 = RefollowPlan::new(facts(), PlanConfig::default()).unwrap();
    assert_eq!(
        plan2.feed(LocalFollower::new("")).unwrap(),
        Disposition::Invalid
    );
    plan2.skip_follower(&fid(1), "row does not decode").unwrap();
    assert_eq!(plan2.report().counts.invalid_followers, 2);
    assert_eq!(plan2.cursor(), Some(fid(1).as_str()));
    plan2.end_of_followers();
    assert_eq!(
        plan2.feed(LocalFollower::new(fid(5))).unwrap_err().kind(),
        "feed_after_end"
    );

    // Ten thousand followers through a plan holding at most 10 actions.
    let followers: Vec<_> = (0..10_000).map(|i| LocalFollower::new(fid(i))).collect();
    let mut plan = RefollowPlan::new(
        facts(),
        PlanConfig {
            max_in_flight: 10,
            ..PlanConfig::default()
        },
    )
    .unwrap();
    let mut peak = 0;
    let mut i = 0;
    loop {
        peak = peak.max(plan.in_flight());
        match plan.poll(t0()) {
            Step::NeedFollowers { max, .. } => {
                if i == followers.len() {
                    plan.end_of_followers();
                }
                for f in followers.iter().skip(i).take(max) {
                    plan.feed(f.clone()).unwrap();
                    i += 1;
                }
            }
            Step::Deliver(b) => b
                .actions
                .iter()
                .for_each(|a| plan.handle_delivered(&a.key).unwrap()),
            Step::Finished => break,
            Step::Wait { .. } => panic!(),
        }
        assert!(plan.checkpoint().in_flight.len() <= 10);
    }
    assert!(peak <= 10);
    assert_eq!(plan.report().counts.follows_sent, 10_000);
}

#[test]
fn restore_rejects_bad_checkpoints() {
    let mut plan = RefollowPlan::new(facts(), PlanConfig::default()).unwrap();
    plan.feed(LocalFollower::new(fid(1))).unwrap();
    let good = plan.checkpoint();
    assert!(RefollowPlan::restore(good.clone(), PlanConfig::default()).is_ok());

    let mut v = good.clone();
    v.version = 99;
    assert_eq!(
        RefollowPlan::restore(v, PlanConfig::default())
            .unwrap_err()
            .kind(),
        "checkpoint_version"
    );
    let mut tampered = good.clone();
    tampered.in_flight[0].action.follower_id = fid(2).into();
    assert_eq!(
        RefollowPlan::restore(tampered, PlanConfig::default())
            .unwrap_err()
            .kind(),
        "checkpoint_invalid"
    );
    let mut dup = good.clone();
    let first = dup.in_flight[0].clone();
    dup.in_flight.push(first);
    assert_eq!(
        RefollowPlan::restore(dup, PlanConfig::default())
            .unwrap_err()
            .kind(),
        "checkpoint_invalid"
    );
    // A key that is not a key does not even deserialise.
    let json = serde_json::to_string(&good).unwrap();
    let key = good.in_flight[0].action.key.to_string();
    let broken = json.replace(&key, "not-a-key");
    assert!(serde_json::from_str::<Checkpoint>(&broken).is_err());
    let mut same = good;
    same.facts.target.id = ORIGIN.into();
    assert_eq!(
        RefollowPlan::restore(same, PlanConfig::default())
            .unwrap_err()
            .kind(),
        "invalid_facts"
    );
}

/// The checkpoint format and the keys are a contract with the job queue: a checkpoint written
/// by an earlier build of the plan (format version 1, before the plan kept actions in compact
/// form and hashed the key prefix once per plan) resumes with the same keys, and hands out
/// exactly the actions that build handed out when resumed from it
/// (`fixtures/plan/checkpoint-v1-resumed-actions.json`, captured from that build).
#[test]
fn checkpoint_written_by_the_earlier_build_resumes_identically() {
    let saved = include_str!("fixtures/plan/checkpoint-v1.json");
    let expected: serde_json::Value = serde_json::from_str(include_str!(
        "fixtures/plan/checkpoint-v1-resumed-actions.json"
    ))
    .unwrap();
    let checkpoint: Checkpoint = serde_json::from_str(saved).unwrap();
    assert_eq!(checkpoint.version, CHECKPOINT_VERSION);
    let config = PlanConfig {
        batch_size: 2,
        ..PlanConfig::default()
    };
    let mut plan = RefollowPlan::restore(checkpoint.clone(), config.clone()).unwrap();
    // Checkpointing the restored plan gives back the same document.
    assert_eq!(plan.checkpoint(), checkpoint);
    let mut done = Vec::new();
    loop {
        match plan.poll(t0()) {
            Step::NeedFollowers { .. } => plan.end_of_followers(),
            Step::Deliver(batch) => {
                for action in batch.actions {
                    assert_eq!(action.destination, batch.destination);
                    plan.handle_delivered(&action.key).unwrap();
                    done.push(action);
                }
            }
            Step::Finished => break,
            other => panic!("unexpected {other:?}"),
        }
    }
    done.sort_by_key(|a| a.key);
    assert_eq!(serde_json::to_value(&done).unwrap(), expected["actions"]);
    assert_eq!(
        serde_json::to_value(&plan.report().counts).unwrap(),
        expected["counts"]
    );
}

/// A checkpointed action whose body names other accounts than the checkpoint's facts is refused.
#[test]
fn restore_rejects_an_action_body_that_contradicts_the_facts() {
    let saved = include_str!("fixtures/plan/checkpoint-v1.json");
    let tampered = saved.replacen(
        "\"target_id\": \"https://new.example/users/alice\"",
        "\"target_id\": \"https://evil.example/users/mallory\"",
        1,
    );
    assert_ne!(tampered, saved);
    let checkpoint: Checkpoint = serde_json::from_str(&tampered).unwrap();
    let err = RefollowPlan::restore(checkpoint, PlanConfig::default()).unwrap_err();
    assert_eq!(err.kind(), "checkpoint_invalid");
}
