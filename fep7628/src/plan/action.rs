//! Actions: plain, serialisable, idempotent jobs the plan hands out.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::shared::arc_str;
use super::{FollowSettings, PlanError};

/// Domain separation for key derivation. Changing it changes every key: never do that for a
/// released format (keys are stored in job queues across restarts).
const KEY_DOMAIN: &[u8] = b"fep7628/refollow-plan/v1";

/// What an action does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionKind {
    /// `Follow` the target with the copied settings.
    Follow,
    /// `Undo(Follow)` of the origin, released only after the new follow was delivered.
    UndoFollow,
    /// Copy the settings onto an existing follow of the target (E14); a local write.
    UpdateFollow,
    /// Tell the follower that their contact moved; a local write.
    Notify,
    /// `Reject(Follow)`: a local account turns away a follow it had accepted (as Mastodon's
    /// "remove from followers" does). Only a [revert](crate::review::RevertPlan) makes it,
    /// never a re-follow plan.
    RejectFollow,
}

impl ActionKind {
    /// Stable snake_case code, also the suffix of the idempotency key.
    pub fn as_str(self) -> &'static str {
        match self {
            ActionKind::Follow => "follow",
            ActionKind::UndoFollow => "undo_follow",
            ActionKind::UpdateFollow => "update_follow",
            ActionKind::Notify => "notify",
            ActionKind::RejectFollow => "reject_follow",
        }
    }

    fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "follow" => ActionKind::Follow,
            "undo_follow" => ActionKind::UndoFollow,
            "update_follow" => ActionKind::UpdateFollow,
            "notify" => ActionKind::Notify,
            "reject_follow" => ActionKind::RejectFollow,
            _ => return None,
        })
    }
}

/// Idempotency key of an action: `<32 hex digits>.<kind>` as a string.
///
/// The hex part is the first 128 bits of SHA-256 over a domain tag, the migration id and the
/// follower id (each length-prefixed); the suffix is [`ActionKind::as_str`]. It depends on
/// nothing else, so the same action gets the same key after any restart, and a job queue that
/// refuses a second job with the same key turns at-least-once hand-out into exactly-once effect.
/// In memory it is 17 bytes and `Copy`; it serialises as its string form.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ActionKey {
    digest: [u8; 16],
    kind: ActionKind,
}

impl ActionKey {
    const HEX_LEN: usize = 32;

    /// The key of the action `kind` for `follower_id` in migration `migration_id`.
    pub fn derive(migration_id: &str, follower_id: &str, kind: ActionKind) -> Self {
        Self::from_digest(&follower_digest(migration_id, follower_id), kind)
    }

    pub(crate) fn from_digest(digest: &[u8; 16], kind: ActionKind) -> Self {
        ActionKey {
            digest: *digest,
            kind,
        }
    }

    /// The key of another action of the same follower in the same migration.
    pub fn sibling(&self, kind: ActionKind) -> Self {
        ActionKey {
            digest: self.digest,
            kind,
        }
    }

    /// The kind encoded in the key.
    pub fn kind(&self) -> ActionKind {
        self.kind
    }
}

pub(crate) fn follower_digest(migration_id: &str, follower_id: &str) -> [u8; 16] {
    follower_digest_from(key_prefix(migration_id), follower_id)
}

/// The hash state after the domain tag and the length-prefixed migration id: the part of every
/// key of one migration that does not depend on the follower. A plan computes it once and
/// clones it per follower, which saves the SHA-256 block(s) of the prefix on every follower
/// while giving exactly the same keys as [`ActionKey::derive`].
pub(crate) fn key_prefix(migration_id: &str) -> Sha256 {
    let mut h = Sha256::new();
    h.update(KEY_DOMAIN);
    h.update((migration_id.len() as u64).to_be_bytes());
    h.update(migration_id.as_bytes());
    h
}

