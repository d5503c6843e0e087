//! Re-follow plan over 10^6 followers on 2×10^4 servers, generated on the fly by an iterator
//! (never collected), beside its raw primitive: deriving the idempotency keys alone (one
//! SHA-256 per follower, the floor of any keyed plan). Target: ≤ 1 s for the whole plan, peak
//! heap ≤ 64 MiB because it streams.
//!
//! Peak heap is measured by the counting global allocator of `fep7628_benches::heap` (installed
//! in this bench binary only) around one full run before criterion starts, and printed.

use std::hint::black_box;
use std::time::{Duration, Instant, SystemTime};

use criterion::Criterion;
use fep7628::plan::{
    ActionKey, ActionKind, ActorRef, LocalFollower, MoveFacts, PlanConfig, PlanCounts,
    RefollowPlan, Step,
};
use fep7628_benches::heap::{Counting, PeakWindow, on_cpu_ns};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const PER_SERVER: usize = 50; // 2×10^4 × 50 = 10^6 followers

/// Number of follower servers: 2×10^4, or `FEP7628_PLAN_SERVERS` (a smaller run under
/// `valgrind --tool=callgrind`, where the instruction count is what matters).
fn servers() -> usize {
    std::env::var("FEP7628_PLAN_SERVERS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000)
}

fn facts() -> MoveFacts {
    MoveFacts {
        migration_id: "https://old.example/users/alice#moves/1".into(),
        origin: ActorRef::new(
            "https://old.example/users/alice",
            "https://old.example/users/alice/inbox",
        )
        .with_shared_inbox("https://old.example/inbox"),
        target: ActorRef::new(
            "https://new.example/users/alice",
            "https://new.example/users/alice/inbox",
        )
        .with_shared_inbox("https://new.example/inbox"),
        target_locked: false,
        target_is_local: false,
    }
}

/// Followers in strictly increasing id order, as a store's `ORDER BY follower_id` yields them:
/// server-major, so ids on one server are contiguous.
fn followers() -> impl Iterator<Item = String> {
    (0..servers()).flat_map(|s| {
        (0..PER_SERVER).map(move |n| format!("https://s{s:05}.example/users/u{n:02}"))
    })
}

/// Runs the whole plan, confirming every action at once. Returns the counts.
fn run_plan() -> PlanCounts {
    let mut plan = RefollowPlan::new(facts(), PlanConfig::default()).expect("valid facts");
    let mut stream = followers().peekable();
    let now = SystemTime::UNIX_EPOCH;
    loop {
        match plan.poll(now) {
            Step::NeedFollowers { max, .. } => {
                if stream.peek().is_none() {
                    plan.end_of_followers();
                }
                for id in stream.by_ref().take(max) {
                    plan.feed(LocalFollower::new(id)).expect("ordered stream");
                }
            }
            Step::Deliver(batch) => {
                for action in &batch.actions {
                    plan.handle_delivered(&action.key).expect("issued");
                }
                black_box(batch);
            }
            Step::Wait { .. } => unreachable!("every action is confirmed at once"),
            Step::Finished => return plan.report().counts.clone(),
        }
    }
}

/// The raw primitive: one key derivation per follower over the same stream.
fn derive_keys() -> usize {
    let m = facts().migration_id;
    followers()
        .map(|id| ActionKey::derive(&m, &id, ActionKind::Follow))
        .filter(|k| black_box(k).kind() == ActionKind::Follow)
        .count()
}

fn report_peak() {
    let window = PeakWindow::start();
    let cpu0 = on_cpu_ns();
    let start = Instant::now();
    let counts = run_plan();
    let elapsed = start.elapsed();
    let cpu1 = on_cpu_ns();
    let peak = window.peak();
    assert_eq!(counts.follows_sent, (servers() * PER_SERVER) as u64);
    assert_eq!(counts.undos_sent, (servers() * PER_SERVER) as u64);
    let keys_cpu0 = on_cpu_ns();
    black_box(derive_keys());
    let keys_cpu1 = on_cpu_ns();
    let secs = |a: Option<u64>, b: Option<u64>| match (a, b) {
        (Some(a), Some(b)) => format!("{:.3} s", b.saturating_sub(a) as f64 / 1e9),
        _ => "n/a".to_string(),
    };
    println!(
        "fep7628_plan: {} followers on {} servers: wall {:.3} s, on-CPU {} \
         (primitive key derivation on-CPU {}), peak heap {:.2} MiB (limit 64 MiB), \
         {} actions confirmed",
        servers() * PER_SERVER,
        servers(),
        elapsed.as_secs_f64(),
        secs(cpu0, cpu1),
        secs(keys_cpu0, keys_cpu1),
        peak as f64 / (1024.0 * 1024.0),
        counts.follows_sent + counts.undos_sent + counts.notifications_sent,
    );
}

fn main() {
    report_peak();
    if std::env::var_os("FEP7628_PLAN_ONCE").is_some() {
        // One measured run only (for callgrind): skip criterion.
        return;
    }
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(12))
        .configure_from_args();
    let mut group = c.benchmark_group("fep7628_plan_1e6_followers");
    group.bench_function("refollow_plan", |b| b.iter(run_plan));
    group.bench_function("primitive_key_derivation", |b| b.iter(derive_keys));
    group.finish();
    c.final_summary();
}
