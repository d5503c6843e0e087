//! The resolver state machine: the caller drains [`Resolver::next`], fetches what it asks for,
//! and feeds the answers back with [`Resolver::handle_response`].

use std::collections::VecDeque;

use url::Url;

use super::ResolveConfig;
use super::documents::{ActorDoc, canonical, jrd_actor, read_actor};
use super::outcome::{Anchor, LinkBackProof, LinkBackVia, Resolution, ResolveFailure};
use super::start::Start;
use crate::persona::{Evidence, GraphConfig, Node, Persona, Primary, build};
use crate::rel_me::{
    ACCEPT_HTML, FetchRequest, MatchRule, parse_link_header, scan_html, site_key, strict_key,
};

/// `Accept` header for WebFinger.
pub const ACCEPT_JRD: &str = "application/jrd+json";
/// `Accept` header for actor documents.
pub const ACCEPT_ACTIVITY: &str = "application/activity+json";

/// What the resolver wants next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Fetch this (checking every hop with [`FetchRequest::check_hop`]) and call
    /// [`Resolver::handle_response`] or [`Resolver::handle_fetch_error`].
    Fetch(FetchRequest),
    /// Finished.
    Done(Result<Resolution, ResolveFailure>),
}

/// The answer to a [`Step::Fetch`].
#[derive(Debug, Clone, Copy)]
pub struct Response<'a> {
    /// The URL after redirects.
    pub final_url: &'a Url,
    /// The final status.
    pub status: u16,
    /// `Link` header values.
    pub link_headers: &'a [String],
    /// The body (at most the request's `max_bytes`).
    pub body: &'a [u8],
}

#[derive(Debug, Clone)]
enum Pending {
    WebFinger(Url),
    SitePage(Url),
    Actor(Url),
}

impl Pending {
    fn url(&self) -> &Url {
        match self {
            Pending::WebFinger(u) | Pending::SitePage(u) | Pending::Actor(u) => u,
        }
    }
}

/// A candidate actor link from the website.
#[derive(Debug, Clone)]
struct Candidate {
    href: String,
    url: Url,
    rule: MatchRule,
}

/// Resolves a website or a handle to the person's current actor, sans-IO.
///
/// See the [module docs](super) for an example.
#[derive(Debug, Clone)]
pub struct Resolver {
    config: ResolveConfig,
    start: Start,
    pending: Option<Pending>,
    outcome: Option<Result<Resolution, ResolveFailure>>,
    /// Website: site keys of the start URL and the page's final URL.
    site_keys: Vec<String>,
    candidates: VecDeque<Candidate>,
    current: Option<Candidate>,
    successes: Vec<Resolution>,
    failures: Vec<(String, ResolveFailure)>,
    chain: Vec<ActorDoc>,
}

impl Resolver {
    /// A resolver for `start`.
    pub fn new(start: Start, config: ResolveConfig) -> Self {
        let mut r = Resolver {
            config,
            start: start.clone(),
            pending: None,
            outcome: None,
            site_keys: Vec::new(),
            candidates: VecDeque::new(),
            current: None,
            successes: Vec::new(),
            failures: Vec::new(),
            chain: Vec::new(),
        };
        match start {
            Start::Website(url) => r.request(Pending::SitePage(url)),
            Start::Handle { .. } => match start.webfinger_url() {
                Some(url) => r.request(Pending::WebFinger(url)),
                None => r.fail(ResolveFailure::InvalidStart {
                    reason: "no WebFinger URL".into(),
                }),
            },
        }
        r
    }

    /// The next step. Repeats the same [`Step::Fetch`] until it is answered; after
    /// [`Step::Done`] keeps returning it.
    pub fn next(&self) -> Step {
        if let Some(outcome) = &self.outcome {
            return Step::Done(outcome.clone());
        }
        match &self.pending {
            Some(p) => {
                let accept = match p {
                    Pending::WebFinger(_) => ACCEPT_JRD,
                    Pending::SitePage(_) => ACCEPT_HTML,
                    Pending::Actor(_) => ACCEPT_ACTIVITY,
                };
                Step::Fetch(FetchRequest {
                    url: p.url().clone(),
                    accept,
                    max_bytes: self.config.rel_me.max_bytes,
                    max_redirects: self.config.rel_me.max_redirects,
                    https_only: true,
                })
            }
            // Unreachable by construction: every transition sets `pending` or `outcome`.
            None => Step::Done(Err(ResolveFailure::InvalidStart {
                reason: "resolver idle".into(),
            })),
        }
    }

    /// The caller could not fetch the pending URL (network error, refused hop, …).
    pub fn handle_fetch_error(&mut self, reason: &str) {
        if let Some(p) = self.pending.take() {
            let url = p.url().to_string();
            self.fail(ResolveFailure::Fetch {
                url,
                status: None,
                reason: reason.chars().take(200).collect(),
            });
        }
    }

