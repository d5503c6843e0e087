//! Every policy a [`PolicyFile`] configures, bound to the caller's history: one
//! [`MigrationPolicy`].

use crate::inbound::ActorFacts;
use crate::moderation::file::PolicyFile;
use crate::moderation::history::{ArrivalHistory, HistoryPolicy};
use crate::policy::{ArrivingFollower, InboundMoveContext, MigrationPolicy, Verdict};

/// The policies of a [`PolicyFile`] judging against an [`ArrivalHistory`], consulted in the
/// file's order — domain blocks, keyword rules, account age, rate limits, surge, follower
/// farming — with [`Verdict::and`]: the first rejection wins, holds accumulate.
///
/// Compose it with the crate's other policies (e.g. [`CooldownPolicy`](crate::policy::CooldownPolicy))
/// as a tuple.
#[derive(Debug, Clone, Copy)]
pub struct ModerationPolicy<'a> {
    file: &'a PolicyFile,
    history: &'a ArrivalHistory,
}

impl PolicyFile {
    /// The configured policies as one [`MigrationPolicy`], judging against `history` (the
    /// recent accepted arrivals the caller loaded from its store).
    pub fn policy<'a>(&'a self, history: &'a ArrivalHistory) -> ModerationPolicy<'a> {
        ModerationPolicy {
            file: self,
            history,
        }
    }
}

impl ModerationPolicy<'_> {
    fn fold(
        &self,
        direct: impl Fn(&dyn MigrationPolicy) -> Verdict,
        windowed: impl Fn(&dyn HistoryPolicyDyn) -> Verdict,
    ) -> Verdict {
        let f = self.file;
        let mut verdict = Verdict::Accept;
        let direct_policies: [Option<&dyn MigrationPolicy>; 3] = [
            f.domain_blocks().map(|p| p as &dyn MigrationPolicy),
            f.keyword_rules().map(|p| p as &dyn MigrationPolicy),
            f.account_age().map(|p| p as &dyn MigrationPolicy),
        ];
        for policy in direct_policies.into_iter().flatten() {
            verdict = verdict.and(|| direct(policy));
            if matches!(verdict, Verdict::Reject(_)) {
                return verdict;
            }
        }
        let windowed_policies: [Option<&dyn HistoryPolicyDyn>; 3] = [
            f.rate_limits().map(|p| p as &dyn HistoryPolicyDyn),
            f.surge().map(|p| p as &dyn HistoryPolicyDyn),
            f.follower_farming().map(|p| p as &dyn HistoryPolicyDyn),
        ];
        for policy in windowed_policies.into_iter().flatten() {
            verdict = verdict.and(|| windowed(policy));
            if matches!(verdict, Verdict::Reject(_)) {
                return verdict;
            }
        }
        verdict
    }
}

/// Object-safe view of [`HistoryPolicy`] (its `against` builder is not).
trait HistoryPolicyDyn {
    fn inbound_move_dyn(&self, ctx: &InboundMoveContext<'_>, history: &ArrivalHistory) -> Verdict;
    fn arriving_follower_dyn(
        &self,
        arrival: &ArrivingFollower<'_>,
        history: &ArrivalHistory,
    ) -> Verdict;
}

impl<P: HistoryPolicy> HistoryPolicyDyn for P {
    fn inbound_move_dyn(&self, ctx: &InboundMoveContext<'_>, history: &ArrivalHistory) -> Verdict {
        self.inbound_move(ctx, history)
    }
    fn arriving_follower_dyn(
        &self,
        arrival: &ArrivingFollower<'_>,
        history: &ArrivalHistory,
    ) -> Verdict {
        self.arriving_follower(arrival, history)
    }
}

impl MigrationPolicy for ModerationPolicy<'_> {
    fn inbound_move(&self, ctx: &InboundMoveContext<'_>) -> Verdict {
        self.fold(
            |p| p.inbound_move(ctx),
            |p| p.inbound_move_dyn(ctx, self.history),
        )
    }

    fn target_fetched(&self, ctx: &InboundMoveContext<'_>, target: &ActorFacts) -> Verdict {
        self.fold(|p| p.target_fetched(ctx, target), |_| Verdict::Accept)
    }

    fn arriving_follower(&self, arrival: &ArrivingFollower<'_>) -> Verdict {
        self.fold(
            |p| p.arriving_follower(arrival),
            |p| p.arriving_follower_dyn(arrival, self.history),
        )
    }
}
