//! Our records have the shape the FIRES docs give (fixtures in `tests/data/fires/`, built from
//! FediMod/fires at 0393f4860bc502ee3cd0d7ae187007f291a94ad5; see the README there).

mod signals_support;

use std::collections::BTreeSet;

use fep7628::signals::*;
use serde_json::Value;
use signals_support::*;

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/data/fires/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_slice(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

#[test]
fn the_doc_shaped_records_parse_and_round_trip() {
    let records = fixture("change-records.json");
    let items = records.as_array().expect("array");
    let mut view = LocalView::new();
    for (i, item) in items.iter().enumerate() {
        let record = ChangeRecord::from_json(item, &format!("/{i}"))
            .unwrap_or_else(|e| panic!("record {i}: {e}"));
        // What we read is what we write: the same members, the same values.
        assert_eq!(&record.to_json(), item, "record {i}");
        view.apply(&record).expect("in order");
    }
    // The fixture's story: the advisory was retracted, the actor tombstoned.
    let friendly = Entity::domain("friendly-federator.example").expect("domain");
    assert!(matches!(
        view.state(&friendly),
        Some(EntityState::Retracted(_))
    ));
    assert!(
        view.state(&Entity::actor("https://bad.example/users/spammer").expect("actor"))
            .is_none()
    );
    let mail = Entity::new(EntityKind::EmailDomain, "throwaway-mail.example", "").expect("email");
    assert_eq!(
        view.state(&mail)
            .and_then(|s| s.record().change.guidance())
            .map(|g| g.policy),
        Some(RecommendedPolicy::Reject)
    );
}

#[test]
fn our_exported_records_have_the_doc_field_sets() {
    let records = fixture("change-records.json");
    let by_type = |t: &str| {
        records
            .as_array()
            .and_then(|a| a.iter().find(|r| r["type"] == t))
            .map(keys)
            .unwrap_or_else(|| panic!("no {t} in the fixture"))
    };
    // Export real decisions, then lift one and forget another.
    let mut log = ChangeLog::new();
    let mut r = randomness();
    let events = vec![
        arrival(&FarmingPolicy, "https://farm.example/u/1", 1),
        arrival(&blocks(), "https://x.spam.example/u/1", 2),
    ];
    export_events(&mut log, &events, &ExportConfig::default(), at(3), &mut r).expect("export");
    let farmer = Entity::actor("https://farm.example/u/1").expect("actor");
    let spam = Entity::domain("x.spam.example").expect("domain");
    log.retract(&spam, Some("lifted".into()), at(4), r())
        .expect("ok")
        .expect("retraction");
    log.tombstone(&farmer, at(5), r())
        .expect("ok")
        .expect("tombstone");
    let ours: Vec<Value> = log.records().iter().map(ChangeRecord::to_json).collect();
    let types: Vec<&str> = ours.iter().filter_map(|r| r["type"].as_str()).collect();
    assert_eq!(
        types,
        ["advisory", "recommendation", "retraction", "tombstone"]
    );
    for record in &ours {
        let t = record["type"].as_str().expect("type");
        assert_eq!(keys(record), by_type(t), "{t}");
    }
    assert_eq!(ours[0]["entity_kind"], "Actor");
    assert_eq!(ours[1]["entity_kind"], "Domain");
    assert_eq!(ours[1]["recommended_policy"], "reject");
}

#[test]
fn the_older_lowercase_entity_kind_is_refused() {
    let old = fixture("older-docs-lowercase-kind.json");
    let e = ChangeRecord::from_json(&old, "").expect_err("lower-case kind");
    assert_eq!(
        (e.kind(), e.at()),
        ("unknown_entity_kind", Some("/entity_kind"))
    );
}
