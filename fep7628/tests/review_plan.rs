//! The revert plan on its own (sans-IO): what each audit entry turns into, options, hostile
//! inputs (out-of-order, foreign and forged entries, tampered checkpoints), retries.

use std::time::{Duration, SystemTime};

use fep7628::plan::{ActionKind, ActorRef, Destination, FollowSettings};
use fep7628::review::{
    AuditEntry, AuditKind, OriginFollows, PriorFollow, RevertBody, RevertConfig, RevertFacts,
    RevertPlan, RevertRetry, RevertStep,
};
use fep7628::store::FollowState;

const ORIGIN: &str = "https://old.example/users/a";
const TARGET: &str = "https://new.example/users/a";
const MIG: &str = "mig-1";

fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

fn facts() -> RevertFacts {
    RevertFacts {
        migration_id: MIG.into(),
        origin: ActorRef::new(ORIGIN, format!("{ORIGIN}/inbox")),
        target: ActorRef::new(TARGET, format!("{TARGET}/inbox"))
            .with_shared_inbox("https://new.example/inbox"),
        origin_exists: true,
        origin_locked: false,
        origin_is_local: false,
        target_is_local: false,
    }
}

fn entry(kind: AuditKind, follower: &str) -> AuditEntry {
    AuditEntry::new(MIG, t0(), kind)
        .with_accounts(Some(ORIGIN), Some(TARGET))
        .with_follower(follower)
}

fn undo(follower: &str, notify: bool) -> AuditEntry {
    entry(AuditKind::UndoSent, follower).with_prior(Some(PriorFollow {
        settings: FollowSettings {
            show_reblogs: false,
            notify,
            languages: None,
        },
        state: FollowState::Accepted,
    }))
}

/// Feeds `entries` (seq 1..) and drains the plan, confirming everything; returns the actions.
fn drain(plan: &mut RevertPlan, entries: &[AuditEntry]) -> Vec<fep7628::review::RevertAction> {
    let mut fed = false;
    let mut out = Vec::new();
    for _ in 0..1000 {
        match plan.poll() {
            RevertStep::NeedEntries { .. } => {
                if !fed {
                    for (i, e) in entries.iter().enumerate() {
                        plan.feed(i as u64 + 1, e).unwrap();
                    }
                    fed = true;
                } else {
                    plan.end_of_entries();
                }
            }
            RevertStep::Execute(batch) => {
                for a in batch.actions {
                    assert_eq!(a.destination, batch.destination);
                    plan.handle_done(&a.key).unwrap();
                    out.push(a);
                }
            }
            RevertStep::Wait => panic!("waiting with everything confirmed"),
            RevertStep::Finished => return out,
        }
    }
    panic!("plan did not finish");
}

