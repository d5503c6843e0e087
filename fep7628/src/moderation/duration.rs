//! Durations in the policy file: a whole number and a unit, `90s`, `30m`, `24h`, `7d`, `2w`.

use std::time::Duration;

/// The longest duration accepted (about 100 years).
pub const MAX_DURATION: Duration = Duration::from_secs(100 * 366 * 86_400);

/// Parse `<digits><unit>` with unit `s`, `m`, `h`, `d` or `w` (surrounding spaces allowed).
/// `None` for anything else, for zero, and for more than [`MAX_DURATION`].
///
/// ```
/// use std::time::Duration;
/// use fep7628::moderation::parse_duration;
/// assert_eq!(parse_duration("24h"), Some(Duration::from_secs(86_400)));
/// assert_eq!(parse_duration("7d"), Some(Duration::from_secs(7 * 86_400)));
/// assert_eq!(parse_duration("0s"), None);
/// assert_eq!(parse_duration("1.5h"), None);
/// ```
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let unit = text.chars().last()?;
    let digits = text.get(..text.len() - unit.len_utf8())?;
    if digits.is_empty() || digits.len() > 12 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    let scale = match unit {
        's' => 1,
        'm' => 60,
        'h' => 3600,
        'd' => 86_400,
        'w' => 7 * 86_400,
        _ => return None,
    };
    let secs = n.checked_mul(scale)?;
    let d = Duration::from_secs(secs);
    (secs > 0 && d <= MAX_DURATION).then_some(d)
}

/// The shortest exact spelling of `d` in the policy file's syntax (`86400s` ⇒ `1d`).
pub fn format_duration(d: Duration) -> String {
    let s = d.as_secs();
    for (unit, scale) in [('w', 7 * 86_400), ('d', 86_400), ('h', 3600), ('m', 60)] {
        if s > 0 && s.is_multiple_of(scale) {
            return format!("{}{unit}", s / scale);
        }
    }
    format!("{s}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_refusals() {
        for text in ["90s", "30m", "24h", "7d", "2w", " 5m "] {
            let d = parse_duration(text).unwrap();
            assert_eq!(parse_duration(&format_duration(d)), Some(d), "{text}");
        }
        assert_eq!(format_duration(Duration::from_secs(86_400)), "1d");
        for bad in [
            "",
            "h",
            "5",
            "-5m",
            "5 m",
            "5M",
            "99999999999999d",
            "1000000w",
            "５m",
            "5é",
        ] {
            assert_eq!(parse_duration(bad), None, "{bad}");
        }
    }
}
