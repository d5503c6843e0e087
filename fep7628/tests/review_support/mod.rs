//! Test logic shared by the in-memory (`fep7628/tests/review_memory.rs`) and SQLite/PostgreSQL
//! (`examples/tests/review_stores.rs`) implementations of the review, audit and revert stores:
//! every test is a generic function over [`Backend`], so both run the same assertions.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, SystemTime};

use fep7628::driver::{DriverOptions, RunOutcome, Services, run_plan_audited};
use fep7628::inbound::{
    ActorFacts, Answer, Authentication, Decision, Fetched, InboundMove, MoveCheck,
    MoveFacts as InboundFacts, Step,
};
use fep7628::memory::{MemoryMoveStore, RecordingDeliverer, RecordingNotifier, SimulatedClock};
use fep7628::plan::{ActionKey, ActorRef, FollowSettings, MoveFacts, PlanConfig};
use fep7628::policy::{
    ArrivingFollower, AuditEvent, InboundMoveContext, MigrationId, MigrationPolicy, PolicyReason,
    Verdict, check_arriving_follower,
};
use fep7628::review::{
    AuditEntry, AuditKind, DocumentEvidence, LinkVerification, NextStep, RevertConfig, RevertFacts,
    RevertOutcome, RevertServices, ReviewError, ReviewEvidence, ReviewItem, ReviewState,
    ReviewSubject, approve, from_origin_since, reject, run_revert, what_migration_brought,
};
use fep7628::store::{
    AuditStore, FollowRecord, FollowState, FollowStore, ImportStore, RevertStore, ReviewStore,
};

pub const HERE: &str = "https://here.example";
pub const ORIGIN: &str = "https://old.example/users/alice";
pub const ORIGIN_INBOX: &str = "https://old.example/users/alice/inbox";
pub const TARGET: &str = "https://new.example/users/alice";
pub const TARGET_INBOX: &str = "https://new.example/users/alice/inbox";
pub const OTHER: &str = "https://else.example/users/carol";

pub fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

pub fn local(n: u32) -> String {
    format!("{HERE}/users/u{n}")
}

/// The stores under test.
pub trait Backend {
    /// Follows (the in-memory store, or the examples' SQLite `Db`).
    type Follows: FollowStore + Sync;
    /// Audit log, review queue and revert checkpoints.
    type Audit: AuditStore + ReviewStore + RevertStore + Sync;
    /// Imported content.
    type Imports: ImportStore + Sync;
    fn follows(&self) -> &Self::Follows;
    fn audit(&self) -> &Self::Audit;
    fn imports(&self) -> &Self::Imports;
    /// Marks `follower` local (where the store needs it) and stores the follow.
    fn add_local_follow(
        &self,
        follower: &str,
        followed: &str,
        settings: FollowSettings,
        state: FollowState,
    );
    /// Records an imported object as an importer would.
    fn add_imported(&self, object_id: &str);
    /// The imported objects present.
    fn imported(&self) -> BTreeSet<String>;
}

/// The full follow graph over `accounts`, read through the `FollowStore` trait.
pub fn graph<B: Backend>(b: &B, accounts: &[String]) -> BTreeSet<(String, String, String)> {
    let mut out = BTreeSet::new();
    for follower in accounts {
        for followed in accounts {
            let rec: Option<FollowRecord> =
                futures_executor::block_on(b.follows().follow(follower, followed)).unwrap();
            if let Some(rec) = rec {
                out.insert((
                    follower.clone(),
                    followed.clone(),
                    serde_json::to_string(&rec).unwrap(),
                ));
            }
        }
    }
    out
}

fn accounts() -> Vec<String> {
    let mut a: Vec<String> = (0..8).map(local).collect();
    a.extend([ORIGIN.to_owned(), TARGET.to_owned(), OTHER.to_owned()]);
    a
}

fn settings(reblogs: bool, notify: bool, langs: Option<&[&str]>) -> FollowSettings {
    FollowSettings {
        show_reblogs: reblogs,
        notify,
        languages: langs.map(|l| l.iter().map(|s| (*s).to_owned()).collect()),
    }
}

/// Followers of ORIGIN with varied settings; u3 already follows TARGET (E14, settings get
/// overwritten), u5 also follows OTHER, u6 follows only OTHER, u7 is a follower of TARGET only.
fn build_graph<B: Backend>(b: &B) {
    let acc = FollowState::Accepted;
    b.add_local_follow(&local(0), ORIGIN, settings(true, false, None), acc);
    b.add_local_follow(&local(1), ORIGIN, settings(false, true, Some(&["de"])), acc);
    b.add_local_follow(
        &local(2),
        ORIGIN,
        settings(true, true, Some(&["en", "fr"])),
        acc,
    );
    b.add_local_follow(&local(3), ORIGIN, settings(false, false, None), acc);
    b.add_local_follow(&local(3), TARGET, settings(true, true, Some(&["ja"])), acc);
    b.add_local_follow(&local(4), ORIGIN, settings(true, false, None), acc);
    b.add_local_follow(&local(5), ORIGIN, settings(true, false, None), acc);
    b.add_local_follow(&local(5), OTHER, settings(false, false, None), acc);
    b.add_local_follow(&local(6), OTHER, settings(true, false, None), acc);
    b.add_local_follow(&local(7), TARGET, settings(true, false, None), acc);
}

