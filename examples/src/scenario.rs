//! The end-to-end migration: three servers, accounts and followers, the alias, the Move, the
//! follower server's pipeline under its moderation policy (the default run's Move is held for
//! review and a moderator approves it through the review queue), the audited re-follow plan,
//! what the migration brought (read back from the audit log), and the before/after check.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use anyhow::{Context, anyhow, bail};
use fep7628::inbound::{Authentication, Fetched, InboundMove, MoveFacts as InboundFacts};
use fep7628::moderation::PolicyFile;
use fep7628::outbound::{
    DeliveryList, Endpoint, OutboundMove, Preflight, PreflightStep, moved_to_update,
};
use fep7628::plan::FollowSettings;
use fep7628::review::{ReviewId, approve, what_migration_brought};
use fep7628::store::{FollowState, ReviewStore};
use tokio::sync::mpsc;

use crate::db::{Database, RunStorage};
use crate::keys::{ServerKeys, SignatureScheme};
use crate::server::{Event, Inner, Log, Server, ServerConfig, local_actor_facts};

/// Who sends the Move.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// The old account (push mode): `actor == object`.
    Push,
    /// The new account (pull mode): `actor == target`; the old side's evidence is a FEP-c390
    /// identity subject both accounts share.
    Pull,
}

/// What to run.
#[derive(Clone, Debug)]
pub struct Config {
    /// Push or pull.
    pub mode: Mode,
    /// Stop the old server before the Move (pull mode: the reason to pull).
    pub old_server_down: bool,
    /// Leave out the alias on the new account (the migration must then fail).
    pub skip_alias: bool,
    /// Local followers of the old account on the follower's server.
    pub followers: usize,
    /// Local followers of the old account on the old server itself.
    pub old_local_followers: usize,
    /// Outgoing signature scheme.
    pub scheme: SignatureScheme,
    /// RSA-2048 server keys for cavage (else Ed25519, `hs2019`).
    pub rsa: bool,
    /// Stop the follower server's plan after one batch, restart the server from its database
    /// and resume.
    pub restart_follower_mid_plan: bool,
    /// Actions per delivery batch.
    pub batch_size: usize,
    /// Print nothing.
    pub quiet: bool,
    /// Give up after this long.
    pub timeout: Duration,
    /// Where the servers keep their data (SQLite by default, or PostgreSQL).
    pub database: Database,
    /// The moderation policy file (TOML) every server applies to arriving Moves; by default
    /// [`DEFAULT_POLICY`].
    pub policy_toml: String,
}

/// `examples/arrivals-policy.toml`: Moves that would take more than 20 of a server's accounts
/// along are held for review (so is the default run's, with 50 followers).
pub const DEFAULT_POLICY: &str = include_str!("../arrivals-policy.toml");

impl Default for Config {
    fn default() -> Self {
        Config {
            mode: Mode::Push,
            old_server_down: false,
            skip_alias: false,
            followers: 50,
            old_local_followers: 3,
            scheme: SignatureScheme::Cavage,
            rsa: true,
            restart_follower_mid_plan: false,
            batch_size: 10,
            quiet: false,
            timeout: Duration::from_secs(120),
            database: Database::default(),
            policy_toml: DEFAULT_POLICY.to_owned(),
        }
    }
}

/// Follower counts at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    /// Followers of the old account (old server's view, local and remote).
    pub old_followers: u64,
    /// Followers of the new account (new server's view).
    pub new_followers: u64,
    /// Accounts on the follower's server following the old account.
    pub follower_server_following_old: u64,
    /// Accounts on the follower's server following the new account.
    pub follower_server_following_new: u64,
}

