//! The screening policy: the `[import]` table of the policy TOML file.
//!
//! Only `[import]` is read; every other top-level key belongs to other parts of the policy
//! file and is ignored here (it must still be valid TOML). Unknown keys inside `[import]` are
//! errors, and every error names its line and column. The table is documented in the crate
//! README, section "Screening imported content".

use std::ops::Range;

use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::date::parse_timestamp;
use super::error::ArchiveError;
use super::media::MediaTypePattern;
use super::normalize::{normalize, skeleton};
use crate::policy::DomainBlockPolicy;

/// What a rule does to a post it matches. Ordered by severity: a post's status is the most
/// severe action of the rules it matched.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// Import it.
    #[default]
    Accept,
    /// Hold it for a moderator.
    Hold,
    /// Do not import it.
    Reject,
}

impl Action {
    /// `accept`, `hold`, `reject`.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Accept => "accept",
            Action::Hold => "hold",
            Action::Reject => "reject",
        }
    }
}

/// Media rules.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaRules {
    /// Applied to every post with media (`reject`: a "no media" import).
    pub posts_with_media: Action,
    /// Allowed declared media types; `None` allows every type.
    pub allowed_types: Option<Vec<MediaTypePattern>>,
    /// Applied to an attachment whose declared type is not allowed (or not declared).
    pub disallowed_type: Action,
    /// Applied to an attachment whose file is not in the archive.
    pub missing_file: Action,
    /// Applied to an attachment whose file's first bytes contradict its declared type.
    pub type_mismatch: Action,
    /// Applied to a post with more attachments than the reader examines.
    pub too_many: Action,
}

impl Default for MediaRules {
    fn default() -> Self {
        MediaRules {
            posts_with_media: Action::Accept,
            allowed_types: None,
            disallowed_type: Action::Reject,
            missing_file: Action::Hold,
            type_mismatch: Action::Reject,
            too_many: Action::Hold,
        }
    }
}

/// A keyword rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeywordRule {
    /// The rule's name (reported); the pattern when not given.
    pub name: String,
    /// The pattern, normalised like the text it is matched against.
    pub pattern: String,
    /// The UTS #39 confusable skeleton of `pattern` ([`skeleton`](super::normalize::skeleton)):
    /// a post matches when its text contains `pattern`, or its skeleton contains this.
    pub skeleton: String,
    /// Match whole words only.
    pub whole_word: bool,
    /// What a match does.
    pub action: Action,
}

/// Date rules (Unix seconds).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DateRules {
    /// Posts published before this are outside the range.
    pub not_before: Option<i64>,
    /// Posts published after this are outside the range.
    pub not_after: Option<i64>,
    /// Applied to posts outside the range.
    pub outside: Action,
    /// Applied to posts published after the screening's `now`.
    pub future: Action,
    /// Applied to posts without a readable `published`.
    pub missing: Action,
}

/// What each visibility does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisibilityRules {
    /// Public posts.
    pub public: Action,
    /// Unlisted posts.
    pub unlisted: Action,
    /// Followers-only posts.
    pub followers: Action,
    /// Direct messages.
    pub direct: Action,
}

impl Default for VisibilityRules {
    fn default() -> Self {
        VisibilityRules {
            public: Action::Accept,
            unlisted: Action::Accept,
            followers: Action::Hold,
            direct: Action::Reject,
        }
    }
}

/// The screening policy.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ImportPolicy {
    /// Applied to posts without a proof.
    pub unverified: Action,
    /// Applied to posts whose proof fails.
    pub invalid_proof: Action,
    /// Media rules.
    pub media: MediaRules,
    /// Keyword rules.
    pub keywords: Vec<KeywordRule>,
    /// Date rules.
    pub dates: DateRules,
    /// Visibility rules.
    pub visibility: VisibilityRules,
    /// Blocked domains for replies (`inReplyTo`), boosts (`Announce`), likes and bookmarks.
    pub blocked_domains: DomainBlockPolicy,
    /// The block rules as written (for reports).
    pub blocked_domain_rules: Vec<String>,
    /// Applied to replies to and boosts of posts on a blocked domain.
    pub blocked_domain_action: Action,
}

impl Default for ImportPolicy {
    fn default() -> Self {
        ImportPolicy {
            unverified: Action::Accept,
            invalid_proof: Action::Reject,
            media: MediaRules::default(),
            keywords: Vec::new(),
            dates: DateRules {
                outside: Action::Hold,
                future: Action::Hold,
                missing: Action::Hold,
                ..DateRules::default()
            },
            visibility: VisibilityRules::default(),
            blocked_domains: DomainBlockPolicy::new(),
            blocked_domain_rules: Vec::new(),
            blocked_domain_action: Action::Reject,
        }
    }
}

