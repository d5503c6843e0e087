//! The terms this crate reads, their canonical IRIs, and the aliases accepted for them.
//!
//! A term is *guarded*: the context guard checks that the document's `@context` gives it its
//! canonical meaning (json-ld.md §7). Keys are accepted as the short term (`movedTo`), as a
//! compact IRI with a canonical prefix (`as:movedTo`) or as the full IRI
//! (`https://www.w3.org/ns/activitystreams#movedTo`, `https://w3id.org/fep/7628#movedTo`).

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

/// FNV-1a: the key tables are small and hit on every member, SipHash's DoS resistance buys
/// nothing for a fixed, crate-defined key set.
#[derive(Default)]
pub(crate) struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(crate) type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// The ActivityStreams namespace.
pub const AS_NS: &str = "https://www.w3.org/ns/activitystreams#";
/// The security vocabulary namespace (security/v1, data-integrity, multikey, did/v1).
pub const SEC_NS: &str = "https://w3id.org/security#";
/// The Linked Data Platform namespace (`inbox` is `ldp:inbox`).
pub const LDP_NS: &str = "http://www.w3.org/ns/ldp#";
/// Mastodon's namespace (`toot:`).
pub const TOOT_NS: &str = "http://joinmastodon.org/ns#";
/// FEP-7628's namespace (fragment IRIs, move.md §1.1 #4).
pub const FEP7628_NS: &str = "https://w3id.org/fep/7628#";
/// FEP-7628's context URL (FEP-e965 asks actors to list it, move.md §1.1 #6).
pub const FEP7628_CONTEXT: &str = "https://w3id.org/fep/7628";
/// The public collection IRI.
pub const PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// A member of a node this crate interprets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub(crate) enum Field {
    Id,
    Type,
    Actor,
    Object,
    Target,
    Origin,
    To,
    Cc,
    Bto,
    Bcc,
    Audience,
    PreferredUsername,
    Inbox,
    Outbox,
    Followers,
    Following,
    Endpoints,
    SharedInbox,
    PublicKey,
    Owner,
    PublicKeyPem,
    AssertionMethod,
    Controller,
    PublicKeyMultibase,
    AlsoKnownAs,
    MovedTo,
    CopiedTo,
    Attachment,
    Url,
    Href,
    ManuallyApprovesFollowers,
    Deleted,
    Suspended,
}

/// Index of a guarded term in [`TERMS`]; used as a bit position in [`TermSet`].
pub(crate) type TermId = u8;

/// One guarded term: its compact name, the IRIs that count as its meaning, and the field it
/// fills (type names and `proof`/`Public` fill none).
pub(crate) struct TermInfo {
    pub name: &'static str,
    pub iris: &'static [&'static str],
    pub field: Option<Field>,
}

macro_rules! terms {
    ($( $name:literal => [$($iri:literal),*] $(, $field:ident)? ;)*) => {
        pub(crate) const TERMS: &[TermInfo] = &[
            $( TermInfo { name: $name, iris: &[$($iri),*], field: terms!(@f $($field)?) }, )*
        ];
    };
    (@f) => { None };
    (@f $field:ident) => { Some(Field::$field) };
}

