//! Test corpus generator for `fep7628::archive`: writes Mastodon account archives (zip) with
//! signed (FEP-8b32, eddsa-jcs-2022, by the actor's Ed25519 key — through `assertionMethod`
//! and through `publicKey`), unsigned, tampered and wrongly-keyed posts, media files (honest,
//! disguised, disallowed, missing), replies to and boosts of a blocked domain (hidden behind a
//! subdomain), every visibility, dates over two years plus out-of-range and future ones,
//! keyword evasions (full-width, zero-width space), likes and bookmarks; and hostile archives.
//!
//! It records the ground truth of what it wrote ([`PostTruth`]); [`expected`] derives the
//! screening every post must get under [`TEST_POLICY`], so tests assert counts computed from
//! what was written, not numbers typed in. Shared by `fep7628/tests/archive_screening.rs`,
//! `fep7628/tests/report_screenshot.rs` and `benches/benches/fep7628_archive.rs`.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Seek, Write};

use identity_links::ed25519_dalek::SigningKey;
use identity_links::ed25519_dalek::pkcs8::EncodePublicKey as _;
use identity_links::ed25519_dalek::pkcs8::spki::der::pem::LineEnding;
use identity_links::multikey::encode_ed25519_public;
use identity_links::sign_object;
use serde_json::{Value, json};
use zip::ZipWriter;
use zip::write::SimpleFileOptions;

/// The archive's actor.
pub const ACTOR: &str = "https://old.example/users/alice";
/// The screening time used with the corpus: 2025-12-01T00:00:00Z.
pub const NOW: i64 = 1_764_547_200;
/// First month of the corpus: 2024-01-01T00:00:00Z.
const START: i64 = 1_704_067_200;
/// A date before the policy's `not_before` (2019-06-01T12:00:00Z).
const TOO_OLD: i64 = 1_559_390_400;
/// A date after [`NOW`] (2026-03-01T00:00:00Z).
const FUTURE: i64 = 1_772_323_200;
/// The domain the policy blocks; posts reply to a *subdomain* of it.
pub const BLOCKED: &str = "blocked.example";

/// The policy the corpus is screened with.
pub const TEST_POLICY: &str = r#"
# Tables other than [import] belong to other parts of the policy file and are ignored.
[domain_blocks]
csv = "blocks.csv"

[import]
unverified = "hold"
invalid_proof = "reject"

[import.media]
allowed_types = ["image/*", "video/mp4"]
disallowed_type = "reject"
missing_file = "hold"
type_mismatch = "reject"

[import.dates]
not_before = "2020-01-01"
outside = "hold"
future = "hold"

[import.visibility]
public = "accept"
unlisted = "accept"
followers = "hold"
direct = "reject"

[import.replies]
blocked_domains = ["Blocked.Example."]
action = "reject"

[[import.keywords]]
name = "crypto-spam"
pattern = "free crypto"
action = "reject"
"#;

/// How a post is signed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signing {
    /// No proof.
    None,
    /// Signed with the actor's `assertionMethod` Multikey.
    Valid,
    /// Signed with the same Ed25519 key named as the actor's `publicKey` (`#main-key`).
    ValidLegacyKey,
    /// Signed, then the content changed.
    Tampered,
    /// Signed by a key the actor does not list.
    WrongKey,
}

/// What a post's attachment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    /// No attachment.
    None,
    /// A real PNG declared `image/png`.
    Png,
    /// A Windows executable declared `image/png`.
    ExeAsPng,
    /// A Windows executable declared as such.
    Exe,
    /// Declared `image/jpeg`; no file in the archive.
    MissingJpeg,
}

/// Visibility as written (to/cc).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Vis {
    /// Public in `to`.
    Public,
    /// Public in `cc`.
    Unlisted,
    /// Followers only.
    Followers,
    /// One mentioned actor.
    Direct,
}

