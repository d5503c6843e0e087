//! Reading an actor document: the link-back targets (`id`, `url`) and the profile fields whose
//! value is a link (`attachment` entries of type `PropertyValue`, spec §3.1 #30).

use scraper::{Html, Node};
use serde_json::Value;
use url::Url;

use super::RelMeConfig;
use super::compare::parse_absolute;
use super::error::{RelMeError, clip};
use super::fetch::check_url;

/// The URLs a page must link back to, read from the actor document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkBack {
    /// The actor `id`, as written.
    pub id: String,
    /// The actor `url` values (profile pages), as written, at most
    /// [`RelMeConfig::max_profile_urls`].
    pub profile_urls: Vec<String>,
}

impl LinkBack {
    /// Reads `id` and `url` (a string, a `Link` object with `href`, or an array of these) from
    /// an actor document.
    pub fn from_actor(actor: &Value, config: &RelMeConfig) -> Result<Self, RelMeError> {
        let id = actor
            .get("id")
            .and_then(Value::as_str)
            .ok_or(RelMeError::MissingActorId)?;
        let mut profile_urls = Vec::new();
        let mut push = |v: &Value| {
            let href = match v {
                Value::String(s) => Some(s.as_str()),
                Value::Object(m) => m.get("href").and_then(Value::as_str),
                _ => None,
            };
            if let Some(h) = href
                && profile_urls.len() < config.max_profile_urls
            {
                profile_urls.push(h.to_owned());
            }
        };
        match actor.get("url") {
            Some(Value::Array(items)) => items
                .iter()
                .take(config.max_profile_urls)
                .for_each(&mut push),
            Some(v) => push(v),
            None => {}
        }
        Ok(LinkBack {
            id: id.to_owned(),
            profile_urls,
        })
    }

    /// The single target Mastodon compares against: `url_for(account)` = the account's `url`,
    /// which Mastodon fills with the actor `id` when the actor has none (spec §3.1 #31).
    pub fn mastodon_target(&self) -> &str {
        self.profile_urls
            .first()
            .map_or(self.id.as_str(), String::as_str)
    }
}

/// A profile field whose value is a link worth checking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileLink {
    /// Index of the entry in `attachment`.
    pub field_index: usize,
    /// The field's `name`.
    pub name: String,
    /// The link, parsed.
    pub url: Url,
}

/// A profile field that was not taken, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedField {
    /// Index of the entry in `attachment`.
    pub field_index: usize,
    /// The field's `name` (empty when absent).
    pub name: String,
    /// Why it was skipped.
    pub reason: RelMeError,
}

/// The `PropertyValue` fields of `actor.attachment` (at most [`RelMeConfig::max_fields`]
/// entries read) split into links to check and skipped fields. Entries of another type
/// (identity proofs, …) are ignored silently.
pub fn profile_links(actor: &Value, config: &RelMeConfig) -> (Vec<ProfileLink>, Vec<SkippedField>) {
    let mut links = Vec::new();
    let mut skipped = Vec::new();
    let entries: &[Value] = match actor.get("attachment") {
        Some(Value::Array(items)) => items,
        Some(v @ Value::Object(_)) => std::slice::from_ref(v),
        _ => &[],
    };
    for (field_index, entry) in entries.iter().take(config.max_fields).enumerate() {
        if !is_property_value(entry) {
            continue;
        }
        let name = entry
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let Some(value) = entry.get("value").and_then(Value::as_str) else {
            continue;
        };
        match field_link(value, config) {
            Ok(url) => links.push(ProfileLink {
                field_index,
                name: clip(name, 255),
                url,
            }),
            Err(reason) => skipped.push(SkippedField {
                field_index,
                name: clip(name, 255),
                reason,
            }),
        }
    }
    (links, skipped)
}

fn is_property_value(entry: &Value) -> bool {
    match entry.get("type") {
        Some(Value::String(t)) => t == "PropertyValue" || t == "schema:PropertyValue",
        Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str() == Some("PropertyValue")),
        _ => false,
    }
}

/// The URL a field value names, if it is verifiable (spec §3.1 #30): either a bare URL, or
/// HTML that is exactly one `<a>` whose `href` equals its text (Mastodon's
/// `extract_url_from_html`); then `https` only, no user info, host unchanged by IDNA.
pub fn field_link(value: &str, config: &RelMeConfig) -> Result<Url, RelMeError> {
    if value.len() > config.max_field_len {
        return Err(RelMeError::FieldTooLong {
            len: value.len(),
            limit: config.max_field_len,
        });
    }
    let raw = if value.contains('<') {
        single_anchor_href(value)?
    } else {
        value.trim().to_owned()
    };
    if raw.is_empty() || raw.contains(char::is_whitespace) {
        return Err(RelMeError::FieldNotALink);
    }
    let url = parse_absolute(&raw)?;
    check_url(&url)?;
    if !host_is_normalised(&raw, &url) {
        return Err(RelMeError::HostNotNormalised {
            url: clip(&raw, 200),
        });
    }
    Ok(url)
}

fn single_anchor_href(value: &str) -> Result<String, RelMeError> {
    let fragment = Html::parse_fragment(value);
    let root = fragment.root_element();
    let mut children = root
        .children()
        .filter(|c| !matches!(c.value(), Node::Comment(_)));
    let (Some(only), None) = (children.next(), children.next()) else {
        return Err(RelMeError::FieldNotALink);
    };
    let Some(a) = scraper::ElementRef::wrap(only) else {
        return Err(RelMeError::FieldNotALink);
    };
    if a.value().name() != "a" {
        return Err(RelMeError::FieldNotALink);
    }
    let href = a.value().attr("href").ok_or(RelMeError::FieldNotALink)?;
    let text: String = a.text().collect();
    if text != href {
        return Err(RelMeError::FieldNotALink);
    }
    Ok(href.to_owned())
}

/// `normalized_host == host` (Mastodon ≥ 4.0), allowing only ASCII case to differ.
fn host_is_normalised(raw: &str, url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    let after_scheme = raw.split_once("://").map_or(raw, |(_, rest)| rest);
    let authority = after_scheme
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    let raw_host = if host_port.starts_with('[') {
        host_port
            .split_once(']')
            .map_or(host_port, |(h, _)| h)
            .trim_start_matches('[')
    } else {
        host_port.split(':').next().unwrap_or_default()
    };
    raw_host.eq_ignore_ascii_case(host.trim_start_matches('[').trim_end_matches(']'))
}
