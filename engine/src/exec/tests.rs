//! Interpreter behaviour on the parts the spec testsuite exercises least directly: operand
//! elision against local writes, multi-value control flow, deep tail calls, limits, fuel,
//! trap locations and host calls.

use crate::{
    CheckedMemory, Config, Error, Extern, FuncType, Instance, LinearMemory, Module, Store, TrapKind, ValType, Value,
};

fn setup(wat: &str, config: Config) -> (Store<CheckedMemory>, Instance) {
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let mut store = Store::new(config);
    let inst = store.instantiate(&module, &[]).unwrap();
    (store, inst)
}

fn call(store: &mut Store<CheckedMemory>, inst: Instance, name: &str, args: &[Value]) -> Result<Vec<Value>, Error> {
    let Some(Extern::Func(f)) = store.get_export(inst, name) else { panic!("no export {name}") };
    store.call(f, args)
}

fn trap_kind(r: Result<Vec<Value>, Error>) -> TrapKind {
    r.unwrap_err().as_trap().expect("a trap").kind.clone()
}

#[test]
fn pending_local_reads_see_the_old_value() {
    let (mut s, i) = setup(
        r#"(module
            (func (export "set") (param i32) (result i32 i32)
                local.get 0
                i32.const 5 local.set 0
                local.get 0)
            (func (export "tee") (param i32) (result i32)
                local.get 0
                local.get 0 i32.const 1 i32.add local.tee 0
                i32.add)
            (func (export "swap") (param i32 i32) (result i32 i32)
                local.get 0 local.get 1 local.set 0 local.set 1
                local.get 0 local.get 1)
            (func (export "rev") (param i32 i32) (result i32 i32)
                local.get 1 local.get 0))"#,
        Config::default(),
    );
    assert_eq!(call(&mut s, i, "set", &[Value::I32(9)]).unwrap(), vec![Value::I32(9), Value::I32(5)]);
    assert_eq!(call(&mut s, i, "tee", &[Value::I32(10)]).unwrap(), vec![Value::I32(21)]);
    let swapped = vec![Value::I32(2), Value::I32(1)];
    assert_eq!(call(&mut s, i, "swap", &[Value::I32(1), Value::I32(2)]).unwrap(), swapped);
    assert_eq!(call(&mut s, i, "rev", &[Value::I32(1), Value::I32(2)]).unwrap(), swapped);
}

#[test]
fn multi_value_blocks_and_br_table_with_values() {
    let (mut s, i) = setup(
        r#"(module
            (func (export "table") (param i32) (result i32 i32)
                (block (result i32 i32)
                    (block (result i32 i32)
                        i32.const 1 i32.const 2
                        local.get 0
                        br_table 0 1 0)
                    i32.const 100 i32.add))
            (func (export "sum") (param i32) (result i32)
                ;; a loop with a parameter: the running sum travels on the stack
                i32.const 0
                (loop (param i32) (result i32)
                    local.get 0 i32.add
                    local.get 0 i32.const 1 i32.sub local.tee 0
                    br_if 0))
            (func (export "params") (param i32 i32) (result i32)
                local.get 0 local.get 1
                (block (param i32 i32) (result i32) i32.sub)))"#,
        Config::default(),
    );
    let t = |s: &mut Store<CheckedMemory>, n| call(s, i, "table", &[Value::I32(n)]).unwrap();
    assert_eq!(t(&mut s, 0), vec![Value::I32(1), Value::I32(102)]);
    assert_eq!(t(&mut s, 1), vec![Value::I32(1), Value::I32(2)]);
    assert_eq!(t(&mut s, 7), vec![Value::I32(1), Value::I32(102)], "default target");
    assert_eq!(call(&mut s, i, "sum", &[Value::I32(10)]).unwrap(), vec![Value::I32(55)]);
    assert_eq!(call(&mut s, i, "params", &[Value::I32(10), Value::I32(3)]).unwrap(), vec![Value::I32(7)]);
}

