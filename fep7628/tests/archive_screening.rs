//! Screening generated Mastodon archives and outboxes (`fep7628::archive`): the counts per
//! status, provenance, rule and month must be exactly what the generator's ground truth says;
//! hostile archives end in typed errors or per-item rejections, never in a panic or a blow-up.
#![cfg(feature = "archive")]

#[path = "support/archive_gen.rs"]
mod archive_gen;

use archive_gen::{
    ACTOR, Corpus, NOW, TEST_POLICY, Truth, archive_bytes, expected, expected_reasons,
    expected_status, outbox_with, zip_bomb, zip_of,
};
use fep7628::archive::{
    ArchiveError, ImportPolicy, Limits, OriginActor, Provenance, ScreeningReport,
    screen_mastodon_archive, screen_outbox,
};
use serde_json::json;

/// One generated archive shared by the tests (signing and verifying are slow in debug builds).
fn corpus() -> &'static (Vec<u8>, Truth) {
    static CORPUS: std::sync::OnceLock<(Vec<u8>, Truth)> = std::sync::OnceLock::new();
    CORPUS.get_or_init(|| archive_bytes(&Corpus::new(240)))
}

fn policy() -> ImportPolicy {
    ImportPolicy::from_toml(TEST_POLICY).expect("the test policy parses")
}

fn screen(bytes: &[u8]) -> ScreeningReport {
    screen_mastodon_archive(&bytes, &policy(), NOW, &Limits::default()).expect("screens")
}

fn assert_matches_truth(report: &ScreeningReport, truth: &Truth) {
    let e = expected(truth);
    let get = |m: &std::collections::BTreeMap<&str, u64>, k: &str| m.get(k).copied().unwrap_or(0);
    assert_eq!(report.totals.total, truth.posts.len() as u64);
    assert_eq!(report.totals.accept, get(&e.status, "accept"), "accepted");
    assert_eq!(report.totals.hold, get(&e.status, "hold"), "held");
    assert_eq!(report.totals.reject, get(&e.status, "reject"), "rejected");
    assert_eq!(report.provenance.verified, get(&e.provenance, "verified"));
    assert_eq!(
        report.provenance.unverified,
        get(&e.provenance, "unverified")
    );
    assert_eq!(report.provenance.invalid, get(&e.provenance, "invalid"));
    let rules: std::collections::BTreeMap<&str, (u64, u64)> = report
        .rules
        .iter()
        .map(|(k, c)| (*k, (c.hold, c.reject)))
        .collect();
    assert_eq!(rules, e.rules, "per rule");
    let months: std::collections::BTreeMap<String, (u64, u64, u64)> = report
        .months
        .iter()
        .map(|(k, c)| (k.clone(), (c.accept, c.hold, c.reject)))
        .collect();
    assert_eq!(months, e.months, "per month");
    assert_eq!(
        (report.media.posts_with_media, report.media.attachments),
        e.media
    );
    assert_eq!(report.media.files_in_archive, truth.media_files);
    assert!(!report.valid);
}

#[test]
fn generated_archive_counts_match_what_was_written() {
    let (bytes, truth) = corpus();
    let report = screen(bytes);
    assert_matches_truth(&report, truth);
    // Every rule of the corpus fired at least once (the corpus exercises the whole policy).
    for rule in [
        "unverified_provenance",
        "invalid_proof",
        "date_out_of_range",
        "date_in_future",
        "visibility_followers",
        "visibility_direct",
        "reply_to_blocked_domain",
        "boost_of_blocked_domain",
        "media_type_mismatch",
        "media_type_not_allowed",
        "media_missing",
        "keyword",
    ] {
        assert!(report.rules.contains_key(rule), "{rule} never fired");
    }
    assert_eq!(
        report.likes.map(|l| (l.total, l.blocked_domain)),
        Some(truth.likes)
    );
    assert_eq!(
        report.bookmarks.map(|l| (l.total, l.blocked_domain)),
        Some(truth.bookmarks)
    );
    assert_eq!(
        report.keywords.get("crypto-spam").copied(),
        report.rules.get("keyword").map(|c| c.reject)
    );
    assert_eq!(report.declared_total_items, Some(240));
}

