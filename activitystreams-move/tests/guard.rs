//! The context guard against every pathology of json-ld.md §6 and the keywords of §7, each with
//! the exact error kind and pointer; and the accepted real-world shapes beside them.

use activitystreams_move::{
    Activity, Actor, MovedToIri, ReadOptions, UndefinedTerms, classify_context,
};
use serde_json::{Value, json};

fn actor_with(context: Value, extra: Value) -> Value {
    let mut doc = json!({
        "@context": context,
        "id": "https://example.com/users/alice",
        "type": "Person",
        "inbox": "https://example.com/users/alice/inbox",
        "outbox": "https://example.com/users/alice/outbox",
        "alsoKnownAs": ["https://other.example/users/alice"],
    });
    if let (Some(d), Value::Object(e)) = (doc.as_object_mut(), extra) {
        d.extend(e);
    }
    doc
}

fn refused(doc: &Value) -> (String, String) {
    let e = Actor::from_value(doc, &ReadOptions::default()).expect_err("must be refused");
    (e.kind().to_string(), e.at().unwrap_or("").to_string())
}

fn kind_at(kind: &str, at: &str) -> (String, String) {
    (kind.to_string(), at.to_string())
}

const AS: &str = "https://www.w3.org/ns/activitystreams";

#[test]
fn lemmy_matrix_user_id_aliasing_also_known_as_is_refused() {
    // mastodon/mastodon#16974: a JSON-LD reader would read the Matrix id as an alias.
    let doc = actor_with(
        json!([AS, {"sc": "http://schema.org#",
                    "matrixUserId": {"type": "sc:Text", "id": "as:alsoKnownAs"}}]),
        json!({"matrixUserId": "@alice:matrix.org"}),
    );
    // As quoted in the issue (`type`/`id` without `@`), the definition is invalid JSON-LD
    // (JSON-LD 1.1 §4.2.2: "invalid term definition"), so the document is refused outright.
    assert_eq!(refused(&doc), kind_at("invalid_context", "/@context/1"));
    // With keywords, it is the alias the issue describes.
    let doc = actor_with(
        json!([AS, {"sc": "http://schema.org#",
                    "matrixUserId": {"@type": "sc:Text", "@id": "as:alsoKnownAs"}}]),
        json!({"matrixUserId": "@alice:matrix.org"}),
    );
    assert_eq!(
        refused(&doc),
        kind_at("context_aliases_term", "/@context/1")
    );
    let e = Actor::from_value(&doc, &ReadOptions::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "context_aliases_term at /@context/1: matrixUserId means https://www.w3.org/ns/activitystreams#alsoKnownAs"
    );
}

#[test]
fn current_lemmy_context_is_accepted() {
    let doc = actor_with(
        json!([AS, "https://join-lemmy.org/context.json"]),
        json!({}),
    );
    let actor = Actor::from_value(&doc, &ReadOptions::default()).unwrap();
    assert_eq!(actor.also_known_as.len(), 1);
}

#[test]
fn undefined_prefix_in_a_guarded_definition_is_refused() {
    // LemmyNet/lemmy#5073: `as:` used without defining `as`.
    let doc = actor_with(
        json!([{"alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"}}]),
        json!({}),
    );
    assert_eq!(
        refused(&doc),
        kind_at("context_undefined_prefix", "/@context/0")
    );
    // The same definition after the AS context (which defines `as`) is fine.
    let doc = actor_with(
        json!([AS, {"alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"}}]),
        json!({}),
    );
    assert!(Actor::from_value(&doc, &ReadOptions::default()).is_ok());
}

