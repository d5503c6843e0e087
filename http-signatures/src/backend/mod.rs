//! Crypto backends. [`Backend::RustCrypto`] (pure Rust: `rsa`, `ed25519-dalek`, `sha2`) is always
//! compiled; [`Backend::AwsLc`] (`aws-lc-rs` for RSA and SHA-2) is added by the `aws-lc` feature
//! and becomes the default. Both are available in one build, so tests run every vector under
//! both and benches compare them in one run.
//!
//! Ed25519, ECDSA and HMAC always use the RustCrypto implementations (`ed25519-dalek`'s
//! `verify_strict`, `p256`/`p384`, `hmac`).

pub(crate) mod rust_crypto;

#[cfg(feature = "aws-lc")]
pub(crate) mod aws_lc;

/// Which implementation performs RSA and SHA-2.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Backend {
    /// Pure Rust: `rsa` 0.9, `sha2` 0.10. RSA private-key operations are exposed to the Marvin
    /// timing attack (RUSTSEC-2023-0071); verification is unaffected.
    RustCrypto,
    /// `aws-lc-rs` (feature `aws-lc`): faster RSA, constant-time private-key operations.
    #[cfg(feature = "aws-lc")]
    AwsLc,
}

impl Backend {
    /// Every backend compiled into this build, default first.
    pub const fn all() -> &'static [Backend] {
        #[cfg(feature = "aws-lc")]
        {
            &[Backend::AwsLc, Backend::RustCrypto]
        }
        #[cfg(not(feature = "aws-lc"))]
        {
            &[Backend::RustCrypto]
        }
    }

    /// A short name (`rust-crypto`, `aws-lc`) for reports and bench ids.
    pub const fn name(self) -> &'static str {
        match self {
            Backend::RustCrypto => "rust-crypto",
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => "aws-lc",
        }
    }

    /// SHA-256 of `data`.
    pub fn sha256(self, data: &[u8]) -> [u8; 32] {
        match self {
            Backend::RustCrypto => rust_crypto::sha256(data),
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => aws_lc::sha256(data),
        }
    }

    /// SHA-512 of `data`.
    pub fn sha512(self, data: &[u8]) -> [u8; 64] {
        match self {
            Backend::RustCrypto => rust_crypto::sha512(data),
            #[cfg(feature = "aws-lc")]
            Backend::AwsLc => aws_lc::sha512(data),
        }
    }
}

impl Default for Backend {
    /// `AwsLc` when the `aws-lc` feature is on, else `RustCrypto`.
    fn default() -> Self {
        Backend::all()[0]
    }
}
