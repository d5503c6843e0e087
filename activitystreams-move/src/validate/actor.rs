//! Actor validation: ActivityPub structure, FEP-e965 states, keys (FEP-521a, Mastodon).

use super::problem::{Problem, ProblemKind, Rule, Severity};
use super::uri::{self, Schemes};
use crate::actor::is_actor_type;
use crate::iris::Shape;
use crate::vocab::Field;
use crate::{Actor, pointer};

/// Every problem found in an actor, each with its JSON Pointer.
///
/// ActivityPub structure (`id`, `inbox`, `outbox` required and http(s)), `alsoKnownAs` entries
/// (http(s), not the actor itself, the alias limit), FEP-e965 (`movedTo` functional and a URI,
/// `copiedTo` URIs, not both, Tombstone expectations), and keys (`publicKey.owner` and
/// `assertionMethod.controller` equal to `id`, multibase form).
///
/// ```
/// use activitystreams_move::{Actor, ReadOptions, validate_actor};
///
/// let actor = Actor::from_slice(br#"{
///   "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/fep/7628"],
///   "id": "https://example.com/alice", "type": "Person",
///   "inbox": "https://example.com/alice/inbox", "outbox": "https://example.com/alice/outbox",
///   "movedTo": ["https://a.example/id", "https://b.example/id"]
/// }"#, &ReadOptions::default()).unwrap();
/// let kinds: Vec<_> = validate_actor(&actor).iter().map(|p| (p.kind(), p.at.clone())).collect();
/// assert!(kinds.contains(&("moved_to_not_functional", "/movedTo".to_string())));
/// ```
pub fn validate_actor(actor: &Actor) -> Vec<Problem> {
    let mut out = Vec::new();
    structure(actor, &mut out);
    aliases(actor, &mut out);
    e965(actor, &mut out);
    keys(actor, &mut out);
    out
}

fn structure(actor: &Actor, out: &mut Vec<Problem>) {
    let ap = Rule::ActivityPub;
    let err = Severity::Error;
    match actor.id() {
        None => out.push(Problem::new(
            "/id",
            ProblemKind::MissingField,
            err,
            ap,
            "an actor must have an id",
        )),
        Some(id) => out.extend(uri::check(id, "/id", Schemes::Http, ap, err)),
    }
    if actor.types.is_empty() {
        out.push(Problem::new(
            "/type",
            ProblemKind::MissingField,
            err,
            ap,
            "an actor must have a type",
        ));
    } else if !actor.types.iter().any(|t| is_actor_type(t)) && !actor.is_tombstone() {
        out.push(Problem::new(
            "/type",
            ProblemKind::UnexpectedType,
            Severity::Warning,
            ap,
            format!("no actor type among {:?}", actor.types),
        ));
    }
    // ActivityPub §4.1: inbox and outbox MUST be present.
    for (key, iris) in [("inbox", &actor.inbox), ("outbox", &actor.outbox)] {
        uri::check_single(iris, key, ap, err, true, out);
        uri::check_all(iris, key, Schemes::Http, ap, err, out);
    }
    for (key, iris) in [
        ("followers", &actor.followers),
        ("following", &actor.following),
    ] {
        uri::check_single(iris, key, ap, err, false, out);
        uri::check_all(iris, key, Schemes::Http, ap, err, out);
    }
    if let Some(e) = &actor.endpoints {
        let base = pointer::push("/endpoints", "sharedInbox");
        if e.shared_inbox.len() > 1 {
            out.push(Problem::new(
                base.clone(),
                ProblemKind::NotSingle,
                err,
                ap,
                "sharedInbox must hold one IRI",
            ));
        }
        for (i, v) in e.shared_inbox.iter().enumerate() {
            let at = uri::element_at(&base, e.shared_inbox.shape(), i);
            out.extend(uri::check(v, &at, Schemes::Http, ap, err));
        }
    }
}

fn aliases(actor: &Actor, out: &mut Vec<Problem>) {
    let aka = &actor.also_known_as;
    uri::check_all(
        aka,
        "alsoKnownAs",
        Schemes::Http,
        Rule::ActivityPub,
        Severity::Error,
        out,
    );
    if let Some(id) = actor.id() {
        for (i, v) in aka.iter().enumerate() {
            if v == id {
                out.push(Problem::new(
                    uri::element_at("/alsoKnownAs", aka.shape(), i),
                    ProblemKind::SelfAlias,
                    Severity::Warning,
                    Rule::ActivityPub,
                    "alsoKnownAs names the actor itself",
                ));
            }
        }
    }
    let dropped = actor.read_info.also_known_as_dropped();
    if dropped > 0 {
        out.push(Problem::new(
            "/alsoKnownAs",
            ProblemKind::TooManyAliases,
            Severity::Warning,
            Rule::Limits,
            format!("{dropped} entries beyond the limit were dropped"),
        ));
    }
}

