//! Domain blocklists in the formats servers and shared lists publish, imported into a
//! [`DomainBlockPolicy`].
//!
//! * **Mastodon export** (Administration → Federation → Export): a header
//!   `#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate`, booleans
//!   `true`/`false`. The same header is used by the Oliphant lists' `blocklists/mastodon/`
//!   files (<https://github.com/sgrigson/oliphant>, e.g.
//!   `blocklists/mastodon/_unified_tier0_blocklist.csv`) and accepted by GoToSocial's import.
//! * **Header CSV without `#`** (FediBlockHole exports,
//!   <https://github.com/eigenmagic/fediblockhole>; Oliphant's `blocklists/*.csv` such as the
//!   Garden-fence mirror `blocklists/gardenfence.csv`): `domain,severity,reject_media,…`,
//!   booleans `True`/`False`. Columns are found by name (`#` prefix optional, any order,
//!   unknown columns ignored); only `domain` is required.
//! * **Plain lists**: one domain per line, optionally `,severity` and more columns after it
//!   (FediBlock-style `domain,suspend,comment`); lines starting with `#` are comments.
//!
//! Severity: `suspend` ⇒ reject, `silence` or `limit` ⇒ hold, `noop` ⇒ no effect; a missing or
//! empty severity takes the list's default. Domains are normalised like
//! [`normalize_domain`](crate::policy::normalize_domain): case-folded, trailing dot removed,
//! IDNs to punycode; a rule covers every subdomain, and a leading `*.` wildcard is read as
//! that (`*.example.com` ⇒ `example.com`). Obfuscated entries from public block pages
//! (`ex**ple.com`, a `*` anywhere else) cannot be enforced: they are **skipped and reported**
//! in [`Blocklist::skipped`], never guessed. Any other malformed row — a broken quote, a value
//! that is not a domain, an unknown severity, a boolean that is not one — is an error naming
//! its line.

use std::fmt;

use crate::moderation::csv::{CsvProblem, Records};
use crate::policy::{DomainBlockPolicy, DomainSeverity, normalize_domain};

/// Largest blocklist text accepted (bytes).
pub const MAX_BLOCKLIST_BYTES: usize = 32 * 1024 * 1024;
/// Most entries in one blocklist.
pub const MAX_BLOCKLIST_ENTRIES: usize = 500_000;

/// The layout a blocklist was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlocklistFormat {
    /// `#domain,#severity,…` (Mastodon's export).
    MastodonExport,
    /// `domain,severity,…` (a header without `#`).
    HeaderCsv,
    /// One domain per line.
    PlainList,
}

impl BlocklistFormat {
    /// `mastodon_export`, `header_csv` or `plain_list`.
    pub fn as_str(self) -> &'static str {
        match self {
            BlocklistFormat::MastodonExport => "mastodon_export",
            BlocklistFormat::HeaderCsv => "header_csv",
            BlocklistFormat::PlainList => "plain_list",
        }
    }
}

/// One imported rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlockEntry {
    /// The 1-based line the row starts on.
    pub line: usize,
    /// The normalised domain (lower case, punycode, no trailing dot).
    pub domain: String,
    /// What the rule does to migrations.
    pub severity: DomainSeverity,
    /// `reject_media` (kept for the caller; migrations ignore it).
    pub reject_media: bool,
    /// `reject_reports` (kept for the caller; migrations ignore it).
    pub reject_reports: bool,
    /// `public_comment`, when present and not empty.
    pub public_comment: Option<String>,
}

/// A row that was read but not turned into a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedEntry {
    /// The 1-based line.
    pub line: usize,
    /// The domain cell as written.
    pub raw: String,
    /// Why: always `obfuscated` for now (a `*` other than a leading `*.`).
    pub reason: &'static str,
}

/// A parsed blocklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocklist {
    format: BlocklistFormat,
    entries: Vec<BlockEntry>,
    skipped: Vec<SkippedEntry>,
}

/// What is wrong with a blocklist, and on which line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlocklistError {
    /// The 1-based line (0 when the whole text is at fault, e.g. too large).
    pub line: usize,
    /// What.
    pub kind: BlocklistErrorKind,
}

