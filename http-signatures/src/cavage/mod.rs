//! draft-cavage-http-signatures-12: header parsing and the signing string.
//!
//! Verification and signing live in [`crate::verify`] and [`crate::sign`]; this module holds
//! the pure building blocks (also used by the fuzz targets).

mod params;
mod signing_string;

pub(crate) use params::is_tchar;
pub use params::{CavageParams, parse_authorization, parse_params, parse_signature_header};
pub use signing_string::{PseudoValues, SigningStringOptions, build_signing_string};
pub(crate) use signing_string::{append_request_target, build_signing_string_with};
