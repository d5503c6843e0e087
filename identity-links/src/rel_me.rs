//! `rel_me` module (under construction).
