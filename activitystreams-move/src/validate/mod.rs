//! Validation: every problem, with its JSON Pointer and a stable kind.

mod activity;
mod actor;
mod e965;
mod problem;
mod uri;

pub use activity::{validate_activity, validate_move_signer};
pub use actor::validate_actor;
pub use e965::{E965Outcome, e965_outcome};
pub use problem::{Problem, ProblemKind, Rule, Severity, has_errors};
