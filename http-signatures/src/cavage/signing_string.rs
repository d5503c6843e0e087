//! The draft-cavage signing string (§2.3), streamed into a caller-owned buffer.

use crate::error::{Error, Result};
use crate::message::{RequestLike, append_combined, append_normalized};

/// Options for building a signing string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct SigningStringOptions {
    /// Include `?query` in `(request-target)` (draft-cavage and Mastodon ≥ 4.3 do; Misskey,
    /// Fedify and old Pleroma sign the path only).
    pub request_target_with_query: bool,
    /// Allow `(created)` / `(expires)` when `algorithm` starts with `rsa`, `hmac` or `ecdsa`
    /// (cavage §2.3 step 2 forbids it; only for reproducing the draft's C.3 as printed).
    pub allow_created_with_legacy_algorithm: bool,
}

impl Default for SigningStringOptions {
    fn default() -> Self {
        SigningStringOptions {
            request_target_with_query: true,
            allow_created_with_legacy_algorithm: false,
        }
    }
}

/// The pseudo-header values a signing string may need.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PseudoValues<'a> {
    /// The `algorithm` parameter as received (only checked for the `(created)` rule).
    pub algorithm: Option<&'a str>,
    /// `created` as received.
    pub created: Option<&'a str>,
    /// `expires` as received.
    pub expires: Option<&'a str>,
}

/// Builds the signing string for `names` (the `headers` list, lower case) into `out`
/// (cleared first): one `name: value` line per entry, joined with `\n`, no final newline.
///
/// A listed header that is absent is [`Error::MissingComponent`] naming it; `host` falls back
/// to the URI authority (HTTP/2 requests have no `Host` header).
pub fn build_signing_string<'n>(
    req: &dyn RequestLike,
    names: impl IntoIterator<Item = &'n str>,
    pseudo: PseudoValues<'_>,
    options: SigningStringOptions,
    out: &mut Vec<u8>,
) -> Result<()> {
    build_signing_string_with(req, names, pseudo, options, out, &[], false)
}

/// [`build_signing_string`], with `known` header values already read by the caller: each entry
/// is a header name (lower case) and its *only* field line, used instead of looking it up again.
/// `lower_case`: the caller already lower-cased `names`.
pub(crate) fn build_signing_string_with<'n>(
    req: &dyn RequestLike,
    names: impl IntoIterator<Item = &'n str>,
    pseudo: PseudoValues<'_>,
    options: SigningStringOptions,
    out: &mut Vec<u8>,
    known: &[(&str, &[u8])],
    lower_case: bool,
) -> Result<()> {
    out.clear();
    let mut first = true;
    for raw_name in names {
        if !first {
            out.push(b'\n');
        }
        first = false;
        let lowered;
        let name = if !lower_case && raw_name.bytes().any(|b| b.is_ascii_uppercase()) {
            lowered = raw_name.to_ascii_lowercase();
            lowered.as_str()
        } else {
            raw_name
        };
        match name {
            "(request-target)" => {
                out.extend_from_slice(b"(request-target): ");
                for b in req.method().bytes() {
                    out.push(b.to_ascii_lowercase());
                }
                out.push(b' ');
                append_request_target(req, options.request_target_with_query, out);
            }
            "(created)" | "(expires)" => {
                let legacy = pseudo.algorithm.is_some_and(|a| {
                    let a = a.to_ascii_lowercase();
                    a.starts_with("rsa") || a.starts_with("hmac") || a.starts_with("ecdsa")
                });
                if legacy && !options.allow_created_with_legacy_algorithm {
                    return Err(Error::invalid_component(
                        name.to_owned(),
                        "not allowed with a legacy algorithm name (cavage §2.3)",
                    ));
                }
                let (param, value) = if name == "(created)" {
                    ("created", pseudo.created)
                } else {
                    ("expires", pseudo.expires)
                };
                let value = value.ok_or_else(|| Error::MissingParameter {
                    at: format!("signature.{param}").into(),
                })?;
                out.extend_from_slice(name.as_bytes());
                out.extend_from_slice(b": ");
                out.extend_from_slice(value.as_bytes());
            }
            _ if name.starts_with('(') => {
                return Err(Error::invalid_component(
                    crate::algorithm::truncate_owned(name),
                    "unknown pseudo-header",
                ));
            }
            _ => {
                if !is_field_name(name) {
                    return Err(Error::invalid_component(
                        crate::algorithm::truncate_owned(name),
                        "not a header name",
                    ));
                }
                out.extend_from_slice(name.as_bytes());
                out.extend_from_slice(b": ");
                if let Some((_, line)) = known.iter().find(|(n, _)| *n == name) {
                    append_normalized(line, out);
                } else if !append_combined(req, name, out) {
                    match (name, req.uri_authority()) {
                        ("host", Some(authority)) => out.extend_from_slice(authority.as_bytes()),
                        _ => {
                            return Err(Error::MissingComponent {
                                at: name.to_owned().into(),
                            });
                        }
                    }
                }
            }
        }
    }
    Ok(())
}

