//! Screening one outbox item: its provenance, then every rule of the [`ImportPolicy`]; the
//! item's status is the most severe action among the rules it matched.

use serde::Serialize;
use serde_json::Value;

use super::collection::RawItem;
use super::date::parse_timestamp;
use super::limits::Limits;
use super::media::{MediaFile, MediaLookup, archive_path};
use super::normalize::{contains, normalize, skeleton};
use super::policy::{Action, ImportPolicy};
use super::post::{ItemKind, PostFacts, read_post};
use super::provenance::{OriginActor, Provenance, check_provenance};
use super::visibility::Visibility;

/// Stable rule codes, as they appear in reports.
pub mod rule {
    /// No proof (policy `unverified`).
    pub const UNVERIFIED: &str = "unverified_provenance";
    /// A proof that fails or names another key or actor (policy `invalid_proof`).
    pub const INVALID_PROOF: &str = "invalid_proof";
    /// The item's actor (or the post's author) is not the archive's actor. Always rejected.
    pub const FOREIGN_ACTOR: &str = "foreign_actor";
    /// The item is not a post: not an object, no type, an activity other than `Create` /
    /// `Announce`, a `Create` without an embedded object. Always rejected.
    pub const MALFORMED_ITEM: &str = "malformed_item";
    /// Larger than the per-item limit. Always rejected.
    pub const ITEM_TOO_LARGE: &str = "item_too_large";
    /// Nested deeper than the per-item limit. Always rejected.
    pub const ITEM_TOO_DEEP: &str = "item_too_deep";
    /// The post has media (policy `media.posts_with_media`).
    pub const HAS_MEDIA: &str = "has_media";
    /// An attachment's declared type is not allowed (`media.disallowed_type`).
    pub const MEDIA_TYPE_NOT_ALLOWED: &str = "media_type_not_allowed";
    /// An attachment's file is not in the archive (`media.missing_file`).
    pub const MEDIA_MISSING: &str = "media_missing";
    /// An attachment's bytes contradict its declared type (`media.type_mismatch`).
    pub const MEDIA_TYPE_MISMATCH: &str = "media_type_mismatch";
    /// More attachments than examined (`media.too_many`).
    pub const TOO_MANY_ATTACHMENTS: &str = "too_many_attachments";
    /// A keyword rule matched.
    pub const KEYWORD: &str = "keyword";
    /// Published outside `dates.not_before`..`dates.not_after`.
    pub const DATE_OUT_OF_RANGE: &str = "date_out_of_range";
    /// Published after the screening's `now`.
    pub const DATE_IN_FUTURE: &str = "date_in_future";
    /// No readable `published`.
    pub const DATE_MISSING: &str = "date_missing";
    /// Public post (`visibility.public`).
    pub const VISIBILITY_PUBLIC: &str = "visibility_public";
    /// Unlisted post.
    pub const VISIBILITY_UNLISTED: &str = "visibility_unlisted";
    /// Followers-only post.
    pub const VISIBILITY_FOLLOWERS: &str = "visibility_followers";
    /// Direct message.
    pub const VISIBILITY_DIRECT: &str = "visibility_direct";
    /// A reply to a post on a blocked domain.
    pub const REPLY_TO_BLOCKED_DOMAIN: &str = "reply_to_blocked_domain";
    /// A boost of a post on a blocked domain.
    pub const BOOST_OF_BLOCKED_DOMAIN: &str = "boost_of_blocked_domain";
}

/// One rule that matched, and what it does.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reason {
    /// The rule code (see [`rule`]).
    pub rule: &'static str,
    /// What exactly matched (a keyword rule's name, a media type, a domain, an error kind).
    pub detail: String,
    /// The rule's action.
    pub action: Action,
}

/// The screening of one item.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ItemScreening {
    /// Position in the collection (0-based).
    pub index: u64,
    /// The item's id, when it has one.
    pub id: Option<String>,
    /// accept / hold / reject.
    pub status: Action,
    /// verified / unverified / invalid.
    pub provenance: Provenance,
    /// Why (the verification method when verified).
    pub provenance_detail: String,
    /// `published`, as Unix seconds.
    pub published: Option<i64>,
    /// The visibility, for posts.
    pub visibility: Option<Visibility>,
    /// Attachments declared.
    pub attachments: u64,
    /// Every rule whose action is hold or reject.
    pub reasons: Vec<Reason>,
}

/// Screens items with one policy, for one origin actor, at one time.
#[derive(Debug, Clone, Copy)]
pub struct Screener<'a> {
    policy: &'a ImportPolicy,
    origin: Option<&'a OriginActor>,
    now: i64,
    limits: &'a Limits,
}