/// FEP-e965 rules (move.md §1.9 #43–#44) with the outcomes of its test cases (vectors F17–F25,
/// E00, E01).
fn e965(actor: &Actor, out: &mut Vec<Problem>) {
    let rule = Rule::FepE965;
    let err = Severity::Error;
    let moved = &actor.moved_to;
    let copied = &actor.copied_to;
    if actor
        .read_info
        .verdict()
        .is_some_and(|v| !v.declares_fep7628())
    {
        out.push(Problem::new(
            "/@context",
            ProblemKind::MissingFep7628Context,
            Severity::Warning,
            rule,
            "value https://w3id.org/fep/7628 not present in \"@context\" to signal conformance",
        ));
    }
    // `movedTo` MUST be a functional property: a string or a one-element array.
    if moved.shape() == Shape::Array && moved.len() != 1 {
        out.push(Problem::new(
            "/movedTo",
            ProblemKind::MovedToNotFunctional,
            err,
            rule,
            format!("movedTo must hold one value, found {}", moved.len()),
        ));
    }
    // `movedTo` MUST be a URI (the vector with "" expects FAILED, move.md §1.9 #45 note).
    uri::check_all(moved, "movedTo", Schemes::HttpOrAp, rule, err, out);
    uri::check_all(copied, "copiedTo", Schemes::HttpOrAp, rule, err, out);
    if moved.is_present() && copied.is_present() {
        // Pointed at `copiedTo`: the member to remove (FEP-e965 lets one value move to `movedTo`).
        out.push(Problem::new(
            "/copiedTo",
            ProblemKind::MovedAndCopied,
            err,
            rule,
            "movedTo and copiedTo MUST NOT both be present",
        ));
    }
    if moved.is_present() && !actor.is_tombstone() {
        out.push(Problem::new(
            "/type",
            ProblemKind::MovedWithoutTombstone,
            err,
            rule,
            "Missing Tombstone but backwards-compatible",
        ));
    }
    if actor.is_tombstone() {
        if copied.is_present() {
            out.push(Problem::new(
                "/copiedTo",
                ProblemKind::CopiedToOnTombstone,
                err,
                rule,
                "copiedTo MUST be removed before tombstoning",
            ));
        }
        if actor.deleted.is_none() {
            out.push(Problem::new(
                "",
                ProblemKind::TombstoneWithoutDeleted,
                Severity::Warning,
                rule,
                "a Tombstone SHOULD set as:deleted",
            ));
        }
    }
}

fn keys(actor: &Actor, out: &mut Vec<Problem>) {
    let info = &actor.read_info;
    let many_pk = info.was_array(Field::PublicKey) || actor.public_keys.len() > 1;
    for (i, key) in actor.public_keys.iter().enumerate() {
        let base = if many_pk {
            pointer::push_index("/publicKey", i)
        } else {
            "/publicKey".to_string()
        };
        match key.id.as_deref() {
            None => out.push(Problem::new(
                pointer::push(&base, "id"),
                ProblemKind::MissingField,
                Severity::Error,
                Rule::ActivityPub,
                "a key must have an id",
            )),
            Some(id) => out.extend(uri::check(
                id,
                &pointer::push(&base, "id"),
                Schemes::Http,
                Rule::ActivityPub,
                Severity::Error,
            )),
        }
        if key.is_reference() {
            continue;
        }
        if key.public_key_pem.is_none() {
            out.push(Problem::new(
                pointer::push(&base, "publicKeyPem"),
                ProblemKind::MissingField,
                Severity::Error,
                Rule::ActivityPub,
                "an embedded key must carry publicKeyPem",
            ));
        }
        if let (Some(id), owner) = (actor.id(), key.owner.single())
            && owner != Some(id)
        {
            out.push(Problem::new(
                pointer::push(&base, "owner"),
                ProblemKind::KeyOwnerMismatch,
                Severity::Error,
                Rule::ActivityPub,
                "publicKey.owner must be the actor",
            ));
        }
    }
    let many_am = info.was_array(Field::AssertionMethod) || actor.assertion_methods.len() > 1;
    for (i, key) in actor.assertion_methods.iter().enumerate() {
        let base = if many_am {
            pointer::push_index("/assertionMethod", i)
        } else {
            "/assertionMethod".to_string()
        };
        if key.id.is_none() {
            out.push(Problem::new(
                pointer::push(&base, "id"),
                ProblemKind::MissingField,
                Severity::Error,
                Rule::Fep521a,
                "a verification method must have an id",
            ));
        }
        if key.is_reference() {
            continue;
        }
        if let (Some(id), controller) = (actor.id(), key.controller.single())
            && controller != Some(id)
        {
            out.push(Problem::new(
                pointer::push(&base, "controller"),
                ProblemKind::KeyControllerMismatch,
                Severity::Error,
                Rule::Fep521a,
                "FEP-521a: controller MUST be the actor",
            ));
        }
        match key.public_key_multibase.as_deref() {
            None => out.push(Problem::new(
                pointer::push(&base, "publicKeyMultibase"),
                ProblemKind::MissingField,
                Severity::Error,
                Rule::Fep521a,
                "a Multikey must carry publicKeyMultibase",
            )),
            Some(mb) if !mb.starts_with('z') || mb.len() < 2 => out.push(Problem::new(
                pointer::push(&base, "publicKeyMultibase"),
                ProblemKind::InvalidMultibase,
                Severity::Error,
                Rule::Fep521a,
                "publicKeyMultibase must be base58-btc multibase (z…)",
            )),
            Some(_) => {}
        }
    }
}
