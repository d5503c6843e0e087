//! One fediverse server on a loopback port: WebFinger, actor documents, personal and shared
//! inboxes that verify HTTP signatures, the receiver pipeline for `Move` under the server's
//! moderation policy (a held Move goes to the review queue in [`Db`]), and the re-follow plan
//! run by the `fep7628` driver over [`Db`] and signed HTTP deliveries, every executed action
//! audited.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime};

use activitystreams_move::{Activity, ActivityKind, Actor, Document, ReadOptions};
use anyhow::{Context, anyhow, bail};
use axum::Router;
use axum::extract::{Path as UrlPath, Query as UrlQuery, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use fep7628::MigrationId;
use fep7628::adapt;
use fep7628::driver::{DriverOptions, RunOutcome, Services, run_plan_audited};
use fep7628::inbound::{
    ActorFacts, Answer, Decision, InboundConfig, InboundMove, ModerationState, MoveCheck, Query,
    Step,
};
use fep7628::moderation::{ArrivalHistory, PolicyFile};
use fep7628::plan::{Batch, Checkpoint, Destination, MoveFacts, PlanConfig, RetryPolicy};
use fep7628::policy::CooldownPolicy;
use fep7628::review::{
    AuditEntry, DocumentEvidence, NextStep, ReviewEvidence, ReviewId, ReviewItem,
};
use fep7628::store::{
    AuditRecord, AuditStore, Clock, CooldownScope, Deliverer, DeliveryOutcome, FetchError, Fetched,
    MoveRecord, MoveStore, ReviewStore,
};
use http_signatures::{
    CavageSignOptions, PublicKey, Rfc9421SignOptions, UnixTime, Verifier, VerifyPolicy,
    sign_cavage, sign_rfc9421,
};
use serde_json::{Value, json};
use tokio::sync::{mpsc, oneshot};

use crate::db::{Db, Location};
use crate::keys::{ServerKeys, SignatureScheme};

/// Most verified keys kept in memory.
const MAX_CACHED_KEYS: usize = 10_000;
/// Largest request or response body accepted.
pub const MAX_BODY: usize = 256 * 1024;
const AS: &str = "https://www.w3.org/ns/activitystreams";
const ACTIVITY_JSON: &str = "application/activity+json";

/// Prints timestamped steps.
#[derive(Clone, Debug)]
pub struct Log {
    start: Instant,
    quiet: bool,
}

impl Log {
    /// A log starting now; `quiet` prints nothing.
    pub fn new(quiet: bool) -> Log {
        Log {
            start: Instant::now(),
            quiet,
        }
    }

    /// Prints one step.
    pub fn step(&self, who: &str, msg: impl std::fmt::Display) {
        if !self.quiet {
            println!(
                "[{:7.3}s] {who:<8} | {msg}",
                self.start.elapsed().as_secs_f64()
            );
        }
    }
}

/// What a server reports to the orchestrator.
#[derive(Debug, Clone)]
pub enum Event {
    /// A re-follow plan ran to the end.
    PlanFinished {
        /// Server name.
        server: &'static str,
        /// The migration whose plan it was.
        migration_id: String,
        /// Followers planned.
        followers: u64,
        /// Follows sent (or written).
        follows: u64,
        /// Followers whose actions failed for good.
        failed: u64,
    },
    /// The moderation policy held a Move: it waits in the server's review queue.
    MoveHeld {
        /// Server name.
        server: &'static str,
        /// The review item.
        review: ReviewId,
    },
    /// The plan stopped on purpose (`--restart-follower-mid-plan`): restart and resume.
    PlanCrashed {
        /// Server name.
        server: &'static str,
    },
    /// A Move was rejected or held, or a plan failed.
    Failed {
        /// Server name.
        server: &'static str,
        /// Why.
        reason: String,
    },
}

/// Settings shared by the three servers.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// Scheme of outgoing signatures.
    pub scheme: SignatureScheme,
    /// Stop the plan after this many batches (simulated crash).
    pub crash_after_batches: Option<u64>,
    /// Actions per batch.
    pub batch_size: usize,
    /// The moderation policy applied to arriving Moves.
    pub policy: Arc<PolicyFile>,
}

/// A running server's state.
pub struct Inner {
    /// `old`, `new` or `follower`.
    pub name: &'static str,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// Its database.
    pub db: Db,
    keys: ServerKeys,
    config: ServerConfig,
    http: reqwest::Client,
    /// Verified key owners by key id: the key and the owner's document.
    keycache: Mutex<HashMap<String, (PublicKey, Actor)>>,
    events: mpsc::UnboundedSender<Event>,
    log: Log,
}

