//! How the crate reads a message: a few object-safe traits implemented for the `http` 1.x
//! types. Users of another HTTP stack (e.g. `http` 0.2) implement them on a thin wrapper;
//! repeated header instances must be reported in transmission order.

/// Read access to header field values.
pub trait HeaderSource {
    /// Calls `f` with every value of header `name` (given in lower case), in the order the
    /// field lines were received. Repeated lines must each be reported.
    fn for_each_value(&self, name: &str, f: &mut dyn FnMut(&[u8]));

    /// Whether at least one line of `name` is present.
    fn has_header(&self, name: &str) -> bool {
        let mut found = false;
        self.for_each_value(name, &mut |_| found = true);
        found
    }

    /// Borrowed access to the line(s) of `name`, for implementations that can lend them (the
    /// `http` types do). The default returns `None`, and callers fall back to
    /// [`HeaderSource::for_each_value`].
    fn single_ref(&self, name: &str) -> Option<SingleValue<'_>> {
        let _ = name;
        None
    }

    /// The single value of `name`, or `None` if absent or repeated.
    fn single_value(&self, name: &str) -> Option<Vec<u8>> {
        let mut out: Option<Vec<u8>> = None;
        let mut count = 0;
        self.for_each_value(name, &mut |v| {
            count += 1;
            out = Some(v.to_vec());
        });
        if count == 1 { out } else { None }
    }
}

/// What [`HeaderSource::single_ref`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SingleValue<'a> {
    /// No line.
    Absent,
    /// Exactly one line.
    One(&'a [u8]),
    /// Several lines.
    Many,
}

/// Pre-parsed names of the headers the schemes read on every request (skips name parsing).
fn known_header(name: &str) -> Option<&'static http::HeaderName> {
    static SIGNATURE: http::HeaderName = http::HeaderName::from_static("signature");
    static SIGNATURE_INPUT: http::HeaderName = http::HeaderName::from_static("signature-input");
    static DIGEST: http::HeaderName = http::HeaderName::from_static("digest");
    static CONTENT_DIGEST: http::HeaderName = http::HeaderName::from_static("content-digest");
    Some(match name {
        "signature" => &SIGNATURE,
        "signature-input" => &SIGNATURE_INPUT,
        "digest" => &DIGEST,
        "content-digest" => &CONTENT_DIGEST,
        "date" => &http::header::DATE,
        "host" => &http::header::HOST,
        "content-type" => &http::header::CONTENT_TYPE,
        "content-length" => &http::header::CONTENT_LENGTH,
        "authorization" => &http::header::AUTHORIZATION,
        "accept" => &http::header::ACCEPT,
        _ => return None,
    })
}

/// A request as the signature schemes see it.
pub trait RequestLike: HeaderSource {
    /// The method as sent (`POST`).
    fn method(&self) -> &str;
    /// The URI scheme, if the request URI is absolute (client side, HTTP/2).
    fn uri_scheme(&self) -> Option<&str>;
    /// The URI authority, if the request URI carries one (absolute form, HTTP/2 `:authority`).
    fn uri_authority(&self) -> Option<&str>;
    /// The path, not decoded (may be empty for authority-form / absolute URIs without a path).
    fn path(&self) -> &str;
    /// The query without `?`, not decoded.
    fn query(&self) -> Option<&str>;
}

/// A response as RFC 9421 sees it.
pub trait ResponseLike: HeaderSource {
    /// The status code.
    fn status(&self) -> u16;
}

impl HeaderSource for http::HeaderMap {
    fn for_each_value(&self, name: &str, f: &mut dyn FnMut(&[u8])) {
        let all = match known_header(name) {
            Some(h) => self.get_all(h),
            None => self.get_all(name),
        };
        for v in all {
            f(v.as_bytes());
        }
    }

    fn single_ref(&self, name: &str) -> Option<SingleValue<'_>> {
        let all = match known_header(name) {
            Some(h) => self.get_all(h),
            None => self.get_all(name),
        };
        let mut it = all.iter();
        Some(match (it.next(), it.next()) {
            (None, _) => SingleValue::Absent,
            (Some(v), None) => SingleValue::One(v.as_bytes()),
            (Some(_), Some(_)) => SingleValue::Many,
        })
    }
}

fn uri_path(uri: &http::Uri) -> &str {
    uri.path()
}

impl HeaderSource for http::request::Parts {
    fn for_each_value(&self, name: &str, f: &mut dyn FnMut(&[u8])) {
        self.headers.for_each_value(name, f)
    }
    fn single_ref(&self, name: &str) -> Option<SingleValue<'_>> {
        self.headers.single_ref(name)
    }
}

impl RequestLike for http::request::Parts {
    fn method(&self) -> &str {
        self.method.as_str()
    }
    fn uri_scheme(&self) -> Option<&str> {
        self.uri.scheme_str()
    }
    fn uri_authority(&self) -> Option<&str> {
        self.uri.authority().map(|a| a.as_str())
    }
    fn path(&self) -> &str {
        uri_path(&self.uri)
    }
    fn query(&self) -> Option<&str> {
        self.uri.query()
    }
}

impl<B> HeaderSource for http::Request<B> {
    fn for_each_value(&self, name: &str, f: &mut dyn FnMut(&[u8])) {
        self.headers().for_each_value(name, f)
    }
    fn single_ref(&self, name: &str) -> Option<SingleValue<'_>> {
        self.headers().single_ref(name)
    }
}

