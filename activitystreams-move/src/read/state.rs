//! Reader state shared by all seeds: limits, the first error, the terms used.

use std::sync::Arc;

use crate::context::ContextVerdict;
use crate::vocab::TermSet;
use crate::{Error, Limits, pointer};

/// A location in the document being read, as a linked list (no allocation until an error
/// needs to be rendered as a JSON Pointer).
#[derive(Clone, Copy)]
pub(crate) enum Path<'a> {
    Root,
    Key(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl Path<'_> {
    /// The RFC 6901 pointer for this location.
    pub fn render(&self) -> String {
        match self {
            Path::Root => String::new(),
            Path::Key(parent, key) => pointer::push(&parent.render(), key),
            Path::Index(parent, i) => pointer::push_index(&parent.render(), *i),
        }
    }
}

/// Mutable state threaded through the seeds.
pub(crate) struct ReadState {
    pub limits: Limits,
    /// The first error met; seeds return an opaque serde error after setting it.
    pub error: Option<Error>,
    /// Guarded terms used as keys, type names or compact-IRI prefixes outside Multikey nodes.
    pub used: TermSet,
    /// The same inside `Multikey` nodes (their terms come from a type-scoped context).
    pub used_multikey: TermSet,
    /// Where each used term was first seen (only recorded when `record_paths`).
    pub first_use: Vec<(u8, String)>,
    pub record_paths: bool,
    /// `alsoKnownAs` entries dropped because of `Limits::max_also_known_as`.
    pub also_known_as_dropped: usize,
    /// Read kept members as trees rather than captured text (the second pass after a syntax
    /// error, so that limits are reported where the first pass would have met them).
    pub exact: bool,
    /// The input is a `&str`: kept text can be borrowed from it.
    pub borrow_raw: bool,
    /// The guard's verdict when the root `@context` was one bundled URL (found while reading).
    pub bundled_context: Option<Result<Arc<ContextVerdict>, Error>>,
}

impl ReadState {
    pub fn new(limits: Limits, record_paths: bool) -> Self {
        ReadState {
            limits,
            error: None,
            used: TermSet::EMPTY,
            used_multikey: TermSet::EMPTY,
            first_use: Vec::new(),
            record_paths,
            also_known_as_dropped: 0,
            exact: false,
            borrow_raw: false,
            bundled_context: None,
        }
    }

    /// Records `e` (keeping the first) and returns the serde error that unwinds the parser.
    pub fn fail<E: serde::de::Error>(&mut self, e: Error) -> E {
        if self.error.is_none() {
            self.error = Some(e);
        }
        E::custom("aborted by activitystreams-move")
    }

    pub fn check_depth<E: serde::de::Error>(
        &mut self,
        depth: usize,
        path: &Path<'_>,
    ) -> Result<(), E> {
        if depth > self.limits.max_depth {
            let limit = self.limits.max_depth;
            return Err(self.fail(Error::TooDeep {
                at: path.render(),
                limit,
            }));
        }
        Ok(())
    }

    pub fn check_len<E: serde::de::Error>(&mut self, len: usize, path: &Path<'_>) -> Result<(), E> {
        if len > self.limits.max_array_len {
            let limit = self.limits.max_array_len;
            return Err(self.fail(Error::TooLarge {
                at: path.render(),
                size: len,
                limit,
            }));
        }
        Ok(())
    }

    pub fn invalid<E: serde::de::Error>(&mut self, path: &Path<'_>, expected: &'static str) -> E {
        self.fail(Error::InvalidType {
            at: path.render(),
            expected,
        })
    }
}