/// What was written for one outbox item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostTruth {
    /// Position in `orderedItems`.
    pub index: usize,
    /// An `Announce` (boost) rather than a `Create`.
    pub boost: bool,
    /// How it is signed.
    pub signing: Signing,
    /// Visibility.
    pub vis: Vis,
    /// `published`.
    pub published: i64,
    /// Replies to (or boosts) a post on a subdomain of [`BLOCKED`].
    pub blocked_target: bool,
    /// Contains the keyword (in an evasive spelling).
    pub keyword: bool,
    /// The attachment.
    pub media: Media,
}

/// What was written.
#[derive(Debug, Clone, Default)]
pub struct Truth {
    /// Every outbox item.
    pub posts: Vec<PostTruth>,
    /// Likes written / on the blocked domain.
    pub likes: (u64, u64),
    /// Bookmarks written / on the blocked domain.
    pub bookmarks: (u64, u64),
    /// Files under `media_attachments/`.
    pub media_files: u64,
}

/// Shape of a generated archive.
#[derive(Debug, Clone)]
pub struct Corpus {
    /// Outbox items.
    pub posts: usize,
    /// Likes.
    pub likes: usize,
    /// Bookmarks.
    pub bookmarks: usize,
    /// Sign posts (false: every post unsigned; faster for huge corpora).
    pub sign: bool,
}

impl Corpus {
    /// `posts` items, a tenth as many likes and bookmarks, signed.
    pub fn new(posts: usize) -> Self {
        Corpus {
            posts,
            likes: posts / 10 + 3,
            bookmarks: posts / 20 + 2,
            sign: true,
        }
    }
}

/// The actor's key (deterministic).
pub fn actor_key() -> SigningKey {
    SigningKey::from_bytes(&[42; 32])
}

/// `actor.json`.
pub fn actor_document() -> Value {
    let key = actor_key();
    let pem = key
        .verifying_key()
        .to_public_key_pem(LineEnding::LF)
        .unwrap_or_default();
    json!({
        "@context": ["https://www.w3.org/ns/activitystreams", "https://w3id.org/security/v1",
            "https://w3id.org/security/multikey/v1"],
        "id": ACTOR,
        "type": "Person",
        "preferredUsername": "alice",
        "inbox": format!("{ACTOR}/inbox"),
        "outbox": "outbox.json",
        "followers": format!("{ACTOR}/followers"),
        "publicKey": {"id": format!("{ACTOR}#main-key"), "owner": ACTOR, "publicKeyPem": pem},
        "assertionMethod": [{
            "id": format!("{ACTOR}#ed25519-key"),
            "type": "Multikey",
            "controller": ACTOR,
            "publicKeyMultibase": encode_ed25519_public(&key.verifying_key()),
        }],
    })
}

