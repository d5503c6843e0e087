//! Arbitrary bytes through the follower-list reader, in each format.
#![no_main]

use fep7628::follower_list::{Account, FollowerListReader, ListFormat, ListLimits};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((selector, body)) = data.split_first() else {
        return;
    };
    let format = match selector % 3 {
        0 => ListFormat::Auto,
        1 => ListFormat::MastodonCsv,
        _ => ListFormat::PlainIds,
    };
    let limits = ListLimits {
        max_line_len: 512,
        max_entries: 1000,
        max_total_bytes: 1 << 16,
    };
    let mut last_line = 0;
    let mut fatal = false;
    for result in FollowerListReader::new(body, format, limits) {
        assert!(!fatal, "entries after a fatal error");
        let line = match &result {
            Ok(entry) => entry.line,
            Err(e) => {
                fatal = e.is_fatal();
                e.line
            }
        };
        assert!(line >= last_line, "line numbers go back");
        last_line = line;
        if let Ok(entry) = result {
            match entry.account {
                Account::Handle(h) => assert!(h.webfinger_resource().starts_with("acct:")),
                Account::ActorId(id) => {
                    assert!(id.starts_with("http://") || id.starts_with("https://"));
                    assert!(format != ListFormat::PlainIds || entry.settings.is_none());
                }
            }
        }
    }
});
