//! The streaming reader.

use std::io::{BufRead, Read};

use serde::{Deserialize, Serialize};

use super::csv::split_line;
use super::{Account, ListError, ListErrorKind};
use crate::plan::{FollowSettings, MAX_LANGUAGES};

/// Which shapes to accept.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ListFormat {
    /// CSV when there is an `Account address` header or a comma, else one account per line;
    /// handles and actor ids both accepted.
    #[default]
    Auto,
    /// Mastodon CSV, header optional (columns in Mastodon's order when absent).
    MastodonCsv,
    /// One actor id per line; handles are refused.
    PlainIds,
}

/// Limits of one import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListLimits {
    /// Longest line in bytes (longer lines are skipped with an error).
    pub max_line_len: usize,
    /// Most entries (reading stops after).
    pub max_entries: usize,
    /// Most bytes read in total (reading stops after).
    pub max_total_bytes: u64,
}

impl Default for ListLimits {
    fn default() -> Self {
        ListLimits {
            max_line_len: 4096,
            max_entries: 1_000_000,
            max_total_bytes: 256 * 1024 * 1024,
        }
    }
}

/// One account of the list, with the follow settings when the list carries them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    /// 1-based line number.
    pub line: u64,
    /// The account (a handle needs WebFinger first).
    pub account: Account,
    /// Settings from the CSV columns, if the list has any besides the account.
    pub settings: Option<FollowSettings>,
}

#[derive(Clone, Copy, Debug)]
struct Columns {
    account: usize,
    boosts: Option<usize>,
    notify: Option<usize>,
    languages: Option<usize>,
}

/// Mastodon's column order, used for CSV rows without a header.
const MASTODON_ORDER: Columns = Columns {
    account: 0,
    boosts: Some(1),
    notify: Some(2),
    languages: Some(3),
};

/// Most CSV fields looked at per row (Mastodon exports four).
const MAX_FIELDS: usize = 32;

/// Reads a follower list line by line; an iterator of entries and per-line errors.
///
/// Per-line errors do not stop reading; fatal ones ([`ListError::is_fatal`]) end the iteration.
/// Memory use is one line (at most [`ListLimits::max_line_len`] bytes) at a time.
#[derive(Debug)]
pub struct FollowerListReader<R> {
    reader: R,
    format: ListFormat,
    limits: ListLimits,
    line: u64,
    total: u64,
    entries: usize,
    seen_content: bool,
    columns: Option<Columns>,
    buf: Vec<u8>,
    done: bool,
}

impl<R: BufRead> FollowerListReader<R> {
    /// A reader over `reader`.
    pub fn new(reader: R, format: ListFormat, limits: ListLimits) -> Self {
        FollowerListReader {
            reader,
            format,
            limits,
            line: 0,
            total: 0,
            entries: 0,
            seen_content: false,
            columns: None,
            buf: Vec::new(),
            done: false,
        }
    }

    fn fail(&mut self, error: ListErrorKind) -> ListError {
        let e = ListError {
            line: self.line,
            error,
        };
        if e.is_fatal() {
            self.done = true;
        }
        e
    }

