//! `resolve` module (under construction).
