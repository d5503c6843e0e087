//! Three servers in memory — the old home, the new home and a follower's server — connected by
//! an in-memory transport (no sockets), each doing its own part with the crate family:
//!
//! * the new account publishes `alsoKnownAs` naming the old one;
//! * the old server runs the preflight, marks its actor `movedTo`, builds the Move (`outbound`)
//!   and signs the delivery with `http-signatures` (draft-cavage, or RFC 9421);
//! * the follower's server verifies the request (`http_signatures::Verifier`, the key found in
//!   the owner's actor document through `adapt::verification_key`), reads the Move with
//!   `activitystreams-move` (`adapt::parse_move`), runs `MoveCheck` with every fetch answered by
//!   the other servers' documents (`adapt::fetched`), and runs the re-follow plan through the
//!   driver with in-memory stores and a deliverer that POSTs into the other servers' inboxes;
//! * the new server's inbox decides each arriving `Follow` with
//!   `plan::incoming::decide_arriving_follow` (and the migration policy); the old server's inbox
//!   applies each `Undo(Follow)`.
//!
//! The final follow graph is asserted on all three servers: every follower of the old account
//! follows the new one, the old follows are undone, each exactly once. Variants: RFC 9421, a
//! crash in the middle of the plan resumed from the checkpoint, a locked target, and pull mode
//! with the old server down (follower list + old-side proof).

use std::collections::{BTreeMap, BTreeSet};
use std::future::{Future, ready};
use std::sync::Mutex;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use activitystreams_move::{Actor, ReadOptions};
use fep7628::adapt;
use fep7628::driver::{DriverOptions, RunOutcome, Services, run_plan};
use fep7628::follower_list::{Account, FollowerListReader, ListFormat, ListLimits};
use fep7628::inbound::{
    ActorFacts, Answer, Decision, Fetched, InboundConfig, InboundMove, ModerationState, MoveCheck,
    OldSideProof, Query, Step,
};
use fep7628::memory::{MemoryFollowStore, MemoryMoveStore, RecordingNotifier, SimulatedClock};
use fep7628::outbound::{
    DeliveryList, Endpoint, OutboundMove, Preflight, PreflightStep, moved_to_update,
    preflight_pull, pull_recipients,
};
use fep7628::plan::incoming::{
    ArrivingFollow, IncomingDecision, IncomingFollowPolicy, PriorFollow, decide_arriving_follow,
};
use fep7628::plan::{self, ActionKey, Batch, Destination, FollowSettings, PlanConfig, PlanReport};
use fep7628::policy::{AcceptAll, AuditEvent, MigrationId};
use fep7628::store::{Deliverer, DeliveryOutcome, FollowState, MoveRecord};
use futures_executor::block_on;
use http_signatures::{
    CavageSignOptions, PrivateKey, Rfc9421SignOptions, Scheme, UnixTime, Verifier, VerifyPolicy,
    sign_cavage, sign_rfc9421,
};
use serde_json::{Value, json};

const AS: &str = "https://www.w3.org/ns/activitystreams";
const OLD: &str = "https://old.example/users/alice";
const NEW: &str = "https://new.example/users/alice";
/// A follower of the old account on a fourth server, untouched by the follower server's plan.
const ELSEWHERE: &str = "https://g.example/users/zoe";
/// Local accounts of the follower's server that follow the old account.
const FOLLOWERS: usize = 12;
/// Already follows the new account (E14): no second follow, the old follow is still undone.
const ALREADY: usize = 3;
/// Has non-default follow settings, which must be copied to the new follow.
const PICKY: usize = 5;

fn follower(i: usize) -> String {
    format!("https://f.example/users/u{i:02}")
}

fn t0() -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(1_764_547_200)
}

fn unix(t: SystemTime) -> UnixTime {
    UnixTime(
        t.duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs() as i64),
    )
}

fn host(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default()
}

fn picky_settings() -> FollowSettings {
    FollowSettings {
        show_reblogs: false,
        notify: true,
        languages: Some(vec!["de".into(), "en".into()]),
    }
}

/// An account: its signing key and the actor document its server serves.
struct HomeAccount {
    key: PrivateKey,
    key_id: String,
    doc: Value,
}

