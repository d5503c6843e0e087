//! `also_known_as` module (under construction).
