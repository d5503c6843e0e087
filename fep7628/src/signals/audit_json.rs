//! Audit events as JSON lines, so a server (or the CLI's `signals export --audit`) can keep its
//! decisions in a file and export them later.
//!
//! One object per line (our format; [`AuditEvent`] itself is an in-memory type):
//!
//! ```json
//! {"at": "2025-12-01T00:00:00Z", "outcome": "rejected", "code": "policy:domain_blocked",
//!  "subject": {"type": "arriving_follower", "follower": "https://bot.spam.example/u/1",
//!              "origin": "https://old.example/u/a", "target": "https://new.example/u/a"},
//!  "detail": "…"}
//! ```
//!
//! `subject.type` is `inbound_move` (members `move_id`, `actor`, `origin`, `target`, each
//! optional) or `arriving_follower` (`follower`, `origin`, `target`); `outcome` is `accepted`,
//! `held` (with `reasons`: `[{"code", "host", "rule", "detail"}]`) or `rejected` (with `code`).
//! `at` is RFC 3339 or Unix seconds. The migration id is recomputed from origin and target; a
//! `migration_id` member, when present, must equal it.

use std::borrow::Cow;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value, json};

use crate::policy::{AuditEvent, AuditOutcome, AuditSubject, MigrationId, PolicyReason};
use crate::signals::time::Timestamp;

/// Most bytes in one line.
pub const MAX_AUDIT_LINE: usize = 64 * 1024;
/// Most lines read from one file.
pub const MAX_AUDIT_LINES: usize = 1_000_000;
/// Most reasons on one held event.
pub const MAX_REASONS: usize = 64;

use crate::signals::error::SignalsError;

/// The JSON line of an event (the inverse of [`parse_audit_jsonl`]).
pub fn audit_event_to_json(event: &AuditEvent) -> Value {
    let subject = match &event.subject {
        AuditSubject::InboundMove {
            move_id,
            actor,
            origin,
            target,
        } => json!({"type": "inbound_move", "move_id": move_id, "actor": actor,
                    "origin": origin, "target": target}),
        AuditSubject::ArrivingFollower {
            follower,
            origin,
            target,
        } => json!({"type": "arriving_follower", "follower": follower, "origin": origin,
                    "target": target}),
        AuditSubject::ImportedObject {
            object_id,
            origin,
            target,
        } => json!({"type": "imported_object", "object_id": object_id, "origin": origin,
                    "target": target}),
    };
    let mut m = Map::new();
    m.insert(
        "at".into(),
        Timestamp::from_system_time(event.at).as_str().into(),
    );
    m.insert(
        "migration_id".into(),
        event
            .migration_id
            .as_ref()
            .map_or(Value::Null, |id| id.as_str().into()),
    );
    m.insert("subject".into(), subject);
    m.insert("outcome".into(), event.outcome.as_str().into());
    match &event.outcome {
        AuditOutcome::Rejected { code } => {
            m.insert("code".into(), code.as_ref().into());
        }
        AuditOutcome::Held { reasons } => {
            let reasons: Vec<Value> = reasons
                .iter()
                .map(|r| match r {
                    PolicyReason::DomainBlocked { host, rule }
                    | PolicyReason::DomainLimited { host, rule } => {
                        json!({"code": r.code(), "host": host, "rule": rule})
                    }
                    PolicyReason::Cooldown { until, .. } => {
                        json!({"code": r.code(),
                               "until": Timestamp::from_system_time(*until).as_str()})
                    }
                    PolicyReason::Custom { detail, .. } => {
                        json!({"code": r.code(), "detail": detail})
                    }
                    // Read back as `Custom` with the same code and the text as detail.
                    PolicyReason::Moderation(m) => {
                        json!({"code": r.code(), "detail": m.to_string()})
                    }
                })
                .collect();
            m.insert("reasons".into(), Value::Array(reasons));
        }
        _ => {}
    }
    m.insert("detail".into(), event.detail.as_str().into());
    Value::Object(m)
}

/// Reads audit events, one JSON object per non-empty line; errors name the line (1-based) and
/// the JSON Pointer inside it.
pub fn parse_audit_jsonl(text: &str) -> Result<Vec<AuditEvent>, SignalsError> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if n > MAX_AUDIT_LINES {
            return Err(SignalsError::LimitExceeded {
                at: format!("line {n}"),
                what: "audit lines",
                limit: MAX_AUDIT_LINES,
            });
        }
        if line.trim().is_empty() {
            continue;
        }
        if line.len() > MAX_AUDIT_LINE {
            return Err(SignalsError::LimitExceeded {
                at: format!("line {n}"),
                what: "audit line bytes",
                limit: MAX_AUDIT_LINE,
            });
        }
        let bad = |at: &str, reason: String| SignalsError::InvalidAuditEvent {
            line: n,
            at: at.to_owned(),
            reason,
        };
        let value = identity_links::jcs::parse_strict(line.as_bytes())
            .map_err(|e| bad("", e.to_string()))?;
        out.push(event_from_json(&value).map_err(|(at, reason)| bad(&at, reason))?);
    }
    Ok(out)
}

type Problem = (String, String);

fn str_at<'a>(
    m: &'a Map<String, Value>,
    base: &str,
    name: &str,
) -> Result<Option<&'a str>, Problem> {
    match m.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err((format!("{base}/{name}"), "not a string".into())),
    }
}

