//! Helpers shared by the fuzz targets in `fuzz_targets/`.
#![forbid(unsafe_code)]
