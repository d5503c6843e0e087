//! From what this server decided ([`AuditEvent`]s) to change records.
//!
//! The FIRES docs say what the records mean, not which local decisions become which records.
//! Our mapping (the subject account is the Move's origin for an inbound Move, the follower for
//! an arriving follower):
//!
//! | audit event | change |
//! |---|---|
//! | rejected, `policy:domain_blocked` or `target_domain_blocked` (a Move) | `recommendation` `reject` about the `Domain` of the Move's target |
//! | rejected, `domain_blocked` (an arriving follower; its codes have no `policy:` prefix) | `recommendation` `reject` about the follower's `Domain` |
//! | rejected, `target_suspended` | `recommendation` `drop` about the target `Actor` |
//! | rejected, another `policy:<code>` (follower farming, keyword rules, surges, …) | `recommendation` `reject` about the subject `Actor` |
//! | held, for reasons other than cooldowns | `advisory` `filter` with `require-follow-requests` about the subject `Actor`, and for each `domain_blocked` reason an `advisory` `filter` about that `Domain` |
//! | accepted | `retraction` about the subject `Actor`, if it has an active advisory or recommendation in the log (a moderator let it through) |
//! | rejected for protocol faults (bad signature, not aliased, duplicate, …) or cooldowns | nothing: not a judgement about the entity |
//!
//! A decision equal to the entity's current record appends nothing ([`ChangeLog::supersede`]);
//! labels are `<label_base>#<reason code>` when [`ExportConfig::label_base`] is set.

use std::time::SystemTime;

use crate::policy::{AuditEvent, AuditOutcome, AuditSubject, PolicyReason};
use crate::signals::change_id::ChangeId;
use crate::signals::change_log::ChangeLog;
use crate::signals::entity::Entity;
use crate::signals::error::SignalsError;
use crate::signals::record::{Change, Guidance, RecommendedPolicy};

/// The FIRES filter that holds arriving follows for manual approval (`docs/concepts/filters.md`).
pub const REQUIRE_FOLLOW_REQUESTS: &str = "require-follow-requests";

/// How decisions become records.
#[derive(Debug, Clone, Default)]
pub struct ExportConfig {
    /// Base URI of the labels this server publishes (labels are `<base>#<reason code>`); no
    /// labels when `None`.
    pub label_base: Option<String>,
}

/// What one audit event says about one entity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Signal {
    /// A new advisory or recommendation.
    Set {
        /// The entity.
        entity: Entity,
        /// The advisory or recommendation.
        change: Change,
        /// Public explanation.
        comment: Option<String>,
    },
    /// The entity's active advisory or recommendation no longer holds.
    Lift {
        /// The entity.
        entity: Entity,
        /// Public explanation.
        comment: Option<String>,
    },
}

