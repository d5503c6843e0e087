//! Reading the documents the caller fetched: WebFinger JRDs and actor documents.

use serde_json::Value;
use url::Url;

use super::ResolveConfig;
use super::outcome::ResolveFailure;
use crate::also_known_as::{also_known_as, canonical_id, moved_to};
use crate::persona::{Evidence, claims_from_actor};
use crate::rel_me::{LinkBack, profile_links, strict_key};

/// `type` values of a WebFinger `self` link that denote an ActivityPub actor.
fn is_activitypub_type(t: &str) -> bool {
    let t: String = t
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    t == "application/activity+json"
        || t == "application/ld+json;profile=\"https://www.w3.org/ns/activitystreams\""
}

fn parse_json(body: &[u8], max_bytes: usize) -> Result<Value, String> {
    if body.len() > max_bytes {
        return Err(format!("body longer than {max_bytes} bytes"));
    }
    serde_json::from_slice(body).map_err(|e| e.to_string())
}

/// The actor URL named by a JRD's first `self` link of an ActivityPub type (RFC 7033 §4.4).
pub(crate) fn jrd_actor(
    body: &[u8],
    resource: &str,
    config: &ResolveConfig,
) -> Result<Url, ResolveFailure> {
    let fail = |reason: String| ResolveFailure::WebFingerNoActor {
        resource: resource.to_owned(),
        reason,
    };
    let jrd = parse_json(body, config.rel_me.max_bytes).map_err(fail)?;
    let links = jrd
        .get("links")
        .and_then(Value::as_array)
        .ok_or_else(|| fail("no links array".into()))?;
    let href = links
        .iter()
        .take(64)
        .find(|l| {
            l.get("rel").and_then(Value::as_str) == Some("self")
                && l.get("type")
                    .and_then(Value::as_str)
                    .is_some_and(is_activitypub_type)
        })
        .and_then(|l| l.get("href").and_then(Value::as_str))
        .ok_or_else(|| fail("no self link of an ActivityPub type".into()))?;
    Url::parse(href).map_err(|e| fail(format!("self href: {e}")))
}

/// What the resolver needs from one actor document.
#[derive(Debug, Clone)]
pub(crate) struct ActorDoc {
    /// Canonical id.
    pub id: String,
    /// Strict keys of the actor's `id` and `url` values (link-back targets of a site).
    pub targets: Vec<String>,
    /// Canonical `movedTo`.
    pub moved_to: Option<String>,
    /// Canonical `alsoKnownAs` entries.
    pub aliases: Vec<String>,
    /// Raw string `alsoKnownAs` entries (for `acct:` URIs, which are not actor ids).
    pub raw_aliases: Vec<String>,
    /// Site keys of the profile fields' links.
    pub field_sites: Vec<String>,
    /// Its claims as graph evidence.
    pub claims: Vec<Evidence>,
}

/// Reads an actor document fetched from `final_url`. Its `id` must be on the same origin
/// (FEP-fe34 origin-based authority); its claims are then taken as its own.
pub(crate) fn read_actor(
    body: &[u8],
    final_url: &Url,
    config: &ResolveConfig,
) -> Result<ActorDoc, ResolveFailure> {
    let bad = |reason: String| ResolveFailure::BadActor {
        url: final_url.to_string(),
        reason,
    };
    let doc = parse_json(body, config.rel_me.max_bytes).map_err(bad)?;
    if !doc.is_object() {
        return Err(bad("not a JSON object".into()));
    }
    let aliases = also_known_as(&doc, &config.aliases).map_err(|e| bad(e.to_string()))?;
    let id_url = Url::parse(&aliases.id).map_err(|e| bad(e.to_string()))?;
    if id_url.origin() != final_url.origin() {
        return Err(ResolveFailure::ForeignId {
            url: final_url.to_string(),
            id: aliases.id,
        });
    }
    let claims =
        claims_from_actor(&doc, &aliases.id, &config.aliases).map_err(|e| bad(e.to_string()))?;
    let link_back = LinkBack::from_actor(&doc, &config.rel_me).map_err(|e| bad(e.to_string()))?;
    let targets = link_back
        .profile_urls
        .iter()
        .chain(std::iter::once(&link_back.id))
        .filter_map(|u| Url::parse(u.trim()).ok())
        .map(|u| strict_key(&u))
        .collect();
    let (links, _skipped) = profile_links(&doc, &config.rel_me);
    let field_sites = links.iter().map(|l| strict_key(&l.url)).collect();
    let raw_aliases = match doc.get("alsoKnownAs") {
        Some(Value::Array(a)) => a
            .iter()
            .take(config.aliases.max_entries)
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        Some(Value::String(s)) => vec![s.clone()],
        _ => Vec::new(),
    };
    Ok(ActorDoc {
        id: aliases.id,
        targets,
        moved_to: moved_to(&doc),
        aliases: aliases.entries,
        raw_aliases,
        field_sites,
        claims,
    })
}

/// `canonical_id` for comparisons of URLs given by the caller.
pub(crate) fn canonical(u: &Url) -> String {
    canonical_id(u.as_str()).unwrap_or_else(|| u.to_string())
}
