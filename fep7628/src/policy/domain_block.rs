//! Domain blocks: exact host and every subdomain, case-insensitive, trailing dot ignored, IDNs
//! compared in punycode; each rule with a severity (suspend ⇒ reject, silence ⇒ hold, noop ⇒
//! accept). The most specific rule wins, as in Mastodon (`DomainBlock.rule_for`).
//!
//! A rule may also be known only by its digest: servers that publish their blocks with the
//! domain obfuscated (`ex**ple.com`) give the SHA-256 of the real domain beside it (Mastodon's
//! `DomainBlock#domain_digest`, `Digest::SHA256.hexdigest(domain)`, in
//! `/api/v1/instance/domain_blocks`). Such a rule is enforced by hashing the arriving host and
//! each of its parent domains and comparing ([`DomainBlockPolicy::insert_digest`]); the domain
//! itself is never guessed.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

use crate::inbound::{ActorFacts, host_of};
use crate::policy::{ArrivingFollower, InboundMoveContext, MigrationPolicy, PolicyReason, Verdict};

/// Maximum labels walked for one host (DNS names have at most 127).
const MAX_LABELS: usize = 128;

/// What a domain rule does to a migration touching the domain.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum DomainSeverity {
    /// Mastodon `noop` (e.g. only media rejected): no effect on migrations; a more specific
    /// `noop` rule exempts a subdomain of a blocked domain.
    Noop,
    /// Mastodon `silence` (shared lists: `limit`): held for a moderator.
    Silence,
    /// Mastodon `suspend`: rejected.
    #[default]
    Suspend,
}

impl DomainSeverity {
    /// `noop`, `silence` or `suspend`.
    pub fn as_str(self) -> &'static str {
        match self {
            DomainSeverity::Noop => "noop",
            DomainSeverity::Silence => "silence",
            DomainSeverity::Suspend => "suspend",
        }
    }
}

impl fmt::Display for DomainSeverity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for DomainSeverity {
    type Err = ();

    /// `suspend`, `silence`, `limit` (GoToSocial and shared lists), `noop` or the empty string
    /// (noop), ASCII case-insensitive.
    fn from_str(s: &str) -> Result<Self, ()> {
        match s.trim().to_ascii_lowercase().as_str() {
            "suspend" => Ok(DomainSeverity::Suspend),
            "silence" | "limit" => Ok(DomainSeverity::Silence),
            "noop" | "" => Ok(DomainSeverity::Noop),
            _ => Err(()),
        }
    }
}

/// Rejects Moves whose target lives on a blocked (`suspend`) domain (GoToSocial: target domain
/// blocked ⇒ ignore), and followers arriving from one; holds them for a limited (`silence`)
/// domain; ignores `noop` rules. Rules are added one by one or imported from a blocklist
/// ([`crate::moderation::Blocklist`]).
#[derive(Debug, Clone, Default)]
pub struct DomainBlockPolicy {
    blocked: HashMap<String, DomainSeverity>,
    /// Rules known by the SHA-256 of the domain: the form the list showed, and the severity.
    digests: HashMap<[u8; 32], (String, DomainSeverity)>,
}