impl<'a> Screener<'a> {
    /// A screener. `origin` is the archive's actor (`None` for an outbox without one: no
    /// proof can be verified and authorship is not checked); `now` is Unix seconds.
    pub fn new(
        policy: &'a ImportPolicy,
        origin: Option<&'a OriginActor>,
        now: i64,
        limits: &'a Limits,
    ) -> Self {
        Screener {
            policy,
            origin,
            now,
            limits,
        }
    }

    /// Screens item `index`; attachments' files are asked of `media`.
    pub fn screen(&self, index: u64, item: &RawItem, media: &mut dyn MediaLookup) -> ItemScreening {
        let mut out = ItemScreening {
            index,
            id: None,
            status: Action::Accept,
            provenance: Provenance::Unverified,
            provenance_detail: String::new(),
            published: None,
            visibility: None,
            attachments: 0,
            reasons: Vec::new(),
        };
        let value = match item {
            RawItem::Value(v) => v,
            RawItem::TooLarge => {
                let detail = format!("larger than {} bytes", self.limits.max_item_bytes);
                out.add(rule::ITEM_TOO_LARGE, detail, Action::Reject);
                return out.finish();
            }
            RawItem::TooDeep => {
                let detail = format!("nested deeper than {}", self.limits.max_item_depth);
                out.add(rule::ITEM_TOO_DEEP, detail, Action::Reject);
                return out.finish();
            }
        };
        out.id = value
            .get("id")
            .and_then(Value::as_str)
            .map(|s| s.chars().take(2_048).collect());
        let provenance = check_provenance(value, self.origin);
        out.provenance = provenance.status;
        out.provenance_detail = provenance.detail.clone();
        match provenance.status {
            Provenance::Verified => {}
            Provenance::Unverified => {
                out.add(rule::UNVERIFIED, provenance.detail, self.policy.unverified);
            }
            Provenance::Invalid => {
                out.add(
                    rule::INVALID_PROOF,
                    provenance.detail,
                    self.policy.invalid_proof,
                );
            }
        }
        let post = match read_post(value, self.limits) {
            Ok(p) => p,
            Err(e) => {
                out.add(rule::MALFORMED_ITEM, e.0, Action::Reject);
                return out.finish();
            }
        };
        self.authorship(&post, &mut out);
        self.dates(&post, &mut out);
        self.visibility(&post, &mut out);
        self.blocked_domains(&post, &mut out);
        self.media(&post, media, &mut out);
        self.keywords(&post, &mut out);
        out.finish()
    }

    fn authorship(&self, post: &PostFacts, out: &mut ItemScreening) {
        let Some(origin) = self.origin else { return };
        let id = origin.id();
        if post.actor.as_deref() != Some(id) {
            let detail = format!(
                "actor {:?} is not {id}",
                post.actor.as_deref().unwrap_or("")
            );
            out.add(rule::FOREIGN_ACTOR, detail, Action::Reject);
        } else if let Some(author) = &post.attributed_to
            && author != id
        {
            out.add(
                rule::FOREIGN_ACTOR,
                format!("attributedTo {author:?} is not {id}"),
                Action::Reject,
            );
        }
    }

    fn dates(&self, post: &PostFacts, out: &mut ItemScreening) {
        let d = &self.policy.dates;
        let Some(published) = post.published.as_deref().and_then(parse_timestamp) else {
            let detail = post.published.as_deref().map_or_else(
                || "no published".to_owned(),
                |p| {
                    format!(
                        "unreadable published {:?}",
                        p.chars().take(64).collect::<String>()
                    )
                },
            );
            out.add(rule::DATE_MISSING, detail, d.missing);
            return;
        };
        out.published = Some(published);
        if published > self.now {
            out.add(
                rule::DATE_IN_FUTURE,
                format!("published {published} > now {}", self.now),
                d.future,
            );
        }
        if d.not_before.is_some_and(|b| published < b) || d.not_after.is_some_and(|a| published > a)
        {
            let shown = post.published.as_deref().unwrap_or_default();
            out.add(
                rule::DATE_OUT_OF_RANGE,
                format!("published {shown}"),
                d.outside,
            );
        }
    }

