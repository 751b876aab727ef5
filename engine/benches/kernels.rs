//! Criterion benchmarks of the interpreter on small WAT kernels: recursive fib (calls), a
//! memory sum loop (sequential loads), a matrix multiply (f64 loads, stores and arithmetic),
//! a sieve (byte stores and loads with branches), a random gather (LCG-indexed i64 loads and
//! stores over 512 KiB), and the compute controls of `suites/bench` (`loops`, `switch`).
//!
//! Four micro-kernels isolate what one internal instruction costs (issue 11): `dispatch`
//! runs 16 register-to-register i32 instructions per iteration, none reading the result of
//! the one before it; `chain` 16 that each do (an add or xor of the previous result and a
//! local, so all but the first read it from the interpreter's result register); `load` 16
//! `i32.load`s and `store` 16 `i32.store`s; each with the same 3 instructions of loop control
//! around them. Their throughput is in executed internal instructions, so criterion prints
//! the time per instruction; `load` minus `dispatch` is what one guest load costs beyond
//! dispatch, per strategy, and `chain` against `dispatch` what a dependency costs.
//!
//! Every kernel runs on every memory strategy listed in `main`; adding a strategy is one more
//! `bench_strategy::<NewMemory>(c, "name")` line. `kernels/guard/X` against `kernels/checked/X`
//! is the comparison of guard pages with explicit checks; fib, loops, switch and dispatch
//! touch no memory and are the controls, which should show no difference.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use redzone_engine::{CheckedMemory, Config, Extern, Func, LinearMemory, Module, Store, Value};
use std::hint::black_box;
use std::time::Duration;

/// `fib(n)` by naive recursion.
pub const FIB: &str = r#"(module
  (func $fib (export "fib") (param $n i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $n) (i32.const 2))
      (then (local.get $n))
      (else (i32.add
        (call $fib (i32.sub (local.get $n) (i32.const 1)))
        (call $fib (i32.sub (local.get $n) (i32.const 2))))))))"#;

