//! `screen-archive`: screen a Mastodon account archive or an outbox for import.

use std::io::Read as _;

use fep7628::archive::{
    ArchiveError, FileSource, ImportPolicy, Limits, OriginActor, html, screen_mastodon_archive,
    screen_outbox,
};

use crate::cli::ScreenArchiveArgs;
use crate::input::{MAX_DOCUMENT, read_json, read_text};
use crate::now_or_clock;
use crate::output::{CliError, EXIT_INVALID, EXIT_VALID, Report};

/// Largest policy file.
const MAX_POLICY: usize = 4 * 1024 * 1024;

/// Runs `screen-archive`.
pub fn run(args: &ScreenArchiveArgs) -> Result<Report, CliError> {
    let text = read_text(&args.policy, MAX_POLICY).map_err(|e| CliError {
        kind: if e.kind == "invalid_key" {
            "invalid_policy".into()
        } else {
            e.kind.clone()
        },
        ..e
    })?;
    let policy = ImportPolicy::from_toml(&text).map_err(|e| archive_error(&e, &args.policy))?;
    let limits = Limits {
        max_listed: args.max_listed,
        ..Limits::default()
    };
    let now = now_or_clock(args.now);
    let path = args.archive.as_str();
    let mut head = [0u8; 4];
    let n = std::fs::File::open(path)
        .and_then(|mut f| f.read(&mut head))
        .map_err(|e| CliError::usage("io", format!("{path}: {e}"), Some(path)))?;
    let report = if head.get(..n).is_some_and(|h| h.starts_with(b"PK")) {
        screen_mastodon_archive(&FileSource(path.into()), &policy, now, &limits)
    } else {
        let actor = match &args.actor {
            Some(a) => {
                let (_, doc) = read_json(a, MAX_DOCUMENT)?;
                Some(OriginActor::from_document(doc).map_err(|e| archive_error(&e, a))?)
            }
            None => None,
        };
        let file = std::fs::File::open(path)
            .map_err(|e| CliError::usage("io", format!("{path}: {e}"), Some(path)))?;
        screen_outbox(file, path, actor.as_ref(), &policy, now, &limits)
    }
    .map_err(|e| archive_error(&e, path))?;
    let json = report.to_json();
    if let Some(out) = &args.json {
        write(out, format!("{json}\n").as_bytes())?;
    }
    if let Some(out) = &args.html {
        write(out, html::render(&report).as_bytes())?;
    }
    let code = if report.valid {
        EXIT_VALID
    } else {
        EXIT_INVALID
    };
    Ok(Report::json(code, json))
}

fn write(path: &str, bytes: &[u8]) -> Result<(), CliError> {
    std::fs::write(path, bytes)
        .map_err(|e| CliError::usage("io", format!("{path}: {e}"), Some(path)))
}

/// Every archive error is exit 2: the input could not be screened at all. `at` names the file
/// and, when known, the place in it.
fn archive_error(e: &ArchiveError, file: &str) -> CliError {
    let at = match e.at() {
        Some(at) if at.starts_with(file) => at,
        Some(at) => format!("{file}:{at}"),
        None => file.to_owned(),
    };
    CliError::usage(e.kind(), e.to_string(), Some(at))
}
