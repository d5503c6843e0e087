//! Processing one local context (an inline map, or the `@context` of a bundled document) into a
//! [`Layer`], with the guard's checks on every definition (json-ld.md §7).

use std::collections::HashMap;

use serde_json::{Map, Value};

use super::{ActiveContext, Layer, TermDef};
use crate::Error;
use crate::vocab::{self, TermId};

/// Result of expanding an IRI inside a context definition.
struct Expanded {
    iri: String,
    /// The prefix of a compact IRI whose prefix is not defined (then `iri` is the value as is).
    unresolved_prefix: Option<String>,
}

/// Longest chain of term definitions depending on each other (`a` → `b:x` → `c:y` …).
const MAX_DEFINITION_CHAIN: usize = 32;

struct Local<'a> {
    map: &'a Map<String, Value>,
    active: &'a ActiveContext,
    at: &'a str,
    known: bool,
    protected_default: bool,
    vocab: Option<Option<String>>,
    defined: HashMap<String, TermDef>,
    unresolved: HashMap<String, String>,
    in_progress: Vec<String>,
}

/// Processes a local context map on top of `active`.
///
/// `known`: the map comes from a bundled document (scoped contexts are trusted there).
pub(crate) fn process_local(
    map: &Map<String, Value>,
    active: &ActiveContext,
    at: &str,
    known: bool,
) -> Result<Layer, Error> {
    let mut local = Local {
        map,
        active,
        at,
        known,
        protected_default: false,
        vocab: None,
        defined: HashMap::new(),
        unresolved: HashMap::new(),
        in_progress: Vec::new(),
    };
    // JSON-LD 1.1 §4.1.2 steps 5.5–5.10: keywords first.
    for (key, value) in map {
        if !key.starts_with('@') {
            continue;
        }
        match key.as_str() {
            "@version" | "@language" | "@direction" => {}
            "@protected" => local.protected_default = value.as_bool().unwrap_or(false),
            "@propagate" if value == &Value::Bool(true) => {}
            "@base" if value.is_null() => {}
            "@vocab" => local.vocab = Some(local.expand_vocab(value)?),
            "@import" | "@propagate" | "@base" => {
                return Err(Error::ContextKeyword {
                    at: at.to_string(),
                    keyword: key.clone(),
                });
            }
            _ => {
                return Err(Error::InvalidContext {
                    at: at.to_string(),
                    reason: "keyword redefinition",
                });
            }
        }
    }
    for key in map.keys() {
        if !key.starts_with('@') {
            local.define(key)?;
        }
    }
    // In document order, so that the first refused term is the same on every run.
    for term in map.keys() {
        if let Some(def) = local.defined.get(term) {
            local.check(term, def)?;
        }
    }
    Ok(Layer {
        terms: local.defined,
        vocab: local.vocab,
    })
}

