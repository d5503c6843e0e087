//! Composition: the first rejection wins, holds accumulate.

use crate::inbound::ActorFacts;
use crate::policy::{ArrivingFollower, InboundMoveContext, MigrationPolicy, Verdict};

/// An ordered list of policies consulted one after the other.
///
/// The first `Reject` stops the walk and wins; `Hold` reasons from every policy consulted are
/// collected. Tuples `(A, B)` and `(A, B, C)` compose the same way without boxing.
#[derive(Default)]
pub struct PolicySet {
    policies: Vec<Box<dyn MigrationPolicy + Send + Sync>>,
}

impl PolicySet {
    /// An empty set (accepts everything).
    pub fn new() -> Self {
        PolicySet::default()
    }

    /// Builder: append a policy.
    pub fn with(mut self, policy: impl MigrationPolicy + Send + Sync + 'static) -> Self {
        self.policies.push(Box::new(policy));
        self
    }

    /// Append a policy.
    pub fn push(&mut self, policy: impl MigrationPolicy + Send + Sync + 'static) {
        self.policies.push(Box::new(policy));
    }

    /// Number of policies.
    pub fn len(&self) -> usize {
        self.policies.len()
    }

    /// True when no policy is configured.
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    fn fold(&self, ask: impl Fn(&dyn MigrationPolicy) -> Verdict) -> Verdict {
        let mut verdict = Verdict::Accept;
        for policy in &self.policies {
            verdict = verdict.and(|| ask(policy.as_ref()));
            if matches!(verdict, Verdict::Reject(_)) {
                break;
            }
        }
        verdict
    }
}

impl std::fmt::Debug for PolicySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicySet")
            .field("policies", &self.policies.len())
            .finish()
    }
}

impl MigrationPolicy for PolicySet {
    fn inbound_move(&self, ctx: &InboundMoveContext<'_>) -> Verdict {
        self.fold(|p| p.inbound_move(ctx))
    }
    fn target_fetched(&self, ctx: &InboundMoveContext<'_>, target: &ActorFacts) -> Verdict {
        self.fold(|p| p.target_fetched(ctx, target))
    }
    fn arriving_follower(&self, arrival: &ArrivingFollower<'_>) -> Verdict {
        self.fold(|p| p.arriving_follower(arrival))
    }
}

macro_rules! tuple_policy {
    ($($name:ident : $idx:tt),+) => {
        impl<$($name: MigrationPolicy),+> MigrationPolicy for ($($name,)+) {
            fn inbound_move(&self, ctx: &InboundMoveContext<'_>) -> Verdict {
                Verdict::Accept$(.and(|| self.$idx.inbound_move(ctx)))+
            }
            fn target_fetched(&self, ctx: &InboundMoveContext<'_>, target: &ActorFacts) -> Verdict {
                Verdict::Accept$(.and(|| self.$idx.target_fetched(ctx, target)))+
            }
            fn arriving_follower(&self, arrival: &ArrivingFollower<'_>) -> Verdict {
                Verdict::Accept$(.and(|| self.$idx.arriving_follower(arrival)))+
            }
        }
    };
}

tuple_policy!(A: 0, B: 1);
tuple_policy!(A: 0, B: 1, C: 2);
tuple_policy!(A: 0, B: 1, C: 2, D: 3);
