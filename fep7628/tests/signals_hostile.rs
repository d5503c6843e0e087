//! Hostile and broken batches: every one is a typed error, and nothing is applied.

mod signals_support;

use fep7628::signals::*;
use identity_links::ed25519_dalek::SigningKey;
use serde_json::{Value, json};
use signals_support::*;

/// A log with three records about three domains.
fn log3() -> ChangeLog {
    let mut log = ChangeLog::new();
    let mut r = randomness();
    for (i, d) in ["a.example", "b.example", "c.example"].iter().enumerate() {
        let e = Entity::domain(d).expect("domain");
        let g = Guidance::new(RecommendedPolicy::Reject);
        log.supersede(&e, Change::Recommendation(g), None, at(i as u64), r())
            .expect("ok");
    }
    log
}

fn sign_raw(doc: &Value) -> Value {
    identity_links::sign_object(doc, &key(), KEY_ID, "2025-12-01T00:00:00Z").expect("sign")
}

fn kind(r: Result<VerifiedBatch, SignalsError>) -> (&'static str, Option<String>) {
    let e = r.expect_err("must be refused");
    (e.kind(), e.at().map(str::to_owned))
}

#[test]
fn tampering_is_a_bad_signature() {
    let signed = sign(&ChangeBatch::from_log(&log3(), ISSUER, None), 1);
    let t = trusted();
    assert!(verify_batch(&signed, &t).is_ok());

    let mut changed = signed.clone();
    changed["changes"][1]["recommended_policy"] = "accept".into();
    let mut dropped = signed.clone();
    if let Some(items) = dropped["changes"].as_array_mut() {
        items.pop();
    }
    dropped["last_change_id"] = signed["changes"][1]["change_id"].clone();
    let mut cursor_moved = signed.clone();
    cursor_moved["after_change_id"] = signed["changes"][0]["change_id"].clone();
    let mut no_proof = signed.clone();
    if let Some(m) = no_proof.as_object_mut() {
        m.remove("proof");
    }
    for (name, doc) in [
        ("changed", changed),
        ("dropped", dropped),
        ("cursor", cursor_moved),
    ] {
        let e = verify_batch(&doc, &t).expect_err(name);
        assert!(
            matches!(
                &e,
                SignalsError::ProofInvalid {
                    proof_kind: "bad_signature",
                    ..
                }
            ),
            "{name}: {e:?}"
        );
    }
    assert_eq!(
        verify_batch(&no_proof, &t).map_err(|e| e.kind()).err(),
        Some("proof_invalid")
    );
}

#[test]
fn a_wrong_key_or_an_untrusted_issuer_is_refused() {
    let batch = ChangeBatch::from_log(&log3(), ISSUER, None);
    // Signed by another key under the trusted server's key id.
    let forged = batch
        .sign(&SigningKey::from_bytes(&[9; 32]), KEY_ID, at(1))
        .expect("sign");
    let e = verify_batch(&forged, &trusted()).expect_err("forged");
    assert!(
        matches!(
            &e,
            SignalsError::ProofInvalid {
                proof_kind: "bad_signature",
                ..
            }
        ),
        "{e:?}"
    );
    // Same, when the consumer pinned a bare key.
    let mut pinned = TrustedExporters::new();
    pinned.trust_key(ISSUER, key().verifying_key());
    assert_eq!(kind(verify_batch(&forged, &pinned)).0, "proof_invalid");
    assert!(verify_batch(&sign(&batch, 1), &pinned).is_ok());

    // A correctly signed batch from a server nobody trusts.
    let other_key = SigningKey::from_bytes(&[3; 32]);
    let stranger = ChangeBatch::from_log(&log3(), "https://stranger.example/actor", None)
        .sign(&other_key, "https://stranger.example/actor#k", at(1))
        .expect("sign");
    assert_eq!(
        kind(verify_batch(&stranger, &trusted())).0,
        "untrusted_issuer"
    );
    // A stranger's batch relabelled as the trusted issuer's: the key is not the issuer's.
    let mut relabelled = stranger.clone();
    relabelled["attributedTo"] = ISSUER.into();
    let e = verify_batch(&relabelled, &trusted()).expect_err("relabelled");
    assert!(matches!(e, SignalsError::ProofInvalid { .. }), "{e:?}");
    // The trusted issuer's key id, but the stranger names itself as owner.
    let mut t = trusted();
    t.trust_actor(actor_of(
        &other_key,
        "https://stranger.example/actor",
        "https://stranger.example/actor#k",
    ))
    .expect("actor");
    let mut view = LocalView::following(ISSUER);
    let verified = verify_batch(&stranger, &t).expect("now trusted");
    assert_eq!(
        view.apply_batch(&verified).map_err(|e| e.kind()),
        Err("issuer_mismatch")
    );
    assert_eq!(view.cursor(), None);
}

