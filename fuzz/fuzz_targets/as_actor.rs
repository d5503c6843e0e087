//! `Actor::from_slice` on arbitrary bytes: never panics; whatever it reads survives
//! re-serialisation and validation.
#![no_main]

use activitystreams_move::{Actor, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = ReadOptions::default();
    if let Ok(actor) = Actor::from_slice(data, &opts) {
        let _ = activitystreams_move::validate_actor(&actor);
        // What we emit for a document we accepted must be readable again.
        let again = actor.to_value();
        let _ = Actor::from_value(&again, &opts);
    }
    let _ = Actor::from_slice(data, &ReadOptions::strict());
});
