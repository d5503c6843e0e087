//! Evidence of review items: persona links and how each was verified (aliases, FEP-c390,
//! FEP-8b32, HTTP signature, identity-links persona evidence), document hashes, limits, and
//! the decision entries mapped from the pipeline's audit events.

use std::time::{Duration, SystemTime};

use fep7628::inbound::{
    ActorFacts, Answer, Authentication, Decision, Fetched, InboundConfig, InboundMove, MoveCheck,
    MoveFacts, OldSideProof, Query, Step,
};
use fep7628::policy::{AuditEvent, InboundMoveContext, MigrationPolicy, PolicyReason, Verdict};
use fep7628::review::{
    AuditEntry, AuditKind, DocumentEvidence, LinkVerification, MAX_EVIDENCE_ITEMS, NextStep,
    PersonaLink, ReviewEvidence, ReviewItem, ReviewState, next_step,
};

const OLD: &str = "https://old.example/users/a";
const NEW: &str = "https://new.example/users/a";
const DID: &str = "did:key:z6MkexampleexampleexampleexampleexampleexampleEX";

fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

struct Hold;
impl MigrationPolicy for Hold {
    fn inbound_move(&self, _: &InboundMoveContext<'_>) -> Verdict {
        Verdict::Hold(vec![PolicyReason::Custom {
            code: "keyword".into(),
            detail: "profile matches a keyword rule".into(),
        }])
    }
}

fn run(
    config: InboundConfig,
    inbound: InboundMove,
    target: ActorFacts,
    origin: Option<ActorFacts>,
) -> (Decision, AuditEvent) {
    let mut check = MoveCheck::with_config(config, Hold, inbound, t0());
    for _ in 0..100 {
        match check.next().unwrap() {
            Step::Fetch(req) => {
                let doc = match (req.url.as_str(), &origin) {
                    (NEW, _) => Fetched::Actor(target.clone()),
                    (OLD, Some(o)) => Fetched::Actor(o.clone()),
                    _ => Fetched::NotFound,
                };
                check.handle_fetched(&req.url, doc).unwrap();
            }
            Step::Lookup(q) => {
                let a = match q {
                    Query::AlreadyProcessed { .. } => Answer::AlreadyProcessed(None),
                    Query::LastMove { .. } => Answer::LastMove(None),
                    Query::Moderation { .. } => Answer::Moderation(Default::default()),
                    _ => Answer::LocalMovedTo(None),
                };
                check.handle_lookup(a).unwrap();
            }
            Step::Done { decision, audit } => return (decision, audit),
        }
    }
    panic!("check did not finish");
}

fn target() -> ActorFacts {
    let mut t = ActorFacts::new(NEW).with_alias(OLD).with_identity_did(DID);
    t.inbox = Some(format!("{NEW}/inbox"));
    t
}

#[test]
fn fep_8b32_and_c390_links_are_named_with_their_method() {
    // A pull-mode Move authenticated by a FEP-8b32 proof of the new actor; the old actor
    // carries the same verified FEP-c390 subject.
    let inbound = InboundMove::new(MoveFacts::new(format!("{NEW}/moves/1"), NEW, OLD, NEW))
        .authenticated_by(Authentication::IntegrityProof {
            verified_actor_id: NEW.into(),
        })
        .with_old_side_proof(OldSideProof::SharedIdentitySubject { did: DID.into() });
    let mut config = InboundConfig::default();
    config.allow_pull = true;
    let mut origin = ActorFacts::new(OLD).with_identity_did(DID);
    origin.inbox = Some(format!("{OLD}/inbox"));
    let inbound = inbound.with_origin_facts(origin.clone());
    let (decision, event) = run(config, inbound, target(), Some(origin));
    let Decision::Hold(held) = decision else {
        panic!("not held: {decision:?}");
    };
    let proof = OldSideProof::SharedIdentitySubject { did: DID.into() };
    let evidence = ReviewEvidence::default()
        .with_document(DocumentEvidence::new("target", NEW, b"{\"id\":\"x\"}"))
        .with_link(PersonaLink::from_old_side_proof(&proof, OLD, NEW));
    let item = ReviewItem::held_move(&held, evidence, false, t0());
    let links: Vec<(&str, &str, &LinkVerification)> = item
        .evidence
        .links
        .iter()
        .map(|l| (l.from.as_str(), l.to.as_str(), &l.verified_by))
        .collect();
    let c390 = LinkVerification::FepC390 { did: DID.into() };
    assert!(links.contains(&(OLD, NEW, &c390)), "{links:?}");
    // The new side's alias only (the old side does not alias back): a one-way claim.
    assert!(links.contains(&(NEW, OLD, &LinkVerification::AlsoKnownAs)));
    assert!(links.contains(&(NEW, OLD, &LinkVerification::Fep8b32Proof)));
    // The old-side proof equals the derived c390 link: listed once.
    assert_eq!(links.iter().filter(|l| *l.2 == c390).count(), 1);
    assert_eq!(item.evidence.reasons[0].code, "keyword");
    // The pipeline's audit event maps to a typed held decision with the same reasons.
    let entry = AuditEntry::from_event(&event).unwrap();
    assert_eq!(entry.kind, AuditKind::MoveHeld);
    assert_eq!(entry.migration_id, item.migration_id);
    assert_eq!(entry.origin_host.as_deref(), Some("old.example"));
    assert_eq!(entry.reasons, item.evidence.reasons);
}