/// The plan for item `i` (deterministic).
pub fn plan(i: usize) -> PostTruth {
    let boost = i % 17 == 16;
    let signing = if boost {
        Signing::None
    } else {
        match i % 10 {
            0..=3 => Signing::Valid,
            4 => Signing::ValidLegacyKey,
            5 | 6 => Signing::None,
            7 | 8 => Signing::Tampered,
            _ => Signing::WrongKey,
        }
    };
    let vis = if boost {
        Vis::Public
    } else {
        match i % 7 {
            0..=2 => Vis::Public,
            3 => Vis::Unlisted,
            4 | 5 => Vis::Followers,
            _ => Vis::Direct,
        }
    };
    let published = if i % 50 == 3 {
        TOO_OLD
    } else if i % 97 == 5 {
        FUTURE
    } else {
        // Spread over 24 months from START (about 30.4 days apart).
        START + ((i % 24) as i64) * 2_629_800 + (i as i64 % 1_000) * 60
    };
    let blocked_target = if boost { i % 34 == 16 } else { i % 13 == 2 };
    let media = if boost {
        Media::None
    } else {
        match i % 9 {
            1 => Media::Png,
            3 => Media::ExeAsPng,
            5 => Media::Exe,
            7 => Media::MissingJpeg,
            _ => Media::None,
        }
    };
    PostTruth {
        index: i,
        boost,
        signing,
        vis,
        published,
        blocked_target,
        keyword: !boost && (i % 11 == 4 || i % 11 == 9),
        media,
    }
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";
const EXE: &[u8] = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00This program cannot be run in DOS mode.";

fn xsd(unix: i64) -> String {
    fep7628::signals::Timestamp::from_unix(unix)
        .as_str()
        .to_owned()
}

/// The `YYYY-MM` of a Unix time.
pub fn month(unix: i64) -> String {
    xsd(unix).get(..7).unwrap_or_default().to_owned()
}

/// The outbox item for `t`, and the media file it needs (path, bytes).
pub fn item(
    t: &PostTruth,
    key: &SigningKey,
    other: &SigningKey,
) -> (Value, Option<(String, &'static [u8])>) {
    let i = t.index;
    let public = "https://www.w3.org/ns/activitystreams#Public";
    let followers = format!("{ACTOR}/followers");
    let (to, cc) = match t.vis {
        Vis::Public => (json!([public]), json!([followers])),
        Vis::Unlisted => (json!([followers]), json!([public])),
        Vis::Followers => (json!([followers]), json!([])),
        Vis::Direct => (json!(["https://friend.example/users/bob"]), json!([])),
    };
    let published = xsd(t.published);
    let target_host = if t.blocked_target {
        format!("social.{BLOCKED}")
    } else {
        "friendly.example".to_owned()
    };
    if t.boost {
        let item = json!({
            "id": format!("{ACTOR}/statuses/{i}/activity"),
            "type": "Announce",
            "actor": ACTOR,
            "published": published,
            "to": to,
            "cc": cc,
            "object": format!("https://{target_host}/notes/{i}"),
        });
        return (item, None);
    }
    let text = if t.keyword {
        if i.is_multiple_of(2) {
            format!("<p>Post {i}: ＦＲＥＥ <b>Crypto</b> for everyone</p>")
        } else {
            format!("<p>Post {i}: get fr\u{200B}ee cry&#112;to today</p>")
        }
    } else {
        format!("<p>Post number {i} about gardening &amp; &lt;tomatoes&gt;</p>")
    };
    let mut file = None;
    let attachment = match t.media {
        Media::None => json!([]),
        m => {
            let (declared, ext, bytes) = match m {
                Media::Png => ("image/png", "png", Some(PNG)),
                Media::ExeAsPng => ("image/png", "png", Some(EXE)),
                Media::Exe => ("application/x-msdownload", "exe", Some(EXE)),
                _ => ("image/jpeg", "jpg", None),
            };
            let path = format!(
                "media_attachments/files/{:03}/{:03}/original/{i}.{ext}",
                i / 1000 % 1000,
                i % 1000
            );
            if let Some(b) = bytes {
                file = Some((path.clone(), b));
            }
            json!([{"type": "Document", "mediaType": declared, "url": format!("/{path}"),
                "name": "an attachment", "blurhash": "UBL_:rOpGG-oBUNG,qRj2so|=eE1w^n4S5NH"}])
        }
    };
    let mut object = json!({
        "id": format!("{ACTOR}/statuses/{i}"),
        "type": "Note",
        "attributedTo": ACTOR,
        "published": published,
        "to": to,
        "cc": cc,
        "sensitive": false,
        "content": text,
        "attachment": attachment,
        "tag": [],
    });
    if i % 13 == 2 || i % 13 == 7 {
        object["inReplyTo"] = json!(format!("https://{target_host}/notes/{i}"));
    }
    let create = json!({
        "id": format!("{ACTOR}/statuses/{i}/activity"),
        "type": "Create",
        "actor": ACTOR,
        "published": published,
        "to": to,
        "cc": cc,
        "object": object,
    });
    let sign = |key: &SigningKey, vm: &str| {
        sign_object(&create, key, vm, "2025-06-01T00:00:00Z").unwrap_or(Value::Null)
    };
    let item = match t.signing {
        Signing::None => create,
        Signing::Valid => sign(key, &format!("{ACTOR}#ed25519-key")),
        Signing::ValidLegacyKey => sign(key, &format!("{ACTOR}#main-key")),
        Signing::WrongKey => sign(other, &format!("{ACTOR}#other-key")),
        Signing::Tampered => {
            let mut v = sign(key, &format!("{ACTOR}#ed25519-key"));
            if let Some(c) = v.pointer_mut("/object/content") {
                *c = json!(format!(
                    "{} (edited after signing)",
                    c.as_str().unwrap_or("")
                ));
            }
            v
        }
    };
    (item, file)
}

fn deflated() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)
}

