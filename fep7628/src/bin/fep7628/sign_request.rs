//! `sign-request`: sign a raw request and print it with the signature headers added.

use http_signatures::{CavageSignOptions, Rfc9421SignOptions, sign_cavage, sign_rfc9421};

use crate::cli::{SignRequestArgs, SignScheme};
use crate::output::{Body, CliError, EXIT_USAGE, EXIT_VALID, Report, http_sig_error};
use crate::{keys, now_or_clock, raw_request};

/// Runs the subcommand. The output is the input's head (byte for byte), the added header lines
/// (`Host`, `Date`, `Digest` / `Content-Digest` when missing, then the signature fields) in the
/// input's line-ending style, an empty line and the body.
pub fn run(args: &SignRequestArgs) -> Result<Report, CliError> {
    let key = keys::private_key(&args.key)?;
    let request = raw_request::read_request(&args.file, args.max_head, args.max_body)?;
    let now = http_signatures::UnixTime(now_or_clock(args.now));
    let signed = match args.scheme {
        SignScheme::Cavage => sign_cavage(
            &request.parts,
            request.body(),
            &key,
            &args.key_id,
            now,
            &CavageSignOptions::default(),
        ),
        SignScheme::Rfc9421 => sign_rfc9421(
            &request.parts,
            request.body(),
            &key,
            &args.key_id,
            now,
            &Rfc9421SignOptions::default(),
        ),
    }
    .map_err(|e| http_sig_error(&e).with_code(EXIT_USAGE))?;
    let eol = request.line_ending.as_bytes();
    let mut out = Vec::with_capacity(request.raw.len() + 1024);
    out.extend_from_slice(request.head_lines());
    if !out.ends_with(b"\n") {
        out.extend_from_slice(eol);
    }
    for (name, value) in signed.iter() {
        out.extend_from_slice(canonical_case(name.as_str()).as_bytes());
        out.extend_from_slice(b": ");
        out.extend_from_slice(value.as_bytes());
        out.extend_from_slice(eol);
    }
    out.extend_from_slice(eol);
    out.extend_from_slice(request.body());
    Ok(Report {
        code: EXIT_VALID,
        body: Body::Raw(out),
    })
}

/// `content-digest` → `Content-Digest` (field names are case-insensitive; this is for readers).
fn canonical_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = true;
    for c in name.chars() {
        out.push(if upper { c.to_ascii_uppercase() } else { c });
        upper = c == '-';
    }
    out
}