/// A running server: its state and the handle that stops its listener.
pub struct Server {
    /// Shared state.
    pub inner: Arc<Inner>,
    shutdown: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
    /// Where its data lives (what a restart reopens).
    pub location: Location,
}

impl Server {
    /// Binds `127.0.0.1:port` (0 = any free port), opens its database at `location` and serves.
    #[allow(clippy::too_many_arguments)]
    pub async fn start(
        name: &'static str,
        port: u16,
        location: Location,
        keys: ServerKeys,
        config: ServerConfig,
        events: mpsc::UnboundedSender<Event>,
        log: Log,
    ) -> anyhow::Result<Server> {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
            .await
            .with_context(|| format!("{name}: bind 127.0.0.1:{port}"))?;
        let addr = listener.local_addr()?;
        let base = format!("http://{addr}");
        let db = Db::open(&location, &base).await?;
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()?;
        let inner = Arc::new(Inner {
            name,
            base,
            db,
            keys,
            config,
            http,
            keycache: Mutex::new(HashMap::new()),
            events,
            log,
        });
        let app = Router::new()
            .route("/.well-known/webfinger", get(webfinger))
            .route("/users/{name}", get(actor_document))
            .route("/users/{name}/inbox", post(inbox))
            .route("/inbox", post(inbox))
            .with_state(inner.clone());
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async move {
                    let _ = rx.await;
                })
                .await;
        });
        Ok(Server {
            inner,
            shutdown: Some(tx),
            task: Some(task),
            location,
        })
    }

    /// The port it listens on.
    pub fn port(&self) -> u16 {
        self.inner
            .base
            .rsplit(':')
            .next()
            .and_then(|p| p.parse().ok())
            .unwrap_or(0)
    }

    /// Stops listening (in-flight requests finish) and drops the in-memory state.
    pub async fn stop(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take()
            && tokio::time::timeout(Duration::from_secs(5), task)
                .await
                .is_err()
        {
            self.inner
                .log
                .step(self.inner.name, "listener did not stop in 5 s");
        }
    }
}

impl Inner {
    /// The actor id of a local account.
    pub fn actor_id(&self, username: &str) -> String {
        format!("{}/users/{username}", self.base)
    }

