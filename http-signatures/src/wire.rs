//! A small, strict reader for raw HTTP/1.x messages (as in test vectors and the CLI): request
//! or status line, field lines (LF or CRLF; obs-fold continuation lines joined with one SP;
//! repeated fields kept in order), an empty line, then the body bytes.

use crate::error::{Error, Result};

/// Maximum size of the head (start line + fields) accepted by this reader.
pub const MAX_HEAD: usize = 64 * 1024;

struct Head<'a> {
    start: &'a [u8],
    fields: Vec<(Vec<u8>, Vec<u8>)>,
    body: &'a [u8],
}

fn split_head(raw: &[u8]) -> Result<Head<'_>> {
    let mut lines: Vec<&[u8]> = Vec::new();
    let mut pos = 0;
    let mut body: &[u8] = &[];
    loop {
        if pos >= raw.len() {
            break;
        }
        let end = raw[pos..].iter().position(|&b| b == b'\n').map(|p| pos + p);
        let (line, next) = match end {
            Some(e) => (&raw[pos..e], e + 1),
            None => (&raw[pos..], raw.len()),
        };
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if next > MAX_HEAD {
            return Err(Error::limit("head", MAX_HEAD));
        }
        pos = next;
        if line.is_empty() {
            body = &raw[pos..];
            break;
        }
        lines.push(line);
    }
    let Some((&start, rest)) = lines.split_first() else {
        return Err(Error::malformed("start-line", "empty message"));
    };
    let mut fields: Vec<(Vec<u8>, Vec<u8>)> = Vec::new();
    for line in rest {
        if line[0] == b' ' || line[0] == b'\t' {
            let Some(last) = fields.last_mut() else {
                return Err(Error::malformed(
                    "field",
                    "continuation line before any field",
                ));
            };
            // obs-fold: replace the fold with a single SP.
            while last.1.last().is_some_and(|&c| c == b' ' || c == b'\t') {
                last.1.pop();
            }
            last.1.push(b' ');
            last.1.extend_from_slice(crate::message::trim_ows(line));
            continue;
        }
        let colon = line
            .iter()
            .position(|&b| b == b':')
            .ok_or_else(|| Error::malformed("field", "field line without `:`"))?;
        let name = &line[..colon];
        let value = crate::message::trim_ows(&line[colon + 1..]);
        fields.push((name.to_vec(), value.to_vec()));
    }
    Ok(Head {
        start,
        fields,
        body,
    })
}

fn fill_headers(map: &mut http::HeaderMap, fields: Vec<(Vec<u8>, Vec<u8>)>) -> Result<()> {
    for (n, v) in fields {
        let name = http::HeaderName::from_bytes(&n)
            .map_err(|_| Error::malformed("field", "invalid field name"))?;
        let value = http::HeaderValue::from_bytes(&v)
            .map_err(|_| Error::malformed(name.as_str().to_owned(), "invalid field value"))?;
        map.append(name, value);
    }
    Ok(())
}

/// Parses a raw request (`METHOD target [HTTP/1.x]`). Returns the parts and the body bytes.
pub fn parse_request(raw: &[u8]) -> Result<(http::request::Parts, &[u8])> {
    let head = split_head(raw)?;
    let start = std::str::from_utf8(head.start)
        .map_err(|_| Error::malformed("request-line", "not UTF-8"))?;
    let mut it = start.split(' ');
    let method = it.next().unwrap_or("");
    let target = it
        .next()
        .ok_or_else(|| Error::malformed("request-line", "no request target"))?;
    let version = match it.next() {
        None | Some("HTTP/1.1") => http::Version::HTTP_11,
        Some("HTTP/1.0") => http::Version::HTTP_10,
        Some("HTTP/2") | Some("HTTP/2.0") => http::Version::HTTP_2,
        Some(_) => return Err(Error::malformed("request-line", "unknown HTTP version")),
    };
    if it.next().is_some() {
        return Err(Error::malformed("request-line", "extra text"));
    }
    let method = http::Method::from_bytes(method.as_bytes())
        .map_err(|_| Error::malformed("request-line", "invalid method"))?;
    let uri: http::Uri = target
        .parse()
        .map_err(|_| Error::malformed("request-line", "invalid request target"))?;
    let (mut parts, ()) = http::Request::new(()).into_parts();
    parts.method = method;
    parts.uri = uri;
    parts.version = version;
    fill_headers(&mut parts.headers, head.fields)?;
    Ok((parts, head.body))
}

/// Parses a raw response (`HTTP/1.x status reason`). Returns the parts and the body bytes.
pub fn parse_response(raw: &[u8]) -> Result<(http::response::Parts, &[u8])> {
    let head = split_head(raw)?;
    let start = std::str::from_utf8(head.start)
        .map_err(|_| Error::malformed("status-line", "not UTF-8"))?;
    let mut it = start.splitn(3, ' ');
    let version = match it.next() {
        Some("HTTP/1.1") => http::Version::HTTP_11,
        Some("HTTP/1.0") => http::Version::HTTP_10,
        Some("HTTP/2") => http::Version::HTTP_2,
        _ => return Err(Error::malformed("status-line", "unknown HTTP version")),
    };
    let status = it
        .next()
        .and_then(|s| http::StatusCode::from_bytes(s.as_bytes()).ok())
        .ok_or_else(|| Error::malformed("status-line", "invalid status"))?;
    let (mut parts, ()) = http::Response::new(()).into_parts();
    parts.status = status;
    parts.version = version;
    fill_headers(&mut parts.headers, head.fields)?;
    Ok((parts, head.body))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_requests_with_folds_and_repeats() {
        let raw = b"GET /foo?x=1 HTTP/1.1\r\nHost: example.org\r\nX-Example: Example header\r\n    with some whitespace.\r\nCache-Control: a\r\nCache-Control: b\r\n\r\nbody";
        let (p, body) = parse_request(raw).unwrap();
        assert_eq!(p.method, http::Method::GET);
        assert_eq!(p.uri.path(), "/foo");
        assert_eq!(
            p.headers["x-example"],
            "Example header with some whitespace."
        );
        assert_eq!(p.headers.get_all("cache-control").iter().count(), 2);
        assert_eq!(body, b"body");
    }

    #[test]
    fn reads_responses() {
        let (p, body) = parse_response(b"HTTP/1.1 503 Service Unavailable\nA: b\n\nxyz").unwrap();
        assert_eq!(p.status.as_u16(), 503);
        assert_eq!(body, b"xyz");
    }

    #[test]
    fn rejects_garbage() {
        for raw in [
            &b""[..],
            b"\n\n",
            b"GET",
            b"GET / HTTP/9\n",
            b"GET / HTTP/1.1\n bad\n",
            b"GET / HTTP/1.1\nnocolon\n",
        ] {
            assert!(parse_request(raw).is_err());
        }
    }
}