#[test]
fn every_listed_item_has_exactly_the_expected_reasons() {
    let (bytes, truth) = corpus();
    let report = screen(bytes);
    let listed = truth
        .posts
        .iter()
        .filter(|t| expected_status(t) != "accept")
        .count();
    assert_eq!(report.items.len(), listed);
    assert_eq!(report.items_not_listed, 0);
    for item in &report.items {
        let t = &truth.posts[item.index as usize];
        let mut got: Vec<(&str, &str)> = item
            .reasons
            .iter()
            .map(|r| (r.rule, r.action.as_str()))
            .collect();
        let mut want = expected_reasons(t);
        got.sort_unstable();
        want.sort_unstable();
        assert_eq!(got, want, "item {}", item.index);
        assert_eq!(item.status.as_str(), expected_status(t));
        assert_eq!(
            item.id.as_deref(),
            Some(format!("{ACTOR}/statuses/{}/activity", t.index).as_str())
        );
    }
    // Both signing paths verify: the assertionMethod Multikey and the Ed25519 publicKey.
    let json = report.to_json();
    assert!(json["items"].as_array().is_some_and(|a| a.iter().any(|i| {
        i["provenance"] == "invalid"
            && i["reasons"][0]["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("bad_signature"))
    })));
    assert!(json["items"].as_array().is_some_and(|a| a.iter().any(|i| {
        i["provenance"] == "invalid"
            && i["reasons"][0]["detail"]
                .as_str()
                .is_some_and(|d| d.starts_with("verification_method_not_in_actor"))
    })));
}

#[test]
fn listing_is_capped_and_the_rest_counted() {
    let (bytes, truth) = corpus();
    let limits = Limits {
        max_listed: 10,
        ..Limits::default()
    };
    let report = screen_mastodon_archive(&&bytes[..], &policy(), NOW, &limits).expect("screens");
    let flagged = truth
        .posts
        .iter()
        .filter(|t| expected_status(t) != "accept")
        .count() as u64;
    assert_eq!(report.items.len(), 10);
    assert_eq!(report.items_not_listed, flagged - 10);
    assert_eq!(report.totals.hold + report.totals.reject, flagged);
}

#[test]
fn an_archive_with_only_acceptable_posts_is_valid() {
    let (bytes, truth) = archive_bytes(&Corpus::new(60));
    let lenient = ImportPolicy::from_toml(
        "[import]\nunverified = \"accept\"\ninvalid_proof = \"accept\"\n\
         [import.visibility]\nfollowers = \"accept\"\ndirect = \"accept\"\n\
         [import.dates]\noutside = \"accept\"\nfuture = \"accept\"\nmissing = \"accept\"\n\
         [import.media]\ndisallowed_type = \"accept\"\nmissing_file = \"accept\"\ntype_mismatch = \"accept\"\n",
    )
    .expect("parses");
    let report =
        screen_mastodon_archive(&&bytes[..], &lenient, NOW, &Limits::default()).expect("screens");
    assert!(report.valid);
    assert_eq!(report.totals.accept, truth.posts.len() as u64);
    assert!(report.items.is_empty());
}

#[test]
fn a_no_media_policy_rejects_every_post_with_media() {
    let (bytes, truth) = archive_bytes(&Corpus::new(90));
    let p =
        ImportPolicy::from_toml("[import.media]\nposts_with_media = \"reject\"\n").expect("parses");
    let report =
        screen_mastodon_archive(&&bytes[..], &p, NOW, &Limits::default()).expect("screens");
    let with_media = truth
        .posts
        .iter()
        .filter(|t| t.media != archive_gen::Media::None)
        .count() as u64;
    assert_eq!(
        report.rules.get("has_media").map(|c| c.reject),
        Some(with_media)
    );
}

#[test]
fn zip_bomb_is_refused_before_inflating() {
    let bomb = zip_bomb(4 << 20);
    assert!(bomb.len() < 1 << 20, "the bomb is small: {}", bomb.len());
    let err = screen_mastodon_archive(&&bomb[..], &policy(), NOW, &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), "zip_bomb");
    assert_eq!(err.at().as_deref(), Some("outbox.json"));
    // With the ratio check off, the declared-size limit still stops it.
    let limits = Limits {
        max_ratio: u64::MAX,
        max_outbox_bytes: 2 << 20,
        ..Limits::default()
    };
    let err = screen_mastodon_archive(&&bomb[..], &policy(), NOW, &limits).unwrap_err();
    assert_eq!(err.kind(), "entry_too_large");
}

#[test]
fn path_traversal_entry_names_are_refused() {
    let actor = archive_gen::actor_document().to_string();
    let outbox = outbox_with(&[]);
    for evil in [
        "../evil.json",
        "media_attachments/../../etc/passwd",
        "/etc/passwd",
        "a\\..\\b",
    ] {
        let bytes = zip_of(&[
            ("actor.json", actor.as_bytes()),
            ("outbox.json", outbox.as_bytes()),
            (evil, b"x"),
        ]);
        let err =
            screen_mastodon_archive(&&bytes[..], &policy(), NOW, &Limits::default()).unwrap_err();
        assert_eq!(err.kind(), "unsafe_entry_name", "{evil}");
    }
}

#[test]
fn truncated_archives_are_typed_errors() {
    let (bytes, _) = corpus();
    for cut in [0, 10, bytes.len() / 2, bytes.len() - 30, bytes.len() - 1] {
        let err = screen_mastodon_archive(&&bytes[..cut], &policy(), NOW, &Limits::default())
            .unwrap_err();
        assert_eq!(err.kind(), "invalid_zip", "cut at {cut}");
    }
}

