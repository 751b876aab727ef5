//! The planted bugs of the mutant zoo (`redzone_engine::mutants`, the `mutants` feature),
//! each observed through the public API: the correct outcome with no mutant, the wrong one
//! with it. The active mutant is process-wide, which is why these tests live in their own
//! test binary (the engine's other tests never see a mutant switched on) and take turns
//! through one lock.
use redzone_engine::mutants::{ZOO, active, find, set};
use redzone_engine::{CheckedMemory, Extern, LinearMemory, Module, Store, Value};
use std::sync::Mutex;

static TURN: Mutex<()> = Mutex::new(());

/// Runs export `f` of `wat` with `args` under mutant `name` (and `None` for none) on
/// store memory `M`.
fn call<M: LinearMemory>(name: Option<&str>, wat: &str, f: &str, args: &[Value]) -> Result<Vec<Value>, String> {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    set(name.map(|n| find(n).expect("a mutant of the zoo"))).unwrap();
    let module = Module::new(&wat::parse_str(wat).unwrap()).unwrap();
    let mut store: Store<M> = Store::new(Default::default());
    let out = (|| {
        let inst = store.instantiate(&module, &[]).map_err(|e| e.to_string())?;
        let Some(Extern::Func(func)) = store.get_export(inst, f) else { return Err("no export".into()) };
        store.call(func, args).map_err(|e: redzone_engine::Error| e.to_string())
    })();
    // The store goes before the mutant: a guard memory releases what its mutant committed.
    drop(store);
    set(None).unwrap();
    out
}

fn i32(v: i32) -> Value {
    Value::I32(v)
}

/// The outcome of `f` correct and mutated, on the checked memory.
fn both(name: &str, wat: &str, f: &str, args: &[Value]) -> (Result<Vec<Value>, String>, Result<Vec<Value>, String>) {
    (call::<CheckedMemory>(None, wat, f, args), call::<CheckedMemory>(Some(name), wat, f, args))
}

#[test]
fn access_mutants_change_what_a_load_near_the_end_sees() {
    let wat = r#"(module (memory 1)
        (func (export "ld") (param i32) (result i32) local.get 0 i32.load)
        (func (export "ld_off") (param i32) (result i32) local.get 0 i32.load offset=65536)
        (func (export "ld8") (param i32) (result i32) local.get 0 i32.load8_u))"#;
    let (right, wrong) = both("bounds-off-by-one", wat, "ld", &[i32(65533)]);
    assert!(right.unwrap_err().contains("out of bounds"));
    assert_eq!(wrong, Ok(vec![i32(0)]));
    let (_, wrong) = both("bounds-first-byte-only", wat, "ld", &[i32(65535)]);
    assert_eq!(wrong, Ok(vec![i32(0)]));
    let (right, wrong) = both("bounds-narrow-width", wat, "ld8", &[i32(65535)]);
    assert_eq!(right, Ok(vec![i32(0)]));
    assert!(wrong.unwrap_err().contains("out of bounds"));
    let (right, wrong) = both("addr-offset-unchecked", wat, "ld_off", &[i32(0)]);
    assert!(right.unwrap_err().contains("out of bounds"));
    assert_eq!(wrong, Ok(vec![i32(0)]));
    let (right, wrong) = both("addr-offset-truncated", wat, "ld_off", &[i32(0)]);
    assert!(right.is_err() && wrong.is_ok(), "offset 65536 truncated to 0");
}

#[test]
fn sign_and_byte_order_mutants_change_values() {
    let wat = r#"(module (memory 1) (data (i32.const 0) "\fe\ff\ff\ff")
        (func (export "s32") (result i64) i32.const 0 i64.load32_s)
        (func (export "u16") (result i32) i32.const 0 i32.load16_u))"#;
    let (right, wrong) = both("load32-s-zero-extends", wat, "s32", &[]);
    assert_eq!((right, wrong), (Ok(vec![Value::I64(-2)]), Ok(vec![Value::I64(0xffff_fffe)])));
    let (right, wrong) = both("load16-byte-swapped", wat, "u16", &[]);
    assert_eq!((right, wrong), (Ok(vec![i32(0xfffe)]), Ok(vec![i32(0xfeff)])));
}

