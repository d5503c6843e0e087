//! The delivery list: followers' (shared) inboxes, deduplicated, streaming.

use std::collections::HashSet;

use crate::inbound::{ActorFacts, is_http_id};

/// Default cap on remembered inboxes.
pub const DEFAULT_MAX_INBOXES: usize = 1_000_000;

/// Where one follower (or extra audience) receives activities.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Endpoint {
    /// The personal inbox.
    pub inbox: Option<String>,
    /// `endpoints.sharedInbox`, preferred when present (one delivery per server).
    pub shared_inbox: Option<String>,
}

impl Endpoint {
    /// An endpoint with only a personal inbox.
    pub fn inbox(inbox: impl Into<String>) -> Self {
        Endpoint {
            inbox: Some(inbox.into()),
            shared_inbox: None,
        }
    }

    /// An endpoint with a personal and a shared inbox.
    pub fn with_shared(inbox: impl Into<String>, shared: impl Into<String>) -> Self {
        Endpoint {
            inbox: Some(inbox.into()),
            shared_inbox: Some(shared.into()),
        }
    }
}

impl From<&ActorFacts> for Endpoint {
    fn from(actor: &ActorFacts) -> Self {
        Endpoint {
            inbox: actor.inbox.clone(),
            shared_inbox: actor.shared_inbox.clone(),
        }
    }
}

/// Deduplicates delivery inboxes while streaming over followers.
///
/// Memory is one `HashSet` of inbox URLs: with shared inboxes that is one entry per *server*,
/// not per follower. Past `max_inboxes` remembered entries it stops remembering and passes
/// inboxes through (a duplicate delivery is harmless: receivers dedupe on the activity id); the
/// [`DeliveryList::overflowed`] count says how many went through unremembered.
///
/// Extra audiences (Mastodon also delivers a Move to accounts that block the origin, and to
/// relays — spec/move.md §1.5 #28) are offered the same way.
#[derive(Debug, Clone)]
pub struct DeliveryList {
    seen: HashSet<String>,
    max_inboxes: usize,
    overflowed: usize,
    invalid: usize,
}

impl Default for DeliveryList {
    fn default() -> Self {
        DeliveryList::with_limit(DEFAULT_MAX_INBOXES)
    }
}

impl DeliveryList {
    /// An empty list with the default cap.
    pub fn new() -> Self {
        DeliveryList::default()
    }

    /// An empty list remembering at most `max_inboxes` inboxes.
    pub fn with_limit(max_inboxes: usize) -> Self {
        DeliveryList {
            seen: HashSet::new(),
            max_inboxes,
            overflowed: 0,
            invalid: 0,
        }
    }

    /// Offer one endpoint; returns the inbox to deliver to if it was not delivered to yet.
    /// The shared inbox wins over the personal one; non-http(s) inboxes are skipped (counted in
    /// [`DeliveryList::invalid`]).
    pub fn offer(&mut self, endpoint: &Endpoint) -> Option<String> {
        let chosen = endpoint
            .shared_inbox
            .as_deref()
            .filter(|s| is_http_id(s, 2048))
            .or(endpoint.inbox.as_deref().filter(|s| is_http_id(s, 2048)));
        let Some(inbox) = chosen else {
            self.invalid += 1;
            return None;
        };
        if self.seen.contains(inbox) {
            return None;
        }
        if self.seen.len() >= self.max_inboxes {
            self.overflowed += 1;
            return Some(inbox.to_owned());
        }
        self.seen.insert(inbox.to_owned());
        Some(inbox.to_owned())
    }

    /// Stream the new inboxes of `endpoints`, in order, each once.
    pub fn stream<'a, I>(&'a mut self, endpoints: I) -> impl Iterator<Item = String> + 'a
    where
        I: IntoIterator<Item = Endpoint>,
        I::IntoIter: 'a,
    {
        endpoints.into_iter().filter_map(move |e| self.offer(&e))
    }

    /// Inboxes remembered so far.
    pub fn len(&self) -> usize {
        self.seen.len()
    }

    /// True when nothing was delivered yet.
    pub fn is_empty(&self) -> bool {
        self.seen.is_empty()
    }

    /// Inboxes passed through without being remembered (over the cap).
    pub fn overflowed(&self) -> usize {
        self.overflowed
    }

    /// Endpoints skipped because no inbox was an http(s) URL.
    pub fn invalid(&self) -> usize {
        self.invalid
    }
}

/// Pull mode: the actors to address, from the follower list the person kept (already parsed,
/// e.g. by [`crate::follower_list`]). Streams: no list is collected. Skips values that are not
/// http(s) actor ids and the two accounts of the migration themselves. The caller resolves each
/// to its inbox (and may feed those through a [`DeliveryList`]).
pub fn pull_recipients<'a, I, S>(
    follower_ids: I,
    cleared: &'a crate::outbound::ClearedMove,
) -> impl Iterator<Item = S> + 'a
where
    I: IntoIterator<Item = S>,
    I::IntoIter: 'a,
    S: AsRef<str> + 'a,
{
    follower_ids.into_iter().filter(move |id| {
        let id = id.as_ref();
        is_http_id(id, 2048) && id != cleared.origin() && id != cleared.target()
    })
}
