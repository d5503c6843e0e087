//! Parser for the draft-cavage `Signature` / `Authorization: Signature` auth-params.
//!
//! Grammar (RFC 7235): `auth-param = token BWS "=" BWS ( token / quoted-string )`, comma
//! separated. Quoted strings may contain commas and `\"` escapes. A duplicated parameter is an
//! error (cavage §2.2); unknown parameters are ignored; lengths and counts are bounded.

use std::borrow::Cow;

use crate::error::{Error, Result};
use crate::limits::Limits;

/// The parsed parameters of a draft-cavage signature header. Values borrow from the input
/// unless they contained escapes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CavageParams<'a> {
    /// `keyId` (required).
    pub key_id: Cow<'a, str>,
    /// `signature` (required), base64 text as received.
    pub signature: Cow<'a, str>,
    /// `algorithm`, as received (informational: the algorithm comes from the key).
    pub algorithm: Option<Cow<'a, str>>,
    /// `headers`, as received (space separated).
    pub headers: Option<Cow<'a, str>>,
    /// `created` as received (integer seconds) and its value.
    pub created: Option<(Cow<'a, str>, i64)>,
    /// `expires` as received (integer or decimal seconds) and its whole-second value.
    pub expires: Option<(Cow<'a, str>, i64)>,
}

impl CavageParams<'_> {
    /// The covered header names in order (the `headers` parameter split on spaces), or `None`
    /// when the parameter is absent.
    pub fn header_names(&self) -> Option<impl Iterator<Item = &str>> {
        self.headers.as_deref().map(blank_separated)
    }
}

/// How many words [`blank_separated`] yields, counted as blank-to-non-blank transitions.
fn count_words(s: &str) -> usize {
    let (n, _) = s.bytes().fold((0usize, true), |(n, after_blank), b| {
        let blank = b == b' ' || b == b'\t';
        (n + usize::from(after_blank && !blank), blank)
    });
    n
}

/// The words of `s` separated by SP / HTAB runs, scanning bytes (both are ASCII, so every
/// split point is a character boundary).
fn blank_separated(s: &str) -> impl Iterator<Item = &str> {
    let mut rest = s;
    std::iter::from_fn(move || {
        let start = rest.bytes().position(|b| b != b' ' && b != b'\t')?;
        let tail = rest.get(start..)?;
        let len = tail
            .bytes()
            .position(|b| b == b' ' || b == b'\t')
            .unwrap_or(tail.len());
        let (word, after) = tail.split_at(len);
        rest = after;
        Some(word)
    })
}

/// Parses the value of an `Authorization` header: `Signature <auth-params>` (scheme name is
/// case-insensitive).
pub fn parse_authorization<'a>(value: &'a str, limits: &Limits) -> Result<CavageParams<'a>> {
    let v = value.trim_start_matches([' ', '\t']);
    let (scheme, rest) = v
        .split_once([' ', '\t'])
        .ok_or_else(|| Error::malformed("authorization", "expected `Signature <params>`"))?;
    if !scheme.eq_ignore_ascii_case("signature") {
        return Err(Error::malformed(
            "authorization",
            "authorization scheme is not Signature",
        ));
    }
    parse_params(rest, "authorization", limits)
}

/// Parses the value of a `Signature` header (draft-cavage). A leading bogus `Signature `
/// scheme word, sent by old node-http-signature and tolerated by Mastodon, is skipped.
pub fn parse_signature_header<'a>(value: &'a str, limits: &Limits) -> Result<CavageParams<'a>> {
    let v = value.trim_start_matches([' ', '\t']);
    // The first word is exactly `signature` (any case) followed by SP or HTAB; checked on the
    // prefix instead of searching the whole value for the first blank.
    let v = match (v.as_bytes().get(..9), v.as_bytes().get(9)) {
        (Some(word), Some(b' ' | b'\t')) if word.eq_ignore_ascii_case(b"signature") => {
            v.get(10..).unwrap_or_default()
        }
        _ => v,
    };
    parse_params(v, "signature", limits)
}

