//! Strict RFC 8941 helpers on top of `sfv`'s visitor API: dictionaries whose keys must be
//! unique across all field lines (labels), with a member-count limit, parsed without building
//! an owned `sfv::Dictionary`. Members, items and parameters borrow from the field value
//! (strings without escapes, tokens, keys); only byte sequences and escaped strings are owned.

use std::convert::Infallible;

use sfv::visitor::{
    DictionaryVisitor, EntryVisitor, InnerListVisitor, ItemVisitor, ParameterVisitor,
};
use sfv::{BareItemFromInput, KeyRef, Parser, RefBareItem, Version};

use crate::error::{Error, Result};

/// Parameters in received order. A repeated key keeps its first position and takes the last
/// value (RFC 8941 §4.2.3.2; what an `sfv::Parameters` map does), see [`RawParams::dedup`].
#[derive(Debug, Default)]
pub(crate) struct RawParams<'de>(Vec<(&'de KeyRef, BareItemFromInput<'de>)>);

impl<'de> RawParams<'de> {
    /// The parameters, duplicates already merged.
    pub(crate) fn as_slice(&self) -> &[(&'de KeyRef, BareItemFromInput<'de>)] {
        &self.0
    }

    pub(crate) fn len(&self) -> usize {
        self.0.len()
    }

    /// Merges repeated keys in place: O(n²) on the usual handful, a hash map past that so an
    /// 8 KiB field of `;a;a;a…` stays linear.
    fn dedup(&mut self) {
        let v = &mut self.0;
        if v.len() < 2 {
            return;
        }
        // The usual case, no repeats: nothing to rebuild.
        let repeats = |v: &[(&KeyRef, BareItemFromInput<'_>)]| {
            v.iter().enumerate().any(|(i, (k, _))| {
                v.get(..i)
                    .is_some_and(|before| before.iter().any(|(o, _)| o == k))
            })
        };
        if v.len() <= 16 && !repeats(v) {
            return;
        }
        let mut out: Vec<(&'de KeyRef, BareItemFromInput<'de>)> = Vec::with_capacity(v.len());
        if v.len() <= 16 {
            for (k, val) in v.drain(..) {
                match out.iter_mut().find(|(o, _)| *o == k) {
                    Some(slot) => slot.1 = val,
                    None => out.push((k, val)),
                }
            }
        } else {
            let mut index: std::collections::HashMap<&'de str, usize> =
                std::collections::HashMap::with_capacity(v.len());
            for (k, val) in v.drain(..) {
                match index.get(k.as_str()) {
                    Some(&i) => {
                        if let Some(slot) = out.get_mut(i) {
                            slot.1 = val;
                        }
                    }
                    None => {
                        index.insert(k.as_str(), out.len());
                        out.push((k, val));
                    }
                }
            }
        }
        *v = out;
    }
}

/// An item: bare item plus parameters.
#[derive(Debug)]
pub(crate) struct RawItem<'de> {
    pub(crate) bare: BareItemFromInput<'de>,
    pub(crate) params: RawParams<'de>,
}

impl RawItem<'_> {
    fn placeholder() -> Self {
        RawItem {
            bare: BareItemFromInput::Boolean(true),
            params: RawParams::default(),
        }
    }
}

/// A dictionary member's value.
#[derive(Debug)]
pub(crate) enum RawEntry<'de> {
    /// An item.
    Item(RawItem<'de>),
    /// An inner list with its parameters.
    InnerList(Vec<RawItem<'de>>, RawParams<'de>),
}

// The visitors below all hold the dictionary being built and fill its last member: `sfv`
// visits members, items and parameters strictly in order, so "the last one" is always the one
// being parsed (no indices, nothing to unwrap).

/// Which parameter list of the last member a [`LastParams`] fills.
#[derive(Clone, Copy)]
enum ParamsOf {
    /// The member's item.
    Item,
    /// The last item of the member's inner list.
    ListItem,
    /// The member's inner list.
    List,
}

fn last_params<'a, 'de>(
    dict: &'a mut RawDictionary<'de>,
    of: ParamsOf,
) -> Option<&'a mut RawParams<'de>> {
    match (dict.last_mut()?, of) {
        ((_, RawEntry::Item(item)), ParamsOf::Item) => Some(&mut item.params),
        ((_, RawEntry::InnerList(items, _)), ParamsOf::ListItem) => {
            items.last_mut().map(|i| &mut i.params)
        }
        ((_, RawEntry::InnerList(_, params)), ParamsOf::List) => Some(params),
        _ => None,
    }
}

