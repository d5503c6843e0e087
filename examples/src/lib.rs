//! The end-to-end account migration example: three fediverse servers in one process on
//! loopback ports (the old home, the new home, a follower's server) with real HTTP (axum,
//! reqwest), real signatures (draft-cavage with RSA-2048, or RFC 9421 with Ed25519),
//! WebFinger, actor documents, personal and shared inboxes, and SQLite (or, with
//! `--database postgres://…`, PostgreSQL) storage implementing the
//! `fep7628` plug-in traits.
//!
//! Run it with `cargo run --release -p examples --bin migration`.

pub mod db;
pub mod keys;
pub mod scenario;
pub mod server;
