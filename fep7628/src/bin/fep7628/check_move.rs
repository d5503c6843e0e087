//! `check-move`: the receiver pipeline ([`fep7628::MoveCheck`]) over supplied documents.
//!
//! Documents are read with `activitystreams-move` (context guard, JSON-LD slow path) and turned
//! into the pipeline's facts by the library's adapters ([`fep7628::adapt`]): FEP-c390 identity
//! statements and a FEP-8b32 proof on the Move are verified with `identity-links`. The check's
//! `Fetch` steps are answered from the two actor files and its `Lookup` steps with an empty
//! local store.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use activitystreams_move::{Actor, Document};
use fep7628::adapt;
use fep7628::inbound::{
    ActorFacts, Answer, Authentication, Fetched, InboundConfig, InboundMove, ModerationState,
    Query, Step,
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

/// The pipeline's facts for an actor document, with its verified FEP-c390 subjects.
fn facts_of(actor: &Actor) -> ActorFacts {
    let mut facts = adapt::actor_facts(actor);
    facts.identity_dids = adapt::verified_identity_dids(actor);
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
    let origin_facts = facts_of(&origin);
    let target_facts = facts_of(&target);
    let facts = adapt::move_facts(&activity).map_err(|e| {
        CliError::usage(
            e.kind(),
            format!("{}: {e}", args.move_file),
            Some(args.move_file.as_str()),
        )
    })?;

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
            if let (Some(old), Some(new)) = (origin.id(), target.id())
                && let Some(evidence) = adapt::old_side_integrity_proof(&v, &move_json, old, new)
            {
                // The old side's key signed a document naming the new actor (E3 evidence).
                inbound = inbound.with_old_side_proof(evidence);
            }
            inbound = inbound.authenticated_by(adapt::integrity_proof_authentication(&v));
        }
    }
    // The old actor's document as supplied: its own alsoKnownAs/movedTo/copiedTo are the
    // old side's word (pull mode, E3); the pipeline checks that it names the target.
    inbound = inbound
        .with_old_side_proof(adapt::old_actor_document(&origin))
        .with_origin_facts(origin_facts.clone());
    if let Some(shared) = adapt::shared_identity_subject(&origin_facts, &target_facts) {
        inbound = inbound.with_old_side_proof(shared);
    }

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