fn target_facts() -> ActorFacts {
    let mut t = ActorFacts::new(TARGET).with_alias(ORIGIN);
    t.inbox = Some(TARGET_INBOX.into());
    t
}

fn origin_facts() -> ActorFacts {
    let mut o = ActorFacts::new(ORIGIN)
        .with_alias(TARGET)
        .with_moved_to(TARGET);
    o.inbox = Some(ORIGIN_INBOX.into());
    o
}

/// Runs the real receiver pipeline on a push Move ORIGIN → TARGET.
pub fn check_move<P: MigrationPolicy>(policy: P, now: SystemTime) -> (Decision, AuditEvent) {
    let inbound = InboundMove::new(InboundFacts::new(
        format!("{ORIGIN}/moves/1"),
        ORIGIN,
        ORIGIN,
        TARGET,
    ))
    .authenticated_by(Authentication::HttpSignature {
        signer_actor_id: ORIGIN.into(),
    })
    .with_origin_facts(origin_facts());
    let mut check = MoveCheck::new(policy, inbound, now);
    for _ in 0..100 {
        match check.next().unwrap() {
            Step::Fetch(req) => {
                let doc = if req.url == TARGET {
                    Fetched::Actor(target_facts())
                } else if req.url == ORIGIN {
                    Fetched::Actor(origin_facts())
                } else {
                    Fetched::NotFound
                };
                check.handle_fetched(&req.url, doc).unwrap();
            }
            Step::Lookup(query) => {
                let answer = match query {
                    fep7628::inbound::Query::AlreadyProcessed { .. } => {
                        Answer::AlreadyProcessed(None)
                    }
                    fep7628::inbound::Query::LastMove { .. } => Answer::LastMove(None),
                    fep7628::inbound::Query::Moderation { .. } => {
                        Answer::Moderation(Default::default())
                    }
                    fep7628::inbound::Query::LocalMovedTo { .. } => Answer::LocalMovedTo(None),
                    other => panic!("unexpected query {other:?}"),
                };
                check.handle_lookup(answer).unwrap();
            }
            Step::Done { decision, audit } => return (decision, audit),
        }
    }
    panic!("check did not finish");
}

/// The transports of one test run.
pub struct Rig {
    pub moves: MemoryMoveStore,
    pub deliverer: RecordingDeliverer,
    pub notifier: RecordingNotifier,
    pub clock: SimulatedClock,
}

impl Rig {
    pub fn new() -> Self {
        Rig {
            moves: MemoryMoveStore::new(),
            deliverer: RecordingDeliverer::new(),
            notifier: RecordingNotifier::new(),
            clock: SimulatedClock::new(t0()),
        }
    }

    /// The driver's services: `b`'s follows, this rig's transports.
    pub fn services<'a, B: Backend>(
        &'a self,
        b: &'a B,
    ) -> Services<
        'a,
        B::Follows,
        MemoryMoveStore,
        RecordingDeliverer,
        RecordingNotifier,
        SimulatedClock,
    > {
        Services {
            follows: b.follows(),
            moves: &self.moves,
            deliverer: &self.deliverer,
            notifier: &self.notifier,
            clock: &self.clock,
        }
    }

    /// A revert's services: `b`'s stores, this rig's deliverer and clock.
    pub fn revert_services<'a, B: Backend>(
        &'a self,
        b: &'a B,
    ) -> RevertServices<'a, B::Follows, B::Audit, RecordingDeliverer, B::Imports, SimulatedClock>
    {
        RevertServices {
            follows: b.follows(),
            audit: b.audit(),
            deliverer: &self.deliverer,
            imports: b.imports(),
            clock: &self.clock,
        }
    }
}

fn revert_facts(migration_id: &str) -> RevertFacts {
    RevertFacts {
        migration_id: migration_id.to_owned(),
        origin: ActorRef::new(ORIGIN, ORIGIN_INBOX),
        target: ActorRef::new(TARGET, TARGET_INBOX),
        origin_exists: true,
        origin_locked: false,
        origin_is_local: false,
        target_is_local: false,
    }
}

/// Verifies the Move with the real pipeline, audits the decision, runs the audited plan and
/// records two imported objects. Returns the migration id.
fn migrate<B: Backend>(b: &B, rig: &Rig) -> String {
    let (decision, event) = check_move(fep7628::policy::AcceptAll, t0());
    let entry = AuditEntry::from_event(&event).unwrap();
    assert_eq!(entry.kind, AuditKind::MoveAccepted);
    futures_executor::block_on(b.audit().append_entry(&entry)).unwrap();
    let Decision::Accept(verified) = decision else {
        panic!("move not accepted: {decision:?}");
    };
    let facts = MoveFacts::from_verified(&verified, false).unwrap();
    let id = facts.migration_id.clone();
    assert_eq!(id, MigrationId::new(ORIGIN, TARGET).as_str());
    let services = rig.services(b);
    let config = PlanConfig {
        batch_size: 2,
        ..PlanConfig::default()
    };
    let out = futures_executor::block_on(run_plan_audited(
        facts,
        config,
        &services,
        b.audit(),
        &DriverOptions::default(),
    ))
    .unwrap();
    assert!(matches!(out, RunOutcome::Finished(_)), "{out:?}");
    for n in 0..2 {
        let object = format!("{HERE}/users/alice/statuses/imported-{n}");
        b.add_imported(&object);
        let e = AuditEntry::object_imported(&id, ORIGIN, TARGET, &object, t0());
        assert!(futures_executor::block_on(b.audit().append_entry(&e)).unwrap());
        // An importer re-run audits the same import once.
        assert!(!futures_executor::block_on(b.audit().append_entry(&e)).unwrap());
    }
    id
}