#[test]
fn tail_calls_run_in_constant_frames() {
    // A depth limit of 10 frames proves that return_call reuses the frame.
    let config = Config { max_call_depth: 10, ..Config::default() };
    let (mut s, i) = setup(
        r#"(module
            (type $t (func (param i64) (result i64)))
            (table funcref (elem $even $odd))
            (func $count (export "count") (param i64 i64) (result i64)
                (if (result i64) (i64.eqz (local.get 0))
                    (then (local.get 1))
                    (else (return_call $count
                        (i64.sub (local.get 0) (i64.const 1))
                        (i64.add (local.get 1) (i64.const 2))))))
            (func $even (export "even") (type $t)
                (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 1))
                    (else (return_call_indirect (type $t)
                        (i64.sub (local.get 0) (i64.const 1)) (i32.const 1)))))
            (func $odd (type $t)
                (if (result i64) (i64.eqz (local.get 0)) (then (i64.const 0))
                    (else (return_call_indirect (type $t)
                        (i64.sub (local.get 0) (i64.const 1)) (i32.const 0))))))"#,
        config,
    );
    let r = call(&mut s, i, "count", &[Value::I64(1_000_000), Value::I64(0)]).unwrap();
    assert_eq!(r, vec![Value::I64(2_000_000)]);
    assert_eq!(call(&mut s, i, "even", &[Value::I64(1_000_001)]).unwrap(), vec![Value::I64(0)]);
}

#[test]
fn runaway_recursion_traps_and_the_store_stays_usable() {
    let wat = r#"(module
        (func $f (export "f") (param i32) (result i32)
            (i32.add (call $f (local.get 0)) (i32.const 1)))
        (func (export "fat") (local i64 i64 i64 i64 i64 i64 i64 i64) (call 1))
        (func (export "ok") (result i32) i32.const 7))"#;
    let (mut s, i) = setup(wat, Config::default());
    assert_eq!(trap_kind(call(&mut s, i, "f", &[Value::I32(0)])), TrapKind::StackOverflow);
    assert_eq!(call(&mut s, i, "ok", &[]).unwrap(), vec![Value::I32(7)]);
    // The value stack limit triggers before the depth limit with big frames.
    let config = Config { max_value_stack: 1000, ..Config::default() };
    let (mut s, i) = setup(wat, config);
    assert_eq!(trap_kind(call(&mut s, i, "fat", &[])), TrapKind::StackOverflow);
    assert_eq!(call(&mut s, i, "ok", &[]).unwrap(), vec![Value::I32(7)]);
}

#[test]
fn fuel_runs_out_and_is_charged() {
    let wat = r#"(module
        (func (export "spin") (param i32)
            (loop local.get 0 i32.const 1 i32.sub local.tee 0 br_if 0)))"#;
    let (mut s, i) = setup(wat, Config { fuel: Some(1_000), ..Config::default() });
    assert_eq!(trap_kind(call(&mut s, i, "spin", &[Value::I32(1_000_000)])), TrapKind::OutOfFuel);
    assert_eq!(s.fuel(), Some(0));
    s.set_fuel(Some(1_000));
    // One instruction per iteration (the subtract and the branch fuse into `IncBrIfNez`)
    // plus the return.
    call(&mut s, i, "spin", &[Value::I32(10)]).unwrap();
    assert_eq!(s.fuel(), Some(1_000 - 11));
    s.set_fuel(None);
    call(&mut s, i, "spin", &[Value::I32(1_000_000)]).unwrap();
}

/// The binary offset of the first operator of function `func` matching `pred`.
fn offset_of(wasm: &[u8], func: usize, pred: impl Fn(&wasmparser::Operator<'_>) -> bool) -> u32 {
    let mut n = 0;
    for payload in wasmparser::Parser::new(0).parse_all(wasm) {
        if let wasmparser::Payload::CodeSectionEntry(body) = payload.unwrap() {
            if n == func {
                let mut ops = body.get_operators_reader().unwrap();
                while !ops.eof() {
                    let (op, off) = ops.read_with_offset().unwrap();
                    if pred(&op) {
                        return off as u32;
                    }
                }
            }
            n += 1;
        }
    }
    panic!("operator not found");
}

#[test]
fn traps_carry_the_function_and_the_instruction_offset() {
    let wat = r#"(module
        (memory 1)
        (func (export "div") (param i32) (result i32)
            local.get 0 local.get 0 i32.add local.get 0 i32.div_s)
        (func (export "load") (param i32) (result i64)
            nop (i64.load offset=8 (local.get 0)))
        (func (export "unreachable") i32.const 1 drop unreachable)
        (func (export "sum") (param i32 i64) (result i64)
            (i64.add (local.get 1) (i64.extend_i32_u (i32.load offset=4 (local.get 0))))))"#;
    let wasm = wat::parse_str(wat).unwrap();
    let module = Module::new(&wasm).unwrap();
    let mut s: Store<CheckedMemory> = Store::new(Config::default());
    let i = s.instantiate(&module, &[]).unwrap();
    let err = call(&mut s, i, "div", &[Value::I32(0)]).unwrap_err();
    let t = err.as_trap().unwrap();
    assert_eq!(t.kind, TrapKind::IntegerDivisionByZero);
    assert_eq!(t.func, Some(0));
    assert_eq!(t.offset, Some(offset_of(&wasm, 0, |op| matches!(op, wasmparser::Operator::I32DivS))));

    let err = call(&mut s, i, "load", &[Value::I32(65_530)]).unwrap_err();
    let t = err.as_trap().unwrap();
    assert_eq!((t.kind.clone(), t.func), (TrapKind::MemoryOutOfBounds, Some(1)));
    assert_eq!(t.offset, Some(offset_of(&wasm, 1, |op| matches!(op, wasmparser::Operator::I64Load { .. }))));
    assert_eq!(call(&mut s, i, "load", &[Value::I32(65_520)]).unwrap(), vec![Value::I64(0)]);

    let t = call(&mut s, i, "unreachable", &[]).unwrap_err().as_trap().unwrap().clone();
    assert_eq!(t.offset, Some(offset_of(&wasm, 2, |op| matches!(op, wasmparser::Operator::Unreachable))));

    // A load fused into the add that reads it (`I64AddLoad32U`) traps at the load.
    let t = call(&mut s, i, "sum", &[Value::I32(65_533), Value::I64(1)]).unwrap_err().as_trap().unwrap().clone();
    assert_eq!((t.kind, t.func), (TrapKind::MemoryOutOfBounds, Some(3)));
    assert_eq!(t.offset, Some(offset_of(&wasm, 3, |op| matches!(op, wasmparser::Operator::I32Load { .. }))));
    assert_eq!(call(&mut s, i, "sum", &[Value::I32(65_528), Value::I64(-1)]).unwrap(), vec![Value::I64(-1)]);
}

