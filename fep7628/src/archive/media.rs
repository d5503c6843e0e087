//! Media types: allow-list patterns (`image/png`, `image/*`), content sniffing of the first
//! bytes of a file, and the question screening asks about an attachment's file.

/// A media type pattern: `type/subtype`, or `type/*`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MediaTypePattern {
    top: String,
    sub: Option<String>,
}

impl MediaTypePattern {
    /// Parses `type/subtype` or `type/*` (case-insensitive; RFC 6838 token characters).
    pub fn parse(text: &str) -> Option<MediaTypePattern> {
        let lower = text.trim().to_ascii_lowercase();
        let (top, sub) = lower.split_once('/')?;
        let token = |s: &str| {
            !s.is_empty()
                && s.len() <= 127
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"!#$&-^_.+".contains(&b))
        };
        if !token(top) {
            return None;
        }
        let sub = match sub {
            "*" => None,
            s if token(s) => Some(s.to_owned()),
            _ => return None,
        };
        Some(MediaTypePattern {
            top: top.to_owned(),
            sub,
        })
    }

    /// `true` if `media_type` (lower case, no parameters) matches.
    pub fn matches(&self, media_type: &str) -> bool {
        let Some((top, sub)) = media_type.split_once('/') else {
            return false;
        };
        top == self.top && self.sub.as_deref().is_none_or(|s| s == sub)
    }
}

impl std::fmt::Display for MediaTypePattern {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.top, self.sub.as_deref().unwrap_or("*"))
    }
}

/// Bytes needed by [`sniff`].
pub const SNIFF_LEN: usize = 16;

/// What the first bytes of a file say it is (a family of media types), or `None` when
/// unknown.
pub fn sniff(head: &[u8]) -> Option<Sniffed> {
    let starts = |p: &[u8]| head.starts_with(p);
    Some(if starts(b"\x89PNG\r\n\x1a\n") {
        Sniffed::Png
    } else if starts(b"\xff\xd8\xff") {
        Sniffed::Jpeg
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Sniffed::Gif
    } else if starts(b"RIFF") && head.get(8..12) == Some(b"WEBP") {
        Sniffed::Webp
    } else if starts(b"RIFF") && head.get(8..12) == Some(b"WAVE") {
        Sniffed::Wav
    } else if head.get(4..8) == Some(b"ftyp") {
        Sniffed::IsoMedia
    } else if starts(b"\x1a\x45\xdf\xa3") {
        Sniffed::Matroska
    } else if starts(b"OggS") {
        Sniffed::Ogg
    } else if starts(b"ID3") || matches!(head, [0xff, b, ..] if b & 0xe0 == 0xe0) {
        Sniffed::Mpeg
    } else if starts(b"fLaC") {
        Sniffed::Flac
    } else if starts(b"MZ") {
        Sniffed::Executable("application/x-msdownload")
    } else if starts(b"\x7fELF") {
        Sniffed::Executable("application/x-executable")
    } else if starts(b"%PDF") {
        Sniffed::Other("application/pdf")
    } else if starts(b"PK\x03\x04") {
        Sniffed::Other("application/zip")
    } else {
        return None;
    })
}

