//! `verify-request`: verify the HTTP signature of a raw request with one given key.

use http_signatures::{HeaderSource as _, Verifier, VerifyPolicy};
use serde_json::{Value, json};

use crate::cli::{Profile, VerifyRequestArgs};
use crate::output::{CliError, Report, http_sig_error};
use crate::{keys, now_or_clock, raw_request};

/// The policy for a profile name, with the command-line overrides.
fn policy(args: &VerifyRequestArgs) -> VerifyPolicy {
    let mut policy = match args.profile {
        Profile::Mastodon => VerifyPolicy::mastodon(),
        Profile::Strict => VerifyPolicy::strict(),
        Profile::TestVectors => VerifyPolicy::test_vectors(),
    };
    if let Some(max_age) = args.max_age {
        policy.max_age = max_age;
    }
    policy.limits.max_body = args.max_body;
    policy
}

/// Which scheme the request uses, by the same rule as the verifier (RFC 9421 when
/// `Signature-Input` is present).
fn detected_scheme(parts: &http::request::Parts) -> Value {
    if parts.has_header("signature-input") {
        json!("rfc9421")
    } else if parts.has_header("signature") || parts.has_header("authorization") {
        json!("cavage")
    } else {
        Value::Null
    }
}

/// Runs the subcommand.
pub fn run(args: &VerifyRequestArgs) -> Result<Report, CliError> {
    let key = keys::public_key(&args.key)?;
    let request = match raw_request::read_request(&args.file, args.max_head, args.max_body) {
        Ok(r) => r,
        // Not a request at all (or unreadable): the same shape, exit 2.
        Err(e) => return Ok(Report::json(e.code, failure(Value::Null, &e))),
    };
    let policy = policy(args);
    let now = http_signatures::UnixTime(now_or_clock(args.now));
    let wanted = args.key_id.as_deref();
    // The one key given answers for the request's key id (any id, unless --key-id names one).
    let resolver = |id: &str| wanted.is_none_or(|w| w == id).then(|| key.clone());
    let result =
        Verifier::new(policy).verify_request(&request.parts, request.body(), now, resolver);
    Ok(match result {
        Ok(v) => Report::verdict(
            true,
            json!({
                "valid": true,
                "scheme": v.scheme().name(),
                "key_id": v.key_id(),
                "algorithm": v.algorithm().rfc9421_name(),
                "covered": v.covered(),
                "created": v.created().map(|t| t.0),
                "error": null,
            }),
        ),
        Err(e) => Report::verdict(
            false,
            failure(detected_scheme(&request.parts), &http_sig_error(&e)),
        ),
    })
}

/// The output of a request that did not verify.
fn failure(scheme: Value, error: &CliError) -> Value {
    json!({
        "valid": false,
        "scheme": scheme,
        "key_id": null,
        "algorithm": null,
        "covered": [],
        "created": null,
        "error": error.to_json(),
    })
}
