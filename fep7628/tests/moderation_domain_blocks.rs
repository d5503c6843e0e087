//! Domain blocks with severities, and blocklist import in the formats servers and shared lists
//! publish — with the hostile spellings a blocked domain hides behind.

mod inbound_support;

use fep7628::inbound::{ActorFacts, Decision, InboundConfig, Rejection};
use fep7628::moderation::{Blocklist, BlocklistFormat};
use fep7628::policy::{
    ArrivingFollower, DomainBlockPolicy, DomainSeverity, MigrationId, MigrationPolicy,
    PolicyReason, Verdict,
};
use inbound_support::*;

const MASTODON_EXPORT: &str = "\
#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate
harass.example,suspend,true,true,Harassment,false
quiet.example,silence,false,false,,false
media-only.example,noop,true,false,\"Media, only\",false
ha**ss.example,suspend,false,false,,true
";

/// Oliphant's `blocklists/gardenfence.csv` layout (header without `#`, Python booleans).
const GARDENFENCE_STYLE: &str = "\
domain,severity,reject_media,reject_reports,public_comment,obfuscate
076.ne.jp,suspend,False,False,,False
bad.example,suspend,False,False,,False
";

fn verdict_for_follower(policy: &DomainBlockPolicy, follower: &str) -> Verdict {
    let id = MigrationId::new(ORIGIN, TARGET);
    policy.arriving_follower(&ArrivingFollower::new(&id, follower, ORIGIN, TARGET, t0()))
}

fn code(v: &Verdict) -> String {
    match v {
        Verdict::Accept => "accept".into(),
        Verdict::Hold(r) => format!(
            "hold:{}",
            r.iter().map(|r| r.code()).collect::<Vec<_>>().join(",")
        ),
        Verdict::Reject(r) => format!("reject:{}", r.code()),
    }
}

#[test]
fn mastodon_export_severities_map_to_verdicts() {
    let list = Blocklist::parse(MASTODON_EXPORT, DomainSeverity::Suspend).unwrap();
    assert_eq!(list.format(), BlocklistFormat::MastodonExport);
    assert_eq!(list.entries().len(), 3);
    let media = &list.entries()[2];
    assert_eq!(media.line, 4);
    assert!(media.reject_media && !media.reject_reports);
    assert_eq!(media.public_comment.as_deref(), Some("Media, only"));
    // The obfuscated row has no digest: reported with its line, never enforced or guessed.
    assert_eq!(list.skipped().len(), 1);
    assert_eq!(list.skipped()[0].line, 5);
    assert_eq!(list.skipped()[0].reason, "obfuscated_without_digest");

    let mut policy = DomainBlockPolicy::new();
    list.apply_to(&mut policy);
    let cases = [
        ("https://harass.example/u/x", "reject:domain_blocked"),
        ("https://quiet.example/u/x", "hold:domain_limited"),
        ("https://media-only.example/u/x", "accept"),
        ("https://harass2.example/u/x", "accept"),
        // The obfuscated entry matched nothing.
        ("https://haxxss.example/u/x", "accept"),
    ];
    for (follower, expected) in cases {
        assert_eq!(
            code(&verdict_for_follower(&policy, follower)),
            expected,
            "{follower}"
        );
    }
}

#[test]
fn header_csv_and_plain_lists() {
    let list = Blocklist::parse(GARDENFENCE_STYLE, DomainSeverity::Silence).unwrap();
    assert_eq!(list.format(), BlocklistFormat::HeaderCsv);
    assert_eq!(
        list.entries()
            .iter()
            .map(|e| (e.domain.as_str(), e.severity))
            .collect::<Vec<_>>(),
        [
            ("076.ne.jp", DomainSeverity::Suspend),
            ("bad.example", DomainSeverity::Suspend)
        ]
    );

    let plain = "# comment\n\nBAD.example.\n*.wild.example\nxn--bcher-kva.example,limit\nfediblock.example,suspend,Imported from FediBlock\n";
    let list = Blocklist::parse(plain, DomainSeverity::Silence).unwrap();
    assert_eq!(list.format(), BlocklistFormat::PlainList);
    let got: Vec<_> = list
        .entries()
        .iter()
        .map(|e| (e.line, e.domain.as_str(), e.severity))
        .collect();
    assert_eq!(
        got,
        [
            (3, "bad.example", DomainSeverity::Silence),
            (4, "wild.example", DomainSeverity::Silence),
            (5, "xn--bcher-kva.example", DomainSeverity::Silence),
            (6, "fediblock.example", DomainSeverity::Suspend),
        ]
    );
}

