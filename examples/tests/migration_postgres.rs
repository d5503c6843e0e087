//! The same migration scenarios as `migration.rs`, with the three servers' data in PostgreSQL
//! (`FEP7628_TEST_POSTGRES_URL`, e.g. `postgres://fep7628:fep7628@127.0.0.1:54329/fep7628`).
//! Without that variable the tests are skipped, except under `CI=true`, where they fail: CI
//! starts a PostgreSQL server and always sets it.

mod common;

use examples::db::Database;

fn postgres() -> Option<Database> {
    common::postgres_url().map(Database::Postgres)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_push_move_with_cavage_signatures() {
    if let Some(db) = postgres() {
        common::push_move_with_cavage_signatures(db).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_held_move_is_approved_then_planned() {
    if let Some(db) = postgres() {
        common::held_move_is_approved_then_planned(db).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_push_move_with_rfc9421_and_a_restart_mid_plan() {
    if let Some(db) = postgres() {
        common::push_move_with_rfc9421_and_a_restart_mid_plan(db).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_pull_move_with_the_old_server_down() {
    if let Some(db) = postgres() {
        common::pull_move_with_the_old_server_down(db).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_without_the_alias_the_migration_fails() {
    if let Some(db) = postgres() {
        common::without_the_alias_the_migration_fails(db).await;
    }
}