fn revert<B: Backend>(
    b: &B,
    rig: &Rig,
    id: &str,
    config: RevertConfig,
    options: &DriverOptions,
) -> RevertOutcome {
    let services = rig.revert_services(b);
    futures_executor::block_on(run_revert(revert_facts(id), config, &services, options)).unwrap()
}

fn all_entries<B: Backend>(b: &B, id: &str) -> Vec<AuditEntry> {
    futures_executor::block_on(b.audit().migration_entries(id, None, 100_000))
        .unwrap()
        .into_iter()
        .map(|s| s.value)
        .collect()
}

/// Migrate, then revert: the follow graph is the one before, compared as full sets.
pub fn revert_restores_the_follow_graph<B: Backend>(b: &B) {
    build_graph(b);
    let accounts = accounts();
    let before = graph(b, &accounts);
    let rig = Rig::new();
    let id = migrate(b, &rig);

    let during = graph(b, &accounts);
    assert_ne!(during, before, "the migration changed nothing");
    // What the migration brought, exactly.
    let brought =
        futures_executor::block_on(what_migration_brought(b.audit(), &id, 10_000)).unwrap();
    let expected_follows: BTreeSet<(String, String)> = [0, 1, 2, 4, 5]
        .iter()
        .map(|n| (local(*n), TARGET.to_owned()))
        .collect();
    assert_eq!(brought.follows_created, expected_follows);
    let expected_undone: BTreeSet<(String, String)> = [0, 1, 2, 3, 4, 5]
        .iter()
        .map(|n| (local(*n), ORIGIN.to_owned()))
        .collect();
    assert_eq!(brought.origin_follows_undone, expected_undone);
    assert_eq!(brought.objects_imported.len(), 2);
    assert_eq!(brought.decisions.len(), 1);
    assert_eq!(brought.decisions[0].kind, AuditKind::MoveAccepted);
    assert!(!brought.reverted);
    // Every executed action is typed and tagged: follower, origin host, target.
    let entries = all_entries(b, &id);
    for e in &entries {
        assert_eq!(e.migration_id, id);
        assert_eq!(e.origin_host.as_deref(), Some("old.example"));
        assert_eq!(e.target.as_deref(), Some(TARGET));
    }
    let notified = entries
        .iter()
        .filter(|e| e.kind == AuditKind::Notified)
        .count();
    assert_eq!(notified, 6);
    assert!(entries.iter().any(|e| e.kind == AuditKind::SettingsUpdated
        && e.follower.as_deref() == Some(local(3).as_str())
        && e.prior.is_some()));

    let out = revert(
        b,
        &rig,
        &id,
        RevertConfig::default(),
        &DriverOptions::default(),
    );
    let RevertOutcome::Finished(report) = out else {
        panic!("revert did not finish: {out:?}");
    };
    assert_eq!(report.counts.follows_withdrawn, 5);
    assert_eq!(report.counts.origin_refollowed, 6);
    assert_eq!(report.counts.settings_restored, 1);
    assert_eq!(report.counts.objects_removed, 2);
    assert_eq!(report.counts.failed_actions, 0);
    assert_eq!(graph(b, &accounts), before);
    assert!(b.imported().is_empty());
    let after = futures_executor::block_on(what_migration_brought(b.audit(), &id, 10_000)).unwrap();
    assert!(after.reverted);
    // The revert is audited: one entry per executed step, under the same migration id.
    let entries = all_entries(b, &id);
    let count = |k: AuditKind| entries.iter().filter(|e| e.kind == k).count();
    assert_eq!(count(AuditKind::RevertStarted), 1);
    assert_eq!(count(AuditKind::RevertFollowWithdrawn), 5);
    assert_eq!(count(AuditKind::RevertOriginRefollowed), 6);
    assert_eq!(count(AuditKind::RevertSettingsRestored), 1);
    assert_eq!(count(AuditKind::RevertObjectRemoved), 2);
    assert_eq!(count(AuditKind::RevertFinished), 1);
    // The deliveries: an Undo(Follow) to the target and a Follow to the origin per follower.
    let effects = rig.deliverer.effects();
    let undo_target = effects
        .values()
        .filter(|a| {
            a.activity_json("x")
                .is_some_and(|j| j["type"] == "Undo" && j["object"]["object"] == TARGET)
        })
        .count();
    assert_eq!(undo_target, 5);
}

/// A second revert does nothing: no delivery, no audit entry, no change.
pub fn revert_twice_is_a_no_op<B: Backend>(b: &B) {
    build_graph(b);
    let accounts = accounts();
    let before = graph(b, &accounts);
    let rig = Rig::new();
    let id = migrate(b, &rig);
    let first = revert(
        b,
        &rig,
        &id,
        RevertConfig::default(),
        &DriverOptions::default(),
    );
    let RevertOutcome::Finished(report) = first else {
        panic!("{first:?}");
    };
    let sends = rig.deliverer.sends().len();
    let entries = all_entries(b, &id).len();
    let again = revert(
        b,
        &rig,
        &id,
        RevertConfig::default(),
        &DriverOptions::default(),
    );
    assert_eq!(again, RevertOutcome::AlreadyReverted(report));
    assert_eq!(rig.deliverer.sends().len(), sends);
    assert_eq!(all_entries(b, &id).len(), entries);
    assert_eq!(graph(b, &accounts), before);
}

