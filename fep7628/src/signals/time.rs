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
    /// offsets allowed; a leap second `23:59:60Z` reads as `23:59:59Z`, a `:60` anywhere else
    /// is refused) with the crate's one reader (`civil::rfc3339`). `at` names the value in
    /// errors.
    ///
    /// ```
    /// use fep7628::signals::Timestamp;
    /// let t = Timestamp::parse("2025-12-01T01:00:00+01:00", "/published").unwrap();
    /// assert_eq!(t.unix_seconds(), 1_764_547_200);
    /// assert!(Timestamp::parse("2025-02-30T00:00:00Z", "/published").is_err());
    /// ```
    pub fn parse(text: &str, at: &str) -> Result<Timestamp, SignalsError> {
        let unix = parse_date_time(text).map_err(|e| {
            SignalsError::invalid(
                at,
                format!("{:?} is not an RFC 3339 date-time: {e}", truncate(text)),
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

pub(crate) use crate::civil::format_utc;
use crate::civil::parse_date_time;

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Option<i64> {
        Timestamp::parse(text, "/published")
            .ok()
            .map(|t| t.unix_seconds())
    }

    #[test]
    fn formats_and_parses_back() {
        for unix in [0, 951_782_400, 1_764_547_200, -86_400, MAX_UNIX, MIN_UNIX] {
            let text = format_utc(unix);
            assert_eq!(parse(&text), Some(unix), "{text}");
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
            "2016-12-31T23:58:60Z",
            "2025-12-01T00:00:00.Z",
            "2025-12-01T00:00:00+0100",
            "2025-12-01T00:00:00Zjunk",
            "２０25-12-01T00:00:00Z",
        ] {
            assert_eq!(parse(bad), None, "{bad}");
        }
        assert_eq!(parse("2025-12-01T00:00:00.123456Z"), Some(1_764_547_200));
        assert_eq!(parse("2016-12-31T23:59:60Z"), Some(1_483_228_799));
        let e = Timestamp::parse("2025-12-01T00:00", "/published").unwrap_err();
        assert!(e.to_string().contains("seconds are required"), "{e}");
    }
}