fn account(id: &str, seed: u8) -> HomeAccount {
    let key = PrivateKey::ed25519_from_seed(&[seed; 32]);
    let key_id = format!("{id}#ed25519-key");
    let origin = format!("https://{}", host(id));
    let doc = json!({
        "@context": [AS, "https://w3id.org/security/data-integrity/v2"],
        "id": id,
        "type": "Person",
        "preferredUsername": "alice",
        "inbox": format!("{id}/inbox"),
        "outbox": format!("{id}/outbox"),
        "followers": format!("{id}/followers"),
        "endpoints": {"sharedInbox": format!("{origin}/inbox")},
        "assertionMethod": [{
            "id": key_id,
            "type": "Multikey",
            "controller": id,
            "publicKeyMultibase": key.public_key().to_multikey().expect("ed25519 multikey"),
        }],
    });
    HomeAccount { key, key_id, doc }
}

/// The in-memory transport: documents served by URL (GET), hosts that are down, and inbox POSTs
/// routed to the server owning the host.
#[derive(Default)]
struct Net {
    docs: Mutex<BTreeMap<String, Vec<u8>>>,
    down: Mutex<BTreeSet<String>>,
}

impl Net {
    fn publish(&self, doc: &Value) {
        let id = doc["id"].as_str().expect("documents have ids").to_owned();
        self.docs
            .lock()
            .unwrap()
            .insert(id, serde_json::to_vec(doc).unwrap());
    }

    fn is_down(&self, url: &str) -> bool {
        self.down.lock().unwrap().contains(&host(url))
    }

    /// GET: `(status, body)`; a host that is down answers like an unreachable one (status 0).
    fn get(&self, url: &str) -> (u16, Vec<u8>) {
        if self.is_down(url) {
            return (0, Vec::new());
        }
        let without_fragment = url.split('#').next().unwrap_or(url);
        match self.docs.lock().unwrap().get(without_fragment) {
            Some(body) => (200, body.clone()),
            None => (404, Vec::new()),
        }
    }

    fn fetched(&self, url: &str) -> Fetched {
        match self.get(url) {
            (0, _) => Fetched::Error,
            (status, body) => adapt::fetched(status, &body, &ReadOptions::default()),
        }
    }

    fn actor(&self, url: &str) -> Option<Actor> {
        let (status, body) = self.get(url);
        (status == 200)
            .then(|| Actor::from_slice(&body, &ReadOptions::default()).ok())
            .flatten()
    }
}

/// The old home: its followers and the `Undo(Follow)`s it received.
#[derive(Default)]
struct OldServer {
    followers: Mutex<BTreeSet<String>>,
    undos: Mutex<BTreeMap<String, u32>>,
}

impl OldServer {
    fn inbox(&self, activity: &Value) -> u16 {
        let follower = activity["actor"].as_str().unwrap_or_default().to_owned();
        if activity["type"] == "Undo"
            && activity["object"]["type"] == "Follow"
            && activity["object"]["object"] == OLD
        {
            self.followers.lock().unwrap().remove(&follower);
            *self.undos.lock().unwrap().entry(follower).or_default() += 1;
            return 202;
        }
        400
    }
}

/// The new home: the move it knows first-hand (its own account is the target), its followers,
/// pending follow requests, and every decision's audit event.
struct NewServer {
    locked: bool,
    moved: MoveRecord,
    followers: Mutex<BTreeSet<String>>,
    pending: Mutex<BTreeSet<String>>,
    follows_received: Mutex<BTreeMap<String, u32>>,
    audit: Mutex<Vec<AuditEvent>>,
}

impl NewServer {
    fn new(locked: bool) -> Self {
        NewServer {
            locked,
            moved: MoveRecord {
                migration_id: MigrationId::new(OLD, NEW).as_str().to_owned(),
                origin: OLD.into(),
                target: NEW.into(),
                activity_id: None,
                verified_at: t0(),
            },
            followers: Mutex::new(BTreeSet::new()),
            pending: Mutex::new(BTreeSet::new()),
            follows_received: Mutex::new(BTreeMap::new()),
            audit: Mutex::new(Vec::new()),
        }
    }

