//! Content import with provenance and screening (feature `archive`).
//!
//! Reads a Mastodon account archive (zip: `actor.json`, `outbox.json`, `likes.json`,
//! `bookmarks.json`, `media_attachments/…`) or a plain ActivityStreams outbox, gives every
//! post a [`Provenance`] — `verified` (a FEP-8b32 proof by the origin actor's key verifies),
//! `unverified` (no proof), `invalid` (a proof that fails or names another key or actor) — and
//! screens it with the `[import]` table of the policy file ([`ImportPolicy`]): accept, hold or
//! reject, each with machine-readable [`Reason`]s (rule code + detail).
//!
//! Streaming: `outbox.json` is never loaded whole; items are parsed one at a time
//! ([`collection::for_each_item`]) within explicit [`Limits`] (entry sizes, compression ratio,
//! per-item size and depth, item count, entry names), so 100 000 posts are screened in a few
//! MiB of heap (see `benches/README.md`). The [`ScreeningReport`] stays bounded too: counts
//! per status, provenance, rule and month, and at most [`Limits::max_listed`] listed items.
//! [`html::render`] makes the self-contained human report.
//!
//! ```
//! use fep7628::archive::{ImportPolicy, Limits, screen_mastodon_archive};
//! let policy = ImportPolicy::from_toml("[import.visibility]\nfollowers = \"reject\"\n")?;
//! // Not a zip at all: a typed error, never a panic.
//! let err = screen_mastodon_archive(&&b"not a zip"[..], &policy, 0, &Limits::default())
//!     .unwrap_err();
//! assert_eq!(err.kind(), "invalid_zip");
//! # Ok::<(), fep7628::archive::ArchiveError>(())
//! ```

mod bounded;
pub mod collection;
pub mod date;
mod error;
pub mod html;
mod limits;
pub mod media;
pub mod normalize;
mod policy;
pub mod post;
mod provenance;
mod report;
pub mod screen;
mod screening;
mod visibility;
pub mod zip_source;

pub use error::ArchiveError;
pub use limits::Limits;
pub use policy::{Action, DateRules, ImportPolicy, KeywordRule, MediaRules, VisibilityRules};
pub use provenance::{OriginActor, Provenance, ProvenanceCheck, check_provenance};
pub use report::{
    LinkCounts, MediaCounts, ProvenanceCounts, ReportBuilder, ScreeningReport, StatusCounts, Totals,
};
pub use screen::{ItemScreening, Reason, Screener};
pub use screening::{screen_mastodon_archive, screen_outbox};
pub use visibility::Visibility;
pub use zip_source::{ArchiveSource, FileSource};
