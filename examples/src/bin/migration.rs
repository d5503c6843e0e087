//! `migration`: the end-to-end account migration over three loopback servers.
//!
//! ```text
//! cargo run --release -p examples --bin migration [-- --signatures cavage|rfc9421]
//!     [--followers N] [--restart-follower-mid-plan] [--mode push|pull [--old-server-down]]
//!     [--timeout SECS] [--database sqlite:[DIR]|DIR|postgres://USER:PASSWORD@HOST:PORT/DB]
//!     [--policy FILE]
//! ```
//!
//! Every server applies a moderation policy file to arriving Moves: by default
//! `examples/arrivals-policy.toml`, which holds the default run's Move on the follower's server
//! for a moderator (the example approves it through the review queue), or `--policy FILE`.
//!
//! Without `--database` each server keeps its data in an SQLite file in a temporary
//! directory; with a `postgres://` URL each server gets its own schema in that database
//! (created for the run, dropped after it).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use examples::keys::SignatureScheme;
use examples::scenario::{Config, Mode, run};

fn usage() -> &'static str {
    "usage: migration [--signatures cavage|rfc9421] [--followers N] [--old-local-followers N] \
     [--restart-follower-mid-plan] [--mode push|pull] [--old-server-down] [--skip-alias] [--timeout SECS] \
     [--database sqlite:[DIR]|DIR|postgres://USER:PASSWORD@HOST:PORT/DB] [--policy FILE]"
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
            "--mode" => {
                config.mode = match value("--mode")?.as_str() {
                    "push" => Mode::Push,
                    "pull" => Mode::Pull,
                    other => return Err(format!("unknown mode {other:?}")),
                }
            }
            "--old-server-down" => config.old_server_down = true,
            "--skip-alias" => config.skip_alias = true,
            "--timeout" => {
                let secs: u64 = value("--timeout")?
                    .parse()
                    .map_err(|_| "--timeout needs seconds".to_owned())?;
                config.timeout = Duration::from_secs(secs);
            }
            "--database" => {
                config.database = value("--database")?
                    .parse()
                    .map_err(|e: examples::db::ParseDatabaseError| e.to_string())?
            }
            "--policy" => {
                let path = value("--policy")?;
                config.policy_toml =
                    std::fs::read_to_string(&path).map_err(|e| format!("--policy {path}: {e}"))?;
            }
            "-h" | "--help" => return Err(usage().to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{}", usage())),
        }
    }
    if config.restart_follower_mid_plan && config.mode == Mode::Pull {
        return Err("--restart-follower-mid-plan applies to push mode".into());
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
    let mode = config.mode;
    let engine = config.database.engine();
    match runtime.block_on(run(config)) {
        Ok(outcome) if outcome.ok() => {
            println!(
                "\nMIGRATION COMPLETE ({:?} mode, {:?} signatures, {engine}{}) in {:.1} s",
                mode,
                scheme,
                if outcome.restarted {
                    ", follower's server restarted mid-plan"
                } else {
                    ""
                },
                started.elapsed().as_secs_f64()
            );
            for (server, review) in &outcome.reviews_approved {
                println!(
                    "  review: the moderator approved {} on the {server} server",
                    review.as_str()
                );
            }
            let (b, a) = (outcome.before, outcome.after);
            if mode == Mode::Pull {
                println!(
                    "  before: {} accounts on the follower's server follow old alice, {} new alice",
                    b.follower_server_following_old, b.follower_server_following_new
                );
                println!(
                    "  after:  {} follow old alice, {} follow new alice (new alice has {} followers; \
                     no duplicate Follow)",
                    a.follower_server_following_old,
                    a.follower_server_following_new,
                    a.new_followers
                );
            } else {
                println!(
                    "  before: old alice {} followers, new alice {}",
                    b.old_followers, b.new_followers
                );
                println!(
                    "  after:  old alice {} followers, new alice {} (every follower moved, no duplicate Follow)",
                    a.old_followers, a.new_followers
                );
            }
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
