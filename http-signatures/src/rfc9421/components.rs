//! RFC 9421 component identifiers (§2): a name (`@method`, `content-digest`) plus parameters
//! (`sf`, `key`, `bs`, `req`, `tr`, `name`), with strict validation.

use sfv::{BareItem, BareItemFromInput, Item, KeyRef};

use super::sf::{serialize_item, serialize_params};
use crate::error::{Error, Result};
/// The derived component names of RFC 9421 §2.2.
pub const DERIVED_COMPONENTS: [&str; 9] = [
    "@method",
    "@target-uri",
    "@authority",
    "@scheme",
    "@request-target",
    "@path",
    "@query",
    "@query-param",
    "@status",
];

/// A covered component identifier. Equality ignores parameter order (RFC 9421 §2); the
/// original order is kept for serialization.
#[derive(Debug, Clone)]
pub struct ComponentId {
    /// The strict serialization; the name is `serialized[1..=name_len]` (a validated name has
    /// no `"` or `\\`, so it is serialized verbatim between the first two quotes).
    serialized: String,
    name_len: usize,
    plain: bool,
    sf: bool,
    bs: bool,
    req: bool,
    tr: bool,
    key: Option<String>,
    query_name: Option<String>,
}

impl PartialEq for ComponentId {
    fn eq(&self, o: &Self) -> bool {
        self.name() == o.name()
            && self.sf == o.sf
            && self.bs == o.bs
            && self.req == o.req
            && self.tr == o.tr
            && self.key == o.key
            && self.query_name == o.query_name
    }
}

impl Eq for ComponentId {}

impl ComponentId {
    /// A component without parameters (`@method`, `content-type`, …).
    pub fn new(name: &str) -> Result<Self> {
        let s = sfv::String::from_string(name.to_owned())
            .map_err(|_| Error::invalid_component(name.to_owned(), "not an sf-string"))?;
        Self::from_item(Item::new(BareItem::String(s)))
    }

    /// Parses a serialized identifier such as `"@query-param";name="Pet"`.
    pub fn parse(s: &str) -> Result<Self> {
        let item: Item = sfv::Parser::new(s)
            .with_version(sfv::Version::Rfc8941)
            .parse_item()
            .map_err(|e| {
                Error::invalid_component(crate::algorithm::truncate_owned(s), e.to_string())
            })?;
        Self::from_item(item)
    }

    /// `@query-param;name="…"` (the name as it must appear: percent-encoded, RFC 9421 §2.2.8).
    pub fn query_param(name: &str) -> Result<Self> {
        Self::new("@query-param")?.with_string_param("name", name)
    }

    /// Adds `;sf`.
    pub fn with_sf(self) -> Result<Self> {
        self.with_param("sf", BareItem::Boolean(true))
    }

    /// Adds `;bs`.
    pub fn with_bs(self) -> Result<Self> {
        self.with_param("bs", BareItem::Boolean(true))
    }

    /// Adds `;req`.
    pub fn with_req(self) -> Result<Self> {
        self.with_param("req", BareItem::Boolean(true))
    }

    /// Adds `;key="…"`.
    pub fn with_key(self, key: &str) -> Result<Self> {
        self.with_string_param("key", key)
    }

    fn with_string_param(self, p: &str, v: &str) -> Result<Self> {
        let s = sfv::String::from_string(v.to_owned()).map_err(|_| {
            Error::invalid_component(self.serialized.clone(), "parameter is not an sf-string")
        })?;
        self.with_param(p, BareItem::String(s))
    }

    fn with_param(self, p: &str, v: BareItem) -> Result<Self> {
        let mut item: Item = sfv::Parser::new(&self.serialized)
            .with_version(sfv::Version::Rfc8941)
            .parse_item()
            .map_err(|e| Error::invalid_component(self.serialized.clone(), e.to_string()))?;
        let key = sfv::Key::from_string(p.to_owned())
            .map_err(|_| Error::invalid_component(p.to_owned(), "bad parameter name"))?;
        item.params.insert(key, v);
        Self::from_item(item)
    }

