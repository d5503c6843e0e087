//! The real-world fixture corpus (`tests/fixtures/`, described in its README): every document
//! listed in `tests/fixtures/index.json` is read with the library and EVERY expected value is
//! checked; hostile documents must fail with the listed error kind at the listed JSON Pointer.
//!
//! The index is the ground truth. It was filled by reading each document and cross-checked
//! against a full JSON-LD expansion (see the README); when the library disagrees, the case goes
//! to `tests/fixtures/GAPS.md`, not into a weaker assertion here.

use std::collections::BTreeSet;
use std::path::PathBuf;

use activitystreams_move::{Activity, Actor, Error, Problem, ReadOptions};
use serde_json::{Value, json};

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn index() -> Value {
    let text = std::fs::read_to_string(dir().join("index.json")).expect("read index.json");
    serde_json::from_str(&text).expect("index.json is JSON")
}

fn bytes(path: &str) -> Vec<u8> {
    std::fs::read(dir().join(path)).unwrap_or_else(|e| panic!("read {path}: {e}"))
}

fn entries<'a>(index: &'a Value, section: &str) -> &'a [Value] {
    index[section]
        .as_array()
        .unwrap_or_else(|| panic!("index.json has no `{section}` array"))
}

/// What the library read, in the index's vocabulary.
fn observe_actor(a: &Actor) -> Value {
    json!({
        "id": a.id(),
        "type": types(&a.types),
        "movedTo": a.moved_to(),
        "copiedTo": a.copied_to.as_slice(),
        "alsoKnownAs": a.also_known_as.as_slice(),
        "inbox": a.inbox(),
        "sharedInbox": a.shared_inbox(),
        "followers": a.followers(),
        "publicKey": a.public_keys.iter().map(|k| k.id.clone()).collect::<Vec<_>>(),
        "manuallyApprovesFollowers": a.manually_approves_followers,
        "tombstone": a.is_tombstone(),
    })
}

fn observe_activity(a: &Activity) -> Value {
    json!({
        "id": a.id(),
        "type": types(&a.types),
        "actor": a.actor_id(),
        "object": a.object_id(),
        "target": a.target_id(),
    })
}

/// A single type as a string, several as an array (the index's shape).
fn types(t: &[String]) -> Value {
    match t {
        [one] => Value::String(one.clone()),
        many => json!(many),
    }
}

enum Read {
    Actor(Box<Actor>),
    Activity(Box<Activity>),
}

fn read(kind: &str, doc: &[u8]) -> Result<Read, Error> {
    let opts = ReadOptions::default();
    match kind {
        "actor" => Actor::from_slice(doc, &opts).map(|a| Read::Actor(Box::new(a))),
        "activity" => Activity::from_slice(doc, &opts).map(|a| Read::Activity(Box::new(a))),
        other => panic!("unknown kind {other:?} in index.json"),
    }
}

fn observe(r: &Read) -> Value {
    match r {
        Read::Actor(a) => observe_actor(a),
        Read::Activity(a) => observe_activity(a),
    }
}

/// Compares every field the index lists (and insists the index lists all of them).
fn compare(path: &str, kind: &str, fields: &Value, expect: &Value, got: &Value) -> Vec<String> {
    let mut out = Vec::new();
    let wanted = fields[kind].as_array().expect("expect_fields");
    for f in wanted {
        let f = f.as_str().expect("field name");
        let Some(e) = expect.get(f) else {
            out.push(format!("{path}: index entry lacks expected field `{f}`"));
            continue;
        };
        if &got[f] != e {
            out.push(format!(
                "{path}: `{f}` expected {e}, library read {}",
                got[f]
            ));
        }
    }
    out
}

/// Error matches a `{"rejected": kind, "at": [pointers]}` verdict.
fn error_matches(err: &Error, verdict: &Value) -> bool {
    let kind = verdict["rejected"].as_str().expect("rejected kind");
    let pointers: Vec<&str> = verdict["at"]
        .as_array()
        .expect("at")
        .iter()
        .map(|p| p.as_str().expect("pointer"))
        .collect();
    kind_matches(err.kind(), kind) && err.at().is_some_and(|at| pointers.contains(&at))
}

/// The index's kind names are the library's `Error::kind()` codes, plus `context` for "any
/// refusal by the context guard" (used where several guard reasons are equally right).
fn kind_matches(actual: &str, expected: &str) -> bool {
    if expected == "context" {
        return matches!(
            actual,
            "context_redefines_term"
                | "context_aliases_term"
                | "context_keyword"
                | "unknown_context"
                | "context_undefined_prefix"
                | "invalid_context"
                | "unsupported_keyword"
        );
    }
    actual == expected
}

struct Tally {
    checked: usize,
    refused_by_known_list: Vec<String>,
    failures: Vec<String>,
}

fn check_real(entry: &Value, fields: &Value, tally: &mut Tally) {
    let path = entry["path"].as_str().expect("path");
    let kind = entry["kind"].as_str().expect("kind");
    let expect = &entry["expect"];
    let verdict = &entry["context_verdict"];
    let doc = bytes(path);
    let result = read(kind, &doc);
    let alternatives: Vec<&Value> = match verdict {
        Value::Object(m) if m.contains_key("either") => verdict["either"]
            .as_array()
            .expect("either")
            .iter()
            .collect(),
        _ => vec![verdict],
    };
    let mut why = Vec::new();
    for alt in &alternatives {
        match (alt, &result) {
            (Value::String(s), Ok(r)) if s == "ok" => {
                let diffs = compare(path, kind, fields, expect, &observe(r));
                if diffs.is_empty() {
                    tally.checked += 1;
                    return;
                }
                why.extend(diffs);
            }
            (Value::String(s), Err(e)) if s == "ok" => {
                why.push(format!("{path}: expected to be read, library refused: {e}"));
            }
            (Value::Object(_), Err(e)) => {
                if error_matches(e, alt) {
                    tally.checked += 1;
                    if alternatives.len() > 1 {
                        tally.refused_by_known_list.push(format!("{path}: {e}"));
                    }
                    return;
                }
                why.push(format!("{path}: expected refusal {alt}, library said {e}"));
            }
            (Value::Object(_), Ok(r)) => why.push(format!(
                "{path}: expected refusal {alt}, library read it: {}",
                observe(r)
            )),
            _ => panic!("{path}: bad context_verdict {verdict}"),
        }
    }
    tally.failures.extend(why);
}

