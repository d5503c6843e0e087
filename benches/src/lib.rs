//! Shared fixtures for the benches in `benches/benches/`.
pub mod heap;