#[test]
fn accesses_at_a_sum_wrap_the_add_and_trap_at_the_access() {
    // `a + b` is an i32 add (it wraps) before the offset is added in 64 bits; a fault is the
    // access's, and a straddling store writes no byte.
    let wat = r#"(module
        (memory 1)
        (data (i32.const 1) "\2a")
        (func (export "get") (param i32 i32) (result i32)
            nop (i32.load8_u (i32.add (local.get 0) (local.get 1))))
        (func (export "put") (param i32 i32 i32)
            nop (i32.store offset=2 (i32.add (local.get 0) (local.get 1)) (local.get 2)))
        (func (export "get64") (param i32 i32) (result i64)
            (i64.load offset=8 (i32.add (local.get 0) (local.get 1)))))"#;
    let wasm = wat::parse_str(wat).unwrap();
    let (mut s, i) = setup(wat, Config::default());
    let get = |s: &mut Store<CheckedMemory>, a: i32, b: i32| call(s, i, "get", &[Value::I32(a), Value::I32(b)]);
    assert_eq!(get(&mut s, -1, 2).unwrap(), vec![Value::I32(42)]);
    assert_eq!(get(&mut s, 65_000, 535).unwrap(), vec![Value::I32(0)]);
    let t = get(&mut s, 65_000, 536).unwrap_err().as_trap().unwrap().clone();
    assert_eq!((t.kind, t.func), (TrapKind::MemoryOutOfBounds, Some(0)));
    assert_eq!(t.offset, Some(offset_of(&wasm, 0, |op| matches!(op, wasmparser::Operator::I32Load8U { .. }))));

    let put = |s: &mut Store<CheckedMemory>, a: i32, b: i32, v: i32| {
        call(s, i, "put", &[Value::I32(a), Value::I32(b), Value::I32(v)])
    };
    put(&mut s, 65_000, 530, 0x0403_0201).unwrap();
    assert_eq!(get(&mut s, 65_532, 3).unwrap(), vec![Value::I32(4)]);
    // 65,533 + 2 = 65,535: the 4-byte store straddles the end and writes nothing.
    let t = put(&mut s, 65_000, 533, -1).unwrap_err().as_trap().unwrap().clone();
    assert_eq!((t.kind, t.func), (TrapKind::MemoryOutOfBounds, Some(1)));
    assert_eq!(t.offset, Some(offset_of(&wasm, 1, |op| matches!(op, wasmparser::Operator::I32Store { .. }))));
    assert_eq!(get(&mut s, 65_535, 0).unwrap(), vec![Value::I32(4)], "the straddling store wrote a byte");
    // (-8 + 1) wraps to 0xFFFF_FFF9; the offset is added without wrapping: past 4 GiB.
    let t = call(&mut s, i, "get64", &[Value::I32(-8), Value::I32(1)]).unwrap_err().as_trap().unwrap().clone();
    assert_eq!(t.kind, TrapKind::MemoryOutOfBounds);
    assert_eq!(
        call(&mut s, i, "get64", &[Value::I32(-16), Value::I32(65_536)]).unwrap(),
        vec![Value::I64(0x0403_0201 << 32)],
        "(-16 + 65,536) wraps to 65,520; plus 8: the last 8 bytes"
    );
}

