//! The TOML policy file: the shipped example parses and behaves as documented; malformed files
//! and blocklists are errors naming the line (and column).

use std::path::Path;
use std::time::{Duration, SystemTime};

use fep7628::inbound::ActorProfile;
use fep7628::moderation::{
    ArrivalHistory, ArrivalRecord, BlocklistFormat, PolicyFile, PolicyFileError,
};
use fep7628::policy::{ArrivingFollower, DomainSeverity, MigrationId, MigrationPolicy, Verdict};

fn data() -> &'static Path {
    Path::new(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/moderation"
    ))
}

fn load_example() -> PolicyFile {
    let text = std::fs::read_to_string(data().join("policy.toml")).unwrap();
    PolicyFile::from_toml_str_with_loader(&text, &mut |path: &str| {
        std::fs::read_to_string(data().join(path)).map_err(|e| e.to_string())
    })
    .unwrap()
}

fn err(text: &str) -> PolicyFileError {
    match PolicyFile::from_toml_str(text) {
        Err(e) => e,
        Ok(_) => panic!("parsed: {text}"),
    }
}

fn now() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

#[test]
fn the_shipped_example_parses_and_configures_every_policy() {
    let file = load_example();
    let blocks = file.domain_blocks().unwrap();
    // Inline rules and both lists.
    assert_eq!(
        blocks.rule_for("a.farm.example"),
        Some(("farm.example", DomainSeverity::Suspend))
    );
    assert_eq!(
        blocks.rule_for("xn--bcher-spam-9db.example"),
        Some(("xn--bcher-spam-9db.example", DomainSeverity::Suspend))
    );
    assert_eq!(
        blocks.rule_for("ok.spam.example"),
        Some(("ok.spam.example", DomainSeverity::Noop))
    );
    assert_eq!(
        blocks.rule_for("harass.example"),
        Some(("harass.example", DomainSeverity::Suspend))
    );
    assert_eq!(
        blocks.rule_for("sub.loud-too.example"),
        Some(("loud-too.example", DomainSeverity::Silence))
    );
    assert_eq!(
        blocks.rule_for("münchen.example"),
        Some(("xn--mnchen-3ya.example", DomainSeverity::Silence))
    );
    let lists = file.lists();
    assert_eq!(lists.len(), 2);
    assert_eq!(lists[0].format, BlocklistFormat::MastodonExport);
    assert_eq!(
        (lists[0].entries, lists[0].skipped_lines.clone()),
        (3, vec![5])
    );
    assert_eq!(lists[1].format, BlocklistFormat::PlainList);
    assert_eq!(file.rate_limits().unwrap().limits().len(), 2);
    assert_eq!(file.surge().unwrap().max_followers(), Some(200));
    assert_eq!(file.keyword_rules().unwrap().rules().len(), 2);
    assert_eq!(
        file.account_age().unwrap().min_age(),
        Duration::from_secs(3 * 86_400)
    );
    assert!(file.follower_farming().is_some());
    let summary = file.summary();
    let names: Vec<_> = summary
        .iter()
        .map(|s| s["policy"].as_str().unwrap())
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
}

