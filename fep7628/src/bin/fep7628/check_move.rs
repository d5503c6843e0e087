//! `check-move`: the receiver pipeline ([`fep7628::MoveCheck`]) over supplied documents.
//!
//! The adapter from parsed documents to the pipeline's facts is kept here and small; it reads
//! with `activitystreams-move` (context guard, JSON-LD slow path), verifies FEP-c390 identity
//! statements and a FEP-8b32 proof on the Move with `identity-links`, and answers the check's
//! `Fetch` steps from the two actor files and its `Lookup` steps with an empty local store.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use activitystreams_move::{Activity, Actor, Document};
use fep7628::inbound::{
    ActorFacts, Answer, Authentication, Fetched, InboundConfig, InboundMove, ModerationState,
    MoveFacts, OldSideProof, Query, Step,
};
use fep7628::policy::AcceptAll;
use fep7628::{Decision, MoveCheck};
use identity_links::fep8b32::PendingObjectProof;
use serde_json::{Value, json};

use crate::cli::CheckMoveArgs;
use crate::document;
use crate::input::{MAX_DOCUMENT, parse_json, read_limited};
use crate::now_or_clock;
use crate::output::{CliError, EXIT_USAGE, Report};

/// Most steps the driver answers before giving up (the check has its own, smaller limits).
const MAX_STEPS: usize = 256;

fn read_doc(path: &str) -> Result<(Value, Document), CliError> {
    let bytes = read_limited(path, MAX_DOCUMENT)?;
    let value = parse_json(&bytes, path)?;
    let read = document::read(&bytes, true).map_err(|refused| {
        let mut e = refused.error;
        e.message = format!("{path}: {}", e.message);
        e.code = EXIT_USAGE;
        e
    })?;
    Ok((value, read.document))
}

fn actor_doc(path: &str) -> Result<(Value, Actor), CliError> {
    match read_doc(path)? {
        (v, Document::Actor(a)) => Ok((v, *a)),
        (_, Document::Activity(_)) => Err(CliError::usage(
            "not_an_actor",
            format!("{path}: an activity where an actor document was expected"),
            Some(path),
        )),
    }
}

fn ids(refs: &[activitystreams_move::Reference]) -> Vec<String> {
    refs.iter()
        .filter_map(|r| r.id().map(str::to_owned))
        .collect()
}

/// `activitystreams_move::Activity` → the pipeline's `MoveFacts` (every value kept: the
/// pipeline checks "exactly one").
fn move_facts(activity: &Activity) -> MoveFacts {
    MoveFacts {
        id: activity.id().map(str::to_owned),
        actor: ids(&activity.actor),
        object: ids(&activity.object),
        target: ids(&activity.target),
    }
}

/// `activitystreams_move::Actor` (+ its JSON for FEP-c390) → `ActorFacts`. A malformed
/// `movedTo` still yields `Some` (FEP-e965: never treat such an actor as active).
fn actor_facts(actor: &Actor, json: &Value) -> ActorFacts {
    let identity_dids = identity_links::verify_actor_identity_proofs(json)
        .map(|outcomes| {
            outcomes
                .iter()
                .filter_map(|o| o.result.as_ref().ok())
                .map(|l| l.subject().to_owned())
                .collect()
        })
        .unwrap_or_default();
    let mut facts = ActorFacts::new(actor.id().unwrap_or_default());
    facts.also_known_as = actor.also_known_as.as_slice().to_vec();
    facts.moved_to = actor.moved_to.first().map(str::to_owned);
    facts.copied_to = actor.copied_to.as_slice().to_vec();
    facts.suspended = actor.suspended.unwrap_or(false);
    facts.tombstone = actor.is_tombstone();
    facts.inbox = actor.inbox().map(str::to_owned);
    facts.shared_inbox = actor.shared_inbox().map(str::to_owned);
    facts.manually_approves_followers = actor.manually_approves_followers.unwrap_or(false);
    facts.identity_dids = identity_dids;
    facts
}

fn system_time(now: i64) -> SystemTime {
    match u64::try_from(now) {
        Ok(s) => UNIX_EPOCH + Duration::from_secs(s),
        Err(_) => UNIX_EPOCH - Duration::from_secs(now.unsigned_abs()),
    }
}

