//! The entry points: screen a Mastodon account archive or a plain outbox, streaming.

use std::io::Read;

use serde_json::Value;

use super::collection::{RawItem, for_each_item};
use super::error::ArchiveError;
use super::limits::Limits;
use super::media::{MediaLookup, NoMedia};
use super::policy::ImportPolicy;
use super::provenance::OriginActor;
use super::report::{LinkCounts, ReportBuilder, ScreeningReport};
use super::screen::{Screener, is_blocked};
use super::zip_source::{
    ACTOR, ArchiveMedia, ArchiveSource, BOOKMARKS, LIKES, OUTBOX, open_checked, read_entry,
};

/// Screens a Mastodon account archive: `actor.json` gives the origin actor and its keys,
/// `outbox.json` is streamed item by item, media files are looked up (and sniffed) as posts
/// name them, `likes.json` and `bookmarks.json` are counted against the blocked domains.
///
/// `now` is the screening time (Unix seconds): posts published later are `date_in_future`.
pub fn screen_mastodon_archive<S: ArchiveSource>(
    source: &S,
    policy: &ImportPolicy,
    now: i64,
    limits: &Limits,
) -> Result<ScreeningReport, ArchiveError> {
    let open = |what: &str| source.open().map_err(|e| ArchiveError::io(what, &e));
    let (mut zip, index) = open_checked(open("archive")?, limits)?;
    let Some(_) = index.actor else {
        return Err(ArchiveError::MissingEntry { name: ACTOR.into() });
    };
    let Some(outbox_size) = index.outbox else {
        return Err(ArchiveError::MissingEntry {
            name: OUTBOX.into(),
        });
    };
    let actor_bytes = read_entry(&mut zip, ACTOR, limits.max_actor_bytes)?;
    let actor: Value =
        serde_json::from_slice(&actor_bytes).map_err(|e| ArchiveError::InvalidJson {
            at: ACTOR.into(),
            line: e.line(),
            column: e.column(),
            message: e.to_string(),
        })?;
    drop(actor_bytes);
    let origin = OriginActor::from_document(actor)?;
    // A second handle for media lookups while the first streams the outbox.
    let (media_zip, _) = open_checked(open("archive")?, limits)?;
    let mut media = ArchiveMedia::new(media_zip);
    let mut report = ReportBuilder::new(
        "mastodon_archive",
        Some(origin.id().to_owned()),
        now,
        limits,
    );
    report.files_in_archive(index.media_files);
    let screener = Screener::new(policy, Some(&origin), now, limits);
    {
        let entry = zip.by_name(OUTBOX).map_err(|e| ArchiveError::InvalidZip {
            message: format!("{OUTBOX}: {e}"),
        })?;
        let cap = outbox_size.min(limits.max_outbox_bytes);
        let info = stream(
            entry,
            OUTBOX,
            cap,
            limits,
            &screener,
            &mut media,
            &mut report,
        )?;
        report.declared_total_items(info);
    }
    let likes = match index.likes {
        Some(size) => Some(links(&mut zip, LIKES, size, policy, limits)?),
        None => None,
    };
    let bookmarks = match index.bookmarks {
        Some(size) => Some(links(&mut zip, BOOKMARKS, size, policy, limits)?),
        None => None,
    };
    report.links(likes, bookmarks);
    Ok(report.finish())
}

/// Screens a plain ActivityStreams outbox (an `OrderedCollection` or `OrderedCollectionPage`
/// with embedded items), streaming. `actor` is the outbox owner's document when the caller has
/// it: without it, proofs cannot be verified (posts are `unverified`) and authorship is not
/// checked. Media are screened by declared type only (there are no files).
///
/// ```
/// use fep7628::archive::{ImportPolicy, Limits, screen_outbox};
/// let outbox = br#"{"type": "OrderedCollection", "orderedItems": [
///   {"type": "Create", "actor": "https://a.example/users/al", "id": "https://a.example/1/act",
///    "object": {"type": "Note", "content": "hello", "published": "2025-01-01T00:00:00Z",
///               "to": ["https://www.w3.org/ns/activitystreams#Public"]}},
///   {"type": "Create", "actor": "https://a.example/users/al", "id": "https://a.example/2/act",
///    "object": {"type": "Note", "content": "psst", "published": "2025-01-02T00:00:00Z",
///               "to": ["https://b.example/users/bo"]}}
/// ]}"#;
/// let report = screen_outbox(&outbox[..], "outbox.json", None, &ImportPolicy::default(),
///     1_764_547_200, &Limits::default())?;
/// assert_eq!((report.totals.accept, report.totals.reject), (1, 1));
/// assert_eq!(report.items[0].reasons[0].rule, "visibility_direct");
/// assert_eq!(report.provenance.unverified, 2);
/// # Ok::<(), fep7628::archive::ArchiveError>(())
/// ```
pub fn screen_outbox<R: Read>(
    reader: R,
    name: &str,
    actor: Option<&OriginActor>,
    policy: &ImportPolicy,
    now: i64,
    limits: &Limits,
) -> Result<ScreeningReport, ArchiveError> {
    let mut report = ReportBuilder::new("outbox", actor.map(|a| a.id().to_owned()), now, limits);
    let screener = Screener::new(policy, actor, now, limits);
    let info = stream(
        reader,
        name,
        limits.max_outbox_bytes,
        limits,
        &screener,
        &mut NoMedia,
        &mut report,
    )?;
    report.declared_total_items(info);
    Ok(report.finish())
}

fn stream<R: Read>(
    reader: R,
    name: &str,
    cap: u64,
    limits: &Limits,
    screener: &Screener<'_>,
    media: &mut dyn MediaLookup,
    report: &mut ReportBuilder,
) -> Result<Option<u64>, ArchiveError> {
    let info = for_each_item(reader, name, cap, limits, |index, item| {
        report.add(screener.screen(index, &item, media));
        Ok(())
    })?;
    Ok(info.total_items)
}

/// Counts a likes / bookmarks collection (items are URLs or objects with an `id`).
fn links<R: Read + std::io::Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
    size: u64,
    policy: &ImportPolicy,
    limits: &Limits,
) -> Result<LinkCounts, ArchiveError> {
    let entry = zip.by_name(name).map_err(|e| ArchiveError::InvalidZip {
        message: format!("{name}: {e}"),
    })?;
    let mut counts = LinkCounts::default();
    let cap = size.min(limits.max_collection_bytes);
    for_each_item(entry, name, cap, limits, |_, item| {
        counts.total += 1;
        let url = match &item {
            RawItem::Value(Value::String(s)) => Some(s.as_str()),
            RawItem::Value(Value::Object(o)) => o.get("id").and_then(Value::as_str),
            _ => None,
        };
        if url.is_some_and(|u| is_blocked(policy, u)) {
            counts.blocked_domain += 1;
        }
        Ok(())
    })?;
    Ok(counts)
}
