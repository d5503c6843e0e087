//! Hostile inputs too big to commit, built here (listed under `generated` in
//! `tests/fixtures/index.json`): deep nesting, a huge `alsoKnownAs`, a 10 MiB string.
//! Each must give a typed error (or, for `alsoKnownAs`, a bounded result) quickly, never a panic
//! or a stack overflow.

use std::time::{Duration, Instant};

use activitystreams_move::{Actor, ReadOptions};

const BASE: &str = r#""@context": "https://www.w3.org/ns/activitystreams",
  "id": "https://victim.example/users/alice",
  "type": "Person",
  "inbox": "https://victim.example/users/alice/inbox""#;

fn doc(extra_member: &str) -> Vec<u8> {
    format!("{{{BASE}, {extra_member}}}").into_bytes()
}

/// Runs on a thread with a small stack, so unbounded recursion shows up as a crash here rather
/// than passing thanks to a generous main-thread stack.
fn read_small_stack(bytes: Vec<u8>) -> (Result<Actor, activitystreams_move::Error>, Duration) {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let start = Instant::now();
            let r = Actor::from_slice(&bytes, &ReadOptions::default());
            (r, start.elapsed())
        })
        .expect("spawn")
        .join()
        .expect("reader thread panicked")
}

#[test]
fn ten_thousand_levels_of_nesting_is_too_deep() {
    let depth = 10_000;
    let member = format!("\"attachment\": {}{}", "[".repeat(depth), "]".repeat(depth));
    let (r, took) = read_small_stack(doc(&member));
    let err = r.expect_err("10 000 nested arrays must be refused");
    assert_eq!(err.kind(), "too_deep", "{err}");
    let at = err.at().expect("pointer");
    assert!(
        at.starts_with("/attachment"),
        "pointer {at:?} should be under /attachment"
    );
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[test]
fn nesting_inside_context_is_too_deep_too() {
    let depth = 10_000;
    let bytes = format!(
        "{{\"@context\": [\"https://www.w3.org/ns/activitystreams\", {}{}], \"id\": \"https://a.example/u\", \"type\": \"Person\"}}",
        "{\"x\":".repeat(depth),
        "1}".repeat(depth)
    )
    .into_bytes();
    let (r, _) = read_small_stack(bytes);
    let err = r.expect_err("deep @context must be refused");
    assert_eq!(err.kind(), "too_deep", "{err}");
    assert!(err.at().expect("pointer").starts_with("/@context"), "{err}");
}

fn aliases(n: usize) -> Vec<u8> {
    let list: Vec<String> = (0..n)
        .map(|i| format!("\"https://alias{i}.example/users/alice\""))
        .collect();
    doc(&format!("\"alsoKnownAs\": [{}]", list.join(",")))
}

fn read_with(
    bytes: Vec<u8>,
    opts: ReadOptions,
) -> (Result<Actor, activitystreams_move::Error>, Duration) {
    std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(move || {
            let start = Instant::now();
            let r = Actor::from_slice(&bytes, &opts);
            (r, start.elapsed())
        })
        .expect("spawn")
        .join()
        .expect("reader thread panicked")
}

#[test]
fn hundred_thousand_aliases_exceed_the_document_limit() {
    // 100 000 aliases are ~4 MB: the document limit (256 KiB by default) answers first.
    let (r, took) = read_small_stack(aliases(100_000));
    let err = r.expect_err("a 4 MB actor must be refused by the default limits");
    assert_eq!(err.kind(), "too_large", "{err}");
    assert_eq!(err.at(), Some(""), "{err}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[test]
fn hundred_thousand_aliases_exceed_the_array_limit_when_the_document_limit_is_raised() {
    let mut opts = ReadOptions::default();
    opts.limits.max_document_bytes = 16 * 1024 * 1024;
    let (r, took) = read_with(aliases(100_000), opts);
    let err = r.expect_err("100 000 entries exceed max_array_len");
    assert_eq!(err.kind(), "too_large", "{err}");
    assert_eq!(err.at(), Some("/alsoKnownAs"), "{err}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
}

#[test]
fn aliases_beyond_the_alias_cap_are_dropped_counted_and_reported() {
    let opts = ReadOptions::default();
    let n = opts.limits.max_array_len; // the longest array the reader accepts
    let cap = opts.limits.max_also_known_as;
    assert!(n > cap, "test needs max_array_len > max_also_known_as");
    let (r, _) = read_with(aliases(n), opts);
    let actor = r.expect("an array within max_array_len is read");
    assert_eq!(actor.also_known_as.len(), cap);
    assert_eq!(actor.read_info.also_known_as_dropped(), n - cap);
    assert_eq!(
        actor.also_known_as.first(),
        Some("https://alias0.example/users/alice"),
        "the first entries are the ones kept"
    );
    let problems = activitystreams_move::validate_actor(&actor);
    assert!(
        problems
            .iter()
            .any(|p| p.kind() == "too_many_aliases" && p.at == "/alsoKnownAs"),
        "validation must report the truncation: {problems:?}"
    );
}

#[test]
fn ten_mebibyte_string_is_too_large() {
    let member = format!("\"summary\": \"{}\"", "a".repeat(10 * 1024 * 1024));
    let (r, took) = read_small_stack(doc(&member));
    let err = r.expect_err("a 10 MiB document must be refused by the default limits");
    assert_eq!(err.kind(), "too_large", "{err}");
    assert_eq!(err.at(), Some(""), "{err}");
    assert!(took < Duration::from_secs(2), "took {took:?}");
}