    /// Feeds the answer to the pending fetch. Ignored when nothing is pending.
    pub fn handle_response(&mut self, response: &Response<'_>) {
        let Some(pending) = self.pending.take() else {
            return;
        };
        if response.status != 200 {
            let url = pending.url().to_string();
            self.fail(ResolveFailure::Fetch {
                url,
                status: Some(response.status),
                reason: format!("status {}", response.status),
            });
            return;
        }
        match pending {
            Pending::WebFinger(_) => self.on_webfinger(response),
            Pending::SitePage(url) => self.on_site(&url, response),
            Pending::Actor(url) => self.on_actor(&url, response),
        }
    }

    fn request(&mut self, p: Pending) {
        match crate::rel_me::check_url(p.url()) {
            Ok(()) => self.pending = Some(p),
            Err(_) => self.fail(ResolveFailure::NotHttps {
                url: p.url().to_string(),
            }),
        }
    }

    /// A failure ends the current website candidate, or the whole resolution.
    fn fail(&mut self, f: ResolveFailure) {
        self.pending = None;
        self.chain.clear();
        match self.current.take() {
            Some(c) => {
                self.failures.push((c.href, f));
                self.next_candidate();
            }
            None => self.outcome = Some(Err(f)),
        }
    }

    fn resource(&self) -> String {
        match &self.start {
            Start::Handle { user, domain } => format!("acct:{user}@{domain}"),
            Start::Website(u) => u.to_string(),
        }
    }

    fn on_webfinger(&mut self, response: &Response<'_>) {
        match jrd_actor(response.body, &self.resource(), &self.config) {
            Ok(actor) => self.request(Pending::Actor(actor)),
            Err(f) => self.fail(f),
        }
    }

    fn on_site(&mut self, start_url: &Url, response: &Response<'_>) {
        for u in [start_url, response.final_url] {
            if let Ok(k) = site_key(u.as_str())
                && !self.site_keys.contains(&k)
            {
                self.site_keys.push(k);
            }
        }
        let page = scan_html(
            response.body,
            response.final_url,
            self.config.rel_me.max_bytes,
        );
        let mut found: Vec<Candidate> = page
            .links
            .into_iter()
            .filter_map(|l| {
                let rule = match l.element {
                    crate::rel_me::RelElement::A => MatchRule::AnchorRelMe,
                    crate::rel_me::RelElement::Link => MatchRule::LinkRelMe,
                    crate::rel_me::RelElement::Area => MatchRule::AreaRelMe,
                };
                Some(Candidate {
                    href: l.href,
                    url: l.resolved?,
                    rule,
                })
            })
            .collect();
        for header in response.link_headers.iter().take(16) {
            for lv in parse_link_header(header) {
                if lv.rels.iter().any(|r| r == "me")
                    && lv.anchor.is_none()
                    && let Ok(url) = response.final_url.join(lv.target.trim())
                {
                    found.push(Candidate {
                        href: lv.target,
                        url,
                        rule: MatchRule::LinkHeader,
                    });
                }
            }
        }
        let mut seen = Vec::new();
        for c in found {
            let k = strict_key(&c.url);
            if c.url.scheme() != "https" || seen.contains(&k) || self.site_keys.contains(&k) {
                continue;
            }
            seen.push(k);
            if self.candidates.len() < self.config.max_candidates {
                self.candidates.push_back(c);
            }
        }
        if self.candidates.is_empty() {
            self.fail(ResolveFailure::NoRelMeOnSite {
                site: start_url.to_string(),
            });
            return;
        }
        self.next_candidate();
    }

    fn next_candidate(&mut self) {
        if let Some(c) = self.candidates.pop_front() {
            let url = c.url.clone();
            self.current = Some(c);
            self.request(Pending::Actor(url));
            return;
        }
        // All candidates tried.
        let mut currents: Vec<String> = self.successes.iter().map(|r| r.current.clone()).collect();
        currents.sort();
        currents.dedup();
        self.outcome = Some(match currents.len() {
            0 if self.failures.len() == 1 => Err(self.failures.remove(0).1),
            0 => Err(ResolveFailure::NoCandidate {
                failures: std::mem::take(&mut self.failures),
            }),
            1 => Ok(self.successes.remove(0)),
            _ => Err(ResolveFailure::Ambiguous { current: currents }),
        });
    }