#[test]
fn held_push_move_without_origin_inbox_asks_to_fetch_it_on_approval() {
    let inbound = InboundMove::new(MoveFacts::new(format!("{OLD}/moves/1"), OLD, OLD, NEW))
        .authenticated_by(Authentication::HttpSignature {
            signer_actor_id: OLD.into(),
        });
    let (decision, _) = run(InboundConfig::default(), inbound, target(), None);
    let Decision::Hold(held) = decision else {
        panic!("not held: {decision:?}");
    };
    let mut item = ReviewItem::held_move(&held, ReviewEvidence::default(), false, t0());
    assert_eq!(next_step(&item), None, "pending items have no next step");
    item.state = ReviewState::Approved {
        by: "m".into(),
        at: t0(),
    };
    assert!(
        matches!(next_step(&item), Some(NextStep::RecordMove { record }) if record.origin == OLD)
    );
    item.state = ReviewState::Rejected {
        by: "m".into(),
        at: t0(),
        note: String::new(),
    };
    assert!(matches!(next_step(&item), Some(NextStep::DropMove { .. })));
}

#[test]
fn persona_graph_evidence_maps_to_links() {
    use identity_links::persona::Evidence;
    let cases = [
        (
            Evidence::IdentityProof {
                actor: OLD.into(),
                did: DID.into(),
            },
            "fep_c390",
        ),
        (
            Evidence::RelMe {
                actor: OLD.into(),
                site: "https://blog.example".into(),
            },
            "rel_me",
        ),
        (
            Evidence::AlsoKnownAs {
                from: NEW.into(),
                to: OLD.into(),
            },
            "also_known_as",
        ),
        (
            Evidence::MovedTo {
                from: OLD.into(),
                to: NEW.into(),
            },
            "moved_to",
        ),
        (
            Evidence::CopiedTo {
                from: OLD.into(),
                to: NEW.into(),
            },
            "copied_to",
        ),
        (
            Evidence::MoveSeen {
                from: OLD.into(),
                to: NEW.into(),
            },
            "move_seen",
        ),
    ];
    for (evidence, code) in cases {
        let link = PersonaLink::from_persona_evidence(&evidence);
        assert_eq!(link.verified_by.code(), code);
        let ((_, a), (_, b)) = evidence.endpoints();
        assert_eq!((link.from.as_str(), link.to.as_str()), (a, b));
    }
}

#[test]
fn evidence_is_bounded() {
    let mut evidence = ReviewEvidence::default();
    for i in 0..(MAX_EVIDENCE_ITEMS + 10) {
        evidence = evidence
            .with_document(DocumentEvidence::new(
                "doc",
                format!("https://x.example/{i}"),
                b"",
            ))
            .with_link(PersonaLink {
                from: format!("https://x.example/{i}"),
                to: NEW.into(),
                verified_by: LinkVerification::MoveSeen,
            });
    }
    assert_eq!(evidence.documents.len(), MAX_EVIDENCE_ITEMS);
    assert_eq!(evidence.links.len(), MAX_EVIDENCE_ITEMS);
    // The empty body has the well-known SHA-256.
    assert_eq!(
        evidence.documents[0].sha256,
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
}

#[test]
fn rejected_and_malformed_moves_map_to_entries() {
    // Not aliased: rejected with the rejection's code.
    let inbound = InboundMove::new(MoveFacts::new(format!("{OLD}/moves/1"), OLD, OLD, NEW))
        .authenticated_by(Authentication::HttpSignature {
            signer_actor_id: OLD.into(),
        });
    let mut unaliased = ActorFacts::new(NEW);
    unaliased.inbox = Some(format!("{NEW}/inbox"));
    let (decision, event) = run(InboundConfig::default(), inbound, unaliased, None);
    assert!(matches!(decision, Decision::Reject(_)));
    let entry = AuditEntry::from_event(&event).unwrap();
    assert_eq!(entry.kind, AuditKind::MoveRejected);
    assert_eq!(entry.reasons[0].code, "not_aliased");
    assert_eq!(entry.to_record().event, "move_rejected");
    // Two objects: no single migration to tag, so no entry.
    let mut facts = MoveFacts::new(format!("{OLD}/moves/2"), OLD, OLD, NEW);
    facts.object.push("https://old.example/users/b".into());
    let inbound = InboundMove::new(facts).authenticated_by(Authentication::HttpSignature {
        signer_actor_id: OLD.into(),
    });
    let (_, event) = run(InboundConfig::default(), inbound, target(), None);
    assert!(AuditEntry::from_event(&event).is_none());
}
