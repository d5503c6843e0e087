//! Where a resolution starts: a person's own website, or a handle `@user@domain`.

use url::Url;

use super::outcome::ResolveFailure;

/// The starting point of a resolution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Start {
    /// A website (an `https` URL) that links the person's actor with rel=me.
    Website(Url),
    /// A handle `@user@domain`; its domain's WebFinger names the actor.
    Handle {
        /// The user part.
        user: String,
        /// The domain, lowercase.
        domain: String,
    },
}

impl Start {
    /// Parses `@user@domain`, `user@domain`, `acct:user@domain` or an `https://` URL.
    pub fn parse(input: &str) -> Result<Start, ResolveFailure> {
        let input = input.trim();
        let bad = |why: &str| ResolveFailure::InvalidStart {
            reason: why.to_owned(),
        };
        if input.len() > 2048 {
            return Err(bad("longer than 2048 bytes"));
        }
        if input.starts_with("https://") || input.starts_with("http://") {
            let url = Url::parse(input).map_err(|e| bad(&e.to_string()))?;
            if url.scheme() != "https" {
                return Err(ResolveFailure::NotHttps {
                    url: input.to_owned(),
                });
            }
            return Ok(Start::Website(url));
        }
        let acct = input.strip_prefix("acct:").unwrap_or(input);
        let acct = acct.strip_prefix('@').unwrap_or(acct);
        let (user, domain) = acct
            .split_once('@')
            .ok_or_else(|| bad("not @user@domain"))?;
        let user_ok = !user.is_empty()
            && user
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'));
        if !user_ok {
            return Err(bad("user part must be [A-Za-z0-9_.-]+"));
        }
        // The domain must be a host (with optional port) that parses as an https authority.
        let url = Url::parse(&format!("https://{domain}/")).map_err(|e| bad(&e.to_string()))?;
        let host_ok = url
            .host_str()
            .is_some_and(|h| h.contains('.') || h.starts_with('['))
            && url.path() == "/"
            && url.query().is_none()
            && url.username().is_empty();
        if !host_ok {
            return Err(bad("domain is not a host name"));
        }
        let domain = match url.port() {
            Some(p) => format!("{}:{p}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_owned(),
        };
        Ok(Start::Handle {
            user: user.to_owned(),
            domain,
        })
    }

    /// The WebFinger URL of a handle:
    /// `https://domain/.well-known/webfinger?resource=acct:user@domain` (RFC 7033).
    pub fn webfinger_url(&self) -> Option<Url> {
        let Start::Handle { user, domain } = self else {
            return None;
        };
        let mut url = Url::parse(&format!("https://{domain}/.well-known/webfinger")).ok()?;
        url.query_pairs_mut()
            .append_pair("resource", &format!("acct:{user}@{domain}"));
        Some(url)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_handles() {
        let s = Start::parse("@Me@My.Domain").expect("handle");
        assert_eq!(
            s,
            Start::Handle {
                user: "Me".into(),
                domain: "my.domain".into()
            }
        );
        assert_eq!(
            s.webfinger_url().map(String::from).as_deref(),
            Some("https://my.domain/.well-known/webfinger?resource=acct%3AMe%40my.domain")
        );
        assert!(Start::parse("@me@localhost/x").is_err());
        assert!(Start::parse("@m e@x.example").is_err());
        assert!(matches!(
            Start::parse("http://x.example/"),
            Err(ResolveFailure::NotHttps { .. })
        ));
        assert!(matches!(
            Start::parse("https://x.example/"),
            Ok(Start::Website(_))
        ));
    }
}
