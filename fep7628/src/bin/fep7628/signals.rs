//! `signals export` / `signals verify`: FIRES change records from an audit log, as a signed
//! batch, and the consumer's check of such a batch (the library's `fep7628::signals`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use clap::{Args, Subcommand};
use fep7628::signals::{
    ChangeBatch, ChangeId, ChangeLog, ExportConfig, LocalView, SignalsError, TrustedExporters,
    export_events, parse_audit_jsonl, verify_batch,
};
use serde_json::{Value, json};
use sha2::{Digest as _, Sha256};

use crate::input::{MAX_DOCUMENT, read_json, read_limited};
use crate::output::{CliError, EXIT_INVALID, EXIT_VALID, Report};
use crate::{keys, now_or_clock};

/// Largest audit file read (JSON lines).
const MAX_AUDIT_FILE: usize = 256 * 1024 * 1024;

/// Arguments of `signals`.
#[derive(Debug, Args)]
pub struct SignalsArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: SignalsCommand,
}

/// The `signals` subcommands.
#[derive(Debug, Subcommand)]
pub enum SignalsCommand {
    /// Export the decisions of an audit log as a signed batch of FIRES change records.
    #[command(
        long_about = "Read audit events (JSON lines: {\"at\", \"subject\", \"outcome\", \
\"code\"|\"reasons\", \"detail\"}), turn the server's decisions into FIRES change records \
(advisory, recommendation, retraction) and print the records after --since as one batch \
document signed with an eddsa-jcs-2022 proof (FEP-8b32) by --key. Change ids are UUIDv7 from \
the events' times; their random bits are derived from the key and the record's position, so \
the same audit file gives the same ids on every run and --since cursors stay valid while the \
file only grows.",
        after_help = "EXAMPLE\n    fep7628 signals export --key server.priv.pem --issuer \
https://mod.example/actor \\\n        --audit audit.jsonl --since 019ad8d2-0000-7000-8000-000000000000 \
--now 1764547200"
    )]
    Export(ExportArgs),
    /// Verify a signed batch and print its records.
    #[command(
        long_about = "Verify a signed batch of FIRES change records: with --actor, the full \
FEP-8b32 check against the exporter's actor document (the key is in its assertionMethod and \
the actor is the batch's attributedTo); with --key, the signature only, by a key you trust for \
the batch's issuer. Then the records are checked (known types and entity kinds, strictly \
increasing change ids, the declared range). With --cursor, the batch must continue exactly \
from that change id (a replayed, overlapping or gapped batch is refused). Output: {\"valid\", \
\"issuer\", \"verification_method\", \"after_change_id\", \"first_change_id\", \
\"last_change_id\", \"changes\", \"error\"}.",
        after_help = "EXAMPLE\n    fep7628 signals verify --actor mod-actor.json batch.json"
    )]
    Verify(VerifyArgs),
}

/// Arguments of `signals export`.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The server's Ed25519 signing key (PKCS#8 PEM or a Multikey secret).
    #[arg(long, value_name = "PEM")]
    pub key: String,
    /// The exporter's actor id (the batch's attributedTo).
    #[arg(long, value_name = "URL")]
    pub issuer: String,
    /// The key's id in the issuer's assertionMethod (default: <issuer>#ed25519-key).
    #[arg(long, value_name = "URL")]
    pub key_id: Option<String>,
    /// The audit events, one JSON object per line (- for stdin).
    #[arg(long, value_name = "FILE.jsonl")]
    pub audit: String,
    /// Only the records after this change id (the consumer's cursor).
    #[arg(long, value_name = "CHANGE_ID")]
    pub since: Option<String>,
    /// Base URI for labels (<base>#<reason code>); no labels without it.
    #[arg(long, value_name = "URL")]
    pub label_base: Option<String>,
    /// The exporter's clock, Unix seconds (default: the system clock).
    #[arg(long, value_name = "UNIX", allow_hyphen_values = true)]
    pub now: Option<i64>,
}

/// Arguments of `signals verify`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("by").required(true).args(["key", "actor"])))]
pub struct VerifyArgs {
    /// An Ed25519 public key (SPKI PEM or Multikey) trusted for the batch's issuer.
    #[arg(long, value_name = "PEM")]
    pub key: Option<String>,
    /// The exporter's actor document: the full FEP-8b32 check.
    #[arg(long, value_name = "F")]
    pub actor: Option<String>,
    /// The consumer's last change id: the batch must continue from it.
    #[arg(long, value_name = "CHANGE_ID")]
    pub cursor: Option<String>,
    /// The signed batch, or - for stdin.
    #[arg(value_name = "BATCH")]
    pub file: String,
}

/// Runs `signals`.
pub fn run(args: &SignalsArgs) -> Result<Report, CliError> {
    match &args.command {
        SignalsCommand::Export(a) => export(a),
        SignalsCommand::Verify(a) => verify(a),
    }
}

fn usage_error(e: &SignalsError, at: &str) -> CliError {
    CliError::usage(e.kind(), e.to_string(), Some(e.at().unwrap_or(at)))
}

