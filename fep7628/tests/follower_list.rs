//! Follower-list import: fixtures, limits, totality.

use std::io::BufReader;

use fep7628::follower_list::{
    Account, FollowerListReader, Handle, ListEntry, ListError, ListFormat, ListLimits,
};
use proptest::prelude::*;

fn fixture(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/testdata/follower_lists/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(path).expect("fixture")
}

fn read(bytes: &[u8], format: ListFormat, limits: ListLimits) -> Vec<Result<ListEntry, ListError>> {
    FollowerListReader::new(bytes, format, limits).collect()
}

fn handle(user: &str, domain: &str) -> Account {
    Account::Handle(Handle {
        user: user.into(),
        domain: domain.into(),
    })
}

#[test]
fn mastodon_following_export() {
    let out = read(
        &fixture("mastodon-following.csv"),
        ListFormat::Auto,
        ListLimits::default(),
    );
    let entries: Vec<_> = out.into_iter().map(Result::unwrap).collect();
    assert_eq!(entries.len(), 3);
    assert_eq!(entries[0].line, 2);
    assert_eq!(entries[0].account, handle("alice", "mastodon.example"));
    // Domains are lower-cased, users kept.
    assert_eq!(entries[1].account, handle("bob", "example.social"));
    let bob = entries[1].settings.clone().unwrap();
    assert!(!bob.show_reblogs && bob.notify);
    assert_eq!(bob.languages.unwrap(), ["en", "de"]);
    assert_eq!(
        entries[2].settings.clone().unwrap().languages.unwrap(),
        ["fr"]
    );
    assert_eq!(entries[0].settings.clone().unwrap().languages, None);
    let Account::Handle(h) = &entries[1].account else {
        panic!()
    };
    assert_eq!(h.webfinger_resource(), "acct:bob@example.social");
}

#[test]
fn one_column_with_bom_and_crlf() {
    let out = read(
        &fixture("one-column-bom-crlf.csv"),
        ListFormat::Auto,
        ListLimits::default(),
    );
    let accounts: Vec<_> = out.into_iter().map(|e| e.unwrap().account).collect();
    assert_eq!(
        accounts,
        [
            handle("dave", "gts.example"),
            handle("erin", "misskey.example")
        ]
    );
}

#[test]
fn handles_without_header() {
    let out = read(
        &fixture("handles-no-header.txt"),
        ListFormat::Auto,
        ListLimits::default(),
    );
    let entries: Vec<_> = out.into_iter().map(Result::unwrap).collect();
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().all(|e| e.settings.is_none()));
    // As Mastodon CSV without a header, too.
    let out = read(
        &fixture("handles-no-header.txt"),
        ListFormat::MastodonCsv,
        ListLimits::default(),
    );
    assert_eq!(out.len(), 2);
    assert!(out.iter().all(|e| e.as_ref().unwrap().settings.is_none()));
}

#[test]
fn plain_actor_ids_with_comments() {
    let out = read(
        &fixture("actor-ids.txt"),
        ListFormat::PlainIds,
        ListLimits::default(),
    );
    let entries: Vec<_> = out.into_iter().map(Result::unwrap).collect();
    let ids: Vec<_> = entries.iter().map(|e| e.account.clone()).collect();
    assert_eq!(
        ids,
        [
            Account::ActorId("https://a.example/users/one".into()),
            Account::ActorId("https://b.example/@two".into()),
            Account::ActorId("https://c.example/ap/users/3".into()),
        ]
    );
    assert_eq!(
        entries.iter().map(|e| e.line).collect::<Vec<_>>(),
        [3, 4, 5]
    );
    // PlainIds refuses handles.
    let out = read(
        &fixture("handles-no-header.txt"),
        ListFormat::PlainIds,
        ListLimits::default(),
    );
    assert!(
        out.iter()
            .all(|e| e.as_ref().unwrap_err().kind() == "invalid_account")
    );
}

#[test]
fn columns_found_by_name() {
    let out = read(
        &fixture("reordered-columns.csv"),
        ListFormat::Auto,
        ListLimits::default(),
    );
    let entries: Vec<_> = out.into_iter().map(Result::unwrap).collect();
    assert_eq!(entries[0].account, handle("heidi", "example.org"));
    let s = entries[0].settings.clone().unwrap();
    assert!(!s.show_reblogs && !s.notify);
    assert_eq!(s.languages.unwrap(), ["pt-BR", "es"]);
    let s = entries[1].settings.clone().unwrap();
    assert!(s.show_reblogs);
    assert_eq!(s.languages, None);
}

#[test]
fn broken_rows_are_reported_with_line_numbers_and_do_not_stop_reading() {
    let out = read(
        &fixture("hostile.csv"),
        ListFormat::Auto,
        ListLimits::default(),
    );
    let summary: Vec<(u64, &str)> = out
        .iter()
        .map(|r| match r {
            Ok(e) => (e.line, "ok"),
            Err(e) => (e.line, e.kind()),
        })
        .collect();
    assert_eq!(
        summary,
        [
            (2, "ok"),
            (3, "invalid_account"),
            (4, "bad_quoting"),
            (5, "invalid_bool"),
            (6, "invalid_languages"),
            (7, "ok"),
        ]
    );
}