#[test]
fn hostile_spellings_of_a_blocked_domain_are_still_blocked() {
    let csv = "#domain,#severity\nbücher.example,suspend\nEVIL.Example.,suspend\n";
    let mut policy = DomainBlockPolicy::new();
    Blocklist::parse(csv, DomainSeverity::Suspend)
        .unwrap()
        .apply_to(&mut policy);
    for follower in [
        // Subdomain, deep subdomain.
        "https://a.evil.example/u/x",
        "https://x.y.z.evil.example/u/x",
        // Trailing dot on the host.
        "https://evil.example./u/x",
        "https://a.evil.example./u/x",
        // Upper case.
        "https://A.EVIL.EXAMPLE/u/x",
        // IDN: the rule was written in Unicode, the follower in punycode and in Unicode.
        "https://xn--bcher-kva.example/u/x",
        "https://shop.bücher.example/u/x",
        "https://SHOP.BÜCHER.EXAMPLE./u/x",
    ] {
        assert_eq!(
            code(&verdict_for_follower(&policy, follower)),
            "reject:domain_blocked",
            "{follower}"
        );
    }
    for follower in [
        "https://notevil.example/u/x",
        "https://evil.example.other.net/u/x",
        "https://bucher.example/u/x",
    ] {
        assert_eq!(
            code(&verdict_for_follower(&policy, follower)),
            "accept",
            "{follower}"
        );
    }
}

#[test]
fn most_specific_rule_wins_and_duplicates_keep_the_most_severe() {
    let mut policy = DomainBlockPolicy::new();
    policy.insert("bad.example", DomainSeverity::Suspend);
    policy.insert("ok.bad.example", DomainSeverity::Noop);
    policy.insert("loud.example", DomainSeverity::Silence);
    policy.insert("LOUD.example.", DomainSeverity::Suspend);
    policy.insert("loud.example", DomainSeverity::Noop);
    assert_eq!(
        code(&verdict_for_follower(&policy, "https://ok.bad.example/u")),
        "accept"
    );
    assert_eq!(
        code(&verdict_for_follower(&policy, "https://x.ok.bad.example/u")),
        "accept"
    );
    assert_eq!(
        code(&verdict_for_follower(
            &policy,
            "https://other.bad.example/u"
        )),
        "reject:domain_blocked"
    );
    assert_eq!(
        policy.rule_for("loud.example"),
        Some(("loud.example", DomainSeverity::Suspend))
    );
    assert_eq!(policy.counts(), (1, 0, 2));
}

#[test]
fn malformed_rows_are_errors_naming_the_line() {
    let cases: &[(&str, usize, &str)] = &[
        (
            "#domain,#severity\nok.example,suspend\nnot a domain,suspend\n",
            3,
            "invalid_domain",
        ),
        (
            "#domain,#severity\nok.example,obliterate\n",
            2,
            "invalid_severity",
        ),
        (
            "#domain,#severity,#reject_media\nok.example,suspend,yes\n",
            2,
            "invalid_boolean",
        ),
        (
            "#domain,#severity\n\n\nok.example,\"suspend\n",
            4,
            "csv_syntax",
        ),
        (
            "#domain,#severity\nok\"x.example,suspend\n",
            2,
            "csv_syntax",
        ),
        (
            "#severity,#comment\nsuspend,x\n",
            1,
            "missing_domain_column",
        ),
        ("https://bad.example/\n", 1, "invalid_domain"),
        ("192.0.2.1\n", 1, "invalid_domain"),
        ("ok.example\n,suspend\n", 2, "invalid_domain"),
    ];
    for (text, line, kind) in cases {
        match Blocklist::parse(text, DomainSeverity::Suspend) {
            Err(e) => {
                assert_eq!(e.kind(), *kind, "{text:?}: {e}");
                assert_eq!(e.line, *line, "{text:?}: {e}");
                assert!(e.to_string().starts_with(&format!("line {line}: ")), "{e}");
            }
            Ok(list) => panic!("{text:?} parsed: {list:?}"),
        }
    }
}