    fn inbox(&self, activity: &Value, old: &OldServer, old_up: bool, now: SystemTime) -> u16 {
        if activity["type"] != "Follow" || activity["object"] != NEW {
            return 400;
        }
        let follower = activity["actor"].as_str().unwrap_or_default().to_owned();
        *self
            .follows_received
            .lock()
            .unwrap()
            .entry(follower.clone())
            .or_default() += 1;
        // Did the old account accept this follower? Asked of the old server while it is up.
        let prior = if old_up && old.followers.lock().unwrap().contains(&follower) {
            PriorFollow::Accepted
        } else {
            PriorFollow::None
        };
        let arriving = ArrivingFollow {
            follower_id: follower.clone(),
            object_id: NEW.into(),
            target_locked: self.locked,
            prior_follow_of_origin: prior,
        };
        let decided = decide_arriving_follow(
            &self.moved,
            &arriving,
            &IncomingFollowPolicy::default(),
            &AcceptAll,
            now,
        );
        if let Some(event) = decided.audit {
            self.audit.lock().unwrap().push(event);
        }
        match decided.decision {
            IncomingDecision::Accept(_) => {
                self.followers.lock().unwrap().insert(follower);
            }
            IncomingDecision::Pending(_) | IncomingDecision::Review(_) => {
                self.pending.lock().unwrap().insert(follower);
            }
            IncomingDecision::Reject(_) => return 403,
        }
        202
    }
}

struct World {
    net: Net,
    old: OldServer,
    new: NewServer,
    old_account: HomeAccount,
    new_account: HomeAccount,
}

impl World {
    fn new(locked: bool) -> Self {
        let old_account = account(OLD, 1);
        let mut new_account = account(NEW, 2);
        // The person sets the alias on the new account first (E4/E5).
        new_account.doc["alsoKnownAs"] = json!([OLD]);
        new_account.doc["manuallyApprovesFollowers"] = json!(locked);
        let net = Net::default();
        net.publish(&old_account.doc);
        net.publish(&new_account.doc);
        for i in 0..FOLLOWERS {
            let id = follower(i);
            net.publish(&json!({
                "@context": AS, "id": id, "type": "Person",
                "inbox": format!("{id}/inbox"),
                "endpoints": {"sharedInbox": "https://f.example/inbox"},
            }));
        }
        let old = OldServer::default();
        old.followers
            .lock()
            .unwrap()
            .extend((0..FOLLOWERS).map(follower).chain([ELSEWHERE.to_owned()]));
        let new = NewServer::new(locked);
        new.followers.lock().unwrap().insert(follower(ALREADY));
        World {
            net,
            old,
            new,
            old_account,
            new_account,
        }
    }

    /// POST into a server's inbox.
    fn post(&self, inbox: &str, activity: &Value, now: SystemTime) -> Option<u16> {
        if self.net.is_down(inbox) {
            return None;
        }
        Some(match host(inbox).as_str() {
            "old.example" => self.old.inbox(activity),
            "new.example" => {
                let old_up = !self.net.is_down(OLD);
                self.new.inbox(activity, &self.old, old_up, now)
            }
            _ => 404,
        })
    }
}

/// A signed inbox delivery: the request head as received and the body.
struct Delivery {
    parts: http::request::Parts,
    body: Vec<u8>,
}

fn sign(
    inbox: &str,
    body: Vec<u8>,
    signer: &HomeAccount,
    scheme: Scheme,
    now: SystemTime,
) -> Delivery {
    let mut req = http::Request::post(inbox)
        .header("content-type", "application/activity+json")
        .body(())
        .unwrap();
    let signed = match scheme {
        Scheme::Cavage => sign_cavage(
            &req,
            &body,
            &signer.key,
            &signer.key_id,
            unix(now),
            &CavageSignOptions::default(),
        ),
        _ => sign_rfc9421(
            &req,
            &body,
            &signer.key,
            &signer.key_id,
            unix(now),
            &Rfc9421SignOptions::default(),
        ),
    }
    .expect("signs");
    signed.apply(&mut req);
    let (parts, ()) = req.into_parts();
    Delivery { parts, body }
}

/// The follower's server: its stores, the documents it cached earlier, and the deliverer its
/// driver uses (a job queue that drops a second job with the same key).
struct FollowerServer<'w> {
    world: &'w World,
    follows: MemoryFollowStore,
    moves: MemoryMoveStore,
    notifier: RecordingNotifier,
    clock: SimulatedClock,
    /// The old actor's document as this server stored it while the old server was up.
    cached_old_actor: Vec<u8>,
}