#[test]
fn chains_through_the_result_register_compute_what_the_slots_would() {
    // A hash step whose links pass values in the result register; a branch to the join
    // right after a write of `x`, arriving with another value (the branch condition) in the
    // register; a load at a computed address; a remainder that traps on a zero divisor.
    let (mut s, i) = setup(
        r#"(module
            (memory 1)
            (data (i32.const 64) "\01\02\03\04\05\06\07\08")
            (func (export "mix") (param $n i32) (param $d i32) (result i32)
                (local $x i32) (local $acc i32)
                (local.set $x (i32.const 0x2545F491))
                (block $done
                    (loop $step
                        (br_if $done (i32.eqz (local.get $n)))
                        (local.set $x (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
                        (block $join
                            (br_if $join (i32.and (local.get $n) (i32.const 1)))
                            (local.set $x (i32.rotl (local.get $x) (i32.const 7))))
                        (local.set $acc
                            (i32.xor (local.get $acc)
                                (i32.add
                                    (i32.rem_u (local.get $x) (local.get $d))
                                    (i32.load8_u (i32.add (i32.and (local.get $x) (i32.const 7)) (i32.const 64))))))
                        (local.set $n (i32.sub (local.get $n) (i32.const 1)))
                        (br $step)))
                (local.get $acc)))"#,
        Config::default(),
    );
    let mix = |mut n: u32, d: u32| {
        let (mut x, mut acc) = (0x2545F491u32, 0u32);
        while n != 0 {
            x = x.wrapping_mul(1103515245).wrapping_add(12345);
            if n & 1 == 0 {
                x = x.rotate_left(7);
            }
            acc ^= (x % d).wrapping_add((x & 7) + 1);
            n -= 1;
        }
        acc
    };
    for (n, d) in [(1u32, 7u32), (2, 40000), (1000, 97), (4097, 65521)] {
        let got = call(&mut s, i, "mix", &[Value::I32(n as i32), Value::I32(d as i32)]).unwrap();
        assert_eq!(got, vec![Value::I32(mix(n, d) as i32)], "n {n} d {d}");
    }
    assert_eq!(trap_kind(call(&mut s, i, "mix", &[Value::I32(3), Value::I32(0)])), TrapKind::IntegerDivisionByZero);
}

#[test]
fn indirect_calls_check_bounds_null_and_signature() {
    let (mut s, i) = setup(
        r#"(module
            (type $v (func (result i32)))
            (type $p (func (param i32) (result i32)))
            (table 3 funcref)
            (elem (i32.const 0) $seven $id)
            (func $seven (type $v) i32.const 7)
            (func $id (type $p) local.get 0)
            (func (export "call") (param i32) (result i32)
                (call_indirect (type $v) (local.get 0))))"#,
        Config::default(),
    );
    assert_eq!(call(&mut s, i, "call", &[Value::I32(0)]).unwrap(), vec![Value::I32(7)]);
    assert_eq!(trap_kind(call(&mut s, i, "call", &[Value::I32(1)])), TrapKind::BadSignature);
    assert_eq!(trap_kind(call(&mut s, i, "call", &[Value::I32(2)])), TrapKind::IndirectCallToNull);
    assert_eq!(trap_kind(call(&mut s, i, "call", &[Value::I32(3)])), TrapKind::TableOutOfBounds);
}

