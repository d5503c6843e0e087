//! Export → sign → verify → apply, end to end over the library API, and resuming from the
//! last change id.

mod signals_support;

use fep7628::signals::*;
use signals_support::*;

#[test]
fn decisions_travel_from_exporter_to_consumer() {
    let events = vec![
        arrival(&blocks(), "https://bot.spam.example/u/1", 1),
        arrival(&FarmingPolicy, "https://farm.example/u/7", 2),
        arrival(&FarmingPolicy, "https://fine.example/u/8", 3),
    ];
    let mut log = ChangeLog::new();
    let ids = export_events(
        &mut log,
        &events,
        &ExportConfig {
            label_base: Some("https://mod.example/labels".into()),
        },
        at(10),
        randomness(),
    )
    .expect("export");
    // The accepted follower is not a signal; the two others are.
    assert_eq!(ids.len(), 2);
    assert!(ids[0] < ids[1]);

    let signed = sign(&ChangeBatch::from_log(&log, ISSUER, None), 11);
    // The batch survives a trip through text, as it would over HTTP.
    let text = serde_json::to_vec(&signed).expect("serialise");
    let (document, _) = ChangeBatch::parse(&text).expect("parse");
    let verified = verify_batch(&document, &trusted()).expect("verify");
    assert_eq!(verified.verification_method(), KEY_ID);

    let mut view = LocalView::following(ISSUER);
    assert_eq!(view.apply_batch(&verified).expect("apply"), 2);
    assert_eq!(view.cursor(), Some(ids[1]));

    let domain = Entity::domain("bot.spam.example").expect("domain");
    let state = view.state(&domain).expect("domain state");
    let g = state.record().change.guidance().expect("guidance");
    assert_eq!(state.change_type(), ChangeType::Recommendation);
    assert_eq!(g.policy, RecommendedPolicy::Reject);
    assert_eq!(g.labels, vec!["https://mod.example/labels#domain_blocked"]);

    let farmer = Entity::actor("https://farm.example/u/7").expect("actor");
    let state = view.state(&farmer).expect("actor state");
    let g = state.record().change.guidance().expect("guidance");
    assert_eq!(state.change_type(), ChangeType::Advisory);
    assert_eq!(g.policy, RecommendedPolicy::Filter);
    assert_eq!(g.filters, vec!["require-follow-requests"]);
    assert_eq!(
        g.labels,
        vec!["https://mod.example/labels#follower_farming"]
    );
    assert!(
        view.state(&Entity::actor("https://fine.example/u/8").expect("actor"))
            .is_none()
    );
    // What the consumer holds is exactly what the exporter logged.
    assert_eq!(view.entities().count(), 2);
    for record in log.records() {
        assert_eq!(
            view.state(&record.entity).map(EntityState::record),
            Some(record)
        );
    }
}

#[test]
fn resuming_from_the_cursor_gives_exactly_the_later_records() {
    let mut log = ChangeLog::new();
    let mut random = randomness();
    let mut view = LocalView::following(ISSUER);
    let trusted = trusted();
    let mut all_seen = Vec::new();
    for round in 0..4u64 {
        // Each round, new decisions about new and old entities.
        let events = vec![
            arrival(
                &FarmingPolicy,
                &format!("https://farm.example/u/{round}"),
                round * 10,
            ),
            arrival(
                &blocks(),
                &format!("https://h{round}.spam.example/u/1"),
                round * 10 + 1,
            ),
        ];
        export_events(
            &mut log,
            &events,
            &ExportConfig::default(),
            at(round * 10 + 2),
            &mut random,
        )
        .expect("export");
        let before = view.cursor();
        let batch = ChangeBatch::from_log(&log, ISSUER, before);
        let expected: Vec<ChangeId> = log
            .records()
            .iter()
            .map(|r| r.change_id)
            .filter(|id| before.is_none_or(|b| *id > b))
            .collect();
        let got: Vec<ChangeId> = batch.records().iter().map(|r| r.change_id).collect();
        assert_eq!(got, expected, "round {round}");
        assert_eq!(got.len(), 2, "round {round}: only this round's records");
        let verified = verify_batch(&sign(&batch, round * 10 + 3), &trusted).expect("verify");
        view.apply_batch(&verified).expect("apply");
        all_seen.extend(got);
    }
    assert_eq!(
        all_seen,
        log.records()
            .iter()
            .map(|r| r.change_id)
            .collect::<Vec<_>>()
    );
    assert_eq!(view.cursor(), log.last_change_id());
    // Nothing new: an empty batch continues from the cursor and applies nothing.
    let empty = ChangeBatch::from_log(&log, ISSUER, view.cursor());
    assert!(empty.records().is_empty());
    let signed = sign(&empty, 99);
    assert_eq!(signed["first_change_id"], serde_json::Value::Null);
    let verified = verify_batch(&signed, &trusted).expect("verify empty");
    assert_eq!(view.apply_batch(&verified).expect("apply empty"), 0);
}

#[test]
fn a_reloaded_log_keeps_ids_increasing() {
    let mut log = ChangeLog::new();
    let d = Entity::domain("a.example").expect("domain");
    let rec = Change::Recommendation(Guidance::new(RecommendedPolicy::Drop));
    let first = log
        .supersede(&d, rec, None, at(5), [0xff; 10])
        .expect("ok")
        .expect("new");
    let stored: Vec<ChangeRecord> = log.records().to_vec();
    let mut reloaded = ChangeLog::from_records(stored).expect("reload");
    // Same millisecond (and even an earlier clock): the next id is still greater.
    let next = reloaded
        .retract(&d, None, at(0), [0; 10])
        .expect("ok")
        .expect("retraction");
    assert!(next > first);
    let mut bad = reloaded.records().to_vec();
    bad.swap(0, 1);
    assert_eq!(
        ChangeLog::from_records(bad)
            .map(|_| ())
            .map_err(|e| e.kind()),
        Err("out_of_order")
    );
}
