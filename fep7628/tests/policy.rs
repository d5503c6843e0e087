//! Moderation hooks: built-in policies, composition, audit events.

mod inbound_support;

use std::borrow::Cow;

use fep7628::inbound::{ActorFacts, Decision, InboundConfig};
use fep7628::policy::{
    AcceptAll, ArrivingFollower, AuditOutcome, AuditSubject, CooldownPolicy, DomainBlockPolicy,
    InboundMoveContext, MigrationId, MigrationPolicy, PolicyReason, PolicySet, Verdict,
    check_arriving_follower, normalize_domain,
};
use inbound_support::*;

/// Holds every Move for review with a fixed code.
struct HoldAll(&'static str);

impl MigrationPolicy for HoldAll {
    fn inbound_move(&self, _ctx: &InboundMoveContext<'_>) -> Verdict {
        Verdict::Hold(vec![PolicyReason::Custom {
            code: Cow::Borrowed(self.0),
            detail: "review".into(),
        }])
    }
}

/// Holds when the fetched target has no shared inbox (a profile rule on the target).
struct HoldIfNoSharedInbox;

impl MigrationPolicy for HoldIfNoSharedInbox {
    fn target_fetched(&self, _ctx: &InboundMoveContext<'_>, target: &ActorFacts) -> Verdict {
        if target.shared_inbox.is_none() {
            Verdict::Hold(vec![PolicyReason::Custom {
                code: Cow::Borrowed("no_shared_inbox"),
                detail: String::new(),
            }])
        } else {
            Verdict::Accept
        }
    }
}

#[test]
fn domain_block_matches_host_and_subdomains_case_and_trailing_dot() {
    let mut p = DomainBlockPolicy::new();
    assert!(p.block("Example.COM."));
    assert!(!p.block(""));
    assert!(!p.block("exa mple.com"));
    assert_eq!(p.matching_rule("example.com"), Some("example.com"));
    assert_eq!(p.matching_rule("a.b.EXAMPLE.com."), Some("example.com"));
    assert_eq!(p.matching_rule("notexample.com"), None);
    assert_eq!(p.matching_rule("example.com.evil.net"), None);
}

#[test]
fn domain_block_idn_is_compared_in_punycode() {
    let p = DomainBlockPolicy::new().with_block("bücher.example");
    assert_eq!(
        normalize_domain("BÜCHER.example").as_deref(),
        Some("xn--bcher-kva.example")
    );
    assert_eq!(
        p.matching_rule("xn--bcher-kva.example"),
        Some("xn--bcher-kva.example")
    );
    assert_eq!(
        p.matching_rule("shop.bücher.example"),
        Some("xn--bcher-kva.example")
    );
    // And through the pipeline: a target URL with an IDN host.
    let target = "https://bücher.example/users/alice";
    let mut world = World::default();
    let inbound = fep7628::inbound::InboundMove::new(fep7628::inbound::MoveFacts::new(
        MOVE_ID, ORIGIN, ORIGIN, target,
    ))
    .authenticated_by(http_sig(ORIGIN));
    let d = world.run_with(InboundConfig::default(), p, inbound, t0());
    assert_eq!(
        d.rejection().map(|r| r.code()).as_deref(),
        Some("policy:domain_blocked")
    );
}

#[test]
fn domain_block_on_target_inbox_host() {
    let mut world = World::aliased();
    let mut target = ActorFacts::new(TARGET).with_alias(ORIGIN);
    target.shared_inbox = Some("https://inbox.blocked.example/inbox".into());
    world.put(target);
    let p = DomainBlockPolicy::new().with_block("blocked.example");
    let d = world.run_with(InboundConfig::default(), p, push_move(), t0());
    assert_eq!(
        d.rejection().map(|r| r.code()).as_deref(),
        Some("policy:domain_blocked")
    );
}

#[test]
fn composition_first_reject_wins_holds_accumulate() {
    let mut world = World::aliased();
    world.last_move.insert(ORIGIN.into(), t0());
    // Hold, then reject: the reject wins.
    let set = PolicySet::new()
        .with(HoldAll("first"))
        .with(CooldownPolicy::mastodon())
        .with(HoldAll("never-asked"));
    let d = world.run_with(InboundConfig::default(), set, push_move(), t0());
    assert_eq!(
        d.rejection().map(|r| r.code()).as_deref(),
        Some("policy:cooldown_origin")
    );

    // Two holds (one before the fetch, one on the fetched target) accumulate.
    let mut world = World::aliased();
    let d = world.run_with(
        InboundConfig::default(),
        (HoldAll("a"), HoldAll("b"), HoldIfNoSharedInbox),
        push_move(),
        t0(),
    );
    let Decision::Hold(held) = d else {
        panic!("{d:?}")
    };
    let codes: Vec<&str> = held.reasons().iter().map(PolicyReason::code).collect();
    assert_eq!(codes, ["a", "b", "no_shared_inbox"]);
    assert_eq!(held.pending().target(), TARGET);
    assert!(!Decision::Hold(held.clone()).effects().record_move);
    let approved = held.approve();
    assert_eq!(approved.origin(), ORIGIN);
    let audit = world.audit.last().unwrap();
    assert!(matches!(&audit.outcome, AuditOutcome::Held { reasons } if reasons.len() == 3));
}

#[test]
fn a_hold_never_masks_a_failed_protocol_check() {
    let mut world = World::aliased();
    world.put(ActorFacts::new(TARGET)); // not aliased
    let d = world.run_with(InboundConfig::default(), HoldAll("x"), push_move(), t0());
    assert_eq!(outcome(&d), "not_aliased");
}

#[test]
fn verdict_and_combinator() {
    let hold = |c: &'static str| {
        Verdict::Hold(vec![PolicyReason::Custom {
            code: Cow::Borrowed(c),
            detail: String::new(),
        }])
    };
    let reject = Verdict::Reject(PolicyReason::Custom {
        code: Cow::Borrowed("r"),
        detail: String::new(),
    });
    assert_eq!(Verdict::Accept.and(|| hold("a")), hold("a"));
    assert_eq!(reject.clone().and(|| panic!("not consulted")), reject);
    assert_eq!(hold("a").and(|| reject.clone()), reject);
    let Verdict::Hold(both) = hold("a").and(|| hold("b")) else {
        panic!()
    };
    assert_eq!(both.len(), 2);
    assert!(PolicySet::new().is_empty());
}