#[test]
fn per_instance_namespaces_are_fine_but_unknown_urls_are_not() {
    // misskey-dev/misskey#8116: a per-instance namespace for Misskey's own terms is harmless.
    let doc = actor_with(
        json!([AS, {"misskey": "https://misskey.example/ns#", "isCat": "misskey:isCat"}]),
        json!({"isCat": true}),
    );
    let a = Actor::from_value(&doc, &ReadOptions::default()).unwrap();
    assert_eq!(a.extra.get("isCat"), Some(Value::Bool(true)));
    // An unknown remote context can define anything, wherever it stands.
    for (ctx, at) in [
        (json!([AS, "https://misskey.example/ns"]), "/@context/1"),
        (json!(["https://misskey.example/ns", AS]), "/@context/0"),
        (json!("https://evil.example/ctx"), "/@context"),
    ] {
        assert_eq!(
            refused(&actor_with(ctx, json!({}))),
            kind_at("unknown_context", at)
        );
    }
}

#[test]
fn invalid_context_entries_are_refused() {
    // superseriousbusiness/gotosocial#1947: invalid entries.
    for (ctx, at) in [
        (json!([AS, 42]), "/@context/1"),
        (json!([AS, [AS]]), "/@context/1"),
        (json!([AS, {"movedTo": 7}]), "/@context/1"),
        (
            json!([AS, {"movedTo": {"@id": "as:movedTo", "@bogus": 1}}]),
            "/@context/1",
        ),
    ] {
        assert_eq!(
            refused(&actor_with(ctx, json!({}))),
            kind_at("invalid_context", at)
        );
    }
}

#[test]
fn bonfire_joinmastodon_url_is_bundled() {
    let doc = actor_with(json!([AS, "http://joinmastodon.org/ns"]), json!({}));
    assert!(Actor::from_value(&doc, &ReadOptions::default()).is_ok());
}

#[test]
fn both_moved_to_iris_are_accepted_any_other_is_refused() {
    for (ctx, iri) in [
        (
            json!([AS, {"movedTo": {"@id": "as:movedTo", "@type": "@id"}}]),
            MovedToIri::ActivityStreams,
        ),
        (
            json!([AS, "https://w3id.org/fep/7628"]),
            MovedToIri::Fep7628,
        ),
        (
            json!([AS, {"movedTo": "https://w3id.org/fep/7628#movedTo"}]),
            MovedToIri::Fep7628,
        ),
    ] {
        let doc = actor_with(ctx, json!({"movedTo": "https://new.example/users/alice"}));
        let a = Actor::from_value(&doc, &ReadOptions::strict()).unwrap();
        assert_eq!(a.moved_to(), Some("https://new.example/users/alice"));
        assert_eq!(a.read_info.verdict().unwrap().moved_to(), iri);
    }
    let doc = actor_with(
        json!([AS, {"movedTo": {"@id": "https://evil.example/ns#movedTo", "@type": "@id"}}]),
        json!({"movedTo": "https://new.example/users/alice"}),
    );
    assert_eq!(
        refused(&doc),
        kind_at("context_redefines_term", "/@context/1")
    );
    // The later entry wins in JSON-LD; an evil binding after a good one is still refused.
    let doc = actor_with(
        json!([AS, "https://w3id.org/fep/7628", {"movedTo": "https://evil.example/m"}]),
        json!({}),
    );
    assert_eq!(
        refused(&doc),
        kind_at("context_redefines_term", "/@context/2")
    );
}

#[test]
fn undefined_moved_to_is_read_by_default_and_refused_when_strict() {
    // The AS context has "@vocab": "_:" and no movedTo (json-ld.md §6).
    let doc = actor_with(
        json!(AS),
        json!({"movedTo": "https://new.example/users/alice"}),
    );
    let a = Actor::from_value(&doc, &ReadOptions::default()).unwrap();
    assert_eq!(a.moved_to(), Some("https://new.example/users/alice"));
    assert_eq!(
        a.undefined_terms().names().collect::<Vec<_>>(),
        vec!["movedTo"]
    );
    let e = Actor::from_value(&doc, &ReadOptions::strict()).unwrap_err();
    assert_eq!((e.kind(), e.at()), ("undefined_term", Some("/movedTo")));
    let strict_but_read = ReadOptions {
        undefined_terms: UndefinedTerms::Read,
        ..ReadOptions::strict()
    };
    assert!(Actor::from_value(&doc, &strict_but_read).is_ok());
}