#[test]
fn inbound_move_to_a_limited_domain_is_held_and_to_a_blocked_one_rejected() {
    let mut world = World::aliased();
    let policy = DomainBlockPolicy::new().with_block("suspended.example");
    let mut limited = DomainBlockPolicy::new();
    limited.insert("new.example", DomainSeverity::Silence);
    let d = world.run_with(InboundConfig::default(), limited, push_move(), t0());
    match d {
        Decision::Hold(held) => assert_eq!(
            held.reasons(),
            [PolicyReason::DomainLimited {
                host: "new.example".into(),
                rule: "new.example".into()
            }]
        ),
        other => panic!("{other:?}"),
    }
    let mut blocked = DomainBlockPolicy::new();
    blocked.insert("NEW.example.", DomainSeverity::Suspend);
    let mut world = World::aliased();
    let d = world.run_with(InboundConfig::default(), blocked, push_move(), t0());
    assert!(
        matches!(&d, Decision::Reject(Rejection::Policy(r)) if r.code() == "domain_blocked"),
        "{d:?}"
    );
    // An unrelated block changes nothing.
    let mut world = World::aliased();
    world.put(ActorFacts::new(TARGET).with_alias(ORIGIN));
    let d = world.run_with(InboundConfig::default(), policy, push_move(), t0());
    assert!(matches!(d, Decision::Accept(_)), "{d:?}");
}

// ---- obfuscated rows, enforced by digest ----------------------------------------------------

/// `harassment.example` as Mastodon publishes an obfuscated block (`DomainBlock#public_domain`
/// keeps the first and last quarter and the dots) with `Digest::SHA256.hexdigest(domain)`.
const OBFUSCATED: &str = "haras*****.***mple";
const DIGEST: &str = "821b440e1f1cc0e7622830493d5cabc59fca79f6fcff0b717579019abb93ee15";

/// The shape of `GET /api/v1/instance/domain_blocks` (Mastodon 4), one plain and one
/// obfuscated block.
fn api_json() -> String {
    format!(
        r#"[
  {{
    "domain": "quiet.example",
    "digest": "{}",
    "severity": "silence",
    "comment": "Unmoderated"
  }},
  {{
    "domain": "{OBFUSCATED}",
    "digest": "{DIGEST}",
    "severity": "suspend",
    "comment": "Harassment"
  }}
]"#,
        sha256_hex("quiet.example")
    )
}

