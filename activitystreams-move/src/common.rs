//! What every node type shares: the `@context`/`id`/`type` head of its compact JSON and the
//! accessors over those members.

use serde_json::{Map, Value};

/// Writes `@context` (if given), `id` and `type` (a string for one type, else an array).
pub(crate) fn put_head(
    m: &mut Map<String, Value>,
    context: Option<&Value>,
    id: &Option<String>,
    types: &[String],
) {
    if let Some(c) = context {
        m.insert("@context".into(), c.clone());
    }
    if let Some(id) = id {
        m.insert("id".into(), Value::String(id.clone()));
    }
    match types {
        [] => {}
        [one] => {
            m.insert("type".into(), Value::String(one.clone()));
        }
        many => {
            m.insert(
                "type".into(),
                Value::Array(many.iter().cloned().map(Value::String).collect()),
            );
        }
    }
}

/// The `id`/`type`/read-info accessors of a read document type (fields `id: Option<String>`,
/// `types: Vec<String>`, `read_info: ReadInfo`).
macro_rules! document_accessors {
    ($t:ty) => {
        impl $t {
            /// `id`.
            pub fn id(&self) -> Option<&str> {
                self.id.as_deref()
            }

            /// Whether `type` names `name` (guarded type names in their short form: `Person`,
            /// `Move`, `Tombstone`).
            pub fn has_type(&self, name: &str) -> bool {
                self.types.iter().any(|t| t == name)
            }

            /// Guarded terms read although the context does not define them
            /// (see [`UndefinedTerms`](crate::UndefinedTerms)).
            pub fn undefined_terms(&self) -> crate::TermSet {
                self.read_info.undefined_terms()
            }
        }
    };
}

pub(crate) use document_accessors;