/// The result of a run.
#[derive(Clone, Debug)]
pub struct Outcome {
    /// Before the Move.
    pub before: Counts,
    /// After the plans finished.
    pub after: Counts,
    /// `Follow` activities the new server received, and from how many distinct actors.
    pub follows_received: (u64, u64),
    /// Whether the follower's server was restarted mid-plan.
    pub restarted: bool,
    /// Held Moves a moderator approved, by server.
    pub reviews_approved: Vec<(&'static str, ReviewId)>,
    /// Follows (and follow requests) the follower's server's audit log says the migration
    /// created: one per follower moved, also across a restart.
    pub follows_audited: u64,
    /// Every check that failed (empty = the migration completed).
    pub problems: Vec<String>,
}

impl Outcome {
    /// Whether the migration completed.
    pub fn ok(&self) -> bool {
        self.problems.is_empty()
    }
}

/// The servers of the example, each with its own database (file or schema).
pub const SERVERS: [&str; 3] = ["old", "new", "follower"];

/// Runs the scenario with an overall timeout: prepares empty storage for the three servers in
/// the chosen database, runs the migration, and removes the run's data again (also when the
/// run failed or timed out).
pub async fn run(config: Config) -> anyhow::Result<Outcome> {
    let timeout = config.timeout;
    let deadline = tokio::time::Instant::now() + timeout;
    let late = || anyhow!("migration did not complete within {} s", timeout.as_secs());
    let nanos = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let token = format!("{}_{nanos:x}", std::process::id());
    let storage = tokio::time::timeout_at(
        deadline,
        RunStorage::prepare(&config.database, &token, &SERVERS),
    )
    .await
    .map_err(|_| late())?
    .with_context(|| format!("preparing {}", config.database))?;
    let result = tokio::time::timeout_at(deadline, run_inner(config, &storage, nanos))
        .await
        .map_err(|_| late())
        .and_then(|r| r);
    let cleaned = tokio::time::timeout(Duration::from_secs(30), storage.cleanup())
        .await
        .map_err(|_| anyhow!("timed out"))
        .and_then(|r| r);
    match (result, cleaned) {
        (Err(e), _) => Err(e),
        (Ok(_), Err(e)) => Err(e.context("the migration ran, but removing its data failed")),
        (Ok(outcome), Ok(())) => Ok(outcome),
    }
}

async fn counts(
    old: &Inner,
    new: &Inner,
    follower: &Inner,
    old_id: &str,
    new_id: &str,
) -> anyhow::Result<Counts> {
    Ok(Counts {
        old_followers: old.db.follower_count(old_id).await?,
        new_followers: new.db.follower_count(new_id).await?,
        follower_server_following_old: follower.db.local_following_count(old_id).await?,
        follower_server_following_new: follower.db.local_following_count(new_id).await?,
    })
}

/// The moderator of `server`: reads the held item from its review queue, approves it through
/// the `ReviewStore` (which audits the decision), and lets the server carry it out.
async fn moderate(log: &Log, server: &Arc<Inner>, id: &ReviewId) -> anyhow::Result<()> {
    let item = server
        .db
        .review(id)
        .await?
        .ok_or_else(|| anyhow!("review item {} is not in the queue", id.as_str()))?;
    let queued = server.db.pending_reviews(None, 100).await?.len();
    let reasons: Vec<&str> = item
        .evidence
        .reasons
        .iter()
        .map(|r| r.detail.as_str())
        .collect();
    log.step(
        "moderator",
        format!(
            "{} review queue: {queued} pending; {} ({} -> {}) held: {}; evidence: {} documents \
             with their SHA-256, {} persona links",
            server.name,
            item.id.as_str(),
            item.subject.origin(),
            item.subject.target(),
            reasons.join("; "),
            item.evidence.documents.len(),
            item.evidence.links.len()
        ),
    );
    let next = approve(&server.db, id, "moderator", SystemTime::now()).await?;
    log.step(
        "moderator",
        format!(
            "approved {}; the server records the Move and runs its plan",
            id.as_str()
        ),
    );
    tokio::spawn(server.clone().execute_decision(next));
    Ok(())
}

/// Prints what each finished migration brought to its server, read back from the audit log;
/// returns the follows the follower's server's log records.
async fn audit_summary(log: &Log, finished: &[(Arc<Inner>, String)]) -> anyhow::Result<u64> {
    let mut follower_follows = 0;
    for (server, migration_id) in finished {
        let summary = what_migration_brought(&server.db, migration_id, 1_000_000).await?;
        let decisions: Vec<String> = summary
            .decisions
            .iter()
            .map(|d| d.kind.as_str().to_owned())
            .collect();
        log.step(
            "audit",
            format!(
                "{}: migration {migration_id} brought {} follows, undid {} follows of the old \
                 account ({} audit entries; decisions: {})",
                server.name,
                summary.follows_created.len(),
                summary.origin_follows_undone.len(),
                summary.entries,
                decisions.join(", ")
            ),
        );
        if server.name == "follower" {
            follower_follows += summary.follows_created.len() as u64;
        }
    }
    Ok(follower_follows)
}

async fn run_inner(config: Config, storage: &RunStorage, nanos: u128) -> anyhow::Result<Outcome> {
    let log = Log::new(config.quiet);
    log.step("setup", format!("storage: {}", storage.database()));
    let policy = Arc::new(
        PolicyFile::from_toml_str(&config.policy_toml)
            .map_err(|e| anyhow!("moderation policy: {e}"))?,
    );
    let policies: Vec<String> = policy
        .summary()
        .iter()
        .filter_map(|p| p["policy"].as_str().map(str::to_owned))
        .collect();
    log.step(
        "setup",
        format!("moderation policy on every server: {}", policies.join(", ")),
    );

    let kind = if config.rsa { "RSA-2048" } else { "Ed25519" };
    log.step(
        "setup",
        format!("generating {kind} server keys (x3) and Ed25519 account keys"),
    );
    let keys = tokio::task::spawn_blocking(move || -> anyhow::Result<Vec<ServerKeys>> {
        (0..3).map(|_| ServerKeys::generate(config.rsa)).collect()
    })
    .await??;
    let (events_tx, mut events) = mpsc::unbounded_channel::<Event>();
    let server_config = ServerConfig {
        scheme: config.scheme,
        crash_after_batches: None,
        batch_size: config.batch_size,
        policy,
    };
    let start = |name: &'static str, port: u16, keys: ServerKeys, crash: Option<u64>| {
        let mut cfg = server_config.clone();
        cfg.crash_after_batches = crash;
        Server::start(
            name,
            port,
            storage.location(name),
            keys,
            cfg,
            events_tx.clone(),
            log.clone(),
        )
    };
    let [old_keys, new_keys, follower_keys] =
        <[ServerKeys; 3]>::try_from(keys).map_err(|_| anyhow!("key generation"))?;
    let old = start("old", 0, old_keys, None).await?;
    let new = start("new", 0, new_keys, None).await?;
    let crash = config.restart_follower_mid_plan.then_some(1);
    let mut follower = start("follower", 0, follower_keys.clone(), crash).await?;
    for s in [&old, &new, &follower] {
        s.inner
            .step(format!("listening on {} ({})", s.inner.base, s.location));
    }
    let (o, n) = (old.inner.clone(), new.inner.clone());