#[test]
fn vocab_that_changes_a_used_term_is_refused() {
    // @vocab = AS namespace makes an undefined `copiedTo` mean as:copiedTo, not FEP-7628's.
    let doc = actor_with(
        json!([AS, {"@vocab": "https://www.w3.org/ns/activitystreams#"}]),
        json!({"copiedTo": "https://new.example/users/alice"}),
    );
    assert_eq!(refused(&doc), kind_at("context_keyword", "/@context/1"));
    // …while it gives an undefined `movedTo` its Mastodon meaning: accepted and defined.
    let doc = actor_with(
        json!([AS, {"@vocab": "https://www.w3.org/ns/activitystreams#"}]),
        json!({"movedTo": "https://new.example/users/alice"}),
    );
    let a = Actor::from_value(&doc, &ReadOptions::strict()).unwrap();
    assert_eq!(a.moved_to(), Some("https://new.example/users/alice"));
}

#[test]
fn context_keywords_that_could_change_terms_are_refused() {
    for (inline, kind) in [
        (json!({"@base": "https://evil.example/"}), "context_keyword"),
        (
            json!({"@import": "https://evil.example/ctx"}),
            "context_keyword",
        ),
        (json!({"@propagate": false}), "context_keyword"),
        (json!({"myId": "@id"}), "context_aliases_term"),
        (json!({"kind": "@type"}), "context_aliases_term"),
        (json!({"g": "@graph"}), "unsupported_keyword"),
        (
            json!({"followedBy": {"@reverse": "as:followers"}}),
            "unsupported_keyword",
        ),
        (
            json!({"alsoKnownAs": {"@reverse": "as:alsoKnownAs"}}),
            "context_redefines_term",
        ),
        (json!({"alsoKnownAs": null}), "context_redefines_term"),
        (
            json!({"alsoKnownAs": {"@id": "as:alsoKnownAs", "@container": "@index"}}),
            "context_redefines_term",
        ),
        (
            json!({"alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@vocab"}}),
            "context_redefines_term",
        ),
        (
            json!({"publicKey": {"@id": "https://w3id.org/security#publicKey", "@context": {"owner": "https://evil.example/o"}}}),
            "context_redefines_term",
        ),
        (
            json!({"id": "https://evil.example/id"}),
            "context_redefines_term",
        ),
        (
            json!({"Move": "https://evil.example/Move"}),
            "context_redefines_term",
        ),
        (json!({"Umzug": "as:Move"}), "context_aliases_term"),
        (
            json!({"as": "https://evil.example/as#"}),
            "context_redefines_term",
        ),
        (
            json!({"activitystreams": "https://www.w3.org/ns/activitystreams#"}),
            "context_aliases_term",
        ),
    ] {
        let doc = actor_with(json!([AS, inline.clone()]), json!({}));
        assert_eq!(refused(&doc), kind_at(kind, "/@context/1"), "{inline}");
    }
}

#[test]
fn protected_terms_cannot_be_redefined() {
    // did/v1 is @protected: redefining `controller` afterwards is a JSON-LD error.
    let doc = actor_with(
        json!([AS, "https://www.w3.org/ns/did/v1", {"service": "https://evil.example/s"}]),
        json!({}),
    );
    assert_eq!(refused(&doc), kind_at("context_keyword", "/@context/2"));
    // Nulling the context after protected terms is an error too.
    let doc = actor_with(json!(["https://www.w3.org/ns/did/v1", null, AS]), json!({}));
    assert_eq!(refused(&doc), kind_at("context_keyword", "/@context/1"));
    // Redefining the same term identically is allowed (AS after did/v1 does it for alsoKnownAs).
    let doc = actor_with(json!(["https://www.w3.org/ns/did/v1", AS]), json!({}));
    assert!(Actor::from_value(&doc, &ReadOptions::default()).is_ok());
}