terms! {
    "id" => ["@id"], Id;
    "type" => ["@type"], Type;
    "actor" => ["https://www.w3.org/ns/activitystreams#actor"], Actor;
    "object" => ["https://www.w3.org/ns/activitystreams#object"], Object;
    "target" => ["https://www.w3.org/ns/activitystreams#target"], Target;
    "origin" => ["https://www.w3.org/ns/activitystreams#origin"], Origin;
    "to" => ["https://www.w3.org/ns/activitystreams#to"], To;
    "cc" => ["https://www.w3.org/ns/activitystreams#cc"], Cc;
    "bto" => ["https://www.w3.org/ns/activitystreams#bto"], Bto;
    "bcc" => ["https://www.w3.org/ns/activitystreams#bcc"], Bcc;
    "audience" => ["https://www.w3.org/ns/activitystreams#audience"], Audience;
    "preferredUsername" => ["https://www.w3.org/ns/activitystreams#preferredUsername"], PreferredUsername;
    "inbox" => ["http://www.w3.org/ns/ldp#inbox"], Inbox;
    "outbox" => ["https://www.w3.org/ns/activitystreams#outbox"], Outbox;
    "followers" => ["https://www.w3.org/ns/activitystreams#followers"], Followers;
    "following" => ["https://www.w3.org/ns/activitystreams#following"], Following;
    "endpoints" => ["https://www.w3.org/ns/activitystreams#endpoints"], Endpoints;
    "sharedInbox" => ["https://www.w3.org/ns/activitystreams#sharedInbox"], SharedInbox;
    "publicKey" => ["https://w3id.org/security#publicKey"], PublicKey;
    "owner" => ["https://w3id.org/security#owner"], Owner;
    "publicKeyPem" => ["https://w3id.org/security#publicKeyPem"], PublicKeyPem;
    "assertionMethod" => ["https://w3id.org/security#assertionMethod"], AssertionMethod;
    "controller" => ["https://w3id.org/security#controller"], Controller;
    "publicKeyMultibase" => ["https://w3id.org/security#publicKeyMultibase"], PublicKeyMultibase;
    "alsoKnownAs" => ["https://www.w3.org/ns/activitystreams#alsoKnownAs"], AlsoKnownAs;
    // move.md §1.1 #5: both IRIs are accepted meanings of the compact key.
    "movedTo" => ["https://www.w3.org/ns/activitystreams#movedTo", "https://w3id.org/fep/7628#movedTo"], MovedTo;
    "copiedTo" => ["https://w3id.org/fep/7628#copiedTo"], CopiedTo;
    "attachment" => ["https://www.w3.org/ns/activitystreams#attachment"], Attachment;
    "url" => ["https://www.w3.org/ns/activitystreams#url"], Url;
    "href" => ["https://www.w3.org/ns/activitystreams#href"], Href;
    "manuallyApprovesFollowers" => ["https://www.w3.org/ns/activitystreams#manuallyApprovesFollowers"], ManuallyApprovesFollowers;
    "deleted" => ["https://www.w3.org/ns/activitystreams#deleted"], Deleted;
    "suspended" => ["http://joinmastodon.org/ns#suspended"], Suspended;
    "proof" => ["https://w3id.org/security#proof"];
    "Public" => ["https://www.w3.org/ns/activitystreams#Public"];
    "Person" => ["https://www.w3.org/ns/activitystreams#Person"];
    "Service" => ["https://www.w3.org/ns/activitystreams#Service"];
    "Group" => ["https://www.w3.org/ns/activitystreams#Group"];
    "Organization" => ["https://www.w3.org/ns/activitystreams#Organization"];
    "Application" => ["https://www.w3.org/ns/activitystreams#Application"];
    "Tombstone" => ["https://www.w3.org/ns/activitystreams#Tombstone"];
    "Move" => ["https://www.w3.org/ns/activitystreams#Move"];
    "Follow" => ["https://www.w3.org/ns/activitystreams#Follow"];
    "Undo" => ["https://www.w3.org/ns/activitystreams#Undo"];
    "Accept" => ["https://www.w3.org/ns/activitystreams#Accept"];
    "Reject" => ["https://www.w3.org/ns/activitystreams#Reject"];
    "Update" => ["https://www.w3.org/ns/activitystreams#Update"];
    "Multikey" => ["https://w3id.org/security#Multikey"];
    // Prefixes the reader accepts in compact-IRI keys: their namespace must be canonical.
    "as" => ["https://www.w3.org/ns/activitystreams#"];
    "sec" => ["https://w3id.org/security#"];
    "ldp" => ["http://www.w3.org/ns/ldp#"];
    "toot" => ["http://joinmastodon.org/ns#"];
}

/// A set of guarded terms (bit `i` = `TERMS[i]`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct TermSet(pub(crate) u64);

impl TermSet {
    /// The empty set.
    pub const EMPTY: TermSet = TermSet(0);

    pub(crate) fn insert(&mut self, id: TermId) {
        self.0 |= 1u64 << id;
    }

    pub(crate) fn contains(self, id: TermId) -> bool {
        self.0 & (1u64 << id) != 0
    }

    /// Whether the set is empty.
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub(crate) fn union(self, other: TermSet) -> TermSet {
        TermSet(self.0 | other.0)
    }

