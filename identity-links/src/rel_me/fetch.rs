//! What to fetch, with which limits, and the per-hop check the caller's fetcher runs on every
//! redirect (spec §3.1 #32: Mastodon follows ≤ 2 hops and checks every resolved IP).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use url::{Host, Url};

use super::RelMeConfig;
use super::error::{AddressClass, RelMeError, clip};

/// One GET the caller must perform, and the limits it must enforce.
///
/// The caller's fetcher must call [`FetchRequest::check_hop`] (or [`check_redirect`]) for the
/// first URL and for every redirect target *with the addresses it is about to connect to*, and
/// connect only to those addresses (otherwise DNS rebinding defeats the check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FetchRequest {
    /// The URL to GET.
    pub url: Url,
    /// `Accept` header to send.
    pub accept: &'static str,
    /// Bytes of body to read at most; the rest is dropped (newer Mastodon truncates at 1 MiB
    /// and still scans, spec §3.4).
    pub max_bytes: usize,
    /// Redirects to follow at most.
    pub max_redirects: u8,
    /// Only `https` URLs may be fetched, including every redirect target.
    pub https_only: bool,
}

impl FetchRequest {
    /// A request for `url` under `config`'s limits; refuses URLs [`check_url`] refuses.
    pub fn new(url: Url, accept: &'static str, config: &RelMeConfig) -> Result<Self, RelMeError> {
        check_url(&url)?;
        Ok(FetchRequest {
            url,
            accept,
            max_bytes: config.max_bytes,
            max_redirects: config.max_redirects,
            https_only: true,
        })
    }

    /// Checks hop number `hop` (0 = the first request, 1 = the first redirect target, …):
    /// the redirect budget, then [`check_redirect`].
    pub fn check_hop(
        &self,
        hop: u32,
        hop_url: &Url,
        resolved: &[IpAddr],
    ) -> Result<(), RelMeError> {
        if hop > u32::from(self.max_redirects) {
            return Err(RelMeError::TooManyRedirects {
                hop,
                limit: self.max_redirects,
            });
        }
        check_redirect(hop_url, resolved)
    }
}

/// Checks one hop before connecting: [`check_url`], then every address in `resolved` must be
/// public (see [`address_class`]). For an IP-literal host the literal itself is checked and
/// `resolved` may be empty; for a domain name `resolved` must not be empty.
pub fn check_redirect(hop_url: &Url, resolved: &[IpAddr]) -> Result<(), RelMeError> {
    check_url(hop_url)?;
    let refuse = |addr: IpAddr, class| RelMeError::ForbiddenAddress {
        url: clip(hop_url.as_str(), 200),
        addr,
        class,
    };
    match hop_url.host() {
        Some(Host::Ipv4(v4)) => {
            if let Some(class) = address_class(IpAddr::V4(v4)) {
                return Err(refuse(IpAddr::V4(v4), class));
            }
        }
        Some(Host::Ipv6(v6)) => {
            if let Some(class) = address_class(IpAddr::V6(v6)) {
                return Err(refuse(IpAddr::V6(v6), class));
            }
        }
        _ => {
            if resolved.is_empty() {
                return Err(RelMeError::NoAddresses {
                    url: clip(hop_url.as_str(), 200),
                });
            }
        }
    }
    for &addr in resolved {
        if let Some(class) = address_class(addr) {
            return Err(refuse(addr, class));
        }
    }
    Ok(())
}

/// Shape checks that need no resolution: `https` only, no user info, a host, and not a host
/// name that never denotes a public server.
pub fn check_url(url: &Url) -> Result<(), RelMeError> {
    if url.scheme() != "https" {
        return Err(RelMeError::NotHttps {
            url: clip(url.as_str(), 200),
        });
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(RelMeError::UserInfo {
            url: clip(url.as_str(), 200),
        });
    }
    let Some(Host::Domain(host)) = url.host() else {
        // IP literals are checked by `check_redirect`; https URLs always have a host.
        return Ok(());
    };
    let host = host.trim_end_matches('.');
    let forbidden = |reason| {
        Err(RelMeError::ForbiddenHost {
            host: clip(host, 200),
            reason,
        })
    };
    if host == "localhost" || host.ends_with(".localhost") {
        return forbidden("localhost");
    }
    // Mastodon blocks hidden services unless configured (spec §3.1 #32).
    for (suffix, reason) in [
        (".onion", "onion"),
        (".i2p", "i2p"),
        (".local", "local"),
        (".internal", "internal"),
    ] {
        if host.ends_with(suffix) {
            return forbidden(reason);
        }
    }
    if !host.contains('.') {
        return forbidden("single_label");
    }
    Ok(())
}

/// The class of a non-public address, or `None` for a globally routable one.
///
/// IPv4-mapped (`::ffff:a.b.c.d`), IPv4-compatible, NAT64 (`64:ff9b::/96`) and 6to4 (`2002::/16`)
/// IPv6 addresses are judged by the IPv4 address they embed.
pub fn address_class(addr: IpAddr) -> Option<AddressClass> {
    match addr {
        IpAddr::V4(v4) => v4_class(v4),
        IpAddr::V6(v6) => v6_class(v6),
    }
}

