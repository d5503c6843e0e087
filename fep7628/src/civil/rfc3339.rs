//! The crate's one reader of RFC 3339 / `xsd:dateTime` date-times (actor `published`, archive
//! post dates and policy bounds, FIRES `published` / `updated`), to Unix seconds.
//!
//! Three readers used to exist, and they differed (● accepted, ○ refused; "now" is this
//! reader):
//!
//! | input | `adapt::profile` | `archive::date` | `signals::time` | now |
//! |---|---|---|---|---|
//! | `2024-01-02T03:04:05Z` | ● | ● | ● | ● |
//! | fractional seconds `…05.123Z`, `…05.123456789Z` | ● (≤ 40 bytes in all) | ● (any length) | ● (≤ 64 bytes in all) | ● (≤ 64 bytes in all), fraction dropped |
//! | lower-case `z`, lower-case `t` | ● | ● | ● | ● |
//! | `±hh:mm` (hh ≤ 23, mm ≤ 59), `+00:00`, `-00:00` | ● | ● | ● | ● |
//! | `+hhmm`, `+hh` | ○ | ○ | ○ | ○ |
//! | space for `T` | ○ | ● | ○ | ○ |
//! | leading / trailing white space | ○ | ● (trimmed) | ○ | ○ (the archive still trims its own inputs) |
//! | leap second `:60` | ● read as `:59`, any minute | ● read as `:59`, any minute | ○ | ● read as `:59`, only where the UTC time is `23:59:60` |
//! | years before 1970 | ● (not year 0000) | ● | ● | ● |
//! | year 0000 | ○ | ● | ● | ● (RFC 3339 and XSD 1.1; `Timestamp::from_unix` writes it) |
//! | 5-digit or signed years | ○ | ○ | ○ | ○ |
//! | month 13, Feb 30, hour 24, minute 60, offset `+24:00` | ○ | ○ | ○ | ○ |
//! | missing seconds `T03:04Z` | ○ | ○ | ○ | ○ |
//! | no zone `T03:04:05` | ○ | ○ | ○ | ○ |
//! | bare date `2024-01-02` | ○ | ● (midnight UTC) | ○ | ○ here; the archive keeps it ([`parse_full_date`]) |
//! | trailing junk, non-ASCII digits | ○ | ○ | ○ | ○ |
//!
//! Why these choices: what real servers write is all the reader has to take. Mastodon and
//! GoToSocial write `2024-01-02T03:04:05Z` (Ruby `iso8601`, Go `time.RFC3339`); Misskey writes
//! milliseconds `2024-01-02T03:04:05.678Z` (JavaScript `toISOString`); Pleroma / Akkoma write
//! microseconds; Friendica and other PHP servers write `+00:00` (`DATE_ATOM`), and some servers
//! keep a local offset. Every row they need is accepted, in lower case too (RFC 3339 §5.6 note).
//! None of them writes a space for `T`, which `xsd:dateTime` (ActivityStreams' type for
//! `published`) does not allow, so it is refused everywhere. A leap second is valid RFC 3339
//! but only at the end of a UTC day; Unix time has no leap seconds, so `23:59:60Z` reads as
//! `23:59:59Z` and a `:60` anywhere else is refused. Year 0000 is valid in both RFC 3339 and
//! XSD 1.1 and is the lower bound `Timestamp::from_unix` writes, so the reader round-trips
//! every timestamp the crate writes. Sub-second parts are checked and dropped: no caller
//! compares below the second.

use std::fmt;

use super::{days_from_civil, days_in_month};

/// Longest date-time read, in bytes (a date-time with nanoseconds and an offset is 35).
pub(crate) const MAX_DATE_TIME_LEN: usize = 64;

/// Why a date-time was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DateTimeError {
    /// Longer than [`MAX_DATE_TIME_LEN`].
    TooLong,
    /// Not the RFC 3339 `date-time` shape; names the part that is wrong.
    Syntax(&'static str),
    /// The shape is right but a field is out of range; names the field.
    OutOfRange(&'static str),
}

impl fmt::Display for DateTimeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateTimeError::TooLong => write!(f, "longer than {MAX_DATE_TIME_LEN} bytes"),
            DateTimeError::Syntax(what) => write!(f, "expected {what}"),
            DateTimeError::OutOfRange(what) => write!(f, "{what} out of range"),
        }
    }
}

