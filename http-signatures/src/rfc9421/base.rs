//! The RFC 9421 signature base (§2.5), streamed into a caller-owned buffer.

use std::borrow::Cow;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sfv::{FieldType, ListEntry, Parser, Version};

use super::components::ComponentId;
use super::signature_input::SignatureInput;
use crate::cavage::append_request_target;
use crate::error::{Error, Result};
use crate::message::{RequestLike, ResponseLike, append_combined, append_normalized, trim_ows};

/// Structured-field type of a header, for `;sf` and `;key` (RFC 9421 §2.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum SfType {
    /// An Item.
    Item,
    /// A List.
    List,
    /// A Dictionary.
    Dictionary,
}

/// Structured fields known to this crate (RFC 9421, RFC 9530, RFC 9651 registries subset).
pub const KNOWN_SF_TYPES: &[(&str, SfType)] = &[
    ("signature-input", SfType::Dictionary),
    ("signature", SfType::Dictionary),
    ("accept-signature", SfType::Dictionary),
    ("content-digest", SfType::Dictionary),
    ("repr-digest", SfType::Dictionary),
    ("want-content-digest", SfType::Dictionary),
    ("want-repr-digest", SfType::Dictionary),
    ("priority", SfType::Dictionary),
    ("cache-status", SfType::List),
    ("proxy-status", SfType::List),
    ("client-cert", SfType::Item),
    ("client-cert-chain", SfType::List),
];

#[derive(Clone, Copy)]
enum Target<'a> {
    Request(&'a dyn RequestLike),
    Response {
        response: &'a dyn ResponseLike,
        request: Option<&'a dyn RequestLike>,
    },
}

/// The message a signature base is built from, plus what the message itself cannot tell:
/// the scheme when the request URI is in origin form, and extra structured-field types.
#[derive(Clone, Copy)]
pub struct Message<'a> {
    target: Target<'a>,
    default_scheme: &'a str,
    sf_types: &'a [(&'a str, SfType)],
    max_len: usize,
}

impl<'a> Message<'a> {
    /// A request (scheme defaults to `https` when the URI has none).
    pub fn request(request: &'a dyn RequestLike) -> Self {
        Message {
            target: Target::Request(request),
            default_scheme: "https",
            sf_types: &[],
            max_len: crate::limits::Limits::DEFAULT.max_signing_string,
        }
    }

    /// A response, with the request that triggered it for `;req` components.
    pub fn response(response: &'a dyn ResponseLike, request: Option<&'a dyn RequestLike>) -> Self {
        Message {
            target: Target::Response { response, request },
            default_scheme: "https",
            sf_types: &[],
            max_len: crate::limits::Limits::DEFAULT.max_signing_string,
        }
    }

    /// Sets the scheme used for `@scheme` / `@target-uri` when the request URI has none.
    #[must_use]
    pub fn with_default_scheme(mut self, scheme: &'a str) -> Self {
        self.default_scheme = scheme;
        self
    }

    /// Declares structured-field types beyond [`KNOWN_SF_TYPES`] for `;sf` / `;key`.
    #[must_use]
    pub fn with_sf_types(mut self, types: &'a [(&'a str, SfType)]) -> Self {
        self.sf_types = types;
        self
    }

    /// Sets the maximum base size (default [`crate::Limits::DEFAULT`]`.max_signing_string`).
    #[must_use]
    pub fn with_max_len(mut self, max: usize) -> Self {
        self.max_len = max;
        self
    }

    /// The request being signed or verified, or (for a response) the related request.
    pub(crate) fn request_part(&self) -> Option<&'a dyn RequestLike> {
        match self.target {
            Target::Request(r) => Some(r),
            Target::Response { request, .. } => request,
        }
    }

    pub(crate) fn is_request(&self) -> bool {
        matches!(self.target, Target::Request(_))
    }

    pub(crate) fn headers(&self) -> &'a dyn crate::message::HeaderSource {
        match self.target {
            Target::Request(r) => r,
            Target::Response { response, .. } => response,
        }
    }

    fn sf_type(&self, name: &str) -> Option<SfType> {
        self.sf_types
            .iter()
            .chain(KNOWN_SF_TYPES)
            .find(|(n, _)| *n == name)
            .map(|&(_, t)| t)
    }
}

/// Builds the signature base for `input` into `out` (cleared first). The last line is the
/// `@signature-params` line; there is no final newline.
pub fn build_signature_base(
    msg: &Message<'_>,
    input: &SignatureInput,
    out: &mut Vec<u8>,
) -> Result<()> {
    out.clear();
    for c in input.components() {
        out.extend_from_slice(c.as_str().as_bytes());
        out.extend_from_slice(b": ");
        let start = out.len();
        append_component_value(msg, c, out)?;
        if out[start..]
            .iter()
            .any(|&b| !(0x20..=0x7e).contains(&b) && b != b'\t')
        {
            return Err(Error::invalid_component(
                c.as_str().to_owned(),
                "value is not printable ASCII",
            ));
        }
        out.push(b'\n');
        if out.len() > msg.max_len {
            return Err(Error::limit("signature-base", msg.max_len));
        }
    }
    out.extend_from_slice(b"\"@signature-params\": ");
    out.extend_from_slice(input.signature_params().as_bytes());
    Ok(())
}

