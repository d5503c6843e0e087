//! `activitystreams_move::Activity` (a `Move`) → [`MoveFacts`].

use activitystreams_move::{Activity, ActivityKind, ReadOptions, Reference};

use super::AdaptError;
use crate::inbound::MoveFacts;

/// The pipeline's facts from a parsed `Move`.
///
/// Every value of `actor`, `object` and `target` is kept, so the pipeline's "exactly one" shape
/// rule sees a list of two as two; embedded objects are reduced to their `id`, and an embedded
/// object **without** an `id` is kept as an empty string (which the pipeline refuses as
/// malformed) rather than dropped, so `["https://a", {}]` never passes for a single actor.
pub fn move_facts(activity: &Activity) -> Result<MoveFacts, AdaptError> {
    if activity.kind != ActivityKind::Move {
        return Err(AdaptError::NotAMove {
            found: activity.kind.as_str(),
        });
    }
    Ok(MoveFacts {
        id: activity.id().map(str::to_owned),
        actor: ids(&activity.actor),
        object: ids(&activity.object),
        target: ids(&activity.target),
    })
}

/// Reads a `Move` from bytes (context guard included) and returns its facts; a parse or
/// context-guard error is returned as [`AdaptError::Parse`] and the pipeline must not run.
pub fn parse_move(bytes: &[u8], options: &ReadOptions) -> Result<MoveFacts, AdaptError> {
    move_facts(&Activity::from_slice(bytes, options)?)
}

fn ids(refs: &[Reference]) -> Vec<String> {
    refs.iter()
        .map(|r| r.id().unwrap_or_default().to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const AS: &str = "https://www.w3.org/ns/activitystreams";

    fn parse(doc: serde_json::Value) -> Result<MoveFacts, AdaptError> {
        parse_move(doc.to_string().as_bytes(), &ReadOptions::default())
    }

    #[test]
    fn push_move_with_embedded_object() {
        let facts = parse(serde_json::json!({
            "@context": AS,
            "id": "https://old.example/u/a/moves/1",
            "type": "Move",
            "actor": "https://old.example/u/a",
            "object": {"id": "https://old.example/u/a", "type": "Person"},
            "target": {"id": "https://new.example/u/a"}
        }))
        .unwrap();
        assert_eq!(
            facts,
            MoveFacts::new(
                "https://old.example/u/a/moves/1",
                "https://old.example/u/a",
                "https://old.example/u/a",
                "https://new.example/u/a"
            )
        );
    }

    #[test]
    fn every_value_kept_and_idless_embedded_not_dropped() {
        let facts = parse(serde_json::json!({
            "@context": AS,
            "type": "Move",
            "actor": ["https://old.example/u/a", {"type": "Person"}],
            "object": "https://old.example/u/a",
            "target": ["https://new.example/u/a", "https://evil.example/u/x"]
        }))
        .unwrap();
        assert_eq!(facts.id, None);
        assert_eq!(facts.actor, ["https://old.example/u/a", ""]);
        assert_eq!(facts.target.len(), 2);
    }

    #[test]
    fn not_a_move() {
        let err = parse(serde_json::json!({
            "@context": AS, "id": "https://a.example/f/1", "type": "Follow",
            "actor": "https://a.example/u/a", "object": "https://b.example/u/b"
        }))
        .unwrap_err();
        assert_eq!(err.kind(), "not_a_move");
    }

    #[test]
    fn context_guard_refusal_surfaces_as_the_parser_error() {
        // A context that redefines `target` must never be read by name.
        let err = parse(serde_json::json!({
            "@context": [AS, {"target": "https://evil.example/ns#target"}],
            "id": "https://old.example/u/a/moves/1",
            "type": "Move",
            "actor": "https://old.example/u/a",
            "object": "https://old.example/u/a",
            "target": "https://new.example/u/a"
        }))
        .unwrap_err();
        let AdaptError::Parse(inner) = &err else {
            panic!("expected the parser's error, got {err:?}")
        };
        assert!(inner.is_context_error(), "{inner:?}");
        assert_eq!(err.kind(), inner.kind());
    }

    #[test]
    fn garbage_bytes_are_a_parse_error() {
        for bytes in [&b""[..], b"{", b"[]", b"\xff\xfe", b"{\"type\": 5}"] {
            let err = parse_move(bytes, &ReadOptions::default()).unwrap_err();
            assert!(
                matches!(err, AdaptError::Parse(_) | AdaptError::NotAMove { .. }),
                "{err:?}"
            );
        }
    }
}
