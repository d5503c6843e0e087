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
//! that (`*.example.com` ⇒ `example.com`).
//! * **Mastodon's public API** (`GET /api/v1/instance/domain_blocks`): a JSON array of
//!   `{"domain", "digest", "severity", "comment"}` objects (other members ignored).
//!
//! **Obfuscated rows.** Servers that hide a blocked domain publish it with characters replaced
//! by `*` (`ex**ple.com`) and, beside it, its `digest`: the SHA-256 of the real domain in
//! lower-case hex (Mastodon: `DomainBlock#domain_digest` is
//! `Digest::SHA256.hexdigest(domain)`, serialised as `digest` by `REST::DomainBlockSerializer`;
//! a CSV may carry it in a `digest` / `#digest` column). Such a row is **enforced by digest**
//! ([`Blocklist::obfuscated`], [`DomainBlockPolicy::insert_digest`]): the arriving host and
//! each of its parent domains are hashed and compared, so the domain and its subdomains are
//! blocked while a look-alike that fits the pattern is not. An obfuscated row without a digest
//! cannot be enforced: it is **skipped and reported** in [`Blocklist::skipped`] with its line,
//! never guessed. A digest that is not 64 hex digits, or that is not the SHA-256 of the plain
//! domain beside it, is an error naming the line, as is any other malformed row — a broken
//! quote, a value that is not a domain, an unknown severity, a boolean that is not one.

use std::fmt;

use serde::Deserialize;

use crate::moderation::csv::{CsvProblem, Records};
use crate::policy::{DomainBlockPolicy, DomainSeverity, domain_digest, normalize_domain};

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
    /// The JSON of Mastodon's `GET /api/v1/instance/domain_blocks`.
    MastodonApi,
}

impl BlocklistFormat {
    /// `mastodon_export`, `header_csv`, `plain_list` or `mastodon_api`.
    pub fn as_str(self) -> &'static str {
        match self {
            BlocklistFormat::MastodonExport => "mastodon_export",
            BlocklistFormat::HeaderCsv => "header_csv",
            BlocklistFormat::PlainList => "plain_list",
            BlocklistFormat::MastodonApi => "mastodon_api",
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

/// An obfuscated row enforced by the digest of the real domain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DigestEntry {
    /// The 1-based line the row starts on.
    pub line: usize,
    /// The domain as the list shows it (`ex**ple.com`, lower case).
    pub shown_as: String,
    /// The SHA-256 of the real (normalised) domain.
    pub digest: [u8; 32],
    /// What the rule does to migrations.
    pub severity: DomainSeverity,
    /// `public_comment` (or the API's `comment`), when present and not empty.
    pub public_comment: Option<String>,
}

/// A row that was read but not turned into a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedEntry {
    /// The 1-based line.
    pub line: usize,
    /// The domain cell as written.
    pub raw: String,
    /// Why, a stable code: `obfuscated_without_digest` (a `*` other than a leading `*.`, and
    /// no digest to enforce it by).
    pub reason: &'static str,
}

/// A parsed blocklist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocklist {
    format: BlocklistFormat,
    entries: Vec<BlockEntry>,
    obfuscated: Vec<DigestEntry>,
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
    /// The `digest` cell is not a SHA-256 in hex (64 hex digits).
    InvalidDigest(String),
    /// The `digest` of a plain (not obfuscated) domain is not its SHA-256.
    DigestMismatch(String),
    /// The text starts like a JSON array but is not the API's JSON.
    InvalidJson(String),
}

