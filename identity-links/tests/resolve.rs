//! Resolving a handle or a website to the person's current actor across moves, against a small
//! simulated web (documents, redirects and a DNS table), with the per-hop check in the driver.

use std::collections::HashMap;
use std::net::IpAddr;

use identity_links::persona::{Evidence, Node, Primary};
use identity_links::resolve::{
    Anchor, LinkBackVia, Resolution, ResolveConfig, ResolveFailure, Resolver, Response, Start, Step,
};
use serde_json::{Value, json};
use url::Url;

enum Doc {
    Json(Value),
    Html(&'static str),
    Redirect(&'static str),
}

#[derive(Default)]
struct Web {
    docs: HashMap<String, Doc>,
    dns: HashMap<String, IpAddr>,
    fetched: Vec<String>,
}

impl Web {
    fn json(mut self, url: &str, v: Value) -> Self {
        self.docs.insert(url.to_owned(), Doc::Json(v));
        self
    }
    fn html(mut self, url: &str, h: &'static str) -> Self {
        self.docs.insert(url.to_owned(), Doc::Html(h));
        self
    }
    fn redirect(mut self, url: &str, to: &'static str) -> Self {
        self.docs.insert(url.to_owned(), Doc::Redirect(to));
        self
    }
    fn resolve_host(&self, url: &Url) -> Vec<IpAddr> {
        let host = url.host_str().unwrap_or_default();
        vec![
            self.dns
                .get(host)
                .copied()
                .unwrap_or_else(|| "93.184.216.34".parse().expect("ip")),
        ]
    }

    /// Drives `resolver` to completion like a real fetcher would: per-hop checks, redirects.
    fn run(&mut self, start: &str, config: ResolveConfig) -> Result<Resolution, ResolveFailure> {
        let mut resolver = Resolver::new(Start::parse(start)?, config);
        for _ in 0..100 {
            let request = match resolver.next() {
                Step::Done(result) => return result,
                Step::Fetch(request) => request,
            };
            self.fetched.push(request.url.to_string());
            let mut url = request.url.clone();
            let mut hop = 0;
            let answer = loop {
                if let Err(e) = request.check_hop(hop, &url, &self.resolve_host(&url)) {
                    break Err(e.to_string());
                }
                match self.docs.get(url.as_str()) {
                    Some(Doc::Redirect(to)) => {
                        url = Url::parse(to).expect("test redirect");
                        hop += 1;
                    }
                    Some(Doc::Json(v)) => break Ok((200, v.to_string())),
                    Some(Doc::Html(h)) => break Ok((200, (*h).to_owned())),
                    None => break Ok((404, String::new())),
                }
            };
            match answer {
                Ok((status, body)) => resolver.handle_response(&Response {
                    final_url: &url,
                    status,
                    link_headers: &[],
                    body: body.as_bytes(),
                }),
                Err(reason) => resolver.handle_fetch_error(&reason),
            }
        }
        panic!("resolver did not finish in 100 steps");
    }
}

const WF: &str = "https://my.domain/.well-known/webfinger?resource=acct%3Ame%40my.domain";
const A0: &str = "https://old.example/users/me";
const A1: &str = "https://mid.example/users/me";
const A2: &str = "https://new.example/users/me";

fn jrd(href: &str) -> Value {
    json!({"subject": "acct:me@my.domain", "aliases": [href],
        "links": [{"rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": href},
                  {"rel": "self", "type": "application/activity+json", "href": href}]})
}

fn moved_twice() -> Web {
    Web::default()
        .json(WF, jrd(A0))
        .json(A0, json!({"id": A0, "type": "Person", "alsoKnownAs": ["acct:me@my.domain"], "movedTo": A1}))
        .json(A1, json!({"id": A1, "type": "Person", "alsoKnownAs": [A0], "movedTo": A2}))
        .json(A2, json!({"id": A2, "type": "Person", "alsoKnownAs": [A1, A0]}))
}

#[test]
fn handle_to_webfinger_to_an_actor_that_moved_twice() {
    let mut web = moved_twice();
    let r = web
        .run("@me@my.domain", ResolveConfig::default())
        .expect("resolves");
    assert_eq!(r.current, A2);
    assert_eq!(r.chain, [A0, A1, A2]);
    assert_eq!(
        r.anchor,
        Anchor::WebFinger {
            resource: "acct:me@my.domain".into(),
            actor: A0.into()
        }
    );
    assert_eq!(
        (r.link_back.actor.as_str(), r.link_back.via),
        (A0, LinkBackVia::AlsoKnownAs)
    );
    assert_eq!(r.persona.primary, Primary::Actor(A2.into()));
    assert_eq!(r.persona.actors().collect::<Vec<_>>(), [A1, A2, A0]);
    assert_eq!(web.fetched, [WF, A0, A1, A2]);
    assert!(r.evidence.contains(&Evidence::MovedTo {
        from: A0.into(),
        to: A1.into()
    }));
}

#[test]
fn handle_on_the_servers_own_domain_links_back_by_domain() {
    let wf = "https://old.example/.well-known/webfinger?resource=acct%3Ame%40old.example";
    let mut web = Web::default()
        .json(wf, jrd(A0))
        .json(A0, json!({"id": A0, "movedTo": A2}))
        .json(A2, json!({"id": A2, "alsoKnownAs": [A0]}));
    let r = web
        .run("me@old.example", ResolveConfig::default())
        .expect("resolves");
    assert_eq!(r.current, A2);
    assert_eq!(r.link_back.via, LinkBackVia::SameDomain);
}

#[test]
fn a_move_loop_is_detected() {
    let mut web = Web::default()
        .json(WF, jrd(A0))
        .json(
            A0,
            json!({"id": A0, "alsoKnownAs": ["acct:me@my.domain", A1], "movedTo": A1}),
        )
        .json(A1, json!({"id": A1, "alsoKnownAs": [A0], "movedTo": A0}));
    let err = web
        .run("@me@my.domain", ResolveConfig::default())
        .expect_err("loop");
    assert_eq!(
        err,
        ResolveFailure::MoveLoop {
            chain: vec![A0.into(), A1.into(), A0.into()]
        }
    );
}

#[test]
fn a_chain_longer_than_the_limit_stops() {
    let mut web = moved_twice();
    let config = ResolveConfig {
        max_moves: 1,
        ..ResolveConfig::default()
    };
    let err = web.run("@me@my.domain", config).expect_err("too long");
    assert_eq!(err.kind(), "chain_too_long");
}

#[test]
fn a_domain_cannot_claim_somebody_elses_account() {
    // my.domain's WebFinger names a stranger who never mentions my.domain.
    let victim = "https://social.example/users/victim";
    let mut web = Web::default()
        .json(WF, jrd(victim))
        .json(victim, json!({"id": victim, "alsoKnownAs": []}));
    let err = web
        .run("@me@my.domain", ResolveConfig::default())
        .expect_err("no link back");
    assert_eq!(
        err,
        ResolveFailure::NoLinkBack {
            actors: vec![victim.into()]
        }
    );
}

#[test]
fn an_unconfirmed_move_is_refused() {
    // old says it moved to new, but new never claims old (a hijack attempt by old's server).
    let mut web = Web::default()
        .json(WF, jrd(A0))
        .json(
            A0,
            json!({"id": A0, "alsoKnownAs": ["acct:me@my.domain"], "movedTo": A1}),
        )
        .json(A1, json!({"id": A1}));
    let err = web
        .run("@me@my.domain", ResolveConfig::default())
        .expect_err("unconfirmed");
    assert_eq!(
        err,
        ResolveFailure::MoveNotConfirmed {
            from: A0.into(),
            to: A1.into()
        }
    );
}

#[test]
fn non_https_and_foreign_ids_are_refused() {
    let mut web = Web::default().json(WF, jrd("http://old.example/users/me"));
    assert_eq!(
        web.run("@me@my.domain", ResolveConfig::default())
            .expect_err("http")
            .kind(),
        "not_https"
    );

    let mut web = Web::default()
        .json(WF, jrd(A0))
        .json(A0, json!({"id": A0, "alsoKnownAs": ["acct:me@my.domain"], "movedTo": "http://new.example/users/me"}));
    assert_eq!(
        web.run("@me@my.domain", ResolveConfig::default())
            .expect_err("http")
            .kind(),
        "not_https"
    );

    // A document served at old.example that claims to be an actor on another origin.
    let mut web = Web::default()
        .json(WF, jrd(A0))
        .json(A0, json!({"id": A2, "alsoKnownAs": ["acct:me@my.domain"]}));
    assert_eq!(
        web.run("@me@my.domain", ResolveConfig::default())
            .expect_err("foreign")
            .kind(),
        "foreign_id"
    );

    assert_eq!(
        Start::parse("http://me.example/").expect_err("http").kind(),
        "not_https"
    );
}

#[test]
fn a_redirect_into_the_private_network_is_refused_per_hop() {
    let mut web = moved_twice().redirect(A1, "https://internal.mid.example/users/me");
    web.dns.insert(
        "internal.mid.example".into(),
        "10.1.2.3".parse().expect("ip"),
    );
    let err = web
        .run("@me@my.domain", ResolveConfig::default())
        .expect_err("private hop");
    assert!(
        matches!(&err, ResolveFailure::Fetch { url, status: None, reason } if url == A1 && reason.contains("private")),
        "{err:?}"
    );
}

const SITE: &str = "https://me.example/";
const PROFILE: &str = "https://social.example/@me";
const ACTOR: &str = "https://social.example/users/me";

fn site_actor(field: &str) -> Value {
    json!({"id": ACTOR, "type": "Person", "url": PROFILE,
        "attachment": [{"type": "PropertyValue", "name": "Web", "value": field}], "movedTo": A2})
}

#[test]
fn website_to_rel_me_actor_to_its_move_target() {
    let field = r#"<a href="https://me.example/" rel="me nofollow noopener noreferrer" target="_blank"><span class="invisible">https://</span><span class="">me.example/</span><span class="invisible"></span></a>"#;
    let mut web = Web::default()
        .html(
            SITE,
            r#"<html><head><link rel="me" href="https://code.example/me"></head>
            <body><a rel="me" href="https://social.example/@me">Mastodon</a></body></html>"#,
        )
        .html(
            "https://code.example/me",
            "<html>a code forge profile, not an actor</html>",
        )
        .json(PROFILE, site_actor(field))
        .json(A2, json!({"id": A2, "alsoKnownAs": [ACTOR]}));
    let r = web.run(SITE, ResolveConfig::default()).expect("resolves");
    assert_eq!(r.current, A2);
    assert_eq!(r.chain, [ACTOR, A2]);
    assert_eq!(
        (r.link_back.actor.as_str(), r.link_back.via),
        (ACTOR, LinkBackVia::ProfileField)
    );
    assert!(matches!(&r.anchor, Anchor::RelMe { actor, .. } if actor == ACTOR));
    assert!(
        r.persona.contains(&Node::site(SITE)),
        "the verified rel-me pair is in the persona"
    );
    assert_eq!(r.persona.primary, Primary::Actor(A2.into()));
}

#[test]
fn website_whose_actor_does_not_link_back_fails() {
    // The site claims a (famous) account that links to a different site.
    let mut web = Web::default()
        .html(SITE, r#"<a rel="me" href="https://social.example/@me">me!</a>"#)
        .json(PROFILE, json!({"id": ACTOR, "url": PROFILE,
            "attachment": [{"type": "PropertyValue", "name": "Web", "value": "https://other.example/"}]}));
    let err = web
        .run(SITE, ResolveConfig::default())
        .expect_err("no link back");
    assert_eq!(
        err,
        ResolveFailure::NoLinkBack {
            actors: vec![ACTOR.into()]
        }
    );
}

#[test]
fn website_without_rel_me_fails() {
    let mut web = Web::default().html(
        SITE,
        r#"<a rel="mee" href="https://social.example/@me">x</a>"#,
    );
    assert_eq!(
        web.run(SITE, ResolveConfig::default())
            .expect_err("none")
            .kind(),
        "no_rel_me_on_site"
    );
}

#[test]
fn website_linking_two_live_accounts_is_ambiguous() {
    let other = "https://other.example/users/me";
    let mut web = Web::default()
        .html(SITE, r#"<a rel="me" href="https://social.example/users/me">a</a><a rel="me" href="https://other.example/users/me">b</a>"#)
        .json(ACTOR, json!({"id": ACTOR, "attachment": [{"type": "PropertyValue", "name": "w", "value": SITE}]}))
        .json(other, json!({"id": other, "alsoKnownAs": [SITE]}));
    let err = web.run(SITE, ResolveConfig::default()).expect_err("two");
    assert_eq!(
        err,
        ResolveFailure::Ambiguous {
            current: vec![other.into(), ACTOR.into()]
        }
    );
}