    fn on_actor(&mut self, requested: &Url, response: &Response<'_>) {
        let doc = match read_actor(response.body, response.final_url, &self.config) {
            Ok(d) => d,
            Err(f) => return self.fail(f),
        };
        match self.chain.last() {
            None => {
                // The entry actor: the start must name this very actor.
                if let Some(c) = &self.current
                    && !doc.targets.contains(&strict_key(&c.url))
                {
                    let f = ResolveFailure::SiteLinkMismatch {
                        href: c.href.clone(),
                        actor: doc.id.clone(),
                    };
                    return self.fail(f);
                }
            }
            Some(prev) => {
                // FEP-7628 / spec §4.3: prev.movedTo == doc needs doc.alsoKnownAs ∋ prev.
                if doc.id != canonical(requested) {
                    let f = ResolveFailure::BadActor {
                        url: requested.to_string(),
                        reason: format!("movedTo target serves id {}", doc.id),
                    };
                    return self.fail(f);
                }
                if !doc.aliases.contains(&prev.id) {
                    let f = ResolveFailure::MoveNotConfirmed {
                        from: prev.id.clone(),
                        to: doc.id.clone(),
                    };
                    return self.fail(f);
                }
            }
        }
        let next = doc.moved_to.clone();
        self.chain.push(doc);
        let Some(next) = next else {
            return self.finish_chain();
        };
        if self.chain.iter().any(|d| d.id == next) {
            let mut chain: Vec<String> = self.chain.iter().map(|d| d.id.clone()).collect();
            chain.push(next);
            return self.fail(ResolveFailure::MoveLoop { chain });
        }
        if self.chain.len() > self.config.max_moves {
            return self.fail(ResolveFailure::ChainTooLong {
                limit: self.config.max_moves,
            });
        }
        match Url::parse(&next) {
            Ok(u) => self.request(Pending::Actor(u)),
            Err(_) => self.fail(ResolveFailure::NotHttps { url: next }),
        }
    }

    fn link_back(&self, doc: &ActorDoc) -> Option<LinkBackVia> {
        match &self.start {
            Start::Website(_) => {
                if doc.field_sites.iter().any(|s| self.site_keys.contains(s)) {
                    return Some(LinkBackVia::ProfileField);
                }
                if doc.aliases.iter().any(|a| self.site_keys.contains(a)) {
                    return Some(LinkBackVia::AlsoKnownAs);
                }
                None
            }
            Start::Handle { user, domain } => {
                let on_domain = |u: &str| {
                    Url::parse(u)
                        .ok()
                        .and_then(|u| u.host_str().map(str::to_owned))
                        .is_some_and(|h| {
                            let host_port = domain.split(':').next().unwrap_or(domain);
                            h == host_port || h.ends_with(&format!(".{host_port}"))
                        })
                };
                if on_domain(&doc.id) {
                    return Some(LinkBackVia::SameDomain);
                }
                let acct = format!("acct:{user}@{domain}");
                if doc
                    .raw_aliases
                    .iter()
                    .any(|a| a.eq_ignore_ascii_case(&acct))
                    || doc.aliases.iter().any(|a| on_domain(a))
                {
                    return Some(LinkBackVia::AlsoKnownAs);
                }
                doc.field_sites
                    .iter()
                    .any(|s| on_domain(s))
                    .then_some(LinkBackVia::ProfileField)
            }
        }
    }

    fn finish_chain(&mut self) {
        let chain = std::mem::take(&mut self.chain);
        let Some(proof) = chain.iter().find_map(|d| {
            self.link_back(d).map(|via| LinkBackProof {
                actor: d.id.clone(),
                via,
            })
        }) else {
            let actors = chain.iter().map(|d| d.id.clone()).collect();
            return self.fail(ResolveFailure::NoLinkBack { actors });
        };
        let (Some(entry), Some(last)) = (chain.first(), chain.last()) else {
            return self.fail(ResolveFailure::NoLinkBack { actors: Vec::new() });
        };
        let mut evidence: Vec<Evidence> = chain
            .iter()
            .flat_map(|d| d.claims.iter().cloned())
            .collect();
        let anchor = match (&self.start, &self.current) {
            (Start::Website(_), Some(c)) => {
                let site = self.site_keys.first().cloned().unwrap_or_default();
                // The site links the entry actor; if the entry actor's field links the site too,
                // that is a rel-me pair verified both ways.
                if entry.field_sites.iter().any(|s| self.site_keys.contains(s)) {
                    evidence.push(Evidence::RelMe {
                        actor: entry.id.as_str().into(),
                        site: site.as_str().into(),
                    });
                }
                Anchor::RelMe {
                    site,
                    actor: entry.id.clone(),
                    rule: c.rule,
                }
            }
            _ => Anchor::WebFinger {
                resource: self.resource(),
                actor: entry.id.clone(),
            },
        };
        evidence.sort();
        evidence.dedup();
        let current = last.id.clone();
        let graph = build(&evidence, &GraphConfig::default());
        let persona = graph
            .persona_of(&Node::actor(current.clone()))
            .cloned()
            .unwrap_or_else(|| Persona {
                members: vec![Node::actor(current.clone())],
                links: Vec::new(),
                primary: Primary::Actor(current.clone()),
            });
        let resolution = Resolution {
            current,
            chain: chain.iter().map(|d| d.id.clone()).collect(),
            anchor,
            link_back: proof,
            evidence,
            persona,
        };
        if self.current.take().is_some() {
            self.successes.push(resolution);
            self.next_candidate();
        } else {
            self.outcome = Some(Ok(resolution));
        }
    }
}