impl BlocklistError {
    /// Stable snake_case code: `csv_syntax`, `missing_domain_column`, `invalid_domain`,
    /// `invalid_severity`, `invalid_boolean`, `too_many_entries`, `too_large`,
    /// `invalid_digest`, `digest_mismatch`, `invalid_json`.
    pub fn kind(&self) -> &'static str {
        match &self.kind {
            BlocklistErrorKind::Csv(_) => "csv_syntax",
            BlocklistErrorKind::MissingDomainColumn => "missing_domain_column",
            BlocklistErrorKind::InvalidDomain(_) => "invalid_domain",
            BlocklistErrorKind::InvalidSeverity(_) => "invalid_severity",
            BlocklistErrorKind::InvalidBoolean { .. } => "invalid_boolean",
            BlocklistErrorKind::TooManyEntries => "too_many_entries",
            BlocklistErrorKind::TooLarge => "too_large",
            BlocklistErrorKind::InvalidDigest(_) => "invalid_digest",
            BlocklistErrorKind::DigestMismatch(_) => "digest_mismatch",
            BlocklistErrorKind::InvalidJson(_) => "invalid_json",
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
            BlocklistErrorKind::InvalidDigest(d) => {
                write!(f, "digest {d:?} is not a SHA-256 in hex (64 hex digits)")
            }
            BlocklistErrorKind::DigestMismatch(d) => {
                write!(f, "the digest given is not the SHA-256 of {d:?}")
            }
            BlocklistErrorKind::InvalidJson(m) => write!(f, "not the domain_blocks API JSON: {m}"),
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
    digest: Option<usize>,
}

/// One element of `GET /api/v1/instance/domain_blocks`.
#[derive(Deserialize)]
struct ApiRow {
    domain: String,
    #[serde(default)]
    digest: Option<String>,
    #[serde(default)]
    severity: Option<String>,
    #[serde(default)]
    comment: Option<String>,
}

/// One row, whatever the format, before it becomes a rule.
struct Row<'a> {
    line: usize,
    domain: &'a str,
    digest: Option<&'a str>,
    severity: DomainSeverity,
    reject_media: bool,
    reject_reports: bool,
    public_comment: Option<&'a str>,
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
        if text
            .trim_start_matches('\u{feff}')
            .trim_start()
            .starts_with('[')
        {
            return Blocklist::parse_api_json(text, default_severity);
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
                    digest: find("digest"),
                };
                records.next();
            } else {
                columns.severity = Some(1);
            }
        }
        let mut list = Blocklist {
            format,
            entries: Vec::new(),
            obfuscated: Vec::new(),
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
            list.add(Row {
                line,
                domain: raw,
                digest: cell(columns.digest).filter(|d| !d.is_empty()),
                severity,
                reject_media: boolean("reject_media", columns.reject_media)?,
                reject_reports: boolean("reject_reports", columns.reject_reports)?,
                public_comment: cell(columns.public_comment),
            })?;
        }
        Ok(list)
    }

    /// The JSON of `GET /api/v1/instance/domain_blocks`; errors name the line the element
    /// starts on (or serde's line for broken JSON).
    fn parse_api_json(
        text: &str,
        default_severity: DomainSeverity,
    ) -> Result<Blocklist, BlocklistError> {
        let text = text.trim_start_matches('\u{feff}');
        let rows: Vec<ApiRow> = serde_json::from_str(text).map_err(|e| BlocklistError {
            line: e.line(),
            kind: BlocklistErrorKind::InvalidJson(e.to_string()),
        })?;
        let lines = element_lines(text);
        let mut list = Blocklist {
            format: BlocklistFormat::MastodonApi,
            entries: Vec::new(),
            obfuscated: Vec::new(),
            skipped: Vec::new(),
        };
        for (i, row) in rows.iter().enumerate() {
            let line = lines.get(i).copied().unwrap_or(0);
            let severity = match row.severity.as_deref().map(str::trim) {
                None | Some("") => default_severity,
                Some(s) => s.parse().map_err(|()| BlocklistError {
                    line,
                    kind: BlocklistErrorKind::InvalidSeverity(s.to_owned()),
                })?,
            };
            list.add(Row {
                line,
                domain: row.domain.trim(),
                digest: row
                    .digest
                    .as_deref()
                    .map(str::trim)
                    .filter(|d| !d.is_empty()),
                severity,
                reject_media: false,
                reject_reports: false,
                public_comment: row.comment.as_deref().map(str::trim),
            })?;
        }
        Ok(list)
    }

    /// Turns one row into a rule: a named domain, an obfuscated one enforced by its digest, or
    /// (obfuscated without a digest) a skipped entry.
    fn add(&mut self, row: Row<'_>) -> Result<(), BlocklistError> {
        let line = row.line;
        let err = |kind| BlocklistError { line, kind };
        if self.entries.len() + self.obfuscated.len() + self.skipped.len() >= MAX_BLOCKLIST_ENTRIES
        {
            return Err(err(BlocklistErrorKind::TooManyEntries));
        }
        let digest = match row.digest {
            None => None,
            Some(d) => Some(
                parse_hex_digest(d)
                    .ok_or_else(|| err(BlocklistErrorKind::InvalidDigest(clip(d))))?,
            ),
        };
        let public_comment = row
            .public_comment
            .filter(|c| !c.is_empty())
            .map(str::to_owned);
        let wildcard_free = row.domain.strip_prefix("*.").unwrap_or(row.domain);
        if wildcard_free.contains('*') {
            if !is_obfuscated_pattern(wildcard_free) {
                return Err(err(BlocklistErrorKind::InvalidDomain(clip(row.domain))));
            }
            match digest {
                Some(digest) => self.obfuscated.push(DigestEntry {
                    line,
                    shown_as: wildcard_free.to_ascii_lowercase(),
                    digest,
                    severity: row.severity,
                    public_comment,
                }),
                None => self.skipped.push(SkippedEntry {
                    line,
                    raw: clip(row.domain),
                    reason: "obfuscated_without_digest",
                }),
            }
            return Ok(());
        }
        let domain = normalize_domain(wildcard_free)
            .filter(|d| is_plain_domain(d))
            .ok_or_else(|| err(BlocklistErrorKind::InvalidDomain(clip(row.domain))))?;
        if digest.is_some_and(|d| d != domain_digest(&domain)) {
            return Err(err(BlocklistErrorKind::DigestMismatch(domain)));
        }
        self.entries.push(BlockEntry {
            line,
            domain,
            severity: row.severity,
            reject_media: row.reject_media,
            reject_reports: row.reject_reports,
            public_comment,
        });
        Ok(())
    }

    /// The layout recognised.
    pub fn format(&self) -> BlocklistFormat {
        self.format
    }

    /// The rules, in file order.
    pub fn entries(&self) -> &[BlockEntry] {
        &self.entries
    }

    /// Obfuscated rows enforced by digest, in file order.
    pub fn obfuscated(&self) -> &[DigestEntry] {
        &self.obfuscated
    }

    /// Rows read but not enforced (obfuscated domains without a digest).
    pub fn skipped(&self) -> &[SkippedEntry] {
        &self.skipped
    }

    /// Add every rule to `policy`, named and by digest (a domain listed twice keeps its most
    /// severe rule).
    pub fn apply_to(&self, policy: &mut DomainBlockPolicy) {
        for entry in &self.entries {
            policy.insert(&entry.domain, entry.severity);
        }
        for entry in &self.obfuscated {
            policy.insert_digest(entry.digest, &entry.shown_as, entry.severity);
        }
    }
}

