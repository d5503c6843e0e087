//! Activity validation: FEP-7628 Move shape and modes, and the shape of the other kinds.

use super::problem::{Problem, ProblemKind, Rule, Severity};
use super::uri::{self, Schemes};
use crate::reference::Reference;
use crate::vocab::Field;
use crate::{Activity, ActivityKind, MoveMode, pointer};

/// Every problem found in an activity, each with its JSON Pointer.
///
/// For a `Move` (FEP-7628 §Move activity, move.md §1.3–§1.4, §1.8 #40): `id` (a warning when
/// absent or not a URI — Mastodon and Akkoma accept such Moves), exactly one `actor`, `object`
/// and `target`, each an http(s) IRI; push (`actor == object`) or pull (`actor == target`)
/// mode; `object != target`. For `Follow`, `Undo`, `Accept`, `Reject`, `Update`: one `actor` and
/// one `object`. The signer check needs the authenticated key owner: see
/// [`validate_move_signer`].
///
/// ```
/// use activitystreams_move::{Activity, ReadOptions, validate_activity};
///
/// let mv = Activity::from_slice(br#"{
///   "@context": "https://www.w3.org/ns/activitystreams",
///   "id": "https://a.example/moves/1", "type": "Move",
///   "actor": "https://a.example/u/a", "object": "https://a.example/u/a",
///   "target": "https://a.example/u/a"
/// }"#, &ReadOptions::default()).unwrap();
/// let problems = validate_activity(&mv);
/// assert_eq!(problems[0].kind(), "move_to_self");
/// assert_eq!(problems[0].at, "/target");
/// ```
pub fn validate_activity(activity: &Activity) -> Vec<Problem> {
    let mut out = Vec::new();
    let rule = match activity.kind {
        ActivityKind::Move => Rule::Fep7628,
        _ => Rule::ActivityPub,
    };
    match activity.id() {
        None => out.push(Problem::new(
            "/id",
            ProblemKind::MissingField,
            Severity::Warning,
            rule,
            "an activity should have an id (FEP-7628 MUST for Move)",
        )),
        Some(id) => out.extend(uri::check(
            id,
            "/id",
            Schemes::Http,
            rule,
            Severity::Warning,
        )),
    }
    let info = &activity.read_info;
    let single = |refs: &[Reference], field: Field, key: &str, out: &mut Vec<Problem>| {
        let base = pointer::push("", key);
        match refs.len() {
            0 => out.push(Problem::new(
                base.clone(),
                ProblemKind::MissingField,
                Severity::Error,
                rule,
                format!("{key} is required"),
            )),
            1 => {}
            n => out.push(Problem::new(
                base.clone(),
                ProblemKind::NotSingle,
                Severity::Error,
                rule,
                format!("{key} must be exactly one, found {n}"),
            )),
        }
        let many = info.was_array(field) || refs.len() > 1;
        for (i, r) in refs.iter().enumerate() {
            let at = if many {
                pointer::push_index(&base, i)
            } else {
                base.clone()
            };
            match r.id() {
                None => out.push(Problem::new(
                    pointer::push(&at, "id"),
                    ProblemKind::MissingField,
                    Severity::Error,
                    rule,
                    format!("{key} must have an id"),
                )),
                Some(id) => {
                    let at = if r.embedded.is_some() {
                        pointer::push(&at, "id")
                    } else {
                        at
                    };
                    out.extend(uri::check(id, &at, Schemes::Http, rule, Severity::Error));
                }
            }
        }
    };
    single(&activity.actor, Field::Actor, "actor", &mut out);
    single(&activity.object, Field::Object, "object", &mut out);
    if activity.kind == ActivityKind::Move {
        single(&activity.target, Field::Target, "target", &mut out);
        move_rules(activity, &mut out);
    }
    for (key, iris) in [("to", &activity.to), ("cc", &activity.cc)] {
        let base = pointer::push("", key);
        for (i, v) in iris.iter().enumerate() {
            if crate::vocab::is_public(v) {
                continue;
            }
            let at = uri::element_at(&base, iris.shape(), i);
            out.extend(uri::check(
                v,
                &at,
                Schemes::Http,
                Rule::ActivityPub,
                Severity::Error,
            ));
        }
    }
    out
}

/// FEP-7628 push/pull and object ≠ target (move.md §1.8 #40 steps 3–4).
fn move_rules(activity: &Activity, out: &mut Vec<Problem>) {
    let Some(mv) = activity.as_move() else {
        return;
    };
    let (Some(actor), Some(origin), Some(target)) = (mv.actor(), mv.origin(), mv.target()) else {
        return;
    };
    if origin == target {
        out.push(Problem::new(
            "/target",
            ProblemKind::MoveToSelf,
            Severity::Error,
            Rule::Fep7628,
            format!("Move target and origin were the same ({origin})"),
        ));
        return;
    }
    if mv.mode() == MoveMode::Neither {
        out.push(Problem::new(
            "/object",
            ProblemKind::MoveMode,
            Severity::Error,
            Rule::Fep7628,
            format!(
                "neither push (actor == object) nor pull (actor == target): actor {actor}, object {origin}"
            ),
        ));
    }
}

/// Checks that the authenticated signer (HTTP-signature key owner or FEP-8b32 proof controller)
/// is the Move's `actor` (move.md §1.8 #40 step 1, GtS "Move was signed by … but actor was …").
pub fn validate_move_signer(activity: &Activity, signer: &str) -> Option<Problem> {
    match activity.actor_id() {
        Some(actor) if actor == signer => None,
        actor => Some(Problem::new(
            "/actor",
            ProblemKind::SignerMismatch,
            Severity::Error,
            Rule::Fep7628,
            format!(
                "Move was signed by {signer} but actor was {}",
                actor.unwrap_or("(not one actor)")
            ),
        )),
    }
}