/// The follower part of the key digest, from a [`key_prefix`] (a plan passes a clone of its own).
pub(crate) fn follower_digest_from(prefix: Sha256, follower_id: &str) -> [u8; 16] {
    let mut h = prefix;
    h.update((follower_id.len() as u64).to_be_bytes());
    h.update(follower_id.as_bytes());
    let full = h.finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&full[..16]);
    out
}

impl std::hash::Hash for ActionKey {
    /// One `u64`: the digest is already uniformly distributed (SHA-256 output), so hashing it
    /// again (SipHash) would only cost time. Equal keys write equal values.
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        let mut prefix = [0u8; 8];
        prefix.copy_from_slice(&self.digest[..8]);
        let kind = self.kind as u64;
        state.write_u64(u64::from_le_bytes(prefix) ^ kind.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    }
}

/// A hasher for maps keyed by [`ActionKey`]: takes the key's `u64` as the hash.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct DigestHasher(u64);

impl std::hash::Hasher for DigestHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Not reached for ActionKey; kept total for any other use.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 ^= n;
    }
}

impl fmt::Display for ActionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.digest {
            write!(f, "{b:02x}")?;
        }
        write!(f, ".{}", self.kind.as_str())
    }
}

impl fmt::Debug for ActionKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ActionKey({self})")
    }
}

impl FromStr for ActionKey {
    type Err = PlanError;

    /// Parses a key read back from a job queue.
    fn from_str(s: &str) -> Result<Self, PlanError> {
        let bad = || PlanError::InvalidKey {
            key: s.chars().take(80).collect(),
        };
        let (hex, code) = s.split_once('.').ok_or_else(bad)?;
        let kind = ActionKind::from_code(code).ok_or_else(bad)?;
        if hex.len() != Self::HEX_LEN {
            return Err(bad());
        }
        let nibble = |b: u8| match b {
            b'0'..=b'9' => Some(b - b'0'),
            b'a'..=b'f' => Some(b - b'a' + 10),
            _ => None,
        };
        let mut digest = [0u8; 16];
        for (out, pair) in digest.iter_mut().zip(hex.as_bytes().chunks_exact(2)) {
            let (hi, lo) = match pair {
                [hi, lo] => (nibble(*hi).ok_or_else(bad)?, nibble(*lo).ok_or_else(bad)?),
                _ => return Err(bad()),
            };
            *out = (hi << 4) | lo;
        }
        Ok(ActionKey { digest, kind })
    }
}

impl TryFrom<String> for ActionKey {
    type Error = PlanError;
    fn try_from(s: String) -> Result<Self, PlanError> {
        s.parse()
    }
}

impl From<ActionKey> for String {
    fn from(k: ActionKey) -> String {
        k.to_string()
    }
}

/// Where an action is carried out.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Destination {
    /// A signed activity POSTed to this inbox (the remote actor's shared inbox when it has one).
    Inbox(#[serde(with = "arc_str")] Arc<str>),
    /// A write in this server's own database (local target, notifications, settings).
    Local,
}

/// What to do, with everything needed to do it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ActionBody {
    /// The follower follows the target.
    Follow {
        /// The target actor id (`object` of the `Follow`).
        #[serde(with = "arc_str")]
        target_id: Arc<str>,
        /// Settings copied from the follow of the origin.
        settings: FollowSettings,
        /// The target is locked and remote: this is a follow request, pending until accepted.
        request: bool,
    },
    /// The follower stops following the origin: `Undo(Follow)`.
    UndoFollow {
        /// The origin actor id.
        #[serde(with = "arc_str")]
        origin_id: Arc<str>,
    },
    /// The follower already follows the target: store these settings on that follow.
    UpdateFollow {
        /// The target actor id.
        #[serde(with = "arc_str")]
        target_id: Arc<str>,
        /// Settings copied from the follow of the origin.
        settings: FollowSettings,
    },
    /// Notify the follower that `origin_id` moved to `target_id`.
    Notify {
        /// The origin actor id.
        #[serde(with = "arc_str")]
        origin_id: Arc<str>,
        /// The target actor id.
        #[serde(with = "arc_str")]
        target_id: Arc<str>,
    },
    /// The local account [`Action::follower_id`] (here the *followed* account, the signer)
    /// rejects the follow `follower` made of it: `Reject(Follow)` to the follower's inbox.
    RejectFollow {
        /// The remote follower whose follow is turned away (`actor` of the embedded `Follow`).
        #[serde(with = "arc_str")]
        follower: Arc<str>,
        /// The id of the `Follow` the follower sent (GoToSocial refuses an embedded `Follow`
        /// without one; Mastodon finds the follow by it).
        follow_id: String,
    },
}