#[test]
fn host_calls_see_the_callers_memory_and_work_as_tail_calls() {
    let module = Module::new(
        &wat::parse_str(
            r#"(module
                (import "env" "peek" (func $peek (param i32) (result i32)))
                (memory (export "mem") 1)
                (data (i32.const 16) "\2a")
                (func (export "direct") (result i32) (i32.add (call $peek (i32.const 16)) (i32.const 1)))
                (func (export "tail") (param i32) (result i32) (return_call $peek (local.get 0))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let mut s: Store<CheckedMemory> = Store::new(Config::default());
    let peek = s.new_host_func(FuncType::new([ValType::I32], [ValType::I32]), |caller, args, results| {
        let Value::I32(addr) = args[0] else { unreachable!() };
        let mut b = [0u8];
        caller.read_memory(addr as u64, &mut b)?;
        results[0] = Value::I32(b[0] as i32);
        Ok(())
    });
    let i = s.instantiate(&module, &[Extern::Func(peek)]).unwrap();
    assert_eq!(call(&mut s, i, "direct", &[]).unwrap(), vec![Value::I32(43)]);
    assert_eq!(call(&mut s, i, "tail", &[Value::I32(16)]).unwrap(), vec![Value::I32(42)]);
    assert_eq!(trap_kind(call(&mut s, i, "tail", &[Value::I32(70_000)])), TrapKind::MemoryOutOfBounds);
}

#[test]
fn memory_grow_is_seen_by_later_accesses() {
    let (mut s, i) = setup(
        r#"(module (memory 1 3)
            (func (export "f") (result i32 i32 i32)
                (i32.store (i32.const 70000) (i32.const 1)) ;; beyond one page: traps before any growth
                i32.const 0 i32.const 0 i32.const 0)
            (func (export "g") (result i32 i32 i32)
                (memory.grow (i32.const 1))
                (i32.store (i32.const 70000) (i32.const 9))
                (i32.load (i32.const 70000))
                (memory.grow (i32.const 5))))"#,
        Config::default(),
    );
    assert_eq!(trap_kind(call(&mut s, i, "f", &[])), TrapKind::MemoryOutOfBounds);
    assert_eq!(call(&mut s, i, "g", &[]).unwrap(), vec![Value::I32(1), Value::I32(9), Value::I32(-1)]);
}

#[test]
fn stores_of_constants_write_the_right_width() {
    let (mut s, i) = setup(
        r#"(module (memory 1)
            (func (export "f") (result i64 i64 i32)
                (i64.store (i32.const 0) (i64.const -2))
                (i64.store (i32.const 8) (i64.const 0x1_0000_0000))
                (i32.store8 (i32.const 16) (i32.const 0x1ff))
                (i64.store32 (i32.const 17) (i64.const -1))
                (i64.load (i32.const 0)) (i64.load (i32.const 8)) (i32.load (i32.const 16))))"#,
        Config::default(),
    );
    let r = call(&mut s, i, "f", &[]).unwrap();
    assert_eq!(r, vec![Value::I64(-2), Value::I64(0x1_0000_0000), Value::I32(-1)]);
}

#[test]
fn counted_loops_compare_after_incrementing() {
    let (mut s, i) = setup(
        r#"(module
            (func (export "lts") (param $i i32) (param $n i32) (result i32) (local $c i32)
                (loop
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br_if 0 (i32.lt_s (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
                (local.get $c))
            (func (export "ne") (param $i i32) (param $n i32) (result i32) (local $c i32)
                (loop
                    (local.set $c (i32.add (local.get $c) (i32.const 1)))
                    (br_if 0 (i32.ne (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
                (local.get $c)))"#,
        Config::default(),
    );
    let run = |s: &mut Store<CheckedMemory>, f, a, b| call(s, i, f, &[Value::I32(a), Value::I32(b)]).unwrap();
    assert_eq!(run(&mut s, "lts", -5, 3), vec![Value::I32(8)]);
    assert_eq!(run(&mut s, "lts", 10, 3), vec![Value::I32(1)], "body runs once");
    assert_eq!(run(&mut s, "ne", -1, 2), vec![Value::I32(3)]);
    assert_eq!(run(&mut s, "ne", i32::MAX, i32::MIN), vec![Value::I32(1)], "wraps");
}

/// A stand-in for a signal-trapping strategy: an out-of-bounds guest access does not return
/// but abandons the interpreter (by unwinding, where the guard strategy jumps), and
/// `run_guest` turns that into `Err(OutOfBounds)` and keeps the access's site for
/// `take_fault_site`, as the guard strategy's handler does with the site's register.
struct FaultingMemory(CheckedMemory);

/// The unwinding payload of a simulated fault: the faulting access's site.
struct SimulatedFault(usize);

thread_local! {
    static SIMULATED_SITE: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

impl LinearMemory for FaultingMemory {
    const SIGNAL_TRAPS: bool = true;
    const STRATEGY: &'static str = "test-fault";

    fn new(ty: crate::MemoryType, host_limit_pages: Option<u64>) -> Result<Self, Error> {
        CheckedMemory::new(ty, host_limit_pages).map(FaultingMemory)
    }
    fn ty(&self) -> crate::MemoryType {
        self.0.ty()
    }
    fn size_bytes(&self) -> u64 {
        self.0.size_bytes()
    }
    fn grow(&mut self, delta: u64) -> Option<u64> {
        self.0.grow(delta)
    }
    unsafe fn run_guest<R>(_: *const [Self], f: impl FnOnce() -> R) -> Result<R, crate::memory::OutOfBounds> {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|payload| {
            let Some(SimulatedFault(site)) = payload.downcast_ref::<SimulatedFault>() else {
                panic!("only simulated faults may unwind")
            };
            SIMULATED_SITE.set(*site);
            crate::memory::OutOfBounds
        })
    }
    fn take_fault_site() -> Option<usize> {
        Some(SIMULATED_SITE.replace(0)).filter(|&s| s != 0)
    }
    fn guest_load<T: crate::memory::Scalar>(&self, ea: u64, site: usize) -> Result<T, crate::memory::OutOfBounds> {
        Ok(self.0.load(ea).unwrap_or_else(|_| std::panic::resume_unwind(Box::new(SimulatedFault(site)))))
    }
    fn guest_store<T: crate::memory::Scalar>(
        &mut self,
        ea: u64,
        v: T,
        site: usize,
    ) -> Result<(), crate::memory::OutOfBounds> {
        self.0.store(ea, v).map_err(|_| std::panic::resume_unwind(Box::new(SimulatedFault(site))))
    }
    fn load<T: crate::memory::Scalar>(&self, ea: u64) -> Result<T, crate::memory::OutOfBounds> {
        // `resume_unwind` skips the panic hook: this is control flow, not a bug report.
        Ok(self.0.load(ea).unwrap_or_else(|_| std::panic::resume_unwind(Box::new(SimulatedFault(0)))))
    }
    fn store<T: crate::memory::Scalar>(&mut self, ea: u64, v: T) -> Result<(), crate::memory::OutOfBounds> {
        self.0.store(ea, v).map_err(|_| std::panic::resume_unwind(Box::new(SimulatedFault(0))))
    }
    fn data(&self) -> &[u8] {
        self.0.data()
    }
    fn data_mut(&mut self) -> &mut [u8] {
        self.0.data_mut()
    }
}

#[test]
fn abrupt_memory_faults_become_located_traps_and_reset_the_frames() {
    let wat = r#"(module
        (memory (export "mem") 1)
        (func $leaf (param i32) (result i32) nop (i32.load offset=4 (local.get 0)))
        (func $mid (param i32) (result i32) (i32.add (call $leaf (local.get 0)) (i32.const 1)))
        (func (export "top") (param i32) (result i32) (call $mid (local.get 0)))
        (func (export "poke") (param i32) (i64.store (local.get 0) (i64.const -1)))
        (func (export "fuel") (param i32) (result i32)
            (drop (i32.const 1)) (i32.load (local.get 0))))"#;
    let wasm = wat::parse_str(wat).unwrap();
    let module = Module::new(&wasm).unwrap();
    let mut s: Store<FaultingMemory> = Store::new(Config::default());
    let i = s.instantiate(&module, &[]).unwrap();
    let f = |s: &Store<FaultingMemory>, name: &str| match s.get_export(i, name) {
        Some(Extern::Func(f)) => f,
        _ => panic!("no export {name}"),
    };
    let (top, poke, fuel) = (f(&s, "top"), f(&s, "poke"), f(&s, "fuel"));

    assert_eq!(s.call(top, &[Value::I32(0)]).unwrap(), vec![Value::I32(1)]);
    let err = s.call(top, &[Value::I32(65_532)]).unwrap_err();
    let t = err.as_trap().expect("a trap");
    assert_eq!(t.kind, TrapKind::MemoryOutOfBounds);
    assert_eq!(t.func, Some(0), "located in the leaf, two frames deep");
    assert_eq!(t.offset, Some(offset_of(&wasm, 0, |op| matches!(op, wasmparser::Operator::I32Load { .. }))));
    // The abandoned frames are gone: later calls start from a clean frame stack.
    assert_eq!(s.call(top, &[Value::I32(8)]).unwrap(), vec![Value::I32(1)]);

    let t = s.call(poke, &[Value::I32(65_530)]).unwrap_err().as_trap().unwrap().clone();
    assert_eq!((t.kind, t.func), (TrapKind::MemoryOutOfBounds, Some(3)));
    let Some(Extern::Memory(mem)) = s.get_export(i, "mem") else { panic!("no memory") };
    assert!(s.memory(mem).0.data().iter().all(|&b| b == 0), "a faulting store writes nothing");

    // Fuel spent before the fault is kept.
    s.set_fuel(Some(100));
    assert!(s.call(fuel, &[Value::I32(70_000)]).is_err());
    let left = s.fuel().unwrap();
    assert!(left < 100 && left > 90, "fuel after the fault: {left}");
}

#[test]
fn reference_locals_start_null_in_every_kind_of_call() {
    // Found by `redzone fuzz --generator smith`: frames are zeroed, and a zero funcref cell
    // is the store's first function, so reference locals started non-null.
    let (mut s, i) = setup(
        r#"(module
            (func $first)
            (func $callee (result i32 i32) (local i64 funcref externref)
                (ref.is_null (local.get 1)) (ref.is_null (local.get 2)))
            (func (export "entry") (result i32 i32) (local funcref externref)
                (ref.is_null (local.get 0)) (ref.is_null (local.get 1)))
            (func (export "called") (result i32 i32) (call $callee))
            (func (export "tail") (result i32 i32) (return_call $callee)))"#,
        Config::default(),
    );
    for name in ["entry", "called", "tail"] {
        assert_eq!(call(&mut s, i, name, &[]).unwrap(), vec![Value::I32(1), Value::I32(1)], "{name}");
    }
}

/// `v128` values keep both halves through every kind of move the translator emits: block
/// results, branches with values, `br_table`, loop parameters, `select`, globals, calls,
/// tail calls (whose high halves move before the frame is replaced), host calls, and
/// swapped locals.
#[test]
fn v128_values_keep_both_halves_through_moves_calls_and_control() {
    let module = Module::new(
        &wat::parse_str(
            r#"(module
            (import "host" "flip" (func $flip (param v128) (result v128)))
            (global $g (mut v128) (v128.const i64x2 0 0))
            (func $id (param v128) (result v128) local.get 0)
            (func $pick (param i32 v128 v128) (result v128)
                local.get 1 local.get 2 local.get 0 select)
            (func $tail (param i32 v128 v128) (result v128)
                local.get 0 local.get 2 local.get 1 return_call $pick)
            (func (export "blocks") (param v128 v128 i32) (result v128 v128)
                (local v128)
                (block $b (result v128)
                    local.get 0
                    local.get 2 br_if $b
                    drop local.get 1)
                (block $t (result v128)
                    (block $u (result v128)
                        local.get 1 local.get 2 br_table $t $u)
                    drop local.get 0)
                local.set 3 local.get 3)
            (func (export "loop") (param v128 i32) (result v128)
                local.get 0
                (loop $l (param v128) (result v128)
                    i32x4.neg
                    local.get 1 i32.const 1 i32.sub local.tee 1
                    br_if $l))
            (func (export "calls") (param v128 v128 i32) (result v128)
                local.get 0 global.set $g
                local.get 2 local.get 0 local.get 1 call $tail
                call $id call $flip
                global.get $g i64x2.add)
            (func (export "swap") (param v128 v128) (result v128 v128)
                local.get 0 local.get 1 local.set 0 local.set 1 local.get 0 local.get 1))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let mut store: Store<CheckedMemory> = Store::new(Config::default());
    let flip = store.new_host_func(FuncType::new([ValType::V128], [ValType::V128]), |_, args, out| {
        let Value::V128(v) = args[0] else { panic!("flip takes a v128") };
        out[0] = Value::V128(v.rotate_left(64));
        Ok(())
    });
    let i = store.instantiate(&module, &[Extern::Func(flip)]).unwrap();
    let (a, b) = (0x1111_2222_3333_4444_5555_6666_7777_8888u128, 0x9999_aaaa_bbbb_cccc_dddd_eeee_ffff_0001u128);
    let (va, vb) = (Value::V128(a), Value::V128(b));
    let mut run = |name: &str, args: &[Value]| {
        let Some(Extern::Func(f)) = store.get_export(i, name) else { panic!("no export {name}") };
        store.call(f, args).unwrap()
    };
    assert_eq!(run("blocks", &[va, vb, Value::I32(1)]), vec![va, va], "taken br_if, br_table default");
    assert_eq!(run("blocks", &[va, vb, Value::I32(0)]), vec![vb, vb], "fall-through, br_table entry 0");
    let neg =
        |v: u128| (0..4).fold(0u128, |acc, k| acc | ((((v >> (32 * k)) as u32).wrapping_neg() as u128) << (32 * k)));
    assert_eq!(run("loop", &[va, Value::I32(3)]), vec![Value::V128(neg(a))], "three negations");
    // $tail swaps its vectors and tail-calls $pick, whose select takes the first when the
    // condition is non-zero; then $id, the host's half swap, and + the global (= a).
    let add = |x: u128, y: u128| {
        (x as u64).wrapping_add(y as u64) as u128 | ((((x >> 64) as u64).wrapping_add((y >> 64) as u64)) as u128) << 64
    };
    assert_eq!(run("calls", &[va, vb, Value::I32(1)]), vec![Value::V128(add(b.rotate_left(64), a))]);
    assert_eq!(run("calls", &[va, vb, Value::I32(0)]), vec![Value::V128(add(a.rotate_left(64), a))]);
    assert_eq!(run("swap", &[va, vb]), vec![vb, va]);
}

/// A loop through calls, returns, loads, stores, globals, `select`, `br_table`, a host call
/// and memory.size, many times: every handler must end in a jump to the next, never a call
/// that leaves its frame on the native stack. Run on a thread with a 64 KiB stack, which a
/// handler that kept its frame would overflow within a few thousand instructions (and debug
/// builds check the depth at every dispatch, `run.rs`).
fn stack_loop<M: LinearMemory>(fuel: bool) -> i32 {
    let wat = r#"(module
        (import "host" "id" (func $id (param i32) (result i32)))
        (memory 1)
        (global $g (mut i32) (i32.const 0))
        (func $f (param i32) (result i32) local.get 0 i32.const 3 i32.mul)
        (func (export "run") (param $n i32) (result i32) (local $i i32) (local $acc i32)
            (loop $l
                (i32.store (i32.and (local.get $i) (i32.const 1023)) (local.get $acc))
                (local.set $acc (i32.add (local.get $acc)
                    (i32.load8_u (i32.and (local.get $i) (i32.const 1023)))))
                (local.set $acc (i32.add (local.get $acc) (call $f (local.get $i))))
                (global.set $g (select (local.get $acc) (global.get $g) (i32.and (local.get $i) (i32.const 1))))
                (block $a (block $b
                    (br_table $a $b (i32.and (local.get $i) (i32.const 1))))
                    (local.set $acc (i32.xor (local.get $acc) (memory.size))))
                (if (i32.eqz (i32.and (local.get $i) (i32.const 4095)))
                    (then (local.set $acc (call $id (local.get $acc)))))
                (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (local.get $n))))
            (i32.add (local.get $acc) (global.get $g))))"#;
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let mut config = Config::default();
    if fuel {
        config.fuel = Some(u64::MAX);
    }
    let mut store: Store<M> = Store::new(config);
    let id = store.new_host_func(FuncType::new([ValType::I32], [ValType::I32]), |_, args, out| {
        out[0] = args[0];
        Ok(())
    });
    let i = store.instantiate(&module, &[Extern::Func(id)]).unwrap();
    let Some(Extern::Func(f)) = store.get_export(i, "run") else { panic!("no export run") };
    match store.call(f, &[Value::I32(200_000)]).unwrap()[..] {
        [Value::I32(v)] => v,
        ref other => panic!("unexpected results {other:?}"),
    }
}

#[test]
fn handlers_run_in_constant_native_stack() {
    let run = |f: fn(bool) -> i32, fuel: bool| {
        std::thread::Builder::new().stack_size(64 * 1024).spawn(move || f(fuel)).unwrap().join().unwrap()
    };
    let want = run(stack_loop::<CheckedMemory>, false);
    assert_eq!(run(stack_loop::<CheckedMemory>, true), want);
    #[cfg(all(target_os = "linux", target_arch = "x86_64"))]
    {
        assert_eq!(run(stack_loop::<crate::GuardMemory>, false), want);
        assert_eq!(run(stack_loop::<crate::GuardMemory>, true), want);
    }
}

/// One module instantiated under two strategies runs threaded for each (each with its own
/// handlers) and computes the same.
#[test]
fn a_module_is_threaded_once_per_strategy_it_runs_under() {
    let module = Module::new(
        &wat::parse_str(
            r#"(module (memory 1)
                (func (export "f") (param i32) (result i32)
                    (i32.store (i32.const 8) (local.get 0))
                    (i32.add (i32.load (i32.const 8)) (i32.const 1))))"#,
        )
        .unwrap(),
    )
    .unwrap();
    let run = |store: &mut Store<CheckedMemory>| {
        let i = store.instantiate(&module, &[]).unwrap();
        let Some(Extern::Func(f)) = store.get_export(i, "f") else { panic!("no export f") };
        store.call(f, &[Value::I32(41)]).unwrap()
    };
    assert_eq!(module.inner.code[0].threaded.copies().count(), 0, "threaded before any call");
    let mut checked = Store::new(Config::default());
    assert_eq!(run(&mut checked), vec![Value::I32(42)]);
    assert_eq!(run(&mut checked), vec![Value::I32(42)]);
    assert_eq!(module.inner.code[0].threaded.copies().count(), 1, "one copy per strategy, reused");
    let mut fuel = Store::new(Config { fuel: Some(100), ..Config::default() });
    assert_eq!(run(&mut fuel), vec![Value::I32(42)]);
    assert_eq!(module.inner.code[0].threaded.copies().count(), 2, "fuel has handlers of its own");
}
