//! fep7628: arbitrary bytes as an RFC 3339 date-time through the crate's one reader, via both
//! public callers (`signals::Timestamp::parse`, `archive::date::parse_timestamp`). Invariants:
//! the two agree on every date-time (the archive also takes a bare date and trims), and every
//! instant read in 0000–9999 is written back by `Timestamp::from_unix` to text that reads to
//! the same instant.
#![no_main]

use fep7628::archive::date::parse_timestamp;
use fep7628::signals::Timestamp;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let signals = Timestamp::parse(text, "/published").map(|t| t.unix_seconds());
    let archive = parse_timestamp(text);
    if let Ok(unix) = signals {
        assert_eq!(archive, Some(unix), "the archive reads what signals reads");
        let written = Timestamp::from_unix(unix);
        if written.unix_seconds() == unix {
            let again = Timestamp::parse(written.as_str(), "/published").map(|t| t.unix_seconds());
            assert_eq!(again, Ok(unix), "{}", written.as_str());
        }
    }
});