    /// Validates an identifier parsed from a `Signature-Input` inner list.
    pub fn from_item(item: Item) -> Result<Self> {
        let params: Vec<(&KeyRef, BareItemFromInput<'_>)> = item
            .params
            .iter()
            .map(|(k, v)| (&**k, borrow_bare(v)))
            .collect();
        Self::from_input(&borrow_bare(&item.bare_item), &params)
    }

    /// Validates an identifier from borrowed parts (the zero-copy `Signature-Input` parse);
    /// `params` must already have repeated keys merged.
    pub(crate) fn from_input(
        bare: &BareItemFromInput<'_>,
        params: &[(&KeyRef, BareItemFromInput<'_>)],
    ) -> Result<Self> {
        // Error locations serialize lazily; the hot path never pays for them.
        let at = || crate::algorithm::truncate_owned(&serialize_item(bare, params));
        let name: &str = match bare {
            BareItemFromInput::String(s) => s.as_str(),
            _ => {
                return Err(Error::invalid_component(
                    at(),
                    "component name must be a string",
                ));
            }
        };
        if name.is_empty() {
            return Err(Error::invalid_component(at(), "empty component name"));
        }
        let derived = name.starts_with('@');
        if derived {
            if !DERIVED_COMPONENTS.contains(&name) {
                return Err(Error::invalid_component(at(), "unknown derived component"));
            }
        } else if !name.bytes().all(is_field_name_byte) {
            return Err(Error::invalid_component(
                at(),
                "field name must be a lower-case token",
            ));
        }
        // The validated name has no `"` or `\\`: it serializes as `"name"` + parameters.
        let mut serialized = String::with_capacity(name.len() + 2);
        serialized.push('"');
        serialized.push_str(name);
        serialized.push('"');
        serialize_params(params, &mut serialized);
        let at = || crate::algorithm::truncate_owned(&serialized);
        let mut c = ComponentId::flagless(String::new(), name.len(), params.is_empty());
        for (k, v) in params {
            let flag = |v: &BareItemFromInput<'_>| -> Result<bool> {
                match v {
                    BareItemFromInput::Boolean(true) => Ok(true),
                    _ => Err(Error::invalid_component(
                        at(),
                        format!("parameter {} must be boolean true", k.as_str()),
                    )),
                }
            };
            let string = |v: &BareItemFromInput<'_>| -> Result<String> {
                match v {
                    BareItemFromInput::String(s) => Ok(s.as_str().to_owned()),
                    _ => Err(Error::invalid_component(
                        at(),
                        format!("parameter {} must be a string", k.as_str()),
                    )),
                }
            };
            match k.as_str() {
                "sf" if !derived => c.sf = flag(v)?,
                "bs" if !derived => c.bs = flag(v)?,
                "tr" if !derived => c.tr = flag(v)?,
                "key" if !derived => c.key = Some(string(v)?),
                "req" => c.req = flag(v)?,
                "name" if name == "@query-param" => c.query_name = Some(string(v)?),
                _ => {
                    return Err(Error::invalid_component(
                        at(),
                        format!("unknown or misplaced parameter {}", k.as_str()),
                    ));
                }
            }
        }
        if c.bs && (c.sf || c.key.is_some()) {
            return Err(Error::invalid_component(
                at(),
                "bs cannot be combined with sf or key",
            ));
        }
        if name == "@query-param" && c.query_name.is_none() {
            return Err(Error::invalid_component(
                at(),
                "@query-param needs a name parameter",
            ));
        }
        c.serialized = serialized;
        Ok(c)
    }

    /// A parameterless identifier from a name already known to be a valid sf-string without
    /// escapes (the `Signature-Input` fast path); `None` when the name is not a valid component
    /// name, so the caller falls back to the full parser and its error.
    pub(crate) fn plain_from_name(name: &str) -> Option<Self> {
        if !is_valid_plain_name(name) {
            return None;
        }
        let mut serialized = String::with_capacity(name.len() + 2);
        serialized.push('"');
        serialized.push_str(name);
        serialized.push('"');
        Some(ComponentId::flagless(serialized, name.len(), true))
    }

    /// An identifier with no flags set yet (`serialized` and the name length given).
    fn flagless(serialized: String, name_len: usize, plain: bool) -> Self {
        ComponentId {
            serialized,
            name_len,
            plain,
            sf: false,
            bs: false,
            req: false,
            tr: false,
            key: None,
            query_name: None,
        }
    }

    /// The component name (`@method`, `content-digest`).
    pub fn name(&self) -> &str {
        self.serialized.get(1..=self.name_len).unwrap_or_default()
    }

    /// Whether this is a derived component (`@…`).
    pub fn is_derived(&self) -> bool {
        self.name().starts_with('@')
    }

    /// The strict serialization (`"@query-param";name="Pet"`), as it appears in a base line.
    pub fn as_str(&self) -> &str {
        &self.serialized
    }

    /// `;sf` is set.
    pub fn sf(&self) -> bool {
        self.sf
    }

    /// `;bs` is set.
    pub fn bs(&self) -> bool {
        self.bs
    }

    /// `;req` is set.
    pub fn req(&self) -> bool {
        self.req
    }

    /// `;tr` is set.
    pub fn tr(&self) -> bool {
        self.tr
    }

    /// `;key="…"`.
    pub fn key(&self) -> Option<&str> {
        self.key.as_deref()
    }

    /// `;name="…"` of `@query-param`.
    pub fn query_name(&self) -> Option<&str> {
        self.query_name.as_deref()
    }

    /// Whether the identifier has no parameters.
    pub fn is_plain(&self) -> bool {
        self.plain
    }
}

/// Whether `name` alone (no parameters) is a valid component: a known derived component that
/// needs no parameter, or a lower-case field name token. Same rules as
/// [`ComponentId::from_input`].
fn is_valid_plain_name(name: &str) -> bool {
    if name.starts_with('@') {
        name != "@query-param" && DERIVED_COMPONENTS.contains(&name)
    } else {
        !name.is_empty() && name.bytes().all(is_field_name_byte)
    }
}

fn is_field_name_byte(b: u8) -> bool {
    b.is_ascii_lowercase() || b.is_ascii_digit() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// Borrows an owned bare item as parser output (only byte sequences are copied).
fn borrow_bare(b: &BareItem) -> BareItemFromInput<'_> {
    match b {
        BareItem::Integer(i) => BareItemFromInput::Integer(*i),
        BareItem::Decimal(d) => BareItemFromInput::Decimal(*d),
        BareItem::String(s) => BareItemFromInput::String(std::borrow::Cow::Borrowed(s)),
        BareItem::ByteSequence(b) => BareItemFromInput::ByteSequence(b.clone()),
        BareItem::Boolean(v) => BareItemFromInput::Boolean(*v),
        BareItem::Token(t) => BareItemFromInput::Token(t),
        BareItem::Date(d) => BareItemFromInput::Date(*d),
        BareItem::DisplayString(d) => {
            BareItemFromInput::DisplayString(std::borrow::Cow::Borrowed(d.as_str()))
        }
    }
}

impl std::fmt::Display for ComponentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.serialized)
    }
}

