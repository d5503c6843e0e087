//! Conversions shared by both backends: times, cooldown scopes, follow states, the rows of a
//! followers page, and how a database error becomes a [`StoreError`].

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use fep7628::plan::{ExistingFollow, FollowSettings, LocalFollower};
use fep7628::store::{
    CooldownScope, FollowRecord, FollowState, Sequenced, StoreError, StoreErrorKind,
};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// The database could not answer (connection, lock, constraint): a transient error.
pub fn unavailable(e: impl std::fmt::Display) -> StoreError {
    StoreError::new(StoreErrorKind::Unavailable, e.to_string())
}

/// A stored value does not decode (bad JSON in a column).
pub fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::new(StoreErrorKind::Corrupt, e.to_string())
}

/// A value the store was handed cannot be written (it does not serialise).
pub fn rejected(e: impl std::fmt::Display) -> StoreError {
    StoreError::new(StoreErrorKind::Rejected, e.to_string())
}

/// A value as the JSON text stored in a column.
pub fn to_json(value: &impl Serialize) -> Result<String, StoreError> {
    serde_json::to_string(value).map_err(rejected)
}

/// A value from the JSON text of a column.
pub fn from_json<T: DeserializeOwned>(json: &str) -> Result<T, StoreError> {
    serde_json::from_str(json).map_err(corrupt)
}

/// Nanoseconds since the epoch as a 64-bit integer (the audit log's `at_nanos`): times before
/// 1970 count as 1970, times after 2262 as the largest value. Enough to compare and filter.
pub fn nanos(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_nanos()).unwrap_or(i64::MAX))
}

/// A cursor or a limit as the databases' 64-bit integer (saturating).
pub fn int(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// `(seq, json)` rows, in the order read, as sequenced values.
pub fn sequenced<T: DeserializeOwned>(
    rows: impl IntoIterator<Item = Result<(i64, String), StoreError>>,
) -> Result<Vec<Sequenced<T>>, StoreError> {
    rows.into_iter()
        .map(|row| {
            let (seq, json) = row?;
            Ok(Sequenced {
                seq: u64::try_from(seq)
                    .map_err(|_| corrupt(format!("negative sequence number {seq}")))?,
                value: from_json(&json)?,
            })
        })
        .collect()
}

/// Whole seconds since the epoch (0 before it, saturating far after).
pub fn secs(t: SystemTime) -> i64 {
    t.duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// The time of a stored second count (negative counts read as the epoch).
pub fn time(s: i64) -> SystemTime {
    UNIX_EPOCH + Duration::from_secs(u64::try_from(s).unwrap_or(0))
}

/// The `cooldowns.scope` key of a scope.
pub fn scope_key(scope: &CooldownScope) -> String {
    match scope {
        CooldownScope::Origin(a) => format!("origin {a}"),
        CooldownScope::Target(a) => format!("target {a}"),
    }
}

/// The `follows.state` value of a state.
pub fn state_str(state: FollowState) -> &'static str {
    match state {
        FollowState::Accepted => "accepted",
        FollowState::Pending => "pending",
    }
}

/// Settings as stored in `follows.settings`.
pub fn settings_json(settings: &FollowSettings) -> Result<String, StoreError> {
    serde_json::to_string(settings).map_err(corrupt)
}

/// A stored follow from its `settings` and `state` columns.
pub fn follow_record(settings: &str, state: &str) -> Result<FollowRecord, StoreError> {
    Ok(FollowRecord {
        settings: serde_json::from_str(settings).map_err(corrupt)?,
        state: if state == "pending" {
            FollowState::Pending
        } else {
            FollowState::Accepted
        },
    })
}

/// One row of the followers page query, whichever database produced it.
#[derive(Debug)]
pub struct FollowerRow {
    /// `follows.follower`.
    pub id: String,
    /// `follows.settings` of the follow of the origin.
    pub settings: String,
    /// The follower blocks the target.
    pub blocks_target: bool,
    /// The target blocks the follower.
    pub blocked_by_target: bool,
    /// `settings` of the follower's follow of the target, if any.
    pub target_settings: Option<String>,
    /// `state` of the follower's follow of the target, if any.
    pub target_state: Option<String>,
}

impl FollowerRow {
    /// The plan's view of this follower.
    pub fn into_local_follower(self) -> Result<LocalFollower, StoreError> {
        let settings: FollowSettings = serde_json::from_str(&self.settings).map_err(corrupt)?;
        let follows_target = match self.target_settings {
            Some(s) => Some(ExistingFollow {
                settings: serde_json::from_str(&s).map_err(corrupt)?,
                pending: self.target_state.as_deref() == Some("pending"),
            }),
            None => None,
        };
        let mut f = LocalFollower::new(self.id).with_settings(settings);
        f.blocks_target = self.blocks_target;
        f.blocked_by_target = self.blocked_by_target;
        f.follows_target = follows_target;
        Ok(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_round_trip_in_whole_seconds() {
        let t = UNIX_EPOCH + Duration::from_millis(1_700_000_000_900);
        assert_eq!(
            time(secs(t)),
            UNIX_EPOCH + Duration::from_secs(1_700_000_000)
        );
        assert_eq!(time(-5), UNIX_EPOCH);
        assert_eq!(secs(UNIX_EPOCH - Duration::from_secs(3)), 0);
    }

    #[test]
    fn bad_settings_json_is_corrupt_not_a_panic() {
        let err = follow_record("{not json", "accepted").unwrap_err();
        assert_eq!(err.kind, StoreErrorKind::Corrupt);
        let row = FollowerRow {
            id: "x".into(),
            settings: "[]".into(),
            blocks_target: false,
            blocked_by_target: false,
            target_settings: None,
            target_state: None,
        };
        let err = row.into_local_follower().unwrap_err();
        assert_eq!(err.kind, StoreErrorKind::Corrupt);
    }
}
