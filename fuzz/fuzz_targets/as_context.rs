//! The context guard on arbitrary `@context` values: never panics, and its verdict is stable
//! (classifying the same value twice gives the same answer).
#![no_main]

use activitystreams_move::classify_context;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let first = classify_context(&value).map(|v| v.defined_terms());
    let second = classify_context(&value).map(|v| v.defined_terms());
    assert_eq!(first, second);
});
