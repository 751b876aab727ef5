//! Criterion group comparing the two memory strategies (issue 3): the same interpreter over
//! `GuardMemory` (no bounds checks, guard pages) and `CheckedMemory` (an explicit check per
//! access) on memory-heavy kernels (sequential sum, random gather, sieve, matrix multiply)
//! and one compute-only kernel (recursive fib), which should show no difference.
//!
//! Read the ratio guard/checked per kernel from the `strategies/<kernel>/<strategy>` lines.

use criterion::{Criterion, criterion_group, criterion_main};
use redzone_engine::{CheckedMemory, Extern, Func, LinearMemory, Module, Store, Value};

/// Each kernel exports `run(n) -> i64`; memory starts zeroed and is 16 pages (1 MiB) or more.
const KERNELS: &[(&str, &str, i32)] = &[
    (
        "seq_sum",
        r#"(module (memory 16)
          (func (export "run") (param $n i32) (result i64) (local $i i32) (local $s i64)
            (loop $l
              (local.set $s (i64.add (local.get $s) (i64.load32_u (local.get $i))))
              (local.set $i (i32.add (local.get $i) (i32.const 4)))
              (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
            (local.get $s)))"#,
        1 << 20,
    ),
    (
        "random_gather",
        r#"(module (memory 16)
          (func (export "run") (param $n i32) (result i64) (local $x i32) (local $s i64)
            (local.set $x (i32.const 12345))
            (loop $l
              (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
              (local.set $s (i64.add (local.get $s)
                (i64.load offset=8 (i32.and (local.get $x) (i32.const 0x7fff8)))))
              (i64.store (i32.and (i32.shr_u (local.get $x) (i32.const 7)) (i32.const 0xffff8)) (local.get $s))
              (local.tee $n (i32.sub (local.get $n) (i32.const 1)))
              (br_if $l))
            (local.get $s)))"#,
        200_000,
    ),
    (
        "sieve",
        r#"(module (memory 16)
          (func (export "run") (param $n i32) (result i64) (local $i i32) (local $j i32) (local $c i64)
            (memory.fill (i32.const 0) (i32.const 0) (local.get $n))
            (local.set $i (i32.const 2))
            (loop $outer
              (if (i32.eqz (i32.load8_u (local.get $i)))
                (then
                  (local.set $c (i64.add (local.get $c) (i64.const 1)))
                  (local.set $j (i32.mul (local.get $i) (local.get $i)))
                  (block $done (loop $inner
                    (br_if $done (i32.ge_u (local.get $j) (local.get $n)))
                    (i32.store8 (local.get $j) (i32.const 1))
                    (local.set $j (i32.add (local.get $j) (local.get $i)))
                    (br $inner)))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $outer (i32.lt_u (local.get $i) (local.get $n))))
            (local.get $c)))"#,
        1 << 20,
    ),
    (
        "matmul",
        r#"(module (memory 16)
          ;; C = A * B for n x n f64 matrices at 0, n*n*8 and 2*n*n*8.
          (func (export "run") (param $n i32) (result i64)
            (local $i i32) (local $j i32) (local $k i32) (local $acc f64) (local $sz i32)
            (local.set $sz (i32.mul (i32.mul (local.get $n) (local.get $n)) (i32.const 8)))
            (loop $init
              (f64.store (local.get $i) (f64.convert_i32_u (local.get $i)))
              (local.set $i (i32.add (local.get $i) (i32.const 8)))
              (br_if $init (i32.lt_u (local.get $i) (i32.mul (local.get $sz) (i32.const 2)))))
            (local.set $i (i32.const 0))
            (loop $li
              (local.set $j (i32.const 0))
              (loop $lj
                (local.set $acc (f64.const 0))
                (local.set $k (i32.const 0))
                (loop $lk
                  (local.set $acc (f64.add (local.get $acc) (f64.mul
                    (f64.load (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $k)) (i32.const 3)))
                    (f64.load (i32.add (local.get $sz)
                      (i32.shl (i32.add (i32.mul (local.get $k) (local.get $n)) (local.get $j)) (i32.const 3)))))))
                  (local.set $k (i32.add (local.get $k) (i32.const 1)))
                  (br_if $lk (i32.lt_u (local.get $k) (local.get $n))))
                (f64.store (i32.add (i32.mul (local.get $sz) (i32.const 2))
                  (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3))) (local.get $acc))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br_if $lj (i32.lt_u (local.get $j) (local.get $n))))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $li (i32.lt_u (local.get $i) (local.get $n))))
            (i64.trunc_f64_s (f64.load (i32.sub (i32.mul (local.get $sz) (i32.const 3)) (i32.const 8))))))"#,
        64,
    ),
    (
        "fib_compute_only",
        r#"(module (memory 1)
          (func $fib (param $n i32) (result i32)
            (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
              (then (local.get $n))
              (else (i32.add (call $fib (i32.sub (local.get $n) (i32.const 1)))
                             (call $fib (i32.sub (local.get $n) (i32.const 2)))))))
          (func (export "run") (param $n i32) (result i64) (i64.extend_i32_u (call $fib (local.get $n)))))"#,
        22,
    ),
];

fn setup<M: LinearMemory>(wat: &str) -> (Store<M>, Func) {
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let mut store: Store<M> = Store::new(Default::default());
    let inst = store.instantiate(&module, &[]).unwrap();
    let Some(Extern::Func(run)) = store.get_export(inst, "run") else { panic!("kernel without run") };
    (store, run)
}

fn bench_one<M: LinearMemory>(
    c: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    wat: &str,
    n: i32,
) -> Value {
    let (mut store, run) = setup::<M>(wat);
    let first = store.call(run, &[Value::I32(n)]).unwrap()[0];
    c.bench_function(M::STRATEGY, |b| b.iter(|| store.call(run, &[Value::I32(n)]).unwrap()));
    first
}

fn strategies(c: &mut Criterion) {
    for &(name, wat, n) in KERNELS {
        let mut g = c.benchmark_group(format!("strategies/{name}"));
        let checked = bench_one::<CheckedMemory>(&mut g, wat, n);
        #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
        {
            let guard = bench_one::<redzone_engine::GuardMemory>(&mut g, wat, n);
            assert_eq!(guard, checked, "{name}: the strategies disagree");
        }
        let _ = checked;
        g.finish();
    }
}

criterion_group!(benches, strategies);
criterion_main!(benches);
