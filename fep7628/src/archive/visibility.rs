//! A post's visibility from its addressing, the way Mastodon reads `to` and `cc`.

use serde::Serialize;

/// Who could see the post on its origin server.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// Public in `to`.
    Public,
    /// Public in `cc` only ("quiet public").
    Unlisted,
    /// The author's followers collection, no Public.
    Followers,
    /// Only the mentioned actors.
    Direct,
}

impl Visibility {
    /// `public`, `unlisted`, `followers`, `direct`.
    pub fn as_str(self) -> &'static str {
        match self {
            Visibility::Public => "public",
            Visibility::Unlisted => "unlisted",
            Visibility::Followers => "followers",
            Visibility::Direct => "direct",
        }
    }

    /// From `to` and `cc`; `followers` is the author's followers collection when known
    /// (otherwise any recipient ending in `/followers` counts as one).
    pub fn from_addressing(to: &[String], cc: &[String], followers: Option<&str>) -> Visibility {
        if to.iter().any(|a| is_public(a)) {
            return Visibility::Public;
        }
        if cc.iter().any(|a| is_public(a)) {
            return Visibility::Unlisted;
        }
        let is_followers = |a: &String| match followers {
            Some(f) => a == f,
            None => a.ends_with("/followers"),
        };
        if to.iter().chain(cc).any(is_followers) {
            Visibility::Followers
        } else {
            Visibility::Direct
        }
    }
}

/// The public collection in any of its three spellings.
pub fn is_public(address: &str) -> bool {
    matches!(
        address,
        "https://www.w3.org/ns/activitystreams#Public" | "as:Public" | "Public"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(to: &[&str], cc: &[&str]) -> Visibility {
        let s = |a: &[&str]| a.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        Visibility::from_addressing(&s(to), &s(cc), Some("https://a.example/users/al/followers"))
    }

    #[test]
    fn mastodon_rules() {
        let f = "https://a.example/users/al/followers";
        assert_eq!(v(&["as:Public"], &[f]), Visibility::Public);
        assert_eq!(
            v(&[f], &["https://www.w3.org/ns/activitystreams#Public"]),
            Visibility::Unlisted
        );
        assert_eq!(v(&[f], &[]), Visibility::Followers);
        assert_eq!(v(&["https://b.example/users/bo"], &[]), Visibility::Direct);
        assert_eq!(
            v(&["https://b.example/users/bo/followers"], &[]),
            Visibility::Direct
        );
    }
}
