//! Deciding whether a fetched page links back, and by which rule.

use url::Url;

use super::compare::{mastodon_equal, strict_key};
use super::fields::LinkBack;
use super::html::{HrefResolution, RelElement, RelMeLink, scan_html};
use super::link_header::parse_link_header;
use super::{Mode, RelMeConfig};

/// What the caller fetched for one [`FetchRequest`](super::FetchRequest).
#[derive(Debug, Clone, Copy)]
pub struct FetchedPage<'a> {
    /// The URL after the last redirect (relative hrefs resolve against it).
    pub final_url: &'a Url,
    /// HTTP status of the final response.
    pub status: u16,
    /// Values of every `Link` response header, in order.
    pub link_headers: &'a [String],
    /// The body (read up to the request's `max_bytes`; longer bodies are cut here too).
    pub body: &'a [u8],
}

/// Which rule made a page verify.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MatchRule {
    /// `<a rel="me" href>`.
    AnchorRelMe,
    /// `<link rel="me" href>`.
    LinkRelMe,
    /// `<area rel="me" href>` ([`Mode::Strict`] only).
    AreaRelMe,
    /// An RFC 8288 `Link: <…>; rel="me"` response header ([`Mode::Strict`] only).
    LinkHeader,
    /// Mastodon's fallback: the first rel-me link answers a HEAD with a redirect whose
    /// `Location` is the profile URL (spec §3.1 #34); weaker, flagged.
    RedirectFallback,
}

/// Which link-back target matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LinkBackTarget {
    /// The actor's `url` (profile page).
    ProfileUrl,
    /// The actor's `id`.
    ActorId,
}

/// Why a page verified.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelMeMatch {
    /// The rule.
    pub rule: MatchRule,
    /// The `href` (or `Link` target, or `Location`) as written.
    pub href: String,
    /// How the href was resolved.
    pub resolution: HrefResolution,
    /// Which target it equals.
    pub target: LinkBackTarget,
    /// The rel set also had `nofollow` (accepted, as servers do; spec §3.3 #44).
    pub nofollow: bool,
}

/// Why a page did not verify.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum NotVerified {
    /// The final status was not 200 (Mastodon counts only 200, spec §3.1 #32).
    Status(u16),
    /// The page has no rel-me link at all.
    NoRelMeLinks,
    /// The page has rel-me links, none to the actor (at most 8 listed).
    NoLinkBack {
        /// The rel-me hrefs found, as written.
        found: Vec<String>,
        /// [`Mode::Mastodon`]: the first rel-me link, for the HEAD redirect fallback
        /// ([`verify_redirect_fallback`]).
        redirect_fallback: Option<Url>,
    },
}

impl NotVerified {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            NotVerified::Status(_) => "status",
            NotVerified::NoRelMeLinks => "no_rel_me_links",
            NotVerified::NoLinkBack { .. } => "no_link_back",
        }
    }
}

/// The result of checking one page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// The page links back.
    Verified(RelMeMatch),
    /// It does not.
    NotVerified(NotVerified),
}

impl Verdict {
    /// `true` for [`Verdict::Verified`].
    pub fn is_verified(&self) -> bool {
        matches!(self, Verdict::Verified(_))
    }
}