    /// Reads the next line into `buf` (without the line break). `Ok(false)` at the end.
    fn read_line(&mut self) -> Result<bool, ListError> {
        self.buf.clear();
        let cap = self.limits.max_line_len.saturating_add(1) as u64;
        let n = (&mut self.reader)
            .take(cap)
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| self.fail(ListErrorKind::Io(e.kind())))?;
        if n == 0 {
            return Ok(false);
        }
        self.line += 1;
        self.add_total(n)?;
        if self.buf.last() == Some(&b'\n') {
            self.buf.pop();
        } else if self.buf.len() > self.limits.max_line_len {
            self.skip_rest_of_line()?;
            return Err(self.fail(ListErrorKind::LineTooLong {
                limit: self.limits.max_line_len,
            }));
        }
        if self.buf.last() == Some(&b'\r') {
            self.buf.pop();
        }
        if self.buf.len() > self.limits.max_line_len {
            return Err(self.fail(ListErrorKind::LineTooLong {
                limit: self.limits.max_line_len,
            }));
        }
        Ok(true)
    }

    fn add_total(&mut self, n: usize) -> Result<(), ListError> {
        self.total = self.total.saturating_add(n as u64);
        if self.total > self.limits.max_total_bytes {
            return Err(self.fail(ListErrorKind::TooLarge {
                limit: self.limits.max_total_bytes,
            }));
        }
        Ok(())
    }

    fn skip_rest_of_line(&mut self) -> Result<(), ListError> {
        loop {
            let chunk = self
                .reader
                .fill_buf()
                .map_err(|e| ListErrorKind::Io(e.kind()));
            let (used, found) = match chunk {
                Err(kind) => return Err(self.fail(kind)),
                Ok([]) => return Ok(()),
                Ok(chunk) => match chunk.iter().position(|&b| b == b'\n') {
                    Some(i) => (i + 1, true),
                    None => (chunk.len(), false),
                },
            };
            self.reader.consume(used);
            self.add_total(used)?;
            if found {
                return Ok(());
            }
        }
    }

    /// Interprets the current line: `Ok(None)` for blank, comment and header lines.
    fn parse_line(&mut self) -> Result<Option<ListEntry>, ListError> {
        let buf = std::mem::take(&mut self.buf);
        let result = self.parse_bytes(&buf);
        self.buf = buf;
        result
    }

    fn parse_bytes(&mut self, bytes: &[u8]) -> Result<Option<ListEntry>, ListError> {
        let text = match std::str::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => return Err(self.fail(ListErrorKind::NotUtf8)),
        };
        let text = if self.line == 1 {
            text.strip_prefix('\u{feff}').unwrap_or(text)
        } else {
            text
        };
        let trimmed = text.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return Ok(None);
        }
        let first = !self.seen_content;
        self.seen_content = true;
        if first && self.format != ListFormat::PlainIds && looks_like_header(trimmed) {
            let header = split_line(trimmed, MAX_FIELDS);
            let columns = header.as_deref().and_then(header_columns);
            return match columns {
                Some(c) => {
                    self.columns = Some(c);
                    Ok(None)
                }
                None => Err(self.fail(ListErrorKind::NoAccountColumn)),
            };
        }
        let csv = self.columns.is_some()
            || self.format == ListFormat::MastodonCsv
            || (self.format == ListFormat::Auto && trimmed.contains(','));
        let line = self.line;
        if !csv {
            let account = Account::parse(trimmed, self.format != ListFormat::PlainIds)
                .ok_or_else(|| self.fail(invalid_account(trimmed)))?;
            return Ok(Some(ListEntry {
                line,
                account,
                settings: None,
            }));
        }
        let columns = self.columns.unwrap_or(MASTODON_ORDER);
        let fields =
            split_line(trimmed, MAX_FIELDS).ok_or_else(|| self.fail(ListErrorKind::BadQuoting))?;
        let field = |i: Option<usize>| i.and_then(|i| fields.get(i)).map(|f| f.trim());
        let raw_account = field(Some(columns.account)).unwrap_or_default();
        let account = Account::parse(raw_account, true)
            .ok_or_else(|| self.fail(invalid_account(raw_account)))?;
        let has_settings = [columns.boosts, columns.notify, columns.languages]
            .iter()
            .any(|c| field(*c).is_some());
        let settings = if has_settings {
            let mut s = FollowSettings::default();
            if let Some(v) = field(columns.boosts) {
                s.show_reblogs = parse_bool(v, "Show boosts")
                    .map_err(|e| self.fail(e))?
                    .unwrap_or(s.show_reblogs);
            }
            if let Some(v) = field(columns.notify) {
                s.notify = parse_bool(v, "Notify on new posts")
                    .map_err(|e| self.fail(e))?
                    .unwrap_or(s.notify);
            }
            if let Some(v) = field(columns.languages) {
                s.languages = parse_languages(v).map_err(|e| self.fail(e))?;
            }
            Some(s)
        } else {
            None
        };
        Ok(Some(ListEntry {
            line,
            account,
            settings,
        }))
    }
}

impl<R: BufRead> Iterator for FollowerListReader<R> {
    type Item = Result<ListEntry, ListError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            match self.read_line() {
                Ok(false) => {
                    self.done = true;
                    return None;
                }
                Ok(true) => {}
                Err(e) => return Some(Err(e)),
            }
            match self.parse_line() {
                Ok(None) => continue,
                Ok(Some(entry)) => {
                    if self.entries >= self.limits.max_entries {
                        return Some(Err(self.fail(ListErrorKind::TooManyEntries {
                            limit: self.limits.max_entries,
                        })));
                    }
                    self.entries += 1;
                    return Some(Ok(entry));
                }
                Err(e) => return Some(Err(e)),
            }
        }
        None
    }
}

fn invalid_account(value: &str) -> ListErrorKind {
    ListErrorKind::InvalidAccount {
        value: value.chars().take(80).collect(),
    }
}

/// Mastodon's column names.
const COLUMN_NAMES: [&str; 4] = [
    "Account address",
    "Show boosts",
    "Notify on new posts",
    "Languages",
];

/// A first line is a header when it starts with `Account address` or names a known column.
fn looks_like_header(line: &str) -> bool {
    line.to_ascii_lowercase().starts_with("account address")
        || split_line(line, MAX_FIELDS).is_some_and(|fields| {
            fields.iter().any(|f| {
                COLUMN_NAMES
                    .iter()
                    .any(|n| f.trim().eq_ignore_ascii_case(n))
            })
        })
}

fn header_columns(header: &[String]) -> Option<Columns> {
    let find = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    Some(Columns {
        account: find("Account address")?,
        boosts: find("Show boosts"),
        notify: find("Notify on new posts"),
        languages: find("Languages"),
    })
}

fn parse_bool(v: &str, column: &'static str) -> Result<Option<bool>, ListErrorKind> {
    match v.to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "true" | "1" | "yes" => Ok(Some(true)),
        "false" | "0" | "no" => Ok(Some(false)),
        _ => Err(ListErrorKind::InvalidBool {
            column,
            value: v.chars().take(80).collect(),
        }),
    }
}

fn parse_languages(v: &str) -> Result<Option<Vec<String>>, ListErrorKind> {
    if v.is_empty() {
        return Ok(None);
    }
    let bad = || ListErrorKind::InvalidLanguages {
        value: v.chars().take(80).collect(),
    };
    let mut out = Vec::new();
    for code in v.split(',').map(str::trim).filter(|c| !c.is_empty()) {
        // BCP 47-ish codes as Mastodon stores them (`en`, `pt-BR`, `zh-Hant`).
        let ok = code.len() <= 16 && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-');
        if !ok || out.len() >= MAX_LANGUAGES {
            return Err(bad());
        }
        out.push(code.to_owned());
    }
    Ok((!out.is_empty()).then_some(out))
}
