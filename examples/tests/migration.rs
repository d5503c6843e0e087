//! The push-mode migration end to end, in-process: three servers on loopback, signed HTTP,
//! SQLite. Fewer followers and Ed25519 server keys keep the debug build quick.

use std::time::Duration;

use examples::keys::SignatureScheme;
use examples::scenario::{Config, Counts, Mode, run};

fn small(scheme: SignatureScheme) -> Config {
    Config {
        mode: Mode::Push,
        old_server_down: false,
        skip_alias: false,
        followers: 12,
        old_local_followers: 2,
        scheme,
        rsa: false,
        restart_follower_mid_plan: false,
        batch_size: 5,
        quiet: true,
        timeout: Duration::from_secs(120),
    }
}

fn assert_moved(outcome: &examples::scenario::Outcome, followers: u64, old_local: u64) {
    assert!(outcome.ok(), "{:?}", outcome.problems);
    assert_eq!(
        outcome.before,
        Counts {
            old_followers: followers + old_local,
            new_followers: 0,
            follower_server_following_old: followers,
            follower_server_following_new: 0,
        }
    );
    assert_eq!(
        outcome.after,
        Counts {
            old_followers: 0,
            new_followers: followers + old_local,
            follower_server_following_old: 0,
            follower_server_following_new: followers,
        }
    );
    // Exactly one Follow per follower reached the new server.
    assert_eq!(
        outcome.follows_received,
        (followers + old_local, followers + old_local)
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_move_with_cavage_signatures() {
    let outcome = run(small(SignatureScheme::Cavage)).await.unwrap();
    assert_moved(&outcome, 12, 2);
    assert!(!outcome.restarted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_move_with_rfc9421_and_a_restart_mid_plan() {
    let mut config = small(SignatureScheme::Rfc9421);
    config.restart_follower_mid_plan = true;
    let outcome = run(config).await.unwrap();
    assert_moved(&outcome, 12, 2);
    assert!(outcome.restarted);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_move_with_the_old_server_down() {
    let mut config = small(SignatureScheme::Cavage);
    config.mode = Mode::Pull;
    config.old_server_down = true;
    let outcome = run(config).await.unwrap();
    assert!(outcome.ok(), "{:?}", outcome.problems);
    assert_eq!(outcome.before.follower_server_following_old, 12);
    assert_eq!(outcome.after.follower_server_following_old, 0);
    assert_eq!(outcome.after.follower_server_following_new, 12);
    assert_eq!(outcome.after.new_followers, 12);
    assert_eq!(outcome.follows_received, (12, 12));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_alias_the_migration_fails() {
    let mut config = small(SignatureScheme::Cavage);
    config.skip_alias = true;
    let err = run(config).await.unwrap_err();
    assert!(format!("{err:#}").contains("alsoKnownAs"), "{err:#}");
}
