//! Building the `Move` activity in the conservative shape real servers accept
//! (spec/move.md §6.1).

use serde_json::{Value, json};

use crate::Error;
use crate::error::clip;
use crate::inbound::MoveMode;
use crate::inbound::is_http_id;
use crate::outbound::ClearedMove;

/// The ActivityStreams context.
pub const AS_CONTEXT: &str = "https://www.w3.org/ns/activitystreams";
/// The public collection.
pub const AS_PUBLIC: &str = "https://www.w3.org/ns/activitystreams#Public";

/// Longest token accepted for activity ids.
pub const MAX_TOKEN_LEN: usize = 128;

/// Who a Move is addressed to. No surveyed receiver inspects `to`/`cc` of a Move
/// (spec/move.md §1.5 #27), so this only matters for what the FEP asks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Addressing {
    /// `to` Public, `cc` the sender's followers — the FEP-7628 examples since `2e1026e` and
    /// Mitra; satisfies the current MUST "addressed to the followers".
    #[default]
    PublicCcFollowers,
    /// `to` the sender's followers only — FEP-7628's initial text, Pleroma/Akkoma.
    FollowersOnly,
}

/// The `@context` emitted on Moves and actor updates: AS2 plus Mastodon's `as:movedTo` mapping
/// (one mapping only, spec/move.md §1.1 #5).
pub fn move_context() -> Value {
    json!([AS_CONTEXT, {"movedTo": {"@id": "as:movedTo", "@type": "@id"}}])
}

/// A Move ready to be serialised and delivered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboundMove {
    id: String,
    actor: String,
    object: String,
    target: String,
    mode: MoveMode,
    followers: String,
    addressing: Addressing,
}

impl OutboundMove {
    /// Build the Move for a migration that passed preflight: push mode (`actor == object`,
    /// sent by the old account) or pull mode (`actor == target`, sent by the new one), as the
    /// preflight decided. `followers` is the sender's followers collection; `token` is a
    /// caller-supplied unique token (a ULID, a database id), giving the id
    /// `<sender>/moves/<token>`.
    ///
    /// # Errors
    /// [`Error::InvalidToken`] for an empty, long or non-URL-safe token;
    /// [`Error::InvalidActorId`] for a followers collection that is not an http(s) URL.
    pub fn new(cleared: &ClearedMove, followers: &str, token: &str) -> Result<Self, Error> {
        check_token(token)?;
        if !is_http_id(followers, 2048) {
            return Err(Error::InvalidActorId {
                at: "followers",
                value: clip(followers),
            });
        }
        let sender = cleared.sender();
        Ok(OutboundMove {
            id: activity_id(sender, "moves", token),
            actor: sender.to_owned(),
            object: cleared.origin().to_owned(),
            target: cleared.target().to_owned(),
            mode: cleared.mode(),
            followers: followers.to_owned(),
            addressing: Addressing::default(),
        })
    }

    /// Builder: choose the addressing.
    pub fn with_addressing(mut self, addressing: Addressing) -> Self {
        self.addressing = addressing;
        self
    }

    /// The activity id.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Push or pull.
    pub fn mode(&self) -> MoveMode {
        self.mode
    }

    /// The JSON document: `@context`, `id`, `type`, bare-IRI `actor`/`object`/`target`, and
    /// the addressing.
    pub fn to_json(&self) -> Value {
        let (to, cc) = match self.addressing {
            Addressing::PublicCcFollowers => (json!([AS_PUBLIC]), json!([self.followers])),
            Addressing::FollowersOnly => (json!([self.followers]), Value::Null),
        };
        let mut doc = json!({
            "@context": move_context(),
            "id": self.id,
            "type": "Move",
            "actor": self.actor,
            "object": self.object,
            "target": self.target,
            "to": to,
        });
        if !cc.is_null()
            && let Some(map) = doc.as_object_mut()
        {
            map.insert("cc".to_owned(), cc);
        }
        doc
    }
}

/// `<actor>/<segment>/<token>`, without a doubled slash.
pub(crate) fn activity_id(actor: &str, segment: &str, token: &str) -> String {
    format!("{}/{segment}/{token}", actor.trim_end_matches('/'))
}

/// Tokens are URL-safe (RFC 3986 unreserved characters), 1–128 bytes.
pub(crate) fn check_token(token: &str) -> Result<(), Error> {
    let reason = if token.is_empty() {
        Some("empty")
    } else if token.len() > MAX_TOKEN_LEN {
        Some("longer than 128 bytes")
    } else if !token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
    {
        Some("only A-Z a-z 0-9 - . _ ~ are allowed")
    } else {
        None
    };
    match reason {
        Some(reason) => Err(Error::InvalidToken {
            token: clip(token),
            reason,
        }),
        None => Ok(()),
    }
}