    // Accounts.
    o.db.create_account("alice").await?;
    n.db.create_account("alice").await?;
    let old_id = o.actor_id("alice");
    let old_locals: Vec<String> = (0..config.old_local_followers)
        .map(|i| format!("friend{i:02}"))
        .collect();
    for u in &old_locals {
        o.db.create_account(u).await?;
        o.db.put_follow(
            &o.actor_id(u),
            &old_id,
            &FollowSettings::default(),
            FollowState::Accepted,
        )
        .await?;
    }
    let new_id = n.actor_id("alice");
    let mut person_did = None;
    if config.mode == Mode::Pull {
        // The person's own key signs a FEP-c390 identity statement on both accounts.
        use identity_links::fep_c390::{VerificationMethodForm, create_identity_proof};
        let mut seed = [0u8; 32];
        rand_core::RngCore::fill_bytes(&mut rand_core::OsRng, &mut seed);
        let person = ed25519_dalek::SigningKey::from_bytes(&seed);
        let created = "2025-01-01T00:00:00Z";
        let form = VerificationMethodForm::BareDid;
        let on_old = create_identity_proof(&old_id, &person, created, form)?;
        let on_new = create_identity_proof(&new_id, &person, created, form)?;
        person_did = on_old["subject"].as_str().map(str::to_owned);
        o.db.set_attachment("alice", &[on_old]).await?;
        n.db.set_attachment("alice", &[on_new]).await?;
        log.step(
            "setup",
            format!(
                "both alices carry a FEP-c390 identity statement for {}",
                person_did.as_deref().unwrap_or("?")
            ),
        );
    }
    let users: Vec<String> = (0..config.followers)
        .map(|i| format!("user{i:03}"))
        .collect();
    {
        let f = &follower.inner;
        for u in &users {
            f.db.create_account(u).await?;
        }
        f.step(format!(
            "created {} accounts; each follows alice on the old server",
            users.len()
        ));
        // Each follower resolves alice by WebFinger and follows her with a signed Follow.
        let resolved = f.webfinger(&o.base, "alice").await?;
        let alice = f.fetch_actor(&resolved).await?;
        // Keep the document as fetched: the fallback when its server is offline.
        let copy = f.get(&resolved).await?;
        f.db.store_actor_document(&resolved, &copy.body).await?;
        let inbox = alice
            .inbox()
            .ok_or_else(|| anyhow!("old alice has no inbox"))?
            .to_owned();
        for u in &users {
            let me = f.actor_id(u);
            let follow = serde_json::json!({
                "@context": "https://www.w3.org/ns/activitystreams",
                "id": format!("{me}/follows/1"),
                "type": "Follow", "actor": me, "object": resolved,
            });
            let status = f.post_signed(u, &inbox, &follow).await?;
            if !(200..300).contains(&status) {
                bail!("Follow from {me} refused: HTTP {status}");
            }
            f.db.put_follow(
                &me,
                &resolved,
                &FollowSettings::default(),
                FollowState::Accepted,
            )
            .await?;
        }
    }
    let before = counts(&o, &n, &follower.inner, &old_id, &new_id).await?;
    log.step(
        "before",
        format!(
            "old alice has {} followers ({} on the follower's server, {} local); new alice has {}",
            before.old_followers,
            before.follower_server_following_old,
            config.old_local_followers,
            before.new_followers
        ),
    );

