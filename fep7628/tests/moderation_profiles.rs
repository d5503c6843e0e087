//! Keyword and pattern rules on arriving profiles (with Unicode confusables, fullwidth forms,
//! invisible characters and markup), and account age — from real actor documents through the
//! adapter into the pipeline.

mod inbound_support;

use std::time::Duration;

use activitystreams_move::{Actor, ReadOptions};
use fep7628::inbound::{ActorProfile, Decision, Fetched, InboundConfig, Rejection};
use fep7628::moderation::{
    AccountAgePolicy, KeywordPolicy, KeywordRule, ModerationReason, ProfileField, ProfileSubject,
    RuleAction,
};
use fep7628::policy::{ArrivingFollower, MigrationId, MigrationPolicy, PolicyReason, Verdict};
use inbound_support::*;
use serde_json::{Value, json};

fn profile_with_summary(summary: &str) -> ActorProfile {
    ActorProfile {
        summary: Some(summary.to_owned()),
        ..ActorProfile::default()
    }
}

fn crypto_rule() -> KeywordPolicy {
    KeywordPolicy::new(vec![
        KeywordRule::keywords("crypto-giveaway", &["crypto giveaway"])
            .unwrap()
            .with_action(RuleAction::Reject),
    ])
}

#[test]
fn confusables_fullwidth_invisibles_and_markup_do_not_evade_a_keyword() {
    let policy = crypto_rule();
    let evasions = [
        "crypto giveaway",
        "CRYPTO GIVEAWAY",
        // Cyrillic с (U+0441), у (U+0443), р (U+0440), о (U+043E).
        "Free \u{0441}r\u{0443}\u{0440}t\u{043E} giveaway",
        // Fullwidth letters.
        "ｃｒｙｐｔｏ ｇｉｖｅａｗａｙ",
        // Zero-width joiner, zero-width space and a soft hyphen inside the words.
        "cry\u{200D}pto give\u{200B}a\u{00AD}way",
        // Greek omicron for o, Cyrillic а for a.
        "crypt\u{03BF} give\u{0430}way",
        // Markup splitting the word, and character references.
        "<p>cry<b>pto</b> give&#97;way</p>",
        // Mathematical bold (NFKC folds it).
        "\u{1D41C}\u{1D42B}\u{1D432}\u{1D429}\u{1D42D}\u{1D428} giveaway",
    ];
    for text in evasions {
        let v = policy.judge_profile(&profile_with_summary(text), ProfileSubject::Target);
        assert_eq!(
            v,
            Verdict::Reject(PolicyReason::Moderation(ModerationReason::KeywordMatched {
                rule: "crypto-giveaway".into(),
                subject: ProfileSubject::Target,
                field: ProfileField::Summary
            })),
            "{text:?}"
        );
    }
    for innocent in [
        "cryptography give away",
        "a crypt of giveaways",
        "",
        "<p></p>",
    ] {
        assert_eq!(
            policy.judge_profile(&profile_with_summary(innocent), ProfileSubject::Target),
            Verdict::Accept,
            "{innocent:?}"
        );
    }
}

#[test]
fn pattern_rules_fields_subjects_and_actions() {
    let link = KeywordRule::pattern("shortener", r"\b(bit\.ly|tinyurl\.com)/\w+")
        .unwrap()
        .on_fields(&[ProfileField::Fields])
        .for_subjects(&[ProfileSubject::Follower]);
    let name = KeywordRule::pattern("follow-for-follow", r"f4f|follow\s*4\s*follow").unwrap();
    let policy = KeywordPolicy::new(vec![link, name]);
    let profile = ActorProfile {
        name: Some("ＦＯＬＬＯＷ 4 follow".into()),
        fields: vec![("site".into(), "<a href=\"x\">BIT.LY/abc</a>".into())],
        ..ActorProfile::default()
    };
    // Both rules hold: the reasons accumulate in rule order.
    let v = policy.judge_profile(&profile, ProfileSubject::Follower);
    let codes: Vec<_> = match &v {
        Verdict::Hold(r) => r.iter().map(ToString::to_string).collect(),
        other => panic!("{other:?}"),
    };
    assert_eq!(codes.len(), 2);
    assert!(codes[0].contains("shortener") && codes[0].contains("fields"));
    assert!(codes[1].contains("follow-for-follow") && codes[1].contains("display_name"));
    // The link rule is only for followers.
    let v = policy.judge_profile(&profile, ProfileSubject::Target);
    assert!(matches!(&v, Verdict::Hold(r) if r.len() == 1), "{v:?}");
    // The shortener in the bio is not in the rule's fields.
    let bio_only = profile_with_summary("bit.ly/abc");
    assert_eq!(
        policy.judge_profile(&bio_only, ProfileSubject::Follower),
        Verdict::Accept
    );
}

#[test]
fn bad_rules_are_refused() {
    assert_eq!(
        KeywordRule::keywords("empty", &["\u{200B}"])
            .unwrap_err()
            .kind(),
        "empty_keyword"
    );
    assert_eq!(
        KeywordRule::pattern("broken", "(unclosed")
            .unwrap_err()
            .kind(),
        "invalid_pattern"
    );
    assert_eq!(
        KeywordRule::pattern("long", &"a".repeat(5000))
            .unwrap_err()
            .kind(),
        "pattern_too_long"
    );
    // A pattern whose compiled program is over the size limit.
    assert_eq!(
        KeywordRule::pattern("huge", r"\w{1000}\w{1000}\w{1000}")
            .unwrap_err()
            .kind(),
        "invalid_pattern"
    );
}

