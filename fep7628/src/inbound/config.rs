//! Receiver configuration and hostile-input limits.

/// Explicit limits on what one check may cost (DESIGN §2.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Limits {
    /// Longest id accepted (bytes) for `id`, `actor`, `object`, `target`.
    pub max_id_len: usize,
    /// Most `alsoKnownAs` values a target may carry (Mastodon `ALSO_KNOWN_AS_HARD_LIMIT`).
    pub max_aliases: usize,
    /// Most hops walked in the local move graph (Misskey: chain depth ≤ 10).
    pub max_chain_hops: usize,
    /// Most questions (fetches + lookups) one check may ask.
    pub max_steps: usize,
    /// Most fetches one check may ask.
    pub max_fetches: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_id_len: 2048,
            max_aliases: 256,
            max_chain_hops: 10,
            max_steps: 32,
            max_fetches: 2,
        }
    }
}

/// How strict the receiver is. [`InboundConfig::default`] is strict: push mode only, `id`
/// required, origin not re-fetched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct InboundConfig {
    /// Accept pull-mode Moves (`actor == target`), with old-side evidence (E3). Default `false`:
    /// only Mitra accepts pull mode in the wild (spec/move.md §6.3: opt-in).
    pub allow_pull: bool,
    /// Require the Move's `id` (FEP-7628 MUST; GoToSocial rejects without). Default `true`;
    /// `false` admits Akkoma-style id-less Moves.
    pub require_id: bool,
    /// In push mode, also fetch the origin fresh to compare its `movedTo` with the target
    /// (Misskey, Pixelfed; E15). Default `false`: the origin may be offline after moving (E12),
    /// and an origin document supplied by the caller is compared anyway.
    pub refetch_origin: bool,
    /// Hostile-input limits.
    pub limits: Limits,
}

impl Default for InboundConfig {
    fn default() -> Self {
        InboundConfig {
            allow_pull: false,
            require_id: true,
            refetch_origin: false,
            limits: Limits::default(),
        }
    }
}

impl InboundConfig {
    /// Strict defaults.
    pub fn strict() -> Self {
        InboundConfig::default()
    }

    /// Builder: accept pull-mode Moves.
    pub fn allow_pull(mut self, allow: bool) -> Self {
        self.allow_pull = allow;
        self
    }

    /// Builder: require the Move's `id`.
    pub fn require_id(mut self, require: bool) -> Self {
        self.require_id = require;
        self
    }

    /// Builder: re-fetch the origin in push mode.
    pub fn refetch_origin(mut self, refetch: bool) -> Self {
        self.refetch_origin = refetch;
        self
    }

    /// Builder: replace the limits.
    pub fn limits(mut self, limits: Limits) -> Self {
        self.limits = limits;
        self
    }
}

impl Limits {
    /// Builder: most fetches per check (at least 1: the target is always fetched).
    pub fn with_max_fetches(mut self, n: usize) -> Self {
        self.max_fetches = n;
        self
    }
    /// Builder: most steps per check.
    pub fn with_max_steps(mut self, n: usize) -> Self {
        self.max_steps = n;
        self
    }
    /// Builder: most chain hops walked.
    pub fn with_max_chain_hops(mut self, n: usize) -> Self {
        self.max_chain_hops = n;
        self
    }
    /// Builder: most `alsoKnownAs` values on a target.
    pub fn with_max_aliases(mut self, n: usize) -> Self {
        self.max_aliases = n;
        self
    }
}
