//! Property tests: the rel-me parsers are total on arbitrary input and agree with a simple
//! model on generated input.

use identity_links::rel_me::{
    FetchedPage, LinkBack, RelMeConfig, field_link, parse_link_header, rel_tokens, scan_html,
    verify_page,
};
use proptest::prelude::*;
use url::Url;

fn base() -> Url {
    Url::parse("https://site.example/dir/page").expect("url")
}

/// HTML-ish strings: fragments of markup glued together, so the parser sees real structure.
fn htmlish() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("<a rel=me href=".to_owned()),
        Just("<link REL='Me nofollow' href=\"".to_owned()),
        Just("<base href=".to_owned()),
        Just("<area rel=\"me\" href=/x>".to_owned()),
        Just("https://social.example/@alice".to_owned()),
        Just("\">".to_owned()),
        Just("</a>".to_owned()),
        Just("<!--".to_owned()),
        Just("<title>".to_owned()),
        Just("<script>".to_owned()),
        "[ -~\\t\\n\\x0c\\r]{0,12}",
        "\\PC{0,6}",
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #[test]
    fn scan_is_total_on_bytes(body in prop::collection::vec(any::<u8>(), 0..2048), max in 0usize..4096) {
        let page = scan_html(&body, &base(), max);
        prop_assert_eq!(page.truncated, body.len() > max);
    }

    #[test]
    fn scan_is_total_on_htmlish_text(html in htmlish()) {
        let page = scan_html(html.as_bytes(), &base(), 1 << 20);
        for link in &page.links {
            // Every reported link really has the `me` token.
            prop_assert!(!link.href.is_empty() || link.resolved.is_some());
        }
        let link_back = LinkBack { id: "https://social.example/users/alice".into(),
            profile_urls: vec!["https://social.example/@alice".into()] };
        let headers = vec![html.clone()];
        for config in [RelMeConfig::default(), RelMeConfig::mastodon()] {
            let page = FetchedPage { final_url: &base(), status: 200, link_headers: &headers, body: html.as_bytes() };
            let _ = verify_page(&page, &link_back, &config);
        }
    }

    #[test]
    fn link_header_parser_is_total(s in "\\PC{0,300}") {
        let values = parse_link_header(&s);
        prop_assert!(values.len() <= identity_links::rel_me::MAX_LINK_VALUES);
    }

    #[test]
    fn link_header_finds_generated_rel_me(
        path in "[a-z0-9@/]{0,20}",
        extra in prop::collection::vec("[a-z]{1,8}", 0..4),
        upper in any::<bool>(),
        title in "[a-zA-Z0-9 ,;=<>]{0,20}",
    ) {
        let me = if upper { "ME" } else { "me" };
        let mut rels = extra.clone();
        rels.push(me.to_owned());
        let header = format!(r#"<https://x.example/a>; rel=preload, <https://s.example/{path}>; title="{title}"; rel="{}""#, rels.join(" "));
        let values = parse_link_header(&header);
        prop_assert_eq!(values.len(), 2);
        prop_assert_eq!(&values[1].target, &format!("https://s.example/{path}"));
        prop_assert!(values[1].rels.iter().any(|r| r == "me"));
    }

    #[test]
    fn rel_tokens_model(tokens in prop::collection::vec("[A-Za-z-]{1,6}", 0..6), seps in prop::collection::vec(prop_oneof![Just(" "), Just("\t"), Just("\n"), Just("\x0c"), Just("\r"), Just("  ")], 6)) {
        let mut rel = String::new();
        for (t, s) in tokens.iter().zip(seps.iter().cycle()) {
            rel.push_str(s);
            rel.push_str(t);
        }
        let got: Vec<String> = rel_tokens(&rel).collect();
        let want: Vec<String> = tokens.iter().map(|t| t.to_ascii_lowercase()).collect();
        prop_assert_eq!(got, want);
    }

    #[test]
    fn field_link_is_total(value in "\\PC{0,200}") {
        if let Ok(url) = field_link(&value, &RelMeConfig::default()) {
            prop_assert_eq!(url.scheme(), "https");
        }
    }
}
