//! Screening a generated Mastodon archive of 10^5 posts (`fep7628::archive`), streamed from a
//! file: provenance (FEP-8b32 eddsa-jcs-2022 proofs on 60 % of the posts), media lookups and
//! sniffing, every rule of the test policy. Target: peak heap ≤ 128 MiB, because the outbox is
//! read item by item.
//!
//! Peak heap is measured by the counting global allocator of `fep7628_benches::heap` (installed
//! in this bench binary only) around one full screening before criterion starts, and printed.
//! Criterion then times 10^4-post screening beside its raw primitive: inflating `outbox.json`
//! and parsing it whole into a `serde_json::Value` (what a non-streaming reader would do, with
//! no screening at all).

use std::hint::black_box;
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use criterion::Criterion;
use fep7628::archive::{FileSource, ImportPolicy, Limits, screen_mastodon_archive};
use fep7628_benches::heap::{Counting, PeakWindow, on_cpu_ns};

#[path = "../../fep7628/tests/support/archive_gen.rs"]
mod archive_gen;

#[global_allocator]
static ALLOCATOR: Counting = Counting;

const POSTS: usize = 100_000;
const SMALL: usize = 10_000;

fn generate(dir: &Path, posts: usize) -> (PathBuf, archive_gen::Expected) {
    let path = dir.join(format!("archive-{posts}.zip"));
    let file = std::fs::File::create(&path).expect("create archive");
    let truth = archive_gen::write_archive(
        std::io::BufWriter::new(file),
        &archive_gen::Corpus::new(posts),
    )
    .expect("write archive");
    (path, archive_gen::expected(&truth))
}

fn screen(path: &Path, policy: &ImportPolicy) -> fep7628::archive::ScreeningReport {
    screen_mastodon_archive(
        &FileSource(path.to_path_buf()),
        policy,
        archive_gen::NOW,
        &Limits::default(),
    )
    .expect("screens")
}

/// The raw primitive: inflate outbox.json and parse it whole.
fn parse_whole(path: &Path) -> usize {
    let file = std::fs::File::open(path).expect("open");
    let mut zip = zip::ZipArchive::new(std::io::BufReader::new(file)).expect("zip");
    let mut text = Vec::new();
    zip.by_name("outbox.json")
        .expect("outbox")
        .read_to_end(&mut text)
        .expect("inflate");
    let v: serde_json::Value = serde_json::from_slice(&text).expect("json");
    v["orderedItems"].as_array().map_or(0, Vec::len)
}

fn mib(bytes: usize) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

fn report_peak(dir: &Path, policy: &ImportPolicy) {
    let t0 = Instant::now();
    let (path, expected) = generate(dir, POSTS);
    let size = std::fs::metadata(&path).map_or(0, |m| m.len());
    println!(
        "fep7628_archive: generated {POSTS} posts ({:.1} MiB zip) in {:.1} s",
        mib(size as usize),
        t0.elapsed().as_secs_f64()
    );
    let window = PeakWindow::start();
    let cpu0 = on_cpu_ns();
    let start = Instant::now();
    let report = screen(&path, policy);
    let elapsed = start.elapsed();
    let cpu1 = on_cpu_ns();
    let peak = window.peak();
    assert_eq!(report.totals.total, POSTS as u64);
    assert_eq!(Some(&report.totals.accept), expected.status.get("accept"));
    assert_eq!(Some(&report.totals.reject), expected.status.get("reject"));
    assert_eq!(
        Some(&report.provenance.verified),
        expected.provenance.get("verified")
    );
    let cpu = match (cpu0, cpu1) {
        (Some(a), Some(b)) => format!("{:.2} s", b.saturating_sub(a) as f64 / 1e9),
        _ => "n/a".into(),
    };
    println!(
        "fep7628_archive: screened {POSTS} posts ({} verified proofs, {} invalid): wall {:.2} s, \
         on-CPU {cpu}, peak heap {:.2} MiB (target 128 MiB); accept {} hold {} reject {}",
        report.provenance.verified,
        report.provenance.invalid,
        elapsed.as_secs_f64(),
        mib(peak),
        report.totals.accept,
        report.totals.hold,
        report.totals.reject,
    );
    assert!(
        peak < 128 << 20,
        "peak heap {:.1} MiB over 128 MiB",
        mib(peak)
    );
    let window = PeakWindow::start();
    let start = Instant::now();
    let n = black_box(parse_whole(&path));
    let peak_whole = window.peak();
    println!(
        "fep7628_archive: primitive (inflate + parse the whole outbox, {n} items, no screening): \
         wall {:.2} s, peak heap {:.2} MiB",
        start.elapsed().as_secs_f64(),
        mib(peak_whole)
    );
    let _ = std::fs::remove_file(&path);
}

fn main() {
    let dir = std::env::temp_dir().join(format!("fep7628-archive-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let policy = ImportPolicy::from_toml(archive_gen::TEST_POLICY).expect("policy");
    if std::env::var_os("FEP7628_ARCHIVE_SKIP_1E5").is_none() {
        report_peak(&dir, &policy);
    }
    let (small, _) = generate(&dir, SMALL);
    let mut c = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(15))
        .configure_from_args();
    let mut group = c.benchmark_group("fep7628_archive_1e4_posts");
    group.bench_function("screen_archive", |b| b.iter(|| screen(&small, &policy)));
    group.bench_function("primitive_parse_whole_outbox", |b| {
        b.iter(|| parse_whole(&small))
    });
    group.finish();
    c.final_summary();
    let _ = std::fs::remove_dir_all(&dir);
}
