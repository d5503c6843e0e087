//! Property tests: emit → parse round trips, re-serving keeps every member, and the reader is
//! total (never panics, always `Ok` or a typed error) on arbitrary JSON and arbitrary bytes.
#![cfg(feature = "proptest")]

use activitystreams_move::{
    Activity, Actor, Document, Limits, MigrationFields, MoveBuilder, MoveMode, MovedToContext,
    ReadOptions, classify_context, strategies, validate_activity, validate_actor,
};
use proptest::prelude::*;
use serde_json::Value;

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Built Moves read back (strictly) to the same origin, target and mode, and validate clean.
    #[test]
    fn move_builder_round_trips(origin in strategies::actor_id(), target in strategies::actor_id(), push: bool) {
        prop_assume!(origin != target);
        let id = format!("{origin}#moves/1");
        let b = if push {
            MoveBuilder::push(&id, &origin, &target).followers(format!("{origin}/followers"))
        } else {
            MoveBuilder::pull(&id, &origin, &target).followers(format!("{target}/followers"))
        };
        let built = b.build();
        let bytes = serde_json::to_vec(&built).unwrap();
        let read = Activity::from_slice(&bytes, &ReadOptions::strict()).unwrap();
        let mv = read.as_move().unwrap();
        prop_assert_eq!(mv.origin(), Some(origin.as_str()));
        prop_assert_eq!(mv.target(), Some(target.as_str()));
        prop_assert_eq!(mv.mode(), if push { MoveMode::Push } else { MoveMode::Pull });
        prop_assert!(validate_activity(&read).is_empty(), "{:?}", validate_activity(&read));
        prop_assert!(read.is_public());
        prop_assert_eq!(read.to_value(), built.to_value());
    }

    /// Migration fields set on a generated actor read back (the emitted context defines every
    /// migration term), in both context styles, with one `movedTo` binding.
    #[test]
    fn migration_fields_round_trip(doc in strategies::actor(), target in strategies::actor_id(),
                                   aka in prop::collection::vec(strategies::actor_id(), 1..4),
                                   fep: bool, copied: bool) {
        let mut actor = Actor::from_value(&doc, &ReadOptions::default()).unwrap();
        let style = if fep { MovedToContext::Fep7628 } else { MovedToContext::Mastodon };
        let edit = MigrationFields::new(style).also_known_as(aka.clone());
        let edit = if copied { edit.copied_to([target.clone()]) } else { edit.moved_to(target.clone()).tombstone() };
        edit.apply(&mut actor);
        let bytes = serde_json::to_vec(&actor).unwrap();
        let back = Actor::from_slice(&bytes, &ReadOptions::default()).unwrap();
        // The emitted context defines every migration term (other members are the input's).
        for t in ["alsoKnownAs", "movedTo", "copiedTo"] {
            prop_assert!(!back.undefined_terms().contains_name(t), "{} undefined", t);
        }
        prop_assert_eq!(back.also_known_as.as_slice(), aka.as_slice());
        if copied {
            prop_assert_eq!(back.copied_to.single(), Some(target.as_str()));
            prop_assert!(!back.moved_to.is_present());
        } else {
            prop_assert_eq!(back.moved_to(), Some(target.as_str()));
            prop_assert!(back.is_tombstone());
            prop_assert!(!back.copied_to.is_present());
        }
        let verdict = classify_context(back.context.as_ref().unwrap()).unwrap();
        prop_assert_eq!(verdict.declares_fep7628(), fep);
        // Never both bindings of movedTo: exactly one entry defines it.
        let ctx = back.context.clone().unwrap();
        let bindings = ctx.as_array().unwrap().iter().filter(|e| {
            e.as_str() == Some("https://w3id.org/fep/7628") || e.get("movedTo").is_some()
        }).count();
        prop_assert_eq!(bindings, 1);
        let e965: Vec<_> = validate_actor(&back).into_iter()
            .filter(|p| p.rule == activitystreams_move::Rule::FepE965 && p.severity == activitystreams_move::Severity::Error)
            .collect();
        prop_assert!(e965.is_empty(), "{:?}", e965);
    }

    /// Re-serving a read document keeps every member (unknown ones verbatim), and reading the
    /// re-served form gives the same actor.
    #[test]
    fn reserving_is_stable(doc in strategies::actor()) {
        let a = Actor::from_value(&doc, &ReadOptions::default()).unwrap();
        let again = Actor::from_value(&a.to_value(), &ReadOptions::default()).unwrap();
        prop_assert_eq!(&again.to_value(), &a.to_value());
        prop_assert_eq!(a.extra.get("discoverable"), doc.get("discoverable").cloned());
        for key in doc.as_object().unwrap().keys() {
            let present = a.to_value().get(key).is_some()
                || matches!(key.as_str(), "as:alsoKnownAs" | "https://www.w3.org/ns/activitystreams#alsoKnownAs"
                    | "as:movedTo" | "https://w3id.org/fep/7628#movedTo");
            prop_assert!(present, "{} lost", key);
        }
    }

    /// Totality: arbitrary JSON values never panic the reader, the guard or validation.
    #[test]
    fn reader_is_total_on_json(doc in strategies::arbitrary_json()) {
        let options = ReadOptions::default();
        if let Ok(a) = Actor::from_value(&doc, &options) {
            let _ = validate_actor(&a);
            let _ = a.to_value();
        }
        if let Ok(a) = Activity::from_value(&doc, &options) {
            let _ = validate_activity(&a);
            let _ = a.to_value();
        }
        let _ = classify_context(&doc);
        let bytes = serde_json::to_vec(&doc).unwrap();
        let _ = Document::from_slice(&bytes, &ReadOptions::strict());
    }

    /// Totality on bytes, including truncations of valid documents.
    #[test]
    fn reader_is_total_on_bytes(doc in strategies::actor(), cut in 0usize..4096, junk in prop::collection::vec(any::<u8>(), 0..64)) {
        let mut bytes = serde_json::to_vec(&doc).unwrap();
        bytes.truncate(cut.min(bytes.len()));
        bytes.extend(junk);
        let _ = Actor::from_slice(&bytes, &ReadOptions::default());
        let _ = Activity::from_slice(&bytes, &ReadOptions::default());
    }

    /// Hostile contexts are refused with the announced kind.
    #[test]
    fn hostile_contexts_have_their_kind((ctx, kind) in strategies::hostile_context()) {
        let err = classify_context(&ctx).unwrap_err();
        prop_assert_eq!(err.kind(), kind);
        prop_assert!(err.at().is_some_and(|a| a.starts_with("/@context")));
    }
}

