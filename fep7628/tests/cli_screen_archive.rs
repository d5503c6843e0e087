//! `fep7628 screen-archive` over generated archives and outboxes: the JSON report on stdout
//! (and in `--json`), the HTML report, and the exit codes 0 / 1 / 2.
#![cfg(feature = "cli")]

#[path = "support/archive_gen.rs"]
mod archive_gen;
mod cli_support;

use archive_gen::{Corpus, NOW, TEST_POLICY, archive_bytes, expected, zip_bomb};
use cli_support::*;

fn write(dir: &std::path::Path, name: &str, bytes: &[u8]) -> String {
    let p = dir.join(name);
    std::fs::write(&p, bytes).expect("write");
    arg(&p)
}

#[test]
fn screens_an_archive_with_exact_counts_and_writes_both_reports() {
    let dir = scratch("screen-archive");
    let (bytes, truth) = archive_bytes(&Corpus::new(120));
    let archive = write(&dir, "archive.zip", &bytes);
    let policy = write(&dir, "policy.toml", TEST_POLICY.as_bytes());
    let (json_out, html_out) = (arg(&dir.join("r.json")), arg(&dir.join("r.html")));
    let now = NOW.to_string();
    let run = run(
        &[
            "screen-archive",
            &archive,
            "--policy",
            &policy,
            "--json",
            &json_out,
            "--html",
            &html_out,
            "--now",
            &now,
        ],
        None,
    );
    assert_eq!(run.code, 1, "held/rejected posts exit 1: {}", run.stderr);
    let report = run.json();
    let e = expected(&truth);
    for status in ["accept", "hold", "reject"] {
        assert_eq!(
            report["totals"][status],
            e.status.get(status).copied().unwrap_or(0),
            "{status}"
        );
    }
    for p in ["verified", "unverified", "invalid"] {
        assert_eq!(
            report["provenance"][p],
            e.provenance.get(p).copied().unwrap_or(0),
            "{p}"
        );
    }
    assert_eq!(report["valid"], false);
    assert_eq!(report["format"], "mastodon_archive");
    let file: serde_json::Value = read_json(&dir.join("r.json"));
    assert_eq!(file, report, "--json writes what stdout shows");
    let html = std::fs::read_to_string(dir.join("r.html")).expect("html written");
    assert!(html.starts_with("<!DOCTYPE html>") && html.contains("Held items"));
    assert!(!html.contains("<script") && !html.contains("src=") && !html.contains("href="));
    // The archive's own HTML (`&lt;tomatoes&gt;` content) is never echoed raw.
    assert!(!html.contains("<p>Post"));
}

#[test]
fn a_clean_archive_exits_0() {
    let dir = scratch("screen-archive-clean");
    let (bytes, _) = archive_bytes(&Corpus {
        posts: 3,
        likes: 1,
        bookmarks: 1,
        sign: true,
    });
    // Items 0..3 are signed, public or unlisted, dated in range, without media or keywords.
    let archive = write(&dir, "archive.zip", &bytes);
    let policy = write(&dir, "policy.toml", b"[import]\nunverified = \"hold\"\n");
    let now = NOW.to_string();
    let run = run(
        &[
            "screen-archive",
            &archive,
            "--policy",
            &policy,
            "--now",
            &now,
        ],
        None,
    );
    assert_eq!(run.code, 0, "{}", String::from_utf8_lossy(&run.stdout));
    assert_eq!(run.json()["totals"]["accept"], 3);
    assert_eq!(run.json()["provenance"]["verified"], 3);
}

/// `screen-archive INPUT --policy POLICY`.
fn screen(input: &str, policy: &str) -> Run {
    run(&["screen-archive", input, "--policy", policy], None)
}

#[test]
fn unusable_inputs_exit_2_with_a_located_error() {
    let dir = scratch("screen-archive-bad");
    let good_policy = write(&dir, "policy.toml", TEST_POLICY.as_bytes());
    let bomb = write(&dir, "bomb.zip", &zip_bomb(4 << 20));
    let run1 = screen(&bomb, &good_policy);
    assert_eq!((run1.code, run1.kind().as_deref()), (2, Some("zip_bomb")));

    let not_json = write(&dir, "outbox.json", b"{\"orderedItems\": [1, 2,,]}");
    let run2 = screen(&not_json, &good_policy);
    assert_eq!(
        (run2.code, run2.kind().as_deref()),
        (2, Some("invalid_json"))
    );
    assert_eq!(run2.json()["error"]["at"], format!("{not_json}:1:24"));

    let bad_policy = write(
        &dir,
        "bad.toml",
        b"[other]\nx = 1\n[import.dates]\nnot_before = \"soon\"\n",
    );
    let run3 = screen(&not_json, &bad_policy);
    assert_eq!(
        (run3.code, run3.kind().as_deref()),
        (2, Some("invalid_policy"))
    );
    assert_eq!(run3.json()["error"]["at"], format!("{bad_policy}:4:14"));

    let missing = arg(&dir.join("nope.zip"));
    let run4 = screen(&missing, &good_policy);
    assert_eq!((run4.code, run4.kind().as_deref()), (2, Some("io")));
}

#[test]
fn a_plain_outbox_with_its_actor() {
    let dir = scratch("screen-outbox");
    let key = archive_gen::actor_key();
    let other = identity_links::ed25519_dalek::SigningKey::from_bytes(&[7; 32]);
    let plans: Vec<_> = (0..20).map(archive_gen::plan).collect();
    let items: Vec<String> = plans
        .iter()
        .map(|t| archive_gen::item(t, &key, &other).0.to_string())
        .collect();
    let outbox = write(
        &dir,
        "outbox.json",
        archive_gen::outbox_with(&items).as_bytes(),
    );
    let actor = write(
        &dir,
        "actor.json",
        archive_gen::actor_document().to_string().as_bytes(),
    );
    let policy = write(&dir, "policy.toml", TEST_POLICY.as_bytes());
    let now = NOW.to_string();
    let run = run(
        &[
            "screen-archive",
            &outbox,
            "--policy",
            &policy,
            "--actor",
            &actor,
            "--now",
            &now,
        ],
        None,
    );
    assert_eq!(run.code, 1);
    let e = expected(&archive_gen::Truth {
        posts: plans,
        ..Default::default()
    });
    assert_eq!(run.json()["format"], "outbox");
    assert_eq!(
        run.json()["provenance"]["verified"],
        e.provenance.get("verified").copied().unwrap_or(0)
    );
    assert_eq!(
        run.json()["provenance"]["invalid"],
        e.provenance.get("invalid").copied().unwrap_or(0)
    );
}
