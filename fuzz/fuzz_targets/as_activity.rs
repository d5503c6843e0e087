//! `Activity::from_slice` on arbitrary bytes: never panics; whatever it reads survives
//! re-serialisation and validation.
#![no_main]

use activitystreams_move::{Activity, ReadOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = ReadOptions::default();
    if let Ok(activity) = Activity::from_slice(data, &opts) {
        let _ = activitystreams_move::validate_activity(&activity);
        if let Some(m) = activity.as_move() {
            let _ = (m.mode(), m.idempotency_key());
        }
        let again = activity.to_value();
        let _ = Activity::from_value(&again, &opts);
    }
});