#[test]
fn limits_are_errors_with_pointers() {
    let tight = ReadOptions::default().with_limits(Limits {
        max_depth: 4,
        max_array_len: 3,
        max_document_bytes: 4096,
        max_also_known_as: 2,
        ..Limits::default()
    });
    let deep = br#"{"id":"https://a.example/u","type":"Person","x":{"y":{"z":{"w":{}}}}}"#;
    let e = Actor::from_slice(deep, &tight).unwrap_err();
    assert_eq!((e.kind(), e.at()), ("too_deep", Some("/x/y/z/w")));
    let long = br#"{"id":"https://a.example/u","type":"Person","tag":[1,2,3,4]}"#;
    let e = Actor::from_slice(long, &tight).unwrap_err();
    assert_eq!((e.kind(), e.at()), ("too_large", Some("/tag")));
    let big = vec![b' '; 5000];
    assert_eq!(
        Actor::from_slice(&big, &tight).unwrap_err().kind(),
        "too_large"
    );
    let many = br#"{"id":"https://a.example/u","type":"Person","alsoKnownAs":["https://b.example/1","https://b.example/2","https://b.example/3"]}"#;
    let a = Actor::from_slice(many, &tight).unwrap();
    assert_eq!(a.also_known_as.len(), 2);
    let p = validate_actor(&a);
    assert!(
        p.iter()
            .any(|p| p.kind() == "too_many_aliases" && p.at == "/alsoKnownAs")
    );
    // Deeply nested input within serde_json's own recursion limit never overflows the stack.
    let nested = format!("{}{}", "[".repeat(100), "]".repeat(100));
    assert!(Actor::from_slice(nested.as_bytes(), &ReadOptions::default()).is_err());
    let value: Value = serde_json::from_str(&nested).unwrap();
    assert!(Actor::from_value(&value, &ReadOptions::default()).is_err());
}
