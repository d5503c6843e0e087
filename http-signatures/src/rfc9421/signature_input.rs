//! `Signature-Input` and `Signature` fields (RFC 9421 §4): parsing with merged field lines,
//! unique labels and limits, and serialization for signing.

use sfv::{BareItem, BareItemFromInput, Key, Parameters};

use super::components::ComponentId;
use super::sf::{
    RawEntry, RawItem, RawParams, for_each_byte_sequence_member, parse_unique_dictionary, scan_key,
    serialize_params,
};
use crate::algorithm::Algorithm;
use crate::error::{Error, Result};
use crate::limits::Limits;

/// One signature parameter, in the order it was received or should be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureParam {
    /// `created` (Unix seconds).
    Created(i64),
    /// `expires` (Unix seconds).
    Expires(i64),
    /// `nonce`.
    Nonce(String),
    /// `alg` (registry name).
    Alg(String),
    /// `keyid`.
    KeyId(String),
    /// `tag`.
    Tag(String),
}

/// One member of `Signature-Input`: a label, the covered components and the parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct SignatureInput {
    label: String,
    components: Vec<ComponentId>,
    params_value: String,
    created: Option<i64>,
    expires: Option<i64>,
    nonce: Option<String>,
    alg: Option<String>,
    keyid: Option<String>,
    tag: Option<String>,
}

impl SignatureInput {
    /// Builds a member for signing. Parameters are serialized in the order given.
    pub fn new(
        label: &str,
        components: Vec<ComponentId>,
        params: impl IntoIterator<Item = SignatureParam>,
    ) -> Result<Self> {
        Key::from_string(label.to_owned())
            .map_err(|_| Error::invalid_param("signature-input", "label is not an sf-key"))?;
        let mut p = Parameters::new();
        for param in params {
            let (k, v) = match param {
                SignatureParam::Created(t) => ("created", int(t)?),
                SignatureParam::Expires(t) => ("expires", int(t)?),
                SignatureParam::Nonce(s) => ("nonce", string(s)?),
                SignatureParam::Alg(s) => ("alg", string(s)?),
                SignatureParam::KeyId(s) => ("keyid", string(s)?),
                SignatureParam::Tag(s) => ("tag", string(s)?),
            };
            let key = Key::from_string(k.to_owned()).map_err(|_| unreachable_param())?;
            if p.insert(key, v).is_some() {
                return Err(Error::DuplicateParameter {
                    at: format!("signature-input.{label}.{k}").into(),
                });
            }
        }
        // Serialize the member and read it back through the verifier's parser: one code path
        // validates both directions and `signature_params` is exactly what a verifier rebuilds.
        let mut member = String::with_capacity(64);
        member.push_str(label);
        member.push_str("=(");
        for (i, c) in components.iter().enumerate() {
            if i > 0 {
                member.push(' ');
            }
            member.push_str(c.as_str());
        }
        let mut ser = sfv::ListSerializer::new();
        ser.inner_list().finish().parameters(&p);
        let empty_with_params = ser.finish().unwrap_or_default();
        member.push(')');
        member.push_str(empty_with_params.get(2..).unwrap_or_default());
        let limits = Limits {
            max_header_len: usize::MAX,
            ..Limits::DEFAULT
        };
        parse_signature_input([member.as_bytes()], &limits)?
            .pop()
            .ok_or_else(|| Error::invalid_param("signature-input", "member did not round-trip"))
    }

    /// A member with its label and components and no parameters yet (the parsers fill them).
    fn bare(label: &str, components: Vec<ComponentId>) -> Self {
        SignatureInput {
            label: label.to_owned(),
            components,
            params_value: String::new(),
            created: None,
            expires: None,
            nonce: None,
            alg: None,
            keyid: None,
            tag: None,
        }
    }

