//! Shared by `tests/hostile.rs` and `tests/interop.rs`: a small raw HTTP/1.1 request reader
//! and helpers for the committed corpora under `testdata/`.
//!
//! The reader is deliberately strict and small: request line `METHOD target HTTP/1.1`, CRLF
//! field lines `name: value` (value trimmed of OWS, repeated lines kept in order), one empty
//! line, then the body bytes verbatim. It builds an `http::Request<Vec<u8>>` whose URI is
//! absolute (`scheme://host/target`), as a server behind a TLS terminator would reconstruct it.

#![allow(dead_code)]

use std::path::PathBuf;

/// `CARGO_MANIFEST_DIR/testdata/...`
pub fn testdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(rel)
}

/// Parses a raw HTTP/1.1 request. Errors are strings: the corpora are ours, a parse failure
/// is a broken corpus, not a verdict.
pub fn parse_raw(raw: &[u8], scheme: &str) -> Result<http::Request<Vec<u8>>, String> {
    let split = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or("no CRLFCRLF after the header section")?;
    let head = &raw[..split];
    let body = raw[split + 4..].to_vec();
    let mut lines = head
        .split(|&b| b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l));
    let request_line = lines.next().ok_or("empty request")?;
    let request_line = std::str::from_utf8(request_line).map_err(|e| e.to_string())?;
    let mut parts = request_line.split(' ');
    let (Some(method), Some(target), Some("HTTP/1.1"), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(format!("bad request line {request_line:?}"));
    };
    let mut fields: Vec<(http::HeaderName, http::HeaderValue)> = Vec::new();
    for line in lines {
        let colon = line.iter().position(|&b| b == b':').ok_or_else(|| {
            format!(
                "field line without colon: {:?}",
                String::from_utf8_lossy(line)
            )
        })?;
        let name = http::HeaderName::from_bytes(&line[..colon]).map_err(|e| e.to_string())?;
        let value = trim(&line[colon + 1..]);
        let value = http::HeaderValue::from_bytes(value).map_err(|e| e.to_string())?;
        fields.push((name, value));
    }
    let host = fields
        .iter()
        .find(|(n, _)| n == http::header::HOST)
        .map(|(_, v)| v.to_str().map_err(|e| e.to_string()))
        .transpose()?;
    let uri = match host {
        Some(h) => format!("{scheme}://{h}{target}"),
        None => target.to_owned(),
    };
    let mut builder = http::Request::builder().method(method).uri(uri);
    for (n, v) in fields {
        builder = builder.header(n, v);
    }
    builder.body(body).map_err(|e| e.to_string())
}

fn trim(v: &[u8]) -> &[u8] {
    let start = v
        .iter()
        .position(|&b| b != b' ' && b != b'\t')
        .unwrap_or(v.len());
    let end = v
        .iter()
        .rposition(|&b| b != b' ' && b != b'\t')
        .map_or(start, |p| p + 1);
    &v[start..end]
}

/// Writes a request back as raw HTTP/1.1 (origin-form target, CRLF), the inverse of
/// [`parse_raw`] for what our signer produces.
pub fn to_raw(req: &http::Request<Vec<u8>>) -> Vec<u8> {
    let target = req
        .uri()
        .path_and_query()
        .map_or("/", |pq| pq.as_str())
        .to_owned();
    let mut out = format!("{} {} HTTP/1.1\r\n", req.method(), target).into_bytes();
    for (n, v) in req.headers() {
        out.extend_from_slice(n.as_str().as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(v.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(b"\r\n");
    out.extend_from_slice(req.body());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_round_trips_and_keeps_repeated_lines() {
        let raw =
            b"POST /a?b=c HTTP/1.1\r\nHost: x.example\r\nAccept: a\r\nAccept:  b \r\n\r\nbody";
        let req = parse_raw(raw, "https").unwrap();
        assert_eq!(req.uri().to_string(), "https://x.example/a?b=c");
        let accepts: Vec<_> = req.headers().get_all("accept").iter().collect();
        assert_eq!(accepts, ["a", "b"]);
        assert_eq!(req.body(), b"body");
        let again = parse_raw(&to_raw(&req), "https").unwrap();
        assert_eq!(again.uri(), req.uri());
        assert_eq!(again.body(), req.body());
        assert!(parse_raw(b"GET / HTTP/1.0\r\n\r\n", "https").is_err());
        assert!(parse_raw(b"GET / HTTP/1.1\r\nbad\r\n\r\n", "https").is_err());
    }
}
