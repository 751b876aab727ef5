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