    fn from_raw(
        label: &str,
        items: &[RawItem<'_>],
        params: &RawParams<'_>,
        limits: &Limits,
    ) -> Result<Self> {
        let at = |p: &str| -> crate::error::At { format!("signature-input.{label}.{p}").into() };
        if items.len() > limits.max_components {
            return Err(Error::limit(
                format!("signature-input.{label}"),
                limits.max_components,
            ));
        }
        if params.len() > limits.max_params {
            return Err(Error::limit(
                format!("signature-input.{label}"),
                limits.max_params,
            ));
        }
        let mut components: Vec<ComponentId> = Vec::with_capacity(items.len());
        let mut params_len = 2;
        for item in items {
            let c = ComponentId::from_input(&item.bare, item.params.as_slice())?;
            if components.contains(&c) {
                return Err(Error::invalid_component(
                    c.as_str().to_owned(),
                    "component listed twice",
                ));
            }
            params_len += c.as_str().len() + 1;
            components.push(c);
        }
        let mut s = SignatureInput::bare(label, components);
        for (k, v) in params.as_slice() {
            let k = k.as_str();
            params_len += k.len() + 2;
            match k {
                "created" | "expires" => {
                    let BareItemFromInput::Integer(i) = v else {
                        return Err(Error::invalid_param(at(k), "must be an integer"));
                    };
                    let i = i64::from(*i);
                    if i < 0 {
                        return Err(Error::invalid_param(at(k), "must not be negative"));
                    }
                    params_len += 16;
                    if k == "created" {
                        s.created = Some(i);
                    } else {
                        s.expires = Some(i);
                    }
                }
                "nonce" | "alg" | "keyid" | "tag" => {
                    let BareItemFromInput::String(v) = v else {
                        return Err(Error::invalid_param(at(k), "must be a string"));
                    };
                    let v = v.as_str();
                    if k == "keyid" && v.len() > limits.max_key_id_len {
                        return Err(Error::limit(at(k), limits.max_key_id_len));
                    }
                    params_len += v.len() + 2;
                    let v = Some(v.to_owned());
                    match k {
                        "nonce" => s.nonce = v,
                        "alg" => s.alg = v,
                        "keyid" => s.keyid = v,
                        _ => s.tag = v,
                    }
                }
                _ => {} // unknown parameters are kept for the base but otherwise ignored
            }
        }
        // `(` + the already strictly serialized identifiers + `)` + the strictly serialized
        // parameters: the same bytes as serializing the inner list.
        let mut v = String::with_capacity(params_len);
        v.push('(');
        for (i, c) in s.components.iter().enumerate() {
            if i > 0 {
                v.push(' ');
            }
            v.push_str(c.as_str());
        }
        v.push(')');
        serialize_params(params.as_slice(), &mut v);
        s.params_value = v;
        Ok(s)
    }

    /// The label (no meaning; never select by it).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Covered components, in order.
    pub fn components(&self) -> &[ComponentId] {
        &self.components
    }

    /// The strict serialization of the inner list with its parameters — the value of the
    /// `@signature-params` base line and of the `Signature-Input` member.
    pub fn signature_params(&self) -> &str {
        &self.params_value
    }

    /// `created`.
    pub fn created(&self) -> Option<i64> {
        self.created
    }

    /// `expires`.
    pub fn expires(&self) -> Option<i64> {
        self.expires
    }

    /// `nonce`.
    pub fn nonce(&self) -> Option<&str> {
        self.nonce.as_deref()
    }

    /// `alg`.
    pub fn alg(&self) -> Option<&str> {
        self.alg.as_deref()
    }

    /// `keyid`.
    pub fn keyid(&self) -> Option<&str> {
        self.keyid.as_deref()
    }

    /// `tag`.
    pub fn tag(&self) -> Option<&str> {
        self.tag.as_deref()
    }

    /// `label=(…);params`, the member as it goes into a `Signature-Input` field.
    pub fn to_field_member(&self) -> String {
        format!("{}={}", self.label, self.params_value)
    }

    /// The `alg` parameter as an [`Algorithm`], if present and known.
    pub fn algorithm(&self) -> Option<Algorithm> {
        self.alg.as_deref().and_then(Algorithm::from_rfc9421_name)
    }
}

fn unreachable_param() -> Error {
    Error::invalid_param("signature-input", "bad parameter name")
}

fn int(t: i64) -> Result<BareItem> {
    sfv::Integer::try_from(t)
        .map(BareItem::Integer)
        .map_err(|_| Error::invalid_param("signature-input", "time out of range"))
}

fn string(s: String) -> Result<BareItem> {
    sfv::String::from_string(s)
        .map(BareItem::String)
        .map_err(|_| Error::invalid_param("signature-input", "value is not an sf-string"))
}

/// Parses every `Signature-Input` field line (merged; labels unique across lines).
///
/// A single line of the common shape is parsed directly (see `parse_signature_input_fast`);
/// anything else goes through the full RFC 8941 parser, with the same result either way.
pub fn parse_signature_input<'a>(
    lines: impl IntoIterator<Item = &'a [u8]>,
    limits: &Limits,
) -> Result<Vec<SignatureInput>> {
    let mut it = lines.into_iter();
    let first = it.next();
    let second = it.next();
    if let (Some(line), None) = (first, second)
        && let Some(fast) = parse_signature_input_fast(line, limits)
    {
        return Ok(fast);
    }
    parse_signature_input_sfv(first.into_iter().chain(second).chain(it), limits)
}

