//! Finding rel-me links in an HTML page with an HTML5 parser (spec §3.3 #42–#43).

use scraper::Html;
use url::Url;

/// The element a rel-me link was found on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RelElement {
    /// `<a rel="me" href>`.
    A,
    /// `<link rel="me" href>`.
    Link,
    /// `<area rel="me" href>` (HTML and microformats2 allow it; Mastodon does not read it).
    Area,
}

/// How a rel-me `href` became an absolute URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum HrefResolution {
    /// The `href` was already absolute.
    Absolute,
    /// Relative, resolved against the page's final URL (after redirects).
    AgainstFinalUrl,
    /// Relative, resolved against the document's `<base href>`.
    ViaBase,
}

/// One element carrying the rel token `me`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RelMeLink {
    /// The element.
    pub element: RelElement,
    /// The `href` attribute as written.
    pub href: String,
    /// The absolute URL (`None` when it does not resolve).
    pub resolved: Option<Url>,
    /// How it was resolved.
    pub resolution: HrefResolution,
    /// The rel set also contains `nofollow`. XFN says such a `me` does not indicate identity;
    /// Mastodon, Akkoma and Misskey ignore that rule and Mastodon emits `me nofollow` itself
    /// (spec §3.3 #44), so it is accepted and flagged.
    pub nofollow: bool,
}

/// What [`scan_html`] found.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ScannedPage {
    /// rel-me links in document order, at most [`MAX_REL_ME_LINKS`].
    pub links: Vec<RelMeLink>,
    /// The document base URL from the first `<base href>`, when one applies.
    pub base: Option<Url>,
    /// The body was longer than the limit and was cut.
    pub truncated: bool,
}

/// rel-me links kept per page; the rest are dropped (a real page has a handful).
pub const MAX_REL_ME_LINKS: usize = 1024;

/// HTML whitespace (WHATWG: U+0020, U+0009, U+000A, U+000C, U+000D).
fn is_html_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0C' | '\r')
}

/// The tokens of a `rel` attribute, ASCII-lowercased (link types are ASCII case-insensitive,
/// spec §3.3 #42).
pub fn rel_tokens(rel: &str) -> impl Iterator<Item = String> + '_ {
    rel.split(is_html_space)
        .filter(|t| !t.is_empty())
        .map(str::to_ascii_lowercase)
}

/// Parses at most `max_bytes` of `body` (UTF-8, invalid sequences replaced) as an HTML5
/// document and lists the `a`, `area` and `link` elements whose `rel` contains `me`. Relative
/// hrefs resolve against the first `<base href>` (itself resolved against `final_url`), else
/// against `final_url`. Total: any bytes give a result.
pub fn scan_html(body: &[u8], final_url: &Url, max_bytes: usize) -> ScannedPage {
    let truncated = body.len() > max_bytes;
    let body = body.get(..max_bytes).unwrap_or(body);
    let text = String::from_utf8_lossy(body);
    let document = Html::parse_document(&text);

    // HTML §"document base URL": the first base element with an href, in tree order.
    let base = document
        .root_element()
        .descendent_elements()
        .find(|e| e.value().name() == "base" && e.value().attr("href").is_some())
        .and_then(|e| e.value().attr("href"))
        .and_then(|href| final_url.join(href.trim()).ok())
        .filter(|u| matches!(u.scheme(), "http" | "https"));

    let mut links = Vec::new();
    for element in document.root_element().descendent_elements() {
        if links.len() >= MAX_REL_ME_LINKS {
            break;
        }
        let el = element.value();
        let kind = match el.name() {
            "a" => RelElement::A,
            "link" => RelElement::Link,
            "area" => RelElement::Area,
            _ => continue,
        };
        let (Some(rel), Some(href)) = (el.attr("rel"), el.attr("href")) else {
            continue;
        };
        let mut me = false;
        let mut nofollow = false;
        for token in rel_tokens(rel) {
            me |= token == "me";
            nofollow |= token == "nofollow";
        }
        if !me {
            continue;
        }
        let (resolved, resolution) = resolve_href(href, final_url, base.as_ref());
        links.push(RelMeLink {
            element: kind,
            href: href.to_owned(),
            resolved,
            resolution,
            nofollow,
        });
    }
    ScannedPage {
        links,
        base,
        truncated,
    }
}

fn resolve_href(href: &str, final_url: &Url, base: Option<&Url>) -> (Option<Url>, HrefResolution) {
    if let Ok(abs) = Url::parse(href.trim()) {
        return (Some(abs), HrefResolution::Absolute);
    }
    match base {
        Some(b) => (b.join(href.trim()).ok(), HrefResolution::ViaBase),
        None => (
            final_url.join(href.trim()).ok(),
            HrefResolution::AgainstFinalUrl,
        ),
    }
}
