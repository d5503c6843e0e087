//! `validate`: every problem the library finds, each with its JSON Pointer.

use activitystreams_move::{
    Document, E965Outcome, Problem, Severity, e965_outcome, validate_activity, validate_actor,
    validate_move_signer,
};
use serde_json::{Value, json};

use crate::cli::ValidateArgs;
use crate::document;
use crate::input::{MAX_DOCUMENT, read_limited};
use crate::output::{CliError, Report};

fn problem(p: &Problem) -> Value {
    json!({
        "kind": p.kind(),
        "message": p.message,
        "at": p.at,
        "severity": match p.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        },
        "rule": format!("{:?}", p.rule),
    })
}

/// Runs the subcommand. `valid` is false (exit 1) when any problem of severity `error` was
/// found, or the document could not be read; warnings are listed but do not invalidate. For
/// actors, `e965` is the FEP-e965 test case's outcome (`PASSED`, `FAILED`, `inapplicable`).
pub fn run(args: &ValidateArgs) -> Result<Report, CliError> {
    let bytes = read_limited(&args.file, MAX_DOCUMENT)?;
    let read = match document::read(&bytes, !args.no_jsonld) {
        Ok(r) => r,
        Err(refused) => {
            let e = refused.error;
            let mut out = json!({
                "valid": false,
                "family": null,
                "problems": [{"kind": e.kind, "message": e.message, "at": e.at,
                              "severity": "error", "rule": "Read"}],
            });
            if let Value::Object(m) = &mut out {
                m.insert("error".into(), e.to_json());
            }
            return Ok(Report::json(e.code, out));
        }
    };
    let mut e965 = Value::Null;
    let (family, mut problems) = match &read.document {
        Document::Actor(a) => {
            e965 = json!(match e965_outcome(a) {
                E965Outcome::Passed => "PASSED",
                E965Outcome::Failed => "FAILED",
                E965Outcome::Inapplicable => "inapplicable",
            });
            ("actor", validate_actor(a))
        }
        Document::Activity(a) => {
            let mut p = validate_activity(a);
            if let Some(signer) = &args.signer {
                p.extend(validate_move_signer(a, signer));
            }
            ("activity", p)
        }
    };
    problems.sort_by(|a, b| a.at.cmp(&b.at).then(a.kind().cmp(b.kind())));
    let valid = !activitystreams_move::has_errors(&problems);
    Ok(Report::verdict(
        valid,
        json!({
            "valid": valid,
            "family": family,
            "problems": problems.iter().map(problem).collect::<Vec<_>>(),
            "e965": e965,
            "error": null,
        }),
    ))
}