/// Most keyword rules and blocked domains.
const MAX_RULES: usize = 10_000;

#[derive(Deserialize)]
struct PolicyFile {
    import: Option<ImportToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ImportToml {
    unverified: Option<Action>,
    invalid_proof: Option<Action>,
    media: Option<MediaToml>,
    #[serde(default)]
    keywords: Vec<KeywordToml>,
    dates: Option<DatesToml>,
    visibility: Option<VisibilityToml>,
    replies: Option<RepliesToml>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct MediaToml {
    posts_with_media: Option<Action>,
    allowed_types: Option<Vec<Spanned<String>>>,
    disallowed_type: Option<Action>,
    missing_file: Option<Action>,
    type_mismatch: Option<Action>,
    too_many: Option<Action>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct KeywordToml {
    pattern: Spanned<String>,
    name: Option<String>,
    #[serde(default)]
    whole_word: bool,
    action: Option<Action>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DatesToml {
    not_before: Option<Spanned<String>>,
    not_after: Option<Spanned<String>>,
    outside: Option<Action>,
    future: Option<Action>,
    missing: Option<Action>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct VisibilityToml {
    public: Option<Action>,
    unlisted: Option<Action>,
    followers: Option<Action>,
    direct: Option<Action>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RepliesToml {
    #[serde(default)]
    blocked_domains: Vec<Spanned<String>>,
    action: Option<Action>,
}

impl ImportPolicy {
    /// Reads the `[import]` table of a policy file (defaults when there is none).
    ///
    /// ```
    /// use fep7628::archive::{Action, ImportPolicy};
    /// let policy = ImportPolicy::from_toml(r#"
    /// [domain_blocks]          # someone else's table: ignored here
    /// anything = 1
    ///
    /// [import.media]
    /// allowed_types = ["image/*"]
    ///
    /// [[import.keywords]]
    /// pattern = "Free Crypto"
    /// action = "reject"
    /// "#)?;
    /// assert_eq!(policy.keywords[0].pattern, "free crypto");
    /// assert_eq!(policy.visibility.direct, Action::Reject);
    ///
    /// let err = ImportPolicy::from_toml("[import]\nunverified = \"maybe\"\n").unwrap_err();
    /// assert_eq!((err.kind(), err.at().as_deref()), ("invalid_policy", Some("2:14")));
    /// # Ok::<(), fep7628::archive::ArchiveError>(())
    /// ```
    pub fn from_toml(text: &str) -> Result<ImportPolicy, ArchiveError> {
        let file: PolicyFile = toml::from_str(text).map_err(|e| {
            let (line, column) = e.span().map_or((1, 1), |s| line_column(text, s.start));
            ArchiveError::InvalidPolicy {
                line,
                column,
                message: e.message().trim().to_owned(),
            }
        })?;
        let mut policy = ImportPolicy::default();
        let Some(t) = file.import else {
            return Ok(policy);
        };
        let err = |span: Range<usize>, message: String| {
            let (line, column) = line_column(text, span.start);
            ArchiveError::InvalidPolicy {
                line,
                column,
                message,
            }
        };
        if let Some(a) = t.unverified {
            policy.unverified = a;
        }
        if let Some(a) = t.invalid_proof {
            policy.invalid_proof = a;
        }
        if let Some(m) = t.media {
            let r = &mut policy.media;
            set(&mut r.posts_with_media, m.posts_with_media);
            set(&mut r.disallowed_type, m.disallowed_type);
            set(&mut r.missing_file, m.missing_file);
            set(&mut r.type_mismatch, m.type_mismatch);
            set(&mut r.too_many, m.too_many);
            if let Some(types) = m.allowed_types {
                let mut out = Vec::new();
                for t in types.iter().take(MAX_RULES) {
                    let p = MediaTypePattern::parse(t.get_ref()).ok_or_else(|| {
                        err(
                            t.span(),
                            format!(
                                "{:?} is not a media type (type/subtype or type/*)",
                                t.get_ref()
                            ),
                        )
                    })?;
                    out.push(p);
                }
                r.allowed_types = Some(out);
            }
        }
        if t.keywords.len() > MAX_RULES {
            return Err(err(0..0, format!("more than {MAX_RULES} keyword rules")));
        }
        for k in t.keywords {
            let pattern = normalize(k.pattern.get_ref(), 1_000);
            if pattern.is_empty() {
                return Err(err(
                    k.pattern.span(),
                    "the pattern is empty once normalised".into(),
                ));
            }
            policy.keywords.push(KeywordRule {
                name: k.name.unwrap_or_else(|| k.pattern.get_ref().clone()),
                skeleton: skeleton(&pattern),
                pattern,
                whole_word: k.whole_word,
                action: k.action.unwrap_or(Action::Hold),
            });
        }
        if let Some(d) = t.dates {
            let r = &mut policy.dates;
            set(&mut r.outside, d.outside);
            set(&mut r.future, d.future);
            set(&mut r.missing, d.missing);
            let date = |s: &Spanned<String>| {
                parse_timestamp(s.get_ref()).ok_or_else(|| {
                    err(
                        s.span(),
                        format!("{:?} is not a date (YYYY-MM-DD or RFC 3339)", s.get_ref()),
                    )
                })
            };
            r.not_before = d.not_before.as_ref().map(date).transpose()?;
            r.not_after = d.not_after.as_ref().map(date).transpose()?;
            if let (Some(b), Some(a), Some(s)) = (r.not_before, r.not_after, &d.not_after)
                && a < b
            {
                return Err(err(s.span(), "not_after is before not_before".into()));
            }
        }
        if let Some(v) = t.visibility {
            let r = &mut policy.visibility;
            set(&mut r.public, v.public);
            set(&mut r.unlisted, v.unlisted);
            set(&mut r.followers, v.followers);
            set(&mut r.direct, v.direct);
        }
        if let Some(r) = t.replies {
            set(&mut policy.blocked_domain_action, r.action);
            if r.blocked_domains.len() > MAX_RULES {
                return Err(err(0..0, format!("more than {MAX_RULES} blocked domains")));
            }
            for d in r.blocked_domains {
                if !policy.blocked_domains.block(d.get_ref()) {
                    return Err(err(
                        d.span(),
                        format!("{:?} is not a domain name", d.get_ref()),
                    ));
                }
                policy.blocked_domain_rules.push(d.into_inner());
            }
        }
        Ok(policy)
    }
}

fn set(slot: &mut Action, value: Option<Action>) {
    if let Some(v) = value {
        *slot = v;
    }
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> (String, String) {
        let e = ImportPolicy::from_toml(text).unwrap_err();
        (e.kind().to_owned(), e.at().unwrap_or_default())
    }

    #[test]
    fn reads_every_table() {
        let p = ImportPolicy::from_toml(
            r#"
[moves]
whatever = "not ours"

[import]
unverified = "hold"
invalid_proof = "hold"

[import.media]
posts_with_media = "reject"
allowed_types = ["image/png", "video/*"]

[import.dates]
not_before = "2020-01-01"
not_after = "2024-12-31T23:59:59Z"
outside = "reject"

[import.visibility]
followers = "accept"

[import.replies]
blocked_domains = ["Bad.Example."]
action = "hold"

[[import.keywords]]
name = "spam"
pattern = "ＦＲＥＥ  money"
whole_word = true
"#,
        )
        .expect("valid");
        assert_eq!(p.unverified, Action::Hold);
        assert_eq!(p.media.posts_with_media, Action::Reject);
        assert_eq!(p.media.allowed_types.as_ref().map(Vec::len), Some(2));
        assert_eq!(p.dates.not_before, Some(1_577_836_800));
        assert_eq!(p.dates.outside, Action::Reject);
        assert_eq!(p.visibility.followers, Action::Accept);
        assert_eq!(p.visibility.direct, Action::Reject);
        assert_eq!(
            p.blocked_domains.matching_rule("x.bad.example"),
            Some("bad.example")
        );
        assert_eq!(p.keywords[0].pattern, "free money");
        assert_eq!(p.keywords[0].action, Action::Hold);
    }

    #[test]
    fn errors_name_line_and_column() {
        assert_eq!(at("[import]\nunverified = \"maybe\"\n").1, "2:14");
        assert_eq!(at("[import]\ncolour = 1\n").1, "2:1");
        assert_eq!(
            at("[import.media]\nallowed_types = [\"image/png\", \"png\"]\n").1,
            "2:31"
        );
        assert_eq!(at("[import.dates]\nnot_before = \"yesterday\"\n").1, "2:14");
        assert_eq!(
            at("[import.replies]\nblocked_domains = [\"a b\"]\n").1,
            "2:20"
        );
        assert_eq!(
            at("[[import.keywords]]\npattern = \"\u{200B}\"\n").1,
            "2:11"
        );
        assert_eq!(at("[import\n").0, "invalid_policy");
        let default = ImportPolicy::from_toml("[other]\nx = 1\n").expect("no [import]: defaults");
        assert_eq!(default.visibility, VisibilityRules::default());
        assert_eq!(default.media, MediaRules::default());
        assert!(default.keywords.is_empty() && default.blocked_domain_rules.is_empty());
    }
}