/// Decides whether `page` links back to the actor described by `link_back`, under
/// `config.mode` (see [`Mode`] for the differences). HTML links are tried in document order,
/// then `Link` headers; the first match is reported.
pub fn verify_page(page: &FetchedPage<'_>, link_back: &LinkBack, config: &RelMeConfig) -> Verdict {
    if page.status != 200 {
        return Verdict::NotVerified(NotVerified::Status(page.status));
    }
    let scanned = scan_html(page.body, page.final_url, config.max_bytes);
    let mut found = Vec::new();
    let targets = Targets::new(link_back, config.mode);

    for link in &scanned.links {
        if config.mode == Mode::Mastodon && link.element == RelElement::Area {
            continue;
        }
        if let Some(m) = targets.match_link(link, config.mode) {
            return Verdict::Verified(m);
        }
        if found.len() < 8 {
            found.push(link.href.clone());
        }
    }
    let first_html = scanned
        .links
        .iter()
        .find(|l| l.element != RelElement::Area)
        .and_then(|l| Url::parse(l.href.trim()).ok());

    if config.mode == Mode::Strict {
        for header in page.link_headers.iter().take(16) {
            for lv in parse_link_header(header) {
                if !lv.rels.iter().any(|r| r == "me") {
                    continue;
                }
                // RFC 8288 §3.2: a link with another context (anchor) is not about this page.
                if let Some(anchor) = &lv.anchor
                    && page.final_url.join(anchor).ok().map(|u| strict_key(&u))
                        != Some(strict_key(page.final_url))
                {
                    continue;
                }
                let link = RelMeLink {
                    element: RelElement::Link,
                    href: lv.target.clone(),
                    resolved: page.final_url.join(lv.target.trim()).ok(),
                    resolution: if Url::parse(lv.target.trim()).is_ok() {
                        HrefResolution::Absolute
                    } else {
                        HrefResolution::AgainstFinalUrl
                    },
                    nofollow: lv.rels.iter().any(|r| r == "nofollow"),
                };
                if let Some(mut m) = targets.match_link(&link, Mode::Strict) {
                    m.rule = MatchRule::LinkHeader;
                    return Verdict::Verified(m);
                }
                if found.len() < 8 {
                    found.push(lv.target);
                }
            }
        }
    }
    if found.is_empty() {
        return Verdict::NotVerified(NotVerified::NoRelMeLinks);
    }
    let redirect_fallback = match config.mode {
        Mode::Mastodon => first_html,
        Mode::Strict => None,
    };
    Verdict::NotVerified(NotVerified::NoLinkBack {
        found,
        redirect_fallback,
    })
}

/// Mastodon's redirect fallback (spec §3.1 #34): after a HEAD of
/// [`NotVerified::NoLinkBack::redirect_fallback`] *without following redirects*, the response's
/// `Location` must equal the profile URL exactly (case-sensitive). Only in [`Mode::Mastodon`].
pub fn verify_redirect_fallback(
    location: &str,
    link_back: &LinkBack,
    config: &RelMeConfig,
) -> Option<RelMeMatch> {
    if config.mode != Mode::Mastodon || location != link_back.mastodon_target() {
        return None;
    }
    Some(RelMeMatch {
        rule: MatchRule::RedirectFallback,
        href: location.to_owned(),
        resolution: HrefResolution::Absolute,
        target: if link_back.profile_urls.is_empty() {
            LinkBackTarget::ActorId
        } else {
            LinkBackTarget::ProfileUrl
        },
        nofollow: false,
    })
}

struct Targets<'a> {
    /// (strict key, target kind) for Strict; raw strings for Mastodon.
    strict: Vec<(String, LinkBackTarget)>,
    mastodon: (&'a str, LinkBackTarget),
}

impl<'a> Targets<'a> {
    fn new(link_back: &'a LinkBack, mode: Mode) -> Self {
        let mut strict = Vec::new();
        if mode == Mode::Strict {
            for u in &link_back.profile_urls {
                if let Ok(p) = Url::parse(u.trim()) {
                    strict.push((strict_key(&p), LinkBackTarget::ProfileUrl));
                }
            }
            if let Ok(p) = Url::parse(link_back.id.trim()) {
                strict.push((strict_key(&p), LinkBackTarget::ActorId));
            }
        }
        let mastodon_kind = if link_back.profile_urls.is_empty() {
            LinkBackTarget::ActorId
        } else {
            LinkBackTarget::ProfileUrl
        };
        Targets {
            strict,
            mastodon: (link_back.mastodon_target(), mastodon_kind),
        }
    }

    fn match_link(&self, link: &RelMeLink, mode: Mode) -> Option<RelMeMatch> {
        let target = match mode {
            Mode::Mastodon => {
                mastodon_equal(&link.href, self.mastodon.0).then_some(self.mastodon.1)?
            }
            Mode::Strict => {
                let key = strict_key(link.resolved.as_ref()?);
                self.strict
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, t)| *t)?
            }
        };
        let rule = match link.element {
            RelElement::A => MatchRule::AnchorRelMe,
            RelElement::Link => MatchRule::LinkRelMe,
            RelElement::Area => MatchRule::AreaRelMe,
        };
        Some(RelMeMatch {
            rule,
            href: link.href.clone(),
            resolution: if mode == Mode::Mastodon {
                HrefResolution::Absolute
            } else {
                link.resolution
            },
            target,
            nofollow: link.nofollow,
        })
    }
}
