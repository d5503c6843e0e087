//! JSON Pointers (RFC 6901) for error and problem locations.

/// Appends one reference token to `base`, escaping `~` as `~0` and `/` as `~1` (RFC 6901 §3).
pub fn push(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

/// Appends an array index to `base`.
pub fn push_index(base: &str, index: usize) -> String {
    format!("{base}/{index}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_per_rfc6901() {
        assert_eq!(push("", "a/b~c"), "/a~1b~0c");
        assert_eq!(push_index("/to", 3), "/to/3");
        assert_eq!(
            push("", "https://w3id.org/fep/7628#movedTo"),
            "/https:~1~1w3id.org~1fep~17628#movedTo"
        );
    }
}