/// A crash in the middle of a revert: the resumed run re-sends only the batch in progress
/// (same key), never a confirmed one, and ends with the same graph.
pub fn revert_resumes_after_a_crash<B: Backend>(b: &B) {
    build_graph(b);
    let accounts = accounts();
    let before = graph(b, &accounts);
    let rig = Rig::new();
    let id = migrate(b, &rig);
    let plan_sends = rig.deliverer.sends().len();
    let config = RevertConfig {
        batch_size: 1,
        page_size: 4,
        ..RevertConfig::default()
    };
    let crash = DriverOptions {
        crash_after_batches: Some(3),
        ..DriverOptions::default()
    };
    assert_eq!(revert(b, &rig, &id, config, &crash), RevertOutcome::Crashed);
    let before_resume: Vec<ActionKey> = rig.deliverer.sends()[plan_sends..].to_vec();
    assert_eq!(before_resume.len(), 3);
    let out = revert(b, &rig, &id, config, &DriverOptions::default());
    assert!(matches!(out, RevertOutcome::Finished(_)), "{out:?}");
    let revert_sends: Vec<ActionKey> = rig.deliverer.sends()[plan_sends..].to_vec();
    let mut per_key: BTreeMap<ActionKey, usize> = BTreeMap::new();
    for k in &revert_sends {
        *per_key.entry(*k).or_default() += 1;
    }
    // 5 withdrawals + 6 re-follows, each delivered; only the unconfirmed third one twice.
    assert_eq!(per_key.len(), 11);
    let repeated: Vec<_> = per_key.iter().filter(|(_, n)| **n > 1).collect();
    assert_eq!(repeated.len(), 1);
    assert_eq!(*repeated[0].0, before_resume[2]);
    assert_eq!(*repeated[0].1, 2);
    assert_eq!(rig.deliverer.duplicates(), 1);
    assert_eq!(graph(b, &accounts), before);
    assert!(b.imported().is_empty());
    // Audited once per step despite the crash.
    let entries = all_entries(b, &id);
    let withdrawn = entries
        .iter()
        .filter(|e| e.kind == AuditKind::RevertFollowWithdrawn)
        .count();
    assert_eq!(withdrawn, 5);
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.kind == AuditKind::RevertStarted)
            .count(),
        1
    );
}

/// Holds every Move and every arriving follower for review.
pub struct HoldAll;

impl MigrationPolicy for HoldAll {
    fn inbound_move(&self, _ctx: &InboundMoveContext<'_>) -> Verdict {
        Verdict::Hold(vec![PolicyReason::Custom {
            code: "arrival_surge".into(),
            detail: "more than 5 followers".into(),
        }])
    }
    fn arriving_follower(&self, _arrival: &ArrivingFollower<'_>) -> Verdict {
        Verdict::Hold(vec![PolicyReason::Custom {
            code: "new_account".into(),
            detail: "account younger than 7 days".into(),
        }])
    }
}