struct LastParams<'a, 'de>(&'a mut RawDictionary<'de>, ParamsOf);

impl<'de> ParameterVisitor<'de> for LastParams<'_, 'de> {
    type Out = ();
    type Error = Infallible;

    fn parameter(
        &mut self,
        key: &'de KeyRef,
        value: BareItemFromInput<'de>,
    ) -> std::result::Result<(), Infallible> {
        if let Some(p) = last_params(self.0, self.1) {
            p.0.push((key, value));
        }
        Ok(())
    }

    fn finish(self) -> std::result::Result<(), Infallible> {
        if let Some(p) = last_params(self.0, self.1) {
            p.dedup();
        }
        Ok(())
    }
}

/// The member's own item ([`ParamsOf::Item`]) or a new item of its inner list
/// ([`ParamsOf::ListItem`]).
struct LastItem<'a, 'de>(&'a mut RawDictionary<'de>, ParamsOf);

impl<'a, 'de> ItemVisitor<'de> for LastItem<'a, 'de> {
    type Out = ();
    type Error = Infallible;

    fn bare_item(
        self,
        bare_item: BareItemFromInput<'de>,
    ) -> std::result::Result<impl ParameterVisitor<'de, Out = ()>, Infallible> {
        let item = RawItem {
            bare: bare_item,
            params: RawParams::default(),
        };
        match (self.0.last_mut(), self.1) {
            (Some((_, entry)), ParamsOf::Item) => *entry = RawEntry::Item(item),
            (Some((_, RawEntry::InnerList(items, _))), ParamsOf::ListItem) => items.push(item),
            _ => {}
        }
        Ok(LastParams(self.0, self.1))
    }
}

/// The member's inner list.
struct LastList<'a, 'de>(&'a mut RawDictionary<'de>);

impl<'a, 'de> InnerListVisitor<'de> for LastList<'a, 'de> {
    type Error = Infallible;

    fn item(&mut self) -> std::result::Result<impl ItemVisitor<'de>, Infallible> {
        Ok(LastItem(&mut *self.0, ParamsOf::ListItem))
    }

    fn finish(self) -> std::result::Result<impl ParameterVisitor<'de>, Infallible> {
        Ok(LastParams(self.0, ParamsOf::List))
    }
}

/// The member just added by [`UniqueDict`].
struct LastEntry<'a, 'de>(&'a mut RawDictionary<'de>);

impl<'a, 'de> EntryVisitor<'de> for LastEntry<'a, 'de> {
    type Error = Infallible;

    fn item(self) -> std::result::Result<impl ItemVisitor<'de>, Infallible> {
        Ok(LastItem(self.0, ParamsOf::Item))
    }

    fn inner_list(self) -> std::result::Result<impl InnerListVisitor<'de>, Infallible> {
        if let Some((_, entry)) = self.0.last_mut() {
            *entry = RawEntry::InnerList(Vec::new(), RawParams::default());
        }
        Ok(LastList(self.0))
    }
}

#[derive(Debug)]
struct Stop;

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("stopped")
    }
}

impl std::error::Error for Stop {}

/// Borrowed dictionary members in order.
pub(crate) type RawDictionary<'de> = Vec<(&'de KeyRef, RawEntry<'de>)>;

struct UniqueDict<'de> {
    members: RawDictionary<'de>,
    duplicate: Option<String>,
    max: usize,
    too_many: bool,
}

impl<'de> DictionaryVisitor<'de> for &mut UniqueDict<'de> {
    type Out = ();
    type Error = Stop;

    fn entry(&mut self, key: &'de KeyRef) -> std::result::Result<impl EntryVisitor<'de>, Stop> {
        if self.members.iter().any(|(k, _)| *k == key) {
            self.duplicate = Some(key.as_str().to_owned());
            return Err(Stop);
        }
        if self.members.len() >= self.max {
            self.too_many = true;
            return Err(Stop);
        }
        self.members
            .push((key, RawEntry::Item(RawItem::placeholder())));
        Ok(LastEntry(&mut self.members))
    }

    fn finish(self) -> std::result::Result<(), Stop> {
        Ok(())
    }
}

