//! `persona` module (under construction).
