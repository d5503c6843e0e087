//! Shared immutable strings in actions (one allocation per migration or follower, not per
//! action), serialised as plain strings.

/// `#[serde(with = "arc_str")]` for `Arc<str>` fields, without serde's `rc` feature.
pub(crate) mod arc_str {
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(value: &Arc<str>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(value)
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<str>, D::Error> {
        String::deserialize(d).map(Arc::from)
    }
}
