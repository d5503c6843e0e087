//! `sign-proof` and `verify-proof`: FEP-8b32 object integrity proofs (`eddsa-jcs-2022`).

use identity_links::UnverifiedProof;
use identity_links::fep8b32::{PendingObjectProof, sign_object};
use serde_json::{Value, json};

use crate::cli::{SignProofArgs, VerifyProofArgs};
use crate::input::{MAX_DOCUMENT, read_json};
use crate::output::{Body, CliError, EXIT_USAGE, EXIT_VALID, Report, identity_error};
use crate::{keys, now_or_clock};

/// Runs `sign-proof`: prints the object with its `proof` added.
pub fn sign(args: &SignProofArgs) -> Result<Report, CliError> {
    let key = keys::ed25519_signing_key(&args.key)?;
    let (_, object) = read_json(&args.file, MAX_DOCUMENT)?;
    let created = fep7628::signals::Timestamp::from_unix(now_or_clock(args.now))
        .as_str()
        .to_owned();
    let signed = sign_object(&object, &key, &args.verification_method, &created)
        .map_err(|e| identity_error(&e).with_code(EXIT_USAGE))?;
    let mut text = signed.to_string().into_bytes();
    text.push(b'\n');
    Ok(Report {
        code: EXIT_VALID,
        body: Body::Raw(text),
    })
}

/// Runs `verify-proof`. With `--actor`, the full FEP-8b32 check (the verification method must
/// be in the actor's `assertionMethod`, controlled by the object's owner); with `--key`, only
/// the signature over the object (the caller vouches for the key).
pub fn verify(args: &VerifyProofArgs) -> Result<Report, CliError> {
    let (_, object) = read_json(&args.file, MAX_DOCUMENT)?;
    let result = match (&args.actor, &args.key) {
        (Some(actor_path), _) => {
            let (_, actor) = read_json(actor_path, MAX_DOCUMENT)?;
            PendingObjectProof::new(&object)
                .and_then(|p| p.verify_with_actor(&actor))
                .map(|v| {
                    json!({
                        "verification_method": v.verification_method(),
                        "actor": v.actor_id(),
                        "cryptosuite": v.cryptosuite().as_str(),
                        "created": v.created(),
                    })
                })
        }
        (None, Some(key_path)) => {
            let key = keys::ed25519_verifying_key(key_path)?;
            UnverifiedProof::from_secured(&object).and_then(|p| {
                p.verify_signature(&key).map(|()| {
                    json!({
                        "verification_method": p.verification_method(),
                        "actor": null,
                        "cryptosuite": p.cryptosuite().as_str(),
                        "created": p.created(),
                    })
                })
            })
        }
        (None, None) => {
            return Err(CliError::usage(
                "usage",
                "verify-proof needs --key or --actor",
                Some("--key"),
            ));
        }
    };
    Ok(match result {
        Ok(mut v) => {
            if let Value::Object(m) = &mut v {
                m.insert("valid".into(), json!(true));
                m.insert("error".into(), Value::Null);
            }
            Report::verdict(true, v)
        }
        Err(e) => Report::verdict(
            false,
            json!({"valid": false, "verification_method": null, "actor": null,
                   "cryptosuite": null, "created": null, "error": identity_error(&e).to_json()}),
        ),
    })
}

#[cfg(test)]
mod tests {
    /// What `sign-proof` writes as `created`.
    fn xsd_datetime(unix: i64) -> String {
        fep7628::signals::Timestamp::from_unix(unix)
            .as_str()
            .to_owned()
    }

    #[test]
    fn formats_dates() {
        assert_eq!(xsd_datetime(0), "1970-01-01T00:00:00Z");
        assert_eq!(xsd_datetime(1_764_547_200), "2025-12-01T00:00:00Z");
        assert_eq!(xsd_datetime(951_782_400), "2000-02-29T00:00:00Z");
    }
}