#[test]
fn graph_included_reverse_and_nested_contexts_are_refused() {
    for (extra, at) in [
        (json!({"@graph": []}), "/@graph"),
        (json!({"@included": []}), "/@included"),
        (json!({"@reverse": {}}), "/@reverse"),
        (
            json!({"endpoints": {"@context": {"sharedInbox": "https://evil.example/s"}, "sharedInbox": "https://x.example/inbox"}}),
            "/endpoints/@context",
        ),
    ] {
        let doc = actor_with(json!(AS), extra.clone());
        assert_eq!(refused(&doc), kind_at("unsupported_keyword", at), "{extra}");
    }
    let mv = json!({"@context": AS, "type": "Move", "actor": "https://a.example/u",
        "object": {"id": "https://a.example/u", "@graph": []}, "target": "https://b.example/u"});
    let e = Activity::from_value(&mv, &ReadOptions::default()).unwrap_err();
    assert_eq!(
        (e.kind(), e.at()),
        ("unsupported_keyword", Some("/object/@graph"))
    );
}

#[test]
fn type_scoped_contexts_on_read_nodes_are_refused() {
    let doc = actor_with(
        json!([AS, {"Bot": {"@id": "https://evil.example/Bot", "@context": {"x": "https://e.example/x"}}}]),
        json!({"type": ["Person", "Bot"]}),
    );
    assert_eq!(refused(&doc), kind_at("context_keyword", "/type"));
}

#[test]
fn multikey_terms_come_from_the_type_scoped_context() {
    // The FEP-521a / FEP-8b32 actor shape: assertionMethod itself is not defined by these
    // contexts (read by name, reported), controller/publicKeyMultibase are (Multikey scope).
    let doc = actor_with(
        json!([
            AS,
            "https://w3id.org/security/data-integrity/v2",
            "https://w3id.org/security/multikey/v1"
        ]),
        json!({"assertionMethod": [{"id": "https://example.com/users/alice#ed25519-key",
            "type": "Multikey", "controller": "https://example.com/users/alice",
            "publicKeyMultibase": "z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2"}]}),
    );
    let a = Actor::from_value(&doc, &ReadOptions::default()).unwrap();
    assert_eq!(
        a.undefined_terms().names().collect::<Vec<_>>(),
        vec!["assertionMethod"]
    );
    assert_eq!(
        a.assertion_methods[0].controller.single(),
        Some("https://example.com/users/alice")
    );
    let e = Actor::from_value(&doc, &ReadOptions::strict()).unwrap_err();
    assert_eq!(
        (e.kind(), e.at()),
        ("undefined_term", Some("/assertionMethod"))
    );
    // With did/v1 (which defines assertionMethod) strict reading succeeds.
    let doc2 = actor_with(
        json!([
            AS,
            "https://www.w3.org/ns/did/v1",
            "https://w3id.org/security/multikey/v1"
        ]),
        doc.as_object()
            .map(|o| json!({"assertionMethod": o["assertionMethod"].clone()}))
            .unwrap(),
    );
    assert!(Actor::from_value(&doc2, &ReadOptions::strict()).is_ok());
}

#[test]
fn mastodon_actor_context_is_fully_defined() {
    let ctx = json!([AS, "https://w3id.org/security/v1", {
        "manuallyApprovesFollowers": "as:manuallyApprovesFollowers",
        "toot": "http://joinmastodon.org/ns#",
        "featured": {"@id": "toot:featured", "@type": "@id"},
        "alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
        "movedTo": {"@id": "as:movedTo", "@type": "@id"},
        "schema": "http://schema.org#",
        "PropertyValue": "schema:PropertyValue",
        "value": "schema:value",
        "discoverable": "toot:discoverable",
        "suspended": "toot:suspended",
        "memorial": "toot:memorial",
        "indexable": "toot:indexable",
        "focalPoint": {"@container": "@list", "@id": "toot:focalPoint"}
    }]);
    let v = classify_context(&ctx).unwrap();
    for t in [
        "id",
        "type",
        "inbox",
        "outbox",
        "followers",
        "following",
        "endpoints",
        "sharedInbox",
        "publicKey",
        "owner",
        "publicKeyPem",
        "alsoKnownAs",
        "movedTo",
        "url",
        "attachment",
        "manuallyApprovesFollowers",
        "suspended",
        "preferredUsername",
        "Person",
        "Move",
    ] {
        assert!(v.defines(t), "{t}");
    }
}