    fn username_of<'a>(&self, actor_id: &'a str) -> Option<&'a str> {
        actor_id
            .strip_prefix(self.base.as_str())
            .and_then(|p| p.strip_prefix("/users/"))
            .filter(|u| !u.is_empty() && !u.contains('/'))
    }

    /// Logs a step under this server's name.
    pub fn step(&self, msg: impl std::fmt::Display) {
        self.log.step(self.name, msg);
    }

    /// The actor document of a local account.
    pub async fn actor_json(&self, username: &str) -> anyhow::Result<Option<Value>> {
        let Some((aliases, moved_to)) = self.db.account(username).await? else {
            return Ok(None);
        };
        let id = self.actor_id(username);
        let mut doc = json!({
            "@context": [AS, "https://w3id.org/security/v1",
                         "https://w3id.org/security/multikey/v1",
                         {"alsoKnownAs": {"@id": "as:alsoKnownAs", "@type": "@id"},
                          "movedTo": {"@id": "as:movedTo", "@type": "@id"},
                          "manuallyApprovesFollowers": "as:manuallyApprovesFollowers"}],
            "id": id,
            "type": "Person",
            "preferredUsername": username,
            "inbox": format!("{id}/inbox"),
            "followers": format!("{id}/followers"),
            "endpoints": {"sharedInbox": format!("{}/inbox", self.base)},
            "manuallyApprovesFollowers": false,
            "publicKey": {"id": format!("{id}#main-key"), "owner": id,
                          "publicKeyPem": self.keys.main_pem},
            "assertionMethod": [{"id": format!("{id}#ed25519-key"), "type": "Multikey",
                "controller": id, "publicKeyMultibase": self.keys.account_multikey(username)}],
        });
        if !aliases.is_empty() {
            doc["alsoKnownAs"] = json!(aliases);
        }
        if let Some(m) = moved_to {
            doc["movedTo"] = json!(m);
        }
        let attachment = self.db.attachment(username).await?;
        if !attachment.is_empty() {
            doc["attachment"] = Value::Array(attachment);
        }
        Ok(Some(doc))
    }

    /// GET with `Accept: application/activity+json`, body capped at [`MAX_BODY`].
    pub async fn get(&self, url: &str) -> Result<Fetched, FetchError> {
        let transport = |detail: String| FetchError::Transport {
            url: url.to_owned(),
            detail,
        };
        if !url.starts_with("http://127.0.0.1:") {
            return Err(FetchError::Refused {
                url: url.to_owned(),
                reason: "this example only talks to 127.0.0.1".into(),
            });
        }
        let mut resp = self
            .http
            .get(url)
            .header(header::ACCEPT, ACTIVITY_JSON)
            .send()
            .await
            .map_err(|e| transport(e.to_string()))?;
        let status = resp.status().as_u16();
        let content_type = resp
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let mut body = Vec::new();
        while let Some(chunk) = resp.chunk().await.map_err(|e| transport(e.to_string()))? {
            if body.len() + chunk.len() > MAX_BODY {
                return Err(FetchError::TooLarge {
                    url: url.to_owned(),
                    limit: MAX_BODY,
                });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Fetched {
            status,
            final_url: url.to_owned(),
            content_type,
            body,
        })
    }

    /// Resolves `acct:user@host` with WebFinger at `base`.
    pub async fn webfinger(&self, base: &str, acct: &str) -> anyhow::Result<String> {
        let host = base.trim_start_matches("http://");
        let url = format!("{base}/.well-known/webfinger?resource=acct:{acct}@{host}");
        let fetched = self.get(&url).await?;
        if fetched.status != 200 {
            bail!("webfinger {url}: status {}", fetched.status);
        }
        let jrd: Value = serde_json::from_slice(&fetched.body)?;
        jrd["links"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|l| l["rel"] == "self" && l["type"] == ACTIVITY_JSON)
            .and_then(|l| l["href"].as_str())
            .map(str::to_owned)
            .ok_or_else(|| anyhow!("webfinger {url}: no self link"))
    }

    /// Fetches and reads a remote actor; its `id` must be the URL fetched.
    pub async fn fetch_actor(&self, url: &str) -> anyhow::Result<Actor> {
        let fetched = self.get(url).await?;
        if fetched.status != 200 {
            bail!("GET {url}: status {}", fetched.status);
        }
        let actor = Actor::from_slice(&fetched.body, &ReadOptions::default())
            .map_err(|e| anyhow!("GET {url}: {} ({})", e, e.kind()))?;
        if actor.id() != Some(url) {
            bail!("GET {url}: document id {:?} is not the URL", actor.id());
        }
        Ok(actor)
    }

    /// Signs `activity` as the local account `username` and POSTs it to `inbox`.
    pub async fn post_signed(
        &self,
        username: &str,
        inbox: &str,
        activity: &Value,
    ) -> anyhow::Result<u16> {
        if !inbox.starts_with("http://127.0.0.1:") {
            bail!("refusing to deliver outside 127.0.0.1: {inbox}");
        }
        let body = serde_json::to_vec(activity)?;
        let actor = self.actor_id(username);
        let mut req = http::Request::post(inbox)
            .header(header::CONTENT_TYPE, ACTIVITY_JSON)
            .body(())?;
        let now = UnixTime::from(SystemTime::now());
        let signed = match self.config.scheme {
            SignatureScheme::Cavage => sign_cavage(
                &req,
                &body,
                &self.keys.main,
                &format!("{actor}#main-key"),
                now,
                &CavageSignOptions::default(),
            ),
            SignatureScheme::Rfc9421 => sign_rfc9421(
                &req,
                &body,
                &self.keys.account_key(username),
                &format!("{actor}#ed25519-key"),
                now,
                &Rfc9421SignOptions::default(),
            ),
        }
        .map_err(|e| anyhow!("signing: {e}"))?;
        signed.apply(&mut req);
        let mut rb = self.http.post(inbox).body(body);
        for (name, value) in req.headers() {
            rb = rb.header(name, value);
        }
        let resp = rb.send().await?;
        Ok(resp.status().as_u16())
    }

    fn verify_cached(
        &self,
        parts: &http::request::Parts,
        body: &[u8],
    ) -> Result<Result<(http_signatures::VerifiedRequest, Actor), http_signatures::Error>, String>
    {
        let cache = self
            .keycache
            .lock()
            .map_err(|_| "key cache poisoned".to_owned())?;
        let mut missing: Option<String> = None;
        let mut verifier = Verifier::new(VerifyPolicy::mastodon());
        let result = verifier.verify_request(
            parts,
            body,
            UnixTime::from(SystemTime::now()),
            |kid: &str| match cache.get(kid) {
                Some((key, _)) => Some(key.clone()),
                None => {
                    missing = Some(kid.to_owned());
                    None
                }
            },
        );
        match result {
            Ok(v) => match cache.get(v.key_id()) {
                Some((_, owner)) => Ok(Ok((v, owner.clone()))),
                None => Err("verified key vanished from cache".into()),
            },
            Err(e) => match missing {
                Some(kid) => Err(kid),
                None => Ok(Err(e)),
            },
        }
    }

    /// Verifies the request's signature, fetching the key owner's document when the key is not
    /// cached. Returns the verified request and the owner's document.
    async fn verify(
        &self,
        parts: &http::request::Parts,
        body: &[u8],
    ) -> anyhow::Result<(http_signatures::VerifiedRequest, Actor)> {
        match self.verify_cached(parts, body) {
            Ok(r) => return r.map_err(|e| anyhow!("signature: {} ({})", e, e.kind())),
            Err(kid) if kid.starts_with("http://") => {
                let owner_url = kid.split('#').next().unwrap_or_default();
                let owner = self.fetch_actor(owner_url).await?;
                let key =
                    adapt::verification_key(&owner, &kid).map_err(|e| anyhow!("key {kid}: {e}"))?;
                if let Ok(mut cache) = self.keycache.lock() {
                    // Bounded: a flood of distinct key ids only costs refetches.
                    if cache.len() >= MAX_CACHED_KEYS {
                        cache.clear();
                    }
                    cache.insert(kid, (key, owner));
                }
            }
            Err(other) => bail!("signature: unknown key {other:?}"),
        }
        match self.verify_cached(parts, body) {
            Ok(r) => r.map_err(|e| anyhow!("signature: {} ({})", e, e.kind())),
            Err(kid) => bail!("signature: key {kid} still unknown"),
        }
    }

    async fn handle_inbox(
        self: &Arc<Self>,
        mut parts: http::request::Parts,
        body: &[u8],
    ) -> anyhow::Result<StatusCode> {
        // RFC 9421 covers @target-uri: verify against the absolute URL the sender used.
        let pq = parts
            .uri
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_owned();
        parts.uri = format!("{}{pq}", self.base).parse()?;
        let (verified, owner) = match self.verify(&parts, body).await {
            Ok(v) => v,
            Err(e) => {
                self.step(format!("401 {pq}: {e:#}"));
                return Ok(StatusCode::UNAUTHORIZED);
            }
        };
        let auth = match adapt::http_signature_authentication(&verified, &owner) {
            Ok(a) => a,
            Err(e) => {
                self.step(format!("401 {pq}: {e}"));
                return Ok(StatusCode::UNAUTHORIZED);
            }
        };
        let signer = auth.actor_id().to_owned();
        if let (Some(inbox), Some(id)) = (owner.inbox(), owner.id()) {
            self.db
                .upsert_remote_actor(id, inbox, owner.shared_inbox())
                .await?;
        }
        let activity = match Document::from_slice(body, &ReadOptions::default()) {
            Ok(Document::Activity(a)) => a,
            Ok(Document::Actor(_)) => return Ok(StatusCode::BAD_REQUEST),
            Err(e) => {
                self.step(format!("400 {pq}: {} ({})", e, e.kind()));
                return Ok(StatusCode::BAD_REQUEST);
            }
        };
        if activity.actor_id() != Some(signer.as_str()) {
            self.step(format!(
                "401 {pq}: signed by {signer}, actor is {:?}",
                activity.actor_id()
            ));
            return Ok(StatusCode::UNAUTHORIZED);
        }
        match activity.kind {
            ActivityKind::Follow => {
                let Some(object) = activity.object_id() else {
                    return Ok(StatusCode::BAD_REQUEST);
                };
                let Some(username) = self.username_of(object) else {
                    return Ok(StatusCode::NOT_FOUND);
                };
                if self.db.account(username).await?.is_none() {
                    return Ok(StatusCode::NOT_FOUND);
                }
                self.db.record_received("Follow", &signer, object).await?;
                self.db
                    .put_follow(
                        &signer,
                        object,
                        &Default::default(),
                        fep7628::store::FollowState::Accepted,
                    )
                    .await?;
                Ok(StatusCode::ACCEPTED)
            }
            ActivityKind::Undo => {
                let followed = activity
                    .object
                    .first()
                    .and_then(|r| r.activity())
                    .filter(|f| {
                        f.kind == ActivityKind::Follow && f.actor_id() == Some(signer.as_str())
                    })
                    .and_then(Activity::object_id)
                    .map(str::to_owned);
                let Some(followed) = followed else {
                    return Ok(StatusCode::ACCEPTED);
                };
                self.db.record_received("Undo", &signer, &followed).await?;
                self.db.delete_follow(&signer, &followed).await?;
                Ok(StatusCode::ACCEPTED)
            }
            ActivityKind::Move => {
                let facts = match adapt::move_facts(&activity) {
                    Ok(f) => f,
                    Err(e) => {
                        self.step(format!("400 Move: {e}"));
                        return Ok(StatusCode::BAD_REQUEST);
                    }
                };
                self.step(format!(
                    "received Move {} signed by {signer} ({:?})",
                    facts.id.as_deref().unwrap_or("-"),
                    verified.scheme()
                ));
                // Push: the signer is the origin and its document is at hand. Pull: the
                // origin's document is our stored copy (its server may be gone), with its
                // verified FEP-c390 subjects.
                let pull = facts
                    .actor
                    .first()
                    .is_some_and(|a| facts.target.first() == Some(a));
                let origin_facts = if pull {
                    let origin = facts.object.first().cloned().unwrap_or_default();
                    match self.db.actor_document(&origin).await? {
                        Some(doc) => adapt::parse_actor(&doc, &ReadOptions::default()).ok(),
                        None => None,
                    }
                } else {
                    Some(adapt::actor_facts(&owner))
                };
                let (origin, target) = (
                    facts.object.first().cloned().unwrap_or_default(),
                    facts.target.first().cloned().unwrap_or_default(),
                );
                let mut inbound = InboundMove::new(facts).authenticated_by(auth);
                if let Some(o) = origin_facts {
                    inbound = inbound.with_origin_facts(o);
                }
                let me = self.clone();
                tokio::spawn(async move { me.process_move(inbound, origin, target).await });
                Ok(StatusCode::ACCEPTED)
            }
            _ => Ok(StatusCode::ACCEPTED),
        }
    }

    /// Runs the receiver pipeline on the Move from `origin` to `target` and, if accepted, the
    /// re-follow plan; a held Move is queued for review ([`Event::MoveHeld`]).
    pub async fn process_move(
        self: Arc<Self>,
        inbound: InboundMove,
        origin: String,
        target: String,
    ) {
        if let Err(e) = self
            .clone()
            .try_process_move(inbound, &origin, &target)
            .await
        {
            self.report_failure("Move processing", &e);
        }
    }

    /// Logs a failure and reports it to the orchestrator.
    fn report_failure(&self, what: &str, e: &anyhow::Error) {
        self.step(format!("{what} failed: {e:#}"));
        let _ = self.events.send(Event::Failed {
            server: self.name,
            reason: format!("{e:#}"),
        });
    }

    async fn try_process_move(
        self: Arc<Self>,
        inbound: InboundMove,
        origin: &str,
        target: &str,
    ) -> anyhow::Result<()> {
        // The surge rule needs to know how many local followers this Move would take along.
        let mut history = ArrivalHistory::new();
        let followers = self.db.local_following_count(origin).await?;
        history.expect_followers(MigrationId::new(origin, target), followers);
        let cooldown = CooldownPolicy::gotosocial();
        let policy = (&cooldown, self.config.policy.policy(&history));
        let now = SystemTime::now();
        let mut documents = Vec::new();
        // Pull mode (sent by the new account) is opt-in (spec/move.md E3); it still needs
        // evidence from the old side.
        let config = InboundConfig::default().allow_pull(true);
        let mut check = MoveCheck::with_config(config, &policy, inbound, now);
        let verified = loop {
            match check.next()? {
                Step::Fetch(request) => {
                    self.step(format!(
                        "pipeline: fetch {} fresh ({:?})",
                        request.url, request.purpose
                    ));
                    let result = self.get(&request.url).await;
                    if let Ok(fetched) = &result {
                        documents.push(DocumentEvidence::new(
                            format!("{:?}", request.purpose),
                            &request.url,
                            &fetched.body,
                        ));
                    }
                    let answer = adapt::fetched_result(&result, &ReadOptions::default());
                    check.handle_fetched(&request.url, answer)?;
                }
                Step::Lookup(query) => {
                    let answer = match &query {
                        Query::AlreadyProcessed { origin, target } => Answer::AlreadyProcessed(
                            self.db
                                .move_seen(origin, target)
                                .await?
                                .map(|m| m.verified_at),
                        ),
                        Query::LastMove { account } => {
                            Answer::LastMove(self.db.last_move(account).await?)
                        }
                        Query::Moderation { .. } => Answer::Moderation(ModerationState::default()),
                        Query::LocalMovedTo { account } => {
                            Answer::LocalMovedTo(self.db.local_moved_to(account).await?)
                        }
                        other => bail!("unexpected question {other:?}"),
                    };
                    check.handle_lookup(answer)?;
                }
                Step::Done { decision, audit } => {
                    let migration_id = audit
                        .migration_id
                        .as_ref()
                        .map_or_else(|| "-".to_owned(), |m| m.as_str().to_owned());
                    self.db
                        .append_audit(&AuditRecord {
                            migration_id,
                            at: audit.at,
                            event: format!("move_{}", audit.outcome.as_str()),
                            subject: None,
                            detail: audit.detail.clone(),
                        })
                        .await?;
                    if let Some(entry) = AuditEntry::from_event(&audit) {
                        self.db.append_entry(&entry).await?;
                    }
                    match decision {
                        Decision::Accept(v) => break v,
                        Decision::Hold(held) => {
                            let local = held
                                .pending()
                                .target()
                                .starts_with(&format!("{}/", self.base));
                            let mut evidence = ReviewEvidence::default();
                            for document in documents {
                                evidence = evidence.with_document(document);
                            }
                            let item = ReviewItem::held_move(&held, evidence, local, now);
                            self.db.put_review(&item).await?;
                            let reasons: Vec<String> =
                                held.reasons().iter().map(ToString::to_string).collect();
                            self.step(format!(
                                "pipeline: HOLD {} -> {} for review ({}); queued as {}",
                                held.pending().origin(),
                                held.pending().target(),
                                reasons.join("; "),
                                item.id.as_str()
                            ));
                            let _ = self.events.send(Event::MoveHeld {
                                server: self.name,
                                review: item.id,
                            });
                            return Ok(());
                        }
                        Decision::Reject(r) => bail!("Move rejected: {} ({r})", r.kind()),
                    }
                }
            }
        };
        self.step(format!(
            "pipeline: ACCEPT {} -> {} ({} mode, migration {})",
            verified.origin(),
            verified.target(),
            verified.mode(),
            verified.migration_id().as_str()
        ));
        let record = MoveRecord {
            migration_id: verified.migration_id().as_str().to_owned(),
            origin: verified.origin().to_owned(),
            target: verified.target().to_owned(),
            activity_id: verified.move_id().map(str::to_owned),
            verified_at: verified.verified_at(),
        };
        let target_is_local = verified.target().starts_with(&format!("{}/", self.base));
        let facts = MoveFacts::from_verified(&verified, target_is_local)?;
        self.record_and_run(record, facts).await
    }

    /// Carries out a moderator's decision ([`fep7628::review::approve`] / `reject`): an
    /// approved Move is recorded and its re-follow plan runs; a rejected one is dropped.
    pub async fn execute_decision(self: Arc<Self>, next: NextStep) {
        if let Err(e) = self.clone().try_execute_decision(next).await {
            self.report_failure("carrying out the review decision", &e);
        }
    }

    async fn try_execute_decision(self: Arc<Self>, next: NextStep) -> anyhow::Result<()> {
        match next {
            NextStep::RunPlan { record, facts } => self.record_and_run(record, facts).await,
            NextStep::DropMove { origin, target } => {
                self.step(format!(
                    "review: Move {origin} -> {target} rejected; dropped"
                ));
                Ok(())
            }
            other => bail!("this example does not carry out {other:?}"),
        }
    }

    /// Records an accepted Move (once per origin and target) and its cooldowns, then runs the
    /// re-follow plan.
    async fn record_and_run(
        self: Arc<Self>,
        record: MoveRecord,
        facts: MoveFacts,
    ) -> anyhow::Result<()> {
        self.db.record_move(&record).await?;
        let until = record.verified_at + Duration::from_secs(7 * 86_400);
        for scope in [
            CooldownScope::Origin(record.origin.clone()),
            CooldownScope::Target(record.target.clone()),
        ] {
            self.db.set_cooldown(&scope, until).await?;
        }
        self.run_migration_plan(facts).await
    }

    fn plan_config(&self) -> PlanConfig {
        PlanConfig {
            batch_size: self.config.batch_size,
            retry: RetryPolicy {
                max_attempts: 5,
                base_delay: Duration::from_millis(100),
                max_delay: Duration::from_secs(2),
            },
            ..PlanConfig::default()
        }
    }

    /// Runs (or resumes from the stored checkpoint) the re-follow plan of a migration.
    pub async fn run_migration_plan(self: Arc<Self>, facts: MoveFacts) -> anyhow::Result<()> {
        let migration_id = facts.migration_id.clone();
        let resumed = self.db.load_checkpoint(&migration_id).await?.is_some();
        self.step(format!(
            "plan: {} re-follow plan {} -> {}",
            if resumed { "resuming" } else { "starting" },
            facts.origin.id,
            facts.target.id
        ));
        let deliverer = HttpDeliverer(self.clone());
        let services = Services {
            follows: &self.db,
            moves: &self.db,
            deliverer: &deliverer,
            notifier: &self.db,
            clock: &SystemClock,
        };
        let options = DriverOptions {
            checkpoint_every: 1,
            crash_after_batches: self.config.crash_after_batches,
        };
        // Every executed action becomes a typed audit entry (deduplicated by its idempotency
        // key, so a plan resumed after a restart audits each action once).
        match run_plan_audited(facts, self.plan_config(), &services, &self.db, &options).await? {
            RunOutcome::Finished(report) => {
                self.db.mark_plan_finished(&migration_id).await?;
                let c = &report.counts;
                self.step(format!(
                    "plan: finished — followers {}, follows {}, follow requests {}, undos {}, notifications {}, failed {}",
                    c.followers_planned,
                    c.follows_sent,
                    c.follow_requests_sent,
                    c.undos_sent,
                    c.notifications_sent,
                    c.failed_followers
                ));
                let _ = self.events.send(Event::PlanFinished {
                    server: self.name,
                    migration_id: migration_id.clone(),
                    followers: c.followers_planned,
                    follows: c.follows_sent + c.follow_requests_sent,
                    failed: c.failed_followers,
                });
            }
            RunOutcome::Crashed => {
                self.step(format!(
                    "plan: STOPPED mid-plan (simulated crash); checkpoint is in {}",
                    self.db.engine()
                ));
                let _ = self.events.send(Event::PlanCrashed { server: self.name });
            }
        }
        Ok(())
    }

    /// Resumes every unfinished plan found in the database (after a restart).
    pub async fn resume_plans(self: &Arc<Self>) -> anyhow::Result<usize> {
        let plans: Vec<Checkpoint> = self.db.unfinished_plans().await?;
        let n = plans.len();
        for checkpoint in plans {
            let me = self.clone();
            tokio::spawn(async move {
                if let Err(e) = me.clone().run_migration_plan(checkpoint.facts).await {
                    me.step(format!("plan failed: {e:#}"));
                    let _ = me.events.send(Event::Failed {
                        server: me.name,
                        reason: format!("{e:#}"),
                    });
                }
            });
        }
        Ok(n)
    }
}

