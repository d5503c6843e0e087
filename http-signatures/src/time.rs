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
        httpdate::parse_http_date(s).ok().map(UnixTime::from)
    }
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
