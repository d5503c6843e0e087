//! Raw HTTP/1.1 requests from a file or stdin: size limits first, then `http-signatures`'
//! strict reader (`wire`), then the body per `Content-Length`.

use crate::input::read_limited;
use crate::output::{CliError, EXIT_USAGE, http_sig_error};

/// The most a request head (request line and fields) may take; the `wire` reader's own cap.
pub const MAX_HEAD: usize = http_signatures::wire::MAX_HEAD;
/// Default body limit (the verifier's default `max_body`).
pub const DEFAULT_MAX_BODY: usize = 1024 * 1024;

/// A request read from bytes.
pub struct RawRequest {
    /// The whole input.
    pub raw: Vec<u8>,
    /// Where the head ends (the index of the first body byte, after the empty line).
    pub head_end: usize,
    /// Length of the body used (from `Content-Length`, else everything after the head).
    pub body_len: usize,
    /// `\r\n` when the head used CRLF line endings, else `\n`.
    pub line_ending: &'static str,
    /// The parsed request line and fields.
    pub parts: http::request::Parts,
}

impl RawRequest {
    /// The body bytes.
    pub fn body(&self) -> &[u8] {
        self.raw
            .get(self.head_end..self.head_end + self.body_len)
            .unwrap_or(&[])
    }

    /// The head bytes without the final empty line: the request line and the field lines, each
    /// with its line ending (the last one may lack it when the input had no empty line).
    pub fn head_lines(&self) -> &[u8] {
        let head = self.raw.get(..self.head_end).unwrap_or(&[]);
        if self.head_end == self.raw.len() && !head.ends_with(b"\n\n") && !head.ends_with(b"\n\r\n")
        {
            // No empty line in the input: the whole input is the head.
            return head;
        }
        let head = head.strip_suffix(b"\n").unwrap_or(head);
        head.strip_suffix(b"\r").unwrap_or(head)
    }
}

/// Finds the end of the head: the index just after the first empty line, if any.
fn find_head_end(raw: &[u8]) -> Option<usize> {
    let mut line_start = 0;
    for (i, &b) in raw.iter().enumerate() {
        if b == b'\n' {
            let line = &raw[line_start..i];
            if line.is_empty() || line == b"\r" {
                return Some(i + 1);
            }
            line_start = i + 1;
        }
    }
    None
}

/// Reads and parses a raw request. The input may hold at most `max_head + max_body` bytes
/// (larger inputs are refused before parsing, exit 2); the head at most `max_head`.
pub fn read_request(path: &str, max_head: usize, max_body: usize) -> Result<RawRequest, CliError> {
    let max_head = max_head.min(MAX_HEAD);
    let raw = read_limited(path, max_head.saturating_add(max_body))?;
    parse(raw, max_head)
}

/// Parses a raw request held in memory.
pub fn parse(raw: Vec<u8>, max_head: usize) -> Result<RawRequest, CliError> {
    if raw.is_empty() {
        return Err(CliError::usage(
            "malformed_header",
            "empty input: expected a raw HTTP/1.1 request",
            Some("request-line"),
        ));
    }
    let head_end = find_head_end(&raw).unwrap_or(raw.len());
    if head_end > max_head {
        return Err(CliError::usage(
            "limit_exceeded",
            format!("request head longer than {max_head} bytes (or no empty line ends it)"),
            Some("head"),
        ));
    }
    let line_ending = if raw
        .iter()
        .position(|&b| b == b'\n')
        .and_then(|i| i.checked_sub(1))
        .and_then(|i| raw.get(i))
        == Some(&b'\r')
    {
        "\r\n"
    } else {
        "\n"
    };
    let (parts, body) = http_signatures::wire::parse_request(&raw)
        .map_err(|e| http_sig_error(&e).with_code(EXIT_USAGE))?;
    let available = body.len();
    let body_len = content_length(&parts)?.map_or(Ok(available), |n| {
        if n > available {
            Err(CliError::usage(
                "malformed_header",
                format!("Content-Length is {n} but only {available} body bytes follow"),
                Some("content-length"),
            ))
        } else {
            Ok(n)
        }
    })?;
    if parts.headers.contains_key("transfer-encoding") {
        return Err(CliError::usage(
            "malformed_header",
            "Transfer-Encoding is not supported: give the decoded body with Content-Length",
            Some("transfer-encoding"),
        ));
    }
    Ok(RawRequest {
        head_end,
        body_len,
        line_ending,
        parts,
        raw,
    })
}

/// `Content-Length`, when present (RFC 9110 §8.6: one non-negative decimal; repeated equal
/// values are tolerated, differing ones are an error).
fn content_length(parts: &http::request::Parts) -> Result<Option<usize>, CliError> {
    let mut found: Option<usize> = None;
    for v in parts.headers.get_all("content-length") {
        let n = v
            .to_str()
            .ok()
            .map(str::trim)
            .filter(|s| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()))
            .and_then(|s| s.parse::<usize>().ok())
            .ok_or_else(|| {
                CliError::usage(
                    "malformed_header",
                    "Content-Length is not a non-negative decimal number",
                    Some("content-length"),
                )
            })?;
        if found.is_some_and(|f| f != n) {
            return Err(CliError::usage(
                "malformed_header",
                "differing Content-Length values",
                Some("content-length"),
            ));
        }
        found = Some(n);
    }
    Ok(found)
}