/// The kinds of [`BlocklistError`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BlocklistErrorKind {
    /// The CSV framing is broken (quotes, field count, field size).
    Csv(&'static str),
    /// The header has no `domain` column.
    MissingDomainColumn,
    /// The domain cell is not a domain name.
    InvalidDomain(String),
    /// The severity is not `suspend`, `silence`, `limit` or `noop`.
    InvalidSeverity(String),
    /// A boolean column holds something other than true/false.
    InvalidBoolean {
        /// The column.
        column: String,
        /// The value.
        value: String,
    },
    /// More than [`MAX_BLOCKLIST_ENTRIES`] rows.
    TooManyEntries,
    /// More than [`MAX_BLOCKLIST_BYTES`] bytes.
    TooLarge,
}

impl BlocklistError {
    /// Stable snake_case code: `csv_syntax`, `missing_domain_column`, `invalid_domain`,
    /// `invalid_severity`, `invalid_boolean`, `too_many_entries`, `too_large`.
    pub fn kind(&self) -> &'static str {
        match &self.kind {
            BlocklistErrorKind::Csv(_) => "csv_syntax",
            BlocklistErrorKind::MissingDomainColumn => "missing_domain_column",
            BlocklistErrorKind::InvalidDomain(_) => "invalid_domain",
            BlocklistErrorKind::InvalidSeverity(_) => "invalid_severity",
            BlocklistErrorKind::InvalidBoolean { .. } => "invalid_boolean",
            BlocklistErrorKind::TooManyEntries => "too_many_entries",
            BlocklistErrorKind::TooLarge => "too_large",
        }
    }
}

impl fmt::Display for BlocklistError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: ", self.line)?;
        match &self.kind {
            BlocklistErrorKind::Csv(m) => f.write_str(m),
            BlocklistErrorKind::MissingDomainColumn => {
                f.write_str("the header has no domain column")
            }
            BlocklistErrorKind::InvalidDomain(d) => write!(f, "{d:?} is not a domain name"),
            BlocklistErrorKind::InvalidSeverity(s) => write!(
                f,
                "unknown severity {s:?} (expected suspend, silence, limit or noop)"
            ),
            BlocklistErrorKind::InvalidBoolean { column, value } => {
                write!(f, "{column}: {value:?} is not true or false")
            }
            BlocklistErrorKind::TooManyEntries => {
                write!(f, "more than {MAX_BLOCKLIST_ENTRIES} entries")
            }
            BlocklistErrorKind::TooLarge => write!(f, "larger than {MAX_BLOCKLIST_BYTES} bytes"),
        }
    }
}

impl std::error::Error for BlocklistError {}

/// Column positions from a header.
#[derive(Debug, Default)]
struct Columns {
    domain: usize,
    severity: Option<usize>,
    reject_media: Option<usize>,
    reject_reports: Option<usize>,
    public_comment: Option<usize>,
}