#[test]
fn compact_and_full_iri_keys_need_canonical_prefixes() {
    let doc = actor_with(json!(AS), json!({"as:movedTo": "https://new.example/a"}));
    let a = Actor::from_value(&doc, &ReadOptions::strict()).unwrap();
    assert_eq!(a.moved_to(), Some("https://new.example/a"));
    // No `as` prefix without the AS context: read by name by default, refused when strict.
    let doc = json!({"@context": "https://w3id.org/security/v1",
        "@id": "https://example.com/a", "as:movedTo": "https://new.example/a"});
    let a = Actor::from_value(&doc, &ReadOptions::default()).unwrap();
    assert_eq!(a.moved_to(), Some("https://new.example/a"));
    assert_eq!(a.undefined_terms().names().collect::<Vec<_>>(), vec!["as"]);
    let e = Actor::from_value(&doc, &ReadOptions::strict()).unwrap_err();
    assert_eq!((e.kind(), e.at()), ("undefined_term", Some("/as:movedTo")));
    // Full IRIs never depend on the context.
    let doc = json!({"@id": "https://example.com/a",
        "https://w3id.org/fep/7628#movedTo": [{"@id": "https://new.example/a"}]});
    let a = Actor::from_value(&doc, &ReadOptions::strict()).unwrap();
    assert_eq!(a.moved_to(), Some("https://new.example/a"));
}

#[test]
fn long_definition_chains_are_refused_not_overflowed() {
    let mut inline = serde_json::Map::new();
    for i in 0..5000 {
        inline.insert(format!("t{i}"), json!(format!("t{}:x", i + 1)));
    }
    inline.insert("t5000".into(), json!("https://example.com/ns#"));
    let doc = actor_with(json!([AS, inline]), json!({}));
    assert_eq!(refused(&doc), kind_at("invalid_context", "/@context/1"));
    // A cycle is refused too.
    let doc = actor_with(json!([AS, {"a": "b:x", "b": "a:y"}]), json!({}));
    assert_eq!(refused(&doc), kind_at("invalid_context", "/@context/1"));
}

#[cfg(feature = "jsonld")]
#[test]
fn slow_path_reads_what_json_ld_means() {
    let fallback = ReadOptions {
        jsonld_fallback: true,
        ..ReadOptions::default()
    };
    // `alsoKnownAs` rebound elsewhere: the guard refuses; expansion reads no alias at all.
    let doc = actor_with(
        json!([AS, {"alsoKnownAs": "https://evil.example/ns#aka"}]),
        json!({}),
    );
    assert_eq!(
        refused(&doc),
        kind_at("context_redefines_term", "/@context/1")
    );
    let a = Actor::from_value(&doc, &fallback).unwrap();
    assert!(a.also_known_as.is_empty());
    assert_eq!(a.id(), Some("https://example.com/users/alice"));
    // Lemmy's alias: expansion merges the Matrix id into alsoKnownAs (why the fast path refuses).
    let doc = actor_with(
        json!([AS, {"matrixUserId": {"@id": "as:alsoKnownAs"}}]),
        json!({"matrixUserId": "@alice:matrix.org"}),
    );
    let a = Actor::from_value(&doc, &fallback).unwrap();
    assert!(a.also_known_as.contains("@alice:matrix.org"));
    assert!(
        a.also_known_as
            .contains("https://other.example/users/alice")
    );
    // Unknown remote contexts stay refused: the slow path never fetches.
    let doc = actor_with(json!([AS, "https://evil.example/ctx"]), json!({}));
    let e = Actor::from_value(&doc, &fallback).unwrap_err();
    assert_eq!(e.kind(), "unknown_context");
    // Documents the guard accepts never take the slow path.
    let doc = actor_with(json!(AS), json!({}));
    assert_eq!(
        Actor::from_value(&doc, &fallback)
            .unwrap()
            .read_info
            .verdict()
            .map(|v| v.known_urls().len()),
        Some(1)
    );
    let mv = json!({"@context": [AS, {"did": "@id"}], "did": "https://a.example/m/1", "type": "Move",
        "actor": "https://a.example/u", "object": "https://a.example/u", "target": "https://b.example/u"});
    let a = Activity::from_value(&mv, &fallback).unwrap();
    assert_eq!(a.id(), Some("https://a.example/m/1"));
    assert_eq!(a.as_move().unwrap().target(), Some("https://b.example/u"));
}