/// A byte cursor that never indexes out of bounds.
struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    /// Exactly `n` ASCII digits as a number.
    fn digits(&mut self, n: usize, what: &'static str) -> Result<i64, DateTimeError> {
        let part = self
            .bytes
            .get(self.at..self.at + n)
            .filter(|p| p.iter().all(u8::is_ascii_digit))
            .ok_or(DateTimeError::Syntax(what))?;
        self.at += n;
        Ok(part.iter().fold(0, |acc, d| acc * 10 + i64::from(d - b'0')))
    }

    /// One byte among `allowed`.
    fn expect(&mut self, allowed: &[u8], what: &'static str) -> Result<u8, DateTimeError> {
        match self.peek() {
            Some(b) if allowed.contains(&b) => {
                self.at += 1;
                Ok(b)
            }
            _ => Err(DateTimeError::Syntax(what)),
        }
    }
}

/// `YYYY-MM-DD` at the cursor → days since 1970-01-01.
fn full_date(c: &mut Cursor<'_>) -> Result<i64, DateTimeError> {
    let year = c.digits(4, "a 4-digit year")?;
    c.expect(b"-", "'-' after the year")?;
    let month = c.digits(2, "a 2-digit month")?;
    c.expect(b"-", "'-' after the month")?;
    let day = c.digits(2, "a 2-digit day")?;
    if !(1..=12).contains(&month) {
        return Err(DateTimeError::OutOfRange("month"));
    }
    if day < 1 || day > days_in_month(year, month) {
        return Err(DateTimeError::OutOfRange("day"));
    }
    Ok(days_from_civil(year, month, day))
}

/// Reads an RFC 3339 `date-time` (`2024-01-02T03:04:05Z`, `…05.678Z`, `…05+02:00`; see the
/// module table) to Unix seconds, the sub-second part dropped.
pub(crate) fn parse_date_time(text: &str) -> Result<i64, DateTimeError> {
    if text.len() > MAX_DATE_TIME_LEN {
        return Err(DateTimeError::TooLong);
    }
    let mut c = Cursor {
        bytes: text.as_bytes(),
        at: 0,
    };
    let days = full_date(&mut c)?;
    c.expect(b"Tt", "'T' between date and time")?;
    let hour = c.digits(2, "a 2-digit hour")?;
    c.expect(b":", "':' after the hour")?;
    let minute = c.digits(2, "a 2-digit minute")?;
    c.expect(b":", "':' after the minute (seconds are required)")?;
    let second = c.digits(2, "2-digit seconds")?;
    if hour > 23 {
        return Err(DateTimeError::OutOfRange("hour"));
    }
    if minute > 59 {
        return Err(DateTimeError::OutOfRange("minute"));
    }
    if second > 60 {
        return Err(DateTimeError::OutOfRange("second"));
    }
    if c.peek() == Some(b'.') {
        c.at += 1;
        let start = c.at;
        while c.peek().is_some_and(|b| b.is_ascii_digit()) {
            c.at += 1;
        }
        if c.at == start {
            return Err(DateTimeError::Syntax("digits after '.'"));
        }
    }
    let offset = match c.expect(b"Zz+-", "a zone: 'Z' or ±hh:mm")? {
        b'Z' | b'z' => 0,
        sign => {
            let oh = c.digits(2, "a 2-digit offset hour")?;
            c.expect(b":", "':' in the offset")?;
            let om = c.digits(2, "a 2-digit offset minute")?;
            if oh > 23 || om > 59 {
                return Err(DateTimeError::OutOfRange("offset"));
            }
            let o = oh * 3600 + om * 60;
            if sign == b'-' { -o } else { o }
        }
    };
    if c.at != c.bytes.len() {
        return Err(DateTimeError::Syntax("the end after the zone"));
    }
    let unix = days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset;
    if second == 60 && (unix + 1).rem_euclid(86_400) != 0 {
        // A leap second is only ever the last second of a UTC day.
        return Err(DateTimeError::OutOfRange(
            "second (a leap second ends a UTC day)",
        ));
    }
    Ok(unix)
}

