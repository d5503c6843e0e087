//! `persona`: the persona graph from actor documents (identity-links).

use identity_links::also_known_as::AliasLimits;
use identity_links::persona::{
    Evidence, GraphConfig, LinkReason, Node, Primary, build, claims_from_actor,
};
use serde_json::{Value, json};

use crate::cli::PersonaArgs;
use crate::input::{MAX_DOCUMENT, read_json};
use crate::output::{CliError, Report};

/// Most actor documents one run reads.
const MAX_FILES: usize = 10_000;

fn node(n: &Node) -> Value {
    json!({"kind": n.kind.as_str(), "id": &*n.id})
}

fn evidence(e: &Evidence) -> Value {
    let ((ka, a), (kb, b)) = e.endpoints();
    json!({"kind": e.kind(), "from": {"kind": ka.as_str(), "id": a}, "to": {"kind": kb.as_str(), "id": b}})
}

fn reason(r: LinkReason) -> Value {
    match r {
        LinkReason::IdentityProof => json!({"kind": "identity_proof"}),
        LinkReason::RelMe => json!({"kind": "rel_me"}),
        LinkReason::AlsoKnownAs(c) => {
            json!({"kind": "also_known_as", "confirmed_by": format!("{c:?}")})
        }
    }
}

fn primary(p: &Primary) -> Value {
    match p {
        Primary::Actor(a) => json!({"kind": "actor", "actor": a}),
        Primary::Ambiguous(list) => json!({"kind": "ambiguous", "actors": list}),
        Primary::AllMoved => json!({"kind": "all_moved"}),
    }
}

/// Runs the subcommand. Each file is taken as fetched from its own `id` (the caller vouches for
/// that); FEP-c390 identity statements are verified and become evidence. Exit 0 when every file
/// was read, 1 when some were refused (listed under `errors`).
pub fn run(args: &PersonaArgs) -> Result<Report, CliError> {
    if args.files.len() > MAX_FILES {
        return Err(CliError::usage(
            "limit_exceeded",
            format!("at most {MAX_FILES} actor documents"),
            Some("FILE"),
        ));
    }
    let mut all = Vec::new();
    let mut errors = Vec::new();
    for path in &args.files {
        let (_, actor) = read_json(path, MAX_DOCUMENT)?;
        let Some(id) = actor.get("id").and_then(Value::as_str) else {
            errors.push(json!({"file": path, "kind": "missing_id", "message": "actor has no string id", "at": "/id"}));
            continue;
        };
        match claims_from_actor(&actor, id, &AliasLimits::default()) {
            Ok(claims) => all.extend(claims),
            Err(e) => {
                errors.push(
                    json!({"file": path, "kind": e.kind(), "message": e.to_string(), "at": null}),
                );
                continue;
            }
        }
        if let Ok(outcomes) = identity_links::verify_actor_identity_proofs(&actor) {
            for link in outcomes.iter().filter_map(|o| o.result.as_ref().ok()) {
                all.push(Evidence::IdentityProof {
                    actor: link.actor_id().into(),
                    did: link.subject().into(),
                });
            }
        }
    }
    let graph = build(&all, &GraphConfig::default());
    let personas: Vec<Value> = graph
        .personas
        .iter()
        .map(|p| {
            json!({
                "members": p.members.iter().map(node).collect::<Vec<_>>(),
                "primary": primary(&p.primary),
                "links": p.links.iter().map(|l| json!({
                    "a": node(&l.a),
                    "b": node(&l.b),
                    "reason": reason(l.reason),
                    "evidence": l.evidence.iter().map(evidence).collect::<Vec<_>>(),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let ok = errors.is_empty();
    Ok(Report::verdict(
        ok,
        json!({
            "valid": ok,
            "personas": personas,
            "declared": graph.declared.iter().map(evidence).collect::<Vec<_>>(),
            "ignored": graph.ignored.iter().map(evidence).collect::<Vec<_>>(),
            "hubs": graph.hubs.iter().map(|h| json!({"node": node(&h.node), "confirmed_links": h.confirmed_links})).collect::<Vec<_>>(),
            "errors": errors,
        }),
    ))
}