const TCHAR: [bool; 256] = {
    let mut t = [false; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            );
        i += 1;
    }
    t
};

/// Whether `b` is an RFC 9110 `tchar` (a header-name or token byte).
#[inline]
pub(crate) fn is_tchar(b: u8) -> bool {
    TCHAR[b as usize]
}

/// Slow path of a quoted string that contains a quoted-pair: `start` is the first content
/// byte, `first_escape` the first backslash. Returns the unescaped value and the index after
/// the closing quote.
fn unescape_quoted(
    input: &str,
    start: usize,
    first_escape: usize,
    header: &'static str,
) -> Result<(String, usize)> {
    let bytes = input.as_bytes();
    let mut s = String::with_capacity(first_escape - start + 16);
    s.push_str(&input[start..first_escape]);
    let mut i = first_escape;
    loop {
        let Some(&b) = bytes.get(i) else {
            return Err(Error::malformed(header, "unterminated quoted string"));
        };
        match b {
            b'"' => return Ok((s, i + 1)),
            b'\\' => {
                let Some(&next) = bytes.get(i + 1) else {
                    return Err(Error::malformed(header, "unterminated quoted string"));
                };
                if next == 0x7f || (next < 0x20 && next != b'\t') {
                    return Err(Error::malformed(header, "invalid quoted-pair"));
                }
                // `next` may start a multi-byte character: copy the whole character.
                let ch = input
                    .get(i + 1..i + 1 + utf8_len(next))
                    .ok_or_else(|| Error::malformed(header, "invalid quoted-pair"))?;
                s.push_str(ch);
                i += 1 + ch.len();
            }
            b'\t' | b' ' | 0x21..=0x7e | 0x80..=0xff => {
                let ch = input
                    .get(i..i + utf8_len(b))
                    .ok_or_else(|| Error::malformed(header, "invalid character"))?;
                s.push_str(ch);
                i += ch.len();
            }
            _ => {
                return Err(Error::malformed(
                    header,
                    "control character in quoted string",
                ));
            }
        }
    }
}

/// Index of the first `"`, `\\`, or control byte other than HTAB (`< 0x20`, `0x7f`) in `s`.
/// Eight bytes at a time: a word is scanned byte by byte only when the SWAR test says it may
/// hold one of them (HTAB passes the `< 0x20` test and is then skipped by the byte scan).
fn first_quote_or_special(s: &[u8]) -> Option<usize> {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let special = |b: u8| b == b'"' || b == b'\\' || (b < 0x20 && b != b'\t') || b == 0x7f;
    let has_zero = |x: u64| x.wrapping_sub(LO) & !x & HI;
    let mut chunks = s.chunks_exact(8);
    let mut base = 0;
    for c in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(c);
        let w = u64::from_le_bytes(word);
        let maybe = has_zero(w ^ (LO * u64::from(b'"')))
            | has_zero(w ^ (LO * u64::from(b'\\')))
            | has_zero(w ^ (LO * 0x7f))
            | (w.wrapping_sub(LO * 0x20) & !w & HI);
        if maybe != 0
            && let Some(p) = c.iter().position(|&b| special(b))
        {
            return Some(base + p);
        }
        base += 8;
    }
    chunks
        .remainder()
        .iter()
        .position(|&b| special(b))
        .map(|p| base + p)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Known {
    KeyId,
    Signature,
    Algorithm,
    Headers,
    Created,
    Expires,
}

impl Known {
    fn from_name(name: &str) -> Option<Known> {
        const NAMES: [(&str, Known); 6] = [
            ("keyid", Known::KeyId),
            ("signature", Known::Signature),
            ("algorithm", Known::Algorithm),
            ("headers", Known::Headers),
            ("created", Known::Created),
            ("expires", Known::Expires),
        ];
        NAMES
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|&(_, k)| k)
    }

    fn at(self, header: &'static str) -> Cow<'static, str> {
        let p = match self {
            Known::KeyId => "keyId",
            Known::Signature => "signature",
            Known::Algorithm => "algorithm",
            Known::Headers => "headers",
            Known::Created => "created",
            Known::Expires => "expires",
        };
        Cow::Owned(format!("{header}.{p}"))
    }
}