/// `init(n)` writes `i * 3` to the `n` i32 words from 0; `sum(n)` adds them up in an i64.
pub const SUM: &str = r#"(module
  (memory (export "mem") 16)
  (func (export "init") (param $n i32) (local $i i32)
    (loop $l
      (i32.store (i32.shl (local.get $i) (i32.const 2)) (i32.mul (local.get $i) (i32.const 3)))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n)))))
  (func (export "sum") (param $n i32) (result i64) (local $i i32) (local $acc i64)
    (loop $l
      (local.set $acc (i64.add (local.get $acc)
        (i64.extend_i32_u (i32.load (i32.shl (local.get $i) (i32.const 2))))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (local.get $acc)))"#;

/// `gather(n)`: `n` rounds of an LCG picking an i64 to add and a slot to store the running
/// sum in, both within the first 512 KiB.
pub const GATHER: &str = r#"(module
  (memory (export "mem") 16)
  (func (export "gather") (param $n i32) (result i64) (local $x i32) (local $s i64)
    (local.set $x (i32.const 12345))
    (loop $l
      (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
      (local.set $s (i64.add (local.get $s) (i64.load offset=8 (i32.and (local.get $x) (i32.const 0x7fff8)))))
      (i64.store (i32.and (i32.shr_u (local.get $x) (i32.const 7)) (i32.const 0x7fff8)) (local.get $s))
      (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
    (local.get $s)))"#;

/// `matmul(n)`: C = A * B for n x n f64 matrices at 0, 32768 and 65536 (n <= 64);
/// `init(n)` fills A and B.
pub const MATMUL: &str = r#"(module
  (memory (export "mem") 2)
  (func (export "init") (param $n i32) (local $i i32) (local $nn i32)
    (local.set $nn (i32.mul (local.get $n) (local.get $n)))
    (loop $l
      (f64.store (i32.shl (local.get $i) (i32.const 3)) (f64.convert_i32_u (local.get $i)))
      (f64.store offset=32768 (i32.shl (local.get $i) (i32.const 3))
        (f64.div (f64.const 1) (f64.convert_i32_u (i32.add (local.get $i) (i32.const 1)))))
      (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $nn)))))
  (func (export "matmul") (param $n i32) (result f64)
    (local $i i32) (local $j i32) (local $k i32) (local $acc f64) (local $row i32)
    (loop $li
      (local.set $j (i32.const 0))
      (local.set $row (i32.mul (local.get $i) (local.get $n)))
      (loop $lj
        (local.set $acc (f64.const 0))
        (local.set $k (i32.const 0))
        (loop $lk
          (local.set $acc (f64.add (local.get $acc)
            (f64.mul
              (f64.load (i32.shl (i32.add (local.get $row) (local.get $k)) (i32.const 3)))
              (f64.load offset=32768
                (i32.shl (i32.add (i32.mul (local.get $k) (local.get $n)) (local.get $j)) (i32.const 3))))))
          (br_if $lk (i32.lt_u (local.tee $k (i32.add (local.get $k) (i32.const 1))) (local.get $n))))
        (f64.store offset=65536 (i32.shl (i32.add (local.get $row) (local.get $j)) (i32.const 3)) (local.get $acc))
        (br_if $lj (i32.lt_u (local.tee $j (i32.add (local.get $j) (i32.const 1))) (local.get $n))))
      (br_if $li (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
    (f64.load offset=65536 (i32.const 8))))"#;

/// `sieve(n)`: the number of primes below `n` (n <= 1 MiB), with one byte per number.
pub const SIEVE: &str = r#"(module
  (memory (export "mem") 16)
  (func (export "sieve") (param $n i32) (result i32) (local $i i32) (local $j i32) (local $count i32)
    (memory.fill (i32.const 0) (i32.const 0) (local.get $n))
    (local.set $i (i32.const 2))
    (block $done
      (loop $outer
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (if (i32.eqz (i32.load8_u (local.get $i)))
          (then
            (local.set $count (i32.add (local.get $count) (i32.const 1)))
            (local.set $j (i32.mul (local.get $i) (local.get $i)))
            (block $inner_done
              (br_if $inner_done (i32.gt_u (local.get $i) (i32.const 65535)))
              (loop $inner
                (br_if $inner_done (i32.ge_u (local.get $j) (local.get $n)))
                (i32.store8 (local.get $j) (i32.const 1))
                (local.set $j (i32.add (local.get $j) (local.get $i)))
                (br $inner)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.get $count)))"#;

/// `suites/bench/loops.wat`: nested loops of i64 arithmetic in locals, no memory.
pub const LOOPS: &str = include_str!("../../suites/bench/loops.wat");
/// `suites/bench/switch.wat`: a `br_table` state machine, no memory.
pub const SWITCH: &str = include_str!("../../suites/bench/switch.wat");

/// Internal instructions per iteration of the micro-kernels: 16 measured ones and 3 of loop
/// control (advance `$p` in two, then count down `$n` and branch in one fused `IncBrIfNez`).
const MICRO_PER_ITER: u64 = 19;

/// The micro-kernels: `dispatch(n)`, `chain(n)`, `load(n)` and `store(n)` each run `n` iterations of 16
/// instructions of their kind over a pointer `$p` that walks a 64 KiB window, plus 4 of loop
/// control. Each measured wasm instruction translates to exactly one internal instruction
/// (the translator folds `local.get` operands and retargets results into `local.set`).
fn micro_wat() -> String {
    let mut dispatch = String::new();
    let mut load = String::new();
    let mut store = String::new();
    let mut chain = String::from("(local.get $x0)");
    for k in 0..16 {
        let op = if k % 2 == 0 { "add" } else { "xor" };
        chain = format!("(i32.{op} {chain} (local.get $x{}))", 1 + k % 3);
        let (x, y) = (k % 4, (k + 1) % 4);
        dispatch.push_str(&format!("(local.set $x{x} (i32.add (local.get $x{x}) (local.get $x{y})))\n"));
        load.push_str(&format!("(local.set $x{x} (i32.load offset={} (local.get $p)))\n", k * 4));
        store.push_str(&format!("(i32.store offset={} (local.get $p) (local.get $x{x}))\n", k * 4));
    }
    let func = |name: &str, body: &str| {
        format!(
            r#"(func (export "{name}") (param $n i32) (result i32)
                 (local $p i32) (local $x0 i32) (local $x1 i32) (local $x2 i32) (local $x3 i32)
                 (local.set $x1 (i32.const 1))
                 (loop $l
                   {body}
                   (local.set $p (i32.and (i32.add (local.get $p) (i32.const 64)) (i32.const 0xffc0)))
                   (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1)))))
                 (i32.add (i32.add (local.get $x0) (local.get $x1)) (i32.add (local.get $x2) (local.get $x3))))"#
        )
    };
    format!(
        "(module (memory (export \"mem\") 1)\n{}\n{}\n{}\n{})",
        func("dispatch", &dispatch),
        func("chain", &format!("(local.set $x0 {chain})")),
        func("load", &load),
        func("store", &store)
    )
}

fn instance<M: LinearMemory>(wat: &str) -> (Store<M>, Vec<(String, Func)>) {
    let module = Module::new(&wat::parse_str(wat).expect("kernel WAT")).expect("kernel module");
    let mut store: Store<M> = Store::new(Config::default());
    let inst = store.instantiate(&module, &[]).expect("instantiate kernel");
    let funcs = store
        .exports(inst)
        .into_iter()
        .filter_map(|(name, e)| match e {
            Extern::Func(f) => Some((name, f)),
            _ => None,
        })
        .collect();
    (store, funcs)
}

fn func(funcs: &[(String, Func)], name: &str) -> Func {
    funcs.iter().find(|(n, _)| n == name).map(|(_, f)| *f).expect("kernel export")
}

/// Every kernel on memory strategy `M`, with its result checked once before timing.
fn bench_strategy<M: LinearMemory>(c: &mut Criterion, strategy: &str) {
    let mut group = c.benchmark_group(format!("kernels/{strategy}"));

    let (mut store, funcs) = instance::<M>(FIB);
    let fib = func(&funcs, "fib");
    assert_eq!(store.call(fib, &[Value::I32(25)]).unwrap(), vec![Value::I32(75025)]);
    group.bench_function("fib(25)", |b| b.iter(|| store.call(fib, black_box(&[Value::I32(25)])).unwrap()));

    // The cost of entering and leaving guest code (`Store::call` of a function that returns
    // its argument): what every host-to-guest call pays, `run_guest` included.
    let (mut store, funcs) = instance::<M>(r#"(module (func (export "id") (param i32) (result i32) local.get 0))"#);
    let id = func(&funcs, "id");
    assert_eq!(store.call(id, &[Value::I32(7)]).unwrap(), vec![Value::I32(7)]);
    group.bench_function("call(id)", |b| b.iter(|| store.call(id, black_box(&[Value::I32(7)])).unwrap()));

    let (mut store, funcs) = instance::<M>(LOOPS);
    let loops = func(&funcs, "run");
    assert_eq!(store.call(loops, &[Value::I32(150)]).unwrap(), vec![Value::I64(5396047006844258225)]);
    group.bench_function("loops(150)", |b| b.iter(|| store.call(loops, black_box(&[Value::I32(150)])).unwrap()));

    let (mut store, funcs) = instance::<M>(SWITCH);
    let switch = func(&funcs, "run");
    assert_eq!(store.call(switch, &[Value::I32(20_000)]).unwrap(), vec![Value::I64(-7979063470159611309)]);
    group.bench_function("switch(20k)", |b| b.iter(|| store.call(switch, black_box(&[Value::I32(20_000)])).unwrap()));

    let (mut store, funcs) = instance::<M>(SUM);
    let n = 256 * 1024;
    store.call(func(&funcs, "init"), &[Value::I32(n)]).unwrap();
    let sum = func(&funcs, "sum");
    let expect: i64 = (0..n as i64).map(|i| (i * 3) as i32 as u32 as i64).sum();
    assert_eq!(store.call(sum, &[Value::I32(n)]).unwrap(), vec![Value::I64(expect)]);
    group.bench_function("sum(256Ki)", |b| b.iter(|| store.call(sum, black_box(&[Value::I32(n)])).unwrap()));

    let (mut store, funcs) = instance::<M>(GATHER);
    let gather = func(&funcs, "gather");
    let first = store.call(gather, &[Value::I32(200_000)]).unwrap();
    let (mut fresh, fresh_funcs) = instance::<CheckedMemory>(GATHER);
    assert_eq!(first, fresh.call(func(&fresh_funcs, "gather"), &[Value::I32(200_000)]).unwrap(), "gather agrees");
    group.bench_function("gather(200k)", |b| b.iter(|| store.call(gather, black_box(&[Value::I32(200_000)])).unwrap()));

    let (mut store, funcs) = instance::<M>(MATMUL);
    store.call(func(&funcs, "init"), &[Value::I32(64)]).unwrap();
    let matmul = func(&funcs, "matmul");
    let r = store.call(matmul, &[Value::I32(64)]).unwrap();
    let expect: f64 = (0..64).map(|k| k as f64 * (1.0 / (k * 64 + 1 + 1) as f64)).sum();
    assert_eq!(r, vec![Value::f64(expect)]);
    group.bench_function("matmul(64)", |b| b.iter(|| store.call(matmul, black_box(&[Value::I32(64)])).unwrap()));

    let (mut store, funcs) = instance::<M>(SIEVE);
    let sieve = func(&funcs, "sieve");
    assert_eq!(store.call(sieve, &[Value::I32(1_000_000)]).unwrap(), vec![Value::I32(78498)]);
    group.bench_function("sieve(1M)", |b| b.iter(|| store.call(sieve, black_box(&[Value::I32(1_000_000)])).unwrap()));

    group.finish();

    // Per-instruction figures: throughput in executed internal instructions.
    let mut group = c.benchmark_group(format!("instr/{strategy}"));
    let iters: i32 = 50_000;
    group.throughput(Throughput::Elements(iters as u64 * MICRO_PER_ITER));
    let (mut store, funcs) = instance::<M>(&micro_wat());
    for name in ["dispatch", "chain", "load", "store"] {
        let f = func(&funcs, name);
        // Fuel counts executed internal instructions: check the per-iteration count the
        // throughput assumes (plus a few for the prologue and the result).
        store.set_fuel(Some(u64::MAX));
        store.call(f, &[Value::I32(iters)]).unwrap();
        let used = u64::MAX - store.fuel().unwrap();
        assert!(
            (iters as u64 * MICRO_PER_ITER..iters as u64 * MICRO_PER_ITER + 8).contains(&used),
            "{name}: {used} internal instructions for {iters} iterations"
        );
        store.set_fuel(None);
        group.bench_function(name, |b| b.iter(|| store.call(f, black_box(&[Value::I32(iters)])).unwrap()));
    }
    group.finish();
}

fn kernels(c: &mut Criterion) {
    bench_strategy::<CheckedMemory>(c, "checked");
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    bench_strategy::<redzone_engine::GuardMemory>(c, "guard");
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
    targets = kernels
}
criterion_main!(benches);