    pub(crate) fn intersect(self, other: TermSet) -> TermSet {
        TermSet(self.0 & other.0)
    }

    pub(crate) fn minus(self, other: TermSet) -> TermSet {
        TermSet(self.0 & !other.0)
    }

    /// The terms in the set, by name.
    pub fn names(self) -> impl Iterator<Item = &'static str> {
        TERMS
            .iter()
            .enumerate()
            .filter(move |(i, _)| self.0 & (1u64 << i) != 0)
            .map(|(_, t)| t.name)
    }

    /// Whether the set contains the term called `name`.
    pub fn contains_name(self, name: &str) -> bool {
        term_id(name).is_some_and(|id| self.contains(id))
    }
}

/// How a key named its term.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyForm {
    /// The short term (`movedTo`): its meaning depends on the context.
    Term,
    /// A compact IRI (`as:movedTo`): depends on the prefix term (second member).
    Prefixed(TermId),
    /// A full IRI or a keyword: independent of the context.
    Absolute,
}

struct Tables {
    by_name: FnvMap<&'static str, TermId>,
    keys: FnvMap<String, (TermId, KeyForm)>,
    iri_to_term: FnvMap<&'static str, TermId>,
}

fn tables() -> &'static Tables {
    static TABLES: OnceLock<Tables> = OnceLock::new();
    TABLES.get_or_init(|| {
        let mut by_name = FnvMap::default();
        let mut keys = FnvMap::default();
        let mut iri_to_term = FnvMap::default();
        let prefixes: [(&str, &str); 4] = [
            ("as", AS_NS),
            ("sec", SEC_NS),
            ("ldp", LDP_NS),
            ("toot", TOOT_NS),
        ];
        for (i, t) in TERMS.iter().enumerate() {
            let id = i as TermId;
            by_name.insert(t.name, id);
            if t.field.is_none() && !is_type_name(t.name) {
                continue;
            }
            keys.insert(t.name.to_string(), (id, KeyForm::Term));
            for iri in t.iris {
                iri_to_term.insert(*iri, id);
                if iri.starts_with('@') {
                    keys.insert((*iri).to_string(), (id, KeyForm::Absolute));
                    continue;
                }
                keys.insert((*iri).to_string(), (id, KeyForm::Absolute));
                for (p, ns) in prefixes {
                    if let Some(local) = iri.strip_prefix(ns) {
                        let pid = by_name_const(p);
                        keys.insert(format!("{p}:{local}"), (id, KeyForm::Prefixed(pid)));
                    }
                }
            }
        }
        Tables {
            by_name,
            keys,
            iri_to_term,
        }
    })
}

fn by_name_const(name: &str) -> TermId {
    TERMS
        .iter()
        .position(|t| t.name == name)
        .map_or(0, |p| p as TermId)
}

/// Whether `name` is one of the guarded type names (`Person`, `Move`, `Multikey` …).
pub(crate) fn is_type_name(name: &str) -> bool {
    name.starts_with(|c: char| c.is_ascii_uppercase())
}

/// The guarded term called `name`, if any.
pub(crate) fn term_id(name: &str) -> Option<TermId> {
    tables().by_name.get(name).copied()
}

/// The guarded term whose canonical IRI (or keyword) is `iri`, if any.
pub(crate) fn term_for_iri(iri: &str) -> Option<TermId> {
    tables().iri_to_term.get(iri).copied()
}

/// The term a JSON key names, and how (short term, compact IRI, full IRI).
pub(crate) fn classify_key(key: &str) -> Option<(TermId, KeyForm)> {
    // The short terms every document uses, without hashing (positions in `TERMS`; the test
    // `fast_keys_agree_with_the_table` pins them).
    let fast = match key {
        "id" => Some(0),
        "type" => Some(1),
        "actor" => Some(2),
        "object" => Some(3),
        "target" => Some(4),
        "to" => Some(6),
        "cc" => Some(7),
        "inbox" => Some(12),
        "outbox" => Some(13),
        "followers" => Some(14),
        "following" => Some(15),
        _ => None,
    };
    if let Some(id) = fast {
        return Some((id, KeyForm::Term));
    }
    if key == "@context" {
        return None;
    }
    tables().keys.get(key).copied()
}