fn missing(c: &ComponentId) -> Error {
    Error::MissingComponent {
        at: c.as_str().to_owned().into(),
    }
}

/// Appends the value of one component (§2.1, §2.2) to `out`.
pub fn append_component_value(msg: &Message<'_>, c: &ComponentId, out: &mut Vec<u8>) -> Result<()> {
    if c.tr() {
        return Err(Error::invalid_component(
            c.as_str().to_owned(),
            "trailer fields are not supported",
        ));
    }
    // Which message does the component come from?
    let (headers, request): (&dyn crate::message::HeaderSource, Option<&dyn RequestLike>) =
        match (msg.target, c.req()) {
            (Target::Request(_), true) => {
                return Err(Error::invalid_component(
                    c.as_str().to_owned(),
                    "req is only valid in a response signature",
                ));
            }
            (Target::Request(r), false) => (r, Some(r)),
            (Target::Response { response, .. }, false) => (response, None),
            (
                Target::Response {
                    request: Some(r), ..
                },
                true,
            ) => (r, Some(r)),
            (Target::Response { request: None, .. }, true) => return Err(missing(c)),
        };

    if c.is_derived() {
        if c.name() == "@status" {
            return match (msg.target, c.req()) {
                (Target::Response { response, .. }, false) => {
                    let s = response.status();
                    if !(100..=999).contains(&s) {
                        return Err(Error::invalid_component("@status", "not a 3-digit status"));
                    }
                    out.extend_from_slice(s.to_string().as_bytes());
                    Ok(())
                }
                _ => Err(Error::invalid_component(
                    c.as_str().to_owned(),
                    "@status is only valid for a response",
                )),
            };
        }
        let Some(req) = request else {
            return Err(Error::invalid_component(
                c.as_str().to_owned(),
                "request component in a response signature needs ;req",
            ));
        };
        return append_derived(msg, req, c, out);
    }

    let name = c.name();
    if c.bs() {
        let mut first = true;
        headers.for_each_value(name, &mut |v| {
            if !first {
                out.extend_from_slice(b", ");
            }
            first = false;
            out.push(b':');
            let mut tmp = Vec::with_capacity(v.len());
            append_normalized(v, &mut tmp);
            let enc = STANDARD.encode(&tmp);
            out.extend_from_slice(enc.as_bytes());
            out.push(b':');
        });
        return if first { Err(missing(c)) } else { Ok(()) };
    }
    if c.sf() || c.key().is_some() {
        let mut raw = Vec::new();
        if !append_combined(headers, name, &mut raw) {
            return Err(missing(c));
        }
        let ty = if c.key().is_some() {
            SfType::Dictionary
        } else {
            msg.sf_type(name).ok_or_else(|| {
                Error::invalid_component(c.as_str().to_owned(), "not a known structured field")
            })?
        };
        let bad = |e: sfv::Error| Error::invalid_component(c.as_str().to_owned(), e.to_string());
        let parser = || Parser::new(&raw).with_version(Version::Rfc8941);
        let text = match (ty, c.key()) {
            (SfType::Dictionary, Some(key)) => {
                let d: sfv::Dictionary = parser().parse_dictionary().map_err(bad)?;
                let entry = d.get(key).ok_or_else(|| missing(c))?;
                serialize_entry(entry)
            }
            (SfType::Dictionary, None) => {
                let d: sfv::Dictionary = parser().parse_dictionary().map_err(bad)?;
                d.serialize().unwrap_or_default()
            }
            (SfType::List, _) => {
                let l: sfv::List = parser().parse_list().map_err(bad)?;
                l.serialize().unwrap_or_default()
            }
            (SfType::Item, _) => {
                let i: sfv::Item = parser().parse_item().map_err(bad)?;
                i.serialize()
            }
        };
        out.extend_from_slice(text.as_bytes());
        return Ok(());
    }
    if !append_combined(headers, name, out) {
        return Err(missing(c));
    }
    Ok(())
}

fn serialize_entry(entry: &ListEntry) -> String {
    match entry {
        ListEntry::Item(i) => i.serialize(),
        ListEntry::InnerList(_) => {
            let mut ser = sfv::ListSerializer::new();
            ser.members([entry]);
            ser.finish().unwrap_or_default()
        }
    }
}

/// `host[:port]`, host lower-cased, default port for the scheme removed (RFC 9110 §4.2.3).
pub(crate) fn normalized_authority<'s>(authority: &'s str, scheme: &str) -> Cow<'s, str> {
    let authority = authority.rsplit('@').next().unwrap_or(authority);
    let default_port = match scheme {
        "https" => Some(":443"),
        "http" => Some(":80"),
        _ => None,
    };
    let trimmed = match default_port {
        Some(p) if authority.ends_with(p) => &authority[..authority.len() - p.len()],
        _ => authority,
    };
    if trimmed.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(trimmed.to_ascii_lowercase())
    } else {
        Cow::Borrowed(trimmed)
    }
}

