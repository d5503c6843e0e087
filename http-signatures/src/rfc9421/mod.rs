//! RFC 9421 HTTP Message Signatures: component identifiers, `Signature-Input` / `Signature`
//! fields and the signature base.

mod base;
mod components;
mod sf;
mod signature_input;

pub use base::{KNOWN_SF_TYPES, Message, SfType, append_component_value, build_signature_base};
pub use components::{ComponentId, DERIVED_COMPONENTS};
pub(crate) use sf::{
    RawEntry, RawItem, for_each_byte_sequence_member,
    parse_unique_dictionary as sf_parse_dictionary,
};
pub use signature_input::{SignatureInput, SignatureParam, parse_signature, parse_signature_input};