/// Reads an RFC 3339 `full-date` (`2024-01-02`) to Unix seconds at midnight UTC.
pub(crate) fn parse_full_date(text: &str) -> Result<i64, DateTimeError> {
    let mut c = Cursor {
        bytes: text.as_bytes(),
        at: 0,
    };
    let days = full_date(&mut c)?;
    if c.at != c.bytes.len() {
        return Err(DateTimeError::Syntax("the end after the date"));
    }
    Ok(days * 86_400)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::signals::Timestamp;
    use proptest::prelude::*;

    const MIN_UNIX: i64 = -62_167_219_200; // 0000-01-01T00:00:00Z
    const MAX_UNIX: i64 = 253_402_300_799; // 9999-12-31T23:59:59Z

    /// Every row of the module table (and the edges around it): input, expected result.
    const TABLE: &[(&str, Option<i64>)] = &[
        // The plain form every server writes.
        ("2024-01-02T03:04:05Z", Some(1_704_164_645)),
        ("1970-01-01T00:00:00Z", Some(0)),
        // Fractional seconds: Misskey milliseconds, Pleroma microseconds, nanoseconds.
        ("2024-01-02T03:04:05.678Z", Some(1_704_164_645)),
        ("2024-01-02T03:04:05.123456Z", Some(1_704_164_645)),
        ("2024-01-02T03:04:05.999999999Z", Some(1_704_164_645)),
        ("2024-01-02T03:04:05.Z", None),
        ("2024-01-02T03:04:05,5Z", None),
        // Lower case.
        ("2024-01-02t03:04:05z", Some(1_704_164_645)),
        // Offsets.
        ("2024-01-02T05:04:05+02:00", Some(1_704_164_645)),
        ("2024-01-01T22:04:05-05:00", Some(1_704_164_645)),
        ("2024-01-02T03:04:05+00:00", Some(1_704_164_645)),
        ("2024-01-02T03:04:05-00:00", Some(1_704_164_645)),
        ("2024-01-02T05:04:05.5+02:00", Some(1_704_164_645)),
        ("2024-01-02T03:04:05+23:59", Some(1_704_164_645 - 86_340)),
        ("2024-01-02T03:04:05+0200", None),
        ("2024-01-02T03:04:05+02", None),
        ("2024-01-02T03:04:05+24:00", None),
        ("2024-01-02T03:04:05+02:60", None),
        ("2024-01-02T03:04:05+2:00", None),
        // Separator.
        ("2024-01-02 03:04:05Z", None),
        ("2024-01-02_03:04:05Z", None),
        // White space.
        (" 2024-01-02T03:04:05Z", None),
        ("2024-01-02T03:04:05Z\n", None),
        // Leap seconds: only the last second of a UTC day, read as :59.
        ("2016-12-31T23:59:60Z", Some(1_483_228_799)),
        ("2016-12-31T18:59:60-05:00", Some(1_483_228_799)),
        ("2016-12-31T23:59:60.5Z", Some(1_483_228_799)),
        ("2025-12-01T00:00:60Z", None),
        ("2016-12-31T23:58:60Z", None),
        ("2016-12-31T23:59:61Z", None),
        // Years.
        ("1969-12-31T23:59:59Z", Some(-1)),
        ("1900-03-01T00:00:00Z", Some(-2_203_891_200)),
        ("0000-01-01T00:00:00Z", Some(MIN_UNIX)),
        ("9999-12-31T23:59:59Z", Some(MAX_UNIX)),
        ("10000-01-01T00:00:00Z", None),
        ("-0001-01-01T00:00:00Z", None),
        ("+2024-01-02T03:04:05Z", None),
        ("24-01-02T03:04:05Z", None),
        // Calendar and clock ranges.
        ("2024-02-29T00:00:00Z", Some(1_709_164_800)),
        ("2023-02-29T00:00:00Z", None),
        ("2000-02-29T00:00:00Z", Some(951_782_400)),
        ("1900-02-29T00:00:00Z", None),
        ("2024-04-31T00:00:00Z", None),
        ("2024-13-02T03:04:05Z", None),
        ("2024-00-02T03:04:05Z", None),
        ("2024-01-00T03:04:05Z", None),
        ("2024-01-02T24:00:00Z", None),
        ("2024-01-02T03:60:05Z", None),
        // Missing parts.
        ("2024-01-02T03:04Z", None),
        ("2024-01-02T03:04:05", None),
        ("2024-01-02T3:04:05Z", None),
        ("2024-01-02", None),
        ("2024-01-02T", None),
        ("", None),
        // Trailing junk, non-ASCII digits, too long.
        ("2024-01-02T03:04:05Zjunk", None),
        ("2024-01-02T03:04:05+02:00Z", None),
        ("２０２４-01-02T03:04:05Z", None),
        (
            "2024-01-02T03:04:05.0000000000000000000000000000000000000000000000000Z",
            None,
        ),
    ];

    #[test]
    fn table() {
        for &(text, want) in TABLE {
            assert_eq!(parse_date_time(text).ok(), want, "{text:?}");
        }
    }

    #[test]
    fn errors_name_the_part() {
        assert_eq!(
            parse_date_time("2024-01-02T03:04Z"),
            Err(DateTimeError::Syntax(
                "':' after the minute (seconds are required)"
            ))
        );
        assert_eq!(
            parse_date_time("2024-13-02T03:04:05Z"),
            Err(DateTimeError::OutOfRange("month"))
        );
        assert_eq!(
            parse_date_time(&"9".repeat(65)),
            Err(DateTimeError::TooLong)
        );
        assert_eq!(
            parse_date_time("2024-01-02T03:04:05")
                .unwrap_err()
                .to_string(),
            "expected a zone: 'Z' or ±hh:mm"
        );
    }

    #[test]
    fn full_dates() {
        assert_eq!(parse_full_date("2025-12-01"), Ok(1_764_547_200));
        assert_eq!(parse_full_date("1969-12-31"), Ok(-86_400));
        assert!(parse_full_date("2025-02-30").is_err());
        assert!(parse_full_date("2025-12-01T00:00:00Z").is_err());
        assert!(parse_full_date("2025-12-1").is_err());
    }

    /// The callers map the one reader to their own semantics: the profile and the FIRES
    /// timestamp take exactly its date-times; the archive also takes a bare date and trims.
    #[test]
    fn callers_follow_the_table() {
        for &(text, want) in TABLE {
            assert_eq!(
                Timestamp::parse(text, "/published")
                    .ok()
                    .map(|t| t.unix_seconds()),
                want,
                "signals {text:?}"
            );
            #[cfg(feature = "archive")]
            if parse_full_date(text.trim()).is_err() {
                assert_eq!(
                    crate::archive::date::parse_timestamp(text),
                    parse_date_time(text.trim()).ok(),
                    "archive {text:?}"
                );
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2048))]

        /// Total on arbitrary text and on near-dates (never panics, whatever it returns).
        #[test]
        fn never_panics(s in any::<String>(), near in "[0-9]{1,5}-[0-9]{1,2}-[0-9]{1,2}[Tt ][0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2})?(\\.[0-9]{0,12})?([Zz]|[+-][0-9]{1,2}:?[0-9]{0,2})?.{0,2}") {
            let _ = parse_date_time(&s);
            let _ = parse_full_date(&s);
            if let Ok(u) = parse_date_time(&near) {
                prop_assert!((MIN_UNIX - 86_400..=MAX_UNIX + 86_400).contains(&u), "{near}");
            }
        }

        /// Every timestamp the crate writes reads back to itself, also with a fraction and with
        /// the same instant written in another offset.
        #[test]
        fn round_trips_with_from_unix(
            unix in MIN_UNIX..=MAX_UNIX,
            fraction in "(\\.[0-9]{1,9})?",
            offset_minutes in -(23 * 60 + 59)..=(23 * 60 + 59i64),
        ) {
            let text = Timestamp::from_unix(unix).as_str().to_owned();
            prop_assert_eq!(parse_date_time(&text), Ok(unix), "{}", text);
            let with_fraction = text.replacen('Z', &format!("{fraction}Z"), 1);
            prop_assert_eq!(parse_date_time(&with_fraction), Ok(unix), "{}", with_fraction);
            // The same instant in local time at `offset_minutes` (kept inside 0000–9999).
            let local = unix + offset_minutes * 60;
            if (MIN_UNIX..=MAX_UNIX).contains(&local) {
                let stem = Timestamp::from_unix(local).as_str().trim_end_matches('Z').to_owned();
                let (sign, m) = if offset_minutes < 0 { ('-', -offset_minutes) } else { ('+', offset_minutes) };
                let shifted = format!("{stem}{sign}{:02}:{:02}", m / 60, m % 60);
                prop_assert_eq!(parse_date_time(&shifted), Ok(unix), "{}", shifted);
            }
        }
    }
}