/// The position of the term `name` in `TERMS` (at compile time; a missing name fails the build).
const fn term_index(name: &str) -> TermId {
    let mut i = 0;
    while i < TERMS.len() {
        let t = TERMS[i].name.as_bytes();
        let n = name.as_bytes();
        if t.len() == n.len() {
            let mut j = 0;
            while j < n.len() && t[j] == n[j] {
                j += 1;
            }
            if j == n.len() {
                return i as TermId;
            }
        }
        i += 1;
    }
    panic!("not a term")
}

/// The field a term fills.
pub(crate) fn field_of(id: TermId) -> Option<Field> {
    TERMS.get(usize::from(id)).and_then(|t| t.field)
}

/// The canonical IRIs of a term.
pub(crate) fn iris_of(id: TermId) -> &'static [&'static str] {
    TERMS.get(usize::from(id)).map_or(&[], |t| t.iris)
}

/// The name of a term.
pub(crate) fn name_of(id: TermId) -> &'static str {
    TERMS.get(usize::from(id)).map_or("", |t| t.name)
}

/// Normalises a type value to its short name when it is a guarded type given as a compact or
/// full IRI (`as:Person`, `https://www.w3.org/ns/activitystreams#Person` → `Person`). Returns the
/// term used when the value was a bare term (the guard must check its definition) or the
/// prefix term for compact IRIs.
pub(crate) fn classify_type(value: &str) -> Option<(TermId, KeyForm)> {
    // The types every migration document uses, without hashing.
    const MOVE: TermId = term_index("Move");
    const FOLLOW: TermId = term_index("Follow");
    const PERSON: TermId = term_index("Person");
    const SERVICE: TermId = term_index("Service");
    let fast = match value {
        "Move" => Some(MOVE),
        "Follow" => Some(FOLLOW),
        "Person" => Some(PERSON),
        "Service" => Some(SERVICE),
        _ => None,
    };
    if let Some(id) = fast {
        return Some((id, KeyForm::Term));
    }
    match tables().keys.get(value) {
        Some((id, form)) if is_type_name(name_of(*id)) => Some((*id, *form)),
        _ => None,
    }
}

/// Whether `value` denotes the public collection: the full IRI, `as:Public` or `Public`
/// (ActivityPub §5.6; Mastodon's `patch_for_forwarding!` undoes the compacted forms).
pub fn is_public(value: &str) -> bool {
    value == PUBLIC || value == "as:Public" || value == "Public"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fits_in_the_bitset() {
        assert!(TERMS.len() <= 64);
    }

    #[test]
    fn fast_keys_agree_with_the_table() {
        for key in [
            "id",
            "type",
            "actor",
            "object",
            "target",
            "to",
            "cc",
            "inbox",
            "outbox",
            "followers",
            "following",
        ] {
            assert_eq!(classify_key(key), tables().keys.get(key).copied(), "{key}");
        }
        assert_eq!(
            classify_key("@context"),
            tables().keys.get("@context").copied()
        );
        for t in ["Move", "Follow", "Person", "Service"] {
            let slow = tables()
                .keys
                .get(t)
                .copied()
                .filter(|(id, _)| is_type_name(name_of(*id)));
            assert_eq!(classify_type(t), slow, "{t}");
            assert!(slow.is_some(), "{t}");
        }
    }

    #[test]
    fn aliases_classify_to_the_same_term() {
        let moved = term_id("movedTo").unwrap();
        for key in [
            "movedTo",
            "as:movedTo",
            "https://www.w3.org/ns/activitystreams#movedTo",
            "https://w3id.org/fep/7628#movedTo",
        ] {
            assert_eq!(classify_key(key).map(|k| k.0), Some(moved), "{key}");
        }
        assert_eq!(
            classify_key("sec:publicKeyPem").map(|k| k.0),
            term_id("publicKeyPem")
        );
        assert_eq!(classify_key("ldp:inbox").map(|k| k.0), term_id("inbox"));
        assert_eq!(classify_key("@id").map(|k| k.1), Some(KeyForm::Absolute));
        assert_eq!(classify_key("matrixUserId"), None);
        assert_eq!(classify_key("proof"), None);
        assert_eq!(
            classify_type("as:Tombstone").map(|k| k.0),
            term_id("Tombstone")
        );
    }
}