#[test]
fn each_effect_is_undone_once_and_the_rest_ignored() {
    let mut plan = RevertPlan::new(facts(), RevertConfig::default()).unwrap();
    let mut imported =
        AuditEntry::object_imported(MIG, ORIGIN, TARGET, "https://new.example/s/1", t0());
    imported.dedupe_key = None;
    let entries = vec![
        entry(AuditKind::MoveAccepted, "x"),
        entry(AuditKind::FollowSent, "https://here.example/u/1"),
        entry(AuditKind::FollowRequestSent, "https://here.example/u/2"),
        entry(AuditKind::Notified, "https://here.example/u/1"),
        undo("https://here.example/u/1", true),
        entry(AuditKind::Skipped, "https://here.example/u/3"),
        entry(AuditKind::SettingsUpdated, "https://here.example/u/4").with_prior(Some(
            PriorFollow {
                settings: FollowSettings::default(),
                state: FollowState::Pending,
            },
        )),
        // No prior state known: nothing to restore.
        entry(AuditKind::SettingsUpdated, "https://here.example/u/5"),
        imported.clone(),
        // The same effect logged twice (an old log without dedupe keys) is undone once.
        entry(AuditKind::FollowSent, "https://here.example/u/1"),
        imported,
        // New home: an arrived follower's follow is removed.
        entry(AuditKind::FollowerArrived, "https://far.example/u/9"),
        // The revert's own entries are never reverted.
        entry(AuditKind::RevertFollowWithdrawn, "https://here.example/u/1"),
    ];
    let actions = drain(&mut plan, &entries);
    let bodies: Vec<&RevertBody> = actions.iter().map(|a| &a.body).collect();
    assert_eq!(actions.len(), 6, "{bodies:#?}");
    assert!(
        matches!(&actions[5].body, RevertBody::RemoveFollower { follower, followed }
        if follower == "https://far.example/u/9" && followed == TARGET)
    );
    assert_eq!(actions[5].destination, Destination::Local);
    assert!(
        matches!(&actions[0].body, RevertBody::WithdrawFollow { follower, followed }
        if follower == "https://here.example/u/1" && followed == TARGET)
    );
    assert_eq!(
        actions[0].destination,
        Destination::Inbox("https://new.example/inbox".into())
    );
    assert!(
        matches!(&actions[2].body, RevertBody::Refollow { followed, settings, request: false, .. }
        if followed == ORIGIN && settings.notify && !settings.show_reblogs)
    );
    assert_eq!(
        actions[2].destination,
        Destination::Inbox(format!("{ORIGIN}/inbox").into())
    );
    assert!(matches!(
        &actions[3].body,
        RevertBody::RestoreSettings { .. }
    ));
    assert_eq!(actions[3].destination, Destination::Local);
    assert!(
        matches!(&actions[4].body, RevertBody::RemoveObject { object_id } if object_id == "https://new.example/s/1")
    );
    let report = plan.report();
    assert!(report.finished);
    assert_eq!(report.counts.entries_read, entries.len() as u64);
    assert_eq!(report.counts.follows_withdrawn, 2);
    assert_eq!(report.counts.origin_refollowed, 1);
    assert_eq!(report.counts.settings_restored, 1);
    assert_eq!(report.counts.objects_removed, 1);
    assert_eq!(report.counts.followers_removed, 1);
    // Keys are distinct and stable.
    let mut again = RevertPlan::new(facts(), RevertConfig::default()).unwrap();
    let keys: Vec<String> = drain(&mut again, &entries)
        .into_iter()
        .map(|a| a.key)
        .collect();
    assert_eq!(
        keys,
        actions.iter().map(|a| a.key.clone()).collect::<Vec<_>>()
    );
    let unique: std::collections::BTreeSet<_> = keys.iter().collect();
    assert_eq!(unique.len(), keys.len());
    // Deliverable actions carry the activity a server signs.
    let undo = actions[0].delivery("mig-1#revert").unwrap();
    let json = undo
        .activity_json("https://here.example/activities/1")
        .unwrap();
    assert_eq!(json["type"], "Undo");
    assert_eq!(json["object"]["object"], TARGET);
    assert!(actions[3].delivery("mig-1#revert").is_none());
}

#[test]
fn origin_is_not_refollowed_when_gone_or_when_told_not_to() {
    let entries = [
        entry(AuditKind::FollowSent, "https://here.example/u/1"),
        undo("https://here.example/u/1", false),
    ];
    let mut gone = facts();
    gone.origin_exists = false;
    let mut plan = RevertPlan::new(gone, RevertConfig::default()).unwrap();
    let actions = drain(&mut plan, &entries);
    assert_eq!(actions.len(), 1);
    assert!(matches!(actions[0].body, RevertBody::WithdrawFollow { .. }));

    let config = RevertConfig {
        origin_follows: OriginFollows::Remove,
        ..RevertConfig::default()
    };
    let mut plan = RevertPlan::new(facts(), config).unwrap();
    assert_eq!(drain(&mut plan, &entries).len(), 1);

    // A locked remote origin gets a follow request; a local target is a local write.
    let mut locked = facts();
    locked.origin_locked = true;
    locked.target_is_local = true;
    let mut plan = RevertPlan::new(locked, RevertConfig::default()).unwrap();
    let actions = drain(&mut plan, &entries);
    assert_eq!(actions[0].destination, Destination::Local);
    assert!(matches!(
        actions[1].body,
        RevertBody::Refollow { request: true, .. }
    ));
}