/// A held Move becomes one queue item with its evidence; it is approved once, and approving
/// it yields the plan to run.
pub fn held_move_is_queued_and_approved_once<B: Backend>(b: &B) {
    build_graph(b);
    let (decision, event) = check_move(HoldAll, t0());
    let Decision::Hold(held) = decision else {
        panic!("not held: {decision:?}");
    };
    let entry = AuditEntry::from_event(&event).unwrap();
    assert_eq!(entry.kind, AuditKind::MoveHeld);
    assert_eq!(entry.reasons[0].code, "arrival_surge");
    futures_executor::block_on(b.audit().append_entry(&entry)).unwrap();
    let target_doc = br#"{"id":"https://new.example/users/alice","alsoKnownAs":["https://old.example/users/alice"]}"#;
    let evidence = ReviewEvidence::default()
        .with_document(DocumentEvidence::new("target", TARGET, target_doc));
    let item = ReviewItem::held_move(&held, evidence, false, t0());
    assert!(futures_executor::block_on(b.audit().put_review(&item)).unwrap());
    // The same Move held again (a retry) is the same item, queued once.
    let again = ReviewItem::held_move(&held, ReviewEvidence::default(), false, t0());
    assert_eq!(again.id, item.id);
    assert!(!futures_executor::block_on(b.audit().put_review(&again)).unwrap());

    let pending = futures_executor::block_on(b.audit().pending_reviews(None, 10)).unwrap();
    assert_eq!(pending.len(), 1);
    let stored = &pending[0].value;
    assert_eq!(stored, &item);
    let codes: Vec<&str> = stored
        .evidence
        .reasons
        .iter()
        .map(|r| r.code.as_str())
        .collect();
    assert_eq!(codes, ["arrival_surge"]);
    assert_eq!(stored.evidence.documents[0].sha256.len(), 64);
    assert_eq!(stored.evidence.documents[0].url, TARGET);
    let methods: BTreeSet<&str> = stored
        .evidence
        .links
        .iter()
        .map(|l| l.verified_by.code())
        .collect();
    assert_eq!(
        methods,
        BTreeSet::from(["alias_both_sides", "moved_to", "http_signature"])
    );
    assert!(
        stored
            .evidence
            .links
            .iter()
            .any(|l| l.verified_by == LinkVerification::AliasBothSides
                && l.from == ORIGIN
                && l.to == TARGET)
    );
    assert_eq!(
        stored.migration_id,
        MigrationId::new(ORIGIN, TARGET).as_str()
    );

    let later = t0() + Duration::from_secs(3600);
    let next = futures_executor::block_on(approve(b.audit(), &item.id, "mod-ann", later)).unwrap();
    let NextStep::RunPlan { record, facts } = next else {
        panic!("approval did not yield the plan: {next:?}");
    };
    assert_eq!(record.origin, ORIGIN);
    assert_eq!(record.target, TARGET);
    assert_eq!(facts.migration_id, item.migration_id);
    assert_eq!(facts.target.inbox, TARGET_INBOX);

    // Approved twice, or rejected after approval: refused, state unchanged.
    let twice = futures_executor::block_on(approve(b.audit(), &item.id, "mod-bob", later));
    match twice {
        Err(ReviewError::AlreadyDecided {
            state: ReviewState::Approved { by, .. },
            ..
        }) => assert_eq!(by, "mod-ann"),
        other => panic!("second approval: {other:?}"),
    }
    let late_reject =
        futures_executor::block_on(reject(b.audit(), &item.id, "mod-bob", "no", later));
    assert_eq!(late_reject.unwrap_err().kind(), "review_already_decided");
    let stored = futures_executor::block_on(b.audit().review(&item.id))
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.state,
        ReviewState::Approved {
            by: "mod-ann".into(),
            at: later
        }
    );
    assert!(
        futures_executor::block_on(b.audit().pending_reviews(None, 10))
            .unwrap()
            .is_empty()
    );
    let approvals = all_entries(b, &item.migration_id)
        .into_iter()
        .filter(|e| e.kind == AuditKind::ReviewApproved)
        .count();
    assert_eq!(approvals, 1);

    // The approved move runs: the followers move.
    let rig = Rig::new();
    let services = rig.services(b);
    let out = futures_executor::block_on(run_plan_audited(
        facts,
        PlanConfig::default(),
        &services,
        b.audit(),
        &DriverOptions::default(),
    ))
    .unwrap();
    let RunOutcome::Finished(report) = out else {
        panic!("{out:?}");
    };
    assert_eq!(report.counts.follows_sent, 5);

    // Unknown ids and empty moderator names are typed errors.
    let unknown = fep7628::review::ReviewId::parse("rev-0000").unwrap();
    let err = futures_executor::block_on(approve(b.audit(), &unknown, "mod-ann", later));
    assert_eq!(err.unwrap_err().kind(), "review_not_found");
    let err = futures_executor::block_on(approve(b.audit(), &item.id, "  ", later));
    assert_eq!(err.unwrap_err().kind(), "invalid_moderator");
}

/// A held arriving follower: queued with its reasons, rejected once, pending list in order.
pub fn held_followers_are_listed_in_order_and_rejected_once<B: Backend>(b: &B) {
    let id = MigrationId::new(ORIGIN, TARGET);
    let mut ids = Vec::new();
    for n in 0..5 {
        let follower = format!("https://far.example/users/f{n}");
        let arrival = ArrivingFollower::new(&id, &follower, ORIGIN, TARGET, t0());
        let (verdict, event) = check_arriving_follower(&HoldAll, &arrival);
        let Verdict::Hold(reasons) = verdict else {
            panic!("not held");
        };
        let entry = AuditEntry::from_event(&event).unwrap();
        assert_eq!(entry.kind, AuditKind::FollowerHeld);
        assert_eq!(entry.follower.as_deref(), Some(follower.as_str()));
        futures_executor::block_on(b.audit().append_entry(&entry)).unwrap();
        let item = ReviewItem::held_follower(&arrival, &reasons, ReviewEvidence::default());
        assert!(matches!(
            item.subject,
            ReviewSubject::ArrivingFollower { .. }
        ));
        assert!(futures_executor::block_on(b.audit().put_review(&item)).unwrap());
        ids.push(item.id);
    }
    // Paged, oldest first.
    let first = futures_executor::block_on(b.audit().pending_reviews(None, 2)).unwrap();
    let rest =
        futures_executor::block_on(b.audit().pending_reviews(Some(first[1].seq), 10)).unwrap();
    let listed: Vec<_> = first
        .iter()
        .chain(&rest)
        .map(|s| s.value.id.clone())
        .collect();
    assert_eq!(listed, ids);

    let next = futures_executor::block_on(reject(b.audit(), &ids[1], "mod-ann", "spam wave", t0()))
        .unwrap();
    assert_eq!(
        next,
        NextStep::RejectFollower {
            follower: "https://far.example/users/f1".into(),
            target: TARGET.into()
        }
    );
    let again = futures_executor::block_on(approve(b.audit(), &ids[1], "mod-bob", t0()));
    assert_eq!(again.unwrap_err().kind(), "review_already_decided");
    let next = futures_executor::block_on(approve(b.audit(), &ids[2], "mod-bob", t0())).unwrap();
    assert!(matches!(next, NextStep::AcceptFollower { .. }));
    let pending: Vec<_> = futures_executor::block_on(b.audit().pending_reviews(None, 10))
        .unwrap()
        .into_iter()
        .map(|s| s.value.id)
        .collect();
    assert_eq!(pending, [ids[0].clone(), ids[3].clone(), ids[4].clone()]);
}

