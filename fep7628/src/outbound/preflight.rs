//! The sender's preflight checks (spec/move.md §1.6 #33, §2 "Outbound checks").
//!
//! Push mode needs the target fetched **fresh** (Mastodon `skip_cache: true`, PR #18429); the
//! check is a small sans-IO state machine that asks for it. Pull mode needs no fetch: the new
//! actor is local and the old side's evidence comes already verified.

use std::time::{Duration, SystemTime};

use crate::Error;
use crate::error::clip;
use crate::inbound::is_http_id;
use crate::inbound::{ActorFacts, FetchPurpose, FetchRequest, Fetched, MoveMode, OldSideProof};

/// Mastodon's outbound cooldown (`AccountMigration::COOLDOWN_PERIOD`), also pl's default.
pub const DEFAULT_OUTBOUND_COOLDOWN: Duration = Duration::from_secs(30 * 24 * 60 * 60);

const MAX_ID_LEN: usize = 2048;

/// A migration that passed the sender's preflight; the only way to build an
/// [`OutboundMove`](crate::outbound::OutboundMove).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClearedMove {
    origin: String,
    target: String,
    mode: MoveMode,
    target_facts: Option<Box<ActorFacts>>,
    cleared_at: SystemTime,
}

impl ClearedMove {
    /// The old account.
    pub fn origin(&self) -> &str {
        &self.origin
    }
    /// The new account.
    pub fn target(&self) -> &str {
        &self.target
    }
    /// Push (sent by the old account) or pull (sent by the new one).
    pub fn mode(&self) -> MoveMode {
        self.mode
    }
    /// The target as fetched fresh (push mode), or `None` (pull mode: the target is local).
    pub fn target_facts(&self) -> Option<&ActorFacts> {
        self.target_facts.as_deref()
    }
    /// When the preflight passed.
    pub fn cleared_at(&self) -> SystemTime {
        self.cleared_at
    }
    /// The actor sending the Move: the origin in push mode, the target in pull mode.
    pub fn sender(&self) -> &str {
        match self.mode {
            MoveMode::Push => &self.origin,
            MoveMode::Pull => &self.target,
        }
    }
}

/// One step of a push-mode [`Preflight`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PreflightStep {
    /// Fetch the target fresh and answer with [`Preflight::handle_fetched`].
    Fetch(FetchRequest),
    /// Every check passed.
    Cleared(ClearedMove),
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Start,
    AwaitTarget(FetchRequest),
    Cleared(Box<ClearedMove>),
    Failed(Error),
    Finished,
}

/// Push-mode preflight: may `origin` (a local actor) move to `target`?
///
/// Checks, in order: both ids are http(s) URLs; not self (E6); not already moved to the same
/// target; outbound cooldown (E10, 30 days by default); then, on the fresh target: it exists,
/// is not gone or suspended, serves its own id, has not moved back to the origin (E9) nor
/// elsewhere (E8), and lists the origin in `alsoKnownAs` (E4). Each failure is a typed
/// [`Error`].
#[derive(Debug, Clone)]
pub struct Preflight {
    origin: ActorFacts,
    target: String,
    now: SystemTime,
    cooldown: Duration,
    last_move: Option<SystemTime>,
    state: State,
}

impl Preflight {
    /// Start a preflight for moving the local actor `origin` to `target`.
    pub fn new(origin: ActorFacts, target: &str, now: SystemTime) -> Self {
        Preflight {
            origin,
            target: target.to_owned(),
            now,
            cooldown: DEFAULT_OUTBOUND_COOLDOWN,
            last_move: None,
            state: State::Start,
        }
    }

    /// Builder: the outbound cooldown (default [`DEFAULT_OUTBOUND_COOLDOWN`]).
    pub fn with_cooldown(mut self, cooldown: Duration) -> Self {
        self.cooldown = cooldown;
        self
    }

    /// Builder: when the origin last sent a Move (from the caller's store).
    pub fn with_last_move(mut self, last_move: Option<SystemTime>) -> Self {
        self.last_move = last_move;
        self
    }