/// Parses the field lines of a Dictionary field, combined with `", "` (into `scratch` when
/// there are several), rejecting a key that occurs twice (RFC 9421 §4: labels are unique
/// across all instances). The result borrows from the lines or from `scratch`.
pub(crate) fn parse_unique_dictionary<'l: 'de, 'de>(
    lines: impl IntoIterator<Item = &'l [u8]>,
    header: &'static str,
    max_len: usize,
    max_members: usize,
    scratch: &'de mut Vec<u8>,
) -> Result<RawDictionary<'de>> {
    let mut it = lines.into_iter();
    let first = it.next().unwrap_or_default();
    let Some(second) = it.next() else {
        // One field line: parse it in place.
        if first.len() > max_len {
            return Err(Error::limit(header, max_len));
        }
        return parse_unique_dictionary_bytes(first, header, max_members);
    };
    scratch.clear();
    for (i, line) in [first, second].into_iter().chain(it).enumerate() {
        if i > 0 {
            scratch.extend_from_slice(b", ");
        }
        if scratch.len() + line.len() > max_len {
            return Err(Error::limit(header, max_len));
        }
        scratch.extend_from_slice(line);
    }
    parse_unique_dictionary_bytes(scratch, header, max_members)
}

fn parse_unique_dictionary_bytes<'de>(
    input: &'de [u8],
    header: &'static str,
    max_members: usize,
) -> Result<RawDictionary<'de>> {
    let mut v = UniqueDict {
        members: Vec::new(),
        duplicate: None,
        max: max_members,
        too_many: false,
    };
    let res = Parser::new(input)
        .with_version(Version::Rfc8941)
        .parse_dictionary_with_visitor(&mut v);
    match res {
        Ok(()) => Ok(v.members),
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

/// `key` (RFC 8941 §3.1.2: `( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" )`)
/// starting at `i`; returns the index after it.
pub(crate) fn scan_key(b: &[u8], mut i: usize) -> Option<usize> {
    let first = *b.get(i)?;
    if !(first.is_ascii_lowercase() || first == b'*') {
        return None;
    }
    i += 1;
    while b.get(i).is_some_and(|&c| {
        c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, b'_' | b'-' | b'.' | b'*')
    }) {
        i += 1;
    }
    Some(i)
}