#[test]
fn forged_and_misordered_entries_are_refused() {
    let mut plan = RevertPlan::new(facts(), RevertConfig::default()).unwrap();
    assert!(matches!(
        plan.poll(),
        RevertStep::NeedEntries { after: None, .. }
    ));
    plan.feed(5, &entry(AuditKind::FollowSent, "https://here.example/u/1"))
        .unwrap();
    let err = plan
        .feed(5, &entry(AuditKind::FollowSent, "https://here.example/u/2"))
        .unwrap_err();
    assert_eq!(err.kind(), "out_of_order");
    let err = plan
        .feed(4, &entry(AuditKind::FollowSent, "https://here.example/u/2"))
        .unwrap_err();
    assert_eq!(err.kind(), "out_of_order");
    let mut foreign = entry(AuditKind::FollowSent, "https://here.example/u/2");
    foreign.migration_id = "mig-other".into();
    assert_eq!(plan.feed(6, &foreign).unwrap_err().kind(), "foreign_entry");
    // An entry naming another target or origin than the migration's is not acted on.
    let mut elsewhere = entry(AuditKind::FollowSent, "https://here.example/u/3");
    elsewhere.target = Some("https://victim.example/users/v".into());
    plan.feed(7, &elsewhere).unwrap();
    let mut other_origin = undo("https://here.example/u/3", false);
    other_origin.origin = Some("https://victim.example/users/v".into());
    plan.feed(8, &other_origin).unwrap();
    // Empty and overlong follower ids are ignored.
    plan.feed(9, &entry(AuditKind::FollowSent, "")).unwrap();
    plan.feed(10, &entry(AuditKind::FollowSent, &"x".repeat(5000)))
        .unwrap();
    assert_eq!(plan.in_flight(), 1);
    plan.end_of_entries();
    assert_eq!(
        plan.feed(
            11,
            &entry(AuditKind::FollowSent, "https://here.example/u/4")
        )
        .unwrap_err()
        .kind(),
        "feed_after_end"
    );
    assert_eq!(plan.handle_done("nope").unwrap_err().kind(), "unknown_key");
}

#[test]
fn memory_is_bounded_by_max_in_flight() {
    let config = RevertConfig {
        max_in_flight: 3,
        page_size: 100,
        ..RevertConfig::default()
    };
    let mut plan = RevertPlan::new(facts(), config).unwrap();
    let RevertStep::NeedEntries { max, .. } = plan.poll() else {
        panic!("expected a request for entries");
    };
    assert_eq!(max, 3);
    for i in 0..3u64 {
        plan.feed(
            i + 1,
            &entry(AuditKind::FollowSent, &format!("https://h.example/u/{i}")),
        )
        .unwrap();
    }
    let err = plan
        .feed(4, &entry(AuditKind::FollowSent, "https://h.example/u/9"))
        .unwrap_err();
    assert_eq!(err.kind(), "backpressure");
    assert!(matches!(plan.poll(), RevertStep::Execute(_)));
    assert_eq!(plan.poll(), RevertStep::Wait);
}

#[test]
fn transient_failures_retry_then_give_up() {
    let config = RevertConfig {
        max_attempts: 3,
        ..RevertConfig::default()
    };
    let mut plan = RevertPlan::new(facts(), config).unwrap();
    plan.poll();
    plan.feed(1, &entry(AuditKind::FollowSent, "https://here.example/u/1"))
        .unwrap();
    plan.end_of_entries();
    for attempt in 1..=3 {
        let RevertStep::Execute(batch) = plan.poll() else {
            panic!("attempt {attempt}: nothing handed out");
        };
        let key = batch.actions[0].key.clone();
        let retry = plan.handle_failed(&key, "503", false).unwrap();
        assert_eq!(
            retry,
            if attempt < 3 {
                RevertRetry::Again
            } else {
                RevertRetry::GaveUp
            }
        );
    }
    assert_eq!(plan.poll(), RevertStep::Finished);
    let report = plan.report();
    assert_eq!(report.counts.failed_actions, 1);
    assert_eq!(report.counts.retries, 2);
    assert_eq!(report.failures[0].reason, "503");
}