/// The system clock, sleeping on tokio's timer.
#[derive(Debug, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }

    fn sleep_until(&self, deadline: SystemTime) -> impl Future<Output = ()> + Send {
        let wait = deadline
            .duration_since(SystemTime::now())
            .unwrap_or_default()
            .min(Duration::from_secs(30));
        tokio::time::sleep(wait)
    }
}

/// Signs each action as its follower and POSTs it; the `deliveries` table is the job queue's
/// unique key, so an action handed out again after a restart is not sent twice.
pub struct HttpDeliverer(pub Arc<Inner>);

impl Deliverer for HttpDeliverer {
    async fn deliver(&self, batch: &Batch) -> Vec<(fep7628::plan::ActionKey, DeliveryOutcome)> {
        let s = &self.0;
        let inbox = match &batch.destination {
            Destination::Inbox(i) => i.to_string(),
            Destination::Local => String::new(),
        };
        let mut out = Vec::with_capacity(batch.actions.len());
        let mut sent = 0usize;
        let mut gone = 0usize;
        for action in &batch.actions {
            let key = action.key.to_string();
            let outcome = match s.db.delivered(&key).await {
                Ok(true) => DeliveryOutcome::Delivered,
                Ok(false) => {
                    let username = s.username_of(&action.follower_id).unwrap_or_default();
                    let id = format!("{}/activities/{key}", action.follower_id);
                    match action.activity_json(&id) {
                        None => DeliveryOutcome::Delivered,
                        Some(activity) => match s.post_signed(username, &inbox, &activity).await {
                            Ok(status) if (200..300).contains(&status) => {
                                sent += 1;
                                match s.db.mark_delivered(&key, &inbox).await {
                                    Ok(()) => DeliveryOutcome::Delivered,
                                    Err(e) => DeliveryOutcome::Failed {
                                        reason: e.to_string(),
                                        permanent: false,
                                    },
                                }
                            }
                            Ok(status) => DeliveryOutcome::Failed {
                                reason: format!("HTTP {status}"),
                                permanent: (400..500).contains(&status)
                                    && status != 408
                                    && status != 429,
                            },
                            // The old server is gone (connection refused): there is nobody
                            // to tell about the Undo; the local follow is removed all the same.
                            Err(e)
                                if action.kind() == fep7628::plan::ActionKind::UndoFollow
                                    && e.downcast_ref::<reqwest::Error>()
                                        .is_some_and(reqwest::Error::is_connect) =>
                            {
                                gone += 1;
                                DeliveryOutcome::Delivered
                            }
                            Err(e) => DeliveryOutcome::Failed {
                                reason: format!("{e:#}"),
                                permanent: false,
                            },
                        },
                    }
                }
                Err(e) => DeliveryOutcome::Failed {
                    reason: e.to_string(),
                    permanent: false,
                },
            };
            out.push((action.key, outcome));
        }
        let kinds: Vec<&str> = batch.actions.iter().map(|a| a.kind().as_str()).collect();
        let mut summary: Vec<String> = Vec::new();
        for k in ["follow", "undo_follow"] {
            let n = kinds.iter().filter(|x| **x == k).count();
            if n > 0 {
                summary.push(format!("{n} {k}"));
            }
        }
        let gone = if gone > 0 {
            format!(", {gone} not sent: server unreachable, follow removed locally")
        } else {
            String::new()
        };
        s.step(format!(
            "deliver: {} to {inbox} ({sent} POSTed{gone})",
            summary.join(", ")
        ));
        out
    }
}