/// The simple shape of a Dictionary of byte sequences on one line: `key=:base64:` members
/// without parameters, separated by `OWS "," OWS`, no leading or trailing whitespace or comma.
/// Calls `f(key, base64 text)` for each member in order. `None` when the line is not of that
/// shape or `f` returns `None`: the caller then uses the full parser (which also reports the
/// errors), so the fast paths built on this accept nothing the full parser would not.
pub(crate) fn for_each_byte_sequence_member<'a>(
    line: &'a [u8],
    mut f: impl FnMut(&'a str, &'a [u8]) -> Option<()>,
) -> Option<()> {
    let mut i = 0;
    loop {
        let key_end = scan_key(line, i)?;
        // The key is ASCII by construction.
        let key = std::str::from_utf8(line.get(i..key_end)?).ok()?;
        if line.get(key_end..key_end + 2)? != b"=:" {
            return None;
        }
        let start = key_end + 2;
        let len = line.get(start..)?.iter().position(|&b| b == b':')?;
        f(key, line.get(start..start + len)?)?;
        i = start + len + 1;
        if i == line.len() {
            return Some(());
        }
        while matches!(line.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
        if line.get(i) != Some(&b',') {
            return None; // trailing whitespace or junk
        }
        i += 1;
        while matches!(line.get(i), Some(b' ' | b'\t')) {
            i += 1;
        }
    }
}

/// Appends `;key[=value]` for each parameter: RFC 8941 §4.1.1.2, byte for byte what `sfv`'s
/// serializers write.
pub(crate) fn serialize_params(params: &[(&KeyRef, BareItemFromInput<'_>)], out: &mut String) {
    for (k, v) in params {
        out.push(';');
        out.push_str(k.as_str());
        let v = RefBareItem::from(v);
        if v != RefBareItem::Boolean(true) {
            out.push('=');
            let _ = sfv::ItemSerializer::with_buffer(out).bare_item(v);
        }
    }
}

/// The strict serialization of an item and its parameters (error locations, identifiers).
pub(crate) fn serialize_item(
    bare: &BareItemFromInput<'_>,
    params: &[(&KeyRef, BareItemFromInput<'_>)],
) -> String {
    let mut out = String::new();
    let _ = sfv::ItemSerializer::with_buffer(&mut out).bare_item(bare);
    serialize_params(params, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse<'de>(
        lines: &[&'de [u8]],
        max_len: usize,
        max: usize,
        scratch: &'de mut Vec<u8>,
    ) -> Result<RawDictionary<'de>> {
        parse_unique_dictionary(lines.iter().copied(), "signature", max_len, max, scratch)
    }

    /// Serializes a borrowed dictionary the way `sfv` serializes an owned one.
    fn serialize(d: &RawDictionary<'_>) -> String {
        let mut out = String::new();
        for (i, (k, e)) in d.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            out.push_str(k.as_str());
            match e {
                RawEntry::Item(item) => {
                    if RefBareItem::from(&item.bare) == RefBareItem::Boolean(true) {
                        serialize_params(item.params.as_slice(), &mut out);
                    } else {
                        out.push('=');
                        out.push_str(&serialize_item(&item.bare, item.params.as_slice()));
                    }
                }
                RawEntry::InnerList(items, params) => {
                    out.push_str("=(");
                    for (j, item) in items.iter().enumerate() {
                        if j > 0 {
                            out.push(' ');
                        }
                        out.push_str(&serialize_item(&item.bare, item.params.as_slice()));
                    }
                    out.push(')');
                    serialize_params(params.as_slice(), &mut out);
                }
            }
        }
        out
    }

    #[test]
    fn merges_lines_and_rejects_duplicates() {
        let mut s = Vec::new();
        let d = parse(&[&b"a=1"[..], &b"b=(\"x\")"[..]], 100, 8, &mut s).unwrap();
        assert_eq!(d.len(), 2);
        let mut s = Vec::new();
        let e = parse(&[&b"a=1"[..], &b"a=2"[..]], 100, 8, &mut s).unwrap_err();
        assert_eq!(
            (e.kind(), e.at()),
            ("duplicate_parameter", Some("signature.a"))
        );
        let mut s = Vec::new();
        let e = parse(&[&b"a=1, b=2, c=3"[..]], 100, 2, &mut s).unwrap_err();
        assert_eq!(e.kind(), "limit_exceeded");
        let e = parse(&[&b"a=1, b=2"[..], &b"c=3"[..]], 8, 8, &mut s).unwrap_err();
        assert_eq!(e.kind(), "limit_exceeded");
        let mut s = Vec::new();
        let e = parse(&[&b"a=\"unterminated"[..]], 100, 2, &mut s).unwrap_err();
        assert_eq!(e.kind(), "malformed_header");
        // RFC 9651 dates are not RFC 8941.
        let mut s = Vec::new();
        let e = parse(&[&b"a=@1"[..]], 100, 2, &mut s).unwrap_err();
        assert_eq!(e.kind(), "malformed_header");
    }

    #[test]
    fn repeated_parameters_keep_first_position_and_last_value() {
        let mut s = Vec::new();
        let d = parse(
            &[&br#"a=("x";sf;key="k";sf=?0 "y");p=1;q;p=2"#[..]],
            100,
            8,
            &mut s,
        )
        .unwrap();
        assert_eq!(serialize(&d), r#"a=("x";sf=?0;key="k" "y");p=2;q"#);
        // Past 16 parameters the merge takes the hash-map path; same result.
        let many: String = (0..40).map(|i| format!(";k{}={i}", i % 20)).collect();
        let field = format!("a=(){many}");
        let mut s = Vec::new();
        let d = parse(&[field.as_bytes()], 1000, 8, &mut s).unwrap();
        let want: String = (20..40).map(|i| format!(";k{}={i}", i % 20)).collect();
        assert_eq!(serialize(&d), format!("a=(){want}"));
    }

    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("a".to_owned()),
            Just("b".to_owned()),
            Just("=".to_owned()),
            Just(";".to_owned()),
            Just(", ".to_owned()),
            Just("(".to_owned()),
            Just(")".to_owned()),
            Just(" ".to_owned()),
            Just("\"x\\\"y\"".to_owned()),
            Just("\"@method\"".to_owned()),
            Just(":AAE=:".to_owned()),
            Just("?1".to_owned()),
            Just("?0".to_owned()),
            Just("-12".to_owned()),
            Just("1.50".to_owned()),
            Just("tok/en".to_owned()),
            Just("sf".to_owned()),
            Just("key".to_owned()),
            "[ -~]{0,3}",
        ]
    }

    /// Mostly well-formed members: items and inner lists with (often repeated) parameters.
    fn structured() -> impl Strategy<Value = String> {
        let bare = prop_oneof![
            Just("\"@method\"".to_owned()),
            Just("\"content-digest\"".to_owned()),
            Just("\"a\\\"b\"".to_owned()),
            Just("tok".to_owned()),
            Just("?1".to_owned()),
            Just("?0".to_owned()),
            Just("12".to_owned()),
            Just("-3".to_owned()),
            Just("1.50".to_owned()),
            Just(":AAE=:".to_owned()),
        ];
        let param = (
            prop_oneof![
                Just("sf"),
                Just("key"),
                Just("req"),
                Just("created"),
                Just("k")
            ],
            prop_oneof![Just(None), bare.clone().prop_map(Some)],
        )
            .prop_map(|(k, v)| match v {
                Some(v) => format!(";{k}={v}"),
                None => format!(";{k}"),
            });
        let params = proptest::collection::vec(param, 0..5).prop_map(|v| v.concat());
        let item = (bare, params.clone()).prop_map(|(b, p)| format!("{b}{p}"));
        let value = prop_oneof![
            item.clone().prop_map(|i| format!("={i}")),
            params.clone(),
            (proptest::collection::vec(item, 0..4), params)
                .prop_map(|(items, p)| format!("=({}){p}", items.join(" "))),
        ];
        let member = (
            prop_oneof![Just("sig1"), Just("sig2"), Just("a"), Just("*x")],
            value,
        )
            .prop_map(|(k, v)| format!("{k}{v}"));
        (
            proptest::collection::vec(member, 0..4),
            prop_oneof![Just(", "), Just(","), Just(" , ")],
        )
            .prop_map(|(m, sep)| m.join(sep))
    }

    proptest! {
        /// Well-formed input: same members, items and parameters as `sfv`'s owned parse.
        #[test]
        fn agrees_with_sfv_on_structured_dictionaries(text in structured()) {
            let mut s = Vec::new();
            let ours = parse(&[text.as_bytes()], 8192, 64, &mut s);
            let theirs: std::result::Result<sfv::Dictionary, _> = Parser::new(text.as_bytes())
                .with_version(Version::Rfc8941)
                .parse_dictionary();
            match (ours, theirs) {
                (Ok(d), Ok(t)) => {
                    let t = sfv::FieldType::serialize(&t).unwrap_or_default();
                    prop_assert_eq!(serialize(&d), t, "{}", text);
                }
                (Err(e), Ok(_)) => prop_assert_eq!(e.kind(), "duplicate_parameter", "{}", text),
                (Ok(d), Err(_)) => prop_assert!(false, "{} accepted as {}", text, serialize(&d)),
                (Err(_), Err(_)) => {}
            }
        }

        /// Same accept/reject and, when accepted, the same members, items and parameters as
        /// `sfv`'s own owned parse (compared through their strict serializations).
        #[test]
        fn agrees_with_sfv_owned_dictionary(parts in proptest::collection::vec(fragment(), 0..24)) {
            let text: String = parts.concat();
            let mut s = Vec::new();
            let ours = parse(&[text.as_bytes()], 8192, 64, &mut s);
            let theirs: std::result::Result<sfv::Dictionary, _> = Parser::new(text.as_bytes())
                .with_version(Version::Rfc8941)
                .parse_dictionary();
            match (ours, theirs) {
                (Ok(d), Ok(t)) => {
                    let t = sfv::FieldType::serialize(&t).unwrap_or_default();
                    prop_assert_eq!(serialize(&d), t, "{}", text);
                }
                (Err(e), Ok(t)) => {
                    // Only our unique-label rule may reject what sfv accepts.
                    prop_assert_eq!(e.kind(), "duplicate_parameter", "{} vs {:?}", text, t);
                }
                (Ok(d), Err(_)) => prop_assert!(false, "{} accepted as {}", text, serialize(&d)),
                (Err(_), Err(_)) => {}
            }
        }
    }
}
