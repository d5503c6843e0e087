//! Errors of the policy file, with the line and column they are about.

use std::fmt;

use crate::moderation::blocklist::BlocklistError;

/// A 1-based line and column (in characters) in the policy file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

impl Position {
    /// The position of byte `offset` in `text` (clamped to the text; a split character counts
    /// from its start).
    pub fn of_offset(text: &str, offset: usize) -> Position {
        let mut end = offset.min(text.len());
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let before = text.get(..end).unwrap_or_default();
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before.get(line_start..).unwrap_or_default().chars().count() + 1;
        Position { line, column }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}, column {}", self.line, self.column)
    }
}

/// What is wrong with a policy file.
///
/// `kind()` is a stable snake_case code; `at()` says where (`line L, column C` in the policy
/// file, or for a blocklist it names `PATH: line N`). Every error names a position in the policy
/// file ([`PolicyFileError::position`]); errors inside a blocklist also carry its path and line
/// ([`PolicyFileError::list`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyFileError {
    kind: &'static str,
    message: String,
    position: Position,
    list: Option<(String, usize)>,
}

impl PolicyFileError {
    pub(crate) fn new(kind: &'static str, message: impl Into<String>, position: Position) -> Self {
        PolicyFileError {
            kind,
            message: message.into(),
            position,
            list: None,
        }
    }

    pub(crate) fn in_list(path: &str, error: &BlocklistError, position: Position) -> Self {
        PolicyFileError {
            kind: error.kind(),
            message: format!("blocklist {path:?}, {error}"),
            position,
            list: Some((path.to_owned(), error.line)),
        }
    }

    /// Stable snake_case code: `toml_syntax`, `unknown_key`, `missing_key`, `invalid_value`,
    /// `unsupported_version`, `invalid_duration`, `invalid_domain`, `duplicate_rule`,
    /// `too_large`, `too_many_rules`, `list_not_loaded`, `list_io`, a
    /// [`KeywordRuleError`](super::KeywordRuleError) kind for a bad rule, or a
    /// [`BlocklistError`] kind for a bad blocklist.
    pub fn kind(&self) -> &'static str {
        self.kind
    }

    /// Human-readable message.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Where in the policy file (for a blocklist error: its `path` entry).
    pub fn position(&self) -> Position {
        self.position
    }

    /// The line of the policy file.
    pub fn line(&self) -> usize {
        self.position.line
    }

    /// The column of the policy file.
    pub fn column(&self) -> usize {
        self.position.column
    }

    /// For an error inside a blocklist: its path as written and the 1-based line.
    pub fn list(&self) -> Option<(&str, usize)> {
        self.list.as_ref().map(|(p, l)| (p.as_str(), *l))
    }

    /// `line L, column C`, or `PATH: line N` for an error inside a blocklist.
    pub fn at(&self) -> String {
        match &self.list {
            Some((path, line)) => format!("{path}: line {line}"),
            None => self.position.to_string(),
        }
    }
}

impl fmt::Display for PolicyFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} ({})", self.position, self.message, self.kind)
    }
}

impl std::error::Error for PolicyFileError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions() {
        let text = "ab\ncé\nx";
        for (offset, line, column) in [
            (0, 1, 1),
            (3, 2, 1),
            // Inside the two-byte é: its start.
            (5, 2, 2),
            (7, 3, 1),
            (99, 3, 2),
        ] {
            assert_eq!(
                Position::of_offset(text, offset),
                Position { line, column },
                "offset {offset}"
            );
        }
    }
}
