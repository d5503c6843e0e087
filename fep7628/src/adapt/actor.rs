//! `activitystreams_move::Actor` → [`ActorFacts`], and fetched responses → [`Fetched`].

use activitystreams_move::{Actor, ReadOptions};
use serde_json::{Map, Value};

use super::AdaptError;
use crate::inbound::{ActorFacts, Fetched};
use crate::store::FetchError;

/// Most `alsoKnownAs` / `copiedTo` values carried into the facts: the parser's default limit
/// for `alsoKnownAs`. The pipeline refuses more than its own `Limits::max_aliases`
/// ([`crate::inbound::Limits`]) anyway; this only bounds what is copied.
pub const MAX_ALIASES: usize = 1024;

/// The pipeline's facts from a parsed actor, **without** identity subjects (see
/// [`verified_identity_dids`], which verifies them; unverified FEP-c390 statements are never
/// facts).
///
/// * `movedTo` under any spelling the parser accepts; a **malformed** `movedTo` (FEP-e965: an
///   array of several values, an empty array, an empty or non-URI string) still yields
///   `moved_to: Some(_)` — the first value, or `""` — so the actor is never treated as active;
/// * `tombstone` = `Tombstone` among the types; `suspended` = Mastodon's `suspended: true`;
/// * `inbox` / `endpoints.sharedInbox` when each is a single IRI;
/// * a missing `id` becomes `""`, which never matches a fetched URL;
/// * `profile` = [`actor_profile`](super::actor_profile) (what moderation policies read).
pub fn actor_facts(actor: &Actor) -> ActorFacts {
    let moved_to = actor
        .moved_to
        .is_present()
        .then(|| actor.moved_to.first().unwrap_or_default().to_owned());
    ActorFacts {
        id: actor.id().unwrap_or_default().to_owned(),
        also_known_as: capped(actor.also_known_as.iter()),
        moved_to,
        copied_to: capped(actor.copied_to.iter()),
        suspended: actor.suspended == Some(true),
        tombstone: actor.is_tombstone(),
        inbox: actor.inbox().map(str::to_owned),
        shared_inbox: actor.shared_inbox().map(str::to_owned),
        manually_approves_followers: actor.manually_approves_followers == Some(true),
        identity_dids: Vec::new(),
        profile: Some(Box::new(super::actor_profile(actor))),
    }
}

/// Reads an actor (context guard included) and returns its facts **with** its verified
/// FEP-c390 subjects.
pub fn parse_actor(bytes: &[u8], options: &ReadOptions) -> Result<ActorFacts, AdaptError> {
    let actor = Actor::from_slice(bytes, options)?;
    let mut facts = actor_facts(&actor);
    facts.identity_dids = verified_identity_dids(&actor);
    Ok(facts)
}

/// The subjects (DIDs) of the actor's FEP-c390 identity statements that **verify** for this
/// actor, deduplicated, in document order. Statements that fail — bad signature, another
/// actor's `alsoKnownAs`, unsupported proof type — are discarded (FEP-c390 MUST).
///
/// The caller must already have bound the actor's `id` to the URL it was fetched from
/// (the pipeline does so for the documents it asks for).
pub fn verified_identity_dids(actor: &Actor) -> Vec<String> {
    let Some(id) = actor.id() else {
        return Vec::new();
    };
    if actor.attachment.is_empty() {
        return Vec::new();
    }
    let mut doc = Map::new();
    doc.insert("id".into(), Value::String(id.to_owned()));
    doc.insert("attachment".into(), Value::Array(actor.attachment.clone()));
    let Ok(outcomes) = identity_links::fep_c390::verify_actor_identity_proofs(&Value::Object(doc))
    else {
        return Vec::new();
    };
    identity_links::fep_c390::verified_links(&outcomes)
        .into_iter()
        .map(|link| link.subject().to_owned())
        .collect()
}

