//! `change_id`: a time-sortable UUID version 7 (RFC 9562 §5.7), and a sans-IO generator whose
//! ids strictly increase even within one millisecond or when the clock steps back.
//!
//! FIRES `docs/concepts/changes.md`: "The `change_id` is a UUID v7 identifier"; consumers ask for
//! "change records where the `change_id` is greater than the last known `change_id`". Comparing
//! two ids is comparing their 16 bytes, which orders first by the 48-bit Unix-millisecond time.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use uuid::Uuid;

use crate::signals::error::{SignalsError, truncate};

/// Largest 48-bit millisecond timestamp.
const MAX_MILLIS: u64 = (1 << 48) - 1;
/// The 74 bits after the timestamp that are not version or variant (`rand_a` ‖ `rand_b`).
const COUNTER_BITS: u32 = 74;
const RAND_B_MASK: u128 = (1 << 62) - 1;

/// A FIRES `change_id`: a UUID version 7 with the RFC 9562 variant. Ordered by its bytes, hence
/// by time first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChangeId(Uuid);

impl ChangeId {
    /// Parses a change id: the canonical hyphenated lower-case form of a UUID version 7 (the
    /// form PostgreSQL prints and FIRES servers send). `at` names the value in errors.
    ///
    /// ```
    /// use fep7628::signals::ChangeId;
    /// let id = ChangeId::parse("0192d0c4-8a58-7cc2-9d0e-5b1f3a2c4d5e", "/change_id").unwrap();
    /// assert_eq!(id.unix_millis(), 0x0192d0c48a58);
    /// assert_eq!(ChangeId::parse("0192d0c4-8a58-4cc2-9d0e-5b1f3a2c4d5e", "/change_id")
    ///     .unwrap_err().kind(), "invalid_change_id"); // version 4
    /// ```
    pub fn parse(text: &str, at: &str) -> Result<ChangeId, SignalsError> {
        let invalid = |reason: String| SignalsError::InvalidChangeId {
            at: at.to_owned(),
            reason,
        };
        if text.len() != 36 {
            return Err(invalid(format!(
                "{:?} is not a 36-character hyphenated UUID",
                truncate(text)
            )));
        }
        let uuid = Uuid::try_parse(text)
            .map_err(|e| invalid(format!("{:?} is not a UUID: {e}", truncate(text))))?;
        // Only the canonical form, so that text order, byte order and equality agree.
        if uuid.hyphenated().to_string() != text {
            return Err(invalid(format!(
                "{:?} is not in canonical lower-case form",
                truncate(text)
            )));
        }
        ChangeId::from_uuid(uuid).ok_or_else(|| {
            invalid(format!(
                "{text} is not a UUID version 7 with the RFC 9562 variant"
            ))
        })
    }

    /// Wraps `uuid` when it is a version 7 UUID with the RFC 9562 variant.
    pub fn from_uuid(uuid: Uuid) -> Option<ChangeId> {
        let ok = uuid.get_version_num() == 7 && uuid.get_variant() == uuid::Variant::RFC4122;
        ok.then_some(ChangeId(uuid))
    }

    /// The UUID.
    pub fn as_uuid(&self) -> &Uuid {
        &self.0
    }

    /// The id's 48-bit Unix timestamp in milliseconds.
    pub fn unix_millis(&self) -> u64 {
        let high = self.0.as_u128() >> 80;
        u64::try_from(high).unwrap_or(MAX_MILLIS)
    }

    /// The 74 bits after the timestamp (`rand_a` ‖ `rand_b`), read as one counter.
    fn counter(&self) -> u128 {
        let v = self.0.as_u128();
        (((v >> 64) & 0xfff) << 62) | (v & RAND_B_MASK)
    }

    fn from_parts(millis: u64, counter: u128) -> ChangeId {
        let v = (u128::from(millis) << 80)
            | (0x7 << 76)
            | ((counter >> 62) << 64)
            | (0b10 << 62)
            | (counter & RAND_B_MASK);
        ChangeId(Uuid::from_u128(v))
    }
}

impl fmt::Display for ChangeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

