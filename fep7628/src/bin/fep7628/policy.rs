//! `validate-policy`: parse and check a moderation policy file (and the blocklists it names).

use std::path::{Path, PathBuf};

use clap::Args;
use fep7628::moderation::{MAX_BLOCKLIST_BYTES, MAX_POLICY_FILE_BYTES, PolicyFile};
use serde_json::json;

use crate::input::read_limited;
use crate::output::{CliError, EXIT_INVALID, EXIT_USAGE, Report};

/// Arguments of `validate-policy`.
#[derive(Debug, Args)]
pub struct ValidatePolicyArgs {
    /// The TOML policy file, or - for stdin (blocklist paths are then relative to the current
    /// directory).
    #[arg(value_name = "FILE|-")]
    pub file: String,
}

/// Runs the subcommand. Exit 0 when the file is valid, 1 when it is not (the error names the
/// line and column, or the blocklist and its line), 2 when a file cannot be read.
pub fn run(args: &ValidatePolicyArgs) -> Result<Report, CliError> {
    let bytes = read_limited(&args.file, MAX_POLICY_FILE_BYTES)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        CliError::usage(
            "invalid_utf8",
            format!(
                "{}: not UTF-8 text (byte {})",
                args.file,
                e.utf8_error().valid_up_to()
            ),
            Some(args.file.as_str()),
        )
    })?;
    let base: PathBuf = if args.file == "-" {
        PathBuf::from(".")
    } else {
        Path::new(&args.file)
            .parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let mut load = |path: &str| -> Result<String, String> {
        let full = base.join(path);
        let full = full.to_string_lossy();
        let bytes = read_limited(&full, MAX_BLOCKLIST_BYTES).map_err(|e| e.message)?;
        String::from_utf8(bytes).map_err(|_| format!("{full}: not UTF-8 text"))
    };
    match PolicyFile::from_toml_str_with_loader(&text, &mut load) {
        Ok(file) => Ok(Report::verdict(
            true,
            json!({"valid": true, "policies": file.summary(), "error": null}),
        )),
        Err(e) => {
            let code = if e.kind() == "list_io" {
                EXIT_USAGE
            } else {
                EXIT_INVALID
            };
            let list = e
                .list()
                .map(|(path, line)| json!({"path": path, "line": line}));
            Ok(Report::json(
                code,
                json!({
                    "valid": false,
                    "policies": [],
                    "error": {"kind": e.kind(), "message": e.message(), "at": e.at(),
                              "line": e.line(), "column": e.column(), "list": list},
                }),
            ))
        }
    }
}
