//! The storage contract, run against both backends: the same calls must give the same answers
//! on SQLite and on PostgreSQL (the latter when `FEP7628_TEST_POSTGRES_URL` is set; required
//! under `CI=true`). Covers idempotent follow rows, byte-order paging, the once-only move
//! record, cooldowns that never shorten, delivery keys, audit order, and that preparing a
//! run's storage again empties it.

mod common;

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use examples::db::{Database, Db, Location, RunStorage};
use fep7628::plan::FollowSettings;
use fep7628::store::{
    AuditRecord, CooldownScope, FollowState, FollowStore, FollowerPageQuery, MoveRecord, MoveStore,
    Recorded,
};

const BASE: &str = "http://127.0.0.1:1";
const ORIGIN: &str = "http://127.0.0.1:2/users/alice";
const TARGET: &str = "http://127.0.0.1:3/users/alice";

fn token(name: &str) -> String {
    format!("t{}_{name}", std::process::id())
}

async fn page(db: &Db, after: Option<&str>) -> Vec<String> {
    let q = FollowerPageQuery {
        followed: ORIGIN.into(),
        relative_to: TARGET.into(),
        after: after.map(str::to_owned),
        limit: 1,
    };
    db.followers_page(&q)
        .await
        .unwrap()
        .into_iter()
        .map(|f| f.follower_id)
        .collect()
}

async fn contract(database: Database, token: &str) -> Location {
    let storage = RunStorage::prepare(&database, token, &["solo"])
        .await
        .unwrap();
    let location = storage.location("solo");
    let db = Db::open(&location, BASE).await.unwrap();
    let (zed, amy) = (format!("{BASE}/users/Zed"), format!("{BASE}/users/amy"));
    let remote = "http://127.0.0.1:9/users/x";
    let settings = FollowSettings::default();

    // One row per (follower, followed); a repeat updates the state.
    db.put_follow(&zed, ORIGIN, &settings, FollowState::Accepted)
        .await
        .unwrap();
    db.put_follow(&zed, ORIGIN, &settings, FollowState::Pending)
        .await
        .unwrap();
    assert_eq!(db.follower_count(ORIGIN).await.unwrap(), 1);
    let stored = db.follow(&zed, ORIGIN).await.unwrap().unwrap();
    assert_eq!(stored.state, FollowState::Pending);
    db.put_follow(&amy, ORIGIN, &settings, FollowState::Accepted)
        .await
        .unwrap();
    db.put_follow(remote, ORIGIN, &settings, FollowState::Accepted)
        .await
        .unwrap();
    assert_eq!(db.follower_count(ORIGIN).await.unwrap(), 3);
    assert_eq!(db.local_following_count(ORIGIN).await.unwrap(), 2);

    // Local followers only, in byte order ('Z' < 'a'), the cursor excluded.
    assert_eq!(page(&db, None).await, vec![zed.clone()]);
    assert_eq!(page(&db, Some(&zed)).await, vec![amy.clone()]);
    assert!(page(&db, Some(&amy)).await.is_empty());

    // A move is recorded once per (origin, target); the first record wins.
    let at = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
    let first = MoveRecord {
        migration_id: "mig-1".into(),
        origin: ORIGIN.into(),
        target: TARGET.into(),
        activity_id: Some(format!("{ORIGIN}/moves/1")),
        verified_at: at,
    };
    assert_eq!(db.record_move(&first).await.unwrap(), Recorded::Inserted);
    let retry = MoveRecord {
        migration_id: "mig-2".into(),
        activity_id: None,
        ..first.clone()
    };
    assert_eq!(
        db.record_move(&retry).await.unwrap(),
        Recorded::AlreadySeen(first.clone())
    );
    assert_eq!(db.last_move(TARGET).await.unwrap(), Some(at));
    assert_eq!(
        db.local_moved_to(ORIGIN).await.unwrap().as_deref(),
        Some(TARGET)
    );
    assert_eq!(
        db.last_move("http://127.0.0.1:4/users/nobody")
            .await
            .unwrap(),
        None
    );

    // Cooldowns only get longer.
    let scope = CooldownScope::Origin(ORIGIN.into());
    db.set_cooldown(&scope, at + Duration::from_secs(100))
        .await
        .unwrap();
    db.set_cooldown(&scope, at + Duration::from_secs(10))
        .await
        .unwrap();
    assert_eq!(
        db.cooldown_until(&scope).await.unwrap(),
        Some(at + Duration::from_secs(100))
    );
    let other = CooldownScope::Target(ORIGIN.into());
    assert_eq!(db.cooldown_until(&other).await.unwrap(), None);

    // Delivery keys: marking twice is fine.
    assert!(!db.delivered("k1").await.unwrap());
    db.mark_delivered("k1", "http://127.0.0.1:3/inbox")
        .await
        .unwrap();
    db.mark_delivered("k1", "http://127.0.0.1:3/inbox")
        .await
        .unwrap();
    assert!(db.delivered("k1").await.unwrap());

    // Audit events come back in the order written.
    for event in ["move_accepted", "plan_started", "plan_finished"] {
        db.append_audit(&AuditRecord {
            migration_id: "mig-1".into(),
            at: SystemTime::now(),
            event: event.into(),
            subject: None,
            detail: format!("{event} detail"),
        })
        .await
        .unwrap();
    }
    let events: Vec<String> = db
        .audit_events()
        .await
        .unwrap()
        .into_iter()
        .map(|(_, e, _)| e)
        .collect();
    assert_eq!(events, ["move_accepted", "plan_started", "plan_finished"]);

    // Undo: removing twice is fine.
    db.delete_follow(&zed, ORIGIN).await.unwrap();
    db.delete_follow(&zed, ORIGIN).await.unwrap();
    assert_eq!(db.follower_count(ORIGIN).await.unwrap(), 2);

    // Reopening (a restarted server) sees the same rows.
    drop(db);
    let reopened = Db::open(&location, BASE).await.unwrap();
    assert_eq!(reopened.follower_count(ORIGIN).await.unwrap(), 2);
    drop(reopened);

    // A re-run with the same name starts empty.
    let again = RunStorage::prepare(&database, token, &["solo"])
        .await
        .unwrap();
    assert_eq!(again.location("solo"), location);
    let fresh = Db::open(&location, BASE).await.unwrap();
    assert_eq!(fresh.follower_count(ORIGIN).await.unwrap(), 0);
    assert!(fresh.audit_events().await.unwrap().is_empty());
    drop(fresh);
    again.cleanup().await.unwrap();
    location
}