fn actor_doc(id: &str, extra: Value) -> Value {
    let mut doc = json!({
        "@context": ["https://www.w3.org/ns/activitystreams", {"alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"}}],
        "id": id, "type": "Person", "inbox": format!("{id}/inbox"),
        "preferredUsername": "alice",
    });
    if let (Value::Object(d), Value::Object(e)) = (&mut doc, extra) {
        d.extend(e);
    }
    doc
}

fn fetched(doc: &Value) -> Fetched {
    fep7628::adapt::fetched(200, doc.to_string().as_bytes(), &ReadOptions::default())
}

#[test]
fn keyword_rule_on_the_fetched_target_through_the_pipeline() {
    let mut world = World::aliased();
    world.remote.insert(
        TARGET.into(),
        fetched(&actor_doc(
            TARGET,
            json!({"alsoKnownAs": [ORIGIN],
                   "name": "Alice \u{0441}r\u{0443}\u{0440}t\u{043E}",
                   "summary": "<p>Daily crypto <span>giveaway</span>!</p>"}),
        )),
    );
    let d = world.run_with(InboundConfig::default(), crypto_rule(), push_move(), t0());
    match &d {
        Decision::Reject(Rejection::Policy(PolicyReason::Moderation(
            ModerationReason::KeywordMatched { rule, field, .. },
        ))) => {
            assert_eq!(rule, "crypto-giveaway");
            assert_eq!(*field, ProfileField::Summary);
        }
        other => panic!("{other:?}"),
    }
    // The same target without the phrase is accepted.
    let mut world = World::aliased();
    world.remote.insert(
        TARGET.into(),
        fetched(&actor_doc(
            TARGET,
            json!({"alsoKnownAs": [ORIGIN], "summary": "knitting"}),
        )),
    );
    let d = world.run_with(InboundConfig::default(), crypto_rule(), push_move(), t0());
    assert!(matches!(d, Decision::Accept(_)), "{d:?}");
}

#[test]
fn young_followers_are_held_and_targets_only_when_asked() {
    let day = Duration::from_secs(86_400);
    let now_unix = 1_700_000_000i64;
    let policy = AccountAgePolicy::new(3 * day);
    let doc = actor_doc(
        "https://f.example/u/new",
        // 2 days before t0.
        json!({"published": "2023-11-12T22:13:20Z"}),
    );
    let actor = Actor::from_slice(doc.to_string().as_bytes(), &ReadOptions::default()).unwrap();
    let profile = fep7628::adapt::actor_profile(&actor);
    assert_eq!(profile.published, Some(now_unix - 2 * 86_400));
    let id = MigrationId::new(ORIGIN, TARGET);
    let arrival = ArrivingFollower::new(&id, "https://f.example/u/new", ORIGIN, TARGET, t0())
        .with_profile(&profile);
    assert_eq!(
        policy.arriving_follower(&arrival),
        Verdict::Hold(vec![PolicyReason::Moderation(
            ModerationReason::AccountTooNew {
                subject: ProfileSubject::Follower,
                published: Some(now_unix - 2 * 86_400),
                min_age: 3 * day
            }
        )])
    );
    // Four days later it is old enough.
    let later = ArrivingFollower::new(
        &id,
        "https://f.example/u/new",
        ORIGIN,
        TARGET,
        t0() + 2 * day,
    )
    .with_profile(&profile);
    assert_eq!(policy.arriving_follower(&later), Verdict::Accept);
    // A date in the future counts as brand new.
    let future = ActorProfile {
        published: Some(now_unix + 86_400),
        ..ActorProfile::default()
    };
    assert!(matches!(
        policy.judge_profile(&future, ProfileSubject::Follower, t0()),
        Verdict::Hold(_)
    ));
    // Unknown age: accepted unless asked otherwise.
    let unknown = ActorProfile::default();
    assert_eq!(
        policy.judge_profile(&unknown, ProfileSubject::Follower, t0()),
        Verdict::Accept
    );
    assert!(matches!(
        policy
            .clone()
            .hold_unknown(true)
            .judge_profile(&unknown, ProfileSubject::Follower, t0()),
        Verdict::Hold(_)
    ));

    // Targets are not judged by default (a new account is the normal way to move) …
    let mut world = World::aliased();
    world.remote.insert(
        TARGET.into(),
        fetched(&actor_doc(
            TARGET,
            json!({"alsoKnownAs": [ORIGIN], "published": "2023-11-14T00:00:00Z"}),
        )),
    );
    let d = world.run_with(InboundConfig::default(), policy.clone(), push_move(), t0());
    assert!(matches!(d, Decision::Accept(_)), "{d:?}");
    // … but are when configured.
    let strict = policy
        .for_subjects(&[ProfileSubject::Target])
        .with_action(RuleAction::Reject);
    let mut world = World::aliased();
    world.remote.insert(
        TARGET.into(),
        fetched(&actor_doc(
            TARGET,
            json!({"alsoKnownAs": [ORIGIN], "published": "2023-11-14T00:00:00Z"}),
        )),
    );
    let d = world.run_with(InboundConfig::default(), strict, push_move(), t0());
    assert!(
        matches!(&d, Decision::Reject(Rejection::Policy(r)) if r.code() == "account_too_new"),
        "{d:?}"
    );
}