fn stored() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored)
}

/// Writes a Mastodon archive of `corpus` to `w`; returns what it wrote.
pub fn write_archive<W: Write + Seek>(w: W, corpus: &Corpus) -> zip::result::ZipResult<Truth> {
    let key = actor_key();
    let other = SigningKey::from_bytes(&[7; 32]);
    let mut zip = ZipWriter::new(w);
    let mut truth = Truth::default();
    zip.start_file("actor.json", deflated())?;
    zip.write_all(actor_document().to_string().as_bytes())?;
    // outbox.json, streamed; media files are collected (small) and written after it.
    let mut files: Vec<(String, &'static [u8])> = Vec::new();
    zip.start_file("outbox.json", deflated())?;
    write!(
        zip,
        r#"{{"@context":"https://www.w3.org/ns/activitystreams","id":"outbox.json","type":"OrderedCollection","totalItems":{},"orderedItems":["#,
        corpus.posts
    )?;
    for i in 0..corpus.posts {
        let mut t = plan(i);
        if !corpus.sign {
            t.signing = Signing::None;
        }
        let (item, file) = item(&t, &key, &other);
        if i > 0 {
            zip.write_all(b",")?;
        }
        serde_json::to_writer(&mut zip, &item).map_err(std::io::Error::other)?;
        if let Some(f) = file {
            files.push(f);
        }
        truth.posts.push(t);
    }
    zip.write_all(b"]}")?;
    for (name, n, blocked_every) in [
        ("likes.json", corpus.likes, 4),
        ("bookmarks.json", corpus.bookmarks, 5),
    ] {
        zip.start_file(name, deflated())?;
        let mut blocked = 0u64;
        let items: Vec<String> = (0..n)
            .map(|k| {
                if k % blocked_every == 1 {
                    blocked += 1;
                    format!("https://www.{BLOCKED}/notes/{k}")
                } else {
                    format!("https://friendly.example/notes/{k}")
                }
            })
            .collect();
        let doc = json!({"@context": "https://www.w3.org/ns/activitystreams", "id": name,
            "type": "OrderedCollection", "orderedItems": items});
        zip.write_all(doc.to_string().as_bytes())?;
        if name == "likes.json" {
            truth.likes = (n as u64, blocked);
        } else {
            truth.bookmarks = (n as u64, blocked);
        }
    }
    for (name, bytes) in &files {
        zip.start_file(name.as_str(), stored())?;
        zip.write_all(bytes)?;
    }
    truth.media_files = files.len() as u64;
    zip.finish()?;
    Ok(truth)
}

/// An archive in memory.
pub fn archive_bytes(corpus: &Corpus) -> (Vec<u8>, Truth) {
    let mut cursor = std::io::Cursor::new(Vec::new());
    let truth = write_archive(&mut cursor, corpus).unwrap_or_default();
    (cursor.into_inner(), truth)
}

/// The expected screening of one post under [`TEST_POLICY`] at [`NOW`]: (rule, action) pairs
/// for every rule that holds or rejects it. Derived from the ground truth, not by screening.
pub fn expected_reasons(t: &PostTruth) -> Vec<(&'static str, &'static str)> {
    let mut r = Vec::new();
    match t.signing {
        Signing::None => r.push(("unverified_provenance", "hold")),
        Signing::Tampered | Signing::WrongKey => r.push(("invalid_proof", "reject")),
        Signing::Valid | Signing::ValidLegacyKey => {}
    }
    if t.published == TOO_OLD {
        r.push(("date_out_of_range", "hold"));
    }
    if t.published > NOW {
        r.push(("date_in_future", "hold"));
    }
    match t.vis {
        Vis::Followers => r.push(("visibility_followers", "hold")),
        Vis::Direct => r.push(("visibility_direct", "reject")),
        Vis::Public | Vis::Unlisted => {}
    }
    if t.blocked_target {
        r.push(if t.boost {
            ("boost_of_blocked_domain", "reject")
        } else {
            ("reply_to_blocked_domain", "reject")
        });
    }
    match t.media {
        Media::ExeAsPng => r.push(("media_type_mismatch", "reject")),
        Media::Exe => r.push(("media_type_not_allowed", "reject")),
        Media::MissingJpeg => r.push(("media_missing", "hold")),
        Media::None | Media::Png => {}
    }
    if t.keyword {
        r.push(("keyword", "reject"));
    }
    r
}

/// The expected status of one post: the most severe action among its reasons.
pub fn expected_status(t: &PostTruth) -> &'static str {
    let r = expected_reasons(t);
    if r.iter().any(|(_, a)| *a == "reject") {
        "reject"
    } else if r.is_empty() {
        "accept"
    } else {
        "hold"
    }
}

