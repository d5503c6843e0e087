//! RFC 3339 timestamps (`published`) to Unix seconds, and Unix seconds to a `YYYY-MM` month.

use crate::civil::{civil_from_days, days_from_civil, days_in_month};

/// Parses `YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)` (also a lower-case `t`/`z` or a space
/// separator), or a bare date `YYYY-MM-DD` (midnight UTC). `None` for anything else.
pub fn parse_timestamp(text: &str) -> Option<i64> {
    let b = text.trim().as_bytes();
    let num = |range: std::ops::Range<usize>| -> Option<i64> {
        let digits = b.get(range)?;
        if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        digits.iter().try_fold(0i64, |acc, d| {
            acc.checked_mul(10)?.checked_add(i64::from(d - b'0'))
        })
    };
    let year = num(0..4)?;
    if b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return None;
    }
    let month = num(5..7)?;
    let day = num(8..10)?;
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if b.len() == 10 {
        return Some(days * 86_400);
    }
    if !matches!(b.get(10), Some(b'T' | b't' | b' ')) || b.get(13) != Some(&b':') {
        return None;
    }
    let (hour, minute) = (num(11..13)?, num(14..16)?);
    if b.get(16) != Some(&b':') {
        return None;
    }
    let second = num(17..19)?;
    if hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    let mut rest = b.get(19..)?;
    if let Some((b'.', frac)) = rest.split_first() {
        let digits = frac.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return None;
        }
        rest = frac.get(digits..)?;
    }
    let offset = match rest {
        [b'Z' | b'z'] => 0,
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let digits = [*h1, *h2, *m1, *m2];
            if !digits.iter().all(u8::is_ascii_digit) {
                return None;
            }
            let [h1, h2, m1, m2] = digits.map(|d| i64::from(d - b'0'));
            let (oh, om) = (h1 * 10 + h2, m1 * 10 + m2);
            if oh > 23 || om > 59 {
                return None;
            }
            let off = oh * 3600 + om * 60;
            if *sign == b'-' { -off } else { off }
        }
        _ => return None,
    };
    Some(days * 86_400 + hour * 3600 + minute * 60 + second.min(59) - offset)
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
        for bad in [
            "",
            "2025-13-01",
            "2025-02-30",
            "2025-12-01T25:00:00Z",
            "2025-12-01T00:00:00",
            "2025-12-01T00:00:00+1:00",
            "２０２５-12-01",
            "2025-12-01T00:00:00.Z",
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
