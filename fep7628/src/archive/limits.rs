//! Explicit limits on everything an archive or an outbox can make the reader do.

/// Limits of the archive and outbox readers. The defaults screen a real account of a few
/// hundred thousand posts in well under 128 MiB of heap.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Most entries in a zip archive (the zip reader keeps the central directory in memory).
    pub max_entries: usize,
    /// Most bytes all entries may declare together, uncompressed.
    pub max_total_uncompressed: u64,
    /// Highest compression ratio (uncompressed / compressed) of an entry larger than
    /// [`Self::ratio_floor`]; deflate reaches ~1032:1 on a zip bomb, real JSON ~5–30:1.
    pub max_ratio: u64,
    /// Entries smaller than this (uncompressed) are not ratio-checked.
    pub ratio_floor: u64,
    /// Largest `actor.json`.
    pub max_actor_bytes: u64,
    /// Largest `outbox.json` (or plain outbox file), uncompressed.
    pub max_outbox_bytes: u64,
    /// Largest `likes.json` / `bookmarks.json`.
    pub max_collection_bytes: u64,
    /// Soft limit on one item (approximate bytes of its values): a larger item is rejected
    /// (`item_too_large`) and reading goes on.
    pub max_item_bytes: u64,
    /// Hard limit on the raw bytes of one item (or of one top-level value): reading stops
    /// with [`ArchiveError::ValueTooLarge`](super::ArchiveError::ValueTooLarge).
    pub max_value_bytes: u64,
    /// Deepest nesting inside one item: a deeper item is rejected (`item_too_deep`). (JSON
    /// nested deeper than 128 levels stops reading: the parser's own recursion limit.)
    pub max_item_depth: usize,
    /// Most items in one collection.
    pub max_items: u64,
    /// Most held or rejected items listed in the report (the rest are counted).
    pub max_listed: usize,
    /// Most attachments examined per post (more is `too_many_attachments`).
    pub max_attachments: usize,
    /// Most recipients read from `to` + `cc`.
    pub max_recipients: usize,
    /// Most characters of text (content, summary, name) matched against keyword rules.
    pub max_text_chars: usize,
    /// Most distinct months counted; later ones fall into `other`.
    pub max_months: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_entries: 500_000,
            max_total_uncompressed: 64 << 30,
            max_ratio: 200,
            ratio_floor: 1 << 20,
            max_actor_bytes: 1 << 20,
            max_outbox_bytes: 8 << 30,
            max_collection_bytes: 1 << 30,
            max_item_bytes: 1 << 20,
            max_value_bytes: 16 << 20,
            max_item_depth: 32,
            max_items: 10_000_000,
            max_listed: 1_000,
            max_attachments: 16,
            max_recipients: 1_024,
            max_text_chars: 100_000,
            max_months: 1_200,
        }
    }
}
