//! Outbound: building Moves and actor updates, preflight checks, delivery lists.