#[test]
fn missing_entries_and_a_bad_actor_are_typed_errors() {
    let outbox = outbox_with(&[]);
    let only_outbox = zip_of(&[("outbox.json", outbox.as_bytes())]);
    let err =
        screen_mastodon_archive(&&only_outbox[..], &policy(), NOW, &Limits::default()).unwrap_err();
    assert_eq!(
        (err.kind(), err.at().as_deref()),
        ("missing_entry", Some("actor.json"))
    );
    let bad_actor = zip_of(&[
        ("actor.json", b"{\"type\":\"Person\"}"),
        ("outbox.json", outbox.as_bytes()),
    ]);
    let err =
        screen_mastodon_archive(&&bad_actor[..], &policy(), NOW, &Limits::default()).unwrap_err();
    assert_eq!(
        (err.kind(), err.at().as_deref()),
        ("invalid_actor", Some("/id"))
    );
}

#[test]
fn an_outbox_that_is_not_json_is_a_typed_error() {
    let actor = archive_gen::actor_document().to_string();
    for (outbox, kind) in [
        (&b"this is not json"[..], "invalid_json"),
        (
            b"{\"type\":\"OrderedCollection\",\"orderedItems\":[{\"a\":1},",
            "invalid_json",
        ),
        (b"[1,2,3]", "not_a_collection"),
        (
            b"{\"type\":\"Note\",\"orderedItems\":[]}",
            "not_a_collection",
        ),
        (b"{\"type\":\"OrderedCollection\"}", "not_a_collection"),
    ] {
        let bytes = zip_of(&[("actor.json", actor.as_bytes()), ("outbox.json", outbox)]);
        let err =
            screen_mastodon_archive(&&bytes[..], &policy(), NOW, &Limits::default()).unwrap_err();
        assert_eq!(err.kind(), kind, "{}", String::from_utf8_lossy(outbox));
    }
    let err = screen_outbox(
        &b"\x00\x01"[..],
        "outbox.json",
        None,
        &policy(),
        NOW,
        &Limits::default(),
    )
    .unwrap_err();
    assert_eq!(err.kind(), "invalid_json");
    assert_eq!(err.at().as_deref(), Some("outbox.json:1:1"));
}

fn note(i: usize, content: &str) -> String {
    json!({"id": format!("{ACTOR}/statuses/{i}/activity"), "type": "Create", "actor": ACTOR,
        "object": {"id": format!("{ACTOR}/statuses/{i}"), "type": "Note", "attributedTo": ACTOR,
            "published": "2025-01-01T00:00:00Z", "content": content,
            "to": ["https://www.w3.org/ns/activitystreams#Public"]}})
    .to_string()
}

/// Screens `outbox` (a bare `outbox.json`, no actor) under the default policy at [`NOW`].
fn screen_plain_outbox(outbox: &str, limits: &Limits) -> Result<ScreeningReport, ArchiveError> {
    screen_outbox(
        outbox.as_bytes(),
        "outbox.json",
        None,
        &ImportPolicy::default(),
        NOW,
        limits,
    )
}

#[test]
fn a_10_mb_item_is_rejected_alone_and_reading_goes_on() {
    let huge = "A".repeat(10 << 20);
    let outbox = outbox_with(&[note(0, "before"), note(1, &huge), note(2, "after")]);
    let report = screen_plain_outbox(&outbox, &Limits::default()).expect("screens");
    assert_eq!(
        (
            report.totals.total,
            report.totals.accept,
            report.totals.reject
        ),
        (3, 2, 1)
    );
    assert_eq!(report.items[0].index, 1);
    assert_eq!(report.items[0].reasons[0].rule, "item_too_large");
    // Past the hard cap, reading stops with a typed error.
    let limits = Limits {
        max_value_bytes: 4 << 20,
        ..Limits::default()
    };
    let err = screen_plain_outbox(&outbox, &limits).unwrap_err();
    assert_eq!(err.kind(), "value_too_large");
}

#[test]
fn deeply_nested_items_are_rejected_or_stop_reading() {
    let nested = |depth: usize| {
        format!(
            r#"{{"type":"Create","actor":"{ACTOR}","object":{{"type":"Note","x":{}1{}}}}}"#,
            "[".repeat(depth),
            "]".repeat(depth)
        )
    };
    let outbox = outbox_with(&[note(0, "ok"), nested(60), note(2, "ok")]);
    let report = screen_plain_outbox(&outbox, &Limits::default()).expect("screens");
    assert_eq!((report.totals.accept, report.totals.reject), (2, 1));
    assert_eq!(report.items[0].reasons[0].rule, "item_too_deep");
    // Deeper than the JSON parser's recursion limit: a typed error, no stack overflow.
    let outbox = outbox_with(&[nested(100_000)]);
    let err = screen_plain_outbox(&outbox, &Limits::default()).unwrap_err();
    assert_eq!(err.kind(), "invalid_json");
}

