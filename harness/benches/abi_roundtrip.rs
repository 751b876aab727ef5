//! ABI round-trip throughput on every engine configuration, next to a plain host memcpy.
//!
//! One round trip: `alloc` and copy the input into the guest, call `upper` (ASCII upper case,
//! one pass over the bytes), check and copy the `(ptr, len)` result out, `dealloc` it; the
//! guest frees its input. The `memcpy` line copies the same bytes in and out of a host buffer:
//! the ratio of an engine's time to it is what the ABI boundary plus one pass of guest code
//! costs. Run with `cargo bench -p redzone-harness --bench abi_roundtrip`.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use redzone_harness::abi::guests;
use redzone_harness::engines;
use std::hint::black_box;
use std::time::Duration;

const SIZES: &[(usize, &str)] = &[(1 << 10, "1KiB"), (64 << 10, "64KiB"), (1 << 20, "1MiB"), (16 << 20, "16MiB")];

fn input(len: usize) -> Vec<u8> {
    (0..len).map(|i| b"redzone guard pages, "[i % 21]).collect()
}

fn roundtrip(c: &mut Criterion) {
    let guest = guests::guest("guest.wat").expect("suites/abi guest.wat is part of the suite");
    let mut group = c.benchmark_group("abi_roundtrip");
    group.sample_size(10).warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    for &(len, label) in SIZES {
        let data = input(len);
        let expected = data.to_ascii_uppercase();
        group.throughput(Throughput::Bytes(len as u64));
        group.bench_with_input(BenchmarkId::new("memcpy", label), &data, |b, data| {
            let mut guest_side = vec![0u8; data.len()];
            let mut host_side = vec![0u8; data.len()];
            b.iter(|| {
                guest_side.copy_from_slice(black_box(data));
                host_side.copy_from_slice(black_box(&guest_side));
                black_box(&host_side);
            })
        });
        for info in engines::available() {
            let mut engine = engines::build(info.name).expect("available configurations build");
            engine.set_fuel(None);
            let instance = guests::load(engine.as_mut(), guest).expect("the ABI guest loads on every engine");
            let mut client = guests::client(engine.as_mut(), instance).expect("the ABI guest has the ABI exports");
            assert_eq!(client.call_bytes("upper", &[&data]).expect("upper"), expected, "{} disagrees", info.name);
            group.bench_with_input(BenchmarkId::new(info.name, label), &data, |b, data| {
                b.iter(|| black_box(client.call_bytes("upper", &[black_box(data)]).expect("upper")))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, roundtrip);
criterion_main!(benches);
