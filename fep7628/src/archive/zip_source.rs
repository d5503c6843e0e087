//! Opening a Mastodon account archive (zip) safely: every entry name is checked, declared
//! sizes and compression ratios are bounded before anything is decompressed, and reads are
//! capped by the declared size, so a lying header cannot inflate past it.

use std::collections::HashSet;
use std::fs::File;
use std::io::{self, BufReader, Cursor, Read, Seek};
use std::path::PathBuf;

use zip::ZipArchive;
use zip::read::OwnedZipFileEntry;

use super::error::ArchiveError;
use super::limits::Limits;
use super::media::{MediaFile, MediaLookup, SNIFF_LEN, archive_path, sniff};

/// Something an archive can be read from, opened as often as needed (the outbox is streamed
/// through one handle while media files are looked up through another).
pub trait ArchiveSource {
    /// The reader.
    type Reader: Read + Seek;
    /// Opens a new reader at the start.
    fn open(&self) -> io::Result<Self::Reader>;
}

impl<'a> ArchiveSource for &'a [u8] {
    type Reader = Cursor<&'a [u8]>;
    fn open(&self) -> io::Result<Self::Reader> {
        Ok(Cursor::new(self))
    }
}

/// An archive file on disk.
#[derive(Debug, Clone)]
pub struct FileSource(pub PathBuf);

impl ArchiveSource for FileSource {
    type Reader = BufReader<File>;
    fn open(&self) -> io::Result<Self::Reader> {
        File::open(&self.0).map(|f| BufReader::with_capacity(64 * 1024, f))
    }
}

/// The well-known entries of a Mastodon archive.
pub const ACTOR: &str = "actor.json";
/// The outbox.
pub const OUTBOX: &str = "outbox.json";
/// Liked posts.
pub const LIKES: &str = "likes.json";
/// Bookmarked posts.
pub const BOOKMARKS: &str = "bookmarks.json";
/// Where media files live.
pub const MEDIA_PREFIX: &str = "media_attachments/";

/// What the central directory says, once checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveIndex {
    /// Entries.
    pub entries: usize,
    /// Media files (`media_attachments/…`).
    pub media_files: u64,
    /// Declared uncompressed size of each well-known entry present.
    pub actor: Option<u64>,
    /// `outbox.json`'s declared size.
    pub outbox: Option<u64>,
    /// `likes.json`'s declared size.
    pub likes: Option<u64>,
    /// `bookmarks.json`'s declared size.
    pub bookmarks: Option<u64>,
}

/// Opens the zip and checks its central directory against `limits`.
pub fn open_checked<R: Read + Seek>(
    reader: R,
    limits: &Limits,
) -> Result<(ZipArchive<R>, ArchiveIndex), ArchiveError> {
    let zip = ZipArchive::new(reader).map_err(|e| ArchiveError::InvalidZip {
        message: e.to_string(),
    })?;
    if zip.len() > limits.max_entries {
        return Err(ArchiveError::TooManyEntries {
            count: zip.len(),
            limit: limits.max_entries,
        });
    }
    if zip.has_duplicate_names() {
        return Err(ArchiveError::DuplicateEntryNames);
    }
    let meta = zip.metadata();
    let mut index = ArchiveIndex {
        entries: zip.len(),
        media_files: 0,
        actor: None,
        outbox: None,
        likes: None,
        bookmarks: None,
    };
    let mut total: u128 = 0;
    let mut seen = HashSet::new();
    for i in 0..zip.len() {
        let entry =
            OwnedZipFileEntry::from(meta.entry(i).map_err(|e| ArchiveError::InvalidZip {
                message: e.to_string(),
            })?);
        let name = match entry.name() {
            Ok(n) => n.into_owned(),
            Err(_) => {
                return Err(ArchiveError::UnsafeEntryName {
                    name: String::from_utf8_lossy(entry.name_raw()).into_owned(),
                });
            }
        };
        if !is_safe_name(&name) || entry.enclosed_name().is_none() {
            return Err(ArchiveError::UnsafeEntryName { name });
        }
        // Names that differ only by a trailing slash or case would extract onto each other.
        if !seen.insert(name.trim_end_matches('/').to_lowercase()) {
            return Err(ArchiveError::DuplicateEntryNames);
        }
        let size = entry.size();
        total = total.saturating_add(u128::from(size));
        if total > u128::from(limits.max_total_uncompressed) {
            return Err(ArchiveError::ArchiveTooLarge {
                total,
                limit: limits.max_total_uncompressed,
            });
        }
        let ratio = size / entry.compressed_size().max(1);
        if size > limits.ratio_floor && ratio > limits.max_ratio {
            return Err(ArchiveError::ZipBomb {
                name,
                ratio,
                limit: limits.max_ratio,
            });
        }
        let (slot, limit) = match name.as_str() {
            ACTOR => (&mut index.actor, limits.max_actor_bytes),
            OUTBOX => (&mut index.outbox, limits.max_outbox_bytes),
            LIKES => (&mut index.likes, limits.max_collection_bytes),
            BOOKMARKS => (&mut index.bookmarks, limits.max_collection_bytes),
            n => {
                if n.starts_with(MEDIA_PREFIX) && !entry.is_dir() {
                    index.media_files += 1;
                }
                continue;
            }
        };
        if size > limit {
            return Err(ArchiveError::EntryTooLarge { name, limit });
        }
        *slot = Some(size);
    }
    Ok((zip, index))
}