/// "Everything from origin server S since T" matches the host exactly: not a subdomain, not a
/// lookalike, not before T; case, trailing dot and IDN forms are the same host.
pub fn origin_queries_match_the_host_exactly<B: Backend>(b: &B) {
    let week = Duration::from_secs(7 * 86_400);
    let since = t0();
    let cases = [
        ("https://old.example/users/a", since, true),
        ("https://OLD.example./users/b", since + week, true),
        ("https://sub.old.example/users/c", since, false),
        ("https://old.example.evil/users/d", since, false),
        ("https://evil-old.example/users/e", since, false),
        ("https://old.examplе/users/f", since, false), // Cyrillic 'е'
        (
            "https://old.example/users/g",
            since - Duration::from_secs(1),
            false,
        ),
        ("https://old.example:8443/users/h", since, true),
    ];
    for (i, (origin, at, _)) in cases.iter().enumerate() {
        let e = AuditEntry::new(format!("mig-{i}"), *at, AuditKind::MoveAccepted)
            .with_accounts(Some(origin), Some(TARGET));
        futures_executor::block_on(b.audit().append_entry(&e)).unwrap();
    }
    let expected: Vec<String> = cases
        .iter()
        .enumerate()
        .filter(|(_, c)| c.2)
        .map(|(i, _)| format!("mig-{i}"))
        .collect();
    for query in ["old.example", "OLD.EXAMPLE.", " old.example "] {
        let got: Vec<String> =
            futures_executor::block_on(from_origin_since(b.audit(), query, since, 100))
                .unwrap()
                .into_iter()
                .map(|e| e.migration_id)
                .collect();
        assert_eq!(got, expected, "query {query:?}");
    }
    let sub: Vec<String> =
        futures_executor::block_on(from_origin_since(b.audit(), "sub.old.example", since, 100))
            .unwrap()
            .into_iter()
            .map(|e| e.migration_id)
            .collect();
    assert_eq!(sub, ["mig-2"]);
    let idn = AuditEntry::new("mig-idn", since, AuditKind::MoveAccepted)
        .with_accounts(Some("https://bücher.example/u/x"), Some(TARGET));
    futures_executor::block_on(b.audit().append_entry(&idn)).unwrap();
    for query in ["bücher.example", "xn--bcher-kva.example", "BÜCHER.example."] {
        let got =
            futures_executor::block_on(from_origin_since(b.audit(), query, since, 100)).unwrap();
        assert_eq!(got.len(), 1, "query {query:?}");
    }
    // Paging with a limit, and nonsense hosts match nothing.
    let one =
        futures_executor::block_on(from_origin_since(b.audit(), "old.example", since, 1)).unwrap();
    assert_eq!(one.len(), 1);
    for bad in ["", "%", "old.example/x y", "*"] {
        let got =
            futures_executor::block_on(from_origin_since(b.audit(), bad, since, 100)).unwrap();
        assert!(got.is_empty(), "query {bad:?}");
    }
}

/// The audited plan crashes mid-way and resumes: every executed action is audited exactly once
/// (with the follow state from before it), and the revert still restores the graph.
pub fn plan_audit_is_exact_across_a_crash<B: Backend>(b: &B) {
    build_graph(b);
    let accounts = accounts();
    let before = graph(b, &accounts);
    let rig = Rig::new();
    let (decision, _) = check_move(fep7628::policy::AcceptAll, t0());
    let Decision::Accept(verified) = decision else {
        panic!("not accepted");
    };
    let facts = MoveFacts::from_verified(&verified, false).unwrap();
    let id = facts.migration_id.clone();
    let services = rig.services(b);
    let config = PlanConfig {
        batch_size: 1,
        ..PlanConfig::default()
    };
    for crash_at in [2, 5, 9] {
        let crash = DriverOptions {
            crash_after_batches: Some(crash_at),
            ..DriverOptions::default()
        };
        let out = futures_executor::block_on(run_plan_audited(
            facts.clone(),
            config.clone(),
            &services,
            b.audit(),
            &crash,
        ))
        .unwrap();
        assert_eq!(out, RunOutcome::Crashed);
    }
    let out = futures_executor::block_on(run_plan_audited(
        facts,
        config,
        &services,
        b.audit(),
        &DriverOptions::default(),
    ))
    .unwrap();
    assert!(matches!(out, RunOutcome::Finished(_)), "{out:?}");
    assert!(
        rig.deliverer.duplicates() > 0,
        "the crashes re-sent nothing"
    );
    let entries = all_entries(b, &id);
    let mut seen = BTreeSet::new();
    for e in &entries {
        if let Some(key) = &e.dedupe_key {
            assert!(seen.insert(key.clone()), "{key} audited twice");
        }
    }
    let count = |k: AuditKind| entries.iter().filter(|e| e.kind == k).count();
    assert_eq!(count(AuditKind::PlanStarted), 1);
    assert_eq!(count(AuditKind::FollowSent), 5);
    assert_eq!(count(AuditKind::UndoSent), 6);
    assert_eq!(count(AuditKind::Notified), 6);
    assert_eq!(count(AuditKind::PlanFinished), 1);
    // Every undo carries the origin follow as it was before, not as it is after the crash.
    for e in entries.iter().filter(|e| e.kind == AuditKind::UndoSent) {
        let prior = e.prior.as_ref().expect("prior follow recorded");
        assert_eq!(prior.state, FollowState::Accepted);
    }
    let out = revert(
        b,
        &rig,
        &id,
        RevertConfig::default(),
        &DriverOptions::default(),
    );
    assert!(matches!(out, RevertOutcome::Finished(_)), "{out:?}");
    assert_eq!(graph(b, &accounts), before);
}