impl Blocklist {
    /// Read a blocklist; rows without a severity get `default_severity`.
    ///
    /// ```
    /// use fep7628::moderation::{Blocklist, BlocklistFormat};
    /// use fep7628::policy::{DomainBlockPolicy, DomainSeverity};
    /// let csv = "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate\n\
    ///            bad.example,suspend,true,true,spam,false\n\
    ///            meh.example,silence,false,false,,false\n";
    /// let list = Blocklist::parse(csv, DomainSeverity::Suspend).unwrap();
    /// assert_eq!(list.format(), BlocklistFormat::MastodonExport);
    /// let mut policy = DomainBlockPolicy::new();
    /// list.apply_to(&mut policy);
    /// assert_eq!(policy.rule_for("a.BAD.example."), Some(("bad.example", DomainSeverity::Suspend)));
    /// ```
    pub fn parse(
        text: &str,
        default_severity: DomainSeverity,
    ) -> Result<Blocklist, BlocklistError> {
        if text.len() > MAX_BLOCKLIST_BYTES {
            return Err(BlocklistError {
                line: 0,
                kind: BlocklistErrorKind::TooLarge,
            });
        }
        let csv_error = |(line, problem): (usize, CsvProblem)| BlocklistError {
            line,
            kind: BlocklistErrorKind::Csv(problem.message()),
        };
        let mut records = Records::new(text).peekable();
        let mut format = BlocklistFormat::PlainList;
        let mut columns = Columns::default();
        if let Some(Ok(first)) = records.peek() {
            let names: Vec<String> = first
                .fields
                .iter()
                .map(|f| f.trim().to_ascii_lowercase())
                .collect();
            let is_header = names.iter().any(|n| n.trim_start_matches('#') == "domain");
            let hashed_header = names.len() > 1 && names.iter().all(|n| n.starts_with('#'));
            if hashed_header && !is_header {
                return Err(BlocklistError {
                    line: first.line,
                    kind: BlocklistErrorKind::MissingDomainColumn,
                });
            }
            if is_header {
                format = if names.first().is_some_and(|n| n.starts_with('#')) {
                    BlocklistFormat::MastodonExport
                } else {
                    BlocklistFormat::HeaderCsv
                };
                let find =
                    |name: &str| names.iter().position(|n| n.trim_start_matches('#') == name);
                columns = Columns {
                    domain: find("domain").unwrap_or_default(),
                    severity: find("severity"),
                    reject_media: find("reject_media"),
                    reject_reports: find("reject_reports"),
                    public_comment: find("public_comment").or_else(|| find("comment")),
                };
                records.next();
            } else {
                columns.severity = Some(1);
            }
        }
        let mut list = Blocklist {
            format,
            entries: Vec::new(),
            skipped: Vec::new(),
        };
        for record in records {
            let record = record.map_err(csv_error)?;
            let line = record.line;
            let cell = |i: Option<usize>| i.and_then(|i| record.fields.get(i)).map(|s| s.trim());
            let Some(raw) = cell(Some(columns.domain)) else {
                return Err(BlocklistError {
                    line,
                    kind: BlocklistErrorKind::InvalidDomain(String::new()),
                });
            };
            if format == BlocklistFormat::PlainList && raw.starts_with('#') {
                continue;
            }
            if list.entries.len() + list.skipped.len() >= MAX_BLOCKLIST_ENTRIES {
                return Err(BlocklistError {
                    line,
                    kind: BlocklistErrorKind::TooManyEntries,
                });
            }
            let wildcard_free = raw.strip_prefix("*.").unwrap_or(raw);
            if wildcard_free.contains('*') {
                list.skipped.push(SkippedEntry {
                    line,
                    raw: raw.to_owned(),
                    reason: "obfuscated",
                });
                continue;
            }
            let domain = normalize_domain(wildcard_free)
                .filter(|d| is_plain_domain(d))
                .ok_or_else(|| BlocklistError {
                    line,
                    kind: BlocklistErrorKind::InvalidDomain(raw.to_owned()),
                })?;
            let severity = match cell(columns.severity) {
                None | Some("") => default_severity,
                Some(s) => s.parse().map_err(|()| BlocklistError {
                    line,
                    kind: BlocklistErrorKind::InvalidSeverity(s.to_owned()),
                })?,
            };
            let boolean = |column: &str, i: Option<usize>| -> Result<bool, BlocklistError> {
                match cell(i).map(str::to_ascii_lowercase).as_deref() {
                    None | Some("") | Some("false") => Ok(false),
                    Some("true") => Ok(true),
                    Some(other) => Err(BlocklistError {
                        line,
                        kind: BlocklistErrorKind::InvalidBoolean {
                            column: column.to_owned(),
                            value: other.to_owned(),
                        },
                    }),
                }
            };
            list.entries.push(BlockEntry {
                line,
                domain,
                severity,
                reject_media: boolean("reject_media", columns.reject_media)?,
                reject_reports: boolean("reject_reports", columns.reject_reports)?,
                public_comment: cell(columns.public_comment)
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned),
            });
        }
        Ok(list)
    }

    /// The layout recognised.
    pub fn format(&self) -> BlocklistFormat {
        self.format
    }

    /// The rules, in file order.
    pub fn entries(&self) -> &[BlockEntry] {
        &self.entries
    }

    /// Rows read but not enforced (obfuscated domains).
    pub fn skipped(&self) -> &[SkippedEntry] {
        &self.skipped
    }

    /// Add every rule to `policy` (a domain listed twice keeps its most severe rule).
    pub fn apply_to(&self, policy: &mut DomainBlockPolicy) {
        for entry in &self.entries {
            policy.insert(&entry.domain, entry.severity);
        }
    }
}

/// A domain name (not an IP literal), after normalisation.
fn is_plain_domain(d: &str) -> bool {
    !d.starts_with('[')
        && d.parse::<std::net::Ipv4Addr>().is_err()
        && d.split('.')
            .all(|label| !label.is_empty() && label.len() <= 63)
        && d.len() <= 253
}