/// A relative path of plain components: no leading `/`, no `..` or `.` component, no
/// backslash, NUL, control character or drive letter.
fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('/')
        && !name.contains('\\')
        && !name.chars().any(char::is_control)
        && name
            .trim_end_matches('/')
            .split('/')
            .all(|c| !c.is_empty() && c != ".." && c != "." && !c.contains(':'))
}

/// Reads a whole (small) entry, at most `limit` bytes and never more than it declared.
pub fn read_entry<R: Read + Seek>(
    zip: &mut ZipArchive<R>,
    name: &str,
    limit: u64,
) -> Result<Vec<u8>, ArchiveError> {
    let mut file = zip.by_name(name).map_err(|e| ArchiveError::InvalidZip {
        message: format!("{name}: {e}"),
    })?;
    let cap = file.size().min(limit);
    let mut buf = Vec::new();
    file.by_ref()
        .take(cap.saturating_add(1))
        .read_to_end(&mut buf)
        .map_err(|e| ArchiveError::io(name, &e))?;
    if buf.len() as u64 > cap {
        return Err(if cap < limit {
            ArchiveError::SizeMismatch {
                name: name.to_owned(),
                declared: cap,
            }
        } else {
            ArchiveError::EntryTooLarge {
                name: name.to_owned(),
                limit,
            }
        });
    }
    Ok(buf)
}

/// Media lookups in the archive: is the file there, and what do its first bytes say.
pub struct ArchiveMedia<R> {
    zip: ZipArchive<R>,
}

impl<R> ArchiveMedia<R> {
    /// Looks media up in `zip` (a second handle on the archive being screened).
    pub fn new(zip: ZipArchive<R>) -> Self {
        ArchiveMedia { zip }
    }
}

impl<R: Read + Seek> MediaLookup for ArchiveMedia<R> {
    fn lookup(&mut self, url: &str) -> MediaFile {
        let path = archive_path(url);
        if path.is_empty() || !is_safe_name(path) {
            return MediaFile::Missing;
        }
        let Some(i) = self.zip.index_for_name(path) else {
            return MediaFile::Missing;
        };
        let Ok(mut file) = self.zip.by_index(i) else {
            return MediaFile::Present(None);
        };
        if file.is_dir() {
            return MediaFile::Missing;
        }
        let mut head = [0u8; SNIFF_LEN];
        let mut n = 0;
        while n < SNIFF_LEN {
            match file.read(head.get_mut(n..).unwrap_or_default()) {
                Ok(0) | Err(_) => break,
                Ok(k) => n += k,
            }
        }
        MediaFile::Present(sniff(head.get(..n).unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use super::is_safe_name;

    #[test]
    fn entry_names() {
        for ok in ["outbox.json", "media_attachments/files/1/a.png", "dir/"] {
            assert!(is_safe_name(ok), "{ok}");
        }
        for bad in [
            "../x",
            "a/../../x",
            "/etc/passwd",
            "a\\b",
            "c:/x",
            "a//b",
            "./a",
            "a\0b",
            "",
        ] {
            assert!(!is_safe_name(bad), "{bad:?}");
        }
    }
}