/// Expected counts for a whole corpus.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expected {
    /// accept / hold / reject.
    pub status: BTreeMap<&'static str, u64>,
    /// verified / unverified / invalid.
    pub provenance: BTreeMap<&'static str, u64>,
    /// rule → (hold, reject).
    pub rules: BTreeMap<&'static str, (u64, u64)>,
    /// month → (accept, hold, reject).
    pub months: BTreeMap<String, (u64, u64, u64)>,
    /// Items with media; attachments.
    pub media: (u64, u64),
}

/// Expected counts of `truth` under [`TEST_POLICY`].
pub fn expected(truth: &Truth) -> Expected {
    let mut e = Expected::default();
    for t in &truth.posts {
        let status = expected_status(t);
        *e.status.entry(status).or_default() += 1;
        let provenance = match t.signing {
            Signing::None => "unverified",
            Signing::Valid | Signing::ValidLegacyKey => "verified",
            Signing::Tampered | Signing::WrongKey => "invalid",
        };
        *e.provenance.entry(provenance).or_default() += 1;
        for (rule, action) in expected_reasons(t) {
            let slot = e.rules.entry(rule).or_default();
            if action == "hold" {
                slot.0 += 1;
            } else {
                slot.1 += 1;
            }
        }
        let m = e.months.entry(month(t.published)).or_default();
        match status {
            "accept" => m.0 += 1,
            "hold" => m.1 += 1,
            _ => m.2 += 1,
        }
        if t.media != Media::None {
            e.media.0 += 1;
            e.media.1 += 1;
        }
    }
    e
}

/// A zip whose `outbox.json` is `size` zero bytes, deflated (ratio ~1000:1).
pub fn zip_bomb(size: usize) -> Vec<u8> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let _ = zip.start_file("actor.json", deflated());
    let _ = zip.write_all(actor_document().to_string().as_bytes());
    let _ = zip.start_file(
        "outbox.json",
        deflated().large_file(size as u64 > u32::MAX as u64),
    );
    let chunk = vec![0u8; 1 << 20];
    let mut left = size;
    while left > 0 {
        let n = left.min(chunk.len());
        let _ = zip.write_all(&chunk[..n]);
        left -= n;
    }
    zip.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// A zip with the given (name, bytes) entries, deflated.
pub fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut zip = ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        let _ = zip.start_file(*name, deflated());
        let _ = zip.write_all(bytes);
    }
    zip.finish().map(|c| c.into_inner()).unwrap_or_default()
}

/// An outbox document with the given items (JSON text each).
pub fn outbox_with(items: &[String]) -> String {
    format!(
        r#"{{"type":"OrderedCollection","totalItems":{},"orderedItems":[{}]}}"#,
        items.len(),
        items.join(",")
    )
}
