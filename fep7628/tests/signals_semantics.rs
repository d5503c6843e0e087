//! Retraction and tombstone semantics, on the exporter's log and in the consumer's view.

mod signals_support;

use fep7628::signals::*;
use signals_support::*;

fn reject() -> Change {
    Change::Recommendation(Guidance::new(RecommendedPolicy::Reject))
}

#[test]
fn a_lifted_block_is_a_retraction_and_old_records_stay() {
    let mut log = ChangeLog::new();
    let mut r = randomness();
    let spam = Entity::domain("spam.example").expect("domain");
    let rec = log
        .supersede(&spam, reject(), Some("spam".into()), at(1), r())
        .expect("ok");
    assert!(rec.is_some());
    // Retracting something never recommended appends nothing.
    let other = Entity::domain("other.example").expect("domain");
    assert_eq!(log.retract(&other, None, at(2), r()).expect("ok"), None);
    let snapshot = log.records().to_vec();
    let retraction = log
        .retract(&spam, Some("they cleaned up".into()), at(3), r())
        .expect("ok")
        .expect("retraction appended");
    // Append-only: the earlier records are unchanged, the retraction follows them.
    assert_eq!(
        log.records().get(..snapshot.len()),
        Some(snapshot.as_slice())
    );
    assert_eq!(log.current(&spam).map(|r| r.change_id), Some(retraction));
    // A second retraction of the same entity is not needed.
    assert_eq!(log.retract(&spam, None, at(4), r()).expect("ok"), None);

    let mut view = LocalView::new();
    for record in log.records() {
        view.apply(record).expect("apply");
    }
    let state = view.state(&spam).expect("state");
    assert!(matches!(state, EntityState::Retracted(_)));
    assert_eq!(state.record().comment.as_deref(), Some("they cleaned up"));
    assert_eq!(state.record().to_json()["type"], "retraction");
}

#[test]
fn a_tombstone_makes_the_consumer_forget_the_entity() {
    let mut log = ChangeLog::new();
    let mut r = randomness();
    let actor = Entity::actor("https://a.example/users/person").expect("actor");
    let keep = Entity::actor("https://a.example/users/keep").expect("actor");
    log.supersede(&actor, reject(), Some("abuse".into()), at(1), r())
        .expect("ok");
    log.supersede(&keep, reject(), None, at(1), r())
        .expect("ok");
    log.tombstone(&actor, at(2), r())
        .expect("ok")
        .expect("tombstone");
    assert_eq!(
        log.tombstone(&actor, at(3), r()).expect("ok"),
        None,
        "already tombstoned"
    );
    let unknown = Entity::domain("never.example").expect("domain");
    assert_eq!(log.tombstone(&unknown, at(3), r()).expect("ok"), None);

    let mut view = LocalView::new();
    for record in log.records() {
        view.apply(record).expect("apply");
    }
    assert!(view.state(&actor).is_none(), "forgotten");
    assert!(view.state(&keep).is_some());
    let json = log.records().last().expect("tombstone").to_json();
    assert_eq!(json["type"], "tombstone");
    assert!(
        json.get("comment").is_none(),
        "a tombstone keeps no explanation"
    );
    assert!(json.get("recommended_policy").is_none());

    // A later decision about a tombstoned entity starts it afresh.
    log.supersede(&actor, reject(), None, at(4), r())
        .expect("ok")
        .expect("new record");
    if let Some(last) = log.records().last() {
        view.apply(last).expect("apply");
    }
    assert!(matches!(view.state(&actor), Some(EntityState::Active(_))));
}

#[test]
fn a_changed_decision_supersedes_and_the_same_one_does_not_repeat() {
    let mut log = ChangeLog::new();
    let mut r = randomness();
    let farmer = "https://farm.example/u/1";
    // Held three times for the same reason: one advisory.
    let events: Vec<_> = (0..3).map(|i| arrival(&FarmingPolicy, farmer, i)).collect();
    let ids =
        export_events(&mut log, &events, &ExportConfig::default(), at(10), &mut r).expect("export");
    assert_eq!(ids.len(), 1);
    // A moderator blocks the account: a recommendation supersedes the advisory.
    let entity = Entity::actor(farmer).expect("actor");
    log.supersede(&entity, reject(), None, at(11), r())
        .expect("ok")
        .expect("new");
    assert_eq!(log.records().len(), 2);
    assert_eq!(log.records()[0].change.change_type(), ChangeType::Advisory);
    // The account is later accepted: the export turns that into a retraction.
    let accepted = arrival(&fep7628::policy::AcceptAll, farmer, 20);
    let ids = export_events(
        &mut log,
        &[accepted],
        &ExportConfig::default(),
        at(21),
        &mut r,
    )
    .expect("export");
    assert_eq!(ids.len(), 1);
    assert_eq!(
        log.current(&entity).map(|r| r.change.change_type()),
        Some(ChangeType::Retraction)
    );
}

#[test]
fn cooldowns_and_protocol_faults_are_not_signals() {
    use fep7628::policy::{AuditOutcome, CooldownSubject, PolicyReason};
    let mut held = arrival(&FarmingPolicy, "https://farm.example/u/1", 0);
    held.outcome = AuditOutcome::Held {
        reasons: vec![PolicyReason::Cooldown {
            subject: CooldownSubject::Origin,
            until: at(100),
        }],
    };
    assert!(signals_for(&held, &ExportConfig::default()).is_empty());
    // A Move refused for a protocol fault says nothing about the accounts.
    let line = r#"{"at": 1764547200, "outcome": "rejected", "code": "signer_mismatch", "subject": {"type": "inbound_move", "actor": "https://x.example/u/1", "origin": "https://old.example/u/a", "target": "https://new.example/u/a"}}"#;
    let moves = parse_audit_jsonl(line).expect("audit line");
    assert!(signals_for(&moves[0], &ExportConfig::default()).is_empty());
    // The same Move refused by a policy is a signal about its origin.
    let line = line.replace("signer_mismatch", "policy:keyword_rule");
    let moves = parse_audit_jsonl(&line).expect("audit line");
    match signals_for(&moves[0], &ExportConfig::default()).as_slice() {
        [Signal::Set { entity, change, .. }] => {
            assert_eq!(
                entity,
                &Entity::actor("https://old.example/u/a").expect("actor")
            );
            assert_eq!(change.change_type(), ChangeType::Recommendation);
        }
        other => panic!("{other:?}"),
    }
    let mut rejected = held.clone();
    rejected.outcome = AuditOutcome::Rejected {
        code: "policy:cooldown_target".into(),
    };
    assert!(signals_for(&rejected, &ExportConfig::default()).is_empty());
    rejected.outcome = AuditOutcome::Rejected {
        code: "policy:account_too_young".into(),
    };
    let signals = signals_for(&rejected, &ExportConfig::default());
    assert_eq!(signals.len(), 1, "{signals:?}");
}
