//! Double-knock: try RFC 9421 first, fall back to draft-cavage on 400/401, remember per origin
//! what worked (Fedify's `doubleKnock`). Pure state, no I/O.

use std::collections::HashMap;

use crate::verify::Scheme;

/// What to do after a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Knock {
    /// Done (success, or a failure that another scheme would not fix).
    Done,
    /// Re-sign with this scheme and send again.
    Retry(Scheme),
}

/// Per-origin memory of which scheme a server accepts.
#[derive(Debug, Clone)]
pub struct DoubleKnock {
    first: Scheme,
    remembered: HashMap<String, Scheme>,
    max_origins: usize,
    retry_on_server_error: bool,
}

impl Default for DoubleKnock {
    fn default() -> Self {
        DoubleKnock::new()
    }
}

impl DoubleKnock {
    /// RFC 9421 first; remembers up to 10 000 origins; retries on 400 and 401.
    pub fn new() -> Self {
        DoubleKnock {
            first: Scheme::Rfc9421,
            remembered: HashMap::new(),
            max_origins: 10_000,
            retry_on_server_error: false,
        }
    }

    /// Which scheme to try first for unknown origins.
    #[must_use]
    pub fn with_first(mut self, scheme: Scheme) -> Self {
        self.first = scheme;
        self
    }

    /// Also retry on any status > 401 (Fedify's hotfix for servers answering 500).
    #[must_use]
    pub fn retry_on_server_error(mut self, yes: bool) -> Self {
        self.retry_on_server_error = yes;
        self
    }

    /// Bounds the memory (oldest entries are not tracked; when full, the map is cleared).
    #[must_use]
    pub fn with_max_origins(mut self, n: usize) -> Self {
        self.max_origins = n.max(1);
        self
    }

    /// The scheme to sign the first attempt with (`origin` = `scheme://host[:port]`).
    pub fn first_attempt(&self, origin: &str) -> Scheme {
        self.remembered.get(origin).copied().unwrap_or(self.first)
    }

    /// Records the response to an attempt signed with `tried`; says whether to retry.
    /// Only one retry is suggested: a retry's own response should be passed with
    /// `is_retry = true`.
    pub fn on_response(
        &mut self,
        origin: &str,
        tried: Scheme,
        status: u16,
        is_retry: bool,
    ) -> Knock {
        let rejected =
            status == 400 || status == 401 || (self.retry_on_server_error && status > 401);
        if (200..400).contains(&status) {
            self.remember(origin, tried);
            return Knock::Done;
        }
        if rejected && !is_retry {
            let other = match tried {
                Scheme::Rfc9421 => Scheme::Cavage,
                Scheme::Cavage => Scheme::Rfc9421,
            };
            return Knock::Retry(other);
        }
        Knock::Done
    }

    fn remember(&mut self, origin: &str, scheme: Scheme) {
        if scheme == self.first {
            self.remembered.remove(origin);
            return;
        }
        if self.remembered.len() >= self.max_origins && !self.remembered.contains_key(origin) {
            self.remembered.clear();
        }
        self.remembered.insert(origin.to_owned(), scheme);
    }

    /// Number of origins remembered as needing the non-default scheme.
    pub fn remembered(&self) -> usize {
        self.remembered.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn falls_back_and_remembers() {
        let mut dk = DoubleKnock::new();
        let o = "https://old.example";
        assert_eq!(dk.first_attempt(o), Scheme::Rfc9421);
        assert_eq!(
            dk.on_response(o, Scheme::Rfc9421, 401, false),
            Knock::Retry(Scheme::Cavage)
        );
        assert_eq!(dk.on_response(o, Scheme::Cavage, 202, true), Knock::Done);
        assert_eq!(dk.first_attempt(o), Scheme::Cavage);
        assert_eq!(dk.first_attempt("https://new.example"), Scheme::Rfc9421);
        // A failing retry does not loop.
        assert_eq!(dk.on_response(o, Scheme::Cavage, 401, true), Knock::Done);
        // 500 is not retried unless asked.
        assert_eq!(dk.on_response(o, Scheme::Rfc9421, 500, false), Knock::Done);
        let mut dk = DoubleKnock::new()
            .retry_on_server_error(true)
            .with_max_origins(1);
        assert_eq!(
            dk.on_response(o, Scheme::Rfc9421, 500, false),
            Knock::Retry(Scheme::Cavage)
        );
        dk.on_response("a", Scheme::Cavage, 200, true);
        dk.on_response("b", Scheme::Cavage, 200, true);
        assert_eq!(dk.remembered(), 1);
        dk.on_response("b", Scheme::Rfc9421, 200, false);
        assert_eq!(dk.remembered(), 0);
    }
}
