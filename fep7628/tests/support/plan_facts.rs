//! The move the re-follow plan tests share (`tests/plan.rs` drives the plan by hand,
//! `tests/driver.rs` through the driver): alice moves from old.example to new.example, both
//! with shared inboxes, at a fixed time.
#![allow(dead_code)]

use std::time::{Duration, SystemTime};

use fep7628::plan::{ActorRef, MoveFacts};

/// The old account.
pub const ORIGIN: &str = "https://old.example/users/alice";
/// The new account.
pub const TARGET: &str = "https://new.example/users/alice";

/// The fixed "now" of the tests.
pub fn t0() -> SystemTime {
    SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000)
}

/// The move `migration_id` from [`ORIGIN`] to [`TARGET`] (remote, unlocked).
pub fn move_facts(migration_id: &str) -> MoveFacts {
    MoveFacts {
        migration_id: migration_id.into(),
        origin: ActorRef::new(ORIGIN, format!("{ORIGIN}/inbox"))
            .with_shared_inbox("https://old.example/inbox"),
        target: ActorRef::new(TARGET, format!("{TARGET}/inbox"))
            .with_shared_inbox("https://new.example/inbox"),
        target_locked: false,
        target_is_local: false,
    }
}
