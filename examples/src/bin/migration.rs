//! `migration`: the end-to-end account migration over three loopback servers.
//!
//! ```text
//! cargo run --release -p examples --bin migration [-- --signatures cavage|rfc9421]
//!     [--followers N] [--restart-follower-mid-plan] [--timeout SECS]
//! ```

use std::process::ExitCode;
use std::time::{Duration, Instant};

use examples::keys::SignatureScheme;
use examples::scenario::{Config, run};

fn usage() -> &'static str {
    "usage: migration [--signatures cavage|rfc9421] [--followers N] [--old-local-followers N] \
     [--restart-follower-mid-plan] [--timeout SECS]"
}

fn parse_args() -> Result<Config, String> {
    let mut config = Config::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--signatures" => {
                config.scheme = match value("--signatures")?.as_str() {
                    "cavage" => SignatureScheme::Cavage,
                    "rfc9421" => SignatureScheme::Rfc9421,
                    other => return Err(format!("unknown signature scheme {other:?}")),
                }
            }
            "--followers" => {
                config.followers = value("--followers")?
                    .parse()
                    .map_err(|_| "--followers needs a number".to_owned())?
            }
            "--old-local-followers" => {
                config.old_local_followers = value("--old-local-followers")?
                    .parse()
                    .map_err(|_| "--old-local-followers needs a number".to_owned())?
            }
            "--restart-follower-mid-plan" => config.restart_follower_mid_plan = true,
            "--timeout" => {
                let secs: u64 = value("--timeout")?
                    .parse()
                    .map_err(|_| "--timeout needs seconds".to_owned())?;
                config.timeout = Duration::from_secs(secs);
            }
            "-h" | "--help" => return Err(usage().to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{}", usage())),
        }
    }
    if config.followers > 10_000 || config.old_local_followers > 10_000 {
        return Err("at most 10000 followers per server".into());
    }
    Ok(config)
}

fn main() -> ExitCode {
    let config = match parse_args() {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("{msg}");
            return ExitCode::from(2);
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let started = Instant::now();
    let scheme = config.scheme;
    match runtime.block_on(run(config)) {
        Ok(outcome) if outcome.ok() => {
            println!(
                "\nMIGRATION COMPLETE ({:?} signatures{}) in {:.1} s",
                scheme,
                if outcome.restarted {
                    ", follower's server restarted mid-plan"
                } else {
                    ""
                },
                started.elapsed().as_secs_f64()
            );
            println!(
                "  before: old alice {} followers, new alice {}",
                outcome.before.old_followers, outcome.before.new_followers
            );
            println!(
                "  after:  old alice {} followers, new alice {} (every follower moved, no duplicate Follow)",
                outcome.after.old_followers, outcome.after.new_followers
            );
            ExitCode::SUCCESS
        }
        Ok(outcome) => {
            eprintln!("\nMIGRATION INCOMPLETE:");
            for p in &outcome.problems {
                eprintln!("  - {p}");
            }
            ExitCode::FAILURE
        }
        Err(e) => {
            eprintln!("\nMIGRATION FAILED: {e:#}");
            ExitCode::FAILURE
        }
    }
}
