//! Domain blocks: exact host and every subdomain, case-insensitive, trailing dot ignored, IDNs
//! compared in punycode.

use std::collections::HashSet;

use crate::inbound::{ActorFacts, host_of};
use crate::policy::{ArrivingFollower, InboundMoveContext, MigrationPolicy, PolicyReason, Verdict};

/// Maximum labels walked for one host (DNS names have at most 127).
const MAX_LABELS: usize = 128;

/// Rejects Moves whose target lives on a blocked domain (GoToSocial: target domain blocked ⇒
/// ignore), and followers arriving from a blocked domain.
#[derive(Debug, Clone, Default)]
pub struct DomainBlockPolicy {
    blocked: HashSet<String>,
}

/// Normalise a host or block rule: lower case, no trailing dot, IDNA → punycode.
/// Returns `None` for something that is not a domain name.
pub fn normalize_domain(raw: &str) -> Option<String> {
    let trimmed = raw.trim().trim_end_matches('.');
    if trimmed.is_empty() {
        return None;
    }
    match url::Host::parse(trimmed).ok()? {
        url::Host::Domain(d) => Some(d.trim_end_matches('.').to_ascii_lowercase()),
        url::Host::Ipv4(ip) => Some(ip.to_string()),
        url::Host::Ipv6(ip) => Some(format!("[{ip}]")),
    }
}

impl DomainBlockPolicy {
    /// No blocks.
    pub fn new() -> Self {
        DomainBlockPolicy::default()
    }

    /// Add a block rule (`example.com` also blocks `a.example.com`). Returns `false` if the
    /// rule is not a domain name.
    pub fn block(&mut self, domain: &str) -> bool {
        match normalize_domain(domain) {
            Some(d) => {
                self.blocked.insert(d);
                true
            }
            None => false,
        }
    }

    /// Builder form of [`DomainBlockPolicy::block`]; invalid rules are ignored.
    pub fn with_block(mut self, domain: &str) -> Self {
        self.block(domain);
        self
    }

    /// The rule covering `host`, if any.
    pub fn matching_rule(&self, host: &str) -> Option<&str> {
        if self.blocked.is_empty() {
            return None;
        }
        let host = normalize_domain(host)?;
        self.rule_for_normalized(&host)
    }

    /// `host` is already lower case and punycode (as the URL parser gives it).
    fn rule_for_normalized(&self, host: &str) -> Option<&str> {
        let host = host.trim_end_matches('.');
        if let Some(rule) = self.blocked.get(host) {
            return Some(rule);
        }
        if host.starts_with('[') {
            return None;
        }
        let mut rest = host;
        for _ in 0..MAX_LABELS {
            let (_, parent) = rest.split_once('.')?;
            if let Some(rule) = self.blocked.get(parent) {
                return Some(rule);
            }
            rest = parent;
        }
        None
    }

    fn verdict_for_id(&self, id: &str) -> Verdict {
        if self.blocked.is_empty() {
            return Verdict::Accept;
        }
        // The URL parser already lower-cases the host and converts IDNs to punycode.
        let Some(host) = host_of(id) else {
            return Verdict::Accept;
        };
        match self.rule_for_normalized(&host) {
            Some(rule) => Verdict::Reject(PolicyReason::DomainBlocked {
                host: host.trim_end_matches('.').to_owned(),
                rule: rule.to_owned(),
            }),
            None => Verdict::Accept,
        }
    }
}

impl MigrationPolicy for DomainBlockPolicy {
    fn inbound_move(&self, ctx: &InboundMoveContext<'_>) -> Verdict {
        self.verdict_for_id(ctx.target)
    }

    fn target_fetched(&self, _ctx: &InboundMoveContext<'_>, target: &ActorFacts) -> Verdict {
        // The inbox may live elsewhere than the id; never deliver there either.
        let inboxes = target.inbox.iter().chain(target.shared_inbox.iter());
        for inbox in inboxes {
            if let v @ Verdict::Reject(_) = self.verdict_for_id(inbox) {
                return v;
            }
        }
        Verdict::Accept
    }

    fn arriving_follower(&self, arrival: &ArrivingFollower<'_>) -> Verdict {
        self.verdict_for_id(arrival.follower)
    }
}