/// The new home's side: followers arriving at the local target (some held and decided by a
/// moderator) and imported posts; reverting removes exactly those follows and posts.
pub fn new_home_revert_removes_arrivals_and_imports<B: Backend>(b: &B) {
    let target = format!("{HERE}/users/alice");
    let far = |n: u32| format!("https://far.example/users/f{n}");
    // Before: one remote and one local follower of the target, unrelated to the migration.
    b.add_local_follow(
        &far(0),
        &target,
        settings(true, false, None),
        FollowState::Accepted,
    );
    b.add_local_follow(
        &local(1),
        &target,
        settings(true, true, None),
        FollowState::Accepted,
    );
    let mut accounts: Vec<String> = (0..7).map(far).collect();
    accounts.extend([target.clone(), local(1), ORIGIN.to_owned()]);
    let before = graph(b, &accounts);

    let id = MigrationId::new(ORIGIN, &target);
    let now = t0();
    // f4 arrives through a moderator's approval, where the server kept no Follow id: its
    // follow is removed without a Reject.
    let accept = |follower: &str| arrive(b, &id, follower, follower != far(4));
    for n in 1..=3 {
        let follower = far(n);
        let arrival = ArrivingFollower::new(&id, &follower, ORIGIN, &target, now);
        let (verdict, event) = check_arriving_follower(&fep7628::policy::AcceptAll, &arrival);
        assert_eq!(verdict, Verdict::Accept);
        let entry = AuditEntry::from_event(&event).unwrap();
        futures_executor::block_on(b.audit().append_entry(&entry)).unwrap();
        accept(&follower);
    }
    // f4 and f5 are held; a moderator approves f4 and rejects f5.
    let mut held = Vec::new();
    for n in 4..=5 {
        let follower = far(n);
        let arrival = ArrivingFollower::new(&id, &follower, ORIGIN, &target, now);
        let (Verdict::Hold(reasons), _) = check_arriving_follower(&HoldAll, &arrival) else {
            panic!("not held");
        };
        let item = ReviewItem::held_follower(&arrival, &reasons, ReviewEvidence::default());
        futures_executor::block_on(b.audit().put_review(&item)).unwrap();
        held.push(item.id);
    }
    match futures_executor::block_on(approve(b.audit(), &held[0], "mod", now)).unwrap() {
        NextStep::AcceptFollower { follower, .. } => accept(&follower),
        other => panic!("{other:?}"),
    }
    let rejected = futures_executor::block_on(reject(b.audit(), &held[1], "mod", "bot", now));
    assert!(matches!(rejected, Ok(NextStep::RejectFollower { .. })));
    for n in 0..2 {
        let object = format!("{target}/statuses/imported-{n}");
        b.add_imported(&object);
        let e = AuditEntry::object_imported(id.as_str(), ORIGIN, &target, &object, now);
        futures_executor::block_on(b.audit().append_entry(&e)).unwrap();
    }
    let brought =
        futures_executor::block_on(what_migration_brought(b.audit(), id.as_str(), 1000)).unwrap();
    let expected: BTreeSet<(String, String)> = [1, 2, 3, 4]
        .iter()
        .map(|n| (far(*n), target.clone()))
        .collect();
    assert_eq!(brought.followers_arrived, expected);
    assert_eq!(brought.objects_imported.len(), 2);
    let kinds: Vec<AuditKind> = brought.decisions.iter().map(|e| e.kind).collect();
    assert_eq!(
        kinds,
        [
            AuditKind::FollowerAccepted,
            AuditKind::FollowerAccepted,
            AuditKind::FollowerAccepted,
            AuditKind::ReviewApproved,
            AuditKind::ReviewRejected
        ]
    );

    let rig = Rig::new();
    let facts = new_home_revert_facts(&id, &target);
    let services = rig.revert_services(b);
    let out = futures_executor::block_on(run_revert(
        facts,
        RevertConfig::default(),
        &services,
        &DriverOptions::default(),
    ))
    .unwrap();
    let RevertOutcome::Finished(report) = out else {
        panic!("{out:?}");
    };
    assert_eq!(report.counts.followers_removed, 4);
    assert_eq!(report.counts.followers_rejected, 3);
    assert_eq!(report.counts.objects_removed, 2);
    assert_eq!(graph(b, &accounts), before);
    assert!(b.imported().is_empty());
    // Each arrived follower's server whose Follow was kept is told, once: Reject(Follow) from
    // the target.
    assert_eq!(rig.deliverer.sends().len(), 3);
    assert_rejects_sent(&rig, &target, &[1, 2, 3].map(far));
    let entries = all_entries(b, id.as_str());
    let followers_of = |kind: AuditKind| -> BTreeSet<String> {
        entries
            .iter()
            .filter(|e| e.kind == kind)
            .filter_map(|e| e.follower.clone())
            .collect()
    };
    assert_eq!(
        followers_of(AuditKind::RevertFollowerRejected),
        [1, 2, 3].map(far).into_iter().collect()
    );
    assert_eq!(
        followers_of(AuditKind::RevertFollowerRemoved),
        [far(4)].into_iter().collect()
    );
}

