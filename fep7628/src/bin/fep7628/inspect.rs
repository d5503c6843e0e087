//! `inspect`: what the library read from an actor or activity, whatever JSON-LD form it used.

use activitystreams_move::Document;
use serde_json::{Value, json};

use crate::cli::InspectArgs;
use crate::document::{self, context_verdict, types};
use crate::input::{MAX_DOCUMENT, read_limited};
use crate::output::{CliError, Report};

/// Runs the subcommand. Exit 0 when the document was read, 1 when the library refused it,
/// 2 when it is not a JSON object at all.
pub fn run(args: &InspectArgs) -> Result<Report, CliError> {
    let bytes = read_limited(&args.file, MAX_DOCUMENT)?;
    let read = document::read(&bytes, !args.no_jsonld);
    let context = context_verdict(&read);
    match read {
        Ok(r) => {
            let mut out = match &r.document {
                Document::Actor(a) => json!({
                    "family": "actor",
                    "id": a.id(),
                    "type": types(&a.types),
                    "movedTo": a.moved_to(),
                    "copiedTo": a.copied_to.as_slice(),
                    "alsoKnownAs": a.also_known_as.as_slice(),
                    "inbox": a.inbox(),
                    "sharedInbox": a.shared_inbox(),
                    "followers": a.followers(),
                    "publicKey": a.public_keys.iter().map(|k| k.id.clone()).collect::<Vec<_>>(),
                    "manuallyApprovesFollowers": a.manually_approves_followers,
                    "tombstone": a.is_tombstone(),
                    "undefinedTerms": undefined(a.undefined_terms()),
                }),
                Document::Activity(a) => json!({
                    "family": "activity",
                    "id": a.id(),
                    "type": types(&a.types),
                    "actor": a.actor_id(),
                    "object": a.object_id(),
                    "target": a.target_id(),
                    "mode": a.as_move().map(|m| format!("{:?}", m.mode()).to_lowercase()),
                }),
            };
            if let Value::Object(m) = &mut out {
                m.insert("valid".into(), json!(true));
                m.insert("context".into(), context);
                m.insert("error".into(), Value::Null);
            }
            Ok(Report::verdict(true, out))
        }
        Err(refused) => {
            let e = refused.error;
            Ok(Report::json(
                e.code,
                json!({"valid": false, "context": context, "error": e.to_json()}),
            ))
        }
    }
}

fn undefined(set: activitystreams_move::TermSet) -> Value {
    json!(set.names().collect::<Vec<_>>())
}