#[test]
fn replays_overlaps_and_gaps_are_refused_without_applying() {
    let log = log3();
    let ids: Vec<ChangeId> = log.records().iter().map(|r| r.change_id).collect();
    let t = trusted();
    let batch = |after: Option<ChangeId>, upto: usize| {
        let mut b = ChangeBatch::from_log(&log, ISSUER, after).to_json();
        // Keep records up to `upto` (exclusive, absolute index) and fix the range.
        let keep: Vec<Value> = b["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .filter(|r| {
                let id = ChangeId::parse(r["change_id"].as_str().unwrap_or(""), "").expect("id");
                ids.iter().position(|x| *x == id).is_some_and(|p| p < upto)
            })
            .cloned()
            .collect();
        b["first_change_id"] = keep.first().map_or(Value::Null, |r| r["change_id"].clone());
        b["last_change_id"] = keep.last().map_or(Value::Null, |r| r["change_id"].clone());
        b["changes"] = Value::Array(keep);
        verify_batch(&sign_raw(&b), &t).expect("verifies")
    };
    let mut view = LocalView::following(ISSUER);
    view.apply_batch(&batch(None, 2)).expect("first two");
    assert_eq!(view.cursor(), Some(ids[1]));

    let refused = |view: &mut LocalView, b: &VerifiedBatch| {
        let before = view.clone().entities().count();
        let e = view.apply_batch(b).expect_err("refused");
        assert_eq!(view.cursor(), Some(ids[1]), "cursor unchanged");
        assert_eq!(view.entities().count(), before, "nothing applied");
        e.kind()
    };
    // The same first batch again, or an older part of it.
    assert_eq!(refused(&mut view, &batch(None, 2)), "replayed");
    assert_eq!(refused(&mut view, &batch(None, 1)), "replayed");
    assert_eq!(refused(&mut view, &batch(Some(ids[0]), 2)), "replayed");
    // Starts before the cursor and goes beyond it.
    assert_eq!(refused(&mut view, &batch(Some(ids[0]), 3)), "overlap");
    assert_eq!(refused(&mut view, &batch(None, 3)), "overlap");
    // Continues after a record the consumer never got.
    assert_eq!(refused(&mut view, &batch(Some(ids[2]), 3)), "gap");
    // The right continuation applies.
    assert_eq!(
        view.apply_batch(&batch(Some(ids[1]), 3))
            .expect("continues"),
        1
    );
    assert_eq!(view.cursor(), Some(ids[2]));
    // A fresh consumer cannot start in the middle.
    let mut fresh = LocalView::following(ISSUER);
    assert_eq!(
        fresh
            .apply_batch(&batch(Some(ids[0]), 3))
            .map_err(|e| e.kind()),
        Err("gap")
    );
}