/// The revert of `id` on the new home, where the target lives.
fn new_home_revert_facts(id: &MigrationId, target: &str) -> RevertFacts {
    RevertFacts {
        target: ActorRef::new(target, format!("{target}/inbox")),
        target_is_local: true,
        ..revert_facts(id.as_str())
    }
}

/// A follower from another server arrives at the local `{HERE}/users/alice` because of the
/// migration `id`: the follow is stored and audited — with the follower's inbox and the id of
/// its `Follow` when `kept`, as the new home's inbox handler does.
fn arrive<B: Backend>(b: &B, id: &MigrationId, follower: &str, kept: bool) {
    let target = format!("{HERE}/users/alice");
    futures_executor::block_on(b.follows().record_follow(
        follower,
        &target,
        &FollowSettings::default(),
        FollowState::Accepted,
    ))
    .unwrap();
    let mut e = AuditEntry::follower_arrived(id.as_str(), follower, ORIGIN, &target, t0());
    if kept {
        e = e.with_follow_activity(
            &format!("{follower}/inbox"),
            &format!("{follower}#follows/1"),
        );
    }
    assert!(futures_executor::block_on(b.audit().append_entry(&e)).unwrap());
}

/// The deliveries' effects are exactly one `Reject(Follow)` per follower in `followers`, each
/// POSTed to that follower's inbox, sent as `target`, embedding the follower's `Follow` of
/// `target` with its id and addressed to the follower, as Mastodon's `RejectFollowSerializer`
/// shapes it.
fn assert_rejects_sent(rig: &Rig, target: &str, followers: &[String]) {
    let effects = rig.deliverer.effects();
    assert_eq!(effects.len(), followers.len(), "{effects:#?}");
    let mut told = BTreeSet::new();
    for action in effects.values() {
        assert_eq!(action.kind(), fep7628::plan::ActionKind::RejectFollow);
        assert_eq!(&*action.follower_id, target, "the target signs the Reject");
        let json = action
            .activity_json("https://here.example/activities/r")
            .unwrap();
        let follower = json["object"]["actor"].as_str().unwrap().to_owned();
        assert_eq!(
            action.destination,
            fep7628::plan::Destination::Inbox(format!("{follower}/inbox").into())
        );
        assert_eq!(json["type"], "Reject");
        assert_eq!(json["actor"], target);
        assert_eq!(json["to"], follower.as_str());
        assert_eq!(json["object"]["type"], "Follow");
        assert_eq!(json["object"]["object"], target);
        assert_eq!(json["object"]["id"], format!("{follower}#follows/1"));
        assert!(told.insert(follower));
    }
    assert_eq!(told, followers.iter().cloned().collect());
}

/// A new-home revert that crashes after sending some `Reject(Follow)`s: the resumed run sends
/// each confirmed one never again and the one in progress with the same key (dropped by the
/// unique-key queue), so every follower's server gets one Reject; each is audited once.
pub fn new_home_revert_rejects_once_across_a_crash<B: Backend>(b: &B) {
    let target = format!("{HERE}/users/alice");
    let far = |n: u32| format!("https://far.example/users/f{n}");
    let id = MigrationId::new(ORIGIN, &target);
    let followers: Vec<String> = (1..=4).map(far).collect();
    for f in &followers {
        arrive(b, &id, f, true);
    }
    let rig = Rig::new();
    let facts = new_home_revert_facts(&id, &target);
    let services = rig.revert_services(b);
    let config = RevertConfig {
        batch_size: 1,
        ..RevertConfig::default()
    };
    let crash = DriverOptions {
        crash_after_batches: Some(3),
        ..DriverOptions::default()
    };
    let run = |options: &DriverOptions| {
        futures_executor::block_on(run_revert(facts.clone(), config, &services, options)).unwrap()
    };
    assert_eq!(run(&crash), RevertOutcome::Crashed);
    let before_resume = rig.deliverer.sends();
    assert_eq!(before_resume.len(), 3);
    let out = run(&DriverOptions::default());
    let RevertOutcome::Finished(report) = out else {
        panic!("{out:?}");
    };
    assert_eq!(report.counts.followers_rejected, 4);
    let mut per_key: BTreeMap<ActionKey, usize> = BTreeMap::new();
    for k in rig.deliverer.sends() {
        *per_key.entry(k).or_default() += 1;
    }
    assert_eq!(per_key.len(), 4);
    // Only the unconfirmed third one was handed out again, with its key: no second effect.
    let repeated: Vec<_> = per_key.iter().filter(|(_, n)| **n > 1).collect();
    assert_eq!(repeated, [(&before_resume[2], &2)]);
    assert_eq!(rig.deliverer.duplicates(), 1);
    assert_rejects_sent(&rig, &target, &followers);
    let entries = all_entries(b, id.as_str());
    let audited = entries
        .iter()
        .filter(|e| e.kind == AuditKind::RevertFollowerRejected)
        .count();
    assert_eq!(audited, 4);
    for f in &followers {
        let left = futures_executor::block_on(b.follows().follow(f, &target)).unwrap();
        assert!(left.is_none(), "{f} still follows");
    }
}
