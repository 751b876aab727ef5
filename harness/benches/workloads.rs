//! Every workload of `suites/bench/` at its quick size on every available configuration,
//! under criterion, for developers comparing a change: a group per workload, a function per
//! configuration. Preparation and sampling are the library's (`bench::workload::WorkloadRun`,
//! the same code `redzone bench` uses), so `fresh` and instantiate workloads are timed the
//! same way and every call's checksum is checked.
//!
//! `cargo bench -p redzone-harness --bench workloads [-- FILTER]`; for reports with shuffled
//! rounds and confidence intervals use `redzone bench`.

use criterion::{Criterion, criterion_group, criterion_main};
use redzone_harness::bench::manifest::{Manifest, Size};
use redzone_harness::bench::schedule::Task;
use redzone_harness::bench::workload::WorkloadRun;
use redzone_harness::engines;
use std::time::Duration;

fn workloads(c: &mut Criterion) {
    let path = Manifest::default_path();
    let manifest = Manifest::load(&path).unwrap_or_else(|e| panic!("{e}"));
    for w in &manifest.workloads {
        let mut group = c.benchmark_group(&w.name);
        group.sample_size(10).warm_up_time(Duration::from_millis(300)).measurement_time(Duration::from_secs(1));
        for info in engines::available() {
            let mut run = WorkloadRun::load(&manifest, w, info.name, Size::Quick);
            if let Some(e) = run.error() {
                eprintln!("skipping {} on {}: {e}", w.name, info.name);
                continue;
            }
            group.bench_function(info.name, |b| {
                b.iter_custom(|iters| {
                    (0..iters).map(|_| run.sample().unwrap_or_else(|e| panic!("{e}"))).sum::<Duration>()
                })
            });
            if let Some(m) = run.mismatch() {
                panic!("{m}");
            }
        }
        group.finish();
    }
}

criterion_group!(benches, workloads);
criterion_main!(benches);
