//! UUIDv7 change ids: strictly increasing for one exporter whatever the clock and the
//! randomness do, time-sortable across milliseconds, and valid version-7 UUIDs.

use std::time::{Duration, UNIX_EPOCH};

use fep7628::signals::{ChangeId, ChangeIdGenerator};
use proptest::prelude::*;

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Any sequence of (clock, randomness) — repeated milliseconds, a clock stepping back,
    /// randomness smaller than before — gives strictly increasing, parseable v7 ids.
    #[test]
    fn ids_strictly_increase(steps in prop::collection::vec(
        (0u64..5, any::<bool>(), any::<[u8; 10]>()), 1..300))
    {
        let mut ids = ChangeIdGenerator::new();
        let mut clock: u64 = 1_764_547_200_000;
        let mut previous: Option<ChangeId> = None;
        for (advance, backwards, random) in steps {
            if backwards { clock = clock.saturating_sub(advance) } else { clock += advance }
            let id = ids.next(UNIX_EPOCH + Duration::from_millis(clock), random).unwrap();
            prop_assert_eq!(id.as_uuid().get_version_num(), 7);
            let text = id.to_string();
            prop_assert_eq!(ChangeId::parse(&text, "").unwrap(), id);
            if let Some(p) = previous {
                prop_assert!(id > p, "{} !> {}", id, p);
                // Text order agrees with id order (what a database or a client compares).
                prop_assert!(text > p.to_string());
                // Never earlier than the previous id's time.
                prop_assert!(id.unix_millis() >= p.unix_millis());
            }
            previous = Some(id);
        }
    }

    /// With a clock that never goes back, an id's time is the clock's (unless the same
    /// millisecond's counter overflowed, which needs 2^74 ids).
    #[test]
    fn ids_carry_the_time(millis in prop::collection::vec(0u64..1_000_000, 1..50),
                          random in any::<[u8; 10]>())
    {
        let mut sorted = millis.clone();
        sorted.sort_unstable();
        let mut ids = ChangeIdGenerator::new();
        let base = 1_764_547_200_000u64;
        for m in sorted {
            let id = ids.next(UNIX_EPOCH + Duration::from_millis(base + m), random).unwrap();
            prop_assert_eq!(id.unix_millis(), base + m);
        }
    }
}

#[test]
fn many_ids_in_one_millisecond() {
    let now = UNIX_EPOCH + Duration::from_millis(1_764_547_200_123);
    let mut ids = ChangeIdGenerator::new();
    let mut all = Vec::with_capacity(100_000);
    for i in 0..100_000u32 {
        // Randomness that would sort backwards if it were used as-is.
        let r = (u32::MAX - i).to_be_bytes();
        let id = ids
            .next(now, [r[0], r[1], r[2], r[3], 0, 0, 0, 0, 0, 0])
            .unwrap();
        all.push(id);
    }
    assert!(all.windows(2).all(|w| w[0] < w[1]));
    assert!(all.iter().all(|id| id.unix_millis() == 1_764_547_200_123));
}

#[test]
fn a_saturated_millisecond_moves_on_instead_of_repeating() {
    let now = UNIX_EPOCH + Duration::from_millis(5);
    let mut ids = ChangeIdGenerator::new();
    let top = ids.next(now, [0xff; 10]).unwrap();
    let next = ids.next(now, [0xff; 10]).unwrap();
    assert!(next > top);
    assert_eq!(next.unix_millis(), 6);
}
