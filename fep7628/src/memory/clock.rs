//! A simulated clock.

use std::future::{Future, ready};
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

use super::lock;
use crate::store::Clock;

/// A clock that only moves when told to; sleeping jumps straight to the deadline.
#[derive(Debug)]
pub struct SimulatedClock {
    now: Mutex<SystemTime>,
}

impl SimulatedClock {
    /// A clock reading `start`.
    pub fn new(start: SystemTime) -> Self {
        SimulatedClock {
            now: Mutex::new(start),
        }
    }

    /// Moves the clock forward.
    pub fn advance(&self, by: Duration) {
        let mut now = lock(&self.now);
        *now = now.checked_add(by).unwrap_or(*now);
    }
}

impl Clock for SimulatedClock {
    fn now(&self) -> SystemTime {
        *lock(&self.now)
    }

    fn sleep_until(&self, deadline: SystemTime) -> impl Future<Output = ()> + Send {
        let mut now = lock(&self.now);
        if deadline > *now {
            *now = deadline;
        }
        ready(())
    }
}
