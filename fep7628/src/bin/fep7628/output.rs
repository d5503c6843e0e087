//! The one JSON object a run prints, its exit code, and the error object every subcommand uses.

use std::io::Write as _;

use serde_json::{Value, json};

/// Exit code: the input is valid (verified, no problems, accepted).
pub const EXIT_VALID: u8 = 0;
/// Exit code: the input is well formed but invalid (bad signature, problems, rejected Move).
pub const EXIT_INVALID: u8 = 1;
/// Exit code: usage error, I/O error, or input that is not the expected format at all.
pub const EXIT_USAGE: u8 = 2;

/// What a subcommand produced: the bytes for stdout and the exit code.
#[derive(Debug)]
pub struct Report {
    /// Exit code (0, 1 or 2).
    pub code: u8,
    /// What goes to stdout: a JSON object, or (sign-request) the signed raw request.
    pub body: Body,
}

/// The stdout payload.
#[derive(Debug)]
pub enum Body {
    /// One JSON object, printed on one line.
    Json(Value),
    /// Raw bytes (a signed request, a completion script).
    Raw(Vec<u8>),
}

impl Report {
    /// A JSON report.
    pub fn json(code: u8, value: Value) -> Report {
        Report {
            code,
            body: Body::Json(value),
        }
    }

    /// Exit 0 when `valid`, else 1.
    pub fn verdict(valid: bool, value: Value) -> Report {
        Report::json(if valid { EXIT_VALID } else { EXIT_INVALID }, value)
    }

    /// Writes the payload to stdout. A closed pipe is not an error worth reporting.
    pub fn print(&self) {
        let mut out = std::io::stdout().lock();
        let _ = match &self.body {
            Body::Json(v) => writeln!(out, "{v}"),
            Body::Raw(bytes) => out.write_all(bytes),
        };
        let _ = out.flush();
    }
}

/// An error the tool reports: the library's stable `kind`, a message, and where (`at`: a header
/// name, a JSON Pointer, a command-line argument or a file).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    /// Stable snake_case code (the library's `kind()` where the error comes from a library).
    pub kind: String,
    /// Human-readable message.
    pub message: String,
    /// Where, when known.
    pub at: Option<String>,
    /// Exit code for this error (2 unless the error is a verdict on well-formed input).
    pub code: u8,
}

impl CliError {
    /// A usage or I/O error (exit 2).
    pub fn usage(
        kind: impl Into<String>,
        message: impl Into<String>,
        at: Option<impl Into<String>>,
    ) -> CliError {
        CliError {
            kind: kind.into(),
            message: message.into(),
            at: at.map(Into::into),
            code: EXIT_USAGE,
        }
    }

    /// Same error with another exit code.
    pub fn with_code(mut self, code: u8) -> CliError {
        self.code = code;
        self
    }

    /// The `{"kind", "message", "at"}` object.
    pub fn to_json(&self) -> Value {
        json!({"kind": self.kind, "message": self.message, "at": self.at})
    }

    /// The generic report for this error: `{"valid": false, "error": {…}}`.
    pub fn into_report(self) -> Report {
        Report::json(self.code, json!({"valid": false, "error": self.to_json()}))
    }
}

/// The error object for an `http-signatures` error.
pub fn http_sig_error(e: &http_signatures::Error) -> CliError {
    CliError {
        kind: e.kind().to_owned(),
        message: e.to_string(),
        at: e.at().map(str::to_owned),
        code: EXIT_INVALID,
    }
}

/// The error object for an `activitystreams-move` error. Input that is not a JSON object at all
/// exits 2; every other refusal (context guard, limits, shapes) is a verdict (exit 1).
pub fn as_error(e: &activitystreams_move::Error) -> CliError {
    let code = match e.kind() {
        "invalid_json" | "not_an_object" => EXIT_USAGE,
        _ => EXIT_INVALID,
    };
    CliError {
        kind: e.kind().to_owned(),
        message: e.to_string(),
        at: e.at().map(str::to_owned),
        code,
    }
}

/// The error object for an `identity-links` error.
pub fn identity_error(e: &identity_links::Error) -> CliError {
    let message = e.to_string();
    CliError {
        kind: e.kind().to_owned(),
        at: pointer_in_message(&message),
        message,
        code: EXIT_INVALID,
    }
}

/// `identity-links` errors have no `at()` accessor; their messages print the JSON Pointer as
/// ` at "<pointer>"` (Rust debug quoting). Recover it from there; `None` when absent.
fn pointer_in_message(message: &str) -> Option<String> {
    let rest = &message[message.find(" at \"")? + 5..];
    let mut out = String::new();
    let mut chars = rest.chars();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(out),
            '\\' => out.push(chars.next()?),
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::pointer_in_message;

    #[test]
    fn finds_debug_quoted_pointers() {
        assert_eq!(
            pointer_in_message(r#"malformed proof at "/proof/0": no proofValue"#).as_deref(),
            Some("/proof/0")
        );
        assert_eq!(
            pointer_in_message(r#"no proof at "/a\"b""#).as_deref(),
            Some("/a\"b")
        );
        assert_eq!(pointer_in_message("bad signature"), None);
    }
}