/// A family of files recognised by their first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// GIF.
    Gif,
    /// WebP.
    Webp,
    /// RIFF WAVE.
    Wav,
    /// ISO base media (MP4, MOV, M4A, HEIF, AVIF).
    IsoMedia,
    /// Matroska / WebM.
    Matroska,
    /// Ogg.
    Ogg,
    /// MPEG audio.
    Mpeg,
    /// FLAC.
    Flac,
    /// A program.
    Executable(&'static str),
    /// Something else recognised.
    Other(&'static str),
}

impl Sniffed {
    /// A name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Sniffed::Png => "image/png",
            Sniffed::Jpeg => "image/jpeg",
            Sniffed::Gif => "image/gif",
            Sniffed::Webp => "image/webp",
            Sniffed::Wav => "audio/wav",
            Sniffed::IsoMedia => "video/mp4",
            Sniffed::Matroska => "video/webm",
            Sniffed::Ogg => "audio/ogg",
            Sniffed::Mpeg => "audio/mpeg",
            Sniffed::Flac => "audio/flac",
            Sniffed::Executable(t) | Sniffed::Other(t) => t,
        }
    }

    /// `true` if a file of this family may honestly be declared as `declared`.
    pub fn agrees_with(self, declared: &str) -> bool {
        let ok: &[&str] = match self {
            Sniffed::Png => &["image/png", "image/apng"],
            Sniffed::Jpeg => &["image/jpeg", "image/jpg", "image/pjpeg"],
            Sniffed::Gif => &["image/gif"],
            Sniffed::Webp => &["image/webp"],
            Sniffed::Wav => &["audio/wav", "audio/wave", "audio/x-wav", "audio/vnd.wave"],
            Sniffed::IsoMedia => &[
                "video/mp4",
                "video/quicktime",
                "audio/mp4",
                "audio/x-m4a",
                "audio/m4a",
                "image/heic",
                "image/heif",
                "image/avif",
                "video/3gpp",
            ],
            Sniffed::Matroska => &["video/webm", "audio/webm", "video/x-matroska"],
            Sniffed::Ogg => &["audio/ogg", "video/ogg", "audio/opus", "application/ogg"],
            Sniffed::Mpeg => &["audio/mpeg", "audio/mp3"],
            Sniffed::Flac => &["audio/flac", "audio/x-flac"],
            Sniffed::Executable(t) | Sniffed::Other(t) => return declared == t,
        };
        ok.contains(&declared)
    }
}

/// What the archive holds for an attachment's URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaFile {
    /// No files to look at (a plain outbox): only the declared type is screened.
    NotApplicable,
    /// The archive has no file at that path.
    Missing,
    /// The file is there; its first bytes say this (or nothing recognisable).
    Present(Option<Sniffed>),
}

/// Answers where an attachment's file is, for screening.
pub trait MediaLookup {
    /// The file for an attachment `url` as written in the post.
    fn lookup(&mut self, url: &str) -> MediaFile;
}

/// For plain outboxes: no files.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoMedia;

impl MediaLookup for NoMedia {
    fn lookup(&mut self, _: &str) -> MediaFile {
        MediaFile::NotApplicable
    }
}

/// The archive path of an attachment URL: Mastodon writes `/media_attachments/files/…`
/// (relative to the archive root); a full URL is looked up by its path.
pub fn archive_path(url: &str) -> &str {
    let path = match url.split_once("://") {
        Some((_, rest)) => rest
            .find('/')
            .map_or("", |i| rest.get(i..).unwrap_or_default()),
        None => url,
    };
    path.trim_start_matches('/')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        let p = MediaTypePattern::parse("Image/*").expect("valid");
        assert!(p.matches("image/png") && !p.matches("video/mp4"));
        let e = MediaTypePattern::parse("video/mp4").expect("valid");
        assert!(e.matches("video/mp4") && !e.matches("video/webm"));
        for bad in ["image", "*/*", "image/", "im age/png", "a/b/c"] {
            assert_eq!(MediaTypePattern::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn sniffs() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n0000"), Some(Sniffed::Png));
        assert_eq!(
            sniff(b"MZ\x90\x00"),
            Some(Sniffed::Executable("application/x-msdownload"))
        );
        assert_eq!(sniff(b"hello"), None);
        assert!(Sniffed::Jpeg.agrees_with("image/jpeg"));
        assert!(!Sniffed::Executable("application/x-msdownload").agrees_with("image/png"));
    }

    #[test]
    fn archive_paths() {
        assert_eq!(
            archive_path("/media_attachments/files/1.png"),
            "media_attachments/files/1.png"
        );
        assert_eq!(
            archive_path("https://a.example/system/m/1.png"),
            "system/m/1.png"
        );
        assert_eq!(archive_path("https://a.example"), "");
    }
}