/// One idempotent job of a re-follow plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// Idempotency key, stable across restarts.
    pub key: ActionKey,
    /// The migration this action belongs to (for the audit trail).
    #[serde(with = "arc_str")]
    pub migration_id: Arc<str>,
    /// The local follower on whose behalf the action runs (the signer of an outgoing activity).
    #[serde(with = "arc_str")]
    pub follower_id: Arc<str>,
    /// Where the action is carried out.
    pub destination: Destination,
    /// What to do.
    pub body: ActionBody,
}

impl Action {
    /// The kind of action.
    pub fn kind(&self) -> ActionKind {
        match self.body {
            ActionBody::Follow { .. } => ActionKind::Follow,
            ActionBody::UndoFollow { .. } => ActionKind::UndoFollow,
            ActionBody::UpdateFollow { .. } => ActionKind::UpdateFollow,
            ActionBody::Notify { .. } => ActionKind::Notify,
            ActionBody::RejectFollow { .. } => ActionKind::RejectFollow,
        }
    }

    /// The ActivityStreams activity to sign and deliver, for `Follow`, `UndoFollow` and
    /// `RejectFollow`.
    ///
    /// `activity_id` is the id the server mints (for example from the key:
    /// `https://example.social/activities/<key>`). The `Undo` embeds the original `Follow` by its
    /// object only, as Mastodon does when it has no stored follow id; servers that keep the
    /// original follow id should embed that instead. The `Reject` (built with
    /// [`activitystreams_move::reject`]) embeds the follower's `Follow` with its id, as
    /// Mastodon's `RejectFollowSerializer` does. `None` for local actions.
    pub fn activity_json(&self, activity_id: &str) -> Option<serde_json::Value> {
        const AS: &str = "https://www.w3.org/ns/activitystreams";
        match &self.body {
            ActionBody::Follow { target_id, .. } => Some(serde_json::json!({
                "@context": AS,
                "id": activity_id,
                "type": "Follow",
                "actor": &*self.follower_id,
                "object": &**target_id,
            })),
            ActionBody::UndoFollow { origin_id } => Some(serde_json::json!({
                "@context": AS,
                "id": activity_id,
                "type": "Undo",
                "actor": &*self.follower_id,
                "object": {
                    "type": "Follow",
                    "actor": &*self.follower_id,
                    "object": &**origin_id,
                },
            })),
            ActionBody::RejectFollow {
                follower,
                follow_id,
            } => {
                let follow = activitystreams_move::follow(
                    follow_id.as_str(),
                    &**follower,
                    &*self.follower_id,
                );
                Some(
                    activitystreams_move::reject(activity_id, &*self.follower_id, follow)
                        .to_value(),
                )
            }
            ActionBody::UpdateFollow { .. } | ActionBody::Notify { .. } => None,
        }
    }
}

/// Actions for one destination, handed out together (at most
/// [`PlanConfig::batch_size`](super::PlanConfig::batch_size)).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Batch {
    /// Where every action of the batch goes.
    pub destination: Destination,
    /// The actions, each to be confirmed with `handle_delivered` or `handle_failed`.
    pub actions: Vec<Action>,
}
