//! The migration scenarios shared by the SQLite and PostgreSQL test files: the same runs and
//! the same before/after assertions, whichever database the servers use.

#![allow(dead_code)] // each test file uses the part it needs

use std::time::Duration;

use examples::db::Database;
use examples::keys::SignatureScheme;
use examples::scenario::{Config, Counts, Mode, Outcome, run};

/// Followers on the follower's server, and local followers on the old server.
pub const FOLLOWERS: u64 = 12;
pub const OLD_LOCAL: u64 = 2;

/// The PostgreSQL URL the PostgreSQL tests use: `FEP7628_TEST_POSTGRES_URL`. Unset, the tests
/// are skipped — except under `CI=true`, where CI always provides it and its absence fails.
pub fn postgres_url() -> Option<String> {
    match std::env::var("FEP7628_TEST_POSTGRES_URL") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "CI=true but FEP7628_TEST_POSTGRES_URL is not set: .ci/run starts PostgreSQL \
                 and must export it"
            );
            eprintln!("skipped: FEP7628_TEST_POSTGRES_URL is not set");
            None
        }
    }
}

/// A quick configuration: few followers and Ed25519 server keys keep the debug build fast.
pub fn small(scheme: SignatureScheme, database: Database) -> Config {
    Config {
        mode: Mode::Push,
        old_server_down: false,
        skip_alias: false,
        followers: FOLLOWERS as usize,
        old_local_followers: OLD_LOCAL as usize,
        scheme,
        rsa: false,
        restart_follower_mid_plan: false,
        batch_size: 5,
        quiet: true,
        timeout: Duration::from_secs(120),
        database,
    }
}

/// Every follower moved exactly once: the counts before and after, and one `Follow` per
/// follower received by the new server.
pub fn assert_moved(outcome: &Outcome) {
    assert!(outcome.ok(), "{:?}", outcome.problems);
    assert_eq!(
        outcome.before,
        Counts {
            old_followers: FOLLOWERS + OLD_LOCAL,
            new_followers: 0,
            follower_server_following_old: FOLLOWERS,
            follower_server_following_new: 0,
        }
    );
    assert_eq!(
        outcome.after,
        Counts {
            old_followers: 0,
            new_followers: FOLLOWERS + OLD_LOCAL,
            follower_server_following_old: 0,
            follower_server_following_new: FOLLOWERS,
        }
    );
    assert_eq!(
        outcome.follows_received,
        (FOLLOWERS + OLD_LOCAL, FOLLOWERS + OLD_LOCAL)
    );
}

pub async fn push_move_with_cavage_signatures(database: Database) {
    let outcome = run(small(SignatureScheme::Cavage, database)).await.unwrap();
    assert_moved(&outcome);
    assert!(!outcome.restarted);
}

pub async fn push_move_with_rfc9421_and_a_restart_mid_plan(database: Database) {
    let mut config = small(SignatureScheme::Rfc9421, database);
    config.restart_follower_mid_plan = true;
    let outcome = run(config).await.unwrap();
    assert_moved(&outcome);
    assert!(outcome.restarted);
}

pub async fn pull_move_with_the_old_server_down(database: Database) {
    let mut config = small(SignatureScheme::Cavage, database);
    config.mode = Mode::Pull;
    config.old_server_down = true;
    let outcome = run(config).await.unwrap();
    assert!(outcome.ok(), "{:?}", outcome.problems);
    assert_eq!(outcome.before.follower_server_following_old, FOLLOWERS);
    assert_eq!(outcome.after.follower_server_following_old, 0);
    assert_eq!(outcome.after.follower_server_following_new, FOLLOWERS);
    assert_eq!(outcome.after.new_followers, FOLLOWERS);
    assert_eq!(outcome.follows_received, (FOLLOWERS, FOLLOWERS));
}

pub async fn without_the_alias_the_migration_fails(database: Database) {
    let mut config = small(SignatureScheme::Cavage, database);
    config.skip_alias = true;
    let err = run(config).await.unwrap_err();
    assert!(format!("{err:#}").contains("alsoKnownAs"), "{err:#}");
}
