//! Outbound: building Moves and actor updates, preflight checks, delivery lists.
//!
//! The mover's server runs a [`Preflight`] (push mode; it asks for the target fetched fresh)
//! or [`preflight_pull`] (pull mode), which yields a [`ClearedMove`]. From it:
//! [`moved_to_update`] / [`copied_to_update`] (the old actor and the `Update` to send), then
//! [`OutboundMove`] (the `Move`), delivered to the inboxes a [`DeliveryList`] streams out.

mod activity;
mod actor_update;
mod delivery;
mod preflight;

pub use activity::{AS_CONTEXT, AS_PUBLIC, Addressing, MAX_TOKEN_LEN, OutboundMove, move_context};
pub use actor_update::{ActorUpdate, FEP7628_COPIED_TO, copied_to_update, moved_to_update};
pub use delivery::{DEFAULT_MAX_INBOXES, DeliveryList, Endpoint, pull_recipients};
pub use preflight::{
    ClearedMove, DEFAULT_OUTBOUND_COOLDOWN, Preflight, PreflightStep, preflight_pull,
};
