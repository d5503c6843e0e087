//! A CSV line splitter (RFC 4180 quoting within one line).

/// Splits one line into fields. `None`: a quote is not closed, or text follows a closing quote.
pub(super) fn split_line(line: &str, max_fields: usize) -> Option<Vec<String>> {
    let mut fields = Vec::new();
    let mut chars = line.chars().peekable();
    loop {
        let mut field = String::new();
        if chars.peek() == Some(&'"') {
            chars.next();
            loop {
                match chars.next()? {
                    '"' if chars.peek() == Some(&'"') => {
                        chars.next();
                        field.push('"');
                    }
                    '"' => break,
                    c => field.push(c),
                }
            }
            match chars.next() {
                None => {
                    fields.push(field);
                    return Some(fields);
                }
                Some(',') => {}
                Some(_) => return None,
            }
        } else {
            loop {
                match chars.next() {
                    None => {
                        fields.push(field);
                        return Some(fields);
                    }
                    Some(',') => break,
                    Some('"') => return None,
                    Some(c) => field.push(c),
                }
            }
        }
        fields.push(field);
        if fields.len() >= max_fields {
            // Extra columns are ignored; stop splitting.
            return Some(fields);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::split_line;

    #[test]
    fn splits() {
        assert_eq!(split_line("a,b", 8).unwrap(), ["a", "b"]);
        assert_eq!(split_line("a,\"en,de\"", 8).unwrap(), ["a", "en,de"]);
        assert_eq!(split_line("\"x\"\"y\",", 8).unwrap(), ["x\"y", ""]);
        assert_eq!(split_line("", 8).unwrap(), [""]);
        assert!(split_line("\"open", 8).is_none());
        assert!(split_line("\"a\"b", 8).is_none());
        assert!(split_line("a\"b", 8).is_none());
        assert_eq!(split_line("a,b,c,d", 2).unwrap(), ["a", "b"]);
    }
}
