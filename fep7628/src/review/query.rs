//! Moderators' questions over the audit log: what did migration X bring, what came from
//! server S since T.

use std::collections::BTreeSet;
use std::time::SystemTime;

use crate::policy::normalize_domain;
use crate::review::{AuditEntry, AuditKind};
use crate::store::{AuditStore, Sequenced, StoreError};

/// Entries read per page by the helpers here.
const PAGE: usize = 512;

/// What one migration brought to this server, read from its audit entries.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MigrationSummary {
    /// `(follower, followed)` follows the migration created (follows and follow requests).
    pub follows_created: BTreeSet<(String, String)>,
    /// `(follower, origin)` follows of the origin the migration undid.
    pub origin_follows_undone: BTreeSet<(String, String)>,
    /// Imported object ids.
    pub objects_imported: BTreeSet<String>,
    /// `(follower, target)` follows of a local target by followers that arrived (new home).
    pub followers_arrived: BTreeSet<(String, String)>,
    /// Every decision (policy, pipeline, moderator), in order.
    pub decisions: Vec<AuditEntry>,
    /// A revert of the migration finished.
    pub reverted: bool,
    /// Entries read.
    pub entries: u64,
    /// The summary stopped at `max_entries` entries: there is more.
    pub truncated: bool,
}

/// Reads at most `max_entries` audit entries of `migration_id` and summarises them.
pub async fn what_migration_brought<S: AuditStore + Sync>(
    store: &S,
    migration_id: &str,
    max_entries: u64,
) -> Result<MigrationSummary, StoreError> {
    let mut summary = MigrationSummary::default();
    let mut after = None;
    loop {
        let page = store.migration_entries(migration_id, after, PAGE).await?;
        if page.is_empty() {
            return Ok(summary);
        }
        for Sequenced { seq, value: e } in page {
            if summary.entries >= max_entries {
                summary.truncated = true;
                return Ok(summary);
            }
            if after.is_some_and(|a| seq <= a) || e.migration_id != migration_id {
                return Err(StoreError::new(
                    crate::store::StoreErrorKind::Corrupt,
                    format!(
                        "audit store returned entry {seq} out of order or for another migration"
                    ),
                ));
            }
            after = Some(seq);
            summary.entries += 1;
            let follower = e.follower.clone();
            match e.kind {
                AuditKind::FollowSent | AuditKind::FollowRequestSent => {
                    if let (Some(f), Some(t)) = (follower, e.target.clone()) {
                        summary.follows_created.insert((f, t));
                    }
                }
                AuditKind::UndoSent => {
                    if let (Some(f), Some(o)) = (follower, e.origin.clone()) {
                        summary.origin_follows_undone.insert((f, o));
                    }
                }
                AuditKind::ObjectImported => {
                    if let Some(o) = e.object_id.clone() {
                        summary.objects_imported.insert(o);
                    }
                }
                AuditKind::FollowerArrived => {
                    if let (Some(f), Some(t)) = (follower, e.target.clone()) {
                        summary.followers_arrived.insert((f, t));
                    }
                }
                AuditKind::RevertFinished => summary.reverted = true,
                k if k.is_decision() => summary.decisions.push(e),
                _ => {}
            }
        }
    }
}

/// Audit entries from the origin server `host` (exact host: `old.example` does not match
/// `sub.old.example` nor `old.example.evil`) at or after `since`, at most `limit`. The host is
/// normalised first (case, trailing dot, IDN); something that is not a host name matches
/// nothing.
pub async fn from_origin_since<S: AuditStore + Sync>(
    store: &S,
    host: &str,
    since: SystemTime,
    limit: usize,
) -> Result<Vec<AuditEntry>, StoreError> {
    let Some(host) = normalize_domain(host) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    let mut after = None;
    while out.len() < limit {
        let want = (limit - out.len()).min(PAGE);
        let page = store.origin_entries(&host, since, after, want).await?;
        if page.is_empty() {
            break;
        }
        for Sequenced { seq, value } in page {
            if after.is_some_and(|a| seq <= a) {
                return Err(StoreError::new(
                    crate::store::StoreErrorKind::Corrupt,
                    format!("audit store returned entry {seq} out of order"),
                ));
            }
            after = Some(seq);
            if out.len() < limit {
                out.push(value);
            }
        }
    }
    Ok(out)
}