fn scheme_of<'a>(msg: &Message<'a>, req: &'a dyn RequestLike) -> Cow<'a, str> {
    let s = req.uri_scheme().unwrap_or(msg.default_scheme);
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

fn append_authority(
    msg: &Message<'_>,
    req: &dyn RequestLike,
    c: &ComponentId,
    out: &mut Vec<u8>,
) -> Result<()> {
    let scheme = scheme_of(msg, req);
    match req.uri_authority() {
        Some(a) => out.extend_from_slice(normalized_authority(a, &scheme).as_bytes()),
        None => {
            let mut found = false;
            let mut count = 0;
            let mut tmp = Vec::new();
            req.for_each_value("host", &mut |v| {
                count += 1;
                if count == 1 {
                    tmp.extend_from_slice(trim_ows(v));
                    found = true;
                }
            });
            if !found || count > 1 {
                return Err(missing(c));
            }
            let text = std::str::from_utf8(&tmp)
                .map_err(|_| Error::invalid_component(c.as_str().to_owned(), "non-ASCII host"))?;
            out.extend_from_slice(normalized_authority(text, &scheme).as_bytes());
        }
    }
    Ok(())
}

fn append_derived(
    msg: &Message<'_>,
    req: &dyn RequestLike,
    c: &ComponentId,
    out: &mut Vec<u8>,
) -> Result<()> {
    match c.name() {
        "@method" => out.extend_from_slice(req.method().as_bytes()),
        "@scheme" => out.extend_from_slice(scheme_of(msg, req).as_bytes()),
        "@authority" => append_authority(msg, req, c, out)?,
        "@target-uri" => {
            out.extend_from_slice(scheme_of(msg, req).as_bytes());
            out.extend_from_slice(b"://");
            append_authority(msg, req, c, out)?;
            append_request_target(req, true, out);
        }
        "@request-target" => {
            if req.method().eq_ignore_ascii_case("CONNECT") {
                append_authority(msg, req, c, out)?;
            } else {
                append_request_target(req, true, out);
            }
        }
        "@path" => {
            let p = req.path();
            out.extend_from_slice(if p.is_empty() { b"/" } else { p.as_bytes() });
        }
        "@query" => {
            out.push(b'?');
            if let Some(q) = req.query() {
                out.extend_from_slice(q.as_bytes());
            }
        }
        "@query-param" => {
            let want = c.query_name().unwrap_or_default();
            let mut found: Option<Vec<u8>> = None;
            for pair in req.query().unwrap_or("").split('&') {
                if pair.is_empty() {
                    continue;
                }
                let (n, v) = pair.split_once('=').unwrap_or((pair, ""));
                let n = reencode(&form_decode(n));
                if n.as_bytes() == want.as_bytes() {
                    if found.is_some() {
                        return Err(Error::invalid_component(
                            c.as_str().to_owned(),
                            "query parameter occurs more than once",
                        ));
                    }
                    found = Some(reencode(&form_decode(v)).into_bytes());
                }
            }
            out.extend_from_slice(&found.ok_or_else(|| missing(c))?);
        }
        _ => {
            return Err(Error::invalid_component(
                c.as_str().to_owned(),
                "unknown derived component",
            ));
        }
    }
    Ok(())
}

/// application/x-www-form-urlencoded decoding (`+` ⇒ space, `%XX` ⇒ byte).
fn form_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b'%' => match (
                b.get(i + 1).and_then(|&x| hex(x)),
                b.get(i + 2).and_then(|&x| hex(x)),
            ) {
                (Some(h), Some(l)) => {
                    out.push((h << 4) | l);
                    i += 3;
                }
                _ => {
                    out.push(b'%');
                    i += 1;
                }
            },
            x => {
                out.push(x);
                i += 1;
            }
        }
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-encodes with the application/x-www-form-urlencoded set, but space as `%20`
/// (RFC 9421 §2.2.8 "percent-encode after encoding").
fn reencode(bytes: &[u8]) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut s = String::with_capacity(bytes.len());
    for &b in bytes {
        if b.is_ascii_alphanumeric() || b"*-._".contains(&b) {
            s.push(b as char);
        } else {
            s.push('%');
            s.push(HEX[(b >> 4) as usize] as char);
            s.push(HEX[(b & 15) as usize] as char);
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_param_encoding() {
        assert_eq!(
            reencode(&form_decode("with+plus+whitespace")),
            "with%20plus%20whitespace"
        );
        assert_eq!(
            reencode(&form_decode("fa%C3%A7ade%22%3A%20")),
            "fa%C3%A7ade%22%3A%20"
        );
        assert_eq!(reencode(&form_decode("bad%zz%")), "bad%25zz%25");
    }

    #[test]
    fn authority_normalization() {
        assert_eq!(
            normalized_authority("Example.COM:443", "https"),
            "example.com"
        );
        assert_eq!(
            normalized_authority("example.com:8443", "https"),
            "example.com:8443"
        );
        assert_eq!(
            normalized_authority("example.com:80", "http"),
            "example.com"
        );
    }
}
