//! draft-cavage-http-signatures-12: header parsing and the signing string.
//!
//! Verification and signing live in [`crate::verify`] and [`crate::sign`]; this module holds
//! the pure building blocks (also used by the fuzz targets).

mod params;
mod signing_string;

pub use params::{parse_authorization, parse_params, parse_signature_header, CavageParams};
pub use signing_string::{build_signing_string, PseudoValues, SigningStringOptions};
pub(crate) use signing_string::append_request_target;