/// At most 256 characters of a cell, for error messages.
fn clip(s: &str) -> String {
    s.chars().take(256).collect()
}

/// 64 hex digits (either case) as 32 bytes.
fn parse_hex_digest(s: &str) -> Option<[u8; 32]> {
    let bytes = s.as_bytes();
    if bytes.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (byte, pair) in out.iter_mut().zip(bytes.chunks_exact(2)) {
        let hi = char::from(*pair.first()?).to_digit(16)?;
        let lo = char::from(*pair.get(1)?).to_digit(16)?;
        *byte = u8::try_from(hi * 16 + lo).ok()?;
    }
    Some(out)
}

/// An obfuscated domain as servers publish it: ASCII letters, digits, `-`, `_`, `.` and `*`,
/// at most 253 bytes, labels not empty.
fn is_obfuscated_pattern(p: &str) -> bool {
    p.len() <= 253
        && p.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'*'))
        && p.split('.').all(|label| !label.is_empty())
}

/// The 1-based line on which each element of the top-level JSON array in `text` starts (the
/// text already parsed as an array, so strings and nesting are well formed).
fn element_lines(text: &str) -> Vec<usize> {
    let mut lines = Vec::new();
    let (mut line, mut depth) = (1usize, 0usize);
    let (mut in_string, mut escaped, mut expecting) = (false, false, false);
    for b in text.bytes() {
        if b == b'\n' {
            line += 1;
        }
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        if depth == 1 && expecting && !b.is_ascii_whitespace() && b != b']' {
            lines.push(line);
            expecting = false;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth == 1 {
                    expecting = true;
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b',' if depth == 1 => expecting = true,
            _ => {}
        }
    }
    lines
}

/// A domain name (not an IP literal), after normalisation.
fn is_plain_domain(d: &str) -> bool {
    !d.starts_with('[')
        && d.parse::<std::net::Ipv4Addr>().is_err()
        && d.split('.')
            .all(|label| !label.is_empty() && label.len() <= 63)
        && d.len() <= 253
}