#[test]
fn records_out_of_order_or_repeated_inside_a_signed_batch() {
    let log = log3();
    let good = ChangeBatch::from_log(&log, ISSUER, None).to_json();
    let t = trusted();

    let mut swapped = good.clone();
    if let Some(items) = swapped["changes"].as_array_mut() {
        items.swap(1, 2);
    }
    swapped["last_change_id"] = swapped["changes"][2]["change_id"].clone();
    assert_eq!(
        kind(verify_batch(&sign_raw(&swapped), &t)),
        ("out_of_order", Some("/changes/2/change_id".into()))
    );

    let mut repeated = good.clone();
    let first = repeated["changes"][0].clone();
    if let Some(items) = repeated["changes"].as_array_mut() {
        items.insert(1, first);
    }
    assert_eq!(
        kind(verify_batch(&sign_raw(&repeated), &t)),
        ("duplicate_change_id", Some("/changes/1/change_id".into()))
    );

    // A record at or before the batch's own cursor.
    let mut before_cursor = good.clone();
    before_cursor["after_change_id"] = good["changes"][0]["change_id"].clone();
    assert_eq!(
        kind(verify_batch(&sign_raw(&before_cursor), &t)),
        ("duplicate_change_id", Some("/changes/0/change_id".into()))
    );

    let mut wrong_range = good.clone();
    wrong_range["first_change_id"] = good["changes"][1]["change_id"].clone();
    assert_eq!(
        kind(verify_batch(&sign_raw(&wrong_range), &t)),
        ("range_mismatch", Some("/first_change_id".into()))
    );
}

#[test]
fn unknown_kinds_types_and_policies_name_their_pointer() {
    let good = ChangeBatch::from_log(&log3(), ISSUER, None).to_json();
    let t = trusted();
    let cases: [(&str, Value, &str); 7] = [
        ("entity_kind", json!("Hashtag"), "unknown_entity_kind"),
        ("entity_kind", json!("domain"), "unknown_entity_kind"),
        ("type", json!("warning"), "unknown_change_type"),
        ("recommended_policy", json!("silence"), "unknown_policy"),
        (
            "change_id",
            json!("0192d0c4-8a58-4cc2-9d0e-5b1f3a2c4d5e"),
            "invalid_change_id",
        ),
        ("entity_key", json!("not a domain/"), "invalid_field"),
        ("published", json!("yesterday"), "invalid_field"),
    ];
    for (field, value, expected) in cases {
        let mut doc = good.clone();
        doc["changes"][1][field] = value;
        assert_eq!(
            kind(verify_batch(&sign_raw(&doc), &t)),
            (expected, Some(format!("/changes/1/{field}"))),
            "{field}"
        );
    }
    let mut missing = good.clone();
    if let Some(m) = missing["changes"][2].as_object_mut() {
        m.remove("entity_key");
    }
    assert_eq!(
        kind(verify_batch(&sign_raw(&missing), &t)),
        ("missing_field", Some("/changes/2/entity_key".into()))
    );
}

#[test]
fn hostile_bytes_and_sizes() {
    for (bytes, expected) in [
        (&br#"{"type":"ChangeBatch","type":"ChangeBatch"}"#[..], "invalid_json"),
        (&b"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["[..], "invalid_json"),
        (&b"\"\\ud800\""[..], "invalid_json"),
        (&b"[]"[..], "invalid_field"),
        (&br#"{"type":"ChangeBatch","attributedTo":"acct:x@y","changes":[]}"#[..], "invalid_field"),
    ] {
        assert_eq!(
            ChangeBatch::parse(bytes).map(|_| ()).map_err(|e| e.kind()),
            Err(expected),
            "{}",
            String::from_utf8_lossy(bytes)
        );
    }
    // Too many records in one batch.
    let record = ChangeBatch::from_log(&log3(), ISSUER, None).to_json()["changes"][0].clone();
    let doc = json!({"type": "ChangeBatch", "attributedTo": ISSUER,
        "changes": vec![record; MAX_BATCH_RECORDS + 1]});
    let e = ChangeBatch::from_json(&doc).expect_err("too many");
    assert_eq!((e.kind(), e.at()), ("limit_exceeded", Some("/changes")));
    // A very long key.
    let long = format!("{}.example", "a".repeat(MAX_ENTITY_KEY));
    assert_eq!(
        Entity::domain(&long).map_err(|e| e.kind()),
        Err("limit_exceeded")
    );
}

#[test]
fn single_records_must_come_after_the_cursor() {
    let log = log3();
    let mut view = LocalView::new();
    view.apply(&log.records()[1]).expect("first");
    assert_eq!(
        view.apply(&log.records()[1]).map_err(|e| e.kind()),
        Err("duplicate_change_id")
    );
    assert_eq!(
        view.apply(&log.records()[0]).map_err(|e| e.kind()),
        Err("out_of_order")
    );
    view.apply(&log.records()[2]).expect("later");
}