fn v4_class(a: Ipv4Addr) -> Option<AddressClass> {
    let [o0, o1, o2, _] = a.octets();
    Some(match (o0, o1, o2) {
        (0, _, _) => AddressClass::Unspecified,
        (127, _, _) => AddressClass::Loopback,
        (10, _, _) | (192, 168, _) => AddressClass::Private,
        (172, 16..=31, _) => AddressClass::Private,
        (169, 254, _) => AddressClass::LinkLocal,
        (100, 64..=127, _) => AddressClass::SharedCgnat,
        (224..=239, _, _) => AddressClass::Multicast,
        (255, 255, 255) if a == Ipv4Addr::BROADCAST => AddressClass::Broadcast,
        // 192.0.0/24 IETF, 192.0.2/24, 198.51.100/24, 203.0.113/24 documentation,
        // 198.18/15 benchmarking, 240/4 reserved.
        (192, 0, 0) | (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => AddressClass::Reserved,
        (198, 18..=19, _) => AddressClass::Reserved,
        (240..=255, _, _) => AddressClass::Reserved,
        _ => return None,
    })
}

fn v6_class(a: Ipv6Addr) -> Option<AddressClass> {
    if a.is_unspecified() {
        return Some(AddressClass::Unspecified);
    }
    if a.is_loopback() {
        return Some(AddressClass::Loopback);
    }
    let [s0, s1, s2, s3, s4, s5, s6, s7] = a.segments();
    let embedded =
        |hi: u16, lo: u16| Ipv4Addr::new((hi >> 8) as u8, hi as u8, (lo >> 8) as u8, lo as u8);
    // ::ffff:a.b.c.d (mapped) and ::a.b.c.d (deprecated compatible form).
    if s0 == 0 && s1 == 0 && s2 == 0 && s3 == 0 && s4 == 0 && (s5 == 0xffff || s5 == 0) {
        return v4_class(embedded(s6, s7));
    }
    // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052).
    if s0 == 0x64 && s1 == 0xff9b && s2 == 0 && s3 == 0 && s4 == 0 && s5 == 0 {
        return v4_class(embedded(s6, s7));
    }
    // 6to4 2002:aabb:ccdd::/48 (RFC 3056).
    if s0 == 0x2002 {
        return v4_class(embedded(s1, s2));
    }
    if s0 & 0xfe00 == 0xfc00 {
        return Some(AddressClass::UniqueLocal);
    }
    if s0 & 0xffc0 == 0xfe80 {
        return Some(AddressClass::LinkLocal);
    }
    if s0 & 0xff00 == 0xff00 {
        return Some(AddressClass::Multicast);
    }
    // 2001:db8::/32 documentation; fec0::/10 deprecated site-local.
    if (s0 == 0x2001 && s1 == 0x0db8) || s0 & 0xffc0 == 0xfec0 {
        return Some(AddressClass::Reserved);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn class(s: &str) -> Option<AddressClass> {
        address_class(s.parse().expect("test literal"))
    }

    #[test]
    fn classes() {
        assert_eq!(class("10.1.2.3"), Some(AddressClass::Private));
        assert_eq!(class("172.31.0.1"), Some(AddressClass::Private));
        assert_eq!(class("172.32.0.1"), None);
        assert_eq!(class("127.0.0.1"), Some(AddressClass::Loopback));
        assert_eq!(class("169.254.169.254"), Some(AddressClass::LinkLocal));
        assert_eq!(class("100.64.0.1"), Some(AddressClass::SharedCgnat));
        assert_eq!(class("100.128.0.1"), None);
        assert_eq!(class("224.0.0.1"), Some(AddressClass::Multicast));
        assert_eq!(class("0.0.0.0"), Some(AddressClass::Unspecified));
        assert_eq!(class("255.255.255.255"), Some(AddressClass::Broadcast));
        assert_eq!(class("93.184.216.34"), None);
        assert_eq!(class("::1"), Some(AddressClass::Loopback));
        assert_eq!(class("::"), Some(AddressClass::Unspecified));
        assert_eq!(class("fd00::1"), Some(AddressClass::UniqueLocal));
        assert_eq!(class("fe80::1"), Some(AddressClass::LinkLocal));
        assert_eq!(class("ff02::1"), Some(AddressClass::Multicast));
        assert_eq!(class("::ffff:10.0.0.1"), Some(AddressClass::Private));
        assert_eq!(class("::ffff:8.8.8.8"), None);
        assert_eq!(class("64:ff9b::7f00:1"), Some(AddressClass::Loopback));
        assert_eq!(class("2002:c0a8:0101::1"), Some(AddressClass::Private));
        assert_eq!(class("2606:4700::1111"), None);
    }
}