#[test]
fn grow_and_bulk_mutants() {
    let wat = r#"(module (memory 1 3) (data (i32.const 0) "\01\02\03")
        (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
        (func (export "grow_peek") (result i32) i32.const 1 memory.grow drop i32.const 65536 i32.load8_u)
        (func (export "fill0") i32.const 70000 i32.const 0 i32.const 0 memory.fill)
        (func (export "copy_up") (result i32)
            i32.const 1 i32.const 0 i32.const 3 memory.copy i32.const 3 i32.load8_u))"#;
    assert_eq!(both("grow-returns-new-size", wat, "grow", &[i32(1)]), (Ok(vec![i32(1)]), Ok(vec![i32(2)])));
    assert_eq!(both("grow-past-maximum", wat, "grow", &[i32(3)]), (Ok(vec![i32(-1)]), Ok(vec![i32(1)])));
    assert_eq!(both("grow-max-off-by-one", wat, "grow", &[i32(2)]), (Ok(vec![i32(1)]), Ok(vec![i32(-1)])));
    assert_eq!(both("grow-not-zeroed", wat, "grow_peek", &[]), (Ok(vec![i32(0)]), Ok(vec![i32(1)])));
    let (right, wrong) = both("fill-zero-len-unchecked", wat, "fill0", &[]);
    assert!(right.unwrap_err().contains("out of bounds") && wrong.is_ok());
    assert_eq!(both("copy-forward-only", wat, "copy_up", &[]), (Ok(vec![i32(3)]), Ok(vec![i32(1)])));
}

#[test]
fn selection_round_trips() {
    let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
    for m in ZOO {
        set(Some(m)).unwrap();
        assert_eq!(active(), Some(m));
    }
    set(None).unwrap();
    assert_eq!(active(), None);
}

#[cfg(all(target_os = "linux", target_arch = "x86_64"))]
#[test]
fn guard_mutants_change_the_guard_memory_only() {
    use redzone_engine::GuardMemory;
    let wat = r#"(module (memory 1) (func (export "past") (result i32) i32.const 65540 i32.load))"#;
    let right = call::<GuardMemory>(None, wat, "past", &[]);
    assert!(right.unwrap_err().contains("out of bounds"));
    assert_eq!(call::<GuardMemory>(Some("guard-commits-past-end"), wat, "past", &[]), Ok(vec![i32(0)]));
    assert!(call::<CheckedMemory>(Some("guard-commits-past-end"), wat, "past", &[]).is_err(), "checked unchanged");
    // The straddling store traps either way; the split one has written its first half.
    let store_then_peek = r#"(module (memory (export "m") 1)
        (func (export "st") i32.const 65532 i64.const -1 i64.store)
        (func (export "peek") (result i32) i32.const 65532 i32.load))"#;
    for (mutant, want) in [(None, 0), (Some("guard-store-split"), -1)] {
        let _turn = TURN.lock().unwrap_or_else(|e| e.into_inner());
        set(mutant.map(|n| find(n).unwrap())).unwrap();
        let module = Module::new(&wat::parse_str(store_then_peek).unwrap()).unwrap();
        let mut store: Store<GuardMemory> = Store::new(Default::default());
        let inst = store.instantiate(&module, &[]).unwrap();
        let get = |store: &Store<GuardMemory>, n: &str| match store.get_export(inst, n) {
            Some(Extern::Func(f)) => f,
            _ => panic!("no {n}"),
        };
        let (st, peek) = (get(&store, "st"), get(&store, "peek"));
        assert!(store.call(st, &[]).is_err(), "{mutant:?}: the straddling store traps");
        assert_eq!(store.call(peek, &[]).unwrap(), vec![i32(want)], "{mutant:?}");
        drop(store);
        set(None).unwrap();
    }
}