/// The SHA-256 of a normalised domain (lower case, punycode, no trailing dot), as Mastodon
/// publishes it beside an obfuscated block: `Digest::SHA256.hexdigest(domain)`.
pub fn domain_digest(normalized: &str) -> [u8; 32] {
    Sha256::digest(normalized.as_bytes()).into()
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
        self.insert(domain, DomainSeverity::Suspend)
    }

    /// Add a rule with a severity (`example.com` also covers `a.example.com`); a second rule
    /// for the same domain keeps the more severe of the two. Returns `false` if the rule is not
    /// a domain name.
    pub fn insert(&mut self, domain: &str, severity: DomainSeverity) -> bool {
        match normalize_domain(domain) {
            Some(d) => {
                let slot = self.blocked.entry(d).or_insert(severity);
                *slot = (*slot).max(severity);
                true
            }
            None => false,
        }
    }

    /// Add a rule known only by the SHA-256 `digest` of its normalised domain (see
    /// [`domain_digest`]); `shown_as` is the form the list published (`ex**ple.com`), reported as
    /// the rule when it matches. It covers the domain and every subdomain, like a named rule; a
    /// second rule for the same digest keeps the more severe of the two.
    ///
    /// ```
    /// use fep7628::policy::{DomainBlockPolicy, DomainSeverity, domain_digest};
    /// let mut policy = DomainBlockPolicy::new();
    /// policy.insert_digest(domain_digest("example.com"), "ex**ple.com", DomainSeverity::Suspend);
    /// assert_eq!(policy.rule_for("a.EXAMPLE.com."), Some(("ex**ple.com", DomainSeverity::Suspend)));
    /// assert_eq!(policy.rule_for("exaple.com"), None);
    /// ```
    pub fn insert_digest(&mut self, digest: [u8; 32], shown_as: &str, severity: DomainSeverity) {
        let slot = self
            .digests
            .entry(digest)
            .or_insert_with(|| (shown_as.to_owned(), severity));
        slot.1 = slot.1.max(severity);
    }

    /// Number of rules (named and by digest).
    pub fn len(&self) -> usize {
        self.blocked.len() + self.digests.len()
    }

    /// True when there is no rule.
    pub fn is_empty(&self) -> bool {
        self.blocked.is_empty() && self.digests.is_empty()
    }

    /// Rules per severity: `(noop, silence, suspend)`.
    pub fn counts(&self) -> (usize, usize, usize) {
        let mut counts = (0, 0, 0);
        let by_digest = self.digests.values().map(|(_, s)| s);
        for severity in self.blocked.values().chain(by_digest) {
            match severity {
                DomainSeverity::Noop => counts.0 += 1,
                DomainSeverity::Silence => counts.1 += 1,
                DomainSeverity::Suspend => counts.2 += 1,
            }
        }
        counts
    }

    /// The most specific rule covering `host` and its severity, if any.
    pub fn rule_for(&self, host: &str) -> Option<(&str, DomainSeverity)> {
        if self.is_empty() {
            return None;
        }
        let host = normalize_domain(host)?;
        self.lookup(&host)
    }

    /// Builder form of [`DomainBlockPolicy::block`]; invalid rules are ignored.
    pub fn with_block(mut self, domain: &str) -> Self {
        self.block(domain);
        self
    }

    /// The rule covering `host` with effect (`suspend` or `silence`), if any.
    pub fn matching_rule(&self, host: &str) -> Option<&str> {
        match self.rule_for(host)? {
            (_, DomainSeverity::Noop) => None,
            (rule, _) => Some(rule),
        }
    }

    /// `host` is already lower case and punycode (as the URL parser gives it). The most
    /// specific rule wins.
    fn lookup(&self, host: &str) -> Option<(&str, DomainSeverity)> {
        let host = host.trim_end_matches('.');
        if let Some(found) = self.rule_at(host) {
            return Some(found);
        }
        if host.starts_with('[') {
            return None;
        }
        let mut rest = host;
        for _ in 0..MAX_LABELS {
            let (_, parent) = rest.split_once('.')?;
            if let Some(found) = self.rule_at(parent) {
                return Some(found);
            }
            rest = parent;
        }
        None
    }

    /// The rule for exactly `domain`: by name, else by digest (hashed only when there are
    /// digest rules).
    fn rule_at(&self, domain: &str) -> Option<(&str, DomainSeverity)> {
        if let Some((rule, severity)) = self.blocked.get_key_value(domain) {
            return Some((rule, *severity));
        }
        if self.digests.is_empty() {
            return None;
        }
        self.digests
            .get(&domain_digest(domain))
            .map(|(shown, severity)| (shown.as_str(), *severity))
    }

    fn verdict_for_id(&self, id: &str) -> Verdict {
        if self.is_empty() {
            return Verdict::Accept;
        }
        // The URL parser already lower-cases the host and converts IDNs to punycode.
        let Some(host) = host_of(id) else {
            return Verdict::Accept;
        };
        match self.lookup(&host) {
            Some((rule, DomainSeverity::Suspend)) => Verdict::Reject(PolicyReason::DomainBlocked {
                host: host.trim_end_matches('.').to_owned(),
                rule: rule.to_owned(),
            }),
            Some((rule, DomainSeverity::Silence)) => {
                Verdict::Hold(vec![PolicyReason::DomainLimited {
                    host: host.trim_end_matches('.').to_owned(),
                    rule: rule.to_owned(),
                }])
            }
            Some((_, DomainSeverity::Noop)) | None => Verdict::Accept,
        }
    }
}

impl MigrationPolicy for DomainBlockPolicy {
    fn inbound_move(&self, ctx: &InboundMoveContext<'_>) -> Verdict {
        self.verdict_for_id(ctx.target)
    }

    fn target_fetched(&self, _ctx: &InboundMoveContext<'_>, target: &ActorFacts) -> Verdict {
        // The inbox may live elsewhere than the id; never deliver there either.
        // (A limited inbox host is not held again: the target's own host was judged before.)
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
