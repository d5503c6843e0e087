//! rel-me verification, sans-IO (spec `identity-links.md` §3).
//!
//! An actor's profile fields name websites; a website *verifies* when its HTML (or its `Link`
//! response header) links back to the actor with the rel token `me`. This module never fetches:
//! [`RelMePlan::from_actor`] says which URLs to GET and with which limits
//! ([`FetchRequest`]: 1 MiB, 3 redirects, `https` only), the caller's fetcher runs
//! [`check_redirect`] on every hop with the addresses it is about to connect to, and
//! [`verify_page`] decides from what was fetched, naming the rule that matched.
//!
//! Two modes ([`Mode`]): [`Mode::Strict`] (default) normalises and resolves URLs and accepts the
//! actor `url` and `id`; [`Mode::Mastodon`] reproduces Mastodon's `VerifyLinkService`.
//!
//! ```
//! use identity_links::rel_me::{FetchedPage, RelMeConfig, RelMePlan, Verdict, MatchRule};
//! use serde_json::json;
//!
//! let actor = json!({
//!     "id": "https://social.example/users/alice",
//!     "url": "https://social.example/@alice",
//!     "attachment": [{"type": "PropertyValue", "name": "Site",
//!         "value": "<a href=\"https://alice.example/\" rel=\"me nofollow\">https://alice.example/</a>"}]
//! });
//! let config = RelMeConfig::default();
//! let plan = RelMePlan::from_actor(&actor, &config)?;
//! assert_eq!(plan.checks.len(), 1);
//! let request = &plan.checks[0].request;
//! assert_eq!((request.max_bytes, request.max_redirects), (1 << 20, 3));
//!
//! // The caller fetches request.url, checking every hop:
//! let addrs = ["203.0.114.7".parse()?];
//! request.check_hop(0, &request.url, &addrs)?;
//! let html = br#"<html><head><link rel="ME" href="https://social.example/@alice"></head></html>"#;
//! let page = FetchedPage { final_url: &request.url, status: 200, link_headers: &[], body: html };
//! match plan.verify(&page, &config) {
//!     Verdict::Verified(m) => assert_eq!(m.rule, MatchRule::LinkRelMe),
//!     other => panic!("{other:?}"),
//! }
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod compare;
mod error;
mod fetch;
mod fields;
mod html;
mod link_header;
mod verify;

use serde_json::Value;

/// The URL type used throughout (re-exported so callers need not depend on `url` directly).
pub use url::Url;

pub use compare::{Mode, site_key, strict_key};
pub use error::{AddressClass, RelMeError};
pub use fetch::{FetchRequest, address_class, check_redirect, check_url};
pub use fields::{LinkBack, ProfileLink, SkippedField, field_link, profile_links};
pub use html::{
    HrefResolution, MAX_REL_ME_LINKS, RelElement, RelMeLink, ScannedPage, rel_tokens, scan_html,
};
pub use link_header::{LinkValue, MAX_LINK_HEADER_LEN, MAX_LINK_VALUES, parse_link_header};
pub use verify::{
    FetchedPage, LinkBackTarget, MatchRule, NotVerified, RelMeMatch, Verdict, verify_page,
    verify_redirect_fallback,
};

/// `Accept` header for rel-me page fetches (Mastodon sends `text/html`).
pub const ACCEPT_HTML: &str = "text/html";

/// Limits and mode of rel-me verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelMeConfig {
    /// How hrefs are compared (default [`Mode::Strict`]).
    pub mode: Mode,
    /// Body bytes read per page (default 1 MiB; Mastodon's `truncated_body` limit).
    pub max_bytes: usize,
    /// Redirects followed per page (default 3).
    pub max_redirects: u8,
    /// `attachment` entries read (default 32).
    pub max_fields: usize,
    /// Bytes of one field value (default 2,047: Mastodon's remote limit).
    pub max_field_len: usize,
    /// Actor `url` values read (default 8).
    pub max_profile_urls: usize,
}

impl Default for RelMeConfig {
    fn default() -> Self {
        RelMeConfig {
            mode: Mode::Strict,
            max_bytes: 1 << 20,
            max_redirects: 3,
            max_fields: 32,
            max_field_len: 2047,
            max_profile_urls: 8,
        }
    }
}

impl RelMeConfig {
    /// The defaults with [`Mode::Mastodon`].
    pub fn mastodon() -> Self {
        RelMeConfig {
            mode: Mode::Mastodon,
            ..RelMeConfig::default()
        }
    }
}

/// One profile link to check and the request that fetches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelMeCheck {
    /// The field.
    pub link: ProfileLink,
    /// What to GET.
    pub request: FetchRequest,
}

/// Everything to fetch to verify an actor's profile links.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelMePlan {
    /// The actor's link-back targets.
    pub link_back: LinkBack,
    /// Links to fetch, one request per distinct URL, in field order.
    pub checks: Vec<RelMeCheck>,
    /// Fields that are not checked, with the reason (e.g. `http:` links).
    pub skipped: Vec<SkippedField>,
}

impl RelMePlan {
    /// Reads the actor document and lists the fetches. Errors only when the actor has no `id`.
    pub fn from_actor(actor: &Value, config: &RelMeConfig) -> Result<Self, RelMeError> {
        let link_back = LinkBack::from_actor(actor, config)?;
        let (links, skipped) = profile_links(actor, config);
        let mut checks: Vec<RelMeCheck> = Vec::new();
        let mut skipped = skipped;
        for link in links {
            if checks.iter().any(|c| c.request.url == link.url) {
                continue;
            }
            match FetchRequest::new(link.url.clone(), ACCEPT_HTML, config) {
                Ok(request) => checks.push(RelMeCheck { link, request }),
                Err(reason) => skipped.push(SkippedField {
                    field_index: link.field_index,
                    name: link.name,
                    reason,
                }),
            }
        }
        Ok(RelMePlan {
            link_back,
            checks,
            skipped,
        })
    }

    /// The persona-graph evidence for a check whose page verified: `RelMe { actor, site }` with
    /// the actor's canonical id and the field URL's [`site_key`]; `None` when `verdict` is not
    /// [`Verdict::Verified`] or the actor id is not an `http(s)` URL.
    pub fn evidence(
        &self,
        check: &RelMeCheck,
        verdict: &Verdict,
    ) -> Option<crate::persona::Evidence> {
        if !verdict.is_verified() {
            return None;
        }
        let actor = crate::also_known_as::canonical_id(&self.link_back.id)?;
        Some(crate::persona::Evidence::RelMe {
            actor: actor.into(),
            site: strict_key(&check.request.url).into(),
        })
    }

    /// [`verify_page`] against this plan's link-back targets.
    pub fn verify(&self, page: &FetchedPage<'_>, config: &RelMeConfig) -> Verdict {
        verify_page(page, &self.link_back, config)
    }
}