impl<'w> FollowerServer<'w> {
    fn new(world: &'w World) -> Self {
        let follows = MemoryFollowStore::new();
        for i in 0..FOLLOWERS {
            let id = follower(i);
            follows.add_local(id.clone());
            let settings = if i == PICKY {
                picky_settings()
            } else {
                FollowSettings::default()
            };
            follows.add_follow(id.clone(), OLD, settings, FollowState::Accepted);
        }
        follows.add_follow(
            follower(ALREADY),
            NEW,
            FollowSettings::default(),
            FollowState::Accepted,
        );
        FollowerServer {
            world,
            follows,
            moves: MemoryMoveStore::new(),
            notifier: RecordingNotifier::new(),
            clock: SimulatedClock::new(t0()),
            cached_old_actor: world.net.get(OLD).1,
        }
    }

    /// The inbox: verify the signature, read the Move, run the receiver's pipeline.
    fn receive_move(&self, delivery: &Delivery, pull: bool) -> Decision {
        let net = &self.world.net;
        let now = self.clock.now_();
        let mut verifier = Verifier::new(VerifyPolicy::mastodon());
        let verified = verifier
            .verify_request(
                &delivery.parts,
                &delivery.body,
                unix(now),
                |key_id: &str| {
                    let owner = net.actor(key_id)?;
                    adapt::verification_key(&owner, key_id).ok()
                },
            )
            .expect("the delivery's signature verifies");
        let owner = net.actor(verified.key_id()).expect("key owner document");
        let authentication =
            adapt::http_signature_authentication(&verified, &owner).expect("key owned by actor");
        let facts = adapt::parse_move(&delivery.body, &ReadOptions::default()).expect("reads");
        let mut inbound = InboundMove::new(facts).authenticated_by(authentication);
        let cached = Actor::from_slice(&self.cached_old_actor, &ReadOptions::default())
            .expect("cached old actor reads");
        if pull {
            // The old server is gone: what this server stored of the old actor is the old-side
            // evidence (it names the new account in alsoKnownAs).
            inbound = inbound
                .with_old_side_proof(adapt::old_actor_document(&cached))
                .with_origin_facts(adapt::actor_facts(&cached));
        } else {
            // Push: the signer is the origin; its document (just fetched for the key) goes in.
            inbound = inbound.with_origin_facts(adapt::actor_facts(&owner));
        }
        let config = InboundConfig::default().allow_pull(pull);
        let mut check = MoveCheck::with_config(config, AcceptAll, inbound, now);
        loop {
            match check.next().expect("driven correctly") {
                Step::Fetch(request) => {
                    assert!(request.fresh, "fetches bypass caches");
                    let answer = net.fetched(&request.url);
                    check.handle_fetched(&request.url, answer).expect("fetch");
                }
                Step::Lookup(query) => check
                    .handle_lookup(match query {
                        Query::AlreadyProcessed { .. } => Answer::AlreadyProcessed(None),
                        Query::LastMove { .. } => Answer::LastMove(None),
                        Query::Moderation { .. } => Answer::Moderation(ModerationState::default()),
                        _ => Answer::LocalMovedTo(None),
                    })
                    .expect("lookup"),
                Step::Done { decision, audit } => {
                    assert_eq!(audit.migration_id, Some(MigrationId::new(OLD, NEW)));
                    return decision;
                }
            }
        }
    }

    /// Runs (or resumes) the re-follow plan through the driver.
    fn refollow(
        &self,
        facts: &plan::MoveFacts,
        deliverer: &SimDeliverer<'_>,
        crash_after_batches: Option<u64>,
    ) -> RunOutcome {
        let services = Services {
            follows: &self.follows,
            moves: &self.moves,
            deliverer,
            notifier: &self.notifier,
            clock: &self.clock,
        };
        let config = PlanConfig {
            batch_size: 3,
            page_size: 4,
            ..PlanConfig::default()
        };
        let options = DriverOptions {
            checkpoint_every: 1,
            crash_after_batches,
        };
        block_on(run_plan(facts.clone(), config, &services, &options)).expect("driver runs")
    }