    fn visibility(&self, post: &PostFacts, out: &mut ItemScreening) {
        let followers = self.origin.and_then(OriginActor::followers);
        let v = Visibility::from_addressing(&post.to, &post.cc, followers);
        out.visibility = Some(v);
        let r = &self.policy.visibility;
        let (code, action) = match v {
            Visibility::Public => (rule::VISIBILITY_PUBLIC, r.public),
            Visibility::Unlisted => (rule::VISIBILITY_UNLISTED, r.unlisted),
            Visibility::Followers => (rule::VISIBILITY_FOLLOWERS, r.followers),
            Visibility::Direct => (rule::VISIBILITY_DIRECT, r.direct),
        };
        out.add(code, v.as_str().to_owned(), action);
    }

    fn blocked_domains(&self, post: &PostFacts, out: &mut ItemScreening) {
        let (code, target) = match post.kind {
            ItemKind::Announce => (rule::BOOST_OF_BLOCKED_DOMAIN, post.announced.as_deref()),
            _ => (rule::REPLY_TO_BLOCKED_DOMAIN, post.in_reply_to.as_deref()),
        };
        if let Some(domain) = target.and_then(|t| blocked_rule(self.policy, t)) {
            out.add(code, domain, self.policy.blocked_domain_action);
        }
    }

    fn media(&self, post: &PostFacts, media: &mut dyn MediaLookup, out: &mut ItemScreening) {
        let rules = &self.policy.media;
        if post.attachments.is_empty() {
            return;
        }
        let n = post.attachments.len() + post.attachments_over_limit;
        out.attachments = n as u64;
        out.add(
            rule::HAS_MEDIA,
            format!("{n} attachment(s)"),
            rules.posts_with_media,
        );
        if post.attachments_over_limit > 0 {
            let detail = format!("{n} attachments; {} examined", post.attachments.len());
            out.add(rule::TOO_MANY_ATTACHMENTS, detail, rules.too_many);
        }
        for a in &post.attachments {
            let declared = a.media_type.as_deref().unwrap_or("");
            if let Some(allowed) = &rules.allowed_types
                && !allowed.iter().any(|p| p.matches(declared))
            {
                let shown = if declared.is_empty() {
                    "(none declared)"
                } else {
                    declared
                };
                out.add(
                    rule::MEDIA_TYPE_NOT_ALLOWED,
                    clip(shown),
                    rules.disallowed_type,
                );
            }
            let Some(url) = a.url.as_deref() else {
                continue;
            };
            match media.lookup(url) {
                MediaFile::NotApplicable => {}
                MediaFile::Missing => {
                    out.add(
                        rule::MEDIA_MISSING,
                        clip(archive_path(url)),
                        rules.missing_file,
                    );
                }
                MediaFile::Present(Some(sniffed)) if !sniffed.agrees_with(declared) => {
                    let detail = format!(
                        "declared {} but the file is {}",
                        clip(declared),
                        sniffed.name()
                    );
                    out.add(rule::MEDIA_TYPE_MISMATCH, detail, rules.type_mismatch);
                }
                MediaFile::Present(_) => {}
            }
        }
    }

    fn keywords(&self, post: &PostFacts, out: &mut ItemScreening) {
        if self.policy.keywords.is_empty() || post.text.is_empty() {
            return;
        }
        // Folded text first; then both sides reduced to their confusable skeletons, so
        // `frее` spelt with Cyrillic `е` still matches `free` (as profile keyword rules do).
        let text = normalize(&post.text, self.limits.max_text_chars);
        let text_skeleton = skeleton(&text);
        for k in &self.policy.keywords {
            if contains(&text, &k.pattern, k.whole_word)
                || contains(&text_skeleton, &k.skeleton, k.whole_word)
            {
                out.add(rule::KEYWORD, k.name.clone(), k.action);
            }
        }
    }
}

/// The block rule covering the host of `url`, if any.
fn blocked_rule(policy: &ImportPolicy, url: &str) -> Option<String> {
    let host = url::Url::parse(url).ok()?.host_str()?.to_owned();
    policy
        .blocked_domains
        .matching_rule(&host)
        .map(str::to_owned)
}

fn clip(s: &str) -> String {
    s.chars().take(200).collect()
}

impl ItemScreening {
    fn add(&mut self, rule: &'static str, detail: String, action: Action) {
        if action != Action::Accept {
            self.reasons.push(Reason {
                rule,
                detail,
                action,
            });
        }
    }

    fn finish(mut self) -> Self {
        self.status = self
            .reasons
            .iter()
            .map(|r| r.action)
            .max()
            .unwrap_or(Action::Accept);
        self
    }
}

/// `true` if `url`'s host is covered by the policy's blocked domains (likes, bookmarks).
pub fn is_blocked(policy: &ImportPolicy, url: &str) -> bool {
    blocked_rule(policy, url).is_some()
}
