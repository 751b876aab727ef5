//! Instantiation and host API tests that need no wasm code to run.

use crate::*;

fn module(wat: &str) -> Module {
    Module::new(&wat::parse_str(wat).unwrap()).unwrap()
}

fn store() -> Store<CheckedMemory> {
    Store::new(Config::default())
}

#[test]
fn segments_globals_and_exports_are_instantiated() {
    let m = module(
        r#"(module
            (import "env" "base" (global $base i32))
            (global (export "g") i32 (i32.add (global.get $base) (i32.const 2)))
            (memory (export "mem") 1 2)
            (data (i32.add (global.get $base) (i32.const 2)) "hi")
            (data "passive"))"#,
    );
    let mut s = store();
    let base = s.new_global(GlobalType { content: ValType::I32, mutable: false }, Value::I32(8)).unwrap();
    let i = s.instantiate(&m, &[Extern::Global(base)]).unwrap();
    let Some(Extern::Global(g)) = s.get_export(i, "g") else { panic!("no global export") };
    assert_eq!(s.global_get(g), Value::I32(10));
    let Some(Extern::Memory(mem)) = s.get_export(i, "mem") else { panic!("no memory export") };
    assert_eq!(&s.memory(mem).data()[10..12], b"hi");
    assert_eq!(s.memory(mem).size_pages(), 1);
    assert_eq!(s.memory_grow(mem, 1), Some(1));
    assert_eq!(s.memory_grow(mem, 1), None, "declared maximum is 2");
    assert_eq!(s.exports(i).iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(), ["g", "mem"]);
    assert_eq!(s.get_export(i, "missing"), None);
}

#[test]
fn a_trapping_segment_keeps_earlier_writes() {
    let m = module(
        r#"(module (memory (export "mem") 1)
            (data (i32.const 0) "ok")
            (data (i32.const 65535) "xx"))"#,
    );
    let mut s = store();
    let err = s.instantiate(&m, &[]).unwrap_err();
    assert_eq!(err.as_trap().map(|t| &t.kind), Some(&TrapKind::MemoryOutOfBounds));
    // The memory outlives the failed instance in the store: the first segment was written.
    let mem = s.inner.memories.last().unwrap();
    assert_eq!(&mem.data()[..2], b"ok");
    assert_eq!(mem.data()[65535], 0, "the straddling segment wrote nothing");
}

#[test]
fn host_memory_and_global_imports_follow_seed_000() {
    // A host-created memory handed to the module, and an imported data_offset global.
    let m = module(
        r#"(module
            (import "mem" "pages" (memory 1))
            (import "env" "data_offset" (global $off i32))
            (data (global.get $off) "result"))"#,
    );
    let mut s = store();
    let mem = s.new_memory(MemoryType::new(1, Some(4))).unwrap();
    let off = s.new_global(GlobalType { content: ValType::I32, mutable: false }, Value::I32(100)).unwrap();
    let mut linker = Linker::new();
    linker.define("mem", "pages", Extern::Memory(mem)).define("env", "data_offset", Extern::Global(off));
    linker.instantiate(&mut s, &m).unwrap();
    let mut out = [0u8; 6];
    s.memory(mem).read(100, &mut out).unwrap();
    assert_eq!(&out, b"result");
}

#[test]
fn link_errors_name_the_import_and_the_reason() {
    let m = module(r#"(module (import "env" "m" (memory 2)))"#);
    let mut s = store();
    let small = s.new_memory(MemoryType::new(1, None)).unwrap();
    let err = s.instantiate(&m, &[Extern::Memory(small)]).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Link { module, name, .. } if module == "env" && name == "m"), "{err}");
    let g = s.new_global(GlobalType { content: ValType::I32, mutable: true }, Value::I32(0)).unwrap();
    let err = s.instantiate(&m, &[Extern::Global(g)]).unwrap_err();
    assert!(err.to_string().contains("expected a memory"), "{err}");
    let err = Linker::new().instantiate(&mut s, &m).unwrap_err();
    assert!(err.to_string().contains("env::m"), "{err}");
}

#[test]
fn host_api_checks_types() {
    let mut s = store();
    let g = s.new_global(GlobalType { content: ValType::I64, mutable: false }, Value::I64(1)).unwrap();
    assert!(s.global_set(g, Value::I64(2)).is_err(), "immutable");
    assert!(s.new_global(GlobalType { content: ValType::I32, mutable: true }, Value::I64(1)).is_err());
    let t = s.new_table(TableType { element: ValType::FuncRef, minimum: 2, maximum: Some(3) }, Value::FuncRef(None));
    let t = t.unwrap();
    assert_eq!(s.table_get(t, 1), Some(Value::FuncRef(None)));
    assert_eq!(s.table_get(t, 2), None);
    assert!(s.table_set(t, 0, Value::ExternRef(Some(1))).is_err(), "wrong element type");
    assert!(s.table_set(t, 0, Value::FuncRef(Some(Func(99)))).is_err(), "dangling function");
    assert_eq!(s.table_grow(t, 1, Value::FuncRef(None)).unwrap(), Some(2));
    assert_eq!(s.table_grow(t, 1, Value::FuncRef(None)).unwrap(), None);
}
