//! Persona graph over 10^5 actors and 10^6 evidence edges (generated deterministically),
//! beside its raw primitive: interning every endpoint string in a `HashMap` (the floor any
//! string-keyed graph build pays). Target: the whole build ≤ 1 s.

use std::collections::HashMap;
use std::hint::black_box;
use std::sync::Arc;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use identity_links::persona::{Evidence, GraphConfig, build};

const ACTORS: usize = 100_000;
const EDGES: usize = 1_000_000;

/// A small LCG so the data set is the same on every run and machine.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Actor ids are built once and shared (`Arc<str>`), as a caller holding them would.
fn actors() -> Vec<Arc<str>> {
    (0..ACTORS)
        .map(|i| format!("https://s{}.example/users/u{i}", i % 997).into())
        .collect()
}

/// Personas of 1–4 actors: each actor has an identity proof for its persona's DID and a
/// verified rel-me to its persona's site; members alias each other both ways; all but the last
/// moved to the next (movedTo + a seen Move). The rest, up to 10^6, is noise: one-way
/// alsoKnownAs claims and copiedTo to random actors.
fn evidence() -> Vec<Evidence> {
    let ids = actors();
    let actor = |i: usize| Arc::clone(&ids[i]);
    let mut rng = Lcg(0x5eed);
    let mut ev = Vec::with_capacity(EDGES);
    let mut i = 0;
    let mut persona = 0;
    while i < ACTORS {
        let size = (1 + rng.below(4)).min(ACTORS - i);
        let did: Arc<str> = format!("did:key:z6Mk{persona:08}").into();
        let site: Arc<str> = format!("https://p{persona}.example/").into();
        for m in i..i + size {
            ev.push(Evidence::IdentityProof {
                actor: actor(m),
                did: did.clone(),
            });
            ev.push(Evidence::RelMe {
                actor: actor(m),
                site: site.clone(),
            });
            for o in i..i + size {
                if o != m {
                    ev.push(Evidence::AlsoKnownAs {
                        from: actor(m),
                        to: actor(o),
                    });
                }
            }
            if m + 1 < i + size {
                ev.push(Evidence::MovedTo {
                    from: actor(m),
                    to: actor(m + 1),
                });
                ev.push(Evidence::MoveSeen {
                    from: actor(m),
                    to: actor(m + 1),
                });
            }
        }
        i += size;
        persona += 1;
    }
    while ev.len() < EDGES {
        let (from, to) = (actor(rng.below(ACTORS)), actor(rng.below(ACTORS)));
        ev.push(if rng.below(10) == 0 {
            Evidence::CopiedTo { from, to }
        } else {
            Evidence::AlsoKnownAs { from, to }
        });
    }
    ev.truncate(EDGES);
    ev
}

fn intern_only(ev: &[Evidence]) -> usize {
    let mut ids: HashMap<&str, u32> = HashMap::with_capacity(ev.len() / 4);
    for e in ev {
        let ((_, a), (_, b)) = e.endpoints();
        for s in [a, b] {
            let next = ids.len() as u32;
            ids.entry(s).or_insert(next);
        }
    }
    ids.len()
}

/// CPU time (user + system) of this thread in seconds, from `/proc/thread-self/stat` (Linux;
/// `None` elsewhere). Reported beside criterion's wall time because the bench machine is shared.
fn thread_cpu_seconds() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    let after_comm = stat.rsplit_once(')')?.1;
    let fields: Vec<&str> = after_comm.split_whitespace().collect();
    // Fields 14 and 15 of stat(5) (utime, stime) are the 12th and 13th after the comm field.
    let ticks: f64 = fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
    Some(ticks / 100.0)
}

fn bench(c: &mut Criterion) {
    let ev = evidence();
    let config = GraphConfig::default();
    let (cpu0, wall0) = (thread_cpu_seconds(), std::time::Instant::now());
    let graph = build(&ev, &config);
    let (cpu1, wall) = (thread_cpu_seconds(), wall0.elapsed());
    eprintln!(
        "persona graph: {} evidence, {} personas, {} hubs, {} declared; one build: wall {:.3} s, cpu {}",
        ev.len(),
        graph.personas.len(),
        graph.hubs.len(),
        graph.declared.len(),
        wall.as_secs_f64(),
        cpu0.zip(cpu1)
            .map_or("n/a".to_owned(), |(a, b)| format!("{:.2} s", b - a)),
    );
    let mut group = c.benchmark_group("identity_links_persona");
    group
        .sample_size(10)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(10));
    group.bench_function("build_1e5_actors_1e6_edges", |b| {
        b.iter(|| build(black_box(&ev), &config))
    });
    group.bench_function("primitive_intern_2e6_strings", |b| {
        b.iter(|| intern_only(black_box(&ev)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
