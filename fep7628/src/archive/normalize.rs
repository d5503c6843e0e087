//! Text normalisation for keyword rules: HTML tags dropped and entities decoded, NFKC,
//! lower case, invisible characters removed, whitespace collapsed — so `ＦＲＥＥ`, `F&#82;EE`,
//! `<b>fr</b>ee` (tags split words only where they are block-level) and `fr\u{200B}ee` match
//! `free` — and, on top, the UTS #39 confusable [`skeleton`], so Cyrillic `frее` matches too.
//!
//! The invisible characters and the skeleton are those of the profile keyword rules
//! ([`crate::moderation::KeywordRule`]): one definition for both.

use unicode_normalization::UnicodeNormalization as _;

use crate::moderation::text::{is_default_ignorable, skeleton_of_folded};

/// The UTS #39 confusable skeleton of a [`normalize`]d text, lower-cased: the form in which
/// confusables are equal (`frее сrурtо` in Cyrillic and `free crypto` give the same key). The
/// same function the profile keyword rules use.
pub fn skeleton(normalized: &str) -> String {
    skeleton_of_folded(normalized)
}

/// Normalises `text` for matching; at most `max_chars` characters of input are read.
pub fn normalize(text: &str, max_chars: usize) -> String {
    let plain = strip_html(text, max_chars);
    let mut out = String::with_capacity(plain.len());
    let mut space = true;
    for c in plain.nfkc().flat_map(char::to_lowercase) {
        if is_default_ignorable(c) {
            continue;
        }
        if c.is_whitespace() {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    }
    if out.ends_with(' ') {
        out.pop();
    }
    out
}

/// Drops tags (block-level and `<br>` tags become a space) and decodes character references.
fn strip_html(text: &str, max_chars: usize) -> String {
    let mut out = String::with_capacity(text.len().min(max_chars));
    let mut chars = text.chars().take(max_chars).peekable();
    while let Some(c) = chars.next() {
        match c {
            '<' => {
                let mut tag = String::new();
                for t in chars.by_ref() {
                    if t == '>' {
                        break;
                    }
                    if tag.len() < 16 {
                        tag.push(t.to_ascii_lowercase());
                    }
                }
                let name: String = tag
                    .trim_start_matches('/')
                    .chars()
                    .take_while(char::is_ascii_alphanumeric)
                    .collect();
                if matches!(
                    name.as_str(),
                    "br" | "p"
                        | "div"
                        | "li"
                        | "ul"
                        | "ol"
                        | "blockquote"
                        | "pre"
                        | "h1"
                        | "h2"
                        | "h3"
                        | "h4"
                        | "h5"
                        | "h6"
                        | "tr"
                        | "td"
                        | "th"
                ) {
                    out.push(' ');
                }
            }
            '&' => {
                let mut entity = String::new();
                while let Some(&n) = chars.peek() {
                    if n == ';' || entity.len() > 10 || !(n.is_ascii_alphanumeric() || n == '#') {
                        break;
                    }
                    entity.push(n);
                    chars.next();
                }
                match (decode_entity(&entity), chars.peek()) {
                    (Some(d), Some(';')) => {
                        chars.next();
                        out.push(d);
                    }
                    _ => {
                        out.push('&');
                        out.push_str(&entity);
                    }
                }
            }
            c => out.push(c),
        }
    }
    out
}

fn decode_entity(e: &str) -> Option<char> {
    let named = match e {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => None,
    };
    if named.is_some() {
        return named;
    }
    let code = if let Some(hex) = e.strip_prefix("#x").or_else(|| e.strip_prefix("#X")) {
        u32::from_str_radix(hex, 16).ok()?
    } else {
        e.strip_prefix('#')?.parse().ok()?
    };
    char::from_u32(code)
}

/// `true` if `needle` (normalised) occurs in `haystack` (normalised); with `whole_word`, only
/// where it is not part of a longer word (neighbours are not alphanumeric).
pub fn contains(haystack: &str, needle: &str, whole_word: bool) -> bool {
    if needle.is_empty() {
        return false;
    }
    if !whole_word {
        return haystack.contains(needle);
    }
    haystack.match_indices(needle).any(|(at, m)| {
        let before = haystack.get(..at).and_then(|s| s.chars().next_back());
        let after = haystack.get(at + m.len()..).and_then(|s| s.chars().next());
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_evasions() {
        assert_eq!(
            normalize("<p>FREE&nbsp;Crypto</p><p>now</p>", 1000),
            "free crypto now"
        );
        assert_eq!(normalize("ＦＲＥＥ", 1000), "free");
        assert_eq!(normalize("F&#82;&#x45;E", 1000), "free");
        assert_eq!(normalize("fr\u{200B}ee", 1000), "free");
        assert_eq!(normalize("ﬁnance", 1000), "finance");
        assert_eq!(normalize("a &bogus; b & c", 1000), "a &bogus; b & c");
        assert_eq!(normalize(&"x".repeat(50), 10), "xxxxxxxxxx");
    }

    #[test]
    fn confusables_share_a_skeleton() {
        // Cyrillic е, с, р, у, о.
        let cyrillic = normalize(
            "FR\u{0415}\u{0415} \u{0441}r\u{0443}\u{0440}t\u{043E}",
            1000,
        );
        assert_ne!(cyrillic, "free crypto");
        assert_eq!(skeleton(&cyrillic), skeleton("free crypto"));
        assert!(contains(
            &skeleton(&cyrillic),
            &skeleton("free crypto"),
            true
        ));
        assert_ne!(skeleton("free crypto"), skeleton("free cryptx"));
    }

    #[test]
    fn whole_words() {
        assert!(contains("buy free crypto", "free crypto", true));
        assert!(!contains("carefree cryptography", "free crypto", true));
        assert!(contains("carefree cryptography", "free crypto", false));
        assert!(!contains("anything", "", false));
    }
}
