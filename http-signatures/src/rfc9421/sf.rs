//! Strict RFC 8941 helpers on top of `sfv`: dictionaries whose keys must be unique across all
//! field lines (labels), with a member-count limit.

use sfv::visitor::{DictionaryVisitor, EntryVisitor};
use sfv::{Dictionary, KeyRef, Parser, Version};

use crate::error::{Error, Result};

#[derive(Debug)]
struct Stop;

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stopped")
    }
}

impl std::error::Error for Stop {}

struct UniqueDict {
    dict: Dictionary,
    duplicate: Option<String>,
    max: usize,
    too_many: bool,
}

impl<'de> DictionaryVisitor<'de> for &mut UniqueDict {
    type Out = ();
    type Error = Stop;

    fn entry(&mut self, key: &'de KeyRef) -> Result<impl EntryVisitor<'de>, Stop> {
        if self.dict.contains_key(key) {
            self.duplicate = Some(key.as_str().to_owned());
            return Err(Stop);
        }
        if self.dict.len() >= self.max {
            self.too_many = true;
            return Err(Stop);
        }
        DictionaryVisitor::entry(&mut self.dict, key).map_err(|e| match e {})
    }

    fn finish(self) -> Result<(), Stop> {
        Ok(())
    }
}

/// Parses the field lines of a Dictionary field, combined with `", "`, rejecting a key that
/// occurs twice (RFC 9421 §4: labels are unique across all instances).
pub(crate) fn parse_unique_dictionary<'a>(
    lines: impl IntoIterator<Item = &'a [u8]>,
    header: &'static str,
    max_len: usize,
    max_members: usize,
) -> Result<Dictionary> {
    let mut it = lines.into_iter();
    let first = it.next().unwrap_or_default();
    let Some(second) = it.next() else {
        // One field line: parse it in place.
        if first.len() > max_len {
            return Err(Error::limit(header, max_len));
        }
        return parse_unique_dictionary_bytes(first, header, max_members);
    };
    let mut combined = Vec::with_capacity(first.len() + second.len() + 2);
    for (i, line) in [first, second].into_iter().chain(it).enumerate() {
        if i > 0 {
            combined.extend_from_slice(b", ");
        }
        if combined.len() + line.len() > max_len {
            return Err(Error::limit(header, max_len));
        }
        combined.extend_from_slice(line);
    }
    parse_unique_dictionary_bytes(&combined, header, max_members)
}

pub(crate) fn parse_unique_dictionary_bytes(
    input: &[u8],
    header: &'static str,
    max_members: usize,
) -> Result<Dictionary> {
    let mut v = UniqueDict {
        dict: Dictionary::new(),
        duplicate: None,
        max: max_members,
        too_many: false,
    };
    let res = Parser::new(input)
        .with_version(Version::Rfc8941)
        .parse_dictionary_with_visitor(&mut v);
    match res {
        Ok(()) => Ok(v.dict),
        Err(e) => {
            if let Some(d) = v.duplicate {
                Err(Error::DuplicateParameter {
                    at: format!("{header}.{d}").into(),
                })
            } else if v.too_many {
                Err(Error::limit(header, max_members))
            } else {
                Err(Error::malformed(header, e.to_string()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn merges_lines_and_rejects_duplicates() {
        let d =
            parse_unique_dictionary([&b"a=1"[..], &b"b=(\"x\")"[..]], "signature-input", 100, 8)
                .unwrap();
        assert_eq!(d.len(), 2);
        let e =
            parse_unique_dictionary([&b"a=1"[..], &b"a=2"[..]], "signature", 100, 8).unwrap_err();
        assert_eq!(
            (e.kind(), e.at()),
            ("duplicate_parameter", Some("signature.a"))
        );
        let e = parse_unique_dictionary([&b"a=1, b=2, c=3"[..]], "signature", 100, 2).unwrap_err();
        assert_eq!(e.kind(), "limit_exceeded");
        let e =
            parse_unique_dictionary([&b"a=\"unterminated"[..]], "signature", 100, 2).unwrap_err();
        assert_eq!(e.kind(), "malformed_header");
        // RFC 9651 dates are not RFC 8941.
        let e = parse_unique_dictionary([&b"a=@1"[..]], "signature", 100, 2).unwrap_err();
        assert_eq!(e.kind(), "malformed_header");
    }
}