    /// The next step.
    ///
    /// # Errors
    /// A preflight failure ([`Error::SelfMove`], [`Error::CooldownActive`],
    /// [`Error::TargetNotAliased`], …), or [`Error::Finished`] when called again after the
    /// result was returned.
    // Not an `Iterator`: the caller must answer between calls, and failures are `Error`s.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Result<PreflightStep, Error> {
        match std::mem::replace(&mut self.state, State::Finished) {
            State::Start => {
                self.local_checks()?;
                let request = FetchRequest {
                    url: self.target.clone(),
                    purpose: FetchPurpose::Target,
                    fresh: true,
                };
                self.state = State::AwaitTarget(request.clone());
                Ok(PreflightStep::Fetch(request))
            }
            State::AwaitTarget(request) => {
                self.state = State::AwaitTarget(request.clone());
                Ok(PreflightStep::Fetch(request))
            }
            State::Cleared(cleared) => Ok(PreflightStep::Cleared(*cleared)),
            State::Failed(error) => Err(error),
            State::Finished => Err(Error::Finished),
        }
    }

    /// Answer the pending fetch of the target.
    ///
    /// # Errors
    /// [`Error::UnexpectedAnswer`] if no fetch of `url` is pending.
    pub fn handle_fetched(&mut self, url: &str, fetched: Fetched) -> Result<(), Error> {
        match &self.state {
            State::AwaitTarget(r) if r.url == url => {}
            State::Finished => return Err(Error::Finished),
            _ => {
                return Err(Error::UnexpectedAnswer {
                    expected: "nothing or a fetch of another url",
                    got: fetched.name(),
                });
            }
        }
        self.state = match self.target_checks(fetched) {
            Ok(facts) => State::Cleared(Box::new(ClearedMove {
                origin: self.origin.id.clone(),
                target: self.target.clone(),
                mode: MoveMode::Push,
                target_facts: Some(Box::new(facts)),
                cleared_at: self.now,
            })),
            Err(e) => State::Failed(e),
        };
        Ok(())
    }

    fn local_checks(&self) -> Result<(), Error> {
        let origin = &self.origin.id;
        ids_are_urls(origin, &self.target)?;
        if *origin == self.target {
            return Err(Error::SelfMove {
                actor: clip(origin),
            });
        }
        if self.origin.moved_to.as_deref() == Some(self.target.as_str()) {
            return Err(Error::AlreadyMovedTo {
                origin: clip(origin),
                target: clip(&self.target),
            });
        }
        cooldown_check(self.last_move, self.cooldown, self.now)
    }

    fn target_checks(&self, fetched: Fetched) -> Result<ActorFacts, Error> {
        let unavailable = |state| Error::TargetUnavailable {
            target: clip(&self.target),
            state,
        };
        let facts = match fetched {
            Fetched::Actor(f) => f,
            Fetched::NotFound => return Err(unavailable("not_found")),
            Fetched::Gone => return Err(unavailable("gone")),
            Fetched::Error => return Err(unavailable("unreachable")),
        };
        if facts.id != self.target {
            return Err(unavailable("id_mismatch"));
        }
        if facts.tombstone {
            return Err(unavailable("gone"));
        }
        if facts.suspended {
            return Err(unavailable("suspended"));
        }
        if let Some(moved_to) = &facts.moved_to {
            return Err(if *moved_to == self.origin.id {
                Error::MoveCycle {
                    target: clip(&self.target),
                    origin: clip(&self.origin.id),
                }
            } else {
                Error::TargetMoved {
                    target: clip(&self.target),
                    moved_to: clip(moved_to),
                }
            });
        }
        if !facts.aliases(&self.origin.id) {
            return Err(Error::TargetNotAliased {
                target: clip(&self.target),
                origin: clip(&self.origin.id),
            });
        }
        Ok(facts)
    }
}

/// Pull-mode preflight: may the local actor `new` send a pull-mode Move from `old`?
///
/// `new` must list `old` in `alsoKnownAs`, must not itself have moved, must be out of its
/// outbound cooldown, and at least one piece of already-verified [`OldSideProof`] must link the
/// old actor to it (E3).
///
/// # Errors
/// [`Error::InvalidActorId`], [`Error::SelfMove`], [`Error::TargetMoved`],
/// [`Error::TargetNotAliased`], [`Error::CooldownActive`], [`Error::MissingOldSideProof`].
pub fn preflight_pull(
    new: &ActorFacts,
    old: &str,
    proofs: &[OldSideProof],
    last_move: Option<SystemTime>,
    cooldown: Duration,
    now: SystemTime,
) -> Result<ClearedMove, Error> {
    ids_are_urls(old, &new.id)?;
    if new.id == old {
        return Err(Error::SelfMove { actor: clip(old) });
    }
    if let Some(moved_to) = &new.moved_to {
        return Err(Error::TargetMoved {
            target: clip(&new.id),
            moved_to: clip(moved_to),
        });
    }
    if !new.aliases(old) {
        return Err(Error::TargetNotAliased {
            target: clip(&new.id),
            origin: clip(old),
        });
    }
    cooldown_check(last_move, cooldown, now)?;
    if !proofs.iter().any(|p| p.links(old, new)) {
        return Err(Error::MissingOldSideProof {
            origin: clip(old),
            target: clip(&new.id),
        });
    }
    Ok(ClearedMove {
        origin: old.to_owned(),
        target: new.id.clone(),
        mode: MoveMode::Pull,
        target_facts: None,
        cleared_at: now,
    })
}

fn ids_are_urls(origin: &str, target: &str) -> Result<(), Error> {
    if !is_http_id(origin, MAX_ID_LEN) {
        return Err(Error::InvalidActorId {
            at: "origin",
            value: clip(origin),
        });
    }
    if !is_http_id(target, MAX_ID_LEN) {
        return Err(Error::InvalidActorId {
            at: "target",
            value: clip(target),
        });
    }
    Ok(())
}

fn cooldown_check(
    last_move: Option<SystemTime>,
    cooldown: Duration,
    now: SystemTime,
) -> Result<(), Error> {
    if let Some(until) = last_move.and_then(|t| t.checked_add(cooldown))
        && now < until
    {
        return Err(Error::CooldownActive { until });
    }
    Ok(())
}