impl std::str::FromStr for ComponentId {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        ComponentId::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_serializes() {
        let c = ComponentId::parse(r#""@query-param";name="Pet""#).unwrap();
        assert_eq!(c.as_str(), r#""@query-param";name="Pet""#);
        assert_eq!(c.query_name(), Some("Pet"));
        let c = ComponentId::parse(r#""example-dict";key="a";sf"#).unwrap();
        assert_eq!(c.as_str(), r#""example-dict";key="a";sf"#);
        assert!(c.sf());
        let c = ComponentId::new("@authority").unwrap().with_req().unwrap();
        assert_eq!(c.as_str(), r#""@authority";req"#);
        assert_eq!(
            ComponentId::parse(r#""a";sf;key="x""#).unwrap(),
            ComponentId::parse(r#""a";key="x";sf"#).unwrap()
        );
    }

    #[test]
    fn rejects_bad_identifiers() {
        for s in [
            r#""@nope""#,
            r#""Content-Type""#,
            r#""a";bs;sf"#,
            r#""a";foo"#,
            r#""a";sf=?0"#,
            r#""a";key=1"#,
            r#""@query-param""#,
            r#""@method";sf"#,
            r#""a";name="x""#,
            "token",
            r#""""#,
            r#""@signature-params""#,
        ] {
            assert_eq!(
                ComponentId::parse(s).unwrap_err().kind(),
                "invalid_component",
                "{s}"
            );
        }
    }
}
