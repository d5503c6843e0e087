//! Keyword and pattern rules on arriving profiles (display name, bio, username, profile
//! fields), robust to case, compatibility forms, invisible characters and confusables.

use std::fmt;

use regex::{Regex, RegexBuilder};

use crate::inbound::{ActorFacts, ActorProfile};
use crate::moderation::reason::{
    ModerationReason, ProfileField, ProfileSubject, RuleAction, verdict,
};
use crate::moderation::text::{Prepared, skeleton_key};
use crate::policy::{ArrivingFollower, InboundMoveContext, MigrationPolicy, Verdict};

/// Longest regex pattern accepted (bytes).
pub const MAX_PATTERN_LEN: usize = 4096;
/// Compiled-program size limit given to the regex engine (bytes).
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;
/// Lazy-DFA cache limit given to the regex engine (bytes).
pub const REGEX_DFA_LIMIT: usize = 2 << 20;
/// Most keywords in one rule.
pub const MAX_KEYWORDS: usize = 4096;

/// How a rule matches.
#[derive(Debug, Clone)]
enum Matcher {
    /// Skeleton keys of the keywords; a match is a substring of the text's skeleton key.
    Keywords(Vec<String>),
    /// Matched against the folded text and against its skeleton key (case-insensitive).
    Pattern(Regex),
}

/// One keyword or pattern rule.
///
/// * **Keywords** match when the profile text contains one of them after both are folded
///   (NFKC, invisible characters removed, lower case, HTML tags removed from the text) and
///   reduced to their UTS #39 confusable skeleton: `ｃｒｙｐｔｏ`, `c\u{200D}rypto` and
///   Cyrillic `сrурtо` all contain `crypto`.
/// * **Patterns** (the `regex` crate's syntax, case-insensitive, size-limited) are tried on the
///   folded text and on its skeleton key. Write them in lower case Latin: literal letters of a
///   pattern are not themselves reduced to skeletons.
#[derive(Debug, Clone)]
pub struct KeywordRule {
    name: String,
    matcher: Matcher,
    fields: Vec<ProfileField>,
    subjects: Vec<ProfileSubject>,
    action: RuleAction,
}

/// Why a rule could not be built.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum KeywordRuleError {
    /// A keyword is empty after folding (it would match everything).
    EmptyKeyword,
    /// More than [`MAX_KEYWORDS`] keywords.
    TooManyKeywords,
    /// Longer than [`MAX_PATTERN_LEN`].
    PatternTooLong,
    /// The regex engine refused the pattern (syntax, or over the size limits).
    InvalidPattern(String),
}

impl KeywordRuleError {
    /// Stable snake_case code.
    pub fn kind(&self) -> &'static str {
        match self {
            KeywordRuleError::EmptyKeyword => "empty_keyword",
            KeywordRuleError::TooManyKeywords => "too_many_keywords",
            KeywordRuleError::PatternTooLong => "pattern_too_long",
            KeywordRuleError::InvalidPattern(_) => "invalid_pattern",
        }
    }
}

impl fmt::Display for KeywordRuleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            KeywordRuleError::EmptyKeyword => f.write_str("a keyword is empty after normalisation"),
            KeywordRuleError::TooManyKeywords => write!(f, "more than {MAX_KEYWORDS} keywords"),
            KeywordRuleError::PatternTooLong => {
                write!(f, "the pattern is longer than {MAX_PATTERN_LEN} bytes")
            }
            KeywordRuleError::InvalidPattern(e) => write!(f, "invalid pattern: {e}"),
        }
    }
}

impl std::error::Error for KeywordRuleError {}