#[test]
fn plain_outbox_with_and_without_the_actor() {
    let key = archive_gen::actor_key();
    let other = identity_links::ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let plans: Vec<_> = (0..40).map(archive_gen::plan).collect();
    let items: Vec<String> = plans
        .iter()
        .map(|t| archive_gen::item(t, &key, &other).0.to_string())
        .collect();
    let page = format!(
        r#"{{"type":"OrderedCollectionPage","partOf":"{ACTOR}/outbox","orderedItems":[{}]}}"#,
        items.join(",")
    );
    let actor = OriginActor::from_document(archive_gen::actor_document()).expect("actor");
    let report = screen_outbox(
        page.as_bytes(),
        "page.json",
        Some(&actor),
        &policy(),
        NOW,
        &Limits::default(),
    )
    .expect("screens");
    let truth = Truth {
        posts: plans.clone(),
        ..Truth::default()
    };
    let e = expected(&truth);
    assert_eq!(
        report.provenance.verified,
        e.provenance.get("verified").copied().unwrap_or(0)
    );
    assert_eq!(
        report.provenance.invalid,
        e.provenance.get("invalid").copied().unwrap_or(0)
    );
    // No files in a plain outbox: media are screened by declared type only.
    assert!(!report.rules.contains_key("media_missing"));
    assert!(!report.rules.contains_key("media_type_mismatch"));
    assert!(report.rules.contains_key("media_type_not_allowed"));
    // Without the actor nothing can be verified: every post is unverified.
    let report = screen_outbox(
        page.as_bytes(),
        "page.json",
        None,
        &policy(),
        NOW,
        &Limits::default(),
    )
    .expect("screens");
    assert_eq!(report.provenance.unverified, 40);
    assert!(
        report
            .items
            .iter()
            .all(|i| i.provenance == Provenance::Unverified)
    );
}

#[test]
fn posts_by_someone_else_are_foreign() {
    let other_actor = "https://evil.example/users/mallory";
    let item = json!({"id": "https://evil.example/1", "type": "Create", "actor": other_actor,
        "object": {"type": "Note", "attributedTo": other_actor, "published": "2025-01-01T00:00:00Z",
            "content": "hi", "to": ["https://www.w3.org/ns/activitystreams#Public"]}})
    .to_string();
    let actor = OriginActor::from_document(archive_gen::actor_document()).expect("actor");
    let report = screen_outbox(
        outbox_with(&[item]).as_bytes(),
        "o.json",
        Some(&actor),
        &ImportPolicy::default(),
        NOW,
        &Limits::default(),
    )
    .expect("screens");
    assert_eq!(report.items[0].reasons[0].rule, "foreign_actor");
    assert_eq!(report.totals.reject, 1);
}

/// Keyword rules of the `[import]` table compare confusable skeletons too (UTS #39, the same
/// function the profile keyword rules use): a post spelling the keyword with Cyrillic letters
/// is caught; whole-word rules still leave longer words alone.
#[test]
fn a_confusable_spelling_is_caught_by_a_keyword_rule() {
    let policy = ImportPolicy::from_toml(
        "[[import.keywords]]\nname = \"crypto-spam\"\npattern = \"free crypto\"\n\
         whole_word = true\naction = \"reject\"\n",
    )
    .expect("policy");
    let items = [
        // Cyrillic Е Е с у р о in place of the Latin letters.
        note(
            0,
            "<p>Get FR\u{0415}\u{0415} \u{0441}r\u{0443}\u{0440}t\u{043E} now</p>",
        ),
        note(1, "<p>a carefree cryptography talk</p>"),
        note(2, "<p>free cryptx</p>"),
    ];
    let report = screen_outbox(
        outbox_with(&items).as_bytes(),
        "o.json",
        None,
        &policy,
        NOW,
        &Limits::default(),
    )
    .expect("screens");
    let keyword_hits: Vec<bool> = report
        .items
        .iter()
        .map(|i| i.reasons.iter().any(|r| r.rule == "keyword"))
        .collect();
    assert_eq!(report.totals.total, 3);
    assert_eq!(
        report.keywords.get("crypto-spam"),
        Some(&1),
        "{:?}",
        report.keywords
    );
    assert_eq!(report.totals.reject, 1);
    // Only the confusable spelling is listed with the keyword reason.
    assert_eq!(
        report
            .items
            .iter()
            .filter(|i| i.reasons.iter().any(|r| r.rule == "keyword"))
            .count(),
        1,
        "{keyword_hits:?}"
    );
}