async fn webfinger(
    State(s): State<Arc<Inner>>,
    UrlQuery(q): UrlQuery<HashMap<String, String>>,
) -> Response {
    let host = s.base.trim_start_matches("http://");
    let user = q
        .get("resource")
        .and_then(|r| r.strip_prefix("acct:"))
        .and_then(|r| r.strip_suffix(&format!("@{host}")));
    match user {
        Some(u) if matches!(s.db.account(u).await, Ok(Some(_))) => (
            [(header::CONTENT_TYPE, "application/jrd+json")],
            json!({"subject": format!("acct:{u}@{host}"),
                   "links": [{"rel": "self", "type": ACTIVITY_JSON, "href": s.actor_id(u)}]})
            .to_string(),
        )
            .into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn actor_document(State(s): State<Arc<Inner>>, UrlPath(name): UrlPath<String>) -> Response {
    match s.actor_json(&name).await {
        Ok(Some(doc)) => ([(header::CONTENT_TYPE, ACTIVITY_JSON)], doc.to_string()).into_response(),
        Ok(None) => StatusCode::NOT_FOUND.into_response(),
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR.into_response(),
    }
}

async fn inbox(State(s): State<Arc<Inner>>, req: Request) -> StatusCode {
    let (parts, body) = req.into_parts();
    let Ok(body) = axum::body::to_bytes(body, MAX_BODY).await else {
        return StatusCode::PAYLOAD_TOO_LARGE;
    };
    match s.handle_inbox(parts, &body).await {
        Ok(status) => status,
        Err(e) => {
            s.step(format!("500: {e:#}"));
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

/// Used by the scenario: facts of a local actor from its own document.
pub fn local_actor_facts(doc: &Value) -> anyhow::Result<ActorFacts> {
    let actor = Actor::from_value(doc, &ReadOptions::default())?;
    Ok(adapt::actor_facts(&actor))
}
