//! Time as an argument: the crate never reads the clock.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// Seconds since the Unix epoch (may be negative for pre-1970 instants).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct UnixTime(pub i64);

impl UnixTime {
    /// The instant `secs` seconds after the epoch.
    pub const fn from_secs(secs: i64) -> Self {
        UnixTime(secs)
    }

    /// Seconds since the epoch.
    pub const fn as_secs(self) -> i64 {
        self.0
    }

    /// Adds seconds, saturating instead of overflowing.
    pub const fn saturating_add(self, secs: i64) -> Self {
        UnixTime(self.0.saturating_add(secs))
    }

    /// Subtracts seconds, saturating instead of overflowing.
    pub const fn saturating_sub(self, secs: i64) -> Self {
        UnixTime(self.0.saturating_sub(secs))
    }

    /// Converts to a [`SystemTime`] (saturating at the representable range).
    pub fn to_system_time(self) -> SystemTime {
        if self.0 >= 0 {
            UNIX_EPOCH
                .checked_add(Duration::from_secs(self.0.unsigned_abs()))
                .unwrap_or(UNIX_EPOCH)
        } else {
            UNIX_EPOCH
                .checked_sub(Duration::from_secs(self.0.unsigned_abs()))
                .unwrap_or(UNIX_EPOCH)
        }
    }

    /// Formats as an IMF-fixdate HTTP date (`Tue, 20 Apr 2021 02:07:55 GMT`).
    pub fn to_http_date(self) -> String {
        httpdate::fmt_http_date(self.to_system_time())
    }

    /// Parses an HTTP date (IMF-fixdate and the obsolete forms accepted by `httpdate`).
    pub fn parse_http_date(s: &str) -> Option<Self> {
        parse_imf_fixdate(s.trim().as_bytes())
            .or_else(|| httpdate::parse_http_date(s).ok().map(UnixTime::from))
    }
}