/// The answer to a [`FetchRequest`](crate::inbound::FetchRequest) from the HTTP status and
/// body: 404 ⇒ [`Fetched::NotFound`], 410 ⇒ [`Fetched::Gone`], a 2xx body that reads as an
/// actor ⇒ [`Fetched::Actor`] (with verified FEP-c390 subjects); anything else — other
/// statuses, a parse error, a context-guard refusal — ⇒ [`Fetched::Error`].
pub fn fetched(status: u16, body: &[u8], options: &ReadOptions) -> Fetched {
    match status {
        404 => Fetched::NotFound,
        410 => Fetched::Gone,
        200..=299 => match parse_actor(body, options) {
            Ok(facts) => Fetched::Actor(facts),
            Err(_) => Fetched::Error,
        },
        _ => Fetched::Error,
    }
}

/// [`fetched`] over a [`Fetcher`](crate::store::Fetcher)'s result: a transport error is
/// [`Fetched::Error`].
pub fn fetched_result(
    result: &Result<crate::store::Fetched, FetchError>,
    options: &ReadOptions,
) -> Fetched {
    match result {
        Ok(response) => fetched(response.status, &response.body, options),
        Err(_) => Fetched::Error,
    }
}

fn capped<'a>(values: impl Iterator<Item = &'a str>) -> Vec<String> {
    values.take(MAX_ALIASES).map(str::to_owned).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const AS: &str = "https://www.w3.org/ns/activitystreams";
    const FEP: &str = "https://w3id.org/fep/7628";

    fn read(doc: Value) -> Actor {
        Actor::from_slice(doc.to_string().as_bytes(), &ReadOptions::default()).unwrap()
    }

    fn base(extra: Value) -> Value {
        let mut doc = json!({
            "@context": [AS, FEP],
            "id": "https://new.example/u/a",
            "type": "Person",
            "inbox": "https://new.example/u/a/inbox",
            "endpoints": {"sharedInbox": "https://new.example/inbox"},
        });
        if let (Value::Object(d), Value::Object(e)) = (&mut doc, extra) {
            d.extend(e);
        }
        doc
    }

    #[test]
    fn active_actor() {
        let facts = actor_facts(&read(base(json!({
            "alsoKnownAs": "https://old.example/u/a",
            "manuallyApprovesFollowers": true
        }))));
        assert_eq!(facts.id, "https://new.example/u/a");
        assert_eq!(facts.also_known_as, ["https://old.example/u/a"]);
        assert_eq!(facts.moved_to, None);
        assert_eq!(
            facts.inbox.as_deref(),
            Some("https://new.example/u/a/inbox")
        );
        assert_eq!(
            facts.shared_inbox.as_deref(),
            Some("https://new.example/inbox")
        );
        assert!(facts.manually_approves_followers);
        assert!(!facts.tombstone && !facts.suspended);
    }

    #[test]
    fn moved_to_under_every_spelling() {
        for key in [
            "movedTo",
            "as:movedTo",
            "https://www.w3.org/ns/activitystreams#movedTo",
            "https://w3id.org/fep/7628#movedTo",
        ] {
            let mut extra = Map::new();
            extra.insert(key.into(), json!("https://next.example/u/a"));
            let facts = actor_facts(&read(base(Value::Object(extra))));
            assert_eq!(
                facts.moved_to.as_deref(),
                Some("https://next.example/u/a"),
                "{key}"
            );
        }
    }

    #[test]
    fn malformed_moved_to_still_counts_as_moved() {
        for (value, expected) in [
            (
                json!(["https://x.example/u/1", "https://y.example/u/2"]),
                "https://x.example/u/1",
            ),
            (json!([]), ""),
            (json!(""), ""),
            (json!("not a uri"), "not a uri"),
            (
                json!([{"id": "https://x.example/u/1"}]),
                "https://x.example/u/1",
            ),
        ] {
            let facts = actor_facts(&read(base(json!({ "movedTo": value.clone() }))));
            assert_eq!(facts.moved_to.as_deref(), Some(expected), "{value}");
        }
    }

    #[test]
    fn moved_to_of_wrong_json_type_never_reads_as_active() {
        // A number or boolean is not an IRI: either the parser refuses the document (then a
        // fetch answer is `Fetched::Error`) or it is kept as moved.
        for value in [json!(5), json!(true), json!({"type": "Person"})] {
            let body = base(json!({ "movedTo": value.clone() })).to_string();
            match fetched(200, body.as_bytes(), &ReadOptions::default()) {
                Fetched::Error => {}
                Fetched::Actor(facts) => assert!(facts.moved_to.is_some(), "{value}"),
                other => panic!("{value}: {other:?}"),
            }
        }
    }

    #[test]
    fn tombstone_and_suspended() {
        let facts = actor_facts(&read(base(json!({
            "type": ["Person", "Tombstone"],
            "deleted": "2025-01-01T00:00:00Z"
        }))));
        assert!(facts.tombstone);
        let facts = actor_facts(&read(base(json!({ "type": "Tombstone" }))));
        assert!(facts.tombstone);
        let facts = actor_facts(&read(base(json!({ "suspended": true }))));
        assert!(facts.suspended);
    }

    #[test]
    fn statuses_and_hostile_bodies() {
        let o = ReadOptions::default();
        assert_eq!(fetched(404, b"", &o), Fetched::NotFound);
        assert_eq!(fetched(410, b"{}", &o), Fetched::Gone);
        assert_eq!(fetched(500, b"{}", &o), Fetched::Error);
        assert_eq!(fetched(301, b"", &o), Fetched::Error);
        assert_eq!(fetched(200, b"<html>", &o), Fetched::Error);
        assert_eq!(fetched(200, b"\xff", &o), Fetched::Error);
        // The context guard refuses a redefinition of alsoKnownAs: never an actor.
        let hostile = json!({
            "@context": [AS, {"alsoKnownAs": "https://evil.example/ns#aka"}],
            "id": "https://new.example/u/a", "type": "Person",
            "alsoKnownAs": "https://old.example/u/a"
        });
        assert_eq!(
            fetched(200, hostile.to_string().as_bytes(), &o),
            Fetched::Error
        );
        let err = parse_actor(hostile.to_string().as_bytes(), &o).unwrap_err();
        assert!(
            matches!(&err, AdaptError::Parse(e) if e.is_context_error()),
            "{err:?}"
        );
        let ok = base(json!({})).to_string();
        assert!(matches!(fetched(200, ok.as_bytes(), &o), Fetched::Actor(_)));
        assert_eq!(
            fetched_result(
                &Err(FetchError::Transport {
                    url: "https://new.example/u/a".into(),
                    detail: "reset".into()
                }),
                &o
            ),
            Fetched::Error
        );
    }

    #[test]
    fn identity_statements_only_when_verified() {
        use identity_links::ed25519_dalek::SigningKey;
        use identity_links::fep_c390::{VerificationMethodForm, create_identity_proof};
        let key = SigningKey::from_bytes(&[3; 32]);
        let good = create_identity_proof(
            "https://new.example/u/a",
            &key,
            "2025-01-01T00:00:00Z",
            VerificationMethodForm::BareDid,
        )
        .unwrap();
        // Same statement claimed by another actor: must be discarded.
        let other = create_identity_proof(
            "https://evil.example/u/x",
            &SigningKey::from_bytes(&[4; 32]),
            "2025-01-01T00:00:00Z",
            VerificationMethodForm::BareDid,
        )
        .unwrap();
        let mut tampered = good.clone();
        tampered["subject"] = json!("did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK");
        let actor = read(base(json!({ "attachment": [
            {"type": "PropertyValue", "name": "site", "value": "x"},
            good.clone(), other, tampered
        ]})));
        let dids = verified_identity_dids(&actor);
        assert_eq!(dids, [good["subject"].as_str().unwrap()]);
        let facts = parse_actor(
            base(json!({ "attachment": [good.clone()] }))
                .to_string()
                .as_bytes(),
            &ReadOptions::default(),
        )
        .unwrap();
        assert_eq!(facts.identity_dids, dids);
    }
}