#[test]
fn checkpoints_round_trip_and_tampering_is_refused() {
    let mut plan = RevertPlan::new(facts(), RevertConfig::default()).unwrap();
    plan.poll();
    for i in 0..4u64 {
        plan.feed(
            i + 1,
            &entry(AuditKind::FollowSent, &format!("https://h.example/u/{i}")),
        )
        .unwrap();
    }
    let RevertStep::Execute(batch) = plan.poll() else {
        panic!("nothing handed out");
    };
    plan.handle_done(&batch.actions[0].key).unwrap();
    let json = serde_json::to_string(&plan.checkpoint()).unwrap();
    let restored = RevertPlan::restore(
        serde_json::from_str(&json).unwrap(),
        RevertConfig::default(),
    )
    .unwrap();
    assert_eq!(restored.in_flight(), 3);
    assert_eq!(restored.report().counts.follows_withdrawn, 1);
    // The unconfirmed actions come out again with the same keys.
    let mut restored = restored;
    let RevertStep::Execute(again) = restored.poll() else {
        panic!("nothing handed out after restore");
    };
    let keys: Vec<_> = again.actions.iter().map(|a| a.key.clone()).collect();
    let expected: Vec<_> = batch.actions[1..].iter().map(|a| a.key.clone()).collect();
    assert_eq!(keys, expected);

    let mut bad = plan.checkpoint();
    bad.version = 99;
    assert_eq!(
        RevertPlan::restore(bad, RevertConfig::default())
            .unwrap_err()
            .kind(),
        "checkpoint_version"
    );
    let mut bad = plan.checkpoint();
    bad.cursor = Some(1);
    assert_eq!(
        RevertPlan::restore(bad, RevertConfig::default())
            .unwrap_err()
            .kind(),
        "checkpoint_inconsistent"
    );
    let mut bad = plan.checkpoint();
    bad.facts.migration_id = String::new();
    assert_eq!(
        RevertPlan::restore(bad, RevertConfig::default())
            .unwrap_err()
            .kind(),
        "invalid_facts"
    );
    assert!(serde_json::from_str::<fep7628::review::RevertCheckpoint>("{\"version\":1}").is_err());
}

/// New home (local target): an arrival whose entry kept the follower's inbox and `Follow` id
/// turns into a `Reject(Follow)` sent as the target to that inbox, shaped as Mastodon's
/// `RejectFollowSerializer` and valid for our own reader; otherwise the follow is only removed
/// locally.
#[test]
fn arrived_followers_are_sent_a_reject_follow() {
    let local_target = RevertFacts {
        target_is_local: true,
        ..facts()
    };
    let far = "https://far.example/users/f1";
    // What the new home kept of the follower's Follow: its inbox and the Follow's id.
    let arrived = |inbox: Option<&str>, follow_id: Option<&str>| {
        let mut e = entry(AuditKind::FollowerArrived, far);
        e.follower_inbox = inbox.map(str::to_owned);
        e.follow_id = follow_id.map(str::to_owned);
        e
    };
    let with_id = entry(AuditKind::FollowerArrived, far).with_follow_activity(
        "https://far.example/users/f1/inbox",
        "https://far.example/follows/7",
    );
    let mut plan = RevertPlan::new(local_target.clone(), RevertConfig::default()).unwrap();
    let actions = drain(&mut plan, std::slice::from_ref(&with_id));
    assert_eq!(actions.len(), 1);
    let action = &actions[0];
    assert_eq!(
        action.destination,
        Destination::Inbox("https://far.example/users/f1/inbox".into())
    );
    assert!(
        matches!(&action.body, RevertBody::RejectFollower { follower, followed, follow_id }
        if follower == far && followed == TARGET && follow_id == "https://far.example/follows/7")
    );
    assert_eq!(action.audit_kind(), AuditKind::RevertFollowerRejected);
    assert_eq!(plan.report().counts.followers_removed, 1);
    assert_eq!(plan.report().counts.followers_rejected, 1);
    // What the deliverer gets: a keyed reject_follow action sent as the target.
    let delivery = action.delivery("mig-1#revert").unwrap();
    assert_eq!(delivery.kind(), ActionKind::RejectFollow);
    assert_eq!(delivery.key.to_string(), action.key);
    assert_eq!(&*delivery.follower_id, TARGET);
    let json = delivery
        .activity_json("https://new.example/users/a#rejects/1")
        .unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "@context": "https://www.w3.org/ns/activitystreams",
            "id": "https://new.example/users/a#rejects/1",
            "type": "Reject",
            "actor": TARGET,
            "to": far,
            "object": {
                "id": "https://far.example/follows/7",
                "type": "Follow",
                "actor": far,
                "object": TARGET,
                "to": TARGET,
            },
        })
    );
    // Our own reader takes it as a valid Reject of the embedded Follow.
    let read = activitystreams_move::Activity::from_value(
        &json,
        &activitystreams_move::ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(read.kind, activitystreams_move::ActivityKind::Reject);
    assert_eq!(read.actor_id(), Some(TARGET));
    assert_eq!(read.object_id(), Some("https://far.example/follows/7"));
    assert!(activitystreams_move::validate_activity(&read).is_empty());
    // The same key across plans: a re-run's Reject is the same job.
    let mut again = RevertPlan::new(local_target.clone(), RevertConfig::default()).unwrap();
    assert_eq!(
        drain(&mut again, std::slice::from_ref(&with_id))[0].key,
        action.key
    );
    // No inbox or no Follow id kept (an embedded Follow without an id is refused by
    // GoToSocial and by our own validator), a bad one, or a remote target (which this server
    // cannot sign for): local removal only, nothing delivered.
    let inbox = Some("https://far.example/users/f1/inbox");
    let follow_id = Some("https://far.example/follows/7");
    for (facts, e) in [
        (local_target.clone(), arrived(None, None)),
        (local_target.clone(), arrived(inbox, None)),
        (local_target.clone(), arrived(None, follow_id)),
        (local_target.clone(), arrived(Some(""), follow_id)),
        (local_target, arrived(inbox, Some(""))),
        (facts(), with_id.clone()),
    ] {
        let mut plan = RevertPlan::new(facts, RevertConfig::default()).unwrap();
        let actions = drain(&mut plan, &[e]);
        assert!(matches!(
            &actions[0].body,
            RevertBody::RemoveFollower { .. }
        ));
        assert_eq!(actions[0].destination, Destination::Local);
        assert!(actions[0].delivery("mig-1#revert").is_none());
        assert_eq!(plan.report().counts.followers_rejected, 0);
    }
}