impl<B> RequestLike for http::Request<B> {
    fn method(&self) -> &str {
        self.method().as_str()
    }
    fn uri_scheme(&self) -> Option<&str> {
        self.uri().scheme_str()
    }
    fn uri_authority(&self) -> Option<&str> {
        self.uri().authority().map(|a| a.as_str())
    }
    fn path(&self) -> &str {
        uri_path(self.uri())
    }
    fn query(&self) -> Option<&str> {
        self.uri().query()
    }
}

impl HeaderSource for http::response::Parts {
    fn for_each_value(&self, name: &str, f: &mut dyn FnMut(&[u8])) {
        self.headers.for_each_value(name, f)
    }
    fn single_ref(&self, name: &str) -> Option<SingleValue<'_>> {
        self.headers.single_ref(name)
    }
}

impl ResponseLike for http::response::Parts {
    fn status(&self) -> u16 {
        self.status.as_u16()
    }
}

impl<B> HeaderSource for http::Response<B> {
    fn for_each_value(&self, name: &str, f: &mut dyn FnMut(&[u8])) {
        self.headers().for_each_value(name, f)
    }
    fn single_ref(&self, name: &str) -> Option<SingleValue<'_>> {
        self.headers().single_ref(name)
    }
}

impl<B> ResponseLike for http::Response<B> {
    fn status(&self) -> u16 {
        self.status().as_u16()
    }
}

/// Appends the combined value of header `name` to `out` the way both schemes define it: each
/// instance with leading/trailing SP/HTAB removed and obs-fold replaced by one SP, instances
/// joined with `", "`. Returns `false` when the header is absent.
pub(crate) fn append_combined(src: &dyn HeaderSource, name: &str, out: &mut Vec<u8>) -> bool {
    match src.single_ref(name) {
        Some(SingleValue::Absent) => return false,
        Some(SingleValue::One(v)) => {
            append_normalized(v, out);
            return true;
        }
        Some(SingleValue::Many) | None => {}
    }
    let mut first = true;
    src.for_each_value(name, &mut |v| {
        if !first {
            out.extend_from_slice(b", ");
        }
        first = false;
        append_normalized(v, out);
    });
    !first
}

/// Trims OWS and replaces obs-fold (CR? LF followed by SP/HTAB) with one SP.
pub(crate) fn append_normalized(v: &[u8], out: &mut Vec<u8>) {
    let v = trim_ows(v);
    if !has_line_break(v) {
        out.extend_from_slice(v);
        return;
    }
    let mut i = 0;
    while i < v.len() {
        let b = v[i];
        if b == b'\r' || b == b'\n' {
            // Swallow the line break and the whitespace that follows it; trim what precedes.
            while out.last().is_some_and(|&c| c == b' ' || c == b'\t') {
                out.pop();
            }
            while i < v.len() && matches!(v[i], b'\r' | b'\n' | b' ' | b'\t') {
                i += 1;
            }
            out.push(b' ');
        } else {
            out.push(b);
            i += 1;
        }
    }
}

/// Whether `v` holds a CR or LF (an obs-fold to normalise), eight bytes at a time.
pub(crate) fn has_line_break(v: &[u8]) -> bool {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let mut chunks = v.chunks_exact(8);
    for c in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(c);
        let w = u64::from_le_bytes(word);
        // Any byte below 0x0e (CR and LF among them, and rarely HTAB) sends the word to the
        // exact check.
        if w.wrapping_sub(LO * 0x0e) & !w & HI != 0 && c.iter().any(|&b| b == b'\n' || b == b'\r') {
            return true;
        }
    }
    chunks.remainder().iter().any(|&b| b == b'\n' || b == b'\r')
}

pub(crate) fn trim_ows(v: &[u8]) -> &[u8] {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_obs_fold_and_ows() {
        let mut out = Vec::new();
        append_normalized(b"  Example header\r\n    with some whitespace.  ", &mut out);
        assert_eq!(out, b"Example header with some whitespace.");
        out.clear();
        append_normalized(b"Obsolete\n    line folding.", &mut out);
        assert_eq!(out, b"Obsolete line folding.");
        assert_eq!(trim_ows(b" \t "), b"");
    }

    #[test]
    fn finds_line_breaks_anywhere() {
        let base = *b"0123456789abcdefghij";
        assert!(!has_line_break(&base));
        assert!(!has_line_break(b""));
        for i in 0..base.len() {
            for b in [b'\n', b'\r'] {
                let mut v = base;
                v[i] = b;
                assert!(has_line_break(&v), "{i}");
            }
            let mut v = base;
            v[i] = 0x0b;
            assert!(!has_line_break(&v));
        }
    }

    #[test]
    fn combines_repeated_headers() {
        let mut h = http::HeaderMap::new();
        h.append(
            "cache-control",
            http::HeaderValue::from_static("max-age=60"),
        );
        h.append(
            "cache-control",
            http::HeaderValue::from_static("   must-revalidate"),
        );
        let mut out = Vec::new();
        assert!(append_combined(&h, "cache-control", &mut out));
        assert_eq!(out, b"max-age=60, must-revalidate");
        assert!(!append_combined(&h, "x-missing", &mut out));
    }
}