/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`), the form every sender uses, with the rules
/// `httpdate` applies (years 1970–9999, a real calendar day, the matching weekday). `None`
/// hands the input to `httpdate`, which parses the obsolete forms and reports errors, so the
/// result is always `httpdate`'s (checked by the proptest below).
fn parse_imf_fixdate(s: &[u8]) -> Option<UnixTime> {
    const WEEKDAYS: [&[u8; 3]; 7] = [b"Thu", b"Fri", b"Sat", b"Sun", b"Mon", b"Tue", b"Wed"];
    let s: &[u8; 29] = s.try_into().ok()?;
    let [
        w0,
        w1,
        w2,
        b',',
        b' ',
        d0,
        d1,
        b' ',
        m0,
        m1,
        m2,
        b' ',
        y0,
        y1,
        y2,
        y3,
        b' ',
        h0,
        h1,
        b':',
        n0,
        n1,
        b':',
        s0,
        s1,
        b' ',
        b'G',
        b'M',
        b'T',
    ] = *s
    else {
        return None;
    };
    let two = |a: u8, b: u8| -> Option<i64> {
        let (a, b) = (a.wrapping_sub(b'0'), b.wrapping_sub(b'0'));
        (a < 10 && b < 10).then(|| i64::from(a * 10 + b))
    };
    let day = two(d0, d1)?;
    let year = two(y0, y1)? * 100 + two(y2, y3)?;
    let (hour, min, sec) = (two(h0, h1)?, two(n0, n1)?, two(s0, s1)?);
    let month: i64 = match &[m0, m1, m2] {
        b"Jan" => 1,
        b"Feb" => 2,
        b"Mar" => 3,
        b"Apr" => 4,
        b"May" => 5,
        b"Jun" => 6,
        b"Jul" => 7,
        b"Aug" => 8,
        b"Sep" => 9,
        b"Oct" => 10,
        b"Nov" => 11,
        b"Dec" => 12,
        _ => return None,
    };
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let month_days = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if !(1970..=9999).contains(&year)
        || hour > 23
        || min > 59
        || sec > 59
        || day == 0
        || day > month_days
    {
        return None;
    }
    // Days since 1970-01-01 (H. Hinnant's days_from_civil; years here are ≥ 1970).
    let y = if month <= 2 { year - 1 } else { year };
    let (era, yoe) = (y / 400, y % 400);
    let doy = (153 * ((month + 9) % 12) + 2) / 5 + day - 1;
    let days = era * 146_097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719_468;
    // 1970-01-01 was a Thursday.
    if **WEEKDAYS.get(usize::try_from(days % 7).ok()?)? != [w0, w1, w2] {
        return None;
    }
    Some(UnixTime(days * 86_400 + hour * 3_600 + min * 60 + sec))
}

impl From<SystemTime> for UnixTime {
    fn from(t: SystemTime) -> Self {
        match t.duration_since(UNIX_EPOCH) {
            Ok(d) => UnixTime(i64::try_from(d.as_secs()).unwrap_or(i64::MAX)),
            Err(e) => UnixTime(-i64::try_from(e.duration().as_secs()).unwrap_or(i64::MAX)),
        }
    }
}

impl From<i64> for UnixTime {
    fn from(secs: i64) -> Self {
        UnixTime(secs)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn http_date_round_trip() {
        let t = UnixTime::parse_http_date("Tue, 20 Apr 2021 02:07:55 GMT").unwrap();
        assert_eq!(t, UnixTime(1618884475));
        assert_eq!(t.to_http_date(), "Tue, 20 Apr 2021 02:07:55 GMT");
        assert_eq!(UnixTime::from(t.to_system_time()), t);
        assert!(UnixTime::parse_http_date("yesterday").is_none());
    }

    fn theirs(s: &str) -> Option<UnixTime> {
        httpdate::parse_http_date(s).ok().map(UnixTime::from)
    }

    proptest::proptest! {
        /// Every date `httpdate` writes parses to the same instant.
        #[test]
        fn fixdate_fast_path_agrees_with_httpdate(secs in 0i64..253_402_300_800) {
            let s = UnixTime(secs).to_http_date();
            proptest::prop_assert_eq!(parse_imf_fixdate(s.as_bytes()), Some(UnixTime(secs)));
        }

        /// Mutated dates (wrong weekday, impossible days, junk): same verdict as `httpdate`.
        #[test]
        fn mutated_dates_agree_with_httpdate(
            secs in 0i64..253_402_300_800,
            at in 0usize..29,
            with in proptest::sample::select(b"0123456789 :,GMTSunMonFebxZ\t".to_vec()),
        ) {
            let mut s = UnixTime(secs).to_http_date().into_bytes();
            if let Some(b) = s.get_mut(at) {
                *b = with;
            }
            let s = String::from_utf8(s).unwrap();
            proptest::prop_assert_eq!(UnixTime::parse_http_date(&s), theirs(&s), "{}", s);
        }
    }

    #[test]
    fn fixdate_edge_cases_agree_with_httpdate() {
        for s in [
            "Thu, 01 Jan 1970 00:00:00 GMT",
            "Fri, 31 Dec 9999 23:59:59 GMT",
            "Wed, 31 Dec 1969 23:59:59 GMT",
            "Thu, 29 Feb 2024 12:00:00 GMT",
            "Fri, 29 Feb 2023 12:00:00 GMT",
            "Tue, 29 Feb 2000 12:00:00 GMT",
            "Mon, 29 Feb 2100 12:00:00 GMT",
            "Fri, 31 Apr 2026 12:00:00 GMT",
            "Mon, 23 Nov 2026 24:00:00 GMT",
            "Mon, 23 Nov 2026 23:60:00 GMT",
            "Mon, 23 Nov 2026 23:00:60 GMT",
            "Mon, 00 Nov 2026 23:00:00 GMT",
            "Tue, 23 Nov 2026 23:00:00 GMT",
            "  Mon, 23 Nov 2026 23:00:00 GMT ",
            "Monday, 23-Nov-26 23:00:00 GMT",
            "Mon Nov 23 23:00:00 2026",
        ] {
            assert_eq!(UnixTime::parse_http_date(s), theirs(s), "{s}");
        }
    }

    #[test]
    fn saturates() {
        assert_eq!(UnixTime(i64::MAX).saturating_add(5), UnixTime(i64::MAX));
        assert_eq!(UnixTime(i64::MIN).saturating_sub(5), UnixTime(i64::MIN));
        assert_eq!(
            UnixTime::from(UNIX_EPOCH - Duration::from_secs(10)),
            UnixTime(-10)
        );
    }
}
