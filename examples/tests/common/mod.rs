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
        policy_toml: examples::scenario::DEFAULT_POLICY.to_owned(),
    }
}

/// A policy that holds a Move taking more than 5 followers along: the follower's server's Move
/// (12 followers) waits for the moderator, the old server's own (2 local followers) does not.
pub const HOLD_POLICY: &str = "version = 1\n[surge]\nwindow = \"1h\"\nmax_followers = 5\n";

/// The follower's server's Move was held, approved once by the moderator, and its audited plan
/// recorded one follow per follower.
pub fn assert_held_and_audited(outcome: &Outcome) {
    let servers: Vec<&str> = outcome.reviews_approved.iter().map(|(s, _)| *s).collect();
    assert_eq!(servers, ["follower"], "{:?}", outcome.reviews_approved);
    assert_eq!(outcome.follows_audited, FOLLOWERS);
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
    // 12 followers stay under the default policy's surge limit (20): nothing was held, and the
    // audit log still has every follow.
    assert!(outcome.reviews_approved.is_empty());
    assert_eq!(outcome.follows_audited, FOLLOWERS);
}

/// The moderator's path: the Move is held by the policy, approved through the review queue,
/// and the plan runs audited.
pub async fn held_move_is_approved_then_planned(database: Database) {
    let mut config = small(SignatureScheme::Cavage, database);
    config.policy_toml = HOLD_POLICY.to_owned();
    let outcome = run(config).await.unwrap();
    assert_moved(&outcome);
    assert_held_and_audited(&outcome);
}

pub async fn push_move_with_rfc9421_and_a_restart_mid_plan(database: Database) {
    let mut config = small(SignatureScheme::Rfc9421, database);
    config.restart_follower_mid_plan = true;
    // Held and approved first: the approved plan is the one that crashes and resumes, and
    // its audit entries are written once each across the restart.
    config.policy_toml = HOLD_POLICY.to_owned();
    let outcome = run(config).await.unwrap();
    assert_moved(&outcome);
    assert!(outcome.restarted);
    assert_held_and_audited(&outcome);
}

pub async fn pull_move_with_the_old_server_down(database: Database) {
    let mut config = small(SignatureScheme::Cavage, database);
    config.mode = Mode::Pull;
    config.old_server_down = true;
    config.policy_toml = HOLD_POLICY.to_owned();
    let outcome = run(config).await.unwrap();
    assert!(outcome.ok(), "{:?}", outcome.problems);
    assert_held_and_audited(&outcome);
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
