//! An identity that survives moves: from a person's own website or handle to their *current*
//! actor, sans-IO.
//!
//! A person who owns `my.domain` can give out `@me@my.domain` (its WebFinger names their actor)
//! or `https://my.domain/` (its rel-me links name their actor). When they move servers, the old
//! actor gets `movedTo` and the new one lists the old one in `alsoKnownAs`. The [`Resolver`]
//! follows that chain — bounded ([`ResolveConfig::max_moves`]), loop-detected, every hop
//! confirmed by the target's `alsoKnownAs` — and requires an actor of the chain to link back to
//! the start (same domain, a profile field, or `alsoKnownAs`), so a page or a domain cannot
//! claim somebody else's account. It never fetches: it says [`Step::Fetch`] and the caller
//! answers with [`Resolver::handle_response`], until [`Step::Done`].
//!
//! ```
//! use identity_links::resolve::{Resolver, ResolveConfig, Response, Start, Step};
//! use serde_json::json;
//! use url::Url;
//!
//! let a0 = "https://old.example/users/me";
//! let a1 = "https://mid.example/users/me";
//! let a2 = "https://new.example/users/me";
//! let documents = |url: &str| -> Option<serde_json::Value> {
//!     Some(match url {
//!         "https://my.domain/.well-known/webfinger?resource=acct%3Ame%40my.domain" => json!({
//!             "subject": "acct:me@my.domain",
//!             "links": [{"rel": "self", "type": "application/activity+json", "href": a0}]}),
//!         u if u == a0 => json!({"id": a0, "alsoKnownAs": ["acct:me@my.domain"], "movedTo": a1}),
//!         u if u == a1 => json!({"id": a1, "alsoKnownAs": [a0], "movedTo": a2}),
//!         u if u == a2 => json!({"id": a2, "alsoKnownAs": [a1]}),
//!         _ => return None,
//!     })
//! };
//! let mut resolver = Resolver::new(Start::parse("@me@my.domain")?, ResolveConfig::default());
//! let resolution = loop {
//!     match resolver.next() {
//!         Step::Fetch(request) => {
//!             // A real caller fetches here, calling request.check_hop(..) on every hop.
//!             let body = documents(request.url.as_str()).map(|d| d.to_string()).unwrap_or_default();
//!             let status = if body.is_empty() { 404 } else { 200 };
//!             resolver.handle_response(&Response {
//!                 final_url: &request.url, status, link_headers: &[], body: body.as_bytes(),
//!             });
//!         }
//!         Step::Done(result) => break result?,
//!     }
//! };
//! assert_eq!(resolution.current, a2);
//! assert_eq!(resolution.chain, [a0, a1, a2]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod documents;
mod machine;
mod outcome;
mod start;

pub use machine::{ACCEPT_ACTIVITY, ACCEPT_JRD, Resolver, Response, Step};
pub use outcome::{Anchor, LinkBackProof, LinkBackVia, Resolution, ResolveFailure};
pub use start::Start;

use crate::also_known_as::AliasLimits;
use crate::rel_me::RelMeConfig;

/// Limits of a resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolveConfig {
    /// `movedTo` hops followed at most (default 5).
    pub max_moves: usize,
    /// rel-me candidates of a website tried at most (default 4).
    pub max_candidates: usize,
    /// Fetch limits and field reading (body ≤ 1 MiB, ≤ 3 redirects).
    pub rel_me: RelMeConfig,
    /// `alsoKnownAs` reading limits.
    pub aliases: AliasLimits,
}

impl Default for ResolveConfig {
    fn default() -> Self {
        ResolveConfig {
            max_moves: 5,
            max_candidates: 4,
            rel_me: RelMeConfig::default(),
            aliases: AliasLimits::default(),
        }
    }
}