/// A non-negative integer in strict serialization (1–15 digits, no leading zero) at `i`.
fn scan_canonical_int(b: &[u8], i: usize) -> Option<(i64, usize)> {
    let digits = b
        .get(i..)?
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if digits == 0 || digits > 15 || (digits > 1 && b.get(i) == Some(&b'0')) {
        return None;
    }
    let mut v: i64 = 0;
    for &c in b.get(i..i + digits)? {
        v = v * 10 + i64::from(c - b'0');
    }
    Some((v, i + digits))
}

/// An sf-string without escapes (`"` + printable ASCII other than `"` and `\` + `"`) at `i`;
/// returns the content range end (the closing quote's index).
fn scan_plain_string(b: &[u8], i: usize) -> Option<usize> {
    if b.get(i) != Some(&b'"') {
        return None;
    }
    let start = i + 1;
    let len = b
        .get(start..)?
        .iter()
        .position(|&c| c == b'"' || c == b'\\' || !(0x20..=0x7e).contains(&c))?;
    (b.get(start + len) == Some(&b'"')).then_some(start + len)
}

/// The common shape of a `Signature-Input` line, parsed without `sfv`: members
/// `label=("name" "name" …);param=value…` in strict serialization (single spaces inside the
/// inner list, components without parameters, only the six RFC 9421 parameters, each once,
/// integers without sign or leading zero, strings without escapes), so the received text *is*
/// the `@signature-params` value. `None` for anything else, including anything the full parser
/// would reject: then the full parser decides, so both give the same result on every input
/// (the proptest `fast_signature_input_agrees_with_sfv` checks it).
fn parse_signature_input_fast(line: &[u8], limits: &Limits) -> Option<Vec<SignatureInput>> {
    if line.len() > limits.max_header_len {
        return None;
    }
    let text = std::str::from_utf8(line).ok()?;
    let b = line;
    let mut i = 0;
    let mut out: Vec<SignatureInput> = Vec::with_capacity(1);
    loop {
        let label_start = i;
        i = scan_key(b, i)?;
        let label = text.get(label_start..i)?;
        if b.get(i..i + 2)? != b"=(" {
            return None;
        }
        let params_start = i + 1;
        i += 2;
        let mut components: Vec<ComponentId> = Vec::with_capacity(8);
        if b.get(i) != Some(&b')') {
            loop {
                let end = scan_plain_string(b, i)?;
                let name = text.get(i + 1..end)?;
                if components.len() >= limits.max_components
                    || components.iter().any(|c| c.name() == name)
                {
                    return None;
                }
                components.push(ComponentId::plain_from_name(name)?);
                i = end + 1;
                match b.get(i)? {
                    b' ' => i += 1,
                    b')' => break,
                    _ => return None,
                }
            }
        }
        i += 1;
        let mut s = SignatureInput::bare(label, components);
        let mut count = 0;
        while b.get(i) == Some(&b';') {
            let key_start = i + 1;
            i = scan_key(b, key_start)?;
            let key = b.get(key_start..i)?;
            if b.get(i) != Some(&b'=') {
                return None;
            }
            i += 1;
            count += 1;
            if count > limits.max_params {
                return None;
            }
            match key {
                b"created" | b"expires" => {
                    let (v, end) = scan_canonical_int(b, i)?;
                    let slot = if key == b"created" {
                        &mut s.created
                    } else {
                        &mut s.expires
                    };
                    if slot.replace(v).is_some() {
                        return None;
                    }
                    i = end;
                }
                b"nonce" | b"alg" | b"keyid" | b"tag" => {
                    let end = scan_plain_string(b, i)?;
                    let v = text.get(i + 1..end)?;
                    if key == b"keyid" && v.len() > limits.max_key_id_len {
                        return None;
                    }
                    let slot = match key {
                        b"nonce" => &mut s.nonce,
                        b"alg" => &mut s.alg,
                        b"keyid" => &mut s.keyid,
                        _ => &mut s.tag,
                    };
                    if slot.replace(v.to_owned()).is_some() {
                        return None;
                    }
                    i = end + 1;
                }
                _ => return None,
            }
        }
        s.params_value = text.get(params_start..i)?.to_owned();
        if out.len() >= limits.max_signatures || out.iter().any(|o| o.label == s.label) {
            return None;
        }
        out.push(s);
        if i == b.len() {
            return Some(out);
        }
        // OWS "," OWS, then the next member (trailing whitespace or comma: full parser).
        while matches!(b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if b.get(i) != Some(&b',') {
            return None;
        }
        i += 1;
        while matches!(b.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
    }
}

/// The full RFC 8941 path of [`parse_signature_input`].
fn parse_signature_input_sfv<'a>(
    lines: impl IntoIterator<Item = &'a [u8]>,
    limits: &Limits,
) -> Result<Vec<SignatureInput>> {
    let mut scratch = Vec::new();
    let dict = parse_unique_dictionary(
        lines,
        "signature-input",
        limits.max_header_len,
        limits.max_signatures,
        &mut scratch,
    )?;
    let mut out = Vec::with_capacity(dict.len());
    for (label, entry) in &dict {
        match entry {
            RawEntry::InnerList(items, params) => out.push(SignatureInput::from_raw(
                label.as_str(),
                items,
                params,
                limits,
            )?),
            RawEntry::Item(_) => {
                return Err(Error::malformed(
                    format!("signature-input.{}", label.as_str()),
                    "member is not an inner list",
                ));
            }
        }
    }
    Ok(out)
}

/// Parses every `Signature` field line into `(label, signature bytes)` pairs.
///
/// The common shape (`label=:base64:` members, no parameters) is parsed directly; anything
/// else goes through the full RFC 8941 parser, so both accept exactly the same inputs.
pub fn parse_signature<'a>(
    lines: impl IntoIterator<Item = &'a [u8]>,
    limits: &Limits,
) -> Result<Vec<(String, Vec<u8>)>> {
    let lines: Vec<&[u8]> = lines.into_iter().collect();
    if let Some(fast) = parse_signature_fast(&lines, limits) {
        return fast;
    }
    parse_signature_sfv(&lines, limits)
}