/// Parses a bare auth-param list (`keyId="…",signature="…"`). `header` names the header in
/// errors (`signature` or `authorization`).
pub fn parse_params<'a>(
    input: &'a str,
    header: &'static str,
    limits: &Limits,
) -> Result<CavageParams<'a>> {
    if input.len() > limits.max_header_len {
        return Err(Error::limit(header, limits.max_header_len));
    }
    let bytes = input.as_bytes();
    let mut i = 0;
    let mut count = 0usize;
    let mut key_id = None;
    let mut signature = None;
    let mut algorithm = None;
    let mut headers = None;
    let mut created = None;
    let mut expires = None;

    let skip_ws = |i: &mut usize| {
        while *i < bytes.len() && (bytes[*i] == b' ' || bytes[*i] == b'\t') {
            *i += 1;
        }
    };

    loop {
        // Skip OWS and empty list elements.
        loop {
            skip_ws(&mut i);
            if i < bytes.len() && bytes[i] == b',' {
                i += 1;
            } else {
                break;
            }
        }
        if i >= bytes.len() {
            break;
        }
        // token
        let name_start = i;
        while i < bytes.len() && is_tchar(bytes[i]) {
            i += 1;
        }
        if i == name_start {
            return Err(Error::malformed(header, "expected a parameter name"));
        }
        let name = &input[name_start..i];
        skip_ws(&mut i);
        if i >= bytes.len() || bytes[i] != b'=' {
            return Err(Error::malformed(
                header,
                format!(
                    "parameter {} has no value",
                    crate::algorithm::truncate_owned(name)
                ),
            ));
        }
        i += 1;
        skip_ws(&mut i);
        // value: quoted-string or token
        let value: Cow<'a, str> = if i < bytes.len() && bytes[i] == b'"' {
            i += 1;
            let start = i;
            // Fast path: one word-at-a-time scan to the first `"`, `\\` or control byte. A
            // quote first means plain content (borrowed); a backslash takes the unescaping
            // path; anything else is an error — each exactly as if the content up to the first
            // quote had been checked on its own.
            let rest = bytes.get(i..).unwrap_or_default();
            let stop = first_quote_or_special(rest).and_then(|p| Some((p, *rest.get(p)?)));
            match stop {
                Some((rel, b'"')) => {
                    i += rel + 1;
                    Cow::Borrowed(input.get(start..start + rel).unwrap_or_default())
                }
                Some((first, b)) if rest.get(first..).is_some_and(|r| r.contains(&b'"')) => {
                    if b != b'\\' {
                        return Err(Error::malformed(
                            header,
                            "control character in quoted string",
                        ));
                    }
                    let (v, next) = unescape_quoted(input, start, i + first, header)?;
                    i = next;
                    Cow::Owned(v)
                }
                _ => return Err(Error::malformed(header, "unterminated quoted string")),
            }
        } else {
            let start = i;
            while i < bytes.len() && is_tchar(bytes[i]) {
                i += 1;
            }
            if i == start {
                return Err(Error::malformed(
                    header,
                    format!(
                        "parameter {} has an empty value",
                        crate::algorithm::truncate_owned(name)
                    ),
                ));
            }
            Cow::Borrowed(&input[start..i])
        };
        skip_ws(&mut i);
        if i < bytes.len() && bytes[i] != b',' {
            return Err(Error::malformed(header, "expected `,` between parameters"));
        }

        count += 1;
        if count > limits.max_params {
            return Err(Error::limit(header, limits.max_params));
        }
        let Some(known) = Known::from_name(name) else {
            continue; // unknown parameters are ignored (cavage §2.2)
        };
        let dup = match known {
            Known::KeyId => key_id.is_some(),
            Known::Signature => signature.is_some(),
            Known::Algorithm => algorithm.is_some(),
            Known::Headers => headers.is_some(),
            Known::Created => created.is_some(),
            Known::Expires => expires.is_some(),
        };
        if dup {
            return Err(Error::DuplicateParameter {
                at: known.at(header),
            });
        }
        match known {
            Known::KeyId => {
                if value.len() > limits.max_key_id_len {
                    return Err(Error::limit(known.at(header), limits.max_key_id_len));
                }
                key_id = Some(value)
            }
            Known::Signature => signature = Some(value),
            Known::Algorithm => algorithm = Some(value),
            Known::Headers => {
                if value.trim().is_empty() {
                    return Err(Error::invalid_param(
                        known.at(header),
                        "zero-length headers list",
                    ));
                }
                let n = count_words(&value);
                if n > limits.max_components {
                    return Err(Error::limit(known.at(header), limits.max_components));
                }
                headers = Some(value)
            }
            Known::Created => {
                let n = parse_seconds(&value, false)
                    .ok_or_else(|| Error::invalid_param(known.at(header), "not an integer"))?;
                created = Some((value, n));
            }
            Known::Expires => {
                let n = parse_seconds(&value, true).ok_or_else(|| {
                    Error::invalid_param(known.at(header), "not a number of seconds")
                })?;
                expires = Some((value, n));
            }
        }
    }

    let key_id = key_id.ok_or_else(|| Error::MissingParameter {
        at: Known::KeyId.at(header),
    })?;
    if key_id.is_empty() {
        return Err(Error::invalid_param(Known::KeyId.at(header), "empty keyId"));
    }
    let signature = signature.ok_or_else(|| Error::MissingParameter {
        at: Known::Signature.at(header),
    })?;
    Ok(CavageParams {
        key_id,
        signature,
        algorithm,
        headers,
        created,
        expires,
    })
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7f => 1,
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        _ => 4,
    }
}