/// The bundled-URL `@context` is judged from the document's text while reading; spellings with
/// JSON escapes, a repeated `@context` and the `Value` reader must agree with it.
#[test]
fn bundled_url_context_is_judged_the_same_however_it_is_spelled() {
    let opts = ReadOptions::default();
    let plain = br#"{"@context": "https://www.w3.org/ns/activitystreams",
        "id": "https://a.example/m/1", "type": "Move", "actor": "https://a.example/u/a",
        "object": "https://a.example/u/a", "target": "https://b.example/u/a"}"#;
    let escaped = br#"{"@context": "https:\/\/www.w3.org\/ns\/activitystream\u0073",
        "id": "https://a.example/m/1", "type": "Move", "actor": "https://a.example/u/a",
        "object": "https://a.example/u/a", "target": "https://b.example/u/a"}"#;
    let a = Activity::from_slice(plain, &opts).unwrap();
    let b = Activity::from_slice(escaped, &opts).unwrap();
    assert_eq!(
        a.context,
        Some(json!("https://www.w3.org/ns/activitystreams"))
    );
    assert_eq!(b.context, a.context);
    assert_eq!(b.read_info.verdict(), a.read_info.verdict());
    let from_value = Activity::from_value(&serde_json::from_slice(plain).unwrap(), &opts).unwrap();
    assert_eq!(from_value, a);

    // A later `@context` replaces an earlier one, whichever of the two paths each takes.
    let unknown_last = br#"{"@context": "https://www.w3.org/ns/activitystreams",
        "@context": "https://unknown.example/ctx", "id": "https://a.example/u/a",
        "type": "Person"}"#;
    assert_eq!(
        Actor::from_slice(unknown_last, &opts).unwrap_err().kind(),
        "unknown_context"
    );
    let bundled_last = br#"{"@context": "https://unknown.example/ctx",
        "@context": "https://www.w3.org/ns/activitystreams", "id": "https://a.example/u/a",
        "type": "Person"}"#;
    let actor = Actor::from_slice(bundled_last, &opts).unwrap();
    assert_eq!(
        actor.context,
        Some(json!("https://www.w3.org/ns/activitystreams"))
    );

    // Any host's LitePub path is bundled; with escapes it is decoded first, never kept raw.
    let litepub = br#"{"@context": "https://pleroma.example/schemas/litepub-0.1.jsonld",
        "id": "https://pleroma.example/users/a", "type": "Person"}"#;
    let litepub_escaped = br#"{"@context": "https://pleroma.example\/schemas/litepub-0.1.jsonld",
        "id": "https://pleroma.example/users/a", "type": "Person"}"#;
    let p = Actor::from_slice(litepub, &opts).unwrap();
    let q = Actor::from_slice(litepub_escaped, &opts).unwrap();
    assert_eq!(q.context, p.context);
    assert_eq!(
        q.context,
        Some(json!("https://pleroma.example/schemas/litepub-0.1.jsonld"))
    );
}