impl Local<'_> {
    fn invalid(&self, reason: &'static str) -> Error {
        Error::InvalidContext {
            at: self.at.to_string(),
            reason,
        }
    }

    fn current_vocab(&self) -> Option<&str> {
        match &self.vocab {
            Some(v) => v.as_deref(),
            None => self.active.vocab(),
        }
    }

    fn expand_vocab(&mut self, value: &Value) -> Result<Option<String>, Error> {
        match value {
            Value::Null => Ok(None),
            Value::String(s) if s == "_:" || s.contains("://") || s.starts_with("_:") => {
                Ok(Some(s.clone()))
            }
            Value::String(s) => {
                let e = self.expand(s, true)?;
                Ok(Some(e.iri))
            }
            _ => Err(self.invalid("@vocab must be a string or null")),
        }
    }

    /// IRI expansion for definitions (JSON-LD 1.1 §5.2), looking at this map's own terms first.
    fn expand(&mut self, value: &str, vocab_relative: bool) -> Result<Expanded, Error> {
        let plain = |iri: String| Expanded {
            iri,
            unresolved_prefix: None,
        };
        if value.starts_with('@') {
            return Ok(plain(value.to_string()));
        }
        if vocab_relative {
            if self.map.contains_key(value) {
                self.define(value)?;
                if let Some(def) = self.defined.get(value) {
                    return match &def.iri {
                        Some(iri) => Ok(plain(iri.clone())),
                        None => Err(self.invalid("term refers to a null-mapped term")),
                    };
                }
            } else if let Some(def) = self.active.lookup(value)
                && let Some(iri) = &def.iri
            {
                return Ok(plain(iri.clone()));
            }
        }
        if let Some((prefix, suffix)) = value.split_once(':') {
            if prefix == "_" || suffix.starts_with("//") {
                return Ok(plain(value.to_string()));
            }
            let ns = if self.map.contains_key(prefix) {
                self.define(prefix)?;
                self.defined.get(prefix).and_then(|d| d.iri.clone())
            } else {
                self.active.lookup(prefix).and_then(|d| d.iri.clone())
            };
            return Ok(match ns {
                Some(ns) => plain(format!("{ns}{suffix}")),
                None => Expanded {
                    iri: value.to_string(),
                    unresolved_prefix: Some(prefix.to_string()),
                },
            });
        }
        if vocab_relative && let Some(v) = self.current_vocab() {
            return Ok(plain(format!("{v}{value}")));
        }
        Err(self.invalid("relative IRI in a term definition"))
    }

    /// Create Term Definition (JSON-LD 1.1 §4.2.2), reduced to what decides meaning.
    fn define(&mut self, term: &str) -> Result<(), Error> {
        if self.defined.contains_key(term) {
            return Ok(());
        }
        if self.in_progress.iter().any(|t| t == term) {
            return Err(self.invalid("cyclic IRI mapping"));
        }
        // Definitions that depend on definitions recurse; bound the chain so a hostile context
        // cannot exhaust the stack.
        if self.in_progress.len() >= MAX_DEFINITION_CHAIN {
            return Err(self.invalid("term definitions depend on each other too deeply"));
        }
        let Some(value) = self.map.get(term) else {
            return Ok(());
        };
        self.in_progress.push(term.to_string());
        let result = self.build(term, value);
        self.in_progress.pop();
        let (def, unresolved) = result?;
        if let Some(prefix) = unresolved {
            self.unresolved.insert(term.to_string(), prefix);
        }
        self.defined.insert(term.to_string(), def);
        Ok(())
    }

    fn build(&mut self, term: &str, value: &Value) -> Result<(TermDef, Option<String>), Error> {
        let mut def = TermDef {
            iri: None,
            reverse: false,
            type_mapping: None,
            container: None,
            scoped: None,
            protected: self.protected_default,
        };
        let mut unresolved = None;
        match value {
            Value::Null => {}
            Value::String(s) => {
                let e = self.expand(s, true)?;
                unresolved = e.unresolved_prefix;
                def.iri = Some(e.iri);
            }
            Value::Object(o) => {
                for key in o.keys() {
                    if !matches!(
                        key.as_str(),
                        "@id"
                            | "@reverse"
                            | "@type"
                            | "@container"
                            | "@context"
                            | "@language"
                            | "@direction"
                            | "@index"
                            | "@nest"
                            | "@prefix"
                            | "@protected"
                    ) {
                        return Err(self.invalid("invalid term definition member"));
                    }
                }
                if let Some(r) = o.get("@reverse") {
                    let Value::String(r) = r else {
                        return Err(self.invalid("@reverse must be a string"));
                    };
                    let e = self.expand(r, true)?;
                    unresolved = e.unresolved_prefix;
                    def.iri = Some(e.iri);
                    def.reverse = true;
                } else {
                    match o.get("@id") {
                        Some(Value::Null) => {}
                        Some(Value::String(id)) if id != term => {
                            let e = self.expand(id, true)?;
                            unresolved = e.unresolved_prefix;
                            def.iri = Some(e.iri);
                        }
                        Some(Value::String(_)) | None => {
                            def.iri = Some(self.iri_from_term(term, &mut unresolved)?);
                        }
                        Some(_) => return Err(self.invalid("@id must be a string or null")),
                    }
                }
                match o.get("@type") {
                    None | Some(Value::Null) => {}
                    Some(Value::String(t)) => {
                        let e = self.expand(t, true)?;
                        def.type_mapping = Some(e.iri);
                    }
                    Some(_) => return Err(self.invalid("@type must be a string")),
                }
                match o.get("@container") {
                    None | Some(Value::Null) => {}
                    Some(Value::String(c)) => def.container = Some(c.clone()),
                    Some(Value::Array(cs)) => {
                        let mut names: Vec<&str> = cs.iter().filter_map(Value::as_str).collect();
                        if names.len() != cs.len() {
                            return Err(self.invalid("@container must hold strings"));
                        }
                        names.sort_unstable();
                        def.container = Some(names.join(" "));
                    }
                    Some(_) => return Err(self.invalid("@container must be a string or array")),
                }
                def.scoped = o.get("@context").cloned();
                if let Some(p) = o.get("@protected") {
                    def.protected = p.as_bool().unwrap_or(false);
                }
            }
            _ => return Err(self.invalid("term definition must be a string, object or null")),
        }
        Ok((def, unresolved))
    }

    /// A definition without `@id`: the term itself is a compact/absolute IRI, or `@vocab` applies.
    fn iri_from_term(
        &mut self,
        term: &str,
        unresolved: &mut Option<String>,
    ) -> Result<String, Error> {
        if term.contains(':') {
            let e = self.expand(term, false)?;
            *unresolved = e.unresolved_prefix;
            return Ok(e.iri);
        }
        match self.current_vocab() {
            Some(v) => Ok(format!("{v}{term}")),
            None => Err(self.invalid("term has no IRI mapping")),
        }
    }

    /// The guard's rules for one definition (json-ld.md §7).
    fn check(&self, term: &str, def: &TermDef) -> Result<(), Error> {
        let at = || self.at.to_string();
        let guarded: Option<TermId> =
            vocab::term_id(term).or_else(|| vocab::classify_key(term).map(|(id, _)| id));
        if let Some(id) = guarded {
            let canonical = def
                .iri
                .as_deref()
                .is_some_and(|iri| vocab::iris_of(id).contains(&iri));
            let coercion_ok = match def.type_mapping.as_deref() {
                None | Some("@id") => true,
                Some(t) => !t.starts_with('@'),
            };
            // data-integrity's `proof` is a graph container (VC Data Integrity §2.1).
            let container_ok = matches!(def.container.as_deref(), None | Some("@set"))
                || (vocab::name_of(id) == "proof" && def.container.as_deref() == Some("@graph"));
            let scoped_ok = def.scoped.is_none() || self.known;
            if !canonical {
                if let Some(prefix) = self.unresolved.get(term) {
                    return Err(Error::ContextUndefinedPrefix {
                        at: at(),
                        term: term.to_string(),
                        prefix: prefix.clone(),
                    });
                }
                return Err(Error::ContextRedefinesTerm {
                    at: at(),
                    term: term.to_string(),
                });
            }
            if def.reverse || !coercion_ok || !container_ok || !scoped_ok {
                return Err(Error::ContextRedefinesTerm {
                    at: at(),
                    term: term.to_string(),
                });
            }
            return Ok(());
        }
        let Some(iri) = def.iri.as_deref() else {
            return Ok(());
        };
        if def.reverse {
            return Err(Error::UnsupportedKeyword {
                at: at(),
                keyword: format!("@reverse ({term})"),
            });
        }
        if iri.starts_with('@') {
            if matches!(
                iri,
                "@graph" | "@included" | "@reverse" | "@nest" | "@context"
            ) {
                return Err(Error::UnsupportedKeyword {
                    at: at(),
                    keyword: format!("{iri} ({term})"),
                });
            }
            return Err(Error::ContextAliasesTerm {
                at: at(),
                term: term.to_string(),
                meaning: iri.to_string(),
            });
        }
        // A second prefix for a namespace holding guarded terms (`"activitystreams":
        // "https://www.w3.org/ns/activitystreams#"` would let `activitystreams:movedTo` past a
        // key-name reader). Mastodon's namespace is exempt: Lemmy binds `mastodon:` to it and the
        // only guarded term there is `suspended` (a documented gap: `<alias>:suspended` is not read).
        if iri.ends_with(['#', '/', ':', '?', '@', '[', ']'])
            && iri != crate::vocab::TOOT_NS
            && vocab::TERMS
                .iter()
                .any(|t| t.field.is_some() && t.iris.iter().any(|g| g.starts_with(iri)))
        {
            return Err(Error::ContextAliasesTerm {
                at: at(),
                term: term.to_string(),
                meaning: iri.to_string(),
            });
        }
        // A second term meaning a guarded property or type (Lemmy's `matrixUserId` →
        // `as:alsoKnownAs`, mastodon/mastodon#16974): refused, see README "Aliases".
        if let Some(id) = vocab::term_for_iri(iri)
            && (vocab::field_of(id).is_some() || vocab::is_type_name(vocab::name_of(id)))
        {
            return Err(Error::ContextAliasesTerm {
                at: at(),
                term: term.to_string(),
                meaning: iri.to_string(),
            });
        }
        Ok(())
    }
}
