//! Reading inputs (files or `-` for stdin) with size limits: a 50 MiB random file is refused
//! after reading `limit + 1` bytes, never loaded whole.

use std::io::Read as _;

use serde_json::Value;

use crate::output::CliError;

/// Default cap on a JSON document (actor, activity, key file).
pub const MAX_DOCUMENT: usize = 4 * 1024 * 1024;
/// Cap on a key file.
pub const MAX_KEY_FILE: usize = 64 * 1024;

/// Reads `path` (or stdin for `-`), refusing more than `limit` bytes.
pub fn read_limited(path: &str, limit: usize) -> Result<Vec<u8>, CliError> {
    let cap = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    let mut buf = Vec::new();
    let result = if path == "-" {
        std::io::stdin().lock().take(cap).read_to_end(&mut buf)
    } else {
        let meta = std::fs::metadata(path).map_err(|e| io_error(path, &e))?;
        if meta.is_dir() {
            return Err(CliError::usage(
                "io",
                format!("{path} is a directory"),
                Some(path),
            ));
        }
        std::fs::File::open(path).and_then(|f| f.take(cap).read_to_end(&mut buf))
    };
    result.map_err(|e| io_error(path, &e))?;
    if buf.len() > limit {
        return Err(CliError::usage(
            "input_too_large",
            format!("{path} is larger than the limit of {limit} bytes"),
            Some(path),
        ));
    }
    Ok(buf)
}

/// Reads a JSON document (any JSON value; the library decides what it accepts).
pub fn read_json(path: &str, limit: usize) -> Result<(Vec<u8>, Value), CliError> {
    let bytes = read_limited(path, limit)?;
    let value = parse_json(&bytes, path)?;
    Ok((bytes, value))
}

/// Parses JSON, with the error located at the file.
pub fn parse_json(bytes: &[u8], path: &str) -> Result<Value, CliError> {
    serde_json::from_slice(bytes)
        .map_err(|e| CliError::usage("invalid_json", format!("{path}: not JSON: {e}"), Some(path)))
}

/// Reads a small text file (keys).
pub fn read_text(path: &str, limit: usize) -> Result<String, CliError> {
    let bytes = read_limited(path, limit)?;
    String::from_utf8(bytes)
        .map_err(|_| CliError::usage("invalid_key", format!("{path}: not UTF-8 text"), Some(path)))
}

fn io_error(path: &str, e: &std::io::Error) -> CliError {
    CliError::usage("io", format!("{path}: {e}"), Some(path))
}
