//! rel-me: arbitrary bytes as an HTML page plus an arbitrary `Link` header, verified in both
//! modes; never panics, and a verified page names a link that really carries the `me` token.
#![no_main]

use arbitrary::Arbitrary;
use identity_links::rel_me::{
    FetchedPage, LinkBack, RelMeConfig, Url, Verdict, parse_link_header, scan_html, verify_page,
};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    link_header: &'a str,
    final_path: &'a str,
    small_limit: bool,
    body: &'a [u8],
}

fuzz_target!(|input: Input<'_>| {
    let Ok(final_url) = Url::parse("https://site.example/").and_then(|u| u.join(input.final_path))
    else {
        return;
    };
    let link_back = LinkBack {
        id: "https://social.example/users/alice".into(),
        profile_urls: vec!["https://social.example/@alice".into()],
    };
    let headers = vec![input.link_header.to_owned()];
    let _ = parse_link_header(input.link_header);
    for mut config in [RelMeConfig::default(), RelMeConfig::mastodon()] {
        if input.small_limit {
            config.max_bytes = 64;
        }
        let page = FetchedPage {
            final_url: &final_url,
            status: 200,
            link_headers: &headers,
            body: input.body,
        };
        if let Verdict::Verified(m) = verify_page(&page, &link_back, &config) {
            // Whatever verified must be visible to the scanner or in the header.
            let scanned = scan_html(input.body, &final_url, config.max_bytes);
            let in_html = scanned.links.iter().any(|l| l.href == m.href);
            let in_header = parse_link_header(input.link_header)
                .iter()
                .any(|l| l.target == m.href);
            assert!(
                in_html || in_header,
                "verified by a link nobody found: {m:?}"
            );
        }
    }
});