/// Parses non-negative Unix seconds: 1–15 digits, optionally (for `expires`) a fraction of
/// 1–9 digits that is dropped. Signs, exponents and larger values are refused.
pub(crate) fn parse_seconds(s: &str, allow_fraction: bool) -> Option<i64> {
    let (int, frac) = match s.split_once('.') {
        Some((i, f)) if allow_fraction => (i, Some(f)),
        Some(_) => return None,
        None => (s, None),
    };
    if int.is_empty() || int.len() > 15 || !int.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    if let Some(f) = frac
        && (f.is_empty() || f.len() > 9 || !f.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    int.parse().ok()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    proptest! {
        /// The byte scan splits exactly like `str::split` on SP and HTAB without empty words.
        #[test]
        fn blank_split_agrees_with_str_split(s in "[a-c( )\t\u{e9}-]{0,20}") {
            let ours: Vec<&str> = super::blank_separated(&s).collect();
            let theirs: Vec<&str> = s.split([' ', '\t']).filter(|w| !w.is_empty()).collect();
            prop_assert_eq!(super::count_words(&s), theirs.len());
            prop_assert_eq!(ours, theirs);
        }

        /// The word-at-a-time scan finds exactly what a byte-by-byte scan finds.
        #[test]
        fn quote_scan_agrees_with_bytewise(
            bytes in proptest::collection::vec(prop_oneof![
                Just(b'"'), Just(b'\\'), Just(b'\t'), Just(0x7f_u8), Just(0x1f_u8), Just(0_u8),
                Just(0x20_u8), Just(0x80_u8), Just(0xff_u8), 0x21_u8..0x7f,
            ], 0..40),
            pad in 0usize..25,
        ) {
            let mut v = vec![b'a'; pad];
            v.extend_from_slice(&bytes);
            let want = v.iter().position(|&b| {
                b == b'"' || b == b'\\' || (b < 0x20 && b != b'\t') || b == 0x7f
            });
            prop_assert_eq!(first_quote_or_special(&v), want);
        }
    }

    use super::*;

    fn p(s: &str) -> Result<CavageParams<'_>> {
        parse_signature_header(s, &Limits::DEFAULT)
    }

    #[test]
    fn parses_the_cavage_example() {
        let v = p(r#"keyId="Test",algorithm="rsa-sha256",created=1402170695, expires=1402170699.5,headers="(request-target) host",signature="a+b/c=""#).unwrap();
        assert_eq!(v.key_id, "Test");
        assert_eq!(v.algorithm.as_deref(), Some("rsa-sha256"));
        assert_eq!(v.created.as_ref().unwrap().1, 1402170695);
        assert_eq!(v.expires.as_ref().unwrap().1, 1402170699);
        assert_eq!(v.expires.as_ref().unwrap().0, "1402170699.5");
        assert_eq!(
            v.header_names().unwrap().collect::<Vec<_>>(),
            ["(request-target)", "host"]
        );
        assert_eq!(v.signature, "a+b/c=");
    }

    #[test]
    fn quoted_commas_and_escapes() {
        let v = p(r#"keyId="https://x.example/a,b#\"k\"", signature="c2ln""#).unwrap();
        assert_eq!(v.key_id, r#"https://x.example/a,b#"k""#);
        let v = p(r#"keyId="caf\é",signature="x""#).unwrap();
        assert_eq!(v.key_id, "café");
    }

    #[test]
    fn duplicates_missing_unknown() {
        let e = p(r#"keyId="a",keyId="b",signature="x""#).unwrap_err();
        assert_eq!(
            (e.kind(), e.at()),
            ("duplicate_parameter", Some("signature.keyId"))
        );
        let e = p(r#"keyid="a",KEYID="b",signature="x""#).unwrap_err();
        assert_eq!(e.kind(), "duplicate_parameter");
        let e = p(r#"signature="x""#).unwrap_err();
        assert_eq!(
            (e.kind(), e.at()),
            ("missing_parameter", Some("signature.keyId"))
        );
        let v = p(r#"keyId="a",foo="bar",signature="x",baz=qux"#).unwrap();
        assert_eq!(v.key_id, "a");
        let e = p(r#"keyId="a",signature="x",headers="""#).unwrap_err();
        assert_eq!(e.kind(), "invalid_parameter");
    }

    #[test]
    fn malformed_inputs() {
        for s in [
            r#"keyId="a"#,
            r#"keyId="a" signature="b""#,
            r#"keyId"#,
            r#"keyId=,signature="b""#,
            "=\"x\"",
            "keyId=\"a\u{1}\",signature=\"b\"",
        ] {
            assert_eq!(p(s).unwrap_err().kind(), "malformed_header", "{s}");
        }
        for s in [
            r#"keyId="a",signature="b",created=-5"#,
            r#"keyId="a",signature="b",created=1234567890123456"#,
            r#"keyId="a",signature="b",created=1.5"#,
            r#"keyId="a",signature="b",expires=1e9"#,
        ] {
            assert_eq!(p(s).unwrap_err().kind(), "invalid_parameter", "{s}");
        }
    }

    #[test]
    fn bogus_prefix_and_authorization() {
        let v = p(r#"Signature keyId="a",signature="b""#).unwrap();
        assert_eq!(v.key_id, "a");
        let v =
            parse_authorization(r#"Signature keyId="a",signature="b""#, &Limits::DEFAULT).unwrap();
        assert_eq!(v.signature, "b");
        assert_eq!(
            parse_authorization("Bearer abc", &Limits::DEFAULT)
                .unwrap_err()
                .kind(),
            "malformed_header"
        );
    }

    #[test]
    fn limits() {
        let mut l = Limits::DEFAULT;
        l.max_header_len = 10;
        assert_eq!(
            parse_signature_header(r#"keyId="aaaaaaaaaaaaa",signature="b""#, &l)
                .unwrap_err()
                .kind(),
            "limit_exceeded"
        );
        let many = (0..20)
            .map(|i| format!("p{i}=1"))
            .collect::<Vec<_>>()
            .join(",");
        assert_eq!(p(&many).unwrap_err().kind(), "limit_exceeded");
    }
}