/// `path[?query]` as sent (origin form); `/` when the path is empty.
pub(crate) fn append_request_target(req: &dyn RequestLike, with_query: bool, out: &mut Vec<u8>) {
    let path = req.path();
    if path.is_empty() {
        out.push(b'/');
    } else {
        out.extend_from_slice(path.as_bytes());
    }
    if with_query && let Some(q) = req.query() {
        out.push(b'?');
        out.extend_from_slice(q.as_bytes());
    }
}

fn is_field_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(super::is_tchar)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req() -> http::request::Parts {
        let (parts, ()) = http::Request::builder()
            .method("GET")
            .uri("/foo?a=b")
            .header("Host", "example.org")
            .header("X-Empty", "")
            .header("Cache-Control", "max-age=60")
            .header("Cache-Control", "must-revalidate")
            .body(())
            .unwrap()
            .into_parts();
        parts
    }

    #[test]
    fn builds_lines() {
        let mut out = Vec::new();
        build_signing_string(
            &req(),
            [
                "(request-target)",
                "(created)",
                "host",
                "cache-control",
                "x-empty",
            ],
            PseudoValues {
                algorithm: Some("hs2019"),
                created: Some("1402170695"),
                expires: None,
            },
            SigningStringOptions::default(),
            &mut out,
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "(request-target): get /foo?a=b\n(created): 1402170695\nhost: example.org\ncache-control: max-age=60, must-revalidate\nx-empty: "
        );
    }

    #[test]
    fn errors_name_the_component() {
        let mut out = Vec::new();
        let e = build_signing_string(
            &req(),
            ["date"],
            PseudoValues::default(),
            SigningStringOptions::default(),
            &mut out,
        )
        .unwrap_err();
        assert_eq!((e.kind(), e.at()), ("missing_component", Some("date")));
        let e = build_signing_string(
            &req(),
            ["(created)"],
            PseudoValues {
                algorithm: Some("rsa-sha256"),
                created: Some("1"),
                expires: None,
            },
            SigningStringOptions::default(),
            &mut out,
        )
        .unwrap_err();
        assert_eq!((e.kind(), e.at()), ("invalid_component", Some("(created)")));
        let e = build_signing_string(
            &req(),
            ["(nope)"],
            PseudoValues::default(),
            SigningStringOptions::default(),
            &mut out,
        )
        .unwrap_err();
        assert_eq!(e.kind(), "invalid_component");
    }

    #[test]
    fn path_only_mode() {
        let mut out = Vec::new();
        build_signing_string(
            &req(),
            ["(request-target)"],
            PseudoValues::default(),
            SigningStringOptions {
                request_target_with_query: false,
                ..Default::default()
            },
            &mut out,
        )
        .unwrap();
        assert_eq!(out, b"(request-target): get /foo");
    }
}
