//! Peak-heap measurement for the benches that check a memory target (`fep7628_plan`,
//! `fep7628_archive`): a counting global allocator and a measuring window over it.
//!
//! A bench binary installs the allocator for itself only:
//!
//! ```ignore
//! #[global_allocator]
//! static ALLOCATOR: fep7628_benches::heap::Counting = fep7628_benches::heap::Counting;
//!
//! let window = fep7628_benches::heap::PeakWindow::start();
//! run_the_thing();
//! println!("peak heap {} bytes", window.peak());
//! ```
//!
//! Without the allocator installed the counters stay at zero and every peak reads 0.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};

/// Counts live heap bytes and their peak; every call goes to the system allocator unchanged.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to the system allocator; the counters only observe.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            grew(layout.size());
        }
        p
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
            grew(new_size);
        }
        p
    }
}

/// A measuring window: the highest heap growth over the live bytes at its start.
#[derive(Clone, Copy, Debug)]
pub struct PeakWindow {
    baseline: usize,
}

impl PeakWindow {
    /// Opens a window: the peak is reset to the bytes live now.
    pub fn start() -> Self {
        let baseline = LIVE.load(Ordering::Relaxed);
        PEAK.store(baseline, Ordering::Relaxed);
        PeakWindow { baseline }
    }

    /// The most bytes live at once since [`PeakWindow::start`], above what was live then.
    pub fn peak(&self) -> usize {
        PEAK.load(Ordering::Relaxed).saturating_sub(self.baseline)
    }
}

/// Nanoseconds this thread spent on a CPU (`/proc/thread-self/schedstat`, Linux); `None`
/// elsewhere. On a loaded machine it excludes the time spent waiting for a core.
pub fn on_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}