/// Makes the change ids of one exporter. Sans-IO: the caller passes the time and 10 random
/// bytes for every id.
///
/// RFC 9562 §6.2 method 2 ("monotonic random"): in a new millisecond the 74 bits after the
/// timestamp are the random bytes; in the same millisecond as the previous id — or an earlier
/// one, when the clock stepped back — the previous id's 74 bits plus one, keeping the previous
/// id's timestamp. When those bits overflow, the timestamp moves on by one millisecond. Ids are
/// therefore strictly increasing for one generator whatever the clock does.
///
/// ```
/// use std::time::{Duration, UNIX_EPOCH};
/// use fep7628::signals::ChangeIdGenerator;
/// let mut ids = ChangeIdGenerator::new();
/// let now = UNIX_EPOCH + Duration::from_millis(1_764_547_200_000);
/// let a = ids.next(now, [0xff; 10]).unwrap();
/// let b = ids.next(now, [0x00; 10]).unwrap(); // same millisecond, smaller randomness
/// assert!(b > a);
/// assert_eq!(a.unix_millis(), 1_764_547_200_000);
/// ```
#[derive(Debug, Clone, Default)]
pub struct ChangeIdGenerator {
    last: Option<ChangeId>,
}

impl ChangeIdGenerator {
    /// A generator that has made no id yet.
    pub fn new() -> Self {
        ChangeIdGenerator::default()
    }

    /// A generator continuing after `last` (for example the newest id of a stored log), so the
    /// next id is greater.
    pub fn resume_after(last: ChangeId) -> Self {
        ChangeIdGenerator { last: Some(last) }
    }

    /// The last id made (or resumed after).
    pub fn last(&self) -> Option<ChangeId> {
        self.last
    }

    /// The next id, at `now`, with `random` as the 74 random bits of a new millisecond.
    pub fn next(&mut self, now: SystemTime, random: [u8; 10]) -> Result<ChangeId, SignalsError> {
        let millis = now
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(MAX_MILLIS))
            .min(MAX_MILLIS);
        let id = match self.last {
            Some(last) if millis <= last.unix_millis() => {
                let next = last.counter() + 1;
                if next < (1 << COUNTER_BITS) {
                    ChangeId::from_parts(last.unix_millis(), next)
                } else if last.unix_millis() < MAX_MILLIS {
                    fresh(last.unix_millis() + 1, &random)
                } else {
                    return Err(SignalsError::IdSpaceExhausted);
                }
            }
            _ => fresh(millis, &random),
        };
        self.last = Some(id);
        Ok(id)
    }
}

fn fresh(millis: u64, random: &[u8; 10]) -> ChangeId {
    // uuid's own v7 builder lays out the timestamp, version and variant.
    ChangeId(uuid::Builder::from_unix_timestamp_millis(millis, random).into_uuid())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn counter_round_trips_and_overflow_moves_the_clock() {
        let at = UNIX_EPOCH + Duration::from_millis(1000);
        let mut g = ChangeIdGenerator::new();
        let a = g.next(at, [0xff; 10]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(a.counter(), (1 << COUNTER_BITS) - 1);
        assert_eq!(ChangeId::from_parts(1000, a.counter()), a);
        let b = g.next(at, [0; 10]).unwrap_or_else(|e| panic!("{e}"));
        assert!(b > a);
        assert_eq!(b.unix_millis(), 1001);
        assert_eq!(b.as_uuid().get_version_num(), 7);
    }

    #[test]
    fn parse_refuses_non_canonical_forms() {
        let id = "0192d0c4-8a58-7cc2-9d0e-5b1f3a2c4d5e";
        assert!(ChangeId::parse(id, "").is_ok());
        for bad in [
            "0192D0C4-8A58-7CC2-9D0E-5B1F3A2C4D5E",
            "0192d0c48a587cc29d0e5b1f3a2c4d5e",
            "{0192d0c4-8a58-7cc2-9d0e-5b1f3a2c4d5e}",
            "0192d0c4-8a58-7cc2-cd0e-5b1f3a2c4d5e",
            "",
        ] {
            assert_eq!(
                ChangeId::parse(bad, "/x").map_err(|e| e.kind()),
                Err("invalid_change_id"),
                "{bad}"
            );
        }
    }
}
