//! The interpreter over guard memory: the same modules run in a `Store<GuardMemory>` and a
//! `Store<CheckedMemory>` give the same results, the same located traps and the same memory
//! contents, including across memory.grow, host calls and fuel.

use super::shared;
use redzone_engine::{
    CheckedMemory, Error, Extern, FuncType, GuardMemory, LinearMemory, Module, Store, ValType, Value,
};

const WAT: &str = r#"
(module
  (import "host" "poke" (func $poke (param i32) (result i32)))
  (memory (export "mem") 1 4)
  (func (export "st8") (param i32 i64) local.get 0 local.get 1 i64.store8 offset=3)
  (func (export "st16") (param i32 i64) local.get 0 local.get 1 i64.store16)
  (func (export "st32") (param i32 i64) local.get 0 local.get 1 i64.store32 offset=65536)
  (func (export "st64") (param i32 i64) local.get 0 local.get 1 i64.store offset=4294967295)
  (func (export "ld64") (param i32) (result i64) local.get 0 i64.load)
  (func (export "ld32u") (param i32) (result i64) local.get 0 i64.load32_u offset=2147483648)
  (func (export "ldf64") (param i32) (result f64) local.get 0 f64.load offset=7)
  (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
  (func (export "sum") (param i32) (result i32) (local i32)
    (block (loop
      local.get 0 i32.eqz br_if 1
      local.get 0 i32.const 4 i32.sub local.set 0
      local.get 0 i32.load local.get 1 i32.add local.set 1
      br 0))
    local.get 1)
  (func (export "via_host") (param i32) (result i32) local.get 0 call $poke i32.load)
)"#;

type Outcome = (Vec<Result<Vec<Value>, Error>>, Vec<u8>, Option<u64>);

fn run<M: LinearMemory>(calls: &[(&str, Vec<Value>)], fuel: Option<u64>) -> Outcome {
    let module = Module::new(&wat::parse_str(WAT).unwrap()).unwrap();
    let mut store: Store<M> = Store::new(redzone_engine::Config { fuel, ..Default::default() });
    let poke = store.new_host_func(FuncType::new([ValType::I32], [ValType::I32]), |_, args, out| {
        let Value::I32(a) = args[0] else { panic!("poke takes an i32") };
        out[0] = Value::I32(a.wrapping_add(1));
        Ok(())
    });
    let inst = store.instantiate(&module, &[Extern::Func(poke)]).unwrap();
    let mut results = Vec::new();
    for (name, args) in calls {
        let Some(Extern::Func(f)) = store.get_export(inst, name) else { panic!("no export {name}") };
        results.push(store.call(f, args));
    }
    let Some(Extern::Memory(mem)) = store.get_export(inst, "mem") else { panic!("no memory") };
    store.audit_memories().unwrap();
    (results, store.memory(mem).data().to_vec(), store.fuel())
}

#[test]
fn guard_and_checked_stores_agree_on_results_traps_and_memory() {
    let _g = shared();
    let mut calls = Vec::new();
    let v = Value::I64(0x1122_3344_5566_7788);
    for page_end in [65536i64, 2 * 65536] {
        for back in 0..12 {
            let addr = Value::I32((page_end - back) as i32);
            for f in ["st8", "st16", "st32", "st64"] {
                calls.push((f, vec![addr, v]));
            }
            for f in ["ld64", "ld32u", "ldf64"] {
                calls.push((f, vec![addr]));
            }
        }
        calls.push(("grow", vec![Value::I32(1)]));
    }
    for addr in [0, 1, -1, -8, i32::MIN, i32::MAX] {
        calls.push(("st64", vec![Value::I32(addr), v]));
        calls.push(("ld64", vec![Value::I32(addr)]));
        calls.push(("ld32u", vec![Value::I32(addr)]));
    }
    calls.push(("sum", vec![Value::I32(3 * 65536)]));
    calls.push(("sum", vec![Value::I32(3 * 65536 + 4)]));
    calls.push(("via_host", vec![Value::I32(3 * 65536 - 5)]));
    calls.push(("via_host", vec![Value::I32(3 * 65536 - 4)]));
    calls.push(("grow", vec![Value::I32(5)]));
    let (guard, guard_mem, _) = run::<GuardMemory>(&calls, None);
    let (checked, checked_mem, _) = run::<CheckedMemory>(&calls, None);
    let mut traps = 0;
    for (((name, args), g), c) in calls.iter().zip(&guard).zip(&checked) {
        assert_eq!(g, c, "{name}{args:?}");
        traps += usize::from(g.as_ref().is_err_and(|e| e.as_trap().is_some_and(|t| t.func.is_some())));
    }
    assert!(traps > 50, "located traps: {traps}");
    assert!(guard_mem == checked_mem, "memory contents differ");
}

#[test]
fn fuel_left_after_a_guard_trap_matches_checked() {
    let _g = shared();
    let calls = [("sum", vec![Value::I32(65536 + 64)]), ("sum", vec![Value::I32(16)])];
    let (g, _, g_fuel) = run::<GuardMemory>(&calls, Some(100_000));
    let (c, _, c_fuel) = run::<CheckedMemory>(&calls, Some(100_000));
    assert_eq!(g, c);
    assert!(g[0].is_err() && g[1].is_ok());
    assert_eq!(g_fuel, c_fuel, "fuel left after the trap");
    assert!(g_fuel < Some(100_000));
}

const SIMD_WAT: &str = r#"
(module
  (memory (export "mem") 1)
  (func (export "st128") (param i32 v128) local.get 0 local.get 1 v128.store)
  (func (export "st128_off") (param i32 v128) local.get 0 local.get 1 v128.store offset=65520)
  (func (export "ld128") (param i32) (result v128) local.get 0 v128.load)
  (func (export "st8_lane15") (param i32 v128) local.get 0 local.get 1 v128.store8_lane 15)
  (func (export "st32_lane2") (param i32 v128) local.get 0 local.get 1 v128.store32_lane 2)
  (func (export "st64_lane1") (param i32 v128) local.get 0 local.get 1 v128.store64_lane 1)
  (func (export "ld16_lane3") (param i32 v128) (result v128) local.get 0 local.get 1 v128.load16_lane 3)
)"#;

/// Runs `calls` on the SIMD module in strategy `M`, over a memory filled with a pattern.
fn run_simd<M: LinearMemory>(calls: &[(&str, Vec<Value>)]) -> (Vec<Result<Vec<Value>, Error>>, Vec<u8>) {
    let module = Module::new(&wat::parse_str(SIMD_WAT).unwrap()).unwrap();
    let mut store: Store<M> = Store::new(redzone_engine::Config::default());
    let inst = store.instantiate(&module, &[]).unwrap();
    let Some(Extern::Memory(mem)) = store.get_export(inst, "mem") else { panic!("no memory") };
    for (i, b) in store.memory_mut(mem).data_mut().iter_mut().enumerate() {
        *b = (i * 7 + 3) as u8;
    }
    let results = calls
        .iter()
        .map(|(name, args)| {
            let Some(Extern::Func(f)) = store.get_export(inst, name) else { panic!("no export {name}") };
            store.call(f, args)
        })
        .collect();
    store.audit_memories().unwrap();
    (results, store.memory(mem).data().to_vec())
}

#[test]
fn v128_stores_straddling_the_end_write_nothing_in_either_strategy() {
    let _g = shared();
    let v = Value::V128(u128::MAX);
    let pristine: Vec<u8> = (0..65536usize).map(|i| (i * 7 + 3) as u8).collect();
    for back in 1..=15i32 {
        // One 16-byte instruction with 16 - back bytes in bounds: it must trap and write
        // none of them, also through the static offset.
        let calls = [("st128", vec![Value::I32(65536 - back), v]), ("st128_off", vec![Value::I32(16 - back), v])];
        for (results, mem) in [run_simd::<GuardMemory>(&calls), run_simd::<CheckedMemory>(&calls)] {
            for r in &results {
                let trap = r.as_ref().unwrap_err().as_trap().expect("a trap");
                assert_eq!(trap.kind, redzone_engine::TrapKind::MemoryOutOfBounds, "at len-{back}");
                assert!(trap.func.is_some(), "the trap is located");
            }
            assert!(mem == pristine, "a v128.store at len-{back} changed memory");
        }
    }
    let (r, mem) = run_simd::<GuardMemory>(&[("st128", vec![Value::I32(65520), v])]);
    assert!(r[0].is_ok() && mem[65520..].iter().all(|&b| b == 0xff) && mem[..65520] == pristine[..65520]);
}

#[test]
fn lane_stores_write_exactly_their_lane_and_loads_agree() {
    let _g = shared();
    let v = Value::V128(0x0f0e_0d0c_0b0a_0908_0706_0504_0302_0100);
    let mut calls = Vec::new();
    for addr in [0, 100, 65528, 65529, 65532, 65533, 65535, 65536] {
        for f in ["st8_lane15", "st32_lane2", "st64_lane1"] {
            calls.push((f, vec![Value::I32(addr), v]));
        }
        calls.push(("ld128", vec![Value::I32(addr)]));
        calls.push(("ld16_lane3", vec![Value::I32(addr), v]));
    }
    let (guard, guard_mem) = run_simd::<GuardMemory>(&calls);
    let (checked, checked_mem) = run_simd::<CheckedMemory>(&calls);
    for (((name, args), g), c) in calls.iter().zip(&guard).zip(&checked) {
        assert_eq!(g, c, "{name}{args:?}");
    }
    assert!(guard_mem == checked_mem, "memory contents differ");
    // At 100: lane 15 of v is 0x0f, lane 2 (u32) is 0x0b0a0908, lane 1 (u64) is bytes 8..16,
    // written over each other in that order; byte 108 onward is untouched.
    assert_eq!(&guard_mem[100..108], &[8, 9, 10, 11, 12, 13, 14, 15]);
    assert_eq!(guard_mem[108], (108 * 7 + 3) as u8);
    assert_eq!(guard_mem[99], (99 * 7 + 3) as u8);
    // At 65535 only the byte store fits; the 4- and 8-byte lane stores trap.
    assert_eq!(guard_mem[65535], 0x0f);
    let at = |a: i32, f: &str| calls.iter().position(|(n, args)| *n == f && args[0] == Value::I32(a)).unwrap();
    assert!(guard[at(65535, "st8_lane15")].is_ok());
    assert!(guard[at(65533, "st32_lane2")].is_err() && guard[at(65532, "st32_lane2")].is_ok());
    assert!(guard[at(65529, "st64_lane1")].is_err() && guard[at(65528, "st64_lane1")].is_ok());
    assert!(guard[at(65535, "ld16_lane3")].is_err() && guard[at(65534 - 1, "ld16_lane3")].is_ok());
}
