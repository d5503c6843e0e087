//! RFC 9421 HTTP Message Signatures: component identifiers, `Signature-Input` / `Signature`
//! fields and the signature base.

mod base;
mod components;
mod sf;
mod signature_input;

pub use base::{append_component_value, build_signature_base, Message, SfType, KNOWN_SF_TYPES};
pub use components::{ComponentId, DERIVED_COMPONENTS};
pub use signature_input::{parse_signature, parse_signature_input, SignatureInput, SignatureParam};
pub(crate) use sf::parse_unique_dictionary as sf_parse_dictionary;
