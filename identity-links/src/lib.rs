#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod error;

pub mod also_known_as;
pub mod persona;
pub mod rel_me;
pub mod resolve;

pub use error::{Error, ErrorKind};
