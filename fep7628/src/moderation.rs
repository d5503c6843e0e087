//! Built-in moderation policies for arrivals, and the TOML policy file that configures them.
//!
//! Every policy here implements [`MigrationPolicy`](crate::policy::MigrationPolicy) (directly,
//! or through [`HistoryPolicy::against`] when it judges against recent arrivals) and answers
//! accept, hold or reject with a machine-readable
//! [`PolicyReason`](crate::policy::PolicyReason):
//!
//! * **domain blocks** — [`DomainBlockPolicy`](crate::policy::DomainBlockPolicy) with
//!   severities, filled from Mastodon exports, Mastodon's public block API and shared
//!   blocklists by [`Blocklist`] (obfuscated rows enforced by their SHA-256 digest);
//! * **window limits** per origin server and per local target — [`RateLimitPolicy`];
//! * **arrival surges**, including a surge split into many small moves — [`SurgePolicy`];
//! * **keyword and pattern rules** on arriving profiles, robust to confusables —
//!   [`KeywordPolicy`];
//! * **young accounts** — [`AccountAgePolicy`];
//! * **follower farming** (recent moves, long move chains) — [`FollowerFarmingPolicy`].
//!
//! All are sans-IO: the time comes from the context's `now`, and the window state from an
//! [`ArrivalHistory`] the caller fills from its store (or rebuilds from its audit events after
//! a restart). [`PolicyFile`] reads one TOML file configuring them all (format in the crate
//! README, "Moderation policy file"); [`PolicyFile::policy`] binds it to a history.
//!
//! ```
//! use std::time::{Duration, SystemTime};
//! use fep7628::moderation::{ArrivalHistory, ArrivalRecord, PolicyFile};
//! use fep7628::policy::{ArrivingFollower, MigrationPolicy, PolicyReason, Verdict};
//! use fep7628::MigrationId;
//!
//! let file = PolicyFile::from_toml_str(r#"
//! version = 1
//! [[rate_limits]]
//! scope = "target"
//! unit = "followers"
//! max = 100
//! window = "24h"
//! "#).unwrap();
//! let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
//! let (origin, target) = ("https://old.example/u/a", "https://here.example/u/a");
//! // Rebuilt from the store: 100 followers already arrived at the target today.
//! let history = ArrivalHistory::new()
//!     .with(ArrivalRecord::arrived_followers(origin, target, 100, now - Duration::from_secs(3600)));
//! let id = MigrationId::new(origin, target);
//! let arrival = ArrivingFollower::new(&id, "https://f.example/u/1", origin, target, now);
//! match file.policy(&history).arriving_follower(&arrival) {
//!     Verdict::Hold(reasons) => assert_eq!(reasons[0].code(), "rate_limit_target"),
//!     other => panic!("{other:?}"),
//! }
//! ```

mod account_age;
mod blocklist;
mod compose;
mod csv;
mod duration;
mod farming;
mod file;
mod file_error;
mod history;
mod keyword;
mod rate_limit;
mod reason;
mod surge;
// `pub(crate)`: archive screening matches keywords with the same folding and skeletons.
pub(crate) mod text;

pub use account_age::AccountAgePolicy;
pub use blocklist::{
    BlockEntry, Blocklist, BlocklistError, BlocklistErrorKind, BlocklistFormat, DigestEntry,
    MAX_BLOCKLIST_BYTES, MAX_BLOCKLIST_ENTRIES, SkippedEntry,
};
pub use compose::ModerationPolicy;
pub use duration::{MAX_DURATION, format_duration, parse_duration};
pub use farming::{FollowerFarmingPolicy, MAX_CHAIN_WALK};
pub use file::{
    ListLoader, ListSummary, MAX_DOMAIN_RULES, MAX_INLINE_DOMAINS, MAX_POLICY_FILE_BYTES,
    MAX_RULES, POLICY_FILE_VERSION, PolicyFile,
};
pub use file_error::{PolicyFileError, Position};
pub use history::{
    ArrivalHistory, ArrivalKind, ArrivalRecord, HistoryPolicy, MAX_HISTORY_RECORDS, WithHistory,
};
pub use keyword::{
    KeywordPolicy, KeywordRule, KeywordRuleError, MAX_KEYWORDS, MAX_PATTERN_LEN, REGEX_DFA_LIMIT,
    REGEX_SIZE_LIMIT,
};
pub use rate_limit::{RateLimit, RateLimitPolicy};
pub use reason::{
    LimitScope, LimitUnit, ModerationReason, ProfileField, ProfileSubject, RuleAction, SurgeKind,
};
pub use surge::SurgePolicy;
