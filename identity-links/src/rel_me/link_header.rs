//! A total, lenient parser for RFC 8288 `Link` header values.

/// One link-value of a `Link` header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkValue {
    /// The URI-reference between `<` and `>`, as written.
    pub target: String,
    /// The tokens of the first `rel` parameter, ASCII-lowercased (RFC 8288 §3.3: occurrences
    /// after the first are ignored).
    pub rels: Vec<String>,
    /// The first `anchor` parameter, if any (the link's context is then that URI).
    pub anchor: Option<String>,
}

/// Bytes of one header value read at most.
pub const MAX_LINK_HEADER_LEN: usize = 8 * 1024;
/// Link-values read per header value at most.
pub const MAX_LINK_VALUES: usize = 64;

/// Parses a `Link` header value (RFC 8288 §3): `<uri>; rel="me nofollow"; anchor="…", <…>`.
/// Parameter values may be tokens or quoted strings (single quotes tolerated, as one
/// Mastodon-derived verifier does, spec §3.1 #35). Malformed link-values are skipped; never
/// fails. Reads at most [`MAX_LINK_HEADER_LEN`] bytes and [`MAX_LINK_VALUES`] values.
pub fn parse_link_header(value: &str) -> Vec<LinkValue> {
    let mut end = value.len().min(MAX_LINK_HEADER_LEN);
    while !value.is_char_boundary(end) {
        end -= 1;
    }
    let mut p = Cursor {
        s: value.get(..end).unwrap_or_default(),
        i: 0,
    };
    let mut out = Vec::new();
    while out.len() < MAX_LINK_VALUES {
        p.skip(|c| c == ',' || c.is_ascii_whitespace());
        let Some(c) = p.peek() else { break };
        if c != '<' {
            p.skip_to_next_value();
            continue;
        }
        p.bump();
        let target = p.take_while(|c| c != '>');
        if p.peek() != Some('>') {
            break;
        }
        p.bump();
        let mut rels = None;
        let mut anchor = None;
        loop {
            p.skip(|c| c.is_ascii_whitespace());
            match p.peek() {
                Some(';') => p.bump(),
                _ => break,
            }
            p.skip(|c| c.is_ascii_whitespace());
            let name = p.take_while(|c| !matches!(c, '=' | ';' | ',') && !c.is_ascii_whitespace());
            p.skip(|c| c.is_ascii_whitespace());
            let val = if p.peek() == Some('=') {
                p.bump();
                p.skip(|c| c.is_ascii_whitespace());
                Some(p.param_value())
            } else {
                None
            };
            let name = name.trim_end_matches('*').to_ascii_lowercase();
            match (name.as_str(), val) {
                ("rel", Some(v)) if rels.is_none() => {
                    rels = Some(super::html::rel_tokens(&v).collect::<Vec<_>>());
                }
                ("anchor", Some(v)) if anchor.is_none() => anchor = Some(v),
                _ => {}
            }
        }
        // Anything else up to the next comma belongs to a malformed parameter list.
        if !matches!(p.peek(), None | Some(',')) {
            p.skip_to_next_value();
        }
        out.push(LinkValue {
            target: target.trim().to_owned(),
            rels: rels.unwrap_or_default(),
            anchor,
        });
    }
    out
}

struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl Cursor<'_> {
    fn rest(&self) -> &str {
        self.s.get(self.i..).unwrap_or_default()
    }
    fn peek(&self) -> Option<char> {
        self.rest().chars().next()
    }
    fn bump(&mut self) {
        if let Some(c) = self.peek() {
            self.i += c.len_utf8();
        }
    }
    fn skip(&mut self, f: impl Fn(char) -> bool) {
        while self.peek().is_some_and(&f) {
            self.bump();
        }
    }
    fn take_while(&mut self, f: impl Fn(char) -> bool) -> String {
        let start = self.i;
        self.skip(f);
        self.s.get(start..self.i).unwrap_or_default().to_owned()
    }
    /// A token, a "quoted-string" (backslash escapes) or a 'single-quoted' string.
    fn param_value(&mut self) -> String {
        match self.peek() {
            Some(q @ ('"' | '\'')) => {
                self.bump();
                let mut v = String::new();
                while let Some(c) = self.peek() {
                    self.bump();
                    if c == q {
                        break;
                    }
                    if c == '\\' && q == '"' {
                        if let Some(n) = self.peek() {
                            self.bump();
                            v.push(n);
                        }
                        continue;
                    }
                    v.push(c);
                }
                v
            }
            _ => self.take_while(|c| !matches!(c, ';' | ',') && !c.is_ascii_whitespace()),
        }
    }
    /// Skips to the comma that ends this link-value, honouring quotes and `<…>`.
    fn skip_to_next_value(&mut self) {
        let mut quote = None;
        let mut angle = false;
        while let Some(c) = self.peek() {
            self.bump();
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (Some('"'), '\\') => self.bump(),
                (Some(_), _) => {}
                (None, '"' | '\'') if !angle => quote = Some(c),
                (None, '<') => angle = true,
                (None, '>') => angle = false,
                (None, ',') if !angle => return,
                _ => {}
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rel_me_among_others() {
        let v = parse_link_header(
            r#"<https://a.example/>; rel="preload", <https://m.example/@alice>; rel="me nofollow"; title="x, y", <bad"#,
        );
        assert_eq!(v.len(), 2);
        assert_eq!(v[1].target, "https://m.example/@alice");
        assert_eq!(v[1].rels, vec!["me", "nofollow"]);
    }

    #[test]
    fn first_rel_wins_and_quotes_escape() {
        let v = parse_link_header(r#"<x>; rel=author; rel=me, <y>; title="a\"b"; REL='Me'"#);
        assert_eq!(v[0].rels, vec!["author"]);
        assert_eq!(v[1].rels, vec!["me"]);
    }

    #[test]
    fn skips_garbage() {
        let v = parse_link_header(r##"garbage "quoted, comma", <z>; rel=me; anchor="#top""##);
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].anchor.as_deref(), Some("#top"));
    }
}