    fn follows_of(&self, followed: &str) -> BTreeSet<String> {
        self.follows
            .followers_of(followed)
            .into_iter()
            .map(|(f, _)| f)
            .collect()
    }
}

trait NowExt {
    fn now_(&self) -> SystemTime;
}

impl NowExt for SimulatedClock {
    fn now_(&self) -> SystemTime {
        fep7628::store::Clock::now(self)
    }
}

/// The follower server's delivery queue: POSTs each action's activity into the destination's
/// inbox, drops a job whose key it already delivered (exactly-once effect of at-least-once
/// hand-out), and counts hand-outs.
struct SimDeliverer<'w> {
    world: &'w World,
    clock: &'w SimulatedClock,
    delivered: Mutex<BTreeSet<ActionKey>>,
    handed_out: Mutex<BTreeMap<ActionKey, u32>>,
}

impl<'w> SimDeliverer<'w> {
    fn new(world: &'w World, clock: &'w SimulatedClock) -> Self {
        SimDeliverer {
            world,
            clock,
            delivered: Mutex::new(BTreeSet::new()),
            handed_out: Mutex::new(BTreeMap::new()),
        }
    }

    fn deliver_now(&self, batch: &Batch) -> Vec<(ActionKey, DeliveryOutcome)> {
        let Destination::Inbox(inbox) = &batch.destination else {
            panic!("the driver only hands inbox batches to the deliverer")
        };
        let now = self.clock.now_();
        let mut out = Vec::new();
        for action in &batch.actions {
            *self
                .handed_out
                .lock()
                .unwrap()
                .entry(action.key)
                .or_default() += 1;
            if self.delivered.lock().unwrap().contains(&action.key) {
                out.push((action.key, DeliveryOutcome::Delivered));
                continue;
            }
            let activity = action
                .activity_json(&format!("https://f.example/activities/{}", action.key))
                .expect("follow and undo are activities");
            let outcome = match self.world.post(inbox, &activity, now) {
                Some(status) if (200..300).contains(&status) => {
                    self.delivered.lock().unwrap().insert(action.key);
                    DeliveryOutcome::Delivered
                }
                Some(status) => DeliveryOutcome::Failed {
                    reason: format!("HTTP {status}"),
                    permanent: true,
                },
                None => DeliveryOutcome::Failed {
                    reason: "connection refused".into(),
                    permanent: false,
                },
            };
            out.push((action.key, outcome));
        }
        out
    }
}

impl Deliverer for SimDeliverer<'_> {
    fn deliver(
        &self,
        batch: &Batch,
    ) -> impl Future<Output = Vec<(ActionKey, DeliveryOutcome)>> + Send {
        ready(self.deliver_now(batch))
    }
}

/// The old server's side of a push migration: preflight (target fetched fresh over the
/// network), `movedTo` on its actor, the Move, and one signed delivery per follower server.
fn old_server_sends_move(world: &mut World, scheme: Scheme) -> Vec<(String, Delivery)> {
    let origin = adapt::parse_actor(
        &serde_json::to_vec(&world.old_account.doc).unwrap(),
        &ReadOptions::default(),
    )
    .unwrap();
    let mut preflight = Preflight::new(origin, NEW, t0()).with_last_move(None);
    let cleared = loop {
        match preflight.next().expect("preflight") {
            PreflightStep::Fetch(request) => {
                let answer = world.net.fetched(&request.url);
                preflight.handle_fetched(&request.url, answer).unwrap();
            }
            PreflightStep::Cleared(cleared) => break cleared,
        }
    };
    let update = moved_to_update(&world.old_account.doc, &cleared, "01JDUPDATE").unwrap();
    world.old_account.doc = update.actor.clone();
    world.net.publish(&update.actor);
    let mv = OutboundMove::new(&cleared, &format!("{OLD}/followers"), "01JDMOVE").unwrap();
    let body = serde_json::to_vec(&mv.to_json()).unwrap();
    // One delivery per follower server (shared inboxes), from the old server's followers.
    let endpoints: Vec<Endpoint> = world
        .old
        .followers
        .lock()
        .unwrap()
        .iter()
        .filter_map(|id| {
            let facts = match world.net.fetched(id) {
                Fetched::Actor(f) => f,
                _ => return None,
            };
            let inbox = facts.inbox?;
            Some(match facts.shared_inbox {
                Some(shared) => Endpoint::with_shared(inbox, shared),
                None => Endpoint::inbox(inbox),
            })
        })
        .collect();
    let mut list = DeliveryList::new();
    list.stream(endpoints)
        .map(|inbox| {
            let d = sign(&inbox, body.clone(), &world.old_account, scheme, t0());
            (inbox, d)
        })
        .collect()
}

