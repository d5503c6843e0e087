//! `fep7628 validate-policy`: the shipped example is valid; malformed policy files and
//! blocklists are invalid with the line (and column) named; unreadable files exit 2.
#![cfg(feature = "cli")]

mod cli_support;

use cli_support::*;

fn example() -> String {
    concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/moderation/policy.toml"
    )
    .to_owned()
}

#[test]
fn the_example_is_valid_and_summarised() {
    let r = run(&["validate-policy", &example()], None);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["valid"], true);
    assert!(v["error"].is_null());
    let policies = v["policies"].as_array().unwrap();
    let names: Vec<_> = policies
        .iter()
        .map(|p| p["policy"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "domain_blocks",
            "rate_limits",
            "surge",
            "keyword_rules",
            "account_age",
            "follower_farming"
        ]
    );
    let blocks = &policies[0];
    // 5 inline rules (one is a noop), 3 from the Mastodon export, 2 from the plain list.
    assert_eq!(blocks["rules"], 10);
    assert_eq!(blocks["lists"][0]["format"], "mastodon_export");
    assert_eq!(
        blocks["lists"][0]["skipped_obfuscated_lines"],
        serde_json::json!([5])
    );
    assert_eq!(policies[1]["limits"][0]["window"], "1d");
    assert_eq!(policies[3]["rules"][0]["action"], "reject");
}

#[test]
fn invalid_files_name_the_line() {
    let dir = std::env::temp_dir().join(format!("fep7628-cli-policy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cases: &[(&str, &str, &str)] = &[
        (
            "version = 1\ncolour = \"blue\"\n",
            "unknown_key",
            "line 2, column 1",
        ),
        (
            "version = 1\n[surge]\nwindow = \"a day\"\nmax_followers = 3\n",
            "invalid_duration",
            "line 3, column 10",
        ),
        (
            "version = 1\n[domain_blocks\n",
            "toml_syntax",
            "line 2, column 15",
        ),
        (
            "version = 1\n[[domain_blocks.lists]]\npath = \"bad.csv\"\n",
            "invalid_severity",
            "bad.csv: line 3",
        ),
    ];
    std::fs::write(
        dir.join("bad.csv"),
        "#domain,#severity\nok.example,suspend\nbad.example,nuke\n",
    )
    .unwrap();
    for (i, (text, kind, at)) in cases.iter().enumerate() {
        let path = dir.join(format!("p{i}.toml"));
        std::fs::write(&path, text).unwrap();
        let r = run(&["validate-policy", &arg(&path)], None);
        assert_eq!(r.code, 1, "{text}: {}", String::from_utf8_lossy(&r.stdout));
        let v = r.json();
        assert_eq!(v["valid"], false);
        assert_eq!(v["error"]["kind"], *kind, "{text}: {v}");
        assert_eq!(v["error"]["at"], *at, "{text}: {v}");
    }
    // From stdin.
    let r = run(&["validate-policy", "-"], Some(b"version = 3\n"));
    assert_eq!(r.code, 1);
    assert_eq!(r.kind().as_deref(), Some("unsupported_version"));
    // A blocklist that does not exist, a policy file that does not exist, binary input: 2.
    let path = dir.join("missing-list.toml");
    std::fs::write(
        &path,
        "version = 1\n[[domain_blocks.lists]]\npath = \"nope.csv\"\n",
    )
    .unwrap();
    let r = run(&["validate-policy", &arg(&path)], None);
    assert_eq!(r.code, 2);
    assert_eq!(r.kind().as_deref(), Some("list_io"));
    let r = run(&["validate-policy", &arg(&dir.join("nope.toml"))], None);
    assert_eq!(r.code, 2);
    assert_eq!(r.kind().as_deref(), Some("io"));
    let r = run(&["validate-policy", "-"], Some(b"\xff\xfe\x00"));
    assert_eq!(r.code, 2);
    assert_eq!(r.kind().as_deref(), Some("invalid_utf8"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_and_manual_page() {
    let r = run(&["validate-policy", "--help"], None);
    assert_eq!(r.code, 0);
    assert!(String::from_utf8_lossy(&r.stdout).contains("EXAMPLE"));
    let r = run(&["man", "validate-policy"], None);
    assert_eq!(r.code, 0);
    assert!(String::from_utf8_lossy(&r.stdout).contains(".TH"));
}
