//! ABI round-trip throughput on every engine configuration, next to a plain host memcpy.
//!
//! One round trip: `alloc` and copy the input into the guest, call `upper` (ASCII upper case,
//! one pass over the bytes), check and copy the `(ptr, len)` result out, `dealloc` it; the
//! guest frees its input. The `memcpy` line copies the same bytes in and out of a host buffer:
//! the ratio of an engine's time to it is what the ABI boundary plus one pass of guest code
//! costs. The timing loops are the library's (`bench::abi`), which `redzone bench` samples
//! for its `abi` points. Run with `cargo bench -p redzone-harness --bench abi_roundtrip`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use redzone_harness::bench::abi::{Memcpy, RoundTrip, size_label};
use redzone_harness::engines;
use std::time::Duration;

const SIZES: &[usize] = &[1 << 10, 64 << 10, 1 << 20, 16 << 20];

fn roundtrip(c: &mut Criterion) {
    let mut group = c.benchmark_group("abi_roundtrip");
    group.sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    for &len in SIZES {
        let label = size_label(len).replace(' ', "");
        group.throughput(Throughput::Bytes(len as u64));
        let mut copy = Memcpy::new(len);
        group.bench_function(BenchmarkId::new("memcpy", &label), |b| b.iter_custom(|iters| copy.time(iters)));
        for info in engines::available() {
            // `new` checks one round trip's output; `time` checks the last of every batch.
            let mut trip = RoundTrip::new(info.name, len).unwrap_or_else(|e| panic!("{e}"));
            group.bench_function(BenchmarkId::new(info.name, &label), |b| {
                b.iter_custom(|iters| trip.time(iters).unwrap_or_else(|e| panic!("{e}")))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, roundtrip);
criterion_main!(benches);
