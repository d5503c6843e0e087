//! The TOML policy file: one file configures every built-in moderation policy.
//!
//! The format is documented in the crate README, section "Moderation policy file". Parsing is
//! sans-IO: blocklists named by `path` are read through a loader callback the caller supplies
//! (the CLI reads them relative to the policy file).

use std::collections::HashSet;
use std::ops::Range;
use std::time::Duration;

use serde::Deserialize;
use serde::de::IgnoredAny;
use serde_json::{Value, json};
use toml::Spanned;

use crate::moderation::account_age::AccountAgePolicy;
use crate::moderation::blocklist::{Blocklist, BlocklistFormat};
use crate::moderation::duration::{format_duration, parse_duration};
use crate::moderation::farming::FollowerFarmingPolicy;
use crate::moderation::file_error::{PolicyFileError, Position};
use crate::moderation::keyword::{KeywordPolicy, KeywordRule};
use crate::moderation::rate_limit::{RateLimit, RateLimitPolicy};
use crate::moderation::reason::{LimitScope, LimitUnit, ProfileField, ProfileSubject, RuleAction};
use crate::moderation::surge::SurgePolicy;
use crate::policy::{DomainBlockPolicy, DomainSeverity};

/// Largest policy file accepted (bytes).
pub const MAX_POLICY_FILE_BYTES: usize = 1024 * 1024;
/// Most `[[keyword_rules]]`, `[[rate_limits]]` or blocklists.
pub const MAX_RULES: usize = 1000;
/// Most domains listed inline per severity.
pub const MAX_INLINE_DOMAINS: usize = 100_000;
/// Most domain rules in all, inline and from every blocklist together.
pub const MAX_DOMAIN_RULES: usize = 2_000_000;

/// The only `version` this parser reads.
pub const POLICY_FILE_VERSION: i64 = 1;

