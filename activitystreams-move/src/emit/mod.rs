//! Emitting: the conservative shapes real servers accept (move.md §6).

mod activities;
mod actor;
mod context;

pub use activities::{MoveBuilder, accept, follow, reject, undo, update_actor};
pub use actor::MigrationFields;
pub use context::{AS_CONTEXT, MovedToContext};
