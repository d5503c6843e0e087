#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod algorithm;
mod b64;
pub mod backend;
pub mod cavage;
pub mod content_digest;
pub mod digest;
pub mod double_knock;
pub mod error;
pub mod keys;
pub mod limits;
pub mod message;
pub mod policy;
pub mod rfc9421;
pub mod sign;
pub mod time;
pub mod verify;
pub mod wire;

pub use algorithm::{Algorithm, AlgorithmSet, KeyType, RsaPadding};
pub use backend::Backend;
pub use double_knock::{DoubleKnock, Knock};
pub use error::{Error, Result};
pub use keys::{PrivateKey, PublicKey, SignKey, VerifyKey};
pub use limits::Limits;
pub use message::{HeaderSource, RequestLike, ResponseLike};
pub use policy::{CavageDefaultHeaders, Coverage, VerifyPolicy};
pub use sign::{CavageSignOptions, Rfc9421SignOptions, SignedHeaders, sign_cavage, sign_rfc9421};
pub use time::UnixTime;
pub use verify::{
    KeyResolver, Scheme, VerifiedRequest, VerifiedResponse, Verifier, verify_request,
};
