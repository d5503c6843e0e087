//! Accounts named in a follower list.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A `user@domain` handle. **Not an actor id**: resolve it with WebFinger
/// ([`Handle::webfinger_resource`]) to find the actor before following or sending to it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Handle {
    /// The user part (case kept; WebFinger servers compare it case-insensitively).
    pub user: String,
    /// The domain, lower-cased (IDNA: as written, ASCII or punycode).
    pub domain: String,
}

impl Handle {
    /// The WebFinger `resource` parameter: `acct:user@domain`.
    pub fn webfinger_resource(&self) -> String {
        format!("acct:{}@{}", self.user, self.domain)
    }

    /// Parses `user@domain` or `@user@domain`.
    pub fn parse(s: &str) -> Option<Handle> {
        let s = s.strip_prefix('@').unwrap_or(s);
        let (user, domain) = s.split_once('@')?;
        // Mastodon usernames: letters, digits, `_`, `.`, `-` (other servers are similar).
        let user_ok = !user.is_empty()
            && user.len() <= 128
            && user
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'));
        if !user_ok || domain.is_empty() || domain.len() > 253 || domain.contains(['/', ':', '@']) {
            return None;
        }
        match url::Host::parse(domain) {
            Ok(url::Host::Domain(d)) if d.contains('.') || d == "localhost" => Some(Handle {
                user: user.to_owned(),
                domain: d,
            }),
            _ => None,
        }
    }
}

impl fmt::Display for Handle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.user, self.domain)
    }
}

/// One account of the list.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Account {
    /// A handle that needs WebFinger resolution.
    Handle(Handle),
    /// An http(s) actor id, usable as is (after fetching and checking the actor).
    ActorId(String),
}

impl Account {
    /// Parses a handle or an http(s) actor id. `allow_handles = false` accepts ids only.
    pub(crate) fn parse(s: &str, allow_handles: bool) -> Option<Account> {
        if s.starts_with("https://") || s.starts_with("http://") {
            let url = url::Url::parse(s).ok()?;
            if url.host().is_none() || s.len() > crate::plan::MAX_ID_LEN {
                return None;
            }
            // Keep the id as written: actor ids are compared as exact strings (spec/move.md #10).
            return Some(Account::ActorId(s.to_owned()));
        }
        if allow_handles {
            return Handle::parse(s).map(Account::Handle);
        }
        None
    }
}