/// Checks the final follow graph on all three servers after a completed push migration.
fn assert_migrated(world: &World, fs: &FollowerServer<'_>, report: &PlanReport) {
    let all: BTreeSet<String> = (0..FOLLOWERS).map(follower).collect();
    // The follower's server: everyone follows the new account, nobody the old one.
    assert_eq!(fs.follows_of(NEW), all);
    assert!(fs.follows_of(OLD).is_empty(), "{:?}", fs.follows_of(OLD));
    let picky = fs
        .follows
        .followers_of(NEW)
        .into_iter()
        .find(|(f, _)| *f == follower(PICKY))
        .expect("picky follows")
        .1;
    assert_eq!(
        picky.settings,
        picky_settings(),
        "settings copied (E14/§1.8 #41)"
    );
    // The new server: every follower, each Follow received exactly once (none for the one who
    // already followed).
    assert_eq!(*world.new.followers.lock().unwrap(), all);
    let received = world.new.follows_received.lock().unwrap().clone();
    let expected: BTreeMap<String, u32> = all
        .iter()
        .filter(|f| **f != follower(ALREADY))
        .map(|f| (f.clone(), 1))
        .collect();
    assert_eq!(received, expected, "each Follow delivered exactly once");
    // Every arriving follow is audited under the migration id.
    let audit = world.new.audit.lock().unwrap();
    assert_eq!(audit.len(), FOLLOWERS - 1);
    assert!(
        audit
            .iter()
            .all(|e| e.migration_id == Some(MigrationId::new(OLD, NEW)))
    );
    // The old server: the follower server's accounts are gone, each undone exactly once; the
    // follower elsewhere is untouched.
    assert_eq!(
        *world.old.followers.lock().unwrap(),
        BTreeSet::from([ELSEWHERE.to_owned()])
    );
    let undos = world.old.undos.lock().unwrap().clone();
    assert_eq!(undos, all.iter().map(|f| (f.clone(), 1)).collect());
    // The report.
    let c = &report.counts;
    assert!(report.finished);
    assert_eq!(c.followers_planned, FOLLOWERS as u64);
    assert_eq!(c.follows_sent, FOLLOWERS as u64 - 1);
    assert_eq!(c.already_following, 1);
    assert_eq!(c.undos_sent, FOLLOWERS as u64);
    assert_eq!(c.notifications_sent, FOLLOWERS as u64);
    assert_eq!((c.failed_actions, c.failed_followers), (0, 0));
    assert_eq!(fs.notifier.notifications().len(), FOLLOWERS);
}

/// One push migration end to end; `crash` stops the first driver run after that many batches.
fn push_migration(scheme: Scheme, crash: Option<u64>) -> (World, u32) {
    let mut world = World::new(false);
    let deliveries = old_server_sends_move(&mut world, scheme);
    assert_eq!(
        deliveries.len(),
        1,
        "one shared inbox on the follower server"
    );
    let (inbox, delivery) = &deliveries[0];
    assert_eq!(inbox, "https://f.example/inbox");

    let fs = FollowerServer::new(&world);
    let decision = fs.receive_move(delivery, false);
    let Decision::Accept(verified) = decision else {
        panic!("the Move is accepted: {decision:?}")
    };
    assert_eq!((verified.origin(), verified.target()), (OLD, NEW));
    let facts = plan::MoveFacts::from_verified(&verified, false).expect("plan facts");
    assert_eq!(facts.target.delivery_inbox(), "https://new.example/inbox");
    assert_eq!(facts.origin.delivery_inbox(), "https://old.example/inbox");

    let deliverer = SimDeliverer::new(&world, &fs.clock);
    if let Some(n) = crash {
        assert_eq!(
            fs.refollow(&facts, &deliverer, Some(n)),
            RunOutcome::Crashed
        );
        // The crash left work undone: somebody still follows the old account.
        assert!(!fs.follows_of(OLD).is_empty(), "crashed before the end");
        assert!(fs.moves.checkpoint_json(&facts.migration_id).is_some());
    }
    let RunOutcome::Finished(report) = fs.refollow(&facts, &deliverer, None) else {
        panic!("the plan finishes")
    };
    assert_migrated(&world, &fs, &report);
    let handed_out_again = deliverer
        .handed_out
        .lock()
        .unwrap()
        .values()
        .filter(|n| **n > 1)
        .count() as u32;
    drop(deliverer);
    drop(fs);
    (world, handed_out_again)
}

