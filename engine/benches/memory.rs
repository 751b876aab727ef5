//! Criterion benchmarks of memory life cycles: what creating and dropping a memory costs in
//! each strategy (the guard strategy with its reuse pool, and without it: a fresh 8 GiB
//! reservation each time), for an untouched memory and for one whose pages were all written.

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use redzone_engine::{CheckedMemory, LinearMemory, MemoryType};
use std::hint::black_box;

fn cycle<M: LinearMemory>(pages: u64, touch: bool) {
    let mut m = M::new(MemoryType::new(pages, None), None).unwrap();
    if touch {
        for page in 0..(pages * 16) {
            m.data_mut()[(page * 4096) as usize] = 1;
        }
    }
    black_box(&m);
}

fn lifecycle(c: &mut Criterion) {
    let mut g = c.benchmark_group("memory_lifecycle");
    for (pages, touch) in [(1u64, false), (1, true), (16, true)] {
        let what = format!("{pages}p{}", if touch { "_touched" } else { "" });
        g.bench_function(format!("checked/{what}"), |b| b.iter(|| cycle::<CheckedMemory>(pages, touch)));
        #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
        {
            use redzone_engine::GuardMemory;
            g.bench_function(format!("guard_pooled/{what}"), |b| b.iter(|| cycle::<GuardMemory>(pages, touch)));
            g.bench_function(format!("guard_unpooled/{what}"), |b| {
                b.iter_batched(GuardMemory::trim_pool, |()| cycle::<GuardMemory>(pages, touch), BatchSize::PerIteration)
            });
        }
    }
    g.finish();
}

criterion_group!(benches, lifecycle);
criterion_main!(benches);
