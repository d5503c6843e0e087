//! Reference checks: absolute URIs, http(s) only (move.md §1.2 #12: GtS and Akkoma refuse
//! other schemes).

use super::problem::{Problem, ProblemKind, Rule, Severity};
use crate::iris::{Iris, Shape};

/// Which schemes a reference may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Schemes {
    /// `http`/`https`.
    Http,
    /// `http`/`https`, and `ap` (FEP-ef61 portable objects; FEP-e965 allows them in
    /// `movedTo`/`copiedTo`).
    HttpOrAp,
}

/// The problem with `value` as a reference, if any.
pub(crate) fn check(
    value: &str,
    at: &str,
    schemes: Schemes,
    rule: Rule,
    severity: Severity,
) -> Option<Problem> {
    let parsed = url::Url::parse(value);
    let Ok(url) = parsed else {
        return Some(Problem::new(
            at,
            ProblemKind::InvalidUri,
            severity,
            rule,
            format!("{value:?} is not an absolute URI"),
        ));
    };
    let ok = match url.scheme() {
        "http" | "https" => url.host_str().is_some_and(|h| !h.is_empty()),
        "ap" => schemes == Schemes::HttpOrAp,
        _ => false,
    };
    if ok {
        return None;
    }
    Some(Problem::new(
        at,
        ProblemKind::NotHttp,
        severity,
        rule,
        format!("{value:?} is not an http(s) URI"),
    ))
}

/// The pointer to value `i` of a property with the given shape.
pub(crate) fn element_at(base: &str, shape: Shape, i: usize) -> String {
    match shape {
        Shape::Array => crate::pointer::push_index(base, i),
        _ => base.to_string(),
    }
}

/// Checks every value of `iris` at `/key`.
pub(crate) fn check_all(
    iris: &Iris,
    key: &str,
    schemes: Schemes,
    rule: Rule,
    severity: Severity,
    out: &mut Vec<Problem>,
) {
    let base = crate::pointer::push("", key);
    for (i, v) in iris.iter().enumerate() {
        if let Some(p) = check(
            v,
            &element_at(&base, iris.shape(), i),
            schemes,
            rule,
            severity,
        ) {
            out.push(p);
        }
    }
}

/// Requires exactly one value at `/key`.
pub(crate) fn check_single(
    iris: &Iris,
    key: &str,
    rule: Rule,
    severity: Severity,
    required: bool,
    out: &mut Vec<Problem>,
) {
    let at = crate::pointer::push("", key);
    match iris.len() {
        0 if required => out.push(Problem::new(
            at,
            ProblemKind::MissingField,
            severity,
            rule,
            format!("{key} is required"),
        )),
        0 | 1 => {}
        n => out.push(Problem::new(
            at,
            ProblemKind::NotSingle,
            severity,
            rule,
            format!("{key} must hold one IRI, found {n}"),
        )),
    }
}
