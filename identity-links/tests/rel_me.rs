//! rel-me on real-ish pages (testdata/rel_me), hostile inputs, and the differences between
//! the strict and Mastodon modes.

use std::net::IpAddr;

use identity_links::persona::Evidence;
use identity_links::rel_me::{
    AddressClass, FetchedPage, HrefResolution, LinkBack, LinkBackTarget, MatchRule, NotVerified,
    RelMeConfig, RelMeError, RelMePlan, Verdict, scan_html, verify_page, verify_redirect_fallback,
};
use serde_json::{Value, json};
use url::Url;

const ALICE_ID: &str = "https://social.example/users/alice";
const ALICE_URL: &str = "https://social.example/@alice";

fn alice() -> Value {
    json!({"id": ALICE_ID, "url": ALICE_URL, "type": "Person"})
}

fn link_back(actor: &Value) -> LinkBack {
    LinkBack::from_actor(actor, &RelMeConfig::default()).expect("actor has an id")
}

fn page(name: &str) -> Vec<u8> {
    let path = format!("{}/testdata/rel_me/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn check(body: &[u8], final_url: &str, headers: &[String], config: &RelMeConfig) -> Verdict {
    let final_url = Url::parse(final_url).expect("test URL");
    let page = FetchedPage {
        final_url: &final_url,
        status: 200,
        link_headers: headers,
        body,
    };
    verify_page(&page, &link_back(&alice()), config)
}

/// (rule, resolution, target, nofollow) of a verified page, or panic.
fn verified(v: Verdict) -> (MatchRule, HrefResolution, LinkBackTarget, bool) {
    match v {
        Verdict::Verified(m) => (m.rule, m.resolution, m.target, m.nofollow),
        other => panic!("expected verified, got {other:?}"),
    }
}

fn not_verified(v: Verdict) -> NotVerified {
    match v {
        Verdict::NotVerified(n) => n,
        other => panic!("expected not verified, got {other:?}"),
    }
}

fn strict() -> RelMeConfig {
    RelMeConfig::default()
}

fn mastodon() -> RelMeConfig {
    RelMeConfig::mastodon()
}

const SITE: &str = "https://alice.example/";

#[test]
fn mastodon_profile_page_verifies_in_both_modes_with_nofollow_flagged() {
    let body = page("mastodon_profile.html");
    for config in [strict(), mastodon()] {
        let (rule, _, target, nofollow) =
            verified(check(&body, "https://other.example/@alice", &[], &config));
        assert_eq!(rule, MatchRule::AnchorRelMe);
        assert_eq!(target, LinkBackTarget::ProfileUrl);
        assert!(
            nofollow,
            "Mastodon renders `me nofollow`; accepted but flagged"
        );
    }
}

#[test]
fn personal_site_link_element() {
    let body = page("personal_link_me.html");
    for config in [strict(), mastodon()] {
        let (rule, res, _, nofollow) = verified(check(&body, SITE, &[], &config));
        assert_eq!(
            (rule, res, nofollow),
            (MatchRule::LinkRelMe, HrefResolution::Absolute, false)
        );
    }
}

#[test]
fn rel_token_is_case_insensitive_and_whitespace_separated() {
    for name in ["uppercase_rel.html", "nofollow_me.html"] {
        for config in [strict(), mastodon()] {
            let (rule, ..) = verified(check(&page(name), SITE, &[], &config));
            assert_eq!(rule, MatchRule::AnchorRelMe, "{name}");
        }
    }
}

#[test]
fn rel_mee_and_lookalikes_do_not_match() {
    for config in [strict(), mastodon()] {
        let n = not_verified(check(&page("rel_mee.html"), SITE, &[], &config));
        assert_eq!(
            n,
            NotVerified::NoRelMeLinks,
            "comments, scripts, `mee`, `me-too`, `acme` are not rel-me"
        );
    }
}

#[test]
fn base_href_resolves_in_strict_mode_only() {
    let body = page("base_href.html");
    let (_, res, target, _) = verified(check(&body, SITE, &[], &strict()));
    assert_eq!(
        (res, target),
        (HrefResolution::ViaBase, LinkBackTarget::ProfileUrl)
    );
    // Mastodon compares the raw href "@alice" with the profile URL.
    let n = not_verified(check(&body, SITE, &[], &mastodon()));
    assert!(
        matches!(n, NotVerified::NoLinkBack { ref found, .. } if found == &["@alice"]),
        "{n:?}"
    );
}

#[test]
fn relative_href_resolves_against_final_url_in_strict_mode_only() {
    let body = page("relative_href.html");
    let final_url = "https://social.example/about/alice";
    let (_, res, ..) = verified(check(&body, final_url, &[], &strict()));
    assert_eq!(res, HrefResolution::AgainstFinalUrl);
    not_verified(check(&body, final_url, &[], &mastodon()));
    // The same relative href on another host points elsewhere: not verified.
    not_verified(check(&body, SITE, &[], &strict()));
}

#[test]
fn a_page_linking_a_different_actor_does_not_verify() {
    let body = page("different_actor.html");
    let n = not_verified(check(&body, SITE, &[], &strict()));
    let NotVerified::NoLinkBack {
        found,
        redirect_fallback,
    } = n
    else {
        panic!("{n:?}")
    };
    assert_eq!(
        found,
        [
            "https://social.example/@mallory",
            "https://social.example/@alice.evil"
        ]
    );
    assert_eq!(
        redirect_fallback, None,
        "strict mode has no redirect fallback"
    );
    let n = not_verified(check(&body, SITE, &[], &mastodon()));
    let NotVerified::NoLinkBack {
        redirect_fallback, ..
    } = n
    else {
        panic!("{n:?}")
    };
    assert_eq!(
        redirect_fallback.map(String::from).as_deref(),
        Some("https://social.example/@mallory")
    );
}

#[test]
fn actor_id_is_a_target_in_strict_mode_only() {
    let body = page("actor_id_link.html");
    let (_, _, target, _) = verified(check(&body, SITE, &[], &strict()));
    assert_eq!(target, LinkBackTarget::ActorId);
    not_verified(check(&body, SITE, &[], &mastodon()));
    // Mastodon uses the id when the actor has no `url` (its `account.url` falls back to the uri).
    let no_url = json!({"id": ALICE_ID});
    let url = Url::parse(SITE).expect("url");
    let page = FetchedPage {
        final_url: &url,
        status: 200,
        link_headers: &[],
        body: &body,
    };
    let (_, _, target, _) = verified(verify_page(&page, &link_back(&no_url), &mastodon()));
    assert_eq!(target, LinkBackTarget::ActorId);
}

#[test]
fn host_case_and_default_port_normalised_in_strict_mode_only() {
    let body = page("case_and_port.html");
    verified(check(&body, SITE, &[], &strict()));
    not_verified(check(&body, SITE, &[], &mastodon()));
}

#[test]
fn path_case_matters_in_strict_mode_but_not_in_mastodon_mode() {
    let body = page("path_case.html");
    not_verified(check(&body, SITE, &[], &strict()));
    verified(check(&body, SITE, &[], &mastodon()));
}

#[test]
fn area_elements_and_fragments_in_strict_mode_only() {
    let area = br#"<map name="m"><area shape="rect" coords="0,0,1,1" rel="me" href="https://social.example/@alice"></map>"#;
    let (rule, ..) = verified(check(area, SITE, &[], &strict()));
    assert_eq!(rule, MatchRule::AreaRelMe);
    assert_eq!(
        not_verified(check(area, SITE, &[], &mastodon())),
        NotVerified::NoRelMeLinks
    );
    let fragment = br#"<a rel="me" href="https://social.example/@alice#profile">me</a>"#;
    verified(check(fragment, SITE, &[], &strict()));
    not_verified(check(fragment, SITE, &[], &mastodon()));
}

#[test]
fn a_verified_check_becomes_graph_evidence() {
    let mut actor = alice();
    actor["attachment"] = json!([field("Site", "https://ALICE.example")]);
    let plan = RelMePlan::from_actor(&actor, &strict()).expect("plan");
    let check = &plan.checks[0];
    let body = br#"<link rel=me href="https://social.example/@alice">"#;
    let page = FetchedPage {
        final_url: &check.request.url,
        status: 200,
        link_headers: &[],
        body,
    };
    let verdict = plan.verify(&page, &strict());
    assert_eq!(
        plan.evidence(check, &verdict),
        Some(Evidence::RelMe {
            actor: ALICE_ID.into(),
            site: "https://alice.example/".into()
        })
    );
    let nothing = FetchedPage {
        body: b"<p>hi</p>",
        ..page
    };
    assert_eq!(
        plan.evidence(check, &plan.verify(&nothing, &strict())),
        None
    );
}

#[test]
fn trailing_slash_is_significant_in_both_modes() {
    let body = page("trailing_slash.html");
    not_verified(check(&body, SITE, &[], &strict()));
    not_verified(check(&body, SITE, &[], &mastodon()));
}

#[test]
fn malformed_html_is_recovered_like_a_browser() {
    let body = page("malformed.html");
    for config in [strict(), mastodon()] {
        let (rule, ..) = verified(check(&body, SITE, &[], &config));
        assert_eq!(rule, MatchRule::AnchorRelMe);
    }
    // HTML5 parsing, not a regex: an unclosed <title> is RCDATA up to the end, as in a browser.
    for config in [strict(), mastodon()] {
        let n = not_verified(check(&page("unclosed_title.html"), SITE, &[], &config));
        assert_eq!(n, NotVerified::NoRelMeLinks);
    }
    // Garbage never panics and never verifies.
    let junk: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    not_verified(check(&junk, SITE, &[], &strict()));
    not_verified(check(b"\xff\xfe<a rel=me href=\x00>", SITE, &[], &strict()));
}

#[test]
fn link_header_in_strict_mode_only() {
    let body = page("link_header_only.html");
    let header = vec![
        r#"<https://cdn.example/x.css>; rel=preload, <https://social.example/@alice>; rel="me""#
            .to_owned(),
    ];
    let (rule, ..) = verified(check(&body, SITE, &header, &strict()));
    assert_eq!(rule, MatchRule::LinkHeader);
    assert_eq!(
        not_verified(check(&body, SITE, &header, &mastodon())),
        NotVerified::NoRelMeLinks
    );
    // A relative target resolves against the final URL.
    let relative = vec![r#"</@alice>; rel=me"#.to_owned()];
    verified(check(
        &body,
        "https://social.example/links",
        &relative,
        &strict(),
    ));
    // A link about another context (anchor) is not about this page.
    let anchored = vec![
        r#"<https://social.example/@alice>; rel=me; anchor="https://elsewhere.example/""#
            .to_owned(),
    ];
    not_verified(check(&body, SITE, &anchored, &strict()));
    // `rel` is `me`, not a substring.
    let mee = vec![r#"<https://social.example/@alice>; rel="mee""#.to_owned()];
    assert_eq!(
        not_verified(check(&body, SITE, &mee, &strict())),
        NotVerified::NoRelMeLinks
    );
}

#[test]
fn oversized_page_is_truncated_at_one_mebibyte() {
    let config = strict();
    let link = br#"<a rel="me" href="https://social.example/@alice">me</a>"#;
    let mut late = b"<html><body><p>".to_vec();
    late.extend(std::iter::repeat_n(b'x', config.max_bytes));
    late.extend_from_slice(link);
    let url = Url::parse(SITE).expect("url");
    assert!(scan_html(&late, &url, config.max_bytes).truncated);
    assert_eq!(
        not_verified(check(&late, SITE, &[], &config)),
        NotVerified::NoRelMeLinks
    );

    let mut early = b"<html><body>".to_vec();
    early.extend_from_slice(link);
    early.extend(std::iter::repeat_n(b'x', config.max_bytes));
    let scanned = scan_html(&early, &url, config.max_bytes);
    assert!(scanned.truncated);
    assert_eq!(scanned.links.len(), 1);
    verified(check(&early, SITE, &[], &config));
}

#[test]
fn non_200_does_not_verify() {
    let url = Url::parse(SITE).expect("url");
    let body = page("personal_link_me.html");
    let page = FetchedPage {
        final_url: &url,
        status: 404,
        link_headers: &[],
        body: &body,
    };
    assert_eq!(
        not_verified(verify_page(&page, &link_back(&alice()), &strict())),
        NotVerified::Status(404)
    );
}

#[test]
fn mastodon_redirect_fallback() {
    let lb = link_back(&alice());
    let m =
        verify_redirect_fallback(ALICE_URL, &lb, &mastodon()).expect("Location equals profile URL");
    assert_eq!(m.rule, MatchRule::RedirectFallback);
    assert!(
        verify_redirect_fallback("https://social.example/@ALICE", &lb, &mastodon()).is_none(),
        "exact compare"
    );
    assert!(
        verify_redirect_fallback(ALICE_URL, &lb, &strict()).is_none(),
        "strict mode has no fallback"
    );
}

fn field(name: &str, value: &str) -> Value {
    json!({"type": "PropertyValue", "name": name, "value": value})
}

#[test]
fn plan_reads_fields_and_skips_what_must_not_be_fetched() {
    let mut actor = alice();
    actor["attachment"] = json!([
        field("Site", "<a href=\"https://alice.example/\" rel=\"me nofollow noopener noreferrer\" target=\"_blank\"><span class=\"invisible\">https://</span><span class=\"\">alice.example/</span><span class=\"invisible\"></span></a>"),
        field("Plain", "https://blog.alice.example/about"),
        field("Insecure", "http://alice.example/"),
        field("Lying text", "<a href=\"https://evil.example/\">https://alice.example/</a>"),
        field("Two links", "<a href=\"https://a.example/\">https://a.example/</a> <a href=\"https://b.example/\">https://b.example/</a>"),
        field("IDN", "https://münchen.example/"),
        field("Userinfo", "https://user:pw@alice.example/"),
        field("Local", "https://localhost/"),
        field("Words", "she/her"),
        field("Duplicate", "https://alice.example/"),
        {"type": "VerifiableIdentityStatement", "subject": "did:key:z6Mk", "alsoKnownAs": ALICE_ID},
    ]);
    let plan = RelMePlan::from_actor(&actor, &strict()).expect("plan");
    let urls: Vec<&str> = plan.checks.iter().map(|c| c.request.url.as_str()).collect();
    assert_eq!(
        urls,
        ["https://alice.example/", "https://blog.alice.example/about"]
    );
    let request = &plan.checks[0].request;
    assert_eq!(
        (request.max_bytes, request.max_redirects, request.https_only),
        (1 << 20, 3, true)
    );
    let skipped: Vec<(&str, &str)> = plan
        .skipped
        .iter()
        .map(|s| (s.name.as_str(), s.reason.kind()))
        .collect();
    assert_eq!(
        skipped,
        [
            ("Insecure", "not_https"),
            ("Lying text", "field_not_a_link"),
            ("Two links", "field_not_a_link"),
            ("IDN", "host_not_normalised"),
            ("Userinfo", "user_info"),
            ("Local", "forbidden_host"),
            ("Words", "invalid_url"),
        ]
    );
}

#[test]
fn per_hop_check_refuses_a_redirect_to_a_private_address() {
    let mut actor = alice();
    actor["attachment"] = json!([field("Site", "https://alice.example/")]);
    let plan = RelMePlan::from_actor(&actor, &strict()).expect("plan");
    let request = &plan.checks[0].request;
    let public: [IpAddr; 1] = ["93.184.216.34".parse().expect("ip")];
    request
        .check_hop(0, &request.url, &public)
        .expect("first hop is public");

    // The site redirects to a host that resolves into the private network: refused, so the
    // link-back behind it is never read.
    let hop = Url::parse("https://links.alice.example/me").expect("url");
    let private: [IpAddr; 2] = [
        "93.184.216.35".parse().expect("ip"),
        "10.0.0.7".parse().expect("ip"),
    ];
    let err = request
        .check_hop(1, &hop, &private)
        .expect_err("private address");
    assert!(
        matches!(
            err,
            RelMeError::ForbiddenAddress {
                class: AddressClass::Private,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.kind(), "forbidden_address");

    for (url, class) in [
        (
            "https://169.254.169.254/latest/meta-data",
            AddressClass::LinkLocal,
        ),
        ("https://127.0.0.1/", AddressClass::Loopback),
        ("https://[::ffff:192.168.1.1]/", AddressClass::Private),
        ("https://[fd12::1]/", AddressClass::UniqueLocal),
        ("https://100.64.1.1/", AddressClass::SharedCgnat),
    ] {
        let err = request
            .check_hop(1, &Url::parse(url).expect("url"), &[])
            .expect_err(url);
        assert!(
            matches!(err, RelMeError::ForbiddenAddress { class: c, .. } if c == class),
            "{url}: {err:?}"
        );
    }
    let http = Url::parse("http://alice.example/").expect("url");
    assert_eq!(
        request
            .check_hop(1, &http, &public)
            .expect_err("http")
            .kind(),
        "not_https"
    );
    assert_eq!(
        request
            .check_hop(4, &hop, &public)
            .expect_err("4th redirect")
            .kind(),
        "too_many_redirects"
    );
    request
        .check_hop(3, &hop, &public)
        .expect("3 redirects are allowed");
    assert_eq!(
        request
            .check_hop(1, &hop, &[])
            .expect_err("unresolved")
            .kind(),
        "no_addresses"
    );
    let onion = Url::parse("https://abc.onion/").expect("url");
    assert_eq!(
        request
            .check_hop(1, &onion, &public)
            .expect_err("onion")
            .kind(),
        "forbidden_host"
    );
}
