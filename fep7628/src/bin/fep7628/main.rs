//! `fep7628`: the command-line verdict oracle over the workspace's crates (DESIGN §3.4).
//!
//! One JSON object on stdout; exit 0 valid, 1 invalid, 2 usage or I/O error. See the crate README, section "Command-line tool".

#![forbid(unsafe_code)]

mod check_move;
mod cli;
mod document;
mod input;
mod inspect;
mod keys;
mod output;
mod persona;
mod policy;
mod proof;
mod raw_request;
mod screen_archive;
mod sign_request;
mod signals;
mod validate;
mod verify_request;

use std::process::ExitCode;

use clap::{CommandFactory as _, Parser as _};

use crate::cli::{Cli, Command};
use crate::output::{Body, CliError, EXIT_USAGE, EXIT_VALID, Report};

/// `--now`, or the system clock (the CLI is where the clock may be read; the libraries never do).
pub fn now_or_clock(now: Option<i64>) -> i64 {
    now.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
    })
}

fn dispatch(command: &Command) -> Result<Report, CliError> {
    match command {
        Command::VerifyRequest(a) => verify_request::run(a),
        Command::SignRequest(a) => sign_request::run(a),
        Command::Inspect(a) => inspect::run(a),
        Command::Validate(a) => validate::run(a),
        Command::CheckMove(a) => check_move::run(a),
        Command::SignProof(a) => proof::sign(a),
        Command::VerifyProof(a) => proof::verify(a),
        Command::Persona(a) => persona::run(a),
        Command::ScreenArchive(a) => screen_archive::run(a),
        Command::Signals(a) => signals::run(a),
        Command::ValidatePolicy(a) => policy::run(a),
        Command::Man(a) => man_page(a.subcommand.as_deref()),
        Command::Completions(a) => {
            let mut script = Vec::new();
            clap_complete::generate(a.shell, &mut Cli::command(), "fep7628", &mut script);
            Ok(Report {
                code: EXIT_VALID,
                body: Body::Raw(script),
            })
        }
    }
}

/// Manual page names of the subcommands (clap wants `'static` names).
const PAGES: &[(&str, &str)] = &[
    ("verify-request", "fep7628-verify-request"),
    ("sign-request", "fep7628-sign-request"),
    ("inspect", "fep7628-inspect"),
    ("validate", "fep7628-validate"),
    ("check-move", "fep7628-check-move"),
    ("sign-proof", "fep7628-sign-proof"),
    ("verify-proof", "fep7628-verify-proof"),
    ("persona", "fep7628-persona"),
    ("screen-archive", "fep7628-screen-archive"),
    ("signals", "fep7628-signals"),
    ("validate-policy", "fep7628-validate-policy"),
    ("man", "fep7628-man"),
    ("completions", "fep7628-completions"),
];

/// The roff manual page of the tool, or of one of its subcommands (`fep7628-<name>`).
fn man_page(subcommand: Option<&str>) -> Result<Report, CliError> {
    let root = Cli::command();
    let command = match subcommand {
        None => root,
        Some(name) => {
            let page = PAGES.iter().find(|(n, _)| *n == name);
            match (page, root.find_subcommand(name)) {
                (Some((_, page)), Some(sub)) => sub.clone().name(*page),
                _ => {
                    return Err(CliError::usage(
                        "usage",
                        format!("no subcommand named {name:?}"),
                        Some("SUBCOMMAND"),
                    ));
                }
            }
        }
    };
    let mut page = Vec::new();
    clap_mangen::Man::new(command)
        .render(&mut page)
        .map_err(|e| CliError::usage("io", e.to_string(), None::<String>))?;
    Ok(Report {
        code: EXIT_VALID,
        body: Body::Raw(page),
    })
}

fn run() -> Report {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            use clap::error::ErrorKind;
            if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
                let _ = e.print();
                return Report {
                    code: EXIT_VALID,
                    body: Body::Raw(Vec::new()),
                };
            }
            // Clap's own message on stderr for people, the JSON error on stdout for programs.
            let _ = e.print();
            let at = e
                .get(clap::error::ContextKind::InvalidArg)
                .map(|v| v.to_string());
            let message = e.render().to_string();
            let message = message
                .lines()
                .take_while(|l| !l.trim().is_empty())
                .map(str::trim)
                .collect::<Vec<_>>()
                .join(" ");
            return CliError::usage("usage", message, at).into_report();
        }
    };
    dispatch(&cli.command).unwrap_or_else(CliError::into_report)
}

fn main() -> ExitCode {
    // A panic is a bug; it still ends with a JSON error object and exit 2, never a torn output.
    let report = std::panic::catch_unwind(run).unwrap_or_else(|_| {
        CliError::usage(
            "internal_error",
            "internal error (a bug in fep7628: please report it with the input)",
            None::<String>,
        )
        .into_report()
    });
    report.print();
    ExitCode::from(if report.code > EXIT_USAGE {
        EXIT_USAGE
    } else {
        report.code
    })
}
