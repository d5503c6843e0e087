//! RFC 3339 timestamps (`published`) to Unix seconds, and Unix seconds to a `YYYY-MM` month.

use crate::civil::{civil_from_days, parse_date_time, parse_full_date};

/// Parses an RFC 3339 date-time (`YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)`, lower-case `t`/`z`
/// too; the crate's one reader, see `civil::rfc3339`) or a bare date `YYYY-MM-DD` (midnight
/// UTC), after trimming white space (policy files are typed by people). `None` for anything
/// else.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let text = text.trim();
    parse_date_time(text)
        .or_else(|_| parse_full_date(text))
        .ok()
}

/// `YYYY-MM` of a Unix time (UTC).
pub fn month_of(unix: i64) -> String {
    let (y, m, _) = civil_from_days(unix.div_euclid(86_400));
    format!("{y:04}-{m:02}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339() {
        assert_eq!(parse_timestamp("1970-01-01T00:00:00Z"), Some(0));
        assert_eq!(parse_timestamp("2025-12-01T00:00:00Z"), Some(1_764_547_200));
        assert_eq!(
            parse_timestamp("2025-12-01T01:00:00.123+01:00"),
            Some(1_764_547_200)
        );
        assert_eq!(parse_timestamp("2025-12-01"), Some(1_764_547_200));
        assert_eq!(parse_timestamp("2000-02-29T00:00:00Z"), Some(951_782_400));
        assert_eq!(parse_timestamp(" 2025-12-01\n"), Some(1_764_547_200));
        assert_eq!(parse_timestamp("2016-12-31T23:59:60Z"), Some(1_483_228_799));
        for bad in [
            "",
            "2025-13-01",
            "2025-02-30",
            "2025-12-01T25:00:00Z",
            "2025-12-01T00:00:00",
            "2025-12-01T00:00:00+1:00",
            "２０２５-12-01",
            "2025-12-01T00:00:00.Z",
            "2025-12-01 00:00:00Z",
            "2025-12-01T00:00:60Z",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }

    #[test]
    fn months() {
        assert_eq!(month_of(1_764_547_200), "2025-12");
        assert_eq!(month_of(951_782_400), "2000-02");
        assert_eq!(month_of(-1), "1969-12");
    }
}
