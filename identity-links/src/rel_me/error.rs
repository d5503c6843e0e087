//! Why a rel-me URL was not fetched, not followed or not read.

use std::fmt;
use std::net::IpAddr;

/// The class of a non-public address refused by [`check_redirect`](super::check_redirect).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AddressClass {
    /// `0.0.0.0`, `::` and `0.0.0.0/8` ("this network").
    Unspecified,
    /// `127.0.0.0/8`, `::1`.
    Loopback,
    /// RFC 1918: `10/8`, `172.16/12`, `192.168/16`.
    Private,
    /// `169.254/16`, `fe80::/10`.
    LinkLocal,
    /// IPv6 unique local addresses, `fc00::/7`.
    UniqueLocal,
    /// Carrier-grade NAT shared space, `100.64/10` (RFC 6598).
    SharedCgnat,
    /// `224/4`, `ff00::/8`.
    Multicast,
    /// `255.255.255.255`.
    Broadcast,
    /// Documentation, benchmarking, IETF-protocol and reserved (`240/4`) ranges; not routable.
    Reserved,
}

impl AddressClass {
    /// Stable snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            AddressClass::Unspecified => "unspecified",
            AddressClass::Loopback => "loopback",
            AddressClass::Private => "private",
            AddressClass::LinkLocal => "link_local",
            AddressClass::UniqueLocal => "unique_local",
            AddressClass::SharedCgnat => "shared_cgnat",
            AddressClass::Multicast => "multicast",
            AddressClass::Broadcast => "broadcast",
            AddressClass::Reserved => "reserved",
        }
    }
}

impl fmt::Display for AddressClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error of the rel-me module: a URL that must not be fetched, a hop that must not be followed,
/// or an actor document that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RelMeError {
    /// The URL does not parse.
    #[error("invalid URL {input:?}: {reason}")]
    InvalidUrl {
        /// The text that was parsed (cut to 200 bytes).
        input: String,
        /// The parser's message.
        reason: String,
    },
    /// Only `https` is fetched (Mastodon `ACCEPTED_SCHEMES = %w(https)`, spec §3.1 #30).
    #[error("not an https URL: {url}")]
    NotHttps {
        /// The offending URL.
        url: String,
    },
    /// `user:password@` in the URL (Mastodon refuses these, spec §3.1 #30).
    #[error("URL carries user info: {url}")]
    UserInfo {
        /// The offending URL.
        url: String,
    },
    /// The host changes under IDNA normalisation (Mastodon ≥ 4.0 refuses these, spec §3.1 #30).
    #[error("host is not in normalised form: {url}")]
    HostNotNormalised {
        /// The offending URL.
        url: String,
    },
    /// A host name that never denotes a public web server (`localhost`, `.onion`, `.i2p`, …).
    #[error("host {host} is not fetched ({reason})")]
    ForbiddenHost {
        /// The host.
        host: String,
        /// Why (`localhost`, `onion`, `i2p`, `local`, `internal`, `single_label`).
        reason: &'static str,
    },
    /// A hop resolved to (or is) a non-public address.
    #[error("{url} resolves to {addr}, a {class} address")]
    ForbiddenAddress {
        /// The hop URL.
        url: String,
        /// The refused address.
        addr: IpAddr,
        /// Its class.
        class: AddressClass,
    },
    /// A host name was given without any resolved address, so nothing could be checked.
    #[error("no resolved address given for {url}")]
    NoAddresses {
        /// The hop URL.
        url: String,
    },
    /// More redirects than [`RelMeConfig::max_redirects`](super::RelMeConfig::max_redirects).
    #[error("redirect hop {hop} exceeds the limit of {limit}")]
    TooManyRedirects {
        /// The 1-based hop number.
        hop: u32,
        /// The limit.
        limit: u8,
    },
    /// The actor document has no string `id`.
    #[error("actor document has no id")]
    MissingActorId,
    /// A profile field value is longer than the limit (Mastodon: 2,047 for remote fields).
    #[error("profile field value too long ({len} > {limit} bytes)")]
    FieldTooLong {
        /// Its length.
        len: usize,
        /// The limit.
        limit: usize,
    },
    /// A profile field value is neither a bare URL nor exactly one `<a>` whose `href` equals its text.
    #[error("profile field value is not a link")]
    FieldNotALink,
}

impl RelMeError {
    /// Stable snake_case code for this error (used by the CLI and test corpora).
    pub fn kind(&self) -> &'static str {
        match self {
            RelMeError::InvalidUrl { .. } => "invalid_url",
            RelMeError::NotHttps { .. } => "not_https",
            RelMeError::UserInfo { .. } => "user_info",
            RelMeError::HostNotNormalised { .. } => "host_not_normalised",
            RelMeError::ForbiddenHost { .. } => "forbidden_host",
            RelMeError::ForbiddenAddress { .. } => "forbidden_address",
            RelMeError::NoAddresses { .. } => "no_addresses",
            RelMeError::TooManyRedirects { .. } => "too_many_redirects",
            RelMeError::MissingActorId => "missing_actor_id",
            RelMeError::FieldTooLong { .. } => "field_too_long",
            RelMeError::FieldNotALink => "field_not_a_link",
        }
    }
}

/// Cuts `s` to at most `max` bytes on a char boundary (for error messages).
pub(crate) fn clip(s: &str, max: usize) -> String {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    s.get(..end).unwrap_or_default().to_owned()
}
