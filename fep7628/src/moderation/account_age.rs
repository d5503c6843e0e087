//! Accounts younger than a minimum age (from the actor's `published`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::inbound::{ActorFacts, ActorProfile};
use crate::moderation::reason::{ModerationReason, ProfileSubject, RuleAction, verdict};
use crate::policy::{ArrivingFollower, InboundMoveContext, MigrationPolicy, Verdict};

/// Holds (or rejects) accounts whose `published` is less than `min_age` before `now`, or in the
/// future. Accounts without a `published` date are accepted unless
/// [`AccountAgePolicy::hold_unknown`] is set.
///
/// By default only **arriving followers** are judged: the target of a Move is usually a new
/// account by design (people create the new account, then move), so judging the target's age
/// is opt-in ([`AccountAgePolicy::for_subjects`]).
///
/// ```
/// use std::time::{Duration, SystemTime};
/// use fep7628::inbound::ActorProfile;
/// use fep7628::moderation::{AccountAgePolicy, ProfileSubject};
/// use fep7628::policy::Verdict;
/// let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
/// let policy = AccountAgePolicy::new(Duration::from_secs(7 * 86_400));
/// let young = ActorProfile { published: Some(1_700_000_000 - 3600), ..Default::default() };
/// assert!(matches!(policy.judge_profile(&young, ProfileSubject::Follower, now), Verdict::Hold(_)));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AccountAgePolicy {
    min_age: Duration,
    subjects: Vec<ProfileSubject>,
    hold_unknown: bool,
    action: RuleAction,
}

impl AccountAgePolicy {
    /// Hold arriving followers younger than `min_age`.
    pub fn new(min_age: Duration) -> Self {
        AccountAgePolicy {
            min_age,
            subjects: vec![ProfileSubject::Follower],
            hold_unknown: false,
            action: RuleAction::Hold,
        }
    }

    /// Builder: which accounts are judged (an empty list keeps the default).
    pub fn for_subjects(mut self, subjects: &[ProfileSubject]) -> Self {
        if !subjects.is_empty() {
            self.subjects = subjects.to_vec();
        }
        self
    }

    /// Builder: also act on profiles without a `published` date.
    pub fn hold_unknown(mut self, yes: bool) -> Self {
        self.hold_unknown = yes;
        self
    }

    /// Builder: what a young account gets.
    pub fn with_action(mut self, action: RuleAction) -> Self {
        self.action = action;
        self
    }

    /// The minimum age.
    pub fn min_age(&self) -> Duration {
        self.min_age
    }

    /// The verdict on one profile at `now`.
    pub fn judge_profile(
        &self,
        profile: &ActorProfile,
        subject: ProfileSubject,
        now: SystemTime,
    ) -> Verdict {
        if !self.subjects.contains(&subject) {
            return Verdict::Accept;
        }
        let Some(published) = profile.published else {
            if self.hold_unknown {
                return verdict(
                    self.action,
                    ModerationReason::AccountTooNew {
                        subject,
                        published: None,
                        min_age: self.min_age,
                    },
                );
            }
            return Verdict::Accept;
        };
        let now_secs = match now.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => i64::try_from(e.duration().as_secs()).map_or(i64::MIN, |s| -s),
        };
        let min = i64::try_from(self.min_age.as_secs()).unwrap_or(i64::MAX);
        if now_secs.saturating_sub(published) < min {
            verdict(
                self.action,
                ModerationReason::AccountTooNew {
                    subject,
                    published: Some(published),
                    min_age: self.min_age,
                },
            )
        } else {
            Verdict::Accept
        }
    }
}

impl MigrationPolicy for AccountAgePolicy {
    fn target_fetched(&self, ctx: &InboundMoveContext<'_>, target: &ActorFacts) -> Verdict {
        match &target.profile {
            Some(profile) => self.judge_profile(profile, ProfileSubject::Target, ctx.now),
            None => Verdict::Accept,
        }
    }

    fn arriving_follower(&self, arrival: &ArrivingFollower<'_>) -> Verdict {
        match arrival.profile {
            Some(profile) => self.judge_profile(profile, ProfileSubject::Follower, arrival.now),
            None => Verdict::Accept,
        }
    }
}
