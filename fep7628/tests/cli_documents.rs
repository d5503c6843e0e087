//! `fep7628 inspect` / `validate` over the activitystreams-move fixture corpus (real servers'
//! documents with their ground truth, hostile documents) and the shared move vectors.
#![cfg(feature = "cli")]

mod cli_support;

use cli_support::*;
use serde_json::Value;

fn fixtures() -> std::path::PathBuf {
    workspace().join("activitystreams-move/tests/fixtures")
}

/// The index's `context` kind means any refusal by the context guard.
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

fn refusal_matches(error: &Value, verdict: &Value) -> bool {
    let kind = verdict["rejected"].as_str().expect("rejected kind");
    let at = error["at"].as_str();
    kind_matches(error["kind"].as_str().unwrap_or_default(), kind)
        && verdict["at"]
            .as_array()
            .expect("at")
            .iter()
            .any(|p| p.as_str() == at)
}

/// Every real document of `tests/fixtures/index.json` through `inspect --no-jsonld` (the
/// guard's own verdict): read with every expected value, or refused as the index says.
#[test]
fn inspect_matches_the_fixture_ground_truth() {
    let index = read_json(&fixtures().join("index.json"));
    let fields = &index["expect_fields"];
    let mut checked = 0usize;
    let mut failures = Vec::new();
    for entry in index["fixtures"].as_array().expect("fixtures") {
        let path = entry["path"].as_str().expect("path");
        let kind = entry["kind"].as_str().expect("kind");
        let r = run(
            &["inspect", "--no-jsonld", &arg(&fixtures().join(path))],
            None,
        );
        let out = r.json();
        let verdict = &entry["context_verdict"];
        let alternatives: Vec<&Value> = match verdict.get("either") {
            Some(list) => list.as_array().expect("either").iter().collect(),
            None => vec![verdict],
        };
        let ok = alternatives.iter().any(|alt| match (alt.as_str(), r.code) {
            (Some("ok"), 0) => {
                out["family"] == kind
                    && out["context"]["verdict"] == "ok"
                    && fields[kind].as_array().expect("fields").iter().all(|f| {
                        let f = f.as_str().expect("field");
                        out[f] == entry["expect"][f]
                    })
            }
            (None, 1) => refusal_matches(&out["error"], alt),
            _ => false,
        });
        if ok {
            checked += 1;
        } else {
            failures.push(format!(
                "{path}: expected {verdict} / {}, got {out}",
                entry["expect"]
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 70, "only {checked} fixtures checked");
}

/// With the JSON-LD slow path (the default), a document the guard refuses is either read by
/// expansion (`context.verdict` = `jsonld`, the guard's reason kept) or still refused.
#[test]
fn inspect_reports_the_slow_path() {
    let index = read_json(&fixtures().join("index.json"));
    let mut slow = 0usize;
    for entry in index["fixtures"].as_array().expect("fixtures") {
        let path = entry["path"].as_str().expect("path");
        let r = run(&["inspect", &arg(&fixtures().join(path))], None);
        let out = r.json();
        match out["context"]["verdict"].as_str() {
            Some("ok") => assert_eq!(r.code, 0, "{path}: {out}"),
            Some("jsonld") => {
                assert_eq!(r.code, 0, "{path}: {out}");
                assert!(out["context"]["error"]["kind"].is_string(), "{path}: {out}");
                slow += 1;
            }
            Some("rejected") => assert_eq!(r.code, 1, "{path}: {out}"),
            other => panic!("{path}: context verdict {other:?}: {out}"),
        }
    }
    println!("{slow} fixtures read through JSON-LD expansion");
}

/// Hostile documents: one of the listed (kind, pointer) outcomes, from reading (`inspect`
/// error) or from validation (`validate` problems).
#[test]
fn hostile_fixtures_fail_where_the_index_says() {
    let index = read_json(&fixtures().join("index.json"));
    let mut checked = 0usize;
    let mut failures = Vec::new();
    for entry in index["hostile"].as_array().expect("hostile") {
        let path = entry["path"].as_str().expect("path");
        let file = arg(&fixtures().join(path));
        let r = run(&["validate", "--no-jsonld", &file], None);
        let out = r.json();
        let problems = out["problems"].as_array().cloned().unwrap_or_default();
        let matched = entry["expect_error"]
            .as_array()
            .expect("expect_error")
            .iter()
            .any(|alt| {
                let kind = alt["kind"].as_str().expect("kind");
                let at = alt["at"].as_str().expect("at");
                problems.iter().any(|p| {
                    kind_matches(p["kind"].as_str().unwrap_or_default(), kind) && p["at"] == at
                })
            });
        if matched && r.code != 0 {
            checked += 1;
        } else {
            failures.push(format!(
                "{path}: expected {}, got {} {out}",
                entry["expect_error"], r.code
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 30, "only {checked} hostile fixtures checked");
}

/// The shared move vectors: Move activities validated with their signer, FEP-e965 actors by
/// their published outcome.
#[test]
fn move_vectors_validate_as_published() {
    let manifest = read_json(&vectors().join("manifest.json"));
    let mut checked = 0usize;
    let mut failures = Vec::new();
    for case in manifest["cases"].as_array().expect("cases") {
        let kind = case["kind"].as_str().unwrap_or_default();
        if !matches!(kind, "move-activity" | "e965-actor" | "actor") {
            continue;
        }
        let outcome = case["params"]["outcome"].as_str();
        if outcome == Some("inapplicable") {
            continue;
        }
        let id = case["id"].as_str().expect("id");
        let file = arg(&vectors().join(case["files"]["document"].as_str().expect("document")));
        // inspect reads every one of them.
        let i = run(&["inspect", &file], None);
        if i.code != 0 {
            failures.push(format!("{id}: inspect exit {} {}", i.code, i.json()));
        }
        match kind {
            // FEP-e965 test cases: the published outcome (the fragments have no `id`, which
            // `validate` reports separately).
            "e965-actor" => {
                let r = run(&["validate", &file], None);
                let out = r.json();
                if out["e965"].as_str() != outcome {
                    failures.push(format!("{id}: e965 expected {outcome:?}, got {out}"));
                }
            }
            // Actor vectors: what is read.
            "actor" => {
                if let Some(moved) = case["params"]["moved_to"].as_str()
                    && i.json()["movedTo"] != moved
                {
                    failures.push(format!("{id}: movedTo expected {moved}, got {}", i.json()));
                }
            }
            _ => {
                let signer = case["params"]["signer"].as_str().unwrap_or_default();
                if signer.starts_with('<') {
                    // A template with placeholders (Akkoma's test): read, not validated.
                    checked += 1;
                    continue;
                }
                let r = run(&["validate", "--signer", signer, &file], None);
                let want = if case["expect"] == "valid" { 0 } else { 1 };
                if r.code != want {
                    failures.push(format!(
                        "{id}: expected exit {want}, got {} {}",
                        r.code,
                        r.json()
                    ));
                }
            }
        }
        checked += 1;
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(checked >= 20, "only {checked} move vectors checked");
}

/// The three JSON-LD forms of one Move read the same through `inspect`.
#[test]
fn inspect_is_form_independent() {
    let compact = r#"{"@context":"https://www.w3.org/ns/activitystreams","id":"https://old.example/m/1","type":"Move","actor":"https://old.example/u/a","object":"https://old.example/u/a","target":"https://new.example/u/a"}"#;
    let iris = r#"{"@context":"https://www.w3.org/ns/activitystreams","id":"https://old.example/m/1","type":"as:Move","as:actor":{"id":"https://old.example/u/a"},"as:object":"https://old.example/u/a","https://www.w3.org/ns/activitystreams#target":"https://new.example/u/a"}"#;
    let expanded = r#"[{"@id":"https://old.example/m/1","@type":["https://www.w3.org/ns/activitystreams#Move"],"https://www.w3.org/ns/activitystreams#actor":[{"@id":"https://old.example/u/a"}],"https://www.w3.org/ns/activitystreams#object":[{"@id":"https://old.example/u/a"}],"https://www.w3.org/ns/activitystreams#target":[{"@id":"https://new.example/u/a"}]}]"#;
    let mut seen = Vec::new();
    for doc in [compact, iris, expanded] {
        let r = run(&["inspect", "-"], Some(doc.as_bytes()));
        let out = r.json();
        assert_eq!(r.code, 0, "{doc}: {out}");
        seen.push((
            out["id"].clone(),
            out["type"].clone(),
            out["actor"].clone(),
            out["object"].clone(),
            out["target"].clone(),
        ));
    }
    assert_eq!(seen[0].1, "Move");
    assert_eq!(seen[0].4, "https://new.example/u/a");
    assert!(seen.iter().all(|s| *s == seen[0]), "{seen:?}");
}