#[test]
fn every_real_fixture_matches_its_ground_truth() {
    let index = index();
    let fields = &index["expect_fields"];
    let fixtures = entries(&index, "fixtures");
    let mut tally = Tally {
        checked: 0,
        refused_by_known_list: Vec::new(),
        failures: Vec::new(),
    };
    for entry in fixtures {
        check_real(entry, fields, &mut tally);
    }
    for line in &tally.refused_by_known_list {
        println!("refused (context not in the bundled set): {line}");
    }
    assert!(
        tally.failures.is_empty(),
        "{} of {} fixtures disagree with the ground truth:\n{}",
        fixtures.len() - tally.checked,
        fixtures.len(),
        tally.failures.join("\n")
    );
    assert_eq!(
        tally.checked,
        fixtures.len(),
        "every listed fixture was checked"
    );
}

#[test]
fn the_index_covers_enough_real_documents_and_implementations() {
    let index = index();
    let fixtures = entries(&index, "fixtures");
    let real: Vec<&Value> = fixtures
        .iter()
        .filter(|e| e.get("derived").is_none() && e["implementation"] != "fep")
        .collect();
    let implementations: BTreeSet<&str> = real
        .iter()
        .map(|e| e["implementation"].as_str().expect("implementation"))
        .collect();
    assert!(real.len() >= 40, "only {} real documents", real.len());
    assert!(
        implementations.len() >= 8,
        "only {} implementations: {implementations:?}",
        implementations.len()
    );
    // Every fixture file on disk is listed, and every listed file exists.
    let listed: BTreeSet<String> = fixtures
        .iter()
        .chain(entries(&index, "hostile"))
        .map(|e| e["path"].as_str().expect("path").to_owned())
        .collect();
    let mut on_disk = BTreeSet::new();
    for sub in std::fs::read_dir(dir()).expect("fixtures dir") {
        let sub = sub.expect("entry").path();
        if !sub.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&sub).expect("subdir") {
            let f = f.expect("entry").path();
            if f.extension().is_some_and(|x| x == "json") {
                let rel = f.strip_prefix(dir()).expect("prefix");
                on_disk.insert(rel.to_string_lossy().replace('\\', "/"));
            }
        }
    }
    assert_eq!(listed, on_disk, "index.json and the files on disk differ");
    // Every entry names its source.
    for e in fixtures.iter().chain(entries(&index, "hostile")) {
        assert!(e["source"].is_object(), "{} has no source", e["path"]);
    }
}

fn problems(r: &Read) -> Vec<Problem> {
    match r {
        Read::Actor(a) => activitystreams_move::validate_actor(a),
        Read::Activity(a) => activitystreams_move::validate_activity(a),
    }
}

/// One hostile document: any listed outcome suffices — the reader refuses it with the kind at the
/// pointer (stage `parse`), or reads it and validation reports the kind at the pointer (stage
/// `validate`). Returns why it failed, if it did.
fn check_hostile(entry: &Value) -> Result<(), String> {
    let path = entry["path"].as_str().expect("path");
    let kind = entry["kind"].as_str().expect("kind");
    let outcomes = entry["expect_error"].as_array().expect("expect_error list");
    assert!(!outcomes.is_empty(), "{path}: no expected outcome");
    let result = read(kind, &bytes(path));
    let found = match &result {
        Err(e) => format!("read error {e}"),
        Ok(r) => {
            let p: Vec<String> = problems(r).iter().map(ToString::to_string).collect();
            format!("read OK, problems [{}]", p.join("; "))
        }
    };
    for o in outcomes {
        let want_kind = o["kind"].as_str().expect("kind");
        let want_at = o["at"].as_str().expect("at");
        let ok = match (o["stage"].as_str().expect("stage"), &result) {
            ("parse", Err(e)) => e.kind() == want_kind && e.at() == Some(want_at),
            ("validate", Ok(r)) => problems(r)
                .iter()
                .any(|p| p.kind() == want_kind && p.at == want_at),
            ("parse" | "validate", _) => false,
            (other, _) => panic!("{path}: unknown stage {other:?}"),
        };
        if ok {
            return Ok(());
        }
    }
    Err(format!(
        "{path}: expected one of {}, got {found}",
        Value::Array(outcomes.clone())
    ))
}

#[test]
fn every_hostile_fixture_fails_with_its_kind_and_pointer() {
    let index = index();
    let hostile = entries(&index, "hostile");
    let failures: Vec<String> = hostile
        .iter()
        .filter_map(|e| check_hostile(e).err())
        .collect();
    assert!(
        failures.is_empty(),
        "{} of {} hostile fixtures not caught as expected:\n{}",
        failures.len(),
        hostile.len(),
        failures.join("\n")
    );
    assert!(
        hostile.len() >= 25,
        "only {} hostile fixtures",
        hostile.len()
    );
}