#[test]
fn audit_event_for_every_decision_tagged_with_migration_id() {
    let mut world = World::aliased();
    world.run(push_move(), t0()); // accept
    world.run(push_move(), t0()); // duplicate
    let forged = fep7628::inbound::InboundMove::new(fep7628::inbound::MoveFacts::new(
        MOVE_ID, ORIGIN, ORIGIN, TARGET,
    ))
    .authenticated_by(http_sig(MALLORY));
    world.run(forged, t0()); // signer mismatch
    let mut malformed = fep7628::inbound::MoveFacts::new(MOVE_ID, ORIGIN, ORIGIN, TARGET);
    malformed.target.clear();
    world.run(
        fep7628::inbound::InboundMove::new(malformed).authenticated_by(http_sig(ORIGIN)),
        t0(),
    );

    let id = MigrationId::new(ORIGIN, TARGET);
    assert_eq!(world.audit.len(), 4);
    assert_eq!(world.audit[0].outcome, AuditOutcome::Accepted);
    assert_eq!(world.audit[0].migration_id.as_ref(), Some(&id));
    assert_eq!(
        world.audit[1].outcome,
        AuditOutcome::Rejected {
            code: Cow::Borrowed("duplicate")
        }
    );
    assert_eq!(world.audit[2].migration_id.as_ref(), Some(&id));
    assert!(world.audit[2].detail.contains("signed by"));
    assert_eq!(world.audit[3].migration_id, None);
    assert!(world.audit.iter().all(|e| e.at == t0()));
    assert!(matches!(
        &world.audit[0].subject,
        AuditSubject::InboundMove { move_id: Some(m), .. } if m == MOVE_ID
    ));
}

#[test]
fn arriving_followers_are_judged_and_audited() {
    let id = MigrationId::new(ORIGIN, TARGET);
    let policy = (
        AcceptAll,
        DomainBlockPolicy::new().with_block("spam.example"),
    );
    let ok = ArrivingFollower::new(&id, "https://ok.example/u/1", ORIGIN, TARGET, t0());
    let (v, audit) = check_arriving_follower(&policy, &ok);
    assert_eq!(v, Verdict::Accept);
    assert_eq!(audit.outcome, AuditOutcome::Accepted);
    let spam = ArrivingFollower::new(&id, "https://x.spam.example/u/1", ORIGIN, TARGET, t0());
    let (v, audit) = check_arriving_follower(&policy, &spam);
    assert!(matches!(
        v,
        Verdict::Reject(PolicyReason::DomainBlocked { .. })
    ));
    assert_eq!(audit.migration_id, Some(id));
    assert!(matches!(
        audit.subject,
        AuditSubject::ArrivingFollower { .. }
    ));
}

#[test]
fn cooldown_presets() {
    assert_eq!(CooldownPolicy::mastodon().per_origin(), Some(DAY * 7));
    assert_eq!(CooldownPolicy::mastodon().per_target(), None);
    assert_eq!(CooldownPolicy::gotosocial().per_target(), Some(DAY * 7));
    assert_eq!(CooldownPolicy::misskey().per_origin(), Some(DAY * 14));
    // Boundary: exactly at the end of the cooldown the Move passes.
    let mut world = World::aliased();
    world.last_move.insert(ORIGIN.into(), t0() - DAY * 14);
    let d = world.run_with(
        InboundConfig::default(),
        CooldownPolicy::misskey(),
        push_move(),
        t0(),
    );
    assert!(d.is_accept(), "{d:?}");
}
