//! Caller-registered contexts on arbitrary input: the first part of the input is registered as
//! a context document, the rest is a `@context` value referencing it; registering and
//! classifying never panic, and the verdict is stable.
#![no_main]

use activitystreams_move::ContextRegistry;
use libfuzzer_sys::fuzz_target;

const URL: &str = "https://fuzz.example/ctx";

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|b| *b == 0).unwrap_or(data.len());
    let (document, rest) = data.split_at(split);
    let mut registry = ContextRegistry::new();
    if registry.register(URL, document).is_err() {
        return;
    }
    let context = match serde_json::from_slice::<serde_json::Value>(rest.get(1..).unwrap_or(&[])) {
        Ok(v) => v,
        Err(_) => serde_json::json!(["https://www.w3.org/ns/activitystreams", URL]),
    };
    let first = registry.classify(&context).map(|v| v.defined_terms());
    let second = registry.classify(&context).map(|v| v.defined_terms());
    assert_eq!(first, second);
});