#[test]
fn limits() {
    let limits = ListLimits {
        max_line_len: 40,
        max_entries: 2,
        max_total_bytes: 1 << 20,
    };
    let long = format!("{}@example.com\nok@example.com\n", "a".repeat(100));
    let out = read(long.as_bytes(), ListFormat::Auto, limits);
    assert_eq!(out[0].as_ref().unwrap_err().kind(), "line_too_long");
    assert_eq!(out[0].as_ref().unwrap_err().line, 1);
    // The rest of the long line is skipped; the next line is read with its own number.
    assert_eq!(out[1].as_ref().unwrap().line, 2);
    assert_eq!(out.len(), 2);

    let three = "a@example.com\nb@example.com\nc@example.com\nd@example.com\n";
    let out = read(three.as_bytes(), ListFormat::Auto, limits);
    assert_eq!(out.len(), 3, "stops after the fatal error");
    assert_eq!(out[2].as_ref().unwrap_err().kind(), "too_many_entries");
    assert!(out[2].as_ref().unwrap_err().is_fatal());

    let tiny = ListLimits {
        max_total_bytes: 20,
        ..limits
    };
    let out = read(three.as_bytes(), ListFormat::Auto, tiny);
    assert_eq!(
        out.last().unwrap().as_ref().unwrap_err().kind(),
        "input_too_large"
    );

    // A huge line without a newline does not make the reader buffer it.
    let huge = vec![b'x'; 1 << 20];
    let out: Vec<_> = FollowerListReader::new(
        BufReader::with_capacity(64, &huge[..]),
        ListFormat::Auto,
        ListLimits::default(),
    )
    .collect();
    assert_eq!(out.len(), 1);
    assert_eq!(out[0].as_ref().unwrap_err().kind(), "line_too_long");
}

#[test]
fn odd_bytes() {
    let out = read(
        b"\xff\xfe@x\nok@example.com\n",
        ListFormat::Auto,
        ListLimits::default(),
    );
    assert_eq!(out[0].as_ref().unwrap_err().kind(), "not_utf8");
    assert!(out[1].is_ok());
    for bad in [
        "user@",
        "@example.com",
        "us er@example.com",
        "user@exa mple.com",
        "user@host",
        "ftp://example.com/u",
        "https://",
        "a@b@c.example",
        "user@[::1]",
    ] {
        let out = read(bad.as_bytes(), ListFormat::Auto, ListLimits::default());
        assert_eq!(out.len(), 1, "{bad}");
        assert_eq!(
            out[0].as_ref().unwrap_err().kind(),
            "invalid_account",
            "{bad}"
        );
    }
    let out = read(
        b"Account address,Whatever\n",
        ListFormat::Auto,
        ListLimits::default(),
    );
    assert!(out.is_empty());
    let out = read(
        b"account address\n",
        ListFormat::Auto,
        ListLimits::default(),
    );
    assert!(out.is_empty());
    for header in ["Account addresses,x\n", "Show boosts,Languages\n"] {
        let out = read(header.as_bytes(), ListFormat::Auto, ListLimits::default());
        assert_eq!(out[0].as_ref().unwrap_err().kind(), "no_account_column");
    }
}

proptest! {
    #[test]
    fn total_on_any_bytes(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        for format in [ListFormat::Auto, ListFormat::MastodonCsv, ListFormat::PlainIds] {
            let limits = ListLimits { max_line_len: 64, max_entries: 16, max_total_bytes: 1024 };
            let out = read(&bytes, format, limits);
            // Never more results than lines, and line numbers never decrease.
            let lines = bytes.split(|&b| b == b'\n').count() as u64;
            let mut last = 0;
            for r in &out {
                let line = match r { Ok(e) => e.line, Err(e) => e.line };
                prop_assert!(line >= last && line <= lines);
                last = line;
            }
        }
    }

    #[test]
    fn written_lists_read_back(
        users in prop::collection::vec(("[a-z][a-z0-9_]{0,10}", "[a-z]{1,8}\\.(social|example|org)", any::<bool>(), any::<bool>()), 0..50)
    ) {
        let mut csv = String::from("Account address,Show boosts,Notify on new posts,Languages\n");
        for (u, d, b, n) in &users {
            csv.push_str(&format!("{u}@{d},{b},{n},\"en,fr\"\n"));
        }
        let out = read(csv.as_bytes(), ListFormat::Auto, ListLimits::default());
        prop_assert_eq!(out.len(), users.len());
        for ((u, d, b, n), r) in users.iter().zip(out) {
            let e = r.unwrap();
            prop_assert_eq!(e.account, handle(u, d));
            let s = e.settings.unwrap();
            prop_assert_eq!((s.show_reblogs, s.notify), (*b, *n));
        }
    }
}