#[test]
fn the_example_policy_judges_arrivals() {
    let file = load_example();
    let origin = "https://old.example/u/a";
    let target = "https://here.example/u/a";
    let id = MigrationId::new(origin, target);
    let history = ArrivalHistory::new();
    let policy = file.policy(&history);
    let ask = |follower: &str, profile: Option<&ActorProfile>| {
        let mut arrival = ArrivingFollower::new(&id, follower, origin, target, now());
        if let Some(p) = profile {
            arrival = arrival.with_profile(p);
        }
        policy.arriving_follower(&arrival)
    };
    assert_eq!(ask("https://f.example/u/1", None), Verdict::Accept);
    assert!(
        matches!(ask("https://x.harass.example/u/1", None), Verdict::Reject(r) if r.code() == "domain_blocked")
    );
    assert!(matches!(
        ask("https://quiet.example/u/1", None),
        Verdict::Hold(_)
    ));
    let spam = ActorProfile {
        name: Some("ｆｒｅｅ ｆｏｌｌｏｗｅｒｓ".into()),
        ..ActorProfile::default()
    };
    assert!(
        matches!(ask("https://f.example/u/2", Some(&spam)), Verdict::Reject(r) if r.code() == "keyword_rule")
    );
    let young = ActorProfile {
        published: Some(1_700_000_000 - 3600),
        ..ActorProfile::default()
    };
    assert!(
        matches!(ask("https://f.example/u/3", Some(&young)), Verdict::Hold(r) if r[0].code() == "account_too_new")
    );
    // 500 followers already arrived at the target this week: held by the rate limit and the
    // surge (200 per day).
    let busy = ArrivalHistory::new().with(ArrivalRecord::arrived_followers(
        origin,
        target,
        500,
        now() - Duration::from_secs(3600),
    ));
    let arrival = ArrivingFollower::new(&id, "https://f.example/u/4", origin, target, now());
    match file.policy(&busy).arriving_follower(&arrival) {
        Verdict::Hold(reasons) => {
            let codes: Vec<_> = reasons.iter().map(|r| r.code()).collect();
            assert_eq!(codes, ["rate_limit_target", "surge_origin_server"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn import_table_is_reserved_and_skipped() {
    let file = PolicyFile::from_toml_str(
        "version = 1\n[import]\nno_media = true\n[import.anything]\nx = [1, {y = 2}]\n",
    )
    .unwrap();
    assert!(file.summary().is_empty());
}

#[test]
fn errors_name_the_line_and_column() {
    let cases: &[(&str, &str, usize, usize)] = &[
        // (file, kind, line, column)
        (
            "version = 1\n[domain_blocks]\nsuspend = [\"a.example\"\n",
            "toml_syntax",
            3,
            23,
        ),
        (
            "version = 1\n\n[surge]\nwindow = \"1d\"\nmax_followers = 5\nmax_folowers = 6\n",
            "unknown_key",
            6,
            1,
        ),
        ("version = 1\ncolour = \"blue\"\n", "unknown_key", 2, 1),
        (
            "version = 1\n[[rate_limits]]\nscope = \"planet\"\nunit = \"moves\"\nmax = 1\nwindow = \"1d\"\n",
            "invalid_value",
            3,
            9,
        ),
        (
            "version = 1\n[[rate_limits]]\nscope = \"target\"\nunit = \"moves\"\nmax = 1\nwindow = \"1 day\"\n",
            "invalid_duration",
            6,
            10,
        ),
        (
            "version = 1\n[[rate_limits]]\nscope = \"target\"\nunit = \"moves\"\nmax = -1\nwindow = \"1d\"\n",
            "invalid_value",
            5,
            7,
        ),
        ("version = 2\n", "unsupported_version", 1, 11),
        ("[surge]\nwindow = \"1d\"\n", "missing_key", 1, 1),
        (
            "version = 1\n[domain_blocks]\nsuspend = [\"ok.example\", \"bad domain\"]\n",
            "invalid_domain",
            3,
            26,
        ),
        (
            "version = 1\n[domain_blocks]\nsilence = [\"ex**ple.com\"]\n",
            "invalid_domain",
            3,
            12,
        ),
        (
            "version = 1\n[[keyword_rules]]\nname = \"x\"\npattern = \"(\"\n",
            "invalid_pattern",
            4,
            11,
        ),
        (
            "version = 1\n[[keyword_rules]]\nname = \"x\"\nkeywords = [\"a\"]\n[[keyword_rules]]\nname = \"x\"\nkeywords = [\"b\"]\n",
            "duplicate_rule",
            6,
            8,
        ),
        (
            "version = 1\n[[keyword_rules]]\nname = \"x\"\nkeywords = [\"a\"]\npattern = \"b\"\n",
            "invalid_value",
            2,
            1,
        ),
        (
            "version = 1\n[[keyword_rules]]\nname = \"x\"\nkeywords = [\"a\"]\nfields = [\"email\"]\n",
            "invalid_value",
            5,
            11,
        ),
        (
            "version = 1\n[surge]\nwindow = \"1d\"\nmax_percent = 120.0\n",
            "invalid_value",
            4,
            15,
        ),
        (
            "version = 1\n[follower_farming]\nchain_window = \"1d\"\n",
            "missing_key",
            2,
            1,
        ),
        (
            "version = 1\n[[domain_blocks.lists]]\npath = \"x.csv\"\n",
            "list_not_loaded",
            3,
            8,
        ),
        ("version = 1\nversion = 1\n", "toml_syntax", 2, 1),
        (
            "version = 1\n[account_age]\nmin_age = \"3d\"\napplies_to = [\"target\", \"everyone\"]\n",
            "invalid_value",
            4,
            25,
        ),
    ];
    for (text, kind, line, column) in cases {
        let e = err(text);
        assert_eq!(e.kind(), *kind, "{text:?}: {e}");
        assert_eq!((e.line(), e.column()), (*line, *column), "{text:?}: {e}");
        assert_eq!(e.at(), format!("line {line}, column {column}"));
    }
}

#[test]
fn blocklist_errors_name_the_list_and_its_line() {
    let text = "version = 1\n[domain_blocks]\n[[domain_blocks.lists]]\npath = \"good.csv\"\n[[domain_blocks.lists]]\npath = \"bad.csv\"\n";
    let mut load = |path: &str| match path {
        "good.csv" => Ok("a.example\n".to_owned()),
        "bad.csv" => Ok(
            "#domain,#severity\nok.example,suspend\nfine.example,suspend\n\"broken,suspend\n"
                .to_owned(),
        ),
        _ => Err("no such file".to_owned()),
    };
    let e = PolicyFile::from_toml_str_with_loader(text, &mut load).unwrap_err();
    assert_eq!(e.kind(), "csv_syntax");
    assert_eq!(e.list(), Some(("bad.csv", 4)));
    assert_eq!(e.at(), "bad.csv: line 4");
    assert_eq!((e.line(), e.column()), (6, 8));
    // A loader failure names the path entry.
    let text = "version = 1\n[[domain_blocks.lists]]\npath = \"missing.csv\"\n";
    let e = PolicyFile::from_toml_str_with_loader(text, &mut load).unwrap_err();
    assert_eq!(e.kind(), "list_io");
    assert_eq!(e.at(), "line 3, column 8");
    assert!(e.message().contains("no such file"));
}

#[test]
fn size_limit() {
    let mut text = String::from("version = 1\n");
    text.push_str(&"# padding padding padding padding\n".repeat(40_000));
    assert_eq!(err(&text).kind(), "too_large");
}

#[test]
fn the_readme_shows_the_shipped_example_verbatim() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let example = std::fs::read_to_string(data().join("policy.toml")).unwrap();
    assert!(
        readme.contains(&format!("```toml\n{example}```")),
        "README section \"Moderation policy file\" must show tests/data/moderation/policy.toml verbatim"
    );
}

/// Parser totality on hostile edits of the example: its prefixes, and every line dropped, are
/// either a valid file or an error whose position is inside the text — never a panic.
#[test]
fn every_prefix_and_every_dropped_line_of_the_example_is_handled() {
    let example = std::fs::read_to_string(data().join("policy.toml")).unwrap();
    let lists = |path: &str| std::fs::read_to_string(data().join(path)).map_err(|e| e.to_string());
    let check = |text: &str| {
        let lines = text.lines().count().max(1);
        if let Err(e) = PolicyFile::from_toml_str_with_loader(text, &mut |p: &str| lists(p)) {
            assert!(e.line() >= 1 && e.line() <= lines + 1, "{e} in {text:?}");
            assert!(e.column() >= 1, "{e}");
        }
    };
    // Every 3rd byte offset, and every line end (each parse compiles the rules: keep it quick).
    for end in (0..=example.len())
        .filter(|i| example.is_char_boundary(*i))
        .filter(|i| i % 3 == 0 || example[..*i].ends_with('\n'))
    {
        check(&example[..end]);
    }
    let all: Vec<&str> = example.lines().collect();
    for skip in 0..all.len() {
        let text: String = all
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != skip)
            .map(|(_, l)| format!("{l}\n"))
            .collect();
        check(&text);
    }
}

/// Deeply nested values (also inside the reserved `[import]` table, which is skipped) are an
/// error or accepted, never a stack overflow.
#[test]
fn deep_nesting_is_not_a_stack_overflow() {
    for depth in [100, 10_000, 200_000] {
        let nested = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
        for text in [
            format!("version = 1\n[import]\nx = {nested}\n"),
            format!("version = 1\nx = {nested}\n"),
            format!(
                "version = 1\n[import]\nx = {}\n",
                "{a = ".repeat(depth) + &"}".repeat(depth)
            ),
        ] {
            if text.len() > fep7628::moderation::MAX_POLICY_FILE_BYTES {
                assert_eq!(err(&text).kind(), "too_large");
                continue;
            }
            let _ = PolicyFile::from_toml_str(&text);
        }
    }
}
