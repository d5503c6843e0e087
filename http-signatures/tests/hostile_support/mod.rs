//! Shared by `tests/hostile.rs` and `tests/interop.rs`: helpers for the committed corpora
//! under `testdata/`.
//!
//! Raw requests are read by the crate's own [`http_signatures::wire::parse_request`]; this
//! module only adds what a corpus file implies: the CRLF framing and `HTTP/1.1` the corpora are
//! written with, and an absolute URI (`scheme://host/target`), as a server behind a TLS
//! terminator would reconstruct it.

#![allow(dead_code)]

use std::path::PathBuf;

/// `CARGO_MANIFEST_DIR/testdata/...`
pub fn testdata(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(rel)
}

/// Parses a raw HTTP/1.1 corpus request. Errors are strings: the corpora are ours, a parse
/// failure is a broken corpus, not a verdict.
pub fn parse_raw(raw: &[u8], scheme: &str) -> Result<http::Request<Vec<u8>>, String> {
    if !raw.windows(4).any(|w| w == b"\r\n\r\n") {
        return Err("no CRLFCRLF after the header section".into());
    }
    let request_line = raw.split(|&b| b == b'\n').next().unwrap_or_default();
    if !request_line.ends_with(b" HTTP/1.1\r") {
        return Err(format!(
            "corpus request line must end in HTTP/1.1: {:?}",
            String::from_utf8_lossy(request_line)
        ));
    }
    let (mut parts, body) =
        http_signatures::wire::parse_request(raw).map_err(|e| format!("{}: {e}", e.kind()))?;
    if let Some(host) = parts.headers.get(http::header::HOST) {
        let host = host.to_str().map_err(|e| e.to_string())?;
        let target = parts.uri.path_and_query().map_or("/", |pq| pq.as_str());
        parts.uri = format!("{scheme}://{host}{target}")
            .parse()
            .map_err(|e: http::uri::InvalidUri| e.to_string())?;
    }
    Ok(http::Request::from_parts(parts, body.to_vec()))
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