impl KeywordRule {
    /// A rule matching any of `keywords`; by default on every field of both subjects, holding.
    pub fn keywords<S: AsRef<str>>(
        name: impl Into<String>,
        keywords: &[S],
    ) -> Result<Self, KeywordRuleError> {
        if keywords.len() > MAX_KEYWORDS {
            return Err(KeywordRuleError::TooManyKeywords);
        }
        let keys = keywords
            .iter()
            .map(|k| {
                let key = skeleton_key(k.as_ref());
                if key.trim().is_empty() {
                    Err(KeywordRuleError::EmptyKeyword)
                } else {
                    Ok(key)
                }
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(KeywordRule::with_matcher(
            name.into(),
            Matcher::Keywords(keys),
        ))
    }

    /// A rule matching the regular expression `pattern`.
    pub fn pattern(name: impl Into<String>, pattern: &str) -> Result<Self, KeywordRuleError> {
        if pattern.len() > MAX_PATTERN_LEN {
            return Err(KeywordRuleError::PatternTooLong);
        }
        let regex = RegexBuilder::new(pattern)
            .case_insensitive(true)
            .size_limit(REGEX_SIZE_LIMIT)
            .dfa_size_limit(REGEX_DFA_LIMIT)
            .nest_limit(64)
            .build()
            .map_err(|e| KeywordRuleError::InvalidPattern(e.to_string()))?;
        Ok(KeywordRule::with_matcher(
            name.into(),
            Matcher::Pattern(regex),
        ))
    }

    fn with_matcher(name: String, matcher: Matcher) -> Self {
        KeywordRule {
            name,
            matcher,
            fields: ProfileField::ALL.to_vec(),
            subjects: vec![ProfileSubject::Target, ProfileSubject::Follower],
            action: RuleAction::Hold,
        }
    }

    /// Builder: only these fields (an empty list keeps every field).
    pub fn on_fields(mut self, fields: &[ProfileField]) -> Self {
        if !fields.is_empty() {
            self.fields = fields.to_vec();
        }
        self
    }

    /// Builder: only these subjects (an empty list keeps both).
    pub fn for_subjects(mut self, subjects: &[ProfileSubject]) -> Self {
        if !subjects.is_empty() {
            self.subjects = subjects.to_vec();
        }
        self
    }

    /// Builder: what a match does.
    pub fn with_action(mut self, action: RuleAction) -> Self {
        self.action = action;
        self
    }

    /// The rule's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// What a match does.
    pub fn action(&self) -> RuleAction {
        self.action
    }

    /// `keywords` or `pattern`.
    pub fn kind(&self) -> &'static str {
        match self.matcher {
            Matcher::Keywords(_) => "keywords",
            Matcher::Pattern(_) => "pattern",
        }
    }

    /// Does the rule match this text?
    pub fn matches_text(&self, text: &str) -> bool {
        self.matches(&Prepared::new(text))
    }

    fn matches(&self, text: &Prepared) -> bool {
        match &self.matcher {
            Matcher::Keywords(keys) => keys.iter().any(|k| text.skeleton.contains(k.as_str())),
            Matcher::Pattern(re) => re.is_match(&text.folded) || re.is_match(&text.skeleton),
        }
    }

    /// The first field of `profile` the rule matches, if it applies to `subject`.
    pub fn matching_field(
        &self,
        profile: &ActorProfile,
        subject: ProfileSubject,
    ) -> Option<ProfileField> {
        self.matching_prepared(&PreparedProfile::new(profile), subject)
    }

    fn matching_prepared(
        &self,
        profile: &PreparedProfile,
        subject: ProfileSubject,
    ) -> Option<ProfileField> {
        if !self.subjects.contains(&subject) {
            return None;
        }
        self.fields
            .iter()
            .copied()
            .find(|field| profile.texts(*field).iter().any(|text| self.matches(text)))
    }
}

/// A profile's texts, normalised once for all rules.
struct PreparedProfile {
    username: Vec<Prepared>,
    display_name: Vec<Prepared>,
    summary: Vec<Prepared>,
    fields: Vec<Prepared>,
}

impl PreparedProfile {
    fn new(p: &ActorProfile) -> Self {
        let one = |t: &Option<String>| t.as_deref().map(Prepared::new).into_iter().collect();
        PreparedProfile {
            username: one(&p.preferred_username),
            display_name: one(&p.name),
            summary: one(&p.summary),
            fields: p
                .fields
                .iter()
                .flat_map(|(n, v)| [Prepared::new(n), Prepared::new(v)])
                .collect(),
        }
    }

    fn texts(&self, field: ProfileField) -> &[Prepared] {
        match field {
            ProfileField::Username => &self.username,
            ProfileField::DisplayName => &self.display_name,
            ProfileField::Summary => &self.summary,
            ProfileField::Fields => &self.fields,
        }
    }
}

/// Keyword and pattern rules applied to the Move target's profile (when the target is fetched)
/// and to arriving followers' profiles (when the caller supplies them with
/// [`ArrivingFollower::with_profile`]). Profiles not supplied are not judged. The first
/// rejecting rule wins; holding rules accumulate.
///
/// ```
/// use fep7628::inbound::{ActorFacts, ActorProfile};
/// use fep7628::moderation::{KeywordPolicy, KeywordRule, RuleAction};
/// let rule = KeywordRule::keywords("crypto-spam", &["crypto giveaway"]).unwrap()
///     .with_action(RuleAction::Reject);
/// let policy = KeywordPolicy::new(vec![rule]);
/// let profile = ActorProfile {
///     // Cyrillic с, у, р, о and a fullwidth Ｇ.
///     summary: Some("<p>Free сrурtо Ｇiveaway!</p>".into()),
///     ..ActorProfile::default()
/// };
/// let verdict = policy.judge_profile(&profile, fep7628::moderation::ProfileSubject::Target);
/// assert!(matches!(verdict, fep7628::policy::Verdict::Reject(_)));
/// ```
#[derive(Debug, Clone, Default)]
pub struct KeywordPolicy {
    rules: Vec<KeywordRule>,
}

impl KeywordPolicy {
    /// These rules, in order.
    pub fn new(rules: Vec<KeywordRule>) -> Self {
        KeywordPolicy { rules }
    }

    /// The rules.
    pub fn rules(&self) -> &[KeywordRule] {
        &self.rules
    }

    /// The verdict on one profile.
    pub fn judge_profile(&self, profile: &ActorProfile, subject: ProfileSubject) -> Verdict {
        let mut result = Verdict::Accept;
        if !self.rules.iter().any(|r| r.subjects.contains(&subject)) {
            return result;
        }
        let prepared = PreparedProfile::new(profile);
        for rule in &self.rules {
            if let Some(field) = rule.matching_prepared(&prepared, subject) {
                let reason = ModerationReason::KeywordMatched {
                    rule: rule.name.clone(),
                    subject,
                    field,
                };
                result = result.and(|| verdict(rule.action, reason));
                if matches!(result, Verdict::Reject(_)) {
                    break;
                }
            }
        }
        result
    }
}

impl MigrationPolicy for KeywordPolicy {
    fn target_fetched(&self, _ctx: &InboundMoveContext<'_>, target: &ActorFacts) -> Verdict {
        match &target.profile {
            Some(profile) => self.judge_profile(profile, ProfileSubject::Target),
            None => Verdict::Accept,
        }
    }

    fn arriving_follower(&self, arrival: &ArrivingFollower<'_>) -> Verdict {
        match arrival.profile {
            Some(profile) => self.judge_profile(profile, ProfileSubject::Follower),
            None => Verdict::Accept,
        }
    }
}
