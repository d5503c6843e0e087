//! The migration end to end, in-process: three servers on loopback, signed HTTP, SQLite (the
//! default storage). `migration_postgres.rs` runs the same scenarios on PostgreSQL.

mod common;

use examples::db::Database;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_move_with_cavage_signatures() {
    common::push_move_with_cavage_signatures(Database::SqliteTemp).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn held_move_is_approved_then_planned() {
    common::held_move_is_approved_then_planned(Database::SqliteTemp).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn push_move_with_rfc9421_and_a_restart_mid_plan() {
    common::push_move_with_rfc9421_and_a_restart_mid_plan(Database::SqliteTemp).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pull_move_with_the_old_server_down() {
    common::pull_move_with_the_old_server_down(Database::SqliteTemp).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_the_alias_the_migration_fails() {
    common::without_the_alias_the_migration_fails(Database::SqliteTemp).await;
}

/// An explicit SQLite directory is reused: a second run starts from empty files, not from the
/// first run's rows (which would double the counts), and the files stay after the run.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_given_sqlite_directory_is_reset_on_each_run() {
    let dir = std::env::temp_dir().join(format!("fep7628-test-sqlite-dir-{}", std::process::id()));
    for _ in 0..2 {
        common::push_move_with_cavage_signatures(Database::SqliteDir(dir.clone())).await;
    }
    for server in examples::scenario::SERVERS {
        assert!(dir.join(format!("{server}.sqlite")).is_file(), "{server}");
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
