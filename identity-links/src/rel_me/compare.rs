//! URL comparison for link-back matching and `Site` node keys (spec §3.4 "Trailing slash",
//! "Case"; §4.3 safety rail 3).

use url::Url;

use super::error::{RelMeError, clip};

/// How rel-me hrefs are compared with the link-back targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Mode {
    /// Parse and normalise: scheme and host case-insensitive, default port dropped, empty path
    /// ≡ `/`, fragment ignored, path and query exact (a trailing slash *is* significant,
    /// mastodon/mastodon#9195); relative hrefs resolved against the final URL and `<base href>`;
    /// `a`, `area`, `link` and the `Link` response header; actor `url` **and** `id` accepted.
    #[default]
    Strict,
    /// What Mastodon's `VerifyLinkService` does (spec §3.1 #31–#34): only `a` and `link`; the
    /// raw `href` compared with the profile URL (the actor's `url`, or its `id` when it has no
    /// `url`) as whole strings, case-insensitively — no relative resolution, no `<base>`, no
    /// port or trailing-slash normalisation; no `Link` header; optional first-link redirect
    /// fallback ([`verify_redirect_fallback`](super::verify_redirect_fallback)). `rel` tokens are
    /// lowercased and split on HTML whitespace as in current Mastodon (`NokogiriHandler`), not
    /// matched case-sensitively as by its older XPath.
    Mastodon,
}

/// Parses `input` as an absolute URL, mapping the parser error.
pub(crate) fn parse_absolute(input: &str) -> Result<Url, RelMeError> {
    Url::parse(input.trim()).map_err(|e| RelMeError::InvalidUrl {
        input: clip(input, 200),
        reason: e.to_string(),
    })
}

/// The normalised key of a URL under [`Mode::Strict`]: what the `url` crate's WHATWG
/// serialisation gives (lowercase scheme and host, IDNA, default port dropped, empty path `/`)
/// minus the fragment.
pub fn strict_key(url: &Url) -> String {
    let mut u = url.clone();
    u.set_fragment(None);
    u.into()
}

/// The key of a website for the persona graph's `Site` nodes: [`strict_key`] of an `https`
/// URL. Errors when `input` is not an absolute `https` URL.
pub fn site_key(input: &str) -> Result<String, RelMeError> {
    let url = parse_absolute(input)?;
    if url.scheme() != "https" {
        return Err(RelMeError::NotHttps {
            url: clip(input, 200),
        });
    }
    Ok(strict_key(&url))
}

/// Mastodon's comparison: `href.downcase == link_back.downcase` (spec §3.1 #33).
pub(crate) fn mastodon_equal(href: &str, target: &str) -> bool {
    href.to_lowercase() == target.to_lowercase()
}
