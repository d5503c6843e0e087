//! Text normalisation for keyword rules: markup removed, NFKC, default-ignorable code points
//! (zero-width joiners, soft hyphens, bidi controls, variation selectors …) removed, case
//! folded; and the UTS #39 confusable skeleton on top, so Cyrillic `а` matches Latin `a`.

use unicode_normalization::UnicodeNormalization;

/// `s` without HTML tags and with the common character references decoded: block tags (`p`,
/// `br`, `div`, `li`) become a line break, other tags vanish, so `sp<b>am</b>` reads `spam`.
pub(crate) fn strip_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(rest.get(..i).unwrap_or_default());
        let tail = rest.get(i..).unwrap_or_default();
        if tail.starts_with('<') {
            match tail.find('>') {
                Some(end) => {
                    let tag = tail.get(1..end).unwrap_or_default().trim_start_matches('/');
                    let name: String = tag
                        .chars()
                        .take_while(char::is_ascii_alphanumeric)
                        .collect::<String>()
                        .to_ascii_lowercase();
                    if matches!(name.as_str(), "p" | "br" | "div" | "li") {
                        out.push('\n');
                    }
                    rest = tail.get(end + 1..).unwrap_or_default();
                }
                None => {
                    out.push('<');
                    rest = tail.get(1..).unwrap_or_default();
                }
            }
        } else {
            let (decoded, used) = entity(tail);
            out.push(decoded);
            rest = tail.get(used..).unwrap_or_default();
        }
    }
    out.push_str(rest);
    out
}

/// The character a reference at the start of `s` (which starts with `&`) stands for, and the
/// bytes it used; a lone `&` stands for itself.
fn entity(s: &str) -> (char, usize) {
    let Some(end) = s.get(..s.len().min(12)).and_then(|head| head.find(';')) else {
        return ('&', 1);
    };
    let body = s.get(1..end).unwrap_or_default();
    let c = match body {
        "amp" => Some('&'),
        "lt" => Some('<'),
        "gt" => Some('>'),
        "quot" => Some('"'),
        "apos" => Some('\''),
        "nbsp" => Some(' '),
        _ => body
            .strip_prefix("#x")
            .or_else(|| body.strip_prefix("#X"))
            .and_then(|h| u32::from_str_radix(h, 16).ok())
            .or_else(|| body.strip_prefix('#').and_then(|d| d.parse().ok()))
            .and_then(char::from_u32),
    };
    match c {
        Some(c) => (c, end + 1),
        None => ('&', 1),
    }
}

/// Default_Ignorable_Code_Point (Unicode DerivedCoreProperties): invisible characters an
/// attacker inserts to split a word.
pub(crate) fn is_default_ignorable(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}'..='\u{1160}' | '\u{17B4}'..='\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF0}'..='\u{FFF8}' | '\u{1BCA0}'..='\u{1BCA3}'
        | '\u{1D173}'..='\u{1D17A}' | '\u{E0000}'..='\u{E0FFF}')
}

/// NFKC, without default-ignorable code points, lower case, NFKC again (lower-casing can
/// denormalise). Fullwidth `ＳＰＡＭ` and `s\u{200D}pam` both fold to `spam`.
pub(crate) fn fold(s: &str) -> String {
    let lowered: String = s
        .nfkc()
        .filter(|c| !is_default_ignorable(*c))
        .flat_map(char::to_lowercase)
        .collect();
    lowered.nfkc().collect()
}

/// The UTS #39 skeleton of the folded text, lower-cased: the form in which confusables are
/// equal (`раураl` in Cyrillic and `paypal` give the same key).
pub(crate) fn skeleton_key(s: &str) -> String {
    skeleton_of_folded(&fold(s))
}

/// [`skeleton_key`] of a text already [`fold`]ed.
pub(crate) fn skeleton_of_folded(folded: &str) -> String {
    unicode_security::skeleton(folded)
        .flat_map(char::to_lowercase)
        .collect()
}

/// A profile text in both matching forms, computed once and shared by every rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Prepared {
    /// Markup removed, then [`fold`]ed.
    pub folded: String,
    /// The skeleton of `folded`.
    pub skeleton: String,
}

impl Prepared {
    pub(crate) fn new(text: &str) -> Self {
        let folded = fold(&strip_html(text));
        let skeleton = skeleton_of_folded(&folded);
        Prepared { folded, skeleton }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_skeletons() {
        assert_eq!(fold("ＳＰＡＭ"), "spam");
        assert_eq!(fold("s\u{200D}p\u{00AD}am"), "spam");
        assert_eq!(skeleton_key("раураl"), skeleton_key("paypal"));
        assert_eq!(skeleton_key("Сrурtо"), skeleton_key("crypto"));
        assert_ne!(skeleton_key("crypto"), skeleton_key("cryptx"));
    }

    #[test]
    fn html() {
        assert_eq!(strip_html("<p>sp<b>am</b></p>"), "\nspam\n");
        assert_eq!(
            strip_html("a &amp; b &#x41;&#66; &bogus; <"),
            "a & b AB &bogus; <"
        );
        assert_eq!(strip_html("&"), "&");
    }
}