/// Runs the subcommand. Exit 0 on accept, 1 on reject or hold, 2 when a file cannot be read.
pub fn run(args: &CheckMoveArgs) -> Result<Report, CliError> {
    let (move_json, move_doc) = read_doc(&args.move_file)?;
    let Document::Activity(activity) = move_doc else {
        return Err(CliError::usage(
            "not_an_activity",
            format!("{}: an actor where a Move was expected", args.move_file),
            Some(args.move_file.as_str()),
        ));
    };
    let (origin_json, origin) = actor_doc(&args.origin)?;
    let (target_json, target) = actor_doc(&args.target)?;
    let origin_facts = actor_facts(&origin, &origin_json);
    let target_facts = actor_facts(&target, &target_json);
    let facts = move_facts(&activity);

    // Authentication: the HTTP signer the caller vouches for (default: the Move's actor), plus
    // a FEP-8b32 proof on the Move when one verifies against a supplied actor document.
    let signer = args
        .signer
        .clone()
        .or_else(|| facts.actor.first().cloned())
        .unwrap_or_default();
    let mut inbound = InboundMove::new(facts).authenticated_by(Authentication::HttpSignature {
        signer_actor_id: signer.clone(),
    });
    let mut proof_report = Value::Null;
    if let Ok(pending) = PendingObjectProof::new(&move_json) {
        let verified = [&origin_json, &target_json]
            .iter()
            .find_map(|doc| pending.verify_with_actor(doc).ok());
        proof_report = json!({
            "verification_method": pending.verification_method(),
            "verified_actor": verified.as_ref().map(|v| v.actor_id()),
        });
        if let Some(v) = verified {
            let by = v.actor_id().to_owned();
            if Some(by.as_str()) == origin.id() {
                // The old side's key signed a Move naming the new actor (E3 evidence).
                inbound = inbound.with_old_side_proof(OldSideProof::IntegrityProof {
                    verified_actor_id: by.clone(),
                });
            }
            inbound = inbound.authenticated_by(Authentication::IntegrityProof {
                verified_actor_id: by,
            });
        }
    }
    // The old actor's document as supplied: its own alsoKnownAs/movedTo/copiedTo are the
    // old side's word (pull mode, E3); the pipeline checks that it names the target.
    inbound = inbound
        .with_old_side_proof(OldSideProof::OldActorDocument(origin_facts.clone()))
        .with_origin_facts(origin_facts.clone());

    let config = InboundConfig::default().allow_pull(true);
    let mut check = MoveCheck::with_config(
        config,
        AcceptAll,
        inbound,
        system_time(now_or_clock(args.now)),
    );
    let mut fetched = Vec::new();
    for _ in 0..MAX_STEPS {
        let step = check.next().map_err(|e| pipeline_error(&e))?;
        match step {
            Step::Fetch(req) => {
                let answer = if Some(req.url.as_str()) == target.id() {
                    Fetched::Actor(target_facts.clone())
                } else if Some(req.url.as_str()) == origin.id() {
                    Fetched::Actor(origin_facts.clone())
                } else {
                    Fetched::NotFound
                };
                fetched.push(req.url.clone());
                check
                    .handle_fetched(&req.url, answer)
                    .map_err(|e| pipeline_error(&e))?;
            }
            Step::Lookup(query) => {
                let answer = match query {
                    Query::AlreadyProcessed { .. } => Answer::AlreadyProcessed(None),
                    Query::LastMove { .. } => Answer::LastMove(None),
                    Query::Moderation { .. } => Answer::Moderation(ModerationState::default()),
                    Query::LocalMovedTo { .. } => Answer::LocalMovedTo(None),
                    other => {
                        return Err(CliError::usage(
                            "unsupported_query",
                            format!(
                                "the pipeline asked a question this tool cannot answer: {other:?}"
                            ),
                            None::<String>,
                        ));
                    }
                };
                check
                    .handle_lookup(answer)
                    .map_err(|e| pipeline_error(&e))?;
            }
            Step::Done { decision, audit } => {
                return Ok(report(&decision, &signer, &fetched, proof_report, &audit));
            }
        }
    }
    Err(CliError::usage(
        "limit_exceeded",
        "the pipeline did not finish within the step limit",
        None::<String>,
    ))
}

fn pipeline_error(e: &fep7628::Error) -> CliError {
    CliError::usage(e.kind(), e.to_string(), None::<String>)
}

fn report(
    decision: &Decision,
    signer: &str,
    fetched: &[String],
    proof: Value,
    audit: &fep7628::AuditEvent,
) -> Report {
    let (verdict, reason, mode, origin, target) = match decision {
        Decision::Accept(v) => (
            "accept",
            Value::Null,
            Some(v.mode().as_str()),
            Some(v.origin()),
            Some(v.target()),
        ),
        Decision::Hold(h) => (
            "hold",
            json!({
                "kind": "hold",
                "message": h.reasons().iter().map(|r| r.code().to_owned()).collect::<Vec<_>>().join(", "),
                "at": null,
            }),
            Some(h.pending().mode().as_str()),
            Some(h.pending().origin()),
            Some(h.pending().target()),
        ),
        Decision::Reject(r) => (
            "reject",
            json!({"kind": r.kind(), "message": r.to_string(), "at": rejection_at(r)}),
            None,
            None,
            None,
        ),
    };
    let accepted = decision.is_accept();
    Report::verdict(
        accepted,
        json!({
            "valid": accepted,
            "verdict": verdict,
            "reason": reason,
            "mode": mode,
            "origin": origin,
            "target": target,
            "signer": signer,
            "migration_id": audit.migration_id.as_ref().map(|m| m.as_str()),
            "retryable": decision.effects().retryable,
            "fetched": fetched,
            "proof": proof,
        }),
    )
}

fn rejection_at(r: &fep7628::Rejection) -> Value {
    match r {
        fep7628::Rejection::Malformed { at, .. } => json!(at),
        _ => Value::Null,
    }
}