// ---- the file as written ---------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: Spanned<i64>,
    domain_blocks: Option<RawDomainBlocks>,
    #[serde(default)]
    rate_limits: Vec<Spanned<RawRateLimit>>,
    surge: Option<Spanned<RawSurge>>,
    #[serde(default)]
    keyword_rules: Vec<Spanned<RawKeywordRule>>,
    account_age: Option<RawAccountAge>,
    follower_farming: Option<Spanned<RawFarming>>,
    /// Reserved for content-import screening (another component reads it); skipped here.
    #[serde(rename = "import")]
    _import: Option<IgnoredAny>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDomainBlocks {
    #[serde(default)]
    suspend: Vec<Spanned<String>>,
    #[serde(default)]
    silence: Vec<Spanned<String>>,
    #[serde(default)]
    noop: Vec<Spanned<String>>,
    #[serde(default)]
    lists: Vec<RawList>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawList {
    path: Spanned<String>,
    #[serde(default)]
    default_severity: Option<Spanned<String>>,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum RawAction {
    Hold,
    Reject,
}

impl From<RawAction> for RuleAction {
    fn from(a: RawAction) -> Self {
        match a {
            RawAction::Hold => RuleAction::Hold,
            RawAction::Reject => RuleAction::Reject,
        }
    }
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum RawScope {
    OriginServer,
    Target,
}

#[derive(Deserialize, Clone, Copy)]
#[serde(rename_all = "snake_case")]
enum RawUnit {
    Moves,
    Followers,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum RawField {
    Username,
    DisplayName,
    Summary,
    Fields,
}

#[derive(Deserialize, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
enum RawSubject {
    Target,
    Follower,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRateLimit {
    scope: RawScope,
    unit: RawUnit,
    max: Spanned<i64>,
    window: Spanned<String>,
    action: Option<RawAction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSurge {
    window: Spanned<String>,
    max_followers: Option<Spanned<i64>>,
    max_percent: Option<Spanned<f64>>,
    small_server_accounts: Option<Spanned<i64>>,
    action: Option<RawAction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawKeywordRule {
    name: Spanned<String>,
    keywords: Option<Spanned<Vec<String>>>,
    pattern: Option<Spanned<String>>,
    #[serde(default)]
    fields: Vec<RawField>,
    #[serde(default)]
    applies_to: Vec<RawSubject>,
    action: Option<RawAction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAccountAge {
    min_age: Spanned<String>,
    #[serde(default)]
    applies_to: Vec<RawSubject>,
    #[serde(default)]
    hold_unknown: bool,
    action: Option<RawAction>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFarming {
    chain_window: Option<Spanned<String>>,
    recent_arrival: Option<Spanned<String>>,
    max_chain: Option<Spanned<i64>>,
    action: Option<RawAction>,
}

// ---- the compiled file -----------------------------------------------------------------------

/// What one blocklist named in the file brought.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListSummary {
    /// The path as written.
    pub path: String,
    /// The layout recognised.
    pub format: BlocklistFormat,
    /// Rules imported.
    pub entries: usize,
    /// Obfuscated rows enforced by their digest.
    pub obfuscated: usize,
    /// Obfuscated rows without a digest, skipped, with their lines.
    pub skipped_lines: Vec<usize>,
}

/// A parsed and validated policy file: the configured policies, ready to use.
///
/// ```
/// use fep7628::moderation::{ArrivalHistory, PolicyFile};
/// use fep7628::policy::MigrationPolicy;
/// let file = PolicyFile::from_toml_str(r#"
/// version = 1
/// [domain_blocks]
/// suspend = ["bad.example"]
/// [[keyword_rules]]
/// name = "spam"
/// keywords = ["free followers"]
/// action = "reject"
/// "#).unwrap();
/// assert_eq!(file.domain_blocks().map(|d| d.len()), Some(1));
/// let history = ArrivalHistory::new();
/// let policy = file.policy(&history); // a MigrationPolicy
/// # let _ = policy;
/// ```
#[derive(Debug, Clone, Default)]
pub struct PolicyFile {
    domain_blocks: Option<DomainBlockPolicy>,
    lists: Vec<ListSummary>,
    rate_limits: Option<RateLimitPolicy>,
    surge: Option<SurgePolicy>,
    keywords: Option<KeywordPolicy>,
    account_age: Option<AccountAgePolicy>,
    follower_farming: Option<FollowerFarmingPolicy>,
}

/// Reads a blocklist named in the policy file: its text, or a message saying why not.
pub type ListLoader<'a> = dyn FnMut(&str) -> Result<String, String> + 'a;

struct Ctx<'t> {
    text: &'t str,
}

impl Ctx<'_> {
    fn pos(&self, span: Range<usize>) -> Position {
        Position::of_offset(self.text, span.start)
    }

    fn err<T>(
        &self,
        kind: &'static str,
        message: impl Into<String>,
        span: Range<usize>,
    ) -> Result<T, PolicyFileError> {
        Err(PolicyFileError::new(kind, message, self.pos(span)))
    }

    fn duration(&self, value: &Spanned<String>, key: &str) -> Result<Duration, PolicyFileError> {
        match parse_duration(value.get_ref()) {
            Some(d) => Ok(d),
            None => self.err(
                "invalid_duration",
                format!(
                    "{key} = {:?} is not a duration like \"90s\", \"30m\", \"24h\", \"7d\" or \"2w\"",
                    value.get_ref()
                ),
                value.span(),
            ),
        }
    }

    fn count(&self, value: &Spanned<i64>, key: &str, min: i64) -> Result<u64, PolicyFileError> {
        let v = *value.get_ref();
        match u64::try_from(v) {
            Ok(n) if v >= min => Ok(n),
            _ => self.err(
                "invalid_value",
                format!("{key} = {v} must be a whole number of at least {min}"),
                value.span(),
            ),
        }
    }
}

impl PolicyFile {
    /// Parse a policy file that names no blocklist file (`[[domain_blocks.lists]]`); one that
    /// does fails with `list_not_loaded` — use [`PolicyFile::from_toml_str_with_loader`].
    pub fn from_toml_str(text: &str) -> Result<PolicyFile, PolicyFileError> {
        PolicyFile::from_toml_str_with_loader(text, &mut |path: &str| {
            Err(format!(
                "no loader was given to read the blocklist {path:?} (use from_toml_str_with_loader)"
            ))
        })
        .map_err(|e| {
            if e.kind() == "list_io" {
                PolicyFileError::new("list_not_loaded", e.message(), e.position())
            } else {
                e
            }
        })
    }

    /// Parse a policy file; `load` returns the text of each blocklist `path` (resolving it is
    /// the caller's business: the CLI reads it relative to the policy file).
    pub fn from_toml_str_with_loader(
        text: &str,
        load: &mut ListLoader<'_>,
    ) -> Result<PolicyFile, PolicyFileError> {
        if text.len() > MAX_POLICY_FILE_BYTES {
            return Err(PolicyFileError::new(
                "too_large",
                format!("the policy file is larger than {MAX_POLICY_FILE_BYTES} bytes"),
                Position { line: 1, column: 1 },
            ));
        }
        let ctx = Ctx { text };
        let raw: RawFile = toml::from_str(text).map_err(|e| toml_error(text, &e))?;
        if *raw.version.get_ref() != POLICY_FILE_VERSION {
            return ctx.err(
                "unsupported_version",
                format!(
                    "version = {} is not supported (this parser reads version = {POLICY_FILE_VERSION})",
                    raw.version.get_ref()
                ),
                raw.version.span(),
            );
        }
        let mut file = PolicyFile::default();
        if let Some(blocks) = &raw.domain_blocks {
            file.read_domain_blocks(&ctx, blocks, load)?;
        }
        if !raw.rate_limits.is_empty() {
            file.rate_limits = Some(read_rate_limits(&ctx, &raw.rate_limits)?);
        }
        if let Some(surge) = &raw.surge {
            file.surge = Some(read_surge(&ctx, surge)?);
        }
        if !raw.keyword_rules.is_empty() {
            file.keywords = Some(read_keyword_rules(&ctx, &raw.keyword_rules)?);
        }
        if let Some(age) = &raw.account_age {
            let mut policy = AccountAgePolicy::new(ctx.duration(&age.min_age, "min_age")?)
                .for_subjects(&subjects(&age.applies_to))
                .hold_unknown(age.hold_unknown);
            if let Some(action) = age.action {
                policy = policy.with_action(action.into());
            }
            file.account_age = Some(policy);
        }
        if let Some(farming) = &raw.follower_farming {
            file.follower_farming = Some(read_farming(&ctx, farming)?);
        }
        Ok(file)
    }

    fn read_domain_blocks(
        &mut self,
        ctx: &Ctx<'_>,
        blocks: &RawDomainBlocks,
        load: &mut ListLoader<'_>,
    ) -> Result<(), PolicyFileError> {
        let mut policy = DomainBlockPolicy::new();
        for (severity, domains) in [
            (DomainSeverity::Suspend, &blocks.suspend),
            (DomainSeverity::Silence, &blocks.silence),
            (DomainSeverity::Noop, &blocks.noop),
        ] {
            if domains.len() > MAX_INLINE_DOMAINS {
                return ctx.err(
                    "too_many_rules",
                    format!("more than {MAX_INLINE_DOMAINS} {severity} domains"),
                    domains.get(MAX_INLINE_DOMAINS).map_or(0..0, Spanned::span),
                );
            }
            for domain in domains {
                let raw = domain.get_ref().trim();
                let bare = raw.strip_prefix("*.").unwrap_or(raw);
                if bare.contains('*') || !policy.insert(bare, severity) {
                    return ctx.err(
                        "invalid_domain",
                        format!("{raw:?} is not a domain name"),
                        domain.span(),
                    );
                }
            }
        }
        if blocks.lists.len() > MAX_RULES {
            return ctx.err(
                "too_many_rules",
                format!("more than {MAX_RULES} blocklists"),
                0..0,
            );
        }
        for list in &blocks.lists {
            let default = match &list.default_severity {
                None => DomainSeverity::Suspend,
                Some(s) => match s.get_ref().parse::<DomainSeverity>() {
                    Ok(d) => d,
                    Err(()) => {
                        return ctx.err(
                            "invalid_severity",
                            format!(
                                "default_severity = {:?} (expected suspend, silence, limit or noop)",
                                s.get_ref()
                            ),
                            s.span(),
                        );
                    }
                },
            };
            let path = list.path.get_ref();
            let text = match load(path) {
                Ok(t) => t,
                Err(message) => {
                    return ctx.err(
                        "list_io",
                        format!("cannot read the blocklist {path:?}: {message}"),
                        list.path.span(),
                    );
                }
            };
            let parsed = Blocklist::parse(&text, default)
                .map_err(|e| PolicyFileError::in_list(path, &e, ctx.pos(list.path.span())))?;
            parsed.apply_to(&mut policy);
            if policy.len() > MAX_DOMAIN_RULES {
                return ctx.err(
                    "too_many_rules",
                    format!("more than {MAX_DOMAIN_RULES} domain rules in all"),
                    list.path.span(),
                );
            }
            self.lists.push(ListSummary {
                path: path.clone(),
                format: parsed.format(),
                entries: parsed.entries().len(),
                obfuscated: parsed.obfuscated().len(),
                skipped_lines: parsed.skipped().iter().map(|s| s.line).collect(),
            });
        }
        self.domain_blocks = Some(policy);
        Ok(())
    }

    /// The domain rules (inline and imported), if `[domain_blocks]` is present.
    pub fn domain_blocks(&self) -> Option<&DomainBlockPolicy> {
        self.domain_blocks.as_ref()
    }

    /// What each blocklist brought.
    pub fn lists(&self) -> &[ListSummary] {
        &self.lists
    }

    /// The window limits, if any `[[rate_limits]]`.
    pub fn rate_limits(&self) -> Option<&RateLimitPolicy> {
        self.rate_limits.as_ref()
    }

    /// The surge policy, if `[surge]` is present.
    pub fn surge(&self) -> Option<&SurgePolicy> {
        self.surge.as_ref()
    }

    /// The keyword rules, if any `[[keyword_rules]]`.
    pub fn keyword_rules(&self) -> Option<&KeywordPolicy> {
        self.keywords.as_ref()
    }

    /// The account-age policy, if `[account_age]` is present.
    pub fn account_age(&self) -> Option<&AccountAgePolicy> {
        self.account_age.as_ref()
    }

    /// The follower-farming policy, if `[follower_farming]` is present.
    pub fn follower_farming(&self) -> Option<&FollowerFarmingPolicy> {
        self.follower_farming.as_ref()
    }

    /// A machine-readable summary: one JSON object per configured policy, with its `policy`
    /// name (the table name) and its settings.
    pub fn summary(&self) -> Vec<Value> {
        let mut out = Vec::new();
        if let Some(d) = &self.domain_blocks {
            let (noop, silence, suspend) = d.counts();
            let lists: Vec<Value> = self
                .lists
                .iter()
                .map(|l| {
                    json!({"path": l.path, "format": l.format.as_str(), "entries": l.entries,
                           "obfuscated_by_digest": l.obfuscated,
                           "skipped_obfuscated_lines": l.skipped_lines})
                })
                .collect();
            out.push(json!({"policy": "domain_blocks", "rules": d.len(),
                "suspend": suspend, "silence": silence, "noop": noop, "lists": lists}));
        }
        if let Some(r) = &self.rate_limits {
            let limits: Vec<Value> = r
                .limits()
                .iter()
                .map(|l| {
                    json!({"scope": l.scope.as_str(), "unit": l.unit.as_str(), "max": l.max,
                           "window": format_duration(l.window), "action": l.action.as_str()})
                })
                .collect();
            out.push(json!({"policy": "rate_limits", "limits": limits}));
        }
        if let Some(s) = &self.surge {
            let (percent, small) = s.max_percent().map_or((None, None), |(p, s)| (Some(p), s));
            out.push(
                json!({"policy": "surge", "window": format_duration(s.window()),
                "max_followers": s.max_followers(), "max_percent": percent,
                "small_server_accounts": small}),
            );
        }
        if let Some(k) = &self.keywords {
            let rules: Vec<Value> = k
                .rules()
                .iter()
                .map(|r| json!({"name": r.name(), "kind": r.kind(), "action": r.action().as_str()}))
                .collect();
            out.push(json!({"policy": "keyword_rules", "rules": rules}));
        }
        if let Some(a) = &self.account_age {
            out.push(json!({"policy": "account_age", "min_age": format_duration(a.min_age())}));
        }
        if let Some(f) = &self.follower_farming {
            let (window, recent, chain) = f.settings();
            out.push(
                json!({"policy": "follower_farming", "chain_window": format_duration(window),
                "recent_arrival": recent.map(format_duration), "max_chain": chain}),
            );
        }
        out
    }
}

fn subjects(raw: &[RawSubject]) -> Vec<ProfileSubject> {
    raw.iter()
        .map(|s| match s {
            RawSubject::Target => ProfileSubject::Target,
            RawSubject::Follower => ProfileSubject::Follower,
        })
        .collect()
}

fn read_rate_limits(
    ctx: &Ctx<'_>,
    raw: &[Spanned<RawRateLimit>],
) -> Result<RateLimitPolicy, PolicyFileError> {
    if raw.len() > MAX_RULES {
        return ctx.err(
            "too_many_rules",
            format!("more than {MAX_RULES} rate limits"),
            raw.get(MAX_RULES).map_or(0..0, Spanned::span),
        );
    }
    let mut limits = Vec::with_capacity(raw.len());
    for limit in raw {
        let l = limit.get_ref();
        limits.push(RateLimit {
            scope: match l.scope {
                RawScope::OriginServer => LimitScope::OriginServer,
                RawScope::Target => LimitScope::Target,
            },
            unit: match l.unit {
                RawUnit::Moves => LimitUnit::Moves,
                RawUnit::Followers => LimitUnit::Followers,
            },
            max: ctx.count(&l.max, "max", 0)?,
            window: ctx.duration(&l.window, "window")?,
            action: l.action.map_or(RuleAction::Hold, Into::into),
        });
    }
    Ok(RateLimitPolicy::new(limits))
}

fn read_surge(ctx: &Ctx<'_>, raw: &Spanned<RawSurge>) -> Result<SurgePolicy, PolicyFileError> {
    let s = raw.get_ref();
    let mut policy = SurgePolicy::new(ctx.duration(&s.window, "window")?);
    if s.max_followers.is_none() && s.max_percent.is_none() {
        return ctx.err(
            "missing_key",
            "[surge] needs max_followers, max_percent or both",
            raw.span(),
        );
    }
    if let Some(n) = &s.max_followers {
        policy = policy.with_max_followers(ctx.count(n, "max_followers", 1)?);
    }
    if let Some(p) = &s.max_percent {
        let percent = *p.get_ref();
        if !(percent > 0.0 && percent <= 100.0) {
            return ctx.err(
                "invalid_value",
                format!("max_percent = {percent} must be more than 0 and at most 100"),
                p.span(),
            );
        }
        let small = match &s.small_server_accounts {
            Some(n) => Some(ctx.count(n, "small_server_accounts", 1)?),
            None => None,
        };
        policy = policy.with_max_percent(percent, small);
    } else if let Some(n) = &s.small_server_accounts {
        return ctx.err(
            "invalid_value",
            "small_server_accounts only applies with max_percent",
            n.span(),
        );
    }
    if let Some(action) = s.action {
        policy = policy.with_action(action.into());
    }
    Ok(policy)
}

fn read_keyword_rules(
    ctx: &Ctx<'_>,
    raw: &[Spanned<RawKeywordRule>],
) -> Result<KeywordPolicy, PolicyFileError> {
    if raw.len() > MAX_RULES {
        return ctx.err(
            "too_many_rules",
            format!("more than {MAX_RULES} keyword rules"),
            raw.get(MAX_RULES).map_or(0..0, Spanned::span),
        );
    }
    let mut names = HashSet::new();
    let mut rules = Vec::with_capacity(raw.len());
    for spanned in raw {
        let r = spanned.get_ref();
        let name = r.name.get_ref();
        if name.trim().is_empty() {
            return ctx.err(
                "invalid_value",
                "a rule name must not be empty",
                r.name.span(),
            );
        }
        if !names.insert(name.clone()) {
            return ctx.err(
                "duplicate_rule",
                format!("a keyword rule named {name:?} is already defined"),
                r.name.span(),
            );
        }
        let rule = match (&r.keywords, &r.pattern) {
            (Some(words), None) => {
                if words.get_ref().is_empty() {
                    return ctx.err("invalid_value", "keywords must not be empty", words.span());
                }
                KeywordRule::keywords(name.clone(), words.get_ref())
                    .or_else(|e| ctx.err(e.kind(), e.to_string(), words.span()))?
            }
            (None, Some(pattern)) => KeywordRule::pattern(name.clone(), pattern.get_ref())
                .or_else(|e| ctx.err(e.kind(), e.to_string(), pattern.span()))?,
            _ => {
                return ctx.err(
                    "invalid_value",
                    format!("keyword rule {name:?} needs exactly one of keywords or pattern"),
                    spanned.span(),
                );
            }
        };
        let fields: Vec<ProfileField> = r
            .fields
            .iter()
            .map(|f| match f {
                RawField::Username => ProfileField::Username,
                RawField::DisplayName => ProfileField::DisplayName,
                RawField::Summary => ProfileField::Summary,
                RawField::Fields => ProfileField::Fields,
            })
            .collect();
        rules.push(
            rule.on_fields(&fields)
                .for_subjects(&subjects(&r.applies_to))
                .with_action(r.action.map_or(RuleAction::Hold, Into::into)),
        );
    }
    Ok(KeywordPolicy::new(rules))
}

fn read_farming(
    ctx: &Ctx<'_>,
    raw: &Spanned<RawFarming>,
) -> Result<FollowerFarmingPolicy, PolicyFileError> {
    let f = raw.get_ref();
    let window = match &f.chain_window {
        Some(w) => ctx.duration(w, "chain_window")?,
        None => Duration::from_secs(180 * 86_400),
    };
    let mut policy = FollowerFarmingPolicy::new(window);
    if f.recent_arrival.is_none() && f.max_chain.is_none() {
        return ctx.err(
            "missing_key",
            "[follower_farming] needs recent_arrival, max_chain or both",
            raw.span(),
        );
    }
    if let Some(r) = &f.recent_arrival {
        policy = policy.with_recent_arrival(ctx.duration(r, "recent_arrival")?);
    }
    if let Some(n) = &f.max_chain {
        policy = policy.with_max_chain(ctx.count(n, "max_chain", 1)?);
    }
    if let Some(action) = f.action {
        policy = policy.with_action(action.into());
    }
    Ok(policy)
}

/// A `toml` error as a [`PolicyFileError`]: serde's "unknown field" is `unknown_key`, "missing
/// field" is `missing_key`, type and variant mismatches are `invalid_value`, the rest is
/// `toml_syntax`.
fn toml_error(text: &str, e: &toml::de::Error) -> PolicyFileError {
    let message = e.message().trim().to_owned();
    let kind = if message.starts_with("unknown field") {
        "unknown_key"
    } else if message.starts_with("missing field") {
        "missing_key"
    } else if message.starts_with("invalid type")
        || message.starts_with("unknown variant")
        || message.starts_with("invalid value")
    {
        "invalid_value"
    } else {
        "toml_syntax"
    };
    let position = e.span().map_or(Position { line: 1, column: 1 }, |s| {
        Position::of_offset(text, s.start)
    });
    PolicyFileError::new(kind, message, position)
}