/// The signals of one audit event (see the module table); empty when it says nothing about
/// any entity.
pub fn signals_for(event: &AuditEvent, config: &ExportConfig) -> Vec<Signal> {
    let (subject_actor, target, follower_host) = match &event.subject {
        AuditSubject::InboundMove { origin, target, .. } => {
            (origin.as_deref(), target.as_deref(), None)
        }
        AuditSubject::ArrivingFollower { follower, .. } => {
            (Some(follower.as_str()), None, host_of(follower))
        }
        // An imported object says nothing about an account or a domain.
        AuditSubject::ImportedObject { .. } => return Vec::new(),
    };
    let actor = subject_actor.and_then(|a| Entity::actor(a).ok());
    let comment = (!event.detail.is_empty()).then(|| event.detail.clone());
    let set = |entity: Option<Entity>, change: Change| {
        entity.map(|entity| Signal::Set {
            entity,
            change,
            comment: comment.clone(),
        })
    };
    let mut out = Vec::new();
    match &event.outcome {
        AuditOutcome::Accepted => {
            if let Some(entity) = actor {
                out.push(Signal::Lift {
                    entity,
                    comment: Some("accepted by a moderator or policy".to_owned()),
                });
            }
        }
        AuditOutcome::Rejected { code } => {
            let code = code.as_ref();
            // The inbound pipeline prefixes policy rejections with `policy:`; every rejection
            // of an arriving follower comes from a policy and carries the bare reason code.
            let policy_code = match &event.subject {
                AuditSubject::InboundMove { .. } => code.strip_prefix("policy:"),
                AuditSubject::ArrivingFollower { .. } => {
                    Some(code.strip_prefix("policy:").unwrap_or(code))
                }
                AuditSubject::ImportedObject { .. } => None,
            };
            let signal = match (code, policy_code, &event.subject) {
                (_, Some(c), _) if c.starts_with("cooldown_") => None,
                ("target_domain_blocked", _, _)
                | (_, Some("domain_blocked"), AuditSubject::InboundMove { .. }) => {
                    let domain = target.and_then(host_of);
                    set(
                        domain.and_then(|d| Entity::domain(&d).ok()),
                        reject(config, "domain_blocked", RecommendedPolicy::Reject),
                    )
                }
                (_, Some("domain_blocked"), AuditSubject::ArrivingFollower { .. }) => set(
                    follower_host.and_then(|d| Entity::domain(&d).ok()),
                    reject(config, "domain_blocked", RecommendedPolicy::Reject),
                ),
                ("target_suspended", _, _) => set(
                    target.and_then(|t| Entity::actor(t).ok()),
                    reject(config, "target_suspended", RecommendedPolicy::Drop),
                ),
                (_, Some(c), _) => set(actor, reject(config, c, RecommendedPolicy::Reject)),
                _ => None,
            };
            out.extend(signal);
        }
        AuditOutcome::Held { reasons } => {
            let judged: Vec<&PolicyReason> = reasons
                .iter()
                .filter(|r| !matches!(r, PolicyReason::Cooldown { .. }))
                .collect();
            if judged.is_empty() {
                return out;
            }
            let mut guidance = Guidance::new(RecommendedPolicy::Filter);
            guidance.filters.push(REQUIRE_FOLLOW_REQUESTS.to_owned());
            guidance.labels = labels(config, judged.iter().map(|r| r.code()));
            out.extend(set(actor, Change::Advisory(guidance)));
            for reason in judged {
                if let PolicyReason::DomainBlocked { rule, .. } = reason {
                    let mut g = Guidance::new(RecommendedPolicy::Filter);
                    g.filters.push(REQUIRE_FOLLOW_REQUESTS.to_owned());
                    g.labels = labels(config, ["domain_blocked"]);
                    out.extend(set(Entity::domain(rule).ok(), Change::Advisory(g)));
                }
            }
        }
    }
    out
}

/// Appends the records `events` call for to `log` (superseding, never rewriting); `random`
/// gives 10 random bytes per new id. Returns the ids appended, in order.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use fep7628::policy::{check_arriving_follower, ArrivingFollower, DomainBlockPolicy};
/// use fep7628::signals::*;
/// use fep7628::MigrationId;
/// let policy = DomainBlockPolicy::new().with_block("spam.example");
/// let now = UNIX_EPOCH + Duration::from_secs(1_764_547_200);
/// let mig = MigrationId::new("https://old.example/u/a", "https://new.example/u/a");
/// let (_, event) = check_arriving_follower(&policy, &ArrivingFollower::new(
///     &mig, "https://bot.spam.example/u/1", "https://old.example/u/a",
///     "https://new.example/u/a", now));
/// let mut log = ChangeLog::new();
/// let ids = export_events(&mut log, &[event], &ExportConfig::default(), now, || [7; 10]).unwrap();
/// assert_eq!(ids.len(), 1);
/// let record = &log.records()[0];
/// assert_eq!(record.entity, Entity::domain("bot.spam.example").unwrap());
/// assert_eq!(record.change.guidance().unwrap().policy, RecommendedPolicy::Reject);
/// ```
pub fn export_events(
    log: &mut ChangeLog,
    events: &[AuditEvent],
    config: &ExportConfig,
    now: SystemTime,
    mut random: impl FnMut() -> [u8; 10],
) -> Result<Vec<ChangeId>, SignalsError> {
    let mut appended = Vec::new();
    for event in events {
        // Records are published when the decision was taken, but ids never go backwards.
        let at = if event.at > now { now } else { event.at };
        for signal in signals_for(event, config) {
            let id = match signal {
                Signal::Set {
                    entity,
                    change,
                    comment,
                } => log.supersede(&entity, change, comment, at, random())?,
                Signal::Lift { entity, comment } => log.retract(&entity, comment, at, random())?,
            };
            appended.extend(id);
        }
    }
    Ok(appended)
}

fn reject(config: &ExportConfig, code: &str, policy: RecommendedPolicy) -> Change {
    let mut g = Guidance::new(policy);
    g.labels = labels(config, [code]);
    Change::Recommendation(g)
}

fn labels<'a>(config: &ExportConfig, codes: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let Some(base) = &config.label_base else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    for code in codes {
        let label = format!("{base}#{code}");
        if !out.contains(&label) {
            out.push(label);
        }
    }
    out
}

fn host_of(id: &str) -> Option<String> {
    url::Url::parse(id)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
}