fn verdict_error(e: &SignalsError) -> Value {
    json!({"kind": e.kind(), "message": e.to_string(), "at": e.at()})
}

fn unix_time(secs: i64) -> SystemTime {
    let magnitude = Duration::from_secs(secs.unsigned_abs());
    if secs >= 0 {
        UNIX_EPOCH + magnitude
    } else {
        UNIX_EPOCH - magnitude
    }
}

fn export(args: &ExportArgs) -> Result<Report, CliError> {
    let key = keys::ed25519_signing_key(&args.key)?;
    let since = args
        .since
        .as_deref()
        .map(|s| ChangeId::parse(s, "--since"))
        .transpose()
        .map_err(|e| usage_error(&e, "--since"))?;
    let bytes = read_limited(&args.audit, MAX_AUDIT_FILE)?;
    let text = String::from_utf8(bytes).map_err(|_| {
        CliError::usage(
            "invalid_audit_event",
            "the audit file is not UTF-8",
            Some(&args.audit),
        )
    })?;
    let events = parse_audit_jsonl(&text).map_err(|e| {
        let at = match &e {
            SignalsError::InvalidAuditEvent { line, at, .. } => {
                format!("{}:{line}{at}", args.audit)
            }
            _ => args.audit.clone(),
        };
        CliError::usage(e.kind(), e.to_string(), Some(at))
    })?;
    let now = unix_time(now_or_clock(args.now));
    // Deterministic randomness: SHA-256(domain ‖ secret key ‖ position), so re-running over
    // the same (growing) audit file reproduces the same ids, yet outsiders cannot predict them.
    let mut position: u64 = 0;
    let secret = key.to_bytes();
    let random = || {
        let digest = Sha256::new()
            .chain_update(b"fep7628 signals change_id\0")
            .chain_update(secret)
            .chain_update(position.to_be_bytes())
            .finalize();
        position += 1;
        let mut out = [0u8; 10];
        for (o, d) in out.iter_mut().zip(digest.iter()) {
            *o = *d;
        }
        out
    };
    let mut log = ChangeLog::new();
    let config = ExportConfig {
        label_base: args.label_base.clone(),
    };
    export_events(&mut log, &events, &config, now, random)
        .map_err(|e| usage_error(&e, &args.audit))?;
    let key_id = args
        .key_id
        .clone()
        .unwrap_or_else(|| format!("{}#ed25519-key", args.issuer));
    let signed = ChangeBatch::from_log(&log, &args.issuer, since)
        .sign(&key, &key_id, now)
        .map_err(|e| usage_error(&e, "--key"))?;
    Ok(Report::json(EXIT_VALID, signed))
}

fn verify(args: &VerifyArgs) -> Result<Report, CliError> {
    let bytes = read_limited(&args.file, MAX_DOCUMENT)?;
    let cursor = args
        .cursor
        .as_deref()
        .map(|s| ChangeId::parse(s, "--cursor"))
        .transpose()
        .map_err(|e| usage_error(&e, "--cursor"))?;
    let document = match identity_links::jcs::parse_strict(&bytes) {
        Ok(v) => v,
        Err(e) => {
            return Err(CliError::usage(
                "invalid_json",
                format!("{}: {e}", args.file),
                Some(&args.file),
            ));
        }
    };
    let mut trusted = TrustedExporters::new();
    if let Some(actor_path) = &args.actor {
        let (_, actor) = read_json(actor_path, MAX_DOCUMENT)?;
        trusted
            .trust_actor(actor)
            .map_err(|e| usage_error(&e, actor_path))?;
    } else if let Some(key_path) = &args.key {
        let key = keys::ed25519_verifying_key(key_path)?;
        // The key is trusted for whichever issuer the batch names: the caller vouches for it.
        if let Some(issuer) = document.get("attributedTo").and_then(Value::as_str) {
            trusted.trust_key(issuer, key);
        }
    }
    let outcome = verify_batch(&document, &trusted).and_then(|verified| {
        let batch = verified.batch();
        if let Some(cursor) = cursor {
            LocalView::resume(batch.issuer(), Some(cursor)).apply_batch(&verified)?;
        }
        Ok(verified)
    });
    let id = |c: Option<ChangeId>| c.map(|c| c.to_string());
    Ok(match outcome {
        Ok(v) => {
            let b = v.batch();
            Report::verdict(
                true,
                json!({
                    "valid": true,
                    "issuer": b.issuer(),
                    "verification_method": v.verification_method(),
                    "after_change_id": id(b.after()),
                    "first_change_id": id(b.first()),
                    "last_change_id": id(b.last()),
                    "changes": b.records().iter().map(|r| r.to_json()).collect::<Vec<_>>(),
                    "error": null,
                }),
            )
        }
        Err(e) => Report::json(
            EXIT_INVALID,
            json!({"valid": false, "issuer": document.get("attributedTo"),
                   "verification_method": null, "after_change_id": null,
                   "first_change_id": null, "last_change_id": null, "changes": [],
                   "error": verdict_error(&e)}),
        ),
    })
}
