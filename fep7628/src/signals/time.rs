//! `published` / `updated`: RFC 3339 date-times (the FIRES docs name no format; we chose
//! RFC 3339 in UTC, `YYYY-MM-DDThh:mm:ssZ`, as ActivityStreams' `published` uses).

use std::fmt;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use crate::signals::error::{SignalsError, truncate};

/// A date-time as received (kept byte for byte, so a record re-serialises unchanged) and its
/// instant in Unix seconds.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Timestamp {
    text: String,
    unix: i64,
}

impl Timestamp {
    /// The timestamp of `at`, to the second, in UTC (`Z`).
    pub fn from_system_time(at: SystemTime) -> Timestamp {
        let unix = match at.duration_since(UNIX_EPOCH) {
            Ok(d) => i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            Err(e) => {
                let back = e.duration();
                let secs = i64::try_from(back.as_secs()).unwrap_or(i64::MAX);
                if back.subsec_nanos() > 0 {
                    secs.saturating_add(1).saturating_neg()
                } else {
                    secs.saturating_neg()
                }
            }
        };
        Timestamp::from_unix(unix)
    }

    /// The timestamp of `unix` seconds, in UTC (`Z`), clamped to years 0000–9999 so the text
    /// stays RFC 3339.
    ///
    /// ```
    /// use fep7628::signals::Timestamp;
    /// assert_eq!(Timestamp::from_unix(1_700_000_000).as_str(), "2023-11-14T22:13:20Z");
    /// ```
    pub fn from_unix(unix: i64) -> Timestamp {
        let unix = unix.clamp(MIN_UNIX, MAX_UNIX);
        Timestamp {
            text: format_utc(unix),
            unix,
        }
    }

    /// Parses an RFC 3339 date-time (`2025-12-01T00:00:00Z`, fractional seconds and numeric
    /// offsets allowed; a leap second `:60` is refused). `at` names the value in errors.
    ///
    /// ```
    /// use fep7628::signals::Timestamp;
    /// let t = Timestamp::parse("2025-12-01T01:00:00+01:00", "/published").unwrap();
    /// assert_eq!(t.unix_seconds(), 1_764_547_200);
    /// assert!(Timestamp::parse("2025-02-30T00:00:00Z", "/published").is_err());
    /// ```
    pub fn parse(text: &str, at: &str) -> Result<Timestamp, SignalsError> {
        let unix = parse_rfc3339(text).ok_or_else(|| {
            SignalsError::invalid(
                at,
                format!("{:?} is not an RFC 3339 date-time", truncate(text)),
            )
        })?;
        Ok(Timestamp {
            text: text.to_owned(),
            unix,
        })
    }

    /// The text as received or formatted.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The instant, in Unix seconds (fractions dropped).
    pub fn unix_seconds(&self) -> i64 {
        self.unix
    }

    /// The instant as a [`SystemTime`].
    pub fn to_system_time(&self) -> SystemTime {
        let magnitude = Duration::from_secs(self.unix.unsigned_abs());
        if self.unix >= 0 {
            UNIX_EPOCH + magnitude
        } else {
            UNIX_EPOCH - magnitude
        }
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

const MIN_UNIX: i64 = -62_167_219_200; // 0000-01-01T00:00:00Z
const MAX_UNIX: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z

use crate::civil::days_from_civil;
pub(crate) use crate::civil::format_utc;

fn digits(bytes: &[u8], from: usize, len: usize) -> Option<i64> {
    let slice = bytes.get(from..from + len)?;
    let mut n = 0i64;
    for b in slice {
        if !b.is_ascii_digit() {
            return None;
        }
        n = n * 10 + i64::from(b - b'0');
    }
    Some(n)
}

fn parse_rfc3339(text: &str) -> Option<i64> {
    let b = text.as_bytes();
    if b.len() > 64 || b.len() < 20 {
        return None;
    }
    let year = digits(b, 0, 4)?;
    let month = digits(b, 5, 2)?;
    let day = digits(b, 8, 2)?;
    let hour = digits(b, 11, 2)?;
    let minute = digits(b, 14, 2)?;
    let second = digits(b, 17, 2)?;
    let seps = [(4, b'-'), (7, b'-'), (13, b':'), (16, b':')];
    if seps.iter().any(|&(i, c)| b.get(i) != Some(&c)) || !matches!(b.get(10), Some(b'T' | b't')) {
        return None;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    if day < 1 || day > month_days || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let mut i = 19;
    if b.get(i) == Some(&b'.') {
        i += 1;
        let start = i;
        while b.get(i).is_some_and(u8::is_ascii_digit) {
            i += 1;
        }
        if i == start {
            return None;
        }
    }
    let offset = match b.get(i) {
        Some(b'Z' | b'z') if i + 1 == b.len() => 0,
        Some(sign @ (b'+' | b'-')) if i + 6 == b.len() => {
            let oh = digits(b, i + 1, 2)?;
            let om = digits(b, i + 4, 2)?;
            if b.get(i + 3) != Some(&b':') || oh > 23 || om > 59 {
                return None;
            }
            let off = oh * 3600 + om * 60;
            if *sign == b'-' { -off } else { off }
        }
        _ => return None,
    };
    Some(days_from_civil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_and_parses_back() {
        for unix in [0, 951_782_400, 1_764_547_200, -86_400, MAX_UNIX, MIN_UNIX] {
            let text = format_utc(unix);
            assert_eq!(parse_rfc3339(&text), Some(unix), "{text}");
        }
        assert_eq!(format_utc(1_764_547_200), "2025-12-01T00:00:00Z");
    }

    #[test]
    fn refuses_malformed() {
        for bad in [
            "2025-12-01 00:00:00Z",
            "2025-12-01T00:00:00",
            "2025-13-01T00:00:00Z",
            "2025-12-01T24:00:00Z",
            "2025-12-01T00:00:60Z",
            "2025-12-01T00:00:00.Z",
            "2025-12-01T00:00:00+0100",
            "2025-12-01T00:00:00Zjunk",
            "２０25-12-01T00:00:00Z",
        ] {
            assert_eq!(parse_rfc3339(bad), None, "{bad}");
        }
        assert_eq!(
            parse_rfc3339("2025-12-01T00:00:00.123456Z"),
            Some(1_764_547_200)
        );
    }
}
