//! A small RFC 4180 record reader that remembers the line each record starts on (blocklist
//! errors name the line). Quoted fields may hold commas, doubled quotes and line breaks; CRLF
//! and LF line endings are both accepted.
//!
//! (The follower-list reader's splitter works on one line at a time; blocklists need records
//! that span lines, since Mastodon exports keep line breaks of `public_comment` inside quotes.)

/// Most fields in one record.
pub(crate) const MAX_FIELDS: usize = 64;
/// Longest field (bytes).
pub(crate) const MAX_FIELD: usize = 64 * 1024;

/// One record and the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Record {
    pub line: usize,
    pub fields: Vec<String>,
}

/// Why a record could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum CsvProblem {
    /// A quote opened and never closed (the line it opened on).
    UnterminatedQuote,
    /// Text after a closing quote (`"a"b`).
    TextAfterQuote,
    /// A quote inside an unquoted field (`a"b`).
    StrayQuote,
    /// More than [`MAX_FIELDS`] fields.
    TooManyFields,
    /// A field longer than [`MAX_FIELD`] bytes.
    FieldTooLong,
}

impl CsvProblem {
    pub(crate) fn message(&self) -> &'static str {
        match self {
            CsvProblem::UnterminatedQuote => "a quoted field is never closed",
            CsvProblem::TextAfterQuote => "text after the closing quote of a field",
            CsvProblem::StrayQuote => "a quote inside an unquoted field",
            CsvProblem::TooManyFields => "too many fields in one row",
            CsvProblem::FieldTooLong => "a field is too long",
        }
    }
}

/// Iterates over the records of `text`. Blank lines are skipped.
pub(crate) struct Records<'a> {
    rest: &'a str,
    line: usize,
}

impl<'a> Records<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        Records {
            rest: text.strip_prefix('\u{feff}').unwrap_or(text),
            line: 1,
        }
    }
}

impl Iterator for Records<'_> {
    type Item = Result<Record, (usize, CsvProblem)>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            // Skip blank lines.
            let trimmed = self.rest.trim_start_matches([' ', '\t', '\r']);
            if let Some(after) = trimmed.strip_prefix('\n') {
                self.rest = after;
                self.line += 1;
                continue;
            }
            if trimmed.is_empty() {
                return None;
            }
            let start_line = self.line;
            return Some(match self.record() {
                Ok(fields) => Ok(Record {
                    line: start_line,
                    fields,
                }),
                Err(problem) => {
                    // Stop after an error: the rest cannot be framed reliably.
                    self.rest = "";
                    Err((start_line, problem))
                }
            });
        }
    }
}

impl Records<'_> {
    fn record(&mut self) -> Result<Vec<String>, CsvProblem> {
        let mut fields = Vec::new();
        let mut field = String::new();
        let mut chars = self.rest.char_indices().peekable();
        let mut quoted = false;
        let mut in_quotes = false;
        let mut after_quote = false;
        let mut consumed = self.rest.len();
        while let Some((i, c)) = chars.next() {
            if in_quotes {
                match c {
                    '"' if chars.peek().map(|(_, n)| *n) == Some('"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => {
                        in_quotes = false;
                        after_quote = true;
                    }
                    '\n' => {
                        self.line += 1;
                        field.push('\n');
                    }
                    c => field.push(c),
                }
            } else {
                match c {
                    ',' => {
                        push_field(&mut fields, &mut field, quoted)?;
                        quoted = false;
                        after_quote = false;
                        continue;
                    }
                    '\n' => {
                        self.line += 1;
                        consumed = i + 1;
                        break;
                    }
                    '\r' if chars.peek().map(|(_, n)| *n) == Some('\n') => continue,
                    '"' if !after_quote && field.trim().is_empty() => {
                        field.clear();
                        quoted = true;
                        in_quotes = true;
                    }
                    '"' => return Err(CsvProblem::StrayQuote),
                    c if after_quote && !c.is_whitespace() => {
                        return Err(CsvProblem::TextAfterQuote);
                    }
                    c if after_quote => {
                        let _ = c;
                    }
                    c => field.push(c),
                }
            }
            if field.len() > MAX_FIELD {
                return Err(CsvProblem::FieldTooLong);
            }
        }
        if in_quotes {
            return Err(CsvProblem::UnterminatedQuote);
        }
        push_field(&mut fields, &mut field, quoted)?;
        self.rest = self.rest.get(consumed..).unwrap_or_default();
        Ok(fields)
    }
}

fn push_field(
    fields: &mut Vec<String>,
    field: &mut String,
    quoted: bool,
) -> Result<(), CsvProblem> {
    if fields.len() >= MAX_FIELDS {
        return Err(CsvProblem::TooManyFields);
    }
    let value = std::mem::take(field);
    fields.push(if quoted {
        value
    } else {
        value.trim().to_owned()
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Vec<Result<Record, (usize, CsvProblem)>> {
        Records::new(text).collect()
    }

    #[test]
    fn quoting_lines_and_blanks() {
        let recs = all("a,b\r\n\n\"x, \"\"y\"\"\nz\",2\nlast,\"\"");
        assert_eq!(
            recs,
            vec![
                Ok(Record {
                    line: 1,
                    fields: vec!["a".into(), "b".into()]
                }),
                Ok(Record {
                    line: 3,
                    fields: vec!["x, \"y\"\nz".into(), "2".into()]
                }),
                Ok(Record {
                    line: 5,
                    fields: vec!["last".into(), "".into()]
                }),
            ]
        );
    }

    #[test]
    fn problems_name_the_line() {
        assert_eq!(
            all("ok\n\"open,1\nmore"),
            vec![
                Ok(Record {
                    line: 1,
                    fields: vec!["ok".into()]
                }),
                Err((2, CsvProblem::UnterminatedQuote))
            ]
        );
        assert_eq!(all("a\"b"), vec![Err((1, CsvProblem::StrayQuote))]);
        assert_eq!(all("\"a\"b"), vec![Err((1, CsvProblem::TextAfterQuote))]);
        assert_eq!(
            all(&",".repeat(MAX_FIELDS + 1)),
            vec![Err((1, CsvProblem::TooManyFields))]
        );
    }
}
