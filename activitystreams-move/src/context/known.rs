//! The bundled context documents (sources in `contexts/README.md`).
//!
//! These are the only remote contexts the guard (and the `jsonld` slow path's loader) knows.
//! Nothing is ever fetched (DESIGN §2.1): a context URL outside this set is an
//! `unknown_context` error, because an unknown context can define anything.

/// One bundled context document: the URLs it is served under and its bytes.
pub struct KnownContext {
    /// The canonical URL (the one in the document's `@context`).
    pub url: &'static str,
    /// Other spellings that dereference to the same document.
    pub aliases: &'static [&'static str],
    /// The document (`{"@context": …}`).
    pub document: &'static str,
}

/// Every bundled context.
pub const KNOWN_CONTEXTS: &[KnownContext] = &[
    KnownContext {
        url: "https://www.w3.org/ns/activitystreams",
        aliases: &[
            "http://www.w3.org/ns/activitystreams",
            "https://www.w3.org/ns/activitystreams.jsonld",
            "http://www.w3.org/ns/activitystreams.jsonld",
        ],
        document: include_str!("../../contexts/activitystreams.jsonld"),
    },
    KnownContext {
        url: "https://w3id.org/security/v1",
        aliases: &["http://w3id.org/security/v1"],
        document: include_str!("../../contexts/security-v1.jsonld"),
    },
    KnownContext {
        url: "https://w3id.org/security/data-integrity/v1",
        aliases: &[],
        document: include_str!("../../contexts/data-integrity-v1.jsonld"),
    },
    KnownContext {
        url: "https://w3id.org/security/data-integrity/v2",
        aliases: &[],
        document: include_str!("../../contexts/data-integrity-v2.jsonld"),
    },
    KnownContext {
        url: "https://w3id.org/security/multikey/v1",
        aliases: &[],
        document: include_str!("../../contexts/multikey-v1.jsonld"),
    },
    KnownContext {
        url: "https://www.w3.org/ns/did/v1",
        aliases: &["https://w3.org/ns/did/v1"],
        document: include_str!("../../contexts/did-v1.jsonld"),
    },
    KnownContext {
        url: "https://www.w3.org/ns/cid/v1",
        aliases: &["https://w3.org/ns/cid/v1"],
        document: include_str!("../../contexts/cid-v1.jsonld"),
    },
    KnownContext {
        url: "https://w3id.org/fep/7628",
        aliases: &["https://w3id.org/fep/7628/fep-7628.jsonld"],
        document: include_str!("../../contexts/fep-7628.jsonld"),
    },
    KnownContext {
        url: "https://w3id.org/fep/c390",
        aliases: &[],
        document: include_str!("../../contexts/fep-c390.jsonld"),
    },
    KnownContext {
        url: "http://joinmastodon.org/ns",
        aliases: &["https://joinmastodon.org/ns"],
        document: include_str!("../../contexts/joinmastodon.jsonld"),
    },
    KnownContext {
        url: "https://join-lemmy.org/context.json",
        aliases: &[],
        document: include_str!("../../contexts/join-lemmy.jsonld"),
    },
    KnownContext {
        url: "https://gotosocial.org/ns",
        aliases: &[],
        document: include_str!("../../contexts/gotosocial.jsonld"),
    },
    KnownContext {
        url: "https://purl.archive.org/socialweb/webfinger",
        aliases: &[],
        document: include_str!("../../contexts/webfinger.jsonld"),
    },
    KnownContext {
        url: "https://purl.archive.org/miscellany",
        aliases: &[],
        document: include_str!("../../contexts/miscellany.jsonld"),
    },
    KnownContext {
        url: "https://w3id.org/identity/v1",
        aliases: &[],
        document: include_str!("../../contexts/identity-v1.jsonld"),
    },
    KnownContext {
        url: "https://w3id.org/fep/5711",
        aliases: &[],
        document: include_str!("../../contexts/fep-5711.jsonld"),
    },
    KnownContext {
        url: "https://w3id.org/fep/ef61",
        aliases: &[],
        document: include_str!("../../contexts/fep-ef61.jsonld"),
    },
    KnownContext {
        url: "https://w3id.org/fep/7aa9",
        aliases: &[],
        document: include_str!("../../contexts/fep-7aa9.jsonld"),
    },
    KnownContext {
        url: "http://litepub.social/ns/litepub-0.1.jsonld",
        aliases: &[
            "https://litepub.social/litepub/context.jsonld",
            "http://litepub.social/litepub/context.jsonld",
        ],
        document: include_str!("../../contexts/litepub-0.1.jsonld"),
    },
];

/// The bundled context served under `url` (canonical URL or alias), if any.
///
/// Pleroma and Akkoma serve LitePub's context from every instance
/// (`https://<instance>/schemas/litepub-0.1.jsonld`); any http(s) URL with that path is read as
/// the bundled copy (the instance controls its own documents either way).
pub fn find(url: &str) -> Option<&'static KnownContext> {
    if let Some(k) = KNOWN_CONTEXTS
        .iter()
        .find(|k| k.url == url || k.aliases.contains(&url))
    {
        return Some(k);
    }
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    if !host.is_empty() && path == "schemas/litepub-0.1.jsonld" {
        return KNOWN_CONTEXTS
            .iter()
            .find(|k| k.url == "http://litepub.social/ns/litepub-0.1.jsonld");
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_document_is_json_with_a_context() {
        for k in KNOWN_CONTEXTS {
            let v: serde_json::Value = serde_json::from_str(k.document).unwrap();
            assert!(v.get("@context").is_some(), "{}", k.url);
        }
        assert!(find("http://www.w3.org/ns/activitystreams").is_some());
        assert!(find("https://example.com/ctx").is_none());
        assert!(find("https://pleroma.example/schemas/litepub-0.1.jsonld").is_some());
        assert!(find("https://pleroma.example/x/schemas/litepub-0.1.jsonld").is_none());
    }
}