fn need<'a>(m: &'a Map<String, Value>, base: &str, name: &str) -> Result<&'a str, Problem> {
    str_at(m, base, name)?.ok_or_else(|| (format!("{base}/{name}"), "missing".into()))
}

fn time_at(value: Option<&Value>, at: &str) -> Result<SystemTime, Problem> {
    match value {
        Some(Value::String(s)) => Timestamp::parse(s, at)
            .map(|t| t.to_system_time())
            .map_err(|e| (at.to_owned(), e.to_string())),
        Some(Value::Number(n)) => n
            .as_u64()
            .filter(|&s| s < 253_402_300_800)
            .map(|s| UNIX_EPOCH + Duration::from_secs(s))
            .ok_or_else(|| {
                (
                    at.to_owned(),
                    "not Unix seconds in years 1970..=9999".into(),
                )
            }),
        _ => Err((
            at.to_owned(),
            "missing, or neither a date-time nor a number".into(),
        )),
    }
}

fn event_from_json(value: &Value) -> Result<AuditEvent, Problem> {
    let m = value
        .as_object()
        .ok_or_else(|| (String::new(), "not a JSON object".to_owned()))?;
    let at = time_at(m.get("at"), "/at")?;
    let s = m
        .get("subject")
        .and_then(Value::as_object)
        .ok_or_else(|| ("/subject".to_owned(), "missing or not an object".to_owned()))?;
    let own = |v: Option<&str>| v.map(str::to_owned);
    let subject = match need(s, "/subject", "type")? {
        "inbound_move" => AuditSubject::InboundMove {
            move_id: own(str_at(s, "/subject", "move_id")?),
            actor: own(str_at(s, "/subject", "actor")?),
            origin: own(str_at(s, "/subject", "origin")?),
            target: own(str_at(s, "/subject", "target")?),
        },
        "arriving_follower" => AuditSubject::ArrivingFollower {
            follower: need(s, "/subject", "follower")?.to_owned(),
            origin: need(s, "/subject", "origin")?.to_owned(),
            target: need(s, "/subject", "target")?.to_owned(),
        },
        "imported_object" => AuditSubject::ImportedObject {
            object_id: need(s, "/subject", "object_id")?.to_owned(),
            origin: need(s, "/subject", "origin")?.to_owned(),
            target: need(s, "/subject", "target")?.to_owned(),
        },
        other => {
            return Err((
                "/subject/type".into(),
                format!("unknown subject type {other:?}"),
            ));
        }
    };
    let migration_id = match &subject {
        AuditSubject::InboundMove {
            origin: Some(o),
            target: Some(t),
            ..
        }
        | AuditSubject::ArrivingFollower {
            origin: o,
            target: t,
            ..
        }
        | AuditSubject::ImportedObject {
            origin: o,
            target: t,
            ..
        } => Some(MigrationId::new(o, t)),
        AuditSubject::InboundMove { .. } => None,
    };
    if let Some(given) = str_at(m, "", "migration_id")?
        && migration_id.as_ref().map(MigrationId::as_str) != Some(given)
    {
        return Err((
            "/migration_id".into(),
            "does not match the subject's origin and target".into(),
        ));
    }
    let outcome = match need(m, "", "outcome")? {
        "accepted" => AuditOutcome::Accepted,
        "rejected" => AuditOutcome::Rejected {
            code: Cow::Owned(need(m, "", "code")?.to_owned()),
        },
        "held" => {
            let items = m
                .get("reasons")
                .and_then(Value::as_array)
                .ok_or_else(|| ("/reasons".to_owned(), "missing or not an array".to_owned()))?;
            if items.len() > MAX_REASONS {
                return Err((
                    "/reasons".into(),
                    format!("more than {MAX_REASONS} reasons"),
                ));
            }
            let mut reasons = Vec::with_capacity(items.len());
            for (i, item) in items.iter().enumerate() {
                let base = format!("/reasons/{i}");
                let r = item
                    .as_object()
                    .ok_or_else(|| (base.clone(), "not an object".to_owned()))?;
                reasons.push(reason_from_json(r, &base)?);
            }
            AuditOutcome::Held { reasons }
        }
        other => return Err(("/outcome".into(), format!("unknown outcome {other:?}"))),
    };
    Ok(AuditEvent {
        migration_id,
        at,
        subject,
        outcome,
        detail: str_at(m, "", "detail")?.unwrap_or_default().to_owned(),
    })
}

fn reason_from_json(r: &Map<String, Value>, base: &str) -> Result<PolicyReason, Problem> {
    use crate::policy::CooldownSubject;
    let code = need(r, base, "code")?;
    let cooldown = |subject| -> Result<PolicyReason, Problem> {
        Ok(PolicyReason::Cooldown {
            subject,
            until: time_at(r.get("until"), &format!("{base}/until"))?,
        })
    };
    match code {
        "domain_blocked" => Ok(PolicyReason::DomainBlocked {
            host: need(r, base, "host")?.to_owned(),
            rule: need(r, base, "rule")?.to_owned(),
        }),
        "domain_limited" => Ok(PolicyReason::DomainLimited {
            host: need(r, base, "host")?.to_owned(),
            rule: need(r, base, "rule")?.to_owned(),
        }),
        "cooldown_origin" => cooldown(CooldownSubject::Origin),
        "cooldown_target" => cooldown(CooldownSubject::Target),
        other => Ok(PolicyReason::Custom {
            code: Cow::Owned(other.to_owned()),
            detail: str_at(r, base, "detail")?.unwrap_or_default().to_owned(),
        }),
    }
}