fn sha256_hex(s: &str) -> String {
    fep7628::policy::domain_digest(s)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn the_digest_is_mastodons_sha256_of_the_domain() {
    assert_eq!(sha256_hex("harassment.example"), DIGEST);
}

#[test]
fn obfuscated_api_rows_block_the_host_and_its_subdomains_by_digest() {
    let list = Blocklist::parse(&api_json(), DomainSeverity::Silence).unwrap();
    assert_eq!(list.format(), BlocklistFormat::MastodonApi);
    assert_eq!(list.entries().len(), 1);
    assert_eq!(list.entries()[0].line, 2);
    assert_eq!(list.obfuscated().len(), 1);
    let row = &list.obfuscated()[0];
    assert_eq!((row.line, row.shown_as.as_str()), (8, OBFUSCATED));
    assert_eq!(row.public_comment.as_deref(), Some("Harassment"));
    assert!(list.skipped().is_empty());

    let mut policy = DomainBlockPolicy::new();
    list.apply_to(&mut policy);
    for host in [
        "harassment.example",
        "HARASSMENT.example.",
        "media.harassment.example",
        "a.b.harassment.example",
    ] {
        assert_eq!(
            policy.rule_for(host),
            Some((OBFUSCATED, DomainSeverity::Suspend)),
            "{host}"
        );
    }
    // Look-alikes that fit the published pattern (same length, same visible letters) but are
    // not the domain hashed, and a host that merely ends like it.
    for host in [
        "harasabcde.example",
        "harasments.xxxmple",
        "evil-harassment.example",
        "harassment.example.net",
    ] {
        assert_eq!(policy.rule_for(host), None, "{host}");
    }
    // Through the policy: a follower from a subdomain of the obfuscated domain is rejected
    // and the reason names the rule as the list showed it.
    let v = verdict_for_follower(&policy, "https://x.harassment.example/users/f");
    match v {
        Verdict::Reject(PolicyReason::DomainBlocked { host, rule }) => {
            assert_eq!(host, "x.harassment.example");
            assert_eq!(rule, OBFUSCATED);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        code(&verdict_for_follower(
            &policy,
            "https://harasabcde.example/users/f"
        )),
        "accept"
    );
    assert_eq!(
        code(&verdict_for_follower(
            &policy,
            "https://quiet.example/users/f"
        )),
        "hold:domain_limited"
    );
}

#[test]
fn a_digest_column_in_csv_enforces_obfuscated_rows() {
    let csv = format!(
        "#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate,#digest\n\
         {OBFUSCATED},suspend,false,false,,true,{}\n\
         plain.example,silence,false,false,,false,\n",
        DIGEST.to_uppercase()
    );
    let list = Blocklist::parse(&csv, DomainSeverity::Suspend).unwrap();
    assert_eq!(list.format(), BlocklistFormat::MastodonExport);
    assert_eq!(list.obfuscated().len(), 1);
    assert_eq!(list.obfuscated()[0].line, 2);
    let mut policy = DomainBlockPolicy::new();
    list.apply_to(&mut policy);
    assert_eq!(policy.len(), 2);
    assert_eq!(policy.counts(), (0, 1, 1));
    assert_eq!(
        policy.matching_rule("www.harassment.example"),
        Some(OBFUSCATED)
    );
    assert_eq!(policy.matching_rule("harasabcde.example"), None);
}

#[test]
fn missing_or_garbled_digests_are_reported_with_their_line() {
    // No digest: a warning (skipped, with its line), never guessed.
    let api = format!(r#"[{{"domain": "{OBFUSCATED}", "severity": "suspend"}}]"#);
    let list = Blocklist::parse(&api, DomainSeverity::Suspend).unwrap();
    assert_eq!(list.skipped().len(), 1);
    assert_eq!(list.skipped()[0].line, 1);
    assert_eq!(list.skipped()[0].reason, "obfuscated_without_digest");
    assert!(list.obfuscated().is_empty());

    // A digest that is not 64 hex digits: an error on the row's line.
    let short = &DIGEST[..63];
    let garbled = DIGEST.replace('e', "g");
    for bad in [short, garbled.as_str(), "sha256:abc"] {
        let json = format!(
            "[\n  {{\"domain\": \"ok.example\", \"severity\": \"noop\"}},\n  \
             {{\"domain\": \"{OBFUSCATED}\", \"digest\": \"{bad}\", \"severity\": \"suspend\"}}\n]"
        );
        let err = Blocklist::parse(&json, DomainSeverity::Suspend).unwrap_err();
        assert_eq!(
            (err.kind(), err.line),
            ("invalid_digest", 3),
            "{bad}: {err}"
        );
        let csv = format!("domain,severity,digest\nok.example,noop,\n{OBFUSCATED},suspend,{bad}\n");
        let err = Blocklist::parse(&csv, DomainSeverity::Suspend).unwrap_err();
        assert_eq!(
            (err.kind(), err.line),
            ("invalid_digest", 3),
            "{bad}: {err}"
        );
    }

    // A plain domain whose digest is not its own: an error, not a silent block of either.
    let csv = format!("domain,severity,digest\nnot-harassment.example,suspend,{DIGEST}\n");
    let err = Blocklist::parse(&csv, DomainSeverity::Suspend).unwrap_err();
    assert_eq!((err.kind(), err.line), ("digest_mismatch", 2));

    // Characters no published domain has, behind the `*`s.
    let csv = format!("domain,severity,digest\nha**ss ex<ample,suspend,{DIGEST}\n");
    let err = Blocklist::parse(&csv, DomainSeverity::Suspend).unwrap_err();
    assert_eq!((err.kind(), err.line), ("invalid_domain", 2));
}

#[test]
fn broken_api_json_is_a_typed_error_with_its_line() {
    let err = Blocklist::parse(
        "[\n  {\"domain\": \"a.example\",\n",
        DomainSeverity::Suspend,
    )
    .unwrap_err();
    assert_eq!(err.kind(), "invalid_json");
    assert!(err.line >= 2, "{err}");
    let err =
        Blocklist::parse("[{\"severity\": \"suspend\"}]", DomainSeverity::Suspend).unwrap_err();
    assert_eq!(err.kind(), "invalid_json");
    let err = Blocklist::parse(
        "[\n{\"domain\": \"a.example\"},\n\n{\"domain\": \"b.example\", \"severity\": \"ban\"}]",
        DomainSeverity::Suspend,
    )
    .unwrap_err();
    assert_eq!((err.kind(), err.line), ("invalid_severity", 4));
}