#[test]
fn push_migration_signed_with_cavage_moves_every_follower_exactly_once() {
    let (world, again) = push_migration(Scheme::Cavage, None);
    assert_eq!(again, 0, "nothing handed out twice without a crash");
    // The old account now says where it went.
    let old = adapt::parse_actor(
        &serde_json::to_vec(&world.old_account.doc).unwrap(),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(old.moved_to.as_deref(), Some(NEW));
}

#[test]
fn push_migration_signed_with_rfc9421_moves_every_follower_exactly_once() {
    let (_, again) = push_migration(Scheme::Rfc9421, None);
    assert_eq!(again, 0);
}

#[test]
fn crash_mid_plan_resumes_from_the_checkpoint_without_duplicate_or_lost_follows() {
    let mut resent = 0;
    for crash_after in [1, 2, 5, 9] {
        // `push_migration` checks that the crash left work undone and that, after the restart,
        // every follow and undo took effect exactly once (`assert_migrated`).
        let (_, again) = push_migration(Scheme::Cavage, Some(crash_after));
        resent += again;
    }
    // Where the crash hit a remote batch, it was handed out again after the restart and the
    // queue dropped the duplicates (a crash in a local batch re-does idempotent local writes).
    assert!(resent > 0, "some crash hit a delivery in progress");
}

#[test]
fn a_forged_move_signed_by_another_key_is_refused_and_moves_nobody() {
    let mut world = World::new(false);
    let deliveries = old_server_sends_move(&mut world, Scheme::Cavage);
    let (inbox, genuine) = &deliveries[0];
    // Mallory publishes her own actor and signs the same Move body with her key.
    let mallory = account("https://evil.example/users/mallory", 9);
    world.net.publish(&mallory.doc);
    let forged = sign(inbox, genuine.body.clone(), &mallory, Scheme::Cavage, t0());
    let fs = FollowerServer::new(&world);
    let decision = fs.receive_move(&forged, false);
    let Decision::Reject(rejection) = decision else {
        panic!("forged Move must be rejected: {decision:?}")
    };
    assert_eq!(rejection.kind(), "signer_mismatch");
    assert_eq!(fs.follows_of(OLD).len(), FOLLOWERS);
    assert!(world.new.follows_received.lock().unwrap().is_empty());
}

#[test]
fn locked_target_auto_accepts_followers_the_old_account_had_accepted() {
    let mut world = World::new(true);
    let deliveries = old_server_sends_move(&mut world, Scheme::Cavage);
    let fs = FollowerServer::new(&world);
    let Decision::Accept(verified) = fs.receive_move(&deliveries[0].1, false) else {
        panic!("accepted")
    };
    let facts = plan::MoveFacts::from_verified(&verified, false).unwrap();
    assert!(facts.target_locked);
    let deliverer = SimDeliverer::new(&world, &fs.clock);
    let RunOutcome::Finished(report) = fs.refollow(&facts, &deliverer, None) else {
        panic!("finishes")
    };
    // Follow requests (E13), auto-accepted on arrival because the old account had accepted
    // each follower (Misskey PR #10592): no pending request for the account holder.
    assert_eq!(report.counts.follow_requests_sent, FOLLOWERS as u64 - 1);
    let all: BTreeSet<String> = (0..FOLLOWERS).map(follower).collect();
    assert_eq!(*world.new.followers.lock().unwrap(), all);
    assert!(world.new.pending.lock().unwrap().is_empty());
    // Default UnfollowOrigin: the old follow is undone once the request was delivered.
    assert_eq!(world.old.undos.lock().unwrap().len(), FOLLOWERS);
}

#[test]
fn pull_migration_with_the_old_server_down() {
    let world = World::new(false);
    // The follower's server stored the old actor while it was up; by then the person had
    // added the new account to its alsoKnownAs (the old-side proof of pull mode, E3).
    let mut old_doc = world.old_account.doc.clone();
    old_doc["alsoKnownAs"] = json!([NEW]);
    world.net.publish(&old_doc);
    let fs = FollowerServer::new(&world);
    world.net.down.lock().unwrap().insert("old.example".into());
    assert_eq!(world.net.get(OLD).0, 0, "the old server is gone");

    // The new server: the follower list the person kept (plain actor ids, as exported), the
    // pull preflight with the old-side proof, and the Move sent by the new account.
    let kept = (0..FOLLOWERS)
        .map(follower)
        .chain([NEW.to_owned(), "not an actor".to_owned()])
        .collect::<Vec<_>>()
        .join("\n");
    let ids: Vec<String> =
        FollowerListReader::new(kept.as_bytes(), ListFormat::Auto, ListLimits::default())
            .filter_map(Result::ok)
            .filter_map(|entry| match entry.account {
                Account::ActorId(id) => Some(id),
                _ => None,
            })
            .collect();
    let new_facts = adapt::parse_actor(
        &serde_json::to_vec(&world.new_account.doc).unwrap(),
        &ReadOptions::default(),
    )
    .unwrap();
    let old_actor = Actor::from_slice(&fs.cached_old_actor, &ReadOptions::default()).unwrap();
    let proof: OldSideProof = adapt::old_actor_document(&old_actor);
    let cleared = preflight_pull(
        &new_facts,
        OLD,
        &[proof],
        None,
        Duration::from_secs(30 * 24 * 3600),
        t0(),
    )
    .expect("pull preflight clears");
    let mv = OutboundMove::new(&cleared, &format!("{NEW}/followers"), "01JDPULL").unwrap();
    assert_eq!(mv.to_json()["actor"], NEW, "pull mode: actor == target");
    let body = serde_json::to_vec(&mv.to_json()).unwrap();
    let mut list = DeliveryList::new();
    let endpoints: Vec<Endpoint> = pull_recipients(ids, &cleared)
        .filter_map(|id| match world.net.fetched(&id) {
            Fetched::Actor(ActorFacts {
                inbox: Some(inbox),
                shared_inbox: Some(shared),
                ..
            }) => Some(Endpoint::with_shared(inbox, shared)),
            _ => None,
        })
        .collect();
    let inboxes: Vec<String> = list.stream(endpoints).collect();
    assert_eq!(inboxes, ["https://f.example/inbox"]);
    let delivery = sign(&inboxes[0], body, &world.new_account, Scheme::Rfc9421, t0());

    // The follower's server accepts the pull-mode Move on the old side's evidence.
    let decision = fs.receive_move(&delivery, true);
    let Decision::Accept(verified) = decision else {
        panic!("pull Move accepted: {decision:?}")
    };
    let facts = plan::MoveFacts::from_verified(&verified, false).unwrap();
    let deliverer = SimDeliverer::new(&world, &fs.clock);
    let RunOutcome::Finished(report) = fs.refollow(&facts, &deliverer, None) else {
        panic!("finishes")
    };
    // Everyone follows the new account, each Follow received once.
    let all: BTreeSet<String> = (0..FOLLOWERS).map(follower).collect();
    assert_eq!(fs.follows_of(NEW), all);
    assert_eq!(*world.new.followers.lock().unwrap(), all);
    assert!(
        world
            .new
            .follows_received
            .lock()
            .unwrap()
            .values()
            .all(|n| *n == 1)
    );
    // The undos cannot reach the dead server: retried, then reported — never lost silently,
    // never blocking the follows. The old follow rows stay for a later retry.
    let c = &report.counts;
    assert_eq!(c.follows_sent, FOLLOWERS as u64 - 1);
    assert_eq!(c.undos_sent, 0);
    assert_eq!(c.failed_actions, FOLLOWERS as u64);
    assert_eq!(
        c.failed_followers, 0,
        "the follows themselves all succeeded"
    );
    assert!(c.retries > 0);
    assert_eq!(fs.follows_of(OLD), all);
    assert!(world.old.undos.lock().unwrap().is_empty());
}