/// A checkpoint written by the version-1 revert (before `Reject(Follow)` existed: no
/// `followers_rejected` count, a local-only `remove_follower`), read from a fixture, restores
/// and finishes; the checkpoint it writes is version 2. A version-1 checkpoint carrying a
/// version-2 action is refused.
#[test]
fn version_1_checkpoints_are_still_read() {
    let json = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/revert/checkpoint-v1.json"
    ))
    .unwrap();
    let checkpoint: fep7628::review::RevertCheckpoint = serde_json::from_str(&json).unwrap();
    assert_eq!(checkpoint.version, 1);
    let config = RevertConfig {
        batch_size: 1,
        ..RevertConfig::default()
    };
    let mut plan = RevertPlan::restore(checkpoint.clone(), config).unwrap();
    assert_eq!(plan.in_flight(), 3);
    assert_eq!(plan.report().counts.follows_withdrawn, 1);
    assert_eq!(plan.report().counts.followers_rejected, 0);
    assert_eq!(plan.checkpoint().version, 2);
    let mut done = Vec::new();
    loop {
        match plan.poll() {
            RevertStep::Execute(batch) => {
                for a in batch.actions {
                    plan.handle_done(&a.key).unwrap();
                    done.push(a.body);
                }
            }
            RevertStep::Finished => break,
            other => panic!("{other:?}"),
        }
    }
    assert!(matches!(&done[0], RevertBody::Refollow { followed, .. } if followed == ORIGIN));
    assert!(
        done[1..]
            .iter()
            .all(|b| matches!(b, RevertBody::RemoveFollower { .. }))
    );
    let counts = &plan.report().counts;
    assert_eq!(counts.origin_refollowed, 1);
    assert_eq!(counts.followers_removed, 2);
    assert_eq!(counts.retries, 1);

    let mut forged = checkpoint;
    let slot = forged.in_flight.last_mut().unwrap();
    slot.action.body = RevertBody::RejectFollower {
        follower: "https://far.example/u/8".into(),
        followed: TARGET.into(),
        follow_id: "https://far.example/u/8#follows/1".into(),
    };
    slot.action.destination = Destination::Inbox("https://far.example/u/8/inbox".into());
    assert_eq!(
        RevertPlan::restore(forged.clone(), config)
            .unwrap_err()
            .kind(),
        "checkpoint_inconsistent"
    );
    forged.version = 2;
    assert!(RevertPlan::restore(forged.clone(), config).is_ok());
    forged.in_flight.last_mut().unwrap().action.destination = Destination::Local;
    assert_eq!(
        RevertPlan::restore(forged, config).unwrap_err().kind(),
        "checkpoint_inconsistent"
    );
}