    // The alias: the new account names the old one (found by WebFinger).
    let old_resolved = n.webfinger(&o.base, "alice").await?;
    if config.skip_alias {
        n.step("alice does NOT set alsoKnownAs (--skip-alias)");
    } else {
        n.db.set_aliases("alice", std::slice::from_ref(&old_resolved))
            .await?;
        n.step(format!("alice sets alsoKnownAs = [{old_resolved}]"));
    }

    if config.mode == Mode::Pull {
        return pull(
            config,
            log,
            o,
            n,
            old,
            new,
            follower,
            events,
            old_resolved,
            person_did,
            before,
            nanos,
        )
        .await;
    }

    // The old server: preflight, movedTo, Update and Move to every follower inbox.
    let new_resolved = o.webfinger(&n.base, "alice").await?;
    let old_doc = o
        .actor_json("alice")
        .await?
        .ok_or_else(|| anyhow!("old alice vanished"))?;
    let mut preflight = Preflight::new(
        local_actor_facts(&old_doc)?,
        &new_resolved,
        SystemTime::now(),
    )
    .with_last_move(None);
    let cleared = loop {
        match preflight.next()? {
            PreflightStep::Fetch(request) => {
                o.step(format!("preflight: fetch {} fresh", request.url));
                let fetched = o.get(&request.url).await;
                let answer = fep7628::adapt::fetched_result(&fetched, &Default::default());
                if !matches!(answer, Fetched::Actor(_)) {
                    bail!("preflight fetch of {} gave {answer:?}", request.url);
                }
                preflight.handle_fetched(&request.url, answer)?;
            }
            PreflightStep::Cleared(c) => break c,
        }
    };
    o.step("preflight: cleared (target aliases origin, not moved, no cooldown)");
    let token = format!("{nanos:x}");
    let update = moved_to_update(&old_doc, &cleared, &format!("u{token}"))?;
    o.db.set_moved_to("alice", &new_resolved).await?;
    let aliases: Vec<String> = update.actor["alsoKnownAs"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    o.db.set_aliases("alice", &aliases).await?;
    o.step(format!("alice now has movedTo = {new_resolved}"));
    let mv = OutboundMove::new(
        &cleared,
        &format!("{old_id}/followers"),
        &format!("m{token}"),
    )?;
    let move_json = mv.to_json();

    let inboxes = follower_inboxes(&o, &old_id).await?;
    for inbox in &inboxes {
        let s1 = o.post_signed("alice", inbox, &update.update).await?;
        let s2 = o.post_signed("alice", inbox, &move_json).await?;
        o.step(format!(
            "sent Update (HTTP {s1}) and Move {} (HTTP {s2}) to {inbox}",
            mv.id()
        ));
        if !(200..300).contains(&s2) {
            bail!("Move refused by {inbox}: HTTP {s2}");
        }
    }
    // The old server's own local followers: it runs the same pipeline on its own Move.
    let mut expected_plans = 1;
    if !old_locals.is_empty() {
        expected_plans += 1;
        let facts = InboundFacts::new(
            mv.id(),
            old_id.clone(),
            old_id.clone(),
            new_resolved.clone(),
        );
        let inbound = InboundMove::new(facts)
            .authenticated_by(Authentication::HttpSignature {
                signer_actor_id: old_id.clone(),
            })
            .with_origin_facts(local_actor_facts(&old_doc)?);
        o.step("processing the Move for local followers");
        tokio::spawn(
            o.clone()
                .process_move(inbound, old_id.clone(), new_resolved.clone()),
        );
    }

    // Wait for the plans (restarting the follower's server if asked).
    let mut finished = Vec::new();
    let mut restarted = false;
    let mut problems = Vec::new();
    let mut reviews_approved = Vec::new();
    while finished.len() < expected_plans {
        let event = events
            .recv()
            .await
            .ok_or_else(|| anyhow!("event channel closed"))?;
        match event {
            Event::PlanFinished {
                failed,
                server,
                migration_id,
                ..
            } => {
                let inner = if server == "old" { &o } else { &follower.inner };
                finished.push((inner.clone(), migration_id));
                if failed > 0 {
                    problems.push(format!("{failed} followers failed"));
                }
            }
            Event::MoveHeld { server, review } => {
                let inner = if server == "old" { &o } else { &follower.inner };
                moderate(&log, inner, &review).await?;
                reviews_approved.push((server, review));
            }
            Event::PlanCrashed { server: "follower" } => {
                let port = follower.port();
                let location = follower.location.clone();
                follower
                    .inner
                    .step("stopping the server: listener closed, in-memory state dropped");
                follower.stop().await;
                follower = start("follower", port, follower_keys.clone(), None).await?;
                follower.inner.step(format!(
                    "restarted on {} from {location}",
                    follower.inner.base
                ));
                let n = follower.inner.resume_plans().await?;
                follower.inner.step(format!(
                    "found {n} unfinished plan(s) in its database; resuming"
                ));
                restarted = true;
            }
            Event::PlanCrashed { server } => bail!("{server}: plan stopped unexpectedly"),
            Event::Failed { server, reason } => bail!("{server}: {reason}"),
        }
    }

    let follows_audited = audit_summary(&log, &finished).await?;
    let after = counts(&o, &n, &follower.inner, &old_id, &new_id).await?;
    let follows_received = n.db.received_counts("Follow", &new_id).await?;
    if follows_audited != before.follower_server_following_old {
        problems.push(format!(
            "the follower's server audited {follows_audited} follows, expected {}",
            before.follower_server_following_old
        ));
    }
    let expect_new = before.old_followers + before.new_followers;
    if after.new_followers != expect_new {
        problems.push(format!(
            "new alice has {} followers, expected {expect_new}",
            after.new_followers
        ));
    }
    if after.old_followers != 0 {
        problems.push(format!(
            "old alice still has {} followers",
            after.old_followers
        ));
    }
    if after.follower_server_following_new != before.follower_server_following_old {
        problems.push(format!(
            "{} accounts on the follower's server follow new alice, expected {}",
            after.follower_server_following_new, before.follower_server_following_old
        ));
    }
    if after.follower_server_following_old != 0 {
        problems.push(format!(
            "{} accounts on the follower's server still follow old alice",
            after.follower_server_following_old
        ));
    }
    if follows_received.0 != follows_received.1 || follows_received.1 != after.new_followers {
        problems.push(format!(
            "new server received {} Follow activities from {} actors for {} followers (duplicates or losses)",
            follows_received.0, follows_received.1, after.new_followers
        ));
    }
    if config.restart_follower_mid_plan && !restarted {
        problems.push("the follower's server was not restarted".into());
    }
    log.step(
        "after",
        format!(
            "old alice has {} followers; new alice has {} ({} Follow activities received, {} distinct)",
            after.old_followers, after.new_followers, follows_received.0, follows_received.1
        ),
    );
    old.stop().await;
    new.stop().await;
    follower.stop().await;
    Ok(Outcome {
        before,
        after,
        follows_received,
        restarted,
        reviews_approved,
        follows_audited,
        problems,
    })
}

async fn follower_inboxes(o: &Inner, old_id: &str) -> anyhow::Result<Vec<String>> {
    let mut list = DeliveryList::new();
    let mut inboxes = Vec::new();
    for (_, remote) in o.db.followers_with_inboxes(old_id).await? {
        if let Some((inbox, shared)) = remote {
            let endpoint = match shared {
                Some(s) => Endpoint::with_shared(inbox, s),
                None => Endpoint::inbox(inbox),
            };
            if let Some(i) = list.offer(&endpoint) {
                inboxes.push(i);
            }
        }
    }
    Ok(inboxes)
}

/// Pull mode: the new account sends the Move; the old server may be down.
#[allow(clippy::too_many_arguments)]
async fn pull(
    config: Config,
    log: Log,
    o: std::sync::Arc<Inner>,
    n: std::sync::Arc<Inner>,
    old: Server,
    new: Server,
    follower: Server,
    mut events: mpsc::UnboundedReceiver<Event>,
    old_id: String,
    person_did: Option<String>,
    before: Counts,
    nanos: u128,
) -> anyhow::Result<Outcome> {
    // The follower list the person exported while the old server was up.
    let inboxes = follower_inboxes(&o, &old_id).await?;
    let mut old = Some(old);
    if config.old_server_down {
        if let Some(s) = old.take() {
            s.stop().await;
        }
        o.step("SHUT DOWN: the old server no longer answers");
    }
    let new_doc = n
        .actor_json("alice")
        .await?
        .ok_or_else(|| anyhow!("new alice vanished"))?;
    let new_facts =
        fep7628::adapt::parse_actor(&serde_json::to_vec(&new_doc)?, &Default::default())?;
    let did = person_did.ok_or_else(|| anyhow!("no identity subject"))?;
    let proof = fep7628::inbound::OldSideProof::SharedIdentitySubject { did };
    let cleared = fep7628::outbound::preflight_pull(
        &new_facts,
        &old_id,
        &[proof],
        None,
        Duration::from_secs(7 * 86_400),
        SystemTime::now(),
    )?;
    n.step("pull preflight: cleared (aliases the old account, shared FEP-c390 subject)");
    let new_id = n.actor_id("alice");
    let mv = OutboundMove::new(
        &cleared,
        &format!("{new_id}/followers"),
        &format!("p{nanos:x}"),
    )?;
    let move_json = mv.to_json();
    for inbox in &inboxes {
        let status = n.post_signed("alice", inbox, &move_json).await?;
        n.step(format!(
            "sent pull-mode Move {} (HTTP {status}) to {inbox}",
            mv.id()
        ));
        if !(200..300).contains(&status) {
            bail!("Move refused by {inbox}: HTTP {status}");
        }
    }
    let mut problems = Vec::new();
    let mut reviews_approved = Vec::new();
    let finished = loop {
        match events
            .recv()
            .await
            .ok_or_else(|| anyhow!("event channel closed"))?
        {
            Event::PlanFinished {
                failed,
                server: "follower",
                migration_id,
                ..
            } => {
                if failed > 0 {
                    problems.push(format!("{failed} followers failed"));
                }
                break vec![(follower.inner.clone(), migration_id)];
            }
            Event::MoveHeld {
                server: "follower",
                review,
            } => {
                moderate(&log, &follower.inner, &review).await?;
                reviews_approved.push(("follower", review));
            }
            Event::MoveHeld { server, .. } => bail!("{server}: unexpected held Move"),
            Event::PlanFinished { .. } => {}
            Event::PlanCrashed { server } => bail!("{server}: plan stopped unexpectedly"),
            Event::Failed { server, reason } => bail!("{server}: {reason}"),
        }
    };
    let follows_audited = audit_summary(&log, &finished).await?;
    let after = counts(&o, &n, &follower.inner, &old_id, &new_id).await?;
    let follows_received = n.db.received_counts("Follow", &new_id).await?;
    let moved = before.follower_server_following_old;
    if follows_audited != moved {
        problems.push(format!(
            "the follower's server audited {follows_audited} follows, expected {moved}"
        ));
    }
    if after.follower_server_following_new != moved || after.new_followers != moved {
        problems.push(format!(
            "new alice has {} followers ({} on the follower's server), expected {moved}",
            after.new_followers, after.follower_server_following_new
        ));
    }
    if after.follower_server_following_old != 0 {
        problems.push(format!(
            "{} accounts on the follower's server still follow old alice",
            after.follower_server_following_old
        ));
    }
    if follows_received != (moved, moved) {
        problems.push(format!(
            "new server received {} Follow activities from {} actors, expected {moved}",
            follows_received.0, follows_received.1
        ));
    }
    log.step(
        "after",
        format!(
            "follower's server: {} follow old alice, {} follow new alice; new alice has {} followers ({} Follow activities received)",
            after.follower_server_following_old,
            after.follower_server_following_new,
            after.new_followers,
            follows_received.0
        ),
    );
    if let Some(s) = old {
        s.stop().await;
    }
    new.stop().await;
    follower.stop().await;
    Ok(Outcome {
        before,
        after,
        follows_received,
        restarted: false,
        reviews_approved,
        follows_audited,
        problems,
    })
}