/// The full RFC 8941 path of [`parse_signature`].
fn parse_signature_sfv(lines: &[&[u8]], limits: &Limits) -> Result<LabelledSignatures> {
    let mut scratch = Vec::new();
    let dict = parse_unique_dictionary(
        lines.iter().copied(),
        "signature",
        limits.max_header_len,
        limits.max_signatures,
        &mut scratch,
    )?;
    let mut out = Vec::with_capacity(dict.len());
    for (label, entry) in dict {
        match entry {
            RawEntry::Item(RawItem {
                bare: BareItemFromInput::ByteSequence(b),
                ..
            }) => {
                if b.len() > limits.max_signature_len {
                    return Err(Error::limit(
                        format!("signature.{}", label.as_str()),
                        limits.max_signature_len,
                    ));
                }
                out.push((label.as_str().to_owned(), b))
            }
            _ => {
                return Err(Error::malformed(
                    format!("signature.{}", label.as_str()),
                    "member is not a byte sequence",
                ));
            }
        }
    }
    Ok(out)
}

/// Labelled signature bytes, as returned by [`parse_signature`].
type LabelledSignatures = Vec<(String, Vec<u8>)>;

/// `None` = not the simple shape, use the full parser.
fn parse_signature_fast(lines: &[&[u8]], limits: &Limits) -> Option<Result<LabelledSignatures>> {
    let total: usize = lines.iter().map(|l| l.len() + 2).sum();
    if total > limits.max_header_len {
        return None;
    }
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for line in lines {
        for_each_byte_sequence_member(line, |label, b64| {
            let bytes = crate::b64::decode_vec(b64)?;
            if out.iter().any(|(l, _)| l == label) {
                return None; // let the full parser report the duplicate
            }
            if bytes.len() > limits.max_signature_len || out.len() >= limits.max_signatures {
                return None;
            }
            out.push((label.to_owned(), bytes));
            Some(())
        })?;
    }
    if out.is_empty() {
        return None;
    }
    Some(Ok(out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn slow(lines: &[&[u8]], l: &Limits) -> Result<Vec<(String, Vec<u8>)>> {
        parse_signature_sfv(lines, l)
    }

    fn member() -> impl Strategy<Value = String> {
        (
            prop_oneof![
                Just("sig1".to_owned()),
                Just("a".to_owned()),
                "[a-z*][a-z0-9_.*-]{0,4}",
                "[ -~]{0,3}"
            ],
            prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..70).prop_map(|b| {
                    use base64::Engine as _;
                    base64::engine::general_purpose::STANDARD.encode(b)
                }),
                "[A-Za-z0-9+/=]{0,12}",
            ],
            prop_oneof![
                Just(":".to_owned()),
                Just("".to_owned()),
                Just(":;p=1".to_owned())
            ],
        )
            .prop_map(|(k, v, end)| format!("{k}=:{v}{end}"))
    }

    proptest! {
        #[test]
        fn fast_signature_path_agrees_with_sfv(
            members in proptest::collection::vec(member(), 0..4),
            seps in proptest::collection::vec(prop_oneof![Just(", "), Just(","), Just(" ,\t"), Just(",\x0c"), Just(" ")], 4),
            split in any::<bool>(),
        ) {
            let l = Limits::DEFAULT;
            let mut text = String::new();
            for (i, m) in members.iter().enumerate() {
                if i > 0 { text.push_str(seps[i % 4]); }
                text.push_str(m);
            }
            let lines: Vec<&[u8]> = if split { text.as_bytes().split(|&b| b == b' ').collect() } else { vec![text.as_bytes()] };
            if let Some(fast) = parse_signature_fast(&lines, &l) {
                let slow = slow(&lines, &l);
                prop_assert_eq!(fast.ok(), slow.ok(), "{}", text);
            }
        }
    }

    /// Mostly well-formed `Signature-Input` lines with the variations the fast path must
    /// either handle exactly or hand over: item parameters, unknown, repeated or mistyped
    /// parameters, leading zeros, signs, escapes, odd spacing, duplicate labels/components.
    fn input_line() -> impl Strategy<Value = String> {
        let comp = prop_oneof![
            Just(r#""@method""#),
            Just(r#""@target-uri""#),
            Just(r#""@query-param""#),
            Just(r#""@query-param";name="a""#),
            Just(r#""@Method""#),
            Just(r#""@nope""#),
            Just(r#""content-digest""#),
            Just(r#""content-type""#),
            Just(r#""Content-Type""#),
            Just(r#""x-a\"b""#),
            Just(r#""example-dict";sf"#),
            Just(r#""""#),
            Just("tok"),
        ];
        let param = prop_oneof![
            Just(";created=1618884473"),
            Just(";created=0"),
            Just(";created=01"),
            Just(";created=-1"),
            Just(";created=1234567890123456"),
            Just(";created=\"1\""),
            Just(";expires=1618884773"),
            Just(";keyid=\"test-key-ed25519\""),
            Just(";keyid=\"a\\\"b\""),
            Just(";keyid=tok"),
            Just(";alg=\"ed25519\""),
            Just(";nonce=\"b3k2pp5k7z-50gnwp.yemd\""),
            Just(";tag=\"app-123\""),
            Just(";unknown=1"),
            Just(";flag"),
            Just(";Created=1"),
        ];
        let member = (
            prop_oneof![Just("sig1"), Just("sig-b21"), Just("*x"), Just("Sig")],
            proptest::collection::vec(comp, 0..5),
            prop_oneof![Just(" "), Just("  "), Just("\t")],
            proptest::collection::vec(param, 0..6),
        )
            .prop_map(|(l, c, sep, p)| format!("{l}=({}){}", c.join(sep), p.concat()));
        (
            proptest::collection::vec(member, 1..4),
            prop_oneof![Just(", "), Just(","), Just(" ,\t"), Just(" "), Just(", , ")],
            prop_oneof![Just(""), Just(" "), Just(","), Just(";x")],
        )
            .prop_map(|(m, sep, tail)| format!("{}{tail}", m.join(sep)))
    }

    proptest! {
        /// Wherever the fast path answers, the full parser gives the same result.
        #[test]
        fn fast_signature_input_agrees_with_sfv(text in input_line(), small in any::<bool>()) {
            let mut l = Limits::DEFAULT;
            if small {
                l.max_components = 2;
                l.max_params = 2;
                l.max_signatures = 1;
                l.max_key_id_len = 4;
            }
            if let Some(fast) = parse_signature_input_fast(text.as_bytes(), &l) {
                let slow = parse_signature_input_sfv([text.as_bytes()], &l);
                prop_assert_eq!(Ok(fast), slow, "{}", text);
            }
        }
    }

    #[test]
    fn fast_path_takes_the_usual_shapes() {
        let l = Limits::DEFAULT;
        for v in [
            r#"sig1=("@method" "@target-uri" "content-digest" "content-type");created=1764547200;keyid="https://local.example/actor#ed25519-key";alg="ed25519""#,
            r#"proxy_sig=("@method" "@authority" "@path" "content-digest" "content-type" "content-length" "forwarded");created=1618884480;keyid="test-key-rsa";alg="rsa-v1_5-sha256";expires=1618884540"#,
            r#"sig-b21=();created=1618884473;keyid="test-key-rsa-pss";nonce="b3k2pp5k7z-50gnwp.yemd", b=("@method")"#,
        ] {
            let fast = parse_signature_input_fast(v.as_bytes(), &l);
            assert!(fast.is_some(), "{v}");
            assert_eq!(
                fast.map(Ok),
                Some(parse_signature_input_sfv([v.as_bytes()], &l))
            );
        }
    }

    #[test]
    fn round_trips_the_rfc_member() {
        let v = br#"proxy_sig=("@method" "@authority" "@path" "content-digest" "content-type" "content-length" "forwarded");created=1618884480;keyid="test-key-rsa";alg="rsa-v1_5-sha256";expires=1618884540"#;
        let s = parse_signature_input([&v[..]], &Limits::DEFAULT).unwrap();
        assert_eq!(s.len(), 1);
        let s = &s[0];
        assert_eq!(s.label(), "proxy_sig");
        assert_eq!(s.components().len(), 7);
        assert_eq!(s.created(), Some(1618884480));
        assert_eq!(s.expires(), Some(1618884540));
        assert_eq!(s.keyid(), Some("test-key-rsa"));
        assert_eq!(s.algorithm(), Some(Algorithm::RsaPkcs1Sha256));
        assert_eq!(s.to_field_member().as_bytes(), &v[..]);
    }

    #[test]
    fn builds_for_signing() {
        let s = SignatureInput::new(
            "sig1",
            vec![ComponentId::new("@method").unwrap()],
            [
                SignatureParam::Created(1),
                SignatureParam::KeyId("k".into()),
                SignatureParam::Alg("ed25519".into()),
            ],
        )
        .unwrap();
        assert_eq!(
            s.signature_params(),
            r#"("@method");created=1;keyid="k";alg="ed25519""#
        );
        assert!(SignatureInput::new("Bad", vec![], []).is_err());
    }

    #[test]
    fn rejects_bad_members() {
        let l = Limits::DEFAULT;
        for (v, kind) in [
            (&br#"a=("@method" "@method")"#[..], "invalid_component"),
            (br#"a=();created=-1"#, "invalid_parameter"),
            (br#"a=();created="1""#, "invalid_parameter"),
            (br#"a=();keyid=tok"#, "invalid_parameter"),
            (br#"a="x""#, "malformed_header"),
            (br#"a=(), a=()"#, "duplicate_parameter"),
            (br#"a=("x"#, "malformed_header"),
        ] {
            assert_eq!(
                parse_signature_input([v], &l).unwrap_err().kind(),
                kind,
                "{}",
                String::from_utf8_lossy(v)
            );
        }
        assert_eq!(
            parse_signature([&b"a=1"[..]], &l).unwrap_err().kind(),
            "malformed_header"
        );
        let s = parse_signature([&b"a=:AAEC:"[..], &b"b=:AA==:"[..]], &l).unwrap();
        assert_eq!(s, vec![("a".into(), vec![0, 1, 2]), ("b".into(), vec![0])]);
    }
}