#[tokio::test]
async fn sqlite_store_contract() {
    let location = contract(Database::SqliteTemp, &token("sqlite")).await;
    let Location::SqliteFile(path) = location else {
        panic!("not an SQLite file: {location:?}");
    };
    assert!(!path.exists(), "the temporary directory is removed");
}

#[tokio::test]
async fn postgres_store_contract() {
    let Some(url) = common::postgres_url() else {
        return;
    };
    let location = contract(Database::Postgres(url.clone()), &token("pg")).await;
    let Location::PostgresSchema { schema, .. } = location else {
        panic!("not a PostgreSQL schema: {location:?}");
    };
    let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
        .await
        .unwrap();
    tokio::spawn(connection);
    let left = client
        .query_opt(
            "SELECT 1 FROM information_schema.schemata WHERE schema_name = $1",
            &[&schema],
        )
        .await
        .unwrap();
    assert!(left.is_none(), "schema {schema} was not dropped");

    // Keys compare byte-wise whatever the database's locale: the plan's paging relies on it.
    let storage = RunStorage::prepare(&Database::Postgres(url), &token("coll"), &["solo"])
        .await
        .unwrap();
    let Location::PostgresSchema { schema, .. } = storage.location("solo") else {
        panic!("not a PostgreSQL schema");
    };
    drop(Db::open(&storage.location("solo"), BASE).await.unwrap());
    let collation: Option<String> = client
        .query_one(
            "SELECT collation_name::text FROM information_schema.columns
             WHERE table_schema = $1 AND table_name = 'follows' AND column_name = 'follower'",
            &[&schema],
        )
        .await
        .unwrap()
        .get(0);
    assert_eq!(collation.as_deref(), Some("C"));
    storage.cleanup().await.unwrap();
}
