//! Importing a follower list the person kept (pull mode, spec/move.md §1.4 #22, #24).
//!
//! When the old server is gone, the new one can only move followers the person kept a list of.
//! This module reads such lists, **streaming** (one line at a time, with limits on line length,
//! entry count and total size), and yields one [`ListEntry`] per account, with line numbers on
//! every error. Accepted shapes:
//!
//! * Mastodon's CSV export (`Account address,Show boosts,Notify on new posts,Languages`, with
//!   `user@domain` handles), with or without the header, columns found by name;
//! * the one-column exports (`Account address` header or none) of followers/following lists;
//! * a plain list of actor ids (`https://…`), one per line.
//!
//! Blank lines and lines starting with `#` are ignored; a UTF-8 byte-order mark is skipped.
//! Entries are either an [`Account::ActorId`] (usable as is) or an [`Account::Handle`], which
//! **must be resolved with WebFinger** (`acct:user@domain`) before anything is sent to it.
//!
//! ```
//! use fep7628::follower_list::{Account, FollowerListReader, ListFormat, ListLimits};
//!
//! let csv = "Account address,Show boosts,Notify on new posts,Languages\n\
//!            bob@example.social,false,true,\"en,de\"\n\
//!            \n\
//!            https://other.example/users/carol\n\
//!            not a handle\n";
//! let mut reader = FollowerListReader::new(csv.as_bytes(), ListFormat::Auto, ListLimits::default());
//! let bob = reader.next().unwrap()?;
//! assert_eq!(bob.line, 2);
//! assert!(matches!(&bob.account, Account::Handle(h) if h.webfinger_resource() == "acct:bob@example.social"));
//! let settings = bob.settings.unwrap();
//! assert!(!settings.show_reblogs && settings.notify);
//! assert_eq!(settings.languages.unwrap(), ["en", "de"]);
//! let carol = reader.next().unwrap()?;
//! assert!(matches!(carol.account, Account::ActorId(ref id) if id == "https://other.example/users/carol"));
//! let err = reader.next().unwrap().unwrap_err();
//! assert_eq!((err.line, err.kind()), (5, "invalid_account"));
//! assert!(reader.next().is_none());
//! # Ok::<(), fep7628::follower_list::ListError>(())
//! ```

mod account;
mod csv;
mod error;
mod reader;

pub use account::{Account, Handle};
pub use error::{ListError, ListErrorKind};
pub use reader::{FollowerListReader, ListEntry, ListFormat, ListLimits};
